/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-application.c: the Paddock AdwApplication: app actions, About, Help, Preferences */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-application.h"
#include "paddock-preferences-window.h"
#include "paddock-window.h"

struct _PaddockApplication
{
  AdwApplication   parent_instance;
  PaddockSettings *settings;
};

G_DEFINE_FINAL_TYPE (PaddockApplication, paddock_application, ADW_TYPE_APPLICATION)

static void
paddock_application_activate (GApplication *app)
{
  PaddockApplication *self = PADDOCK_APPLICATION (app);
  GtkWindow *window;

  g_assert (PADDOCK_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (paddock_window_new (self));

  gtk_window_present (window);
}

static void
paddock_application_dispose (GObject *object)
{
  PaddockApplication *self = PADDOCK_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (paddock_application_parent_class)->dispose (object);
}

static void
paddock_application_class_init (PaddockApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = paddock_application_dispose;
  app_class->activate = paddock_application_activate;
}

static void
paddock_application_about_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  PaddockApplication *self = user_data;
  static const char *developers[] = { "The Paddock developers", NULL };
  GtkWindow *window;

  g_assert (PADDOCK_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Paddock"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Paddock developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("See, control and provision LXC containers on Proxmox VE"),
                         "website", "https://paddock.app/",
                         "issue-url", "https://paddock.app/issues",
                         "developers", developers,
                         "copyright", "© 2026 The Paddock developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
paddock_application_preferences_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  PaddockApplication *self = user_data;
  PaddockPreferencesWindow *preferences;
  GtkWindow *window;

  g_assert (PADDOCK_IS_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  preferences = paddock_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), window);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
on_help_launched (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PaddockApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      g_warning ("Could not open the user guide: %s", error->message);
      if (PADDOCK_IS_WINDOW (window))
        paddock_window_show_toast (PADDOCK_WINDOW (window),
                                   _("Could not open the user guide: is Yelp installed?"));
    }
}

static void
paddock_application_help_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  PaddockApplication *self = user_data;
  g_autoptr(GdkAppLaunchContext) context = NULL;

  g_assert (PADDOCK_IS_APPLICATION (self));

  context = gdk_display_get_app_launch_context (gdk_display_get_default ());
  g_app_info_launch_default_for_uri_async ("help:paddock",
                                           G_APP_LAUNCH_CONTEXT (context),
                                           NULL,
                                           on_help_launched,
                                           g_object_ref (self));
}

static void
paddock_application_quit_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  PaddockApplication *self = user_data;
  GList *windows;

  g_assert (PADDOCK_IS_APPLICATION (self));

  /* Closing each window lets it save its state before the app quits. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "about", paddock_application_about_action },
  { "preferences", paddock_application_preferences_action },
  { "help", paddock_application_help_action },
  { "quit", paddock_application_quit_action },
};

static void
paddock_application_init (PaddockApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  self->settings = paddock_settings_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

PaddockApplication *
paddock_application_new (const char        *application_id,
                         GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  /* The resource path is fixed so the Devel profile finds the same style.css and help overlay. */
  return g_object_new (PADDOCK_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", "/app/paddock/Paddock",
                       NULL);
}

PaddockSettings *
paddock_application_get_settings (PaddockApplication *self)
{
  g_return_val_if_fail (PADDOCK_IS_APPLICATION (self), NULL);

  return self->settings;
}
