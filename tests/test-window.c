/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: the main window under Xvfb, driven through its actions, against the lab */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "paddock-application.h"
#include "paddock-certificate-dialog.h"
#include "paddock-connection-dialog.h"
#include "paddock-create-wizard.h"
#include "paddock-guest-page.h"
#include "paddock-preferences-window.h"
#include "paddock-test-lab.h"
#include "paddock-test-notifications.h"
#include "paddock-usage-bar.h"
#include "paddock-value-text.h"
#include "paddock-format.h"
#include "paddock-test-ui.h"
#include "paddock-test-util.h"
#include "paddock-window.h"

static GtkWindow *label_window;

static gboolean
label_shown (gpointer data)
{
  return find_label (GTK_WIDGET (label_window), data) != NULL;
}

static gboolean
named_widget_exists (gpointer data)
{
  return find_named (data, "prod on pve2") != NULL;
}

static gboolean
named_widget_gone (gpointer data)
{
  return find_named (data, "prod on pve2") == NULL;
}

static gboolean
connection_named_lab2 (gpointer data)
{
  return g_strcmp0 (paddock_connection_get_name (data), "Lab 2") == 0;
}

static gboolean
action_row_says (gpointer data)
{
  void **args = data;
  const char *subtitle = adw_action_row_get_subtitle (args[0]);

  return subtitle != NULL && strstr (subtitle, args[1]) != NULL;
}

static void
test_window_actions (void)
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-window-XXXXXX", NULL);
  PaddockWindow *window;

  app = paddock_application_new ("app.paddock.Paddock.Test", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
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

/* What paddock --connect reads from its environment (as ./run demo sets it): the lab's token
 * @token_var ("PVE_TOKEN"), its secret or @secret instead, and the connection's @name (or none). */
static void
set_connect_environment_for (const char *token_var,
                             const char *secret,
                             const char *name)
{
  const char *token = paddock_test_lab_get (token_var);
  g_autofree char *token_id = g_strndup (token, strrchr (token, '=') - token);

  g_setenv ("PADDOCK_TOKEN_ID", token_id, TRUE);
  g_setenv ("PADDOCK_TOKEN_SECRET", secret != NULL ? secret : strrchr (token, '=') + 1, TRUE);
  g_setenv ("PADDOCK_FINGERPRINT", paddock_test_lab_get ("PVE_FINGERPRINT"), TRUE);
  if (name != NULL)
    g_setenv ("PADDOCK_CONNECTION_NAME", name, TRUE);
  else
    g_unsetenv ("PADDOCK_CONNECTION_NAME");
}

static void
set_connect_environment (const char *name)
{
  set_connect_environment_for ("PVE_TOKEN", NULL, name);
}

/* The live list */

static gboolean
window_action_enabled (PaddockWindow *window,
                       const char    *name)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (window), name);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

/* The row that shows @name (the name cell's label). */
static GtkWidget *
row_of (PaddockWindow *window,
        const char    *name)
{
  GtkWidget *list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                               "column_view"));
  GtkWidget *label = find_label (list, name);

  /* label → box → cell → row */
  return label != NULL ? gtk_widget_get_parent (gtk_widget_get_parent (gtk_widget_get_parent (label))) : NULL;
}

static double
memory_bar_of (PaddockWindow *window,
               const char    *name)
{
  GtkWidget *bar = find_of_type (row_of (window, name), PADDOCK_TYPE_USAGE_BAR);

  g_assert_nonnull (bar);
  return paddock_usage_bar_get_value (PADDOCK_USAGE_BAR (bar));
}

/* The CPU figure of @name's row (the first figure drawn by a PaddockValueText), as a screen
 * reader reads it. */
static const char *
cpu_text_of (PaddockWindow *window,
             const char    *name)
{
  GtkWidget *text = find_of_type (row_of (window, name), PADDOCK_TYPE_VALUE_TEXT);

  g_assert_nonnull (text);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     paddock_value_text_get_text (PADDOCK_VALUE_TEXT (text))));
  return paddock_value_text_get_text (PADDOCK_VALUE_TEXT (text));
}

static PaddockTestNotifications notifications;

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
banner_shown (gpointer data)
{
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_template_child (data, PADDOCK_TYPE_WINDOW, "banner_revealer"));

  return gtk_revealer_get_reveal_child (revealer);
}

static gboolean
banner_hidden (gpointer data)
{
  return !banner_shown (data);
}

static const char *
banner_text (PaddockWindow *window)
{
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                      "banner_label")));
}

static gboolean
banner_says_no_quorum (gpointer data)
{
  return banner_shown (data) && strstr (banner_text (data), "no quorum") != NULL;
}

static void
test_live_list (void)
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(PaddockApplication) offline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-live-XXXXXX", NULL);
  PaddockWindow *window;
  AdwWindowTitle *title;
  GtkSearchEntry *search;
  Wanted wanted;

  if (!paddock_test_lab_required ())
    return;

  /* As ./run demo starts it: paddock --connect URL with secrets in the environment. */
  set_connect_environment_for ("PVE_TOKEN", NULL, "Demo");

  app = paddock_application_new ("app.paddock.Paddock.Test2", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  /* The size a new user's window has (earlier tests saved theirs). */
  g_settings_reset (paddock_settings_get_gsettings (paddock_application_get_settings (app)), "window-width");
  g_settings_reset (paddock_settings_get_gsettings (paddock_application_get_settings (app)), "window-height");
  g_settings_reset (paddock_settings_get_gsettings (paddock_application_get_settings (app)), "window-maximized");
  window = open_window (app);

  /* The demo data set: 25 containers, 19 of them running. */
  wanted = (Wanted) { window, 25 };
  g_assert_true (iterate_until (has_items, &wanted, 30));
  title = ADW_WINDOW_TITLE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "content_title"));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "25 containers · 19 running · 6 stopped");
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (window), "window-list.png");
  /* debian12-base is a Proxmox template, and says so in the Template column: at the default size
   * (1340 px, 10 of them GTK's frame without a compositor) every column fits. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1340);
  {
    GtkColumnViewColumn *template = GTK_COLUMN_VIEW_COLUMN (
      gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "template_column"));
    gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    /* The columns are fitted once the window has its size from the display server. */
    while (!gtk_column_view_column_get_visible (template) && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
    g_assert_true (gtk_column_view_column_get_visible (template));
  }
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Proxmox template"));

  /* Search by tag, node and VMID (Ctrl+F opens it). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  search = GTK_SEARCH_ENTRY (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "search_entry"));
  gtk_editable_set_text (GTK_EDITABLE (search), "media");
  wanted.n_items = 4;
  g_assert_true (iterate_until (has_items, &wanted, 5));
  gtk_editable_set_text (GTK_EDITABLE (search), "pve3 prod");
  wanted.n_items = 1;
  g_assert_true (iterate_until (has_items, &wanted, 5));
  gtk_editable_set_text (GTK_EDITABLE (search), "101");
  g_assert_true (iterate_until (has_items, &wanted, 5));
  gtk_editable_set_text (GTK_EDITABLE (search), "no-such-container");
  wanted.n_items = 0;
  g_assert_true (iterate_until (has_items, &wanted, 5));
  save_screenshot (GTK_WIDGET (window), "window-no-match.png");
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  wanted.n_items = 25;
  g_assert_true (iterate_until (has_items, &wanted, 5));

  /* The connection becomes unreachable: a banner says which and why; Retry brings it back. */
  g_free (paddock_test_lab_control ("fail-next", "1000", "596"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (iterate_until (banner_shown, window, 20));
  g_assert_nonnull (strstr (banner_text (window), "Demo"));
  g_assert_nonnull (strstr (banner_text (window), "Connection timed out"));
  g_assert_cmpuint (g_list_model_get_n_items (filtered_guests (window)), ==, 25);
  save_screenshot (GTK_WIDGET (window), "window-unreachable.png");
  /* Its rows are the last known state: nothing can be done to them until it answers again. */
  select_guest (window, 106, TRUE);
  g_assert_false (window_action_enabled (window, "win.start"));
  {
    g_autoptr(PaddockGuest) first = g_list_model_get_item (filtered_guests (window), 0);

    g_assert_true (paddock_guest_get_offline (first));
  }
  /* Its rows are dimmed, and their memory bars empty rather than stale. */
  iterate_until_idle ();
  g_assert_true (gtk_widget_has_css_class (row_of (window, "nextcloud"), "paddock-offline"));
  g_assert_cmpfloat (memory_bar_of (window, "nextcloud"), ==, 0.0);
  g_assert_cmpstr (cpu_text_of (window, "nextcloud"), ==, "—");
  g_free (paddock_test_lab_control ("fail-next", "0", "596"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (iterate_until (banner_hidden, window, 20));
  iterate_until_idle ();
  g_assert_false (gtk_widget_has_css_class (row_of (window, "nextcloud"), "paddock-offline"));
  g_assert_cmpfloat (memory_bar_of (window, "nextcloud"), >, 0.0);
  g_assert_true (g_str_has_suffix (cpu_text_of (window, "nextcloud"), " %"));
  select_guest (window, 106, TRUE);
  g_assert_true (window_action_enabled (window, "win.start"));

  /* Proxmox's rules: a template is not started; a backup lock holds the power actions. */
  select_guest (window, 117, TRUE);
  g_assert_false (window_action_enabled (window, "win.start"));
  select_guest (window, 107, TRUE);
  g_assert_false (window_action_enabled (window, "win.stop"));
  g_assert_false (window_action_enabled (window, "win.shutdown"));
  select_guest (window, 106, TRUE);

  /* A node goes offline: the banner names it, its containers keep what the cluster knows. */
  g_free (paddock_test_lab_control ("node-offline", "pve3", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (iterate_until (banner_shown, window, 20));
  g_test_message ("banner: %s", banner_text (window));
  g_assert_nonnull (strstr (banner_text (window), "Demo: offline: pve3."));
  {
    PaddockCluster *cluster = paddock_workspace_find_cluster (paddock_application_get_workspace (app), 1);
    PaddockGuest *gitea = paddock_cluster_lookup (cluster, 120);
    g_autofree char *name = paddock_guest_dup_display_name (gitea);

    g_assert_cmpstr (name, ==, "CT 120");
    g_assert_cmpint (paddock_guest_get_state (gitea), ==, PADDOCK_GUEST_STATE_UNKNOWN);
    g_assert_false (paddock_guest_get_figures_known (gitea));
    g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "25 containers · 12 running · 4 stopped · 9 other");
  }
  save_screenshot (GTK_WIDGET (window), "window-node-offline.png");

  /* Then the quorum goes: the banner says that Proxmox refuses changes, and which nodes are gone. */
  g_free (paddock_test_lab_control ("quorum", "lost", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (iterate_until (banner_says_no_quorum, window, 20));
  g_assert_nonnull (strstr (banner_text (window), "Demo has no quorum (offline: pve2, pve3): Proxmox refuses every change"));
  save_screenshot (GTK_WIDGET (window), "window-no-quorum.png");
  g_free (paddock_test_lab_control ("quorum", "ok", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (iterate_until (banner_hidden, window, 20));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "25 containers · 19 running · 6 stopped");

  /* Wait for the list to reach the store (the first refresh saves it), then quit. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    PaddockStore *store = paddock_workspace_get_store (paddock_application_get_workspace (app));

    paddock_store_flush_async (store, NULL, PADDOCK_TEST_ASYNC (result));
    g_assert_true (paddock_store_flush_finish (store, paddock_test_wait (&result), NULL));
  }
  close_app (app);

  /* Offline start: the lab is gone, the last list shows at once, marked with when it was seen. */
  {
    g_autofree char *lab_down = g_build_filename (g_getenv ("PADDOCK_SOURCE_ROOT"), "tests", "lab", "lab-down", NULL);
    const char *argv[] = { lab_down, paddock_test_lab_get ("LAB_STATE"), NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, NULL, NULL));
  }
  g_unsetenv ("PADDOCK_TOKEN_SECRET");

  offline = paddock_application_new ("app.paddock.Paddock.Test3", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (offline, data_dir);
  g_assert_true (g_application_register (G_APPLICATION (offline), NULL, &error));
  window = open_window (offline);
  wanted = (Wanted) { window, 25 };
  g_assert_true (iterate_until (has_items, &wanted, 10));
  g_assert_true (iterate_until (banner_shown, window, 20));
  g_assert_nonnull (strstr (banner_text (window), "Demo"));
  g_assert_nonnull (strstr (banner_text (window), "last seen at"));
  save_screenshot (GTK_WIDGET (window), "window-offline.png");
  close_app (offline);
}

static GtkWindow *
find_visible_message_dialog (void)
{
  return find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
connection_dialog_gone (gpointer data)
{
  return find_toplevel_of_type (PADDOCK_TYPE_CONNECTION_DIALOG) == NULL;
}

static gboolean
action_enabled (gpointer data)
{
  gboolean enabled = FALSE;

  enabled = gtk_widget_activate_action (GTK_WIDGET (data), "win.add-connection", NULL)
            && find_toplevel_of_type (PADDOCK_TYPE_CONNECTION_DIALOG) != NULL;
  return enabled;
}

static gboolean
test_row_says (gpointer data)
{
  void **args = data;
  AdwActionRow *row = ADW_ACTION_ROW (gtk_widget_get_template_child (args[0], PADDOCK_TYPE_CONNECTION_DIALOG, "test_row"));
  const char *subtitle = adw_action_row_get_subtitle (row);

  return subtitle != NULL && strstr (subtitle, args[1]) != NULL;
}

static void
set_row_text (GtkWidget  *dialog,
              const char *row,
              const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG, row)), text);
}

/* First run: the empty state invites adding a connection; the dialog tests it, asks to trust the
 * certificate, reports refused credentials in place, then saves it with its secret in the keyring. */
static void
test_add_connection (void)
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-add-XXXXXX", NULL);
  g_autofree char *token_id = NULL;
  g_autofree char *secret = NULL;
  GtkStack *stack;
  GtkWidget *dialog;
  GtkWindow *trust;
  PaddockWindow *window;
  PaddockWorkspace *workspace;
  PaddockCluster *cluster;
  PaddockConnection *connection;
  const char *token;
  Wanted wanted;
  void *args[2];

  if (!paddock_test_lab_required ())
    return;

  g_unsetenv ("PADDOCK_TOKEN_ID");
  g_unsetenv ("PADDOCK_TOKEN_SECRET");
  g_unsetenv ("PADDOCK_FINGERPRINT");
  g_unsetenv ("PADDOCK_CONNECTION_NAME");
  token = paddock_test_lab_get ("PVE_TOKEN");
  token_id = g_strndup (token, strrchr (token, '=') - token);

  app = paddock_application_new ("app.paddock.Paddock.Test4", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);

  /* The empty state, then Ctrl+N's action opens the dialog once the store is loaded. */
  g_assert_true (iterate_until (action_enabled, window, 20));
  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "content_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  dialog = GTK_WIDGET (find_toplevel_of_type (PADDOCK_TYPE_CONNECTION_DIALOG));
  g_assert_nonnull (dialog);
  /* Nothing to add while the form is incomplete */
  iterate_until_idle ();
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG,
                                                                           "add_button"))));

  set_row_text (dialog, "name_row", "Lab");
  set_row_text (dialog, "address_row", paddock_test_lab_get ("PVE_URL"));
  set_row_text (dialog, "token_id_row", token_id);
  set_row_text (dialog, "token_secret_row", "paddock-test-secret-wrong");
  iterate_until_idle ();
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG,
                                                                          "add_button"))));
  save_screenshot (dialog, "dialog-add-connection.png");

  /* Test: the certificate is unknown, so the trust question comes first. */
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.test", NULL));
  g_assert_true (iterate_until (message_dialog_shown, NULL, 20));
  trust = find_visible_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (trust)), ==, "Trust This Certificate?");
  {
    g_autofree char *grouped = paddock_format_fingerprint (paddock_test_lab_get ("PVE_FINGERPRINT"));

    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (trust)), grouped));
  }
  save_screenshot (GTK_WIDGET (trust), "dialog-trust-certificate.png");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (trust), "trust");
  gtk_window_destroy (trust);

  /* Trusted; now the wrong secret is reported in place, and nothing is saved. */
  args[0] = dialog;
  args[1] = (gpointer) "refused";
  if (!iterate_until (test_row_says, args, 20))
    g_error ("test row: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG, "test_row"))));
  save_screenshot (dialog, "dialog-add-connection-refused.png");
  /* A failed test leaves Add a plain button: it is suggested once a test passes. */
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG,
                                                                                        "add_button")),
                                            "suggested-action"));
  workspace = paddock_application_get_workspace (app);
  g_assert_cmpuint (g_list_model_get_n_items (paddock_workspace_get_clusters (workspace)), ==, 0);

  /* The right secret: the check lists the nodes, each with its SSH settings and a test. */
  set_row_text (dialog, "token_secret_row", strrchr (token, '=') + 1);
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.test", NULL));
  args[1] = (gpointer) "Connected";
  g_assert_true (iterate_until (test_row_says, args, 20));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG,
                                                                                       "add_button")),
                                           "suggested-action"));
  /* The lab always has its sshd node: its SSH settings are part of adding a connection. */
    {
      GtkWidget *node = find_named (dialog, "pve1");
      void *ssh_args[2];

      g_assert_nonnull (node);
      g_assert_nonnull (find_named (dialog, "pve3"));
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (node, "ssh-address"))), ==, "127.0.0.1");
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (node), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (find_named (node, "ssh-port")), paddock_test_lab_get ("SSH_PORT"));
      gtk_editable_set_text (GTK_EDITABLE (find_named (node, "ssh-user")), paddock_test_lab_get ("SSH_USER"));
      adw_combo_row_set_selected (ADW_COMBO_ROW (find_named (node, "ssh-auth")), 1);
      gtk_editable_set_text (GTK_EDITABLE (find_named (node, "ssh-key")), paddock_test_lab_get ("SSH_KEY"));

      /* First contact: the host key is shown with its fingerprint, and trusted on purpose. */
      g_signal_emit_by_name (find_named (node, "ssh-test"), "clicked");
      g_assert_true (iterate_until (message_dialog_shown, NULL, 20));
      trust = find_visible_message_dialog ();
      g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (trust)), ==, "Trust This Host Key?");
      g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (trust)),
                                paddock_test_lab_get ("SSH_HOST_KEY_FINGERPRINT")));
      save_screenshot (GTK_WIDGET (trust), "dialog-trust-host-key.png");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (trust), "trust");
      ssh_args[0] = find_named (node, "ssh-check"), ssh_args[1] = (char *) "Connected as";
      g_assert_true (iterate_until (action_row_says, ssh_args, 30));
      save_screenshot (dialog, "dialog-add-connection-ssh.png");
    }

  /* Add tests again, saves, closes, and the list fills. */
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.add", NULL));
  g_assert_true (iterate_until (connection_dialog_gone, NULL, 30));
  wanted = (Wanted) { window, 25 };
  g_assert_true (iterate_until (has_items, &wanted, 30));
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (window), "window-after-add.png");

  /* The secret is in the keyring under the new connection, not in the database. */
  cluster = g_list_model_get_item (paddock_workspace_get_clusters (workspace), 0);
  connection = paddock_workspace_get_connection (workspace, cluster);
  g_assert_cmpstr (paddock_connection_get_name (connection), ==, "Lab");
  paddock_secrets_lookup_async (paddock_workspace_get_secrets (workspace), PADDOCK_SECRET_TOKEN,
                                paddock_connection_get_id (connection), NULL, NULL, NULL, PADDOCK_TEST_ASYNC (result));
  secret = paddock_secrets_lookup_finish (paddock_workspace_get_secrets (workspace), paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, strrchr (token, '=') + 1);

  /* The SSH settings of each node were saved with it. */
  {
    g_autoptr(GPtrArray) nodes = NULL;

    g_clear_object (&result);
    paddock_store_list_node_ssh_async (paddock_workspace_get_store (workspace), paddock_connection_get_id (connection),
                                       NULL, PADDOCK_TEST_ASYNC (result));
    nodes = paddock_store_list_node_ssh_finish (paddock_workspace_get_store (workspace), paddock_test_wait (&result),
                                                &error);
    g_assert_no_error (error);
    g_assert_cmpuint (nodes->len, ==, 3);
    for (guint i = 0; i < nodes->len; i++)
      {
        PaddockNodeSsh *ssh = g_ptr_array_index (nodes, i);

        if (g_str_equal (ssh->node, "pve1") && g_hash_table_contains (paddock_test_lab, "SSH_PORT"))
          {
            g_assert_cmpuint (ssh->port, ==, atoi (paddock_test_lab_get ("SSH_PORT")));
            g_assert_cmpint (ssh->auth, ==, PADDOCK_SSH_AUTH_KEY);
            g_assert_cmpstr (ssh->key_path, ==, paddock_test_lab_get ("SSH_KEY"));
          }
      }
  }

  /* Edit (Preferences ▸ Connections ▸ Edit…): the saved SSH settings are shown; a new name and
   * another node's user are saved; the secret stays when left empty. */
  {
    g_autoptr(GPtrArray) nodes = NULL;
    PaddockConnectionDialog *edit = paddock_connection_dialog_new_for_edit (GTK_WINDOW (window), workspace, cluster);
    void *edit_args[2] = { edit, (char *) "Connected" };
    GtkWidget *node;

    gtk_window_present (GTK_WINDOW (edit));
    g_assert_true (iterate_until (test_row_says, edit_args, 20));
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (edit),
                                                                                       PADDOCK_TYPE_CONNECTION_DIALOG,
                                                                                       "address_row"))));
    node = find_named (GTK_WIDGET (edit), "pve1");
    g_assert_nonnull (node);
    if (g_hash_table_contains (paddock_test_lab, "SSH_PORT"))
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (node, "ssh-port"))), ==,
                       paddock_test_lab_get ("SSH_PORT"));
    save_screenshot (GTK_WIDGET (edit), "dialog-edit-connection.png");

    /* The node's host key changed (a reinstall): here, in the connection's settings, the new key
     * can replace the old one after the stern warning. */
    if (g_hash_table_contains (paddock_test_lab, "SSH_PORT"))
      {
        g_autofree char *known_hosts = g_build_filename (data_dir, "known_hosts", NULL);
        g_autofree char *other_key_path = g_strconcat (paddock_test_lab_get ("SSH_KEY"), ".pub", NULL);
        g_autofree char *other_key = NULL;
        g_autofree char *line = NULL;
        g_auto(GStrv) parts = NULL;
        AdwMessageDialog *changed;
        void *ssh_args[2];

        g_assert_true (g_file_get_contents (other_key_path, &other_key, NULL, NULL));
        parts = g_strsplit (g_strstrip (other_key), " ", 3);
        line = g_strdup_printf ("[127.0.0.1]:%s %s %s\n", paddock_test_lab_get ("SSH_PORT"), parts[0], parts[1]);
        g_assert_true (g_file_set_contents (known_hosts, line, -1, NULL));

        g_signal_emit_by_name (find_named (node, "ssh-test"), "clicked");
        changed = wait_for_message_dialog ();
        g_assert_cmpstr (adw_message_dialog_get_heading (changed), ==, "The Host Key Changed");
        g_assert_true (adw_message_dialog_has_response (changed, "trust"));
        save_screenshot (GTK_WIDGET (changed), "dialog-host-key-changed.png");
        respond (changed, "trust");
        ssh_args[0] = find_named (node, "ssh-check"), ssh_args[1] = (char *) "Connected as";
        g_assert_true (iterate_until (action_row_says, ssh_args, 30));
      }
    set_row_text (GTK_WIDGET (edit), "name_row", "Lab 2");
    gtk_editable_set_text (GTK_EDITABLE (find_named (find_named (GTK_WIDGET (edit), "pve2"), "ssh-user")), "admin");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (edit), "dialog.add", NULL));
    g_assert_true (iterate_until (connection_dialog_gone, NULL, 20));
    g_assert_true (iterate_until (connection_named_lab2, connection, 10));

    g_clear_object (&result);
    paddock_store_list_node_ssh_async (paddock_workspace_get_store (workspace), paddock_connection_get_id (connection),
                                       NULL, PADDOCK_TEST_ASYNC (result));
    {
      gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
      gboolean saved = FALSE;

      /* The SSH rows are written after the dialog closed: ask until they are there. */
      while (!saved && g_get_monotonic_time () < until)
        {
          g_clear_pointer (&nodes, g_ptr_array_unref);
          nodes = paddock_store_list_node_ssh_finish (paddock_workspace_get_store (workspace), paddock_test_wait (&result),
                                                      &error);
          g_assert_no_error (error);
          for (guint i = 0; i < nodes->len; i++)
            saved = saved || (g_str_equal (((PaddockNodeSsh *) nodes->pdata[i])->node, "pve2") &&
                              g_strcmp0 (((PaddockNodeSsh *) nodes->pdata[i])->user, "admin") == 0);
          g_clear_object (&result);
          if (!saved)
            paddock_store_list_node_ssh_async (paddock_workspace_get_store (workspace),
                                               paddock_connection_get_id (connection), NULL, PADDOCK_TEST_ASYNC (result));
        }
      g_assert_true (saved);
    }
  }

  /* Removing the connection (as Preferences does) takes its secret out of the keyring. */
  {
    g_autofree char *gone = NULL;
    gint64 id = paddock_connection_get_id (connection);

    g_clear_object (&result);
    paddock_workspace_remove_async (workspace, cluster, NULL, PADDOCK_TEST_ASYNC (result));
    g_assert_true (paddock_workspace_remove_finish (workspace, paddock_test_wait (&result), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (paddock_workspace_get_clusters (workspace)), ==, 0);
    g_clear_object (&result);
    paddock_secrets_lookup_async (paddock_workspace_get_secrets (workspace), PADDOCK_SECRET_TOKEN,
                                  id, NULL, NULL, NULL, PADDOCK_TEST_ASYNC (result));
    gone = paddock_secrets_lookup_finish (paddock_workspace_get_secrets (workspace), paddock_test_wait (&result), &error);
    g_assert_no_error (error);
    g_assert_null (gone);
  }
  g_object_unref (cluster);

  close_app (app);
}


/* Lifecycle: filters, detail, actions with their confirmations, bulk, failures */

typedef struct
{
  PaddockApplication *app;
  guint               vmid;
  const char         *status;   /* "gone" for a deleted container */
} GuestState;

static PaddockGuest *
lookup_guest (PaddockApplication *app,
              guint               vmid)
{
  GListModel *clusters = paddock_workspace_get_clusters (paddock_application_get_workspace (app));
  g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, 0);

  return cluster ? paddock_cluster_lookup (cluster, vmid) : NULL;
}

static gboolean
guest_has_state (gpointer data)
{
  GuestState *state = data;
  PaddockGuest *guest = lookup_guest (state->app, state->vmid);

  if (guest == NULL)
    return g_str_equal (state->status, "gone");

  return !paddock_guest_get_busy (guest) && g_strcmp0 (paddock_guest_get_status (guest), state->status) == 0;
}



static gboolean
page_loaded (gpointer data)
{
  return !paddock_guest_page_get_loading (data);
}

static PaddockEvent *
last_event (PaddockApplication *app,
            guint               vmid)
{
  PaddockStore *store = paddock_workspace_get_store (paddock_application_get_workspace (app));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  paddock_store_list_events_async (store, 1, vmid, 10, NULL, PADDOCK_TEST_ASYNC (result));
  events = paddock_store_list_events_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 0);

  return g_object_ref (g_ptr_array_index (events, 0));
}

static gboolean
connection_is_default (gpointer data)
{
  return paddock_connection_get_is_default (data);
}

static gboolean
connection_named_homelab (gpointer data)
{
  return g_strcmp0 (paddock_connection_get_name (data), "Homelab") == 0;
}

static gboolean
list_is_empty (gpointer data)
{
  return g_list_model_get_n_items (data) == 0;
}

static gboolean
page_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static gboolean
has_four_choices (gpointer data)
{
  return g_list_model_get_n_items (data) == 4;
}

static void
test_lifecycle (void)
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-lifecycle-XXXXXX", NULL);
  PaddockWindow *window;
  PaddockGuestPage *page;
  AdwMessageDialog *dialog;
  GtkDropDown *drop_down;
  GuestState state;
  Wanted wanted;

  if (!paddock_test_lab_required ())
    return;

  /* A fresh lab: this test changes its containers (live-list stopped the previous one). */
  {
    const char *args[] = { "--no-ssh", "--auth-delay-ms", "20", "--task-ms", "300", NULL };

    g_clear_pointer (&paddock_test_lab, g_hash_table_unref);
    paddock_test_lab_start (args);
    if (!paddock_test_lab_required ())
      return;
  }

  set_connect_environment_for ("PVE_TOKEN", NULL, "Demo");

  /* The shortest shutdown timeout the settings allow, so that the fallback comes quickly. */
  settings = g_settings_new ("app.paddock.Paddock");
  g_settings_set_uint (settings, "shutdown-timeout", 5);

  app = paddock_application_new ("app.paddock.Paddock.Test5", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 760);
  wanted = (Wanted) { window, 25 };
  g_assert_true (iterate_until (has_items, &wanted, 30));
  state.app = app;
  label_window = GTK_WINDOW (window);

  /* Filters: status, node and tag, combined with the search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  drop_down = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "status_filter"));
  gtk_drop_down_set_selected (drop_down, 1);
  wanted.n_items = 19;
  g_assert_true (iterate_until (has_items, &wanted, 5));
  gtk_drop_down_set_selected (drop_down, 2);
  wanted.n_items = 6;
  g_assert_true (iterate_until (has_items, &wanted, 5));
  gtk_drop_down_set_selected (drop_down, 0);
  {
    GtkDropDown *nodes = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "node_filter"));
    GtkDropDown *tags = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "tag_filter"));
    GListModel *node_names = gtk_drop_down_get_model (nodes);
    GListModel *tag_names = gtk_drop_down_get_model (tags);
    guint pve2 = 0, prod = 0;

    /* The choices follow the list, filled in a main-loop turn after the refresh. */
    g_assert_true (iterate_until (has_four_choices, node_names, 5));  /* any, pve1, pve2, pve3 */
    for (guint i = 0; i < g_list_model_get_n_items (node_names); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (node_names), i), "pve2"))
        pve2 = i;
    for (guint i = 0; i < g_list_model_get_n_items (tag_names); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (tag_names), i), "prod"))
        prod = i;
    g_assert_cmpuint (pve2, >, 0);
    g_assert_cmpuint (prod, >, 0);

    gtk_drop_down_set_selected (nodes, pve2);
    wanted.n_items = 8;
    g_assert_true (iterate_until (has_items, &wanted, 5));
    gtk_drop_down_set_selected (tags, prod);
    wanted.n_items = 1;  /* homeassistant */
    g_assert_true (iterate_until (has_items, &wanted, 5));
    save_screenshot (GTK_WIDGET (window), "window-filters.png");

    /* Saved in the sidebar; chosen again later, it brings the same filters back. */
    {
      GtkListBox *sidebar = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                        "connections_list"));
      AdwMessageDialog *save;

      g_assert_true (window_action_enabled (window, "win.save-search"));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-search", NULL));
      save = wait_for_message_dialog ();
      gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (save)), "prod on pve2");
      respond (save, "save");
      g_assert_true (iterate_until (named_widget_exists, sidebar, 5));
      gtk_drop_down_set_selected (nodes, 0);
      gtk_drop_down_set_selected (tags, 0);
      wanted.n_items = 25;
      g_assert_true (iterate_until (has_items, &wanted, 5));
      gtk_list_box_select_row (sidebar, GTK_LIST_BOX_ROW (find_named (GTK_WIDGET (sidebar), "prod on pve2")));
      wanted.n_items = 1;
      g_assert_true (iterate_until (has_items, &wanted, 5));
      save_screenshot (GTK_WIDGET (window), "window-saved-search.png");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forget-search", "s", "prod on pve2"));
      g_assert_true (iterate_until (named_widget_gone, sidebar, 5));
    }
    gtk_drop_down_set_selected (nodes, 0);
    wanted.n_items = 5;  /* every prod container */
    g_assert_true (iterate_until (has_items, &wanted, 5));
    gtk_drop_down_set_selected (tags, 0);
  }
  /* The sidebar: a node of the connection shows its containers only; "All Containers" all again. */
  {
    GtkListBox *sidebar = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                      "connections_list"));
    AdwWindowTitle *title = ADW_WINDOW_TITLE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                            "content_title"));
    GtkWidget *node_row = find_named (GTK_WIDGET (sidebar), "pve3");

    g_assert_nonnull (node_row);
    gtk_list_box_select_row (sidebar, GTK_LIST_BOX_ROW (node_row));
    wanted.n_items = 9;
    g_assert_true (iterate_until (has_items, &wanted, 5));
    g_assert_cmpstr (adw_window_title_get_title (title), ==, "pve3");
    g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "9 containers · 7 running · 2 stopped");
    save_screenshot (GTK_WIDGET (window), "window-sidebar-node.png");
    gtk_list_box_select_row (sidebar, GTK_LIST_BOX_ROW (find_named (GTK_WIDGET (sidebar), "All Containers")));
    wanted.n_items = 25;
    g_assert_true (iterate_until (has_items, &wanted, 5));
  }

  /* Search by address: static ones from the configuration, DHCP ones from running containers. */
  {
    GtkEditable *search = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                       "search_entry"));

    gtk_editable_set_text (search, "192.168.1.11");
    wanted.n_items = 1;  /* nextcloud */
    g_assert_true (iterate_until (has_items, &wanted, 20));
    save_screenshot (GTK_WIDGET (window), "window-search-address.png");
    gtk_editable_set_text (search, "10.10.0.105");
    g_assert_true (iterate_until (has_items, &wanted, 20));  /* redis, by DHCP */
    gtk_editable_set_text (search, "");
  }
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                                  "search_bar")), FALSE);
  wanted.n_items = 25;
  g_assert_true (iterate_until (has_items, &wanted, 5));

  /* Actions follow the selection: a stopped container can start, not shut down. */
  select_guest (window, 112, TRUE);
  g_assert_true (window_action_enabled (window, "win.start"));
  g_assert_false (window_action_enabled (window, "win.shutdown"));

  /* Start needs no confirmation; the row is busy meanwhile, then running. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  g_test_message ("busy right after: %d", paddock_guest_get_busy (lookup_guest (app, 112)));
  g_assert_null (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  state.vmid = 112, state.status = "running";
  if (!iterate_until (guest_has_state, &state, 20))
    {
      event = last_event (app, 112);
      g_error ("not running; last event: %s", paddock_event_get_message (event));
    }
  event = last_event (app, 112);
  g_assert_cmpint (paddock_event_get_kind (event), ==, PADDOCK_EVENT_ACTION_SUCCEEDED);
  g_clear_object (&event);

  /* Reboot: no confirmation either; busy, then running again, and recorded. */
  select_guest (window, 112, TRUE);
  g_assert_true (window_action_enabled (window, "win.reboot"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reboot", NULL));
  g_assert_null (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (iterate_until (guest_has_state, &state, 20));
  {
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    do
      {
        g_clear_object (&event);
        iterate_until_idle ();
        event = last_event (app, 112);
      }
    while (strstr (paddock_event_get_message (event), "Rebooted") == NULL && g_get_monotonic_time () < until);
  }
  g_assert_cmpstr (paddock_event_get_message (event), ==, "Rebooted");
  g_clear_object (&event);

  /* A reboot that takes longer than 10 s and ends while the window is hidden: a desktop
   * notification; clicking it brings the window back on that container. */
  {
    guint before = notifications.received->len;
    gint64 until;
    const char *text;

    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL);
    g_free (paddock_test_lab_control ("stall-task", "vzreboot", NULL));
    select_guest (window, 112, TRUE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reboot", NULL));
    gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
    for (until = g_get_monotonic_time () + 11 * G_USEC_PER_SEC; g_get_monotonic_time () < until;)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
    g_assert_cmpuint (notifications.received->len, ==, before);  /* not before it ends */
    g_free (paddock_test_lab_control ("stall-task", "", NULL));
    text = paddock_test_notifications_wait (&notifications, before, 20);
    g_assert_nonnull (text);
    g_assert_cmpstr (text, ==, "radarr rebooted\n");
    paddock_test_notifications_click (&notifications, before);
    g_assert_true (iterate_until (widget_visible, window, 10));
    iterate_until_idle ();
    {
      PaddockGuestPage *guest_page = paddock_window_get_guest_page (window);

      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (guest_page)));
      g_assert_cmpuint (paddock_guest_get_vmid (paddock_guest_page_get_guest (guest_page)), ==, 112);
    }
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL);
  }

  /* Bulk: two stopped containers, one confirmation that names both. */
  select_guest (window, 116, TRUE);
  select_guest (window, 123, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Start 2 Containers?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "zigbee2mqtt (CT 116, pve2)"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "docs (CT 123, pve3)"));
  save_screenshot (GTK_WIDGET (dialog), "dialog-bulk-start.png");
  respond (dialog, "confirm");
  state.vmid = 116;
  g_assert_true (iterate_until (guest_has_state, &state, 20));
  state.vmid = 123;
  g_assert_true (iterate_until (guest_has_state, &state, 20));

  /* nextcloud as if Paddock had made it from a template: the list and the detail say so (the
   * records are read again after an action, as after a creation). */
  {
    PaddockStore *store = paddock_workspace_get_store (paddock_application_get_workspace (app));
    g_autoptr(PaddockTemplate) template = paddock_template_new ("cloud-apps");
    g_autoptr(GAsyncResult) result = NULL;
    PaddockManagedContainer managed = { 0 };
    gint64 template_id;

    paddock_store_save_template_async (store, template, NULL, PADDOCK_TEST_ASYNC (result));
    template_id = paddock_store_save_template_finish (store, paddock_test_wait (&result), &error);
    g_assert_no_error (error);
    g_clear_object (&result);
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (paddock_workspace_get_clusters (paddock_application_get_workspace (app)), 0);

      managed.connection_id = paddock_cluster_get_connection_id (cluster);
    }
    managed.node = (char *) "pve1";
    managed.vmid = 101;
    managed.hostname = (char *) "nextcloud";
    managed.template_id = template_id;
    managed.created_at = 1763800000;
    managed.lifecycle = PADDOCK_LIFECYCLE_READY;
    paddock_store_save_managed_container_async (store, &managed, NULL, PADDOCK_TEST_ASYNC (result));
    g_assert_true (paddock_store_save_managed_container_finish (store, paddock_test_wait (&result), &error));
    g_assert_no_error (error);

    /* Any action reads the records again: a reboot of radarr. */
    select_guest (window, 112, TRUE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reboot", NULL));
    state.vmid = 112, state.status = "running";
    g_assert_true (iterate_until (guest_has_state, &state, 20));
    g_assert_true (iterate_until (label_shown, (gpointer) "cloud-apps", 10));
  }

  /* The detail of a running container: overview with live usage and the parsed configuration. */
  select_guest (window, 101, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-selected", NULL));
  page = paddock_window_get_guest_page (window);
  g_assert_true (paddock_guest_get_vmid (paddock_guest_page_get_guest (page)) == 101);
  g_assert_true (iterate_until (page_loaded, page, 20));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_nonnull (find_label (GTK_WIDGET (page), "Paddock Template"));
  g_assert_true (window_action_enabled (window, "win.shutdown"));
  g_assert_false (window_action_enabled (window, "win.start"));
  save_screenshot (GTK_WIDGET (window), "window-detail.png");
  /* Its title lines up with the content under it, however wide the window. */
  {
    GtkWidget *name = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), PADDOCK_TYPE_GUEST_PAGE,
                                                                 "name_label"));
    GtkWidget *content = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), PADDOCK_TYPE_GUEST_PAGE,
                                                                    "overview_box"));
    double name_x = 0, content_x = 0, unused = 0;

    g_assert_true (gtk_widget_translate_coordinates (name, GTK_WIDGET (window), 0, 0, &name_x, &unused));
    g_assert_true (gtk_widget_translate_coordinates (content, GTK_WIDGET (window), 0, 0, &content_x, &unused));
    g_test_message ("title at x %.0f, content at x %.0f", name_x, content_x);
    g_assert_cmpfloat (fabs (name_x - content_x), <=, 1.0);
    g_assert_cmpfloat (content_x, >, 400.0);  /* clamped, in a wide window */
  }

  /* Shut down: a confirmation that explains the fallback; a container that ignores it is stopped. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL));
  select_guest (window, 104, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-selected", NULL));
  g_assert_true (iterate_until (page_loaded, page, 20));
  g_free (paddock_test_lab_control ("ignore-shutdown", "104", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.shutdown", NULL));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Shut Down grafana?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "5 seconds"));
  save_screenshot (GTK_WIDGET (dialog), "dialog-shutdown.png");
  respond (dialog, "confirm");
  iterate_until_idle ();
  g_assert_false (window_action_enabled (window, "win.stop"));  /* busy: nothing else meanwhile */
  save_screenshot (GTK_WIDGET (window), "window-detail-busy.png");
  /* Its row in the list spins meanwhile (the spinner is made for the first action). */
  {
    GtkWidget *spinner = find_of_type (row_of (window, "grafana"), GTK_TYPE_SPINNER);

    g_assert_nonnull (spinner);
    g_assert_true (gtk_widget_get_visible (spinner));
    g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  }
  state.vmid = 104, state.status = "stopped";
  g_assert_true (iterate_until (guest_has_state, &state, 40));
  g_assert_false (gtk_widget_get_visible (find_of_type (row_of (window, "grafana"), GTK_TYPE_SPINNER)));
  event = last_event (app, 104);
  g_assert_nonnull (strstr (paddock_event_get_message (event), "forced"));
  g_clear_object (&event);
  paddock_guest_page_show_events (page);
  g_assert_true (iterate_until (page_loaded, page, 20));
  save_screenshot (GTK_WIDGET (window), "window-detail-events.png");

  /* A failing task: the failure names Proxmox's reason and offers the task log. */
  g_free (paddock_test_lab_control ("fail-task", "vzstart", "startup for container '104' failed"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  state.vmid = 104, state.status = "stopped";
  g_assert_true (iterate_until (guest_has_state, &state, 20));
  {
    gint64 until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    do
      {
        g_clear_object (&event);
        iterate_until_idle ();
        event = last_event (app, 104);
      }
    while (paddock_event_get_kind (event) != PADDOCK_EVENT_ACTION_FAILED && g_get_monotonic_time () < until);
  }
  g_assert_cmpint (paddock_event_get_kind (event), ==, PADDOCK_EVENT_ACTION_FAILED);
  g_clear_object (&event);
  g_free (paddock_test_lab_control ("reset", NULL, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-operation-failure", "u", 1));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Start grafana");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "TASK ERROR: startup for container '104' failed"));
  save_screenshot (GTK_WIDGET (dialog), "dialog-task-failed.png");
  respond (dialog, "close");

  /* Stop: a warning that data may be lost. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL));
  select_guest (window, 103, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop redis?");
  save_screenshot (GTK_WIDGET (dialog), "dialog-stop.png");
  respond (dialog, "cancel");
  state.vmid = 103, state.status = "running";
  g_assert_true (guest_has_state (&state));

  /* Delete a running container: its name must be typed before Delete is allowed. */
  select_guest (window, 128, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-selected", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete CT128 (CT 128)?");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "scratc");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "CT128");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "confirm"));
  save_screenshot (GTK_WIDGET (dialog), "dialog-delete.png");
  respond (dialog, "confirm");
  state.vmid = 128, state.status = "gone";
  g_assert_true (iterate_until (guest_has_state, &state, 30));
  /* The detail of a deleted container goes back to the list. */
  g_assert_true (iterate_until (page_unmapped, page, 5));
  wanted.n_items = 24;
  g_assert_true (iterate_until (has_items, &wanted, 10));

  /* Preferences › Connections: test, rename, set default, remove (with its secret). */
  {
    GtkWindow *preferences;
    GtkWidget *row;
    PaddockWorkspace *workspace = paddock_application_get_workspace (app);
    GListModel *clusters = paddock_workspace_get_clusters (workspace);
    g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, 0);
    PaddockConnection *connection = paddock_workspace_get_connection (workspace, cluster);
    void *row_says[2];

    g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
    iterate_until_idle ();
    preferences = find_toplevel_of_type (ADW_TYPE_PREFERENCES_WINDOW);
    g_assert_nonnull (preferences);
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "connections");
    row = find_named (GTK_WIDGET (preferences), "Demo");
    g_assert_nonnull (row);

    /* The server's certificate was renewed: Test shows both fingerprints, and here (only here)
     * the new one can be trusted instead. */
    g_free (paddock_test_lab_control ("swap-certificate", NULL, NULL));
    g_assert_true (gtk_widget_activate_action (row, "row.test", NULL));
    dialog = wait_for_message_dialog ();
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Certificate Changed");
    g_assert_true (adw_message_dialog_has_response (dialog, "trust"));
    save_screenshot (GTK_WIDGET (dialog), "dialog-certificate-changed.png");
    respond (dialog, "trust");
    row_says[0] = row, row_says[1] = (char *) "Connected: Proxmox VE";
    g_assert_true (iterate_until (action_row_says, row_says, 20));
    save_screenshot (GTK_WIDGET (preferences), "preferences-connections.png");

    /* A rotated token: a wrong secret is refused in place, the right one works again. */
    for (guint round = 0; round < 2; round++)
      {
        const char *token_secret = round == 0 ? "not-the-secret" : strrchr (paddock_test_lab_get ("PVE_TOKEN"), '=') + 1;

        g_assert_true (gtk_widget_activate_action (row, "row.secret", NULL));
        dialog = wait_for_message_dialog ();
        g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "New Token Secret");
        g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
        gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), token_secret);
        respond (dialog, "save");
        row_says[1] = (char *) (round == 0 ? "refused the API token" : "Connected: Proxmox VE");
        if (!iterate_until (action_row_says, row_says, 20))
          g_error ("after a new secret the row says: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
        g_assert_true (gtk_widget_has_css_class (row, "error") == (round == 0));
      }
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *kept = NULL;

      paddock_secrets_lookup_async (paddock_workspace_get_secrets (workspace), PADDOCK_SECRET_TOKEN,
                                    paddock_connection_get_id (connection), NULL, NULL, NULL, PADDOCK_TEST_ASYNC (result));
      kept = paddock_secrets_lookup_finish (paddock_workspace_get_secrets (workspace), paddock_test_wait (&result), NULL);
      g_assert_cmpstr (kept, ==, strrchr (paddock_test_lab_get ("PVE_TOKEN"), '=') + 1);
    }

    g_assert_true (gtk_widget_activate_action (row, "row.default", NULL));
    g_assert_true (iterate_until (connection_is_default, connection, 10));

    g_assert_true (gtk_widget_activate_action (row, "row.rename", NULL));
    dialog = wait_for_message_dialog ();
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Homelab");
    respond (dialog, "rename");
    g_assert_true (iterate_until (connection_named_homelab, connection, 10));
    row = find_named (GTK_WIDGET (preferences), "Homelab");
    g_assert_nonnull (row);

    g_assert_true (gtk_widget_activate_action (row, "row.remove", NULL));
    dialog = wait_for_message_dialog ();
    g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "Homelab"));
    save_screenshot (GTK_WIDGET (dialog), "dialog-remove-connection.png");
    respond (dialog, "remove");
    g_assert_true (iterate_until (list_is_empty, clusters, 10));
    gtk_window_destroy (preferences);
    iterate_until_idle ();
  }

  /* With no connection left, the window invites to add one again. */
  wanted.n_items = 0;
  g_assert_true (iterate_until (has_items, &wanted, 10));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                                PADDOCK_TYPE_WINDOW,
                                                                                                "content_stack"))),
                   ==, "empty");

  g_settings_reset (settings, "shutdown-timeout");
  close_app (app);
}

/* The lab's list is pam, pve with pve the default: chosen once the list arrived. */
static gboolean
realms_loaded (gpointer data)
{
  AdwComboRow *row = data;
  GListModel *realms = adw_combo_row_get_model (row);

  return g_list_model_get_n_items (realms) == 2 && adw_combo_row_get_selected (row) == 1 &&
         g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (realms), 1), "pve") == 0;
}

static gboolean
dialog_closed (gpointer data)
{
  return find_toplevel_of_type (PADDOCK_TYPE_CONNECTION_DIALOG) == NULL;
}

/* Password login: the realm list comes from the server; a two-factor account asks for its code. */
static void
test_add_connection_two_factor (void)
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-tfa-XXXXXX", NULL);
  g_autofree char *code = NULL;
  GtkWidget *dialog;
  GtkWidget *totp_row;
  AdwComboRow *realm_row;
  PaddockWindow *window;
  Wanted wanted;
  void *args[2];

  if (!paddock_test_lab_required ())
    return;

  app = paddock_application_new ("app.paddock.Paddock.Test6", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = open_window (app);
  g_assert_true (iterate_until (action_enabled, window, 20));
  dialog = GTK_WIDGET (find_toplevel_of_type (PADDOCK_TYPE_CONNECTION_DIALOG));
  g_assert_nonnull (dialog);

  adw_combo_row_set_selected (ADW_COMBO_ROW (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG,
                                                                            "method_row")), 1);
  set_row_text (dialog, "name_row", "Alice");
  set_row_text (dialog, "address_row", paddock_test_lab_get ("PVE_URL"));
  set_row_text (dialog, "user_row", "alice");
  set_row_text (dialog, "password_row", paddock_test_lab_get ("PVE_PASSWORD"));

  /* Test first: the certificate is unknown here; trusting it also lets the realm list load. */
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.test", NULL));
  g_assert_true (iterate_until (message_dialog_shown, NULL, 20));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_visible_message_dialog ()), "trust");
  realm_row = ADW_COMBO_ROW (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG, "realm_row"));
  g_assert_true (iterate_until (realms_loaded, realm_row, 20));  /* alice@pve */

  /* Test with the realm chosen: the password is right, a second factor is wanted. */
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.test", NULL));
  totp_row = GTK_WIDGET (gtk_widget_get_template_child (dialog, PADDOCK_TYPE_CONNECTION_DIALOG, "totp_row"));
  g_assert_true (iterate_until (widget_visible, totp_row, 20));
  args[0] = dialog, args[1] = (char *) "two-factor";
  g_assert_true (iterate_until (test_row_says, args, 5));
  save_screenshot (dialog, "dialog-add-connection-two-factor.png");

  /* A wrong code is said in place; the right one connects, and Add keeps that session. */
  gtk_editable_set_text (GTK_EDITABLE (totp_row), "000000");
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.test", NULL));
  args[1] = (char *) "did not accept this code";
  g_assert_true (iterate_until (test_row_says, args, 20));
  code = paddock_test_lab_control ("totp", NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (totp_row), code);
  g_assert_true (gtk_widget_activate_action (dialog, "dialog.add", NULL));
  g_assert_true (iterate_until (dialog_closed, NULL, 20));

  wanted = (Wanted) { window, 25 };
  g_assert_true (iterate_until (has_items, &wanted, 30));
  close_app (app);
}

/* A read-only API token: the action is refused by Proxmox, and its reason is shown. */
static PaddockEvent *
last_event_or_null (PaddockApplication *app,
                    guint               vmid)
{
  PaddockWorkspace *workspace = paddock_application_get_workspace (app);
  g_autoptr(PaddockCluster) cluster = g_list_model_get_item (paddock_workspace_get_clusters (workspace), 0);
  PaddockStore *store = paddock_workspace_get_store (workspace);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) events = NULL;

  paddock_store_list_events_async (store, paddock_cluster_get_connection_id (cluster), vmid, 10, NULL,
                                   PADDOCK_TEST_ASYNC (result));
  events = paddock_store_list_events_finish (store, paddock_test_wait (&result), NULL);
  if (events == NULL || events->len == 0)
    return NULL;

  return g_object_ref (g_ptr_array_index (events, 0));
}

static gboolean
secret_button_shown (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (data, PADDOCK_TYPE_WINDOW, "update_secret_button")))
         && banner_shown (data);
}

static gboolean
banner_gone (gpointer data)
{
  return !banner_shown (data);
}

/* A refused token at start: the banner says so in words, and Update Secret… leads straight to the
 * connection's secret; with the right one the list comes. Enter in the search opens the match. */
static void
test_refused_token_and_search (void)
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-refused-XXXXXX", NULL);
  AdwMessageDialog *dialog;
  PaddockWindow *window;
  const char *token;
  GtkLabel *banner;
  Wanted wanted;

  if (!paddock_test_lab_required ())
    return;

  token = paddock_test_lab_get ("PVE_TOKEN");
  set_connect_environment_for ("PVE_TOKEN", "a-revoked-secret", "Revoked");

  app = paddock_application_new ("app.paddock.Paddock.Refused", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 760);

  g_assert_true (iterate_until (secret_button_shown, window, 30));
  banner = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "banner_label"));
  g_test_message ("banner: %s", gtk_label_get_text (banner));
  g_assert_nonnull (strstr (gtk_label_get_text (banner), "Revoked: 127.0.0.1 refused the API token root@pam!paddock"));
  save_screenshot (GTK_WIDGET (window), "window-refused-token.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.update-secret", NULL));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "New Token Secret");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), strrchr (token, '=') + 1);
  respond (dialog, "save");
  close_toplevel_of_type (ADW_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  wanted = (Wanted) { window, 25 };
  g_assert_true (iterate_until (has_items, &wanted, 30));
  g_assert_true (iterate_until (banner_gone, window, 20));

  /* Search, Enter: the match opens. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  {
    GtkEditable *search = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                       "search_entry"));
    PaddockGuestPage *page = paddock_window_get_guest_page (window);

    gtk_editable_set_text (search, "redis");
    wanted.n_items = 1;
    g_assert_true (iterate_until (has_items, &wanted, 10));
    g_signal_emit_by_name (search, "activate");
    iterate_until_idle ();
    g_assert_nonnull (paddock_guest_page_get_guest (page));
    g_assert_cmpuint (paddock_guest_get_vmid (paddock_guest_page_get_guest (page)), ==, 103);
  }
  close_app (app);
}

static void
test_read_only_token (void)
{
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-readonly-XXXXXX", NULL);
  g_autofree char *token_id = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  AdwMessageDialog *dialog;
  PaddockWindow *window;
  Wanted wanted;
  gint64 until;

  if (!paddock_test_lab_required ())
    return;

  set_connect_environment_for ("PVE_READONLY_TOKEN", NULL, "Monitor");

  app = paddock_application_new ("app.paddock.Paddock.Test7", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 760);
  wanted = (Wanted) { window, 25 };
  g_assert_true (iterate_until (has_items, &wanted, 30));

  /* Reading works; starting is refused with Proxmox's own words. */
  select_guest (window, 123, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL));
  until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  do
    {
      g_clear_object (&event);
      iterate_until_idle ();
      g_usleep (20000);
      event = last_event_or_null (app, 123);
    }
  while ((event == NULL || paddock_event_get_kind (event) != PADDOCK_EVENT_ACTION_FAILED) && g_get_monotonic_time () < until);
  g_assert_nonnull (event);
  g_assert_cmpint (paddock_event_get_kind (event), ==, PADDOCK_EVENT_ACTION_FAILED);
  g_assert_nonnull (strstr (paddock_event_get_message (event), "VM.PowerMgmt"));
  save_screenshot (GTK_WIDGET (window), "window-permission-refused.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-operation-failure", "u", 1));
  g_assert_true (iterate_until (message_dialog_shown, NULL, 10));
  dialog = ADW_MESSAGE_DIALOG (find_visible_message_dialog ());
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Start docs");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "VM.PowerMgmt"));
  save_screenshot (GTK_WIDGET (dialog), "dialog-permission-refused.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  close_app (app);
}

/* paddock --connect a second time (./run demo again): the saved connection, which has no secret
 * in the keyring, gets the one from the environment; no error stays on screen. */
static void
test_connect_again (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-again-XXXXXX", NULL);
  g_autofree char *token_id = NULL;
  const char *token;

  if (!paddock_test_lab_required ())
    return;

  token = paddock_test_lab_get ("PVE_TOKEN");
  token_id = g_strndup (token, strrchr (token, '=') - token);
  g_setenv ("PADDOCK_TOKEN_ID", token_id, TRUE);
  g_setenv ("PADDOCK_FINGERPRINT", paddock_test_lab_get ("PVE_FINGERPRINT"), TRUE);
  g_setenv ("PADDOCK_CONNECTION_NAME", "Again", TRUE);

  /* Each round is another start of paddock --connect, with the secret in its environment (which
   * the application wipes once read). */
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *id = g_strdup_printf ("app.paddock.Paddock.Again%u", round);
      g_autoptr(PaddockApplication) app = paddock_application_new (id, G_APPLICATION_NON_UNIQUE);
      g_autoptr(GError) error = NULL;
      PaddockWindow *window;
      Wanted wanted;

      g_setenv ("PADDOCK_TOKEN_SECRET", strrchr (token, '=') + 1, TRUE);
      paddock_application_set_data_dir (app, data_dir);
      paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      window = open_window (app);
      wanted = (Wanted) { window, 25 };
      g_assert_true (iterate_until (has_items, &wanted, 30));
      /* Two refreshes later the banner must be gone (or never shown). */
      {
        gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, FALSE), g_usleep (2000);
      }
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
      if (!iterate_until (banner_hidden, window, 10))
        g_error ("round %u: the banner says: %s", round, banner_text (window));
      close_app (app);
    }
}

/* The same name for another server: both are kept, the new one named with its address. */
static gboolean
has_two_clusters (gpointer data)
{
  PaddockWorkspace *workspace = paddock_application_get_workspace (data);

  return workspace != NULL && g_list_model_get_n_items (paddock_workspace_get_clusters (workspace)) == 2;
}

static void
test_connect_other_server_same_name (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-names-XXXXXX", NULL);
  const char *urls[] = { NULL, "https://127.0.0.1:9" };

  if (!paddock_test_lab_required ())
    return;

  urls[0] = paddock_test_lab_get ("PVE_URL");
  set_connect_environment ("Same");
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *id = g_strdup_printf ("app.paddock.Paddock.Same%u", round);
      g_autoptr(PaddockApplication) app = paddock_application_new (id, G_APPLICATION_NON_UNIQUE);
      g_autoptr(GError) error = NULL;

      /* Another start of paddock --connect: the secret in its environment again. */
      g_setenv ("PADDOCK_TOKEN_SECRET", strrchr (paddock_test_lab_get ("PVE_TOKEN"), '=') + 1, TRUE);
      paddock_application_set_data_dir (app, data_dir);
      paddock_application_set_connect_url (app, urls[round]);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      open_window (app);
      if (round == 1)
        {
          PaddockWorkspace *workspace;
          g_autoptr(PaddockCluster) second = NULL;

          g_assert_true (iterate_until (has_two_clusters, app, 20));
          g_assert_null (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
          workspace = paddock_application_get_workspace (app);
          second = g_list_model_get_item (paddock_workspace_get_clusters (workspace), 1);
          g_assert_cmpstr (paddock_connection_get_name (paddock_workspace_get_connection (workspace, second)), ==,
                           "Same (127.0.0.1:9)");
        }
      else
        {
          Wanted wanted = { PADDOCK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app))), 25 };

          g_assert_true (iterate_until (has_items, &wanted, 30));
        }
      close_app (app);
    }
}

static gboolean
first_connection_named_homelab (gpointer data)
{
  PaddockWorkspace *workspace = paddock_application_get_workspace (data);
  g_autoptr(PaddockCluster) cluster = NULL;

  if (workspace == NULL || g_list_model_get_n_items (paddock_workspace_get_clusters (workspace)) == 0)
    return FALSE;
  cluster = g_list_model_get_item (paddock_workspace_get_clusters (workspace), 0);
  return g_strcmp0 (paddock_connection_get_name (paddock_workspace_get_connection (workspace, cluster)),
                    "homelab") == 0;
}

/* paddock --connect without a name: saved under its address, then named after its cluster. */
static void
test_connect_names_after_cluster (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-autoname-XXXXXX", NULL);
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  if (!paddock_test_lab_required ())
    return;

  set_connect_environment (NULL);
  app = paddock_application_new ("app.paddock.Paddock.AutoName", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  open_window (app);
  g_assert_true (iterate_until (first_connection_named_homelab, app, 20));
  close_app (app);
}

static gboolean
window_is_narrow (gpointer data)
{
  GtkWidget *leaflet = GTK_WIDGET (gtk_widget_get_template_child (data, PADDOCK_TYPE_WINDOW, "leaflet"));

  return gtk_widget_get_width (data) <= 370 && adw_leaflet_get_folded (ADW_LEAFLET (leaflet));
}

static gboolean
page_is_full_width (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) >= 340;
}

static gboolean
leaflet_shows (gpointer data)
{
  void **args = data;

  return adw_leaflet_get_visible_child (ADW_LEAFLET (args[0])) == args[1];
}

/* The row widget of the list showing @vmid, or NULL (the rows are the column list view's children). */

static GtkWidget *
row_titled (GtkWidget  *widget,
            const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = row_titled (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
toplevel_of_type_shown (gpointer data)
{
  return find_toplevel_of_type (GPOINTER_TO_SIZE (data)) != NULL;
}

/* The window @action opens (of @type) needs no more than 360 px, and is usable at that width. */
static void
assert_fits_narrow (PaddockWindow *window,
                    const char    *action,
                    GType          type,
                    const char    *screenshot)
{
  GtkWindow *opened;
  int minimum = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  g_assert_true (iterate_until (toplevel_of_type_shown, GSIZE_TO_POINTER (type), 10));
  opened = find_toplevel_of_type (type);
  gtk_window_set_default_size (opened, 360, 640);
  iterate_until_idle ();
  /* Its content: without a compositor (Xvfb) GTK frames a window with 10 px of its own. */
  gtk_widget_measure (gtk_widget_get_first_child (GTK_WIDGET (opened)), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_test_message ("%s needs at least %d px", G_OBJECT_TYPE_NAME (opened), minimum);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (opened)), <=, 370);
  assert_controls_named (GTK_WIDGET (opened));
  save_screenshot (GTK_WIDGET (opened), screenshot);
  gtk_window_destroy (opened);
  iterate_until_idle ();
}

/* 360 px wide (GNOME's title buttons): the list first, the detail full width with Back; the keyboard
 * path search → Enter → detail → Back; names for screen readers; then 800 px with more columns. */
static void
test_narrow_keyboard_accessible (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("paddock-narrow-XXXXXX", NULL);
  g_autoptr(PaddockApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  PaddockWindow *window;
  GtkWidget *leaflet, *content, *list_view, *guest_page, *search;
  GtkWidget *row;
  Wanted wanted;
  int minimum = 0;
  void *args[2];

  g_autofree char *layout = NULL;

  if (!paddock_test_lab_required ())
    return;

  /* GNOME's title buttons (only Close), as a GNOME user has them. */
  g_object_get (gtk_settings_get_default (), "gtk-decoration-layout", &layout, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  set_connect_environment ("Demo");
  app = paddock_application_new ("app.paddock.Paddock.Narrow", G_APPLICATION_NON_UNIQUE);
  paddock_application_set_data_dir (app, data_dir);
  paddock_application_set_connect_url (app, paddock_test_lab_get ("PVE_URL"));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = open_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  wanted = (Wanted) { window, 25 };
  g_assert_true (iterate_until (has_items, &wanted, 30));

  leaflet = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "leaflet"));
  content = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "content"));
  list_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "list_view"));
  guest_page = GTK_WIDGET (paddock_window_get_guest_page (window));
  search = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "search_entry"));

  /* Everything fits in 360 px, and the list is what shows (the sidebar behind Back). */
  g_assert_true (iterate_until (window_is_narrow, window, 10));
  iterate_until_idle ();
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("the window needs at least %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 370);
  g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  g_assert_true (adw_leaflet_get_visible_child (ADW_LEAFLET (leaflet)) == content);
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (window), "window-360.png");
  {
    GtkColumnViewColumn *memory = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                          PADDOCK_TYPE_WINDOW,
                                                                                          "memory_column"));
    GtkColumnViewColumn *status = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                          PADDOCK_TYPE_WINDOW,
                                                                                          "status_column"));

    g_assert_true (gtk_column_view_column_get_visible (status));
    g_assert_false (gtk_column_view_column_get_visible (memory));
  }

  /* Rows are announced by name, status, VMID and node; controls all have names. */
  row = row_of (window, "nextcloud");
  g_assert_nonnull (row);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "nextcloud, running, CT 101, pve1"));
  assert_controls_named (GTK_WIDGET (window));

  /* Keyboard: the list has the focus at first; it is one Tab stop (Tab leaves it at once). */
  {
    GtkWidget *column_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                        "column_view"));
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (column_view);
    gboolean handled = FALSE;

    g_assert_nonnull (focus);
    g_assert_true (focus == column_view || gtk_widget_is_ancestor (focus, column_view));
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
            gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Tab, 0, 0, &handled);
      }
    g_assert_true (handled);
    focus = gtk_root_get_focus (GTK_ROOT (window));
    g_assert_nonnull (focus);
    g_assert_false (focus == column_view || gtk_widget_is_ancestor (focus, column_view));
    g_test_message ("Tab from the list went to a %s", G_OBJECT_TYPE_NAME (focus));
  }

  /* Keyboard: search, Enter opens the match in full width, Back returns to the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  gtk_editable_set_text (GTK_EDITABLE (search), "nextcloud");
  wanted.n_items = 1;
  g_assert_true (iterate_until (has_items, &wanted, 5));
  g_signal_emit_by_name (search, "activate");
  args[0] = content;
  args[1] = guest_page;
  g_assert_true (iterate_until (leaflet_shows, args, 5));
  /* Full width once the leaflet's transition has laid it out. */
  g_assert_true (iterate_until (page_is_full_width, guest_page, 10));
  save_screenshot (GTK_WIDGET (window), "window-360-detail.png");
  assert_controls_named (GTK_WIDGET (window));
  /* Where a usage row has no room for its bar, its figures show whole without it. */
  {
    GtkWidget *memory = find_of_type (row_titled (guest_page, "Memory"), ADW_TYPE_SQUEEZER);
    GtkWidget *shown = adw_squeezer_get_visible_child (ADW_SQUEEZER (memory));

    g_assert_true (GTK_IS_LABEL (shown));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (shown)), " of "));
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (shown))));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL));
  args[1] = list_view;
  g_assert_true (iterate_until (leaflet_shows, args, 5));
  gtk_editable_set_text (GTK_EDITABLE (search), "");

  /* Dark, as a user with the dark style sees it. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (window), "window-360-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* The windows it opens fit 360 px too: Add Connection, Preferences, New Container. */
  assert_fits_narrow (window, "win.add-connection", PADDOCK_TYPE_CONNECTION_DIALOG, "dialog-add-connection-360.png");
  assert_fits_narrow (window, "app.preferences", PADDOCK_TYPE_PREFERENCES_WINDOW, "preferences-360.png");
  assert_fits_narrow (window, "win.new-container", PADDOCK_TYPE_CREATE_WIZARD, "wizard-360.png");

  /* 800 px: the sidebar comes back, and the memory column with it; columns that do not fit give way. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 720);
  {
    GtkColumnViewColumn *memory = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                          PADDOCK_TYPE_WINDOW,
                                                                                          "memory_column"));
    GtkColumnViewColumn *lock = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                        PADDOCK_TYPE_WINDOW,
                                                                                        "lock_column"));
    gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (!gtk_column_view_column_get_visible (memory) && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
    g_assert_true (gtk_column_view_column_get_visible (memory));
    g_assert_false (gtk_column_view_column_get_visible (lock));
    g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (leaflet)));
  }
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (window), "window-800.png");
  assert_controls_named (GTK_WIDGET (window));
  /* The figures and memory bars drawn by Paddock follow the dark style too. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (window), "window-800-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  close_app (app);
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", layout, NULL);
}

/* What the window puts into words from Proxmox's values. */
static void
test_formats (void)
{
  g_autofree char *subject = paddock_format_distinguished_name ("OU=PVE Cluster Node,O=Proxmox Virtual Environment,"
                                                                "CN=pve1.example.com");
  g_autofree char *escaped = paddock_format_distinguished_name ("CN=Example\\, Inc. CA,C=DE");
  g_autofree char *bare = paddock_format_distinguished_name ("O=Nobody");
  g_autofree char *half = paddock_format_cpus (0.5);
  g_autofree char *two = paddock_format_cpus (2);
  g_autofree char *all = paddock_format_cpus (0);

  g_assert_cmpstr (subject, ==, "pve1.example.com (PVE Cluster Node, Proxmox Virtual Environment)");
  g_assert_cmpstr (escaped, ==, "Example, Inc. CA (DE)");
  g_assert_cmpstr (bare, ==, "O=Nobody");
  g_assert_cmpstr (half, ==, "0.5 CPU");
  g_assert_cmpstr (two, ==, "2 cores");
  g_assert_cmpstr (all, ==, "all of the node's CPUs");

  {
    g_autofree char *same_unit = paddock_format_usage (370855526, 536870912);
    g_autofree char *two_units = paddock_format_usage (536870912, 2147483648);
    g_autofree char *stopped = paddock_format_usage (0, 1073741824);

    /* GLib's sizes have a no-break space before the unit. */
    g_assert_cmpstr (same_unit, ==, "353.7 / 512.0\u00a0MiB");
    g_assert_cmpstr (two_units, ==, "512.0\u00a0MiB / 2.0\u00a0GiB");
    g_assert_cmpstr (stopped, ==, "1.0\u00a0GiB");
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  {
    /* With the lab's sshd: the Add dialog tests SSH to a node. */
    const char *args[] = { "--auth-delay-ms", "20", "--task-ms", "300", NULL };

    paddock_test_lab_start (args);
  }
  paddock_test_notifications_own (&notifications);

  g_test_add_func ("/paddock/window/formats", test_formats);
  g_test_add_func ("/paddock/window/actions", test_window_actions);
  /* Before live-list, which ends by stopping the lab for its offline start */
  g_test_add_func ("/paddock/window/add-connection", test_add_connection);
  g_test_add_func ("/paddock/window/add-connection-two-factor", test_add_connection_two_factor);
  g_test_add_func ("/paddock/window/read-only-token", test_read_only_token);
  g_test_add_func ("/paddock/window/refused-token-and-search", test_refused_token_and_search);
  g_test_add_func ("/paddock/window/connect-again", test_connect_again);
  g_test_add_func ("/paddock/window/connect-same-name", test_connect_other_server_same_name);
  g_test_add_func ("/paddock/window/connect-names-after-cluster", test_connect_names_after_cluster);
  g_test_add_func ("/paddock/window/narrow-keyboard-accessible", test_narrow_keyboard_accessible);
  g_test_add_func ("/paddock/window/live-list", test_live_list);
  /* Starts a lab of its own */
  g_test_add_func ("/paddock/window/lifecycle", test_lifecycle);

  return g_test_run ();
}
