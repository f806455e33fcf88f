/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-sftp.c: files to and from a node over SFTP, written beside the target and renamed */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include <glib/gstdio.h>

#include "paddock-shell.h"
#include "paddock-ssh-private.h"

/* SFTP */

typedef struct
{
  char   *path;
  GBytes *content;
  guint   mode;
} TransferData;

static void
transfer_data_free (gpointer data)
{
  TransferData *transfer = data;

  g_free (transfer->path);
  g_clear_pointer (&transfer->content, g_bytes_unref);
  g_free (transfer);
}

static LIBSSH2_SFTP *
sftp_start (SshOp   *op,
            GError **error)
{
  LIBSSH2_SFTP *sftp = NULL;
  int dirs = 0, rc = 0;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      gboolean waited = TRUE;

      /* Its state is the session's too: one at a time, like opening a channel. */
      g_mutex_lock (&op->conn->open_lock);
      for (;;)
        {
          SSH_LOCKED (op, dirs, {
            sftp = libssh2_sftp_init (op->conn->session);
            rc = sftp ? 0 : libssh2_session_last_errno (op->conn->session);
          });
          if (sftp != NULL || rc != LIBSSH2_ERROR_EAGAIN || !(waited = _paddock_ssh_op_wait (op, dirs, error)))
            break;
        }
      g_mutex_unlock (&op->conn->open_lock);
      if (!waited)
        return NULL;
      if (sftp != NULL)
        return sftp;

      if (attempt == 0 && _paddock_ssh_is_connection_error (rc))
        {
          if (!_paddock_ssh_op_reconnect (op, error))
            return NULL;
          continue;
        }
      break;
    }

  _paddock_ssh_op_fail (op, rc, "Starting SFTP", error);
  return NULL;
}

static void
sftp_stop (SshOp        *op,
           LIBSSH2_SFTP *sftp)
{
  int rc = 0;

  SSH_RETRY_BRIEFLY (op, 100, rc, libssh2_sftp_shutdown (sftp));
}

static gboolean
sftp_fail (SshOp         *op,
           LIBSSH2_SFTP  *sftp,
           int            rc,
           const char    *action,
           const char    *path,
           GError       **error)
{
  g_autofree char *who = _paddock_ssh_node_name (op->self);

  if (rc == LIBSSH2_ERROR_SFTP_PROTOCOL)
    {
      static const char *reasons[] = {
        "ok", "end of file", "no such file", "permission denied", "failure", "bad message",
        "no connection", "connection lost", "operation unsupported",
      };
      unsigned long code;

      g_mutex_lock (&op->conn->lock);
      code = libssh2_sftp_last_error (sftp);
      g_mutex_unlock (&op->conn->lock);
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_SFTP, "%s %s on %s: %s", action, path, who,
                   code < G_N_ELEMENTS (reasons) ? reasons[code] : "failure");
      return FALSE;
    }

  return _paddock_ssh_op_fail (op, rc, action, error);
}

static gboolean
sftp_unlink (SshOp        *op,
             LIBSSH2_SFTP *sftp,
             const char   *path)
{
  int rc = 0;

  SSH_RETRY_BRIEFLY (op, 200, rc, libssh2_sftp_unlink_ex (sftp, path, strlen (path)));

  return rc == 0;
}

static gboolean
upload (SshOp         *op,
        TransferData  *transfer,
        GError       **error)
{
  g_autofree char *temporary = NULL;
  g_autofree char *dir = g_path_get_dirname (transfer->path);
  g_autofree char *base = g_path_get_basename (transfer->path);
  LIBSSH2_SFTP *sftp;
  LIBSSH2_SFTP_HANDLE *handle = NULL;
  LIBSSH2_SFTP_ATTRIBUTES attributes = { 0 };
  gsize length = 0, written = 0;
  const char *data = g_bytes_get_data (transfer->content, &length);
  gboolean ok = FALSE;
  int dirs = 0, rc = 0;

  if (!(sftp = sftp_start (op, error)))
    return FALSE;

  /* Beside the target, so the rename stays on one file system and is atomic. */
  temporary = g_strdup_printf ("%s/.%s.paddock-%08x", dir, base, g_random_int ());

  for (;;)
    {
      SSH_LOCKED (op, dirs, {
        handle = libssh2_sftp_open_ex (sftp, temporary, strlen (temporary),
                                       LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL,
                                       transfer->mode & 0777, LIBSSH2_SFTP_OPENFILE);
        rc = handle ? 0 : libssh2_session_last_errno (op->conn->session);
      });
      if (handle != NULL || rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto out;
    }
  if (handle == NULL)
    {
      sftp_fail (op, sftp, rc, "Creating", temporary, error);
      goto out;
    }

  while (written < length)
    {
      ssize_t n;

      SSH_LOCKED (op, dirs, n = libssh2_sftp_write (handle, data + written, MIN (length - written, SSH_READ_CHUNK)));
      if (n > 0)
        written += n;
      else if (n == LIBSSH2_ERROR_EAGAIN)
        {
          if (!_paddock_ssh_op_wait (op, dirs, error))
            goto out;
        }
      else
        {
          sftp_fail (op, sftp, n, "Writing", temporary, error);
          goto out;
        }
    }

  for (;;)
    {
      SSH_LOCKED (op, dirs, rc = libssh2_sftp_close_handle (handle));
      if (rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto out;
    }
  handle = NULL;
  if (rc != 0)
    {
      sftp_fail (op, sftp, rc, "Closing", temporary, error);
      goto out;
    }

  /* The mode exactly as asked, whatever the server's umask did at open. */
  attributes.flags = LIBSSH2_SFTP_ATTR_PERMISSIONS;
  attributes.permissions = transfer->mode & 07777;
  for (;;)
    {
      SSH_LOCKED (op, dirs, rc = libssh2_sftp_stat_ex (sftp, temporary, strlen (temporary),
                                                         LIBSSH2_SFTP_SETSTAT, &attributes));
      if (rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto out;
    }
  if (rc != 0)
    {
      sftp_fail (op, sftp, rc, "Setting the mode of", temporary, error);
      goto out;
    }

  /* SFTP v3 renames refuse an existing target; POSIX rename(2) through mv replaces it in one step. */
  {
    const char *argv[] = { "mv", "-f", "--", temporary, transfer->path, NULL };
    g_autofree char *command = paddock_shell_join (argv, error);
    g_autoptr(PaddockSshResult) result = NULL;

    if (command == NULL || !(result = _paddock_ssh_op_run (op, command, error)))
      goto out;
    if (result->exit_status != 0)
      {
        g_autofree char *stderr_text = paddock_ssh_result_dup_err_text (result);
        g_autofree char *who = _paddock_ssh_node_name (op->self);

        g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_SFTP, "Could not put %s in place on %s: %s",
                     transfer->path, who, g_strstrip (stderr_text));
        goto out;
      }
  }

  ok = TRUE;

out:
  if (handle != NULL)
    SSH_RETRY_BRIEFLY (op, 100, rc, libssh2_sftp_close_handle (handle));
  if (!ok && !g_atomic_int_get (&op->conn->broken))
    sftp_unlink (op, sftp, temporary);
  sftp_stop (op, sftp);
  return ok;
}

gboolean
_paddock_ssh_session_upload_sync (PaddockSshSession  *self,
                                  const char         *path,
                                  GBytes             *content,
                                  guint               mode,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  TransferData transfer = { .path = (char *) path, .content = content, .mode = mode };
  g_autofree char *what = g_strdup_printf ("the upload of %s", path);
  gboolean ok;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, self, cancellable, 0, what, error))
    return FALSE;

  ok = upload (&op, &transfer, error);
  _paddock_ssh_op_end (&op);

  return ok;
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TransferData *transfer = task_data;
  g_autofree char *what = g_strdup_printf ("the upload of %s", transfer->path);
  GError *error = NULL;
  gboolean ok;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, source_object, cancellable, 0, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  ok = upload (&op, transfer, &error);
  _paddock_ssh_op_end (&op);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
paddock_ssh_session_upload_async (PaddockSshSession   *self,
                                  const char          *path,
                                  GBytes              *content,
                                  guint                mode,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TransferData *transfer;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (path != NULL && content != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_ssh_session_upload_async);

  if (path[0] != '/' || strstr (path, "/../") != NULL || g_str_has_suffix (path, "/..")
      || !paddock_shell_check_argument (path, -1, NULL))
    {
      g_task_return_new_error (task, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID,
                               "“%s” is not an absolute path without “..”", path);
      return;
    }

  transfer = g_new0 (TransferData, 1);
  transfer->path = g_strdup (path);
  transfer->content = g_bytes_ref (content);
  transfer->mode = mode;
  g_task_set_task_data (task, transfer, transfer_data_free);
  g_task_run_in_thread (task, upload_thread);
}

gboolean
paddock_ssh_session_upload_finish (PaddockSshSession  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GBytes *
download (SshOp         *op,
          TransferData  *transfer,
          GError       **error)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  LIBSSH2_SFTP *sftp;
  LIBSSH2_SFTP_HANDLE *handle = NULL;
  char buffer[SSH_READ_CHUNK];
  GBytes *bytes = NULL;
  int dirs = 0, rc = 0;

  if (!(sftp = sftp_start (op, error)))
    return NULL;

  for (;;)
    {
      SSH_LOCKED (op, dirs, {
        handle = libssh2_sftp_open_ex (sftp, transfer->path, strlen (transfer->path), LIBSSH2_FXF_READ, 0,
                                       LIBSSH2_SFTP_OPENFILE);
        rc = handle ? 0 : libssh2_session_last_errno (op->conn->session);
      });
      if (handle != NULL || rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto out;
    }
  if (handle == NULL)
    {
      sftp_fail (op, sftp, rc, "Opening", transfer->path, error);
      goto out;
    }

  for (;;)
    {
      ssize_t n;

      SSH_LOCKED (op, dirs, n = libssh2_sftp_read (handle, buffer, sizeof buffer));
      if (n == 0)
        break;
      if (n == LIBSSH2_ERROR_EAGAIN)
        {
          if (!_paddock_ssh_op_wait (op, dirs, error))
            goto out;
          continue;
        }
      if (n < 0)
        {
          sftp_fail (op, sftp, n, "Reading", transfer->path, error);
          goto out;
        }
      if (content->len + n > op->self->max_output)
        {
          g_autofree char *who = _paddock_ssh_node_name (op->self);

          g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_SFTP, "%s on %s is larger than %" G_GSIZE_FORMAT " bytes",
                       transfer->path, who, op->self->max_output);
          goto out;
        }
      g_byte_array_append (content, (const guint8 *) buffer, n);
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&content));

out:
  if (handle != NULL)
    SSH_RETRY_BRIEFLY (op, 100, rc, libssh2_sftp_close_handle (handle));
  sftp_stop (op, sftp);
  return bytes;
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  TransferData *transfer = task_data;
  g_autofree char *what = g_strdup_printf ("the download of %s", transfer->path);
  GError *error = NULL;
  GBytes *bytes;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, source_object, cancellable, 0, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  bytes = download (&op, transfer, &error);
  _paddock_ssh_op_end (&op);

  if (bytes != NULL)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

void
paddock_ssh_session_download_async (PaddockSshSession   *self,
                                    const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TransferData *transfer;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_ssh_session_download_async);
  transfer = g_new0 (TransferData, 1);
  transfer->path = g_strdup (path);
  g_task_set_task_data (task, transfer, transfer_data_free);
  g_task_run_in_thread (task, download_thread);
}

GBytes *
paddock_ssh_session_download_finish (PaddockSshSession  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
