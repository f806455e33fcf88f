/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-templates-ui.c: the Templates pages under Xvfb: the repository's fixture templates imported
 * through the file chooser with their report, a script edited in the code editor and saved,
 * scripts reordered, a validation error blocking Save with its reason, unsaved changes asked
 * about, export and re-import with the same content, duplicate, delete, New Container from a
 * template */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "paddock-application.h"
#include "paddock-buckets-page.h"
#include "paddock-create-wizard.h"
#include "paddock-template-page.h"
#include "paddock-templates-page.h"
#include "paddock-test-lab.h"
#include "paddock-test-ui.h"
#include "paddock-test-util.h"
#include "paddock-text-editor.h"
#include "paddock-window.h"

#define FIXTURES TEST_DATA_DIR "/templates"
#define WEB3 "Web3 Dev Container"  /* fixtures/templates/web3-dev */

static PaddockApplication *app;
static PaddockWindow *window;

static PaddockTemplatesPage *
templates_page (void)
{
  return PADDOCK_TEMPLATES_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                                "templates_page"));
}

static PaddockTemplatePage *
template_page (void)
{
  return PADDOCK_TEMPLATE_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW,
                                                               "template_page"));
}

static PaddockStore *
store (void)
{
  return paddock_workspace_get_store (paddock_application_get_workspace (app));
}

static gboolean
page_idle (gpointer data)
{
  return !paddock_templates_page_get_busy (templates_page ());
}

static PaddockTemplate *
shown_template (const char *name)
{
  GListModel *templates = paddock_templates_page_get_templates (templates_page ());

  for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);

      if (g_strcmp0 (paddock_template_get_name (template), name) == 0)
        return template;
    }

  return NULL;
}

static gboolean
template_shown (gpointer data)
{
  return page_idle (NULL) && (shown_template (data) != NULL) == TRUE;
}

static gboolean
template_gone (gpointer data)
{
  return page_idle (NULL) && shown_template (data) == NULL;
}

static gboolean
template_loaded (gpointer data)
{
  PaddockTemplate *template = paddock_template_page_get_template (template_page ());

  return template != NULL && g_strcmp0 (paddock_template_get_name (template), data) == 0;
}

static gboolean
not_modified (gpointer data)
{
  return !paddock_template_page_get_modified (template_page ());
}

static GtkWindow *
wait_for_toplevel (GType type)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GtkWindow *found;

  while ((found = find_toplevel_of_type (type)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (found);
  return found;
}

/* Answers the file chooser (GtkFileChooserNative shows a GtkFileChooserDialog without a portal)
 * with @folder, as a user picking it would. */
static void
choose_folder (const char *folder)
{
  GtkWindow *chooser = wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autoptr(GError) error = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  /* In a folder chooser, the folder shown is the answer when nothing in it is selected; the
   * chooser loads it asynchronously, so wait until it says so. */
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    g_autoptr(GFile) shown = NULL;

    do
      {
        g_clear_object (&shown);
        g_main_context_iteration (NULL, FALSE);
        shown = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
      }
    while ((shown == NULL || !g_file_equal (shown, file)) && g_get_monotonic_time () < deadline);
    g_assert_true (shown != NULL && g_file_equal (shown, file));
  }
  iterate_until_idle ();
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  iterate_until_idle ();
}

static void
open_template (const char *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-templates", NULL));
  g_assert_true (iterate_until (template_shown, (gpointer) name, 10));
  g_signal_emit_by_name (templates_page (), "template-activated", paddock_template_get_id (shown_template (name)));
  g_assert_true (iterate_until (template_loaded, (gpointer) name, 10));
  iterate_until_idle ();
}

static void
test_import_report (void)
{
  AdwMessageDialog *report;
  const char *body;

  if (!paddock_test_lab_required ())
    return;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-templates", NULL));
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (window), "templates-empty.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (templates_page ()), "templates.import", NULL));
  choose_folder (FIXTURES);

  report = wait_for_message_dialog ();
  body = adw_message_dialog_get_body (report);
  g_test_message ("%s\n%s", adw_message_dialog_get_heading (report), body);
  /* The fixtures hold good templates and broken ones: each says what would happen, the broken
   * ones with file and line; nothing is kept yet. */
  g_assert_cmpstr (adw_message_dialog_get_heading (report), ==, "Import 3 Templates?");
  g_assert_nonnull (strstr (body, "Web3 Dev Container: new"));
  g_assert_nonnull (strstr (body, "files/motd.policy:1:"));
  save_screenshot (GTK_WIDGET (report), "templates-import-report.png");
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GListModel) stored = NULL;

    paddock_store_list_templates_async (store (), NULL, PADDOCK_TEST_ASYNC (result));
    stored = paddock_store_list_templates_finish (store (), paddock_test_wait (&result), NULL);
    g_assert_cmpuint (g_list_model_get_n_items (stored), ==, 0);
  }
  respond (report, "import");

  g_assert_true (iterate_until (template_shown, (gpointer) "Web3 Dev Container", 10));
  save_screenshot (GTK_WIDGET (window), "templates-list.png");
}

static void
test_edit_script_and_save (void)
{
  g_autoptr(PaddockTemplate) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockTemplatePage *page;
  PaddockTextEditor *editor;

  if (!paddock_test_lab_required ())
    return;

  open_template (WEB3);
  page = template_page ();
  save_screenshot (GTK_WIDGET (window), "template-page.png");
  g_assert_false (paddock_template_page_get_modified (page));

  /* Narrow and dark, as narrow as the main window goes today (its minimum width is issue 22's). */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  iterate_until_idle ();
  save_screenshot (GTK_WIDGET (window), "template-page-narrow-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 860);
  iterate_until_idle ();

  /* The first script in the code editor: shell highlighting, the edit kept with Done. */
  editor = PADDOCK_TEXT_EDITOR (paddock_template_page_edit_script (page, 0));
  g_assert_nonnull (editor);
  g_assert_cmpstr (paddock_text_editor_get_language (editor), ==, "sh");
  paddock_text_editor_set_text (editor, "#!/bin/sh\necho edited in paddock\n");
  g_assert_nonnull (paddock_text_editor_get_description (editor));
  paddock_text_editor_edit_description (editor, "Says it was edited");
  save_screenshot (GTK_WIDGET (editor), "template-script-editor.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.done", NULL));
  iterate_until_idle ();
  g_assert_true (paddock_template_page_get_modified (page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "template.save", NULL));
  g_assert_true (iterate_until (not_modified, NULL, 10));

  paddock_store_get_template_async (store (), paddock_template_get_id (paddock_template_page_get_template (page)), NULL,
                                    PADDOCK_TEST_ASYNC (result));
  stored = paddock_store_get_template_finish (store (), paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (paddock_template_get_scripts (stored), 0))->content,
                   ==, "#!/bin/sh\necho edited in paddock\n");
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (paddock_template_get_scripts (stored), 0))->description,
                   ==, "Says it was edited");
}

/* Buttons in a row, by their accessible label */
static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *tooltip)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* What a drop of row @from on @row does (its GtkDropTarget's "drop"). */
static void
drop_row_on (GtkWidget *row,
             guint      from)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_nonnull (row);
  g_value_init (&value, G_TYPE_UINT);
  g_value_set_uint (&value, from);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        g_signal_emit_by_name (controller, "drop", &value, 1.0, 1.0, &accepted);
    }
  g_value_unset (&value);
  g_assert_true (accepted);
  iterate_until_idle ();
}

static void
test_reorder_scripts (void)
{
  PaddockTemplatePage *page;
  GPtrArray *scripts;
  g_autofree char *second = NULL;
  GtkWidget *row;

  if (!paddock_test_lab_required ())
    return;

  open_template (WEB3);
  page = template_page ();
  scripts = paddock_template_get_scripts (paddock_template_page_get_template (page));
  g_assert_cmpuint (scripts->len, >=, 2);
  second = g_strdup (((PaddockTemplateScript *) g_ptr_array_index (scripts, 1))->name);

  /* "Run Earlier" on the second script: it is first now, in the page and in what is saved. */
  row = find_named (GTK_WIDGET (page), "script-1");
  g_assert_nonnull (row);
  g_signal_emit_by_name (find_button_labelled (row, "Run Earlier"), "clicked");
  iterate_until_idle ();
  scripts = paddock_template_get_scripts (paddock_template_page_get_template (page));
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 0))->name, ==, second);
  g_assert_true (paddock_template_page_get_modified (page));

  /* Dragged: the (new) first script dropped on the third row goes there, and back. */
  {
    g_autofree char *third = g_strdup (((PaddockTemplateScript *) g_ptr_array_index (scripts, 2))->name);

    drop_row_on (find_named (GTK_WIDGET (page), "script-2"), 0);
    scripts = paddock_template_get_scripts (paddock_template_page_get_template (page));
    g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 2))->name, ==, second);
    g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 1))->name, ==, third);
    drop_row_on (find_named (GTK_WIDGET (page), "script-0"), 2);
    scripts = paddock_template_get_scripts (paddock_template_page_get_template (page));
    g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 0))->name, ==, second);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "template.save", NULL));
  g_assert_true (iterate_until (not_modified, NULL, 10));

  {
    g_autoptr(PaddockTemplate) stored = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    paddock_store_get_template_async (store (), paddock_template_get_id (paddock_template_page_get_template (page)),
                                      NULL, PADDOCK_TEST_ASYNC (result));
    stored = paddock_store_get_template_finish (store (), paddock_test_wait (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (paddock_template_get_scripts (stored), 0))->name,
                     ==, second);
  }
}

static GtkWidget *
find_entry_row_titled (GtkWidget  *widget,
                       const char *title)
{
  if (ADW_IS_ENTRY_ROW (widget) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row_titled (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
page_closed (gpointer data)
{
  return adw_leaflet_get_visible_child (ADW_LEAFLET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                  PADDOCK_TYPE_WINDOW, "content")))
         == GTK_WIDGET (templates_page ());
}

static void
test_validation_and_unsaved (void)
{
  PaddockTemplatePage *page;
  GtkEditable *name;
  AdwMessageDialog *dialog;

  if (!paddock_test_lab_required ())
    return;

  open_template (WEB3);
  page = template_page ();
  name = GTK_EDITABLE (find_named (GTK_WIDGET (page), "name"));
  g_assert_nonnull (name);

  /* No name: Save is refused, the reason shown. */
  gtk_editable_set_text (name, "");
  iterate_until_idle ();
  g_assert_nonnull (paddock_template_page_get_problem (page));
  g_test_message ("problem: %s", paddock_template_page_get_problem (page));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "template.save", NULL)
                  && !paddock_template_page_get_modified (page));
  g_assert_true (paddock_template_page_get_modified (page));
  save_screenshot (GTK_WIDGET (window), "template-invalid.png");

  /* A file's target directory must be absolute: refused with its reason, accepted when fixed. */
  gtk_editable_set_text (name, WEB3);
  {
    GtkEditable *directory = GTK_EDITABLE (find_entry_row_titled (GTK_WIDGET (page), "Directory in the Container"));
    g_autofree char *was = NULL;

    g_assert_nonnull (directory);
    was = g_strdup (gtk_editable_get_text (directory));
    gtk_editable_set_text (directory, "etc/relative");
    iterate_until_idle ();
    g_assert_nonnull (paddock_template_page_get_problem (page));
    g_test_message ("problem: %s", paddock_template_page_get_problem (page));
    gtk_editable_set_text (directory, was);
    iterate_until_idle ();
    g_assert_null (paddock_template_page_get_problem (page));
  }

  /* Leaving asks; Discard brings back what was saved. */
  gtk_editable_set_text (name, "Web3 renamed");
  iterate_until_idle ();
  g_assert_null (paddock_template_page_get_problem (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "template.back", NULL));
  dialog = wait_for_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Changes to Web3 renamed?");
  save_screenshot (GTK_WIDGET (dialog), "template-unsaved.png");
  respond (dialog, "discard");
  g_assert_true (iterate_until (page_closed, NULL, 10));
  g_assert_true (iterate_until (template_shown, (gpointer) "Web3 Dev Container", 10));
  g_assert_null (shown_template ("Web3 renamed"));
}

static void
test_export_duplicate_delete (void)
{
  g_autofree char *dir = paddock_test_make_dir ("templates-export");
  g_autofree char *exported = g_build_filename (dir, "web3-dev", NULL);
  g_autofree char *before = NULL;
  PaddockTemplatePage *page;
  AdwMessageDialog *dialog;

  if (!paddock_test_lab_required ())
    return;

  open_template (WEB3);
  page = template_page ();
  before = paddock_template_dup_content_hash (paddock_template_page_get_template (page));

  /* Export, read back: the same content. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "template.export", NULL));
  choose_folder (dir);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    g_autofree char *conf = g_build_filename (exported, "template.conf", NULL);

    while (!g_file_test (conf, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_true (g_file_test (conf, G_FILE_TEST_EXISTS));
    iterate_until_idle ();
  }
  {
    g_autoptr(PaddockTemplateSource) source = paddock_template_read_directory (exported);
    g_autofree char *after = NULL;

    g_assert_nonnull (source->template);
    after = paddock_template_dup_content_hash (source->template);
    g_assert_cmpstr (after, ==, before);
  }

  /* Duplicate: a second template, shown on its own page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "template.duplicate", NULL));
  g_assert_true (iterate_until (template_loaded, (gpointer) "Web3 Dev Container (copy)", 10));
  g_assert_true (iterate_until (template_shown, (gpointer) "Web3 Dev Container (copy)", 10));

  /* New Container from this Template: the wizard opens on it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "template.new-container", NULL));
  {
    PaddockCreateWizard *wizard = PADDOCK_CREATE_WIZARD (wait_for_toplevel (PADDOCK_TYPE_CREATE_WIZARD));
    g_autoptr(PaddockJobPlan) plan = NULL;
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    /* The template is chosen already: the wizard reads it and starts at Configure. */
    while ((plan = paddock_create_wizard_dup_plan (wizard)) == NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_nonnull (plan);
    g_assert_cmpuint (paddock_create_wizard_get_step (wizard), ==, 1);
    g_assert_cmpstr (plan->template_name, ==, WEB3 " (copy)");
    gtk_window_destroy (GTK_WINDOW (wizard));
    iterate_until_idle ();
  }

  /* Delete asks, says containers made from it keep running, then it is gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "template.delete", NULL));
  dialog = wait_for_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "keep running"));
  respond (dialog, "delete");
  g_assert_true (iterate_until (template_gone, (gpointer) "Web3 Dev Container (copy)", 10));
  g_assert_true (iterate_until (page_closed, NULL, 10));
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static PaddockBucketsPage *
buckets_page (void)
{
  return PADDOCK_BUCKETS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "buckets_page"));
}

static gboolean
buckets_idle (gpointer data)
{
  return !paddock_buckets_page_get_busy (buckets_page ()) && paddock_buckets_page_get_buckets (buckets_page ()) != NULL;
}

static const PaddockBucket *
bucket_named (const char *name)
{
  GPtrArray *buckets = paddock_buckets_page_get_buckets (buckets_page ());

  for (guint i = 0; buckets != NULL && i < buckets->len; i++)
    if (g_str_equal (((PaddockBucket *) g_ptr_array_index (buckets, i))->name, name))
      return g_ptr_array_index (buckets, i);

  return NULL;
}

static void
test_buckets (void)
{
  AdwMessageDialog *dialog;
  const PaddockBucket *bucket;
  PaddockTemplatePage *page;
  guint before;

  if (!paddock_test_lab_required ())
    return;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-buckets", NULL));
  g_assert_true (iterate_until (buckets_idle, NULL, 10));

  /* A new bucket, named in its dialog */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (buckets_page ()), "buckets.new", NULL));
  dialog = wait_for_message_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "monitoring");
  respond (dialog, "create");
  g_assert_true (iterate_until (buckets_idle, NULL, 10));
  bucket = bucket_named ("monitoring");
  g_assert_nonnull (bucket);

  /* A paste with a bad line adds nothing and names the line. */
  paddock_buckets_page_paste (buckets_page (), bucket->id, PADDOCK_PACKAGE_APT, "sysstat\nBad_Name\ngit\n");
  g_assert_true (iterate_until (buckets_idle, NULL, 10));
  g_test_message ("paste refused: %s", paddock_buckets_page_get_message (buckets_page ()));
  g_assert_nonnull (paddock_buckets_page_get_message (buckets_page ()));
  g_assert_nonnull (strstr (paddock_buckets_page_get_message (buckets_page ()), "2"));
  g_assert_cmpuint (bucket_named ("monitoring")->packages->len, ==, 0);

  /* Without it, all of them. */
  paddock_buckets_page_paste (buckets_page (), bucket_named ("monitoring")->id, PADDOCK_PACKAGE_APT, "sysstat\ngit\n");
  g_assert_true (iterate_until (buckets_idle, NULL, 10));
  g_assert_null (paddock_buckets_page_get_message (buckets_page ()));
  g_assert_cmpuint (bucket_named ("monitoring")->packages->len, ==, 2);
  save_screenshot (GTK_WIDGET (window), "buckets.png");

  /* Into a template: git is there already, sysstat is added once. */
  open_template (WEB3);
  page = template_page ();
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (find_named (GTK_WIDGET (page), "add-bucket") == NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  before = paddock_template_get_packages (paddock_template_page_get_template (page))->len;
  {
    GtkWidget *row = find_named (GTK_WIDGET (page), "add-bucket");
    GtkWidget *add = row ? find_button_with_label (row, "_Add") : NULL;

    g_assert_nonnull (add);
    g_signal_emit_by_name (add, "clicked");
  }
  iterate_until_idle ();
  g_assert_cmpuint (paddock_template_get_packages (paddock_template_page_get_template (page))->len, ==, before + 1);
  g_assert_true (paddock_template_page_get_modified (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "template.back", NULL));
  respond (wait_for_message_dialog (), "discard");
  g_assert_true (iterate_until (page_closed, NULL, 10));
}

static gboolean
provisioner_ready (gpointer data)
{
  return paddock_application_get_provisioner (app) != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  paddock_test_lab_start ((const char *[]) { "--dataset", "demo", "--no-real", "--auth-delay-ms", "20",
                                             NULL });
  if (paddock_test_lab != NULL)
    {
      data_dir = paddock_test_make_dir ("templates-ui");
      paddock_test_ui_prepare_lab_data (data_dir);
      app = paddock_test_ui_start_app ("app.paddock.Paddock.TemplatesTest", data_dir, &window);
      g_assert_true (iterate_until (provisioner_ready, NULL, 30));
    }

  g_test_add_func ("/paddock/templates/import-report", test_import_report);
  g_test_add_func ("/paddock/templates/edit-script-and-save", test_edit_script_and_save);
  g_test_add_func ("/paddock/templates/reorder-scripts", test_reorder_scripts);
  g_test_add_func ("/paddock/templates/validation-and-unsaved", test_validation_and_unsaved);
  g_test_add_func ("/paddock/templates/export-duplicate-delete", test_export_duplicate_delete);
  g_test_add_func ("/paddock/templates/buckets", test_buckets);

  status = g_test_run ();
  if (app != NULL)
    {
      close_app (app);
      g_object_unref (app);
    }
  return status;
}
