/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-probe.c: probing what runs inside N real containers of one node over one SSH connection
 *
 * Prints, for N idle real containers (lab-up --real N, default 20): Paddock's probe of all of
 * them (paddock_probe_many: a few channels, several containers each; and one channel each, all at
 * once), the same one after another, and the
 * facts gathered the original dashboard's way (infrahaus-spec §5.2: one `pct exec` per query:
 * list the credentials, read each file, ss, the running units, each unit's MainPID and child
 * PIDs), in the same run over the same connection. SPEC.md §10: 20 containers in ≤ 2 s.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "paddock-core.h"
#include "../tests/paddock-test-lab-session.h"

#define ROUNDS 5

#define wait_for paddock_test_lab_wait_result
#define store_result paddock_test_lab_keep_result

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* Paddock: every container at once; returns the wall time in ms. */
static double
probe_all (PaddockPct *pct,
           GArray     *vmids,
           gboolean    concurrent,
           guint      *services)
{
  g_autofree GAsyncResult **results = g_new0 (GAsyncResult *, vmids->len);
  double start = now_ms ();

  *services = 0;
  for (guint i = 0; i < vmids->len; i++)
    {
      paddock_probe_async (pct, g_array_index (vmids, guint, i), NULL, store_result, &results[i]);
      if (!concurrent)
        wait_for (&results[i]);
    }

  for (guint i = 0; i < vmids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PaddockProbeResult) result = paddock_probe_finish (pct, wait_for (&results[i]), &error);

      if (result == NULL)
        g_error ("probe of CT %u: %s", g_array_index (vmids, guint, i), error->message);
      *services += result->services->len;
      g_clear_object (&results[i]);
    }

  return now_ms () - start;
}

/* Paddock: paddock_probe_many (a few channels, several containers on each). */
static double
probe_many (PaddockPct *pct,
            GArray     *vmids,
            guint      *services)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GError) error = NULL;
  double start = now_ms ();

  *services = 0;
  paddock_probe_many_async (pct, (const guint *) vmids->data, vmids->len, NULL, store_result, &result);
  if (!(outcomes = paddock_probe_many_finish (pct, wait_for (&result), &error)))
    g_error ("probe of many: %s", error->message);
  for (guint i = 0; i < outcomes->len; i++)
    {
      PaddockProbeOutcome *outcome = g_ptr_array_index (outcomes, i);

      if (outcome->result == NULL)
        g_error ("probe of CT %u: %s", outcome->vmid, outcome->error->message);
      *services += outcome->result->services->len;
    }

  return now_ms () - start;
}

static char *
run (PaddockPct *pct,
     guint       vmid,
     const char *script,
     guint      *round_trips)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockSshResult) output = NULL;

  (*round_trips)++;
  paddock_pct_exec_async (pct, vmid, script, NULL, 30000, NULL, store_result, &result);
  if (!(output = paddock_pct_exec_finish (pct, wait_for (&result), &error)))
    g_error ("CT %u: %s", vmid, error->message);
  return paddock_ssh_result_dup_out_text (output);
}

/* The original's discovery, one container after another, one command per query. */
static double
original_way (PaddockPct *pct,
              GArray     *vmids,
              guint      *round_trips)
{
  double start = now_ms ();

  *round_trips = 0;
  for (guint i = 0; i < vmids->len; i++)
    {
      guint vmid = g_array_index (vmids, guint, i);
      g_autofree char *files = run (pct, vmid, "ls /etc/infrahaus/credentials/ 2>/dev/null || echo '__EMPTY__'",
                                    round_trips);
      g_autofree char *ss = run (pct, vmid, "ss -tlnp 2>/dev/null | tail -n +2", round_trips);
      g_autofree char *units = run (pct, vmid, "systemctl list-units --type=service --state=running --no-pager "
                                    "--no-legend 2>/dev/null | awk '{print $1}'", round_trips);
      g_auto(GStrv) file_list = g_strsplit (g_strstrip (files), "\n", -1);
      g_auto(GStrv) unit_list = g_strsplit (g_strstrip (units), "\n", -1);

      for (guint f = 0; file_list[f] && *file_list[f] && !g_str_equal (file_list[f], "__EMPTY__"); f++)
        {
          g_autofree char *quoted = g_shell_quote (file_list[f]);
          g_autofree char *script = g_strdup_printf ("cat /etc/infrahaus/credentials/%s", quoted);
          g_autofree char *content = run (pct, vmid, script, round_trips);
        }

      for (guint u = 0; unit_list[u] && *unit_list[u]; u++)
        {
          g_autofree char *quoted = g_shell_quote (unit_list[u]);
          g_autofree char *script = NULL;
          g_autofree char *pid = NULL;

          if (paddock_unit_is_system (unit_list[u]))
            continue;
          script = g_strdup_printf ("systemctl show -p MainPID --value %s", quoted);
          pid = g_strstrip (run (pct, vmid, script, round_trips));
          if (!g_str_equal (pid, "0") && strstr (ss, pid) == NULL)
            {
              g_autofree char *children = g_strdup_printf ("pgrep -P %s", pid);
              g_autofree char *found = run (pct, vmid, children, round_trips);
            }
        }
    }

  return now_ms () - start;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PaddockSshSession) session = NULL;
  g_autoptr(PaddockPct) pct = NULL;
  g_autoptr(GArray) vmids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) together = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) batched = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) apart = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) original = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *known_hosts = NULL;
  g_autofree char *count = g_strdup (argc > 1 ? argv[1] : "20");
  g_auto(GStrv) listed = NULL;
  guint services = 0, round_trips = 0;

  setlocale (LC_ALL, "");

  if (g_getenv ("PADDOCK_SOURCE_ROOT") == NULL)
    {
      root = g_canonicalize_filename (".", NULL);
      g_setenv ("PADDOCK_SOURCE_ROOT", root, TRUE);
    }

  g_print ("Probing real containers of one node (lab-up --real %s) over one SSH connection\n", count);
  paddock_test_lab_start ((const char *[]) { "--real", count, NULL });
  if (paddock_test_lab == NULL)
    {
      g_printerr ("bench-probe: %s\n", paddock_test_lab_skip_reason);
      return 1;
    }
  if (g_hash_table_contains (paddock_test_lab, "REAL_SKIP_REASON"))
    {
      g_print ("SKIP real containers cannot run here: %s\n",
               (char *) g_hash_table_lookup (paddock_test_lab, "REAL_SKIP_REASON"));
      return 0;
    }

  listed = g_strsplit (paddock_test_lab_get ("REAL_VMIDS"), " ", -1);
  for (guint i = 0; listed[i] != NULL; i++)
    {
      guint vmid = (guint) g_ascii_strtoull (listed[i], NULL, 10);

      if (vmid > 0)
        g_array_append_val (vmids, vmid);
    }

  dir = g_dir_make_tmp ("paddock-bench-probe-XXXXXX", NULL);
  known_hosts = g_build_filename (dir, "known_hosts", NULL);
  session = paddock_test_lab_ssh_session (known_hosts);
  pct = paddock_pct_new (session, "pve1");

  /* A first round warms the connection and the containers' page cache. */
  probe_all (pct, vmids, TRUE, &services);

  for (guint round = 0; round < ROUNDS; round++)
    {
      double ms = probe_many (pct, vmids, &services);

      g_array_append_val (batched, ms);
      ms = probe_all (pct, vmids, TRUE, &services);
      g_array_append_val (together, ms);
      ms = probe_all (pct, vmids, FALSE, &services);
      g_array_append_val (apart, ms);
      ms = original_way (pct, vmids, &round_trips);
      g_array_append_val (original, ms);
    }

  g_print ("%u containers, %u services found, median of %u rounds:\n", vmids->len, services, ROUNDS);
  g_print ("  %-46s %8.0f ms  (4 channels; target ≤ 2000 ms)\n", "Paddock, paddock_probe_many",
           median (batched));
  g_print ("  %-46s %8.0f ms  (%u round trips)\n", "Paddock, each its own channel, all at once",
           median (together), vmids->len);
  g_print ("  %-46s %8.0f ms  (%u round trips)\n", "Paddock, one after another", median (apart), vmids->len);
  g_print ("  %-46s %8.0f ms  (%u round trips)\n", "the original's way (a pct exec per query)",
           median (original), round_trips);

  paddock_ssh_session_disconnect (session);
  return 0;
}
