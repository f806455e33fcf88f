/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-store-private.h: the store's internals shared by its per-concern files */

#pragma once

#include <sqlite3.h>

#include "paddock-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The inputs and outputs of one store operation, run on the writer thread or a reader thread. */
typedef struct
{
  PaddockStore  *store;
  gint64         connection_id;
  guint          vmid;
  gint64         number;
  guint          limit;
  char          *name;
  char          *text;
  gpointer       object;
  GDestroyNotify object_free;
  GPtrArray     *rows;
  GStrv          lines;

  GPtrArray     *result_rows;
  char          *result_text;
  gint64         result_number;
} StoreOp;

typedef gboolean (*StoreFunc) (sqlite3  *db,
                               StoreOp  *op,
                               GError  **error);

StoreOp      *_paddock_store_op_new       (PaddockStore         *self);
void          _paddock_store_write        (PaddockStore         *self,
                                           gpointer              source_tag,
                                           StoreFunc             func,
                                           StoreOp              *op,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
void          _paddock_store_read         (PaddockStore         *self,
                                           gpointer              source_tag,
                                           StoreFunc             func,
                                           StoreOp              *op,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
StoreOp      *_paddock_store_finish       (PaddockStore         *self,
                                           GAsyncResult         *result,
                                           gpointer              source_tag,
                                           GError              **error);

gboolean      _paddock_store_set_error    (GError              **error,
                                           sqlite3              *db,
                                           int                   rc,
                                           const char           *what);
sqlite3_stmt *_paddock_store_prepare      (sqlite3              *db,
                                           const char           *sql,
                                           GError              **error);
gboolean      _paddock_store_exec         (sqlite3              *db,
                                           const char           *sql,
                                           GError              **error);
gboolean      _paddock_store_step_done    (sqlite3              *db,
                                           sqlite3_stmt         *stmt,
                                           const char           *what,
                                           GError              **error);
void          _paddock_store_bind_text    (sqlite3_stmt         *stmt,
                                           int                   index,
                                           const char           *text);
char         *_paddock_store_column_dup   (sqlite3_stmt         *stmt,
                                           int                   column);
gint64        _paddock_store_now          (void);
gboolean      _paddock_store_owner_alive  (const char           *owner);

/* Pins are persisted through the writer; the in-memory copy answers lookups. */
void          _paddock_store_persist_pin  (PaddockStore         *self,
                                           const char           *host,
                                           guint16               port,
                                           const char           *sha256,
                                           const char           *subject);
gboolean      _paddock_store_load_pins    (sqlite3              *db,
                                           GHashTable           *pins,
                                           GError              **error);

/* For tests: creates a database at an older schema version, as an older Paddock left it. */
gboolean      _paddock_store_create_at_version (const char  *path,
                                                int          version,
                                                GError     **error);

G_END_DECLS
