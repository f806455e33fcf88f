/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-settings.c: the app's GSettings keys as typed GObject properties */

#include "config.h"

#include "paddock-settings.h"

struct _PaddockSettings
{
  GObject    parent_instance;
  GSettings *gsettings;
};

G_DEFINE_FINAL_TYPE (PaddockSettings, paddock_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_GSETTINGS,
  PROP_WINDOW_WIDTH,
  PROP_WINDOW_HEIGHT,
  PROP_WINDOW_MAXIMIZED,
  PROP_REFRESH_INTERVAL_FOCUSED,
  PROP_REFRESH_INTERVAL_UNFOCUSED,
  PROP_DETAIL_REFRESH_INTERVAL,
  PROP_SERVICES_REFRESH_INTERVAL,
  PROP_SHUTDOWN_TIMEOUT,
  PROP_CLIPBOARD_CLEAR_DELAY,
  PROP_CONSOLE_SCROLLBACK,
  PROP_NOTIFICATIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Property n is backed by the GSettings key of the same name. */
static const char *
key_for_prop (guint prop_id)
{
  return g_param_spec_get_name (properties[prop_id]);
}

static void
on_gsettings_changed (PaddockSettings *self,
                      const char      *key,
                      GSettings       *gsettings)
{
  g_assert (PADDOCK_IS_SETTINGS (self));

  for (guint i = PROP_WINDOW_WIDTH; i < N_PROPS; i++)
    {
      if (g_strcmp0 (key, key_for_prop (i)) == 0)
        {
          g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
          break;
        }
    }
}

static void
paddock_settings_constructed (GObject *object)
{
  PaddockSettings *self = PADDOCK_SETTINGS (object);

  G_OBJECT_CLASS (paddock_settings_parent_class)->constructed (object);

  if (self->gsettings == NULL)
    self->gsettings = g_settings_new (PADDOCK_SETTINGS_SCHEMA_ID);

  g_signal_connect_object (self->gsettings, "changed",
                           G_CALLBACK (on_gsettings_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
paddock_settings_dispose (GObject *object)
{
  PaddockSettings *self = PADDOCK_SETTINGS (object);

  g_clear_object (&self->gsettings);

  G_OBJECT_CLASS (paddock_settings_parent_class)->dispose (object);
}

static void
paddock_settings_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PaddockSettings *self = PADDOCK_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_GSETTINGS:
      g_value_set_object (value, self->gsettings);
      break;

    case PROP_WINDOW_WIDTH:
    case PROP_WINDOW_HEIGHT:
      g_value_set_int (value, g_settings_get_int (self->gsettings, key_for_prop (prop_id)));
      break;

    case PROP_WINDOW_MAXIMIZED:
    case PROP_NOTIFICATIONS:
      g_value_set_boolean (value, g_settings_get_boolean (self->gsettings, key_for_prop (prop_id)));
      break;

    case PROP_REFRESH_INTERVAL_FOCUSED:
    case PROP_REFRESH_INTERVAL_UNFOCUSED:
    case PROP_DETAIL_REFRESH_INTERVAL:
    case PROP_SERVICES_REFRESH_INTERVAL:
    case PROP_SHUTDOWN_TIMEOUT:
    case PROP_CLIPBOARD_CLEAR_DELAY:
    case PROP_CONSOLE_SCROLLBACK:
      g_value_set_uint (value, g_settings_get_uint (self->gsettings, key_for_prop (prop_id)));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_settings_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PaddockSettings *self = PADDOCK_SETTINGS (object);

  /* GSettings emits "changed" only for real changes, which notifies. */
  switch (prop_id)
    {
    case PROP_GSETTINGS:
      self->gsettings = g_value_dup_object (value);
      break;

    case PROP_WINDOW_WIDTH:
    case PROP_WINDOW_HEIGHT:
      g_settings_set_int (self->gsettings, key_for_prop (prop_id), g_value_get_int (value));
      break;

    case PROP_WINDOW_MAXIMIZED:
    case PROP_NOTIFICATIONS:
      g_settings_set_boolean (self->gsettings, key_for_prop (prop_id), g_value_get_boolean (value));
      break;

    case PROP_REFRESH_INTERVAL_FOCUSED:
    case PROP_REFRESH_INTERVAL_UNFOCUSED:
    case PROP_DETAIL_REFRESH_INTERVAL:
    case PROP_SERVICES_REFRESH_INTERVAL:
    case PROP_SHUTDOWN_TIMEOUT:
    case PROP_CLIPBOARD_CLEAR_DELAY:
    case PROP_CONSOLE_SCROLLBACK:
      g_settings_set_uint (self->gsettings, key_for_prop (prop_id), g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
uint_pspec (const char *name,
            guint       min,
            guint       max,
            guint       def)
{
  return g_param_spec_uint (name, NULL, NULL, min, max, def,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
paddock_settings_class_init (PaddockSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = paddock_settings_constructed;
  object_class->dispose = paddock_settings_dispose;
  object_class->get_property = paddock_settings_get_property;
  object_class->set_property = paddock_settings_set_property;

  properties[PROP_GSETTINGS] =
    g_param_spec_object ("gsettings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WINDOW_WIDTH] =
    g_param_spec_int ("window-width", NULL, NULL, 360, G_MAXINT16, 1100,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WINDOW_HEIGHT] =
    g_param_spec_int ("window-height", NULL, NULL, 294, G_MAXINT16, 720,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WINDOW_MAXIMIZED] =
    g_param_spec_boolean ("window-maximized", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REFRESH_INTERVAL_FOCUSED] = uint_pspec ("refresh-interval-focused", 2, 3600, 5);
  properties[PROP_REFRESH_INTERVAL_UNFOCUSED] = uint_pspec ("refresh-interval-unfocused", 5, 3600, 30);
  properties[PROP_DETAIL_REFRESH_INTERVAL] = uint_pspec ("detail-refresh-interval", 1, 60, 2);
  properties[PROP_SERVICES_REFRESH_INTERVAL] = uint_pspec ("services-refresh-interval", 10, 3600, 60);
  properties[PROP_SHUTDOWN_TIMEOUT] = uint_pspec ("shutdown-timeout", 5, 3600, 30);
  properties[PROP_CLIPBOARD_CLEAR_DELAY] = uint_pspec ("clipboard-clear-delay", 0, 600, 30);
  properties[PROP_CONSOLE_SCROLLBACK] = uint_pspec ("console-scrollback", 100, 1000000, 10000);
  properties[PROP_NOTIFICATIONS] =
    g_param_spec_boolean ("notifications", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_settings_init (PaddockSettings *self)
{
}

PaddockSettings *
paddock_settings_new (void)
{
  return g_object_new (PADDOCK_TYPE_SETTINGS, NULL);
}

PaddockSettings *
paddock_settings_new_for_gsettings (GSettings *gsettings)
{
  g_return_val_if_fail (G_IS_SETTINGS (gsettings), NULL);

  return g_object_new (PADDOCK_TYPE_SETTINGS, "gsettings", gsettings, NULL);
}

GSettings *
paddock_settings_get_gsettings (PaddockSettings *self)
{
  g_return_val_if_fail (PADDOCK_IS_SETTINGS (self), NULL);

  return self->gsettings;
}

int
paddock_settings_get_window_width (PaddockSettings *self)
{
  g_return_val_if_fail (PADDOCK_IS_SETTINGS (self), 0);

  return g_settings_get_int (self->gsettings, "window-width");
}

int
paddock_settings_get_window_height (PaddockSettings *self)
{
  g_return_val_if_fail (PADDOCK_IS_SETTINGS (self), 0);

  return g_settings_get_int (self->gsettings, "window-height");
}

gboolean
paddock_settings_get_window_maximized (PaddockSettings *self)
{
  g_return_val_if_fail (PADDOCK_IS_SETTINGS (self), FALSE);

  return g_settings_get_boolean (self->gsettings, "window-maximized");
}

void
paddock_settings_save_window_state (PaddockSettings *self,
                                    int              width,
                                    int              height,
                                    gboolean         maximized)
{
  g_return_if_fail (PADDOCK_IS_SETTINGS (self));

  /* One delayed batch so that a window close writes the keyfile once. */
  g_settings_delay (self->gsettings);
  if (!maximized)
    {
      g_settings_set_int (self->gsettings, "window-width", MAX (width, 360));
      g_settings_set_int (self->gsettings, "window-height", MAX (height, 294));
    }
  g_settings_set_boolean (self->gsettings, "window-maximized", maximized);
  g_settings_apply (self->gsettings);
}

#define UINT_GETTER(func, key)                                   \
  guint                                                          \
  paddock_settings_get_##func (PaddockSettings *self)            \
  {                                                              \
    g_return_val_if_fail (PADDOCK_IS_SETTINGS (self), 0);        \
    return g_settings_get_uint (self->gsettings, key);           \
  }

UINT_GETTER (refresh_interval_focused, "refresh-interval-focused")
UINT_GETTER (refresh_interval_unfocused, "refresh-interval-unfocused")
UINT_GETTER (detail_refresh_interval, "detail-refresh-interval")
UINT_GETTER (services_refresh_interval, "services-refresh-interval")
UINT_GETTER (shutdown_timeout, "shutdown-timeout")
UINT_GETTER (clipboard_clear_delay, "clipboard-clear-delay")
UINT_GETTER (console_scrollback, "console-scrollback")

gboolean
paddock_settings_get_notifications (PaddockSettings *self)
{
  g_return_val_if_fail (PADDOCK_IS_SETTINGS (self), FALSE);

  return g_settings_get_boolean (self->gsettings, "notifications");
}
