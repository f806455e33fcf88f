/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-templates-page.h: every template, with search, what each holds, where it came from
 * and how many containers were made from it; importing template directories */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_TEMPLATES_PAGE (paddock_templates_page_get_type ())

G_DECLARE_FINAL_TYPE (PaddockTemplatesPage, paddock_templates_page, PADDOCK, TEMPLATES_PAGE, AdwBin)

/* ::template-activated (gint64 id) when a row is opened. */
/* The templates are read by paddock_templates_page_reload(). */
void        paddock_templates_page_set_workspace (PaddockTemplatesPage *self,
                                                  PaddockWorkspace     *workspace);
void        paddock_templates_page_reload       (PaddockTemplatesPage *self);
/* Shows what importing each directory (a template, or a folder of them) would do, and imports
 * them when the user confirms. */
void        paddock_templates_page_import       (PaddockTemplatesPage *self,
                                                 GListModel           *folders);
/* For tests: the templates shown (PaddockTemplate), and whether a load or import is out. */
GListModel *paddock_templates_page_get_templates (PaddockTemplatesPage *self);
gboolean    paddock_templates_page_get_busy      (PaddockTemplatesPage *self);

G_END_DECLS
