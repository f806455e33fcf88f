/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-workspace.c: the store, the keyring and one live cluster per connection */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "paddock-cluster-private.h"
#include "paddock-workspace.h"

/* The offline list is rewritten at most this often per connection. */
#define CACHE_SAVE_INTERVAL_SECONDS 60

struct _PaddockWorkspace
{
  GObject         parent_instance;
  PaddockStore   *store;
  PaddockSecrets *secrets;
  GListStore     *clusters;
  GHashTable     *connections;  /* PaddockCluster → PaddockConnection */
  GHashTable     *cache_saved;  /* PaddockCluster → gint64 monotonic seconds */
  PaddockNodeSessions *node_sessions;
  guint           secrets_pending;  /* keyring lookups of loaded connections still running */
  GPtrArray      *secret_waiters;   /* GTask of paddock_workspace_secrets_ready_async */
};

G_DEFINE_FINAL_TYPE (PaddockWorkspace, paddock_workspace, G_TYPE_OBJECT)

void
paddock_connect_request_free (PaddockConnectRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->url);
  g_free (request->name);
  g_free (request->token_id);
  paddock_secret_free (request->token_secret);
  g_free (request->username);
  paddock_secret_free (request->password);
  g_free (request->fingerprint);
  g_clear_object (&request->client);
  g_free (request);
}

static char *
dup_env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

/* A secret is taken out of the environment once read: children (a browser, ssh) do not inherit
 * it, and its bytes are overwritten, which also clears it from /proc/PID/environ. */
static char *
take_env_secret (const char *name)
{
  char *value = getenv (name);
  char *copy = value != NULL && *value != '\0' ? g_strdup (value) : NULL;

  if (value != NULL)
    {
      memset (value, 0, strlen (value));
      g_unsetenv (name);
    }

  return copy;
}

/**
 * paddock_connect_request_from_env:
 * @url: `https://HOST[:PORT]`
 *
 * Reads PADDOCK_TOKEN_ID + PADDOCK_TOKEN_SECRET, or PADDOCK_USER + PADDOCK_PASSWORD, and
 * PADDOCK_FINGERPRINT and PADDOCK_CONNECTION_NAME: secrets never come from the command line,
 * and are removed from the environment once read.
 */
PaddockConnectRequest *
paddock_connect_request_from_env (const char  *url,
                                  GError     **error)
{
  g_autoptr(PaddockConnectRequest) request = g_new0 (PaddockConnectRequest, 1);

  g_return_val_if_fail (url != NULL, NULL);

  request->url = g_strdup (url);
  request->name = dup_env ("PADDOCK_CONNECTION_NAME");
  request->token_id = dup_env ("PADDOCK_TOKEN_ID");
  request->token_secret = take_env_secret ("PADDOCK_TOKEN_SECRET");
  request->username = dup_env ("PADDOCK_USER");
  request->password = take_env_secret ("PADDOCK_PASSWORD");
  request->fingerprint = dup_env ("PADDOCK_FINGERPRINT");

  if ((request->token_id == NULL || request->token_secret == NULL) &&
      (request->username == NULL || request->password == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "To connect to %s, set PADDOCK_TOKEN_ID and PADDOCK_TOKEN_SECRET "
                   "(or PADDOCK_USER and PADDOCK_PASSWORD) in the environment", url);
      return NULL;
    }

  if (request->token_id != NULL && strchr (request->token_id, '!') == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "PADDOCK_TOKEN_ID must look like USER@REALM!TOKENID, not “%s”", request->token_id);
      return NULL;
    }

  return g_steal_pointer (&request);
}

static void
paddock_workspace_dispose (GObject *object)
{
  PaddockWorkspace *self = PADDOCK_WORKSPACE (object);

  g_clear_object (&self->clusters);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->cache_saved, g_hash_table_unref);
  g_clear_object (&self->node_sessions);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (paddock_workspace_parent_class)->dispose (object);
}

static void
paddock_workspace_class_init (PaddockWorkspaceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = paddock_workspace_dispose;
}

static void
paddock_workspace_init (PaddockWorkspace *self)
{
  self->clusters = g_list_store_new (PADDOCK_TYPE_CLUSTER);
  self->connections = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->cache_saved = g_hash_table_new (NULL, NULL);
}

PaddockWorkspace *
paddock_workspace_new (PaddockStore   *store,
                       PaddockSecrets *secrets)
{
  PaddockWorkspace *self;

  g_return_val_if_fail (PADDOCK_IS_STORE (store), NULL);
  g_return_val_if_fail (PADDOCK_IS_SECRETS (secrets), NULL);

  self = g_object_new (PADDOCK_TYPE_WORKSPACE, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);

  return self;
}

PaddockStore *
paddock_workspace_get_store (PaddockWorkspace *self)
{
  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (self), NULL);
  return self->store;
}

PaddockSecrets *
paddock_workspace_get_secrets (PaddockWorkspace *self)
{
  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (self), NULL);
  return self->secrets;
}

/* Returns: (transfer none): a GListModel of PaddockCluster, one per connection */
GListModel *
paddock_workspace_get_clusters (PaddockWorkspace *self)
{
  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (self), NULL);
  return G_LIST_MODEL (self->clusters);
}

/* Returns: (transfer none) (nullable): the connection @cluster belongs to */
PaddockConnection *
paddock_workspace_get_connection (PaddockWorkspace *self,
                                  PaddockCluster   *cluster)
{
  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (self), NULL);
  return g_hash_table_lookup (self->connections, cluster);
}

/* Returns: (transfer none) (nullable): the cluster of the connection @connection_id */
PaddockCluster *
paddock_workspace_find_cluster (PaddockWorkspace *self,
                                gint64            connection_id)
{
  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->clusters)); i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (G_LIST_MODEL (self->clusters), i);

      if (paddock_cluster_get_connection_id (cluster) == connection_id)
        return cluster;
    }

  return NULL;
}

/* Adds @cluster, replacing one of the same connection. */
static void
add_cluster (PaddockWorkspace  *self,
             PaddockConnection *connection,
             PaddockCluster    *cluster)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->clusters));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockCluster) existing = g_list_model_get_item (G_LIST_MODEL (self->clusters), i);

      if (paddock_cluster_get_connection_id (existing) == paddock_connection_get_id (connection))
        {
          /* Registered before the splice: views build their rows from items-changed. */
          g_hash_table_insert (self->connections, g_object_ref (cluster), g_object_ref (connection));
          g_hash_table_remove (self->cache_saved, existing);
          g_list_store_splice (self->clusters, i, 1, (gpointer *) &cluster, 1);
          g_hash_table_remove (self->connections, existing);
          return;
        }
    }

  g_hash_table_insert (self->connections, g_object_ref (cluster), g_object_ref (connection));
  g_list_store_append (self->clusters, cluster);
}

/* Loading saved connections */

typedef struct
{
  GPtrArray         *connections;
  guint              next;
  PaddockConnection *current;
  PaddockCluster    *cluster;
} Load;

static void
load_free (gpointer data)
{
  Load *load = data;

  g_clear_pointer (&load->connections, g_ptr_array_unref);
  g_clear_object (&load->cluster);
  g_free (load);
}

static void load_next (GTask *task);

/* A connection's secret, asked of the keyring while its cached list already shows. */
typedef struct
{
  GWeakRef           workspace;
  PaddockCluster    *cluster;
  PaddockConnection *connection;
} SecretLookup;

static void
secret_lookup_free (SecretLookup *lookup)
{
  g_weak_ref_clear (&lookup->workspace);
  g_clear_object (&lookup->cluster);
  g_clear_object (&lookup->connection);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretLookup, secret_lookup_free)

static void
on_secret_found (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SecretLookup) lookup = user_data;
  PaddockPveClient *client = paddock_cluster_get_client (lookup->cluster);
  g_autoptr(PaddockSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = paddock_secrets_lookup_finish (PADDOCK_SECRETS (object), result, &error);

  /* Without its secret the connection is still listed, from cache, with the reason. */
  if (secret != NULL && paddock_connection_get_auth_kind (lookup->connection) == PADDOCK_AUTH_TOKEN)
    {
      g_autofree char *token_id = g_strdup_printf ("%s!%s", paddock_connection_get_username (lookup->connection),
                                                   paddock_connection_get_token_id (lookup->connection));

      paddock_pve_client_set_token (client, token_id, secret);
    }
  else if (secret != NULL)
    paddock_pve_client_set_password (client, paddock_connection_get_username (lookup->connection), secret);

  _paddock_cluster_hold_refreshes (lookup->cluster, FALSE);

  {
    g_autoptr(PaddockWorkspace) self = g_weak_ref_get (&lookup->workspace);

    if (self != NULL && self->secrets_pending > 0 && --self->secrets_pending == 0 && self->secret_waiters != NULL)
      {
        g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->secret_waiters);

        for (guint i = 0; i < waiters->len; i++)
          g_task_return_boolean (g_ptr_array_index (waiters, i), TRUE);
      }
  }
}

/**
 * paddock_workspace_secrets_ready_async:
 *
 * Completes once every loaded connection has its secret from the keyring (or knows it has none):
 * for a short-lived caller, such as paddockctl, that must not refresh without it.
 */
void
paddock_workspace_secrets_ready_async (PaddockWorkspace    *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PADDOCK_IS_WORKSPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_workspace_secrets_ready_async);
  if (self->secrets_pending == 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  if (self->secret_waiters == NULL)
    self->secret_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->secret_waiters, task);
}

gboolean
paddock_workspace_secrets_ready_finish (PaddockWorkspace  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_cache_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockWorkspace *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = paddock_store_load_guest_cache_finish (PADDOCK_STORE (object), result, &error);
  if (rows != NULL && rows->len > 0 && !paddock_cluster_load_cache (load->cluster, rows, &error))
    g_warning ("The cached container list of %s is unreadable: %s",
               paddock_connection_get_name (load->current), error->message);

  add_cluster (self, load->current, load->cluster);
  g_clear_object (&load->cluster);
  load_next (g_steal_pointer (&task));
}

static void
load_next (GTask *task)
{
  PaddockWorkspace *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  PaddockConnection *connection;
  g_autoptr(PaddockPveClient) client = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  SecretLookup *lookup;

  if (load->next >= load->connections->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  connection = load->current = g_ptr_array_index (load->connections, load->next++);
  client = paddock_pve_client_new (paddock_connection_get_host (connection), paddock_connection_get_port (connection),
                                   PADDOCK_TRUST_STORE (self->store));
  load->cluster = paddock_cluster_new (client, paddock_connection_get_id (connection));

  /* The keyring may take its time (it is started on demand, or does not answer for 25 s): the
   * cached list shows at once, refreshes wait for the secret. */
  _paddock_cluster_hold_refreshes (load->cluster, TRUE);
  lookup = g_new0 (SecretLookup, 1);
  g_weak_ref_init (&lookup->workspace, self);
  self->secrets_pending++;
  lookup->cluster = g_object_ref (load->cluster);
  lookup->connection = g_object_ref (connection);
  paddock_secrets_lookup_async (self->secrets,
                                paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN
                                ? PADDOCK_SECRET_TOKEN : PADDOCK_SECRET_PASSWORD,
                                paddock_connection_get_id (connection), NULL, NULL,
                                NULL, on_secret_found, lookup);
  paddock_store_load_guest_cache_async (self->store, paddock_connection_get_id (connection),
                                        cancellable, on_cache_loaded, task);
}

static void
on_connections_listed (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;

  load->connections = paddock_store_list_connections_finish (PADDOCK_STORE (object), result, &error);
  if (load->connections == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  load_next (g_steal_pointer (&task));
}

/* Lists every saved connection with its cached containers (it does not refresh them). */
void
paddock_workspace_load_async (PaddockWorkspace    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PADDOCK_IS_WORKSPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_workspace_load_async);
  g_task_set_task_data (task, g_new0 (Load, 1), load_free);

  paddock_store_list_connections_async (self->store, cancellable, on_connections_listed, task);
}

gboolean
paddock_workspace_load_finish (PaddockWorkspace  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Connecting from the command line */

typedef struct
{
  PaddockConnectRequest *request;
  char                  *host;
  guint16                port;
  PaddockConnection     *connection;
  PaddockCluster        *cluster;
  gboolean               auto_named;  /* saved under its address for want of a name */
} Connect;

static void
connect_free (gpointer data)
{
  Connect *connect = data;

  paddock_connect_request_free (connect->request);
  g_free (connect->host);
  g_clear_object (&connect->connection);
  g_clear_object (&connect->cluster);
  g_free (connect);
}

/* A connection saved under its address takes its cluster's name (or its node's) once the server
 * says it; a name already taken leaves it as it was. */
typedef struct
{
  GWeakRef        workspace;
  PaddockCluster *cluster;
} AutoName;

static void
auto_name_free (AutoName *auto_name)
{
  g_weak_ref_clear (&auto_name->workspace);
  g_clear_object (&auto_name->cluster);
  g_free (auto_name);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AutoName, auto_name_free)

static void
on_auto_name_status (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AutoName) auto_name = user_data;
  g_autoptr(PaddockWorkspace) self = g_weak_ref_get (&auto_name->workspace);
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  const char *name;

  status = paddock_pve_client_get_cluster_status_finish (PADDOCK_PVE_CLIENT (object), result, NULL);
  if (status == NULL || self == NULL)
    return;

  name = paddock_pve_cluster_status_get_name (status);
  if (name != NULL)
    paddock_workspace_rename_async (self, auto_name->cluster, name, NULL, NULL, NULL);
}

static void
on_connect_cache (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockWorkspace *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  g_autoptr(GPtrArray) rows = NULL;

  rows = paddock_store_load_guest_cache_finish (PADDOCK_STORE (object), result, NULL);
  if (rows != NULL && rows->len > 0)
    paddock_cluster_load_cache (connect->cluster, rows, NULL);

  add_cluster (self, connect->connection, connect->cluster);
  if (connect->auto_named)
    {
      AutoName *auto_name = g_new0 (AutoName, 1);

      g_weak_ref_init (&auto_name->workspace, self);
      auto_name->cluster = g_object_ref (connect->cluster);
      paddock_pve_client_get_cluster_status_async (paddock_cluster_get_client (connect->cluster), NULL,
                                                   on_auto_name_status, auto_name);
    }
  g_task_return_pointer (task, g_object_ref (connect->cluster), g_object_unref);
}

static void
make_cluster (GTask *task)
{
  PaddockWorkspace *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  PaddockConnectRequest *request = connect->request;
  g_autoptr(PaddockPveClient) client = NULL;

  if (request->fingerprint != NULL)
    paddock_trust_store_set_pin (PADDOCK_TRUST_STORE (self->store), connect->host, connect->port,
                                 request->fingerprint, NULL);

  if (request->client != NULL)
    client = g_object_ref (request->client);
  else
    {
      client = paddock_pve_client_new (connect->host, connect->port, PADDOCK_TRUST_STORE (self->store));
      if (request->token_id != NULL && request->token_secret != NULL)
        paddock_pve_client_set_token (client, request->token_id, request->token_secret);
      else
        paddock_pve_client_set_password (client, request->username, request->password);
    }

  connect->cluster = paddock_cluster_new (client, paddock_connection_get_id (connect->connection));
  paddock_store_load_guest_cache_async (self->store, paddock_connection_get_id (connect->connection),
                                        g_task_get_cancellable (task), on_connect_cache, task);
}

static void
on_connection_added (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!paddock_store_add_connection_finish (PADDOCK_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  make_cluster (task);
}

static void
on_connect_listed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  PaddockWorkspace *self = g_task_get_source_object (task);
  Connect *connect = g_task_get_task_data (task);
  PaddockConnectRequest *request = connect->request;
  g_autoptr(GPtrArray) connections = NULL;
  g_autofree char *unique_name = NULL;
  GError *error = NULL;
  const char *name;

  connections = paddock_store_list_connections_finish (PADDOCK_STORE (object), result, &error);
  if (connections == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* The same host and port is the same connection: reuse its id, cache and events. */
  for (guint i = 0; i < connections->len; i++)
    {
      PaddockConnection *existing = connections->pdata[i];

      if (g_ascii_strcasecmp (paddock_connection_get_host (existing), connect->host) == 0 &&
          paddock_connection_get_port (existing) == connect->port)
        {
          connect->connection = g_object_ref (existing);
          make_cluster (task);
          return;
        }
    }

  name = request->name != NULL ? request->name : connect->host;
  connect->auto_named = request->name == NULL;
  /* Names are unique: another server already called so gets its address added to the new one. */
  for (guint i = 0; i < connections->len; i++)
    if (g_strcmp0 (paddock_connection_get_name (connections->pdata[i]), name) == 0)
      {
        unique_name = g_strdup_printf ("%s (%s:%u)", name, connect->host, connect->port);
        name = unique_name;
        break;
      }
  if (request->token_id != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (request->token_id, "!", 2);

      connect->connection = paddock_connection_new (name, connect->host, connect->port, PADDOCK_AUTH_TOKEN,
                                                    parts[0], parts[1]);
    }
  else
    connect->connection = paddock_connection_new (name, connect->host, connect->port, PADDOCK_AUTH_PASSWORD,
                                                  request->username, NULL);

  paddock_store_add_connection_async (self->store, connect->connection, g_task_get_cancellable (task),
                                      on_connection_added, task);
}

/**
 * paddock_workspace_connect_async:
 * @request: (transfer full): where and how to connect
 *
 * Makes a connection ready without asking anything: it is saved (without secrets; those stay
 * in memory for this run), its fingerprint pinned, and its cluster added to the workspace.
 */
void
paddock_workspace_connect_async (PaddockWorkspace      *self,
                                 PaddockConnectRequest *request,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  GTask *task;
  Connect *connect;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PADDOCK_IS_WORKSPACE (self));
  g_return_if_fail (request != NULL && request->url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_workspace_connect_async);
  connect = g_new0 (Connect, 1);
  connect->request = request;
  g_task_set_task_data (task, connect, connect_free);

  uri = g_uri_parse (request->url, G_URI_FLAGS_NONE, &error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "“%s” is not a Proxmox address such as https://pve.example.com:8006",
                               request->url);
      g_object_unref (task);
      return;
    }

  connect->host = g_strdup (g_uri_get_host (uri));
  connect->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 8006;

  paddock_store_list_connections_async (self->store, cancellable, on_connect_listed, task);
}

/* Returns: (transfer full): the cluster of the connection, already in the workspace */
PaddockCluster *
paddock_workspace_connect_finish (PaddockWorkspace  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Refreshing */

typedef struct
{
  GWeakRef        workspace;
  PaddockCluster *cluster;
} CacheSave;

static void
cache_save_free (CacheSave *save)
{
  g_weak_ref_clear (&save->workspace);
  g_object_unref (save->cluster);
  g_free (save);
}

static void
on_cache_saved (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CacheSave *save = user_data;
  g_autoptr(PaddockWorkspace) self = g_weak_ref_get (&save->workspace);
  g_autoptr(GError) error = NULL;

  /* A connection removed meanwhile has nothing left to keep a list for (its rows are gone). */
  if (!paddock_store_save_guest_cache_finish (PADDOCK_STORE (object), result, &error) &&
      self != NULL && g_hash_table_contains (self->connections, save->cluster))
    g_warning ("Could not keep the container list for the offline view: %s", error->message);

  cache_save_free (save);
}

static void
on_cache_rows (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CacheSave *save = user_data;
  g_autoptr(PaddockWorkspace) self = g_weak_ref_get (&save->workspace);
  PaddockCluster *cluster = PADDOCK_CLUSTER (object);
  g_autoptr(GPtrArray) rows = paddock_cluster_dup_cache_rows_finish (cluster, result, NULL);

  if (rows == NULL || self == NULL || !g_hash_table_contains (self->connections, cluster))
    {
      cache_save_free (save);
      return;
    }

  paddock_store_save_guest_cache_async (self->store, paddock_cluster_get_connection_id (cluster), rows,
                                        NULL, on_cache_saved, save);
}

static void
on_refreshed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockWorkspace *self = g_task_get_source_object (task);
  PaddockCluster *cluster = PADDOCK_CLUSTER (object);
  GError *error = NULL;
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;
  gint64 saved;

  if (!paddock_cluster_refresh_finish (cluster, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  saved = GPOINTER_TO_SIZE (g_hash_table_lookup (self->cache_saved, cluster));
  if (saved == 0 || now - saved >= CACHE_SAVE_INTERVAL_SECONDS)
    {
      CacheSave *save = g_new0 (CacheSave, 1);

      g_hash_table_insert (self->cache_saved, cluster, GSIZE_TO_POINTER ((gsize) now));
      g_weak_ref_init (&save->workspace, self);
      save->cluster = g_object_ref (cluster);
      paddock_cluster_dup_cache_rows_async (cluster, NULL, on_cache_rows, save);
    }

  g_task_return_boolean (task, TRUE);
}

void
paddock_workspace_refresh_async (PaddockWorkspace    *self,
                                 PaddockCluster      *cluster,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PADDOCK_IS_WORKSPACE (self));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_workspace_refresh_async);
  paddock_cluster_refresh_async (cluster, cancellable, on_refreshed, task);
}

gboolean
paddock_workspace_refresh_finish (PaddockWorkspace  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Managing saved connections */

static gboolean
find_position (PaddockWorkspace *self,
               PaddockCluster   *cluster,
               guint            *position)
{
  return g_list_store_find (self->clusters, cluster, position);
}

static void
on_secret_cleared (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The connection is gone; a secret the keyring kept is said, not fatal. */
  if (!paddock_secrets_clear_finish (PADDOCK_SECRETS (object), result, &error))
    g_warning ("The keyring kept the secret of a removed connection: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
on_connection_removed (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockWorkspace *self = g_task_get_source_object (task);
  PaddockCluster *cluster = g_task_get_task_data (task);
  g_autoptr(PaddockConnection) connection = NULL;
  GError *error = NULL;
  guint position;

  if (!paddock_store_remove_connection_finish (PADDOCK_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  connection = g_object_ref (g_hash_table_lookup (self->connections, cluster));
  if (find_position (self, cluster, &position))
    g_list_store_remove (self->clusters, position);
  g_hash_table_remove (self->cache_saved, cluster);
  g_hash_table_remove (self->connections, cluster);

  paddock_secrets_clear_async (self->secrets,
                               paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN
                               ? PADDOCK_SECRET_TOKEN : PADDOCK_SECRET_PASSWORD,
                               paddock_connection_get_id (connection), NULL, NULL, NULL,
                               on_secret_cleared, g_steal_pointer (&task));
}

/**
 * paddock_workspace_remove_async:
 *
 * Removes the connection of @cluster: its row and cached list from the store, its secret
 * from the keyring, and the cluster from the list. Events of its containers stay.
 */
void
paddock_workspace_remove_async (PaddockWorkspace    *self,
                                PaddockCluster      *cluster,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PADDOCK_IS_WORKSPACE (self));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_workspace_remove_async);
  g_task_set_task_data (task, g_object_ref (cluster), g_object_unref);
  paddock_store_remove_connection_async (self->store, paddock_cluster_get_connection_id (cluster), cancellable,
                                         on_connection_removed, task);
}

gboolean
paddock_workspace_remove_finish (PaddockWorkspace  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Views build their rows of a cluster from items-changed: replacing it with itself rebuilds them. */
static void
announce_changed (PaddockWorkspace *self,
                  PaddockCluster   *cluster)
{
  guint position;

  if (find_position (self, cluster, &position))
    g_list_model_items_changed (G_LIST_MODEL (self->clusters), position, 1, 1);
}

typedef struct
{
  PaddockCluster *cluster;
  char           *name;
} Rename;

static void
rename_free (Rename *rename)
{
  g_object_unref (rename->cluster);
  g_free (rename->name);
  g_free (rename);
}

static void
on_connection_renamed (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockWorkspace *self = g_task_get_source_object (task);
  Rename *rename = g_task_get_task_data (task);
  PaddockConnection *connection;
  GError *error = NULL;

  if (!paddock_store_rename_connection_finish (PADDOCK_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if ((connection = g_hash_table_lookup (self->connections, rename->cluster)) != NULL)
    paddock_connection_set_name (connection, rename->name);
  announce_changed (self, rename->cluster);
  g_task_return_boolean (task, TRUE);
}

void
paddock_workspace_rename_async (PaddockWorkspace    *self,
                                PaddockCluster      *cluster,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Rename *rename;

  g_return_if_fail (PADDOCK_IS_WORKSPACE (self));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_workspace_rename_async);
  rename = g_new0 (Rename, 1);
  rename->cluster = g_object_ref (cluster);
  rename->name = g_strstrip (g_strdup (name));
  g_task_set_task_data (task, rename, (GDestroyNotify) rename_free);
  paddock_store_rename_connection_async (self->store, paddock_cluster_get_connection_id (cluster), rename->name,
                                         cancellable, on_connection_renamed, task);
}

gboolean
paddock_workspace_rename_finish (PaddockWorkspace  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_default_set (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockWorkspace *self = g_task_get_source_object (task);
  PaddockCluster *chosen = g_task_get_task_data (task);
  GError *error = NULL;

  if (!paddock_store_set_default_connection_finish (PADDOCK_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->clusters)); i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (G_LIST_MODEL (self->clusters), i);
      PaddockConnection *connection = g_hash_table_lookup (self->connections, cluster);
      gboolean is_default = cluster == chosen;

      if (connection != NULL && paddock_connection_get_is_default (connection) != is_default)
        {
          paddock_connection_set_is_default (connection, is_default);
          announce_changed (self, cluster);
        }
    }

  g_task_return_boolean (task, TRUE);
}

void
paddock_workspace_set_default_async (PaddockWorkspace    *self,
                                     PaddockCluster      *cluster,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PADDOCK_IS_WORKSPACE (self));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_workspace_set_default_async);
  g_task_set_task_data (task, g_object_ref (cluster), g_object_unref);
  paddock_store_set_default_connection_async (self->store, paddock_cluster_get_connection_id (cluster), cancellable,
                                              on_default_set, task);
}

gboolean
paddock_workspace_set_default_finish (PaddockWorkspace  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* SSH */

char *
paddock_workspace_dup_known_hosts_path (PaddockWorkspace *self)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (self), NULL);

  dir = g_path_get_dirname (paddock_store_get_path (self->store));
  return g_build_filename (dir, "known_hosts", NULL);
}

/**
 * paddock_workspace_new_ssh_session:
 *
 * Returns: (transfer full): a session that tries the configured method first, then the others
 *   that need no question (the agent, the key file); passwords are the caller's to set.
 */
PaddockSshSession *
paddock_workspace_new_ssh_session (PaddockWorkspace     *self,
                                   const PaddockNodeSsh *ssh,
                                   const char           *address)
{
  g_autofree char *known_hosts = NULL;

  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (self), NULL);

  known_hosts = paddock_workspace_dup_known_hosts_path (self);
  return paddock_ssh_session_new_for_node (ssh, address, known_hosts);
}

/* The sessions to the nodes, one per node, made on first use. */
PaddockNodeSessions *
paddock_workspace_get_node_sessions (PaddockWorkspace *self)
{
  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (self), NULL);

  if (self->node_sessions == NULL)
    {
      g_autofree char *known_hosts = paddock_workspace_dup_known_hosts_path (self);

      self->node_sessions = paddock_node_sessions_new (self->store, self->secrets, known_hosts);
    }

  return self->node_sessions;
}

/* A new secret for a saved connection */

typedef struct
{
  PaddockCluster *cluster;
  char           *secret;
} NewSecret;

static void
new_secret_free (NewSecret *new_secret)
{
  g_object_unref (new_secret->cluster);
  paddock_secret_free (new_secret->secret);
  g_free (new_secret);
}

static void
on_new_secret_stored (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockWorkspace *self = g_task_get_source_object (task);
  NewSecret *new_secret = g_task_get_task_data (task);
  PaddockConnection *connection = g_hash_table_lookup (self->connections, new_secret->cluster);
  PaddockPveClient *client = paddock_cluster_get_client (new_secret->cluster);
  GError *error = NULL;
  gboolean stored;

  stored = paddock_secrets_store_finish (PADDOCK_SECRETS (object), result, &error);

  /* Used from now on either way; without a keyring only until Paddock quits (the error says so). */
  if (connection != NULL && paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN)
    {
      g_autofree char *token_id = g_strdup_printf ("%s!%s", paddock_connection_get_username (connection),
                                                   paddock_connection_get_token_id (connection));

      paddock_pve_client_set_token (client, token_id, new_secret->secret);
    }
  else if (connection != NULL)
    paddock_pve_client_set_password (client, paddock_connection_get_username (connection), new_secret->secret);

  if (!stored)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * paddock_workspace_set_secret_async:
 * @secret: the new API token secret or password of @cluster's connection
 *
 * Keeps @secret in the keyring and uses it at once. When the keyring cannot keep it, it is
 * still used for this session and the error says why it was not kept.
 */
void
paddock_workspace_set_secret_async (PaddockWorkspace    *self,
                                    PaddockCluster      *cluster,
                                    const char          *secret,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  PaddockConnection *connection;
  g_autofree char *label = NULL;
  NewSecret *new_secret;
  GTask *task;
  gboolean token;

  g_return_if_fail (PADDOCK_IS_WORKSPACE (self));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_workspace_set_secret_async);
  if ((connection = g_hash_table_lookup (self->connections, cluster)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "The connection was removed");
      g_object_unref (task);
      return;
    }

  new_secret = g_new0 (NewSecret, 1);
  new_secret->cluster = g_object_ref (cluster);
  new_secret->secret = g_strdup (secret);
  g_task_set_task_data (task, new_secret, (GDestroyNotify) new_secret_free);

  token = paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN;
  label = g_strdup_printf (token ? "Paddock: API token of %s" : "Paddock: password of %s",
                           paddock_connection_get_name (connection));
  paddock_secrets_store_async (self->secrets, token ? PADDOCK_SECRET_TOKEN : PADDOCK_SECRET_PASSWORD,
                               paddock_connection_get_id (connection), NULL, NULL, label, secret, cancellable,
                               on_new_secret_stored, task);
}

gboolean
paddock_workspace_set_secret_finish (PaddockWorkspace  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
