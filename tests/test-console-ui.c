/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-console-ui.c: the Console tab and the console window under Xvfb, against the lab's node
 * over SSH: a command's output read back from the terminal, the terminal's size inside the
 * container, Reconnect after the node's sshd restarted, two consoles side by side, Start first */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "paddock-application.h"
#include "paddock-console.h"
#include "paddock-console-window.h"
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

      data_dir = paddock_test_make_dir ("console-ui");
      paddock_test_ui_prepare_lab_data (data_dir);
      app = paddock_test_ui_start_app ("app.paddock.Paddock.ConsoleTest", data_dir, &window);
      wanted = (Wanted) { window, 25 };
      g_assert_true (iterate_until (has_items, &wanted, 30));
      page = PADDOCK_GUEST_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "guest_page"));
    }

  g_test_add_func ("/paddock/console/echo-and-resize", test_echo_and_resize);
  g_test_add_func ("/paddock/console/reconnect", test_reconnect);
  g_test_add_func ("/paddock/console/two-consoles", test_two_consoles);
  g_test_add_func ("/paddock/console/stopped-offers-start", test_stopped_offers_start);

  status = g_test_run ();
  if (app != NULL)
    {
      close_app (app);
      g_object_unref (app);
    }
  return status;
}
