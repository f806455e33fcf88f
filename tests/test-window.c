/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: opens the main window under Xvfb and drives it through its actions */

#include "config.h"

#include <adwaita.h>

#include "paddock-application.h"
#include "paddock-window.h"

static void
iterate_until_idle (void)
{
  /* Let GTK map, lay out and draw; bounded so a busy source cannot hang the test. */
  for (guint i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static GtkWindow *
find_toplevel_of_type (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
close_toplevel_of_type (GType type)
{
  GtkWindow *window = find_toplevel_of_type (type);

  g_assert_nonnull (window);
  gtk_window_destroy (window);
  iterate_until_idle ();
  g_assert_null (find_toplevel_of_type (type));
}

static void
test_window_actions (void)
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  PaddockWindow *window;

  app = paddock_application_new ("app.paddock.Paddock.Test", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = paddock_window_new (app);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  iterate_until_idle ();

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Paddock");

  /* The app menu's entries exist as actions. */
  for (const char * const *name = (const char * const[]) { "about", "preferences", "help", "quit", NULL };
       *name != NULL;
       name++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), *name));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  iterate_until_idle ();
  close_toplevel_of_type (ADW_TYPE_ABOUT_WINDOW);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  iterate_until_idle ();
  /* The help overlay is kept by the window and hidden, not destroyed. */
  {
    GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));

    g_assert_nonnull (overlay);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
    gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
  }

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  iterate_until_idle ();
  g_assert_nonnull (find_toplevel_of_type (ADW_TYPE_PREFERENCES_WINDOW));
  close_toplevel_of_type (ADW_TYPE_PREFERENCES_WINDOW);

  /* Closing the window records its size. */
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_close (GTK_WINDOW (window));
  iterate_until_idle ();
  g_assert_null (window);
  g_assert_cmpint (paddock_settings_get_window_width (paddock_application_get_settings (app)), ==, 900);

  /* The window was finalized (the weak pointer is cleared); the app stays registered with GIO
   * (which holds a reference of its own after g_application_register), so it is just released. */
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/paddock/window/actions", test_window_actions);

  return g_test_run ();
}
