/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-services.c: probing, acting on services and reading journals in the lab's real containers
 * (the demo's nginx-web, notes-api and redis-cache), over one SSH session to the node */

#define _GNU_SOURCE /* memmem */

#include "config.h"

#include <string.h>

#include "paddock-core.h"
#include "paddock-test-lab-session.h"
#include "paddock-test-util.h"

static PaddockSshSession *session;
static PaddockPct *pct;

static gboolean
real_containers (void)
{
  if (!paddock_test_real_containers_required ())
    return FALSE;

  if (pct == NULL)
    {
      g_autofree char *dir = paddock_test_make_dir ("ssh");
      g_autofree char *known_hosts = g_build_filename (dir, "known_hosts", NULL);

      session = paddock_test_lab_ssh_session (known_hosts);
      pct = paddock_pct_new (session, "pve1");
    }

  return TRUE;
}

static PaddockProbeResult *
probe (guint vmid)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockProbeResult *probed;

  paddock_probe_async (pct, vmid, NULL, paddock_test_store_result, &result);
  probed = paddock_probe_finish (pct, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  return probed;
}

static PaddockSshResult *
run_in (guint       vmid,
        const char *script,
        GBytes     *input)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockSshResult *output;

  paddock_pct_exec_async (pct, vmid, script, input, 30000, NULL, paddock_test_store_result, &result);
  output = paddock_pct_exec_finish (pct, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  return output;
}

static gboolean
act (guint                 vmid,
     const char           *unit,
     PaddockServiceAction  action,
     GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_service_action_async (pct, vmid, unit, action, NULL, paddock_test_store_result, &result);
  return paddock_service_action_finish (pct, paddock_test_wait (&result), error);
}

static char *
ports_of (PaddockService *service)
{
  GPtrArray *ports = paddock_service_get_ports (service);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < ports->len; i++)
    {
      g_autofree char *label = paddock_port_dup_label (g_ptr_array_index (ports, i));

      g_string_append_printf (text, "%s%s", i ? " " : "", label);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* nginx on 0.0.0.0:80 and [::]:80, held by its master and workers, all mapped to nginx.service */
static void
test_nginx (void)
{
  g_autoptr(PaddockProbeResult) result = NULL;
  g_autoptr(PaddockSshResult) workers = NULL;
  g_autofree char *ports = NULL;
  g_autofree char *worker_text = NULL;
  g_autofree char *subnet_prefix = NULL;
  PaddockService *nginx;
  PaddockCredentialFile *file;

  if (!real_containers ())
    return;

  result = probe (130);
  nginx = paddock_probe_result_find_service (result, "nginx.service");
  g_assert_nonnull (nginx);
  g_assert_true (paddock_service_get_running (nginx));
  ports = ports_of (nginx);
  g_assert_cmpstr (ports, ==, "0.0.0.0:80 [::]:80");
  g_assert_cmpuint (result->other_ports->len, ==, 0);

  /* The workers are not the main PID: their sockets reached the unit through their cgroup. */
  workers = run_in (130, "pgrep -P \"$(systemctl show -p MainPID --value nginx)\" | wc -l", NULL);
  worker_text = paddock_ssh_result_dup_out_text (workers);
  g_assert_cmpint (atoi (worker_text), >=, 1);

  subnet_prefix = g_strndup (paddock_test_lab_get ("REAL_GATEWAY"),
                             strrchr (paddock_test_lab_get ("REAL_GATEWAY"), '.') - paddock_test_lab_get ("REAL_GATEWAY") + 1);
  g_assert_true (g_str_has_prefix (paddock_probe_result_get_address (result), subnet_prefix));

  g_assert_cmpuint (paddock_service_get_credentials (nginx)->len, ==, 1);
  file = g_ptr_array_index (paddock_service_get_credentials (nginx), 0);
  g_assert_cmpstr (file->path, ==, "/etc/infrahaus/credentials/nginx.env");
  g_assert_cmpstr (file->keys[0], ==, "ADMIN_USER");
  g_assert_cmpstr (file->values[0], ==, "admin");
  g_assert_cmpuint (strlen (file->values[1]), >=, 12);
}

static void
test_specific_address_and_failed (void)
{
  g_autoptr(PaddockProbeResult) result = NULL;
  g_autofree char *ports = NULL;
  g_autofree char *expected = NULL;
  PaddockService *notes, *backup;
  PaddockCredentialFile *file;

  if (!real_containers ())
    return;

  result = probe (131);
  notes = paddock_probe_result_find_service (result, "notes-api.service");
  backup = paddock_probe_result_find_service (result, "backup-sync.service");
  g_assert_nonnull (notes);
  ports = ports_of (notes);
  expected = g_strdup_printf ("%s:8080", paddock_probe_result_get_address (result));
  g_assert_cmpstr (ports, ==, expected);
  g_assert_nonnull (backup);
  g_assert_true (paddock_service_get_failed (backup));
  g_assert_cmpstr (paddock_service_get_description (backup), ==,
                   "Nightly backup sync (demo: its target is unreachable)");
  file = g_ptr_array_index (paddock_service_get_credentials (notes), 0);
  g_assert_cmpstr (file->path, ==, "/root/notes-api.creds");
  g_assert_cmpstrv ((const char * const *) file->keys, ((const char *[]) { "API_TOKEN", "DB_PASSWORD", NULL }));
}

static void
test_loopback_and_partial (void)
{
  g_autoptr(PaddockProbeResult) redis = NULL;
  g_autoptr(PaddockProbeResult) busybox = NULL;
  g_autofree char *ports = NULL;

  if (!real_containers ())
    return;

  redis = probe (132);
  ports = ports_of (paddock_probe_result_find_service (redis, "redis-server.service"));
  g_assert_cmpstr (ports, ==, "127.0.0.1:6379 [::1]:6379");

  /* The demo's simulated containers are busybox trees: what is missing is said, not failed. */
  busybox = probe (101);
  g_assert_cmpuint (busybox->services->len, ==, 0);
  g_assert_cmpstrv (busybox->missing, ((const char *[]) { "systemd", "ss", NULL }));
}

static void
test_stop_start (void)
{
  g_autoptr(PaddockProbeResult) stopped = NULL;
  g_autoptr(PaddockProbeResult) started = NULL;
  g_autoptr(GError) error = NULL;
  PaddockService *nginx;

  if (!real_containers ())
    return;

  g_assert_true (act (130, "nginx", PADDOCK_SERVICE_STOP, &error));
  g_assert_no_error (error);
  stopped = probe (130);
  nginx = paddock_probe_result_find_service (stopped, "nginx.service");
  g_assert_false (paddock_service_get_running (nginx));
  g_assert_cmpstr (paddock_service_get_active_state (nginx), ==, "inactive");
  g_assert_cmpuint (paddock_service_get_ports (nginx)->len, ==, 0);

  g_assert_true (act (130, "nginx.service", PADDOCK_SERVICE_START, &error));
  started = probe (130);
  nginx = paddock_probe_result_find_service (started, "nginx.service");
  g_assert_true (paddock_service_get_running (nginx));
  g_assert_cmpuint (paddock_service_get_ports (nginx)->len, ==, 2);

  /* systemctl's own words when it fails. */
  g_assert_false (act (130, "no-such-unit", PADDOCK_SERVICE_START, &error));
  g_assert_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_COMMAND);
  g_assert_nonnull (strstr (error->message, "Unit no-such-unit.service not found"));
}

typedef struct
{
  GPtrArray *lines;
  gboolean   started_line;
} Follow;

static void
on_follow_line (PaddockSshStream  stream,
                const char       *line,
                gpointer          user_data)
{
  Follow *follow = user_data;

  g_ptr_array_add (follow->lines, g_strdup (line));
  if (strstr (line, "Started notes-api.service") != NULL)
    follow->started_line = TRUE;
}

static void
test_logs_and_follow (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) followed = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  Follow follow = { g_ptr_array_new_with_free_func (g_free), FALSE };
  guint before;
  gint64 deadline;

  if (!real_containers ())
    return;

  paddock_service_logs_async (pct, 130, "nginx", 50, NULL, paddock_test_store_result, &result);
  lines = paddock_service_logs_finish (pct, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  /* short-iso: the time first, then the host name. */
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{2}:?\\d{2} nginx-web ",
                                       lines[0], 0, 0));

  /* Follow: the lines before, then one written after it opened, each once. */
  paddock_service_follow_async (pct, 131, "notes-api", 5, on_follow_line, &follow, NULL, cancellable,
                                paddock_test_store_result, &followed);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (follow.lines->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  before = follow.lines->len;
  g_assert_cmpuint (before, >=, 1);
  follow.started_line = FALSE;
  g_assert_true (act (131, "notes-api", PADDOCK_SERVICE_RESTART, NULL));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!follow.started_line && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (follow.started_line);
  g_assert_cmpuint (follow.lines->len, >, before);

  g_cancellable_cancel (cancellable);
  g_assert_false (paddock_service_follow_finish (pct, paddock_test_wait (&followed), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_ptr_array_unref (follow.lines);
}

/* Whatever a container holds is data: file names, values and unit names never become commands. */
static void
test_hostile (void)
{
  /* The last value carries the marker the final on-disk scan (check-no-secrets.sh) looks for. */
  const char *content = "QUOTE='single' \"double\"\nSUBST=$(touch /tmp/paddock-pwned)\nTICKS=`touch /tmp/paddock-pwned`\n"
                        "SEMI=a; touch /tmp/paddock-pwned\nEMPTY=\nSECRET=paddock-test-secret-probed-credential\n";
  g_autoptr(GBytes) input = g_bytes_new_static (content, strlen (content));
  g_autoptr(PaddockSshResult) written = NULL;
  g_autoptr(PaddockSshResult) check = NULL;
  g_autoptr(PaddockProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *check_text = NULL;
  PaddockService *service = NULL;
  PaddockCredentialFile *file = NULL;

  if (!real_containers ())
    return;

  /* The content goes in through stdin, so this test's own command stays plain. */
  written = run_in (132, "mkdir -p /etc/infrahaus/credentials && cat > \"/etc/infrahaus/credentials/we'ird \\$(x).env\"",
                    input);
  g_assert_cmpint (written->exit_status, ==, 0);

  result = probe (132);
  for (guint i = 0; i < result->services->len && file == NULL; i++)
    {
      GPtrArray *credentials = paddock_service_get_credentials (g_ptr_array_index (result->services, i));

      if (credentials->len > 0)
        {
          service = g_ptr_array_index (result->services, i);
          file = g_ptr_array_index (credentials, 0);
        }
    }
  g_assert_nonnull (file);
  g_assert_cmpstr (file->path, ==, "/etc/infrahaus/credentials/we'ird $(x).env");
  g_assert_cmpstr (paddock_service_get_name (service), ==, "we'ird $(x)");
  g_assert_false (paddock_service_get_has_unit (service));
  g_assert_cmpstrv ((const char * const *) file->keys,
                    ((const char *[]) { "QUOTE", "SUBST", "TICKS", "SEMI", "EMPTY", "SECRET", NULL }));
  g_assert_cmpstr (file->values[0], ==, "'single' \"double\"");
  g_assert_cmpstr (file->values[1], ==, "$(touch /tmp/paddock-pwned)");
  g_assert_cmpstr (file->values[4], ==, "");

  check = run_in (132, "test -e /tmp/paddock-pwned && echo pwned || echo clean", NULL);
  check_text = paddock_ssh_result_dup_out_text (check);
  g_assert_cmpstr (check_text, ==, "clean\n");

  /* A hostile unit name is refused before anything is sent. */
  g_assert_false (act (132, "redis-server; touch /tmp/paddock-pwned", PADDOCK_SERVICE_RESTART, &error));
  g_assert_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_INVALID_UNIT);
}

/* Several containers of one node at once, over the one session. */
static void
test_concurrent (void)
{
  guint vmids[] = { 130, 131, 132, 101 };
  GAsyncResult *results[G_N_ELEMENTS (vmids)] = { NULL };
  gint64 start = g_get_monotonic_time ();

  if (!real_containers ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (vmids); i++)
    paddock_probe_async (pct, vmids[i], NULL, paddock_test_store_result, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (vmids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PaddockProbeResult) result = paddock_probe_finish (pct, paddock_test_wait (&results[i]), &error);

      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_clear_object (&results[i]);
    }
  g_test_message ("4 containers probed at once in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
}

/* Many containers over a few channels: each outcome its own, errors included. */
static void
test_probe_many (void)
{
  guint vmids[] = { 130, 999, 131, 132, 101, 106 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  PaddockProbeOutcome *outcome;

  if (!real_containers ())
    return;

  paddock_probe_many_async (pct, vmids, G_N_ELEMENTS (vmids), NULL, paddock_test_store_result, &result);
  outcomes = paddock_probe_many_finish (pct, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outcomes->len, ==, G_N_ELEMENTS (vmids));

  outcome = g_ptr_array_index (outcomes, 0);
  g_assert_cmpuint (outcome->vmid, ==, 130);
  g_assert_nonnull (paddock_probe_result_find_service (outcome->result, "nginx.service"));
  outcome = g_ptr_array_index (outcomes, 1);
  g_assert_cmpuint (outcome->vmid, ==, 999);
  g_assert_null (outcome->result);
  g_assert_error (outcome->error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_COMMAND);
  g_assert_nonnull (strstr (outcome->error->message, "does not exist"));
  outcome = g_ptr_array_index (outcomes, 2);
  g_assert_true (paddock_service_get_failed (paddock_probe_result_find_service (outcome->result, "backup-sync.service")));
  outcome = g_ptr_array_index (outcomes, 3);
  g_assert_nonnull (paddock_probe_result_find_service (outcome->result, "redis-server.service"));
  outcome = g_ptr_array_index (outcomes, 4);
  g_assert_cmpstrv (outcome->result->missing, ((const char *[]) { "systemd", "ss", NULL }));
  /* 106 is a stopped container of the demo: pct's own words. */
  outcome = g_ptr_array_index (outcomes, 5);
  g_assert_error (outcome->error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_NOT_RUNNING);
  g_assert_nonnull (strstr (outcome->error->message, "CT 106 not running"));
}

/* The cache keeps what was seen, never a credential value. */
static void
test_cache_has_no_credentials (void)
{
  g_autoptr(PaddockProbeResult) result = NULL;
  g_autoptr(PaddockStore) store = NULL;
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(GAsyncResult) added = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = paddock_test_make_dir ("services-cache");
  g_autofree char *path = g_build_filename (dir, "paddock.db", NULL);
  g_autofree char *json = NULL;
  g_autofree char *password = NULL;
  PaddockCredentialFile *file;
  gboolean found_service = FALSE;

  if (!real_containers ())
    return;

  result = probe (130);
  file = g_ptr_array_index (paddock_service_get_credentials (paddock_probe_result_find_service (result, "nginx.service")), 0);
  password = g_strdup (file->values[1]);

  store = paddock_store_new (path, NULL, &error);
  g_assert_no_error (error);
  connection = paddock_connection_new ("lab", "127.0.0.1", 8006, PADDOCK_AUTH_TOKEN, "root@pam", "paddock");
  paddock_store_add_connection_async (store, connection, NULL, paddock_test_store_result, &added);
  g_assert_true (paddock_store_add_connection_finish (store, paddock_test_wait (&added), &error));
  json = paddock_probe_result_to_json (result);
  paddock_store_save_service_cache_async (store, paddock_connection_get_id (connection), 130, json, NULL,
                                          paddock_test_store_result, &saved);
  g_assert_true (paddock_store_save_service_cache_finish (store, paddock_test_wait (&saved), &error));
  /* 132 holds the marked credential (hostile-content): the final scan checks it is not here. */
  {
    g_autoptr(PaddockProbeResult) marked = probe (132);
    g_autofree char *marked_json = paddock_probe_result_to_json (marked);
    g_autoptr(GAsyncResult) marked_saved = NULL;

    paddock_store_save_service_cache_async (store, paddock_connection_get_id (connection), 132, marked_json, NULL,
                                            paddock_test_store_result, &marked_saved);
    g_assert_true (paddock_store_save_service_cache_finish (store, paddock_test_wait (&marked_saved), &error));
  }
  paddock_store_flush_async (store, NULL, paddock_test_store_result, &flushed);
  g_assert_true (paddock_store_flush_finish (store, paddock_test_wait (&flushed), &error));

  /* Not in the database file nor its write-ahead log, where the rest of the probe is. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *file_path = g_strconcat (path, i ? "-wal" : "", NULL);
      g_autofree char *bytes = NULL;
      gsize length = 0;

      if (!g_file_get_contents (file_path, &bytes, &length, NULL))
        continue;
      /* memmem: database pages hold NUL bytes, where string searches would stop. */
      g_assert_null (memmem (bytes, length, password, strlen (password)));
      found_service |= memmem (bytes, length, "nginx.service", strlen ("nginx.service")) != NULL;
    }
  g_assert_true (found_service);

  /* The cache answers "which container listens on 80 / runs nginx?" without reading payloads. */
  {
    struct { guint port; const char *name; guint found; } queries[] = {
      { 80, NULL, 130 }, { 0, "NGIN", 130 }, { 80, "nginx", 130 }, { 6379, NULL, 132 },
      { 80, "redis", 0 }, { 0, "ADMIN_PASSWORD", 0 }, { 8080, NULL, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
      {
        g_autoptr(GAsyncResult) asked = NULL;
        g_autoptr(GPtrArray) vmids = NULL;

        paddock_store_find_services_async (store, paddock_connection_get_id (connection), queries[i].port,
                                           queries[i].name, NULL, paddock_test_store_result, &asked);
        vmids = paddock_store_find_services_finish (store, paddock_test_wait (&asked), &error);
        g_assert_no_error (error);
        g_assert_cmpuint (vmids->len, ==, queries[i].found ? 1 : 0);
        if (queries[i].found)
          g_assert_cmpuint (GPOINTER_TO_UINT (vmids->pdata[0]), ==, queries[i].found);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  paddock_test_lab_start ((const char *[]) { "--dataset", "demo", NULL });

  g_test_add_func ("/services/nginx-workers-credentials", test_nginx);
  g_test_add_func ("/services/specific-address-and-failed", test_specific_address_and_failed);
  g_test_add_func ("/services/loopback-and-partial", test_loopback_and_partial);
  g_test_add_func ("/services/stop-start", test_stop_start);
  g_test_add_func ("/services/logs-and-follow", test_logs_and_follow);
  g_test_add_func ("/services/hostile-content", test_hostile);
  g_test_add_func ("/services/concurrent", test_concurrent);
  g_test_add_func ("/services/probe-many", test_probe_many);
  g_test_add_func ("/services/cache-has-no-credentials", test_cache_has_no_credentials);

  status = g_test_run ();
  g_clear_object (&pct);
  g_clear_object (&session);
  return status;
}
