/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-settings.h: the app's GSettings keys as typed GObject properties */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PADDOCK_SETTINGS_SCHEMA_ID "app.paddock.Paddock"

#define PADDOCK_TYPE_SETTINGS (paddock_settings_get_type ())

G_DECLARE_FINAL_TYPE (PaddockSettings, paddock_settings, PADDOCK, SETTINGS, GObject)

PaddockSettings *paddock_settings_new                            (void);
PaddockSettings *paddock_settings_new_for_gsettings              (GSettings       *gsettings);
GSettings       *paddock_settings_get_gsettings                  (PaddockSettings *self);
int              paddock_settings_get_window_width               (PaddockSettings *self);
int              paddock_settings_get_window_height              (PaddockSettings *self);
gboolean         paddock_settings_get_window_maximized           (PaddockSettings *self);
void             paddock_settings_save_window_state              (PaddockSettings *self,
                                                                  int              width,
                                                                  int              height,
                                                                  gboolean         maximized);
guint            paddock_settings_get_refresh_interval_focused   (PaddockSettings *self);
guint            paddock_settings_get_refresh_interval_unfocused (PaddockSettings *self);
guint            paddock_settings_get_detail_refresh_interval    (PaddockSettings *self);
guint            paddock_settings_get_services_refresh_interval  (PaddockSettings *self);
guint            paddock_settings_get_shutdown_timeout           (PaddockSettings *self);
guint            paddock_settings_get_clipboard_clear_delay      (PaddockSettings *self);
guint            paddock_settings_get_console_scrollback         (PaddockSettings *self);
/* Whether a job (or a long operation) that ends while no window is focused says so. */
gboolean         paddock_settings_get_notifications              (PaddockSettings *self);

G_END_DECLS
