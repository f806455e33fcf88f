/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-console.c: a terminal into a container: "pct enter" on its node, over SSH with a PTY
 *
 * Works with API tokens (which cannot use Proxmox's termproxy): the node's SSH session that the
 * Services tab uses carries the terminal too. The terminal follows the widget's size; a dropped
 * channel says so in place and offers Reconnect; a stopped container offers Start first.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-connection-dialog.h"
#include "paddock-console.h"
#include "paddock-host-key-dialog.h"
#include "paddock-ssh-problem.h"
#include "paddock-terminal.h"

/* What a link in the terminal looks like (http, https and ftp URLs). */
#define LINK_PATTERN "\\b(?:https?|ftp)://[-[:alnum:]._~:/?#@!$&'()*+,;=%]+[-[:alnum:]_~/#@$&*+=%]"
/* PCRE2_MULTILINE: VTE asks for it on match regexes. */
#define LINK_FLAGS 0x00000400u

struct _PaddockConsole
{
  AdwBin            parent_instance;

  PaddockSettings  *settings;
  PaddockWorkspace *workspace;
  PaddockCluster   *cluster;
  PaddockGuest     *guest;
  GCancellable     *cancellable;   /* of the current guest's requests */
  PaddockPct       *pct;
  PaddockSshPty    *pty;
  char             *title;
  char             *message;
  char             *link;          /* the link under the pointer at the last right-click */
  guint             columns;       /* the size the container's terminal was given */
  guint             rows;
  gboolean          connecting;
  gboolean          wanted;        /* connect as soon as the console is shown */
  int               link_tag;
  GtkWidget        *menu;

  /* Template widgets */
  GtkStack         *stack;
  VteTerminal      *terminal;
  GtkRevealer      *banner_revealer;
  GtkLabel         *banner_label;
  GtkButton        *banner_button;
  AdwStatusPage    *status_page;
  GtkSpinner       *status_spinner;
  GtkButton        *status_button;
  GMenuModel       *context_menu;
};

G_DEFINE_FINAL_TYPE (PaddockConsole, paddock_console, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void connect_console (PaddockConsole *self,
                             gboolean        known_running);

/* What is shown */

static void
set_message (PaddockConsole *self,
             const char     *title,
             const char     *description)
{
  g_free (self->message);
  self->message = title ? g_strdup_printf ("%s\n%s", title, description ? description : "") : NULL;
}

static void
show_page (PaddockConsole *self,
           const char     *icon,
           const char     *title,
           const char     *description,
           const char     *button_label,
           const char     *button_action)
{
  set_message (self, title, description);
  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), icon == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_button), button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (self->status_button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), button_action);
    }
  gtk_stack_set_visible_child_name (self->stack, "message");
}

/* A notice above the terminal, which keeps what it showed. */
static void
show_banner (PaddockConsole *self,
             const char     *text,
             const char     *button_label,
             const char     *button_action)
{
  set_message (self, text, NULL);
  gtk_label_set_text (self->banner_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (self->banner_button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner_button), button_action);
    }
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "terminal");
}

static void
hide_banner (PaddockConsole *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  set_message (self, NULL, NULL);
}

static gboolean
guest_running (PaddockConsole *self)
{
  return self->guest != NULL && paddock_guest_get_state (self->guest) == PADDOCK_GUEST_STATE_RUNNING;
}

static void
show_not_running (PaddockConsole *self)
{
  show_page (self, "media-playback-stop-symbolic", _("The Container Is Not Running"),
             _("Start it to open its console."), _("_Start"), "console.start");
}

/* The session */

static void
close_pty (PaddockConsole *self)
{
  if (self->pty == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->pty, self);
  paddock_ssh_pty_close (self->pty);
  g_clear_object (&self->pty);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
on_pty_output (PaddockSshPty  *pty,
               GBytes         *output,
               PaddockConsole *self)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (output, &length);

  vte_terminal_feed (self->terminal, data, length);
}

static void
on_pty_closed (PaddockSshPty  *pty,
               int             exit_status,
               PaddockConsole *self)
{
  const char *node = paddock_guest_get_node (self->guest);
  g_autofree char *text = NULL;

  close_pty (self);

  if (exit_status >= 0)
    {
      /* Translators: the status a shell exited with, e.g. 0 */
      text = g_strdup_printf (_("The session ended (exit status %d)."), exit_status);
      show_banner (self, text, _("_Reconnect"), "console.reconnect");
    }
  else
    {
      /* Translators: %s is a Proxmox node */
      text = g_strdup_printf (_("The connection to %s was lost."), node);
      show_banner (self, text, _("_Reconnect"), "console.reconnect");
    }
}

static void
on_commit (VteTerminal    *terminal,
           const char     *text,
           guint           size,
           PaddockConsole *self)
{
  if (self->pty != NULL)
    paddock_ssh_pty_write (self->pty, text, size);
}

static void
show_error (PaddockConsole *self,
            const GError   *error)
{
  g_auto(PaddockSshProblem) problem = { 0 };

  if (paddock_ssh_problem_describe (error, paddock_guest_get_node (self->guest), &problem))
    {
      g_autofree char *action = g_strconcat ("console.", problem.action, NULL);

      show_page (self, problem.icon, problem.title, problem.description, problem.button_label, action);
    }
  else if (!guest_running (self))
    show_not_running (self);
  else
    show_page (self, "dialog-error-symbolic", _("Could Not Open the Console"), error->message, _("_Try Again"),
               "console.reconnect");
}

static void
on_entered (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockConsole) self = user_data;
  g_autoptr(GError) error = NULL;
  PaddockSshPty *pty = paddock_pct_enter_finish (PADDOCK_PCT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->connecting = FALSE;

  if (pty == NULL)
    {
      show_error (self, error);
      return;
    }

  self->pty = pty;
  g_signal_connect (pty, "output", G_CALLBACK (on_pty_output), self);
  g_signal_connect (pty, "closed", G_CALLBACK (on_pty_closed), self);
  /* The terminal may have changed size while the channel opened. */
  self->columns = vte_terminal_get_column_count (self->terminal);
  self->rows = vte_terminal_get_row_count (self->terminal);
  paddock_ssh_pty_resize (pty, self->columns, self->rows);

  hide_banner (self);
  gtk_stack_set_visible_child_name (self->stack, "terminal");
  gtk_widget_grab_focus (GTK_WIDGET (self->terminal));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
on_pct (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PaddockConsole) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockPct) pct = paddock_node_sessions_open_finish (PADDOCK_NODE_SESSIONS (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (pct == NULL)
    {
      self->connecting = FALSE;
      show_error (self, error);
      return;
    }

  g_set_object (&self->pct, pct);
  paddock_pct_enter_async (pct, paddock_guest_get_vmid (self->guest), vte_terminal_get_column_count (self->terminal),
                           vte_terminal_get_row_count (self->terminal), self->cancellable, on_entered,
                           g_object_ref (self));
}

/* @known_running: the container was just started, before the list heard of it. */
static void
connect_console (PaddockConsole *self,
                 gboolean        known_running)
{
  g_autofree char *title = NULL;

  if (self->guest == NULL || self->connecting)
    return;

  close_pty (self);
  self->wanted = FALSE;

  if (!known_running && !guest_running (self))
    {
      show_not_running (self);
      return;
    }

  self->connecting = TRUE;
  /* Translators: %s is a Proxmox node */
  title = g_strdup_printf (_("Connecting to %s…"), paddock_guest_get_node (self->guest));
  if (gtk_widget_get_mapped (GTK_WIDGET (self->terminal)))
    show_banner (self, title, NULL, NULL);
  else
    show_page (self, NULL, title, NULL, NULL, NULL);
  paddock_node_sessions_open_async (paddock_workspace_get_node_sessions (self->workspace), self->cluster,
                                    paddock_guest_get_node (self->guest), self->cancellable, on_pct,
                                    g_object_ref (self));
}

/* Starting a stopped container, then entering it */

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockConsole) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_guest_operation_run_finish (PADDOCK_GUEST_OPERATION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_page (self, "dialog-error-symbolic", _("Could Not Start the Container"), error->message, _("_Try Again"),
                 "console.start");
      return;
    }

  connect_console (self, TRUE);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PaddockConsole *self = PADDOCK_CONSOLE (widget);
  g_autoptr(PaddockGuestOperation) operation = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (self->guest == NULL)
    return;

  name = paddock_guest_dup_display_name (self->guest);
  /* Translators: %s is a container's name */
  title = g_strdup_printf (_("Starting %s…"), name);
  show_page (self, NULL, title, NULL, NULL, NULL);
  operation = paddock_guest_operation_new (paddock_workspace_get_store (self->workspace), self->cluster, self->guest,
                                           PADDOCK_OPERATION_START);
  paddock_guest_operation_run_async (operation, self->cancellable, on_started, g_object_ref (self));
}

/* Actions */

static void
reconnect_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PaddockConsole *self = PADDOCK_CONSOLE (widget);

  /* A visible line between the old session and the new one. */
  if (self->pty == NULL && gtk_stack_get_visible_child_name (self->stack) != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "terminal"))
    vte_terminal_feed (self->terminal, "\r\n", 2);
  connect_console (self, FALSE);
}

static void
on_host_key_answer (gboolean trusted,
                    gpointer user_data)
{
  g_autoptr(PaddockConsole) self = user_data;

  if (trusted)
    connect_console (self, FALSE);
}

static void
trust_host_key_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PaddockConsole *self = PADDOCK_CONSOLE (widget);

  if (self->pct == NULL)
    return;

  paddock_host_key_dialog_ask (GTK_WINDOW (gtk_widget_get_root (widget)), paddock_pct_get_session (self->pct),
                               paddock_guest_get_node (self->guest), FALSE, on_host_key_answer, g_object_ref (self));
}

static void
ssh_settings_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PaddockConsole *self = PADDOCK_CONSOLE (widget);
  PaddockConnectionDialog *dialog;

  if (self->cluster == NULL)
    return;

  dialog = paddock_connection_dialog_new_for_edit (GTK_WINDOW (gtk_widget_get_root (widget)), self->workspace,
                                                   self->cluster);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  vte_terminal_copy_clipboard_format (PADDOCK_CONSOLE (widget)->terminal, VTE_FORMAT_TEXT);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  vte_terminal_paste_clipboard (PADDOCK_CONSOLE (widget)->terminal);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  vte_terminal_select_all (PADDOCK_CONSOLE (widget)->terminal);
}

static void
on_link_opened (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_warning ("Could not open the link: %s", error->message);
}

static void
open_link (PaddockConsole *self,
           const char     *link)
{
  g_autoptr(GAppLaunchContext) context = NULL;

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (link, context, NULL, on_link_opened, NULL);
}

static void
open_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PaddockConsole *self = PADDOCK_CONSOLE (widget);

  if (self->link != NULL)
    open_link (self, self->link);
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PaddockConsole *self = PADDOCK_CONSOLE (widget);

  if (self->link != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->link);
}

/* The pointer on the terminal: links open with Ctrl+click, the right button has a menu. */

static void
on_terminal_pressed (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     PaddockConsole  *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  g_autofree char *link = vte_terminal_check_match_at (self->terminal, x, y, NULL);

  if (button == GDK_BUTTON_PRIMARY && link != NULL && (state & GDK_CONTROL_MASK))
    {
      open_link (self, link);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  if (button != GDK_BUTTON_SECONDARY)
    return;

  g_free (self->link);
  self->link = g_steal_pointer (&link);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.open-link", self->link != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.copy-link", self->link != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.copy", vte_terminal_get_has_selection (self->terminal));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_selection_changed (PaddockConsole *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.copy", vte_terminal_get_has_selection (self->terminal));
}

/* The system's monospace font, when the desktop says which. */
static void
apply_font (PaddockConsole *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) interface = NULL;
  g_autofree char *name = NULL;
  PangoFontDescription *font;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, "org.gnome.desktop.interface", TRUE)) == NULL
      || !g_settings_schema_has_key (schema, "monospace-font-name"))
    return;

  interface = g_settings_new ("org.gnome.desktop.interface");
  name = g_settings_get_string (interface, "monospace-font-name");
  font = pango_font_description_from_string (name);
  vte_terminal_set_font (self->terminal, font);
  pango_font_description_free (font);
}

/* The terminal follows the light or dark style, as GNOME's own terminals do. */
static void
apply_colors (PaddockConsole *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA foreground, background;

  gdk_rgba_parse (&foreground, dark ? "#ffffff" : "#241f31");
  gdk_rgba_parse (&background, dark ? "#1e1e1e" : "#ffffff");
  vte_terminal_set_colors (self->terminal, &foreground, &background, NULL, 0);
}

static void
apply_scrollback (PaddockConsole *self)
{
  vte_terminal_set_scrollback_lines (self->terminal,
                                     self->settings ? paddock_settings_get_console_scrollback (self->settings) : 10000);
}

/* The object */

/* The terminal's grid changed: the container's terminal follows. */
static void
on_grid_changed (VteTerminal    *terminal,
                 guint           columns,
                 guint           rows,
                 PaddockConsole *self)
{
  if (self->pty == NULL || (columns == self->columns && rows == self->rows))
    return;

  self->columns = columns;
  self->rows = rows;
  paddock_ssh_pty_resize (self->pty, columns, rows);
}

static void
on_map (PaddockConsole *self)
{
  if (self->wanted)
    connect_console (self, FALSE);
}

static void
clear_guest (PaddockConsole *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  close_pty (self);
  if (self->guest != NULL)
    g_signal_handlers_disconnect_by_data (self->guest, self);
  g_clear_object (&self->pct);
  g_clear_object (&self->guest);
  g_clear_object (&self->cluster);
  g_clear_object (&self->workspace);
  self->connecting = FALSE;
}

static void
paddock_console_dispose (GObject *object)
{
  PaddockConsole *self = PADDOCK_CONSOLE (object);

  clear_guest (self);
  g_clear_pointer (&self->menu, gtk_widget_unparent);

  G_OBJECT_CLASS (paddock_console_parent_class)->dispose (object);
}

static void
paddock_console_finalize (GObject *object)
{
  PaddockConsole *self = PADDOCK_CONSOLE (object);

  g_clear_object (&self->settings);
  g_free (self->title);
  g_free (self->message);
  g_free (self->link);

  G_OBJECT_CLASS (paddock_console_parent_class)->finalize (object);
}

static void
paddock_console_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PaddockConsole *self = PADDOCK_CONSOLE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, paddock_console_get_running (self));
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_console_class_init (PaddockConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_console_dispose;
  object_class->finalize = paddock_console_finalize;
  object_class->get_property = paddock_console_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PADDOCK_TYPE_TERMINAL);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-console.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, terminal);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, banner_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, banner_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, status_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, status_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockConsole, context_menu);

  gtk_widget_class_install_action (widget_class, "console.reconnect", NULL, reconnect_action);
  gtk_widget_class_install_action (widget_class, "console.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "console.trust-host-key", NULL, trust_host_key_action);
  gtk_widget_class_install_action (widget_class, "console.ssh-settings", NULL, ssh_settings_action);
  gtk_widget_class_install_action (widget_class, "console.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "console.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "console.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "console.open-link", NULL, open_link_action);
  gtk_widget_class_install_action (widget_class, "console.copy-link", NULL, copy_link_action);

  gtk_widget_class_set_css_name (widget_class, "paddockconsole");
}

static void
paddock_console_init (PaddockConsole *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VteRegex) links = NULL;
  GtkEventController *shortcuts;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self->terminal, "commit", G_CALLBACK (on_commit), self);
  g_signal_connect (self->terminal, "grid-changed", G_CALLBACK (on_grid_changed), self);
  g_signal_connect_swapped (self->terminal, "selection-changed", G_CALLBACK (on_selection_changed), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);

  /* Ctrl+Shift+C/V before the terminal sees the keys (it would send them to the container). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("console.copy")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_V, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("console.paste")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_terminal_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->terminal), GTK_EVENT_CONTROLLER (click));

  self->menu = gtk_popover_menu_new_from_model (self->context_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self->terminal));

  links = vte_regex_new_for_match (LINK_PATTERN, -1, LINK_FLAGS, &error);
  if (links != NULL)
    {
      self->link_tag = vte_terminal_match_add_regex (self->terminal, links, 0);
      vte_terminal_match_set_cursor_name (self->terminal, self->link_tag, "pointer");
    }
  else
    g_warning ("The link pattern does not compile: %s", error->message);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.copy", FALSE);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (apply_colors), self,
                           G_CONNECT_SWAPPED);
  apply_colors (self);
  apply_font (self);
  apply_scrollback (self);
}

GtkWidget *
paddock_console_new (void)
{
  return g_object_new (PADDOCK_TYPE_CONSOLE, NULL);
}

void
paddock_console_set_settings (PaddockConsole  *self,
                              PaddockSettings *settings)
{
  g_return_if_fail (PADDOCK_IS_CONSOLE (self));

  if (!g_set_object (&self->settings, settings))
    return;
  g_signal_connect_object (settings, "notify::console-scrollback", G_CALLBACK (apply_scrollback), self,
                           G_CONNECT_SWAPPED);
  apply_scrollback (self);
}

static void
on_guest_status (PaddockConsole *self)
{
  /* Started elsewhere (the header's Start): the offer to start becomes an offer to connect. */
  if (self->pty == NULL && !self->connecting && guest_running (self) && self->message != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "message") &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (self->status_button)), "console.start") == 0)
    show_page (self, "utilities-terminal-symbolic", _("The Container Is Running"), NULL, _("_Connect"),
               "console.reconnect");
}

void
paddock_console_set_guest (PaddockConsole   *self,
                           PaddockWorkspace *workspace,
                           PaddockCluster   *cluster,
                           PaddockGuest     *guest)
{
  g_return_if_fail (PADDOCK_IS_CONSOLE (self));
  g_return_if_fail (PADDOCK_IS_WORKSPACE (workspace));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));
  g_return_if_fail (PADDOCK_IS_GUEST (guest));

  if (self->guest == guest)
    return;

  clear_guest (self);
  self->workspace = g_object_ref (workspace);
  self->cluster = g_object_ref (cluster);
  self->guest = g_object_ref (guest);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (guest, "notify::status", G_CALLBACK (on_guest_status), self, G_CONNECT_SWAPPED);

  g_free (self->title);
  self->title = paddock_guest_dup_display_name (guest);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);

  vte_terminal_reset (self->terminal, TRUE, TRUE);
  hide_banner (self);
  self->wanted = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    connect_console (self, FALSE);
  else if (guest_running (self))
    show_page (self, NULL, _("Connecting…"), NULL, NULL, NULL);
  else
    show_not_running (self);
}

PaddockGuest *
paddock_console_get_guest (PaddockConsole *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONSOLE (self), NULL);

  return self->guest;
}

void
paddock_console_connect (PaddockConsole *self)
{
  g_return_if_fail (PADDOCK_IS_CONSOLE (self));

  connect_console (self, FALSE);
}

void
paddock_console_disconnect (PaddockConsole *self)
{
  g_return_if_fail (PADDOCK_IS_CONSOLE (self));

  close_pty (self);
}

gboolean
paddock_console_get_running (PaddockConsole *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONSOLE (self), FALSE);

  return self->pty != NULL && !paddock_ssh_pty_is_closed (self->pty);
}

const char *
paddock_console_get_title (PaddockConsole *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONSOLE (self), NULL);

  return self->title;
}

VteTerminal *
paddock_console_get_terminal (PaddockConsole *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONSOLE (self), NULL);

  return self->terminal;
}

const char *
paddock_console_get_message (PaddockConsole *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONSOLE (self), NULL);

  return self->message;
}
