/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-task-watcher.c: follows one Proxmox task (UPID) to its end, streaming its log */

#include "config.h"

#include "paddock-pve-parse-private.h"
#include "paddock-task-watcher.h"

struct _PaddockTaskWatcher
{
  GObject           parent_instance;
  PaddockPveClient *client;
  char             *upid;
  char             *node;
  GPtrArray        *lines;        /* char *, the task log so far */
  guint             first_poll_ms;
  guint             max_poll_ms;
};

G_DEFINE_FINAL_TYPE (PaddockTaskWatcher, paddock_task_watcher, G_TYPE_OBJECT)

enum {
  LOG_LINE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  guint            poll_ms;
  guint            poll_id;
  guint            deadline_id;
  gboolean         timed_out;
  PaddockTaskInfo *final;
  GCancellable    *cancellable;
} Wait;

static void
wait_free (gpointer data)
{
  Wait *wait = data;

  g_clear_handle_id (&wait->poll_id, g_source_remove);
  g_clear_handle_id (&wait->deadline_id, g_source_remove);
  g_clear_pointer (&wait->final, paddock_task_info_free);
  g_clear_object (&wait->cancellable);
  g_free (wait);
}

static void
paddock_task_watcher_finalize (GObject *object)
{
  PaddockTaskWatcher *self = PADDOCK_TASK_WATCHER (object);

  g_clear_object (&self->client);
  g_free (self->upid);
  g_free (self->node);
  g_ptr_array_unref (self->lines);

  G_OBJECT_CLASS (paddock_task_watcher_parent_class)->finalize (object);
}

static void
paddock_task_watcher_class_init (PaddockTaskWatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = paddock_task_watcher_finalize;

  /**
   * PaddockTaskWatcher::log-line:
   * @number: the 1-based line number in the task log
   * @text: the line
   *
   * Emitted once per new line of the task log, in order.
   */
  signals[LOG_LINE] = g_signal_new ("log-line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
paddock_task_watcher_init (PaddockTaskWatcher *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_free);
  self->first_poll_ms = 300;
  self->max_poll_ms = 2000;
}

/**
 * paddock_task_watcher_new:
 *
 * Returns: (transfer full) (nullable): a watcher, or %NULL when @upid is not a valid UPID
 */
PaddockTaskWatcher *
paddock_task_watcher_new (PaddockPveClient  *client,
                          const char        *upid,
                          GError           **error)
{
  PaddockTaskWatcher *self;
  PaddockUpid parsed;

  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (client), NULL);

  if (!paddock_pve_parse_upid (upid, &parsed, error))
    return NULL;

  self = g_object_new (PADDOCK_TYPE_TASK_WATCHER, NULL);
  self->client = g_object_ref (client);
  self->upid = g_strdup (upid);
  self->node = g_steal_pointer (&parsed.node);
  paddock_upid_clear (&parsed);

  return self;
}

const char *
paddock_task_watcher_get_upid (PaddockTaskWatcher *self)
{
  g_return_val_if_fail (PADDOCK_IS_TASK_WATCHER (self), NULL);
  return self->upid;
}

const char *
paddock_task_watcher_get_node (PaddockTaskWatcher *self)
{
  g_return_val_if_fail (PADDOCK_IS_TASK_WATCHER (self), NULL);
  return self->node;
}

/* Returns: (transfer none) (element-type utf8): the log lines received so far */
GPtrArray *
paddock_task_watcher_get_lines (PaddockTaskWatcher *self)
{
  g_return_val_if_fail (PADDOCK_IS_TASK_WATCHER (self), NULL);
  return self->lines;
}

char *
paddock_task_watcher_dup_last_lines (PaddockTaskWatcher *self,
                                     guint               count)
{
  GString *text = g_string_new (NULL);
  guint first;

  g_return_val_if_fail (PADDOCK_IS_TASK_WATCHER (self), NULL);

  first = self->lines->len > count ? self->lines->len - count : 0;
  for (guint i = first; i < self->lines->len; i++)
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", (char *) self->lines->pdata[i]);

  return g_string_free (text, FALSE);
}

void
paddock_task_watcher_set_poll_interval (PaddockTaskWatcher *self,
                                        guint               first_ms,
                                        guint               max_ms)
{
  g_return_if_fail (PADDOCK_IS_TASK_WATCHER (self));

  self->first_poll_ms = MAX (10, first_ms);
  self->max_poll_ms = MAX (self->first_poll_ms, max_ms);
}

static void     poll_status        (GTask    *task);
static gboolean poll_status_source (gpointer  user_data);

static void
finish (GTask *task)
{
  PaddockTaskWatcher *self = g_task_get_source_object (task);
  Wait *wait = g_task_get_task_data (task);
  PaddockTaskInfo *final = g_steal_pointer (&wait->final);

  /* Answered: the deadline (which holds the task) must not answer a second time. */
  g_clear_handle_id (&wait->deadline_id, g_source_remove);

  if (paddock_task_info_succeeded (final))
    {
      g_task_return_pointer (task, final, (GDestroyNotify) paddock_task_info_free);
      return;
    }

  {
    g_autofree char *tail = paddock_task_watcher_dup_last_lines (self, 10);

    g_task_return_new_error (task, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED,
                             "%s%s%s", final->exitstatus ? final->exitstatus : "unexpected status",
                             *tail ? "\n" : "", tail);
    paddock_task_info_free (final);
  }
}

static void
on_log (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockTaskWatcher *self = g_task_get_source_object (task);
  Wait *wait = g_task_get_task_data (task);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;

  /* The deadline already answered the caller. */
  if (wait->timed_out)
    return;

  lines = paddock_pve_client_get_task_log_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (lines != NULL)
    {
      for (guint i = 0; i < lines->len; i++)
        {
          PaddockTaskLine *line = lines->pdata[i];

          /* Only lines after what we have (an empty log reads "no content" as line 1). */
          if (line->n != self->lines->len + 1 || (line->n == 1 && g_str_equal (line->text, "no content")))
            continue;
          g_ptr_array_add (self->lines, g_strdup (line->text));
          g_signal_emit (self, signals[LOG_LINE], 0, line->n, line->text);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_handle_id (&wait->deadline_id, g_source_remove);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (wait->final != NULL)
    {
      finish (task);
      return;
    }

  wait->poll_ms = MIN (wait->poll_ms * 3 / 2, self->max_poll_ms);
  wait->poll_id = g_timeout_add_full (G_PRIORITY_DEFAULT, wait->poll_ms, poll_status_source,
                                      g_object_ref (task), g_object_unref);
}

static void
on_status (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockTaskWatcher *self = g_task_get_source_object (task);
  Wait *wait = g_task_get_task_data (task);
  g_autoptr(PaddockTaskInfo) info = NULL;
  GError *error = NULL;

  if (wait->timed_out)
    return;

  info = paddock_pve_client_get_task_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (info == NULL)
    {
      /* A transient failure while polling is not the task failing: poll again (the client already retried). */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND) ||
          g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH) ||
          g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PERMISSION))
        {
          g_clear_handle_id (&wait->deadline_id, g_source_remove);
          g_task_return_error (task, error);
          return;
        }
      g_clear_error (&error);
    }
  else if (!info->running)
    wait->final = g_steal_pointer (&info);

  /* The log is read on every poll so lines arrive while the task runs, and once more at the end. */
  paddock_pve_client_get_task_log_async (self->client, self->upid, self->lines->len, 0, wait->cancellable,
                                         on_log, g_steal_pointer (&task));
}

static gboolean
poll_status_source (gpointer user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);

  wait->poll_id = 0;
  poll_status (task);

  return G_SOURCE_REMOVE;
}

static void
poll_status (GTask *task)
{
  PaddockTaskWatcher *self = g_task_get_source_object (task);
  Wait *wait = g_task_get_task_data (task);

  if (wait->timed_out)
    return;

  paddock_pve_client_get_task_status_async (self->client, self->upid, wait->cancellable, on_status,
                                            g_object_ref (task));
}

static gboolean
on_deadline (gpointer user_data)
{
  GTask *task = user_data;
  PaddockTaskWatcher *self = g_task_get_source_object (task);
  Wait *wait = g_task_get_task_data (task);
  g_autofree char *tail = paddock_task_watcher_dup_last_lines (self, 5);

  wait->deadline_id = 0;
  wait->timed_out = TRUE;
  g_clear_handle_id (&wait->poll_id, g_source_remove);

  /* A timeout is an error, never success: the task may still be running on the node. */
  g_task_return_new_error (task, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT,
                           "The task %s did not finish in time; it may still be running on %s%s%s",
                           self->upid, self->node, *tail ? ":\n" : "", tail);
  g_cancellable_cancel (wait->cancellable);

  return G_SOURCE_REMOVE;
}

/**
 * paddock_task_watcher_wait_async:
 * @timeout_seconds: give up after this long (0: no limit)
 *
 * Polls the task (first after the poll interval, backing off to the maximum), emitting
 * #PaddockTaskWatcher::log-line for new log lines, until it ends.
 */
void
paddock_task_watcher_wait_async (PaddockTaskWatcher  *self,
                                 guint                timeout_seconds,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Wait *wait;

  g_return_if_fail (PADDOCK_IS_TASK_WATCHER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_task_watcher_wait_async);
  wait = g_new0 (Wait, 1);
  wait->poll_ms = self->first_poll_ms;
  wait->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel), wait->cancellable,
                             G_CONNECT_SWAPPED);
  g_task_set_task_data (task, wait, wait_free);

  if (timeout_seconds > 0)
    wait->deadline_id = g_timeout_add_full (G_PRIORITY_DEFAULT, timeout_seconds * 1000, on_deadline,
                                            g_object_ref (task), g_object_unref);

  wait->poll_id = g_timeout_add_full (G_PRIORITY_DEFAULT, wait->poll_ms, poll_status_source,
                                      task, g_object_unref);
}

/**
 * paddock_task_watcher_wait_finish:
 *
 * Returns: (transfer full): the final status when the task succeeded (OK or WARNINGS); otherwise
 *   %NULL with %PADDOCK_PVE_ERROR_TASK_FAILED (exit status and the last log lines) or
 *   %PADDOCK_PVE_ERROR_TIMEOUT
 */
PaddockTaskInfo *
paddock_task_watcher_wait_finish (PaddockTaskWatcher  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
