/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pct.c: Proxmox's pct on a node, over its SSH session: exec, push, status, enter */

#include "config.h"

#include <string.h>

#include "paddock-pct.h"
#include "paddock-shell.h"
#include "paddock-ssh-private.h"
#include "paddock-template.h"

/* pct itself answers quickly; only the commands it runs may take long. */
#define PCT_TIMEOUT_MS 60000

struct _PaddockPct
{
  GObject            parent_instance;
  PaddockSshSession *session;
  char              *node;
};

G_DEFINE_FINAL_TYPE (PaddockPct, paddock_pct, G_TYPE_OBJECT)

static void
paddock_pct_finalize (GObject *object)
{
  PaddockPct *self = PADDOCK_PCT (object);

  g_clear_object (&self->session);
  g_free (self->node);

  G_OBJECT_CLASS (paddock_pct_parent_class)->finalize (object);
}

static void
paddock_pct_class_init (PaddockPctClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = paddock_pct_finalize;
}

static void
paddock_pct_init (PaddockPct *self)
{
}

PaddockPct *
paddock_pct_new (PaddockSshSession *session,
                 const char        *node)
{
  PaddockPct *self;

  g_return_val_if_fail (PADDOCK_IS_SSH_SESSION (session), NULL);

  self = g_object_new (PADDOCK_TYPE_PCT, NULL);
  self->session = g_object_ref (session);
  self->node = g_strdup (node ? node : paddock_ssh_session_get_host (session));

  return self;
}

PaddockSshSession *
paddock_pct_get_session (PaddockPct *self)
{
  g_return_val_if_fail (PADDOCK_IS_PCT (self), NULL);

  return self->session;
}

/* A user or group as useradd(8) accepts it, or a number. */
gboolean
paddock_check_account_name (const char  *name,
                            GError     **error)
{
  gsize length = name ? strlen (name) : 0;
  gboolean ok = length > 0 && length <= 32;

  if (ok && strspn (name, "0123456789") == length)
    return TRUE;

  ok = ok && (g_ascii_islower (name[0]) || name[0] == '_');
  for (gsize i = 1; ok && i < length; i++)
    ok = g_ascii_islower (name[i]) || g_ascii_isdigit (name[i]) || name[i] == '_' || name[i] == '-'
         || (name[i] == '$' && i == length - 1);

  if (!ok)
    g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID, "“%s” is not a user or group name",
                 name ? name : "");
  return ok;
}

/* An error that names the node, the container and the command, with pct's own words. */
static void
set_command_error (GError                 **error,
                   PaddockPct              *self,
                   guint                    vmid,
                   const char              *what,
                   const PaddockSshResult  *result)
{
  g_autofree char *stderr_text = paddock_ssh_result_dup_err_text (result);
  g_autofree char *stdout_text = NULL;
  const char *reason = g_strstrip (stderr_text);

  if (reason[0] == '\0')
    {
      stdout_text = paddock_ssh_result_dup_out_text (result);
      reason = g_strstrip (stdout_text);
    }

  g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_COMMAND, "%s for CT %u on %s failed (exit %d)%s%s",
               what, vmid, self->node, result->exit_status, reason[0] ? ": " : "", reason);
}

typedef struct
{
  guint   vmid;
  char   *script;
  GBytes *stdin_bytes;
  guint   timeout_ms;
  char   *destination;
  GBytes *content;
  guint   mode;
  char   *user;
  char   *group;
} PctData;

static void
pct_data_free (gpointer data)
{
  PctData *pct = data;

  g_free (pct->script);
  g_clear_pointer (&pct->stdin_bytes, g_bytes_unref);
  g_free (pct->destination);
  g_clear_pointer (&pct->content, g_bytes_unref);
  g_free (pct->user);
  g_free (pct->group);
  g_free (pct);
}

/* exec */

static void
exec_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PaddockSshResult *ssh_result = paddock_ssh_session_exec_finish (PADDOCK_SSH_SESSION (source), result, &error);

  if (ssh_result == NULL)
    {
      PaddockPct *self = g_task_get_source_object (task);
      PctData *pct = g_task_get_task_data (task);

      g_prefix_error (&error, "CT %u on %s: ", pct->vmid, self->node);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, ssh_result, (GDestroyNotify) paddock_ssh_result_free);
}

void
paddock_pct_exec_async (PaddockPct          *self,
                        guint                vmid,
                        const char          *script,
                        GBytes              *stdin_bytes,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *command = NULL;
  GError *error = NULL;
  PctData *pct;

  g_return_if_fail (PADDOCK_IS_PCT (self));
  g_return_if_fail (script != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_pct_exec_async);
  pct = g_new0 (PctData, 1);
  pct->vmid = vmid;
  g_task_set_task_data (task, pct, pct_data_free);

  if (!(command = paddock_shell_pct_exec (vmid, script, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  paddock_ssh_session_exec_async (self->session, command, stdin_bytes, timeout_ms, cancellable,
                                  exec_done, g_steal_pointer (&task));
}

PaddockSshResult *
paddock_pct_exec_finish (PaddockPct    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
exec_streaming_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  int exit_status = -1;

  if (!paddock_ssh_session_exec_streaming_finish (PADDOCK_SSH_SESSION (source), result, &exit_status, &error))
    {
      PaddockPct *self = g_task_get_source_object (task);
      PctData *pct = g_task_get_task_data (task);

      g_prefix_error (&error, "CT %u on %s: ", pct->vmid, self->node);
      g_task_return_error (task, error);
    }
  else
    g_task_return_int (task, exit_status);
}

void
paddock_pct_exec_streaming_async (PaddockPct          *self,
                                  guint                vmid,
                                  const char          *script,
                                  guint                timeout_ms,
                                  PaddockSshLineFunc   line_func,
                                  gpointer             line_data,
                                  GDestroyNotify       line_data_destroy,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *command = NULL;
  GError *error = NULL;
  PctData *pct;

  g_return_if_fail (PADDOCK_IS_PCT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_pct_exec_streaming_async);
  pct = g_new0 (PctData, 1);
  pct->vmid = vmid;
  g_task_set_task_data (task, pct, pct_data_free);

  if (!(command = paddock_shell_pct_exec (vmid, script, &error)))
    {
      if (line_data_destroy)
        line_data_destroy (line_data);
      g_task_return_error (task, error);
      return;
    }

  paddock_ssh_session_exec_streaming_async (self->session, command, NULL, timeout_ms, line_func, line_data,
                                            line_data_destroy, cancellable, exec_streaming_done,
                                            g_steal_pointer (&task));
}

gboolean
paddock_pct_exec_streaming_finish (PaddockPct    *self,
                                   GAsyncResult  *result,
                                   int           *exit_status,
                                   GError       **error)
{
  GError *local_error = NULL;
  gssize status;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  status = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (exit_status != NULL)
    *exit_status = status;

  return TRUE;
}

/* push */

static gboolean
run_checked (PaddockPct    *self,
             guint          vmid,
             const char    *what,
             const char    *command,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(PaddockSshResult) result = NULL;

  if (!(result = _paddock_ssh_session_exec_sync (self->session, command, NULL, PCT_TIMEOUT_MS, cancellable, error)))
    {
      g_prefix_error (error, "%s for CT %u on %s: ", what, vmid, self->node);
      return FALSE;
    }
  if (result->exit_status != 0)
    {
      set_command_error (error, self, vmid, what, result);
      return FALSE;
    }

  return TRUE;
}

static void
push_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PaddockPct *self = source_object;
  PctData *pct = task_data;
  g_autofree char *id = g_strdup_printf ("%u", pct->vmid);
  g_autofree char *temporary = g_strdup_printf ("/tmp/.paddock-push-%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *parent = g_path_get_dirname (pct->destination);
  g_autofree char *perms = g_strdup_printf ("%04o", pct->mode);
  g_autofree char *mkdir_script = NULL;
  g_autofree char *mkdir_command = NULL;
  g_autofree char *push_command = NULL;
  g_autofree char *remove_command = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *remove_argv[] = { "rm", "-f", "--", temporary, NULL };
  const char *mkdir_argv[] = { "mkdir", "-p", "--", parent, NULL };
  GError *error = NULL;
  gboolean ok;

  g_ptr_array_add (argv, (gpointer) "pct");
  g_ptr_array_add (argv, (gpointer) "push");
  g_ptr_array_add (argv, id);
  g_ptr_array_add (argv, temporary);
  g_ptr_array_add (argv, pct->destination);
  g_ptr_array_add (argv, (gpointer) "--perms");
  g_ptr_array_add (argv, perms);
  if (pct->user)
    {
      g_ptr_array_add (argv, (gpointer) "--user");
      g_ptr_array_add (argv, pct->user);
    }
  if (pct->group)
    {
      g_ptr_array_add (argv, (gpointer) "--group");
      g_ptr_array_add (argv, pct->group);
    }
  g_ptr_array_add (argv, NULL);

  /* Every word quoted: for the node's shell, and the directory again for the container's. */
  if (!(mkdir_script = paddock_shell_join (mkdir_argv, &error))
      || !(mkdir_command = paddock_shell_pct_exec (pct->vmid, mkdir_script, &error))
      || !(push_command = paddock_shell_join ((const char * const *) argv->pdata, &error))
      || !(remove_command = paddock_shell_join (remove_argv, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!_paddock_ssh_session_upload_sync (self->session, temporary, pct->content, 0600, cancellable, &error))
    {
      g_prefix_error (&error, "Copying to %s for CT %u: ", self->node, pct->vmid);
      g_task_return_error (task, error);
      return;
    }

  ok = run_checked (self, pct->vmid, "Creating the directory", mkdir_command, cancellable, &error)
       && run_checked (self, pct->vmid, "pct push", push_command, cancellable, &error);

  /* The temporary copy goes in every case, even after a cancel. */
  {
    g_autoptr(PaddockSshResult) removed = _paddock_ssh_session_exec_sync (self->session, remove_command, NULL,
                                                                           PCT_TIMEOUT_MS, NULL, NULL);
    (void) removed;
  }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
paddock_pct_push_async (PaddockPct          *self,
                        guint                vmid,
                        const char          *destination,
                        GBytes              *content,
                        guint                mode,
                        const char          *user,
                        const char          *group,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *base = NULL;
  GError *error = NULL;
  PctData *pct;

  g_return_if_fail (PADDOCK_IS_PCT (self));
  g_return_if_fail (destination != NULL && content != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_pct_push_async);

  if (!(normal = paddock_normalize_target_dir (destination, &error))
      || (base = g_path_get_basename (normal), g_str_equal (normal, "/"))
      || (user != NULL && !paddock_check_account_name (user, &error))
      || (group != NULL && !paddock_check_account_name (group, &error))
      || !paddock_shell_check_argument (normal, -1, &error))
    {
      if (error == NULL)
        g_set_error (&error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID, "“%s” is not a file path", destination);
      g_prefix_error (&error, "Pushing to CT %u: ", vmid);
      g_task_return_error (task, error);
      return;
    }
  if (mode > 07777)
    {
      g_task_return_new_error (task, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID, "%o is not a file mode", mode);
      return;
    }

  pct = g_new0 (PctData, 1);
  pct->vmid = vmid;
  pct->destination = g_steal_pointer (&normal);
  pct->content = g_bytes_ref (content);
  pct->mode = mode;
  pct->user = g_strdup (user);
  pct->group = g_strdup (group);
  g_task_set_task_data (task, pct, pct_data_free);
  g_task_run_in_thread (task, push_thread);
}

gboolean
paddock_pct_push_finish (PaddockPct    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* status */

static void
status_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockPct *self = g_task_get_source_object (task);
  PctData *pct = g_task_get_task_data (task);
  g_autoptr(PaddockSshResult) ssh_result = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;
  char *status;

  if (!(ssh_result = paddock_ssh_session_exec_finish (PADDOCK_SSH_SESSION (source), result, &error)))
    {
      g_prefix_error (&error, "pct status for CT %u on %s: ", pct->vmid, self->node);
      g_task_return_error (task, error);
      return;
    }
  if (ssh_result->exit_status != 0)
    {
      set_command_error (&error, self, pct->vmid, "pct status", ssh_result);
      g_task_return_error (task, error);
      return;
    }

  text = paddock_ssh_result_dup_out_text (ssh_result);
  if (!(status = strstr (text, "status:")))
    {
      g_task_return_new_error (task, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_COMMAND,
                               "pct status for CT %u on %s said “%s”, not “status: …”", pct->vmid, self->node,
                               g_strstrip (text));
      return;
    }

  status = g_strstrip (status + strlen ("status:"));
  g_task_return_pointer (task, g_strndup (status, strcspn (status, "\n")), g_free);
}

void
paddock_pct_status_async (PaddockPct          *self,
                          guint                vmid,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *id = g_strdup_printf ("%u", vmid);
  const char *argv[] = { "pct", "status", id, NULL };
  g_autofree char *command = paddock_shell_join (argv, NULL);
  PctData *pct;

  g_return_if_fail (PADDOCK_IS_PCT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_pct_status_async);
  pct = g_new0 (PctData, 1);
  pct->vmid = vmid;
  g_task_set_task_data (task, pct, pct_data_free);

  paddock_ssh_session_exec_async (self->session, command, NULL, PCT_TIMEOUT_MS, cancellable, status_done,
                                  g_steal_pointer (&task));
}

char *
paddock_pct_status_finish (PaddockPct    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* enter */

static void
enter_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PaddockSshPty *pty = paddock_ssh_session_open_pty_finish (PADDOCK_SSH_SESSION (source), result, &error);

  if (pty == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pty, g_object_unref);
}

void
paddock_pct_enter_async (PaddockPct          *self,
                         guint                vmid,
                         guint                columns,
                         guint                rows,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *id = g_strdup_printf ("%u", vmid);
  const char *argv[] = { "pct", "enter", id, NULL };
  g_autofree char *command = paddock_shell_join (argv, NULL);

  g_return_if_fail (PADDOCK_IS_PCT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_pct_enter_async);
  paddock_ssh_session_open_pty_async (self->session, command, "xterm-256color", columns, rows, cancellable,
                                      enter_done, g_steal_pointer (&task));
}

PaddockSshPty *
paddock_pct_enter_finish (PaddockPct    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
