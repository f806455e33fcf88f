/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-event.c: one entry of a container's timeline (SPEC.md §3.3) */

#include "config.h"

#include "paddock-event.h"

struct _PaddockEvent
{
  GObject           parent_instance;
  gint64            id;
  gint64            connection_id;
  guint             vmid;
  PaddockEventKind  kind;
  char             *message;
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
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
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
  return self->message;
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
