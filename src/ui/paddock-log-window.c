/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-log-window.c: a service's journal, searched and followed as it grows */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-line-view.h"
#include "paddock-log-window.h"

struct _PaddockLogWindow
{
  AdwWindow           parent_instance;

  PaddockPct         *pct;
  guint               vmid;
  char               *unit;
  GCancellable       *cancellable;
  gboolean            loading;

  /* Template widgets */
  AdwWindowTitle     *window_title;
  GtkToggleButton    *follow_button;
  GtkToggleButton    *search_button;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkSpinner         *spinner;
  GtkStack           *stack;
  PaddockLineView    *line_view;
  AdwStatusPage      *status_page;
  GtkLabel           *count_label;
};

G_DEFINE_FINAL_TYPE (PaddockLogWindow, paddock_log_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load (PaddockLogWindow *self);

static void
set_loading (PaddockLogWindow *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
update_count (PaddockLogWindow *self)
{
  g_autofree char *text = paddock_line_view_describe_count (self->line_view);

  if (gtk_toggle_button_get_active (self->follow_button))
    {
      /* Translators: after the line count, while new lines are being shown as they come */
      g_autofree char *following = g_strdup_printf (_("%s · following"), text);

      gtk_label_set_text (self->count_label, following);
    }
  else
    gtk_label_set_text (self->count_label, text);
}

static void
on_lines_changed (PaddockLogWindow *self)
{
  if (paddock_line_view_get_n_lines (self->line_view) > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "lines");
      /* Following: the first lines are the end of loading; later ones just come. */
      set_loading (self, FALSE);
    }
  update_count (self);
}

static void
add_line (PaddockLogWindow *self,
          const char       *line)
{
  paddock_line_view_append (self->line_view, line);
}

static void
show_message (PaddockLogWindow *self,
              const char       *title,
              const char       *description)
{
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static void
on_followed_line (PaddockSshStream  stream,
                  const char       *line,
                  gpointer          user_data)
{
  add_line (PADDOCK_LOG_WINDOW (user_data), line);
}

static void
on_follow_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PaddockLogWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_service_follow_finish (PADDOCK_PCT (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);
  paddock_line_view_flush (self->line_view);
  gtk_toggle_button_set_active (self->follow_button, FALSE);
  if (error != NULL)
    show_message (self, _("The Log Could Not Be Followed"), error->message);
}

static void
on_logs (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PaddockLogWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = paddock_service_logs_finish (PADDOCK_PCT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);
  if (lines == NULL)
    {
      show_message (self, _("The Log Could Not Be Read"), error->message);
      return;
    }

  for (guint i = 0; lines[i] != NULL; i++)
    add_line (self, lines[i]);
  paddock_line_view_flush (self->line_view);
  if (lines[0] == NULL)
    show_message (self, _("No Log Entries"), _("The journal has nothing from this service (yet)."));
}

static void
load (PaddockLogWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* A fresh view each time: nothing is shown twice. */
  paddock_line_view_clear (self->line_view);
  set_loading (self, TRUE);
  update_count (self);

  if (gtk_toggle_button_get_active (self->follow_button))
    paddock_service_follow_async (self->pct, self->vmid, self->unit, PADDOCK_JOURNAL_DEFAULT_LINES, on_followed_line,
                                  self, NULL, self->cancellable, on_follow_done, g_object_ref (self));
  else
    paddock_service_logs_async (self->pct, self->vmid, self->unit, PADDOCK_JOURNAL_DEFAULT_LINES, self->cancellable,
                                on_logs, g_object_ref (self));
}

static void
on_follow_toggled (PaddockLogWindow *self)
{
  load (self);
}

static void
on_search_changed (PaddockLogWindow *self)
{
  paddock_line_view_set_search (self->line_view, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  load (PADDOCK_LOG_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PaddockLogWindow *self = PADDOCK_LOG_WINDOW (widget);

  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
paddock_log_window_dispose (GObject *object)
{
  PaddockLogWindow *self = PADDOCK_LOG_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pct);

  G_OBJECT_CLASS (paddock_log_window_parent_class)->dispose (object);
}

static void
paddock_log_window_finalize (GObject *object)
{
  PaddockLogWindow *self = PADDOCK_LOG_WINDOW (object);

  g_free (self->unit);

  G_OBJECT_CLASS (paddock_log_window_parent_class)->finalize (object);
}

static void
paddock_log_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PaddockLogWindow *self = PADDOCK_LOG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_log_window_class_init (PaddockLogWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_log_window_dispose;
  object_class->finalize = paddock_log_window_finalize;
  object_class->get_property = paddock_log_window_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PADDOCK_TYPE_LINE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-log-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, follow_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, line_view);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockLogWindow, window_title);

  gtk_widget_class_install_action (widget_class, "log.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "log.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "log.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "log.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "log.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
paddock_log_window_init (PaddockLogWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  paddock_line_view_set_max_lines (self->line_view, PADDOCK_LOG_WINDOW_MAX_LINES);
  g_signal_connect_object (self->line_view, "changed", G_CALLBACK (on_lines_changed), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->follow_button, "toggled", G_CALLBACK (on_follow_toggled), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

PaddockLogWindow *
paddock_log_window_new (GtkWindow  *parent,
                        PaddockPct *pct,
                        guint       vmid,
                        const char *container_name,
                        const char *unit)
{
  PaddockLogWindow *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (PADDOCK_IS_PCT (pct), NULL);
  g_return_val_if_fail (unit != NULL, NULL);

  self = g_object_new (PADDOCK_TYPE_LOG_WINDOW, "transient-for", parent, NULL);
  self->pct = g_object_ref (pct);
  self->vmid = vmid;
  self->unit = g_strdup (unit);

  /* Translators: the log window's subtitle, "CT 130 · nginx-web" */
  subtitle = g_strdup_printf (_("CT %u · %s"), vmid, container_name);
  adw_window_title_set_title (self->window_title, unit);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  {
    g_autofree char *title = g_strdup_printf (_("%s — Log"), unit);

    gtk_window_set_title (GTK_WINDOW (self), title);
  }

  load (self);
  return self;
}

void
paddock_log_window_set_follow (PaddockLogWindow *self,
                               gboolean          follow)
{
  g_return_if_fail (PADDOCK_IS_LOG_WINDOW (self));
  gtk_toggle_button_set_active (self->follow_button, follow);
}

GListModel *
paddock_log_window_get_lines (PaddockLogWindow *self)
{
  g_return_val_if_fail (PADDOCK_IS_LOG_WINDOW (self), NULL);
  return paddock_line_view_get_lines (self->line_view);
}

gboolean
paddock_log_window_get_loading (PaddockLogWindow *self)
{
  g_return_val_if_fail (PADDOCK_IS_LOG_WINDOW (self), FALSE);
  return self->loading;
}
