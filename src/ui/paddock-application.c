/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-application.c: the Paddock AdwApplication: app actions, About, Help, Preferences */

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "paddock-application.h"
#include "paddock-job-notifier.h"
#include "paddock-preferences-window.h"
#include "paddock-window.h"

struct _PaddockApplication
{
  AdwApplication    parent_instance;
  PaddockSettings  *settings;
  PaddockWorkspace *workspace;
  PaddockProvisioner *provisioner;
  PaddockJobNotifier *notifier;
  GCancellable     *cancellable;
  char             *data_dir;
  char             *connect_url;
  char             *load_error;
  gboolean          loading;
};

G_DEFINE_FINAL_TYPE (PaddockApplication, paddock_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_PROVISIONER,
  PROP_LOAD_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_load_error (PaddockApplication *self,
                const char         *message)
{
  g_free (self->load_error);
  self->load_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_ERROR]);
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PaddockApplication) self = user_data;
  g_autoptr(PaddockCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;

  cluster = paddock_workspace_connect_finish (PADDOCK_WORKSPACE (object), result, &error);
  if (cluster == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      /* The saved connections are on screen already: the failure must not go unnoticed. */
      if (window != NULL)
        {
          g_autofree char *heading = g_strdup_printf (_("Could Not Connect to %s"), self->connect_url);
          AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, heading, error->message));

          adw_message_dialog_add_response (dialog, "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
        }
      else
        set_load_error (self, error->message);
    }
}

static void
on_jobs_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PaddockApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_provisioner_load_finish (PADDOCK_PROVISIONER (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The provisioning jobs could not be read: %s", error->message);
}

static void
on_workspace_loaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PaddockApplication) self = user_data;
  PaddockWorkspace *workspace = PADDOCK_WORKSPACE (object);
  g_autoptr(GError) error = NULL;

  if (!paddock_workspace_load_finish (workspace, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_load_error (self, error->message);
      return;
    }

  self->workspace = g_object_ref (workspace);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);

  /* Jobs: those of processes that are gone become interrupted; others' are followed. */
  self->provisioner = paddock_provisioner_new (workspace);
  self->notifier = paddock_job_notifier_new (GTK_APPLICATION (self), self->provisioner, self->settings);
  paddock_provisioner_load_async (self->provisioner, self->cancellable, on_jobs_loaded, g_object_ref (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVISIONER]);

  /* paddock --connect URL: that connection is made ready, secrets from the environment. */
  if (self->connect_url != NULL)
    {
      PaddockConnectRequest *request = paddock_connect_request_from_env (self->connect_url, &error);

      if (request == NULL)
        set_load_error (self, error->message);
      else
        paddock_workspace_connect_async (workspace, request, self->cancellable, on_connected,
                                         g_object_ref (self));
    }
}

static void
on_store_opened (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PaddockApplication) self = user_data;
  g_autoptr(PaddockStore) store = NULL;
  g_autoptr(PaddockSecrets) secrets = NULL;
  g_autoptr(PaddockWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  store = paddock_store_open_finish (result, &error);
  if (store == NULL)
    {
      set_load_error (self, error->message);
      return;
    }

  secrets = paddock_secrets_new ();
  workspace = paddock_workspace_new (store, secrets);
  paddock_workspace_load_async (workspace, self->cancellable, on_workspace_loaded, g_object_ref (self));
}

/* The store opens in a worker thread; the window shows the cached list as soon as it is read. */
static void
load_workspace (PaddockApplication *self)
{
  g_autofree char *path = NULL;

  if (self->loading)
    return;
  self->loading = TRUE;

  if (self->data_dir != NULL)
    path = g_build_filename (self->data_dir, "paddock.db", NULL);
  else
    path = paddock_store_dup_default_path ();

  paddock_store_open_async (path, self->cancellable, on_store_opened, g_object_ref (self));
}

static int
paddock_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  PaddockApplication *self = PADDOCK_APPLICATION (app);
  const char *value;

  if (g_variant_dict_lookup (options, "connect", "&s", &value))
    paddock_application_set_connect_url (self, value);

  if (g_variant_dict_lookup (options, "data-dir", "^&ay", &value))
    paddock_application_set_data_dir (self, value);
  else if (g_getenv ("PADDOCK_DATA_DIR") != NULL)
    paddock_application_set_data_dir (self, g_getenv ("PADDOCK_DATA_DIR"));

  return -1;
}

static void
paddock_application_activate (GApplication *app)
{
  PaddockApplication *self = PADDOCK_APPLICATION (app);
  GtkWindow *window;

  g_assert (PADDOCK_IS_APPLICATION (self));

  load_workspace (self);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (paddock_window_new (self));

  gtk_window_present (window);
}

static void
paddock_application_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PaddockApplication *self = PADDOCK_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;

    case PROP_PROVISIONER:
      g_value_set_object (value, self->provisioner);
      break;

    case PROP_LOAD_ERROR:
      g_value_set_string (value, self->load_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_application_dispose (GObject *object)
{
  PaddockApplication *self = PADDOCK_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->notifier);
  g_clear_object (&self->provisioner);
  g_clear_object (&self->workspace);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->connect_url, g_free);
  g_clear_pointer (&self->load_error, g_free);

  G_OBJECT_CLASS (paddock_application_parent_class)->dispose (object);
}

static void
paddock_application_class_init (PaddockApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = paddock_application_dispose;
  object_class->get_property = paddock_application_get_property;
  app_class->activate = paddock_application_activate;
  app_class->handle_local_options = paddock_application_handle_local_options;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, PADDOCK_TYPE_WORKSPACE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROVISIONER] =
    g_param_spec_object ("provisioner", NULL, NULL, PADDOCK_TYPE_PROVISIONER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOAD_ERROR] =
    g_param_spec_string ("load-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
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
  if (self->workspace != NULL)
    paddock_preferences_window_add_connections (preferences, self->workspace);
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

/* From a job's notification: the window, on that job's page. */
/* The window a notification's click lands in: the most recently focused main window (the
 * application's list is in focus order and also holds dialogs and log windows), else a new one. */
static PaddockWindow *
some_window (PaddockApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (PADDOCK_IS_WINDOW (l->data))
      return PADDOCK_WINDOW (l->data);
  return paddock_window_new (self);
}

static void
paddock_application_show_job_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  PaddockApplication *self = user_data;
  PaddockWindow *window = some_window (self);

  gtk_window_present (GTK_WINDOW (window));
  paddock_window_show_job (window, g_variant_get_int64 (parameter));
}

/* A notification's click: (connection id, VMID). */
static void
paddock_application_show_container_action (GSimpleAction *action,
                                           GVariant      *parameter,
                                           gpointer       user_data)
{
  PaddockApplication *self = user_data;
  PaddockWindow *window = some_window (self);
  gint64 connection_id;
  guint32 vmid;

  g_variant_get (parameter, "(xu)", &connection_id, &vmid);
  gtk_window_present (GTK_WINDOW (window));
  paddock_window_show_container (window, connection_id, vmid);
}

static const GActionEntry app_actions[] = {
  { "about", paddock_application_about_action },
  { "preferences", paddock_application_preferences_action },
  { "help", paddock_application_help_action },
  { "quit", paddock_application_quit_action },
  { "show-job", paddock_application_show_job_action, "x" },
  { "show-container", paddock_application_show_container_action, "(xu)" },
};

static const GOptionEntry option_entries[] = {
  { "connect", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open with the Proxmox VE connection at URL ready (secrets from PADDOCK_* variables)"), "URL" },
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep Paddock's database in DIR instead of the user data folder"), "DIR" },
  { NULL }
};

static void
paddock_application_init (PaddockApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  self->settings = paddock_settings_new ();
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

/**
 * paddock_application_prepare_process:
 *
 * Settings of the process as a whole, made before GTK or any worker thread starts.
 */
void
paddock_application_prepare_process (void)
{
#ifdef __GLIBC__
  /* One malloc arena for every thread. By default glibc gives each thread that parses a
   * refresh an arena of its own, and keeps what was freed in them: with 10,000 containers the
   * window held 61–67 MB after ten refreshes instead of 50 (bench-ui-list). The threads'
   * caches (tcache) still serve their small allocations without a lock. */
  mallopt (M_ARENA_MAX, 1);
#endif
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

PaddockWorkspace *
paddock_application_get_workspace (PaddockApplication *self)
{
  g_return_val_if_fail (PADDOCK_IS_APPLICATION (self), NULL);

  return self->workspace;
}

PaddockProvisioner *
paddock_application_get_provisioner (PaddockApplication *self)
{
  g_return_val_if_fail (PADDOCK_IS_APPLICATION (self), NULL);

  return self->provisioner;
}

const char *
paddock_application_get_load_error (PaddockApplication *self)
{
  g_return_val_if_fail (PADDOCK_IS_APPLICATION (self), NULL);

  return self->load_error;
}

void
paddock_application_set_data_dir (PaddockApplication *self,
                                  const char         *data_dir)
{
  g_return_if_fail (PADDOCK_IS_APPLICATION (self));

  g_free (self->data_dir);
  self->data_dir = g_strdup (data_dir);
}

void
paddock_application_set_connect_url (PaddockApplication *self,
                                     const char         *url)
{
  g_return_if_fail (PADDOCK_IS_APPLICATION (self));

  g_free (self->connect_url);
  self->connect_url = g_strdup (url);
}
