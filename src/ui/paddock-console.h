/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-console.h: a terminal into a container: "pct enter" on its node, over SSH with a PTY */

#pragma once

#include <adwaita.h>
#include <vte/vte.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_CONSOLE (paddock_console_get_type ())

G_DECLARE_FINAL_TYPE (PaddockConsole, paddock_console, PADDOCK, CONSOLE, AdwBin)

GtkWidget    *paddock_console_new          (void);
void          paddock_console_set_settings (PaddockConsole   *self,
                                            PaddockSettings  *settings);
/* Shows @guest's console; it connects when the console is first shown (or at once with
 * paddock_console_connect()). */
void          paddock_console_set_guest    (PaddockConsole   *self,
                                            PaddockWorkspace *workspace,
                                            PaddockCluster   *cluster,
                                            PaddockGuest     *guest);
PaddockGuest *paddock_console_get_guest    (PaddockConsole   *self);
void          paddock_console_connect      (PaddockConsole   *self);
/* Ends the session (the container's shell gets a hang-up). */
void          paddock_console_disconnect   (PaddockConsole   *self);
/* Whether a session is open: closing it would end what runs in it. */
gboolean      paddock_console_get_running  (PaddockConsole   *self);
/* The container's name, for a tab or window title. */
const char   *paddock_console_get_title    (PaddockConsole   *self);
/* For tests: the terminal, and the message shown instead of it or above it (NULL: none). */
VteTerminal  *paddock_console_get_terminal (PaddockConsole   *self);
const char   *paddock_console_get_message  (PaddockConsole   *self);

G_END_DECLS
