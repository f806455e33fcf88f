/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pct.h: Proxmox's pct on a node, over its SSH session: exec, push, status, enter */

#pragma once

#include "paddock-ssh-session.h"
#include "paddock-ssh-pty.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_PCT (paddock_pct_get_type ())

G_DECLARE_FINAL_TYPE (PaddockPct, paddock_pct, PADDOCK, PCT, GObject)

PaddockPct        *paddock_pct_new                 (PaddockSshSession    *session,
                                                    const char           *node);
PaddockSshSession *paddock_pct_get_session         (PaddockPct           *self);

/* "pct exec VMID -- sh -c SCRIPT": the result has the script's exit status and output. */
void               paddock_pct_exec_async          (PaddockPct           *self,
                                                    guint                 vmid,
                                                    const char           *script,
                                                    GBytes               *stdin_bytes,
                                                    guint                 timeout_ms,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
PaddockSshResult  *paddock_pct_exec_finish         (PaddockPct           *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void               paddock_pct_exec_streaming_async (PaddockPct          *self,
                                                     guint                vmid,
                                                     const char          *script,
                                                     guint                timeout_ms,
                                                     PaddockSshLineFunc   line_func,
                                                     gpointer             line_data,
                                                     GDestroyNotify       line_data_destroy,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           paddock_pct_exec_streaming_finish (PaddockPct         *self,
                                                      GAsyncResult       *result,
                                                      int                *exit_status,
                                                      GError            **error);

/* Puts @content at @destination in the container with @mode and, when given, owner and
 * group (names or numbers), creating the parent directory first. */
void               paddock_pct_push_async          (PaddockPct           *self,
                                                    guint                 vmid,
                                                    const char           *destination,
                                                    GBytes               *content,
                                                    guint                 mode,
                                                    const char           *user,
                                                    const char           *group,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean           paddock_pct_push_finish         (PaddockPct           *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* "running", "stopped", … as pct status says it. */
void               paddock_pct_status_async        (PaddockPct           *self,
                                                    guint                 vmid,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char              *paddock_pct_status_finish       (PaddockPct           *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* "pct enter VMID" with a terminal. */
void               paddock_pct_enter_async         (PaddockPct           *self,
                                                    guint                 vmid,
                                                    guint                 columns,
                                                    guint                 rows,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
PaddockSshPty     *paddock_pct_enter_finish        (PaddockPct           *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

gboolean           paddock_check_account_name      (const char           *name,
                                                    GError              **error);

G_END_DECLS
