/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-value-text.h: one line of text that changes often (a container's CPU, memory, uptime)
 * and is drawn, not laid out again, when it does */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PADDOCK_TYPE_VALUE_TEXT (paddock_value_text_get_type ())

G_DECLARE_FINAL_TYPE (PaddockValueText, paddock_value_text, PADDOCK, VALUE_TEXT, GtkWidget)

/* @xalign: 0 start, 1 end; the text is ellipsized at its end when it does not fit. */
GtkWidget  *paddock_value_text_new      (float             xalign);
const char *paddock_value_text_get_text (PaddockValueText *self);
void        paddock_value_text_set_text (PaddockValueText *self,
                                         const char       *text);

G_END_DECLS
