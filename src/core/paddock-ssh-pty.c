/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-pty.c: an interactive command with a terminal over an SSH session (the console)
 *
 * A thread of its own pumps the channel: input queued by paddock_ssh_pty_write() goes out,
 * output comes back as "output" signals on the opener's main context.
 */

#include "config.h"

#include <poll.h>

#include "paddock-ssh-private.h"
#include "paddock-ssh-pty.h"

struct _PaddockSshPty
{
  GObject            parent_instance;

  PaddockSshSession *session;
  SshConn           *conn;
  LIBSSH2_CHANNEL   *channel;
  GMainContext      *context;
  GThread           *thread;

  GMutex             lock;         /* guards the fields below */
  GByteArray        *input;
  guint              columns;
  guint              rows;
  gboolean           resize;
  gboolean           closing;
  gboolean           closed;
};

G_DEFINE_FINAL_TYPE (PaddockSshPty, paddock_ssh_pty, G_TYPE_OBJECT)

enum {
  OUTPUT,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
paddock_ssh_pty_finalize (GObject *object)
{
  PaddockSshPty *self = PADDOCK_SSH_PTY (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_byte_array_unref (self->input);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (paddock_ssh_pty_parent_class)->finalize (object);
}

static void
paddock_ssh_pty_dispose (GObject *object)
{
  PaddockSshPty *self = PADDOCK_SSH_PTY (object);

  /* The thread holds a reference until it ends, so this runs after it. */
  if (self->thread != NULL)
    g_thread_unref (g_steal_pointer (&self->thread));

  G_OBJECT_CLASS (paddock_ssh_pty_parent_class)->dispose (object);
}

static void
paddock_ssh_pty_class_init (PaddockSshPtyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_ssh_pty_dispose;
  object_class->finalize = paddock_ssh_pty_finalize;

  signals[OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
paddock_ssh_pty_init (PaddockSshPty *self)
{
  g_mutex_init (&self->lock);
  self->input = g_byte_array_new ();
}

typedef struct
{
  PaddockSshPty *self;
  GBytes        *output;
  int            exit_status;
} Emission;

static gboolean
emit_in_context (gpointer data)
{
  Emission *emission = data;

  if (emission->output != NULL)
    g_signal_emit (emission->self, signals[OUTPUT], 0, emission->output);
  else
    {
      emission->self->closed = TRUE;
      g_signal_emit (emission->self, signals[CLOSED], 0, emission->exit_status);
    }

  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_clear_pointer (&emission->output, g_bytes_unref);
  g_object_unref (emission->self);
  g_free (emission);
}

static void
emit (PaddockSshPty *self,
      GBytes        *output,
      int            exit_status)
{
  Emission *emission = g_new0 (Emission, 1);

  emission->self = g_object_ref (self);
  emission->output = output;
  emission->exit_status = exit_status;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_in_context, emission, emission_free);
}

static int
close_and_wait (LIBSSH2_CHANNEL *channel)
{
  int rc = libssh2_channel_close (channel);

  return rc == 0 ? libssh2_channel_wait_closed (channel) : rc;
}

static gpointer
pump_thread (gpointer data)
{
  g_autoptr(PaddockSshPty) self = data;
  SshOp op = { .self = self->session, .conn = self->conn, .what = "the terminal" };
  char buffer[16 * 1024];
  int exit_status = -1;
  int dirs = 0;

  for (;;)
    {
      g_autoptr(GBytes) pending = NULL;
      gboolean progress = FALSE, eof = FALSE, closing, resize;
      guint columns, rows;
      ssize_t n;

      g_mutex_lock (&self->lock);
      closing = self->closing;
      resize = self->resize;
      columns = self->columns;
      rows = self->rows;
      self->resize = FALSE;
      if (self->input->len > 0)
        pending = g_bytes_new (self->input->data, self->input->len);
      g_mutex_unlock (&self->lock);

      if (closing || g_atomic_int_get (&self->conn->broken))
        break;

      if (resize)
        {
          int rc;

          SSH_LOCKED (&op, dirs, rc = libssh2_channel_request_pty_size (self->channel, columns, rows));
          /* Not sent yet (the socket was full): again on the next turn, unless a newer size came. */
          if (rc == LIBSSH2_ERROR_EAGAIN)
            {
              g_mutex_lock (&self->lock);
              self->resize = TRUE;
              g_mutex_unlock (&self->lock);
            }
          else
            g_debug ("pty size %ux%u: %d", columns, rows, rc);
        }

      if (pending != NULL)
        {
          SSH_LOCKED (&op, dirs, n = libssh2_channel_write (self->channel, g_bytes_get_data (pending, NULL),
                                                            g_bytes_get_size (pending)));
          if (n > 0)
            {
              g_mutex_lock (&self->lock);
              g_byte_array_remove_range (self->input, 0, n);
              g_mutex_unlock (&self->lock);
              progress = TRUE;
            }
          else if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
            break;
        }

      for (int stream = 0; stream < 2; stream++)
        {
          SSH_LOCKED (&op, dirs, n = libssh2_channel_read_ex (self->channel, stream, buffer, sizeof buffer));
          if (n > 0)
            {
              emit (self, g_bytes_new (buffer, n), 0);
              progress = TRUE;
            }
        }

      SSH_LOCKED (&op, dirs, eof = libssh2_channel_eof (self->channel));
      if (eof)
        {
          int rc = 0;

          /* The exit status arrives with the close. */
          SSH_RETRY_BRIEFLY (&op, 200, rc, close_and_wait (self->channel));
          SSH_LOCKED (&op, dirs, exit_status = libssh2_channel_get_exit_status (self->channel));
          break;
        }

      if (!progress)
        poll (&(struct pollfd) { .fd = self->conn->fd, .events = POLLIN | (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND ? POLLOUT : 0) },
              1, 20);
    }

  _paddock_ssh_op_close_channel (&op, g_steal_pointer (&self->channel), FALSE);
  g_clear_pointer (&self->conn, _paddock_ssh_conn_unref);
  emit (self, NULL, exit_status);

  return NULL;
}

PaddockSshPty *
_paddock_ssh_pty_new (PaddockSshSession *session,
                      SshConn           *conn,
                      LIBSSH2_CHANNEL   *channel,
                      GMainContext      *context)
{
  PaddockSshPty *self = g_object_new (PADDOCK_TYPE_SSH_PTY, NULL);

  self->session = g_object_ref (session);
  self->conn = _paddock_ssh_conn_ref (conn);
  self->channel = channel;
  /* Signals go where the caller opened the terminal. */
  self->context = g_main_context_ref (context);
  self->thread = g_thread_new ("paddock-ssh-pty", pump_thread, g_object_ref (self));

  return self;
}

void
paddock_ssh_pty_write (PaddockSshPty *self,
                       const char    *data,
                       gsize          length)
{
  g_return_if_fail (PADDOCK_IS_SSH_PTY (self));

  g_mutex_lock (&self->lock);
  g_byte_array_append (self->input, (const guint8 *) data, length);
  g_mutex_unlock (&self->lock);
}

void
paddock_ssh_pty_resize (PaddockSshPty *self,
                        guint          columns,
                        guint          rows)
{
  g_return_if_fail (PADDOCK_IS_SSH_PTY (self));

  g_mutex_lock (&self->lock);
  self->columns = columns;
  self->rows = rows;
  self->resize = TRUE;
  g_mutex_unlock (&self->lock);
}

/* Ends the terminal: the command gets a hangup; "closed" follows. */
void
paddock_ssh_pty_close (PaddockSshPty *self)
{
  g_return_if_fail (PADDOCK_IS_SSH_PTY (self));

  g_mutex_lock (&self->lock);
  self->closing = TRUE;
  g_mutex_unlock (&self->lock);
}

gboolean
paddock_ssh_pty_is_closed (PaddockSshPty *self)
{
  g_return_val_if_fail (PADDOCK_IS_SSH_PTY (self), TRUE);

  return self->closed;
}

/* Opening an interactive channel (paddock_ssh_session_open_pty_async) */

typedef struct
{
  char         *command;
  char         *term;
  guint         columns;
  guint         rows;
  GMainContext *context;
} PtyData;

static void
pty_data_free (gpointer data)
{
  PtyData *pty = data;

  g_free (pty->command);
  g_free (pty->term);
  g_main_context_unref (pty->context);
  g_free (pty);
}

static void
open_pty_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PtyData *pty = task_data;
  LIBSSH2_CHANNEL *channel = NULL;
  GError *error = NULL;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, source_object, cancellable, 30000, "opening a terminal", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!(channel = _paddock_ssh_op_open_channel (&op, &error)))
    goto fail;

  if (!_paddock_ssh_op_start (&op, channel, pty->term, pty->columns, pty->rows, pty->command, &error))
    goto fail;

  g_task_return_pointer (task, _paddock_ssh_pty_new (source_object, op.conn, channel, pty->context), g_object_unref);
  _paddock_ssh_op_end (&op);
  return;

fail:
  _paddock_ssh_op_close_channel (&op, channel, FALSE);
  _paddock_ssh_op_end (&op);
  g_task_return_error (task, error);
}

void
paddock_ssh_session_open_pty_async (PaddockSshSession   *self,
                                    const char          *command,
                                    const char          *term,
                                    guint                columns,
                                    guint                rows,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PtyData *pty;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_ssh_session_open_pty_async);
  pty = g_new0 (PtyData, 1);
  pty->command = g_strdup (command);
  pty->term = g_strdup (term ? term : "xterm-256color");
  pty->columns = columns ? columns : 80;
  pty->rows = rows ? rows : 24;
  pty->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, pty, pty_data_free);
  g_task_run_in_thread (task, open_pty_thread);
}

PaddockSshPty *
paddock_ssh_session_open_pty_finish (PaddockSshSession  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
