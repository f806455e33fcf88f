/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-guest-operation.c: start, shutdown (with its fallback), stop, reboot and delete against
 * the lab, with the shared lock and the events they leave in a real SQLite store */

#include "config.h"

#include "paddock-core.h"
#include "paddock-test-lab.h"
#include "paddock-test-util.h"

typedef struct
{
  PaddockStore   *store;
  PaddockCluster *cluster;
  gint64          connection_id;
} Fixture;

static guint16
lab_port (void)
{
  const char *url = paddock_test_lab_get ("PVE_URL");

  return (guint16) atoi (strrchr (url, ':') + 1);
}

static PaddockCluster *
new_cluster (PaddockStore *store,
             gint64        connection_id,
             const char   *token_var)
{
  g_autoptr(PaddockPveClient) client = paddock_pve_client_new ("127.0.0.1", lab_port (), PADDOCK_TRUST_STORE (store));
  const char *token = paddock_test_lab_get (token_var);
  const char *eq = strrchr (token, '=');
  g_autofree char *id = g_strndup (token, eq - token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockCluster *cluster;

  paddock_pve_client_set_token (client, id, eq + 1);
  paddock_pve_client_set_retry_delay (client, 50);
  cluster = paddock_cluster_new (client, connection_id);

  paddock_cluster_refresh_async (cluster, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_cluster_refresh_finish (cluster, paddock_test_wait (&result), &error));
  g_assert_no_error (error);

  return cluster;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dir = paddock_test_make_dir (NULL);
  g_autofree char *path = g_build_filename (dir, "paddock.db", NULL);
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (paddock_test_lab == NULL)
    return;

  paddock_store_open_async (path, NULL, PADDOCK_TEST_ASYNC (result));
  fixture->store = paddock_store_open_finish (paddock_test_wait (&result), &error);
  g_assert_no_error (error);

  connection = paddock_connection_new ("lab", "127.0.0.1", lab_port (), PADDOCK_AUTH_TOKEN, "root@pam", "root@pam!paddock");
  g_clear_object (&result);
  paddock_store_add_connection_async (fixture->store, connection, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_add_connection_finish (fixture->store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  fixture->connection_id = paddock_connection_get_id (connection);

  paddock_trust_store_set_pin (PADDOCK_TRUST_STORE (fixture->store), "127.0.0.1", lab_port (),
                               paddock_test_lab_get ("PVE_FINGERPRINT"), NULL);
  fixture->cluster = new_cluster (fixture->store, fixture->connection_id, "PVE_TOKEN");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (paddock_test_lab_control ("reset", NULL, NULL));
  g_clear_object (&fixture->cluster);
  g_clear_object (&fixture->store);
}

static void
refresh (PaddockCluster *cluster)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  paddock_cluster_refresh_async (cluster, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_cluster_refresh_finish (cluster, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
}

static const char *
status_of (Fixture *fixture,
           guint    vmid)
{
  PaddockGuest *guest;

  refresh (fixture->cluster);
  guest = paddock_cluster_lookup (fixture->cluster, vmid);
  return guest ? paddock_guest_get_status (guest) : "gone";
}

static void
on_busy (PaddockGuest *guest,
         GParamSpec   *pspec,
         guint        *busy_seen)
{
  if (paddock_guest_get_busy (guest))
    (*busy_seen)++;
}

/* Runs @action on @vmid to its end; the operation is returned for its outcome and log. */
static PaddockGuestOperation *
run (Fixture                *fixture,
     PaddockCluster         *cluster,
     guint                   vmid,
     PaddockOperationAction  action,
     guint                   shutdown_timeout,
     GError                **error)
{
  PaddockGuest *guest = paddock_cluster_lookup (cluster, vmid);
  g_autoptr(GAsyncResult) result = NULL;
  PaddockGuestOperation *operation;
  guint busy_seen = 0;
  gulong handler;

  g_assert_nonnull (guest);
  operation = paddock_guest_operation_new (fixture->store, cluster, guest, action);
  paddock_guest_operation_set_poll_interval (operation, 50, 200);
  if (shutdown_timeout > 0)
    paddock_guest_operation_set_shutdown_timeout (operation, shutdown_timeout);

  handler = g_signal_connect (guest, "notify::busy", G_CALLBACK (on_busy), &busy_seen);
  paddock_guest_operation_run_async (operation, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_guest_get_busy (guest));
  paddock_guest_operation_run_finish (operation, paddock_test_wait (&result), error);
  g_signal_handler_disconnect (guest, handler);

  /* Busy while it ran, free again afterwards, whatever happened. */
  g_assert_cmpuint (busy_seen, ==, 1);
  g_assert_false (paddock_guest_get_busy (guest));
  g_assert_null (paddock_guest_operation_get_step (operation));

  return operation;
}

static GPtrArray *
events_of (Fixture *fixture,
           guint    vmid)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *events;

  paddock_store_list_events_async (fixture->store, fixture->connection_id, vmid, 100, NULL, PADDOCK_TEST_ASYNC (result));
  events = paddock_store_list_events_finish (fixture->store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);

  return events;
}

/* Events newest first: the last one must be @kind with @message_part in its message. */
static PaddockEvent *
assert_last_event (Fixture          *fixture,
                   guint             vmid,
                   PaddockEventKind  kind,
                   const char       *message_part)
{
  g_autoptr(GPtrArray) events = events_of (fixture, vmid);
  PaddockEvent *last;

  g_assert_cmpuint (events->len, >=, 2);
  last = g_ptr_array_index (events, 0);
  g_assert_cmpstr (paddock_event_kind_to_string (paddock_event_get_kind (last)), ==,
                   paddock_event_kind_to_string (kind));
  if (strstr (paddock_event_get_message (last), message_part) == NULL)
    g_error ("event “%s” does not say “%s”", paddock_event_get_message (last), message_part);

  return g_object_ref (last);
}

static void
assert_lock_free (Fixture *fixture,
                  guint    vmid)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  paddock_store_acquire_lock_async (fixture->store, fixture->connection_id, vmid, "probe", "test", 10, NULL,
                                    PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_acquire_lock_finish (fixture->store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  paddock_store_release_lock_async (fixture->store, fixture->connection_id, vmid, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_release_lock_finish (fixture->store, paddock_test_wait (&result), &error));
}

/* Tests */

static void
test_start_stop_reboot (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PaddockGuestOperation) start = NULL;
  g_autoptr(PaddockGuestOperation) reboot = NULL;
  g_autoptr(PaddockGuestOperation) stop = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  g_assert_cmpstr (status_of (fixture, 112), ==, "stopped");
  start = run (fixture, fixture->cluster, 112, PADDOCK_OPERATION_START, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (paddock_guest_operation_get_outcome (start), ==, PADDOCK_OPERATION_OUTCOME_DONE);
  g_assert_cmpstr (status_of (fixture, 112), ==, "running");

  /* One event when it began, one when it ended, with the task in the details. */
  events = events_of (fixture, 112);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (paddock_event_get_kind (g_ptr_array_index (events, 1)), ==, PADDOCK_EVENT_ACTION_STARTED);
  event = assert_last_event (fixture, 112, PADDOCK_EVENT_ACTION_SUCCEEDED, "Started");
  g_assert_nonnull (strstr (paddock_event_get_details (event), "\"upid\":\"UPID:pve2:"));
  assert_lock_free (fixture, 112);

  reboot = run (fixture, fixture->cluster, 112, PADDOCK_OPERATION_REBOOT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status_of (fixture, 112), ==, "running");
  g_clear_object (&event);
  event = assert_last_event (fixture, 112, PADDOCK_EVENT_ACTION_SUCCEEDED, "Rebooted");

  stop = run (fixture, fixture->cluster, 112, PADDOCK_OPERATION_STOP, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status_of (fixture, 112), ==, "stopped");
  g_clear_object (&event);
  event = assert_last_event (fixture, 112, PADDOCK_EVENT_ACTION_SUCCEEDED, "Stopped");
}

static void
test_shutdown_graceful_and_forced (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(PaddockGuestOperation) graceful = NULL;
  g_autoptr(PaddockGuestOperation) forced = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saw_timeout_event = FALSE;

  if (!paddock_test_lab_required ())
    return;

  graceful = run (fixture, fixture->cluster, 103, PADDOCK_OPERATION_SHUTDOWN, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (paddock_guest_operation_get_outcome (graceful), ==, PADDOCK_OPERATION_OUTCOME_GRACEFUL);
  g_assert_cmpstr (status_of (fixture, 103), ==, "stopped");
  event = assert_last_event (fixture, 103, PADDOCK_EVENT_ACTION_SUCCEEDED, "graceful");

  /* A container that ignores the shutdown: after the timeout it is stopped, and it says so. */
  g_free (paddock_test_lab_control ("ignore-shutdown", "104", NULL));
  forced = run (fixture, fixture->cluster, 104, PADDOCK_OPERATION_SHUTDOWN, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (paddock_guest_operation_get_outcome (forced), ==, PADDOCK_OPERATION_OUTCOME_FORCED);
  g_assert_cmpstr (status_of (fixture, 104), ==, "stopped");
  g_clear_object (&event);
  event = assert_last_event (fixture, 104, PADDOCK_EVENT_ACTION_SUCCEEDED, "forced");

  events = events_of (fixture, 104);
  for (guint i = 0; i < events->len; i++)
    {
      PaddockEvent *e = g_ptr_array_index (events, i);

      if (strstr (paddock_event_get_message (e), "did not finish within 2 s") != NULL)
        {
          saw_timeout_event = TRUE;
          g_assert_nonnull (strstr (paddock_event_get_details (e), "lxc-stop -n 104 --nokill --timeout 2"));
        }
    }
  g_assert_true (saw_timeout_event);
}

static void
test_shutdown_failure_is_not_forced (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(PaddockGuestOperation) operation = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  /* Only a timeout leads to a stop: any other failure is reported and the container left alone. */
  g_free (paddock_test_lab_control ("fail-task", "vzshutdown", "shutdown hook failed"));
  operation = run (fixture, fixture->cluster, 105, PADDOCK_OPERATION_SHUTDOWN, 5, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED);
  g_assert_cmpstr (error->message, ==, "shutdown hook failed");
  g_assert_nonnull (paddock_guest_operation_get_task_log (operation));
  g_assert_nonnull (strstr (paddock_guest_operation_get_task_log (operation), "TASK ERROR: shutdown hook failed"));
  g_assert_cmpint (paddock_guest_operation_get_outcome (operation), ==, PADDOCK_OPERATION_OUTCOME_NONE);
  g_assert_cmpstr (status_of (fixture, 105), ==, "running");

  event = assert_last_event (fixture, 105, PADDOCK_EVENT_ACTION_FAILED, "Shutdown failed: shutdown hook failed");
  g_assert_nonnull (strstr (paddock_event_get_details (event), "TASK ERROR: shutdown hook failed"));
  assert_lock_free (fixture, 105);
}

static void
test_precheck (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PaddockGuestOperation) start = NULL;
  g_autoptr(PaddockGuestOperation) stop = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  /* The live state is asked first: the list may be seconds old. */
  start = run (fixture, fixture->cluster, 100, PADDOCK_OPERATION_START, 0, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_ALREADY_RUNNING);
  g_assert_cmpstr (error->message, ==, "gateway (CT 100) is already running");
  event = assert_last_event (fixture, 100, PADDOCK_EVENT_ACTION_FAILED, "already running");
  g_clear_error (&error);

  stop = run (fixture, fixture->cluster, 123, PADDOCK_OPERATION_STOP, 0, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_RUNNING);
  g_assert_cmpstr (error->message, ==, "docs (CT 123) is stopped");

  /* What the list knows decides what is offered: 106 stopped, 100 running, 117 a template,
   * 107 running under a backup lock. */
  g_assert_true (paddock_operation_action_allowed (PADDOCK_OPERATION_START, paddock_cluster_lookup (fixture->cluster, 106)));
  g_assert_false (paddock_operation_action_allowed (PADDOCK_OPERATION_START, paddock_cluster_lookup (fixture->cluster, 100)));
  g_assert_false (paddock_operation_action_allowed (PADDOCK_OPERATION_SHUTDOWN, paddock_cluster_lookup (fixture->cluster, 106)));
  g_assert_true (paddock_operation_action_allowed (PADDOCK_OPERATION_DELETE, paddock_cluster_lookup (fixture->cluster, 100)));
  g_assert_cmpstr (paddock_operation_refusal (PADDOCK_OPERATION_START, paddock_cluster_lookup (fixture->cluster, 117)), ==,
                   "Templates cannot be started");
  g_assert_cmpstr (paddock_operation_refusal (PADDOCK_OPERATION_STOP, paddock_cluster_lookup (fixture->cluster, 107)), ==,
                   "A backup is running: Proxmox refuses power actions until it ends");
  g_assert_null (paddock_operation_refusal (PADDOCK_OPERATION_DELETE, paddock_cluster_lookup (fixture->cluster, 107)));
}

static void
test_lock (Fixture       *fixture,
           gconstpointer  data)
{
  PaddockGuest *guest;
  g_autoptr(PaddockGuestOperation) first = NULL;
  g_autoptr(PaddockGuestOperation) second = NULL;
  g_autoptr(PaddockGuestOperation) refused = NULL;
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  /* Two actions at once on one container: the second is refused, the first goes on. */
  guest = paddock_cluster_lookup (fixture->cluster, 101);
  first = paddock_guest_operation_new (fixture->store, fixture->cluster, guest, PADDOCK_OPERATION_REBOOT);
  second = paddock_guest_operation_new (fixture->store, fixture->cluster, guest, PADDOCK_OPERATION_STOP);
  paddock_guest_operation_run_async (first, NULL, PADDOCK_TEST_ASYNC (first_result));
  paddock_guest_operation_run_async (second, NULL, PADDOCK_TEST_ASYNC (second_result));

  g_assert_false (paddock_guest_operation_run_finish (second, paddock_test_wait (&second_result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "Another operation is in progress on nextcloud"));
  g_clear_error (&error);
  g_assert_true (paddock_guest_operation_run_finish (first, paddock_test_wait (&first_result), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (status_of (fixture, 101), ==, "running");

  /* A lock held by another process (the CLI, another window) refuses too, and leaves no event. */
  paddock_store_acquire_lock_async (fixture->store, fixture->connection_id, 102, "postgres", "backup", 60, NULL,
                                    PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_acquire_lock_finish (fixture->store, paddock_test_wait (&result), &error));
  refused = run (fixture, fixture->cluster, 102, PADDOCK_OPERATION_STOP, 0, &error);
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_LOCKED);
  events = events_of (fixture, 102);
  g_assert_cmpuint (events->len, ==, 0);
  g_assert_cmpstr (status_of (fixture, 102), ==, "running");
  g_clear_object (&result);
  paddock_store_release_lock_async (fixture->store, fixture->connection_id, 102, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_release_lock_finish (fixture->store, paddock_test_wait (&result), NULL));
}

static void
test_task_failure_and_permission (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(PaddockGuestOperation) failed = NULL;
  g_autoptr(PaddockGuestOperation) refused = NULL;
  g_autoptr(PaddockCluster) readonly = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  g_free (paddock_test_lab_control ("fail-task", "vzstart", "startup for container '116' failed"));
  failed = run (fixture, fixture->cluster, 116, PADDOCK_OPERATION_START, 0, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED);
  g_assert_cmpstr (error->message, ==, "startup for container '116' failed");
  g_assert_nonnull (strstr (paddock_guest_operation_get_task_log (failed), "TASK ERROR"));
  event = assert_last_event (fixture, 116, PADDOCK_EVENT_ACTION_FAILED, "Start failed: startup for container '116' failed");
  g_clear_error (&error);

  /* A read-only token: Proxmox's own 403 text comes back. */
  readonly = new_cluster (fixture->store, fixture->connection_id, "PVE_READONLY_TOKEN");
  refused = run (fixture, readonly, 120, PADDOCK_OPERATION_STOP, 0, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "VM.PowerMgmt"));
  g_assert_cmpstr (status_of (fixture, 120), ==, "running");
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PaddockGuestOperation) delete = NULL;
  g_autoptr(PaddockGuestOperation) again = NULL;
  g_autoptr(PaddockGuest) guest = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  /* A running container is stopped first, then deleted with its disks. */
  guest = g_object_ref (paddock_cluster_lookup (fixture->cluster, 128));
  delete = run (fixture, fixture->cluster, 128, PADDOCK_OPERATION_DELETE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (paddock_guest_operation_get_outcome (delete), ==, PADDOCK_OPERATION_OUTCOME_DONE);
  g_assert_cmpstr (status_of (fixture, 128), ==, "gone");
  event = assert_last_event (fixture, 128, PADDOCK_EVENT_ACTION_SUCCEEDED, "Deleted");

  /* Deleting what is gone is what the user wanted: success, said plainly. */
  again = paddock_guest_operation_new (fixture->store, fixture->cluster, guest, PADDOCK_OPERATION_DELETE);
  paddock_guest_operation_set_poll_interval (again, 50, 200);
  paddock_guest_operation_run_async (again, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_guest_operation_run_finish (again, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (paddock_guest_operation_get_outcome (again), ==, PADDOCK_OPERATION_OUTCOME_ALREADY_GONE);
  g_clear_object (&event);
  event = assert_last_event (fixture, 128, PADDOCK_EVENT_ACTION_SUCCEEDED, "no longer existed");
}

typedef struct
{
  guint         answers;
  GAsyncResult *result;
} Answers;

static void
on_answer (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answers *answers = user_data;

  answers->answers++;
  if (answers->result == NULL)
    answers->result = g_object_ref (result);
}

static void
test_deadline_after_success (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PaddockGuestOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  Answers answers = { 0 };
  gint64 until;

  if (!paddock_test_lab_required ())
    return;

  /* A task that ends well before its timeout: the timeout must not answer a second time later
   * (counted here, not only left to GTask's critical). */
  operation = paddock_guest_operation_new (fixture->store, fixture->cluster, paddock_cluster_lookup (fixture->cluster, 106),
                                           PADDOCK_OPERATION_START);
  paddock_guest_operation_set_task_timeout (operation, 1);
  paddock_guest_operation_set_poll_interval (operation, 50, 100);
  paddock_guest_operation_run_async (operation, NULL, on_answer, &answers);
  while (answers.answers == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (paddock_guest_operation_run_finish (operation, answers.result, &error));
  g_assert_no_error (error);

  /* Past the 1 s timeout: still one answer. */
  until = g_get_monotonic_time () + 1500 * 1000;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpuint (answers.answers, ==, 1);
  g_assert_cmpstr (status_of (fixture, 106), ==, "running");
  g_clear_object (&answers.result);
}

/* Proxmox's own rules (SPEC.md §4): HA resources move through the HA manager, templates do not
 * start, a backup lock refuses power actions, other locks fail inside the task. */
static void
test_proxmox_rules (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PaddockGuestOperation) shutdown = NULL;
  g_autoptr(PaddockGuestOperation) start = NULL;
  g_autoptr(PaddockGuestOperation) stuck = NULL;
  g_autoptr(PaddockGuestOperation) template = NULL;
  g_autoptr(PaddockGuestOperation) backup = NULL;
  g_autoptr(PaddockGuestOperation) snapshot = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  /* The hastop task ends before the container stops: success only once it has stopped. */
  g_free (paddock_test_lab_control ("ha-delay", "1000", NULL));
  shutdown = run (fixture, fixture->cluster, 102, PADDOCK_OPERATION_SHUTDOWN, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (paddock_guest_operation_get_outcome (shutdown), ==, PADDOCK_OPERATION_OUTCOME_GRACEFUL);
  g_assert_cmpstr (status_of (fixture, 102), ==, "stopped");
  g_assert_cmpstr (paddock_guest_get_hastate (paddock_cluster_lookup (fixture->cluster, 102)), ==, "stopped");
  event = assert_last_event (fixture, 102, PADDOCK_EVENT_ACTION_SUCCEEDED, "Shut down");
  g_assert_nonnull (strstr (paddock_event_get_details (event), ":hastop:102:"));

  start = run (fixture, fixture->cluster, 102, PADDOCK_OPERATION_START, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status_of (fixture, 102), ==, "running");

  /* An HA resource in the "error" state: the task succeeds, the manager does nothing, and the
   * operation says so instead of calling it done. */
  stuck = run (fixture, fixture->cluster, 114, PADDOCK_OPERATION_STOP, 0, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "The HA manager reports an error for homeassistant (CT 114)"));
  g_assert_cmpstr (status_of (fixture, 114), ==, "running");
  g_clear_error (&error);

  template = run (fixture, fixture->cluster, 117, PADDOCK_OPERATION_START, 0, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_RUNNING);
  g_assert_cmpstr (error->message, ==, "debian12-base (CT 117) is a template: templates cannot be started");
  g_clear_error (&error);

  backup = run (fixture, fixture->cluster, 107, PADDOCK_OPERATION_STOP, 0, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "locked by a running backup"));
  g_assert_cmpstr (status_of (fixture, 107), ==, "running");
  g_clear_error (&error);

  /* Without quorum nothing is asked of Proxmox: the refusal comes first, with the offline nodes. */
  {
    g_autoptr(PaddockGuestOperation) refused = NULL;
    g_autoptr(GAsyncResult) result = NULL;

    g_free (paddock_test_lab_control ("quorum", "lost", NULL));
    refresh (fixture->cluster);
    g_assert_false (paddock_cluster_get_quorate (fixture->cluster));
    g_assert_cmpstr (paddock_cluster_get_offline_nodes (fixture->cluster), ==, "pve2, pve3");
    refused = paddock_guest_operation_new (fixture->store, fixture->cluster, paddock_cluster_lookup (fixture->cluster, 106),
                                           PADDOCK_OPERATION_STOP);
    paddock_guest_operation_run_async (refused, NULL, PADDOCK_TEST_ASYNC (result));
    g_assert_false (paddock_guest_operation_run_finish (refused, paddock_test_wait (&result), &error));
    g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_SERVER);
    g_assert_nonnull (strstr (error->message, "no quorum (offline: pve2, pve3)"));
    g_clear_error (&error);
    g_free (paddock_test_lab_control ("quorum", "ok", NULL));
    refresh (fixture->cluster);
    g_assert_true (paddock_cluster_get_quorate (fixture->cluster));
    g_assert_null (paddock_cluster_get_offline_nodes (fixture->cluster));
  }

  /* Any other lock: Proxmox answers with a task, and the task fails with its reason. */
  snapshot = run (fixture, fixture->cluster, 127, PADDOCK_OPERATION_START, 0, &error);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED);
  g_assert_cmpstr (error->message, ==, "CT is locked (snapshot)");
  g_assert_cmpstr (status_of (fixture, 127), ==, "stopped");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  {
    const char *args[] = { "--no-ssh", "--task-ms", "200", NULL };

    paddock_test_lab_start (args);
  }

#define ADD(path, func) \
  g_test_add ("/guest-operation/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("start-stop-reboot", test_start_stop_reboot);
  ADD ("shutdown-graceful-and-forced", test_shutdown_graceful_and_forced);
  ADD ("shutdown-failure-is-not-forced", test_shutdown_failure_is_not_forced);
  ADD ("precheck", test_precheck);
  ADD ("lock", test_lock);
  ADD ("task-failure-and-permission", test_task_failure_and_permission);
  ADD ("delete", test_delete);
  ADD ("deadline-after-success", test_deadline_after_success);
  ADD ("proxmox-rules", test_proxmox_rules);

#undef ADD

  return g_test_run ();
}
