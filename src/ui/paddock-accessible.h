/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-accessible.h: names for screen readers where GTK 4.8 gives none or a wrong one */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* "Shut _Down…" → "Shut Down…" ("__" stays one "_"). */
char *paddock_strip_mnemonic             (const char *label);
/* Buttons with a mnemonic are read as "_Retry Retry" by Orca under GTK 4.8: each button under
 * @root with one gets its label, without the underscore, as its accessible name. */
void  paddock_accessible_name_buttons    (GtkWidget  *root);

G_END_DECLS
