/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-pty.h: an interactive command with a terminal over an SSH session (the console) */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PADDOCK_TYPE_SSH_PTY (paddock_ssh_pty_get_type ())

G_DECLARE_FINAL_TYPE (PaddockSshPty, paddock_ssh_pty, PADDOCK, SSH_PTY, GObject)

/* Queued and sent in order; "output" (GBytes) and "closed" (exit status, -1 when the
 * connection was lost) are emitted on the main context that opened the terminal. */
void     paddock_ssh_pty_write     (PaddockSshPty *self,
                                    const char    *data,
                                    gsize          length);
void     paddock_ssh_pty_resize    (PaddockSshPty *self,
                                    guint          columns,
                                    guint          rows);
void     paddock_ssh_pty_close     (PaddockSshPty *self);
gboolean paddock_ssh_pty_is_closed (PaddockSshPty *self);

G_END_DECLS
