/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-service.c: one systemd service of a container, as the probe found it (SPEC.md §5) */

#include "config.h"

#include <string.h>

#include "paddock-probe-parse-private.h"
#include "paddock-service.h"

struct _PaddockService
{
  GObject    parent_instance;
  char      *unit;
  char      *name;
  char      *description;
  char      *load_state;
  char      *active_state;
  char      *sub_state;
  char      *unit_file_state;
  int        main_pid;
  gint64     memory;
  gint64     active_since;
  int        restarts;
  gboolean   has_unit;
  GPtrArray *ports;        /* PaddockPort */
  GPtrArray *credentials;  /* PaddockCredentialFile */
};

G_DEFINE_FINAL_TYPE (PaddockService, paddock_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_UNIT,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_ACTIVE_STATE,
  PROP_SUB_STATE,
  PROP_UNIT_FILE_STATE,
  PROP_MAIN_PID,
  PROP_MEMORY,
  PROP_ACTIVE_SINCE,
  PROP_RESTARTS,
  PROP_FAILED,
  PROP_RUNNING,
  PROP_SYSTEM,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Ports */

G_DEFINE_BOXED_TYPE (PaddockPort, paddock_port, paddock_port_copy, paddock_port_free)

PaddockPort *
paddock_port_copy (const PaddockPort *port)
{
  PaddockPort *copy = g_new0 (PaddockPort, 1);

  copy->protocol = g_strdup (port->protocol);
  copy->address = g_strdup (port->address);
  copy->scope = g_strdup (port->scope);
  copy->port = port->port;
  copy->wildcard = port->wildcard;
  copy->command = g_strdup (port->command);
  return copy;
}

void
paddock_port_free (PaddockPort *port)
{
  if (port == NULL)
    return;
  g_free (port->protocol);
  g_free (port->address);
  g_free (port->scope);
  g_free (port->command);
  g_free (port);
}

gboolean
paddock_port_equal (const PaddockPort *a,
                    const PaddockPort *b)
{
  return a->port == b->port && g_strcmp0 (a->protocol, b->protocol) == 0 &&
         g_strcmp0 (a->address, b->address) == 0 && g_strcmp0 (a->scope, b->scope) == 0;
}

char *
paddock_port_dup_label (const PaddockPort *port)
{
  gboolean v6 = port->address != NULL && strchr (port->address, ':') != NULL;

  return g_strdup_printf ("%s%s%s%s%s:%u", v6 ? "[" : "", port->address ? port->address : "*", v6 ? "]" : "",
                          port->scope ? "%" : "", port->scope ? port->scope : "", port->port);
}

static gboolean
is_loopback (const char *address)
{
  return g_str_has_prefix (address, "127.") || g_str_equal (address, "::1") || g_str_equal (address, "localhost");
}

char *
paddock_port_dup_url (const PaddockPort *port,
                      const char        *container_address,
                      gboolean           https)
{
  const char *host;
  gboolean v6;

  if (g_strcmp0 (port->protocol, "tcp") != 0 || port->address == NULL || is_loopback (port->address))
    return NULL;

  host = port->wildcard ? container_address : port->address;
  /* A link-local bind is reachable only with its interface: not from a browser. */
  if (host == NULL || *host == '\0' || port->scope != NULL || g_str_has_prefix (host, "fe80:"))
    return NULL;

  v6 = strchr (host, ':') != NULL;
  https = https || port->port == 443 || port->port == 8443;
  return g_strdup_printf ("%s://%s%s%s:%u/", https ? "https" : "http", v6 ? "[" : "", host, v6 ? "]" : "",
                          port->port);
}

/* Credentials */

G_DEFINE_BOXED_TYPE (PaddockCredentialFile, paddock_credential_file, paddock_credential_file_copy,
                     paddock_credential_file_free)

PaddockCredentialFile *
paddock_credential_file_copy (const PaddockCredentialFile *file)
{
  PaddockCredentialFile *copy = g_new0 (PaddockCredentialFile, 1);

  copy->path = g_strdup (file->path);
  copy->keys = g_strdupv (file->keys);
  copy->values = g_strdupv (file->values);
  copy->error = g_strdup (file->error);
  return copy;
}

void
paddock_credential_file_free (PaddockCredentialFile *file)
{
  if (file == NULL)
    return;
  for (guint i = 0; file->values && file->values[i]; i++)
    memset (file->values[i], 0, strlen (file->values[i]));
  g_free (file->path);
  g_strfreev (file->keys);
  g_strfreev (file->values);
  g_free (file->error);
  g_free (file);
}

/* Classification */

gboolean
paddock_unit_is_system (const char *unit)
{
  static const char *names[] = {
    "console-getty", "cron", "anacron", "dbus", "dbus-broker", "networking", "postfix", "ssh", "sshd",
    "rsyslog", "syslog", "ifupdown-pre", "ifup", "logrotate", "man-db", "dpkg-db-backup", "fstrim",
    "apt-daily", "apt-daily-upgrade", "e2scrub_all", "e2scrub_reap", "unattended-upgrades", "rc-local",
    "keyboard-setup", "kmod-static-nodes", "chrony", "ntp", "ntpsec", "exim4", "atd", "polkit",
    "networkd-dispatcher", "ModemManager", "NetworkManager", "wpa_supplicant", "getty-static",
    "procps", "sysstat", "lvm2-monitor", "multipathd", "udisks2", "accounts-daemon", "cloud-init",
    "cloud-init-local", "cloud-config", "cloud-final", "pve-container",
  };
  static const char *prefixes[] = {
    "systemd-", "container-getty@", "getty@", "serial-getty@", "user@", "user-runtime-dir@",
    "postfix@", "modprobe@", "autovt@", "apt-", "e2scrub", "ifup@", "lvm2-", "dm-event",
  };
  g_autofree char *name = g_str_has_suffix (unit, ".service")
                          ? g_strndup (unit, strlen (unit) - strlen (".service")) : g_strdup (unit);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (name, prefixes[i]))
      return TRUE;

  return FALSE;
}

/* The object */

static void
paddock_service_finalize (GObject *object)
{
  PaddockService *self = PADDOCK_SERVICE (object);

  g_free (self->unit);
  g_free (self->name);
  g_free (self->description);
  g_free (self->load_state);
  g_free (self->active_state);
  g_free (self->sub_state);
  g_free (self->unit_file_state);
  g_ptr_array_unref (self->ports);
  g_ptr_array_unref (self->credentials);

  G_OBJECT_CLASS (paddock_service_parent_class)->finalize (object);
}

static void
paddock_service_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PaddockService *self = PADDOCK_SERVICE (object);

  switch (prop_id)
    {
    case PROP_UNIT: g_value_set_string (value, self->unit); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_ACTIVE_STATE: g_value_set_string (value, self->active_state); break;
    case PROP_SUB_STATE: g_value_set_string (value, self->sub_state); break;
    case PROP_UNIT_FILE_STATE: g_value_set_string (value, self->unit_file_state); break;
    case PROP_MAIN_PID: g_value_set_int (value, self->main_pid); break;
    case PROP_MEMORY: g_value_set_int64 (value, self->memory); break;
    case PROP_ACTIVE_SINCE: g_value_set_int64 (value, self->active_since); break;
    case PROP_RESTARTS: g_value_set_int (value, self->restarts); break;
    case PROP_FAILED: g_value_set_boolean (value, paddock_service_get_failed (self)); break;
    case PROP_RUNNING: g_value_set_boolean (value, paddock_service_get_running (self)); break;
    case PROP_SYSTEM: g_value_set_boolean (value, paddock_service_get_system (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_service_class_init (PaddockServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = paddock_service_finalize;
  object_class->get_property = paddock_service_get_property;

  properties[PROP_UNIT] = g_param_spec_string ("unit", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, ro);
  properties[PROP_ACTIVE_STATE] = g_param_spec_string ("active-state", NULL, NULL, NULL, ro);
  properties[PROP_SUB_STATE] = g_param_spec_string ("sub-state", NULL, NULL, NULL, ro);
  properties[PROP_UNIT_FILE_STATE] = g_param_spec_string ("unit-file-state", NULL, NULL, NULL, ro);
  properties[PROP_MAIN_PID] = g_param_spec_int ("main-pid", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_MEMORY] = g_param_spec_int64 ("memory", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_ACTIVE_SINCE] = g_param_spec_int64 ("active-since", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_RESTARTS] = g_param_spec_int ("restarts", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_FAILED] = g_param_spec_boolean ("failed", NULL, NULL, FALSE, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_SYSTEM] = g_param_spec_boolean ("system", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Anything changed (ports and credentials included) after a new probe. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                   NULL, G_TYPE_NONE, 0);
}

static void
paddock_service_init (PaddockService *self)
{
  self->memory = -1;
  self->has_unit = TRUE;
  self->ports = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_port_free);
  self->credentials = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_credential_file_free);
}

PaddockService *
paddock_service_new (const char *unit)
{
  PaddockService *self;

  g_return_val_if_fail (unit != NULL, NULL);

  self = g_object_new (PADDOCK_TYPE_SERVICE, NULL);
  self->unit = g_strdup (unit);
  self->name = g_str_has_suffix (unit, ".service") ? g_strndup (unit, strlen (unit) - strlen (".service"))
                                                   : g_strdup (unit);
  return self;
}

const char *
paddock_service_get_unit (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->unit;
}

const char *
paddock_service_get_name (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->name;
}

const char *
paddock_service_get_description (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->description;
}

const char *
paddock_service_get_load_state (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->load_state;
}

const char *
paddock_service_get_active_state (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->active_state;
}

const char *
paddock_service_get_sub_state (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->sub_state;
}

const char *
paddock_service_get_unit_file_state (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->unit_file_state;
}

int
paddock_service_get_main_pid (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), 0);
  return self->main_pid;
}

gint64
paddock_service_get_memory (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), -1);
  return self->memory;
}

gint64
paddock_service_get_active_since (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), 0);
  return self->active_since;
}

int
paddock_service_get_restarts (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), 0);
  return self->restarts;
}

gboolean
paddock_service_get_system (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), FALSE);
  return self->has_unit && paddock_unit_is_system (self->unit);
}

gboolean
paddock_service_get_failed (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), FALSE);
  return g_strcmp0 (self->active_state, "failed") == 0;
}

gboolean
paddock_service_get_running (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), FALSE);
  return g_strcmp0 (self->active_state, "active") == 0 || g_strcmp0 (self->active_state, "reloading") == 0;
}

gboolean
paddock_service_get_enabled (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), FALSE);
  return g_strcmp0 (self->unit_file_state, "enabled") == 0 ||
         g_strcmp0 (self->unit_file_state, "enabled-runtime") == 0 ||
         g_strcmp0 (self->unit_file_state, "alias") == 0;
}

gboolean
paddock_service_get_has_unit (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), FALSE);
  return self->has_unit;
}

GPtrArray *
paddock_service_get_ports (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->ports;
}

GPtrArray *
paddock_service_get_credentials (PaddockService *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE (self), NULL);
  return self->credentials;
}

static int
number_of (GHashTable *props,
           const char *key)
{
  gint64 value = paddock_parse_systemd_number (g_hash_table_lookup (props, key));

  return value >= 0 && value <= G_MAXINT ? (int) value : 0;
}

void
paddock_service_set_properties (PaddockService *self,
                                GHashTable     *props,
                                gint64          active_since)
{
  const char *description;

  g_return_if_fail (PADDOCK_IS_SERVICE (self));

  description = g_hash_table_lookup (props, "Description");
  g_free (self->description);
  self->description = g_strdup (description && *description ? description : NULL);
  g_free (self->load_state);
  self->load_state = g_strdup (g_hash_table_lookup (props, "LoadState"));
  g_free (self->active_state);
  self->active_state = g_strdup (g_hash_table_lookup (props, "ActiveState"));
  g_free (self->sub_state);
  self->sub_state = g_strdup (g_hash_table_lookup (props, "SubState"));
  g_free (self->unit_file_state);
  self->unit_file_state = g_strdup (g_hash_table_lookup (props, "UnitFileState"));
  self->main_pid = number_of (props, "MainPID");
  self->memory = paddock_parse_systemd_number (g_hash_table_lookup (props, "MemoryCurrent"));
  self->restarts = number_of (props, "NRestarts");
  self->active_since = paddock_service_get_running (self) ? active_since : 0;
}

void
paddock_service_set_has_unit (PaddockService *self,
                              gboolean        has_unit)
{
  g_return_if_fail (PADDOCK_IS_SERVICE (self));
  self->has_unit = has_unit;
}

void
paddock_service_add_port (PaddockService    *self,
                          const PaddockPort *port)
{
  g_return_if_fail (PADDOCK_IS_SERVICE (self));

  for (guint i = 0; i < self->ports->len; i++)
    if (paddock_port_equal (g_ptr_array_index (self->ports, i), port))
      return;

  g_ptr_array_add (self->ports, paddock_port_copy (port));
}

void
paddock_service_add_credentials (PaddockService              *self,
                                 const PaddockCredentialFile *file)
{
  g_return_if_fail (PADDOCK_IS_SERVICE (self));
  g_ptr_array_add (self->credentials, paddock_credential_file_copy (file));
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
paddock_service_update_from (PaddockService *self,
                             PaddockService *other)
{
  gboolean was_failed, was_running;

  g_return_if_fail (PADDOCK_IS_SERVICE (self));
  g_return_if_fail (PADDOCK_IS_SERVICE (other));

  was_failed = paddock_service_get_failed (self);
  was_running = paddock_service_get_running (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (replace_string (&self->description, other->description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  replace_string (&self->load_state, other->load_state);
  if (replace_string (&self->active_state, other->active_state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_STATE]);
  if (replace_string (&self->sub_state, other->sub_state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUB_STATE]);
  if (replace_string (&self->unit_file_state, other->unit_file_state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT_FILE_STATE]);
#define TAKE(field, prop) \
  if (self->field != other->field) { self->field = other->field; g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); }
  TAKE (main_pid, PROP_MAIN_PID);
  TAKE (memory, PROP_MEMORY);
  TAKE (active_since, PROP_ACTIVE_SINCE);
  TAKE (restarts, PROP_RESTARTS);
#undef TAKE
  self->has_unit = other->has_unit;
  if (was_failed != paddock_service_get_failed (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
  if (was_running != paddock_service_get_running (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  g_ptr_array_set_size (self->ports, 0);
  for (guint i = 0; i < other->ports->len; i++)
    g_ptr_array_add (self->ports, paddock_port_copy (g_ptr_array_index (other->ports, i)));
  g_ptr_array_set_size (self->credentials, 0);
  for (guint i = 0; i < other->credentials->len; i++)
    g_ptr_array_add (self->credentials, paddock_credential_file_copy (g_ptr_array_index (other->credentials, i)));
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[CHANGED], 0);
}
