/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-node-sessions.h: one SSH session per node, shared by everything sent to it */

#pragma once

#include "paddock-cluster.h"
#include "paddock-pct.h"
#include "paddock-secrets.h"
#include "paddock-store.h"

G_BEGIN_DECLS

/* A session that tries the configured method first, then the others that need no question (the
 * agent, the key file); passwords are the caller's to set. @ssh may be NULL: root, port 22, the
 * agent, to @address. */
PaddockSshSession *paddock_ssh_session_new_for_node (const PaddockNodeSsh *ssh,
                                                     const char           *address,
                                                     const char           *known_hosts);

#define PADDOCK_TYPE_NODE_SESSIONS (paddock_node_sessions_get_type ())

G_DECLARE_FINAL_TYPE (PaddockNodeSessions, paddock_node_sessions, PADDOCK, NODE_SESSIONS, GObject)

/* @known_hosts: Paddock's own known_hosts file. */
PaddockNodeSessions *paddock_node_sessions_new          (PaddockStore         *store,
                                                         PaddockSecrets       *secrets,
                                                         const char           *known_hosts);
/* pct on @node of @cluster over a session made from the node's SSH settings (the store), its
 * secret (the keyring) and its address (the settings, else /cluster/status), kept for the next
 * call. It is not connected yet: the first command connects (and says what went wrong). */
void                 paddock_node_sessions_open_async   (PaddockNodeSessions  *self,
                                                         PaddockCluster       *cluster,
                                                         const char           *node,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
PaddockPct          *paddock_node_sessions_open_finish  (PaddockNodeSessions  *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
/* After a connection's SSH settings or secrets changed: the next open starts afresh. */
void                 paddock_node_sessions_forget       (PaddockNodeSessions  *self,
                                                         gint64                connection_id);

G_END_DECLS
