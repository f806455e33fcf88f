/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-preferences-window.c: refresh, shutdown and privacy preferences bound to PaddockSettings,
 * and the saved connections */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-connections-page.h"
#include "paddock-preferences-window.h"

struct _PaddockPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  PaddockSettings      *settings;
  PaddockConnectionsPage *connections;  /* owned by the window, once added */

  GtkAdjustment        *clipboard_clear_adjustment;
  GtkSwitch            *notifications_switch;
  GtkAdjustment        *detail_refresh_adjustment;
  GtkAdjustment        *console_scrollback_adjustment;
  GtkAdjustment        *focused_refresh_adjustment;
  GtkAdjustment        *services_refresh_adjustment;
  GtkAdjustment        *shutdown_timeout_adjustment;
  GtkAdjustment        *unfocused_refresh_adjustment;
};

G_DEFINE_FINAL_TYPE (PaddockPreferencesWindow, paddock_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bind_adjustment (PaddockPreferencesWindow *self,
                 const char               *key,
                 GtkAdjustment            *adjustment)
{
  g_settings_bind (paddock_settings_get_gsettings (self->settings), key,
                   adjustment, "value", G_SETTINGS_BIND_DEFAULT);
}

static void
paddock_preferences_window_constructed (GObject *object)
{
  PaddockPreferencesWindow *self = PADDOCK_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (paddock_preferences_window_parent_class)->constructed (object);

  bind_adjustment (self, "refresh-interval-focused", self->focused_refresh_adjustment);
  bind_adjustment (self, "refresh-interval-unfocused", self->unfocused_refresh_adjustment);
  bind_adjustment (self, "detail-refresh-interval", self->detail_refresh_adjustment);
  bind_adjustment (self, "services-refresh-interval", self->services_refresh_adjustment);
  bind_adjustment (self, "shutdown-timeout", self->shutdown_timeout_adjustment);
  bind_adjustment (self, "clipboard-clear-delay", self->clipboard_clear_adjustment);
  bind_adjustment (self, "console-scrollback", self->console_scrollback_adjustment);
  g_settings_bind (paddock_settings_get_gsettings (self->settings), "notifications", self->notifications_switch,
                   "active", G_SETTINGS_BIND_DEFAULT);
}

static void
paddock_preferences_window_dispose (GObject *object)
{
  PaddockPreferencesWindow *self = PADDOCK_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (paddock_preferences_window_parent_class)->dispose (object);
}

static void
paddock_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  PaddockPreferencesWindow *self = PADDOCK_PREFERENCES_WINDOW (object);

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
paddock_preferences_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  PaddockPreferencesWindow *self = PADDOCK_PREFERENCES_WINDOW (object);

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
paddock_preferences_window_class_init (PaddockPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = paddock_preferences_window_constructed;
  object_class->dispose = paddock_preferences_window_dispose;
  object_class->get_property = paddock_preferences_window_get_property;
  object_class->set_property = paddock_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, PADDOCK_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/paddock/Paddock/paddock-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockPreferencesWindow, clipboard_clear_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PaddockPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, PaddockPreferencesWindow, detail_refresh_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PaddockPreferencesWindow, console_scrollback_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PaddockPreferencesWindow, focused_refresh_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PaddockPreferencesWindow, services_refresh_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PaddockPreferencesWindow, shutdown_timeout_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PaddockPreferencesWindow, unfocused_refresh_adjustment);
}

static void
paddock_preferences_window_init (PaddockPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The Connections page, when the connections are loaded (the store may have failed to open). */
void
paddock_preferences_window_add_connections (PaddockPreferencesWindow *self,
                                            PaddockWorkspace         *workspace)
{
  g_return_if_fail (PADDOCK_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (PADDOCK_IS_WORKSPACE (workspace));

  self->connections = PADDOCK_CONNECTIONS_PAGE (paddock_connections_page_new (workspace));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->connections));
}

/* Shows the connections and asks for @cluster's new secret (from a refused login). */
void
paddock_preferences_window_ask_secret (PaddockPreferencesWindow *self,
                                       PaddockCluster           *cluster)
{
  g_return_if_fail (PADDOCK_IS_PREFERENCES_WINDOW (self));

  if (self->connections == NULL)
    return;
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (self->connections));
  paddock_connections_page_ask_secret (self->connections, cluster);
}

PaddockPreferencesWindow *
paddock_preferences_window_new (PaddockSettings *settings)
{
  g_return_val_if_fail (PADDOCK_IS_SETTINGS (settings), NULL);

  return g_object_new (PADDOCK_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
