/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-guest-operation.c: one start, shutdown, stop, reboot or delete of a container, done safely */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "paddock-event.h"
#include "paddock-guest-private.h"
#include "paddock-guest-operation.h"
#include "paddock-pve-parse-private.h"
#include "paddock-task-watcher.h"

/* SPEC.md §4: a shutdown task gets its timeout plus this before Paddock calls it timed out. */
#define SHUTDOWN_GRACE_SECONDS 15
/* How long the lock outlives the longest wait: after that its owner is taken for dead. */
#define LOCK_MARGIN_SECONDS 60

struct _PaddockGuestOperation
{
  GObject                  parent_instance;

  PaddockStore            *store;
  PaddockCluster          *cluster;
  PaddockGuest            *guest;
  PaddockOperationAction   action;
  guint                    vmid;
  char                    *node;
  char                    *name;

  guint                    shutdown_timeout;
  guint                    task_timeout;
  guint                    poll_first_ms;
  guint                    poll_max_ms;

  char                    *step;
  char                    *task_log;
  char                    *upid;      /* of the last task */
  PaddockOperationOutcome  outcome;
  guint                    started : 1;
  guint                    ha_managed : 1;  /* the HA manager starts and stops it (SPEC.md §4) */
};

G_DEFINE_FINAL_TYPE (PaddockGuestOperation, paddock_guest_operation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STEP,
  PROP_OUTCOME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where a run is: what the task that is awaited was for. */
typedef enum
{
  PHASE_ACTION,        /* the requested action itself */
  PHASE_FORCED_STOP,   /* a stop after a shutdown timed out */
  PHASE_STOP_FIRST,    /* a stop before deleting a running container */
  PHASE_DELETE,
  PHASE_HA_WAIT,       /* the HA task ended; the container's state follows later */
} Phase;

typedef struct
{
  GCancellable       *cancellable;
  PaddockTaskWatcher *watcher;
  GError             *error;       /* set once the run has failed */
  gint64              ha_deadline; /* monotonic time the HA manager has to act */
  guint               ha_delay_ms;
  Phase               phase;
  guint               lock_held : 1;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->cancellable);
  g_clear_object (&run->watcher);
  g_clear_error (&run->error);
  g_free (run);
}

static const char *action_names[] = { "start", "shutdown", "stop", "reboot", "delete" };

const char *
paddock_operation_action_to_string (PaddockOperationAction action)
{
  g_return_val_if_fail (action <= PADDOCK_OPERATION_DELETE, NULL);

  return action_names[action];
}

gboolean
paddock_operation_action_from_string (const char             *str,
                                      PaddockOperationAction *action)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (action_names); i++)
    if (g_str_equal (str, action_names[i]))
      {
        *action = i;
        return TRUE;
      }

  return FALSE;
}

/* The rules of SPEC.md §4 on what is known of a container. */
static const char *
refusal (PaddockOperationAction  action,
         PaddockGuestState       state,
         gboolean                template,
         const char             *lock)
{
  switch (action)
    {
    case PADDOCK_OPERATION_START:
      if (template)
        return _("Templates cannot be started");
      if (state == PADDOCK_GUEST_STATE_RUNNING)
        return _("It is already running");
      if (state != PADDOCK_GUEST_STATE_STOPPED)
        return _("Its state is not known");
      break;
    case PADDOCK_OPERATION_SHUTDOWN:
    case PADDOCK_OPERATION_STOP:
    case PADDOCK_OPERATION_REBOOT:
      if (state != PADDOCK_GUEST_STATE_RUNNING)
        return _("It is not running");
      break;
    case PADDOCK_OPERATION_DELETE:
      return NULL;
    default:
      g_return_val_if_reached (NULL);
    }

  /* A backup holds its lock for its whole run, and Proxmox's tasks check it. */
  if (g_strcmp0 (lock, "backup") == 0)
    return _("A backup is running: Proxmox refuses power actions until it ends");

  return NULL;
}

const char *
paddock_operation_refusal (PaddockOperationAction  action,
                           PaddockGuest           *guest)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST (guest), NULL);

  return refusal (action, paddock_guest_get_state (guest), paddock_guest_get_template (guest),
                  paddock_guest_get_lock (guest));
}

gboolean
paddock_operation_action_allowed (PaddockOperationAction  action,
                                  PaddockGuest           *guest)
{
  return paddock_operation_refusal (action, guest) == NULL;
}

static void
set_step (PaddockGuestOperation *self,
          const char       *step)
{
  if (g_strcmp0 (self->step, step) == 0)
    return;

  g_free (self->step);
  self->step = g_strdup (step);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

/* The event of the outcome, worded when shown (paddock-event.c). */
static PaddockEvent *
success_event (PaddockGuestOperation *self,
               const char            *details)
{
  static const char *outcomes[] = {
    [PADDOCK_OPERATION_OUTCOME_NONE] = NULL,
    [PADDOCK_OPERATION_OUTCOME_DONE] = NULL,
    [PADDOCK_OPERATION_OUTCOME_GRACEFUL] = "graceful",
    [PADDOCK_OPERATION_OUTCOME_FORCED] = "forced",
    [PADDOCK_OPERATION_OUTCOME_ALREADY_GONE] = "already-gone",
  };
  g_autofree char *timeout = g_strdup_printf ("%u", self->shutdown_timeout);

  return paddock_event_new_described (paddock_cluster_get_connection_id (self->cluster), self->vmid,
                                      PADDOCK_EVENT_ACTION_SUCCEEDED, details, "action-done",
                                      "action", action_names[self->action],
                                      "outcome", outcomes[self->outcome],
                                      "timeout", timeout, NULL);
}

/* Event details are a JSON document: the task and its last log lines. */
static char *
details_json (const char *upid,
              const char *log)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (upid == NULL && (log == NULL || *log == '\0'))
    return NULL;

  json_builder_begin_object (builder);
  if (upid != NULL)
    {
      json_builder_set_member_name (builder, "upid");
      json_builder_add_string_value (builder, upid);
    }
  if (log != NULL && *log != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (log, "\n", -1);

      json_builder_set_member_name (builder, "task_log");
      json_builder_begin_array (builder);
      for (guint i = 0; lines[i] != NULL; i++)
        json_builder_add_string_value (builder, lines[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
add_event (PaddockGuestOperation *self,
           PaddockEvent          *event,
           GAsyncReadyCallback    callback,
           gpointer               user_data)
{
  paddock_store_add_event_async (self->store, event, NULL, callback, user_data);
  g_object_unref (event);
}

static void
on_started_event_added (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The action goes on: a timeline that misses a line is no reason to leave a container alone. */
  if (!paddock_store_add_event_finish (PADDOCK_STORE (object), result, &error))
    g_warning ("Could not record an event: %s", error->message);
}

/* Ending: the final event, then the lock, then the caller */

static void
on_lock_released (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!paddock_store_release_lock_finish (PADDOCK_STORE (object), result, &error))
    g_warning ("Could not release the lock of CT %u: %s", self->vmid, error->message);

  _paddock_guest_set_busy (self->guest, FALSE);
  set_step (self, NULL);

  if (run->error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->error));
  else
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
      g_task_return_boolean (task, TRUE);
    }
}

static void
on_final_event_added (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockGuestOperation *self = g_task_get_source_object (task);

  on_started_event_added (object, result, NULL);
  paddock_store_release_lock_async (self->store, paddock_cluster_get_connection_id (self->cluster), self->vmid, NULL,
                                    on_lock_released, g_steal_pointer (&task));
}

static void
finish (GTask  *task,
        GError *error)
{
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->error = error;
  if (!run->lock_held)
    {
      /* Nothing was done: no event, no lock to give back. */
      _paddock_guest_set_busy (self->guest, FALSE);
      set_step (self, NULL);
      g_task_return_error (task, g_steal_pointer (&run->error));
      g_object_unref (task);
      return;
    }

  set_step (self, "Recording the result");
  if (error == NULL)
    {
      g_autofree char *details = details_json (self->upid, NULL);

      add_event (self, success_event (self, details), on_final_event_added, task);
    }
  else
    {
      g_autofree char *details = details_json (self->upid, self->task_log);

      add_event (self, paddock_event_new_described (paddock_cluster_get_connection_id (self->cluster), self->vmid,
                                                    PADDOCK_EVENT_ACTION_FAILED, details, "action-failed",
                                                    "action", action_names[self->action],
                                                    "error", error->message, NULL),
                 on_final_event_added, task);
    }
}

/* Tasks */

static void wait_for_task (GTask *task, const char *upid, guint timeout_seconds);
static void request_delete (GTask *task);
static void wait_for_ha (GTask *task);
static void on_forced_stop_requested (GObject *object, GAsyncResult *result, gpointer user_data);

/* A shutdown that ran out of time: Paddock's wait ended, or Proxmox's lxc-stop gave up. */
static gboolean
is_shutdown_timeout (GError *error)
{
  if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT))
    return TRUE;

  return g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED) &&
         strstr (error->message, "lxc-stop") != NULL && strstr (error->message, "--timeout") != NULL;
}

static void
on_task_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(PaddockTaskInfo) info = NULL;
  GError *error = NULL;

  info = paddock_task_watcher_wait_finish (PADDOCK_TASK_WATCHER (object), result, &error);

  /* No forced fallback for an HA resource: the HA manager would start it again, and Proxmox
   * refuses overrule-shutdown for it. */
  if (info == NULL && run->phase == PHASE_ACTION && self->action == PADDOCK_OPERATION_SHUTDOWN &&
      !self->ha_managed && is_shutdown_timeout (error) && !g_cancellable_is_cancelled (run->cancellable))
    {
      g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();
      g_autofree char *id = g_strdup_printf ("%u", self->vmid);
      g_autofree char *path = paddock_pve_path ("nodes", self->node, "lxc", id, "status", "stop", NULL);
      g_autofree char *log = paddock_task_watcher_dup_last_lines (run->watcher, 10);
      g_autofree char *timeout = g_strdup_printf ("%u", self->shutdown_timeout);

      g_autofree char *details = details_json (self->upid, log);

      add_event (self, paddock_event_new_described (paddock_cluster_get_connection_id (self->cluster), self->vmid,
                                                    PADDOCK_EVENT_ACTION_STARTED, details, "shutdown-timed-out",
                                                    "timeout", timeout, NULL),
                 on_started_event_added, NULL);
      g_clear_error (&error);

      /* The shutdown task may still be waiting on the node: the stop ends it first. */
      run->phase = PHASE_FORCED_STOP;
      set_step (self, "Stopping the container (the shutdown timed out)");
      paddock_pve_params_add_bool (params, "overrule-shutdown", TRUE);
      paddock_pve_client_call_async (paddock_cluster_get_client (self->cluster), "POST", path, params,
                                     run->cancellable, on_forced_stop_requested, task);
      return;
    }

  if (info == NULL)
    {
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED))
        {
          /* The message is the exit status; the log lines travel separately for the details. */
          char *newline = strchr (error->message, '\n');

          if (newline != NULL)
            *newline = '\0';
        }
      g_free (self->task_log);
      self->task_log = paddock_task_watcher_dup_last_lines (run->watcher, 10);
      if (*self->task_log == '\0')
        g_clear_pointer (&self->task_log, g_free);
      finish (task, error);
      return;
    }

  switch (run->phase)
    {
    case PHASE_STOP_FIRST:
      if (self->ha_managed)
        wait_for_ha (task);
      else
        request_delete (task);
      return;

    case PHASE_FORCED_STOP:
      self->outcome = PADDOCK_OPERATION_OUTCOME_FORCED;
      break;

    case PHASE_ACTION:
      if (self->ha_managed && self->action != PADDOCK_OPERATION_REBOOT)
        {
          wait_for_ha (task);
          return;
        }
      G_GNUC_FALLTHROUGH;
    case PHASE_DELETE:
    case PHASE_HA_WAIT:
    default:
      self->outcome = self->action == PADDOCK_OPERATION_SHUTDOWN ? PADDOCK_OPERATION_OUTCOME_GRACEFUL
                                                                 : PADDOCK_OPERATION_OUTCOME_DONE;
      break;
    }

  finish (task, NULL);
}

static void
wait_for_task (GTask      *task,
               const char *upid,
               guint       timeout_seconds)
{
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  g_free (self->upid);
  self->upid = g_strdup (upid);
  g_clear_object (&run->watcher);
  if (!(run->watcher = paddock_task_watcher_new (paddock_cluster_get_client (self->cluster), upid, &error)))
    {
      finish (task, error);
      return;
    }

  paddock_task_watcher_set_poll_interval (run->watcher, self->poll_first_ms, self->poll_max_ms);
  paddock_task_watcher_wait_async (run->watcher, timeout_seconds, run->cancellable, on_task_done, task);
}

static void
on_forced_stop_requested (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GTask *task = user_data;
  PaddockGuestOperation *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;

  data = paddock_pve_client_call_finish (PADDOCK_PVE_CLIENT (object), result, NULL, &error);
  if (data == NULL)
    {
      finish (task, error);
      return;
    }

  if (JSON_NODE_HOLDS_VALUE (data) && json_node_get_value_type (data) == G_TYPE_STRING)
    wait_for_task (task, json_node_get_string (data), self->task_timeout);
  else
    finish (task, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                               "The stop request of CT %u did not return a task", self->vmid));
}

static void
on_action_requested (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *upid = NULL;
  GError *error = NULL;
  guint timeout;

  if (run->phase == PHASE_DELETE)
    upid = paddock_pve_client_delete_guest_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  else
    upid = paddock_pve_client_guest_action_finish (PADDOCK_PVE_CLIENT (object), result, &error);

  if (upid == NULL)
    {
      /* SPEC.md §4: deleting what does not exist is what the user wanted. */
      if (run->phase == PHASE_DELETE && g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          self->outcome = PADDOCK_OPERATION_OUTCOME_ALREADY_GONE;
        }
      finish (task, error);
      return;
    }

  timeout = run->phase == PHASE_ACTION && self->action == PADDOCK_OPERATION_SHUTDOWN
            ? self->shutdown_timeout + SHUTDOWN_GRACE_SECONDS
            : self->task_timeout;
  wait_for_task (task, upid, timeout);
}

static void
request_action (GTask              *task,
                PaddockGuestAction  action,
                Phase               phase)
{
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  static const char *steps[] = {
    [PADDOCK_GUEST_ACTION_START] = "Starting",
    [PADDOCK_GUEST_ACTION_STOP] = "Stopping",
    [PADDOCK_GUEST_ACTION_SHUTDOWN] = "Waiting for the container to shut down",
    [PADDOCK_GUEST_ACTION_REBOOT] = "Rebooting",
  };

  run->phase = phase;
  set_step (self, phase == PHASE_STOP_FIRST ? "Stopping before deleting" : steps[action]);
  paddock_pve_client_guest_action_async (paddock_cluster_get_client (self->cluster), self->node, self->vmid, action,
                                         action == PADDOCK_GUEST_ACTION_SHUTDOWN ? self->shutdown_timeout : 0,
                                         run->cancellable, on_action_requested, task);
}

static void
request_delete (GTask *task)
{
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->phase = PHASE_DELETE;
  set_step (self, "Deleting");
  paddock_pve_client_delete_guest_async (paddock_cluster_get_client (self->cluster), self->node, self->vmid,
                                         TRUE, TRUE, run->cancellable, on_action_requested, task);
}

/* status/current's "ha": {"managed": 1, "state": "started", "group": …} */
static gboolean
ha_managed (JsonObject *status)
{
  JsonNode *ha = json_object_get_member (status, "ha");

  return ha != NULL && JSON_NODE_HOLDS_OBJECT (ha) &&
         paddock_json_get_bool (json_node_get_object (ha), "managed", FALSE);
}

static const char *
ha_state (JsonObject *status)
{
  JsonNode *ha = json_object_get_member (status, "ha");

  return ha != NULL && JSON_NODE_HOLDS_OBJECT (ha) ? paddock_json_get_string (json_node_get_object (ha), "state")
                                                   : NULL;
}

/* HA: the hastart/hastop task ends once the HA manager took the request; the container follows
 * when the manager acts (seconds later, or never). Success is the state, not the task. */
static void poll_ha_state (GTask *task);

static const char *
wanted_state (PaddockGuestOperation *self)
{
  return self->action == PADDOCK_OPERATION_START ? "running" : "stopped";
}

static void
on_ha_status (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonObject) status = NULL;
  const char *state;
  const char *manager_state;
  GError *error = NULL;

  status = paddock_pve_client_get_guest_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (status == NULL)
    {
      finish (task, error);
      return;
    }

  state = paddock_json_get_string (status, "status");
  manager_state = ha_state (status);
  if (g_strcmp0 (state, wanted_state (self)) == 0 && self->action == PADDOCK_OPERATION_DELETE)
    {
      request_delete (task);
      return;
    }
  if (g_strcmp0 (state, wanted_state (self)) == 0)
    {
      self->outcome = self->action == PADDOCK_OPERATION_SHUTDOWN ? PADDOCK_OPERATION_OUTCOME_GRACEFUL
                                                                 : PADDOCK_OPERATION_OUTCOME_DONE;
      finish (task, NULL);
      return;
    }

  if (g_strcmp0 (manager_state, "error") == 0 || g_get_monotonic_time () >= run->ha_deadline)
    {
      g_autofree char *safe_state = paddock_text_make_safe (state ? state : "unknown");
      g_autofree char *safe_manager = paddock_text_make_safe (manager_state ? manager_state : "unknown");

      finish (task, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT,
                                 g_strcmp0 (manager_state, "error") == 0
                                 ? "The HA manager reports an error for %s (CT %u); it is still %s (HA state: %s). "
                                   "Clear the error in Proxmox (Datacenter → HA) and try again"
                                 : "The HA manager took the request, but %s (CT %u) is still %s (HA state: %s)",
                                 self->name, self->vmid, safe_state, safe_manager));
      return;
    }

  run->ha_delay_ms = MIN (run->ha_delay_ms * 2, self->poll_max_ms);
  g_timeout_add_once (run->ha_delay_ms, (GSourceOnceFunc) poll_ha_state, task);
}

static void
poll_ha_state (GTask *task)
{
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      finish (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
      return;
    }

  paddock_pve_client_get_guest_status_async (paddock_cluster_get_client (self->cluster), self->node, self->vmid,
                                             run->cancellable, on_ha_status, task);
}

static void
wait_for_ha (GTask *task)
{
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  guint seconds = self->action == PADDOCK_OPERATION_SHUTDOWN ? self->shutdown_timeout + SHUTDOWN_GRACE_SECONDS
                                                             : self->task_timeout;

  run->phase = PHASE_HA_WAIT;
  run->ha_deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  run->ha_delay_ms = MAX (self->poll_first_ms / 2, 1);
  set_step (self, self->action == PADDOCK_OPERATION_START ? "Waiting for the HA manager to start it"
                                                          : "Waiting for the HA manager to stop it");
  poll_ha_state (task);
}

/* The live precheck: the list may be seconds old, the container's state is asked now. */
static void
on_status (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PaddockGuestOperation *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) status = NULL;
  const char *state;
  GError *error = NULL;

  status = paddock_pve_client_get_guest_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (status == NULL)
    {
      if (self->action == PADDOCK_OPERATION_DELETE &&
          g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          self->outcome = PADDOCK_OPERATION_OUTCOME_ALREADY_GONE;
        }
      finish (task, error);
      return;
    }

  state = json_object_get_string_member_with_default (status, "status", NULL);
  self->ha_managed = ha_managed (status);
  if (refusal (self->action, paddock_guest_state_from_string (state), FALSE, NULL) != NULL)
    {
      gboolean running = g_strcmp0 (state, "running") == 0;

      finish (task, g_error_new (PADDOCK_PVE_ERROR,
                                 running ? PADDOCK_PVE_ERROR_ALREADY_RUNNING : PADDOCK_PVE_ERROR_NOT_RUNNING,
                                 "%s (CT %u) is %s", self->name, self->vmid,
                                 running ? "already running" : state ? state : "in an unknown state"));
      return;
    }
  if (paddock_json_get_bool (status, "template", FALSE) || paddock_guest_get_template (self->guest))
    {
      if (self->action == PADDOCK_OPERATION_START)
        {
          finish (task, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_RUNNING,
                                     "%s (CT %u) is a template: templates cannot be started", self->name, self->vmid));
          return;
        }
    }
  {
    const char *lock = paddock_json_get_string (status, "lock");

    if (self->action != PADDOCK_OPERATION_DELETE && g_strcmp0 (lock, "backup") == 0)
      {
        finish (task, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_LOCKED,
                                   "%s (CT %u) is locked by a running backup: Proxmox refuses power actions "
                                   "until it ends", self->name, self->vmid));
        return;
      }
  }

  switch (self->action)
    {
    case PADDOCK_OPERATION_START:
      request_action (task, PADDOCK_GUEST_ACTION_START, PHASE_ACTION);
      break;
    case PADDOCK_OPERATION_SHUTDOWN:
      request_action (task, PADDOCK_GUEST_ACTION_SHUTDOWN, PHASE_ACTION);
      break;
    case PADDOCK_OPERATION_STOP:
      request_action (task, PADDOCK_GUEST_ACTION_STOP, PHASE_ACTION);
      break;
    case PADDOCK_OPERATION_REBOOT:
      request_action (task, PADDOCK_GUEST_ACTION_REBOOT, PHASE_ACTION);
      break;
    case PADDOCK_OPERATION_DELETE:
    default:
      if (g_strcmp0 (state, "running") == 0)
        request_action (task, PADDOCK_GUEST_ACTION_STOP, PHASE_STOP_FIRST);
      else
        request_delete (task);
      break;
    }
}

static void
on_locked (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PaddockGuestOperation *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (!paddock_store_acquire_lock_finish (PADDOCK_STORE (object), result, &error))
    {
      finish (task, error);
      return;
    }

  run->lock_held = TRUE;
  add_event (self, paddock_event_new_described (paddock_cluster_get_connection_id (self->cluster), self->vmid,
                                                PADDOCK_EVENT_ACTION_STARTED, NULL, "action-requested",
                                                "action", action_names[self->action], NULL),
             on_started_event_added, NULL);

  set_step (self, "Checking the container's state");
  paddock_pve_client_get_guest_status_async (paddock_cluster_get_client (self->cluster), self->node, self->vmid,
                                             run->cancellable, on_status, task);
}

/* GObject */

static void
paddock_guest_operation_dispose (GObject *object)
{
  PaddockGuestOperation *self = PADDOCK_GUEST_OPERATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cluster);
  g_clear_object (&self->guest);

  G_OBJECT_CLASS (paddock_guest_operation_parent_class)->dispose (object);
}

static void
paddock_guest_operation_finalize (GObject *object)
{
  PaddockGuestOperation *self = PADDOCK_GUEST_OPERATION (object);

  g_free (self->node);
  g_free (self->name);
  g_free (self->step);
  g_free (self->task_log);
  g_free (self->upid);

  G_OBJECT_CLASS (paddock_guest_operation_parent_class)->finalize (object);
}

static void
paddock_guest_operation_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PaddockGuestOperation *self = PADDOCK_GUEST_OPERATION (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_string (value, self->step);
      break;

    case PROP_OUTCOME:
      g_value_set_int (value, self->outcome);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_guest_operation_class_init (PaddockGuestOperationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_guest_operation_dispose;
  object_class->finalize = paddock_guest_operation_finalize;
  object_class->get_property = paddock_guest_operation_get_property;

  properties[PROP_STEP] =
    g_param_spec_string ("step", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL, PADDOCK_OPERATION_OUTCOME_NONE, PADDOCK_OPERATION_OUTCOME_ALREADY_GONE,
                      PADDOCK_OPERATION_OUTCOME_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_guest_operation_init (PaddockGuestOperation *self)
{
  self->shutdown_timeout = 30;
  self->task_timeout = 120;
  self->poll_first_ms = 300;
  self->poll_max_ms = 2000;
}

/**
 * paddock_guest_operation_new:
 * @guest: the container; its node and name are taken now
 *
 * Returns: (transfer full): an action ready to run once
 */
PaddockGuestOperation *
paddock_guest_operation_new (PaddockStore           *store,
                       PaddockCluster         *cluster,
                       PaddockGuest           *guest,
                       PaddockOperationAction  action)
{
  PaddockGuestOperation *self;

  g_return_val_if_fail (PADDOCK_IS_STORE (store), NULL);
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (cluster), NULL);
  g_return_val_if_fail (PADDOCK_IS_GUEST (guest), NULL);
  g_return_val_if_fail (action <= PADDOCK_OPERATION_DELETE, NULL);

  self = g_object_new (PADDOCK_TYPE_GUEST_OPERATION, NULL);
  self->store = g_object_ref (store);
  self->cluster = g_object_ref (cluster);
  self->guest = g_object_ref (guest);
  self->action = action;
  self->vmid = paddock_guest_get_vmid (guest);
  self->node = g_strdup (paddock_guest_get_node (guest));
  self->name = paddock_guest_dup_display_name (guest);

  return self;
}

PaddockOperationAction
paddock_guest_operation_get_action (PaddockGuestOperation *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_OPERATION (self), PADDOCK_OPERATION_START);

  return self->action;
}

PaddockGuest *
paddock_guest_operation_get_guest (PaddockGuestOperation *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_OPERATION (self), NULL);

  return self->guest;
}

const char *
paddock_guest_operation_get_step (PaddockGuestOperation *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_OPERATION (self), NULL);

  return self->step;
}

PaddockOperationOutcome
paddock_guest_operation_get_outcome (PaddockGuestOperation *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_OPERATION (self), PADDOCK_OPERATION_OUTCOME_NONE);

  return self->outcome;
}

const char *
paddock_guest_operation_get_task_log (PaddockGuestOperation *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_OPERATION (self), NULL);

  return self->task_log;
}

void
paddock_guest_operation_set_shutdown_timeout (PaddockGuestOperation *self,
                                        guint             seconds)
{
  g_return_if_fail (PADDOCK_IS_GUEST_OPERATION (self));
  g_return_if_fail (seconds > 0);

  self->shutdown_timeout = seconds;
}

void
paddock_guest_operation_set_task_timeout (PaddockGuestOperation *self,
                                    guint             seconds)
{
  g_return_if_fail (PADDOCK_IS_GUEST_OPERATION (self));
  g_return_if_fail (seconds > 0);

  self->task_timeout = seconds;
}

void
paddock_guest_operation_set_poll_interval (PaddockGuestOperation *self,
                                     guint             first_ms,
                                     guint             max_ms)
{
  g_return_if_fail (PADDOCK_IS_GUEST_OPERATION (self));

  self->poll_first_ms = first_ms;
  self->poll_max_ms = MAX (first_ms, max_ms);
}

/**
 * paddock_guest_operation_run_async:
 *
 * Takes the container's lock (shared by every Paddock process), checks its live state, runs the
 * action and waits for its task; a shutdown that times out is followed by a stop. Every run
 * that got the lock leaves an event for its start and one for its end, and gives the lock back.
 * The guest is "busy" meanwhile. Fails with %PADDOCK_STORE_ERROR_LOCKED when another operation
 * holds the lock, with the Proxmox error otherwise.
 */
void
paddock_guest_operation_run_async (PaddockGuestOperation    *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Run *run;
  guint longest;

  g_return_if_fail (PADDOCK_IS_GUEST_OPERATION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_guest_operation_run_async);

  if (self->started)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "The action on %s was already run", self->name);
      g_object_unref (task);
      return;
    }
  self->started = TRUE;

  /* Without quorum Proxmox refuses every change: said before anything is asked of it. */
  if (!paddock_cluster_get_quorate (self->cluster))
    {
      const char *offline = paddock_cluster_get_offline_nodes (self->cluster);

      g_task_return_new_error (task, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_SERVER,
                               "The cluster has no quorum (offline: %s), so Proxmox refuses every change, "
                               "%s (CT %u) included, until enough nodes are back (cluster not ready - no quorum?)",
                               offline ? offline : "unknown", self->name, self->vmid);
      g_object_unref (task);
      return;
    }

  run = g_new0 (Run, 1);
  /* The lock and the final event must be dealt with even after a cancel: only the waits stop. */
  run->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  g_task_set_check_cancellable (task, FALSE);

  _paddock_guest_set_busy (self->guest, TRUE);
  set_step (self, "Waiting for the lock");

  longest = self->shutdown_timeout + SHUTDOWN_GRACE_SECONDS + 2 * self->task_timeout;
  paddock_store_acquire_lock_async (self->store, paddock_cluster_get_connection_id (self->cluster), self->vmid,
                                    self->name, action_names[self->action], longest + LOCK_MARGIN_SECONDS,
                                    NULL, on_locked, task);
}

gboolean
paddock_guest_operation_run_finish (PaddockGuestOperation  *self,
                              GAsyncResult      *result,
                              GError           **error)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_OPERATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
