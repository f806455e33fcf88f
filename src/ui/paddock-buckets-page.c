/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-buckets-page.c: package buckets, named groups of packages that templates take in:
 * create, rename, delete, add and remove packages, paste many at once (all of them or none, the
 * bad lines named) */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-buckets-page.h"

struct _PaddockBucketsPage
{
  AdwBin        parent_instance;

  PaddockStore *store;
  GCancellable *cancellable;
  GPtrArray    *buckets;     /* PaddockBucket */
  GPtrArray    *rows;
  guint         busy;
  char         *message;

  /* Template widgets */
  GtkLabel     *message_label;
  GtkListBox   *list_box;
};

G_DEFINE_FINAL_TYPE (PaddockBucketsPage, paddock_buckets_page, ADW_TYPE_BIN)

static void
show_message (PaddockBucketsPage *self,
              const char         *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

/* Every store call ends here: a failure is shown, then the list is read again. */
static void
after_change (PaddockBucketsPage *self,
              GError             *error)
{
  self->busy--;
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_message (self, error->message);
  else if (error == NULL)
    show_message (self, NULL);
  paddock_buckets_page_reload (self);
}

static void
on_bucket_saved (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PaddockBucketsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  paddock_store_save_bucket_finish (PADDOCK_STORE (object), result, &error);
  after_change (self, error);
}

static void
on_bucket_deleted (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PaddockBucketsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  paddock_store_delete_bucket_finish (PADDOCK_STORE (object), result, &error);
  after_change (self, error);
}

static void
on_package_removed (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PaddockBucketsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  paddock_store_remove_bucket_package_finish (PADDOCK_STORE (object), result, &error);
  after_change (self, error);
}

static void
on_pasted (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockBucketsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  PaddockBucketImport counts = { 0 };

  paddock_store_import_bucket_text_finish (PADDOCK_STORE (object), result, &counts, &error);
  after_change (self, error);
}

void
paddock_buckets_page_paste (PaddockBucketsPage    *self,
                            gint64                 bucket_id,
                            PaddockPackageManager  manager,
                            const char            *text)
{
  g_return_if_fail (PADDOCK_IS_BUCKETS_PAGE (self));

  self->busy++;
  paddock_store_import_bucket_text_async (self->store, bucket_id, manager, text, self->cancellable, on_pasted,
                                          g_object_ref (self));
}

void
paddock_buckets_page_create (PaddockBucketsPage *self,
                             const char         *name)
{
  g_autoptr(PaddockBucket) bucket = NULL;

  g_return_if_fail (PADDOCK_IS_BUCKETS_PAGE (self));

  bucket = paddock_bucket_new (name, NULL);
  self->busy++;
  paddock_store_save_bucket_async (self->store, bucket, self->cancellable, on_bucket_saved, g_object_ref (self));
}

/* Dialogs */

static const PaddockBucket *
bucket_of (PaddockBucketsPage *self,
           GtkWidget          *widget)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (widget), "bucket-id");

  for (guint i = 0; self->buckets != NULL && i < self->buckets->len; i++)
    if (((PaddockBucket *) g_ptr_array_index (self->buckets, i))->id == id)
      return g_ptr_array_index (self->buckets, i);

  return NULL;
}

static GtkWidget *
name_entry (const char *text)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);

  return entry;
}

static void
on_new_answered (AdwMessageDialog   *dialog,
                 const char         *response,
                 PaddockBucketsPage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)));

  if (g_str_equal (response, "create") && *name != '\0')
    paddock_buckets_page_create (self, name);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       _("New Package Bucket"),
                                                       _("Name it after what its packages are for.")));
  adw_message_dialog_set_extra_child (dialog, name_entry (NULL));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "create", _("C_reate"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "create");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_answered), widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_rename_answered (AdwMessageDialog   *dialog,
                    const char         *response,
                    PaddockBucketsPage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)));
  const PaddockBucket *bucket = bucket_of (self, GTK_WIDGET (dialog));
  g_autoptr(PaddockBucket) renamed = NULL;

  if (!g_str_equal (response, "rename") || *name == '\0' || bucket == NULL)
    return;

  renamed = paddock_bucket_copy (bucket);
  g_free (renamed->name);
  renamed->name = g_strdup (name);
  self->busy++;
  paddock_store_save_bucket_async (self->store, renamed, self->cancellable, on_bucket_saved, g_object_ref (self));
}

static void
on_rename_clicked (GtkButton          *button,
                   PaddockBucketsPage *self)
{
  const PaddockBucket *bucket = bucket_of (self, GTK_WIDGET (button));
  AdwMessageDialog *dialog;

  if (bucket == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Rename the Bucket"), NULL));
  adw_message_dialog_set_extra_child (dialog, name_entry (bucket->name));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "bucket-id", g_memdup2 (&bucket->id, sizeof bucket->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_answered (AdwMessageDialog   *dialog,
                    const char         *response,
                    PaddockBucketsPage *self)
{
  const PaddockBucket *bucket = bucket_of (self, GTK_WIDGET (dialog));

  if (!g_str_equal (response, "delete") || bucket == NULL)
    return;
  self->busy++;
  paddock_store_delete_bucket_async (self->store, bucket->id, self->cancellable, on_bucket_deleted, g_object_ref (self));
}

static void
on_delete_clicked (GtkButton          *button,
                   PaddockBucketsPage *self)
{
  const PaddockBucket *bucket = bucket_of (self, GTK_WIDGET (button));
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (bucket == NULL)
    return;
  /* Translators: a bucket's name */
  heading = g_strdup_printf (_("Delete %s?"), bucket->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                                       _("Templates that took its packages keep them.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "bucket-id", g_memdup2 (&bucket->id, sizeof bucket->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_paste_answered (AdwMessageDialog   *dialog,
                   const char         *response,
                   PaddockBucketsPage *self)
{
  const PaddockBucket *bucket = bucket_of (self, GTK_WIDGET (dialog));
  GtkDropDown *managers = g_object_get_data (G_OBJECT (dialog), "managers");
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (dialog), "buffer");
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (!g_str_equal (response, "add") || bucket == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  paddock_buckets_page_paste (self, bucket->id, gtk_drop_down_get_selected (managers), text);
}

static void
on_paste_clicked (GtkButton          *button,
                  PaddockBucketsPage *self)
{
  const PaddockBucket *bucket = bucket_of (self, GTK_WIDGET (button));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *box, *managers, *view, *scroller;
  AdwMessageDialog *dialog;

  if (bucket == NULL)
    return;
  for (guint m = 0; m < PADDOCK_N_PACKAGE_MANAGERS; m++)
    gtk_string_list_append (names, paddock_package_manager_to_string (m));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  managers = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (managers), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Package Manager"), -1);
  view = gtk_text_view_new ();
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Packages"), -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 160);
  gtk_widget_add_css_class (scroller, "card");
  gtk_box_append (GTK_BOX (box), managers);
  gtk_box_append (GTK_BOX (box), scroller);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Paste Packages"),
                                                       _("One per line: name, name=version, or for custom "
                                                         "name|check|install[|timeout]. All are added, or none "
                                                         "when a line is wrong.")));
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "bucket-id", g_memdup2 (&bucket->id, sizeof bucket->id), g_free);
  g_object_set_data (G_OBJECT (dialog), "managers", managers);
  g_object_set_data (G_OBJECT (dialog), "buffer", gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_paste_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_remove_package (GtkButton          *button,
                   PaddockBucketsPage *self)
{
  const PaddockBucket *bucket = bucket_of (self, GTK_WIDGET (button));
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  if (bucket == NULL || index >= bucket->packages->len)
    return;
  self->busy++;
  paddock_store_remove_bucket_package_async (self->store, bucket->id, g_ptr_array_index (bucket->packages, index),
                                             self->cancellable, on_package_removed, g_object_ref (self));
}

/* The list */

static GtkWidget *
tagged_button (PaddockBucketsPage  *self,
               const PaddockBucket *bucket,
               const char          *icon,
               const char          *label,
               GCallback            callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "bucket-id", g_memdup2 (&bucket->id, sizeof bucket->id), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);

  return button;
}

static void
rebuild (PaddockBucketsPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->list_box, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; self->buckets != NULL && i < self->buckets->len; i++)
    {
      const PaddockBucket *bucket = g_ptr_array_index (self->buckets, i);
      GtkWidget *row = adw_expander_row_new ();
      g_autofree char *count = g_strdup_printf (ngettext ("%u package", "%u packages", bucket->packages->len),
                                                bucket->packages->len);
      g_autofree char *name = g_strdup_printf ("bucket-%" G_GINT64_FORMAT, bucket->id);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bucket->name);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), count);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                   tagged_button (self, bucket, "edit-paste-symbolic", _("Paste Packages"),
                                                  G_CALLBACK (on_paste_clicked)));
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                   tagged_button (self, bucket, "document-edit-symbolic", _("Rename"),
                                                  G_CALLBACK (on_rename_clicked)));
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                   tagged_button (self, bucket, "user-trash-symbolic", _("Delete"),
                                                  G_CALLBACK (on_delete_clicked)));

      for (guint p = 0; p < bucket->packages->len; p++)
        {
          const PaddockPackage *package = g_ptr_array_index (bucket->packages, p);
          g_autofree char *line = paddock_package_to_line (package);
          GtkWidget *package_row = adw_action_row_new ();
          GtkWidget *remove = tagged_button (self, bucket, "list-remove-symbolic", _("Remove"),
                                             G_CALLBACK (on_remove_package));

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (package_row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (package_row), line);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (package_row), paddock_package_manager_to_string (package->manager));
          g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (p));
          adw_action_row_add_suffix (ADW_ACTION_ROW (package_row), remove);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), package_row);
        }

      gtk_list_box_append (self->list_box, row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
on_buckets (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockBucketsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *buckets = paddock_store_list_buckets_finish (PADDOCK_STORE (object), result, &error);

  self->busy--;
  if (buckets == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self, error->message);
      return;
    }

  g_clear_pointer (&self->buckets, g_ptr_array_unref);
  self->buckets = buckets;
  rebuild (self);
}

void
paddock_buckets_page_reload (PaddockBucketsPage *self)
{
  g_return_if_fail (PADDOCK_IS_BUCKETS_PAGE (self));

  if (self->store == NULL)
    return;
  self->busy++;
  paddock_store_list_buckets_async (self->store, self->cancellable, on_buckets, g_object_ref (self));
}

/* The object */

static void
paddock_buckets_page_dispose (GObject *object)
{
  PaddockBucketsPage *self = PADDOCK_BUCKETS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->buckets, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_BUCKETS_PAGE);

  G_OBJECT_CLASS (paddock_buckets_page_parent_class)->dispose (object);
}

static void
paddock_buckets_page_finalize (GObject *object)
{
  PaddockBucketsPage *self = PADDOCK_BUCKETS_PAGE (object);

  g_ptr_array_unref (self->rows);
  g_free (self->message);

  G_OBJECT_CLASS (paddock_buckets_page_parent_class)->finalize (object);
}

static void
paddock_buckets_page_class_init (PaddockBucketsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_buckets_page_dispose;
  object_class->finalize = paddock_buckets_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-buckets-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockBucketsPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockBucketsPage, list_box);

  gtk_widget_class_install_action (widget_class, "buckets.new", NULL, new_action);
}

static void
paddock_buckets_page_init (PaddockBucketsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
}

void
paddock_buckets_page_set_store (PaddockBucketsPage *self,
                                PaddockStore       *store)
{
  g_return_if_fail (PADDOCK_IS_BUCKETS_PAGE (self));

  g_set_object (&self->store, store);
  paddock_buckets_page_reload (self);
}

GPtrArray *
paddock_buckets_page_get_buckets (PaddockBucketsPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_BUCKETS_PAGE (self), NULL);

  return self->buckets;
}

gboolean
paddock_buckets_page_get_busy (PaddockBucketsPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_BUCKETS_PAGE (self), FALSE);

  return self->busy > 0;
}

const char *
paddock_buckets_page_get_message (PaddockBucketsPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_BUCKETS_PAGE (self), NULL);

  return self->message;
}
