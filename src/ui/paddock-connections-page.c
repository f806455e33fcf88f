/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-connections-page.c: Preferences › Connections: test, rename, set default, remove */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-certificate-dialog.h"
#include "paddock-connection-dialog.h"
#include "paddock-connections-page.h"
#include "paddock-format.h"

struct _PaddockConnectionsPage
{
  AdwPreferencesPage  parent_instance;

  PaddockWorkspace   *workspace;
  GCancellable       *cancellable;
  GPtrArray          *rows;         /* AdwActionRow, one per cluster */

  /* Template widgets */
  AdwPreferencesGroup *group;
  GtkWidget          *empty_row;
};

G_DEFINE_FINAL_TYPE (PaddockConnectionsPage, paddock_connections_page, ADW_TYPE_PREFERENCES_PAGE)

static PaddockCluster *
row_cluster (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "cluster");
}

static char *
describe (PaddockConnection *connection)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s:%u", paddock_connection_get_host (connection), paddock_connection_get_port (connection));
  if (paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN)
    /* Translators: an API token id, e.g. "API token root@pam!paddock" */
    g_string_append_printf (text, " · %s %s!%s", _("API token"), paddock_connection_get_username (connection),
                            paddock_connection_get_token_id (connection));
  else
    g_string_append_printf (text, " · %s", paddock_connection_get_username (connection));
  if (paddock_connection_get_is_default (connection))
    g_string_append_printf (text, " · %s", _("default"));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_row_message (GtkWidget  *row,
                 const char *message,
                 gboolean    is_error)
{
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
  if (is_error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

/* Test: the same check the Add dialog makes */

static void row_test_action (GtkWidget *row, GVariant *parameter, GSimpleAction *action);

static void
on_certificate_answer (gboolean trusted,
                       gpointer user_data)
{
  g_autoptr(GtkWidget) row = user_data;

  if (trusted)
    row_test_action (row, NULL, NULL);
}

static void
on_tested (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *text = NULL;

  status = paddock_pve_client_check_finish (PADDOCK_PVE_CLIENT (object), result, &version, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (status == NULL)
    {
      set_row_message (row, error->message, TRUE);
      /* Here, in the connection's settings, a changed certificate may be trusted again. */
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE) ||
          g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED))
        paddock_certificate_dialog_ask (GTK_WINDOW (gtk_widget_get_root (row)), PADDOCK_PVE_CLIENT (object),
                                        TRUE, on_certificate_answer, g_object_ref (row));
      return;
    }

  text = paddock_format_cluster_check (version, status);
  set_row_message (row, text, !status->quorate);
}

static void
row_test_action (GtkWidget     *row,
                 GVariant      *parameter,
                 GSimpleAction *action)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (gtk_widget_get_ancestor (row, PADDOCK_TYPE_CONNECTIONS_PAGE));

  set_row_message (row, _("Testing…"), FALSE);
  paddock_pve_client_check_async (paddock_cluster_get_client (row_cluster (row)), self->cancellable, on_tested,
                                  g_object_ref (row));
}

/* Rename, default, remove */

static void
show_error (GtkWidget  *widget,
            const char *heading,
            GError     *error)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                                         heading, error->message));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_renamed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_workspace_rename_finish (PADDOCK_WORKSPACE (object), result, &error))
    show_error (widget, _("Could Not Rename the Connection"), error);
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    GtkWidget        *row)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (gtk_widget_get_ancestor (row, PADDOCK_TYPE_CONNECTIONS_PAGE));
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (!g_str_equal (response, "rename") || self == NULL)
    return;

  paddock_workspace_rename_async (self->workspace, row_cluster (row), gtk_editable_get_text (entry),
                                  self->cancellable, on_renamed, g_object_ref (GTK_WIDGET (self)));
}

static void
on_rename_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "rename", *name != '\0');
}

static void
row_rename_action (GtkWidget     *row,
                  GVariant      *parameter,
                  GSimpleAction *action)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (row)), _("Rename Connection"),
                                                       NULL));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_editable_set_text (GTK_EDITABLE (entry), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Connection name"), -1);
  g_signal_connect (entry, "changed", G_CALLBACK (on_rename_changed), dialog);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_default_set (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_workspace_set_default_finish (PADDOCK_WORKSPACE (object), result, &error))
    show_error (widget, _("Could Not Change the Default Connection"), error);
}

static void
row_default_action (GtkWidget     *row,
                   GVariant      *parameter,
                   GSimpleAction *action)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (gtk_widget_get_ancestor (row, PADDOCK_TYPE_CONNECTIONS_PAGE));

  paddock_workspace_set_default_async (self->workspace, row_cluster (row), self->cancellable, on_default_set,
                                       g_object_ref (GTK_WIDGET (self)));
}

static void
on_removed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_workspace_remove_finish (PADDOCK_WORKSPACE (object), result, &error))
    show_error (widget, _("Could Not Remove the Connection"), error);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    GtkWidget        *row)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (gtk_widget_get_ancestor (row, PADDOCK_TYPE_CONNECTIONS_PAGE));

  if (!g_str_equal (response, "remove") || self == NULL)
    return;

  paddock_workspace_remove_async (self->workspace, row_cluster (row), self->cancellable, on_removed,
                                  g_object_ref (GTK_WIDGET (self)));
}

static void
row_remove_action (GtkWidget     *row,
                  GVariant      *parameter,
                  GSimpleAction *action)
{
  g_autofree char *heading = g_strdup_printf (_("Remove “%s”?"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (row)), heading,
                                                       _("Paddock forgets the connection, its cached container list and its secret in the keyring. Nothing changes on the Proxmox server, and the events of its containers are kept.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_secret_set (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_workspace_set_secret_finish (PADDOCK_WORKSPACE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || gtk_widget_get_root (row) == NULL)
        return;
      /* In use now all the same; the user must know it will be asked for again. */
      show_error (row, _("The Secret Is Kept for This Session Only"), error);
    }

  if (gtk_widget_get_root (row) != NULL)
    row_test_action (row, NULL, NULL);
}

static void
on_secret_response (AdwMessageDialog *dialog,
                    const char       *response,
                    GtkWidget        *row)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (gtk_widget_get_ancestor (row, PADDOCK_TYPE_CONNECTIONS_PAGE));
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_str_equal (response, "save") && self != NULL)
    paddock_workspace_set_secret_async (self->workspace, row_cluster (row), gtk_editable_get_text (entry),
                                        self->cancellable, on_secret_set, g_object_ref (row));
  /* The entry's text is the secret: not left in the widget. */
  gtk_editable_set_text (entry, "");
}

static void
on_secret_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "save", *gtk_editable_get_text (entry) != '\0');
}

/* A rotated API token or a changed password: the secret is replaced, the rest stays. */
static void
row_secret_action (GtkWidget     *row,
                   GVariant      *parameter,
                   GSimpleAction *action)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (gtk_widget_get_ancestor (row, PADDOCK_TYPE_CONNECTIONS_PAGE));
  PaddockConnection *connection = paddock_workspace_get_connection (self->workspace, row_cluster (row));
  gboolean token = paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN;
  g_autofree char *body = NULL;
  /* A GtkEntry: GTK 4.8's GtkPasswordEntry warns when the dialog holding it is destroyed. */
  GtkWidget *entry = gtk_entry_new ();
  AdwMessageDialog *dialog;

  if (token)
    body = g_strdup_printf (_("The new secret of the API token %s!%s. It goes to the keyring."),
                            paddock_connection_get_username (connection), paddock_connection_get_token_id (connection));
  else
    body = g_strdup_printf (_("The new password of %s. It goes to the keyring."),
                            paddock_connection_get_username (connection));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (row)),
                                                       token ? _("New Token Secret") : _("New Password"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  token ? _("Token secret") : _("Password"), -1);
  g_signal_connect (entry, "changed", G_CALLBACK (on_secret_changed), dialog);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_secret_response), row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
row_edit_action (GtkWidget     *row,
                 GVariant      *parameter,
                 GSimpleAction *action)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (gtk_widget_get_ancestor (row, PADDOCK_TYPE_CONNECTIONS_PAGE));
  PaddockConnectionDialog *dialog;

  dialog = paddock_connection_dialog_new_for_edit (GTK_WINDOW (gtk_widget_get_root (row)), self->workspace,
                                                   row_cluster (row));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Rows */

static GtkWidget *
create_row (PaddockConnectionsPage *self,
            PaddockCluster         *cluster)
{
  PaddockConnection *connection = paddock_workspace_get_connection (self->workspace, cluster);
  g_autofree char *subtitle = describe (connection);
  g_autoptr(GMenu) menu = g_menu_new ();
  GSimpleActionGroup *group = g_simple_action_group_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *test = gtk_button_new_with_mnemonic (_("_Test"));
  GtkWidget *more = gtk_menu_button_new ();
  static const struct { const char *name; void (*activate) (GtkWidget *, GVariant *, GSimpleAction *); } actions[] = {
    { "test", row_test_action },
    { "edit", row_edit_action },
    { "rename", row_rename_action },
    { "secret", row_secret_action },
    { "default", row_default_action },
    { "remove", row_remove_action },
  };

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), paddock_connection_get_name (connection));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (row, paddock_connection_get_name (connection));
  g_object_set_data_full (G_OBJECT (row), "cluster", g_object_ref (cluster), g_object_unref);

  /* Row actions (row.test, …), so that the menu and the keyboard reach the same code. */
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (actions[i].name, NULL);

      g_signal_connect_object (action, "activate", G_CALLBACK (actions[i].activate), row, G_CONNECT_SWAPPED);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (group), "default")),
                               !paddock_connection_get_is_default (connection));
  gtk_widget_insert_action_group (row, "row", G_ACTION_GROUP (group));
  g_object_unref (group);

  gtk_widget_set_valign (test, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (test), "row.test");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), test);

  g_menu_append (menu, _("_Edit…"), "row.edit");
  g_menu_append (menu, _("_Rename…"), "row.rename");
  g_menu_append (menu, _("Change _Secret…"), "row.secret");
  g_menu_append (menu, _("Set as _Default"), "row.default");
  g_menu_append (menu, _("Re_move…"), "row.remove");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (more, "flat");
  gtk_widget_set_tooltip_text (more, _("More Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (more), GTK_ACCESSIBLE_PROPERTY_LABEL, _("More Actions"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), more);

  return row;
}

static void
rebuild (PaddockConnectionsPage *self)
{
  GListModel *clusters = paddock_workspace_get_clusters (self->workspace);
  guint n = g_list_model_get_n_items (clusters);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
      GtkWidget *row = create_row (self, cluster);

      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_widget_set_visible (self->empty_row, n == 0);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (widget);
  PaddockConnectionDialog *dialog;

  dialog = paddock_connection_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->workspace);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
paddock_connections_page_dispose (GObject *object)
{
  PaddockConnectionsPage *self = PADDOCK_CONNECTIONS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_CONNECTIONS_PAGE);

  G_OBJECT_CLASS (paddock_connections_page_parent_class)->dispose (object);
}

static void
paddock_connections_page_class_init (PaddockConnectionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_connections_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-connections-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionsPage, group);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionsPage, empty_row);
  gtk_widget_class_install_action (widget_class, "connections.add", NULL, add_action);
}

static void
paddock_connections_page_init (PaddockConnectionsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
}

GtkWidget *
paddock_connections_page_new (PaddockWorkspace *workspace)
{
  PaddockConnectionsPage *self;

  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (PADDOCK_TYPE_CONNECTIONS_PAGE, NULL);
  self->workspace = g_object_ref (workspace);
  g_signal_connect_object (paddock_workspace_get_clusters (workspace), "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  rebuild (self);

  return GTK_WIDGET (self);
}

/* The secret question of @cluster's connection, as its row's "New Token Secret" asks it. */
void
paddock_connections_page_ask_secret (PaddockConnectionsPage *self,
                                     PaddockCluster         *cluster)
{
  g_return_if_fail (PADDOCK_IS_CONNECTIONS_PAGE (self));

  for (guint i = 0; i < self->rows->len; i++)
    if (row_cluster (g_ptr_array_index (self->rows, i)) == cluster)
      row_secret_action (g_ptr_array_index (self->rows, i), NULL, NULL);
}
