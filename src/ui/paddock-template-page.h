/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template-page.h: one template, every field editable with the core's checks as you
 * type; scripts and files in a code editor; save, duplicate, export, delete, new container */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_TEMPLATE_PAGE (paddock_template_page_get_type ())

G_DECLARE_FINAL_TYPE (PaddockTemplatePage, paddock_template_page, PADDOCK, TEMPLATE_PAGE, AdwBin)

/* ::saved () after a save, a duplicate or a delete (the list changed); ::closed () when the
 * user leaves it (after saving or discarding changes); ::new-container (gint64 template_id). */
void             paddock_template_page_set_store    (PaddockTemplatePage *self,
                                                     PaddockStore        *store);
void             paddock_template_page_load         (PaddockTemplatePage *self,
                                                     gint64               template_id);
/* Asks what to do with unsaved changes (when there are any), then ::closed. */
void             paddock_template_page_close        (PaddockTemplatePage *self);
gboolean         paddock_template_page_get_modified (PaddockTemplatePage *self);
/* For tests: the template as edited, why Save is refused (NULL: it is not), an editor. */
PaddockTemplate *paddock_template_page_get_template (PaddockTemplatePage *self);
const char      *paddock_template_page_get_problem  (PaddockTemplatePage *self);
GtkWidget       *paddock_template_page_edit_script  (PaddockTemplatePage *self,
                                                     guint                index);

G_END_DECLS
