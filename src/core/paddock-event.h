/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-event.h: one entry of a container's timeline (SPEC.md §3.3) */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Each kind means one thing: a step and a terminal state are never the same kind. */
typedef enum
{
  PADDOCK_EVENT_ACTION_STARTED,
  PADDOCK_EVENT_ACTION_SUCCEEDED,
  PADDOCK_EVENT_ACTION_FAILED,
  PADDOCK_EVENT_PROVISION_STEP,
  PADDOCK_EVENT_PROVISION_SUCCEEDED,
  PADDOCK_EVENT_PROVISION_FAILED,
  PADDOCK_EVENT_SERVICE_ACTION,
  PADDOCK_EVENT_ERROR,
  PADDOCK_EVENT_PROXMOX_TASK,
} PaddockEventKind;

#define PADDOCK_TYPE_EVENT (paddock_event_get_type ())

G_DECLARE_FINAL_TYPE (PaddockEvent, paddock_event, PADDOCK, EVENT, GObject)

PaddockEvent     *paddock_event_new                (gint64            connection_id,
                                                    guint             vmid,
                                                    PaddockEventKind  kind,
                                                    const char       *message,
                                                    const char       *details);
PaddockEvent     *paddock_event_new_described      (gint64            connection_id,
                                                    guint             vmid,
                                                    PaddockEventKind  kind,
                                                    const char       *details,
                                                    const char       *what,
                                                    ...) G_GNUC_NULL_TERMINATED;
PaddockEvent     *paddock_event_new_service_action (gint64            connection_id,
                                                    guint             vmid,
                                                    const char       *unit,
                                                    const char       *action,
                                                    const char       *error);
char             *paddock_event_dup_arg            (PaddockEvent     *self,
                                                    const char       *name);
/* What happened and its arguments (a JSON object), or NULL for an event stored as text. */
const char       *paddock_event_get_args           (PaddockEvent     *self);
gint64            paddock_event_get_id             (PaddockEvent     *self);
gint64            paddock_event_get_connection_id  (PaddockEvent     *self);
guint             paddock_event_get_vmid           (PaddockEvent     *self);
PaddockEventKind  paddock_event_get_kind           (PaddockEvent     *self);
const char       *paddock_event_get_message        (PaddockEvent     *self);
const char       *paddock_event_get_details        (PaddockEvent     *self);
gint64            paddock_event_get_time           (PaddockEvent     *self);
const char       *paddock_event_kind_to_string     (PaddockEventKind  kind);
gboolean          paddock_event_kind_from_string   (const char       *str,
                                                    PaddockEventKind *kind);

/* For the store, which creates events from rows and keeps no text for described ones. */
const char       *_paddock_event_get_stored_message (PaddockEvent    *self);
void              _paddock_event_set_args          (PaddockEvent     *self,
                                                    const char       *args);
void              _paddock_event_set_row           (PaddockEvent     *self,
                                                    gint64            id,
                                                    gint64            time);

G_END_DECLS
