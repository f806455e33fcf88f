/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-workspace.h: everything a front end works with: the store, the keyring and one live
 * cluster per connection */

#pragma once

#include "paddock-cluster.h"
#include "paddock-connection.h"
#include "paddock-node-sessions.h"
#include "paddock-secrets.h"
#include "paddock-ssh-session.h"
#include "paddock-store.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_WORKSPACE (paddock_workspace_get_type ())

G_DECLARE_FINAL_TYPE (PaddockWorkspace, paddock_workspace, PADDOCK, WORKSPACE, GObject)

/* How to reach a connection given on the command line (secrets come from the environment). */
typedef struct
{
  char *url;          /* https://HOST[:PORT] */
  char *name;
  char *token_id;     /* USER@REALM!NAME, or NULL */
  char *token_secret;
  char *username;     /* USER@REALM for password login, or NULL */
  char *password;
  char *fingerprint;  /* SHA-256 to pin, or NULL */
  /* A client already logged in (after a two-factor code), used instead of a new one; or NULL. */
  PaddockPveClient *client;
} PaddockConnectRequest;

void                   paddock_connect_request_free      (PaddockConnectRequest  *request);
PaddockConnectRequest *paddock_connect_request_from_env  (const char             *url,
                                                          GError                **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockConnectRequest, paddock_connect_request_free)

PaddockWorkspace *paddock_workspace_new                 (PaddockStore          *store,
                                                         PaddockSecrets        *secrets);
PaddockStore     *paddock_workspace_get_store           (PaddockWorkspace      *self);
PaddockSecrets   *paddock_workspace_get_secrets         (PaddockWorkspace      *self);
GListModel       *paddock_workspace_get_clusters        (PaddockWorkspace      *self);
PaddockConnection *paddock_workspace_get_connection     (PaddockWorkspace      *self,
                                                         PaddockCluster        *cluster);
PaddockCluster   *paddock_workspace_find_cluster        (PaddockWorkspace      *self,
                                                         gint64                 connection_id);
void              paddock_workspace_load_async          (PaddockWorkspace      *self,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean          paddock_workspace_load_finish         (PaddockWorkspace      *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
void              paddock_workspace_secrets_ready_async  (PaddockWorkspace      *self,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
gboolean          paddock_workspace_secrets_ready_finish (PaddockWorkspace      *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
void              paddock_workspace_connect_async       (PaddockWorkspace      *self,
                                                         PaddockConnectRequest *request,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
PaddockCluster   *paddock_workspace_connect_finish      (PaddockWorkspace      *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
/* Refreshes @cluster and, on success, keeps its list for the offline view. */
void              paddock_workspace_refresh_async       (PaddockWorkspace      *self,
                                                         PaddockCluster        *cluster,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean          paddock_workspace_refresh_finish      (PaddockWorkspace      *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

/* SSH to nodes: Paddock's own known_hosts (beside the database), and a session configured from
 * a node's settings (@ssh may be NULL: root, port 22, the agent) to @address. */
char              *paddock_workspace_dup_known_hosts_path (PaddockWorkspace    *self);
PaddockSshSession *paddock_workspace_new_ssh_session      (PaddockWorkspace    *self,
                                                           const PaddockNodeSsh *ssh,
                                                           const char          *address);
PaddockNodeSessions *paddock_workspace_get_node_sessions  (PaddockWorkspace    *self);

/* Saved connections, as Preferences manages them (the store, the keyring and the list at once). */
void              paddock_workspace_remove_async        (PaddockWorkspace      *self,
                                                         PaddockCluster        *cluster,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean          paddock_workspace_remove_finish       (PaddockWorkspace      *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
void              paddock_workspace_rename_async        (PaddockWorkspace      *self,
                                                         PaddockCluster        *cluster,
                                                         const char            *name,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean          paddock_workspace_rename_finish       (PaddockWorkspace      *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
void              paddock_workspace_set_default_async   (PaddockWorkspace      *self,
                                                         PaddockCluster        *cluster,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean          paddock_workspace_set_default_finish  (PaddockWorkspace      *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
void              paddock_workspace_set_secret_async    (PaddockWorkspace      *self,
                                                         PaddockCluster        *cluster,
                                                         const char            *secret,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean          paddock_workspace_set_secret_finish   (PaddockWorkspace      *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);

G_END_DECLS
