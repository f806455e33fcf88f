/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-templates-page.c: every template, with search, what each holds, where it came from
 * and how many containers were made from it; importing template directories */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-templates-page.h"

struct _PaddockTemplatesPage
{
  AdwBin              parent_instance;

  PaddockWorkspace   *workspace;
  PaddockStore       *store;
  GCancellable       *cancellable;
  guint               counting;       /* connections whose containers are being counted */
  GListStore         *templates;      /* PaddockTemplate */
  GtkFilterListModel *filtered;
  GHashTable         *made;           /* template id → containers made from it */
  GCancellable       *loading;        /* of the listing in progress */
  gboolean            importing;
  GtkFileChooserNative *chooser;

  GtkStringList      *tags;           /* "Any Tag", then every tag */

  /* Template widgets */
  GtkBox             *filter_box;
  GtkDropDown        *tag_filter;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (PaddockTemplatesPage, paddock_templates_page, ADW_TYPE_BIN)

enum {
  TEMPLATE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
describe (PaddockTemplatesPage *self,
          PaddockTemplate      *template)
{
  guint packages = paddock_template_get_packages (template)->len;
  guint scripts = paddock_template_get_scripts (template)->len;
  guint files = paddock_template_get_files (template)->len;
  guint made = GPOINTER_TO_UINT (g_hash_table_lookup (self->made, &(gint64) { paddock_template_get_id (template) }));
  const char *source = paddock_template_get_source_path (template);
  g_autofree char *from = NULL;
  GString *text = g_string_new (NULL);

  /* Translators: what a template holds, e.g. "12 packages · 3 scripts · 1 file" */
  g_string_append_printf (text, ngettext ("%u package", "%u packages", packages), packages);
  g_string_append (text, " · ");
  g_string_append_printf (text, ngettext ("%u script", "%u scripts", scripts), scripts);
  g_string_append (text, " · ");
  g_string_append_printf (text, ngettext ("%u file", "%u files", files), files);
  g_string_append (text, "\n");
  if (source != NULL)
    {
      /* Translators: where an imported template came from */
      from = g_strdup_printf (_("Imported from %s"), source);
      g_string_append (text, from);
    }
  else
    g_string_append (text, _("Made in Paddock"));
  if (made > 0)
    {
      g_string_append (text, " · ");
      /* Translators: how many containers were made from the template */
      g_string_append_printf (text, ngettext ("%u container made from it", "%u containers made from it", made), made);
    }

  return g_string_free (text, FALSE);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PaddockTemplatesPage *self = user_data;
  PaddockTemplate *template = item;
  g_autofree char *subtitle = describe (self, template);
  g_autofree char *name = g_strdup_printf ("template-%" G_GINT64_FORMAT, paddock_template_get_id (template));
  GtkWidget *row = adw_action_row_new ();
  const char *tags = paddock_template_get_tags (template);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), paddock_template_get_name (template));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  if (tags != NULL && *tags != '\0')
    {
      GtkWidget *label = gtk_label_new (tags);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_name (row, name);
  g_object_set_data_full (G_OBJECT (row), "template", g_object_ref (template), g_object_unref);

  return row;
}

static void
update_stack (PaddockTemplatesPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (G_LIST_MODEL (self->templates)) ? "list"
                                                                                                             : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->filter_box), g_list_model_get_n_items (G_LIST_MODEL (self->templates)) > 0);
}

static gboolean
matches (gpointer item,
         gpointer user_data)
{
  PaddockTemplatesPage *self = user_data;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint selected = gtk_drop_down_get_selected (self->tag_filter);
  const char *tag = selected > 0 && selected != GTK_INVALID_LIST_POSITION
                    ? gtk_string_list_get_string (self->tags, selected) : NULL;

  return paddock_template_matches (item, search, tag);
}

/* The tag choices follow the templates; the chosen one stays chosen when it still exists. */
static void
update_tags (PaddockTemplatesPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->tag_filter);
  g_autofree char *chosen = selected > 0 && selected != GTK_INVALID_LIST_POSITION
                            ? g_strdup (gtk_string_list_get_string (self->tags, selected)) : NULL;
  g_auto(GStrv) tags = paddock_templates_collect_tags (G_LIST_MODEL (self->templates));
  guint keep = 0;

  gtk_string_list_splice (self->tags, 1, g_list_model_get_n_items (G_LIST_MODEL (self->tags)) - 1,
                          (const char * const *) tags);
  for (guint i = 0; chosen != NULL && tags[i] != NULL; i++)
    if (g_str_equal (tags[i], chosen))
      keep = i + 1;
  gtk_drop_down_set_selected (self->tag_filter, keep);
}

static void
on_search_changed (PaddockTemplatesPage *self)
{
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->filtered), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_row_activated (PaddockTemplatesPage *self,
                  GtkListBoxRow        *row)
{
  PaddockTemplate *template = g_object_get_data (G_OBJECT (row), "template");

  if (template != NULL)
    g_signal_emit (self, signals[TEMPLATE_ACTIVATED], 0, paddock_template_get_id (template));
}

/* Loading */

static void
on_managed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockTemplatesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) managed = paddock_store_list_managed_containers_finish (PADDOCK_STORE (object), result, &error);

  /* A newer listing took over. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  for (guint i = 0; managed != NULL && i < managed->len; i++)
    {
      const PaddockManagedContainer *container = g_ptr_array_index (managed, i);
      gint64 *key;

      if (container->template_id <= 0)
        continue;
      key = g_memdup2 (&container->template_id, sizeof (gint64));
      g_hash_table_replace (self->made, key,
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->made, key)) + 1));
    }

  /* Every connection counted: the rows are made again with the counts. */
  if (--self->counting == 0)
    {
      gtk_filter_changed (gtk_filter_list_model_get_filter (self->filtered), GTK_FILTER_CHANGE_DIFFERENT);
      g_clear_object (&self->loading);
    }
}

/* How many containers Paddock made from each template, over every connection. */
static void
count_made (PaddockTemplatesPage *self)
{
  GListModel *clusters = paddock_workspace_get_clusters (self->workspace);
  guint n = g_list_model_get_n_items (clusters);

  g_hash_table_remove_all (self->made);
  if (n == 0)
    {
      g_clear_object (&self->loading);
      return;
    }
  self->counting = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);

      paddock_store_list_managed_containers_async (self->store, paddock_cluster_get_connection_id (cluster),
                                                   self->loading, on_managed, g_object_ref (self));
    }
}

static void
on_templates (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PaddockTemplatesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) templates = paddock_store_list_templates_finish (PADDOCK_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_list_store_remove_all (self->templates);
  for (guint i = 0; templates != NULL && i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);

      g_list_store_append (self->templates, template);
    }
  if (error != NULL)
    g_warning ("Could not list the templates: %s", error->message);
  update_tags (self);
  update_stack (self);
  count_made (self);
}

void
paddock_templates_page_reload (PaddockTemplatesPage *self)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATES_PAGE (self));

  if (self->store == NULL)
    return;

  /* The newest listing wins: one in progress is dropped. */
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  paddock_store_list_templates_async (self->store, self->loading, on_templates, g_object_ref (self));
}

/* Importing: every folder previewed first (what would be added, updated, refused), then kept
 * only when the user says so. */

typedef struct
{
  PaddockTemplatesPage *self;
  GPtrArray            *paths;    /* char * */
  guint                 next;
  gboolean              keeping;  /* FALSE: previewing */
  GPtrArray            *reports;  /* PaddockImportReport, of the preview */
  GString              *failures; /* folders that could not be read at all */
} Import;

static void
import_free (Import *import)
{
  g_object_unref (import->self);
  g_ptr_array_unref (import->paths);
  g_ptr_array_unref (import->reports);
  g_string_free (import->failures, TRUE);
  g_free (import);
}

static void import_next (Import *import);

static void
on_import_answered (AdwMessageDialog *dialog,
                    const char       *response,
                    Import           *import)
{
  if (g_str_equal (response, "import"))
    {
      import->keeping = TRUE;
      import->next = 0;
      import->self->importing = TRUE;
      import_next (import);
      return;
    }
  import_free (import);
}

static void
show_reports (Import *import)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (import->self)));
  GString *body = g_string_new (NULL);
  guint failed = 0, changing = 0;
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  for (guint i = 0; i < import->reports->len; i++)
    {
      const PaddockImportReport *report = g_ptr_array_index (import->reports, i);
      g_autofree char *folder = g_path_get_basename (report->path);
      const char *name = report->name ? report->name : folder;

      if (body->len > 0)
        g_string_append (body, "\n\n");
      switch (report->outcome)
        {
        case PADDOCK_IMPORT_CREATED:
          changing++;
          /* Translators: a template's name */
          g_string_append_printf (body, _("%s: new"), name);
          break;
        case PADDOCK_IMPORT_UPDATED:
          changing++;
          g_string_append_printf (body, _("%s: updated"), name);
          for (guint c = 0; report->changes && report->changes[c]; c++)
            g_string_append_printf (body, "\n  %s", report->changes[c]);
          break;
        case PADDOCK_IMPORT_UNCHANGED:
          g_string_append_printf (body, _("%s: unchanged"), name);
          break;
        case PADDOCK_IMPORT_FAILED:
        default:
          failed++;
          g_string_append_printf (body, _("%s: cannot be imported"), name);
          for (guint e = 0; report->errors && report->errors[e] && e < 5; e++)
            g_string_append_printf (body, "\n  %s", report->errors[e]);
          break;
        }
      for (guint w = 0; report->warnings && report->warnings[w] && w < 3; w++)
        g_string_append_printf (body, "\n  %s", report->warnings[w]);
    }
  if (import->failures->len > 0)
    g_string_append_printf (body, "%s%s", body->len ? "\n\n" : "", import->failures->str);

  if (changing > 0)
    /* Translators: how many templates an import adds or updates */
    heading = g_strdup_printf (ngettext ("Import %u Template?", "Import %u Templates?", changing), changing);
  else
    heading = g_strdup (failed > 0 || import->failures->len > 0 ? _("Nothing Can Be Imported")
                                                                 : _("Nothing Changed"));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, heading, body->str));
  if (changing > 0)
    {
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "import", _("_Import"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "import", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "import");
    }
  else
    adw_message_dialog_add_response (dialog, "cancel", _("_Close"));
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_import_answered), import);
  gtk_window_present (GTK_WINDOW (dialog));
  g_string_free (body, TRUE);
}

static void
on_imported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Import *import = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reports = paddock_store_import_templates_finish (PADDOCK_STORE (object), result, &error);

  if (!import->keeping && reports != NULL)
    for (guint i = 0; i < reports->len; i++)
      g_ptr_array_add (import->reports, paddock_import_report_copy (g_ptr_array_index (reports, i)));
  else if (reports == NULL && !import->keeping && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_string_append_printf (import->failures, "%s%s", import->failures->len ? "\n" : "", error->message);

  import_next (import);
}

static void
import_next (Import *import)
{
  PaddockTemplatesPage *self = import->self;

  if (import->next < import->paths->len)
    {
      const char *path = g_ptr_array_index (import->paths, import->next++);

      if (import->keeping)
        paddock_store_import_templates_async (self->store, path, self->cancellable, on_imported, import);
      else
        paddock_store_preview_import_templates_async (self->store, path, self->cancellable, on_imported, import);
      return;
    }

  self->importing = FALSE;
  if (!import->keeping)
    {
      show_reports (import);
      return;
    }

  paddock_templates_page_reload (self);
  {
    GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

    if (overlay != NULL)
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (_("Templates imported")));
  }
  import_free (import);
}

void
paddock_templates_page_import (PaddockTemplatesPage *self,
                               GListModel           *folders)
{
  Import *import;

  g_return_if_fail (PADDOCK_IS_TEMPLATES_PAGE (self));

  if (self->store == NULL)
    return;

  import = g_new0 (Import, 1);
  import->self = g_object_ref (self);
  import->paths = g_ptr_array_new_with_free_func (g_free);
  import->reports = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_import_report_free);
  import->failures = g_string_new (NULL);
  for (guint i = 0; i < g_list_model_get_n_items (folders); i++)
    {
      g_autoptr(GFile) folder = g_list_model_get_item (folders, i);
      char *path = g_file_get_path (folder);

      if (path != NULL)
        g_ptr_array_add (import->paths, path);
    }

  self->importing = TRUE;
  import_next (import);
}

static void
on_chooser_response (PaddockTemplatesPage *self,
                     int                   response,
                     GtkNativeDialog      *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) folders = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      paddock_templates_page_import (self, folders);
    }
  g_clear_object (&self->chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PaddockTemplatesPage *self = PADDOCK_TEMPLATES_PAGE (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Import Templates"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* The object */

static void
paddock_templates_page_dispose (GObject *object)
{
  PaddockTemplatesPage *self = PADDOCK_TEMPLATES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_object (&self->store);
  g_clear_object (&self->workspace);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->made, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_TEMPLATES_PAGE);

  G_OBJECT_CLASS (paddock_templates_page_parent_class)->dispose (object);
}

static void
paddock_templates_page_finalize (GObject *object)
{
  PaddockTemplatesPage *self = PADDOCK_TEMPLATES_PAGE (object);

  g_clear_object (&self->filtered);
  g_clear_object (&self->templates);
  g_clear_object (&self->tags);

  G_OBJECT_CLASS (paddock_templates_page_parent_class)->finalize (object);
}

static void
paddock_templates_page_class_init (PaddockTemplatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_templates_page_dispose;
  object_class->finalize = paddock_templates_page_finalize;

  signals[TEMPLATE_ACTIVATED] = g_signal_new ("template-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                              NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-templates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatesPage, filter_box);
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatesPage, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatesPage, list_box);

  gtk_widget_class_install_action (widget_class, "templates.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "templates.import", NULL);
}

static void
paddock_templates_page_init (PaddockTemplatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->made = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->templates = g_list_store_new (PADDOCK_TYPE_TEMPLATE);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->templates)),
                                              GTK_FILTER (gtk_custom_filter_new (matches, self, NULL)));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row, self, NULL);
  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (on_row_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self,
                           G_CONNECT_SWAPPED);
  self->tags = gtk_string_list_new ((const char *[]) { _("Any Tag"), NULL });
  gtk_drop_down_set_model (self->tag_filter, G_LIST_MODEL (self->tags));
  g_signal_connect_object (self->tag_filter, "notify::selected", G_CALLBACK (on_search_changed), self,
                           G_CONNECT_SWAPPED);
  update_stack (self);
}

void
paddock_templates_page_set_workspace (PaddockTemplatesPage *self,
                                      PaddockWorkspace     *workspace)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATES_PAGE (self));

  if (!g_set_object (&self->workspace, workspace))
    return;
  g_clear_object (&self->store);
  if (workspace != NULL)
    self->store = g_object_ref (paddock_workspace_get_store (workspace));
}

GListModel *
paddock_templates_page_get_templates (PaddockTemplatesPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATES_PAGE (self), NULL);

  return G_LIST_MODEL (self->filtered);
}

gboolean
paddock_templates_page_get_busy (PaddockTemplatesPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATES_PAGE (self), FALSE);

  return self->loading != NULL || self->importing;
}
