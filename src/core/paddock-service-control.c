/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-service-control.c: acting on a container's services and reading their journal */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "paddock-service-control.h"

/* systemctl start waits for the unit; a slow one may take its TimeoutStartSec (90 s). */
#define ACTION_TIMEOUT_MS 120000
#define LOGS_TIMEOUT_MS   30000

static const char *action_names[] = { "start", "stop", "restart" };

const char *
paddock_service_action_to_string (PaddockServiceAction action)
{
  g_return_val_if_fail (action < G_N_ELEMENTS (action_names), NULL);
  return action_names[action];
}

gboolean
paddock_service_action_from_string (const char           *str,
                                    PaddockServiceAction *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (g_strcmp0 (str, action_names[i]) == 0)
      {
        *action = i;
        return TRUE;
      }

  return FALSE;
}

char *
paddock_normalize_unit_name (const char  *unit,
                             GError     **error)
{
  gsize length = unit ? strlen (unit) : 0;

  if (length == 0 || length > 256 ||
      strspn (unit, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@._:-") != length ||
      unit[0] == '-' || unit[0] == '.')
    {
      g_autofree char *shown = g_utf8_make_valid (unit ? unit : "", MIN (length, 64));

      g_set_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_INVALID_UNIT,
                   _("“%s” is not a unit name (letters, digits and @ . _ : - only, at most 256)"), shown);
      return NULL;
    }

  if (strchr (unit, '.') == NULL || g_str_has_suffix (unit, "@"))
    return g_strconcat (unit, ".service", NULL);

  return g_strdup (unit);
}

gboolean
paddock_journal_line_is_note (const char *line)
{
  return g_str_has_prefix (line, "-- ") && (g_str_has_suffix (line, " --") || strstr (line, "begin") != NULL ||
                                            strstr (line, "No entries") != NULL);
}

typedef struct
{
  guint                vmid;
  char                *unit;
  PaddockServiceAction action;
} ControlData;

static void
control_data_free (ControlData *data)
{
  g_free (data->unit);
  g_free (data);
}

static GTask *
control_task_new (PaddockPct          *pct,
                  guint                vmid,
                  const char          *unit,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  char               **quoted_unit)
{
  GTask *task = g_task_new (pct, cancellable, callback, user_data);
  ControlData *data = g_new0 (ControlData, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) control_data_free);
  data->vmid = vmid;
  data->unit = paddock_normalize_unit_name (unit, &error);
  if (data->unit == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return NULL;
    }

  *quoted_unit = g_shell_quote (data->unit);
  return task;
}

/* What failed, in the words of the command that failed. */
static GError *
command_error (const char             *what,
               guint                   vmid,
               const PaddockSshResult *result)
{
  g_autofree char *err = paddock_ssh_result_dup_err_text (result);
  g_autofree char *out = NULL;
  const char *reason = g_strstrip (err);

  if (*reason == '\0')
    {
      out = paddock_ssh_result_dup_out_text (result);
      reason = g_strstrip (out);
    }

  return g_error_new (PADDOCK_PROBE_ERROR,
                      g_str_has_suffix (reason, "not running") ? PADDOCK_PROBE_ERROR_NOT_RUNNING
                                                               : PADDOCK_PROBE_ERROR_COMMAND,
                      _("%s in CT %u failed (exit %d)%s%s"), what, vmid, result->exit_status,
                      *reason ? ": " : "", reason);
}

static void
on_action_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ControlData *data = g_task_get_task_data (task);
  g_autoptr(PaddockSshResult) result = NULL;
  GError *error = NULL;

  if (!(result = paddock_pct_exec_finish (PADDOCK_PCT (source), res, &error)))
    g_task_return_error (task, error);
  else if (result->exit_status != 0)
    {
      g_autofree char *what = g_strdup_printf ("systemctl %s %s", action_names[data->action], data->unit);

      g_task_return_error (task, command_error (what, data->vmid, result));
    }
  else
    g_task_return_boolean (task, TRUE);
}

void
paddock_service_action_async (PaddockPct           *pct,
                              guint                 vmid,
                              const char           *unit,
                              PaddockServiceAction  action,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autofree char *quoted = NULL;
  g_autofree char *script = NULL;
  GTask *task;

  g_return_if_fail (PADDOCK_IS_PCT (pct));
  g_return_if_fail (action < G_N_ELEMENTS (action_names));

  if (!(task = control_task_new (pct, vmid, unit, paddock_service_action_async, cancellable, callback,
                                 user_data, &quoted)))
    return;

  ((ControlData *) g_task_get_task_data (task))->action = action;
  script = g_strdup_printf ("exec systemctl %s -- %s", action_names[action], quoted);
  paddock_pct_exec_async (pct, vmid, script, NULL, ACTION_TIMEOUT_MS, cancellable, on_action_done, task);
}

gboolean
paddock_service_action_finish (PaddockPct    *pct,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pct), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Logs */

static char *
journal_script (const char *quoted_unit,
                guint       lines,
                gboolean    follow)
{
  /* journalctl pages and colours for a terminal only; LC_ALL=C keeps its notes in English. */
  return g_strdup_printf ("export LC_ALL=C SYSTEMD_COLORS=0; command -v journalctl >/dev/null 2>&1 || "
                          "{ echo 'journalctl is not installed in this container (no systemd journal)' >&2; "
                          "exit 127; }; exec journalctl --no-pager -o short-iso -n %u%s -u %s",
                          lines, follow ? " -f" : "", quoted_unit);
}

static void
on_logs_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ControlData *data = g_task_get_task_data (task);
  g_autoptr(PaddockSshResult) result = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GError *error = NULL;

  if (!(result = paddock_pct_exec_finish (PADDOCK_PCT (source), res, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (result->exit_status != 0)
    {
      g_autofree char *what = g_strdup_printf ("journalctl -u %s", data->unit);

      g_task_return_error (task, command_error (what, data->vmid, result));
      return;
    }

  out = paddock_ssh_result_dup_out_text (result);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_utf8_make_valid (lines[i], -1);

      g_strchomp (line);
      if (*line != '\0' && !paddock_journal_line_is_note (line))
        g_strv_builder_add (builder, line);
    }

  g_task_return_pointer (task, g_strv_builder_end (builder), (GDestroyNotify) g_strfreev);
}

void
paddock_service_logs_async (PaddockPct          *pct,
                            guint                vmid,
                            const char          *unit,
                            guint                lines,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *quoted = NULL;
  g_autofree char *script = NULL;
  GTask *task;

  g_return_if_fail (PADDOCK_IS_PCT (pct));

  if (!(task = control_task_new (pct, vmid, unit, paddock_service_logs_async, cancellable, callback,
                                 user_data, &quoted)))
    return;

  script = journal_script (quoted, CLAMP (lines, 1, 100000), FALSE);
  paddock_pct_exec_async (pct, vmid, script, NULL, LOGS_TIMEOUT_MS, cancellable, on_logs_done, task);
}

GStrv
paddock_service_logs_finish (PaddockPct    *pct,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pct), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Follow */

typedef struct
{
  PaddockSshLineFunc line_func;
  gpointer           line_data;
  GDestroyNotify     line_data_destroy;
  GString           *errors;
} FollowLines;

static void
follow_lines_free (FollowLines *lines)
{
  if (lines->line_data_destroy != NULL)
    lines->line_data_destroy (lines->line_data);
  g_string_free (lines->errors, TRUE);
  g_free (lines);
}

static void
on_follow_line (PaddockSshStream  stream,
                const char       *line,
                gpointer          user_data)
{
  FollowLines *lines = user_data;

  if (stream == PADDOCK_SSH_STDERR)
    {
      if (lines->errors->len < 4096)
        g_string_append_printf (lines->errors, "%s%s", lines->errors->len ? "\n" : "", line);
      return;
    }
  if (!paddock_journal_line_is_note (line))
    lines->line_func (stream, line, lines->line_data);
}

static void
on_follow_done (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ControlData *data = g_task_get_task_data (task);
  FollowLines *lines = g_object_get_data (G_OBJECT (task), "lines");
  GError *error = NULL;
  int exit_status = 0;

  if (!paddock_pct_exec_streaming_finish (PADDOCK_PCT (source), res, &exit_status, &error))
    g_task_return_error (task, error);
  else if (exit_status != 0)
    g_task_return_new_error (task, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_COMMAND,
                             _("journalctl -u %s in CT %u failed (exit %d)%s%s"), data->unit, data->vmid,
                             exit_status, lines && lines->errors->len ? ": " : "",
                             lines ? lines->errors->str : "");
  else
    g_task_return_boolean (task, TRUE);
}

void
paddock_service_follow_async (PaddockPct          *pct,
                              guint                vmid,
                              const char          *unit,
                              guint                lines,
                              PaddockSshLineFunc   line_func,
                              gpointer             line_data,
                              GDestroyNotify       line_data_destroy,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *quoted = NULL;
  g_autofree char *script = NULL;
  FollowLines *follow;
  GTask *task;

  g_return_if_fail (PADDOCK_IS_PCT (pct));
  g_return_if_fail (line_func != NULL);

  if (!(task = control_task_new (pct, vmid, unit, paddock_service_follow_async, cancellable, callback,
                                 user_data, &quoted)))
    {
      if (line_data_destroy != NULL)
        line_data_destroy (line_data);
      return;
    }

  follow = g_new0 (FollowLines, 1);
  follow->line_func = line_func;
  follow->line_data = line_data;
  follow->line_data_destroy = line_data_destroy;
  follow->errors = g_string_new (NULL);
  /* The task reads the errors the lines collected: both live until the task goes. */
  g_object_set_data (G_OBJECT (task), "lines", follow);

  script = journal_script (quoted, MIN (lines, 100000), TRUE);
  paddock_pct_exec_streaming_async (pct, vmid, script, 0, on_follow_line, follow,
                                    (GDestroyNotify) follow_lines_free, cancellable, on_follow_done, task);
}

gboolean
paddock_service_follow_finish (PaddockPct    *pct,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pct), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
