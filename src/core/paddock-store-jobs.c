/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-store-jobs.c: provisioning jobs and their bounded output in the store */

#include "config.h"

#include "paddock-store-private.h"

static PaddockJobState
job_state_from_string (const char *str)
{
  for (PaddockJobState state = PADDOCK_JOB_QUEUED; state <= PADDOCK_JOB_CANCELLED; state++)
    {
      if (g_strcmp0 (str, paddock_job_state_to_string (state)) == 0)
        return state;
    }

  return PADDOCK_JOB_FAILED;
}

static gboolean
job_step (sqlite3       *db,
          sqlite3_stmt  *stmt,
          const char    *what,
          GError       **error)
{
  if (sqlite3_step (stmt) == SQLITE_DONE)
    return TRUE;

  if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_CHECK)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_INVALID,
                   "%s: a value is out of range or its JSON is not valid", what);
      return FALSE;
    }

  return _paddock_store_set_error (error, db, sqlite3_extended_errcode (db), what);
}

static gboolean
create_job_func (sqlite3  *db,
                 StoreOp  *op,
                 GError  **error)
{
  const PaddockJobRecord *job = op->object;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = _paddock_store_now ();

  if (!(stmt = _paddock_store_prepare (db,
                                       "INSERT INTO jobs (connection_id, node, vmid, hostname, template_id,"
                                       " state, phase, percent, message, params, items, created_at, updated_at,"
                                       " owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, job->connection_id);
  _paddock_store_bind_text (stmt, 2, job->node);
  sqlite3_bind_int (stmt, 3, job->vmid);
  _paddock_store_bind_text (stmt, 4, job->hostname);
  if (job->template_id > 0)
    sqlite3_bind_int64 (stmt, 5, job->template_id);
  else
    sqlite3_bind_null (stmt, 5);
  _paddock_store_bind_text (stmt, 6, paddock_job_state_to_string (job->state));
  _paddock_store_bind_text (stmt, 7, job->phase);
  sqlite3_bind_int (stmt, 8, job->percent);
  _paddock_store_bind_text (stmt, 9, job->message);
  _paddock_store_bind_text (stmt, 10, job->params);
  _paddock_store_bind_text (stmt, 11, job->items);
  sqlite3_bind_int64 (stmt, 12, now);
  sqlite3_bind_int64 (stmt, 13, now);
  _paddock_store_bind_text (stmt, 14, paddock_store_get_owner_id (op->store));

  if (!job_step (db, stmt, "Could not record the provisioning job", error))
    return FALSE;

  op->result_number = sqlite3_last_insert_rowid (db);

  return TRUE;
}

void
paddock_store_create_job_async (PaddockStore           *self,
                                const PaddockJobRecord *job,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (job != NULL && job->node != NULL);

  op = _paddock_store_op_new (self);
  op->object = paddock_job_record_copy (job);
  op->object_free = (GDestroyNotify) paddock_job_record_free;

  _paddock_store_write (self, paddock_store_create_job_async, create_job_func, op,
                        cancellable, callback, user_data);
}

/* Returns: the new job's id, or 0 on error */
gint64
paddock_store_create_job_finish (PaddockStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_create_job_async, error);

  return op != NULL ? op->result_number : 0;
}

static gboolean
update_job_func (sqlite3  *db,
                 StoreOp  *op,
                 GError  **error)
{
  const PaddockJobRecord *job = op->object;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db,
                                       "UPDATE jobs SET vmid = ?, state = ?, phase = ?, percent = ?,"
                                       " message = ?, items = ?, updated_at = ?, owner = ?,"
                                       " cancel_requested = CASE WHEN ?2 IN ('queued', 'running') THEN cancel_requested"
                                       " ELSE 0 END, params = coalesce(?, params) WHERE id = ?",
                                       error)))
    return FALSE;

  sqlite3_bind_int (stmt, 1, job->vmid);
  _paddock_store_bind_text (stmt, 2, paddock_job_state_to_string (job->state));
  _paddock_store_bind_text (stmt, 3, job->phase);
  sqlite3_bind_int (stmt, 4, job->percent);
  _paddock_store_bind_text (stmt, 5, job->message);
  _paddock_store_bind_text (stmt, 6, job->items);
  sqlite3_bind_int64 (stmt, 7, _paddock_store_now ());
  /* Whoever updates a job runs it now (a retry from another process takes it over). */
  _paddock_store_bind_text (stmt, 8, paddock_store_get_owner_id (op->store));
  /* The parameters (the plan, with its files) only when they changed: NULL keeps them. */
  _paddock_store_bind_text (stmt, 9, job->params);
  sqlite3_bind_int64 (stmt, 10, job->id);

  if (!job_step (db, stmt, "Could not update the provisioning job", error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "Provisioning job %" G_GINT64_FORMAT " does not exist", job->id);
      return FALSE;
    }

  return TRUE;
}

void
paddock_store_update_job_async (PaddockStore           *self,
                                const PaddockJobRecord *job,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (job != NULL && job->id > 0);

  op = _paddock_store_op_new (self);
  op->object = paddock_job_record_copy (job);
  op->object_free = (GDestroyNotify) paddock_job_record_free;

  _paddock_store_write (self, paddock_store_update_job_async, update_job_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_update_job_finish (PaddockStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_update_job_async, error) != NULL;
}

static gboolean
append_job_output_func (sqlite3  *db,
                        StoreOp  *op,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) last = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) trim = NULL;
  gint64 seq = 0;

  if (!(last = _paddock_store_prepare (db, "SELECT coalesce(max(seq), 0) FROM job_output WHERE job_id = ?", error)))
    return FALSE;

  sqlite3_bind_int64 (last, 1, op->number);
  if (sqlite3_step (last) == SQLITE_ROW)
    seq = sqlite3_column_int64 (last, 0);

  if (!(insert = _paddock_store_prepare (db,
                                         "INSERT INTO job_output (job_id, seq, stream, line) VALUES (?, ?, ?, ?)",
                                         error)))
    return FALSE;

  for (guint i = 0; op->lines[i] != NULL; i++)
    {
      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, op->number);
      sqlite3_bind_int64 (insert, 2, ++seq);
      sqlite3_bind_int (insert, 3, op->vmid);
      _paddock_store_bind_text (insert, 4, op->lines[i]);

      if (!_paddock_store_step_done (db, insert, "Could not keep the job output", error))
        return FALSE;
    }

  if (!(trim = _paddock_store_prepare (db, "DELETE FROM job_output WHERE job_id = ? AND seq <= ?", error)))
    return FALSE;

  sqlite3_bind_int64 (trim, 1, op->number);
  sqlite3_bind_int64 (trim, 2, seq - PADDOCK_STORE_MAX_JOB_LINES);

  return _paddock_store_step_done (db, trim, "Could not trim the job output", error);
}

/**
 * paddock_store_append_job_output_async:
 * @stream: 1 for stdout, 2 for stderr, 0 for Paddock's own notes
 * @lines: complete lines, without their newlines
 *
 * Sequence numbers keep counting, so a reader that remembers the last one never sees a line twice;
 * only the last %PADDOCK_STORE_MAX_JOB_LINES lines are kept.
 */
void
paddock_store_append_job_output_async (PaddockStore        *self,
                                       gint64               job_id,
                                       guint                stream,
                                       const char * const  *lines,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (lines != NULL);

  op = _paddock_store_op_new (self);
  op->number = job_id;
  op->vmid = stream;
  op->lines = g_strdupv ((char **) lines);

  _paddock_store_write (self, paddock_store_append_job_output_async, append_job_output_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_append_job_output_finish (PaddockStore  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_append_job_output_async, error) != NULL;
}

static gboolean
get_job_output_func (sqlite3  *db,
                     StoreOp  *op,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       "SELECT seq, stream, line FROM job_output WHERE job_id = ? AND seq > ?"
                                       " ORDER BY seq",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->number);
  sqlite3_bind_int64 (stmt, 2, op->connection_id);
  op->result_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_job_line_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PaddockJobLine *line = g_new0 (PaddockJobLine, 1);

      line->seq = sqlite3_column_int64 (stmt, 0);
      line->stream = sqlite3_column_int (stmt, 1);
      line->line = _paddock_store_column_dup (stmt, 2);
      g_ptr_array_add (op->result_rows, line);
    }

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the job output");

  return TRUE;
}

void
paddock_store_get_job_output_async (PaddockStore        *self,
                                    gint64               job_id,
                                    gint64               after_seq,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->number = job_id;
  op->connection_id = after_seq;

  _paddock_store_read (self, paddock_store_get_job_output_async, get_job_output_func, op,
                       cancellable, callback, user_data);
}

/**
 * paddock_store_get_job_output_finish:
 *
 * Returns: (transfer container) (element-type PaddockJobLine): lines after the given sequence
 */
GPtrArray *
paddock_store_get_job_output_finish (PaddockStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_get_job_output_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

#define JOB_COLUMNS \
  "id, connection_id, node, vmid, hostname, template_id, state, phase, percent, message, params, items," \
  " created_at, updated_at, owner, cancel_requested"

static PaddockJobRecord *
read_job_row (PaddockStore *store,
              sqlite3_stmt *stmt)
{
  PaddockJobRecord *job = paddock_job_record_new ();
  const char *owner = (const char *) sqlite3_column_text (stmt, 14);

  job->id = sqlite3_column_int64 (stmt, 0);
  job->connection_id = sqlite3_column_int64 (stmt, 1);
  job->node = _paddock_store_column_dup (stmt, 2);
  job->vmid = sqlite3_column_int (stmt, 3);
  job->hostname = _paddock_store_column_dup (stmt, 4);
  job->template_id = sqlite3_column_int64 (stmt, 5);
  job->state = job_state_from_string ((const char *) sqlite3_column_text (stmt, 6));
  job->phase = _paddock_store_column_dup (stmt, 7);
  job->percent = sqlite3_column_int (stmt, 8);
  job->message = _paddock_store_column_dup (stmt, 9);
  job->params = _paddock_store_column_dup (stmt, 10);
  job->items = _paddock_store_column_dup (stmt, 11);
  job->created_at = sqlite3_column_int64 (stmt, 12);
  job->updated_at = sqlite3_column_int64 (stmt, 13);
  job->cancel_requested = sqlite3_column_int (stmt, 15) != 0;
  job->elsewhere = (job->state == PADDOCK_JOB_QUEUED || job->state == PADDOCK_JOB_RUNNING)
                   && owner != NULL && g_strcmp0 (owner, paddock_store_get_owner_id (store)) != 0
                   && _paddock_store_owner_alive (owner);

  return job;
}

static gboolean
list_jobs_func (sqlite3  *db,
                StoreOp  *op,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       op->number > 0
                                       ? "SELECT " JOB_COLUMNS " FROM jobs WHERE id = ?"
                                       : "SELECT " JOB_COLUMNS " FROM jobs ORDER BY created_at DESC, id DESC",
                                       error)))
    return FALSE;
  if (op->number > 0)
    sqlite3_bind_int64 (stmt, 1, op->number);

  op->result_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_job_record_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (op->result_rows, read_job_row (op->store, stmt));

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the provisioning jobs");

  if (op->number > 0 && op->result_rows->len == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "There is no job %" G_GINT64_FORMAT, op->number);
      return FALSE;
    }

  return TRUE;
}

void
paddock_store_list_jobs_async (PaddockStore        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PADDOCK_IS_STORE (self));

  _paddock_store_read (self, paddock_store_list_jobs_async, list_jobs_func, _paddock_store_op_new (self),
                       cancellable, callback, user_data);
}

/**
 * paddock_store_list_jobs_finish:
 *
 * Returns: (transfer container) (element-type PaddockJobRecord): newest first
 */
GPtrArray *
paddock_store_list_jobs_finish (PaddockStore  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_list_jobs_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

static gboolean
mark_interrupted_jobs_func (sqlite3  *db,
                            StoreOp  *op,
                            GError  **error)
{
  g_autoptr(sqlite3_stmt) running = NULL;
  g_autoptr(GArray) orphans = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  /* Only the jobs of processes that are gone: another Paddock (or paddockctl) may run its own. */
  if (!(running = _paddock_store_prepare (db, "SELECT id, owner FROM jobs WHERE state IN ('queued', 'running')",
                                          error)))
    return FALSE;
  while ((rc = sqlite3_step (running)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (running, 0);

      if (!_paddock_store_owner_alive ((const char *) sqlite3_column_text (running, 1)) ||
          sqlite3_column_type (running, 1) == SQLITE_NULL)
        g_array_append_val (orphans, id);
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the running jobs");

  for (guint i = 0; i < orphans->len; i++)
    {
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (!(stmt = _paddock_store_prepare (db,
                                           "UPDATE jobs SET state = 'interrupted', updated_at = ?,"
                                           " message = 'Paddock was closed while this job ran' WHERE id = ?",
                                           error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, _paddock_store_now ());
      sqlite3_bind_int64 (stmt, 2, g_array_index (orphans, gint64, i));
      if (!_paddock_store_step_done (db, stmt, "Could not mark interrupted jobs", error))
        return FALSE;
    }

  op->result_number = orphans->len;

  return TRUE;
}

/* Called once at start-up: a job still "running" belongs to a session that ended. */
void
paddock_store_mark_interrupted_jobs_async (PaddockStore        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (PADDOCK_IS_STORE (self));

  _paddock_store_write (self, paddock_store_mark_interrupted_jobs_async, mark_interrupted_jobs_func,
                        _paddock_store_op_new (self), cancellable, callback, user_data);
}

/* Returns: how many jobs were marked interrupted */
guint
paddock_store_mark_interrupted_jobs_finish (PaddockStore  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_mark_interrupted_jobs_async, error);

  return op != NULL ? op->result_number : 0;
}

void
paddock_store_get_job_async (PaddockStore        *self,
                             gint64               job_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (job_id > 0);

  op = _paddock_store_op_new (self);
  op->number = job_id;
  _paddock_store_read (self, paddock_store_get_job_async, list_jobs_func, op, cancellable, callback, user_data);
}

/* Returns: (transfer full): the job, or NULL with %PADDOCK_STORE_ERROR_NOT_FOUND */
PaddockJobRecord *
paddock_store_get_job_finish (PaddockStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_get_job_async, error);

  if (op == NULL)
    return NULL;

  return g_steal_pointer (&op->result_rows->pdata[0]);
}

/* Takes a place among the jobs that run on the job's node at once (SPEC.md §6.4: at most
 * @op->limit), first come first served across every Paddock process. Jobs of processes that are
 * gone hold no place. */
static gboolean
claim_job_func (sqlite3  *db,
                StoreOp  *op,
                GError  **error)
{
  const char *me = paddock_store_get_owner_id (op->store);
  g_autoptr(sqlite3_stmt) others = NULL;
  g_autoptr(sqlite3_stmt) claim = NULL;
  guint running = 0;
  guint ahead = 0;
  gboolean found = FALSE;
  int rc;

  if (!(others = _paddock_store_prepare (db,
                                         "SELECT j.id, j.state, j.owner FROM jobs j, jobs mine"
                                         " WHERE mine.id = ?1 AND j.connection_id = mine.connection_id"
                                         " AND j.node = mine.node AND j.state IN ('queued', 'running')"
                                         " ORDER BY j.id",
                                         error)))
    return FALSE;
  sqlite3_bind_int64 (others, 1, op->number);

  while ((rc = sqlite3_step (others)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (others, 0);
      const char *state = (const char *) sqlite3_column_text (others, 1);
      const char *owner = (const char *) sqlite3_column_text (others, 2);

      if (id == op->number)
        {
          found = TRUE;
          continue;
        }
      if (owner == NULL || !_paddock_store_owner_alive (owner))
        continue;
      if (g_strcmp0 (state, "running") == 0)
        running++;
      else if (!found)
        ahead++;
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the running jobs");
  if (!found)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "Job %" G_GINT64_FORMAT " is not waiting to run", op->number);
      return FALSE;
    }

  if (running + ahead >= op->limit)
    {
      op->result_number = running + ahead - op->limit + 1;
      return TRUE;
    }

  if (!(claim = _paddock_store_prepare (db, "UPDATE jobs SET state = 'running', owner = ?, updated_at = ? WHERE id = ?",
                                        error)))
    return FALSE;
  _paddock_store_bind_text (claim, 1, me);
  sqlite3_bind_int64 (claim, 2, _paddock_store_now ());
  sqlite3_bind_int64 (claim, 3, op->number);
  op->result_number = 0;

  return _paddock_store_step_done (db, claim, "Could not start the job", error);
}

void
paddock_store_claim_job_async (PaddockStore        *self,
                               gint64               job_id,
                               guint                max_per_node,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (max_per_node > 0);

  op = _paddock_store_op_new (self);
  op->number = job_id;
  op->limit = max_per_node;
  _paddock_store_write (self, paddock_store_claim_job_async, claim_job_func, op, cancellable, callback, user_data);
}

/**
 * paddock_store_claim_job_finish:
 * @waiting: (out): 0 when the job now runs (its state is "running"), else how many jobs are
 *   before it
 */
gboolean
paddock_store_claim_job_finish (PaddockStore  *self,
                                GAsyncResult  *result,
                                guint         *waiting,
                                GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_claim_job_async, error);

  if (op == NULL)
    return FALSE;
  if (waiting != NULL)
    *waiting = op->result_number;

  return TRUE;
}

/* Runs @sql on the job @op->number; a job it does not apply to is @missing (NOT_FOUND). */
static gboolean
change_job (sqlite3     *db,
            StoreOp     *op,
            const char  *sql,
            const char  *what,
            const char  *missing,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->number);
  if (!_paddock_store_step_done (db, stmt, what, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND, "Job %" G_GINT64_FORMAT " %s",
                   op->number, missing);
      return FALSE;
    }

  return TRUE;
}

static gboolean
delete_job_func (sqlite3  *db,
                 StoreOp  *op,
                 GError  **error)
{
  return change_job (db, op, "DELETE FROM jobs WHERE id = ? AND state NOT IN ('queued', 'running')",
                     "Could not remove the job", "does not exist or still runs", error);
}

/* Removes a finished job and its output (the container's events stay). */
void
paddock_store_delete_job_async (PaddockStore        *self,
                                gint64               job_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->number = job_id;
  _paddock_store_write (self, paddock_store_delete_job_async, delete_job_func, op, cancellable, callback, user_data);
}

gboolean
paddock_store_delete_job_finish (PaddockStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_delete_job_async, error) != NULL;
}

static gboolean
request_cancel_func (sqlite3  *db,
                     StoreOp  *op,
                     GError  **error)
{
  return change_job (db, op, "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND state IN ('queued', 'running')",
                     "Could not ask for the job to be cancelled", "does not exist or does not run", error);
}

void
paddock_store_request_job_cancel_async (PaddockStore        *self,
                                        gint64               job_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->number = job_id;
  _paddock_store_write (self, paddock_store_request_job_cancel_async, request_cancel_func, op, cancellable,
                        callback, user_data);
}

gboolean
paddock_store_request_job_cancel_finish (PaddockStore  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_request_job_cancel_async, error) != NULL;
}
