/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-node-sessions.c: one SSH session per node, shared by everything sent to it */

#include "config.h"


#include "paddock-node-sessions.h"

struct _PaddockNodeSessions
{
  GObject         parent_instance;
  PaddockStore   *store;
  PaddockSecrets *secrets;
  char           *known_hosts;
  GHashTable     *sessions;   /* "CONNECTION-ID/NODE" → PaddockPct */
};

G_DEFINE_FINAL_TYPE (PaddockNodeSessions, paddock_node_sessions, G_TYPE_OBJECT)

PaddockSshSession *
paddock_ssh_session_new_for_node (const PaddockNodeSsh *ssh,
                                  const char           *address,
                                  const char           *known_hosts)
{
  PaddockSshSession *session;
  PaddockSshAuth methods[3];
  guint n = 0;

  g_return_val_if_fail (address != NULL || (ssh != NULL && ssh->address != NULL), NULL);

  session = paddock_ssh_session_new (ssh && ssh->address ? ssh->address : address,
                                     ssh && ssh->port ? ssh->port : 22,
                                     ssh && ssh->user ? ssh->user : "root");
  paddock_ssh_session_set_known_hosts (session, known_hosts);
  paddock_ssh_session_set_connect_retry (session, 2, 1000);

  methods[n++] = ssh ? ssh->auth : PADDOCK_SSH_AUTH_AGENT;
  if (methods[0] != PADDOCK_SSH_AUTH_AGENT)
    methods[n++] = PADDOCK_SSH_AUTH_AGENT;
  if (ssh && ssh->key_path)
    {
      paddock_ssh_session_set_key_file (session, ssh->key_path);
      if (methods[0] != PADDOCK_SSH_AUTH_KEY)
        methods[n++] = PADDOCK_SSH_AUTH_KEY;
    }
  paddock_ssh_session_set_auth_methods (session, methods, n);

  return session;
}

static void
paddock_node_sessions_finalize (GObject *object)
{
  PaddockNodeSessions *self = PADDOCK_NODE_SESSIONS (object);

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_free (self->known_hosts);
  g_hash_table_unref (self->sessions);

  G_OBJECT_CLASS (paddock_node_sessions_parent_class)->finalize (object);
}

static void
paddock_node_sessions_class_init (PaddockNodeSessionsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = paddock_node_sessions_finalize;
}

static void
paddock_node_sessions_init (PaddockNodeSessions *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

PaddockNodeSessions *
paddock_node_sessions_new (PaddockStore   *store,
                           PaddockSecrets *secrets,
                           const char     *known_hosts)
{
  PaddockNodeSessions *self;

  g_return_val_if_fail (PADDOCK_IS_STORE (store), NULL);
  g_return_val_if_fail (PADDOCK_IS_SECRETS (secrets), NULL);

  self = g_object_new (PADDOCK_TYPE_NODE_SESSIONS, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  self->known_hosts = g_strdup (known_hosts);
  return self;
}

typedef struct
{
  PaddockCluster *cluster;
  char           *node;
  char           *key;
  PaddockNodeSsh *ssh;       /* the node's saved settings, or NULL */
  char           *address;
} Open;

static void
open_free (Open *open)
{
  g_clear_object (&open->cluster);
  g_free (open->node);
  g_free (open->key);
  g_clear_pointer (&open->ssh, paddock_node_ssh_free);
  g_free (open->address);
  g_free (open);
}

static void
finish_open (GTask      *task,
             const char *secret)
{
  PaddockNodeSessions *self = g_task_get_source_object (task);
  Open *open = g_task_get_task_data (task);
  g_autoptr(PaddockSshSession) session = NULL;
  PaddockPct *pct;

  /* Another open of the same node may have finished first: one session per node. */
  if ((pct = g_hash_table_lookup (self->sessions, open->key)) != NULL)
    {
      g_task_return_pointer (task, g_object_ref (pct), g_object_unref);
      return;
    }

  session = paddock_ssh_session_new_for_node (open->ssh, open->address, self->known_hosts);
  if (secret != NULL && open->ssh != NULL && open->ssh->auth == PADDOCK_SSH_AUTH_PASSWORD)
    paddock_ssh_session_set_password (session, secret);
  else if (secret != NULL)
    paddock_ssh_session_set_key_passphrase (session, secret);

  pct = paddock_pct_new (session, open->node);
  g_hash_table_replace (self->sessions, g_strdup (open->key), g_object_ref (pct));
  g_task_return_pointer (task, pct, g_object_unref);
}

static void
on_secret (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockSecret) secret = paddock_secrets_lookup_finish (PADDOCK_SECRETS (object), result, &error);

  /* Without a keyring, or without the secret, the session says what authentication lacked. */
  finish_open (task, secret);
}

static void
look_up_secret (GTask *task)
{
  PaddockNodeSessions *self = g_task_get_source_object (task);
  Open *open = g_task_get_task_data (task);

  if (open->ssh == NULL || open->ssh->auth == PADDOCK_SSH_AUTH_AGENT)
    {
      finish_open (task, NULL);
      return;
    }

  paddock_secrets_lookup_async (self->secrets,
                                open->ssh->auth == PADDOCK_SSH_AUTH_PASSWORD ? PADDOCK_SECRET_SSH_PASSWORD
                                                                             : PADDOCK_SECRET_SSH_KEY_PASSPHRASE,
                                paddock_cluster_get_connection_id (open->cluster), open->node, NULL,
                                g_task_get_cancellable (task), on_secret, task);
}

static void
on_cluster_status (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Open *open = g_task_get_task_data (task);
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = paddock_pve_client_get_cluster_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  for (guint i = 0; status != NULL && i < status->nodes->len; i++)
    {
      PaddockPveNode *node = g_ptr_array_index (status->nodes, i);

      if (g_strcmp0 (node->name, open->node) == 0 && node->ip != NULL && *node->ip != '\0')
        open->address = g_strdup (node->ip);
    }

  /* Proxmox did not say (or cannot be asked): the node's name, as ssh would resolve it. */
  if (open->address == NULL)
    open->address = g_strdup (open->node);

  look_up_secret (task);
}

static void
on_settings (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Open *open = g_task_get_task_data (task);
  g_autoptr(GPtrArray) settings = NULL;
  GError *error = NULL;

  settings = paddock_store_list_node_ssh_finish (PADDOCK_STORE (object), result, &error);
  if (settings == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  for (guint i = 0; i < settings->len; i++)
    {
      PaddockNodeSsh *ssh = g_ptr_array_index (settings, i);

      if (g_strcmp0 (ssh->node, open->node) == 0)
        open->ssh = paddock_node_ssh_copy (ssh);
    }

  if (open->ssh != NULL && open->ssh->address != NULL)
    {
      open->address = g_strdup (open->ssh->address);
      look_up_secret (task);
      return;
    }

  paddock_pve_client_get_cluster_status_async (paddock_cluster_get_client (open->cluster),
                                               g_task_get_cancellable (task), on_cluster_status, task);
}

void
paddock_node_sessions_open_async (PaddockNodeSessions *self,
                                  PaddockCluster      *cluster,
                                  const char          *node,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Open *open;
  PaddockPct *pct;

  g_return_if_fail (PADDOCK_IS_NODE_SESSIONS (self));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));
  g_return_if_fail (node != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_node_sessions_open_async);

  open = g_new0 (Open, 1);
  open->cluster = g_object_ref (cluster);
  open->node = g_strdup (node);
  open->key = g_strdup_printf ("%" G_GINT64_FORMAT "/%s", paddock_cluster_get_connection_id (cluster), node);
  g_task_set_task_data (task, open, (GDestroyNotify) open_free);

  if ((pct = g_hash_table_lookup (self->sessions, open->key)) != NULL)
    {
      g_task_return_pointer (task, g_object_ref (pct), g_object_unref);
      return;
    }

  paddock_store_list_node_ssh_async (self->store, paddock_cluster_get_connection_id (cluster), cancellable,
                                     on_settings, g_steal_pointer (&task));
}

PaddockPct *
paddock_node_sessions_open_finish (PaddockNodeSessions  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
paddock_node_sessions_forget (PaddockNodeSessions *self,
                              gint64               connection_id)
{
  g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT "/", connection_id);
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (PADDOCK_IS_NODE_SESSIONS (self));

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, prefix))
      {
        paddock_ssh_session_disconnect (paddock_pct_get_session (value));
        g_hash_table_iter_remove (&iter);
      }
}
