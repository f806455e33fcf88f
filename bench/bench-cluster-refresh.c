/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-cluster-refresh.c: refreshes of a large cluster (pve-sim --scale), and the same fetch done by
 * proxmoxer and the npm proxmox-api client in the same run, for comparable figures: wall time, the
 * client's own CPU time (user + system, every thread), and, independent of the server, parsing one
 * recorded body against Python's json.loads and Node's JSON.parse (each keeping the LXC entries). */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "paddock-core.h"
#include "paddock-pve-parse-private.h"
#include "../tests/paddock-test-lab.h"
#include "../tests/paddock-test-util.h"

#define ROUNDS 20

static gint64 last_tick;
static gint64 worst_gap;
static gboolean measuring;

/* A 1 ms heartbeat: the largest gap between two beats is the longest the main loop was blocked. */
static gboolean
heartbeat (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (measuring && last_tick != 0)
    worst_gap = MAX (worst_gap, now - last_tick);
  last_tick = now;

  return G_SOURCE_CONTINUE;
}

static guint emissions;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  emissions++;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *values,
        const char *unit)
{
  g_array_sort (values, compare_doubles);
  g_print ("  %-44s median %9.2f %s   max %9.2f %s\n", what,
           g_array_index (values, double, values->len / 2), unit,
           g_array_index (values, double, values->len - 1), unit);
}

/* CPU time of this process so far (user + system, all threads), in ms. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static long
read_kib (const char *file,
          const char *key)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (file, &contents, NULL, NULL) || (line = strstr (contents, key)) == NULL)
    return -1;

  return atol (line + strlen (key));
}

/* Runs a comparison client; it prints "median_ms max_ms count" or a reason it could not run. */
static void
run_peer (const char  *label,
          const char * const *argv,
          const char * const *env)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  for (guint i = 0; env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    {
      g_print ("  %-44s not run: %s\n", label, error->message);
      return;
    }

  g_print ("  %-44s %s", label, out && *out ? out : "no output\n");
}

int
main (int   argc,
      char *argv[])
{
  const char *scale = argc > 1 ? argv[1] : "20x500";
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) parse = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) merge = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) stalls = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) parse_only = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) parse_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *body_path = NULL;
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockCluster) cluster = NULL;
  const char *token, *eq;
  g_autofree char *token_id = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *root = NULL;
  guint16 port;

  setlocale (LC_ALL, "");

  if (g_getenv ("PADDOCK_SOURCE_ROOT") == NULL)
    {
      root = g_canonicalize_filename (".", NULL);
      g_setenv ("PADDOCK_SOURCE_ROOT", root, TRUE);
    }

  {
    const char *args[] = { "--no-ssh", "--scale", scale, "--auth-delay-ms", "0", NULL };

    paddock_test_lab_start (args);
  }
  if (paddock_test_lab == NULL)
    {
      g_printerr ("bench-cluster-refresh: %s\n", paddock_test_lab_skip_reason);
      return 1;
    }

  port_text = g_strdup (strrchr (paddock_test_lab_get ("PVE_URL"), ':') + 1);
  port = atoi (port_text);
  token = paddock_test_lab_get ("PVE_TOKEN");
  eq = strrchr (token, '=');
  token_id = g_strndup (token, eq - token);

  /* The lab's certificate is self-signed: pin it through a real store in a temporary file. */
  {
    g_autofree char *dir = g_dir_make_tmp ("paddock-bench-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
    g_autoptr(GError) error = NULL;
    PaddockStore *store = paddock_store_new (path, NULL, &error);

    g_assert_no_error (error);
    paddock_trust_store_set_pin (PADDOCK_TRUST_STORE (store), "127.0.0.1", port,
                                 paddock_test_lab_get ("PVE_FINGERPRINT"), NULL);
    client = paddock_pve_client_new ("127.0.0.1", port, PADDOCK_TRUST_STORE (store));
    paddock_pve_client_set_token (client, token_id, eq + 1);
    g_object_unref (store);
  }

  cluster = paddock_cluster_new (client, 1);
  g_signal_connect (cluster, "items-changed", G_CALLBACK (on_items_changed), NULL);
  g_timeout_add (1, heartbeat, &last_tick);

  for (guint round = 0; round <= ROUNDS; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gint64 started;
      double value;

      emissions = 0;
      worst_gap = 0;
      last_tick = 0;
      measuring = TRUE;
      started = g_get_monotonic_time ();
      paddock_cluster_refresh_async (cluster, NULL, PADDOCK_TEST_ASYNC (result));
      /* Block on the loop like an app would: iterate until the result arrives. */
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      measuring = FALSE;
      if (!paddock_cluster_refresh_finish (cluster, result, &error))
        g_error ("refresh failed: %s", error->message);

      /* Round 0 fills the list (10,000 insertions); the rest are steady-state refreshes. */
      if (round == 0)
        {
          g_print ("Paddock cluster refresh, pve-sim --scale %s: %u containers, first fill %.1f ms\n",
                   scale, g_list_model_get_n_items (G_LIST_MODEL (cluster)),
                   (g_get_monotonic_time () - started) / 1000.0);
          continue;
        }

      value = (g_get_monotonic_time () - started) / 1000.0;
      g_array_append_val (wall, value);
      value = paddock_cluster_get_last_parse_usec (cluster) / 1000.0;
      g_array_append_val (parse, value);
      value = paddock_cluster_get_last_merge_usec (cluster) / 1000.0;
      g_array_append_val (merge, value);
      value = worst_gap / 1000.0;
      g_array_append_val (stalls, value);
      value = emissions;
      g_array_append_val (changes, value);
    }

  /* The CPU time without the 1 ms heartbeat, whose wake-ups are the benchmark's, not Paddock's. */
  g_source_remove_by_user_data (&last_tick);
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      double cpu_started = cpu_ms ();
      double value;

      paddock_cluster_refresh_async (cluster, NULL, PADDOCK_TEST_ASYNC (result));
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (!paddock_cluster_refresh_finish (cluster, result, &error))
        g_error ("refresh failed: %s", error->message);
      value = cpu_ms () - cpu_started;
      g_array_append_val (cpu, value);
    }

  g_print ("  (%d refreshes)\n", ROUNDS);
  report ("request → model updated", wall, "ms");
  report ("parse (worker thread)", parse, "ms");
  report ("merge into the model (main thread)", merge, "ms");
  report ("longest main-loop stall during a refresh", stalls, "ms");
  report ("items-changed emissions per refresh", changes, "  ");
  report ("client CPU time per refresh (user + system)", cpu, "ms");
  g_print ("  %-44s %ld KiB RSS, %ld KiB private dirty\n", "memory after the refreshes",
           read_kib ("/proc/self/status", "VmRSS:"), read_kib ("/proc/self/smaps_rollup", "Private_Dirty:"));

  /* One body, kept in a file: the parse alone, here and in the peers' languages. */
  {
    g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autofree char *dir = g_dir_make_tmp ("paddock-bench-body-XXXXXX", NULL);
    gsize length;
    const char *data;

    paddock_pve_params_add (params, "type", "vm");
    paddock_pve_client_get_bytes_async (client, "/cluster/resources", params, NULL, PADDOCK_TEST_ASYNC (result));
    body = paddock_pve_client_get_bytes_finish (client, paddock_test_wait (&result), &error);
    g_assert_no_error (error);
    data = g_bytes_get_data (body, &length);
    body_path = g_build_filename (dir, "cluster-resources.json", NULL);
    g_assert_true (g_file_set_contents (body_path, data, length, NULL));

    for (guint round = 0; round <= ROUNDS; round++)
      {
        gint64 started = g_get_monotonic_time ();
        double cpu_started = cpu_ms ();
        g_autoptr(GPtrArray) records = paddock_pve_parse_guest_list (data, length, TRUE, &error);
        double value;

        g_assert_no_error (error);
        if (round == 0)
          continue;
        value = (g_get_monotonic_time () - started) / 1000.0;
        g_array_append_val (parse_only, value);
        value = cpu_ms () - cpu_started;
        g_array_append_val (parse_cpu, value);
      }
    g_print ("Parse of one recorded body (%.1f MB), keeping the LXC entries, %d rounds:\n", length / 1e6, ROUNDS);
    report ("Paddock (jsmn, C) wall", parse_only, "ms");
    report ("Paddock (jsmn, C) CPU", parse_cpu, "ms");
    {
      g_autofree char *script = g_build_filename (g_getenv ("PADDOCK_SOURCE_ROOT"), "bench", "peer-proxmoxer.py", NULL);
      const char *python[] = { "/usr/bin/python3", script, "--parse", body_path, NULL };
      const char *env[] = { NULL };

      run_peer ("python3 json.loads + filter", python, env);
    }
    {
      g_autofree char *script = g_build_filename (g_getenv ("PADDOCK_SOURCE_ROOT"), "bench", "peer-proxmox-api.mjs", NULL);
      const char *node[] = { "node", script, "--parse", body_path, NULL };
      const char *env[] = { NULL };

      run_peer ("node JSON.parse + filter", node, env);
    }
  }

  g_print ("Same fetch (GET /cluster/resources?type=vm, keep the LXC entries), %d rounds:\n", ROUNDS);
  {
    g_autofree char *script = g_build_filename (g_getenv ("PADDOCK_SOURCE_ROOT"), "bench", "peer-proxmoxer.py", NULL);
    const char *python[] = { "/usr/bin/python3", script, NULL };
    const char *env[] = { "PVE_URL", paddock_test_lab_get ("PVE_URL"), "PVE_TOKEN", token,
                          "REQUESTS_CA_BUNDLE", paddock_test_lab_get ("PVE_CA"), NULL };

    run_peer ("python3-proxmoxer", python, env);
  }
  {
    g_autofree char *script = g_build_filename (g_getenv ("PADDOCK_SOURCE_ROOT"), "bench", "peer-proxmox-api.mjs", NULL);
    const char *node[] = { "node", script, NULL };
    const char *env[] = { "PVE_URL", paddock_test_lab_get ("PVE_URL"), "PVE_TOKEN", token,
                          "NODE_EXTRA_CA_CERTS", paddock_test_lab_get ("PVE_CA"), NULL };

    run_peer ("npm proxmox-api (node)", node, env);
  }

  return 0;
}
