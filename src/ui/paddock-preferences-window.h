/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-preferences-window.h: the Preferences window */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_PREFERENCES_WINDOW (paddock_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (PaddockPreferencesWindow, paddock_preferences_window, PADDOCK, PREFERENCES_WINDOW, AdwPreferencesWindow)

PaddockPreferencesWindow *paddock_preferences_window_new             (PaddockSettings          *settings);
void                      paddock_preferences_window_add_connections (PaddockPreferencesWindow *self,
                                                                      PaddockWorkspace         *workspace);
void                      paddock_preferences_window_ask_secret      (PaddockPreferencesWindow *self,
                                                                      PaddockCluster           *cluster);

G_END_DECLS
