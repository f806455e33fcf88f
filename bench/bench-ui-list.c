/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-ui-list.c: the main window with 10,000 containers (pve-sim --scale 20x500): time to the
 * first frame of the list from the offline cache, what a refresh costs the main thread, memory.
 * --scale 2x500 gives the 1,000 containers of SPEC.md §10's start-up target.
 * Run under Xvfb (./run bench does); GSK_RENDERER=cairo as SPEC.md §10 measures memory. */

#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <stdio.h>

#include "paddock-application.h"
#include "paddock-window.h"
#include "../tests/paddock-test-lab.h"
#include "../tests/paddock-test-util.h"

#define REFRESHES 10

static gint64 started_at;
static gint64 last_tick;
static gint64 worst_gap;
static gboolean measuring;

static gboolean
heartbeat (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (measuring && last_tick != 0)
    worst_gap = MAX (worst_gap, now - last_tick);
  last_tick = now;

  return G_SOURCE_CONTINUE;
}

static guint
listed (PaddockWindow *window)
{
  GObject *model = gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "filter_model");

  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

static void
iterate_until_listed (PaddockWindow *window,
                      guint          wanted,
                      guint          seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (listed (window) < wanted)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("only %u of %u containers listed after %u s", listed (window), wanted, seconds);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean painted;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  painted = TRUE;
}

/* The next frame drawn after now. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gulong handler;

  painted = FALSE;
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
}

static void
print_memory (const char *when)
{
  g_autofree char *rollup = NULL;
  g_auto(GStrv) lines = NULL;
  long rss = 0, private_dirty = 0;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &rollup, NULL, NULL))
    return;

  lines = g_strsplit (rollup, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Rss:"))
        rss = atol (lines[i] + 4);
      else if (g_str_has_prefix (lines[i], "Private_Dirty:"))
        private_dirty = atol (lines[i] + 14);
    }

  g_print ("  %-44s private %6.1f MB   RSS %6.1f MB\n", when, private_dirty / 1024.0, rss / 1024.0);
}

static PaddockWindow *
open_window (PaddockApplication *app)
{
  g_application_activate (G_APPLICATION (app));
  while (gtk_application_get_active_window (GTK_APPLICATION (app)) == NULL)
    g_main_context_iteration (NULL, TRUE);

  return PADDOCK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64 last_painted_at;

/* The window builds the rows past its first screen in steps after the first frame. */
static void
wait_for_all_rows (PaddockWindow *window)
{
  GtkSliceListModel *first_screen = GTK_SLICE_LIST_MODEL (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                         PADDOCK_TYPE_WINDOW,
                                                                                         "first_screen"));

  while (gtk_slice_list_model_get_size (first_screen) != G_MAXUINT)
    g_main_context_iteration (NULL, TRUE);
  wait_for_frame (GTK_WIDGET (window));
}

/* Connected before the window fills its list, so it runs first in each frame's after-paint:
 * the time is the frame's, not that of work the window does after it. */
static void
on_window_painted (GdkFrameClock *clock,
                   gpointer       data)
{
  last_painted_at = g_get_monotonic_time ();
}

/* Child process: start as a user would, from the cache the parent left, and time the first frame
 * that shows the list; then the rest of the rows the window builds after it, and the longest
 * the main loop was blocked meanwhile. */
static int
first_frame (const char *data_dir,
             guint       wanted)
{
  g_autoptr(PaddockApplication) app = NULL;
  PaddockWindow *window;
  gint64 listed_at, framed_at, completed_at;

  app = paddock_application_new ("app.paddock.Paddock.BenchStart", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = open_window (app);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_window_painted), NULL);
  iterate_until_listed (window, wanted, 30);
  listed_at = g_get_monotonic_time ();
  while (last_painted_at < listed_at)
    g_main_context_iteration (NULL, TRUE);
  framed_at = last_painted_at;

  /* The rows past the first screen, built in steps between frames. */
  g_timeout_add (1, heartbeat, NULL);
  last_tick = 0;
  worst_gap = 0;
  measuring = TRUE;
  wait_for_all_rows (window);
  measuring = FALSE;
  completed_at = g_get_monotonic_time ();

  g_print ("  %-44s %9.1f ms (list model filled at %.1f ms)\n", "start-up to first frame of the cached list",
           (framed_at - started_at) / 1000.0, (listed_at - started_at) / 1000.0);
  g_print ("  %-44s %9.1f ms (longest stall meanwhile %.1f ms)\n", "rest of the rows built and drawn",
           (completed_at - started_at) / 1000.0, worst_gap / 1000.0);
  print_memory ("memory with the rows built");
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* Child process: the same measurement for an empty libadwaita window, the floor of any GTK app. */
static int
empty_window_first_frame (void)
{
  GtkWidget *window = adw_application_window_new (NULL);
  GtkWidget *page = adw_status_page_new ();
  gint64 framed_at;

  adw_status_page_set_title (ADW_STATUS_PAGE (page), "Empty");
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  wait_for_frame (window);
  framed_at = g_get_monotonic_time ();

  g_print ("  %-44s %9.1f ms\n", "for comparison: an empty libadwaita window", (framed_at - started_at) / 1000.0);
  print_memory ("memory of the empty window");
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GArray) merges = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) parses = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *data_dir = NULL;
  const char *token;
  g_autofree char *token_id = NULL;
  PaddockWindow *window;
  PaddockCluster *cluster;
  const char *scale;
  guint nodes = 0, per_node = 0;
  guint wanted;

  started_at = g_get_monotonic_time ();
  /* As Paddock's main() does. */
  paddock_application_prepare_process ();
  setlocale (LC_ALL, "");
  gtk_init ();
  adw_init ();

  if (argc == 4 && g_str_equal (argv[1], "--first-frame"))
    return first_frame (argv[2], atoi (argv[3]));
  if (argc == 2 && g_str_equal (argv[1], "--empty-window"))
    return empty_window_first_frame ();

  scale = argc == 3 && g_str_equal (argv[1], "--scale") ? argv[2] : "20x500";
  if (sscanf (scale, "%ux%u", &nodes, &per_node) != 2 || nodes * per_node == 0)
    {
      g_printerr ("usage: bench-ui-list [--scale NODESxCONTAINERS]\n");
      return 2;
    }
  {
    const char *args[] = { "--no-ssh", "--scale", scale, NULL };

    paddock_test_lab_start (args);
  }
  if (paddock_test_lab == NULL)
    {
      g_printerr ("bench-ui-list: %s\n", paddock_test_lab_skip_reason);
      return 1;
    }

  g_print ("bench-ui-list: the window with pve-sim --scale %s, %u containers (renderer %s)\n", scale, nodes * per_node,
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");

  token = paddock_test_lab_get ("PVE_TOKEN");
  token_id = g_strndup (token, strrchr (token, '=') - token);
  g_setenv ("PADDOCK_TOKEN_ID", token_id, TRUE);
  g_setenv ("PADDOCK_TOKEN_SECRET", strrchr (token, '=') + 1, TRUE);
  g_setenv ("PADDOCK_FINGERPRINT", paddock_test_lab_get ("PVE_FINGERPRINT"), TRUE);
  g_setenv ("PADDOCK_CONNECTION_NAME", "Scale", TRUE);

  data_dir = g_dir_make_tmp ("paddock-bench-ui-XXXXXX", NULL);
  app = paddock_application_new ("app.paddock.Paddock.Bench", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);

  iterate_until_listed (window, nodes * per_node, 120);
  wanted = listed (window);
  wait_for_all_rows (window);
  print_memory ("memory with the list shown");

  {
    g_autoptr(PaddockCluster) first = g_list_model_get_item (paddock_workspace_get_clusters (paddock_application_get_workspace (app)), 0);

    cluster = first;
  }

  /* Refreshes while the list is on screen: parse (worker), merge (main thread), longest main-loop stall. */
  g_timeout_add (1, heartbeat, NULL);
  for (guint i = 0; i < REFRESHES; i++)
    {
      gint64 until;
      gint64 previous = paddock_cluster_get_last_success (cluster);

      worst_gap = 0;
      last_tick = 0;
      measuring = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
      until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
      while ((paddock_cluster_get_refreshing (cluster) || paddock_cluster_get_last_success (cluster) == previous) &&
             g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, TRUE);
      wait_for_frame (GTK_WIDGET (window));
      measuring = FALSE;

      {
        gint64 merge = paddock_cluster_get_last_merge_usec (cluster);
        gint64 parse = paddock_cluster_get_last_parse_usec (cluster);

        g_array_append_val (merges, merge);
        g_array_append_val (parses, parse);
        g_array_append_val (gaps, worst_gap);
      }
      /* Refreshes a second apart (Proxmox's clock moves the figures), not back to back. */
      until = g_get_monotonic_time () + G_USEC_PER_SEC;
      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE), g_usleep (1000);
    }

  g_array_sort (merges, compare_gint64);
  g_array_sort (parses, compare_gint64);
  g_array_sort (gaps, compare_gint64);
  g_print ("  %-44s median %7.2f ms   max %7.2f ms\n", "parse of /cluster/resources (worker thread)",
           g_array_index (parses, gint64, REFRESHES / 2) / 1000.0, g_array_index (parses, gint64, REFRESHES - 1) / 1000.0);
  g_print ("  %-44s median %7.2f ms   max %7.2f ms\n", "model update on the main thread",
           g_array_index (merges, gint64, REFRESHES / 2) / 1000.0, g_array_index (merges, gint64, REFRESHES - 1) / 1000.0);
  g_print ("  %-44s median %7.2f ms   max %7.2f ms\n", "longest main-loop stall during a refresh",
           g_array_index (gaps, gint64, REFRESHES / 2) / 1000.0, g_array_index (gaps, gint64, REFRESHES - 1) / 1000.0);
  {
    gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    /* What stays after the refreshes, once the main loop is idle again. */
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  }
  print_memory ("memory after the refreshes, idle");

  /* The cache must be on disk before the start-up measurement reads it. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    PaddockStore *store = paddock_workspace_get_store (paddock_application_get_workspace (app));

    paddock_store_flush_async (store, NULL, PADDOCK_TEST_ASYNC (result));
    paddock_store_flush_finish (store, paddock_test_wait (&result), NULL);
  }
  gtk_window_destroy (GTK_WINDOW (window));

  {
    const char *child[] = { argv[0], "--empty-window", NULL };

    g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, NULL, NULL);
  }

  /* Start-up from the cache, in a fresh process (three times; each prints its figures). */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *wanted_text = g_strdup_printf ("%u", wanted);
      const char *child[] = { argv[0], "--first-frame", data_dir, wanted_text, NULL };
      g_autoptr(GError) error = NULL;

      if (!g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, NULL, &error))
        g_printerr ("bench-ui-list: %s\n", error->message);
    }

  return 0;
}
