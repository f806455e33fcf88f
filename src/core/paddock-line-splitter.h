/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-line-splitter.h: turns chunks of command output into whole, valid UTF-8 lines */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lines longer than this are cut into pieces of this size, so that a stream without
 * newlines (a progress bar, binary output) cannot grow memory without bound. */
#define PADDOCK_LINE_SPLITTER_MAX_LINE (64 * 1024)

typedef struct _PaddockLineSplitter PaddockLineSplitter;

/* Called once per complete line, without its "\n" or "\r\n", always valid UTF-8. */
typedef void (*PaddockLineFunc) (const char *line,
                                 gpointer    user_data);

PaddockLineSplitter *paddock_line_splitter_new    (void);
void                 paddock_line_splitter_free   (PaddockLineSplitter *splitter);
void                 paddock_line_splitter_feed   (PaddockLineSplitter *splitter,
                                                   const char          *data,
                                                   gsize                length,
                                                   PaddockLineFunc      func,
                                                   gpointer             user_data);
/* Delivers a last line that had no newline, if any. */
void                 paddock_line_splitter_finish (PaddockLineSplitter *splitter,
                                                   PaddockLineFunc      func,
                                                   gpointer             user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockLineSplitter, paddock_line_splitter_free)

G_END_DECLS
