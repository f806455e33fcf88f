/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-detail-ui.c: the detail's Console and Graphs tabs under Xvfb against the lab. The console
 * over the node's SSH: a command's output read back from the terminal, the terminal's size inside
 * the container, Reconnect after the node's sshd restarted, two consoles side by side, Start
 * first. The graphs: the lab's rrddata for each timeframe, gaps, a stopped container's empty
 * series, no request while hidden, the overview's bars leading to them. */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "paddock-application.h"
#include "paddock-console.h"
#include "paddock-console-window.h"
#include "paddock-graph.h"
#include "paddock-graphs-view.h"
#include "paddock-guest-page.h"
#include "paddock-test-lab.h"
#include "paddock-test-ui.h"
#include "paddock-test-util.h"
#include "paddock-window.h"

static PaddockApplication *app;
static PaddockWindow *window;
static PaddockGuestPage *page;

static PaddockConsole *
page_console (void)
{
  return PADDOCK_CONSOLE (gtk_widget_get_template_child (GTK_WIDGET (page), PADDOCK_TYPE_GUEST_PAGE, "console"));
}

static void
open_console_of (guint vmid)
{
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (page), PADDOCK_TYPE_GUEST_PAGE,
                                                                       "view_stack"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL));
  select_guest (window, vmid, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-selected", NULL));
  g_assert_cmpuint (paddock_guest_get_vmid (paddock_guest_page_get_guest (page)), ==, vmid);
  adw_view_stack_set_visible_child_name (stack, "console");
  iterate_until_idle ();
}

static gboolean
console_running (gpointer data)
{
  return paddock_console_get_running (data);
}

static gboolean
console_says (gpointer data)
{
  PaddockConsole *console = ((gpointer *) data)[0];
  const char *message = paddock_console_get_message (console);

  return message != NULL && strstr (message, ((gpointer *) data)[1]) != NULL;
}

typedef struct
{
  PaddockConsole *console;
  const char     *text;
} Shown;

static gboolean
terminal_shows (gpointer data)
{
  Shown *shown = data;
  g_autofree char *text = vte_terminal_get_text (paddock_console_get_terminal (shown->console), NULL, NULL, NULL);

  return text != NULL && strstr (text, shown->text) != NULL;
}

/* Types @command as the user would (the terminal sends it to the container) and waits for
 * @expected in what the terminal shows. */
static void
run_in (PaddockConsole *console,
        const char     *command,
        const char     *expected)
{
  Shown shown = { console, expected };
  g_autofree char *line = g_strconcat (command, "\r", NULL);

  vte_terminal_feed_child (paddock_console_get_terminal (console), line, -1);
  if (!iterate_until (terminal_shows, &shown, 20))
    {
      g_autofree char *text = vte_terminal_get_text (paddock_console_get_terminal (console), NULL, NULL, NULL);

      g_error ("“%s” did not show “%s”; the terminal shows:\n%s", command, expected, text);
    }
}

static void
test_echo_and_resize (void)
{
  PaddockConsole *console;
  VteTerminal *terminal;
  g_autofree char *size = NULL;

  if (!paddock_test_lab_required ())
    return;

  open_console_of (101);
  console = page_console ();
  g_assert_true (iterate_until (console_running, console, 30));
  g_assert_cmpstr (paddock_console_get_title (console), ==, "nextcloud");

  /* The arithmetic is done inside: what the terminal shows came back from the container. */
  run_in (console, "echo console-$((6*7))", "console-42");

  /* The container's terminal has the widget's size, and follows it. */
  terminal = paddock_console_get_terminal (console);
  for (guint round = 0; round < 2; round++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), round == 0 ? 1280 : 1000, round == 0 ? 860 : 640);
      iterate_until_idle ();
      {
        gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, FALSE);
      }
      g_free (size);
      size = g_strdup_printf ("%ld %ld", vte_terminal_get_row_count (terminal), vte_terminal_get_column_count (terminal));
      g_test_message ("terminal %s", size);
      /* The new size travels on the channel beside the typing: ask until the answer has it. */
      {
        Shown shown = { console, size };
        guint tries = 0;

        do
          {
            vte_terminal_feed_child (terminal, "clear; stty size\r", -1);
            iterate_until (terminal_shows, &shown, 3);
          }
        while (!terminal_shows (&shown) && ++tries < 5);
        run_in (console, "stty size", size);
      }
    }
  save_screenshot (GTK_WIDGET (window), "console-tab.png");
}

static void
test_reconnect (void)
{
  PaddockConsole *console;
  gpointer says[2];

  if (!paddock_test_lab_required ())
    return;

  open_console_of (101);
  console = page_console ();
  g_assert_true (iterate_until (console_running, console, 30));

  /* The node goes away: the terminal says so in place and offers Reconnect. */
  paddock_test_lab_kill_sshd ();
  says[0] = console, says[1] = (gpointer) "was lost";
  g_assert_true (iterate_until (console_says, says, 30));
  g_assert_false (paddock_console_get_running (console));
  save_screenshot (GTK_WIDGET (window), "console-lost.png");

  paddock_test_lab_restart_sshd ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console), "console.reconnect", NULL));
  g_assert_true (iterate_until (console_running, console, 30));
  g_assert_null (paddock_console_get_message (console));
  run_in (console, "echo back-$((40+2))", "back-42");
}

static gboolean
has_pages (gpointer data)
{
  return adw_tab_view_get_n_pages (((gpointer *) data)[0]) == GPOINTER_TO_INT (((gpointer *) data)[1]);
}

static void
test_two_consoles (void)
{
  PaddockConsoleWindow *consoles;
  AdwTabView *tabs;
  PaddockConsole *first, *second;
  AdwMessageDialog *dialog;
  gpointer wanted[2];

  if (!paddock_test_lab_required ())
    return;

  open_console_of (101);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "guest.console-window", NULL));
  open_console_of (103);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "guest.console-window", NULL));
  iterate_until_idle ();

  consoles = paddock_console_window_get_default (app);
  tabs = paddock_console_window_get_tabs (consoles);
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 2);
  first = PADDOCK_CONSOLE (adw_tab_page_get_child (adw_tab_view_get_nth_page (tabs, 0)));
  second = PADDOCK_CONSOLE (adw_tab_page_get_child (adw_tab_view_get_nth_page (tabs, 1)));
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (tabs, 0)), ==, "nextcloud");
  g_assert_cmpstr (adw_tab_page_get_title (adw_tab_view_get_nth_page (tabs, 1)), ==, "redis");
  g_assert_true (iterate_until (console_running, second, 30));
  run_in (second, "echo \"$PS1\" | tr -d '\\\\'", "CT103");

  /* Each tab is its own session: the first connects when it is shown. */
  adw_tab_view_set_selected_page (tabs, adw_tab_view_get_nth_page (tabs, 0));
  g_assert_true (iterate_until (console_running, first, 30));
  run_in (first, "echo \"$PS1\" | tr -d '\\\\'", "CT101");
  save_screenshot (GTK_WIDGET (consoles), "console-window.png");

  /* Closing a tab whose shell runs asks first; Cancel keeps it, Close ends it. */
  adw_tab_view_close_page (tabs, adw_tab_view_get_nth_page (tabs, 0));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Close the Console of nextcloud?");
  respond (dialog, "cancel");
  g_assert_cmpint (adw_tab_view_get_n_pages (tabs), ==, 2);
  adw_tab_view_close_page (tabs, adw_tab_view_get_nth_page (tabs, 0));
  respond (wait_for_message_dialog (), "close");
  wanted[0] = tabs, wanted[1] = GINT_TO_POINTER (1);
  g_assert_true (iterate_until (has_pages, wanted, 10));
  g_assert_true (paddock_console_get_running (second));

  gtk_window_destroy (GTK_WINDOW (consoles));
  iterate_until_idle ();
}

static void
test_stopped_offers_start (void)
{
  PaddockConsole *console;
  gpointer says[2];

  if (!paddock_test_lab_required ())
    return;

  open_console_of (106);
  console = page_console ();
  says[0] = console, says[1] = (gpointer) "Not Running";
  g_assert_true (iterate_until (console_says, says, 10));
  save_screenshot (GTK_WIDGET (window), "console-stopped.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (console), "console.start", NULL));
  g_assert_true (iterate_until (console_running, console, 60));
  run_in (console, "echo started-$((1+1))", "started-2");
}

/* Graphs */

static gboolean
graphs_fetched (gpointer data)
{
  PaddockGraphsView *graphs = paddock_guest_page_get_graphs_view (page);

  return paddock_graphs_view_get_n_fetches (graphs) >= GPOINTER_TO_UINT (data) && !paddock_graphs_view_get_busy (graphs);
}

static AdwActionRow *
find_action_row (GtkWidget  *widget,
                 const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *found = find_action_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_graphs (void)
{
  PaddockGraphsView *graphs;
  AdwViewStack *stack;
  static const char *timeframes[] = { "hour", "day", "week" };
  guint fetches;

  if (!paddock_test_lab_required ())
    return;

  open_console_of (101);
  stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (page), PADDOCK_TYPE_GUEST_PAGE, "view_stack"));
  graphs = paddock_guest_page_get_graphs_view (page);

  /* The overview's memory bar leads to the memory graph. */
  adw_view_stack_set_visible_child_name (stack, "overview");
  iterate_until_idle ();
  g_assert_true (gtk_widget_activate (GTK_WIDGET (find_action_row (GTK_WIDGET (page), "Memory"))));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "graphs");
  g_assert_true (iterate_until (graphs_fetched, GUINT_TO_POINTER (1), 20));
  g_assert_null (paddock_graphs_view_get_message (graphs));

  for (guint i = 0; i < G_N_ELEMENTS (timeframes); i++)
    {
      g_autofree char *shot = g_strdup_printf ("graphs-%s.png", timeframes[i]);
      PaddockGraph *cpu = paddock_graphs_view_get_graph (graphs, "cpu");
      PaddockGraph *network = paddock_graphs_view_get_graph (graphs, "network");
      g_autofree char *hover = NULL;

      fetches = paddock_graphs_view_get_n_fetches (graphs);
      paddock_graphs_view_set_timeframe (graphs, timeframes[i]);
      if (i > 0)
        g_assert_true (iterate_until (graphs_fetched, GUINT_TO_POINTER (fetches + 1), 20));
      save_screenshot (GTK_WIDGET (window), shot);
      g_test_message ("%s: %s; %s", timeframes[i], paddock_graph_get_summary (cpu), paddock_graph_get_summary (network));
      g_assert_true (g_str_has_prefix (paddock_graph_get_summary (cpu), "CPU: latest "));
      g_assert_nonnull (strstr (paddock_graph_get_summary (network), "In: latest "));
      g_assert_nonnull (strstr (paddock_graph_get_summary (network), "/s"));
      /* Drawn as one line each (the lab's samples have no gaps), and the hover names a value. */
      g_assert_cmpuint (paddock_graph_get_n_segments (cpu), ==, 1);
      hover = paddock_graph_dup_hover_text (cpu, gtk_widget_get_width (GTK_WIDGET (cpu)) / 2.0);
      g_assert_nonnull (hover);
      g_assert_nonnull (strstr (hover, "%"));
    }

  /* Hidden: no request. Shown again: one. */
  fetches = paddock_graphs_view_get_n_fetches (graphs);
  adw_view_stack_set_visible_child_name (stack, "overview");
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (paddock_graphs_view_get_n_fetches (graphs), ==, fetches);
  adw_view_stack_set_visible_child_name (stack, "graphs");
  g_assert_true (iterate_until (graphs_fetched, GUINT_TO_POINTER (fetches + 1), 20));
  paddock_graphs_view_set_timeframe (graphs, "hour");
  adw_view_stack_set_visible_child_name (stack, "overview");

  /* A stopped container: its usage columns are left out, the graphs say so. */
  open_console_of (123);
  paddock_guest_page_show_graph (page, "cpu");
  fetches = paddock_graphs_view_get_n_fetches (graphs);
  g_assert_true (iterate_until (graphs_fetched, GUINT_TO_POINTER (1), 20));
  g_assert_cmpstr (paddock_graph_get_summary (paddock_graphs_view_get_graph (graphs, "cpu")), ==,
                   "CPU: no data for this time");
  save_screenshot (GTK_WIDGET (window), "graphs-stopped.png");
  adw_view_stack_set_visible_child_name (stack, "overview");
}

/* Samples with gaps: the line stops and starts again, never drops to zero. */
static void
test_graph_gaps (void)
{
  const gint64 times[] = { 1700000000, 1700000060, 1700000120, 1700000180, 1700000240, 1700000300, 1700000360 };
  const double values[] = { 0.10, 0.20, NAN, NAN, 0.40, 0.30, 0.35 };
  g_autoptr(GArray) time_array = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) value_array = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWidget *graph = paddock_graph_new ("CPU", PADDOCK_GRAPH_UNIT_PERCENT);
  GtkWidget *holder = gtk_window_new ();

  g_array_append_vals (time_array, times, G_N_ELEMENTS (times));
  g_array_append_vals (value_array, values, G_N_ELEMENTS (values));
  paddock_graph_set_data (PADDOCK_GRAPH (graph), time_array, "CPU", value_array, NULL, NULL);
  gtk_window_set_child (GTK_WINDOW (holder), graph);
  gtk_window_set_default_size (GTK_WINDOW (holder), 640, 200);
  gtk_window_present (GTK_WINDOW (holder));
  iterate_until_idle ();
  save_screenshot (holder, "graph-gaps.png");
  g_assert_cmpuint (paddock_graph_get_n_segments (PADDOCK_GRAPH (graph)), ==, 2);
  g_assert_cmpstr (paddock_graph_get_summary (PADDOCK_GRAPH (graph)), ==, "CPU: latest 35 %, from 10 % to 40 %");
  {
    /* Over the gap, the hover says there is no sample rather than a made-up value. */
    g_autofree char *hover = NULL;
    double left = 72, width = gtk_widget_get_width (graph) - 72 - 8;

    hover = paddock_graph_dup_hover_text (PADDOCK_GRAPH (graph), left + width * 2.5 / 6 + 1);
    g_assert_nonnull (hover);
    g_assert_nonnull (strstr (hover, "—"));
  }
  gtk_window_destroy (GTK_WINDOW (holder));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  paddock_test_lab_start ((const char *[]) { "--dataset", "demo", "--no-real", "--auth-delay-ms", "20",
                                             "--task-ms", "300", NULL });
  if (paddock_test_lab != NULL)
    {
      Wanted wanted;

      data_dir = paddock_test_make_dir ("detail-ui");
      paddock_test_ui_prepare_lab_data (data_dir);
      app = paddock_test_ui_start_app ("app.paddock.Paddock.DetailTest", data_dir, &window);
      wanted = (Wanted) { window, 25 };
      g_assert_true (iterate_until (has_items, &wanted, 30));
      page = paddock_window_get_guest_page (window);
    }

  g_test_add_func ("/paddock/console/echo-and-resize", test_echo_and_resize);
  g_test_add_func ("/paddock/console/reconnect", test_reconnect);
  g_test_add_func ("/paddock/console/two-consoles", test_two_consoles);
  g_test_add_func ("/paddock/graphs/timeframes-hidden-stopped", test_graphs);
  g_test_add_func ("/paddock/graphs/gaps", test_graph_gaps);
  g_test_add_func ("/paddock/console/stopped-offers-start", test_stopped_offers_start);

  status = g_test_run ();
  if (app != NULL)
    {
      close_app (app);
      g_object_unref (app);
    }
  return status;
}
