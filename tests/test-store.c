/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: the SQLite store on real files: migrations, refusals, every operation, crashes */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "paddock-store-private.h"
#include "paddock-test-util.h"

static const char *self_exe;

static char *
new_db_path (void)
{
  g_autofree char *dir = paddock_test_make_dir ("store");

  return g_build_filename (dir, "paddock.db", NULL);
}

static PaddockStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PaddockStore *store;

  paddock_store_open_async (path, NULL, PADDOCK_TEST_ASYNC (result));
  store = paddock_store_open_finish (paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (PADDOCK_IS_STORE (store));

  return store;
}

static int
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static PaddockConnection *
add_connection (PaddockStore *store,
                const char   *name)
{
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  connection = paddock_connection_new (name, "pve.example.com", 8006, PADDOCK_AUTH_TOKEN,
                                       "root@pam", "paddock");
  paddock_store_add_connection_async (store, connection, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_add_connection_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (paddock_connection_get_id (connection), >, 0);

  return g_steal_pointer (&connection);
}

static void
flush (PaddockStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  paddock_store_flush_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_flush_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
test_open_empty (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autofree char *journal = NULL;
  g_autofree char *integrity = NULL;

  g_assert_cmpstr (paddock_store_get_path (store), ==, path);
  g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, PADDOCK_STORE_SCHEMA_VERSION);
  journal = sql_text (path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"), ==, 16);
  integrity = sql_text (path, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
}

/* Each older schema, with data in it, is migrated forward and keeps its data. */
static void
test_migrate_from_each_version (void)
{
  for (int version = 0; version < PADDOCK_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *path = new_db_path ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PaddockStore) store = NULL;

      g_test_message ("migrating from schema %d", version);
      g_assert_true (_paddock_store_create_at_version (path, version, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, version);

      if (version >= 1)
        sql_exec (path, "INSERT INTO connections (name, host, port, auth_kind, username, is_default, created_at)"
                        " VALUES ('old', 'pve1', 8006, 'token', 'root@pam', 1, 1)");
      if (version >= 2)
        sql_exec (path, "INSERT INTO templates (name, created_at, updated_at) VALUES ('web', 1, 1)");
      if (version >= 3)
        sql_exec (path, "INSERT INTO events (connection_id, vmid, kind, message, time)"
                        " VALUES (1, 101, 'action-succeeded', 'Started', 5)");

      store = open_store (path);
      g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, PADDOCK_STORE_SCHEMA_VERSION);
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM operation_locks"), ==, 0);
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM connections"), ==, version >= 1 ? 1 : 0);
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM templates"), ==, version >= 2 ? 1 : 0);
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM events"), ==, version >= 3 ? 1 : 0);
    }
}

/* Each released schema, as a committed database of that version (tests/fixtures/store/, frozen:
 * made once by that version's code, never regenerated), migrates forward and keeps every row. */
static void
test_migrate_frozen_databases (void)
{
  for (int version = 1; version < PADDOCK_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *name = g_strdup_printf ("schema-%d.sql", version);
      g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "fixtures", "store", name, NULL);
      g_autofree char *sql = NULL;
      g_autofree char *path = new_db_path ();
      g_autofree char *message = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(PaddockStore) store = NULL;
      g_autoptr(GPtrArray) connections = NULL;
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(GListModel) templates = NULL;

      g_test_message ("migrating the frozen database of schema %d", version);
      g_assert_true (g_file_get_contents (fixture, &sql, NULL, &error));
      g_assert_no_error (error);
      sql_exec (path, sql);
      g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, version);

      store = open_store (path);
      g_assert_cmpint (sql_int (path, "PRAGMA user_version"), ==, PADDOCK_STORE_SCHEMA_VERSION);
      message = sql_text (path, "PRAGMA integrity_check");
      g_assert_cmpstr (message, ==, "ok");

      paddock_store_list_connections_async (store, NULL, PADDOCK_TEST_ASYNC (result));
      connections = paddock_store_list_connections_finish (store, paddock_test_wait (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (connections->len, ==, 2);
      g_assert_cmpstr (paddock_connection_get_name (g_ptr_array_index (connections, 0)), ==, "homelab");
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM tls_pins"), ==, 1);
      g_assert_cmpint (sql_int (path, "SELECT count(*) FROM node_ssh"), ==, 1);

      if (version >= 2)
        {
          g_autoptr(PaddockTemplate) web = NULL;

          g_clear_object (&result);
          paddock_store_list_templates_async (store, NULL, PADDOCK_TEST_ASYNC (result));
          templates = paddock_store_list_templates_finish (store, paddock_test_wait (&result), &error);
          g_assert_no_error (error);
          g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 1);
          web = g_list_model_get_item (templates, 0);
          g_assert_cmpstr (paddock_template_get_name (web), ==, "web");
          g_assert_cmpuint (paddock_template_get_packages (web)->len, ==, 1);
          g_assert_cmpuint (paddock_template_get_scripts (web)->len, ==, 1);
          g_assert_cmpuint (paddock_template_get_files (web)->len, ==, 1);
          g_assert_cmpint (sql_int (path, "SELECT count(*) FROM bucket_packages"), ==, 1);
        }

      if (version >= 3)
        {
          g_autoptr(PaddockEvent) added = NULL;

          /* Events of older versions keep the text they were stored with. */
          g_clear_object (&result);
          paddock_store_list_events_async (store, 1, 140, 10, NULL, PADDOCK_TEST_ASYNC (result));
          events = paddock_store_list_events_finish (store, paddock_test_wait (&result), &error);
          g_assert_no_error (error);
          g_assert_cmpuint (events->len, ==, 2);
          g_assert_cmpstr (paddock_event_get_message (g_ptr_array_index (events, 0)), ==, "Restarted nginx.service");
          g_assert_cmpstr (paddock_event_get_message (g_ptr_array_index (events, 1)), ==, "Shut down (graceful)");
          g_assert_null (paddock_event_get_args (g_ptr_array_index (events, 1)));
          g_assert_cmpint (sql_int (path, "SELECT count(*) FROM jobs"), ==, 1);
          g_assert_cmpint (sql_int (path, "SELECT count(*) FROM job_output"), ==, 1);
          g_assert_cmpint (sql_int (path, "SELECT count(*) FROM managed_containers"), ==, 1);

          /* New ones are stored as what happened, with no English text in the row. */
          added = paddock_event_new_described (1, 140, PADDOCK_EVENT_ACTION_FAILED, NULL, "action-failed",
                                               "action", "start", "error", "CT is locked (backup)", NULL);
          g_clear_object (&result);
          paddock_store_add_event_async (store, added, NULL, PADDOCK_TEST_ASYNC (result));
          g_assert_true (paddock_store_add_event_finish (store, paddock_test_wait (&result), &error));
          g_assert_no_error (error);
          g_clear_pointer (&message, g_free);
          message = sql_text (path, "SELECT message || '|' || args FROM events ORDER BY id DESC LIMIT 1");
          g_assert_cmpstr (message, ==, "|{\"what\":\"action-failed\",\"action\":\"start\",\"error\":\"CT is locked (backup)\"}");
          g_clear_pointer (&events, g_ptr_array_unref);
          g_clear_object (&result);
          paddock_store_list_events_async (store, 1, 140, 10, NULL, PADDOCK_TEST_ASYNC (result));
          events = paddock_store_list_events_finish (store, paddock_test_wait (&result), &error);
          g_assert_cmpstr (paddock_event_get_message (g_ptr_array_index (events, 0)), ==,
                           "Start failed: CT is locked (backup)");
          {
            g_autofree char *action = paddock_event_dup_arg (g_ptr_array_index (events, 0), "action");
            g_autofree char *none = paddock_event_dup_arg (g_ptr_array_index (events, 1), "action");

            g_assert_cmpstr (action, ==, "start");
            g_assert_null (none);
          }
        }

      if (version >= 4)
        g_assert_cmpint (sql_int (path, "SELECT count(*) FROM guest_cache"), ==, 1);
      if (version >= 5)
        {
          g_clear_pointer (&message, g_free);
          message = sql_text (path, "SELECT owner FROM jobs");
          g_assert_cmpstr (message, ==, "host:1234");
        }
    }
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
test_refuse_newer (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockStore) store = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  sql_exec (path, "CREATE TABLE future (x); INSERT INTO future VALUES (42); PRAGMA user_version = 99");
  before = read_file (path);

  store = paddock_store_new (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "99"));

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_refuse_corrupt (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockStore) store = NULL;
  GString *garbage = g_string_new ("This is not a database. ");

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (garbage, "%u garbage line\n", i);
  g_assert_true (g_file_set_contents (path, garbage->str, garbage->len, NULL));
  g_string_free (garbage, TRUE);
  before = read_file (path);

  store = paddock_store_new (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
}

static GPtrArray *
list_connections (PaddockStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *connections;

  paddock_store_list_connections_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  connections = paddock_store_list_connections_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);

  return connections;
}

static void
test_connections (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(PaddockConnection) home = add_connection (store, "Home lab");
  g_autoptr(PaddockConnection) office = add_connection (store, "Office");
  g_autoptr(PaddockConnection) duplicate = NULL;
  g_autoptr(GPtrArray) connections = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (paddock_connection_get_is_default (home));
  g_assert_false (paddock_connection_get_is_default (office));

  duplicate = paddock_connection_new ("Office", "other", 8006, PADDOCK_AUTH_PASSWORD, "me@pve", NULL);
  paddock_store_add_connection_async (store, duplicate, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_add_connection_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Office"));
  g_clear_error (&error);
  g_clear_object (&result);

  paddock_store_set_default_connection_async (store, paddock_connection_get_id (office), NULL,
                                              PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_set_default_connection_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  paddock_store_set_default_connection_async (store, 9999, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_set_default_connection_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  paddock_store_rename_connection_async (store, paddock_connection_get_id (home), "Basement", NULL,
                                         PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_rename_connection_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  connections = list_connections (store);
  g_assert_cmpuint (connections->len, ==, 2);
  g_assert_cmpstr (paddock_connection_get_name (connections->pdata[0]), ==, "Basement");
  g_assert_false (paddock_connection_get_is_default (connections->pdata[0]));
  g_assert_cmpstr (paddock_connection_get_name (connections->pdata[1]), ==, "Office");
  g_assert_true (paddock_connection_get_is_default (connections->pdata[1]));
  g_assert_cmpint (paddock_connection_get_auth_kind (connections->pdata[1]), ==, PADDOCK_AUTH_TOKEN);
  g_assert_cmpstr (paddock_connection_get_token_id (connections->pdata[1]), ==, "paddock");
  g_clear_pointer (&connections, g_ptr_array_unref);

  /* Removing the default promotes the remaining connection. */
  paddock_store_remove_connection_async (store, paddock_connection_get_id (office), NULL,
                                         PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_remove_connection_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  connections = list_connections (store);
  g_assert_cmpuint (connections->len, ==, 1);
  g_assert_true (paddock_connection_get_is_default (connections->pdata[0]));

  paddock_store_remove_connection_async (store, paddock_connection_get_id (office), NULL,
                                         PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_remove_connection_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND);
}

static void
test_node_ssh (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(PaddockConnection) connection = add_connection (store, "Lab");
  gint64 id = paddock_connection_get_id (connection);
  g_autoptr(PaddockNodeSsh) ssh = paddock_node_ssh_new (id, "pve2");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockNodeSsh *row;

  ssh->address = g_strdup ("10.0.0.2");
  ssh->port = 2222;
  ssh->auth = PADDOCK_SSH_AUTH_KEY;
  ssh->key_path = g_strdup ("/home/me/.ssh/id_ed25519");
  paddock_store_set_node_ssh_async (store, ssh, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_set_node_ssh_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  paddock_store_list_node_ssh_async (store, id, NULL, PADDOCK_TEST_ASYNC (result));
  rows = paddock_store_list_node_ssh_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = rows->pdata[0];
  g_assert_cmpstr (row->node, ==, "pve2");
  g_assert_cmpstr (row->address, ==, "10.0.0.2");
  g_assert_cmpuint (row->port, ==, 2222);
  g_assert_cmpstr (row->user, ==, "root");
  g_assert_cmpint (row->auth, ==, PADDOCK_SSH_AUTH_KEY);
  g_assert_cmpstr (row->key_path, ==, "/home/me/.ssh/id_ed25519");
  g_clear_object (&result);

  /* Settings go with their connection. */
  paddock_store_remove_connection_async (store, id, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_remove_connection_finish (store, paddock_test_wait (&result), &error));
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM node_ssh"), ==, 0);
}

static void
test_pins (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  PaddockTrustStore *trust = PADDOCK_TRUST_STORE (store);
  const char *fingerprint = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  g_autofree char *found = NULL;
  g_autofree char *none = NULL;
  g_autofree char *reloaded = NULL;

  g_assert_null (paddock_trust_store_lookup_pin (trust, "pve1", 8006));
  paddock_trust_store_set_pin (trust, "pve1", 8006, fingerprint, "CN=pve1");
  found = paddock_trust_store_lookup_pin (trust, "pve1", 8006);
  g_assert_cmpstr (found, ==, "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89");
  none = paddock_trust_store_lookup_pin (trust, "pve1", 8007);
  g_assert_null (none);
  flush (store);
  g_clear_object (&store);

  store = open_store (path);
  reloaded = paddock_trust_store_lookup_pin (PADDOCK_TRUST_STORE (store), "pve1", 8006);
  g_assert_cmpstr (reloaded, ==, found);

  paddock_trust_store_remove_pin (PADDOCK_TRUST_STORE (store), "pve1", 8006);
  g_assert_null (paddock_trust_store_lookup_pin (PADDOCK_TRUST_STORE (store), "pve1", 8006));
  flush (store);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM tls_pins"), ==, 0);
}

static void
add_event (PaddockStore     *store,
           guint             vmid,
           PaddockEventKind  kind,
           const char       *message,
           const char       *details,
           GError          **error)
{
  g_autoptr(PaddockEvent) event = paddock_event_new (1, vmid, kind, message, details);
  g_autoptr(GAsyncResult) result = NULL;

  paddock_store_add_event_async (store, event, NULL, PADDOCK_TEST_ASYNC (result));
  if (paddock_store_add_event_finish (store, paddock_test_wait (&result), error))
    g_assert_cmpint (paddock_event_get_id (event), >, 0);
}

static void
test_events (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  add_event (store, 101, PADDOCK_EVENT_ACTION_STARTED, "Starting", NULL, &error);
  g_assert_no_error (error);
  add_event (store, 101, PADDOCK_EVENT_ACTION_SUCCEEDED, "Started", "{\"upid\": \"UPID:pve1:1\"}", &error);
  g_assert_no_error (error);
  add_event (store, 102, PADDOCK_EVENT_ERROR, "Other container", NULL, &error);
  g_assert_no_error (error);
  add_event (store, 101, PADDOCK_EVENT_ERROR, "Bad details", "{not json", &error);
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_INVALID);
  g_clear_error (&error);

  paddock_store_list_events_async (store, 1, 101, 0, NULL, PADDOCK_TEST_ASYNC (result));
  events = paddock_store_list_events_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (paddock_event_get_kind (events->pdata[0]), ==, PADDOCK_EVENT_ACTION_SUCCEEDED);
  g_assert_cmpstr (paddock_event_get_details (events->pdata[0]), ==, "{\"upid\": \"UPID:pve1:1\"}");
  g_assert_cmpint (paddock_event_get_kind (events->pdata[1]), ==, PADDOCK_EVENT_ACTION_STARTED);
  g_assert_cmpint (paddock_event_get_time (events->pdata[0]), >=, paddock_event_get_time (events->pdata[1]));
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_store_list_events_async (store, 1, 101, 1, NULL, PADDOCK_TEST_ASYNC (result));
  events = paddock_store_list_events_finish (store, paddock_test_wait (&result), &error);
  g_assert_cmpuint (events->len, ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_object (&result);

  paddock_store_clear_events_async (store, 1, 101, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_clear_events_finish (store, paddock_test_wait (&result), &error));
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM events"), ==, 1);
}

static gboolean
acquire (PaddockStore  *store,
         guint          vmid,
         guint          ttl,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_store_acquire_lock_async (store, 1, vmid, "web1", "shutdown", ttl, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_store_acquire_lock_finish (store, paddock_test_wait (&result), error);
}

static void
release (PaddockStore *store,
         guint         vmid)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  paddock_store_release_lock_async (store, 1, vmid, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_release_lock_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
test_locks (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (acquire (store, 101, 60, &error));
  g_assert_no_error (error);
  g_assert_false (acquire (store, 101, 60, &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==, "Another operation is in progress on web1 (shutdown)");
  g_clear_error (&error);

  /* Other containers are independent. */
  g_assert_true (acquire (store, 102, 60, &error));
  g_assert_no_error (error);

  release (store, 101);
  g_assert_true (acquire (store, 101, 1, &error));
  g_assert_no_error (error);

  /* An abandoned lock expires. */
  g_usleep (2100 * 1000);
  g_assert_true (acquire (store, 101, 60, &error));
  g_assert_no_error (error);
}

static void
test_guest_cache (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(PaddockConnection) connection = add_connection (store, "Lab");
  gint64 id = paddock_connection_get_id (connection);
  g_autoptr(GPtrArray) guests = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_cached_guest_free);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockCachedGuest *first;

  g_ptr_array_add (guests, paddock_cached_guest_new (102, "pve1", "db", "stopped", "{\"vmid\":102}"));
  g_ptr_array_add (guests, paddock_cached_guest_new (101, "pve1", "web", "running", "{\"vmid\":101}"));
  g_ptr_array_add (guests, paddock_cached_guest_new (103, "pve2", NULL, "running", "{\"vmid\":103}"));

  paddock_store_save_guest_cache_async (store, id, guests, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_save_guest_cache_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  paddock_store_load_guest_cache_async (store, id, NULL, PADDOCK_TEST_ASYNC (result));
  loaded = paddock_store_load_guest_cache_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 3);
  first = loaded->pdata[0];
  g_assert_cmpuint (first->vmid, ==, 101);
  g_assert_cmpstr (first->name, ==, "web");
  g_assert_cmpstr (first->json, ==, "{\"vmid\":101}");
  g_assert_cmpint (first->last_seen, >, 0);
  g_assert_null (((PaddockCachedGuest *) loaded->pdata[2])->name);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_clear_object (&result);

  /* A new list replaces the old one whole. */
  g_ptr_array_remove_index (guests, 0);
  paddock_store_save_guest_cache_async (store, id, guests, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_save_guest_cache_finish (store, paddock_test_wait (&result), &error));
  g_clear_object (&result);
  paddock_store_load_guest_cache_async (store, id, NULL, PADDOCK_TEST_ASYNC (result));
  loaded = paddock_store_load_guest_cache_finish (store, paddock_test_wait (&result), &error);
  g_assert_cmpuint (loaded->len, ==, 2);
}

static void
test_service_cache (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(PaddockConnection) connection = add_connection (store, "Lab");
  gint64 id = paddock_connection_get_id (connection);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  gint64 probed_at = 0;

  paddock_store_load_service_cache_async (store, id, 101, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_null (paddock_store_load_service_cache_finish (store, paddock_test_wait (&result), NULL, &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  paddock_store_save_service_cache_async (store, id, 101, "not json", NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_save_service_cache_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  paddock_store_save_service_cache_async (store, id, 101, "[{\"id\":\"nginx.service\"}]", NULL,
                                          PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_save_service_cache_finish (store, paddock_test_wait (&result), &error));
  g_clear_object (&result);

  paddock_store_load_service_cache_async (store, id, 101, NULL, PADDOCK_TEST_ASYNC (result));
  payload = paddock_store_load_service_cache_finish (store, paddock_test_wait (&result), &probed_at, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload, ==, "[{\"id\":\"nginx.service\"}]");
  g_assert_cmpint (probed_at, >, 0);
}

static void
test_managed_containers (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(PaddockConnection) connection = add_connection (store, "Lab");
  PaddockManagedContainer container = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  container.connection_id = paddock_connection_get_id (connection);
  container.node = (char *) "pve1";
  container.vmid = 120;
  container.hostname = (char *) "web";
  container.lifecycle = PADDOCK_LIFECYCLE_CREATING;

  paddock_store_save_managed_container_async (store, &container, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_save_managed_container_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  container.lifecycle = PADDOCK_LIFECYCLE_READY;
  paddock_store_save_managed_container_async (store, &container, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_save_managed_container_finish (store, paddock_test_wait (&result), &error));
  g_clear_object (&result);

  /* VMIDs below 100 do not exist in Proxmox. */
  container.vmid = 5;
  paddock_store_save_managed_container_async (store, &container, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_save_managed_container_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  paddock_store_list_managed_containers_async (store, container.connection_id, NULL, PADDOCK_TEST_ASYNC (result));
  rows = paddock_store_list_managed_containers_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((PaddockManagedContainer *) rows->pdata[0])->lifecycle, ==, PADDOCK_LIFECYCLE_READY);
  g_assert_cmpstr (((PaddockManagedContainer *) rows->pdata[0])->hostname, ==, "web");
  g_clear_object (&result);

  /* Events outlive the container. */
  add_event (store, 120, PADDOCK_EVENT_ACTION_SUCCEEDED, "Deleted", NULL, &error);
  paddock_store_remove_managed_container_async (store, container.connection_id, 120, NULL,
                                                PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_remove_managed_container_finish (store, paddock_test_wait (&result), &error));
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM managed_containers"), ==, 0);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM events WHERE vmid = 120"), ==, 1);
}

static void
append_lines (PaddockStore *store,
              gint64        job_id,
              guint         first,
              guint         count)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (lines, g_strdup_printf ("line %u", first + i));
  g_ptr_array_add (lines, NULL);

  paddock_store_append_job_output_async (store, job_id, 1, (const char * const *) lines->pdata, NULL,
                                         PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_append_job_output_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
test_jobs (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(PaddockConnection) connection = add_connection (store, "Lab");
  g_autoptr(PaddockJobRecord) job = paddock_job_record_new ();
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) output = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockJobLine *line;

  job->connection_id = paddock_connection_get_id (connection);
  job->node = g_strdup ("pve1");
  job->vmid = 130;
  job->hostname = g_strdup ("web");
  job->state = PADDOCK_JOB_RUNNING;
  job->phase = g_strdup ("creating");
  job->params = g_strdup ("{\"cores\": 2}");

  paddock_store_create_job_async (store, job, NULL, PADDOCK_TEST_ASYNC (result));
  job->id = paddock_store_create_job_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->id, >, 0);
  g_clear_object (&result);

  job->percent = 140;
  paddock_store_update_job_async (store, job, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_update_job_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  job->percent = 40;
  g_free (job->phase);
  job->phase = g_strdup ("packages");
  paddock_store_update_job_async (store, job, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_update_job_finish (store, paddock_test_wait (&result), &error));
  g_clear_object (&result);

  /* The output is bounded, and sequence numbers go on counting. */
  append_lines (store, job->id, 1, 3000);
  append_lines (store, job->id, 3001, 3000);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM job_output"), ==, PADDOCK_STORE_MAX_JOB_LINES);

  paddock_store_get_job_output_async (store, job->id, 5990, NULL, PADDOCK_TEST_ASYNC (result));
  output = paddock_store_get_job_output_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (output->len, ==, 10);
  line = output->pdata[0];
  g_assert_cmpint (line->seq, ==, 5991);
  g_assert_cmpstr (line->line, ==, "line 5991");
  g_assert_cmpuint (line->stream, ==, 1);
  g_clear_object (&result);

  /* This process runs the job: it is not interrupted (another Paddock's start-up must not
   * take it) … */
  paddock_store_mark_interrupted_jobs_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpuint (paddock_store_mark_interrupted_jobs_finish (store, paddock_test_wait (&result), &error), ==, 0);
  g_clear_object (&result);
  paddock_store_flush_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_flush_finish (store, paddock_test_wait (&result), NULL));
  g_clear_object (&result);

  /* … but a job whose process is gone (killed: a PID that no process has now) is. */
  {
    g_autofree char *dead = g_strdup_printf ("UPDATE jobs SET owner = '%s:999999999:1:gone'", g_get_host_name ());

    sql_exec (path, dead);
  }
  paddock_store_mark_interrupted_jobs_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpuint (paddock_store_mark_interrupted_jobs_finish (store, paddock_test_wait (&result), &error), ==, 1);
  g_clear_object (&result);

  paddock_store_list_jobs_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  jobs = paddock_store_list_jobs_finish (store, paddock_test_wait (&result), &error);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpint (((PaddockJobRecord *) jobs->pdata[0])->state, ==, PADDOCK_JOB_INTERRUPTED);
  g_assert_cmpstr (((PaddockJobRecord *) jobs->pdata[0])->phase, ==, "packages");
  g_assert_cmpuint (((PaddockJobRecord *) jobs->pdata[0])->percent, ==, 40);
  g_assert_cmpstr (((PaddockJobRecord *) jobs->pdata[0])->params, ==, "{\"cores\": 2}");
}

/* Child process roles, started by re-executing this program. */

#define KILL_TEST_GUESTS 20000

static int
run_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockStore) store = paddock_store_new (path, NULL, &error);

  if (store == NULL)
    g_error ("%s", error->message);

  for (guint generation = 1; ; generation++)
    {
      g_autoptr(GPtrArray) guests = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_cached_guest_free);
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *status = g_strdup_printf ("generation-%u", generation);

      for (guint i = 0; i < KILL_TEST_GUESTS; i++)
        g_ptr_array_add (guests, paddock_cached_guest_new (100 + i, "pve1", "ct", status, "{\"x\":1}"));

      paddock_store_save_guest_cache_async (store, 1, guests, NULL, PADDOCK_TEST_ASYNC (result));
      if (!paddock_store_save_guest_cache_finish (store, paddock_test_wait (&result), &error))
        g_error ("%s", error->message);

      if (generation == 1)
        {
          g_print ("ready\n");
          fflush (stdout);
        }
    }

  return 0;
}

static int
run_locker (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockStore) store = paddock_store_new (path, NULL, &error);
  char buffer[16];

  if (store == NULL || !acquire (store, 101, 3, &error))
    g_error ("%s", error->message);

  g_print ("locked\n");
  fflush (stdout);

  /* Holds the lock until the parent closes our stdin or kills us. */
  while (fread (buffer, 1, sizeof buffer, stdin) > 0)
    ;

  return 0;
}

static int
run_event_writer (const char *path,
                  guint       count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockStore) store = paddock_store_new (path, NULL, &error);

  if (store == NULL)
    g_error ("%s", error->message);

  for (guint i = 0; i < count; i++)
    {
      add_event (store, 200, PADDOCK_EVENT_SERVICE_ACTION, "from the child", NULL, &error);
      if (error != NULL)
        g_error ("%s", error->message);
    }

  return 0;
}

static GSubprocess *
spawn_role (const char   *role,
            const char   *path,
            const char   *extra,
            GInputStream **stdout_stream)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                            self_exe, role, path, extra, NULL);
  g_assert_no_error (error);
  if (stdout_stream != NULL)
    *stdout_stream = g_subprocess_get_stdout_pipe (child);

  return child;
}

static void
wait_for_line (GInputStream *stream,
               const char   *expected)
{
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (stream);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);
  line = g_data_input_stream_read_line (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, expected);
}

/* kill -9 in the middle of a 20,000-row transaction leaves all or nothing of it. */
static void
test_kill_writer (void)
{
  for (guint round = 0; round < 6; round++)
    {
      g_autofree char *path = new_db_path ();
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(PaddockStore) store = NULL;
      g_autoptr(GError) error = NULL;
      GInputStream *out;
      int rows, generations;
      g_autofree char *integrity = NULL;

      /* The guest cache needs its connection row. */
      store = open_store (path);
      g_clear_pointer (&store, g_object_unref);
      sql_exec (path, "INSERT INTO connections (id, name, host, auth_kind, username, created_at)"
                      " VALUES (1, 'Lab', 'pve1', 'token', 'root@pam', 1)");

      child = spawn_role ("--writer", path, NULL, &out);
      wait_for_line (out, "ready");
      g_usleep (g_random_int_range (0, 250) * 1000);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));

      store = paddock_store_new (path, NULL, &error);
      g_assert_no_error (error);
      integrity = sql_text (path, "PRAGMA integrity_check");
      g_assert_cmpstr (integrity, ==, "ok");
      rows = sql_int (path, "SELECT count(*) FROM guest_cache");
      generations = sql_int (path, "SELECT count(DISTINCT status) FROM guest_cache");
      g_test_message ("round %u: %d rows, %d generation(s)", round, rows, generations);
      g_assert_cmpint (rows, ==, KILL_TEST_GUESTS);
      g_assert_cmpint (generations, ==, 1);
    }
}

static void
test_two_processes (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(PaddockStore) store = open_store (path);
  g_autoptr(GSubprocess) locker = NULL;
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GError) error = NULL;
  GInputStream *out;

  /* A lock held by another process is honoured, and released at once when that process is
   * killed (its PID gone): no waiting for the lock to expire. */
  locker = spawn_role ("--locker", path, NULL, &out);
  wait_for_line (out, "locked");
  g_assert_false (acquire (store, 101, 60, &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  g_subprocess_send_signal (locker, SIGKILL);
  g_subprocess_wait (locker, NULL, NULL);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM operation_locks WHERE expires_at > strftime('%s')"), ==, 1);
  g_assert_true (acquire (store, 101, 60, &error));
  g_assert_no_error (error);

  /* Two processes writing at once both succeed: SQLITE_BUSY is waited out. */
  writer = spawn_role ("--event-writer", path, "300", NULL);
  for (guint i = 0; i < 300; i++)
    {
      add_event (store, 200, PADDOCK_EVENT_SERVICE_ACTION, "from the parent", NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_true (g_subprocess_wait_check (writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM events WHERE vmid = 200"), ==, 600);
}

int
main (int   argc,
      char *argv[])
{
  self_exe = argv[0];

  if (argc == 3 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--locker"))
    return run_locker (argv[2]);
  if (argc == 4 && g_str_equal (argv[1], "--event-writer"))
    return run_event_writer (argv[2], atoi (argv[3]));

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open-empty", test_open_empty);
  g_test_add_func ("/store/migrate-from-each-version", test_migrate_from_each_version);
  g_test_add_func ("/store/migrate-frozen-databases", test_migrate_frozen_databases);
  g_test_add_func ("/store/refuse-newer", test_refuse_newer);
  g_test_add_func ("/store/refuse-corrupt", test_refuse_corrupt);
  g_test_add_func ("/store/connections", test_connections);
  g_test_add_func ("/store/node-ssh", test_node_ssh);
  g_test_add_func ("/store/pins", test_pins);
  g_test_add_func ("/store/events", test_events);
  g_test_add_func ("/store/locks", test_locks);
  g_test_add_func ("/store/guest-cache", test_guest_cache);
  g_test_add_func ("/store/service-cache", test_service_cache);
  g_test_add_func ("/store/managed-containers", test_managed_containers);
  g_test_add_func ("/store/jobs", test_jobs);
  g_test_add_func ("/store/kill-writer", test_kill_writer);
  g_test_add_func ("/store/two-processes", test_two_processes);

  return g_test_run ();
}
