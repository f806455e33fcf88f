/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-store.c: opening, migrating and serialising access to Paddock's SQLite database */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "paddock-store-private.h"

struct _PaddockStore
{
  GObject      parent_instance;

  char        *path;
  char        *owner_id;

  /* Used only on the writer thread, one job at a time. */
  sqlite3     *write_db;
  GThreadPool *writer;
  GThread     *writer_thread;

  /* query_only; readers take turns on it. */
  sqlite3     *read_db;
  GMutex       read_mutex;

  /* "host:port" → Pin, so that TLS handshakes never wait for the disk. */
  GHashTable  *pins;
  GMutex       pins_mutex;
};

typedef struct
{
  char *sha256;
  char *subject;
} Pin;

static void paddock_store_initable_iface_init    (GInitableIface            *iface);
static void paddock_store_trust_store_iface_init (PaddockTrustStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PaddockStore, paddock_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, paddock_store_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, NULL)
                               G_IMPLEMENT_INTERFACE (PADDOCK_TYPE_TRUST_STORE,
                                                      paddock_store_trust_store_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Forward-only migrations: migrations[i] takes the schema from version i to i + 1. */
static const char * const migrations[] = {
  /* 1: connections and trust */
  "CREATE TABLE connections ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),"
  "  host TEXT NOT NULL CHECK (length(host) > 0),"
  "  port INTEGER NOT NULL DEFAULT 8006 CHECK (port BETWEEN 1 AND 65535),"
  "  auth_kind TEXT NOT NULL CHECK (auth_kind IN ('token', 'password')),"
  "  username TEXT NOT NULL CHECK (length(username) > 0),"
  "  token_id TEXT,"
  "  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),"
  "  created_at INTEGER NOT NULL);"
  "CREATE UNIQUE INDEX connections_one_default ON connections (is_default) WHERE is_default = 1;"
  "CREATE TABLE node_ssh ("
  "  connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,"
  "  node TEXT NOT NULL,"
  "  address TEXT,"
  "  port INTEGER NOT NULL DEFAULT 22 CHECK (port BETWEEN 1 AND 65535),"
  "  user TEXT NOT NULL DEFAULT 'root',"
  "  auth TEXT NOT NULL DEFAULT 'agent' CHECK (auth IN ('agent', 'key', 'password')),"
  "  key_path TEXT,"
  "  PRIMARY KEY (connection_id, node));"
  "CREATE TABLE tls_pins ("
  "  host TEXT NOT NULL,"
  "  port INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  subject TEXT,"
  "  pinned_at INTEGER NOT NULL,"
  "  PRIMARY KEY (host, port));",

  /* 2: templates and package buckets (SPEC.md §6.1) */
  "CREATE TABLE templates ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),"
  "  description TEXT NOT NULL DEFAULT '',"
  "  tags TEXT NOT NULL DEFAULT '',"
  "  os_template TEXT,"
  "  cores INTEGER, memory INTEGER, swap INTEGER, disk INTEGER,"
  "  storage TEXT, bridge TEXT,"
  "  unprivileged INTEGER NOT NULL DEFAULT 1,"
  "  nesting INTEGER NOT NULL DEFAULT 0,"
  "  keyctl INTEGER NOT NULL DEFAULT 0,"
  "  fuse INTEGER NOT NULL DEFAULT 0,"
  "  onboot INTEGER NOT NULL DEFAULT 0,"
  "  source_path TEXT UNIQUE,"
  "  content_hash TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE template_packages ("
  "  id INTEGER PRIMARY KEY,"
  "  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  manager TEXT NOT NULL CHECK (manager IN ('apt', 'apk', 'dnf', 'npm', 'pip', 'custom')),"
  "  name TEXT NOT NULL,"
  "  version TEXT,"
  "  check_command TEXT, install_command TEXT, timeout INTEGER);"
  "CREATE INDEX template_packages_template ON template_packages (template_id, position);"
  "CREATE TABLE template_scripts ("
  "  id INTEGER PRIMARY KEY,"
  "  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  enabled INTEGER NOT NULL DEFAULT 1,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  content TEXT NOT NULL);"
  "CREATE INDEX template_scripts_template ON template_scripts (template_id, position);"
  "CREATE TABLE template_files ("
  "  id INTEGER PRIMARY KEY,"
  "  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  target_dir TEXT NOT NULL,"
  "  target_name TEXT,"
  "  policy TEXT NOT NULL DEFAULT 'default' CHECK (policy IN ('replace', 'default', 'backup')),"
  "  mode INTEGER,"
  "  content BLOB NOT NULL);"
  "CREATE INDEX template_files_template ON template_files (template_id, position);"
  "CREATE TABLE package_buckets ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),"
  "  description TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE bucket_packages ("
  "  id INTEGER PRIMARY KEY,"
  "  bucket_id INTEGER NOT NULL REFERENCES package_buckets (id) ON DELETE CASCADE,"
  "  manager TEXT NOT NULL CHECK (manager IN ('apt', 'apk', 'dnf', 'npm', 'pip', 'custom')),"
  "  name TEXT NOT NULL,"
  "  version TEXT NOT NULL DEFAULT '',"
  "  check_command TEXT, install_command TEXT, timeout INTEGER,"
  "  UNIQUE (bucket_id, manager, name, version));",

  /* 3: containers Paddock made, their timeline, provisioning jobs */
  "CREATE TABLE managed_containers ("
  "  connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,"
  "  vmid INTEGER NOT NULL CHECK (vmid BETWEEN 100 AND 999999999),"
  "  node TEXT NOT NULL,"
  "  hostname TEXT,"
  "  template_id INTEGER REFERENCES templates (id) ON DELETE SET NULL,"
  "  lifecycle TEXT NOT NULL DEFAULT 'creating' CHECK (lifecycle IN ('creating', 'ready', 'error')),"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (connection_id, vmid));"
  "CREATE TABLE events ("
  "  id INTEGER PRIMARY KEY,"
  "  connection_id INTEGER NOT NULL,"
  "  vmid INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  message TEXT NOT NULL,"
  "  details TEXT CHECK (details IS NULL OR json_valid(details)),"
  "  time INTEGER NOT NULL);"
  "CREATE INDEX events_container ON events (connection_id, vmid, time);"
  "CREATE TABLE jobs ("
  "  id INTEGER PRIMARY KEY,"
  "  connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,"
  "  node TEXT NOT NULL,"
  "  vmid INTEGER NOT NULL,"
  "  hostname TEXT,"
  "  template_id INTEGER REFERENCES templates (id) ON DELETE SET NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'interrupted', 'cancelled')),"
  "  phase TEXT,"
  "  percent INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),"
  "  message TEXT,"
  "  params TEXT CHECK (params IS NULL OR json_valid(params)),"
  "  items TEXT CHECK (items IS NULL OR json_valid(items)),"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE job_output ("
  "  job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  seq INTEGER NOT NULL,"
  "  stream INTEGER NOT NULL,"
  "  line TEXT NOT NULL,"
  "  PRIMARY KEY (job_id, seq)) WITHOUT ROWID;",

  /* 4: the offline list, the service cache and cross-process operation locks */
  "CREATE TABLE guest_cache ("
  "  connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,"
  "  vmid INTEGER NOT NULL,"
  "  node TEXT NOT NULL,"
  "  name TEXT,"
  "  status TEXT,"
  "  json TEXT NOT NULL,"
  "  last_seen INTEGER NOT NULL,"
  "  PRIMARY KEY (connection_id, vmid));"
  "CREATE TABLE service_cache ("
  "  connection_id INTEGER NOT NULL REFERENCES connections (id) ON DELETE CASCADE,"
  "  vmid INTEGER NOT NULL,"
  "  payload TEXT NOT NULL CHECK (json_valid(payload)),"
  "  probed_at INTEGER NOT NULL,"
  "  PRIMARY KEY (connection_id, vmid));"
  "CREATE TABLE operation_locks ("
  "  connection_id INTEGER NOT NULL,"
  "  vmid INTEGER NOT NULL,"
  "  owner TEXT NOT NULL,"
  "  operation TEXT NOT NULL,"
  "  container_name TEXT NOT NULL,"
  "  acquired_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  PRIMARY KEY (connection_id, vmid));",

  /* 5: which process runs a job (a job of a process that is gone was interrupted) */
  "ALTER TABLE jobs ADD COLUMN owner TEXT;",

  /* 6: a cancel asked for by another process (paddockctl job cancel) */
  "ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1));",
  /* 7: events as what happened and its arguments, worded when shown (older rows keep their text) */
  "ALTER TABLE events ADD COLUMN args TEXT CHECK (args IS NULL OR json_valid(args));",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == PADDOCK_STORE_SCHEMA_VERSION);

/* When the process started (field 22 of /proc/PID/stat), 0 when it does not exist: with the PID
 * it names a process, as a PID alone does not (PIDs are reused). */
static guint64
process_start_time (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;

  fields = g_strsplit (after + 2, " ", 22);
  if (g_strv_length (fields) < 20 || g_str_equal (fields[0], "Z"))
    return 0;

  return g_ascii_strtoull (fields[19], NULL, 10);
}

/* Whether the process an owner id names ("HOST:PID:START:RANDOM") may still run: certainly not
 * when it was this host's and that PID is gone or another process now; another host's, or an
 * id of another form, counts as alive (nothing here can tell). */
gboolean
_paddock_store_owner_alive (const char *owner)
{
  g_auto(GStrv) parts = owner ? g_strsplit (owner, ":", 4) : NULL;
  guint64 pid, start;

  if (parts == NULL || g_strv_length (parts) != 4 || g_strcmp0 (parts[0], g_get_host_name ()) != 0)
    return TRUE;
  if (!g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXINT, &pid, NULL) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXUINT64, &start, NULL))
    return TRUE;

  return process_start_time ((pid_t) pid) == start;
}

static void
pin_free (gpointer data)
{
  Pin *pin = data;

  g_free (pin->sha256);
  g_free (pin->subject);
  g_free (pin);
}

static char *
pin_key (const char *host,
         guint16     port)
{
  return g_strdup_printf ("%s:%u", host, port);
}

gint64
_paddock_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
_paddock_store_set_error (GError     **error,
                          sqlite3     *db,
                          int          rc,
                          const char  *what)
{
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  const char *path = db != NULL ? sqlite3_db_filename (db, "main") : NULL;
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = PADDOCK_STORE_ERROR_BUSY;
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = PADDOCK_STORE_ERROR_CORRUPT;
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = PADDOCK_STORE_ERROR_OPEN;
      break;

    case SQLITE_CONSTRAINT:
      code = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
             ? PADDOCK_STORE_ERROR_EXISTS : PADDOCK_STORE_ERROR_INVALID;
      break;

    default:
      code = PADDOCK_STORE_ERROR_FAILED;
    }

  g_set_error (error, PADDOCK_STORE_ERROR, code, "%s: %s (%s)",
               what, message, path != NULL && *path ? path : "database");
  return FALSE;
}

sqlite3_stmt *
_paddock_store_prepare (sqlite3     *db,
                        const char  *sql,
                        GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _paddock_store_set_error (error, db, rc, "Could not prepare a query");
      return NULL;
    }

  return stmt;
}

gboolean
_paddock_store_exec (sqlite3     *db,
                     const char  *sql,
                     GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _paddock_store_set_error (error, db, rc, "Could not update the database");

  return TRUE;
}

gboolean
_paddock_store_step_done (sqlite3       *db,
                          sqlite3_stmt  *stmt,
                          const char    *what,
                          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _paddock_store_set_error (error, db, sqlite3_extended_errcode (db), what);

  return TRUE;
}

void
_paddock_store_bind_text (sqlite3_stmt *stmt,
                          int           index,
                          const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
_paddock_store_column_dup (sqlite3_stmt *stmt,
                           int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           int         *value,
           const char  *what,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db, sql, error)))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _paddock_store_set_error (error, db, sqlite3_extended_errcode (db), what);

  *value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
check_integrity (sqlite3     *db,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *result;
  int rc;

  if (!(stmt = _paddock_store_prepare (db, "PRAGMA quick_check", error)))
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _paddock_store_set_error (error, db, sqlite3_extended_errcode (db),
                                     "The database could not be checked");

  result = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_CORRUPT,
                   "The database %s is damaged (%s); it was left as it is", path, result);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (sqlite3     *db,
         const char  *path,
         int          from_version,
         GError     **error)
{
  g_autofree char *set_version = NULL;

  if (from_version == PADDOCK_STORE_SCHEMA_VERSION)
    return TRUE;

  if (!_paddock_store_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (int v = from_version; v < PADDOCK_STORE_SCHEMA_VERSION; v++)
    {
      char *message = NULL;

      if (sqlite3_exec (db, migrations[v], NULL, NULL, &message) != SQLITE_OK)
        {
          g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_MIGRATION,
                       "Could not update the database %s from version %d to %d: %s; "
                       "nothing was changed", path, v, v + 1, message);
          sqlite3_free (message);
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %d", PADDOCK_STORE_SCHEMA_VERSION);
  if (!_paddock_store_exec (db, set_version, error) ||
      !_paddock_store_exec (db, "COMMIT", error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

static sqlite3 *open_connection (const char  *path,
                                 int          flags,
                                 GError     **error);

gboolean
_paddock_store_create_at_version (const char  *path,
                                  int          version,
                                  GError     **error)
{
  sqlite3 *db;
  gboolean ok = TRUE;

  g_return_val_if_fail (version >= 0 && version <= PADDOCK_STORE_SCHEMA_VERSION, FALSE);

  if (!(db = open_connection (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error)))
    return FALSE;

  for (int v = 0; ok && v < version; v++)
    ok = _paddock_store_exec (db, migrations[v], error);

  if (ok)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version);

      ok = _paddock_store_exec (db, set_version, error);
    }

  sqlite3_close (db);
  return ok;
}

static sqlite3 *
open_connection (const char  *path,
                 int          flags,
                 GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_OPEN,
                   "Could not open the database %s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static void
writer_func (gpointer data,
             gpointer user_data)
{
  g_autoptr(GTask) task = data;
  PaddockStore *self = user_data;
  StoreFunc func = g_object_get_data (G_OBJECT (task), "paddock-store-func");
  StoreOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  self->writer_thread = g_thread_self ();

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!_paddock_store_exec (self->write_db, "BEGIN IMMEDIATE", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (func (self->write_db, op, &error) && _paddock_store_exec (self->write_db, "COMMIT", &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  sqlite3_exec (self->write_db, "ROLLBACK", NULL, NULL, NULL);
  g_task_return_error (task, error);
}

static void
reader_func (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PaddockStore *self = source_object;
  StoreFunc func = g_object_get_data (G_OBJECT (task), "paddock-store-func");
  GError *error = NULL;
  gboolean ok;

  g_mutex_lock (&self->read_mutex);
  /* One read transaction gives the function a consistent snapshot. */
  ok = _paddock_store_exec (self->read_db, "BEGIN", &error) &&
       func (self->read_db, task_data, &error);
  sqlite3_exec (self->read_db, "COMMIT", NULL, NULL, NULL);
  g_mutex_unlock (&self->read_mutex);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
store_op_free (gpointer data)
{
  StoreOp *op = data;

  g_clear_object (&op->store);
  g_free (op->name);
  g_free (op->text);
  if (op->object != NULL && op->object_free != NULL)
    op->object_free (op->object);
  g_clear_pointer (&op->rows, g_ptr_array_unref);
  g_strfreev (op->lines);
  g_clear_pointer (&op->result_rows, g_ptr_array_unref);
  g_free (op->result_text);
  g_free (op);
}

StoreOp *
_paddock_store_op_new (PaddockStore *self)
{
  StoreOp *op = g_new0 (StoreOp, 1);

  op->store = g_object_ref (self);

  return op;
}

static GTask *
op_task_new (PaddockStore        *self,
             gpointer             source_tag,
             StoreFunc            func,
             StoreOp             *op,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, store_op_free);
  g_object_set_data (G_OBJECT (task), "paddock-store-func", func);

  return task;
}

void
_paddock_store_write (PaddockStore        *self,
                      gpointer             source_tag,
                      StoreFunc            func,
                      StoreOp             *op,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = op_task_new (self, source_tag, func, op, cancellable, callback, user_data);

  g_thread_pool_push (self->writer, task, NULL);
}

void
_paddock_store_read (PaddockStore        *self,
                     gpointer             source_tag,
                     StoreFunc            func,
                     StoreOp             *op,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = op_task_new (self, source_tag, func, op, cancellable, callback, user_data);

  g_task_run_in_thread (task, reader_func);
}

StoreOp *
_paddock_store_finish (PaddockStore  *self,
                       GAsyncResult  *result,
                       gpointer       source_tag,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  return g_task_get_task_data (G_TASK (result));
}

gboolean
_paddock_store_load_pins (sqlite3     *db,
                          GHashTable  *pins,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db, "SELECT host, port, sha256, subject FROM tls_pins", error)))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Pin *pin = g_new0 (Pin, 1);

      pin->sha256 = _paddock_store_column_dup (stmt, 2);
      pin->subject = _paddock_store_column_dup (stmt, 3);
      g_hash_table_replace (pins,
                            pin_key ((const char *) sqlite3_column_text (stmt, 0),
                                     sqlite3_column_int (stmt, 1)),
                            pin);
    }

  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the pinned certificates");

  return TRUE;
}

static gboolean
paddock_store_initable_init (GInitable     *initable,
                             GCancellable  *cancellable,
                             GError       **error)
{
  PaddockStore *self = PADDOCK_STORE (initable);
  g_autofree char *dir = NULL;
  int version = 0;

  g_return_val_if_fail (self->path != NULL, FALSE);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_OPEN,
                   "Could not create the folder %s: %s", dir, g_strerror (errsv));
      return FALSE;
    }

  if (!(self->write_db = open_connection (self->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error)))
    return FALSE;

  /* Everything before the migration only reads, so a file we refuse stays byte-for-byte intact. */
  if (!query_int (self->write_db, "PRAGMA user_version", &version,
                  "The file is not a Paddock database", error))
    {
      if (g_error_matches (*error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_CORRUPT))
        {
          g_clear_error (error);
          g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_CORRUPT,
                       "The database %s is damaged or is not a database; it was left as it is",
                       self->path);
        }
      return FALSE;
    }

  if (version > PADDOCK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_TOO_NEW,
                   "The database %s was written by a newer version of Paddock (schema %d; this "
                   "version knows up to %d). It was left untouched: update Paddock to use it.",
                   self->path, version, PADDOCK_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (version > 0 && !check_integrity (self->write_db, self->path, error))
    return FALSE;

  if (!_paddock_store_exec (self->write_db, "PRAGMA journal_mode = WAL", error) ||
      !_paddock_store_exec (self->write_db, "PRAGMA synchronous = NORMAL", error) ||
      !_paddock_store_exec (self->write_db, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self->write_db, self->path, version, error))
    return FALSE;

  if (!(self->read_db = open_connection (self->path, SQLITE_OPEN_READONLY, error)) ||
      !_paddock_store_exec (self->read_db, "PRAGMA query_only = ON", error) ||
      !_paddock_store_load_pins (self->read_db, self->pins, error))
    return FALSE;

  self->writer = g_thread_pool_new (writer_func, self, 1, TRUE, error);

  return self->writer != NULL;
}

static void
paddock_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = paddock_store_initable_init;
}

static char *
paddock_store_lookup_pin (PaddockTrustStore *trust_store,
                          const char        *host,
                          guint16            port)
{
  PaddockStore *self = PADDOCK_STORE (trust_store);
  g_autofree char *key = pin_key (host, port);
  char *sha256 = NULL;
  Pin *pin;

  g_mutex_lock (&self->pins_mutex);
  pin = g_hash_table_lookup (self->pins, key);
  if (pin != NULL)
    sha256 = g_strdup (pin->sha256);
  g_mutex_unlock (&self->pins_mutex);

  return sha256;
}

static void
paddock_store_set_pin (PaddockTrustStore *trust_store,
                       const char        *host,
                       guint16            port,
                       const char        *sha256,
                       const char        *subject)
{
  PaddockStore *self = PADDOCK_STORE (trust_store);
  Pin *pin = g_new0 (Pin, 1);

  pin->sha256 = g_ascii_strdown (sha256, -1);
  pin->subject = g_strdup (subject);

  g_mutex_lock (&self->pins_mutex);
  g_hash_table_replace (self->pins, pin_key (host, port), pin);
  g_mutex_unlock (&self->pins_mutex);

  _paddock_store_persist_pin (self, host, port, pin->sha256, subject);
}

static void
paddock_store_remove_pin (PaddockTrustStore *trust_store,
                          const char        *host,
                          guint16            port)
{
  PaddockStore *self = PADDOCK_STORE (trust_store);
  g_autofree char *key = pin_key (host, port);

  g_mutex_lock (&self->pins_mutex);
  g_hash_table_remove (self->pins, key);
  g_mutex_unlock (&self->pins_mutex);

  _paddock_store_persist_pin (self, host, port, NULL, NULL);
}

static void
paddock_store_trust_store_iface_init (PaddockTrustStoreInterface *iface)
{
  iface->lookup_pin = paddock_store_lookup_pin;
  iface->set_pin = paddock_store_set_pin;
  iface->remove_pin = paddock_store_remove_pin;
}

static void
paddock_store_dispose (GObject *object)
{
  PaddockStore *self = PADDOCK_STORE (object);

  /* Queued writes still reach the disk, unless the last reference drops on the writer itself. */
  if (self->writer != NULL)
    {
      gboolean on_writer = g_thread_self () == self->writer_thread;

      g_thread_pool_free (g_steal_pointer (&self->writer), FALSE, !on_writer);
    }

  G_OBJECT_CLASS (paddock_store_parent_class)->dispose (object);
}

static void
paddock_store_finalize (GObject *object)
{
  PaddockStore *self = PADDOCK_STORE (object);

  g_clear_pointer (&self->write_db, sqlite3_close);
  g_clear_pointer (&self->read_db, sqlite3_close);
  g_clear_pointer (&self->pins, g_hash_table_unref);
  g_mutex_clear (&self->read_mutex);
  g_mutex_clear (&self->pins_mutex);
  g_free (self->path);
  g_free (self->owner_id);

  G_OBJECT_CLASS (paddock_store_parent_class)->finalize (object);
}

static void
paddock_store_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PaddockStore *self = PADDOCK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_store_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PaddockStore *self = PADDOCK_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_store_class_init (PaddockStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_store_dispose;
  object_class->finalize = paddock_store_finalize;
  object_class->get_property = paddock_store_get_property;
  object_class->set_property = paddock_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_store_init (PaddockStore *self)
{
  g_autofree char *random = g_uuid_string_random ();

  g_mutex_init (&self->read_mutex);
  g_mutex_init (&self->pins_mutex);
  self->pins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pin_free);
  self->owner_id = g_strdup_printf ("%s:%d:%" G_GUINT64_FORMAT ":%.8s", g_get_host_name (), (int) getpid (),
                                    process_start_time (getpid ()), random);
}

/**
 * paddock_store_dup_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/paddock/paddock.db`
 */
char *
paddock_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "paddock", "paddock.db", NULL);
}

PaddockStore *
paddock_store_new (const char    *path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_initable_new (PADDOCK_TYPE_STORE, cancellable, error, "path", path, NULL);
}

/* Opening reads and may migrate the file: it runs in a worker thread (GAsyncInitable's default). */
void
paddock_store_open_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (path != NULL);

  g_async_initable_new_async (PADDOCK_TYPE_STORE, G_PRIORITY_DEFAULT, cancellable,
                              callback, user_data, "path", path, NULL);
}

PaddockStore *
paddock_store_open_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(GObject) source = g_async_result_get_source_object (result);

  return PADDOCK_STORE (g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error));
}

const char *
paddock_store_get_path (PaddockStore *self)
{
  g_return_val_if_fail (PADDOCK_IS_STORE (self), NULL);

  return self->path;
}

/* Identifies this process's store in operation locks. */
const char *
paddock_store_get_owner_id (PaddockStore *self)
{
  g_return_val_if_fail (PADDOCK_IS_STORE (self), NULL);

  return self->owner_id;
}

static gboolean
flush_func (sqlite3  *db,
            StoreOp  *op,
            GError  **error)
{
  return TRUE;
}

void
paddock_store_flush_async (PaddockStore        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (PADDOCK_IS_STORE (self));

  _paddock_store_write (self, paddock_store_flush_async, flush_func, _paddock_store_op_new (self),
                        cancellable, callback, user_data);
}

gboolean
paddock_store_flush_finish (PaddockStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_flush_async, error) != NULL;
}
