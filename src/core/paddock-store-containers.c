/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-store-containers.c: managed containers, events, operation locks and caches in the store */

#include "config.h"

#include "paddock-store-private.h"

/* Managed containers */

static gboolean
save_managed_container_func (sqlite3  *db,
                             StoreOp  *op,
                             GError  **error)
{
  const PaddockManagedContainer *container = op->object;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db,
                                       "INSERT INTO managed_containers (connection_id, vmid, node, hostname,"
                                       " template_id, lifecycle, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                                       " ON CONFLICT (connection_id, vmid) DO UPDATE SET node = excluded.node,"
                                       " hostname = excluded.hostname, template_id = excluded.template_id,"
                                       " lifecycle = excluded.lifecycle",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, container->connection_id);
  sqlite3_bind_int (stmt, 2, container->vmid);
  _paddock_store_bind_text (stmt, 3, container->node);
  _paddock_store_bind_text (stmt, 4, container->hostname);
  if (container->template_id > 0)
    sqlite3_bind_int64 (stmt, 5, container->template_id);
  else
    sqlite3_bind_null (stmt, 5);
  _paddock_store_bind_text (stmt, 6, paddock_lifecycle_to_string (container->lifecycle));
  sqlite3_bind_int64 (stmt, 7, container->created_at ? container->created_at : _paddock_store_now ());

  return _paddock_store_step_done (db, stmt, "Could not record the container", error);
}

void
paddock_store_save_managed_container_async (PaddockStore                  *self,
                                            const PaddockManagedContainer *container,
                                            GCancellable                  *cancellable,
                                            GAsyncReadyCallback            callback,
                                            gpointer                       user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (container != NULL && container->node != NULL);

  op = _paddock_store_op_new (self);
  op->object = paddock_managed_container_copy (container);
  op->object_free = (GDestroyNotify) paddock_managed_container_free;

  _paddock_store_write (self, paddock_store_save_managed_container_async, save_managed_container_func,
                        op, cancellable, callback, user_data);
}

gboolean
paddock_store_save_managed_container_finish (PaddockStore  *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_save_managed_container_async, error) != NULL;
}

static gboolean
remove_managed_container_func (sqlite3  *db,
                               StoreOp  *op,
                               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db,
                                       "DELETE FROM managed_containers WHERE connection_id = ? AND vmid = ?",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  sqlite3_bind_int (stmt, 2, op->vmid);

  return _paddock_store_step_done (db, stmt, "Could not forget the container", error);
}

void
paddock_store_remove_managed_container_async (PaddockStore        *self,
                                              gint64               connection_id,
                                              guint                vmid,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->vmid = vmid;

  _paddock_store_write (self, paddock_store_remove_managed_container_async, remove_managed_container_func,
                        op, cancellable, callback, user_data);
}

gboolean
paddock_store_remove_managed_container_finish (PaddockStore  *self,
                                               GAsyncResult  *result,
                                               GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_remove_managed_container_async, error) != NULL;
}

static gboolean
list_managed_containers_func (sqlite3  *db,
                              StoreOp  *op,
                              GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       "SELECT vmid, node, hostname, template_id, lifecycle, created_at"
                                       " FROM managed_containers WHERE connection_id = ? ORDER BY vmid",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  op->result_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_managed_container_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PaddockManagedContainer *container = g_new0 (PaddockManagedContainer, 1);
      const char *lifecycle = (const char *) sqlite3_column_text (stmt, 4);

      container->connection_id = op->connection_id;
      container->vmid = sqlite3_column_int (stmt, 0);
      container->node = _paddock_store_column_dup (stmt, 1);
      container->hostname = _paddock_store_column_dup (stmt, 2);
      container->template_id = sqlite3_column_int64 (stmt, 3);
      container->lifecycle = g_strcmp0 (lifecycle, "ready") == 0 ? PADDOCK_LIFECYCLE_READY
                           : g_strcmp0 (lifecycle, "error") == 0 ? PADDOCK_LIFECYCLE_ERROR
                           : PADDOCK_LIFECYCLE_CREATING;
      container->created_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (op->result_rows, container);
    }

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the managed containers");

  return TRUE;
}

void
paddock_store_list_managed_containers_async (PaddockStore        *self,
                                             gint64               connection_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;

  _paddock_store_read (self, paddock_store_list_managed_containers_async, list_managed_containers_func,
                       op, cancellable, callback, user_data);
}

/**
 * paddock_store_list_managed_containers_finish:
 *
 * Returns: (transfer container) (element-type PaddockManagedContainer):
 */
GPtrArray *
paddock_store_list_managed_containers_finish (PaddockStore  *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_list_managed_containers_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

/* Events */

static gboolean
add_event_func (sqlite3  *db,
                StoreOp  *op,
                GError  **error)
{
  PaddockEvent *event = op->object;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db,
                                       "INSERT INTO events (connection_id, vmid, kind, message, details, time, args)"
                                       " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, paddock_event_get_connection_id (event));
  sqlite3_bind_int (stmt, 2, paddock_event_get_vmid (event));
  _paddock_store_bind_text (stmt, 3, paddock_event_kind_to_string (paddock_event_get_kind (event)));
  _paddock_store_bind_text (stmt, 4, _paddock_event_get_stored_message (event));
  _paddock_store_bind_text (stmt, 5, paddock_event_get_details (event));
  sqlite3_bind_int64 (stmt, 6, paddock_event_get_time (event));
  _paddock_store_bind_text (stmt, 7, paddock_event_get_args (event));

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_CHECK)
        {
          g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_INVALID,
                       "The details or arguments of an event (%s) are not valid JSON",
                       paddock_event_kind_to_string (paddock_event_get_kind (event)));
          return FALSE;
        }
      return _paddock_store_set_error (error, db, sqlite3_extended_errcode (db), "Could not record the event");
    }

  op->result_number = sqlite3_last_insert_rowid (db);

  return TRUE;
}

void
paddock_store_add_event_async (PaddockStore        *self,
                               PaddockEvent        *event,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (PADDOCK_IS_EVENT (event));

  op = _paddock_store_op_new (self);
  op->object = g_object_ref (event);
  op->object_free = g_object_unref;

  _paddock_store_write (self, paddock_store_add_event_async, add_event_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_add_event_finish (PaddockStore  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_add_event_async, error);

  if (op == NULL)
    return FALSE;

  _paddock_event_set_row (op->object, op->result_number, paddock_event_get_time (op->object));

  return TRUE;
}

static gboolean
list_events_func (sqlite3  *db,
                  StoreOp  *op,
                  GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       "SELECT id, kind, message, details, time, args FROM events"
                                       " WHERE connection_id = ? AND vmid = ? ORDER BY time DESC, id DESC LIMIT ?",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  sqlite3_bind_int (stmt, 2, op->vmid);
  sqlite3_bind_int (stmt, 3, op->limit > 0 ? (int) op->limit : -1);
  op->result_rows = g_ptr_array_new_with_free_func (g_object_unref);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PaddockEventKind kind = PADDOCK_EVENT_ERROR;
      PaddockEvent *event;

      /* A kind this version does not know (written by a newer one) shows as an error entry. */
      paddock_event_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &kind);
      event = paddock_event_new (op->connection_id, op->vmid, kind,
                                 (const char *) sqlite3_column_text (stmt, 2),
                                 (const char *) sqlite3_column_text (stmt, 3));
      _paddock_event_set_row (event, sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 4));
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        _paddock_event_set_args (event, (const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (op->result_rows, event);
    }

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the events");

  return TRUE;
}

void
paddock_store_list_events_async (PaddockStore        *self,
                                 gint64               connection_id,
                                 guint                vmid,
                                 guint                limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->vmid = vmid;
  op->limit = limit;

  _paddock_store_read (self, paddock_store_list_events_async, list_events_func, op,
                       cancellable, callback, user_data);
}

/**
 * paddock_store_list_events_finish:
 *
 * Returns: (transfer container) (element-type PaddockEvent): newest first
 */
GPtrArray *
paddock_store_list_events_finish (PaddockStore  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_list_events_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

static gboolean
clear_events_func (sqlite3  *db,
                   StoreOp  *op,
                   GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db, "DELETE FROM events WHERE connection_id = ? AND vmid = ?", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  sqlite3_bind_int (stmt, 2, op->vmid);

  return _paddock_store_step_done (db, stmt, "Could not clear the events", error);
}

void
paddock_store_clear_events_async (PaddockStore        *self,
                                  gint64               connection_id,
                                  guint                vmid,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->vmid = vmid;

  _paddock_store_write (self, paddock_store_clear_events_async, clear_events_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_clear_events_finish (PaddockStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_clear_events_async, error) != NULL;
}

/* Operation locks */

static gboolean
acquire_lock_func (sqlite3  *db,
                   StoreOp  *op,
                   GError  **error)
{
  const char *owner = paddock_store_get_owner_id (op->store);
  g_autoptr(sqlite3_stmt) holder = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  gint64 now = _paddock_store_now ();

  /* The writer's IMMEDIATE transaction makes check-and-insert atomic across processes. */
  if (!(holder = _paddock_store_prepare (db,
                                         "SELECT owner, operation, container_name FROM operation_locks"
                                         " WHERE connection_id = ? AND vmid = ? AND expires_at > ?",
                                         error)))
    return FALSE;

  sqlite3_bind_int64 (holder, 1, op->connection_id);
  sqlite3_bind_int (holder, 2, op->vmid);
  sqlite3_bind_int64 (holder, 3, now);

  /* A lock whose process is gone (killed, crashed) holds nothing: it is taken over at once. */
  if (sqlite3_step (holder) == SQLITE_ROW && _paddock_store_owner_alive ((const char *) sqlite3_column_text (holder, 0)))
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_LOCKED,
                   "Another operation is in progress on %s (%s)",
                   op->name, (const char *) sqlite3_column_text (holder, 1));
      return FALSE;
    }

  if (!(insert = _paddock_store_prepare (db,
                                         "INSERT OR REPLACE INTO operation_locks (connection_id, vmid, owner,"
                                         " operation, container_name, acquired_at, expires_at)"
                                         " VALUES (?, ?, ?, ?, ?, ?, ?)",
                                         error)))
    return FALSE;

  sqlite3_bind_int64 (insert, 1, op->connection_id);
  sqlite3_bind_int (insert, 2, op->vmid);
  _paddock_store_bind_text (insert, 3, owner);
  _paddock_store_bind_text (insert, 4, op->text);
  _paddock_store_bind_text (insert, 5, op->name);
  sqlite3_bind_int64 (insert, 6, now);
  sqlite3_bind_int64 (insert, 7, now + op->limit);

  return _paddock_store_step_done (db, insert, "Could not lock the container", error);
}

/**
 * paddock_store_acquire_lock_async:
 * @container_name: how the container is called in the "in progress" message
 * @operation: what the lock is for, e.g. "shutdown"
 * @ttl_seconds: after this the lock is considered abandoned (its owner died)
 *
 * Fails with %PADDOCK_STORE_ERROR_LOCKED while any process holds an unexpired lock.
 */
void
paddock_store_acquire_lock_async (PaddockStore        *self,
                                  gint64               connection_id,
                                  guint                vmid,
                                  const char          *container_name,
                                  const char          *operation,
                                  guint                ttl_seconds,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (container_name != NULL);
  g_return_if_fail (operation != NULL);
  g_return_if_fail (ttl_seconds > 0);

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->vmid = vmid;
  op->name = g_strdup (container_name);
  op->text = g_strdup (operation);
  op->limit = ttl_seconds;

  _paddock_store_write (self, paddock_store_acquire_lock_async, acquire_lock_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_acquire_lock_finish (PaddockStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_acquire_lock_async, error) != NULL;
}

static gboolean
release_lock_func (sqlite3  *db,
                   StoreOp  *op,
                   GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Only our own lock: a lock that expired and was taken over belongs to someone else now. */
  if (!(stmt = _paddock_store_prepare (db,
                                       "DELETE FROM operation_locks WHERE connection_id = ? AND vmid = ?"
                                       " AND owner = ?",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  sqlite3_bind_int (stmt, 2, op->vmid);
  _paddock_store_bind_text (stmt, 3, paddock_store_get_owner_id (op->store));

  return _paddock_store_step_done (db, stmt, "Could not unlock the container", error);
}

void
paddock_store_release_lock_async (PaddockStore        *self,
                                  gint64               connection_id,
                                  guint                vmid,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->vmid = vmid;

  _paddock_store_write (self, paddock_store_release_lock_async, release_lock_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_release_lock_finish (PaddockStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_release_lock_async, error) != NULL;
}

/* The guest cache */

static gboolean
save_guest_cache_func (sqlite3  *db,
                       StoreOp  *op,
                       GError  **error)
{
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  gint64 now = _paddock_store_now ();

  if (!(clear = _paddock_store_prepare (db, "DELETE FROM guest_cache WHERE connection_id = ?", error)))
    return FALSE;

  sqlite3_bind_int64 (clear, 1, op->connection_id);
  if (!_paddock_store_step_done (db, clear, "Could not replace the cached container list", error))
    return FALSE;

  if (!(insert = _paddock_store_prepare (db,
                                         "INSERT OR REPLACE INTO guest_cache (connection_id, vmid, node, name,"
                                         " status, json, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                         error)))
    return FALSE;

  for (guint i = 0; i < op->rows->len; i++)
    {
      const PaddockCachedGuest *guest = g_ptr_array_index (op->rows, i);

      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, op->connection_id);
      sqlite3_bind_int (insert, 2, guest->vmid);
      _paddock_store_bind_text (insert, 3, guest->node);
      _paddock_store_bind_text (insert, 4, guest->name);
      _paddock_store_bind_text (insert, 5, guest->status);
      _paddock_store_bind_text (insert, 6, guest->json != NULL ? guest->json : "{}");
      sqlite3_bind_int64 (insert, 7, guest->last_seen ? guest->last_seen : now);

      if (!_paddock_store_step_done (db, insert, "Could not cache the container list", error))
        return FALSE;
    }

  return TRUE;
}

/**
 * paddock_store_save_guest_cache_async:
 * @guests: (element-type PaddockCachedGuest): the whole list; it replaces the previous one
 */
void
paddock_store_save_guest_cache_async (PaddockStore        *self,
                                      gint64               connection_id,
                                      GPtrArray           *guests,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (guests != NULL);

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->rows = g_ptr_array_ref (guests);

  _paddock_store_write (self, paddock_store_save_guest_cache_async, save_guest_cache_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_save_guest_cache_finish (PaddockStore  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_save_guest_cache_async, error) != NULL;
}

static gboolean
load_guest_cache_func (sqlite3  *db,
                       StoreOp  *op,
                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       "SELECT vmid, node, name, status, json, last_seen FROM guest_cache"
                                       " WHERE connection_id = ? ORDER BY vmid",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  op->result_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_cached_guest_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PaddockCachedGuest *guest;

      guest = paddock_cached_guest_new (sqlite3_column_int (stmt, 0),
                                        (const char *) sqlite3_column_text (stmt, 1),
                                        (const char *) sqlite3_column_text (stmt, 2),
                                        (const char *) sqlite3_column_text (stmt, 3),
                                        (const char *) sqlite3_column_text (stmt, 4));
      guest->last_seen = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (op->result_rows, guest);
    }

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the cached container list");

  return TRUE;
}

void
paddock_store_load_guest_cache_async (PaddockStore        *self,
                                      gint64               connection_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;

  _paddock_store_read (self, paddock_store_load_guest_cache_async, load_guest_cache_func, op,
                       cancellable, callback, user_data);
}

/**
 * paddock_store_load_guest_cache_finish:
 *
 * Returns: (transfer container) (element-type PaddockCachedGuest): sorted by VMID
 */
GPtrArray *
paddock_store_load_guest_cache_finish (PaddockStore  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_load_guest_cache_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

/* The service cache */

static gboolean
save_service_cache_func (sqlite3  *db,
                         StoreOp  *op,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db,
                                       "INSERT OR REPLACE INTO service_cache (connection_id, vmid, payload,"
                                       " probed_at) VALUES (?, ?, ?, ?)",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  sqlite3_bind_int (stmt, 2, op->vmid);
  _paddock_store_bind_text (stmt, 3, op->text);
  sqlite3_bind_int64 (stmt, 4, _paddock_store_now ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_CHECK)
        {
          g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_INVALID,
                       "The service list of CT %u is not valid JSON", op->vmid);
          return FALSE;
        }
      return _paddock_store_set_error (error, db, sqlite3_extended_errcode (db), "Could not cache the services");
    }

  return TRUE;
}

void
paddock_store_save_service_cache_async (PaddockStore        *self,
                                        gint64               connection_id,
                                        guint                vmid,
                                        const char          *payload,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (payload != NULL);

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->vmid = vmid;
  op->text = g_strdup (payload);

  _paddock_store_write (self, paddock_store_save_service_cache_async, save_service_cache_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_save_service_cache_finish (PaddockStore  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_save_service_cache_async, error) != NULL;
}

static gboolean
load_service_cache_func (sqlite3  *db,
                         StoreOp  *op,
                         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       "SELECT payload, probed_at FROM service_cache"
                                       " WHERE connection_id = ? AND vmid = ?",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  sqlite3_bind_int (stmt, 2, op->vmid);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      op->result_text = _paddock_store_column_dup (stmt, 0);
      op->result_number = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "No services of CT %u have been probed yet", op->vmid);
      return FALSE;
    }

  return _paddock_store_set_error (error, db, rc, "Could not read the cached services");
}

void
paddock_store_load_service_cache_async (PaddockStore        *self,
                                        gint64               connection_id,
                                        guint                vmid,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->vmid = vmid;

  _paddock_store_read (self, paddock_store_load_service_cache_async, load_service_cache_func, op,
                       cancellable, callback, user_data);
}

/**
 * paddock_store_load_service_cache_finish:
 * @probed_at: (out) (optional): unix time of the probe
 *
 * Returns: (transfer full): the JSON payload, or %NULL with %PADDOCK_STORE_ERROR_NOT_FOUND
 */
char *
paddock_store_load_service_cache_finish (PaddockStore  *self,
                                         GAsyncResult  *result,
                                         gint64        *probed_at,
                                         GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_load_service_cache_async, error);

  if (op == NULL)
    return NULL;

  if (probed_at != NULL)
    *probed_at = op->result_number;

  return g_steal_pointer (&op->result_text);
}

/* Which containers run a service or listen on a port, from the cached probes (SQLite's JSON
 * functions read them where they are: no payload comes to the caller). */
static gboolean
find_services_func (sqlite3  *db,
                    StoreOp  *op,
                    GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       "SELECT DISTINCT s.vmid FROM service_cache s, json_each (s.payload, '$.services') sv"
                                       " LEFT JOIN json_each (sv.value, '$.ports') p"
                                       " WHERE s.connection_id = ?1"
                                       "   AND (?2 = 0 OR json_extract (p.value, '$.port') = ?2)"
                                       "   AND (?3 IS NULL OR instr (lower (json_extract (sv.value, '$.unit')), lower (?3)) > 0)"
                                       " UNION"
                                       " SELECT DISTINCT s.vmid FROM service_cache s, json_each (s.payload, '$.other_ports') o"
                                       " WHERE s.connection_id = ?1 AND ?2 != 0 AND ?3 IS NULL"
                                       "   AND json_extract (o.value, '$.port') = ?2",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  sqlite3_bind_int64 (stmt, 2, op->number);
  _paddock_store_bind_text (stmt, 3, op->name);

  op->result_rows = g_ptr_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (op->result_rows, GUINT_TO_POINTER ((guint) sqlite3_column_int64 (stmt, 0)));

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not search the cached services");

  return TRUE;
}

/**
 * paddock_store_find_services_async:
 * @port: a port the container listens on (TCP or UDP), or 0 for any
 * @name: (nullable): part of a service's unit name, case-insensitive, or %NULL for any
 */
void
paddock_store_find_services_async (PaddockStore        *self,
                                   gint64               connection_id,
                                   guint                port,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->number = port;
  op->name = g_strdup (name);

  _paddock_store_read (self, paddock_store_find_services_async, find_services_func, op, cancellable, callback,
                       user_data);
}

/**
 * paddock_store_find_services_finish:
 *
 * Returns: (transfer full) (element-type guint): the VMIDs, as GUINT_TO_POINTER
 */
GPtrArray *
paddock_store_find_services_finish (PaddockStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_find_services_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}
