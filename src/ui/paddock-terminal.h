/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-terminal.h: a VTE terminal that says when its grid (columns × rows) changes */

#pragma once

#include <vte/vte.h>

G_BEGIN_DECLS

#define PADDOCK_TYPE_TERMINAL (paddock_terminal_get_type ())

G_DECLARE_FINAL_TYPE (PaddockTerminal, paddock_terminal, PADDOCK, TERMINAL, VteTerminal)

G_END_DECLS
