/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window-actions.c: what the window does when asked: its actions (add a connection,
 * refresh, search, the power operations, navigation, the secret), their shortcuts, and the
 * list's Tab key */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "paddock-connection-dialog.h"
#include "paddock-preferences-window.h"
#include "paddock-window-private.h"


static void
paddock_window_add_connection_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);
  PaddockConnectionDialog *dialog;

  if (self->workspace == NULL)
    return;

  dialog = paddock_connection_dialog_new (GTK_WINDOW (self), self->workspace);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
paddock_window_refresh_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  _paddock_window_refresh_all (PADDOCK_WINDOW (widget));
}

static void
paddock_window_search_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
paddock_window_show_content_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
paddock_window_show_sidebar_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
run_operation (PaddockWindow          *self,
               PaddockOperationAction  action)
{
  g_autoptr(GPtrArray) targets = _paddock_window_dup_targets (self);

  if (self->operations == NULL || targets->len == 0)
    return;

  paddock_operation_controller_request (self->operations, targets, action);
}

static void
paddock_window_operation_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  PaddockOperationAction action;

  if (paddock_operation_action_from_string (action_name + strlen ("win."), &action))
    run_operation (PADDOCK_WINDOW (widget), action);
}

static gboolean
operation_shortcut (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);
  g_autoptr(GPtrArray) targets = _paddock_window_dup_targets (self);

  if (self->operations == NULL)
    return FALSE;
  if (targets->len == 0)
    {
      paddock_window_show_toast (self, _("Select a container first"));
      return TRUE;
    }

  run_operation (self, g_variant_get_uint32 (args));
  return TRUE;
}

/* The list is one Tab stop: Tab leaves it (arrows move inside), instead of visiting every row. */
static gboolean
on_list_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     PaddockWindow         *self)
{
  GtkDirectionType direction;

  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    direction = GTK_DIR_TAB_FORWARD;
  else if (keyval == GDK_KEY_ISO_Left_Tab)
    direction = GTK_DIR_TAB_BACKWARD;
  else
    return FALSE;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  if (keyval == GDK_KEY_Tab && (state & GDK_SHIFT_MASK))
    direction = GTK_DIR_TAB_BACKWARD;

  /* The list out of the focus chain for a moment: the window moves on to what follows it. */
  gtk_widget_set_can_focus (GTK_WIDGET (self->column_view), FALSE);
  if (!gtk_widget_child_focus (GTK_WIDGET (self), direction))
    gtk_widget_child_focus (GTK_WIDGET (self), direction);
  gtk_widget_set_can_focus (GTK_WIDGET (self->column_view), TRUE);

  return TRUE;
}

static void
paddock_window_show_operation_failure_action (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  if (self->operations != NULL)
    paddock_operation_controller_show_failure (self->operations, g_variant_get_uint32 (parameter));
}

static void
paddock_window_open_selected_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);
  g_autoptr(GPtrArray) targets = _paddock_window_dup_targets (self);

  if (targets->len > 0)
    _paddock_window_show_guest (self, g_ptr_array_index (targets, 0));
}

static void
paddock_window_show_list_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  adw_leaflet_set_visible_child (ADW_LEAFLET (self->content), self->list_view);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* Straight to the connection's secret, in Preferences › Connections. */
static void
update_secret_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);
  PaddockCluster *cluster = _paddock_window_cluster_needing_secret (self);
  PaddockPreferencesWindow *preferences;

  if (cluster == NULL)
    return;

  preferences = paddock_preferences_window_new (self->settings);
  paddock_preferences_window_add_connections (preferences, self->workspace);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (preferences));
  paddock_preferences_window_ask_secret (preferences, cluster);
}

void
_paddock_window_actions_init (PaddockWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_list_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), keys);
}

void
_paddock_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.update-secret", NULL, update_secret_action);
  gtk_widget_class_install_action (widget_class, "win.add-connection", NULL,
                                   paddock_window_add_connection_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL,
                                   paddock_window_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, paddock_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.show-content", NULL,
                                   paddock_window_show_content_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   paddock_window_show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL,
                                   paddock_window_show_list_action);
  gtk_widget_class_install_action (widget_class, "win.open-selected", NULL,
                                   paddock_window_open_selected_action);
  gtk_widget_class_install_action (widget_class, "win.show-operation-failure", "u",
                                   paddock_window_show_operation_failure_action);
  gtk_widget_class_install_action (widget_class, "win.save-search", NULL,
                                   _paddock_window_save_search_action);
  gtk_widget_class_install_action (widget_class, "win.look-inside", NULL,
                                   _paddock_window_look_inside_action);
  gtk_widget_class_install_action (widget_class, "win.forget-search", "s",
                                   _paddock_window_forget_search_action);
  gtk_widget_class_install_action (widget_class, "win.start", NULL,
                                   paddock_window_operation_action);
  gtk_widget_class_install_action (widget_class, "win.shutdown", NULL,
                                   paddock_window_operation_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, paddock_window_operation_action);
  gtk_widget_class_install_action (widget_class, "win.reboot", NULL,
                                   paddock_window_operation_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL,
                                   paddock_window_operation_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-connection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  /* The power shortcuts work whatever the buttons show: what cannot be done is said in a toast. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_S, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                operation_shortcut,
                                "u", PADDOCK_OPERATION_START);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_H, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                operation_shortcut,
                                "u", PADDOCK_OPERATION_SHUTDOWN);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_K, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                operation_shortcut,
                                "u", PADDOCK_OPERATION_STOP);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                operation_shortcut,
                                "u", PADDOCK_OPERATION_REBOOT);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0, operation_shortcut, "u",
                                PADDOCK_OPERATION_DELETE);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.show-list",
                                       NULL);
}
