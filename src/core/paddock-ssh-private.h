/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-private.h: the SSH session's internals, shared by its files: the connection and
 * operations (paddock-ssh-session.c), known hosts, commands, SFTP and interactive channels */

#pragma once

#include <libssh2.h>
#include <poll.h>
#include <libssh2_sftp.h>

#include <string.h>

#include "paddock-ssh-session.h"

G_BEGIN_DECLS

/* How much one read or write moves; how long a wait sleeps without looking at the channel
 * (another thread's libssh2 call may have read our data from the socket, which poll() cannot
 * tell us). */
#define SSH_READ_CHUNK (32 * 1024)
#define SSH_POLL_SLICE_MS 20


/* Secrets are overwritten before they are freed. */
static inline void
_paddock_ssh_wipe (char **str)
{
  if (*str != NULL)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

/* "user@host" or "user@host:port", for messages. */
char        *_paddock_ssh_node_name      (PaddockSshSession  *self);
const char  *_paddock_ssh_last_error     (LIBSSH2_SESSION    *session);
/* Compares the host key of @session with the known hosts file; a refused key is kept for
 * paddock_ssh_session_trust_rejected_host_key(). (paddock-ssh-known-hosts.c) */
gboolean     _paddock_ssh_check_host_key (PaddockSshSession  *self,
                                          LIBSSH2_SESSION    *session,
                                          GError            **error);

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

struct _PaddockSshSession
{
  GObject         parent_instance;

  char           *host;
  guint16         port;
  char           *user;
  GArray         *auth_methods;
  char           *key_path;
  char           *key_passphrase;
  char           *password;
  char           *known_hosts_path;
  guint           connect_tries;
  guint           connect_delay_ms;
  guint           connect_timeout_ms;
  gsize           max_output;

  GMutex          state_lock;    /* guards conn, the rejected key and the keepalive fields */
  GMutex          connect_lock;  /* one connection attempt at a time */
  SshConn        *conn;

  char           *rejected_type;
  char           *rejected_fingerprint;
  char           *trusted_fingerprint;
  GBytes         *rejected_key;
  int             rejected_key_bits;

  GThread        *keepalive_thread;
  GCond           keepalive_cond;
  gboolean        stopping;
};

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
gboolean         _paddock_ssh_is_connection_error (int             rc);
/* The first call of an operation found the connection dead since the last command: connect
 * again (nothing ran yet, so this is safe to repeat). */
gboolean         _paddock_ssh_op_reconnect    (SshOp              *op,
                                               GError            **error);
/* Runs @command with its output collected, inside @op (paddock-ssh-exec.c). */
PaddockSshResult *_paddock_ssh_op_run         (SshOp              *op,
                                               const char         *command,
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
