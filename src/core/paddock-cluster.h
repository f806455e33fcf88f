/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-cluster.h: the live container list of one connection, a GListModel updated in place */

#pragma once

#include <gio/gio.h>

#include "paddock-guest.h"
#include "paddock-pve-client.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_CLUSTER (paddock_cluster_get_type ())

G_DECLARE_FINAL_TYPE (PaddockCluster, paddock_cluster, PADDOCK, CLUSTER, GObject)

PaddockCluster   *paddock_cluster_new                (PaddockPveClient     *client,
                                                      gint64                connection_id);
PaddockPveClient *paddock_cluster_get_client         (PaddockCluster       *self);
gint64            paddock_cluster_get_connection_id  (PaddockCluster       *self);
PaddockGuest     *paddock_cluster_lookup             (PaddockCluster       *self,
                                                      guint                 vmid);
gboolean          paddock_cluster_get_reachable      (PaddockCluster       *self);
gboolean          paddock_cluster_get_refreshing     (PaddockCluster       *self);
const char       *paddock_cluster_get_last_error     (PaddockCluster       *self);
gboolean          paddock_cluster_get_needs_secret   (PaddockCluster       *self);
/* FALSE when /cluster/status says the cluster lost its quorum (Proxmox then refuses changes). */
gboolean          paddock_cluster_get_quorate        (PaddockCluster       *self);
/* The offline nodes, "pve2, pve3", or NULL. */
const char       *paddock_cluster_get_offline_nodes  (PaddockCluster       *self);
gint64            paddock_cluster_get_last_success   (PaddockCluster       *self);
gboolean          paddock_cluster_get_from_cache     (PaddockCluster       *self);

/* Figures of the last refresh, for benchmarks. */
gint64            paddock_cluster_get_last_parse_usec (PaddockCluster      *self);
gint64            paddock_cluster_get_last_merge_usec (PaddockCluster      *self);
guint             paddock_cluster_get_last_changes    (PaddockCluster      *self);

/* One GET /cluster/resources?type=vm, parsed in a worker thread, merged on the caller's thread. */
void              paddock_cluster_refresh_async      (PaddockCluster       *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          paddock_cluster_refresh_finish     (PaddockCluster       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* The offline view: fill the list from the store's cache; and rows to save into it. */
gboolean          paddock_cluster_load_cache         (PaddockCluster       *self,
                                                      GPtrArray            *cached_guests,
                                                      GError              **error);
void              paddock_cluster_dup_cache_rows_async  (PaddockCluster       *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GPtrArray        *paddock_cluster_dup_cache_rows_finish (PaddockCluster       *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
