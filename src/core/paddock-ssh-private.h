/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-private.h: the SSH session's internals shared with its interactive channels */

#pragma once

#include <libssh2.h>
#include <poll.h>
#include <libssh2_sftp.h>

#include "paddock-ssh-session.h"

G_BEGIN_DECLS

/* One authenticated connection. Operations hold a reference, so a reconnect by one of
 * them never frees the session under another; libssh2 is used under @lock only. */
typedef struct
{
  gatomicrefcount    ref;
  GMutex             lock;
  /* libssh2 keeps the state of some non-blocking steps in the session, not the channel
   * (opening a channel, waiting for a command's start, starting SFTP): two threads doing them
   * at once would finish each other's. One at a time. */
  GMutex             open_lock;
  LIBSSH2_SESSION   *session;
  GSocketConnection *connection;
  int                fd;
  int                broken;   /* atomic */
} SshConn;

SshConn *_paddock_ssh_conn_ref   (SshConn *conn);
void     _paddock_ssh_conn_unref (SshConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SshConn, _paddock_ssh_conn_unref)

/* The context of one operation on a worker thread. */
typedef struct
{
  PaddockSshSession *self;
  SshConn           *conn;
  GCancellable      *cancellable;
  gint64             deadline;     /* monotonic µs; 0: none */
  guint              timeout_ms;
  const char        *what;         /* "Running “…”", for messages */
} SshOp;

gboolean         _paddock_ssh_op_begin        (SshOp              *op,
                                               PaddockSshSession  *self,
                                               GCancellable       *cancellable,
                                               guint               timeout_ms,
                                               const char         *what,
                                               GError            **error);
void             _paddock_ssh_op_end          (SshOp              *op);
/* Waits until the socket is ready in the direction libssh2 asked for (or briefly, since
 * another channel's call may have read our data), the deadline, or cancellation. */
gboolean         _paddock_ssh_op_wait         (SshOp              *op,
                                               int                 directions,
                                               GError            **error);
gboolean         _paddock_ssh_op_start        (SshOp              *op,
                                               LIBSSH2_CHANNEL    *channel,
                                               const char         *term,
                                               guint               columns,
                                               guint               rows,
                                               const char         *command,
                                               GError            **error);
/* Turns a libssh2 failure into an error; a broken connection marks the connection. */
gboolean         _paddock_ssh_op_fail         (SshOp              *op,
                                               int                 rc,
                                               const char         *action,
                                               GError            **error);
/* Opens a session channel, reconnecting once when the connection dropped since the last
 * command (nothing has run on the new channel yet, so this is safe to repeat). */
LIBSSH2_CHANNEL *_paddock_ssh_op_open_channel (SshOp              *op,
                                               GError            **error);
void             _paddock_ssh_op_close_channel (SshOp             *op,
                                                LIBSSH2_CHANNEL   *channel,
                                                gboolean           graceful);

/* Runs @stmt with the connection locked and leaves the blocking directions in @dirs. */
#define SSH_LOCKED(op, dirs, stmt)                                            \
  G_STMT_START {                                                              \
    g_mutex_lock (&(op)->conn->lock);                                         \
    stmt;                                                                     \
    dirs = libssh2_session_block_directions ((op)->conn->session);            \
    (void) dirs;                                                              \
    g_mutex_unlock (&(op)->conn->lock);                                       \
  } G_STMT_END

/* Blocking forms for worker threads that chain several steps (PaddockPct). */
PaddockSshResult *_paddock_ssh_session_exec_sync   (PaddockSshSession  *self,
                                                    const char         *command,
                                                    GBytes             *stdin_bytes,
                                                    guint               timeout_ms,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
gboolean          _paddock_ssh_session_upload_sync (PaddockSshSession  *self,
                                                    const char         *path,
                                                    GBytes             *content,
                                                    guint               mode,
                                                    GCancellable       *cancellable,
                                                    GError            **error);

/* For clean-ups that must not fail an operation (closing a handle, a channel, SFTP): repeats
 * @call, which sets @rc, while it would block, pausing 10 ms each time, at most @tries times,
 * and not at all once the connection is lost. */
#define SSH_RETRY_BRIEFLY(op, tries, rc, call)                                 \
  G_STMT_START {                                                              \
    for (guint retry_ = 0; retry_ < (tries); retry_++)                        \
      {                                                                       \
        int retry_dirs_ = 0;                                                  \
        SSH_LOCKED (op, retry_dirs_, rc = (call));                            \
        if (rc != LIBSSH2_ERROR_EAGAIN || g_atomic_int_get (&(op)->conn->broken)) \
          break;                                                              \
        poll (&(struct pollfd) { .fd = (op)->conn->fd, .events = POLLIN }, 1, 10); \
      }                                                                       \
  } G_STMT_END

PaddockSshPty   *_paddock_ssh_pty_new         (PaddockSshSession  *session,
                                               SshConn            *conn,
                                               LIBSSH2_CHANNEL    *channel,
                                               GMainContext       *context);

G_END_DECLS
