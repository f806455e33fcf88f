/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-row-reorder.h: list rows reordered by dragging one onto another (the wizard's and a
 * template's scripts) */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @from and @to are row indexes in their list box. */
typedef void (*PaddockRowMoved) (GObject *owner,
                                 guint    from,
                                 guint    to);

/* Lets @row be dragged onto its siblings and receive them; @moved is called on @owner (while
 * it lives) when a row is dropped on another. */
void paddock_row_reorder_attach (GtkWidget       *row,
                                 GObject         *owner,
                                 PaddockRowMoved  moved);

G_END_DECLS
