/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-provision.c: a template provisioned end to end in the lab's real containers, and how much
 * of that time is Paddock's own
 *
 * For each job: its end-to-end time, the time spent waiting on Proxmox tasks (create, start) and
 * on commands in the container (pct exec, pct push: apt, scripts, files), and the rest: Paddock's
 * own work (polling, the store, building commands, the main loop). SPEC.md §10 / issue: the rest
 * is at most 5 % of the end-to-end time. Task waits poll from 300 ms up to 1 s.
 *
 * Runs tests/fixtures/provision/light (jq, a custom step, a script, a file) --rounds times (3) and
 * tests/fixtures/provision/web (nginx, npm, …) once unless --light-only.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "paddock-core.h"
#include "../tests/paddock-test-lab-session.h"

#define wait_for paddock_test_lab_wait_result
#define store_result paddock_test_lab_keep_result
#define ASYNC(slot) store_result, &(slot)

static PaddockStore *store;
static PaddockWorkspace *workspace;
static PaddockCluster *cluster;
static PaddockProvisioner *provisioner;
static guint next_vmid = 900;

static void
set_up (void)
{
  g_autofree char *dir = g_dir_make_tmp ("paddock-bench-provision-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "paddock.db", NULL);
  g_autofree char *known_hosts = g_build_filename (dir, "known_hosts", NULL);
  g_autoptr(PaddockSecrets) secrets = paddock_secrets_new ();
  g_autoptr(PaddockSshSession) session = NULL;
  g_autoptr(PaddockPct) pct = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* No keyring needed here: the generated root passwords stay in this process. */
  paddock_secrets_set_session_only (secrets, TRUE);
  paddock_store_open_async (db, NULL, ASYNC (result));
  if (!(store = paddock_store_open_finish (wait_for (&result), &error)))
    g_error ("%s", error->message);
  workspace = paddock_workspace_new (store, secrets);
  cluster = paddock_test_lab_connect_workspace (workspace);
  session = paddock_test_lab_ssh_session (known_hosts);
  pct = paddock_pct_new (session, "pve1");

  provisioner = paddock_provisioner_new (workspace);
  paddock_provisioner_set_node_pct (provisioner, paddock_cluster_get_connection_id (cluster), "pve1", pct);
}

static PaddockTemplate *
import (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("PADDOCK_SOURCE_ROOT"), "tests", "fixtures", "provision", name, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;
  PaddockImportReport *report;

  paddock_store_import_templates_async (store, path, NULL, ASYNC (result));
  if (!(reports = paddock_store_import_templates_finish (store, wait_for (&result), &error)) || reports->len != 1)
    g_error ("%s: %s", path, error ? error->message : "not one template");
  report = reports->pdata[0];
  g_clear_object (&result);
  paddock_store_get_template_async (store, report->template_id, NULL, ASYNC (result));
  return paddock_store_get_template_finish (store, wait_for (&result), NULL);
}

static void
provision (PaddockTemplate *template,
           const char      *label)
{
  g_autoptr(PaddockJobPlan) plan = paddock_job_plan_new_from_template (template);
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  double total, tasks, commands, own;

  plan->connection_id = paddock_cluster_get_connection_id (cluster);
  plan->node = g_strdup ("pve1");
  plan->vmid = next_vmid++;
  plan->hostname = g_strdup_printf ("bench-%u", plan->vmid);

  paddock_provisioner_create_async (provisioner, plan, NULL, ASYNC (result));
  if (!(job = paddock_provisioner_create_finish (provisioner, wait_for (&result), &error)))
    g_error ("%s", error->message);
  g_clear_object (&result);
  paddock_provisioner_wait_async (provisioner, job, NULL, ASYNC (result));
  if (!paddock_provisioner_wait_finish (provisioner, wait_for (&result), &error))
    g_error ("%s: %s", label, error->message);

  paddock_job_get_run_seconds (job, &total, &tasks, &commands);
  own = total - tasks - commands;
  g_print ("%-6s %8.2f s  tasks %6.2f s  commands %7.2f s  Paddock's own %6.3f s = %4.2f %%\n", label, total, tasks,
           commands, own, 100 * own / total);
  g_print ("       phases:");
  for (guint p = 0; p < PADDOCK_N_JOB_PHASES; p++)
    g_print (" %s %.2f", paddock_job_phase_to_string (p), paddock_job_get_phase_seconds (job, p));
  g_print ("\n");

  /* The container goes; the next job starts from nothing. */
  g_clear_object (&result);
  paddock_pve_client_guest_action_async (paddock_cluster_get_client (cluster), "pve1", plan->vmid,
                                         PADDOCK_GUEST_ACTION_STOP, 0, NULL, ASYNC (result));
  g_free (paddock_pve_client_guest_action_finish (paddock_cluster_get_client (cluster), wait_for (&result), NULL));
  g_usleep (G_USEC_PER_SEC);
  g_clear_object (&result);
  paddock_pve_client_delete_guest_async (paddock_cluster_get_client (cluster), "pve1", plan->vmid, TRUE, TRUE, NULL,
                                         ASYNC (result));
  g_free (paddock_pve_client_delete_guest_finish (paddock_cluster_get_client (cluster), wait_for (&result), NULL));
}

int
main (int   argc,
      char *argv[])
{
  int rounds = 3;
  gboolean light_only = FALSE;
  GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Jobs of the light template", "N" },
    { "light-only", 0, 0, G_OPTION_ARG_NONE, &light_only, "Skip the web template (nginx, npm: about a minute)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- provision in the lab's real containers");
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockTemplate) light = NULL;
  g_autoptr(PaddockTemplate) web = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  paddock_test_lab_start ((const char *[]) { "--real", "0", NULL });
  if (paddock_test_lab == NULL || g_hash_table_contains (paddock_test_lab, "REAL_SKIP_REASON"))
    {
      g_print ("bench-provision: real containers cannot run here: %s\n",
               paddock_test_lab ? (char *) g_hash_table_lookup (paddock_test_lab, "REAL_SKIP_REASON")
                                : paddock_test_lab_skip_reason);
      return 0;
    }

  set_up ();
  light = import ("light");
  g_print ("Provisioning in real containers (task polls from 300 ms to 1 s)\n");
  for (int i = 0; i < rounds; i++)
    provision (light, "light");
  if (!light_only)
    {
      web = import ("web");
      provision (web, "web");
    }

  g_clear_object (&provisioner);
  g_clear_object (&workspace);
  g_clear_object (&store);
  return 0;
}
