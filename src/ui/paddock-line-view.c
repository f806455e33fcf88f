/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-line-view.c: a long, growing list of text lines, batched, searched, bounded */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-line-view.h"

#define DEFAULT_MAX_LINES 100000
#define BATCH_MS 50

struct _PaddockLineView
{
  AdwBin              parent_instance;

  GtkStringList      *lines;
  GtkFilterListModel *filtered;
  GtkStringFilter    *filter;
  GPtrArray          *pending;       /* appended, not shown yet (added in one go) */
  guint               flush_source;
  guint               max_lines;
  gboolean            stick_to_end;
  gboolean            searching;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (PaddockLineView, paddock_line_view, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_at_end (PaddockLineView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - 4;
}

static void
on_adjustment_changed (GtkAdjustment   *adjustment,
                       PaddockLineView *self)
{
  /* New lines keep the view at the end when it was there. */
  if (self->stick_to_end)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
}

static void
on_adjustment_value_changed (GtkAdjustment   *adjustment,
                             PaddockLineView *self)
{
  self->stick_to_end = is_at_end (self);
}

static gboolean
flush_pending (gpointer user_data)
{
  PaddockLineView *self = user_data;
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->lines));
  guint drop = 0;

  self->flush_source = 0;
  if (self->pending->len == 0)
    return G_SOURCE_REMOVE;

  /* One change for the whole batch, the oldest lines dropped past the bound. */
  g_ptr_array_add (self->pending, NULL);
  if (total + self->pending->len - 1 > self->max_lines)
    drop = MIN (total, total + self->pending->len - 1 - self->max_lines);
  gtk_string_list_splice (self->lines, 0, drop, NULL);
  gtk_string_list_splice (self->lines, total - drop, 0, (const char * const *) self->pending->pdata);
  g_ptr_array_set_size (self->pending, 0);

  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
setup_line (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_list_item_set_child (item, label);
}

static void
bind_line (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkStringObject *line = gtk_list_item_get_item (item);

  /* Output from containers is text: never markup. */
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (line));
}

static void
paddock_line_view_dispose (GObject *object)
{
  PaddockLineView *self = PADDOCK_LINE_VIEW (object);

  g_clear_handle_id (&self->flush_source, g_source_remove);
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->filtered);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (paddock_line_view_parent_class)->dispose (object);
}

static void
paddock_line_view_class_init (PaddockLineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_line_view_dispose;

  /**
   * PaddockLineView::changed:
   *
   * Lines were shown or the search changed what is shown.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
paddock_line_view_init (PaddockLineView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkAdjustment *adjustment;
  GtkNoSelection *selection;

  self->max_lines = DEFAULT_MAX_LINES;
  self->pending = g_ptr_array_new_with_free_func (g_free);
  self->stick_to_end = TRUE;
  self->lines = gtk_string_list_new (NULL);
  self->filter = gtk_string_filter_new (gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  /* The filter model owns the list and the filter; the view keeps the filter model. */
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->lines), GTK_FILTER (self->filter));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_line), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_line), NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (selection), g_steal_pointer (&factory)));
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "paddock-log");

  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->scroller), TRUE);
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (self->list_view));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->scroller));

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (on_adjustment_changed), self, 0);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (on_adjustment_value_changed), self, 0);
}

GtkWidget *
paddock_line_view_new (void)
{
  return g_object_new (PADDOCK_TYPE_LINE_VIEW, NULL);
}

void
paddock_line_view_set_max_lines (PaddockLineView *self,
                                 guint            max_lines)
{
  g_return_if_fail (PADDOCK_IS_LINE_VIEW (self));

  self->max_lines = MAX (1, max_lines);
}

void
paddock_line_view_append (PaddockLineView *self,
                          const char      *line)
{
  g_return_if_fail (PADDOCK_IS_LINE_VIEW (self));

  /* At most what the view keeps: a flood never grows the queue past it. */
  if (self->pending->len >= self->max_lines)
    g_ptr_array_remove_index (self->pending, 0);
  g_ptr_array_add (self->pending, g_strdup (line));
  if (self->flush_source == 0)
    self->flush_source = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, BATCH_MS, flush_pending, self, NULL);
}

void
paddock_line_view_flush (PaddockLineView *self)
{
  g_return_if_fail (PADDOCK_IS_LINE_VIEW (self));

  g_clear_handle_id (&self->flush_source, g_source_remove);
  flush_pending (self);
}

void
paddock_line_view_clear (PaddockLineView *self)
{
  g_return_if_fail (PADDOCK_IS_LINE_VIEW (self));

  g_clear_handle_id (&self->flush_source, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);
  gtk_string_list_splice (self->lines, 0, g_list_model_get_n_items (G_LIST_MODEL (self->lines)), NULL);
  self->stick_to_end = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
}

void
paddock_line_view_set_search (PaddockLineView *self,
                              const char      *search)
{
  g_return_if_fail (PADDOCK_IS_LINE_VIEW (self));

  gtk_string_filter_set_search (self->filter, search && *search ? search : NULL);
  self->searching = search != NULL && *search != '\0';
  g_signal_emit (self, signals[CHANGED], 0);
}

GListModel *
paddock_line_view_get_lines (PaddockLineView *self)
{
  g_return_val_if_fail (PADDOCK_IS_LINE_VIEW (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

guint
paddock_line_view_get_n_lines (PaddockLineView *self)
{
  g_return_val_if_fail (PADDOCK_IS_LINE_VIEW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->lines));
}

char *
paddock_line_view_dup_last_lines (PaddockLineView *self,
                                  guint            count)
{
  guint total;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (PADDOCK_IS_LINE_VIEW (self), NULL);

  total = g_list_model_get_n_items (G_LIST_MODEL (self->lines));
  for (guint i = total > count ? total - count : 0; i < total; i++)
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", gtk_string_list_get_string (self->lines, i));

  return g_string_free (text, FALSE);
}

guint
paddock_line_view_get_n_shown (PaddockLineView *self)
{
  g_return_val_if_fail (PADDOCK_IS_LINE_VIEW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

void
paddock_line_view_scroll_to_end (PaddockLineView *self)
{
  GtkAdjustment *adjustment;

  g_return_if_fail (PADDOCK_IS_LINE_VIEW (self));

  self->stick_to_end = TRUE;
  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
}

char *
paddock_line_view_describe_count (PaddockLineView *self)
{
  guint total;

  g_return_val_if_fail (PADDOCK_IS_LINE_VIEW (self), NULL);

  total = paddock_line_view_get_n_lines (self);
  if (self->searching)
    /* Translators: "12 of 1,234 lines match" */
    return g_strdup_printf (ngettext ("%u of %u line matches", "%u of %u lines match", total),
                            paddock_line_view_get_n_shown (self), total);

  return g_strdup_printf (ngettext ("%u line", "%u lines", total), total);
}
