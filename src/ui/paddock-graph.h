/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-graph.h: a time series drawn natively (one or two lines, axes with units, hover) */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  PADDOCK_GRAPH_UNIT_PERCENT,          /* values are fractions: 0.25 is "25 %" */
  PADDOCK_GRAPH_UNIT_BYTES,            /* "1.5 GiB" */
  PADDOCK_GRAPH_UNIT_BYTES_PER_SECOND, /* "12.0 kB/s" */
} PaddockGraphUnit;

#define PADDOCK_TYPE_GRAPH (paddock_graph_get_type ())

G_DECLARE_FINAL_TYPE (PaddockGraph, paddock_graph, PADDOCK, GRAPH, GtkWidget)

GtkWidget  *paddock_graph_new          (const char       *title,
                                        PaddockGraphUnit  unit);
/* @times: gint64 unix seconds, ascending; each series: double, NAN where a sample is missing
 * (a gap in the line); @label names the series in the hover text and the description. */
void        paddock_graph_set_data     (PaddockGraph     *self,
                                        GArray           *times,
                                        const char       *label0,
                                        GArray           *series0,
                                        const char       *label1,
                                        GArray           *series1);
/* The top of the value axis at least (a container's memory limit, 100 % of its CPUs). */
void        paddock_graph_set_ceiling  (PaddockGraph     *self,
                                        double            ceiling);
/* What a screen reader says of the graph: its latest values and their range. */
const char *paddock_graph_get_summary  (PaddockGraph     *self);
/* For tests: how many line segments were drawn last time (gaps split lines). */
guint       paddock_graph_get_n_segments (PaddockGraph   *self);
/* For tests: the hover text at x (widget coordinates), or NULL outside the samples. */
char       *paddock_graph_dup_hover_text (PaddockGraph   *self,
                                          double          x);

G_END_DECLS
