/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-event.c: one entry of a container's timeline (SPEC.md §3.3) */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "paddock-event.h"

struct _PaddockEvent
{
  GObject           parent_instance;
  gint64            id;
  gint64            connection_id;
  guint             vmid;
  PaddockEventKind  kind;
  char             *message;  /* the stored text (older rows), or the described one once made */
  char             *args;     /* what happened and its arguments (a JSON object), or NULL */
  char             *details;
  gint64            time;
};

G_DEFINE_FINAL_TYPE (PaddockEvent, paddock_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_MESSAGE,
  PROP_DETAILS,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *arg (JsonObject *args, const char *name, const char *fallback);

static const char *kind_names[] = {
  "action-started", "action-succeeded", "action-failed",
  "provision-step", "provision-succeeded", "provision-failed",
  "service-action", "error", "proxmox-task",
};

static void
paddock_event_finalize (GObject *object)
{
  PaddockEvent *self = PADDOCK_EVENT (object);

  g_free (self->message);
  g_free (self->args);
  g_free (self->details);

  G_OBJECT_CLASS (paddock_event_parent_class)->finalize (object);
}

static void
paddock_event_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PaddockEvent *self = PADDOCK_EVENT (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_int (value, self->kind); break;
    case PROP_MESSAGE: g_value_set_string (value, paddock_event_get_message (self)); break;
    case PROP_DETAILS: g_value_set_string (value, self->details); break;
    case PROP_TIME: g_value_set_int64 (value, self->time); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_event_class_init (PaddockEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = paddock_event_finalize;
  object_class->get_property = paddock_event_get_property;

  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, PADDOCK_EVENT_PROXMOX_TASK, 0, ro);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, ro);
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL, ro);
  properties[PROP_TIME] = g_param_spec_int64 ("time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_event_init (PaddockEvent *self)
{
}

/**
 * paddock_event_new:
 * @details: (nullable): a JSON document with the details
 */
PaddockEvent *
paddock_event_new (gint64            connection_id,
                   guint             vmid,
                   PaddockEventKind  kind,
                   const char       *message,
                   const char       *details)
{
  PaddockEvent *self;

  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (PADDOCK_TYPE_EVENT, NULL);
  self->connection_id = connection_id;
  self->vmid = vmid;
  self->kind = kind;
  self->message = g_strdup (message);
  self->details = g_strdup (details);
  self->time = g_get_real_time ();

  return self;
}

/**
 * paddock_event_new_described:
 * @details: (nullable): a JSON document (the task, its last log lines…)
 * @what: what happened, e.g. "action-done"; then key/value strings, ending with %NULL
 *
 * An event stored as what happened and its arguments: its text is made in the reader's language
 * when it is shown, nothing English is frozen into the database.
 */
PaddockEvent *
paddock_event_new_described (gint64            connection_id,
                             guint             vmid,
                             PaddockEventKind  kind,
                             const char       *details,
                             const char       *what,
                             ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  PaddockEvent *self;
  const char *key;
  va_list args;

  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  g_return_val_if_fail (what != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "what");
  json_builder_add_string_value (builder, what);
  va_start (args, what);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, value);
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  self = g_object_new (PADDOCK_TYPE_EVENT, NULL);
  self->connection_id = connection_id;
  self->vmid = vmid;
  self->kind = kind;
  self->args = json_to_string (root, FALSE);
  self->details = g_strdup (details);
  self->time = g_get_real_time ();

  return self;
}

/**
 * paddock_event_new_service_action:
 * @action: "start", "stop" or "restart"
 * @error: (nullable): why it failed, or %NULL when it worked
 *
 * The timeline entry of a service started, stopped or restarted (the window and paddockctl alike).
 */
PaddockEvent *
paddock_event_new_service_action (gint64      connection_id,
                                  guint       vmid,
                                  const char *unit,
                                  const char *action,
                                  const char *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, unit);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, error == NULL);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  details = json_to_string (root, FALSE);

  return paddock_event_new_described (connection_id, vmid, PADDOCK_EVENT_SERVICE_ACTION, details,
                                      error == NULL ? "service-done" : "service-failed",
                                      "unit", unit, "action", action, "error", error, NULL);
}

const char *
paddock_event_get_args (PaddockEvent *self)
{
  g_return_val_if_fail (PADDOCK_IS_EVENT (self), NULL);

  return self->args;
}

/**
 * paddock_event_dup_arg:
 * @name: an argument of what happened, e.g. "action"
 *
 * Returns: (nullable): its value, or %NULL when the event has no such argument (or is stored as text)
 */
char *
paddock_event_dup_arg (PaddockEvent *self,
                       const char   *name)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (PADDOCK_IS_EVENT (self), NULL);

  if (self->args == NULL || (root = json_from_string (self->args, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return g_strdup (arg (json_node_get_object (root), name, NULL));
}

/* What the store keeps as the message: the text of an older event, nothing for a described one. */
const char *
_paddock_event_get_stored_message (PaddockEvent *self)
{
  return self->args != NULL ? "" : self->message;
}

void
_paddock_event_set_args (PaddockEvent *self,
                         const char   *args)
{
  g_free (self->args);
  self->args = g_strdup (args);
  g_clear_pointer (&self->message, g_free);
}

static const char *
action_title (const char *action)
{
  if (g_strcmp0 (action, "start") == 0)
    return _("Start");
  if (g_strcmp0 (action, "shutdown") == 0)
    return _("Shutdown");
  if (g_strcmp0 (action, "stop") == 0)
    return _("Stop");
  if (g_strcmp0 (action, "reboot") == 0)
    return _("Reboot");
  if (g_strcmp0 (action, "delete") == 0)
    return _("Delete");
  return action != NULL ? action : "?";
}

static const char *
action_done (const char *action)
{
  if (g_strcmp0 (action, "start") == 0)
    return _("Started");
  if (g_strcmp0 (action, "shutdown") == 0)
    return _("Shut down");
  if (g_strcmp0 (action, "stop") == 0)
    return _("Stopped");
  if (g_strcmp0 (action, "reboot") == 0)
    return _("Rebooted");
  if (g_strcmp0 (action, "delete") == 0)
    return _("Deleted");
  return action != NULL ? action : "?";
}

/* A string argument; the database may have been edited by hand, so nothing else is trusted. */
static const char *
arg (JsonObject *args,
     const char *name,
     const char *fallback)
{
  JsonNode *node = json_object_get_member (args, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;

  return json_node_get_string (node);
}

#define ARG(name) arg (args, name, "?")

static char *
describe (JsonObject *args)
{
  const char *what = arg (args, "what", "");

  if (g_str_equal (what, "action-requested"))
    /* Translators: "Start requested", "Shutdown requested"… */
    return g_strdup_printf (_("%s requested"), action_title (ARG ("action")));
  if (g_str_equal (what, "shutdown-timed-out"))
    return g_strdup_printf (_("The shutdown did not finish within %s s; stopping the container"), ARG ("timeout"));
  if (g_str_equal (what, "action-done"))
    {
      const char *outcome = arg (args, "outcome", "");

      if (g_str_equal (outcome, "graceful"))
        return g_strdup (_("Shut down (graceful)"));
      if (g_str_equal (outcome, "forced"))
        return g_strdup_printf (_("Shut down (forced: stopped after the %s s shutdown timeout)"), ARG ("timeout"));
      if (g_str_equal (outcome, "already-gone"))
        return g_strdup (_("Deleted (it no longer existed on Proxmox)"));
      return g_strdup (action_done (ARG ("action")));
    }
  if (g_str_equal (what, "action-failed"))
    /* Translators: an action, then Proxmox's message: "Start failed: CT is locked (backup)" */
    return g_strdup_printf (_("%s failed: %s"), action_title (ARG ("action")), ARG ("error"));
  if (g_str_equal (what, "deleted-after-job"))
    return g_strdup_printf (_("Deleted after provisioning job %s stopped"), ARG ("job"));
  if (g_str_equal (what, "container-created"))
    /* Translators: "CT 140 (web) created on pve2" */
    return g_strdup_printf (_("CT %s (%s) created on %s"), ARG ("vmid"), ARG ("hostname"), ARG ("node"));
  if (g_str_equal (what, "provisioned"))
    {
      const char *template = arg (args, "template", NULL);
      const char *address = arg (args, "address", NULL);

      if (template != NULL && address != NULL)
        return g_strdup_printf (_("Provisioned from %s, at %s"), template, address);
      if (template != NULL)
        return g_strdup_printf (_("Provisioned from %s"), template);
      if (address != NULL)
        return g_strdup_printf (_("Provisioned from scratch, at %s"), address);
      return g_strdup (_("Provisioned from scratch"));
    }
  if (g_str_equal (what, "provision-failed"))
    return g_strdup_printf (_("Provisioning failed at %s: %s"), ARG ("phase"), ARG ("error"));
  if (g_str_equal (what, "provision-cancelled"))
    return g_strdup_printf (_("Provisioning cancelled at %s: %s"), ARG ("phase"), ARG ("error"));
  if (g_str_equal (what, "service-done"))
    {
      const char *action = ARG ("action");

      if (g_str_equal (action, "start"))
        return g_strdup_printf (_("Started %s"), ARG ("unit"));
      if (g_str_equal (action, "stop"))
        return g_strdup_printf (_("Stopped %s"), ARG ("unit"));
      return g_strdup_printf (_("Restarted %s"), ARG ("unit"));
    }
  if (g_str_equal (what, "service-failed"))
    {
      const char *action = ARG ("action");

      if (g_str_equal (action, "start"))
        return g_strdup_printf (_("Could not start %s: %s"), ARG ("unit"), ARG ("error"));
      if (g_str_equal (action, "stop"))
        return g_strdup_printf (_("Could not stop %s: %s"), ARG ("unit"), ARG ("error"));
      return g_strdup_printf (_("Could not restart %s: %s"), ARG ("unit"), ARG ("error"));
    }

  /* Written by a newer Paddock: its name is all this one can say. */
  return g_strdup_printf (_("Event “%s”"), what);
}

#undef ARG

void
_paddock_event_set_row (PaddockEvent *self,
                        gint64        id,
                        gint64        time)
{
  self->id = id;
  self->time = time;
}

gint64
paddock_event_get_id (PaddockEvent *self)
{
  g_return_val_if_fail (PADDOCK_IS_EVENT (self), 0);
  return self->id;
}

gint64
paddock_event_get_connection_id (PaddockEvent *self)
{
  g_return_val_if_fail (PADDOCK_IS_EVENT (self), 0);
  return self->connection_id;
}

guint
paddock_event_get_vmid (PaddockEvent *self)
{
  g_return_val_if_fail (PADDOCK_IS_EVENT (self), 0);
  return self->vmid;
}

PaddockEventKind
paddock_event_get_kind (PaddockEvent *self)
{
  g_return_val_if_fail (PADDOCK_IS_EVENT (self), 0);
  return self->kind;
}

const char *
paddock_event_get_message (PaddockEvent *self)
{
  g_return_val_if_fail (PADDOCK_IS_EVENT (self), NULL);

  /* Made once, in the language of whoever reads it. */
  if (self->message == NULL && self->args != NULL)
    {
      g_autoptr(JsonNode) root = json_from_string (self->args, NULL);

      self->message = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? describe (json_node_get_object (root))
                                                                     : g_strdup (_("An event Paddock cannot read"));
    }

  return self->message != NULL ? self->message : "";
}

const char *
paddock_event_get_details (PaddockEvent *self)
{
  g_return_val_if_fail (PADDOCK_IS_EVENT (self), NULL);
  return self->details;
}

/* Microseconds since the epoch (g_get_real_time). */
gint64
paddock_event_get_time (PaddockEvent *self)
{
  g_return_val_if_fail (PADDOCK_IS_EVENT (self), 0);
  return self->time;
}

const char *
paddock_event_kind_to_string (PaddockEventKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
paddock_event_kind_from_string (const char       *str,
                                PaddockEventKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (str, kind_names[i]) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}
