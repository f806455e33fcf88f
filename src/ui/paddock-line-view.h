/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-line-view.h: a long, growing list of text lines (a journal, a job's output), shown in
 * batches, searched, kept at its end while it grows, and bounded */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PADDOCK_TYPE_LINE_VIEW (paddock_line_view_get_type ())

G_DECLARE_FINAL_TYPE (PaddockLineView, paddock_line_view, PADDOCK, LINE_VIEW, AdwBin)

GtkWidget *paddock_line_view_new          (void);
/* Past this many lines the oldest go (default 100,000). */
void       paddock_line_view_set_max_lines (PaddockLineView *self,
                                            guint            max_lines);
/* Shown at the next batch (within 50 ms); text is never markup. */
void       paddock_line_view_append        (PaddockLineView *self,
                                            const char      *line);
/* Shows what was appended now. */
void       paddock_line_view_flush         (PaddockLineView *self);
void       paddock_line_view_clear         (PaddockLineView *self);
/* Only the lines that contain @search (case-insensitive); NULL or "" shows all. */
void       paddock_line_view_set_search    (PaddockLineView *self,
                                            const char      *search);
/* The lines shown (the search applied): GtkStringObject items. */
GListModel *paddock_line_view_get_lines    (PaddockLineView *self);
guint      paddock_line_view_get_n_lines   (PaddockLineView *self);
/* The last @count lines, whatever the search, joined by line breaks. */
char      *paddock_line_view_dup_last_lines (PaddockLineView *self,
                                             guint            count);
guint      paddock_line_view_get_n_shown   (PaddockLineView *self);
/* "1,234 lines", or "12 of 1,234 lines match" while searching. */
char      *paddock_line_view_describe_count (PaddockLineView *self);
/* Keeps showing the last line as lines come (until the user scrolls up). */
void       paddock_line_view_scroll_to_end (PaddockLineView *self);

G_END_DECLS
