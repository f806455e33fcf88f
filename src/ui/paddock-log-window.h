/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-log-window.h: a service's journal, searched and followed as it grows */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_LOG_WINDOW (paddock_log_window_get_type ())

G_DECLARE_FINAL_TYPE (PaddockLogWindow, paddock_log_window, PADDOCK, LOG_WINDOW, AdwWindow)

/* Lines kept: older ones go first. */
#define PADDOCK_LOG_WINDOW_MAX_LINES 100000

PaddockLogWindow *paddock_log_window_new       (GtkWindow        *parent,
                                                PaddockPct       *pct,
                                                guint             vmid,
                                                const char       *container_name,
                                                const char       *unit);
void              paddock_log_window_set_follow (PaddockLogWindow *self,
                                                 gboolean          follow);
/* The lines shown (after the search), for tests. */
GListModel       *paddock_log_window_get_lines  (PaddockLogWindow *self);
gboolean          paddock_log_window_get_loading (PaddockLogWindow *self);

G_END_DECLS
