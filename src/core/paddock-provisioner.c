/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-provisioner.c: the jobs of every connection, their runs, and the choices a stopped job
 * offers: retry, delete the container, keep it */

#include "config.h"

#include "paddock-event.h"
#include "paddock-job-private.h"
#include "paddock-job-run-private.h"
#include "paddock-node-sessions.h"
#include "paddock-task-watcher.h"

/* How often the state of jobs that another Paddock process runs is read again. */
#define FOLLOW_INTERVAL_SECONDS 2
#define DELETE_TASK_SECONDS 300

struct _PaddockProvisioner
{
  GObject           parent_instance;

  PaddockWorkspace *workspace;
  GListStore       *jobs;
  GHashTable       *runs;     /* PaddockJob → PaddockJobRun */
  GHashTable       *waiters;  /* PaddockJob → GPtrArray of GTask */
  GHashTable       *pcts;     /* "connection/node" → PaddockPct */
  guint             first_poll_ms;
  guint             max_poll_ms;
  guint             follow_id;
  gboolean          following;
};

G_DEFINE_FINAL_TYPE (PaddockProvisioner, paddock_provisioner, G_TYPE_OBJECT)

static void
paddock_provisioner_dispose (GObject *object)
{
  PaddockProvisioner *self = PADDOCK_PROVISIONER (object);

  g_clear_handle_id (&self->follow_id, g_source_remove);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  g_clear_pointer (&self->waiters, g_hash_table_unref);
  g_clear_pointer (&self->pcts, g_hash_table_unref);
  g_clear_object (&self->jobs);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (paddock_provisioner_parent_class)->dispose (object);
}

static void
paddock_provisioner_class_init (PaddockProvisionerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = paddock_provisioner_dispose;
}

static void
paddock_provisioner_init (PaddockProvisioner *self)
{
  self->jobs = g_list_store_new (PADDOCK_TYPE_JOB);
  self->runs = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->waiters = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) g_ptr_array_unref);
  self->pcts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->first_poll_ms = 300;
  self->max_poll_ms = 1000;
}

PaddockProvisioner *
paddock_provisioner_new (PaddockWorkspace *workspace)
{
  PaddockProvisioner *self;

  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (PADDOCK_TYPE_PROVISIONER, NULL);
  self->workspace = g_object_ref (workspace);

  return self;
}

PaddockWorkspace *
paddock_provisioner_get_workspace (PaddockProvisioner *self)
{
  g_return_val_if_fail (PADDOCK_IS_PROVISIONER (self), NULL);

  return self->workspace;
}

GListModel *
paddock_provisioner_get_jobs (PaddockProvisioner *self)
{
  g_return_val_if_fail (PADDOCK_IS_PROVISIONER (self), NULL);

  return G_LIST_MODEL (self->jobs);
}

PaddockJob *
paddock_provisioner_find_job (PaddockProvisioner *self,
                              gint64              job_id)
{
  guint n;

  g_return_val_if_fail (PADDOCK_IS_PROVISIONER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (paddock_job_get_id (job) == job_id)
        return job;  /* the list keeps its reference */
    }

  return NULL;
}

void
paddock_provisioner_set_node_pct (PaddockProvisioner *self,
                                  gint64              connection_id,
                                  const char         *node,
                                  PaddockPct         *pct)
{
  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));
  g_return_if_fail (PADDOCK_IS_PCT (pct));

  g_hash_table_replace (self->pcts, g_strdup_printf ("%" G_GINT64_FORMAT "/%s", connection_id, node),
                        g_object_ref (pct));
}

void
paddock_provisioner_set_poll_interval (PaddockProvisioner *self,
                                       guint               first_ms,
                                       guint               max_ms)
{
  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));

  self->first_poll_ms = first_ms;
  self->max_poll_ms = MAX (first_ms, max_ms);
}

/* ------------------------------------------------------------------------------------------- */
/* For the runs                                                                                */

PaddockStore *
_paddock_provisioner_get_store (PaddockProvisioner *self)
{
  return paddock_workspace_get_store (self->workspace);
}

PaddockSecrets *
_paddock_provisioner_get_secrets (PaddockProvisioner *self)
{
  return paddock_workspace_get_secrets (self->workspace);
}

void
_paddock_provisioner_get_poll_interval (PaddockProvisioner *self,
                                        guint              *first_ms,
                                        guint              *max_ms)
{
  *first_ms = self->first_poll_ms;
  *max_ms = self->max_poll_ms;
}

static void
on_node_session (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PaddockPct *pct = paddock_node_sessions_open_finish (PADDOCK_NODE_SESSIONS (object), result, &error);

  if (pct == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pct, g_object_unref);
}

void
_paddock_provisioner_open_pct_async (PaddockProvisioner  *self,
                                     PaddockCluster      *cluster,
                                     const char          *node,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%s", paddock_cluster_get_connection_id (cluster), node);
  PaddockPct *pct = g_hash_table_lookup (self->pcts, key);

  g_task_set_source_tag (task, _paddock_provisioner_open_pct_async);
  if (pct != NULL)
    {
      g_task_return_pointer (task, g_object_ref (pct), g_object_unref);
      return;
    }

  paddock_node_sessions_open_async (paddock_workspace_get_node_sessions (self->workspace), cluster, node,
                                    cancellable, on_node_session, g_steal_pointer (&task));
}

PaddockPct *
_paddock_provisioner_open_pct_finish (PaddockProvisioner  *self,
                                      GAsyncResult        *result,
                                      GError             **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------- */
/* Runs                                                                                        */

static void
complete_waiters (PaddockProvisioner *self,
                  PaddockJob         *job,
                  const GError       *error)
{
  g_autoptr(GPtrArray) waiters = NULL;
  gpointer stolen = NULL;

  if (!g_hash_table_steal_extended (self->waiters, job, NULL, &stolen))
    return;
  waiters = stolen;
  g_object_unref (job);  /* the table's key */

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PaddockProvisioner) self = user_data;
  PaddockJobRun *run = PADDOCK_JOB_RUN (object);
  g_autoptr(PaddockJob) job = g_object_ref (_paddock_job_run_get_job (run));
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  _paddock_job_run_run_finish (run, result, &error);
  if (self->runs == NULL)
    return;
  g_hash_table_remove (self->runs, job);
  complete_waiters (self, job, error);

  /* A place on the node is free: the next job there need not wait for its poll. */
  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    _paddock_job_run_wake (value);
}

static gboolean
start_run (PaddockProvisioner  *self,
           PaddockJob          *job,
           PaddockJobPhase      from,
           GError             **error)
{
  PaddockCluster *cluster = paddock_workspace_find_cluster (self->workspace, paddock_job_get_connection_id (job));
  PaddockJobRun *run;

  if (cluster == NULL)
    {
      g_set_error (error, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_STATE,
                   "Job %" G_GINT64_FORMAT ": its connection is not open", paddock_job_get_id (job));
      return FALSE;
    }

  run = _paddock_job_run_new (self, cluster, job, from);
  g_hash_table_insert (self->runs, g_object_ref (job), run);
  _paddock_job_run_run_async (run, on_run_done, g_object_ref (self));

  return TRUE;
}

static gboolean
check_stopped (PaddockProvisioner  *self,
               PaddockJob          *job,
               GError             **error)
{
  if (g_hash_table_contains (self->runs, job))
    {
      g_set_error (error, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_STATE,
                   "Job %" G_GINT64_FORMAT " is running", paddock_job_get_id (job));
      return FALSE;
    }
  if (paddock_job_get_elsewhere (job))
    {
      g_set_error (error, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_STATE,
                   "Job %" G_GINT64_FORMAT " runs in another Paddock window or paddockctl", paddock_job_get_id (job));
      return FALSE;
    }
  if (!paddock_job_is_stopped (job))
    {
      g_set_error (error, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_STATE,
                   "Job %" G_GINT64_FORMAT " is %s: only a failed, cancelled or interrupted job offers that",
                   paddock_job_get_id (job), paddock_job_state_to_string (paddock_job_get_state (job)));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------- */
/* Loading, and following other processes' jobs                                                */

static gboolean follow_jobs (gpointer user_data);

/* Merges the store's jobs into the list: new ones added, those this process does not run updated,
 * those gone removed. */
static void
merge_records (PaddockProvisioner *self,
               GPtrArray          *records)
{
  g_autoptr(GHashTable) present = g_hash_table_new (g_int64_hash, g_int64_equal);
  gboolean follow = FALSE;
  guint n;

  for (guint i = 0; i < records->len; i++)
    {
      PaddockJobRecord *record = records->pdata[i];
      PaddockJob *job = paddock_provisioner_find_job (self, record->id);
      g_autoptr(GError) error = NULL;

      g_hash_table_add (present, &record->id);
      if (job == NULL)
        {
          g_autoptr(PaddockJob) loaded = paddock_job_new_from_record (record, &error);

          if (loaded == NULL)
            {
              g_warning ("%s", error->message);
              continue;
            }
          g_list_store_insert (self->jobs, i < g_list_model_get_n_items (G_LIST_MODEL (self->jobs)) ? i : 0, loaded);
          job = loaded;
        }
      else if (!g_hash_table_contains (self->runs, job))
        _paddock_job_update_from_record (job, record);

      follow |= paddock_job_get_elsewhere (job) && !paddock_job_is_finished (job);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(PaddockJob) job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i - 1);
      gint64 id = paddock_job_get_id (job);

      if (!g_hash_table_contains (self->runs, job) && !g_hash_table_contains (present, &id))
        g_list_store_remove (self->jobs, i - 1);
    }

  if (follow && self->follow_id == 0)
    self->follow_id = g_timeout_add_seconds (FOLLOW_INTERVAL_SECONDS, follow_jobs, self);
  else if (!follow)
    g_clear_handle_id (&self->follow_id, g_source_remove);
}

static void
on_followed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PaddockProvisioner) self = user_data;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  self->following = FALSE;
  if (self->jobs == NULL)
    return;
  if (!(records = paddock_store_list_jobs_finish (PADDOCK_STORE (object), result, &error)))
    {
      g_warning ("The provisioning jobs could not be read: %s", error->message);
      return;
    }

  merge_records (self, records);
}

static gboolean
follow_jobs (gpointer user_data)
{
  PaddockProvisioner *self = user_data;

  if (!self->following)
    {
      self->following = TRUE;
      paddock_store_list_jobs_async (_paddock_provisioner_get_store (self), NULL, on_followed, g_object_ref (self));
    }

  return G_SOURCE_CONTINUE;
}

static void
on_jobs_listed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockProvisioner *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) records = NULL;
  GError *error = NULL;

  if (!(records = paddock_store_list_jobs_finish (PADDOCK_STORE (object), result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  merge_records (self, records);
  g_task_return_boolean (task, TRUE);
}

static void
on_interrupted_marked (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  paddock_store_mark_interrupted_jobs_finish (PADDOCK_STORE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  paddock_store_list_jobs_async (PADDOCK_STORE (object), g_task_get_cancellable (task), on_jobs_listed,
                                 g_object_ref (task));
}

void
paddock_provisioner_load_async (PaddockProvisioner  *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_provisioner_load_async);
  paddock_store_mark_interrupted_jobs_async (_paddock_provisioner_get_store (self), cancellable, on_interrupted_marked,
                                             g_steal_pointer (&task));
}

gboolean
paddock_provisioner_load_finish (PaddockProvisioner  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------- */
/* Create, retry, cancel, wait                                                                 */

static void
on_job_created (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockProvisioner *self = g_task_get_source_object (task);
  PaddockJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 id = paddock_store_create_job_finish (PADDOCK_STORE (object), result, &error);

  if (id <= 0)
    {
      g_task_return_error (task, error);
      return;
    }

  _paddock_job_set_id (job, id);
  g_list_store_insert (self->jobs, 0, job);
  if (!start_run (self, job, PADDOCK_JOB_PHASE_CREATING, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_object_ref (job), g_object_unref);
}

void
paddock_provisioner_create_async (PaddockProvisioner   *self,
                                  const PaddockJobPlan *plan,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PaddockJobRecord) record = NULL;
  g_autoptr(PaddockJob) job = NULL;
  GError *error = NULL;
  guint n;

  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));
  g_return_if_fail (plan != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_provisioner_create_async);

  if (!paddock_job_plan_validate (plan, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (paddock_workspace_find_cluster (self->workspace, plan->connection_id) == NULL)
    {
      g_task_return_new_error (task, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_STATE, "The connection is not open");
      return;
    }

  /* Two jobs for one VMID would fight over it. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->jobs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockJob) other = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);

      if (paddock_job_get_connection_id (other) == plan->connection_id && paddock_job_get_vmid (other) == plan->vmid
          && !paddock_job_is_finished (other))
        {
          g_task_return_new_error (task, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_STATE,
                                   "Job %" G_GINT64_FORMAT " already provisions CT %u", paddock_job_get_id (other),
                                   plan->vmid);
          return;
        }
    }

  job = paddock_job_new (plan);
  {
    g_autoptr(PaddockPveParams) shown = paddock_job_plan_to_create_params (plan, NULL, NULL);
    g_autofree char *display = paddock_pve_params_to_display (shown);

    _paddock_job_set_create_params (job, display);
  }
  record = paddock_job_to_record (job);
  g_task_set_task_data (task, g_steal_pointer (&job), g_object_unref);
  paddock_store_create_job_async (_paddock_provisioner_get_store (self), record, cancellable, on_job_created,
                                  g_steal_pointer (&task));
}

/* Returns: (transfer full): the job, queued or running */
PaddockJob *
paddock_provisioner_create_finish (PaddockProvisioner  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
retry_from_stop (PaddockProvisioner *self,
                 GTask              *task)
{
  PaddockJob *job = g_task_get_task_data (task);
  PaddockJobPhase phase = paddock_job_get_phase (job);
  GError *error = NULL;

  _paddock_job_reset_from (job, phase);
  if (!start_run (self, job, phase, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_template_for_retry (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockProvisioner *self = g_task_get_source_object (task);
  PaddockJob *job = g_task_get_task_data (task);
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  /* A template deleted since keeps the job's own copy of everything. */
  template = paddock_store_get_template_finish (PADDOCK_STORE (object), result, &error);
  if (template != NULL)
    {
      g_autoptr(PaddockJobPlan) plan = paddock_job_plan_copy (paddock_job_get_plan (job));

      if (paddock_job_plan_refresh_from_template (plan, template) > 0)
        _paddock_job_set_plan (job, plan);
    }

  retry_from_stop (self, task);
}

void
paddock_provisioner_retry_async (PaddockProvisioner  *self,
                                 PaddockJob          *job,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  gint64 template_id;

  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));
  g_return_if_fail (PADDOCK_IS_JOB (job));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_provisioner_retry_async);
  g_task_set_task_data (task, g_object_ref (job), g_object_unref);

  if (!check_stopped (self, job, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  template_id = paddock_job_get_plan (job)->template_id;
  if (template_id <= 0)
    {
      retry_from_stop (self, task);
      return;
    }

  paddock_store_get_template_async (_paddock_provisioner_get_store (self), template_id, cancellable,
                                    on_template_for_retry, g_steal_pointer (&task));
}

gboolean
paddock_provisioner_retry_finish (PaddockProvisioner  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_cancel_requested (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!paddock_store_request_job_cancel_finish (PADDOCK_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
paddock_provisioner_cancel_async (PaddockProvisioner  *self,
                                  PaddockJob          *job,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PaddockJobRun *run;

  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));
  g_return_if_fail (PADDOCK_IS_JOB (job));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_provisioner_cancel_async);

  if ((run = g_hash_table_lookup (self->runs, job)) != NULL)
    {
      _paddock_job_run_cancel (run);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (paddock_job_is_finished (job))
    {
      g_task_return_new_error (task, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_STATE,
                               "Job %" G_GINT64_FORMAT " is not running", paddock_job_get_id (job));
      return;
    }

  /* Another process runs it: it reads the request between two commands. */
  paddock_store_request_job_cancel_async (_paddock_provisioner_get_store (self), paddock_job_get_id (job), cancellable,
                                          on_cancel_requested, g_steal_pointer (&task));
}

gboolean
paddock_provisioner_cancel_finish (PaddockProvisioner  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
paddock_provisioner_wait_async (PaddockProvisioner  *self,
                                PaddockJob          *job,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *waiters;

  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));
  g_return_if_fail (PADDOCK_IS_JOB (job));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_provisioner_wait_async);

  if (!g_hash_table_contains (self->runs, job))
    {
      if (paddock_job_get_state (job) == PADDOCK_JOB_SUCCEEDED)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_new_error (task, PADDOCK_JOB_ERROR, paddock_job_get_state (job) == PADDOCK_JOB_CANCELLED
                                                            ? PADDOCK_JOB_ERROR_CANCELLED : PADDOCK_JOB_ERROR_FAILED,
                                 "%s", paddock_job_get_message (job) ? paddock_job_get_message (job) : "The job stopped");
      return;
    }

  if (!(waiters = g_hash_table_lookup (self->waiters, job)))
    {
      waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->waiters, g_object_ref (job), waiters);
    }
  g_ptr_array_add (waiters, g_steal_pointer (&task));
}

gboolean
paddock_provisioner_wait_finish (PaddockProvisioner  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------------- */
/* Keep, delete the container, the root password                                               */

/* Stop (when running), delete with its volumes, forget its root password, its row and the job. */
typedef struct
{
  PaddockJob         *job;
  PaddockCluster     *cluster;
  PaddockTaskWatcher *watcher;
  gboolean            deleting;
} DeleteContainer;

/* The job of a keep (its task data) or of a delete (in its state). */
static PaddockJob *
task_job (GTask *task)
{
  if (g_task_get_source_tag (task) == paddock_provisioner_delete_container_async)
    return ((DeleteContainer *) g_task_get_task_data (task))->job;

  return g_task_get_task_data (task);
}

static void
on_job_deleted (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockProvisioner *self = g_task_get_source_object (task);
  PaddockJob *job = task_job (task);
  GError *error = NULL;
  guint position;

  if (!paddock_store_delete_job_finish (PADDOCK_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_list_store_find (self->jobs, job, &position))
    g_list_store_remove (self->jobs, position);
  g_task_return_boolean (task, TRUE);
}

void
paddock_provisioner_keep_async (PaddockProvisioner  *self,
                                PaddockJob          *job,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));
  g_return_if_fail (PADDOCK_IS_JOB (job));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_provisioner_keep_async);
  g_task_set_task_data (task, g_object_ref (job), g_object_unref);

  if (!check_stopped (self, job, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  paddock_store_delete_job_async (_paddock_provisioner_get_store (self), paddock_job_get_id (job), cancellable,
                                  on_job_deleted, g_steal_pointer (&task));
}

gboolean
paddock_provisioner_keep_finish (PaddockProvisioner  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
delete_container_free (DeleteContainer *delete)
{
  g_clear_object (&delete->job);
  g_clear_object (&delete->cluster);
  g_clear_object (&delete->watcher);
  g_free (delete);
}

static void delete_step (GTask *task);

static void
on_deleted_forgotten (GTask *task)
{
  PaddockProvisioner *self = g_task_get_source_object (task);
  DeleteContainer *delete = g_task_get_task_data (task);
  PaddockStore *store = _paddock_provisioner_get_store (self);
  g_autofree char *key = g_strdup_printf ("%u", paddock_job_get_vmid (delete->job));
  g_autofree char *job = g_strdup_printf ("%" G_GINT64_FORMAT, paddock_job_get_id (delete->job));
  g_autoptr(PaddockEvent) event = paddock_event_new_described (paddock_job_get_connection_id (delete->job),
                                                               paddock_job_get_vmid (delete->job),
                                                               PADDOCK_EVENT_ACTION_SUCCEEDED, NULL, "deleted-after-job",
                                                               "job", job, NULL);

  paddock_store_add_event_async (store, event, NULL, NULL, NULL);
  paddock_store_remove_managed_container_async (store, paddock_job_get_connection_id (delete->job),
                                                paddock_job_get_vmid (delete->job), NULL, NULL, NULL);
  paddock_secrets_clear_async (_paddock_provisioner_get_secrets (self), PADDOCK_SECRET_ROOT_PASSWORD,
                               paddock_job_get_connection_id (delete->job), NULL, key, NULL, NULL, NULL);
  paddock_store_delete_job_async (store, paddock_job_get_id (delete->job), NULL, on_job_deleted, g_object_ref (task));
}

static void
on_delete_task_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeleteContainer *delete = g_task_get_task_data (task);
  g_autoptr(PaddockTaskInfo) info = NULL;
  GError *error = NULL;

  if (!(info = paddock_task_watcher_wait_finish (delete->watcher, result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_strcmp0 (info->exitstatus, "OK") != 0)
    {
      g_autofree char *tail = paddock_task_watcher_dup_last_lines (delete->watcher, 3);

      g_task_return_new_error (task, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TASK_FAILED, "%s CT %u failed: %s%s%s",
                               delete->deleting ? "Deleting" : "Stopping", paddock_job_get_vmid (delete->job),
                               info->exitstatus ? info->exitstatus : "no exit status", *tail ? "\n" : "", tail);
      return;
    }

  if (delete->deleting)
    on_deleted_forgotten (task);
  else
    {
      delete->deleting = TRUE;
      delete_step (task);
    }
}

static void
watch_delete_task (GTask *task,
                   char  *upid)
{
  PaddockProvisioner *self = g_task_get_source_object (task);
  DeleteContainer *delete = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_object (&delete->watcher);
  if (!(delete->watcher = paddock_task_watcher_new (paddock_cluster_get_client (delete->cluster), upid, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  paddock_task_watcher_set_poll_interval (delete->watcher, self->first_poll_ms, self->max_poll_ms);
  paddock_task_watcher_wait_async (delete->watcher, DELETE_TASK_SECONDS, g_task_get_cancellable (task),
                                   on_delete_task_done, g_object_ref (task));
}

static void
on_delete_posted (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeleteContainer *delete = g_task_get_task_data (task);
  g_autofree char *upid = NULL;
  GError *error = NULL;

  upid = delete->deleting ? paddock_pve_client_delete_guest_finish (PADDOCK_PVE_CLIENT (object), result, &error)
                          : paddock_pve_client_guest_action_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (upid == NULL)
    {
      /* Already gone is what was wanted. */
      if (delete->deleting && g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          on_deleted_forgotten (task);
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  watch_delete_task (task, upid);
}

static void
on_status_before_delete (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeleteContainer *delete = g_task_get_task_data (task);
  g_autoptr(JsonObject) status = NULL;
  GError *error = NULL;

  if (!(status = paddock_pve_client_get_guest_status_finish (PADDOCK_PVE_CLIENT (object), result, &error)))
    {
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          on_deleted_forgotten (task);
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  delete->deleting = g_strcmp0 (json_object_get_string_member_with_default (status, "status", ""), "running") != 0;
  delete_step (task);
}

static void
delete_step (GTask *task)
{
  DeleteContainer *delete = g_task_get_task_data (task);
  PaddockPveClient *client = paddock_cluster_get_client (delete->cluster);

  if (delete->deleting)
    paddock_pve_client_delete_guest_async (client, paddock_job_get_node (delete->job), paddock_job_get_vmid (delete->job),
                                           TRUE, TRUE, g_task_get_cancellable (task), on_delete_posted,
                                           g_object_ref (task));
  else
    paddock_pve_client_guest_action_async (client, paddock_job_get_node (delete->job), paddock_job_get_vmid (delete->job),
                                           PADDOCK_GUEST_ACTION_STOP, 0, g_task_get_cancellable (task),
                                           on_delete_posted, g_object_ref (task));
}

void
paddock_provisioner_delete_container_async (PaddockProvisioner  *self,
                                            PaddockJob          *job,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PaddockCluster *cluster;
  DeleteContainer *delete;
  GError *error = NULL;

  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));
  g_return_if_fail (PADDOCK_IS_JOB (job));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_provisioner_delete_container_async);

  if (!check_stopped (self, job, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!(cluster = paddock_workspace_find_cluster (self->workspace, paddock_job_get_connection_id (job))))
    {
      g_task_return_new_error (task, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_STATE, "The job's connection is not open");
      return;
    }

  delete = g_new0 (DeleteContainer, 1);
  delete->job = g_object_ref (job);
  delete->cluster = g_object_ref (cluster);
  g_task_set_task_data (task, delete, (GDestroyNotify) delete_container_free);

  paddock_pve_client_get_guest_status_async (paddock_cluster_get_client (cluster), paddock_job_get_node (job),
                                             paddock_job_get_vmid (job), cancellable, on_status_before_delete,
                                             g_steal_pointer (&task));
}

gboolean
paddock_provisioner_delete_container_finish (PaddockProvisioner  *self,
                                             GAsyncResult        *result,
                                             GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_password_found (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = paddock_secrets_lookup_finish (PADDOCK_SECRETS (object), result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (password == NULL)
    g_task_return_new_error (task, PADDOCK_SECRETS_ERROR, PADDOCK_SECRETS_ERROR_FAILED,
                             "The keyring has no root password for this container");
  else
    g_task_return_pointer (task, password, (GDestroyNotify) paddock_secret_free);
}

void
paddock_provisioner_lookup_root_password_async (PaddockProvisioner  *self,
                                                PaddockJob          *job,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (PADDOCK_IS_PROVISIONER (self));
  g_return_if_fail (PADDOCK_IS_JOB (job));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_provisioner_lookup_root_password_async);
  key = g_strdup_printf ("%u", paddock_job_get_vmid (job));
  paddock_secrets_lookup_async (_paddock_provisioner_get_secrets (self), PADDOCK_SECRET_ROOT_PASSWORD,
                                paddock_job_get_connection_id (job), NULL, key, cancellable, on_password_found,
                                g_steal_pointer (&task));
}

/* Returns: (transfer full): the password; free it with paddock_secret_free() */
char *
paddock_provisioner_lookup_root_password_finish (PaddockProvisioner  *self,
                                                 GAsyncResult        *result,
                                                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
