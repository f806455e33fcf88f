/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-exec.c: commands on a node: output collected or streamed as lines, with
 * backpressure (the channel is left unread while the caller is behind) */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include <glib/gstdio.h>

#include "paddock-line-splitter.h"
#include "paddock-ssh-private.h"

/* Running commands */

/* Lines read but not yet handed to the caller, at most (SPEC.md §2.2.1): past it the channel is
 * not read, its window fills and the command waits, so memory stays flat whatever it prints. */
#define MAX_PENDING_BYTES (1024 * 1024)

typedef struct
{
  char               *command;
  GBytes             *stdin_bytes;
  guint               timeout_ms;
  PaddockSshLineFunc  line_func;
  gpointer            line_data;
  GDestroyNotify      line_data_destroy;
  GMainContext       *context;
  GMutex              pending_lock;
  GCond               pending_cond;
  gsize               pending_bytes;   /* in batches on their way to the caller */
} ExecData;

static void
exec_data_free (gpointer data)
{
  ExecData *exec = data;

  g_free (exec->command);
  g_clear_pointer (&exec->stdin_bytes, g_bytes_unref);
  if (exec->line_data_destroy != NULL)
    exec->line_data_destroy (exec->line_data);
  g_clear_pointer (&exec->context, g_main_context_unref);
  g_mutex_clear (&exec->pending_lock);
  g_cond_clear (&exec->pending_cond);
  g_free (exec);
}

/* Lines on their way to the caller's main context, in order, a batch per read. */
typedef struct
{
  ExecData  *exec;
  GTask     *task;
  GPtrArray *lines;   /* char *, each prefixed by its stream ('o' or 'e') */
  gsize      bytes;
} LineBatch;

static gboolean
deliver_lines (gpointer data)
{
  LineBatch *batch = data;

  for (guint i = 0; i < batch->lines->len; i++)
    {
      const char *line = g_ptr_array_index (batch->lines, i);

      batch->exec->line_func (line[0] == 'e' ? PADDOCK_SSH_STDERR : PADDOCK_SSH_STDOUT, line + 1,
                              batch->exec->line_data);
    }

  /* The caller took them: the reader may read on. */
  g_mutex_lock (&batch->exec->pending_lock);
  batch->exec->pending_bytes -= batch->bytes;
  g_cond_signal (&batch->exec->pending_cond);
  g_mutex_unlock (&batch->exec->pending_lock);

  return G_SOURCE_REMOVE;
}

static void
line_batch_free (gpointer data)
{
  LineBatch *batch = data;

  g_ptr_array_unref (batch->lines);
  g_object_unref (batch->task);
  g_free (batch);
}

typedef struct
{
  GPtrArray *lines;
  char       stream;
} LineSink;

static void
collect_line (const char *line,
              gpointer    user_data)
{
  LineSink *sink = user_data;

  g_ptr_array_add (sink->lines, g_strdup_printf ("%c%s", sink->stream, line));
}

static void
flush_lines (ExecData  *exec,
             GTask     *task,
             GPtrArray *lines)
{
  LineBatch *batch;

  if (lines->len == 0)
    return;

  batch = g_new0 (LineBatch, 1);
  batch->exec = exec;
  batch->task = g_object_ref (task);   /* keeps exec alive until delivered */
  batch->lines = g_ptr_array_new_with_free_func (g_free);
  /* What the lines cost in memory, short lines' allocations included. */
  for (guint i = 0; i < lines->len; i++)
    batch->bytes += strlen (g_ptr_array_index (lines, i)) + 2 * sizeof (gpointer) + 16;
  g_ptr_array_extend_and_steal (batch->lines, g_ptr_array_ref (lines));
  g_ptr_array_set_size (lines, 0);

  g_mutex_lock (&exec->pending_lock);
  exec->pending_bytes += batch->bytes;
  g_mutex_unlock (&exec->pending_lock);

  g_main_context_invoke_full (exec->context, G_PRIORITY_DEFAULT, deliver_lines, batch, line_batch_free);
}

/* Backpressure: while the caller is behind, the channel is left unread (its window fills and
 * the remote command blocks on its output); cancellation and the deadline still apply. */
static gboolean
wait_for_consumer (SshOp     *op,
                   ExecData  *exec,
                   GError   **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&exec->pending_lock);
  while (exec->pending_bytes > MAX_PENDING_BYTES && ok)
    {
      g_cond_wait_until (&exec->pending_cond, &exec->pending_lock, g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);
      g_mutex_unlock (&exec->pending_lock);
      if (g_cancellable_set_error_if_cancelled (op->cancellable, error))
        ok = FALSE;
      else if (op->deadline && g_get_monotonic_time () >= op->deadline)
        ok = _paddock_ssh_op_wait (op, 0, error);  /* says it ran out of time */
      g_mutex_lock (&exec->pending_lock);
    }
  g_mutex_unlock (&exec->pending_lock);

  return ok;
}

static void
append_bounded (GByteArray *buffer,
                const char *data,
                gssize      length,
                gsize       max,
                gboolean   *truncated)
{
  gsize room = buffer->len < max ? max - buffer->len : 0;

  if ((gsize) length > room)
    *truncated = TRUE;
  g_byte_array_append (buffer, (const guint8 *) data, MIN ((gsize) length, room));
}

/* Runs one command on a channel; either collects its output or streams it as lines. */
static PaddockSshResult *
run_command (GTask         *task,
             SshOp         *op,
             ExecData      *exec,
             GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) err = g_byte_array_new ();
  g_autoptr(PaddockLineSplitter) out_lines = NULL;
  g_autoptr(PaddockLineSplitter) err_lines = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PaddockSshResult) result = g_new0 (PaddockSshResult, 1);
  LIBSSH2_CHANNEL *channel;
  char buffer[SSH_READ_CHUNK];
  gsize stdin_length = 0, written = 0;
  const char *stdin_data = exec->stdin_bytes ? g_bytes_get_data (exec->stdin_bytes, &stdin_length) : NULL;
  gboolean eof_sent = FALSE;
  int dirs = 0, rc = 0;

  if (exec->line_func != NULL)
    {
      out_lines = paddock_line_splitter_new ();
      err_lines = paddock_line_splitter_new ();
    }

  if (!(channel = _paddock_ssh_op_open_channel (op, error)))
    return NULL;

  if (!_paddock_ssh_op_start (op, channel, NULL, 0, 0, exec->command, error))
    goto fail;

  for (;;)
    {
      gboolean progress = FALSE, eof = FALSE;
      ssize_t n;

      if (exec->line_func != NULL && !wait_for_consumer (op, exec, error))
        goto fail;

      /* Feed stdin as the channel window allows, interleaved with reading, so a command
       * that answers while it reads never deadlocks against us. */
      if (!eof_sent)
        {
          if (written < stdin_length)
            {
              SSH_LOCKED (op, dirs, n = libssh2_channel_write (channel, stdin_data + written,
                                                               MIN (stdin_length - written, SSH_READ_CHUNK)));
              if (n > 0)
                {
                  written += n;
                  progress = TRUE;
                }
              else if (n != LIBSSH2_ERROR_EAGAIN && n < 0)
                {
                  _paddock_ssh_op_fail (op, n, "Sending input", error);
                  goto fail;
                }
            }
          if (written >= stdin_length)
            {
              SSH_LOCKED (op, dirs, rc = libssh2_channel_send_eof (channel));
              if (rc == 0)
                eof_sent = TRUE;
              else if (rc != LIBSSH2_ERROR_EAGAIN)
                {
                  _paddock_ssh_op_fail (op, rc, "Closing the input", error);
                  goto fail;
                }
            }
        }

      for (int stream = 0; stream < 2; stream++)
        {
          /* A fast command never lets the channel run dry: read a bounded amount, then hand the
           * lines over and look at the caller again. */
          for (gsize chunk_bytes = 0; chunk_bytes < MAX_PENDING_BYTES / 4;)
            {
              SSH_LOCKED (op, dirs, n = libssh2_channel_read_ex (channel, stream, buffer, sizeof buffer));
              if (n <= 0)
                break;
              chunk_bytes += n;
              progress = TRUE;
              if (exec->line_func != NULL)
                {
                  LineSink sink = { pending, stream ? 'e' : 'o' };

                  paddock_line_splitter_feed (stream ? err_lines : out_lines, buffer, n, collect_line, &sink);
                }
              else if (stream == 0)
                append_bounded (out, buffer, n, op->self->max_output, &result->out_truncated);
              else
                append_bounded (err, buffer, n, op->self->max_output, &result->err_truncated);
            }
          if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
            {
              _paddock_ssh_op_fail (op, n, "Reading the output", error);
              goto fail;
            }
        }

      if (exec->line_func != NULL)
        flush_lines (exec, task, pending);

      SSH_LOCKED (op, dirs, eof = libssh2_channel_eof (channel));
      if (eof)
        break;
      if (!progress && !_paddock_ssh_op_wait (op, dirs, error))
        goto fail;
      if (progress && g_cancellable_set_error_if_cancelled (op->cancellable, error))
        goto fail;
    }

  if (exec->line_func != NULL)
    {
      LineSink out_sink = { pending, 'o' };
      LineSink err_sink = { pending, 'e' };

      paddock_line_splitter_finish (out_lines, collect_line, &out_sink);
      paddock_line_splitter_finish (err_lines, collect_line, &err_sink);
      flush_lines (exec, task, pending);
    }

  /* The exit status arrives with the close. */
  for (;;)
    {
      SSH_LOCKED (op, dirs, rc = libssh2_channel_close (channel));
      if (rc == 0)
        SSH_LOCKED (op, dirs, rc = libssh2_channel_wait_closed (channel));
      if (rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto fail;
    }

  {
    char *signal_name = NULL;
    size_t signal_length = 0;

    g_mutex_lock (&op->conn->lock);
    result->exit_status = libssh2_channel_get_exit_status (channel);
    libssh2_channel_get_exit_signal (channel, &signal_name, &signal_length, NULL, NULL, NULL, NULL);
    if (signal_name != NULL)
      {
        result->exit_signal = g_strndup (signal_name, signal_length);
        result->exit_status = -1;
        libssh2_free (op->conn->session, signal_name);
      }
    g_mutex_unlock (&op->conn->lock);
    _paddock_ssh_op_close_channel (op, channel, TRUE);
  }

  result->out = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  result->err = g_byte_array_free_to_bytes (g_steal_pointer (&err));
  return g_steal_pointer (&result);

fail:
  _paddock_ssh_op_close_channel (op, channel, FALSE);
  return NULL;
}

/* A command whose output is collected, within an operation already running (SFTP's rename). */
PaddockSshResult *
_paddock_ssh_op_run (SshOp       *op,
                     const char  *command,
                     GError     **error)
{
  ExecData exec = { .command = (char *) command };

  return run_command (NULL, op, &exec, error);
}

static void
exec_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ExecData *exec = task_data;
  g_autofree char *what = NULL;
  PaddockSshResult *result;
  GError *error = NULL;
  SshOp op;

  what = g_strdup_printf ("“%.60s%s”", exec->command, strlen (exec->command) > 60 ? "…" : "");
  if (!_paddock_ssh_op_begin (&op, source_object, cancellable, exec->timeout_ms, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  result = run_command (task, &op, exec, &error);
  _paddock_ssh_op_end (&op);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) paddock_ssh_result_free);
}

PaddockSshResult *
_paddock_ssh_session_exec_sync (PaddockSshSession  *self,
                                const char         *command,
                                GBytes             *stdin_bytes,
                                guint               timeout_ms,
                                GCancellable       *cancellable,
                                GError            **error)
{
  ExecData exec = { .command = (char *) command, .stdin_bytes = stdin_bytes, .timeout_ms = timeout_ms };
  g_autofree char *what = g_strdup_printf ("“%.60s%s”", command, strlen (command) > 60 ? "…" : "");
  PaddockSshResult *result;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, self, cancellable, timeout_ms, what, error))
    return NULL;

  result = run_command (NULL, &op, &exec, error);
  _paddock_ssh_op_end (&op);

  return result;
}

static GTask *
exec_task_new (PaddockSshSession   *self,
               gpointer             source_tag,
               const char          *command,
               GBytes              *stdin_bytes,
               guint                timeout_ms,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ExecData *exec = g_new0 (ExecData, 1);

  g_mutex_init (&exec->pending_lock);
  g_cond_init (&exec->pending_cond);
  exec->command = g_strdup (command);
  exec->stdin_bytes = stdin_bytes ? g_bytes_ref (stdin_bytes) : NULL;
  exec->timeout_ms = timeout_ms;
  exec->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, exec, exec_data_free);

  return task;
}

/**
 * paddock_ssh_session_exec_async:
 * @command: a command line for the node's shell; build it with paddock_shell_join()
 * @stdin_bytes: (nullable): sent to the command, then end of input
 *
 * Runs @command on the node and collects its exit status and output (up to max-output
 * bytes per stream; the rest is read and dropped, and the result says so).
 */
void
paddock_ssh_session_exec_async (PaddockSshSession   *self,
                                const char          *command,
                                GBytes              *stdin_bytes,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (command != NULL);

  task = exec_task_new (self, paddock_ssh_session_exec_async, command, stdin_bytes, timeout_ms,
                        cancellable, callback, user_data);
  g_task_run_in_thread (task, exec_thread);
}

PaddockSshResult *
paddock_ssh_session_exec_finish (PaddockSshSession  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * paddock_ssh_session_exec_streaming_async:
 * @line_func: called on the caller's main context for every complete line, in order, before
 *   @callback
 *
 * Runs @command and delivers its output line by line as it arrives: partial lines wait for
 * their end, "\r\n" counts as a line end, invalid UTF-8 is replaced, and a last line
 * without a newline is delivered too.
 */
void
paddock_ssh_session_exec_streaming_async (PaddockSshSession   *self,
                                          const char          *command,
                                          GBytes              *stdin_bytes,
                                          guint                timeout_ms,
                                          PaddockSshLineFunc   line_func,
                                          gpointer             line_data,
                                          GDestroyNotify       line_data_destroy,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExecData *exec;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (line_func != NULL);

  task = exec_task_new (self, paddock_ssh_session_exec_streaming_async, command, stdin_bytes, timeout_ms,
                        cancellable, callback, user_data);
  exec = g_task_get_task_data (task);
  exec->line_func = line_func;
  exec->line_data = line_data;
  exec->line_data_destroy = line_data_destroy;
  g_task_run_in_thread (task, exec_thread);
}

gboolean
paddock_ssh_session_exec_streaming_finish (PaddockSshSession  *self,
                                           GAsyncResult       *result,
                                           int                *exit_status,
                                           GError            **error)
{
  g_autoptr(PaddockSshResult) ssh_result = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(ssh_result = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;
  if (exit_status != NULL)
    *exit_status = ssh_result->exit_status;

  return TRUE;
}
