/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-create-wizard.c: New Container: template, configure, packages, scripts, review, create */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "paddock-create-wizard-private.h"
#include "paddock-row-reorder.h"

G_DEFINE_FINAL_TYPE (PaddockCreateWizard, paddock_create_wizard, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *step_names[] = { "template", "configure", "packages", "scripts", "review" };

G_STATIC_ASSERT (G_N_ELEMENTS (step_names) == N_STEPS);

void
_paddock_create_wizard_toast (PaddockCreateWizard *self,
                              const char          *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ------------------------------------------------------------------------------------------- */
/* The plan as it stands                                                                       */

/* Extra packages typed on the Packages step, as the manager's package file would have them. */
static gboolean
add_extra_packages (PaddockCreateWizard  *self,
                    PaddockJobPlan       *plan,
                    GError              **error)
{
  static const PaddockPackageManager managers[] = {
    PADDOCK_PACKAGE_APT, PADDOCK_PACKAGE_APK, PADDOCK_PACKAGE_DNF, PADDOCK_PACKAGE_PIP, PADDOCK_PACKAGE_NPM,
  };
  guint position = adw_combo_row_get_selected (self->extra_manager_row);
  PaddockPackageManager manager = managers[MIN (position, G_N_ELEMENTS (managers) - 1)];
  g_auto(GStrv) words = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->extra_packages_row)), " \t,", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(PaddockPackage) package = NULL;

      if (*words[i] == '\0')
        continue;
      package = paddock_package_new (manager, words[i], NULL);
      if (!paddock_package_validate (package, error))
        return FALSE;
      g_ptr_array_add (plan->packages, g_steal_pointer (&package));
    }

  return TRUE;
}

static PaddockJobPlan *
build_plan (PaddockCreateWizard  *self,
            GError              **error)
{
  g_autoptr(PaddockJobPlan) plan = paddock_job_plan_copy (self->plan);

  _paddock_create_wizard_configure_apply (self, plan);

  /* Packages left out on the Packages step (the copy's are in the same order). */
  for (guint i = self->plan->packages->len; i > 0; i--)
    if (g_hash_table_contains (self->excluded, self->plan->packages->pdata[i - 1]))
      g_ptr_array_remove_index (plan->packages, i - 1);
  if (!add_extra_packages (self, plan, error))
    return NULL;

  return g_steal_pointer (&plan);
}

/* NULL while the chosen template is still being read. */
PaddockJobPlan *
paddock_create_wizard_dup_plan (PaddockCreateWizard *self)
{
  g_return_val_if_fail (PADDOCK_IS_CREATE_WIZARD (self), NULL);

  return self->plan != NULL ? build_plan (self, NULL) : NULL;
}

/* ------------------------------------------------------------------------------------------- */
/* Step 1: the template                                                                        */

static void
use_template (PaddockCreateWizard *self,
              PaddockTemplate     *template)
{
  g_set_object (&self->template, template);
  g_clear_pointer (&self->plan, paddock_job_plan_free);
  self->plan = template ? paddock_job_plan_new_from_template (template) : paddock_job_plan_new ();
  g_hash_table_remove_all (self->excluded);
  self->plan_changed = TRUE;

  /* A template's own hostname suggestion: its name, as a hostname can have it. */
  if (template != NULL)
    {
      g_autoptr(GString) name = g_string_new (NULL);

      for (const char *p = paddock_template_get_name (template); *p && name->len < 40; p++)
        {
          if (g_ascii_isalnum (*p))
            g_string_append_c (name, g_ascii_tolower (*p));
          else if (name->len > 0 && name->str[name->len - 1] != '-')
            g_string_append_c (name, '-');
        }
      while (name->len > 0 && name->str[name->len - 1] == '-')
        g_string_truncate (name, name->len - 1);
      if (name->len > 0)
        self->plan->hostname = g_strdup (name->str);
    }
}

static gboolean
filter_template_row (GtkListBoxRow *row,
                     gpointer       user_data)
{
  PaddockCreateWizard *self = user_data;
  PaddockTemplate *template = g_object_get_data (G_OBJECT (row), "template");
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->template_search));

  if (template == NULL || search == NULL || *search == '\0')
    return TRUE;

  return paddock_template_matches (template, search, NULL);
}

static void
on_template_toggled (GtkCheckButton      *check,
                     PaddockCreateWizard *self)
{
  if (!gtk_check_button_get_active (check))
    return;

  use_template (self, g_object_get_data (G_OBJECT (check), "template"));
  _paddock_create_wizard_update (self);
}

static GtkWidget *
add_template_row (PaddockCreateWizard *self,
                  PaddockTemplate     *template,
                  GtkCheckButton      *group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (template == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Start from Scratch"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("An empty container: no packages, scripts or files"));
      gtk_widget_set_name (row, "scratch");
    }
  else
    {
      const char *tags = paddock_template_get_tags (template);
      const char *description = paddock_template_get_description (template);
      guint packages = paddock_template_get_packages (template)->len;
      guint scripts = paddock_template_get_scripts (template)->len;
      guint files = paddock_template_get_files (template)->len;
      guint cores = paddock_template_get_cores (template);
      g_autofree char *package_count = g_strdup_printf (ngettext ("%u package", "%u packages", packages), packages);
      g_autofree char *script_count = g_strdup_printf (ngettext ("%u script", "%u scripts", scripts), scripts);
      g_autofree char *file_count = g_strdup_printf (ngettext ("%u file", "%u files", files), files);
      g_autofree char *counts = NULL;
      g_autofree char *resources = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), paddock_template_get_name (template));
      /* Translators: what a template holds, "3 packages, 2 scripts, 1 file" */
      counts = g_strdup_printf (_("%s, %s, %s"), package_count, script_count, file_count);
      /* Translators: a template's resources, "2 cores, 1024 MB, 8 GB" */
      resources = g_strdup_printf (ngettext ("%u core, %u MB, %u GB", "%u cores, %u MB, %u GB", cores), cores,
                                   paddock_template_get_memory (template), paddock_template_get_disk (template));
      subtitle = g_strdup_printf ("%s%s%s · %s%s%s", description && *description ? description : "",
                                  description && *description ? "\n" : "", counts, resources,
                                  tags && *tags ? " · " : "", tags && *tags ? tags : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_set_name (row, paddock_template_get_name (template));
      g_object_set_data_full (G_OBJECT (row), "template", g_object_ref (template), g_object_unref);
      g_object_set_data_full (G_OBJECT (check), "template", g_object_ref (template), g_object_unref);
    }

  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_template_toggled), self, 0);
  gtk_list_box_append (self->template_list, row);
  g_object_set_data (G_OBJECT (row), "check", check);

  return check;
}

static void
on_templates_listed (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkCheckButton *scratch;
  GtkCheckButton *initial = NULL;

  self->templates = paddock_store_list_templates_finish (PADDOCK_STORE (object), result, &error);
  if (self->templates == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _paddock_create_wizard_toast (self, error->message);
      return;
    }

  scratch = GTK_CHECK_BUTTON (add_template_row (self, NULL, NULL));
  for (guint i = 0; i < g_list_model_get_n_items (self->templates); i++)
    {
      g_autoptr(PaddockTemplate) template = g_list_model_get_item (self->templates, i);
      GtkWidget *check = add_template_row (self, template, scratch);

      if (paddock_template_get_id (template) == self->initial_template_id)
        initial = GTK_CHECK_BUTTON (check);
    }

  gtk_check_button_set_active (initial ? initial : scratch, TRUE);
  /* Opened from a template's page: that choice is made, the next step shows. */
  if (initial != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

/* ------------------------------------------------------------------------------------------- */
/* Step 3: packages                                                                            */

static void
on_package_toggled (GtkSwitch           *toggle,
                    GParamSpec          *pspec,
                    PaddockCreateWizard *self)
{
  PaddockPackage *package = g_object_get_data (G_OBJECT (toggle), "package");

  if (gtk_switch_get_active (toggle))
    g_hash_table_remove (self->excluded, package);
  else
    g_hash_table_add (self->excluded, package);
}

static void
on_group_toggled (AdwExpanderRow      *group,
                  GParamSpec          *pspec,
                  PaddockCreateWizard *self)
{
  GPtrArray *switches = g_object_get_data (G_OBJECT (group), "switches");
  gboolean enabled = adw_expander_row_get_enable_expansion (group);

  for (guint i = 0; i < switches->len; i++)
    gtk_switch_set_active (switches->pdata[i], enabled);
}

static void
build_packages_step (PaddockCreateWizard *self)
{
  static const PaddockPackageManager order[] = {
    PADDOCK_PACKAGE_APT, PADDOCK_PACKAGE_APK, PADDOCK_PACKAGE_DNF,
    PADDOCK_PACKAGE_PIP, PADDOCK_PACKAGE_NPM, PADDOCK_PACKAGE_CUSTOM,
  };
  GPtrArray *old_rows = g_object_get_data (G_OBJECT (self->packages_group), "rows");

  for (guint i = 0; old_rows != NULL && i < old_rows->len; i++)
    adw_preferences_group_remove (self->packages_group, old_rows->pdata[i]);
  old_rows = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (self->packages_group), "rows", old_rows, (GDestroyNotify) g_ptr_array_unref);

  for (guint m = 0; m < G_N_ELEMENTS (order); m++)
    {
      GtkWidget *group = NULL;
      GPtrArray *switches = NULL;
      guint count = 0;

      for (guint i = 0; i < self->plan->packages->len; i++)
        {
          PaddockPackage *package = self->plan->packages->pdata[i];
          g_autofree char *title = NULL;
          GtkWidget *row, *toggle;

          if (package->manager != order[m])
            continue;
          if (group == NULL)
            {
              group = adw_expander_row_new ();
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (group), paddock_package_manager_to_string (order[m]));
              adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (group), TRUE);
              adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (group), TRUE);
              switches = g_ptr_array_new ();
              g_object_set_data_full (G_OBJECT (group), "switches", switches, (GDestroyNotify) g_ptr_array_unref);
              gtk_widget_set_name (group, paddock_package_manager_to_string (order[m]));
            }

          title = package->version ? g_strdup_printf ("%s %s", package->name, package->version) : g_strdup (package->name);
          row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          if (package->manager == PADDOCK_PACKAGE_CUSTOM)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), package->install_command);
          toggle = gtk_switch_new ();
          gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
          gtk_switch_set_active (GTK_SWITCH (toggle), !g_hash_table_contains (self->excluded, package));
          gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
          g_object_set_data (G_OBJECT (toggle), "package", package);
          g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_package_toggled), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (group), row);
          g_ptr_array_add (switches, toggle);
          count++;
        }

      if (group != NULL)
        {
          g_autofree char *subtitle = g_strdup_printf (ngettext ("%u package", "%u packages", count), count);

          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (group), subtitle);
          g_signal_connect_object (group, "notify::enable-expansion", G_CALLBACK (on_group_toggled), self, 0);
          adw_preferences_group_add (self->packages_group, group);
          g_ptr_array_add (old_rows, group);
        }
    }

  adw_preferences_group_set_description (self->packages_group, self->plan->packages->len
                                         ? _("Only what is missing is installed; each manager's packages can be left out.")
                                         : _("The template has none; more can be added below."));
}

/* ------------------------------------------------------------------------------------------- */
/* Step 4: scripts, in the order they run                                                      */

static void build_scripts_step (PaddockCreateWizard *self);

static void
move_script (PaddockCreateWizard *self,
             guint                index,
             int                  delta)
{
  GPtrArray *scripts = self->plan->scripts;
  guint to = (guint) ((int) index + delta);
  gpointer script;

  if (index >= scripts->len || to >= scripts->len)
    return;

  script = g_ptr_array_steal_index (scripts, index);
  g_ptr_array_insert (scripts, to, script);
  /* The order shown is the order run: numbers follow. */
  for (guint i = 0; i < scripts->len; i++)
    ((PaddockTemplateScript *) scripts->pdata[i])->order = (i + 1) * 10;
  build_scripts_step (self);

  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->scripts_list, to);
    GtkWidget *button = row ? g_object_get_data (G_OBJECT (row), delta < 0 ? "up" : "down") : NULL;

    if (button != NULL && gtk_widget_get_sensitive (button))
      gtk_widget_grab_focus (button);
    else if (row != NULL)
      gtk_widget_grab_focus (GTK_WIDGET (row));
  }
}

static void
on_move_clicked (GtkButton           *button,
                 PaddockCreateWizard *self)
{
  move_script (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")),
               GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "delta")));
}

static gboolean
on_script_key (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               PaddockCreateWizard   *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  guint index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  if (!(state & GDK_ALT_MASK) || (keyval != GDK_KEY_Up && keyval != GDK_KEY_Down))
    return FALSE;

  move_script (self, index, keyval == GDK_KEY_Up ? -1 : 1);
  return TRUE;
}

/* Dragging a row onto another puts its script there. */
static void
on_script_dropped (GObject *owner,
                   guint    from,
                   guint    to)
{
  PaddockCreateWizard *self = PADDOCK_CREATE_WIZARD (owner);

  if (from < self->plan->scripts->len)
    move_script (self, from, (int) to - (int) from);
}

static void
on_script_toggled (GtkSwitch  *toggle,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  PaddockTemplateScript *script = g_object_get_data (G_OBJECT (toggle), "script");

  script->enabled = gtk_switch_get_active (toggle);
}

static GtkWidget *
move_button (PaddockCreateWizard *self,
             const char          *icon,
             const char          *label,
             guint                index,
             int                  delta,
             gboolean             sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_sensitive (button, sensitive);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (button), "delta", GINT_TO_POINTER (delta));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_move_clicked), self, 0);

  return button;
}

static void
build_scripts_step (PaddockCreateWizard *self)
{
  GtkWidget *child;
  GPtrArray *scripts = self->plan->scripts;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->scripts_list))) != NULL)
    gtk_list_box_remove (self->scripts_list, child);

  if (scripts->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No scripts: the container is ready once its packages and files are"));
      gtk_list_box_append (self->scripts_list, row);
      return;
    }

  for (guint i = 0; i < scripts->len; i++)
    {
      PaddockTemplateScript *script = scripts->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      GtkWidget *up = move_button (self, "go-up-symbolic", _("Run Earlier"), i, -1, i > 0);
      GtkWidget *down = move_button (self, "go-down-symbolic", _("Run Later"), i, 1, i + 1 < scripts->len);
      GtkEventController *keys = gtk_event_controller_key_new ();
      g_autofree char *title = g_strdup_printf ("%u. %s", i + 1, script->name);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (script->description != NULL && *script->description != '\0')
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), script->description);
      gtk_widget_set_name (row, script->name);
      gtk_switch_set_active (GTK_SWITCH (toggle), script->enabled);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, script->name, -1);
      g_object_set_data (G_OBJECT (toggle), "script", script);
      g_signal_connect (toggle, "notify::active", G_CALLBACK (on_script_toggled), NULL);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), up);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), down);
      g_object_set_data (G_OBJECT (row), "up", up);
      g_object_set_data (G_OBJECT (row), "down", down);
      g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_script_key), self, 0);
      gtk_widget_add_controller (row, keys);
      paddock_row_reorder_attach (row, G_OBJECT (self), on_script_dropped);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, TRUE);
      gtk_list_box_append (self->scripts_list, row);
    }
}

/* ------------------------------------------------------------------------------------------- */
/* Step 5: review                                                                              */

static void
add_review_row (PaddockCreateWizard *self,
                GPtrArray           *rows,
                const char          *title,
                const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value && *value ? value : "—");
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (self->review_group, row);
  g_ptr_array_add (rows, row);
}

static void
build_review_step (PaddockCreateWizard *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockJobPlan) plan = build_plan (self, &error);
  GPtrArray *rows = g_object_get_data (G_OBJECT (self->review_group), "rows");
  g_autoptr(GString) scripts = g_string_new (NULL);
  g_autoptr(GString) packages = g_string_new (NULL);
  g_autofree char *resources = NULL;
  g_autofree char *network = NULL;
  g_autofree char *options = NULL;
  g_autofree char *where = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *files = NULL;

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    adw_preferences_group_remove (self->review_group, rows->pdata[i]);
  rows = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (self->review_group), "rows", rows, (GDestroyNotify) g_ptr_array_unref);
  if (plan == NULL)
    {
      gtk_label_set_text (self->params_label, error->message);
      return;
    }

  where = g_strdup_printf (_("%s on %s"), paddock_connection_get_name (paddock_workspace_get_connection (
                             self->workspace, paddock_workspace_find_cluster (self->workspace, plan->connection_id))),
                           plan->node);
  identity = g_strdup_printf (_("%s, CT %u"), plan->hostname, plan->vmid);
  resources = g_strdup_printf (ngettext ("%u core, %u MB memory, %u MB swap, %u GB disk on %s",
                                         "%u cores, %u MB memory, %u MB swap, %u GB disk on %s", plan->cores),
                               plan->cores, plan->memory, plan->swap, plan->disk, plan->storage);
  network = paddock_job_plan_dup_net0 (plan);
  options = g_strdup_printf ("%s%s%s%s%s", plan->unprivileged ? _("unprivileged") : _("privileged"),
                             plan->nesting ? _(", nesting") : "", plan->keyctl ? _(", keyctl") : "",
                             plan->fuse ? _(", FUSE") : "", plan->onboot ? _(", starts at boot") : "");
  for (guint i = 0; i < plan->packages->len; i++)
    {
      PaddockPackage *package = plan->packages->pdata[i];

      g_string_append_printf (packages, "%s%s: %s", packages->len ? ", " : "",
                              paddock_package_manager_to_string (package->manager), package->name);
    }
  for (guint i = 0, n = 0; i < plan->scripts->len; i++)
    {
      PaddockTemplateScript *script = plan->scripts->pdata[i];

      if (script->enabled)
        g_string_append_printf (scripts, "%s%u. %s", scripts->len ? ", " : "", ++n, script->name);
    }
  files = g_strdup_printf (ngettext ("%u file", "%u files", plan->files->len), plan->files->len);

  add_review_row (self, rows, _("Template"), plan->template_name ? plan->template_name : _("None (from scratch)"));
  add_review_row (self, rows, _("Where"), where);
  add_review_row (self, rows, _("OS Template"), plan->os_template);
  add_review_row (self, rows, _("Hostname and VMID"), identity);
  add_review_row (self, rows, _("Resources"), resources);
  add_review_row (self, rows, _("Network"), network);
  add_review_row (self, rows, _("Options"), options);
  add_review_row (self, rows, _("Packages"), packages->str);
  add_review_row (self, rows, _("Scripts"), scripts->str);
  add_review_row (self, rows, _("Files"), files);

  {
    g_autoptr(PaddockPveParams) params = paddock_job_plan_to_create_params (plan, NULL, NULL);
    g_autofree char *display = paddock_pve_params_to_display (params);
    g_autofree char *title = g_strdup_printf ("POST /nodes/%s/lxc\n%s", plan->node, display);

    gtk_label_set_text (self->params_label, title);
  }
}

/* ------------------------------------------------------------------------------------------- */
/* Navigation                                                                                  */

static char *
step_problem (PaddockCreateWizard *self)
{
  switch (self->step)
    {
    case STEP_TEMPLATE:
      return self->plan == NULL ? g_strdup (_("Loading the templates…")) : NULL;
    case STEP_CONFIGURE:
      return _paddock_create_wizard_configure_check (self);
    case STEP_PACKAGES:
      {
        g_autoptr(PaddockJobPlan) plan = paddock_job_plan_new ();
        g_autoptr(GError) error = NULL;

        if (!add_extra_packages (self, plan, &error))
          return g_strdup (error->message);
        return NULL;
      }
    case STEP_SCRIPTS:
      return NULL;
    case STEP_REVIEW:
    default:
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PaddockJobPlan) plan = build_plan (self, &error);

        if (plan == NULL || !paddock_job_plan_validate (plan, &error))
          return g_strdup (error->message);
        if (self->creating)
          return g_strdup (_("Creating…"));
        return _paddock_create_wizard_configure_check (self);
      }
    }
}

void
_paddock_create_wizard_update (PaddockCreateWizard *self)
{
  g_autofree char *subtitle = NULL;
  const char *title = gtk_stack_page_get_title (gtk_stack_get_page (self->pages,
                                                                    gtk_stack_get_visible_child (self->pages)));

  g_free (self->problem);
  self->problem = step_problem (self);

  /* Translators: the wizard's subtitle, "Step 2 of 5 · Configure" */
  subtitle = g_strdup_printf (_("Step %u of %u · %s"), self->step + 1, N_STEPS, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->step > STEP_TEMPLATE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->step == STEP_TEMPLATE);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), self->step < STEP_REVIEW);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), self->step == STEP_REVIEW);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", self->problem == NULL && self->step < STEP_REVIEW);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.create", self->problem == NULL && self->step == STEP_REVIEW);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", self->step > STEP_TEMPLATE && !self->creating);

  /* Next says why it is refused. */
  gtk_label_set_text (self->problem_label, self->problem ? self->problem : "");
  gtk_revealer_set_reveal_child (self->problem_revealer, self->problem != NULL && self->step != STEP_TEMPLATE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_button), self->problem);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->create_button), self->problem);
}

static void
show_step (PaddockCreateWizard *self,
           WizardStep           step)
{
  WizardStep before = self->step;

  self->step = step;
  /* The later steps are filled from the template once; Back and Next keep what was changed. */
  if (step == STEP_CONFIGURE && before == STEP_TEMPLATE && self->plan_changed)
    {
      self->plan_changed = FALSE;
      _paddock_create_wizard_configure_prefill (self);
      build_packages_step (self);
      build_scripts_step (self);
    }
  else if (step == STEP_REVIEW)
    build_review_step (self);

  gtk_stack_set_visible_child_name (self->pages, step_names[step]);
  _paddock_create_wizard_update (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PaddockCreateWizard *self = PADDOCK_CREATE_WIZARD (widget);

  if (self->problem == NULL && self->step < STEP_REVIEW)
    show_step (self, self->step + 1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PaddockCreateWizard *self = PADDOCK_CREATE_WIZARD (widget);

  /* Back keeps every value: the pages are only shown again. */
  if (self->step > STEP_TEMPLATE)
    {
      self->step--;
      gtk_stack_set_visible_child_name (self->pages, step_names[self->step]);
      _paddock_create_wizard_update (self);
    }
}

/* ------------------------------------------------------------------------------------------- */
/* Create, and Save as Template                                                                */

static void
on_created (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockJob) job = paddock_provisioner_create_finish (PADDOCK_PROVISIONER (object), result, &error);

  self->creating = FALSE;
  if (job == NULL)
    {
      _paddock_create_wizard_toast (self, error->message);
      _paddock_create_wizard_update (self);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, job);
  gtk_window_close (GTK_WINDOW (self));
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PaddockCreateWizard *self = PADDOCK_CREATE_WIZARD (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockJobPlan) plan = NULL;

  if (self->problem != NULL || self->creating || !(plan = build_plan (self, &error)))
    return;

  self->creating = TRUE;
  _paddock_create_wizard_update (self);
  paddock_provisioner_create_async (self->provisioner, plan, self->cancellable, on_created, g_object_ref (self));
}

static void
on_template_saved (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (paddock_store_save_template_finish (PADDOCK_STORE (object), result, &error) <= 0)
    _paddock_create_wizard_toast (self, error->message);
  else
    _paddock_create_wizard_toast (self, _("Saved as a template"));
}

static void
on_template_name (AdwMessageDialog    *dialog,
                  const char          *response,
                  PaddockCreateWizard *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save"))
    return;
  if (!(plan = build_plan (self, &error)))
    {
      _paddock_create_wizard_toast (self, error->message);
      return;
    }

  template = paddock_template_new (gtk_editable_get_text (entry));
  paddock_template_set_description (template, _("Saved from New Container"));
  paddock_template_set_tags (template, plan->tags ? plan->tags : "");
  paddock_template_set_os_template (template, plan->os_template);
  paddock_template_set_cores (template, plan->cores);
  paddock_template_set_memory (template, plan->memory);
  paddock_template_set_swap (template, plan->swap);
  paddock_template_set_disk (template, plan->disk);
  paddock_template_set_storage (template, plan->storage);
  paddock_template_set_bridge (template, plan->bridge);
  paddock_template_set_unprivileged (template, plan->unprivileged);
  paddock_template_set_nesting (template, plan->nesting);
  paddock_template_set_keyctl (template, plan->keyctl);
  paddock_template_set_fuse (template, plan->fuse);
  paddock_template_set_onboot (template, plan->onboot);
  for (guint i = 0; i < plan->packages->len; i++)
    paddock_template_add_package (template, plan->packages->pdata[i]);
  for (guint i = 0; i < plan->scripts->len; i++)
    paddock_template_add_script (template, plan->scripts->pdata[i]);
  for (guint i = 0; i < plan->files->len; i++)
    paddock_template_add_file (template, plan->files->pdata[i]);

  if (!paddock_template_check (template, &error))
    {
      _paddock_create_wizard_toast (self, error->message);
      return;
    }
  paddock_store_save_template_async (paddock_workspace_get_store (self->workspace), template, self->cancellable,
                                     on_template_saved, g_object_ref (self));
}

static void
save_template_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PaddockCreateWizard *self = PADDOCK_CREATE_WIZARD (widget);
  GtkWidget *dialog, *entry;
  g_autofree char *suggestion = g_strdup_printf (_("%s (copy)"), self->template ? paddock_template_get_name (self->template)
                                                                               : _("New template"));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save as Template"),
                                   _("Everything chosen here, kept as a template to start from next time."));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Template name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_template_name), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------------------------------- */

static void
paddock_create_wizard_dispose (GObject *object)
{
  PaddockCreateWizard *self = PADDOCK_CREATE_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  _paddock_create_wizard_configure_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_CREATE_WIZARD);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->templates);
  g_clear_object (&self->template);
  g_clear_object (&self->provisioner);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->plan, paddock_job_plan_free);
  g_clear_pointer (&self->excluded, g_hash_table_unref);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (paddock_create_wizard_parent_class)->dispose (object);
}

static void
paddock_create_wizard_class_init (PaddockCreateWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_create_wizard_dispose;

  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, PADDOCK_TYPE_JOB);

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-create-wizard.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PaddockCreateWizard, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (back_button);
  BIND (cancel_button);
  BIND (next_button);
  BIND (create_button);
  BIND (pages);
  BIND (template_search);
  BIND (template_list);
  BIND (configure_page);
  BIND (connection_row);
  BIND (node_row);
  BIND (os_row);
  BIND (download_row);
  BIND (download_progress);
  BIND (download_button);
  BIND (hostname_row);
  BIND (vmid_row);
  BIND (ssh_key_row);
  BIND (cores_spin);
  BIND (memory_spin);
  BIND (swap_spin);
  BIND (disk_spin);
  BIND (storage_row);
  BIND (bridge_row);
  BIND (ipv4_mode_row);
  BIND (ipv4_row);
  BIND (gateway_row);
  BIND (ipv6_mode_row);
  BIND (ipv6_row);
  BIND (gateway6_row);
  BIND (nameserver_row);
  BIND (searchdomain_row);
  BIND (unprivileged_switch);
  BIND (nesting_switch);
  BIND (keyctl_switch);
  BIND (fuse_switch);
  BIND (onboot_switch);
  BIND (tags_row);
  BIND (packages_group);
  BIND (extra_manager_row);
  BIND (extra_packages_row);
  BIND (scripts_list);
  BIND (review_group);
  BIND (params_label);
  BIND (problem_revealer);
  BIND (problem_label);
#undef BIND

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "wizard.save-template", NULL, save_template_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "wizard.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "wizard.back", NULL);
  _paddock_create_wizard_configure_class_init (widget_class);
}

static void
paddock_create_wizard_init (PaddockCreateWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->excluded = g_hash_table_new (NULL, NULL);
  gtk_list_box_set_filter_func (self->template_list, filter_template_row, self, NULL);
  g_signal_connect_object (self->template_search, "search-changed", G_CALLBACK (gtk_list_box_invalidate_filter),
                           self->template_list, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->extra_packages_row, "changed", G_CALLBACK (_paddock_create_wizard_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->extra_manager_row, "notify::selected", G_CALLBACK (_paddock_create_wizard_update),
                           self, G_CONNECT_SWAPPED);
  _paddock_create_wizard_configure_init (self);
  _paddock_create_wizard_update (self);
}

PaddockCreateWizard *
paddock_create_wizard_new (GtkWindow          *parent,
                           PaddockProvisioner *provisioner,
                           gint64              template_id)
{
  PaddockCreateWizard *self;

  g_return_val_if_fail (PADDOCK_IS_PROVISIONER (provisioner), NULL);

  self = g_object_new (PADDOCK_TYPE_CREATE_WIZARD, "transient-for", parent, NULL);
  self->provisioner = g_object_ref (provisioner);
  self->workspace = g_object_ref (paddock_provisioner_get_workspace (provisioner));
  self->initial_template_id = template_id;

  paddock_store_list_templates_async (paddock_workspace_get_store (self->workspace), self->cancellable,
                                      on_templates_listed, g_object_ref (self));
  return self;
}

guint
paddock_create_wizard_get_step (PaddockCreateWizard *self)
{
  g_return_val_if_fail (PADDOCK_IS_CREATE_WIZARD (self), 0);

  return self->step;
}

const char *
paddock_create_wizard_get_problem (PaddockCreateWizard *self)
{
  g_return_val_if_fail (PADDOCK_IS_CREATE_WIZARD (self), NULL);

  return self->problem;
}
