/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-guest.c: one container (or VM) as the cluster reports it, updated in place on refresh */

#include "config.h"

#include "paddock-core-enums.h"
#include "paddock-guest-private.h"

struct _PaddockGuest
{
  GObject            parent_instance;
  gint64             connection_id;
  PaddockGuestRecord record;
  PaddockGuestState  state;
  char              *display_name;  /* the name, or "CT 101" when Proxmox sent none */
  guint              busy : 1;
  guint              offline : 1;
  int                provisioning;  /* a job's percentage while one makes it; -1 otherwise */
};

G_DEFINE_FINAL_TYPE (PaddockGuest, paddock_guest, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION_ID,
  PROP_VMID,
  PROP_GUEST_TYPE,
  PROP_NODE,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_STATUS,
  PROP_STATE,
  PROP_TAGS,
  PROP_LOCK,
  PROP_HASTATE,
  PROP_TEMPLATE,
  PROP_CPU,
  PROP_MAXCPU,
  PROP_MEM,
  PROP_MAXMEM,
  PROP_DISK,
  PROP_MAXDISK,
  PROP_UPTIME,
  PROP_NETIN,
  PROP_NETOUT,
  PROP_BUSY,
  PROP_OFFLINE,
  PROP_PROVISIONING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
paddock_guest_finalize (GObject *object)
{
  PaddockGuest *self = PADDOCK_GUEST (object);

  paddock_guest_record_clear (&self->record);
  g_free (self->display_name);

  G_OBJECT_CLASS (paddock_guest_parent_class)->finalize (object);
}

static void
paddock_guest_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PaddockGuest *self = PADDOCK_GUEST (object);
  const PaddockGuestRecord *r = &self->record;

  switch (prop_id)
    {
    case PROP_CONNECTION_ID: g_value_set_int64 (value, self->connection_id); break;
    case PROP_VMID: g_value_set_uint (value, r->vmid); break;
    case PROP_GUEST_TYPE: g_value_set_string (value, r->type); break;
    case PROP_NODE: g_value_set_string (value, r->node); break;
    case PROP_NAME: g_value_set_string (value, r->name); break;
    case PROP_DISPLAY_NAME: g_value_set_string (value, paddock_guest_get_display_name (self)); break;
    case PROP_STATUS: g_value_set_string (value, r->status); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_TAGS: g_value_set_string (value, r->tags); break;
    case PROP_LOCK: g_value_set_string (value, r->lock); break;
    case PROP_HASTATE: g_value_set_string (value, r->hastate); break;
    case PROP_TEMPLATE: g_value_set_boolean (value, r->template); break;
    case PROP_CPU: g_value_set_double (value, r->cpu); break;
    case PROP_MAXCPU: g_value_set_double (value, r->maxcpu); break;
    case PROP_MEM: g_value_set_int64 (value, r->mem); break;
    case PROP_MAXMEM: g_value_set_int64 (value, r->maxmem); break;
    case PROP_DISK: g_value_set_int64 (value, r->disk); break;
    case PROP_MAXDISK: g_value_set_int64 (value, r->maxdisk); break;
    case PROP_UPTIME: g_value_set_int64 (value, r->uptime); break;
    case PROP_NETIN: g_value_set_int64 (value, r->netin); break;
    case PROP_NETOUT: g_value_set_int64 (value, r->netout); break;
    case PROP_BUSY: g_value_set_boolean (value, self->busy); break;
    case PROP_OFFLINE: g_value_set_boolean (value, self->offline); break;
    case PROP_PROVISIONING: g_value_set_int (value, self->provisioning); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_guest_class_init (PaddockGuestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = paddock_guest_finalize;
  object_class->get_property = paddock_guest_get_property;

  properties[PROP_CONNECTION_ID] = g_param_spec_int64 ("connection-id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_VMID] = g_param_spec_uint ("vmid", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_GUEST_TYPE] = g_param_spec_string ("guest-type", NULL, NULL, NULL, ro);
  properties[PROP_NODE] = g_param_spec_string ("node", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, PADDOCK_TYPE_GUEST_STATE,
                                             PADDOCK_GUEST_STATE_UNKNOWN, ro);
  properties[PROP_TAGS] = g_param_spec_string ("tags", NULL, NULL, NULL, ro);
  properties[PROP_LOCK] = g_param_spec_string ("lock", NULL, NULL, NULL, ro);
  properties[PROP_HASTATE] = g_param_spec_string ("hastate", NULL, NULL, NULL, ro);
  properties[PROP_TEMPLATE] = g_param_spec_boolean ("template", NULL, NULL, FALSE, ro);
  properties[PROP_CPU] = g_param_spec_double ("cpu", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_MAXCPU] = g_param_spec_double ("maxcpu", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_MEM] = g_param_spec_int64 ("mem", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_MAXMEM] = g_param_spec_int64 ("maxmem", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_DISK] = g_param_spec_int64 ("disk", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_MAXDISK] = g_param_spec_int64 ("maxdisk", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_UPTIME] = g_param_spec_int64 ("uptime", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_NETIN] = g_param_spec_int64 ("netin", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_NETOUT] = g_param_spec_int64 ("netout", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  /* While Paddock runs a lifecycle action on it. */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  /* Its connection is unreachable: what is shown is the last known state. */
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE, ro);
  /* A provisioning job's percentage while it makes the container; -1 when none does. */
  properties[PROP_PROVISIONING] = g_param_spec_int ("provisioning", NULL, NULL, -1, 100, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_guest_init (PaddockGuest *self)
{
  self->provisioning = -1;
}

PaddockGuest *
_paddock_guest_new_from_record (gint64                    connection_id,
                                const PaddockGuestRecord *record)
{
  PaddockGuest *self = g_object_new (PADDOCK_TYPE_GUEST, NULL);

  self->connection_id = connection_id;
  self->record.vmid = record->vmid;
  _paddock_guest_update (self, record);

  return self;
}

static void
update_string (PaddockGuest  *self,
               char         **field,
               const char    *value,
               guint          prop_id,
               gboolean      *changed)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  *changed = TRUE;
}

#define UPDATE_NUMBER(field, prop_id)                                             \
  G_STMT_START {                                                                  \
    if (self->record.field != record->field)                                      \
      {                                                                           \
        self->record.field = record->field;                                       \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);          \
        changed = TRUE;                                                           \
      }                                                                           \
  } G_STMT_END

gboolean
_paddock_guest_update (PaddockGuest             *self,
                       const PaddockGuestRecord *record)
{
  gboolean changed = FALSE;
  gboolean name_changed = FALSE;

  g_return_val_if_fail (PADDOCK_IS_GUEST (self), FALSE);
  g_return_val_if_fail (record->vmid == self->record.vmid, FALSE);

  g_object_freeze_notify (G_OBJECT (self));

  update_string (self, &self->record.type, record->type, PROP_GUEST_TYPE, &changed);
  update_string (self, &self->record.node, record->node, PROP_NODE, &changed);
  update_string (self, &self->record.name, record->name, PROP_NAME, &name_changed);
  update_string (self, &self->record.status, record->status, PROP_STATUS, &changed);
  if (self->state != paddock_guest_state_from_string (record->status))
    {
      self->state = paddock_guest_state_from_string (record->status);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  update_string (self, &self->record.tags, record->tags, PROP_TAGS, &changed);
  update_string (self, &self->record.lock, record->lock, PROP_LOCK, &changed);
  update_string (self, &self->record.hastate, record->hastate, PROP_HASTATE, &changed);
  g_free (self->record.pool);
  self->record.pool = g_strdup (record->pool);
  UPDATE_NUMBER (template, PROP_TEMPLATE);
  UPDATE_NUMBER (cpu, PROP_CPU);
  UPDATE_NUMBER (maxcpu, PROP_MAXCPU);
  UPDATE_NUMBER (mem, PROP_MEM);
  UPDATE_NUMBER (maxmem, PROP_MAXMEM);
  UPDATE_NUMBER (disk, PROP_DISK);
  UPDATE_NUMBER (maxdisk, PROP_MAXDISK);
  UPDATE_NUMBER (uptime, PROP_UPTIME);
  UPDATE_NUMBER (netin, PROP_NETIN);
  UPDATE_NUMBER (netout, PROP_NETOUT);
  self->record.diskread = record->diskread;
  self->record.diskwrite = record->diskwrite;

  if (name_changed || self->display_name == NULL)
    {
      g_free (self->display_name);
      self->display_name = self->record.name != NULL && *self->record.name != '\0'
                           ? g_strdup (self->record.name) : g_strdup_printf ("CT %u", self->record.vmid);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
    }

  g_object_thaw_notify (G_OBJECT (self));

  return changed || name_changed;
}

#undef UPDATE_NUMBER

gint64
paddock_guest_get_connection_id (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->connection_id;
}

guint
paddock_guest_get_vmid (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.vmid;
}

const char *
paddock_guest_get_guest_type (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return self->record.type;
}

const char *
paddock_guest_get_node (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return self->record.node;
}

const char *
paddock_guest_get_name (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return self->record.name;
}

const char *
paddock_guest_get_status (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return self->record.status;
}

const char *
paddock_guest_get_tags (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return self->record.tags;
}

const char *
paddock_guest_get_lock (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return self->record.lock;
}

const char *
paddock_guest_get_hastate (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return self->record.hastate;
}

gboolean
paddock_guest_get_template (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), FALSE);

  return self->record.template;
}

double
paddock_guest_get_cpu (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.cpu;
}

double
paddock_guest_get_maxcpu (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.maxcpu;
}

gint64
paddock_guest_get_mem (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.mem;
}

gint64
paddock_guest_get_maxmem (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.maxmem;
}

gint64
paddock_guest_get_disk (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.disk;
}

gint64
paddock_guest_get_maxdisk (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.maxdisk;
}

gint64
paddock_guest_get_uptime (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.uptime;
}

gint64
paddock_guest_get_netin (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.netin;
}

gint64
paddock_guest_get_netout (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), 0);

  return self->record.netout;
}


/* The name Proxmox shows: the hostname, or "CT 101" when it has none (a guest of an offline
 * node comes without). */
const char *
paddock_guest_get_display_name (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return self->display_name;
}

char *
paddock_guest_dup_display_name (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return g_strdup (self->display_name);
}

PaddockGuestState
paddock_guest_state_from_string (const char *status)
{
  if (g_strcmp0 (status, "running") == 0)
    return PADDOCK_GUEST_STATE_RUNNING;
  if (g_strcmp0 (status, "stopped") == 0)
    return PADDOCK_GUEST_STATE_STOPPED;
  return PADDOCK_GUEST_STATE_UNKNOWN;
}

PaddockGuestState
paddock_guest_get_state (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), PADDOCK_GUEST_STATE_UNKNOWN);

  return self->state;
}

/* A guest of an offline node comes with status "unknown", zeros for what is not known
 * (maxmem 0) and often no name: its zeros are not figures. */
gboolean
paddock_guest_get_figures_known (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), FALSE);

  return self->state != PADDOCK_GUEST_STATE_UNKNOWN && !self->offline;
}

GStrv
paddock_tags_split (const char *tags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) parts = g_strsplit_set (tags != NULL ? tags : "", "; ,\t\n\r", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0' && g_hash_table_add (seen, parts[i]))
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

GStrv
paddock_guest_dup_tag_list (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return paddock_tags_split (self->record.tags);
}

gboolean
paddock_guest_get_busy (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), FALSE);

  return self->busy;
}

gboolean
paddock_guest_get_offline (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), FALSE);

  return self->offline;
}

void
_paddock_guest_set_busy (PaddockGuest *self,
                         gboolean      busy)
{
  g_return_if_fail (PADDOCK_IS_GUEST (self));

  if (self->busy != !!busy)
    {
      self->busy = !!busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

void
_paddock_guest_set_offline (PaddockGuest *self,
                            gboolean      offline)
{
  g_return_if_fail (PADDOCK_IS_GUEST (self));

  if (self->offline != !!offline)
    {
      self->offline = !!offline;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
    }
}

char *
paddock_guest_key (gint64 connection_id,
                   guint  vmid)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%u", connection_id, vmid);
}

char *
paddock_guest_dup_key (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), NULL);

  return paddock_guest_key (self->connection_id, self->record.vmid);
}

int
paddock_guest_get_provisioning (PaddockGuest *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (self), -1);

  return self->provisioning;
}

/* Set by whoever follows the container's provisioning job (the window, from its jobs). */
void
paddock_guest_set_provisioning (PaddockGuest *self,
                                int           percent)
{
  g_return_if_fail (PADDOCK_IS_GUEST (self));

  percent = CLAMP (percent, -1, 100);
  if (self->provisioning != percent)
    {
      self->provisioning = percent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVISIONING]);
    }
}
