/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pve-client.c: the Proxmox API client against the lab's pve-sim over real HTTPS */

#include "config.h"

#include "paddock-core.h"
#include "paddock-pve-parse-private.h"
#include "paddock-test-lab.h"
#include "paddock-test-client.h"
#include "paddock-test-util.h"

/* Helpers */

static char *
action (PaddockPveClient *client, const char *node, guint vmid, PaddockGuestAction what, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_pve_client_guest_action_async (client, node, vmid, what, 5, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_pve_client_guest_action_finish (client, paddock_test_wait (&result), error);
}

static guint log_lines_seen;

static void
on_log_line (PaddockTaskWatcher *watcher, guint number, const char *text, gpointer user_data)
{
  g_assert_cmpuint (number, ==, ++log_lines_seen);
}

static PaddockTaskInfo *
wait_task (PaddockPveClient *client, const char *upid, guint timeout, GError **error)
{
  g_autoptr(PaddockTaskWatcher) watcher = paddock_task_watcher_new (client, upid, error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_nonnull (watcher);
  paddock_task_watcher_set_poll_interval (watcher, 50, 200);
  log_lines_seen = 0;
  g_signal_connect (watcher, "log-line", G_CALLBACK (on_log_line), NULL);
  paddock_task_watcher_wait_async (watcher, timeout, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_task_watcher_wait_finish (watcher, paddock_test_wait (&result), error);
}

static char *
guest_status (PaddockPveClient *client, const char *node, guint vmid)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) status = NULL;

  paddock_pve_client_get_guest_status_async (client, node, vmid, NULL, PADDOCK_TEST_ASYNC (result));
  status = paddock_pve_client_get_guest_status_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (status, "status"));
}

static guint expected_schema_rejections;

/* Tests */

static void
test_untrusted_then_trusted (void)
{
  g_autoptr(PaddockTrustStore) trust = NULL;
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockCertificateInfo) info = NULL;
  g_autoptr(PaddockPveVersion) version = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pinned = NULL;

  if (!paddock_test_lab_required ())
    return;

  trust = g_object_new (TEST_TYPE_TRUST, NULL);
  client = paddock_pve_client_new ("127.0.0.1", lab_port (), trust);
  paddock_pve_client_set_token (client, "root@pam!paddock", strrchr (paddock_test_lab_get ("PVE_TOKEN"), '=') + 1);

  g_assert_null (get_version (client, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, paddock_test_lab_get ("PVE_FINGERPRINT")));

  info = paddock_pve_client_dup_rejected_certificate (client);
  g_assert_cmpstr (info->sha256, ==, paddock_test_lab_get ("PVE_FINGERPRINT"));
  g_assert_null (info->pinned_sha256);
  g_assert_nonnull (strstr (info->subject, "CN=pve1"));
  g_assert_nonnull (info->not_after);

  /* The user clicks Trust. */
  g_assert_true (paddock_pve_client_trust_rejected_certificate (client));
  pinned = paddock_trust_store_lookup_pin (trust, "127.0.0.1", lab_port ());
  g_assert_cmpstr (pinned, ==, paddock_test_lab_get ("PVE_FINGERPRINT"));
  g_clear_error (&error);
  version = get_version (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (version->release, ==, "9.1");
}

static void
test_cluster_ca (void)
{
  g_autoptr(PaddockTrustStore) trust = NULL;
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockPveVersion) version = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = NULL;

  if (!paddock_test_lab_required ())
    return;

  g_assert_true (g_file_get_contents (paddock_test_lab_get ("PVE_CA"), &ca, NULL, NULL));
  trust = g_object_new (TEST_TYPE_TRUST, NULL);
  client = paddock_pve_client_new ("127.0.0.1", lab_port (), trust);
  paddock_pve_client_set_token (client, "root@pam!paddock", strrchr (paddock_test_lab_get ("PVE_TOKEN"), '=') + 1);

  g_assert_false (paddock_pve_client_set_cluster_ca (client, "not a certificate", &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* The imported cluster CA vouches for the node: no pin, no prompt. */
  g_assert_true (paddock_pve_client_set_cluster_ca (client, ca, &error));
  version = get_version (client, &error);
  g_assert_no_error (error);
  g_clear_pointer (&version, paddock_pve_version_free);

  /* A certificate the CA did not issue is still refused. */
  g_free (paddock_test_lab_control ("swap-certificate", NULL, NULL));
  {
    g_autoptr(PaddockPveClient) fresh = paddock_pve_client_new ("127.0.0.1", lab_port (), trust);

    paddock_pve_client_set_token (fresh, "root@pam!paddock", strrchr (paddock_test_lab_get ("PVE_TOKEN"), '=') + 1);
    g_assert_true (paddock_pve_client_set_cluster_ca (fresh, ca, NULL));
    version = get_version (fresh, &error);
  }
  g_free (paddock_test_lab_control ("swap-certificate", NULL, NULL));
  g_assert_null (version);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE);
  g_clear_error (&error);
}

static void
test_certificate_changed (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockCertificateInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  if (!paddock_test_lab_required ())
    return;

  reply = paddock_test_lab_control ("swap-certificate", NULL, NULL);
  client = token_client ("PVE_TOKEN");
  g_assert_null (get_version (client, &error));
  g_free (paddock_test_lab_control ("swap-certificate", NULL, NULL));

  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED);
  info = paddock_pve_client_dup_rejected_certificate (client);
  g_assert_cmpstr (info->pinned_sha256, ==, paddock_test_lab_get ("PVE_FINGERPRINT"));
  g_assert_cmpstr (info->sha256, !=, info->pinned_sha256);
  g_assert_nonnull (strstr (error->message, info->sha256));
  g_assert_nonnull (strstr (error->message, info->pinned_sha256));
}

static void
test_token_reads (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint vmid;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");

  paddock_pve_client_get_cluster_status_async (client, NULL, PADDOCK_TEST_ASYNC (result));
  status = paddock_pve_client_get_cluster_status_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->cluster_name, ==, "homelab");
  g_assert_true (status->quorate);
  g_assert_cmpuint (status->nodes->len, ==, 3);
  g_assert_cmpstr (((PaddockPveNode *) status->nodes->pdata[0])->ip, ==, "127.0.0.1");
  g_assert_true (((PaddockPveNode *) status->nodes->pdata[0])->online);
  g_clear_object (&result);

  paddock_pve_client_get_nextid_async (client, 0, NULL, PADDOCK_TEST_ASYNC (result));
  vmid = paddock_pve_client_get_nextid_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vmid, >=, 100);
  g_clear_object (&result);

  paddock_pve_client_get_nextid_async (client, 101, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpuint (paddock_pve_client_get_nextid_finish (client, paddock_test_wait (&result), &error), ==, 0);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "VM 101 already exists"));
}

static void
test_ticket_auth (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockPveVersion) version = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockTaskInfo) task = NULL;
  g_autofree char *upid = NULL;

  if (!paddock_test_lab_required ())
    return;

  client = password_client ("root@pam");
  g_assert_false (paddock_pve_client_get_has_ticket (client));

  /* The first call logs in by itself. */
  version = get_version (client, &error);
  g_assert_no_error (error);
  g_assert_true (paddock_pve_client_get_has_ticket (client));

  /* A POST carries the CSRF token. */
  upid = action (client, "pve2", 112, PADDOCK_GUEST_ACTION_START, &error);
  g_assert_no_error (error);
  task = wait_task (client, upid, 30, &error);
  g_assert_no_error (error);
  g_clear_pointer (&upid, g_free);
  g_clear_pointer (&task, paddock_task_info_free);

  /* Older than 15 minutes: renewed before the next call. */
  paddock_pve_client_age_ticket (client, 16 * 60);
  g_clear_pointer (&version, paddock_pve_version_free);
  version = get_version (client, &error);
  g_assert_no_error (error);

  /* Every ticket expired on the server: one transparent re-login. */
  g_free (paddock_test_lab_control ("expire-tickets", NULL, NULL));
  g_usleep (1100 * 1000);
  upid = action (client, "pve2", 112, PADDOCK_GUEST_ACTION_STOP, &error);
  g_assert_no_error (error);
  task = wait_task (client, upid, 30, &error);
  g_assert_no_error (error);
}

static void
test_wrong_password (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  client = password_client ("root@pam");
  paddock_pve_client_set_password (client, "root@pam", "not-the-password");
  g_assert_null (get_version (client, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "authentication failure");
}

static void
test_two_factor (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockPveVersion) version = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (!paddock_test_lab_required ())
    return;

  client = password_client ("alice@pve");

  /* The realm list is read without logging in (the login form needs it first). */
  {
    g_autoptr(JsonNode) realms = NULL;

    paddock_pve_client_get_realms_async (client, NULL, PADDOCK_TEST_ASYNC (result));
    realms = paddock_pve_client_call_finish (client, paddock_test_wait (&result), NULL, &error);
    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (realms));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (realms)), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (realms), 1), "realm"),
                     ==, "pve");
    g_assert_false (paddock_pve_client_get_has_ticket (client));
    g_clear_object (&result);
  }

  paddock_pve_client_login_async (client, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_pve_client_login_finish (client, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TFA_REQUIRED);
  g_clear_error (&error);
  g_clear_object (&result);

  paddock_pve_client_complete_tfa_async (client, "000000", NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_pve_client_complete_tfa_finish (client, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH);
  g_clear_error (&error);
  g_clear_object (&result);

  code = paddock_test_lab_control ("totp", NULL, NULL);
  paddock_pve_client_complete_tfa_async (client, code, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_pve_client_complete_tfa_finish (client, paddock_test_wait (&result), &error));
  g_assert_no_error (error);

  version = get_version (client, &error);
  g_assert_no_error (error);
}

static void
test_lifecycle (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(GError) error = NULL;
  static const PaddockGuestAction actions[] = {
    PADDOCK_GUEST_ACTION_START, PADDOCK_GUEST_ACTION_REBOOT, PADDOCK_GUEST_ACTION_SHUTDOWN,
  };
  static const char *expected[] = { "running", "running", "stopped" };

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *upid = action (client, "pve1", 106, actions[i], &error);
      g_autoptr(PaddockTaskInfo) task = NULL;
      g_autofree char *status = NULL;

      g_assert_no_error (error);
      task = wait_task (client, upid, 30, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (task->exitstatus, ==, "OK");
      g_assert_cmpuint (log_lines_seen, >=, 1);
      status = guest_status (client, "pve1", 106);
      g_assert_cmpstr (status, ==, expected[i]);
    }

  g_assert_null (action (client, "pve1", 101, PADDOCK_GUEST_ACTION_START, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_ALREADY_RUNNING);
  g_assert_cmpstr (error->message, ==, "CT 101 already running");
  g_clear_error (&error);

  g_assert_null (action (client, "pve1", 106, PADDOCK_GUEST_ACTION_STOP, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_RUNNING);
  g_clear_error (&error);

  /* As on a real cluster, the lock is checked inside the task: a UPID, then the task fails. */
  {
    g_autofree char *upid = action (client, "pve1", 107, PADDOCK_GUEST_ACTION_STOP, &error);
    g_autoptr(PaddockTaskInfo) task = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (strstr (upid, ":vzstop:107:"));
    task = wait_task (client, upid, 30, &error);
    g_assert_null (task);
    g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED);
    g_assert_true (g_str_has_prefix (error->message, "CT is locked (backup)"));
    g_clear_error (&error);
  }

  g_assert_null (action (client, "pve1", 999, PADDOCK_GUEST_ACTION_START, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND);
}

static void
test_permission (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_READONLY_TOKEN");
  g_assert_null (action (client, "pve1", 106, PADDOCK_GUEST_ACTION_START, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PERMISSION);
  g_assert_cmpstr (error->message, ==, "Permission check failed (/vms/106, VM.PowerMgmt)");
}

static PaddockPveParams *
create_params (guint vmid)
{
  PaddockPveParams *params = paddock_pve_params_new ();

  paddock_pve_params_add_int (params, "vmid", vmid);
  paddock_pve_params_add (params, "ostemplate", "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
  paddock_pve_params_add (params, "hostname", "client-test");
  paddock_pve_params_add_int (params, "cores", 2);
  paddock_pve_params_add_int (params, "memory", 1024);
  paddock_pve_params_add_int (params, "swap", 256);
  paddock_pve_params_add (params, "rootfs", "local-lvm:8");
  paddock_pve_params_add (params, "net0", "name=eth0,bridge=vmbr0,ip=10.0.0.5/24,gw=10.0.0.1");
  paddock_pve_params_add (params, "features", "nesting=1,keyctl=1");
  paddock_pve_params_add_bool (params, "unprivileged", TRUE);
  paddock_pve_params_add_bool (params, "onboot", FALSE);
  paddock_pve_params_add (params, "password", "paddock-test-secret-root");
  paddock_pve_params_add (params, "tags", "test;paddock");
  return params;
}

static void
test_create_config_delete (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockPveParams) params = NULL;
  g_autoptr(PaddockGuestConfig) config = NULL;
  g_autoptr(PaddockTaskInfo) task = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upid = NULL;
  g_autofree char *shown = NULL;
  PaddockNetInterface *net;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");
  params = create_params (300);
  shown = paddock_pve_params_to_display (params);
  g_assert_null (strstr (shown, "paddock-test-secret-root"));

  paddock_pve_client_create_guest_async (client, "pve3", params, NULL, PADDOCK_TEST_ASYNC (result));
  upid = paddock_pve_client_create_guest_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (upid, ":vzcreate:300:"));
  task = wait_task (client, upid, 30, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  paddock_pve_client_get_guest_config_async (client, "pve3", 300, NULL, PADDOCK_TEST_ASYNC (result));
  config = paddock_pve_client_get_guest_config_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->hostname, ==, "client-test");
  g_assert_cmpuint (config->cores, ==, 2);
  g_assert_true (config->nesting && config->keyctl && !config->fuse);
  g_assert_true (config->unprivileged);
  g_assert_cmpuint (config->networks->len, ==, 1);
  net = config->networks->pdata[0];
  g_assert_cmpstr (net->ip, ==, "10.0.0.5/24");
  g_assert_cmpstr (net->gw, ==, "10.0.0.1");
  g_assert_nonnull (net->hwaddr);
  g_assert_cmpint (((PaddockMount *) config->mounts->pdata[0])->size, ==, 8LL << 30);
  g_assert_null (config->lock);
  g_clear_object (&result);
  g_clear_pointer (&upid, g_free);
  g_clear_pointer (&task, paddock_task_info_free);

  /* Creating the same VMID again is Proxmox's conflict. */
  paddock_pve_client_create_guest_async (client, "pve3", params, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_null (paddock_pve_client_create_guest_finish (client, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&result);

  paddock_pve_client_delete_guest_async (client, "pve3", 300, TRUE, TRUE, NULL, PADDOCK_TEST_ASYNC (result));
  upid = paddock_pve_client_delete_guest_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  task = wait_task (client, upid, 30, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  paddock_pve_client_get_guest_config_async (client, "pve3", 300, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_null (paddock_pve_client_get_guest_config_finish (client, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND);
}

static void
test_parameter_error_names_field (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockPveParams) params = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");
  params = create_params (301);
  paddock_pve_params_add (params, "cores", "many");
  paddock_pve_client_create_guest_async (client, "pve3", params, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_null (paddock_pve_client_create_guest_finish (client, paddock_test_wait (&result), &error));
  expected_schema_rejections++;
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PARAMETER);
  g_assert_nonnull (strstr (error->message, "cores: type check ('integer') failed - got 'many'"));
}

static void
test_faults (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockPveVersion) version = NULL;
  g_autoptr(PaddockTaskInfo) task = NULL;
  g_autofree char *upid = NULL;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");

  /* Two 500s: the GET is retried and succeeds. */
  g_free (paddock_test_lab_control ("fail-next", "2", "500"));
  version = get_version (client, &error);
  g_assert_no_error (error);
  g_clear_pointer (&version, paddock_pve_version_free);

  /* Four 500s: three retries are not enough, Proxmox's error surfaces. */
  g_free (paddock_test_lab_control ("fail-next", "4", "500"));
  g_assert_null (get_version (client, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_SERVER);
  g_clear_error (&error);

  /* 596 (node unreachable) is not retried. */
  g_free (paddock_test_lab_control ("fail-next", "1", "596"));
  g_assert_null (get_version (client, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNREACHABLE);
  g_clear_error (&error);
  version = get_version (client, &error);
  g_assert_no_error (error);
  g_clear_pointer (&version, paddock_pve_version_free);

  /* A POST is never retried: one 503 fails it. */
  g_free (paddock_test_lab_control ("fail-next", "1", "503"));
  g_assert_null (action (client, "pve1", 106, PADDOCK_GUEST_ACTION_START, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_SERVER);
  g_clear_error (&error);
  {
    g_autofree char *status = guest_status (client, "pve1", 106);

    g_assert_cmpstr (status, ==, "stopped");
  }

  /* A connection closed mid-response: the GET is retried. */
  g_free (paddock_test_lab_control ("drop-next", "1", NULL));
  version = get_version (client, &error);
  g_assert_no_error (error);
  g_clear_pointer (&version, paddock_pve_version_free);

  /* Slower than the request timeout: TIMEOUT, not a hang. */
  paddock_pve_client_set_timeouts (client, 10, 1);
  g_free (paddock_test_lab_control ("latency", "2500", NULL));
  g_assert_null (get_version (client, &error));
  g_free (paddock_test_lab_control ("latency", "0", NULL));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT);
  g_clear_error (&error);
  paddock_pve_client_set_timeouts (client, 10, 30);

  /* A failing task: its exit status and last log lines. */
  g_free (paddock_test_lab_control ("fail-task", "vzstart", "startup for container '106' failed"));
  upid = action (client, "pve1", 106, PADDOCK_GUEST_ACTION_START, &error);
  g_assert_no_error (error);
  g_assert_null (wait_task (client, upid, 30, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "startup for container '106' failed"));
  g_assert_nonnull (strstr (error->message, "TASK ERROR: startup for container '106' failed"));
  g_clear_error (&error);
  g_clear_pointer (&upid, g_free);

  /* A task that never ends: the watcher's timeout is an error, never success. */
  g_free (paddock_test_lab_control ("stall-task", "vzstart", NULL));
  upid = action (client, "pve1", 106, PADDOCK_GUEST_ACTION_START, &error);
  g_assert_no_error (error);
  task = wait_task (client, upid, 2, &error);
  g_free (paddock_test_lab_control ("stall-task", "", NULL));
  g_assert_null (task);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT);
  g_clear_error (&error);

  /* The shutdown a container ignores times out inside Proxmox's task. */
  g_free (paddock_test_lab_control ("ignore-shutdown", "104", NULL));
  g_clear_pointer (&upid, g_free);
  upid = action (client, "pve1", 104, PADDOCK_GUEST_ACTION_SHUTDOWN, &error);
  g_assert_no_error (error);
  g_assert_null (wait_task (client, upid, 30, &error));
  g_free (paddock_test_lab_control ("ignore-shutdown", "104", "0"));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED);
  g_assert_nonnull (strstr (error->message, "lxc-stop -n 104 --nokill --timeout 5"));
}

static void
test_unreachable_host (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockCluster) cluster = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint16 closed_port;

  /* A port nothing listens on: bind, read the port, close. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, TRUE, NULL);
  g_clear_object (&address);
  address = g_socket_get_local_address (socket, NULL);
  closed_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  g_socket_close (socket, NULL);

  client = paddock_pve_client_new ("127.0.0.1", closed_port, NULL);
  paddock_pve_client_set_token (client, "root@pam!x", "y");
  paddock_pve_client_set_retry_delay (client, 20);
  cluster = paddock_cluster_new (client, 1);

  paddock_cluster_refresh_async (cluster, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_cluster_refresh_finish (cluster, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNREACHABLE);
  /* The address said once, then GIO's reason alone. */
  {
    g_autofree char *expected = g_strdup_printf ("Cannot reach 127.0.0.1:%u: Connection refused", closed_port);

    g_assert_cmpstr (error->message, ==, expected);
  }
  g_assert_false (paddock_cluster_get_reachable (cluster));
  g_assert_cmpstr (paddock_cluster_get_last_error (cluster), ==, error->message);
}

static guint changes;
static guint added;
static guint removed;

static void
on_items_changed (GListModel *model, guint position, guint removed_items, guint added_items, gpointer user_data)
{
  changes++;
  added += added_items;
  removed += removed_items;
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

static void
test_cluster_model (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockCluster) cluster = NULL;
  g_autoptr(PaddockCluster) offline = NULL;
  g_autoptr(PaddockPveParams) params = NULL;
  g_autoptr(PaddockTaskInfo) task = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upid = NULL;
  PaddockGuest *web;
  guint n;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");
  cluster = paddock_cluster_new (client, 1);
  g_signal_connect (cluster, "items-changed", G_CALLBACK (on_items_changed), NULL);

  refresh (cluster);
  n = g_list_model_get_n_items (G_LIST_MODEL (cluster));
  g_assert_cmpuint (n, >=, 25);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (added, ==, n);
  g_assert_true (paddock_cluster_get_reachable (cluster));
  g_assert_cmpint (paddock_cluster_get_last_success (cluster), >, 0);

  web = paddock_cluster_lookup (cluster, 101);
  g_assert_cmpstr (paddock_guest_get_name (web), ==, "nextcloud");
  g_assert_cmpstr (paddock_guest_get_tags (web), ==, "apps;prod");
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (cluster)) == PADDOCK_TYPE_GUEST);

  /* Nothing added or removed: no items-changed at all, the rows stay. */
  changes = added = removed = 0;
  refresh (cluster);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_true (paddock_cluster_lookup (cluster, 101) == web);

  /* A new container is one insertion; its deletion one removal. */
  params = create_params (350);
  paddock_pve_client_create_guest_async (client, "pve2", params, NULL, PADDOCK_TEST_ASYNC (result));
  upid = paddock_pve_client_create_guest_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  task = wait_task (client, upid, 30, &error);
  g_clear_object (&result);
  refresh (cluster);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cluster)), ==, n + 1);

  /* The cache round trip gives the same list, marked as cached. */
  paddock_cluster_dup_cache_rows_async (cluster, NULL, PADDOCK_TEST_ASYNC (result));
  rows = paddock_cluster_dup_cache_rows_finish (cluster, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  offline = paddock_cluster_new (client, 1);
  g_assert_true (paddock_cluster_load_cache (offline, rows, &error));
  g_assert_no_error (error);
  g_assert_true (paddock_cluster_get_from_cache (offline));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (offline)), ==, n + 1);
  g_assert_cmpstr (paddock_guest_get_name (paddock_cluster_lookup (offline, 101)), ==, "nextcloud");
  /* Cached rows are offline (dimmed, no actions) until their connection answers. */
  g_assert_true (paddock_guest_get_offline (paddock_cluster_lookup (offline, 101)));
  g_assert_false (paddock_guest_get_offline (paddock_cluster_lookup (cluster, 101)));
  g_clear_object (&result);
  paddock_cluster_refresh_async (offline, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_cluster_refresh_finish (offline, paddock_test_wait (&result), &error));
  g_assert_false (paddock_guest_get_offline (paddock_cluster_lookup (offline, 101)));
  g_clear_object (&result);

  g_clear_pointer (&upid, g_free);
  g_clear_pointer (&task, paddock_task_info_free);
  paddock_pve_client_delete_guest_async (client, "pve2", 350, TRUE, TRUE, NULL, PADDOCK_TEST_ASYNC (result));
  upid = paddock_pve_client_delete_guest_finish (client, paddock_test_wait (&result), &error);
  task = wait_task (client, upid, 30, &error);
  g_assert_no_error (error);
  changes = added = removed = 0;
  refresh (cluster);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (removed, ==, 1);

  /* Old servers send vmid as a string: the same list. */
  g_free (paddock_test_lab_control ("quirk", "vmid-string", NULL));
  changes = 0;
  refresh (cluster);
  g_free (paddock_test_lab_control ("quirk", "vmid-string", "0"));
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cluster)), ==, n);
}

static void
test_other_operations (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) rrd = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upid = NULL;
  g_autoptr(PaddockTaskInfo) task = NULL;
  PaddockInterface *eth0;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");

  paddock_pve_client_get_nodes_async (client, NULL, PADDOCK_TEST_ASYNC (result));
  list = paddock_pve_client_get_nodes_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_true (((PaddockNodeUsage *) list->pdata[0])->online);
  g_assert_cmpint (((PaddockNodeUsage *) list->pdata[0])->maxmem, >, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  {
    g_autoptr(JsonObject) status = NULL;

    paddock_pve_client_get_node_status_async (client, "pve1", NULL, PADDOCK_TEST_ASYNC (result));
    status = paddock_pve_client_get_node_status_finish (client, paddock_test_wait (&result), &error);
    g_assert_no_error (error);
    g_assert_true (json_object_has_member (status, "cpuinfo"));
    g_clear_object (&result);
  }

  /* PVE 7 sends vmid as a string in /nodes/{n}/lxc: the same records either way. */
  for (guint quirk = 0; quirk < 2; quirk++)
    {
      g_free (paddock_test_lab_control ("quirk", "vmid-string", quirk ? "1" : "0"));
      paddock_pve_client_list_guests_async (client, "pve2", NULL, PADDOCK_TEST_ASYNC (result));
      list = paddock_pve_client_list_guests_finish (client, paddock_test_wait (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, 8);
      g_assert_cmpuint (((PaddockGuestRecord *) list->pdata[0])->vmid, ==, 110);
      g_clear_pointer (&list, g_ptr_array_unref);
      g_clear_object (&result);
    }
  g_free (paddock_test_lab_control ("quirk", "vmid-string", "0"));

  paddock_pve_client_get_interfaces_async (client, "pve1", 101, NULL, PADDOCK_TEST_ASYNC (result));
  list = paddock_pve_client_get_interfaces_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  eth0 = list->pdata[1];
  g_assert_cmpstr (eth0->name, ==, "eth0");
  g_assert_cmpstr (eth0->addresses[0], ==, "192.168.1.11/24");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_pve_client_get_rrd_async (client, "pve1", 101, "hour", "MAX", NULL, PADDOCK_TEST_ASYNC (result));
  rrd = paddock_pve_client_get_rrd_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rrd->len, ==, 70);
  g_clear_object (&result);

  paddock_pve_client_get_storages_async (client, "pve1", "rootdir", NULL, PADDOCK_TEST_ASYNC (result));
  list = paddock_pve_client_get_storages_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((PaddockStorage *) list->pdata[0])->storage, ==, "local-lvm");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_pve_client_get_storage_content_async (client, "pve1", "local", "vztmpl", NULL, PADDOCK_TEST_ASYNC (result));
  list = paddock_pve_client_get_storage_content_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >=, 3);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_pve_client_get_bridges_async (client, "pve1", NULL, PADDOCK_TEST_ASYNC (result));
  list = paddock_pve_client_get_bridges_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_pve_client_get_appliances_async (client, "pve1", NULL, PADDOCK_TEST_ASYNC (result));
  list = paddock_pve_client_get_appliances_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >=, 3);
  g_clear_object (&result);

  paddock_pve_client_download_appliance_async (client, "pve1", "local",
                                               ((PaddockAppliance *) list->pdata[4])->template, NULL,
                                               PADDOCK_TEST_ASYNC (result));
  upid = paddock_pve_client_download_appliance_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  task = wait_task (client, upid, 30, &error);
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_pve_client_get_tasks_async (client, "pve1", 0, 0, 5, NULL, PADDOCK_TEST_ASYNC (result));
  list = paddock_pve_client_get_tasks_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >=, 1);
  g_assert_cmpstr (((PaddockTaskInfo *) list->pdata[0])->upid, ==, upid);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_pve_client_get_task_log_async (client, upid, 0, 0, NULL, PADDOCK_TEST_ASYNC (result));
  list = paddock_pve_client_get_task_log_finish (client, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PaddockTaskLine *) g_ptr_array_index (list, list->len - 1))->text, ==, "TASK OK");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_pve_client_get_task_status_async (client, "not-a-upid", NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_null (paddock_pve_client_get_task_status_finish (client, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
}

static void
test_journal_clean (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint requests = 0, rejected = 0;

  if (!paddock_test_lab_required ())
    return;

  g_assert_true (g_file_get_contents (paddock_test_lab_get ("JOURNAL"), &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      requests++;
      rejected += strstr (lines[i], "\"schema_rejected\":1") != NULL;
    }

  g_test_message ("%u requests, %u rejected by the schema", requests, rejected);
  g_assert_cmpuint (requests, >, 50);
  g_assert_cmpuint (rejected, ==, expected_schema_rejections);
}


static void
on_index_changed (PaddockAddressIndex *index,
                  guint               *index_changes)
{
  (*index_changes)++;
}

static void
test_address_index (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockCluster) cluster = NULL;
  g_autoptr(PaddockAddressIndex) index = NULL;
  gint64 deadline;
  guint index_changes = 0;

  g_assert_true (paddock_address_index_is_address_query ("192.168.1.11"));
  g_assert_true (paddock_address_index_is_address_query ("10.10"));
  g_assert_true (paddock_address_index_is_address_query ("fd00::1/64"));
  g_assert_false (paddock_address_index_is_address_query ("101"));
  g_assert_false (paddock_address_index_is_address_query ("nextcloud"));
  g_assert_false (paddock_address_index_is_address_query ("db prod"));
  g_assert_false (paddock_address_index_is_address_query (NULL));

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");
  cluster = paddock_cluster_new (client, 1);
  refresh (cluster);

  index = paddock_address_index_new ();
  g_signal_connect (index, "changed", G_CALLBACK (on_index_changed), &index_changes);
  g_assert_null (paddock_address_index_lookup (index, paddock_cluster_lookup (cluster, 101)));

  paddock_address_index_learn (index, cluster);
  g_assert_cmpuint (paddock_address_index_get_pending (index), ==, g_list_model_get_n_items (G_LIST_MODEL (cluster)));
  /* Asking twice queues nothing twice. */
  paddock_address_index_learn (index, cluster);
  g_assert_cmpuint (paddock_address_index_get_pending (index), ==, g_list_model_get_n_items (G_LIST_MODEL (cluster)));

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((paddock_address_index_get_pending (index) > 0 || index_changes == 0) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (paddock_address_index_get_pending (index), ==, 0);
  g_assert_cmpuint (index_changes, >, 0);

  /* A static address from net0; a running DHCP container's address from its interfaces (not
   * loopback); a stopped DHCP container has none, and that is known too. */
  g_assert_cmpstr (paddock_address_index_lookup (index, paddock_cluster_lookup (cluster, 101)), ==, "192.168.1.11/24");
  g_assert_cmpstr (paddock_address_index_lookup (index, paddock_cluster_lookup (cluster, 103)), ==, "10.10.0.105/24");
  g_assert_cmpstr (paddock_address_index_lookup (index, paddock_cluster_lookup (cluster, 123)), ==, "");

  /* What a detail view learns replaces what was known. */
  {
    const char *addresses[] = { "192.0.2.7/24", "127.0.0.1/8", "fe80::1/64", NULL };

    paddock_address_index_set (index, paddock_cluster_lookup (cluster, 123), addresses);
    g_assert_cmpstr (paddock_address_index_lookup (index, paddock_cluster_lookup (cluster, 123)), ==, "192.0.2.7/24");
  }
}

static void
test_check (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockPveClient) untrusted = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  if (!paddock_test_lab_required ())
    return;

  /* "Test": the version, then the cluster's nodes with this login. */
  client = token_client ("PVE_TOKEN");
  paddock_pve_client_check_async (client, NULL, PADDOCK_TEST_ASYNC (result));
  status = paddock_pve_client_check_finish (client, paddock_test_wait (&result), &version, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status->nodes->len, ==, 3);
  g_clear_pointer (&status, paddock_pve_cluster_status_free);

  /* Quorum lost: the check still answers, and says so. */
  g_free (paddock_test_lab_control ("quorum", "lost", NULL));
  g_clear_object (&result);
  g_clear_pointer (&version, g_free);
  paddock_pve_client_check_async (client, NULL, PADDOCK_TEST_ASYNC (result));
  status = paddock_pve_client_check_finish (client, paddock_test_wait (&result), &version, &error);
  g_free (paddock_test_lab_control ("quorum", "ok", NULL));
  g_assert_no_error (error);
  g_assert_false (status->quorate);
  {
    g_autofree char *offline = paddock_pve_cluster_status_dup_offline (status);

    g_assert_cmpstr (offline, ==, "pve2, pve3");
  }
  g_assert_nonnull (version);
  g_assert_true (g_str_has_prefix (version, "9."));

  /* The first failure is the answer: here the certificate nobody trusted. */
  g_clear_object (&result);
  g_clear_pointer (&version, g_free);
  untrusted = paddock_pve_client_new ("127.0.0.1", lab_port (), NULL);
  paddock_pve_client_set_token (untrusted, "root@pam!paddock", "any");
  paddock_pve_client_check_async (untrusted, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_null (paddock_pve_client_check_finish (untrusted, paddock_test_wait (&result), &version, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE);
  g_assert_null (version);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *journal = NULL;
  g_autofree char *dir = NULL;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("paddock-client-journal-XXXXXX", NULL);
  journal = g_build_filename (dir, "journal.jsonl", NULL);
  {
    const char *args[] = { "--no-ssh", "--auth-delay-ms", "20", "--task-ms", "300", "--journal", journal, NULL };

    paddock_test_lab_start (args);
  }
  if (paddock_test_lab != NULL)
    g_hash_table_insert (paddock_test_lab, g_strdup ("JOURNAL"), g_strdup (journal));

  g_test_add_func ("/pve-client/untrusted-then-trusted", test_untrusted_then_trusted);
  g_test_add_func ("/pve-client/certificate-changed", test_certificate_changed);
  g_test_add_func ("/pve-client/cluster-ca", test_cluster_ca);
  g_test_add_func ("/pve-client/token-reads", test_token_reads);
  g_test_add_func ("/pve-client/ticket-auth", test_ticket_auth);
  g_test_add_func ("/pve-client/wrong-password", test_wrong_password);
  g_test_add_func ("/pve-client/two-factor", test_two_factor);
  g_test_add_func ("/pve-client/lifecycle", test_lifecycle);
  g_test_add_func ("/pve-client/permission", test_permission);
  g_test_add_func ("/pve-client/create-config-delete", test_create_config_delete);
  g_test_add_func ("/pve-client/parameter-error", test_parameter_error_names_field);
  g_test_add_func ("/pve-client/faults", test_faults);
  g_test_add_func ("/pve-client/unreachable-host", test_unreachable_host);
  g_test_add_func ("/pve-client/cluster-model", test_cluster_model);
  g_test_add_func ("/pve-client/address-index", test_address_index);
  g_test_add_func ("/pve-client/check", test_check);
  g_test_add_func ("/pve-client/other-operations", test_other_operations);
  g_test_add_func ("/pve-client/journal-clean", test_journal_clean);

  return g_test_run ();
}
