/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-guest-operation.h: one start, shutdown, stop, reboot or delete of a container, done safely
 * (SPEC.md §4): live precheck, the shared lock, task waiting, the shutdown fallback, events */

#pragma once

#include "paddock-cluster.h"
#include "paddock-store.h"

G_BEGIN_DECLS

typedef enum
{
  PADDOCK_OPERATION_START,
  PADDOCK_OPERATION_SHUTDOWN,
  PADDOCK_OPERATION_STOP,
  PADDOCK_OPERATION_REBOOT,
  PADDOCK_OPERATION_DELETE,
} PaddockOperationAction;

/**
 * PaddockOperationOutcome:
 * @PADDOCK_OPERATION_OUTCOME_NONE: not finished, or failed
 * @PADDOCK_OPERATION_OUTCOME_DONE: the action's task ended well
 * @PADDOCK_OPERATION_OUTCOME_GRACEFUL: the container shut down by itself
 * @PADDOCK_OPERATION_OUTCOME_FORCED: the shutdown timed out, so the container was stopped
 * @PADDOCK_OPERATION_OUTCOME_ALREADY_GONE: the container to delete did not exist any more
 */
typedef enum
{
  PADDOCK_OPERATION_OUTCOME_NONE,
  PADDOCK_OPERATION_OUTCOME_DONE,
  PADDOCK_OPERATION_OUTCOME_GRACEFUL,
  PADDOCK_OPERATION_OUTCOME_FORCED,
  PADDOCK_OPERATION_OUTCOME_ALREADY_GONE,
} PaddockOperationOutcome;

const char *paddock_operation_action_to_string   (PaddockOperationAction  action);
gboolean    paddock_operation_action_from_string (const char             *str,
                                                  PaddockOperationAction *action);
/* Why @action does not fit @guest as the list knows it (a template is never started, a backup
 * lock blocks power actions), translated; NULL when it does. */
const char *paddock_operation_refusal            (PaddockOperationAction  action,
                                                  PaddockGuest           *guest);
gboolean    paddock_operation_action_allowed     (PaddockOperationAction  action,
                                                  PaddockGuest           *guest);

#define PADDOCK_TYPE_GUEST_OPERATION (paddock_guest_operation_get_type ())

G_DECLARE_FINAL_TYPE (PaddockGuestOperation, paddock_guest_operation, PADDOCK, GUEST_OPERATION, GObject)

PaddockGuestOperation        *paddock_guest_operation_new                  (PaddockStore           *store,
                                                                 PaddockCluster         *cluster,
                                                                 PaddockGuest           *guest,
                                                                 PaddockOperationAction  action);
PaddockOperationAction   paddock_guest_operation_get_action           (PaddockGuestOperation       *self);
PaddockGuest            *paddock_guest_operation_get_guest            (PaddockGuestOperation       *self);
/* What is happening now ("Waiting for the container to shut down"), for a busy indicator. */
const char              *paddock_guest_operation_get_step             (PaddockGuestOperation       *self);
PaddockOperationOutcome  paddock_guest_operation_get_outcome          (PaddockGuestOperation       *self);
/* The last lines of the failed task's log, or NULL. */
const char              *paddock_guest_operation_get_task_log         (PaddockGuestOperation       *self);
/* How long a shutdown may take before the fallback to stop (SPEC.md §4; default 30 s). */
void                     paddock_guest_operation_set_shutdown_timeout (PaddockGuestOperation       *self,
                                                                 guint                   seconds);
/* How long any other task may take (default 120 s). */
void                     paddock_guest_operation_set_task_timeout     (PaddockGuestOperation       *self,
                                                                 guint                   seconds);
void                     paddock_guest_operation_set_poll_interval    (PaddockGuestOperation       *self,
                                                                 guint                   first_ms,
                                                                 guint                   max_ms);
void                     paddock_guest_operation_run_async            (PaddockGuestOperation       *self,
                                                                 GCancellable           *cancellable,
                                                                 GAsyncReadyCallback     callback,
                                                                 gpointer                user_data);
gboolean                 paddock_guest_operation_run_finish           (PaddockGuestOperation       *self,
                                                                 GAsyncResult           *result,
                                                                 GError                **error);

G_END_DECLS
