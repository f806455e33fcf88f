/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-row-reorder.c: list rows reordered by dragging one onto another */

#include "config.h"

#include "paddock-row-reorder.h"

static GdkContentProvider *
on_prepare (GtkDragSource *source,
            double         x,
            double         y,
            gpointer       user_data)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  GValue value = G_VALUE_INIT;
  GdkContentProvider *provider;

  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
  provider = gdk_content_provider_new_for_value (&value);
  g_value_unset (&value);

  return provider;
}

/* The row itself follows the pointer. */
static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               gpointer       user_data)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GObject       *owner)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  PaddockRowMoved moved = g_object_get_data (G_OBJECT (target), "paddock-moved");
  guint from = g_value_get_uint (value);
  guint to = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  if (from == to)
    return FALSE;

  moved (owner, from, to);
  return TRUE;
}

void
paddock_row_reorder_attach (GtkWidget       *row,
                            GObject         *owner,
                            PaddockRowMoved  moved)
{
  GtkDragSource *source;
  GtkDropTarget *target;

  g_return_if_fail (GTK_IS_LIST_BOX_ROW (row));
  g_return_if_fail (G_IS_OBJECT (owner));
  g_return_if_fail (moved != NULL);

  source = gtk_drag_source_new ();
  target = gtk_drop_target_new (G_TYPE_UINT, GDK_ACTION_MOVE);
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_prepare), NULL);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), NULL);
  g_object_set_data (G_OBJECT (target), "paddock-moved", moved);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), owner, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));
}
