/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-provision.c: provisioning jobs, from their plans and the scripts they run, to containers
 * made end to end in the lab (real systemd containers, a real keyring, a real SQLite store) */

#define _GNU_SOURCE /* memmem */

#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "paddock-core.h"
#include "paddock-job-private.h"
#include "paddock-provision-commands-private.h"
#include "paddock-test-lab-session.h"
#include "paddock-test-util.h"

#define FIXTURE TEST_DATA_DIR "/provision/web"

/* ------------------------------------------------------------------------------------------- */
/* Plans                                                                                       */

static PaddockJobPlan *
small_plan (void)
{
  PaddockJobPlan *plan = paddock_job_plan_new ();

  plan->connection_id = 1;
  plan->node = g_strdup ("pve1");
  plan->vmid = 123;
  plan->hostname = g_strdup ("web1");
  return plan;
}

static void
assert_invalid (PaddockJobPlan *plan,
                const char     *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (paddock_job_plan_validate (plan, &error));
  g_assert_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, expected);
}

static void
test_plan_checks (void)
{
  struct { const char *field; const char *value; const char *expected; } bad[] = {
    { "hostname", "web_1", "not a hostname" },
    { "hostname", "-web", "not a hostname" },
    { "hostname", "a.b.this-label-is-much-longer-than-sixty-three-characters-and-so-it-is-not-a-label", "not a hostname" },
    { "ipv4", "10.0.0.5", "prefix length" },
    { "ipv4", "10.0.0.300/24", "prefix length" },
    { "ipv4", "10.0.0.5/33", "prefix length" },
    { "gateway", "10.0.0.1", "static address" },
    { "ipv6", "2001:db8::1", "IPv6 setting" },
    { "bridge", "vmbr0;reboot", "bridge name" },
    { "bridge", "a-bridge-name-too-long", "bridge name" },
    { "storage", "local lvm", "storage name" },
    { "nameserver", "dns.example", "name server" },
    { "os", "local:vztmpl/x.tar.zst,rootfs=evil", "OS template" },
    { "ssh", "ssh-ed25519 AAAA$$$ me@host", "public key" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(PaddockJobPlan) plan = small_plan ();
      char **slot = g_str_equal (bad[i].field, "hostname") ? &plan->hostname
                    : g_str_equal (bad[i].field, "ipv4") ? &plan->ipv4
                    : g_str_equal (bad[i].field, "gateway") ? &plan->gateway
                    : g_str_equal (bad[i].field, "ipv6") ? &plan->ipv6
                    : g_str_equal (bad[i].field, "bridge") ? &plan->bridge
                    : g_str_equal (bad[i].field, "storage") ? &plan->storage
                    : g_str_equal (bad[i].field, "nameserver") ? &plan->nameserver
                    : g_str_equal (bad[i].field, "os") ? &plan->os_template
                    : &plan->ssh_public_keys;

      g_free (*slot);
      *slot = g_strdup (bad[i].value);
      assert_invalid (plan, bad[i].expected);
    }

  {
    g_autoptr(PaddockJobPlan) plan = small_plan ();

    plan->vmid = 99;
    assert_invalid (plan, "VMID 99");
  }
  {
    g_autoptr(PaddockJobPlan) plan = small_plan ();

    /* Option-looking and shell-looking names never become a package. */
    g_ptr_array_add (plan->packages, paddock_package_new (PADDOCK_PACKAGE_APT, "nginx;touch /pwned", NULL));
    g_assert_false (paddock_job_plan_validate (plan, NULL));
    g_ptr_array_set_size (plan->packages, 0);
    g_ptr_array_add (plan->packages, paddock_package_new (PADDOCK_PACKAGE_APT, "-oDebug::pkgProblemResolver=1", NULL));
    g_assert_false (paddock_job_plan_validate (plan, NULL));
  }
  {
    g_autoptr(PaddockJobPlan) plan = small_plan ();
    g_autoptr(GBytes) content = g_bytes_new_static ("x", 1);

    g_ptr_array_add (plan->files, paddock_template_file_new ("a", "/etc/../root", content));
    assert_invalid (plan, "File “a”");
  }
  {
    g_autoptr(PaddockJobPlan) plan = small_plan ();
    g_autoptr(GError) error = NULL;

    plan->ipv4 = (g_free (plan->ipv4), g_strdup ("192.168.1.20/24"));
    plan->gateway = g_strdup ("192.168.1.1");
    plan->ipv6 = g_strdup ("auto");
    plan->nameserver = g_strdup ("1.1.1.1 2606:4700:4700::1111");
    plan->ssh_public_keys = g_strdup ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHn0 me@laptop\n\n# second\n");
    g_assert_true (paddock_job_plan_validate (plan, &error));
    g_assert_no_error (error);
  }
}

static void
test_plan_params_and_json (void)
{
  g_autoptr(PaddockJobPlan) plan = small_plan ();
  g_autoptr(PaddockJobPlan) back = NULL;
  g_autoptr(PaddockPveParams) params = NULL;
  g_autoptr(PaddockPveParams) shown = NULL;
  g_autoptr(GBytes) binary = g_bytes_new_static ("\0\1\2\377", 4);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  g_autofree char *display = NULL;
  g_autofree char *form = NULL;
  PaddockTemplateScript *script;
  PaddockTemplateFile *file;

  plan->ipv4 = (g_free (plan->ipv4), g_strdup ("10.0.0.5/24"));
  plan->gateway = g_strdup ("10.0.0.1");
  plan->nesting = TRUE;
  plan->fuse = TRUE;
  plan->tags = g_strdup ("web;prod");
  g_ptr_array_add (plan->packages, paddock_package_new (PADDOCK_PACKAGE_PIP, "requests", "==2.31"));
  script = paddock_template_script_new (10, "setup", "echo “hi”\n");
  script->enabled = TRUE;
  g_ptr_array_add (plan->scripts, script);
  file = paddock_template_file_new ("blob", "/opt/app", binary);
  file->policy = PADDOCK_FILE_POLICY_BACKUP;
  file->mode = 0640;
  g_ptr_array_add (plan->files, file);

  params = paddock_job_plan_to_create_params (plan, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", "s3cret-pw");
  g_assert_cmpstr (paddock_pve_params_get (params, "net0"), ==, "name=eth0,bridge=vmbr0,ip=10.0.0.5/24,gw=10.0.0.1");
  g_assert_cmpstr (paddock_pve_params_get (params, "rootfs"), ==, "local-lvm:8");
  g_assert_cmpstr (paddock_pve_params_get (params, "unprivileged"), ==, "1");
  g_assert_cmpstr (paddock_pve_params_get (params, "onboot"), ==, "0");
  /* Only the features that are on: keyctl is off and absent. */
  g_assert_cmpstr (paddock_pve_params_get (params, "features"), ==, "nesting=1,fuse=1");
  g_assert_cmpstr (paddock_pve_params_get (params, "password"), ==, "s3cret-pw");
  g_assert_null (paddock_pve_params_get (params, "description"));
  form = paddock_pve_params_to_form (params);
  g_assert_nonnull (strstr (form, "tags=web%3Bprod"));

  shown = paddock_job_plan_to_create_params (plan, NULL, NULL);
  display = paddock_pve_params_to_display (shown);
  g_assert_null (strstr (display, "s3cret"));
  g_assert_nonnull (strstr (display, "password=••••••••"));

  json = paddock_job_plan_to_json (plan);
  g_assert_null (strstr (json, "s3cret"));
  back = paddock_job_plan_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  again = paddock_job_plan_to_json (back);
  g_assert_cmpstr (json, ==, again);
  g_assert_true (g_bytes_equal (((PaddockTemplateFile *) back->files->pdata[0])->content, binary));
  g_assert_cmpstr (((PaddockPackage *) back->packages->pdata[0])->version, ==, "==2.31");

  /* Damaged JSON is an error that says where, never a crash. */
  {
    const char *damaged[] = {
      "", "[]", "{\"vmid\": \"x\"}", "{\"packages\": [1]}", "{\"packages\": [{\"manager\": \"yum\", \"name\": \"a\"}]}",
      "{\"files\": [{\"name\": \"a\", \"target-dir\": \"/x\"}]}", "{\"cores\": 99999}", "{\"scripts\": {}}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
      {
        g_autoptr(GError) local_error = NULL;
        g_autoptr(PaddockJobPlan) broken = paddock_job_plan_new_from_json (damaged[i], -1, &local_error);

        g_assert_null (broken);
        g_assert_nonnull (local_error);
      }
  }
}

static void
test_pick_os_template (void)
{
  g_autoptr(GPtrArray) volids = g_ptr_array_new ();
  g_autofree char *picked = NULL;
  g_autofree char *none = NULL;

  g_ptr_array_add (volids, (gpointer) "local:vztmpl/debian-12-standard_12.2-1_amd64.tar.zst");
  g_ptr_array_add (volids, (gpointer) "nfs:vztmpl/debian-12-standard_12.10-1_amd64.tar.zst");
  g_ptr_array_add (volids, (gpointer) "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst");
  g_ptr_array_add (volids, (gpointer) "local:vztmpl/debian-11-standard_11.7-1_amd64.tar.zst");
  g_ptr_array_add (volids, (gpointer) "local:iso/debian-12-standard_13.0.iso");

  /* 12.10 is newer than 12.7: versions compare as numbers. */
  picked = paddock_pick_os_template ("debian-12-standard", volids);
  g_assert_cmpstr (picked, ==, "nfs:vztmpl/debian-12-standard_12.10-1_amd64.tar.zst");
  none = paddock_pick_os_template ("alpine-3.19", volids);
  g_assert_null (none);
}

/* ------------------------------------------------------------------------------------------- */
/* The scripts, run here on the host where they need no container                              */

/* Runs @script with @input on its standard input, as pct exec would in a container. */
static char *
run_local (const char *script,
           const char *input,
           int        *status)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, "/bin/sh", "-c", script, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &out, &err, &error));
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (*status != 0)
    g_test_message ("script failed: %s", err);

  return out;
}

static PaddockFileOutcome
place (const char        *dir,
       const char        *content,
       const char        *target,
       PaddockFilePolicy  policy,
       guint              mode,
       char             **backup)
{
  g_autofree char *staged = g_build_filename (dir, "staged", NULL);
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  PaddockFileOutcome outcome;
  int status;

  script = _paddock_provision_place_file_script (staged, target, policy, mode, NULL);
  out = run_local (script, content, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (_paddock_provision_parse_file_outcome (out, &outcome, backup));
  /* The staged copy never stays behind. */
  g_assert_false (g_file_test (staged, G_FILE_TEST_EXISTS));

  return outcome;
}

static void
test_file_policies (void)
{
  g_autofree char *dir = paddock_test_make_dir ("policies");
  g_autofree char *target = g_build_filename (dir, "made/for $(touch pwned)/conf", NULL);
  g_autofree char *pwned = g_build_filename (dir, "pwned", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *text = NULL;
  g_autofree char *backup_text = NULL;
  struct stat st;

  /* Absent: every policy places it, with its mode, making the directories. */
  g_assert_cmpint (place (dir, "one\n", target, PADDOCK_FILE_POLICY_DEFAULT, 0640, NULL), ==, PADDOCK_FILE_OUTCOME_DEPLOYED);
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "one\n");
  g_assert_cmpint (stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_assert_false (g_file_test (pwned, G_FILE_TEST_EXISTS));

  /* Identical: skipped whatever the policy. */
  g_assert_cmpint (place (dir, "one\n", target, PADDOCK_FILE_POLICY_REPLACE, 0644, NULL), ==, PADDOCK_FILE_OUTCOME_UNCHANGED);
  /* default keeps what is there. */
  g_assert_cmpint (place (dir, "two\n", target, PADDOCK_FILE_POLICY_DEFAULT, 0644, NULL), ==, PADDOCK_FILE_OUTCOME_KEPT);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "one\n");
  /* backup renames the old one, then places the new one. */
  g_assert_cmpint (place (dir, "three\n", target, PADDOCK_FILE_POLICY_BACKUP, 0644, &backup), ==, PADDOCK_FILE_OUTCOME_BACKED_UP);
  g_assert_nonnull (backup);
  g_assert_true (g_str_has_prefix (backup, target));
  g_assert_true (g_regex_match_simple ("\\.backup-\\d{8}-\\d{6}$", backup, 0, 0));
  g_assert_true (g_file_get_contents (backup, &backup_text, NULL, NULL));
  g_assert_cmpstr (backup_text, ==, "one\n");
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "three\n");
  /* replace overwrites. */
  g_assert_cmpint (place (dir, "four\n", target, PADDOCK_FILE_POLICY_REPLACE, 0600, NULL), ==, PADDOCK_FILE_OUTCOME_DEPLOYED);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "four\n");

  /* A directory in the way is an error, not a file moved into it. */
  {
    g_autofree char *staged = g_build_filename (dir, "staged", NULL);
    g_autofree char *in_the_way = g_build_filename (dir, "made", NULL);
    g_autofree char *script = NULL;
    g_autofree char *out = NULL;
    int status;

    script = _paddock_provision_place_file_script (staged, in_the_way, PADDOCK_FILE_POLICY_REPLACE, 0644, NULL);
    out = run_local (script, "x", &status);
    g_assert_cmpint (status, !=, 0);
    g_assert_false (g_file_test (staged, G_FILE_TEST_EXISTS));
  }

  g_assert_false (g_file_test (pwned, G_FILE_TEST_EXISTS));
}

/* Package names reach the manager as words: quoted, whatever they hold. */
static void
test_install_script_quoting (void)
{
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_package_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *custom_script = NULL;
  g_autoptr(PaddockPackage) custom = paddock_package_new (PADDOCK_PACKAGE_CUSTOM, "tool", NULL);

  g_ptr_array_add (packages, paddock_package_new (PADDOCK_PACKAGE_APT, "nginx", NULL));
  g_ptr_array_add (packages, paddock_package_new (PADDOCK_PACKAGE_APT, "curl", "7.88*"));
  script = _paddock_provision_install_script (PADDOCK_PACKAGE_APT, packages, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (script, "set -- 'nginx' '' 'nginx' 'curl' '7.88*' 'curl=7.88*'\n"));

  /* A package of another manager is refused, not installed with the wrong one. */
  g_ptr_array_add (packages, paddock_package_new (PADDOCK_PACKAGE_NPM, "left-pad", NULL));
  g_assert_null (_paddock_provision_install_script (PADDOCK_PACKAGE_APT, packages, NULL));

  custom->check_command = g_strdup ("test -f '/opt/x'");
  custom->install_command = g_strdup ("echo it's $(date) > /opt/x");
  custom->timeout = 30;
  custom_script = _paddock_provision_custom_script (custom, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (custom_script, "install='echo it'\\''s $(date) > /opt/x'"));
}

/* ------------------------------------------------------------------------------------------- */
/* End to end, in the lab                                                                      */

static PaddockStore *store;
static PaddockSecrets *secrets;
static PaddockWorkspace *workspace;
static PaddockProvisioner *provisioner;
static PaddockCluster *cluster;
static PaddockPct *pct;
static char *db_path;

static gboolean
real_containers (void)
{
  if (!paddock_test_real_containers_required ())
    return FALSE;

  if (provisioner == NULL)
    {
      g_autofree char *dir = paddock_test_make_dir ("provision");
      g_autofree char *known_hosts = g_build_filename (dir, "known_hosts", NULL);
      g_autoptr(PaddockSshSession) session = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      db_path = g_build_filename (dir, "paddock.db", NULL);
      paddock_store_open_async (db_path, NULL, PADDOCK_TEST_ASYNC (result));
      store = paddock_store_open_finish (paddock_test_wait (&result), &error);
      g_assert_no_error (error);
      secrets = paddock_secrets_new ();
      workspace = paddock_workspace_new (store, secrets);
      cluster = paddock_test_lab_connect_workspace (workspace);
      session = paddock_test_lab_ssh_session (known_hosts);
      pct = paddock_pct_new (session, "pve1");

      provisioner = paddock_provisioner_new (workspace);
      paddock_provisioner_set_node_pct (provisioner, paddock_cluster_get_connection_id (cluster), "pve1", pct);
      paddock_provisioner_set_poll_interval (provisioner, 100, 500);
    }

  return TRUE;
}

static PaddockSshResult *
run_in (guint       vmid,
        const char *script)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockSshResult *output;

  paddock_pct_exec_async (pct, vmid, script, NULL, 30000, NULL, PADDOCK_TEST_ASYNC (result));
  output = paddock_pct_exec_finish (pct, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  return output;
}

static char *
out_of (guint       vmid,
        const char *script)
{
  g_autoptr(PaddockSshResult) result = run_in (vmid, script);
  g_autofree char *text = paddock_ssh_result_dup_out_text (result);

  g_assert_cmpint (result->exit_status, ==, 0);
  return g_strdup (g_strstrip (text));
}

static PaddockTemplate *
import_fixture (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;
  PaddockImportReport *report;

  paddock_store_import_templates_async (store, FIXTURE, NULL, PADDOCK_TEST_ASYNC (result));
  reports = paddock_store_import_templates_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reports->len, ==, 1);
  report = reports->pdata[0];
  g_assert_cmpint (report->outcome, !=, PADDOCK_IMPORT_FAILED);

  g_clear_object (&result);
  paddock_store_get_template_async (store, report->template_id, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_store_get_template_finish (store, paddock_test_wait (&result), NULL);
}

static gint64
save_template (PaddockTemplate *template)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  paddock_store_save_template_async (store, template, NULL, PADDOCK_TEST_ASYNC (result));
  id = paddock_store_save_template_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  return id;
}

static guint
next_vmid (void)
{
  static guint vmid = 700;

  return vmid++;
}

static PaddockJobPlan *
plan_for (PaddockTemplate *template,
          const char      *hostname)
{
  PaddockJobPlan *plan = template ? paddock_job_plan_new_from_template (template) : paddock_job_plan_new ();

  plan->connection_id = paddock_cluster_get_connection_id (cluster);
  plan->node = g_strdup ("pve1");
  plan->vmid = next_vmid ();
  plan->hostname = g_strdup (hostname);
  plan->memory = 256;
  return plan;
}

static PaddockJob *
create (const PaddockJobPlan *plan)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockJob *job;

  paddock_provisioner_create_async (provisioner, plan, NULL, PADDOCK_TEST_ASYNC (result));
  job = paddock_provisioner_create_finish (provisioner, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  return job;
}

static gboolean
wait_job (PaddockJob  *job,
          guint        seconds,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_provisioner_wait_async (provisioner, job, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_provisioner_wait_finish (provisioner, paddock_test_wait_seconds (&result, seconds), error);
}

static PaddockJobItem *
item_named (PaddockJob *job,
            const char *name)
{
  GListModel *items = paddock_job_get_items (job);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(PaddockJobItem) item = g_list_model_get_item (items, i);

      if (g_str_equal (paddock_job_item_get_name (item), name))
        return item;
    }

  g_error ("job %" G_GINT64_FORMAT " has no item %s", paddock_job_get_id (job), name);
}

static GPtrArray *
stored_output (PaddockJob *job)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *lines;

  paddock_store_flush_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_flush_finish (store, paddock_test_wait (&result), NULL));
  g_clear_object (&result);
  paddock_store_get_job_output_async (store, paddock_job_get_id (job), 0, NULL, PADDOCK_TEST_ASYNC (result));
  lines = paddock_store_get_job_output_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  return lines;
}

static guint
count_lines (GPtrArray  *lines,
             const char *needle)
{
  guint count = 0;

  for (guint i = 0; i < lines->len; i++)
    if (strstr (((PaddockJobLine *) lines->pdata[i])->line, needle) != NULL)
      count++;

  return count;
}

static void
destroy (PaddockJob *job)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Only a stopped job offers to delete its container; a finished one is deleted directly. */
  paddock_pve_client_delete_guest_async (paddock_cluster_get_client (cluster), "pve1", paddock_job_get_vmid (job),
                                         TRUE, TRUE, NULL, PADDOCK_TEST_ASYNC (result));
  g_free (paddock_pve_client_delete_guest_finish (paddock_cluster_get_client (cluster), paddock_test_wait (&result),
                                                  &error));
}

/* A template with an apt package, npm, a custom package, scripts that save a credential and one
 * file per policy becomes a running container whose services are found. */
static void
test_end_to_end (void)
{
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PaddockProbeResult) probe = NULL;
  g_autofree char *page = NULL;
  g_autofree char *password = NULL;
  g_autofree char *motd = NULL;
  g_autofree char *issue = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *dir_owner = NULL;
  g_autofree char *marker = NULL;
  double total, tasks, commands;
  guint vmid;
  PaddockService *nginx;

  if (!real_containers ())
    return;

  template = import_fixture ();
  plan = plan_for (template, "web-e2e");
  vmid = plan->vmid;
  job = create (plan);
  g_assert_true (wait_job (job, 600, &error));
  g_assert_no_error (error);

  g_assert_cmpint (paddock_job_get_state (job), ==, PADDOCK_JOB_SUCCEEDED);
  g_assert_cmpuint (paddock_job_get_percent (job), ==, 100);
  g_assert_nonnull (paddock_job_get_address (job));
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "apt")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "npm")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "custom")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "setup")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "check")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "/var/www/html/index.html")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "/etc/motd")), ==, PADDOCK_JOB_ITEM_SKIPPED);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "/etc/issue.net")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_nonnull (strstr (paddock_job_item_get_detail (item_named (job, "/etc/issue.net")), ".backup-"));
  for (guint p = 0; p < PADDOCK_N_JOB_PHASES; p++)
    g_assert_cmpfloat (paddock_job_get_phase_seconds (job, p), >, 0);
  paddock_job_get_run_seconds (job, &total, &tasks, &commands);
  g_assert_cmpfloat (tasks + commands, <=, total);
  g_test_message ("end to end: %.1f s, of which tasks %.1f s and commands %.1f s", total, tasks, commands);

  /* nginx serves the template's page at the container's own address. */
  page = paddock_test_http_get (paddock_job_get_address (job));
  g_assert_nonnull (strstr (page, "provisioned by paddock"));

  /* The credential the script saved is found by the probe, which the job ran and cached. */
  paddock_probe_async (pct, vmid, NULL, PADDOCK_TEST_ASYNC (result));
  probe = paddock_probe_finish (pct, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  nginx = paddock_probe_result_find_service (probe, "nginx.service");
  g_assert_nonnull (nginx);
  g_assert_cmpuint (paddock_service_get_credentials (nginx)->len, ==, 1);

  /* Each file as its policy says: default kept Debian's motd, backup kept the old issue.net. */
  motd = out_of (vmid, "cat /etc/motd");
  g_assert_null (strstr (motd, "from the template"));
  issue = out_of (vmid, "cat /etc/issue.net");
  g_assert_cmpstr (issue, ==, "Paddock lab container");
  backups = out_of (vmid, "ls /etc/ | grep -c '^issue.net.backup-'");
  g_assert_cmpstr (backups, ==, "1");
  /* The file belongs to the owner of its directory, which the job made as that owner's. */
  owner = out_of (vmid, "stat -c '%U %a' /home/app/.config/app.conf");
  g_assert_cmpstr (owner, ==, "app 600");
  dir_owner = out_of (vmid, "stat -c '%U' /home/app/.config");
  g_assert_cmpstr (dir_owner, ==, "app");
  marker = out_of (vmid, "cat /opt/hello/marker; npm ls -g --depth=0 is-number >/dev/null && echo npm-ok");
  g_assert_cmpstr (marker, ==, "hello\nnpm-ok");
  /* The job's work directory is gone. */
  {
    g_autoptr(PaddockSshResult) listed = run_in (vmid, "ls -d /var/tmp/paddock-job-*");

    g_assert_cmpint (listed->exit_status, !=, 0);
  }

  /* The output is whole lines, in order, without repeats, the task's log among them. */
  lines = stored_output (job);
  g_assert_cmpuint (lines->len, >, 20);
  for (guint i = 1; i < lines->len; i++)
    g_assert_cmpint (((PaddockJobLine *) lines->pdata[i])->seq, ==, ((PaddockJobLine *) lines->pdata[i - 1])->seq + 1);
  g_assert_cmpuint (count_lines (lines, "Credentials saved"), ==, 1);
  /* One install per manager, of what was missing (the apt group in the order its files gave it). */
  g_assert_cmpuint (count_lines (lines, "Installing: npm nginx"), ==, 1);
  g_assert_cmpuint (count_lines (lines, "Installing: is-number@7.0.0"), ==, 1);
  g_assert_cmpuint (count_lines (lines, "Installing hello-marker"), ==, 1);
  g_assert_cmpuint (count_lines (lines, "extracting archive"), ==, 1);

  /* The root password is in the keyring, and nowhere in the database. */
  g_clear_object (&result);
  paddock_provisioner_lookup_root_password_async (provisioner, job, NULL, PADDOCK_TEST_ASYNC (result));
  password = paddock_provisioner_lookup_root_password_finish (provisioner, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (password), ==, 24);
  g_assert_null (strstr (paddock_job_get_create_params (job), password));
  g_assert_nonnull (strstr (paddock_job_get_create_params (job), "password=••••••••"));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *file_path = g_strconcat (db_path, i ? "-wal" : "", NULL);
      g_autofree char *bytes = NULL;
      gsize length = 0;

      if (g_file_get_contents (file_path, &bytes, &length, NULL))
        g_assert_null (memmem (bytes, length, password, strlen (password)));
    }

  destroy (job);
}

/* A script fails: the job stops at scripts with its last lines; the template is fixed, and the
 * retry goes on from the failed script (the one before does not run again). */
static void
test_retry_after_fix (void)
{
  g_autoptr(PaddockTemplate) template = paddock_template_new ("fails-then-fixed");
  g_autoptr(PaddockTemplateScript) first = paddock_template_script_new (10, "first", "echo first-script-ran\n");
  g_autoptr(PaddockTemplateScript) second = paddock_template_script_new (20, "second",
                                                                         "echo about to fail\nlog_error 'not fixed yet'\nexit 3\n");
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *fixed = NULL;

  if (!real_containers ())
    return;

  first->enabled = second->enabled = TRUE;
  paddock_template_add_script (template, first);
  paddock_template_add_script (template, second);
  paddock_template_set_memory (template, 256);
  paddock_template_set_id (template, save_template (template));

  plan = plan_for (template, "fails-once");
  job = create (plan);
  g_assert_false (wait_job (job, 180, &error));
  g_assert_error (error, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_FAILED);
  g_assert_cmpint (paddock_job_get_state (job), ==, PADDOCK_JOB_FAILED);
  g_assert_cmpint (paddock_job_get_phase (job), ==, PADDOCK_JOB_PHASE_SCRIPTS);
  g_assert_cmpstr (paddock_job_get_message (job), ==, "Script “second” failed with exit status 3");
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "first")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "second")), ==, PADDOCK_JOB_ITEM_FAILED);
  {
    g_autofree char *tail = paddock_job_dup_last_lines (job, 5);

    g_assert_nonnull (strstr (tail, "not fixed yet"));
  }
  g_clear_error (&error);

  /* Fixed in the template, then retried from this step. */
  paddock_template_script_free (second);
  second = paddock_template_script_new (20, "second", "echo fixed-now\n");
  second->enabled = TRUE;
  paddock_template_clear_parts (template);
  paddock_template_add_script (template, first);
  paddock_template_add_script (template, second);
  save_template (template);

  paddock_provisioner_retry_async (provisioner, job, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_provisioner_retry_finish (provisioner, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_true (wait_job (job, 180, &error));
  g_assert_no_error (error);
  g_assert_cmpint (paddock_job_get_state (job), ==, PADDOCK_JOB_SUCCEEDED);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "second")), ==, PADDOCK_JOB_ITEM_DONE);

  lines = stored_output (job);
  g_assert_cmpuint (count_lines (lines, "first-script-ran"), ==, 1);
  g_assert_cmpuint (count_lines (lines, "fixed-now"), ==, 1);
  g_assert_cmpuint (count_lines (lines, "extracting archive"), ==, 1);
  fixed = out_of (paddock_job_get_vmid (job), "hostname");
  g_assert_cmpstr (fixed, ==, "fails-once");

  destroy (job);
}

static PaddockTemplate *
sleeper_template (const char *name,
                  guint       seconds)
{
  PaddockTemplate *template = paddock_template_new (name);
  g_autofree char *content = g_strdup_printf ("sleep %u\necho slept\n", seconds);
  g_autoptr(PaddockTemplateScript) sleep_script = paddock_template_script_new (10, "sleep", content);
  g_autoptr(PaddockTemplateScript) after = paddock_template_script_new (20, "after", "echo after-ran\n");

  sleep_script->enabled = after->enabled = TRUE;
  paddock_template_add_script (template, sleep_script);
  paddock_template_add_script (template, after);
  paddock_template_set_memory (template, 128);
  paddock_template_set_id (template, save_template (template));

  return template;
}

/* Three jobs on one node: two run, the third waits for a place, then runs. */
static void
test_two_per_node (void)
{
  g_autoptr(PaddockTemplate) template = NULL;
  PaddockJob *jobs[3] = { NULL };
  gboolean saw_two_running_one_waiting = FALSE;
  gint64 deadline;

  if (!real_containers ())
    return;

  template = sleeper_template ("sleeper", 4);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *hostname = g_strdup_printf ("queue-%u", i);
      g_autoptr(PaddockJobPlan) plan = plan_for (template, hostname);

      jobs[i] = create (plan);
    }

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!(paddock_job_is_finished (jobs[0]) && paddock_job_is_finished (jobs[1]) && paddock_job_is_finished (jobs[2])))
    {
      guint running = 0, queued = 0;

      g_main_context_iteration (NULL, TRUE);
      for (guint i = 0; i < 3; i++)
        {
          running += paddock_job_get_state (jobs[i]) == PADDOCK_JOB_RUNNING;
          queued += paddock_job_get_state (jobs[i]) == PADDOCK_JOB_QUEUED;
        }
      g_assert_cmpuint (running, <=, PADDOCK_PROVISIONER_MAX_PER_NODE);
      if (running == 2 && queued == 1)
        saw_two_running_one_waiting = TRUE;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  g_assert_true (saw_two_running_one_waiting);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (paddock_job_get_state (jobs[i]), ==, PADDOCK_JOB_SUCCEEDED);
      destroy (jobs[i]);
      g_object_unref (jobs[i]);
    }
}

/* Cancel stops after the command that runs: the sleeping script ends, the next does not start. */
static void
test_cancel (void)
{
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 deadline;

  if (!real_containers ())
    return;

  template = sleeper_template ("sleeper-to-cancel", 3);
  plan = plan_for (template, "cancelled");
  job = create (plan);

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (paddock_job_item_get_status (item_named (job, "sleep")) != PADDOCK_JOB_ITEM_RUNNING)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  paddock_provisioner_cancel_async (provisioner, job, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_provisioner_cancel_finish (provisioner, paddock_test_wait (&result), &error));
  g_assert_false (wait_job (job, 60, &error));
  g_assert_error (error, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "Cancelled while running scripts");
  g_clear_error (&error);
  g_assert_cmpint (paddock_job_get_state (job), ==, PADDOCK_JOB_CANCELLED);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "sleep")), ==, PADDOCK_JOB_ITEM_DONE);
  g_assert_cmpint (paddock_job_item_get_status (item_named (job, "after")), ==, PADDOCK_JOB_ITEM_PENDING);
  lines = stored_output (job);
  g_assert_cmpuint (count_lines (lines, "slept"), ==, 1);
  g_assert_cmpuint (count_lines (lines, "after-ran"), ==, 0);

  /* A cancelled job offers Delete container: it goes, with the job. */
  g_clear_object (&result);
  paddock_provisioner_delete_container_async (provisioner, job, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_provisioner_delete_container_finish (provisioner, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_null (paddock_provisioner_find_job (provisioner, paddock_job_get_id (job)));
  g_clear_object (&result);
  paddock_pve_client_get_guest_status_async (paddock_cluster_get_client (cluster), "pve1", paddock_job_get_vmid (job),
                                             NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_null (paddock_pve_client_get_guest_status_finish (paddock_cluster_get_client (cluster),
                                                             paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND);
}

/* Names in a plan (a template's, or typed into the wizard) reach the node and the container only
 * as data. */
static void
test_hostile_names (void)
{
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("data\n", 5);
  g_autofree char *found = NULL;
  g_autofree char *placed = NULL;
  PaddockTemplateScript *script;
  PaddockTemplateFile *file;

  if (!real_containers ())
    return;

  plan = plan_for (NULL, "hostile");
  plan->template_name = g_strdup ("hostile $(touch /tmp/pwned-template)");
  script = paddock_template_script_new (10, "$(touch pwned-script); `id`", "echo script ran\n");
  script->enabled = TRUE;
  g_ptr_array_add (plan->scripts, script);
  file = paddock_template_file_new ("x'; touch pwned-file; '", "/opt/a dir/$(touch pwned-dir)", content);
  file->policy = PADDOCK_FILE_POLICY_REPLACE;
  g_ptr_array_add (plan->files, file);

  job = create (plan);
  g_assert_true (wait_job (job, 180, &error));
  g_assert_no_error (error);

  placed = out_of (paddock_job_get_vmid (job), "cat \"/opt/a dir/\\$(touch pwned-dir)/x'; touch pwned-file; '\"");
  g_assert_cmpstr (placed, ==, "data");
  found = out_of (paddock_job_get_vmid (job), "find / -xdev -name 'pwned*' 2>/dev/null | wc -l");
  g_assert_cmpstr (found, ==, "0");
  g_assert_false (g_file_test ("/tmp/pwned-template", G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("pwned-script", G_FILE_TEST_EXISTS));

  destroy (job);
}

/* A job whose process died is interrupted at the next start, and a retry finishes it. */
static void
test_interrupted (void)
{
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(PaddockProvisioner) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PaddockJobRecord) record = NULL;
  PaddockJob *found;

  if (!real_containers ())
    return;

  template = sleeper_template ("sleeper-interrupted", 0);
  plan = plan_for (template, "interrupted");
  job = create (plan);
  g_assert_true (wait_job (job, 180, &error));

  /* As if a process killed during its files phase had left it: running, owned by a dead PID. */
  record = paddock_job_to_record (job);
  record->state = PADDOCK_JOB_RUNNING;
  g_free (record->phase);
  record->phase = g_strdup ("files");
  paddock_store_update_job_async (store, record, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_update_job_finish (store, paddock_test_wait (&result), &error));
  {
    g_autoptr(GString) sql = g_string_new (NULL);
    sqlite3 *db = NULL;

    g_string_printf (sql, "UPDATE jobs SET owner = '%s:999999999:1:gone' WHERE id = %" G_GINT64_FORMAT,
                     g_get_host_name (), paddock_job_get_id (job));
    g_clear_object (&result);
    paddock_store_flush_async (store, NULL, PADDOCK_TEST_ASYNC (result));
    paddock_test_wait (&result);
    g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
    sqlite3_busy_timeout (db, 5000);
    g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }

  later = paddock_provisioner_new (workspace);
  paddock_provisioner_set_node_pct (later, paddock_cluster_get_connection_id (cluster), "pve1", pct);
  g_clear_object (&result);
  paddock_provisioner_load_async (later, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_provisioner_load_finish (later, paddock_test_wait (&result), &error));
  found = paddock_provisioner_find_job (later, paddock_job_get_id (job));
  g_assert_nonnull (found);
  g_assert_cmpint (paddock_job_get_state (found), ==, PADDOCK_JOB_INTERRUPTED);
  g_assert_cmpint (paddock_job_get_phase (found), ==, PADDOCK_JOB_PHASE_FILES);

  g_clear_object (&result);
  paddock_provisioner_retry_async (later, found, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_provisioner_retry_finish (later, paddock_test_wait (&result), &error));
  g_clear_object (&result);
  paddock_provisioner_wait_async (later, found, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_provisioner_wait_finish (later, paddock_test_wait_seconds (&result, 120), &error));
  g_assert_no_error (error);
  g_assert_cmpint (paddock_job_get_state (found), ==, PADDOCK_JOB_SUCCEEDED);

  destroy (job);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provision/plan/checks", test_plan_checks);
  g_test_add_func ("/provision/plan/params-and-json", test_plan_params_and_json);
  g_test_add_func ("/provision/plan/pick-os-template", test_pick_os_template);
  g_test_add_func ("/provision/commands/file-policies", test_file_policies);
  g_test_add_func ("/provision/commands/quoting", test_install_script_quoting);

  paddock_test_lab_start ((const char *[]) { "--real", "0", NULL });

  g_test_add_func ("/provision/end-to-end", test_end_to_end);
  g_test_add_func ("/provision/retry-after-fix", test_retry_after_fix);
  g_test_add_func ("/provision/two-per-node", test_two_per_node);
  g_test_add_func ("/provision/cancel", test_cancel);
  g_test_add_func ("/provision/hostile-names", test_hostile_names);
  g_test_add_func ("/provision/interrupted", test_interrupted);

  status = g_test_run ();

  g_clear_object (&provisioner);
  g_clear_object (&pct);
  g_clear_object (&workspace);
  g_clear_object (&secrets);
  g_clear_object (&store);
  g_free (db_path);
  return status;
}
