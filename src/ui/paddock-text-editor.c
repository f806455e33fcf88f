/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-text-editor.c: a template's script or file edited in a code editor (GtkSourceView:
 * highlighting guessed from the name, line numbers, search, undo) */

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "paddock-text-editor.h"

struct _PaddockTextEditor
{
  AdwWindow                parent_instance;

  GtkSourceBuffer         *buffer;
  GtkSourceView           *view;
  GtkSourceSearchContext  *search;
  GtkSearchEntry          *search_entry;
  GtkSearchBar            *search_bar;
  AdwWindowTitle          *window_title;
  GtkEntry                *description_entry;
};

G_DEFINE_FINAL_TYPE (PaddockTextEditor, paddock_text_editor, ADW_TYPE_WINDOW)

enum {
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PaddockTextEditor *self = PADDOCK_TEXT_EDITOR (widget);
  g_autofree char *text = paddock_text_editor_dup_text (self);

  g_signal_emit (self, signals[DONE], 0, text);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PaddockTextEditor *self = PADDOCK_TEXT_EDITOR (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* The next match after the cursor (or the selection), wrapping around. */
static void
find_next (PaddockTextEditor *self)
{
  GtkTextIter cursor, start, end;
  gboolean wrapped;

  gtk_text_buffer_get_selection_bounds (GTK_TEXT_BUFFER (self->buffer), NULL, &cursor);
  if (gtk_source_search_context_forward (self->search, &cursor, &start, &end, &wrapped))
    {
      gtk_text_buffer_select_range (GTK_TEXT_BUFFER (self->buffer), &start, &end);
      gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->view), &start, 0.1, FALSE, 0, 0);
    }
}

static void
on_search_changed (PaddockTextEditor *self)
{
  GtkSourceSearchSettings *settings = gtk_source_search_context_get_settings (self->search);

  gtk_source_search_settings_set_search_text (settings, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  find_next (self);
}

static void
paddock_text_editor_dispose (GObject *object)
{
  PaddockTextEditor *self = PADDOCK_TEXT_EDITOR (object);

  g_clear_object (&self->search);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (paddock_text_editor_parent_class)->dispose (object);
}

static void
paddock_text_editor_class_init (PaddockTextEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_text_editor_dispose;

  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "editor.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.find", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "editor.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
paddock_text_editor_init (PaddockTextEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *done = gtk_button_new_with_mnemonic (_("_Done"));
  GtkWidget *find = gtk_button_new_from_icon_name ("edit-find-symbolic");
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_window_set_default_size (GTK_WINDOW (self), 800, 600);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  self->window_title = ADW_WINDOW_TITLE (adw_window_title_new ("", NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->window_title));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "editor.cancel");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (done), "editor.done");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (find), "editor.find");
  gtk_widget_set_tooltip_text (find, _("Find (Ctrl+F)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (find), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Find"), -1);
  gtk_widget_add_css_class (done, "suggested-action");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), done);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), find);
  gtk_box_append (GTK_BOX (box), header);

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  self->search_bar = GTK_SEARCH_BAR (gtk_search_bar_new ());
  gtk_search_bar_set_child (self->search_bar, GTK_WIDGET (self->search_entry));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search_bar));

  /* A script's one-line description, above its text (hidden for files). */
  self->description_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->description_entry, _("What this script does"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->description_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Description"), -1);
  gtk_widget_set_margin_start (GTK_WIDGET (self->description_entry), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->description_entry), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self->description_entry), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->description_entry), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->description_entry), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->description_entry));

  self->buffer = gtk_source_buffer_new (NULL);
  gtk_source_buffer_set_style_scheme (self->buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark"
                                                                                               : "Adwaita"));
  self->view = GTK_SOURCE_VIEW (gtk_source_view_new_with_buffer (self->buffer));
  gtk_source_view_set_show_line_numbers (self->view, TRUE);
  gtk_source_view_set_highlight_current_line (self->view, TRUE);
  gtk_source_view_set_auto_indent (self->view, TRUE);
  gtk_source_view_set_tab_width (self->view, 2);
  gtk_source_view_set_insert_spaces_instead_of_tabs (self->view, TRUE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Content"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (self), box);

  self->search = gtk_source_search_context_new (self->buffer, NULL);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (find_next), self);
  g_signal_connect_swapped (self->search_entry, "next-match", G_CALLBACK (find_next), self);
}

PaddockTextEditor *
paddock_text_editor_new (GtkWindow  *parent,
                         const char *title,
                         const char *file_name,
                         const char *text)
{
  PaddockTextEditor *self = g_object_new (PADDOCK_TYPE_TEXT_EDITOR, "transient-for", parent, NULL);
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceLanguage *language;

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, file_name);
  /* A script is a shell script whatever its name; a file is guessed from its name. */
  language = gtk_source_language_manager_guess_language (languages, file_name, NULL);
  if (language == NULL && (file_name == NULL || g_str_has_suffix (file_name, ".sh")))
    language = gtk_source_language_manager_get_language (languages, "sh");
  gtk_source_buffer_set_language (self->buffer, language);

  /* Loading the text is not an edit to undo. */
  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (self->buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (self->buffer));

  return self;
}

char *
paddock_text_editor_dup_text (PaddockTextEditor *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (PADDOCK_IS_TEXT_EDITOR (self), NULL);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, TRUE);
}

void
paddock_text_editor_set_text (PaddockTextEditor *self,
                              const char        *text)
{
  g_return_if_fail (PADDOCK_IS_TEXT_EDITOR (self));

  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text, -1);
}

const char *
paddock_text_editor_get_language (PaddockTextEditor *self)
{
  GtkSourceLanguage *language;

  g_return_val_if_fail (PADDOCK_IS_TEXT_EDITOR (self), NULL);

  language = gtk_source_buffer_get_language (self->buffer);
  return language ? gtk_source_language_get_id (language) : NULL;
}

/* Shows the description field (scripts have one) with @description. */
void
paddock_text_editor_edit_description (PaddockTextEditor *self,
                                      const char        *description)
{
  g_return_if_fail (PADDOCK_IS_TEXT_EDITOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->description_entry), description ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_entry), TRUE);
}

/* NULL when the description field is not shown. */
const char *
paddock_text_editor_get_description (PaddockTextEditor *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEXT_EDITOR (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->description_entry))
         ? gtk_editable_get_text (GTK_EDITABLE (self->description_entry)) : NULL;
}
