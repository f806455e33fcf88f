/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-task-watcher.h: follows one Proxmox task (UPID) to its end, streaming its log */

#pragma once

#include "paddock-pve-client.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_TASK_WATCHER (paddock_task_watcher_get_type ())

G_DECLARE_FINAL_TYPE (PaddockTaskWatcher, paddock_task_watcher, PADDOCK, TASK_WATCHER, GObject)

PaddockTaskWatcher *paddock_task_watcher_new            (PaddockPveClient     *client,
                                                         const char           *upid,
                                                         GError              **error);
const char         *paddock_task_watcher_get_upid       (PaddockTaskWatcher   *self);
const char         *paddock_task_watcher_get_node       (PaddockTaskWatcher   *self);
GPtrArray          *paddock_task_watcher_get_lines      (PaddockTaskWatcher   *self);
char               *paddock_task_watcher_dup_last_lines (PaddockTaskWatcher   *self,
                                                         guint                 count);
void                paddock_task_watcher_set_poll_interval (PaddockTaskWatcher *self,
                                                            guint               first_ms,
                                                            guint               max_ms);
void                paddock_task_watcher_wait_async     (PaddockTaskWatcher   *self,
                                                         guint                 timeout_seconds,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
PaddockTaskInfo    *paddock_task_watcher_wait_finish    (PaddockTaskWatcher   *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
