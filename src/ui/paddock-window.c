/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window.c: the main window: a sidebar of connections beside the container content */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-window.h"

struct _PaddockWindow
{
  AdwApplicationWindow  parent_instance;

  PaddockSettings      *settings;

  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  AdwToastOverlay      *toast_overlay;
};

G_DEFINE_FINAL_TYPE (PaddockWindow, paddock_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
paddock_window_close_request (GtkWindow *window)
{
  PaddockWindow *self = PADDOCK_WINDOW (window);
  int width;
  int height;

  gtk_window_get_default_size (window, &width, &height);
  paddock_settings_save_window_state (self->settings, width, height,
                                      gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (paddock_window_parent_class)->close_request (window);
}

static void
paddock_window_constructed (GObject *object)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  G_OBJECT_CLASS (paddock_window_parent_class)->constructed (object);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               paddock_settings_get_window_width (self->settings),
                               paddock_settings_get_window_height (self->settings));
  if (paddock_settings_get_window_maximized (self->settings))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
paddock_window_dispose (GObject *object)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (paddock_window_parent_class)->dispose (object);
}

static void
paddock_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
paddock_window_class_init (PaddockWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = paddock_window_constructed;
  object_class->dispose = paddock_window_dispose;
  object_class->get_property = paddock_window_get_property;
  object_class->set_property = paddock_window_set_property;
  window_class->close_request = paddock_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, PADDOCK_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "win.show-content", NULL,
                                   paddock_window_show_content_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL,
                                   paddock_window_show_sidebar_action);
}

static void
paddock_window_init (PaddockWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

PaddockWindow *
paddock_window_new (PaddockApplication *application)
{
  g_return_val_if_fail (PADDOCK_IS_APPLICATION (application), NULL);

  return g_object_new (PADDOCK_TYPE_WINDOW,
                       "application", application,
                       "settings", paddock_application_get_settings (application),
                       NULL);
}

void
paddock_window_show_toast (PaddockWindow *self,
                           const char    *title)
{
  g_return_if_fail (PADDOCK_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}
