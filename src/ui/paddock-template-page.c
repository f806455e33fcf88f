/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template-page.c: one template, every field editable with the core's checks as you
 * type; scripts and files in a code editor; save, duplicate, export, delete, new container
 *
 * The template is edited in place and compared with what was loaded (its name and content hash),
 * so "modified" means what the user would lose; leaving with changes asks first.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-row-reorder.h"
#include "paddock-template-page.h"
#include "paddock-text-editor.h"

struct _PaddockTemplatePage
{
  AdwBin                parent_instance;

  PaddockStore         *store;
  GCancellable         *cancellable;
  PaddockTemplate      *template;
  char                 *saved_name;
  char                 *saved_hash;
  char                 *problem;
  gboolean              building;     /* filling the widgets is not an edit */
  GPtrArray            *groups;       /* the groups built for the template */
  GPtrArray            *buckets;      /* PaddockBucket, to take packages from */
  GHashTable           *expanded;     /* managers whose packages are shown, kept across rebuilds */
  GtkFileChooserNative *chooser;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkButton            *save_button;
  GtkLabel             *problem_label;
  GtkBox               *content_box;
};

G_DEFINE_FINAL_TYPE (PaddockTemplatePage, paddock_template_page, ADW_TYPE_BIN)

enum {
  SAVED,
  CLOSED,
  NEW_CONTAINER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild (PaddockTemplatePage *self);

static void
toast (PaddockTemplatePage *self,
       const char          *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

/* What changed and what is wrong */

gboolean
paddock_template_page_get_modified (PaddockTemplatePage *self)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (PADDOCK_IS_TEMPLATE_PAGE (self), FALSE);

  if (self->template == NULL)
    return FALSE;
  hash = paddock_template_dup_content_hash (self->template);
  return g_strcmp0 (hash, self->saved_hash) != 0 ||
         g_strcmp0 (paddock_template_get_name (self->template), self->saved_name) != 0;
}

static void
after_edit (PaddockTemplatePage *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  GString *errors = g_string_new (NULL);
  gboolean modified;

  if (self->template == NULL || self->building)
    {
      g_string_free (errors, TRUE);
      return;
    }

  /* The core's rules, as the import and the wizard apply them. */
  problems = paddock_template_validate (self->template, 0);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const PaddockProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == PADDOCK_PROBLEM_ERROR)
        g_string_append_printf (errors, "%s%s", errors->len ? "\n" : "", problem->message);
    }

  g_free (self->problem);
  self->problem = errors->len ? g_strdup (errors->str) : NULL;
  gtk_label_set_text (self->problem_label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), errors->len > 0);
  g_string_free (errors, TRUE);

  modified = paddock_template_page_get_modified (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "template.save", modified && self->problem == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button),
                               self->problem ? self->problem : modified ? _("Save (Ctrl+S)") : _("Nothing changed"));
  adw_window_title_set_title (self->window_title, paddock_template_get_name (self->template));
  adw_window_title_set_subtitle (self->window_title, modified ? _("Not saved") : NULL);
}

/* The general fields */

static void
on_entry_changed (GtkEditable         *entry,
                  PaddockTemplatePage *self)
{
  const char *field = g_object_get_data (G_OBJECT (entry), "field");
  const char *text = gtk_editable_get_text (entry);

  if (self->building)
    return;

  if (g_str_equal (field, "name"))
    paddock_template_set_name (self->template, text);
  else if (g_str_equal (field, "description"))
    paddock_template_set_description (self->template, text);
  else if (g_str_equal (field, "tags"))
    paddock_template_set_tags (self->template, text);
  else if (g_str_equal (field, "os"))
    paddock_template_set_os_template (self->template, *text ? text : NULL);
  after_edit (self);
}

static GtkWidget *
entry_row (PaddockTemplatePage *self,
           const char          *title,
           const char          *field,
           const char          *value)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
  gtk_widget_set_name (row, field);
  g_object_set_data (G_OBJECT (row), "field", (gpointer) field);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_entry_changed), self, 0);

  return row;
}

static void
on_spin_changed (GtkSpinButton       *spin,
                 PaddockTemplatePage *self)
{
  const char *field = g_object_get_data (G_OBJECT (spin), "field");
  int value = gtk_spin_button_get_value_as_int (spin);

  if (self->building)
    return;

  if (g_str_equal (field, "cores"))
    paddock_template_set_cores (self->template, value);
  else if (g_str_equal (field, "memory"))
    paddock_template_set_memory (self->template, value);
  else if (g_str_equal (field, "swap"))
    paddock_template_set_swap (self->template, value);
  else if (g_str_equal (field, "disk"))
    paddock_template_set_disk (self->template, value);
  after_edit (self);
}

static GtkWidget *
spin_row (PaddockTemplatePage *self,
          const char          *title,
          const char          *subtitle,
          const char          *field,
          double               lower,
          double               upper,
          double               value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_name (spin, field);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data (G_OBJECT (spin), "field", (gpointer) field);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_spin_changed), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);

  return row;
}

static void
on_switch_changed (GtkSwitch           *toggle,
                   GParamSpec          *pspec,
                   PaddockTemplatePage *self)
{
  const char *field = g_object_get_data (G_OBJECT (toggle), "field");
  gboolean on = gtk_switch_get_active (toggle);

  if (self->building)
    return;

  if (g_str_equal (field, "unprivileged"))
    paddock_template_set_unprivileged (self->template, on);
  else if (g_str_equal (field, "nesting"))
    paddock_template_set_nesting (self->template, on);
  else if (g_str_equal (field, "keyctl"))
    paddock_template_set_keyctl (self->template, on);
  else if (g_str_equal (field, "fuse"))
    paddock_template_set_fuse (self->template, on);
  else if (g_str_equal (field, "onboot"))
    paddock_template_set_onboot (self->template, on);
  after_edit (self);
}

static GtkWidget *
switch_row (PaddockTemplatePage *self,
            const char          *title,
            const char          *field,
            gboolean             value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_switch_set_active (GTK_SWITCH (toggle), value);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data (G_OBJECT (toggle), "field", (gpointer) field);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_switch_changed), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);

  return row;
}

static GtkWidget *
add_group (PaddockTemplatePage *self,
           const char          *title,
           const char          *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (self->content_box, group);
  g_ptr_array_add (self->groups, group);

  return group;
}

static GtkWidget *
icon_button (const char *icon,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  return button;
}

/* Packages */

static void
on_remove_package (GtkButton           *button,
                   PaddockTemplatePage *self)
{
  PaddockPackage *package = g_object_get_data (G_OBJECT (button), "package");

  g_ptr_array_remove (paddock_template_get_packages (self->template), package);
  rebuild (self);
  after_edit (self);
}

static void
on_add_package (AdwEntryRow         *row,
                PaddockTemplatePage *self)
{
  GtkDropDown *managers = g_object_get_data (G_OBJECT (row), "managers");
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockPackage) package = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  package = paddock_package_parse (gtk_drop_down_get_selected (managers), text, &error);
  if (package == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), error->message);
      toast (self, error->message);
      return;
    }
  if (!paddock_template_add_package (self->template, package))
    {
      toast (self, _("The template has this package already"));
      return;
    }
  rebuild (self);
  after_edit (self);
}

/* A bucket's packages join the template's; those it has already are not added twice. */
static void
on_add_bucket (GtkButton           *button,
               PaddockTemplatePage *self)
{
  AdwComboRow *row = g_object_get_data (G_OBJECT (button), "row");
  guint selected = adw_combo_row_get_selected (row);
  const PaddockBucket *bucket;
  guint added = 0;
  g_autofree char *text = NULL;

  if (self->buckets == NULL || selected >= self->buckets->len)
    return;
  bucket = g_ptr_array_index (self->buckets, selected);
  for (guint i = 0; i < bucket->packages->len; i++)
    added += paddock_template_add_package (self->template, g_ptr_array_index (bucket->packages, i));

  /* Translators: how many packages a bucket added to the template */
  text = g_strdup_printf (ngettext ("%u package added", "%u packages added", added), added);
  toast (self, text);
  rebuild (self);
  after_edit (self);
}

static void
on_package_text_changed (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, NULL);
}

static void
on_manager_expanded (AdwExpanderRow      *row,
                     GParamSpec          *pspec,
                     PaddockTemplatePage *self)
{
  gpointer manager = g_object_get_data (G_OBJECT (row), "manager");

  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (self->expanded, manager);
  else
    g_hash_table_remove (self->expanded, manager);
}

static void
build_packages (PaddockTemplatePage *self)
{
  GtkWidget *group = add_group (self, _("Packages"), _("Installed before the scripts run, by each manager"));
  GPtrArray *packages = paddock_template_get_packages (self->template);
  g_autoptr(GtkStringList) manager_names = gtk_string_list_new (NULL);
  GtkWidget *add, *managers;

  /* One expander per manager, in the order they install. */
  for (guint m = 0; m < PADDOCK_N_PACKAGE_MANAGERS; m++)
    {
      GtkWidget *manager_row = NULL;
      guint count = 0;

      for (guint i = 0; i < packages->len; i++)
        {
          PaddockPackage *package = g_ptr_array_index (packages, i);
          g_autofree char *line = NULL;
          GtkWidget *row, *remove;

          if (package->manager != m)
            continue;
          if (manager_row == NULL)
            {
              g_autofree char *name = g_strdup_printf ("packages-%s", paddock_package_manager_to_string (m));

              manager_row = adw_expander_row_new ();
              gtk_widget_set_name (manager_row, name);
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (manager_row), paddock_package_manager_to_string (m));
              adw_expander_row_set_expanded (ADW_EXPANDER_ROW (manager_row),
                                             g_hash_table_contains (self->expanded, GUINT_TO_POINTER (m + 1)));
              g_object_set_data (G_OBJECT (manager_row), "manager", GUINT_TO_POINTER (m + 1));
              g_signal_connect_object (manager_row, "notify::expanded", G_CALLBACK (on_manager_expanded), self, 0);
              adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), manager_row);
            }
          line = paddock_package_to_line (package);
          row = adw_action_row_new ();
          remove = icon_button ("user-trash-symbolic", _("Remove"));
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line);
          g_object_set_data (G_OBJECT (remove), "package", package);
          g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_package), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (manager_row), row);
          count++;
        }
      if (manager_row != NULL)
        {
          g_autofree char *counted = g_strdup_printf (ngettext ("%u package", "%u packages", count), count);

          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (manager_row), counted);
        }
    }

  for (guint m = 0; m < PADDOCK_N_PACKAGE_MANAGERS; m++)
    gtk_string_list_append (manager_names, paddock_package_manager_to_string (m));
  add = adw_entry_row_new ();
  gtk_widget_set_name (add, "add-package");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (add), _("Add a Package (name or name=version)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (add), TRUE);
  managers = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (manager_names)), NULL);
  gtk_widget_set_valign (managers, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (managers), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Package Manager"), -1);
  adw_entry_row_add_prefix (ADW_ENTRY_ROW (add), managers);
  g_object_set_data (G_OBJECT (add), "managers", managers);
  g_signal_connect_object (add, "apply", G_CALLBACK (on_add_package), self, 0);
  g_signal_connect (add, "changed", G_CALLBACK (on_package_text_changed), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), add);

  if (self->buckets != NULL && self->buckets->len > 0)
    {
      g_autoptr(GtkStringList) bucket_names = gtk_string_list_new (NULL);
      GtkWidget *row = adw_combo_row_new ();
      GtkWidget *take = gtk_button_new_with_mnemonic (_("_Add"));

      for (guint i = 0; i < self->buckets->len; i++)
        gtk_string_list_append (bucket_names, ((PaddockBucket *) g_ptr_array_index (self->buckets, i))->name);
      gtk_widget_set_name (row, "add-bucket");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Add a Package Bucket"));
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (bucket_names));
      gtk_widget_set_valign (take, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (take), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add the Bucket's Packages"),
                                      -1);
      g_object_set_data (G_OBJECT (take), "row", row);
      g_signal_connect_object (take, "clicked", G_CALLBACK (on_add_bucket), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), take);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

/* Scripts and files, in the code editor */

static void
on_script_edited (PaddockTextEditor   *editor,
                  const char          *text,
                  PaddockTemplatePage *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editor), "index"));
  GPtrArray *scripts = paddock_template_get_scripts (self->template);
  PaddockTemplateScript *script;

  if (index >= scripts->len)
    return;
  script = g_ptr_array_index (scripts, index);
  g_free (script->content);
  script->content = g_strdup (text);
  if (paddock_text_editor_get_description (editor) != NULL)
    {
      g_free (script->description);
      script->description = g_strdup (paddock_text_editor_get_description (editor));
      rebuild (self);
    }
  after_edit (self);
}

GtkWidget *
paddock_template_page_edit_script (PaddockTemplatePage *self,
                                   guint                index)
{
  GPtrArray *scripts;
  PaddockTemplateScript *script;
  g_autofree char *file_name = NULL;
  PaddockTextEditor *editor;

  g_return_val_if_fail (PADDOCK_IS_TEMPLATE_PAGE (self), NULL);

  scripts = paddock_template_get_scripts (self->template);
  if (index >= scripts->len)
    return NULL;
  script = g_ptr_array_index (scripts, index);
  file_name = paddock_template_script_dup_file_name (script);
  editor = paddock_text_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), script->name, file_name,
                                    script->content);
  paddock_text_editor_edit_description (editor, script->description);
  g_object_set_data (G_OBJECT (editor), "index", GUINT_TO_POINTER (index));
  g_signal_connect_object (editor, "done", G_CALLBACK (on_script_edited), self, 0);
  gtk_window_present (GTK_WINDOW (editor));

  return GTK_WIDGET (editor);
}

static void
on_edit_script (GtkButton           *button,
                PaddockTemplatePage *self)
{
  paddock_template_page_edit_script (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")));
}

/* Moves a script by @delta places: the order shown is the order run. */
static void
move_script (PaddockTemplatePage *self,
             guint                index,
             int                  delta)
{
  GPtrArray *scripts = paddock_template_get_scripts (self->template);
  g_autoptr(GArray) orders = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 to = (gint64) index + delta;
  PaddockTemplateScript *moved;

  if (delta == 0 || to < 0 || to >= scripts->len || index >= scripts->len)
    return;

  /* The scripts keep the numbers they had, in their new order (the numbers are their file names'). */
  for (guint i = 0; i < scripts->len; i++)
    g_array_append_val (orders, ((PaddockTemplateScript *) g_ptr_array_index (scripts, i))->order);
  moved = g_ptr_array_steal_index (scripts, index);
  g_ptr_array_insert (scripts, (int) to, moved);
  for (guint i = 0; i < scripts->len; i++)
    ((PaddockTemplateScript *) g_ptr_array_index (scripts, i))->order = g_array_index (orders, guint, i);
  rebuild (self);
  after_edit (self);
}

/* A script row dropped on another takes its place. */
static void
on_script_dropped (GObject *owner,
                   guint    from,
                   guint    to)
{
  move_script (PADDOCK_TEMPLATE_PAGE (owner), from, (int) to - (int) from);
}

static void
on_move_up (GtkButton           *button,
            PaddockTemplatePage *self)
{
  move_script (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")), -1);
}

static void
on_move_down (GtkButton           *button,
              PaddockTemplatePage *self)
{
  move_script (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")), +1);
}

static void
on_script_enabled (GtkSwitch           *toggle,
                   GParamSpec          *pspec,
                   PaddockTemplatePage *self)
{
  PaddockTemplateScript *script = g_object_get_data (G_OBJECT (toggle), "script");

  if (self->building)
    return;
  script->enabled = gtk_switch_get_active (toggle);
  after_edit (self);
}

static void
build_scripts (PaddockTemplatePage *self)
{
  GtkWidget *group = add_group (self, _("Scripts"), _("Run in this order after the packages; a failing one stops "
                                                      "the job, which can be retried from it"));
  GPtrArray *scripts = paddock_template_get_scripts (self->template);

  for (guint i = 0; i < scripts->len; i++)
    {
      PaddockTemplateScript *script = g_ptr_array_index (scripts, i);
      g_autofree char *title = g_strdup_printf ("%02u %s", script->order, script->name);
      g_autofree char *name = g_strdup_printf ("script-%u", i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      GtkWidget *up = icon_button ("go-up-symbolic", _("Run Earlier"));
      GtkWidget *down = icon_button ("go-down-symbolic", _("Run Later"));
      GtkWidget *edit = icon_button ("document-edit-symbolic", _("Edit"));

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), script->description);
      gtk_switch_set_active (GTK_SWITCH (toggle), script->enabled);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Run this script"), -1);
      g_object_set_data (G_OBJECT (toggle), "script", script);
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_script_enabled), self, 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), toggle);
      for (guint b = 0; b < 3; b++)
        {
          GtkWidget *button = b == 0 ? up : b == 1 ? down : edit;

          g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_widget_set_sensitive (up, i > 0);
      gtk_widget_set_sensitive (down, i + 1 < scripts->len);
      g_signal_connect_object (up, "clicked", G_CALLBACK (on_move_up), self, 0);
      g_signal_connect_object (down, "clicked", G_CALLBACK (on_move_down), self, 0);
      g_signal_connect_object (edit, "clicked", G_CALLBACK (on_edit_script), self, 0);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
      paddock_row_reorder_attach (row, G_OBJECT (self), on_script_dropped);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

static void
on_file_edited (PaddockTextEditor   *editor,
                const char          *text,
                PaddockTemplatePage *self)
{
  PaddockTemplateFile *file = g_object_get_data (G_OBJECT (editor), "file");

  g_bytes_unref (file->content);
  file->content = g_bytes_new (text, strlen (text));
  after_edit (self);
}

static void
on_edit_file (GtkButton           *button,
              PaddockTemplatePage *self)
{
  PaddockTemplateFile *file = g_object_get_data (G_OBJECT (button), "file");
  g_autofree char *text = NULL;
  PaddockTextEditor *editor;

  if (file->content != NULL && !g_utf8_validate (g_bytes_get_data (file->content, NULL), g_bytes_get_size (file->content),
                                                 NULL))
    {
      toast (self, _("This file is not text; it is kept as it was imported"));
      return;
    }
  text = file->content ? g_strndup (g_bytes_get_data (file->content, NULL), g_bytes_get_size (file->content))
                       : g_strdup ("");
  editor = paddock_text_editor_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), file->name, file->name, text);
  g_object_set_data (G_OBJECT (editor), "file", file);
  g_signal_connect_object (editor, "done", G_CALLBACK (on_file_edited), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_file_field_changed (GtkEditable         *entry,
                       PaddockTemplatePage *self)
{
  PaddockTemplateFile *file = g_object_get_data (G_OBJECT (entry), "file");
  const char *field = g_object_get_data (G_OBJECT (entry), "field");
  const char *text = gtk_editable_get_text (entry);

  if (self->building)
    return;

  if (g_str_equal (field, "target-dir"))
    {
      g_free (file->target_dir);
      file->target_dir = g_strdup (text);
    }
  else if (g_str_equal (field, "target-name"))
    {
      g_free (file->target_name);
      file->target_name = *text ? g_strdup (text) : NULL;
    }
  else if (g_str_equal (field, "mode"))
    {
      guint64 mode = 0;

      /* Octal as in chmod; what is not a mode is kept out of range so validation names it. */
      file->mode = *text == '\0' ? 0
                   : g_ascii_string_to_unsigned (text, 8, 0, 07777, &mode, NULL) ? (guint) mode : 010000;
    }
  after_edit (self);
}

static void
on_file_policy_changed (AdwComboRow         *row,
                        GParamSpec          *pspec,
                        PaddockTemplatePage *self)
{
  PaddockTemplateFile *file = g_object_get_data (G_OBJECT (row), "file");

  if (self->building)
    return;
  file->policy = adw_combo_row_get_selected (row);
  after_edit (self);
}

static GtkWidget *
file_entry_row (PaddockTemplatePage *self,
                PaddockTemplateFile *file,
                const char          *title,
                const char          *field,
                const char          *value)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
  g_object_set_data (G_OBJECT (row), "file", file);
  g_object_set_data (G_OBJECT (row), "field", (gpointer) field);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_file_field_changed), self, 0);

  return row;
}

static void
build_files (PaddockTemplatePage *self)
{
  GtkWidget *group = add_group (self, _("Files"), _("Placed in the container after the scripts, by policy"));
  GPtrArray *files = paddock_template_get_files (self->template);

  for (guint i = 0; i < files->len; i++)
    {
      PaddockTemplateFile *file = g_ptr_array_index (files, i);
      g_autofree char *target = paddock_template_file_dup_target_path (file);
      g_autofree char *subtitle = g_strdup_printf ("→ %s · %s", target, paddock_file_policy_to_string (file->policy));
      g_autofree char *mode = file->mode ? g_strdup_printf ("%04o", file->mode) : NULL;
      g_autoptr(GtkStringList) policies = gtk_string_list_new (NULL);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *edit = icon_button ("document-edit-symbolic", _("Edit"));
      GtkWidget *policy = adw_combo_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), file->name);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      g_object_set_data (G_OBJECT (edit), "file", file);
      g_signal_connect_object (edit, "clicked", G_CALLBACK (on_edit_file), self, 0);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), edit);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                file_entry_row (self, file, _("Directory in the Container"), "target-dir",
                                                file->target_dir));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                file_entry_row (self, file, _("Name There (empty: the same)"), "target-name",
                                                file->target_name));
      /* The policies in their enum order: default, replace, backup. */
      for (guint p = PADDOCK_FILE_POLICY_DEFAULT; p <= PADDOCK_FILE_POLICY_BACKUP; p++)
        gtk_string_list_append (policies, paddock_file_policy_to_string (p));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (policy), _("When the File Exists"));
      adw_combo_row_set_model (ADW_COMBO_ROW (policy), G_LIST_MODEL (policies));
      adw_combo_row_set_selected (ADW_COMBO_ROW (policy), file->policy);
      g_object_set_data (G_OBJECT (policy), "file", file);
      g_signal_connect_object (policy, "notify::selected", G_CALLBACK (on_file_policy_changed), self, 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), policy);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                file_entry_row (self, file, _("Mode (octal, empty: 0644)"), "mode", mode));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (files->len == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _("This template places no files"));
}

static void
rebuild (PaddockTemplatePage *self)
{
  GtkWidget *group;

  for (guint i = 0; i < self->groups->len; i++)
    gtk_box_remove (self->content_box, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  if (self->template == NULL)
    return;

  self->building = TRUE;

  group = add_group (self, _("General"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (self, _("Name"), "name", paddock_template_get_name (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (self, _("Description"), "description",
                                        paddock_template_get_description (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (self, _("Tags (separated by ;)"), "tags", paddock_template_get_tags (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             entry_row (self, _("OS Template"), "os", paddock_template_get_os_template (self->template)));

  group = add_group (self, _("Resources"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, _("Cores"), NULL, "cores", 1, 512, paddock_template_get_cores (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, _("Memory"), _("MiB"), "memory", 16, 4 * 1024 * 1024,
                                       paddock_template_get_memory (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, _("Swap"), _("MiB"), "swap", 0, 4 * 1024 * 1024,
                                       paddock_template_get_swap (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             spin_row (self, _("Disk"), _("GB"), "disk", 1, 1024 * 1024,
                                       paddock_template_get_disk (self->template)));

  group = add_group (self, _("Features"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self, _("Unprivileged"), "unprivileged",
                                         paddock_template_get_unprivileged (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self, _("Nesting"), "nesting", paddock_template_get_nesting (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self, _("keyctl"), "keyctl", paddock_template_get_keyctl (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self, _("FUSE"), "fuse", paddock_template_get_fuse (self->template)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             switch_row (self, _("Start on Boot"), "onboot", paddock_template_get_onboot (self->template)));

  build_packages (self);
  build_scripts (self);
  build_files (self);

  self->building = FALSE;
}

/* Loading and saving */

static void
remember_saved (PaddockTemplatePage *self)
{
  g_free (self->saved_hash);
  self->saved_hash = paddock_template_dup_content_hash (self->template);
  g_free (self->saved_name);
  self->saved_name = g_strdup (paddock_template_get_name (self->template));
}

static void
on_buckets (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockTemplatePage) self = user_data;
  GPtrArray *buckets = paddock_store_list_buckets_finish (PADDOCK_STORE (object), result, NULL);

  if (buckets == NULL)
    return;
  g_clear_pointer (&self->buckets, g_ptr_array_unref);
  self->buckets = buckets;
  /* Only the packages group shows them, but a rebuild keeps what was typed elsewhere in the
   * template (it is the template that holds the values). */
  if (self->template != NULL)
    rebuild (self);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockTemplatePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockTemplate) template = paddock_store_get_template_finish (PADDOCK_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (template == NULL)
    {
      toast (self, error ? error->message : _("The template is gone"));
      g_signal_emit (self, signals[CLOSED], 0);
      return;
    }

  g_set_object (&self->template, template);
  remember_saved (self);
  rebuild (self);
  after_edit (self);
  paddock_store_list_buckets_async (self->store, self->cancellable, on_buckets, g_object_ref (self));
}

void
paddock_template_page_load (PaddockTemplatePage *self,
                            gint64               template_id)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->template);
  rebuild (self);
  paddock_store_get_template_async (self->store, template_id, self->cancellable, on_loaded, g_object_ref (self));
}

typedef struct
{
  PaddockTemplatePage *self;
  gboolean             then_close;
} Saving;

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saving *saving = user_data;
  g_autoptr(PaddockTemplatePage) self = saving->self;
  g_autoptr(GError) error = NULL;
  gint64 id = paddock_store_save_template_finish (PADDOCK_STORE (object), result, &error);
  gboolean then_close = saving->then_close;

  g_free (saving);
  if (id <= 0)
    {
      g_autofree char *text = g_strdup_printf (_("Could not save the template: %s"), error->message);

      toast (self, text);
      return;
    }

  paddock_template_set_id (self->template, id);
  remember_saved (self);
  after_edit (self);
  toast (self, _("Template saved"));
  g_signal_emit (self, signals[SAVED], 0);
  if (then_close)
    g_signal_emit (self, signals[CLOSED], 0);
}

static void
save (PaddockTemplatePage *self,
      gboolean             then_close)
{
  Saving *saving;

  if (self->template == NULL || self->problem != NULL)
    return;

  saving = g_new0 (Saving, 1);
  saving->self = g_object_ref (self);
  saving->then_close = then_close;
  paddock_store_save_template_async (self->store, self->template, self->cancellable, on_saved, saving);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (PADDOCK_TEMPLATE_PAGE (widget), FALSE);
}

/* Leaving */

static void
on_leave_answered (AdwMessageDialog    *dialog,
                   const char          *response,
                   PaddockTemplatePage *self)
{
  if (g_str_equal (response, "save"))
    save (self, TRUE);
  else if (g_str_equal (response, "discard"))
    {
      g_clear_object (&self->template);
      rebuild (self);
      g_signal_emit (self, signals[CLOSED], 0);
    }
}

void
paddock_template_page_close (PaddockTemplatePage *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  g_return_if_fail (PADDOCK_IS_TEMPLATE_PAGE (self));

  if (!paddock_template_page_get_modified (self))
    {
      g_signal_emit (self, signals[CLOSED], 0);
      return;
    }

  /* Translators: a template's name */
  heading = g_strdup_printf (_("Save Changes to %s?"), paddock_template_get_name (self->template));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                                       self->problem
                                                       ? _("The template has changes that cannot be saved as they are; "
                                                           "discarding them brings back what was saved.")
                                                       : _("The template has changes that are not saved yet.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "discard", _("_Discard"), NULL);
  if (self->problem == NULL)
    adw_message_dialog_add_response (dialog, "save", _("_Save"));
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  if (self->problem == NULL)
    adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_leave_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  paddock_template_page_close (PADDOCK_TEMPLATE_PAGE (widget));
}

static void
new_container_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PaddockTemplatePage *self = PADDOCK_TEMPLATE_PAGE (widget);

  if (self->template == NULL)
    return;
  if (paddock_template_page_get_modified (self))
    {
      toast (self, _("Save the template first: the new container gets what is saved"));
      return;
    }
  g_signal_emit (self, signals[NEW_CONTAINER], 0, paddock_template_get_id (self->template));
}

/* Duplicate, delete, export */

static void
on_duplicated (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PaddockTemplatePage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = paddock_store_save_template_finish (PADDOCK_STORE (object), result, &error);

  if (id <= 0)
    {
      toast (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0);
  paddock_template_page_load (self, id);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PaddockTemplatePage *self = PADDOCK_TEMPLATE_PAGE (widget);
  g_autoptr(PaddockTemplate) copy = NULL;
  g_autofree char *name = NULL;

  if (self->template == NULL)
    return;
  /* Translators: the name of a duplicated template */
  name = g_strdup_printf (_("%s (copy)"), paddock_template_get_name (self->template));
  copy = paddock_template_duplicate (self->template, name);
  paddock_store_save_template_async (self->store, copy, self->cancellable, on_duplicated, g_object_ref (self));
}

static void
on_deleted (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockTemplatePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_store_delete_template_finish (PADDOCK_STORE (object), result, &error))
    {
      toast (self, error->message);
      return;
    }
  g_clear_object (&self->template);
  rebuild (self);
  g_signal_emit (self, signals[SAVED], 0);
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
on_delete_answered (AdwMessageDialog    *dialog,
                    const char          *response,
                    PaddockTemplatePage *self)
{
  if (g_str_equal (response, "delete") && self->template != NULL)
    paddock_store_delete_template_async (self->store, paddock_template_get_id (self->template), self->cancellable,
                                         on_deleted, g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PaddockTemplatePage *self = PADDOCK_TEMPLATE_PAGE (widget);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (self->template == NULL)
    return;

  heading = g_strdup_printf (_("Delete %s?"), paddock_template_get_name (self->template));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                                       _("Containers made from it keep running as they are; only "
                                                         "the template goes.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PaddockTemplate *template = g_object_get_data (G_OBJECT (task), "template");
  GError *error = NULL;

  if (paddock_template_write_directory (template, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PaddockTemplatePage *self = PADDOCK_TEMPLATE_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = g_strdup_printf (_("Exported to %s"), (char *) g_task_get_task_data (G_TASK (result)));

      toast (self, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Could not export the template: %s"), error->message);

      toast (self, text);
    }
}

static void
on_export_folder (PaddockTemplatePage *self,
                  int                  response,
                  GtkNativeDialog     *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT && self->template != NULL)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GTask) task = g_task_new (self, NULL, on_exported, NULL);
      g_autoptr(PaddockTemplate) snapshot = paddock_template_duplicate (self->template,
                                                                        paddock_template_get_name (self->template));
      g_autofree char *parent = g_file_get_path (folder);
      const char *source = paddock_template_get_source_path (self->template);
      /* The folder it was imported from keeps its name; otherwise the template's name. */
      g_autofree char *base = source != NULL ? g_path_get_basename (source)
                                             : g_strdelimit (g_strdup (paddock_template_get_name (self->template)),
                                                             "/\\ ", '-');

      /* A copy travels to the worker thread: the page goes on editing its own. */
      g_object_set_data_full (G_OBJECT (task), "template", g_steal_pointer (&snapshot), g_object_unref);
      g_task_set_task_data (task, g_build_filename (parent, base, NULL), g_free);
      g_task_run_in_thread (task, export_thread);
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PaddockTemplatePage *self = PADDOCK_TEMPLATE_PAGE (widget);

  if (self->template == NULL || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export the Template into a Folder"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_export_folder), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* The object */

static void
paddock_template_page_dispose (GObject *object)
{
  PaddockTemplatePage *self = PADDOCK_TEMPLATE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  g_clear_object (&self->template);
  g_clear_object (&self->store);
  g_clear_pointer (&self->buckets, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_TEMPLATE_PAGE);

  G_OBJECT_CLASS (paddock_template_page_parent_class)->dispose (object);
}

static void
paddock_template_page_finalize (GObject *object)
{
  PaddockTemplatePage *self = PADDOCK_TEMPLATE_PAGE (object);

  g_free (self->saved_name);
  g_free (self->saved_hash);
  g_free (self->problem);
  g_ptr_array_unref (self->groups);
  g_hash_table_unref (self->expanded);

  G_OBJECT_CLASS (paddock_template_page_parent_class)->finalize (object);
}

static void
paddock_template_page_class_init (PaddockTemplatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_template_page_dispose;
  object_class->finalize = paddock_template_page_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
  signals[NEW_CONTAINER] = g_signal_new ("new-container", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-template-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatePage, window_title);
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatePage, save_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatePage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockTemplatePage, content_box);

  gtk_widget_class_install_action (widget_class, "template.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "template.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "template.new-container", NULL, new_container_action);
  gtk_widget_class_install_action (widget_class, "template.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "template.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "template.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "template.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "template.back", NULL);
}

static void
paddock_template_page_init (PaddockTemplatePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->groups = g_ptr_array_new ();
  self->expanded = g_hash_table_new (NULL, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "template.save", FALSE);
}

void
paddock_template_page_set_store (PaddockTemplatePage *self,
                                 PaddockStore        *store)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE_PAGE (self));

  g_set_object (&self->store, store);
}

PaddockTemplate *
paddock_template_page_get_template (PaddockTemplatePage *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE_PAGE (self), NULL);

  return self->template;
}

const char *
paddock_template_page_get_problem (PaddockTemplatePage *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE_PAGE (self), NULL);

  return self->problem;
}
