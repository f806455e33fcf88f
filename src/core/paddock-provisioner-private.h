/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-provisioner-private.h: what a job's run asks of the provisioner that runs it */

#pragma once

#include "paddock-provisioner.h"

G_BEGIN_DECLS

PaddockStore   *_paddock_provisioner_get_store         (PaddockProvisioner   *self);
PaddockSecrets *_paddock_provisioner_get_secrets       (PaddockProvisioner   *self);
void            _paddock_provisioner_get_poll_interval (PaddockProvisioner   *self,
                                                        guint                *first_ms,
                                                        guint                *max_ms);
/* pct on the node: the override paddockctl set, else the workspace's session for the node. */
void            _paddock_provisioner_open_pct_async    (PaddockProvisioner   *self,
                                                        PaddockCluster       *cluster,
                                                        const char           *node,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
PaddockPct     *_paddock_provisioner_open_pct_finish   (PaddockProvisioner   *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
