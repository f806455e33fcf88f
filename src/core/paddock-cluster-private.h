/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-cluster-private.h: what the workspace does to a cluster it loads */

#pragma once

#include "paddock-cluster.h"

G_BEGIN_DECLS

/* TRUE: refreshes wait (the secret is being looked up); FALSE: they start, the waiting ones too. */
void _paddock_cluster_hold_refreshes (PaddockCluster *self,
                                      gboolean        hold);

G_END_DECLS
