/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-console-window.h: containers' consoles side by side, one tab each */

#pragma once

#include <adwaita.h>

#include "paddock-application.h"
#include "paddock-console.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_CONSOLE_WINDOW (paddock_console_window_get_type ())

G_DECLARE_FINAL_TYPE (PaddockConsoleWindow, paddock_console_window, PADDOCK, CONSOLE_WINDOW, AdwApplicationWindow)

/* The application's console window, made when there is none. */
PaddockConsoleWindow *paddock_console_window_get_default (PaddockApplication   *application);
/* A new tab with @guest's console, in front, connecting. */
PaddockConsole       *paddock_console_window_add         (PaddockConsoleWindow *self,
                                                          PaddockWorkspace     *workspace,
                                                          PaddockCluster       *cluster,
                                                          PaddockGuest         *guest);
AdwTabView           *paddock_console_window_get_tabs    (PaddockConsoleWindow *self);

G_END_DECLS
