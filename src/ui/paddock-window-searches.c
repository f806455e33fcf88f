/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window-searches.c: saved searches in the sidebar (GSettings "saved-searches"), and
 * looking inside every running container for a search by port or service */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-window-private.h"

/* Saved searches: name, search text, status, node, tag (GSettings "saved-searches") */

static const char *status_values[] = { "", "running", "stopped", "other" };

static void
select_choice (GtkDropDown *drop_down,
               GListModel  *choices,
               const char  *value)
{
  guint position = 0;

  for (guint i = 1; value != NULL && *value != '\0' && i < g_list_model_get_n_items (choices); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (choices), i), value) == 0)
      position = i;
  gtk_drop_down_set_selected (drop_down, position);
}

void
_paddock_window_apply_saved_search (PaddockWindow *self,
                                    GVariant      *search)
{
  const char *name, *text, *status, *node, *tag;
  guint status_index = 0;

  g_variant_get (search, "(&s&s&s&s&s)", &name, &text, &status, &node, &tag);

  /* Across every connection, as when it was saved from "All Containers" or not. */
  self->scope_connection = 0;
  g_clear_pointer (&self->scope_node, g_free);
  adw_window_title_set_title (self->content_title, name);

  for (guint i = 0; i < G_N_ELEMENTS (status_values); i++)
    if (g_str_equal (status, status_values[i]))
      status_index = i;
  gtk_drop_down_set_selected (self->status_filter, status_index);
  select_choice (self->node_filter, G_LIST_MODEL (self->node_choices), node);
  select_choice (self->tag_filter, G_LIST_MODEL (self->tag_choices), tag);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  _paddock_window_on_filter_changed (self);
  if (_paddock_window_showing_jobs (self))
    adw_leaflet_set_visible_child (ADW_LEAFLET (self->content), self->list_view);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

void
_paddock_window_add_saved_search_rows (PaddockWindow *self)
{
  GSettings *settings = paddock_settings_get_gsettings (self->settings);
  g_autoptr(GVariant) saved = g_settings_get_value (settings, "saved-searches");

  for (gsize i = 0; i < g_variant_n_children (saved); i++)
    {
      g_autoptr(GVariant) search = g_variant_get_child_value (saved, i);
      const char *name, *text, *status, *node, *tag;
      g_autofree char *description = NULL;
      GtkWidget *row;
      GtkWidget *remove;

      g_variant_get (search, "(&s&s&s&s&s)", &name, &text, &status, &node, &tag);
      description = g_strjoin (" · ", *text ? text : _("any text"),
                               *status ? status : _("any status"),
                               *node ? node : _("any node"), *tag ? tag : _("any tag"), NULL);
      row = _paddock_window_add_sidebar_row (self, "system-search-symbolic", name, description, 0,
                                             NULL);
      g_object_set_data_full (G_OBJECT (row), "saved-search", g_variant_ref (search),
                              (GDestroyNotify) g_variant_unref);

      remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _("Forget This Search"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Forget This Search"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "win.forget-search");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
    }
}

/* The saved searches but the one called @name, in @builder to add to or to store. */
static void
saved_searches_without (GSettings       *settings,
                        const char      *name,
                        GVariantBuilder *builder)
{
  g_autoptr(GVariant) saved = g_settings_get_value (settings, "saved-searches");

  g_variant_builder_init (builder, G_VARIANT_TYPE ("a(sssss)"));
  for (gsize i = 0; i < g_variant_n_children (saved); i++)
    {
      g_autoptr(GVariant) search = g_variant_get_child_value (saved, i);
      const char *other;

      g_variant_get_child (search, 0, "&s", &other);
      if (!g_str_equal (other, name))
        g_variant_builder_add_value (builder, search);
    }
}

static void
on_save_search_response (AdwMessageDialog *dialog,
                         const char       *response,
                         PaddockWindow    *self)
{
  GSettings *settings = paddock_settings_get_gsettings (self->settings);
  g_autofree char *name = NULL;
  GtkWidget *entry;
  GVariantBuilder builder;

  if (!g_str_equal (response, "save"))
    return;

  entry = adw_message_dialog_get_extra_child (dialog);
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  /* A search of the same name is replaced. */
  saved_searches_without (settings, name, &builder);
  g_variant_builder_add (&builder, "(sssss)", name, self->search_text ? self->search_text : "",
                         self->status_choice ? self->status_choice : "",
                         self->node_choice ? self->node_choice : "",
                         self->tag_choice ? self->tag_choice : "");
  g_settings_set_value (settings, "saved-searches", g_variant_builder_end (&builder));
}

static void
on_save_search_name_changed (GtkEditable      *entry,
                             AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0');
}

void
_paddock_window_look_inside_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  if (self->services_query != NULL)
    paddock_service_query_look_inside_running (self->services_query);
}

void
_paddock_window_save_search_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);
  AdwMessageDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Save Search"), NULL));
  adw_message_dialog_set_body (dialog, _("The search and the filters are kept in the sidebar "
                                         "under this name."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_editable_set_text (GTK_EDITABLE (entry),
                         self->search_text && *self->search_text ? self->search_text
                                               : self->tag_choice ? self->tag_choice
                                               : self->node_choice ? self->node_choice
                                               : self->status_choice ? self->status_choice : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the search"), -1);
  g_signal_connect (entry, "changed", G_CALLBACK (on_save_search_name_changed), dialog);
  on_save_search_name_changed (GTK_EDITABLE (entry), dialog);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_search_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_paddock_window_forget_search_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);
  GSettings *settings = paddock_settings_get_gsettings (self->settings);
  GVariantBuilder builder;

  saved_searches_without (settings, g_variant_get_string (parameter, NULL), &builder);
  g_settings_set_value (settings, "saved-searches", g_variant_builder_end (&builder));
}

void
_paddock_window_on_saved_searches_changed (PaddockWindow *self)
{
  if (self->workspace != NULL)
    _paddock_window_rebuild_sidebar (self);
}
