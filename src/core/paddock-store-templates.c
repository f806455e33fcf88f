/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-store-templates.c: templates and package buckets in the store (SPEC.md §6.1–6.2) */

#include "config.h"

#include <string.h>

#include "paddock-store-private.h"
#include "paddock-template-io.h"
#include "paddock-template-parse-private.h"

/* Reading templates */

#define TEMPLATE_COLUMNS \
  "id, name, description, tags, os_template, cores, memory, swap, disk, storage, bridge," \
  " unprivileged, nesting, keyctl, fuse, onboot, source_path, updated_at"

static PaddockTemplate *
template_from_row (sqlite3_stmt *stmt)
{
  PaddockTemplate *template = paddock_template_new ((const char *) sqlite3_column_text (stmt, 1));

  paddock_template_set_id (template, sqlite3_column_int64 (stmt, 0));
  paddock_template_set_description (template, (const char *) sqlite3_column_text (stmt, 2));
  paddock_template_set_tags (template, (const char *) sqlite3_column_text (stmt, 3));
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    paddock_template_set_os_template (template, (const char *) sqlite3_column_text (stmt, 4));
  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    paddock_template_set_cores (template, sqlite3_column_int (stmt, 5));
  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    paddock_template_set_memory (template, sqlite3_column_int (stmt, 6));
  paddock_template_set_swap (template, sqlite3_column_type (stmt, 7) != SQLITE_NULL ? sqlite3_column_int (stmt, 7) : -1);
  if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
    paddock_template_set_disk (template, sqlite3_column_int (stmt, 8));
  paddock_template_set_storage (template, (const char *) sqlite3_column_text (stmt, 9));
  paddock_template_set_bridge (template, (const char *) sqlite3_column_text (stmt, 10));
  paddock_template_set_unprivileged (template, sqlite3_column_int (stmt, 11));
  paddock_template_set_nesting (template, sqlite3_column_int (stmt, 12));
  paddock_template_set_keyctl (template, sqlite3_column_int (stmt, 13));
  paddock_template_set_fuse (template, sqlite3_column_int (stmt, 14));
  paddock_template_set_onboot (template, sqlite3_column_int (stmt, 15));
  paddock_template_set_source_path (template, (const char *) sqlite3_column_text (stmt, 16));
  paddock_template_set_updated_at (template, sqlite3_column_int64 (stmt, 17));

  return template;
}

static PaddockPackage *
package_from_row (sqlite3_stmt *stmt,
                  int           first)
{
  PaddockPackageManager manager = PADDOCK_PACKAGE_APT;
  PaddockPackage *package;

  paddock_package_manager_from_string ((const char *) sqlite3_column_text (stmt, first), &manager);
  package = paddock_package_new (manager, (const char *) sqlite3_column_text (stmt, first + 1),
                                 (const char *) sqlite3_column_text (stmt, first + 2));
  package->check_command = _paddock_store_column_dup (stmt, first + 3);
  package->install_command = _paddock_store_column_dup (stmt, first + 4);
  if (sqlite3_column_type (stmt, first + 5) != SQLITE_NULL)
    package->timeout = sqlite3_column_int (stmt, first + 5);

  return package;
}

static gboolean
load_parts (sqlite3          *db,
            PaddockTemplate  *template,
            GError          **error)
{
  g_autoptr(sqlite3_stmt) packages = NULL;
  g_autoptr(sqlite3_stmt) scripts = NULL;
  g_autoptr(sqlite3_stmt) files = NULL;
  gint64 id = paddock_template_get_id (template);
  int rc;

  if (!(packages = _paddock_store_prepare (db,
                                           "SELECT manager, name, version, check_command, install_command, timeout"
                                           " FROM template_packages WHERE template_id = ? ORDER BY position",
                                           error))
      || !(scripts = _paddock_store_prepare (db,
                                             "SELECT position, name, enabled, description, content"
                                             " FROM template_scripts WHERE template_id = ? ORDER BY position, name",
                                             error))
      || !(files = _paddock_store_prepare (db,
                                           "SELECT name, target_dir, target_name, policy, mode, content"
                                           " FROM template_files WHERE template_id = ? ORDER BY position",
                                           error)))
    return FALSE;

  sqlite3_bind_int64 (packages, 1, id);
  while ((rc = sqlite3_step (packages)) == SQLITE_ROW)
    {
      g_autoptr(PaddockPackage) package = package_from_row (packages, 0);

      g_ptr_array_add (paddock_template_get_packages (template), g_steal_pointer (&package));
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the template's packages");

  sqlite3_bind_int64 (scripts, 1, id);
  while ((rc = sqlite3_step (scripts)) == SQLITE_ROW)
    {
      g_autoptr(PaddockTemplateScript) script =
        paddock_template_script_new (sqlite3_column_int (scripts, 0), (const char *) sqlite3_column_text (scripts, 1),
                                     (const char *) sqlite3_column_text (scripts, 4));

      script->enabled = sqlite3_column_int (scripts, 2);
      g_free (script->description);
      script->description = _paddock_store_column_dup (scripts, 3);
      g_ptr_array_add (paddock_template_get_scripts (template), g_steal_pointer (&script));
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the template's scripts");

  sqlite3_bind_int64 (files, 1, id);
  while ((rc = sqlite3_step (files)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) content = g_bytes_new (sqlite3_column_blob (files, 5), sqlite3_column_bytes (files, 5));
      g_autoptr(PaddockTemplateFile) file =
        paddock_template_file_new ((const char *) sqlite3_column_text (files, 0),
                                   (const char *) sqlite3_column_text (files, 1), content);

      file->target_name = _paddock_store_column_dup (files, 2);
      paddock_file_policy_from_string ((const char *) sqlite3_column_text (files, 3), &file->policy);
      file->mode = sqlite3_column_type (files, 4) != SQLITE_NULL ? sqlite3_column_int (files, 4) : 0;
      g_ptr_array_add (paddock_template_get_files (template), g_steal_pointer (&file));
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the template's files");

  return TRUE;
}

/* Loads the template with @id (or, when @source_path is set, the one imported from there). */
static PaddockTemplate *
load_template (sqlite3     *db,
               gint64       id,
               const char  *source_path,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(PaddockTemplate) template = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db,
                                       source_path
                                       ? "SELECT " TEMPLATE_COLUMNS " FROM templates WHERE source_path = ?"
                                       : "SELECT " TEMPLATE_COLUMNS " FROM templates WHERE id = ?",
                                       error)))
    return NULL;

  if (source_path)
    _paddock_store_bind_text (stmt, 1, source_path);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   source_path ? "No template was imported from %s" : "There is no template %s",
                   source_path ? source_path : "with this id");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _paddock_store_set_error (error, db, rc, "Could not read the template");
      return NULL;
    }

  template = template_from_row (stmt);
  if (!load_parts (db, template, error))
    return NULL;

  return g_steal_pointer (&template);
}

static gboolean
list_templates_func (sqlite3  *db,
                     StoreOp  *op,
                     GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db, "SELECT " TEMPLATE_COLUMNS " FROM templates ORDER BY name COLLATE NOCASE",
                                       error)))
    return FALSE;

  op->result_rows = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PaddockTemplate *template = template_from_row (stmt);

      g_ptr_array_add (op->result_rows, template);
      if (!load_parts (db, template, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the templates");

  return TRUE;
}

void
paddock_store_list_templates_async (PaddockStore        *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PADDOCK_IS_STORE (self));

  _paddock_store_read (self, paddock_store_list_templates_async, list_templates_func,
                       _paddock_store_op_new (self), cancellable, callback, user_data);
}

/**
 * paddock_store_list_templates_finish:
 *
 * Returns: (transfer full): a #GListStore of #PaddockTemplate with all their parts, by name
 */
GListModel *
paddock_store_list_templates_finish (PaddockStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_list_templates_async, error);
  GListStore *store;

  if (op == NULL)
    return NULL;

  store = g_list_store_new (PADDOCK_TYPE_TEMPLATE);
  g_list_store_splice (store, 0, 0, op->result_rows->pdata, op->result_rows->len);

  return G_LIST_MODEL (store);
}

static gboolean
get_template_func (sqlite3  *db,
                   StoreOp  *op,
                   GError  **error)
{
  PaddockTemplate *template = load_template (db, op->number, NULL, error);

  if (template == NULL)
    return FALSE;

  op->result_rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (op->result_rows, template);
  return TRUE;
}

void
paddock_store_get_template_async (PaddockStore        *self,
                                  gint64               template_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->number = template_id;
  _paddock_store_read (self, paddock_store_get_template_async, get_template_func, op, cancellable, callback, user_data);
}

PaddockTemplate *
paddock_store_get_template_finish (PaddockStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_get_template_async, error);

  return op != NULL ? g_object_ref (g_ptr_array_index (op->result_rows, 0)) : NULL;
}

/* Writing templates */

static gboolean
check_name_free (sqlite3     *db,
                 const char  *name,
                 gint64       own_id,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db, "SELECT id FROM templates WHERE name = ? AND id != ?", error)))
    return FALSE;
  _paddock_store_bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, own_id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS,
                   "A template named “%s” already exists", name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not check the template name");

  return TRUE;
}

static void
bind_nullable_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *text)
{
  if (text != NULL)
    _paddock_store_bind_text (stmt, index, text);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
insert_package (sqlite3               *db,
                const char            *sql,
                gint64                 owner_id,
                int                    position,
                const PaddockPackage  *package,
                GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db, sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, owner_id);
  _paddock_store_bind_text (stmt, 2, paddock_package_manager_to_string (package->manager));
  _paddock_store_bind_text (stmt, 3, package->name);
  if (position >= 0)
    {
      bind_nullable_text (stmt, 4, package->version);
      sqlite3_bind_int (stmt, 8, position);
    }
  else
    _paddock_store_bind_text (stmt, 4, package->version ? package->version : "");
  bind_nullable_text (stmt, 5, package->check_command);
  bind_nullable_text (stmt, 6, package->install_command);
  if (package->manager == PADDOCK_PACKAGE_CUSTOM)
    sqlite3_bind_int (stmt, 7, package->timeout);
  else
    sqlite3_bind_null (stmt, 7);

  return _paddock_store_step_done (db, stmt, "Could not store a package", error);
}

/* Inserts or updates the template row and replaces all its parts; returns the id. */
static gint64
write_template (sqlite3          *db,
                PaddockTemplate  *template,
                GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = paddock_template_dup_content_hash (template);
  gint64 id = paddock_template_get_id (template);
  gint64 now = _paddock_store_now ();
  GPtrArray *packages = paddock_template_get_packages (template);
  GPtrArray *scripts = paddock_template_get_scripts (template);
  GPtrArray *files = paddock_template_get_files (template);
  static const char *clear[] = {
    "DELETE FROM template_packages WHERE template_id = ?",
    "DELETE FROM template_scripts WHERE template_id = ?",
    "DELETE FROM template_files WHERE template_id = ?",
  };

  if (!paddock_template_check (template, error)
      || !check_name_free (db, paddock_template_get_name (template), id, error))
    return 0;

  if (!(stmt = _paddock_store_prepare (db,
                                       id > 0
                                       ? "UPDATE templates SET name = ?1, description = ?2, tags = ?3, os_template = ?4,"
                                         " cores = ?5, memory = ?6, swap = ?7, disk = ?8, storage = ?9, bridge = ?10,"
                                         " unprivileged = ?11, nesting = ?12, keyctl = ?13, fuse = ?14, onboot = ?15,"
                                         " source_path = ?16, content_hash = ?17, updated_at = ?18 WHERE id = ?19"
                                       : "INSERT INTO templates (name, description, tags, os_template, cores, memory,"
                                         " swap, disk, storage, bridge, unprivileged, nesting, keyctl, fuse, onboot,"
                                         " source_path, content_hash, updated_at, created_at)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                                         " ?16, ?17, ?18, ?18)",
                                       error)))
    return 0;

  _paddock_store_bind_text (stmt, 1, paddock_template_get_name (template));
  _paddock_store_bind_text (stmt, 2, paddock_template_get_description (template));
  _paddock_store_bind_text (stmt, 3, paddock_template_get_tags (template));
  _paddock_store_bind_text (stmt, 4, paddock_template_get_os_template (template));
  sqlite3_bind_int (stmt, 5, paddock_template_get_cores (template));
  sqlite3_bind_int (stmt, 6, paddock_template_get_memory (template));
  if (paddock_template_get_swap (template) >= 0)
    sqlite3_bind_int (stmt, 7, paddock_template_get_swap (template));
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_int (stmt, 8, paddock_template_get_disk (template));
  bind_nullable_text (stmt, 9, paddock_template_get_storage (template));
  bind_nullable_text (stmt, 10, paddock_template_get_bridge (template));
  sqlite3_bind_int (stmt, 11, paddock_template_get_unprivileged (template));
  sqlite3_bind_int (stmt, 12, paddock_template_get_nesting (template));
  sqlite3_bind_int (stmt, 13, paddock_template_get_keyctl (template));
  sqlite3_bind_int (stmt, 14, paddock_template_get_fuse (template));
  sqlite3_bind_int (stmt, 15, paddock_template_get_onboot (template));
  bind_nullable_text (stmt, 16, paddock_template_get_source_path (template));
  _paddock_store_bind_text (stmt, 17, hash);
  sqlite3_bind_int64 (stmt, 18, now);
  if (id > 0)
    sqlite3_bind_int64 (stmt, 19, id);

  if (!_paddock_store_step_done (db, stmt, "Could not store the template", error))
    return 0;

  if (id > 0 && sqlite3_changes (db) == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "Template “%s” was removed meanwhile", paddock_template_get_name (template));
      return 0;
    }
  if (id == 0)
    id = sqlite3_last_insert_rowid (db);

  for (guint i = 0; i < G_N_ELEMENTS (clear); i++)
    {
      g_autoptr(sqlite3_stmt) delete = NULL;

      if (!(delete = _paddock_store_prepare (db, clear[i], error)))
        return 0;
      sqlite3_bind_int64 (delete, 1, id);
      if (!_paddock_store_step_done (db, delete, "Could not replace the template's parts", error))
        return 0;
    }

  for (guint i = 0; i < packages->len; i++)
    {
      if (!insert_package (db,
                           "INSERT INTO template_packages (template_id, manager, name, version, check_command,"
                           " install_command, timeout, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           id, i, g_ptr_array_index (packages, i), error))
        return 0;
    }

  for (guint i = 0; i < scripts->len; i++)
    {
      const PaddockTemplateScript *script = g_ptr_array_index (scripts, i);
      g_autoptr(sqlite3_stmt) insert = NULL;

      if (!(insert = _paddock_store_prepare (db,
                                             "INSERT INTO template_scripts (template_id, position, name, enabled,"
                                             " description, content) VALUES (?, ?, ?, ?, ?, ?)",
                                             error)))
        return 0;
      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_int (insert, 2, script->order);
      _paddock_store_bind_text (insert, 3, script->name);
      sqlite3_bind_int (insert, 4, script->enabled);
      _paddock_store_bind_text (insert, 5, script->description ? script->description : "");
      _paddock_store_bind_text (insert, 6, script->content);
      if (!_paddock_store_step_done (db, insert, "Could not store a script", error))
        return 0;
    }

  for (guint i = 0; i < files->len; i++)
    {
      const PaddockTemplateFile *file = g_ptr_array_index (files, i);
      g_autoptr(sqlite3_stmt) insert = NULL;
      gsize length;
      const void *data = g_bytes_get_data (file->content, &length);

      if (!(insert = _paddock_store_prepare (db,
                                             "INSERT INTO template_files (template_id, position, name, target_dir,"
                                             " target_name, policy, mode, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                             error)))
        return 0;
      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_int (insert, 2, i);
      _paddock_store_bind_text (insert, 3, file->name);
      _paddock_store_bind_text (insert, 4, file->target_dir);
      bind_nullable_text (insert, 5, file->target_name);
      _paddock_store_bind_text (insert, 6, paddock_file_policy_to_string (file->policy));
      if (file->mode != 0)
        sqlite3_bind_int (insert, 7, file->mode);
      else
        sqlite3_bind_null (insert, 7);
      sqlite3_bind_blob64 (insert, 8, data ? data : "", length, SQLITE_TRANSIENT);
      if (!_paddock_store_step_done (db, insert, "Could not store a file", error))
        return 0;
    }

  return id;
}

/* The writer thread's own copy, so the caller may keep editing its object. */
static PaddockTemplate *
copy_template (PaddockTemplate *template)
{
  PaddockTemplate *copy = paddock_template_duplicate (template, paddock_template_get_name (template));

  paddock_template_set_id (copy, paddock_template_get_id (template));
  paddock_template_set_source_path (copy, paddock_template_get_source_path (template));

  return copy;
}

static gboolean
save_template_func (sqlite3  *db,
                    StoreOp  *op,
                    GError  **error)
{
  return (op->result_number = write_template (db, op->object, error)) > 0;
}

/**
 * paddock_store_save_template_async:
 *
 * Validates @template and stores it with all its parts in one transaction: a new row when
 * its id is 0, else that row with its scripts, files and packages replaced.
 */
void
paddock_store_save_template_async (PaddockStore        *self,
                                   PaddockTemplate     *template,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (PADDOCK_IS_TEMPLATE (template));

  op = _paddock_store_op_new (self);
  op->object = copy_template (template);
  op->object_free = g_object_unref;
  _paddock_store_write (self, paddock_store_save_template_async, save_template_func, op, cancellable, callback, user_data);
}

/* Returns: the template's id (set it on a new template), or 0 on error */
gint64
paddock_store_save_template_finish (PaddockStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_save_template_async, error);

  return op != NULL ? op->result_number : 0;
}

static gboolean
delete_template_func (sqlite3  *db,
                      StoreOp  *op,
                      GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db, "DELETE FROM templates WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->number);
  if (!_paddock_store_step_done (db, stmt, "Could not delete the template", error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND, "The template no longer exists");
      return FALSE;
    }

  return TRUE;
}

void
paddock_store_delete_template_async (PaddockStore        *self,
                                     gint64               template_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->number = template_id;
  _paddock_store_write (self, paddock_store_delete_template_async, delete_template_func, op, cancellable, callback, user_data);
}

gboolean
paddock_store_delete_template_finish (PaddockStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_delete_template_async, error) != NULL;
}

/* Importing */

static gboolean
savepoint (sqlite3    *db,
           const char *command)
{
  return sqlite3_exec (db, command, NULL, NULL, NULL) == SQLITE_OK;
}

/* A name no other template has: the imported one, or it with the directory's name added. */
static char *
free_template_name (sqlite3    *db,
                    const char *wanted,
                    const char *path)
{
  g_autofree char *dir_name = g_path_get_basename (path);

  if (check_name_free (db, wanted, 0, NULL))
    return g_strdup (wanted);

  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *candidate = i == 1 ? g_strdup_printf ("%s (%s)", wanted, dir_name)
                                          : g_strdup_printf ("%s (%s %u)", wanted, dir_name, i);

      if (g_utf8_strlen (candidate, -1) <= 100 && check_name_free (db, candidate, 0, NULL))
        return g_steal_pointer (&candidate);
    }

  return g_strdup (wanted);
}

static gint64
find_bucket (sqlite3     *db,
             const char  *name,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!(stmt = _paddock_store_prepare (db, "SELECT id FROM package_buckets WHERE name = ?", error)))
    return -1;
  _paddock_store_bind_text (stmt, 1, name);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      _paddock_store_set_error (error, db, rc, "Could not look up the bucket");
      return -1;
    }

  return 0;
}

static gboolean
insert_bucket_package (sqlite3               *db,
                       gint64                 bucket_id,
                       const PaddockPackage  *package,
                       GError               **error)
{
  return insert_package (db,
                         "INSERT INTO bucket_packages (bucket_id, manager, name, version, check_command,"
                         " install_command, timeout) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         bucket_id, -1, package, error);
}

/* Buckets "<template>/<file>" mirror a template directory's package files, replaced on import. */
static gboolean
mirror_buckets (sqlite3                *db,
                const char             *template_name,
                PaddockTemplateSource  *source,
                GError                **error)
{
  for (guint i = 0; i < source->buckets->len; i++)
    {
      const PaddockBucketSource *bucket = g_ptr_array_index (source->buckets, i);
      g_autofree char *name = g_strdup_printf ("%s/%s", template_name, bucket->name);
      g_autofree char *description = g_strdup_printf ("Imported from %s/container-configs/packages/%s",
                                                      source->path, bucket->name);
      g_autoptr(sqlite3_stmt) stmt = NULL;
      gint64 id;

      if ((id = find_bucket (db, name, error)) < 0)
        return FALSE;

      if (id == 0)
        {
          if (!(stmt = _paddock_store_prepare (db, "INSERT INTO package_buckets (name, description, created_at)"
                                                   " VALUES (?, ?, ?)", error)))
            return FALSE;
          _paddock_store_bind_text (stmt, 1, name);
          _paddock_store_bind_text (stmt, 2, description);
          sqlite3_bind_int64 (stmt, 3, _paddock_store_now ());
          if (!_paddock_store_step_done (db, stmt, "Could not create the bucket", error))
            return FALSE;
          id = sqlite3_last_insert_rowid (db);
        }
      else
        {
          if (!(stmt = _paddock_store_prepare (db, "DELETE FROM bucket_packages WHERE bucket_id = ?", error)))
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, id);
          if (!_paddock_store_step_done (db, stmt, "Could not replace the bucket's packages", error))
            return FALSE;
        }

      for (guint j = 0; j < bucket->packages->len; j++)
        {
          const PaddockPackage *package = g_ptr_array_index (bucket->packages, j);
          gboolean repeated = FALSE;

          for (guint k = 0; k < j && !repeated; k++)
            repeated = paddock_package_same (g_ptr_array_index (bucket->packages, k), package);
          if (!repeated && !insert_bucket_package (db, id, package, error))
            return FALSE;
        }
    }

  return TRUE;
}

static PaddockImportReport *
import_one (sqlite3               *db,
            PaddockTemplateSource *source)
{
  g_autoptr(PaddockImportReport) report = g_new0 (PaddockImportReport, 1);
  g_autoptr(PaddockTemplate) existing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) errors = g_strv_builder_new ();

  g_ptr_array_add (source->warnings, NULL);
  report->warnings = g_strdupv ((char **) source->warnings->pdata);
  g_ptr_array_remove_index (source->warnings, source->warnings->len - 1);
  report->path = g_strdup (source->path);

  if (source->template == NULL)
    {
      for (guint i = 0; i < source->errors->len; i++)
        g_strv_builder_add (errors, g_ptr_array_index (source->errors, i));
      report->outcome = PADDOCK_IMPORT_FAILED;
      report->errors = g_strv_builder_end (errors);
      return g_steal_pointer (&report);
    }

  if (!savepoint (db, "SAVEPOINT import_template"))
    {
      g_strv_builder_add (errors, sqlite3_errmsg (db));
      report->outcome = PADDOCK_IMPORT_FAILED;
      report->errors = g_strv_builder_end (errors);
      return g_steal_pointer (&report);
    }

  existing = load_template (db, 0, source->path, &error);
  if (existing == NULL && !g_error_matches (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND))
    goto failed;
  g_clear_error (&error);

  if (existing != NULL)
    {
      g_autofree char *old_hash = paddock_template_dup_content_hash (existing);
      g_autofree char *new_hash = paddock_template_dup_content_hash (source->template);

      /* Keyed on the directory: a template renamed in Paddock keeps its name and its id. */
      report->name = g_strdup (paddock_template_get_name (existing));
      report->template_id = paddock_template_get_id (existing);

      if (g_str_equal (old_hash, new_hash))
        {
          report->outcome = PADDOCK_IMPORT_UNCHANGED;
          if (!mirror_buckets (db, report->name, source, &error))
            goto failed;
          savepoint (db, "RELEASE import_template");
          return g_steal_pointer (&report);
        }

      report->changes = paddock_template_describe_changes (existing, source->template);
      paddock_template_set_id (source->template, report->template_id);
      paddock_template_set_name (source->template, report->name);
      report->outcome = PADDOCK_IMPORT_UPDATED;
    }
  else
    {
      g_autofree char *name = free_template_name (db, paddock_template_get_name (source->template), source->path);

      paddock_template_set_name (source->template, name);
      report->name = g_strdup (name);
      report->outcome = PADDOCK_IMPORT_CREATED;
    }

  if ((report->template_id = write_template (db, source->template, &error)) == 0)
    goto failed;
  if (!mirror_buckets (db, report->name, source, &error))
    goto failed;

  savepoint (db, "RELEASE import_template");
  return g_steal_pointer (&report);

failed:
  savepoint (db, "ROLLBACK TO import_template");
  savepoint (db, "RELEASE import_template");
  g_strv_builder_add (errors, error->message);
  report->outcome = PADDOCK_IMPORT_FAILED;
  report->template_id = 0;
  g_clear_pointer (&report->changes, g_strfreev);
  report->errors = g_strv_builder_end (errors);
  return g_steal_pointer (&report);
}

static gboolean
import_templates_func (sqlite3  *db,
                       StoreOp  *op,
                       GError  **error)
{
  g_autoptr(GPtrArray) sources = NULL;

  gboolean preview = op->number != 0;

  /* Reading a few small files here keeps the whole import one unit of work on the writer. */
  if (!(sources = paddock_template_read_tree (op->text, error)))
    return FALSE;

  /* A preview does all of it, then takes all of it back: the reports are exactly what the
   * import would do, and nothing is kept. */
  if (preview && !savepoint (db, "SAVEPOINT import_preview"))
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_FAILED, "%s", sqlite3_errmsg (db));
      return FALSE;
    }

  op->result_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_import_report_free);
  for (guint i = 0; i < sources->len; i++)
    {
      PaddockImportReport *report = import_one (db, g_ptr_array_index (sources, i));

      if (preview && report->outcome == PADDOCK_IMPORT_CREATED)
        report->template_id = 0;
      g_ptr_array_add (op->result_rows, report);
    }

  if (preview)
    {
      savepoint (db, "ROLLBACK TO import_preview");
      savepoint (db, "RELEASE import_preview");
    }

  return TRUE;
}

/**
 * paddock_store_import_templates_async:
 * @path: a template directory, or a directory of template directories
 *
 * Imports infrahaus template directories (SPEC.md §6.2), each on its own: created, updated
 * (with what changed), unchanged, or failed with nothing stored. Re-importing is keyed on
 * the directory, so a template renamed in Paddock is updated, not duplicated.
 */
void
paddock_store_import_templates_async (PaddockStore        *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (path != NULL);

  op = _paddock_store_op_new (self);
  op->text = g_canonicalize_filename (path, NULL);
  _paddock_store_write (self, paddock_store_import_templates_async, import_templates_func, op,
                        cancellable, callback, user_data);
}

/**
 * paddock_store_preview_import_templates_async:
 *
 * What paddock_store_import_templates_async() would do with @path, with nothing kept. Finish
 * with paddock_store_import_templates_finish().
 */
void
paddock_store_preview_import_templates_async (PaddockStore        *self,
                                              const char          *path,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (path != NULL);

  op = _paddock_store_op_new (self);
  op->text = g_canonicalize_filename (path, NULL);
  op->number = 1;
  _paddock_store_write (self, paddock_store_import_templates_async, import_templates_func, op,
                        cancellable, callback, user_data);
}

/* Returns: (transfer full) (element-type PaddockImportReport): one report per directory */
GPtrArray *
paddock_store_import_templates_finish (PaddockStore  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_import_templates_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

/* Buckets */

static gboolean
list_buckets_func (sqlite3  *db,
                   StoreOp  *op,
                   GError  **error)
{
  g_autoptr(sqlite3_stmt) buckets = NULL;
  g_autoptr(sqlite3_stmt) packages = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  if (!(buckets = _paddock_store_prepare (db, "SELECT id, name, description FROM package_buckets"
                                              " ORDER BY name COLLATE NOCASE", error))
      || !(packages = _paddock_store_prepare (db, "SELECT bucket_id, manager, name, NULLIF (version, ''),"
                                                  " check_command, install_command, timeout FROM bucket_packages"
                                                  " ORDER BY id", error)))
    return FALSE;

  op->result_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_bucket_free);
  while ((rc = sqlite3_step (buckets)) == SQLITE_ROW)
    {
      PaddockBucket *bucket = paddock_bucket_new ((const char *) sqlite3_column_text (buckets, 1),
                                                  (const char *) sqlite3_column_text (buckets, 2));

      bucket->id = sqlite3_column_int64 (buckets, 0);
      g_ptr_array_add (op->result_rows, bucket);
      g_hash_table_insert (by_id, &bucket->id, bucket);
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the buckets");

  while ((rc = sqlite3_step (packages)) == SQLITE_ROW)
    {
      gint64 bucket_id = sqlite3_column_int64 (packages, 0);
      PaddockBucket *bucket = g_hash_table_lookup (by_id, &bucket_id);

      if (bucket != NULL)
        g_ptr_array_add (bucket->packages, package_from_row (packages, 1));
    }
  if (rc != SQLITE_DONE)
    return _paddock_store_set_error (error, db, rc, "Could not read the buckets' packages");

  return TRUE;
}

void
paddock_store_list_buckets_async (PaddockStore        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PADDOCK_IS_STORE (self));

  _paddock_store_read (self, paddock_store_list_buckets_async, list_buckets_func,
                       _paddock_store_op_new (self), cancellable, callback, user_data);
}

/* Returns: (transfer full) (element-type PaddockBucket): every bucket with its packages, by name */
GPtrArray *
paddock_store_list_buckets_finish (PaddockStore  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_list_buckets_async, error);

  return op != NULL ? g_steal_pointer (&op->result_rows) : NULL;
}

static gboolean
check_bucket_fields (const char  *name,
                     const char  *description,
                     GError     **error)
{
  glong length = name && g_utf8_validate (name, -1, NULL) ? g_utf8_strlen (name, -1) : 0;

  if (length == 0 || strspn (name, " \t") == strlen (name) || length > 100)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "A bucket name has 1 to 100 characters");
      return FALSE;
    }
  if (description != NULL && (!g_utf8_validate (description, -1, NULL) || g_utf8_strlen (description, -1) > 500))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "A bucket description has at most 500 characters");
      return FALSE;
    }

  return TRUE;
}

static gboolean
save_bucket_func (sqlite3  *db,
                  StoreOp  *op,
                  GError  **error)
{
  const PaddockBucket *bucket = op->object;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 existing;

  if (!check_bucket_fields (bucket->name, bucket->description, error))
    return FALSE;

  if ((existing = find_bucket (db, bucket->name, error)) < 0)
    return FALSE;
  if (existing > 0 && existing != bucket->id)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS,
                   "A bucket named “%s” already exists", bucket->name);
      return FALSE;
    }

  if (!(stmt = _paddock_store_prepare (db,
                                       bucket->id > 0
                                       ? "UPDATE package_buckets SET name = ?1, description = ?2 WHERE id = ?3"
                                       : "INSERT INTO package_buckets (name, description, created_at) VALUES (?1, ?2, ?3)",
                                       error)))
    return FALSE;
  _paddock_store_bind_text (stmt, 1, bucket->name);
  _paddock_store_bind_text (stmt, 2, bucket->description ? bucket->description : "");
  sqlite3_bind_int64 (stmt, 3, bucket->id > 0 ? bucket->id : _paddock_store_now ());
  if (!_paddock_store_step_done (db, stmt, "Could not store the bucket", error))
    return FALSE;

  if (bucket->id > 0 && sqlite3_changes (db) == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND, "The bucket no longer exists");
      return FALSE;
    }

  op->result_number = bucket->id > 0 ? bucket->id : sqlite3_last_insert_rowid (db);
  return TRUE;
}

/**
 * paddock_store_save_bucket_async:
 *
 * Creates the bucket (id 0) or renames it and changes its description; its packages are
 * changed with paddock_store_add_bucket_package_async() and its relatives.
 */
void
paddock_store_save_bucket_async (PaddockStore        *self,
                                 const PaddockBucket *bucket,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (bucket != NULL);

  op = _paddock_store_op_new (self);
  op->object = paddock_bucket_copy (bucket);
  op->object_free = (GDestroyNotify) paddock_bucket_free;
  _paddock_store_write (self, paddock_store_save_bucket_async, save_bucket_func, op, cancellable, callback, user_data);
}

gint64
paddock_store_save_bucket_finish (PaddockStore  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_save_bucket_async, error);

  return op != NULL ? op->result_number : 0;
}

static gboolean
delete_bucket_func (sqlite3  *db,
                    StoreOp  *op,
                    GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Its packages go with it (ON DELETE CASCADE), in this same transaction. */
  if (!(stmt = _paddock_store_prepare (db, "DELETE FROM package_buckets WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->number);
  if (!_paddock_store_step_done (db, stmt, "Could not delete the bucket", error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND, "The bucket no longer exists");
      return FALSE;
    }

  return TRUE;
}

void
paddock_store_delete_bucket_async (PaddockStore        *self,
                                   gint64               bucket_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->number = bucket_id;
  _paddock_store_write (self, paddock_store_delete_bucket_async, delete_bucket_func, op, cancellable, callback, user_data);
}

gboolean
paddock_store_delete_bucket_finish (PaddockStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_delete_bucket_async, error) != NULL;
}

static gboolean
bucket_exists (sqlite3  *db,
               gint64    bucket_id,
               GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db, "SELECT 1 FROM package_buckets WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, bucket_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND, "The bucket no longer exists");
      return FALSE;
    }

  return TRUE;
}

/* Adds @package unless the bucket has it; returns 1 when added, 0 when a duplicate, -1 on error. */
static int
add_bucket_package (sqlite3               *db,
                    gint64                 bucket_id,
                    const PaddockPackage  *package,
                    GError               **error)
{
  g_autoptr(GError) local_error = NULL;

  if (insert_bucket_package (db, bucket_id, package, &local_error))
    return 1;
  if (g_error_matches (local_error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS))
    return 0;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return -1;
}

static gboolean
add_bucket_package_func (sqlite3  *db,
                         StoreOp  *op,
                         GError  **error)
{
  const PaddockPackage *package = op->object;
  int added;

  if (!paddock_package_validate (package, error) || !bucket_exists (db, op->number, error))
    return FALSE;

  if ((added = add_bucket_package (db, op->number, package, error)) < 0)
    return FALSE;
  if (added == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS,
                   "The bucket already has %s package “%s”", paddock_package_manager_to_string (package->manager),
                   package->name);
      return FALSE;
    }

  return TRUE;
}

void
paddock_store_add_bucket_package_async (PaddockStore         *self,
                                        gint64                bucket_id,
                                        const PaddockPackage *package,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (package != NULL);

  op = _paddock_store_op_new (self);
  op->number = bucket_id;
  op->object = paddock_package_copy (package);
  op->object_free = (GDestroyNotify) paddock_package_free;
  _paddock_store_write (self, paddock_store_add_bucket_package_async, add_bucket_package_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_add_bucket_package_finish (PaddockStore  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_add_bucket_package_async, error) != NULL;
}

static gboolean
remove_bucket_package_func (sqlite3  *db,
                            StoreOp  *op,
                            GError  **error)
{
  const PaddockPackage *package = op->object;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _paddock_store_prepare (db, "DELETE FROM bucket_packages WHERE bucket_id = ? AND manager = ?"
                                           " AND name = ? AND version = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->number);
  _paddock_store_bind_text (stmt, 2, paddock_package_manager_to_string (package->manager));
  _paddock_store_bind_text (stmt, 3, package->name);
  _paddock_store_bind_text (stmt, 4, package->version ? package->version : "");
  if (!_paddock_store_step_done (db, stmt, "Could not remove the package", error))
    return FALSE;

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "The bucket has no %s package “%s”", paddock_package_manager_to_string (package->manager),
                   package->name);
      return FALSE;
    }

  return TRUE;
}

void
paddock_store_remove_bucket_package_async (PaddockStore         *self,
                                           gint64                bucket_id,
                                           const PaddockPackage *package,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (package != NULL);

  op = _paddock_store_op_new (self);
  op->number = bucket_id;
  op->object = paddock_package_copy (package);
  op->object_free = (GDestroyNotify) paddock_package_free;
  _paddock_store_write (self, paddock_store_remove_bucket_package_async, remove_bucket_package_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_remove_bucket_package_finish (PaddockStore  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return _paddock_store_finish (self, result, paddock_store_remove_bucket_package_async, error) != NULL;
}

static gboolean
import_bucket_text_func (sqlite3  *db,
                         StoreOp  *op,
                         GError  **error)
{
  PaddockPackageManager manager = op->limit;
  g_autoptr(GPtrArray) packages = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_package_free);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_auto(GStrv) lines = g_strsplit (op->text, "\n", -1);
  PaddockBucketImport *result;
  guint n_problems = 0;

  if (!bucket_exists (db, op->number, error))
    return FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(PaddockPackage) package = NULL;
      g_autoptr(GError) line_error = NULL;

      if (!_paddock_package_line_parse (manager, lines[i], &package, &line_error))
        {
          if (n_problems++ < 10)
            g_string_append_printf (problems, "%sline %u: %s", problems->len ? "\n" : "", i + 1, line_error->message);
          continue;
        }
      if (package != NULL)
        g_ptr_array_add (packages, g_steal_pointer (&package));
    }

  /* All or nothing: a paste with a typo is fixed and pasted again, not half-applied. */
  if (n_problems > 0)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE, "%s%s", problems->str,
                   n_problems > 10 ? "\n…" : "");
      return FALSE;
    }
  if (packages->len == 0)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE, "No package names found");
      return FALSE;
    }

  result = g_new0 (PaddockBucketImport, 1);
  op->result_rows = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (op->result_rows, result);

  for (guint i = 0; i < packages->len; i++)
    {
      int added = add_bucket_package (db, op->number, g_ptr_array_index (packages, i), error);

      if (added < 0)
        return FALSE;
      if (added)
        result->added++;
      else
        result->duplicates++;
    }

  return TRUE;
}

/**
 * paddock_store_import_bucket_text_async:
 * @text: pasted package lines: blanks and "#" comments are skipped
 *
 * Adds every package of @text that the bucket does not have yet, or nothing when a line
 * is not a valid package (the error lists the lines, "line N: reason").
 */
void
paddock_store_import_bucket_text_async (PaddockStore          *self,
                                        gint64                 bucket_id,
                                        PaddockPackageManager  manager,
                                        const char            *text,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (manager < PADDOCK_N_PACKAGE_MANAGERS);

  op = _paddock_store_op_new (self);
  op->number = bucket_id;
  op->limit = manager;
  op->text = g_strdup (text);
  _paddock_store_write (self, paddock_store_import_bucket_text_async, import_bucket_text_func, op,
                        cancellable, callback, user_data);
}

gboolean
paddock_store_import_bucket_text_finish (PaddockStore         *self,
                                         GAsyncResult         *result,
                                         PaddockBucketImport  *counts,
                                         GError              **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_import_bucket_text_async, error);

  if (op == NULL)
    return FALSE;
  if (counts != NULL)
    *counts = *(PaddockBucketImport *) g_ptr_array_index (op->result_rows, 0);

  return TRUE;
}

static gboolean
add_bucket_to_template_func (sqlite3  *db,
                             StoreOp  *op,
                             GError  **error)
{
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(GPtrArray) buckets = NULL;
  StoreOp list_op = { 0 };
  PaddockBucket *bucket = NULL;

  if (!(template = load_template (db, op->connection_id, NULL, error)))
    return FALSE;
  if (!list_buckets_func (db, &list_op, error))
    {
      g_clear_pointer (&list_op.result_rows, g_ptr_array_unref);
      return FALSE;
    }
  buckets = g_steal_pointer (&list_op.result_rows);

  for (guint i = 0; i < buckets->len && bucket == NULL; i++)
    if (((PaddockBucket *) g_ptr_array_index (buckets, i))->id == op->number)
      bucket = g_ptr_array_index (buckets, i);
  if (bucket == NULL)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND, "The bucket no longer exists");
      return FALSE;
    }

  /* Copied, not linked (SPEC.md §6.1): later changes to the bucket do not touch the template. */
  for (guint i = 0; i < bucket->packages->len; i++)
    if (paddock_template_add_package (template, g_ptr_array_index (bucket->packages, i)))
      op->result_number++;

  if (op->result_number > 0 && write_template (db, template, error) == 0)
    return FALSE;

  return TRUE;
}

void
paddock_store_add_bucket_to_template_async (PaddockStore        *self,
                                            gint64               bucket_id,
                                            gint64               template_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  StoreOp *op;

  g_return_if_fail (PADDOCK_IS_STORE (self));

  op = _paddock_store_op_new (self);
  op->number = bucket_id;
  op->connection_id = template_id;
  _paddock_store_write (self, paddock_store_add_bucket_to_template_async, add_bucket_to_template_func, op,
                        cancellable, callback, user_data);
}

/* Returns: how many packages the template gained (those it had are skipped), or -1 on error */
int
paddock_store_add_bucket_to_template_finish (PaddockStore  *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  StoreOp *op = _paddock_store_finish (self, result, paddock_store_add_bucket_to_template_async, error);

  return op != NULL ? (int) op->result_number : -1;
}
