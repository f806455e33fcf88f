/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window-templates.c: the main window's templates: the sidebar entry, the templates list,
 * a template's page, and New Container from a template */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-window-private.h"

GtkWidget *
_paddock_window_templates_add_sidebar_row (PaddockWindow *self)
{
  GtkWidget *row;

  if (self->workspace == NULL)
    return NULL;

  row = _paddock_window_add_sidebar_row (self, "folder-templates-symbolic", _("Templates"), NULL,
                                         0, NULL);
  gtk_widget_set_name (row, "templates");
  g_object_set_data (G_OBJECT (row), "templates", GINT_TO_POINTER (TRUE));

  return row;
}

gboolean
_paddock_window_templates_is_sidebar_row (GtkListBoxRow *row)
{
  return row != NULL && g_object_get_data (G_OBJECT (row), "templates") != NULL;
}

void
_paddock_window_templates_show (PaddockWindow *self)
{
  paddock_templates_page_set_workspace (self->templates_page, self->workspace);
  paddock_templates_page_reload (self->templates_page);
  _paddock_window_show_content_page (self, GTK_WIDGET (self->templates_page));
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
on_template_activated (PaddockWindow *self,
                       gint64         template_id)
{
  paddock_template_page_set_store (self->template_page,
                                   paddock_workspace_get_store (self->workspace));
  paddock_template_page_load (self->template_page, template_id);
  _paddock_window_show_content_page (self, GTK_WIDGET (self->template_page));
}

static void
on_template_closed (PaddockWindow *self)
{
  _paddock_window_show_content_page (self, GTK_WIDGET (self->templates_page));
  paddock_templates_page_reload (self->templates_page);

  /* The window was closing and waited for the answer about unsaved changes. */
  if (self->close_after_template)
    {
      self->close_after_template = FALSE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
on_template_saved (PaddockWindow *self)
{
  paddock_templates_page_reload (self->templates_page);
}

static void
on_template_new_container (PaddockWindow *self,
                           gint64         template_id)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.new-container-from-template", "x",
                              template_id);
}

/* Closing the window with an unsaved template asks first; TRUE when it did. */
gboolean
_paddock_window_templates_confirm_close (PaddockWindow *self)
{
  if (!paddock_template_page_get_modified (self->template_page))
    return FALSE;

  self->close_after_template = TRUE;
  _paddock_window_show_content_page (self, GTK_WIDGET (self->template_page));
  paddock_template_page_close (self->template_page);
  return TRUE;
}

static void
show_templates_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  if (self->workspace == NULL)
    return;

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->connections_list, i);

      if (row == NULL)
        break;
      if (_paddock_window_templates_is_sidebar_row (row))
        {
          gtk_list_box_select_row (self->connections_list, row);
          return;
        }
    }
  _paddock_window_templates_show (self);
}

static void
show_buckets_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  if (self->workspace == NULL)
    return;
  paddock_buckets_page_set_store (self->buckets_page,
                                  paddock_workspace_get_store (self->workspace));
  _paddock_window_show_content_page (self, GTK_WIDGET (self->buckets_page));
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

void
_paddock_window_templates_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-buckets", NULL, show_buckets_action);
  gtk_widget_class_install_action (widget_class, "win.show-templates", NULL, show_templates_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_T, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-templates", NULL);
}

void
_paddock_window_templates_init (PaddockWindow *self)
{
  g_signal_connect_object (self->templates_page, "template-activated",
                           G_CALLBACK (on_template_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->template_page, "closed", G_CALLBACK (on_template_closed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->template_page, "saved", G_CALLBACK (on_template_saved), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->template_page, "new-container",
                           G_CALLBACK (on_template_new_container), self,
                           G_CONNECT_SWAPPED);
}
