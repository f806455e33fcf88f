/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-hostile.c: what a hostile Proxmox server costs the client (SPEC §2.2.1)
 *
 * Against the lab's pve-sim in its hostile modes, prints for each: how long until the clear
 * error, and how much the peak resident memory of this process grew. The bodies are bounded
 * (8 MB, 64 MB for /cluster/resources, counted after decompression), so the growth is too.
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "paddock-core.h"
#include "../tests/paddock-test-client.h"

/* VmHWM, in KB */
static guint64
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || !(line = strstr (status, "VmHWM:")))
    return 0;
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

static void
measure (PaddockPveClient *client,
         const char       *mode,
         const char       *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint64 before = peak_rss_kb ();
  gint64 started;

  g_free (paddock_test_lab_control ("hostile", mode, NULL));
  started = g_get_monotonic_time ();
  /* The container list is read as bytes (its own parser follows); other answers as JSON. */
  if (g_str_equal (path, "/cluster/resources"))
    {
      paddock_pve_client_get_bytes_async (client, path, NULL, NULL, PADDOCK_TEST_ASYNC (result));
      bytes = paddock_pve_client_get_bytes_finish (client, paddock_test_wait (&result), &error);
    }
  else
    {
      g_autoptr(JsonNode) data = NULL;

      paddock_pve_client_call_async (client, "GET", path, NULL, NULL, PADDOCK_TEST_ASYNC (result));
      data = paddock_pve_client_call_finish (client, paddock_test_wait (&result), NULL, &error);
    }
  g_print ("%-13s %-20s %7.0f ms  peak RSS +%5.1f MB  → %s\n", mode, path,
           (g_get_monotonic_time () - started) / 1000.0, (peak_rss_kb () - before) / 1024.0,
           error ? error->message : "(no error!)");
  g_free (paddock_test_lab_control ("hostile", NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PaddockPveClient) client = NULL;

  setlocale (LC_ALL, "");
  paddock_test_lab_start ((const char *[]) { "--no-ssh", "--auth-delay-ms", "20", NULL });
  if (paddock_test_lab == NULL)
    {
      g_printerr ("bench-hostile: the lab did not start\n");
      return 1;
    }

  client = token_client ("PVE_TOKEN");
  paddock_pve_client_set_timeouts (client, 10, 60);
  g_print ("peak RSS at start: %.1f MB\n", peak_rss_kb () / 1024.0);
  measure (client, "endless", "/version");
  measure (client, "gzip-bomb", "/version");
  measure (client, "deep-nesting", "/cluster/status");
  measure (client, "endless", "/cluster/resources");
  measure (client, "gzip-bomb", "/cluster/resources");
  g_print ("peak RSS at the end: %.1f MB\n", peak_rss_kb () / 1024.0);

  return 0;  /* the lab's watchdog takes it down */
}
