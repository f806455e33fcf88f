/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-usage-bar.h: a used/available fraction as a bar, one widget drawing itself (the list
 * shows hundreds of them; a GtkLevelBar is four widgets) */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PADDOCK_TYPE_USAGE_BAR (paddock_usage_bar_get_type ())

G_DECLARE_FINAL_TYPE (PaddockUsageBar, paddock_usage_bar, PADDOCK, USAGE_BAR, GtkWidget)

GtkWidget *paddock_usage_bar_new       (const char      *accessible_label);
double     paddock_usage_bar_get_value (PaddockUsageBar *self);
/* 0.0 to 1.0; the colour follows SPEC.md §3.2's thresholds (70 %, 90 %). */
void       paddock_usage_bar_set_value (PaddockUsageBar *self,
                                        double           value);

G_END_DECLS
