/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-templates.c: paddockctl template list|show|import|export */

#include "config.h"

#include "paddockctl-commands.h"

static GListModel *
load_templates (CtlContext  *ctl,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!ctl_open_store (ctl, error))
    return NULL;

  paddock_store_list_templates_async (ctl->store, NULL, CTL_ASYNC (result));
  return paddock_store_list_templates_finish (ctl->store, ctl_wait (&result), error);
}

static PaddockTemplate *
find_template (GListModel  *templates,
               const char  *name,
               GError     **error)
{
  for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);

      if (g_str_equal (paddock_template_get_name (template), name))
        return g_steal_pointer (&template);
    }

  g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
               "There is no template “%s” (see paddockctl template list)", name);
  return NULL;
}

static void
add_template_json (JsonBuilder     *builder,
                   PaddockTemplate *template,
                   gboolean         details)
{
  g_auto(GStrv) tags = paddock_template_dup_tag_list (template);
  g_autofree char *hash = paddock_template_dup_content_hash (template);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, paddock_template_get_name (template));
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, paddock_template_get_description (template));
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; tags[i]; i++)
    json_builder_add_string_value (builder, tags[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "os_template");
  json_builder_add_string_value (builder, paddock_template_get_os_template (template));
  json_builder_set_member_name (builder, "cores");
  json_builder_add_int_value (builder, paddock_template_get_cores (template));
  json_builder_set_member_name (builder, "memory_mb");
  json_builder_add_int_value (builder, paddock_template_get_memory (template));
  json_builder_set_member_name (builder, "disk_gb");
  json_builder_add_int_value (builder, paddock_template_get_disk (template));
  json_builder_set_member_name (builder, "unprivileged");
  json_builder_add_boolean_value (builder, paddock_template_get_unprivileged (template));
  json_builder_set_member_name (builder, "packages");
  json_builder_add_int_value (builder, paddock_template_get_packages (template)->len);
  json_builder_set_member_name (builder, "scripts");
  json_builder_add_int_value (builder, paddock_template_get_scripts (template)->len);
  json_builder_set_member_name (builder, "files");
  json_builder_add_int_value (builder, paddock_template_get_files (template)->len);
  json_builder_set_member_name (builder, "source");
  if (paddock_template_get_source_path (template))
    json_builder_add_string_value (builder, paddock_template_get_source_path (template));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "content_hash");
  json_builder_add_string_value (builder, hash);

  if (details)
    {
      GPtrArray *packages = paddock_template_get_packages (template);
      GPtrArray *scripts = paddock_template_get_scripts (template);
      GPtrArray *files = paddock_template_get_files (template);

      json_builder_set_member_name (builder, "features");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "nesting");
      json_builder_add_boolean_value (builder, paddock_template_get_nesting (template));
      json_builder_set_member_name (builder, "keyctl");
      json_builder_add_boolean_value (builder, paddock_template_get_keyctl (template));
      json_builder_set_member_name (builder, "fuse");
      json_builder_add_boolean_value (builder, paddock_template_get_fuse (template));
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "package_list");
      json_builder_begin_array (builder);
      for (guint i = 0; i < packages->len; i++)
        {
          g_autofree char *line = paddock_package_to_line (g_ptr_array_index (packages, i));
          g_autofree char *entry = g_strdup_printf ("%s %s",
                                                    paddock_package_manager_to_string (((PaddockPackage *) g_ptr_array_index (packages, i))->manager),
                                                    line);

          json_builder_add_string_value (builder, entry);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "script_list");
      json_builder_begin_array (builder);
      for (guint i = 0; i < scripts->len; i++)
        {
          g_autofree char *file_name = paddock_template_script_dup_file_name (g_ptr_array_index (scripts, i));

          json_builder_add_string_value (builder, file_name);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "file_list");
      json_builder_begin_array (builder);
      for (guint i = 0; i < files->len; i++)
        {
          g_autofree char *target = paddock_template_file_dup_target_path (g_ptr_array_index (files, i));

          json_builder_add_string_value (builder, target);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
}

static int
template_list (CtlContext *ctl,
               int         argc,
               char      **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: [{name, description, tags, os_template, cores, memory_mb, "
      "disk_gb, unprivileged, packages, scripts, files, source, content_hash}]", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- list the templates");
  g_autoptr(GListModel) templates = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (!(templates = load_templates (ctl, &error)))
    return ctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
        {
          g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);

          add_template_json (builder, template, FALSE);
        }
      json_builder_end_array (builder);
      ctl_print_json (builder);
      return CTL_EXIT_OK;
    }

  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

    g_ptr_array_add (rows, g_strsplit ("NAME|OS|RESOURCES|PACKAGES|SCRIPTS|FILES|TAGS", "|", -1));
    for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
      {
        g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);
        char **row = g_new0 (char *, 8);

        row[0] = g_strdup (paddock_template_get_name (template));
        row[1] = g_strdup (paddock_template_get_os_template (template));
        row[2] = g_strdup_printf ("%u cores, %u MB, %u GB", paddock_template_get_cores (template),
                                  paddock_template_get_memory (template), paddock_template_get_disk (template));
        row[3] = g_strdup_printf ("%u", paddock_template_get_packages (template)->len);
        row[4] = g_strdup_printf ("%u", paddock_template_get_scripts (template)->len);
        row[5] = g_strdup_printf ("%u", paddock_template_get_files (template)->len);
        row[6] = g_strdup (paddock_template_get_tags (template));
        g_ptr_array_add (rows, row);
      }
    if (g_list_model_get_n_items (templates) == 0)
      g_print ("No templates. Import infrahaus templates with: paddockctl template import DIR\n");
    else
      ctl_print_table (rows);
  }

  return CTL_EXIT_OK;
}

static int
template_show (CtlContext *ctl,
               int         argc,
               char      **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: the list fields plus features, package_list, "
      "script_list, file_list", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME - show a template");
  g_autoptr(GListModel) templates = NULL;
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *packages, *scripts, *files;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 2)
    return ctl_usage_error (context, "Name one template");
  if (!(templates = load_templates (ctl, &error)) || !(template = find_template (templates, argv[1], &error)))
    return ctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_template_json (builder, template, TRUE);
      ctl_print_json (builder);
      return CTL_EXIT_OK;
    }

  packages = paddock_template_get_packages (template);
  scripts = paddock_template_get_scripts (template);
  files = paddock_template_get_files (template);

  g_print ("%s\n", paddock_template_get_name (template));
  if (*paddock_template_get_description (template))
    g_print ("  %s\n", paddock_template_get_description (template));
  g_print ("  OS:         %s\n", paddock_template_get_os_template (template));
  g_print ("  resources:  %u cores, %u MB memory, %u GB disk\n", paddock_template_get_cores (template),
           paddock_template_get_memory (template), paddock_template_get_disk (template));
  g_print ("  features:   %s%s%s%s\n", paddock_template_get_unprivileged (template) ? "unprivileged" : "PRIVILEGED",
           paddock_template_get_nesting (template) ? ", nesting" : "", paddock_template_get_keyctl (template) ? ", keyctl" : "",
           paddock_template_get_fuse (template) ? ", fuse" : "");
  if (*paddock_template_get_tags (template))
    g_print ("  tags:       %s\n", paddock_template_get_tags (template));
  if (paddock_template_get_source_path (template))
    g_print ("  imported from %s\n", paddock_template_get_source_path (template));

  g_print ("\nPackages (%u)\n", packages->len);
  for (guint i = 0; i < packages->len; i++)
    {
      const PaddockPackage *package = g_ptr_array_index (packages, i);
      g_autofree char *line = paddock_package_to_line (package);

      g_print ("  %-6s %s\n", paddock_package_manager_to_string (package->manager), line);
    }
  g_print ("\nScripts (%u, in order)\n", scripts->len);
  for (guint i = 0; i < scripts->len; i++)
    {
      const PaddockTemplateScript *script = g_ptr_array_index (scripts, i);
      g_autofree char *file_name = paddock_template_script_dup_file_name (script);

      g_print ("  %-24s %s%s\n", file_name, script->enabled ? "" : "(disabled) ", script->description);
    }
  g_print ("\nFiles (%u)\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const PaddockTemplateFile *file = g_ptr_array_index (files, i);
      g_autofree char *target = paddock_template_file_dup_target_path (file);

      g_print ("  %-24s → %s (%s)\n", file->name, target, paddock_file_policy_to_string (file->policy));
    }

  return CTL_EXIT_OK;
}

static int
template_import (CtlContext *ctl,
                 int         argc,
                 char      **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: [{path, name, outcome, changes, warnings, errors}]", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DIR - import infrahaus template directories");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;
  gboolean failed = FALSE;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 2)
    return ctl_usage_error (context, "Give a template directory, or a directory of them");
  if (!ctl_open_store (ctl, &error))
    return ctl_fail (error);

  paddock_store_import_templates_async (ctl->store, argv[1], NULL, CTL_ASYNC (result));
  if (!(reports = paddock_store_import_templates_finish (ctl->store, ctl_wait (&result), &error)))
    return ctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < reports->len; i++)
        {
          const PaddockImportReport *report = g_ptr_array_index (reports, i);
          GStrv lists[] = { report->changes, report->warnings, report->errors };
          const char *names[] = { "changes", "warnings", "errors" };

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, report->path);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, report->name);
          json_builder_set_member_name (builder, "outcome");
          json_builder_add_string_value (builder, paddock_import_outcome_to_string (report->outcome));
          for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
            {
              json_builder_set_member_name (builder, names[l]);
              json_builder_begin_array (builder);
              for (guint j = 0; lists[l] && lists[l][j]; j++)
                json_builder_add_string_value (builder, lists[l][j]);
              json_builder_end_array (builder);
            }
          json_builder_end_object (builder);
          failed |= report->outcome == PADDOCK_IMPORT_FAILED;
        }
      json_builder_end_array (builder);
      ctl_print_json (builder);
      return failed ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
    }

  for (guint i = 0; i < reports->len; i++)
    {
      const PaddockImportReport *report = g_ptr_array_index (reports, i);
      g_autofree char *base = g_path_get_basename (report->path);

      g_print ("%-9s %s%s%s%s\n", paddock_import_outcome_to_string (report->outcome), base,
               report->name ? " (“" : "", report->name ? report->name : "", report->name ? "”)" : "");
      for (guint j = 0; report->changes && report->changes[j]; j++)
        g_print ("            %s\n", report->changes[j]);
      for (guint j = 0; report->errors && report->errors[j]; j++)
        g_print ("  error:    %s\n", report->errors[j]);
      for (guint j = 0; report->warnings && report->warnings[j]; j++)
        g_print ("  warning:  %s\n", report->warnings[j]);
      failed |= report->outcome == PADDOCK_IMPORT_FAILED;
    }

  return failed ? CTL_EXIT_FAILURE : CTL_EXIT_OK;
}

static int
template_export (CtlContext *ctl,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME DIR - write a template as an infrahaus directory");
  g_autoptr(GListModel) templates = NULL;
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 3)
    return ctl_usage_error (context, "Name the template and a new directory");
  if (!(templates = load_templates (ctl, &error)) || !(template = find_template (templates, argv[1], &error)))
    return ctl_fail (error);

  if (!paddock_template_write_directory (template, argv[2], &error))
    return ctl_fail (error);

  g_print ("Exported “%s” to %s\n", argv[1], argv[2]);
  return CTL_EXIT_OK;
}

int
ctl_command_template (CtlContext *ctl,
                      int         argc,
                      char      **argv)
{
  static const struct { const char *name; CtlCommandFunc func; const char *summary; } subcommands[] = {
    { "list", template_list, "List the templates" },
    { "show", template_show, "Show a template with its packages, scripts and files" },
    { "import", template_import, "Import infrahaus template directories (again: updates)" },
    { "export", template_export, "Write a template as an infrahaus directory" },
  };

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        return subcommands[i].func (ctl, argc - 1, argv + 1);

  g_printerr ("Usage: paddockctl template SUBCOMMAND\n\n");
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    g_printerr ("  %-8s %s\n", subcommands[i].name, subcommands[i].summary);

  return argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "help")) ? CTL_EXIT_OK : CTL_EXIT_USAGE;
}
