/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-settings.c: PaddockSettings exposes the GSettings keys as properties that notify */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "paddock-core.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_properties (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) gsettings = g_settings_new_with_backend (PADDOCK_SETTINGS_SCHEMA_ID, backend);
  g_autoptr(PaddockSettings) settings = paddock_settings_new_for_gsettings (gsettings);
  guint notified = 0;
  guint shutdown_timeout = 0;

  g_assert_cmpuint (paddock_settings_get_refresh_interval_focused (settings), ==, 5);
  g_assert_cmpuint (paddock_settings_get_refresh_interval_unfocused (settings), ==, 30);
  g_assert_cmpuint (paddock_settings_get_shutdown_timeout (settings), ==, 30);
  g_assert_cmpuint (paddock_settings_get_clipboard_clear_delay (settings), ==, 30);
  g_assert_cmpuint (paddock_settings_get_detail_refresh_interval (settings), ==, 2);
  g_assert_cmpuint (paddock_settings_get_services_refresh_interval (settings), ==, 60);

  g_signal_connect (settings, "notify::shutdown-timeout", G_CALLBACK (count_notify), &notified);

  /* A change made through GSettings (e.g. by the Preferences window) reaches the property. */
  g_settings_set_uint (gsettings, "shutdown-timeout", 90);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (settings, "shutdown-timeout", &shutdown_timeout, NULL);
  g_assert_cmpuint (shutdown_timeout, ==, 90);

  /* And the other way round; setting the same value again does not notify. */
  g_object_set (settings, "shutdown-timeout", 45, NULL);
  g_assert_cmpuint (g_settings_get_uint (gsettings, "shutdown-timeout"), ==, 45);
  g_assert_cmpuint (notified, ==, 2);
  g_object_set (settings, "shutdown-timeout", 45, NULL);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_window_state (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) gsettings = g_settings_new_with_backend (PADDOCK_SETTINGS_SCHEMA_ID, backend);
  g_autoptr(PaddockSettings) settings = paddock_settings_new_for_gsettings (gsettings);

  paddock_settings_save_window_state (settings, 900, 600, FALSE);
  g_assert_cmpint (paddock_settings_get_window_width (settings), ==, 900);
  g_assert_cmpint (paddock_settings_get_window_height (settings), ==, 600);
  g_assert_false (paddock_settings_get_window_maximized (settings));

  /* A maximised window keeps the size it will return to. */
  paddock_settings_save_window_state (settings, 3000, 2000, TRUE);
  g_assert_cmpint (paddock_settings_get_window_width (settings), ==, 900);
  g_assert_true (paddock_settings_get_window_maximized (settings));

  /* Tiny sizes are clamped to the schema's range instead of being refused. */
  paddock_settings_save_window_state (settings, 10, 10, FALSE);
  g_assert_cmpint (paddock_settings_get_window_width (settings), ==, 360);
  g_assert_cmpint (paddock_settings_get_window_height (settings), ==, 294);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/settings/properties", test_properties);
  g_test_add_func ("/settings/window-state", test_window_state);

  return g_test_run ();
}
