/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-clipboard.h: secrets on the clipboard that the clipboard forgets again */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Puts @secret on @widget's clipboard; after @delay_seconds (0: never) the clipboard is emptied,
 * unless something else was copied since. Returns what to tell the user ("Copied; the clipboard
 * forgets it in 30 seconds"). */
char *paddock_clipboard_copy_secret (GtkWidget  *widget,
                                     const char *secret,
                                     guint       delay_seconds);

G_END_DECLS
