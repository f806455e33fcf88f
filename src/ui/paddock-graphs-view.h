/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-graphs-view.h: the Graphs tab: a container's CPU, memory, network and disk over time */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"
#include "paddock-graph.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_GRAPHS_VIEW (paddock_graphs_view_get_type ())

G_DECLARE_FINAL_TYPE (PaddockGraphsView, paddock_graphs_view, PADDOCK, GRAPHS_VIEW, AdwBin)

GtkWidget    *paddock_graphs_view_new          (void);
void          paddock_graphs_view_set_guest    (PaddockGraphsView *self,
                                                PaddockCluster    *cluster,
                                                PaddockGuest      *guest);
/* The tab is in front: fetch now, and every minute while it stays; nothing while hidden. */
void          paddock_graphs_view_set_active   (PaddockGraphsView *self,
                                                gboolean           active);
/* "hour", "day" or "week" */
void          paddock_graphs_view_set_timeframe (PaddockGraphsView *self,
                                                 const char        *timeframe);
/* Brings one graph into view: "cpu", "memory", "network" or "disk". */
void          paddock_graphs_view_reveal       (PaddockGraphsView *self,
                                                const char        *graph);
/* For tests */
PaddockGraph *paddock_graphs_view_get_graph    (PaddockGraphsView *self,
                                                const char        *graph);
guint         paddock_graphs_view_get_n_fetches (PaddockGraphsView *self);
gboolean      paddock_graphs_view_get_busy     (PaddockGraphsView *self);
const char   *paddock_graphs_view_get_message  (PaddockGraphsView *self);

G_END_DECLS
