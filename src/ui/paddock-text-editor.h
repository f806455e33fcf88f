/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-text-editor.h: a template's script or file edited in a code editor (GtkSourceView:
 * highlighting guessed from the name, line numbers, search, undo) */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PADDOCK_TYPE_TEXT_EDITOR (paddock_text_editor_get_type ())

G_DECLARE_FINAL_TYPE (PaddockTextEditor, paddock_text_editor, PADDOCK, TEXT_EDITOR, AdwWindow)

/* ::done (const char *text) when the user keeps the edit; nothing when they cancel. */
PaddockTextEditor *paddock_text_editor_new      (GtkWindow         *parent,
                                                 const char        *title,
                                                 const char        *file_name,
                                                 const char        *text);
char              *paddock_text_editor_dup_text (PaddockTextEditor *self);
void               paddock_text_editor_set_text (PaddockTextEditor *self,
                                                 const char        *text);
const char        *paddock_text_editor_get_language (PaddockTextEditor *self);
void               paddock_text_editor_edit_description (PaddockTextEditor *self,
                                                         const char        *description);
const char        *paddock_text_editor_get_description  (PaddockTextEditor *self);

G_END_DECLS
