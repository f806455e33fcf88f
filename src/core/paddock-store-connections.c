/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-store-connections.c: connections, per-node SSH settings and TLS pins in the store */

#include "config.h"

#include "paddock-store-private.h"

static gboolean
add_connection_func (sqlite3  *db,
                     StoreOp  *op,
                     GError  **error)
{
  PaddockConnection *connection = op->object;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int has_default = 0;

  /* The first connection becomes the default for new containers. */
  {
    g_autoptr(sqlite3_stmt) query = NULL;

    if (!(query = _paddock_store_prepare (db, "SELECT count(*) FROM connections WHERE is_default = 1", error)))
      return FALSE;
    if (sqlite3_step (query) == SQLITE_ROW)
      has_default = sqlite3_column_int (query, 0);
  }

  if (!(stmt = _paddock_store_prepare (db,
                                       "INSERT INTO connections (name, host, port, auth_kind, username,"
                                       " token_id, is_default, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                       error)))
    return FALSE;

  _paddock_store_bind_text (stmt, 1, paddock_connection_get_name (connection));
  _paddock_store_bind_text (stmt, 2, paddock_connection_get_host (connection));
  sqlite3_bind_int (stmt, 3, paddock_connection_get_port (connection));
  _paddock_store_bind_text (stmt, 4, paddock_auth_kind_to_string (paddock_connection_get_auth_kind (connection)));
  _paddock_store_bind_text (stmt, 5, paddock_connection_get_username (connection));
  _paddock_store_bind_text (stmt, 6, paddock_connection_get_token_id (connection));
  sqlite3_bind_int (stmt, 7, has_default == 0);
  sqlite3_bind_int64 (stmt, 8, paddock_connection_get_created_at (connection));

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS,
                       "A connection named “%s” already exists", paddock_connection_get_name (connection));
          return FALSE;
        }
      return _paddock_store_set_error (error, db, sqlite3_extended_errcode (db), "Could not save the connection");
    }

  op->result_number = sqlite3_last_insert_rowid (db);
  op->limit = has_default == 0;

  return TRUE;
}

void
paddock_store_add_connection_async (PaddockStore        *self,
                                    PaddockConnection   *connection,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (PADDOCK_IS_CONNECTION (connection));

  op = _paddock_store_op_new (self);
  op->object = g_object_ref (connection);
  op->object_free = g_object_unref;

  _paddock_store_write (self, paddock_store_add_connection_async, add_connection_func, op,
                        cancellable, callback, user_data);
}

/* On success the connection gets its id (and the default flag when it is the first). */
gboolean
paddock_store_add_connection_finish (PaddockStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_add_connection_async, error);

  if (op == NULL)
    return FALSE;

  paddock_connection_set_id (op->object, op->result_number);
  paddock_connection_set_is_default (op->object, op->limit);

  return TRUE;
}

static gboolean
require_changed_row (sqlite3     *db,
                     const char  *what,
                     gint64       id,
                     GError     **error)
{
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "%s %" G_GINT64_FORMAT " does not exist", what, id);
      return FALSE;
    }

  return TRUE;
}

static gboolean
rename_connection_func (sqlite3  *db,
                        StoreOp  *op,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db, "UPDATE connections SET name = ? WHERE id = ?", error)))
    return FALSE;

  _paddock_store_bind_text (stmt, 1, op->name);
  sqlite3_bind_int64 (stmt, 2, op->connection_id);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS,
                       "A connection named “%s” already exists", op->name);
          return FALSE;
        }
      return _paddock_store_set_error (error, db, sqlite3_extended_errcode (db), "Could not rename the connection");
    }

  return require_changed_row (db, "Connection", op->connection_id, error);
}

void
paddock_store_rename_connection_async (PaddockStore        *self,
                                       gint64               connection_id,
                                       const char          *name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (name != NULL);

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;
  op->name = g_strdup (name);

  _paddock_store_write (self, paddock_store_rename_connection_async, rename_connection_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_rename_connection_finish (PaddockStore  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_rename_connection_async, error) != NULL;
}

static gboolean
remove_connection_func (sqlite3  *db,
                        StoreOp  *op,
                        GError  **error)
{
  g_autoptr(sqlite3_stmt) remove = NULL;
  g_autoptr(sqlite3_stmt) promote = NULL;

  if (!(remove = _paddock_store_prepare (db, "DELETE FROM connections WHERE id = ?", error)))
    return FALSE;

  sqlite3_bind_int64 (remove, 1, op->connection_id);
  if (!_paddock_store_step_done (db, remove, "Could not remove the connection", error) ||
      !require_changed_row (db, "Connection", op->connection_id, error))
    return FALSE;

  /* Removing the default promotes the oldest remaining connection. */
  if (!(promote = _paddock_store_prepare (db,
                                          "UPDATE connections SET is_default = 1 WHERE id ="
                                          " (SELECT id FROM connections ORDER BY created_at, id LIMIT 1)"
                                          " AND NOT EXISTS (SELECT 1 FROM connections WHERE is_default = 1)",
                                          error)))
    return FALSE;

  return _paddock_store_step_done (db, promote, "Could not choose a new default connection", error);
}

void
paddock_store_remove_connection_async (PaddockStore        *self,
                                       gint64               connection_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;

  _paddock_store_write (self, paddock_store_remove_connection_async, remove_connection_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_remove_connection_finish (PaddockStore  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_remove_connection_async, error) != NULL;
}

static gboolean
set_default_connection_func (sqlite3  *db,
                             StoreOp  *op,
                             GError  **error)
{
  g_autoptr(sqlite3_stmt) exists = NULL;
  g_autoptr(sqlite3_stmt) set = NULL;

  if (!(exists = _paddock_store_prepare (db, "SELECT 1 FROM connections WHERE id = ?", error)))
    return FALSE;

  sqlite3_bind_int64 (exists, 1, op->connection_id);
  if (sqlite3_step (exists) != SQLITE_ROW)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "Connection %" G_GINT64_FORMAT " does not exist", op->connection_id);
      return FALSE;
    }

  if (!_paddock_store_exec (db, "UPDATE connections SET is_default = 0 WHERE is_default = 1", error) ||
      !(set = _paddock_store_prepare (db, "UPDATE connections SET is_default = 1 WHERE id = ?", error)))
    return FALSE;

  sqlite3_bind_int64 (set, 1, op->connection_id);

  return _paddock_store_step_done (db, set, "Could not set the default connection", error);
}

void
paddock_store_set_default_connection_async (PaddockStore        *self,
                                            gint64               connection_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;

  _paddock_store_write (self, paddock_store_set_default_connection_async, set_default_connection_func,
                        op, cancellable, callback, user_data);
}

gboolean
paddock_store_set_default_connection_finish (PaddockStore  *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_set_default_connection_async, error) != NULL;
}

static gboolean
list_connections_func (sqlite3  *db,
                       StoreOp  *op,
                       GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       "SELECT id, name, host, port, auth_kind, username, token_id,"
                                       " is_default, created_at FROM connections ORDER BY name COLLATE NOCASE",
                                       error)))
    return FALSE;

  op->result_rows = g_ptr_array_new_with_free_func (g_object_unref);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PaddockConnection *connection;
      PaddockAuthKind kind = PADDOCK_AUTH_TOKEN;

      paddock_auth_kind_from_string ((const char *) sqlite3_column_text (stmt, 4), &kind);
      connection = paddock_connection_new ((const char *) sqlite3_column_text (stmt, 1),
                                           (const char *) sqlite3_column_text (stmt, 2),
                                           sqlite3_column_int (stmt, 3),
                                           kind,
                                           (const char *) sqlite3_column_text (stmt, 5),
                                           (const char *) sqlite3_column_text (stmt, 6));
      paddock_connection_set_id (connection, sqlite3_column_int64 (stmt, 0));
      paddock_connection_set_is_default (connection, sqlite3_column_int (stmt, 7));
      paddock_connection_set_created_at (connection, sqlite3_column_int64 (stmt, 8));
      g_ptr_array_add (op->result_rows, connection);
    }

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the connections");

  return TRUE;
}

void
paddock_store_list_connections_async (PaddockStore        *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (PADDOCK_IS_STORE (self));

  _paddock_store_read (self, paddock_store_list_connections_async, list_connections_func,
                       _paddock_store_op_new (self), cancellable, callback, user_data);
}

/**
 * paddock_store_list_connections_finish:
 *
 * Returns: (transfer container) (element-type PaddockConnection): connections sorted by name
 */
GPtrArray *
paddock_store_list_connections_finish (PaddockStore  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_list_connections_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

static gboolean
set_node_ssh_func (sqlite3  *db,
                   StoreOp  *op,
                   GError  **error)
{
  const PaddockNodeSsh *ssh = op->object;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db,
                                       "INSERT OR REPLACE INTO node_ssh (connection_id, node, address,"
                                       " port, user, auth, key_path) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, ssh->connection_id);
  _paddock_store_bind_text (stmt, 2, ssh->node);
  _paddock_store_bind_text (stmt, 3, ssh->address);
  sqlite3_bind_int (stmt, 4, ssh->port);
  _paddock_store_bind_text (stmt, 5, ssh->user);
  _paddock_store_bind_text (stmt, 6, paddock_ssh_auth_to_string (ssh->auth));
  _paddock_store_bind_text (stmt, 7, ssh->key_path);

  return _paddock_store_step_done (db, stmt, "Could not save the SSH settings", error);
}

void
paddock_store_set_node_ssh_async (PaddockStore         *self,
                                  const PaddockNodeSsh *ssh,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (ssh != NULL && ssh->node != NULL && ssh->user != NULL);

  op = _paddock_store_op_new (self);
  op->object = paddock_node_ssh_copy (ssh);
  op->object_free = (GDestroyNotify) paddock_node_ssh_free;

  _paddock_store_write (self, paddock_store_set_node_ssh_async, set_node_ssh_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_set_node_ssh_finish (PaddockStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_set_node_ssh_async, error) != NULL;
}

static gboolean
list_node_ssh_func (sqlite3  *db,
                    StoreOp  *op,
                    GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       "SELECT node, address, port, user, auth, key_path FROM node_ssh"
                                       " WHERE connection_id = ? ORDER BY node",
                                       error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, op->connection_id);
  op->result_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_node_ssh_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PaddockNodeSsh *ssh = paddock_node_ssh_new (op->connection_id,
                                                  (const char *) sqlite3_column_text (stmt, 0));

      ssh->address = _paddock_store_column_dup (stmt, 1);
      ssh->port = sqlite3_column_int (stmt, 2);
      g_free (ssh->user);
      ssh->user = _paddock_store_column_dup (stmt, 3);
      paddock_ssh_auth_from_string ((const char *) sqlite3_column_text (stmt, 4), &ssh->auth);
      ssh->key_path = _paddock_store_column_dup (stmt, 5);
      g_ptr_array_add (op->result_rows, ssh);
    }

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the SSH settings");

  return TRUE;
}

void
paddock_store_list_node_ssh_async (PaddockStore        *self,
                                   gint64               connection_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->connection_id = connection_id;

  _paddock_store_read (self, paddock_store_list_node_ssh_async, list_node_ssh_func, op,
                       cancellable, callback, user_data);
}

/**
 * paddock_store_list_node_ssh_finish:
 *
 * Returns: (transfer container) (element-type PaddockNodeSsh): the nodes with SSH settings
 */
GPtrArray *
paddock_store_list_node_ssh_finish (PaddockStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_list_node_ssh_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

static gboolean
persist_pin_func (sqlite3  *db,
                  StoreOp  *op,
                  GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint16 port = op->number;

  if (op->text == NULL)
    {
      if (!(stmt = _paddock_store_prepare (db, "DELETE FROM tls_pins WHERE host = ? AND port = ?", error)))
        return FALSE;
      _paddock_store_bind_text (stmt, 1, op->name);
      sqlite3_bind_int (stmt, 2, port);
      return _paddock_store_step_done (db, stmt, "Could not forget the pinned certificate", error);
    }

  if (!(stmt = _paddock_store_prepare (db,
                                       "INSERT OR REPLACE INTO tls_pins (host, port, sha256, subject,"
                                       " pinned_at) VALUES (?, ?, ?, ?, ?)",
                                       error)))
    return FALSE;

  _paddock_store_bind_text (stmt, 1, op->name);
  sqlite3_bind_int (stmt, 2, port);
  _paddock_store_bind_text (stmt, 3, op->text);
  _paddock_store_bind_text (stmt, 4, op->object);
  sqlite3_bind_int64 (stmt, 5, _paddock_store_now ());

  return _paddock_store_step_done (db, stmt, "Could not pin the certificate", error);
}

static void
persist_pin_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (_paddock_store_finish (PADDOCK_STORE (object), result, _paddock_store_persist_pin, &error) == NULL)
    g_warning ("%s", error->message);
}

void
_paddock_store_persist_pin (PaddockStore *self,
                            const char   *host,
                            guint16       port,
                            const char   *sha256,
                            const char   *subject)
{
  StoreOp *op = _paddock_store_op_new (self);

  op->name = g_strdup (host);
  op->number = port;
  op->text = g_strdup (sha256);
  op->object = g_strdup (subject);
  op->object_free = g_free;

  _paddock_store_write (self, _paddock_store_persist_pin, persist_pin_func, op,
                        NULL, persist_pin_done, NULL);
}
