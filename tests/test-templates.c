/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-templates.c: templates and buckets: parsing, validation, import, export, the store */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "paddock-core.h"
#include "paddock-template-parse-private.h"
#include "paddock-test-util.h"

#define FIXTURES TEST_DATA_DIR "/templates"

/* Helpers */

static PaddockStore *
open_store (void)
{
  g_autofree char *dir = paddock_test_make_dir ("templates");
  g_autofree char *path = g_build_filename (dir, "paddock.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PaddockStore *store;

  paddock_store_open_async (path, NULL, PADDOCK_TEST_ASYNC (result));
  store = paddock_store_open_finish (paddock_test_wait (&result), &error);
  g_assert_no_error (error);

  return store;
}

static GPtrArray *
import (PaddockStore *store,
        const char   *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *reports;

  paddock_store_import_templates_async (store, path, NULL, PADDOCK_TEST_ASYNC (result));
  reports = paddock_store_import_templates_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (reports);

  return reports;
}

static const PaddockImportReport *
find_report (GPtrArray  *reports,
             const char *dir_name)
{
  for (guint i = 0; i < reports->len; i++)
    {
      const PaddockImportReport *report = g_ptr_array_index (reports, i);
      g_autofree char *base = g_path_get_basename (report->path);

      if (g_str_equal (base, dir_name))
        return report;
    }

  g_error ("no report for %s", dir_name);
  return NULL;
}

static GListModel *
list_templates (PaddockStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *templates;

  paddock_store_list_templates_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  templates = paddock_store_list_templates_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);

  return templates;
}

static PaddockTemplate *
find_template (GListModel *templates,
               const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);

      if (g_str_equal (paddock_template_get_name (template), name))
        return template;
    }

  return NULL;
}

static gint64
save_template (PaddockStore     *store,
               PaddockTemplate  *template,
               GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_store_save_template_async (store, template, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_store_save_template_finish (store, paddock_test_wait (&result), error);
}

static GPtrArray *
list_buckets (PaddockStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *buckets;

  paddock_store_list_buckets_async (store, NULL, PADDOCK_TEST_ASYNC (result));
  buckets = paddock_store_list_buckets_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);

  return buckets;
}

static const PaddockBucket *
find_bucket (GPtrArray  *buckets,
             const char *name)
{
  for (guint i = 0; i < buckets->len; i++)
    if (g_str_equal (((PaddockBucket *) g_ptr_array_index (buckets, i))->name, name))
      return g_ptr_array_index (buckets, i);

  return NULL;
}

static gboolean
strv_has_substring (GStrv       strv,
                    const char *needle)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (strstr (strv[i], needle) != NULL)
      return TRUE;

  return FALSE;
}

static gboolean
array_has_substring (GPtrArray  *array,
                     const char *needle)
{
  for (guint i = 0; i < array->len; i++)
    if (strstr (g_ptr_array_index (array, i), needle) != NULL)
      return TRUE;

  return FALSE;
}

static void
copy_tree (const char *from,
           const char *to)
{
  g_autofree char *command = g_strdup_printf ("cp -a %s/. %s", from, to);
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
}

static GHashTable *
conf_parse (const char  *text,
            GPtrArray   *warnings,
            GError     **error)
{
  return _paddock_conf_parse (text, strlen (text), "template.conf", warnings, error);
}

static const char *
conf_value (GHashTable *values,
            const char *key)
{
  PaddockConfValue *value = g_hash_table_lookup (values, key);

  return value ? value->value : NULL;
}

/* template.conf reader */

static void
test_conf_inline_comment_trap (void)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = NULL;

  /* infrahaus' importer stored this template as privileged (reference §1.5). */
  values = conf_parse ("TEMPLATE_UNPRIVILEGED=\"${TEMPLATE_UNPRIVILEGED:-1}\"  # 1 = unprivileged, 0 = privileged\n"
                       "TEMPLATE_NESTING=\"${TEMPLATE_NESTING:-0}\"#no-blank-so-no-comment\n",
                       warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conf_value (values, "TEMPLATE_UNPRIVILEGED"), ==, "1");
  g_assert_cmpstr (conf_value (values, "TEMPLATE_NESTING"), ==, "0#no-blank-so-no-comment");
}

static void
test_conf_quoting (void)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autofree char *marker = g_build_filename (g_get_tmp_dir (), "paddock-conf-was-run", NULL);
  g_autofree char *text = NULL;

  g_unlink (marker);
  text = g_strdup_printf ("# comment\n"
                          "\n"
                          "export A=plain\n"
                          "  B='single # not a comment'   \n"
                          "C=\"double \\\"escaped\\\" \\$dollar\"\n"
                          "D=con'cat'\"enated\"\\ word\n"
                          "E=\"${A:-unused}\" F=\"${UNSET:-fallback value}\"\n"
                          "G=\"${EMPTY:-x}\" EMPTY= H=\"${EMPTY-kept empty}\"\n"
                          "I=\"$HOME and ${PATH}\"\n"
                          "J=\"$(touch %s)\"\n"
                          "touch %s\n"
                          "K=one\\\n"
                          "two\n"
                          "L='multi\n"
                          "line'\n"
                          "readonly M=1; N=2\n"
                          "export O\n"
                          "P=${Q:-'quoted default'}\n",
                          marker, marker);

  values = conf_parse (text, warnings, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (conf_value (values, "A"), ==, "plain");
  g_assert_cmpstr (conf_value (values, "B"), ==, "single # not a comment");
  g_assert_cmpstr (conf_value (values, "C"), ==, "double \"escaped\" $dollar");
  g_assert_cmpstr (conf_value (values, "D"), ==, "concatenated word");
  g_assert_cmpstr (conf_value (values, "E"), ==, "plain");
  g_assert_cmpstr (conf_value (values, "F"), ==, "fallback value");
  g_assert_cmpstr (conf_value (values, "G"), ==, "x");
  g_assert_cmpstr (conf_value (values, "H"), ==, "kept empty");
  g_assert_cmpstr (conf_value (values, "I"), ==, "$HOME and ${PATH}");
  g_assert_true (g_str_has_prefix (conf_value (values, "J"), "$(touch "));
  g_assert_cmpstr (conf_value (values, "K"), ==, "onetwo");
  g_assert_cmpstr (conf_value (values, "L"), ==, "multi\nline");
  g_assert_cmpstr (conf_value (values, "M"), ==, "1");
  g_assert_cmpstr (conf_value (values, "N"), ==, "2");
  g_assert_null (conf_value (values, "O"));
  g_assert_cmpstr (conf_value (values, "P"), ==, "quoted default");
  g_assert_cmpuint (((PaddockConfValue *) g_hash_table_lookup (values, "L"))->line, ==, 14);

  /* Nothing was run, and the reader said what it left alone, with the line. */
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_true (array_has_substring (warnings, "template.conf:9: “$HOME”"));
  g_assert_true (array_has_substring (warnings, "“${PATH}”"));
  g_assert_true (array_has_substring (warnings, "template.conf:10: a command substitution"));
  g_assert_true (array_has_substring (warnings, "template.conf:11: not an assignment; ignored and not run"));
}

static void
test_conf_errors (void)
{
  struct {
    const char *text;
    gsize       length;
    const char *message;
  } cases[] = {
    { "A=1\nB=\"never closed\nC=2\n", 0, "template.conf:2: unterminated double quote" },
    { "A='open\n", 0, "template.conf:1: unterminated single quote" },
    { "A=1\nB=${X:-unclosed\n", 0, "template.conf:2: unterminated “${”" },
    { "A=1\nB=\"$(echo\"\n", 0, "template.conf:2: unterminated “$(”" },
    { "A=1\nB=2\0C=3\n", 10, "template.conf:2: the file contains a NUL byte" },
    { "A=1\n\nB=\xff\n", 0, "template.conf:3: the file is not UTF-8 text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) values = NULL;
      gsize length = cases[i].length ? cases[i].length : strlen (cases[i].text);

      values = _paddock_conf_parse (cases[i].text, length, "template.conf", NULL, &error);
      g_assert_null (values);
      g_assert_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message, cases[i].message);
    }
}

/* Our reader and bash agree on every value of the fixtures (bash sources them in a clean
 * environment; we never run anything). */
static void
test_conf_agrees_with_bash (void)
{
  const char *fixtures[] = { "web3-dev", "minimal" };
  g_autofree char *bash = g_find_program_in_path ("bash");

  if (bash == NULL)
    {
      g_test_skip ("bash is not installed");
      return;
    }

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *path = g_build_filename (FIXTURES, fixtures[f], "template.conf", NULL);
      g_autofree char *text = NULL;
      g_autofree char *script = NULL;
      g_autofree char *output = NULL;
      g_autoptr(GHashTable) values = NULL;
      g_autoptr(GError) error = NULL;
      guint compared = 0;
      const char *argv[] = { "/usr/bin/env", "-i", bash, "--norc", "--noprofile", "-c", NULL, NULL };
      gsize length;
      int status;

      g_assert_true (g_file_get_contents (path, &text, &length, NULL));
      values = _paddock_conf_parse (text, length, "template.conf", NULL, &error);
      g_assert_no_error (error);

      script = g_strdup_printf ("set -a; . '%s' >/dev/null; for v in $(compgen -v TEMPLATE_); do printf '%%s=%%s\\0' \"$v\" \"${!v}\"; done",
                                path);
      argv[6] = script;
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &output, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_cmpint (status, ==, 0);

      for (const char *p = output; *p; p += strlen (p) + 1)
        {
          const char *eq = strchr (p, '=');
          g_autofree char *key = g_strndup (p, eq - p);

          g_assert_cmpstr (conf_value (values, key), ==, eq + 1);
          compared++;
        }
      g_assert_cmpuint (compared, ==, g_hash_table_size (values));
    }
}

/* Package lines */

static void
test_package_lines (void)
{
  struct {
    PaddockPackageManager manager;
    const char *line;
    const char *name;
    const char *version;
  } good[] = {
    { PADDOCK_PACKAGE_APT, "  curl  ", "curl", NULL },
    { PADDOCK_PACKAGE_APT, "nginx=1.22.*   # pinned", "nginx", "1.22.*" },
    { PADDOCK_PACKAGE_APT, "libc6=2.36-9+deb12u4", "libc6", "2.36-9+deb12u4" },
    { PADDOCK_PACKAGE_APT, "g++", "g++", NULL },
    { PADDOCK_PACKAGE_APK, "busybox=1.36.1-r15", "busybox", "1.36.1-r15" },
    { PADDOCK_PACKAGE_DNF, "nodejs-18.19.0", "nodejs", "18.19.0" },
    { PADDOCK_PACKAGE_DNF, "python3-pip", "python3-pip", NULL },
    { PADDOCK_PACKAGE_NPM, "@scope/tool@1.2.3", "@scope/tool", "1.2.3" },
    { PADDOCK_PACKAGE_NPM, "typescript@5", "typescript", "5" },
    { PADDOCK_PACKAGE_NPM, "@angular/cli", "@angular/cli", NULL },
    { PADDOCK_PACKAGE_PIP, "requests==2.31", "requests", "==2.31" },
    { PADDOCK_PACKAGE_PIP, "flask>=3", "flask", ">=3" },
    { PADDOCK_PACKAGE_PIP, "requests[socks]", "requests[socks]", NULL },
  };
  struct {
    PaddockPackageManager manager;
    const char *line;
    const char *message;
  } bad[] = {
    { PADDOCK_PACKAGE_APT, "Bad_Name", "not a valid apt package name" },
    { PADDOCK_PACKAGE_APT, "-y", "not a valid apt package name" },
    { PADDOCK_PACKAGE_APT, "curl wget", "write one package per line" },
    { PADDOCK_PACKAGE_APT, "curl=", "ends where its version should begin" },
    { PADDOCK_PACKAGE_APT, "curl=1;rm", "not a valid version" },
    { PADDOCK_PACKAGE_APT, "$(reboot)", "not a valid apt package name" },
    { PADDOCK_PACKAGE_NPM, "Upper", "not a valid npm package name" },
    { PADDOCK_PACKAGE_PIP, "flask=3", "not a valid pip version specifier" },
    { PADDOCK_PACKAGE_CUSTOM, "only|two", "this line has 2 fields" },
    { PADDOCK_PACKAGE_CUSTOM, "x|check|install|999999", "not a number of seconds" },
    { PADDOCK_PACKAGE_CUSTOM, "x| |install", "has no check command" },
    { PADDOCK_PACKAGE_CUSTOM, "bad name|c|i", "not a valid custom package name" },
  };
  g_autoptr(PaddockPackage) package = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(PaddockPackage) parsed = NULL;
      g_autofree char *line = NULL;
      g_autoptr(PaddockPackage) again = NULL;

      g_assert_true (_paddock_package_line_parse (good[i].manager, good[i].line, &parsed, &error));
      g_assert_no_error (error);
      g_assert_nonnull (parsed);
      g_assert_cmpstr (parsed->name, ==, good[i].name);
      g_assert_cmpstr (parsed->version, ==, good[i].version);

      /* The line written on export reads back as the same package. */
      line = paddock_package_to_line (parsed);
      g_assert_true (_paddock_package_line_parse (good[i].manager, line, &again, &error));
      g_assert_true (paddock_package_same (parsed, again));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(PaddockPackage) parsed = NULL;
      g_autoptr(GError) local_error = NULL;

      g_assert_false (_paddock_package_line_parse (bad[i].manager, bad[i].line, &parsed, &local_error));
      g_assert_null (parsed);
      g_assert_nonnull (local_error);
      if (strstr (local_error->message, bad[i].message) == NULL)
        g_error ("“%s”: “%s” lacks “%s”", bad[i].line, local_error->message, bad[i].message);
    }

  /* Blank and comment lines are nothing, not errors. */
  g_assert_true (_paddock_package_line_parse (PADDOCK_PACKAGE_APT, "   # only a comment", &package, &error));
  g_assert_null (package);
  g_assert_true (_paddock_package_line_parse (PADDOCK_PACKAGE_CUSTOM, "", &package, &error));
  g_assert_null (package);

  /* Pipes in the install command, with and without a timeout */
  g_assert_true (_paddock_package_line_parse (PADDOCK_PACKAGE_CUSTOM,
                                              "foundry | command -v forge | curl -L x | bash | 900", &package, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (package->check_command, ==, "command -v forge");
  g_assert_cmpstr (package->install_command, ==, "curl -L x | bash");
  g_assert_cmpuint (package->timeout, ==, 900);
  g_clear_pointer (&package, paddock_package_free);
  g_assert_true (_paddock_package_line_parse (PADDOCK_PACKAGE_CUSTOM, "starship|command -v starship|curl -sS x | sh",
                                              &package, &error));
  g_assert_cmpstr (package->install_command, ==, "curl -sS x | sh");
  g_assert_cmpuint (package->timeout, ==, PADDOCK_CUSTOM_PACKAGE_DEFAULT_TIMEOUT);
  {
    g_autofree char *line = paddock_package_to_line (package);
    g_autoptr(PaddockPackage) again = NULL;

    g_assert_cmpstr (line, ==, "starship|command -v starship|curl -sS x | sh|300");
    g_assert_true (_paddock_package_line_parse (PADDOCK_PACKAGE_CUSTOM, line, &again, &error));
    g_assert_cmpstr (again->install_command, ==, package->install_command);
  }
}

/* Validation */

static PaddockTemplate *
valid_template (void)
{
  PaddockTemplate *template = paddock_template_new ("valid");
  g_autoptr(PaddockTemplateScript) script = paddock_template_script_new (10, "setup", "#!/bin/sh\ntrue\n");
  g_autoptr(GBytes) content = g_bytes_new_static ("x\n", 2);
  g_autoptr(PaddockTemplateFile) file = paddock_template_file_new ("motd", "/etc", content);
  g_autoptr(PaddockPackage) package = paddock_package_new (PADDOCK_PACKAGE_APT, "curl", NULL);

  paddock_template_set_tags (template, "web;dev");
  paddock_template_add_script (template, script);
  paddock_template_add_file (template, file);
  paddock_template_add_package (template, package);

  return template;
}

static void
expect_error (PaddockTemplate *template,
              const char      *field,
              const char      *message)
{
  g_autoptr(GPtrArray) problems = paddock_template_validate (template, 0);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < problems->len; i++)
    {
      const PaddockProblem *problem = g_ptr_array_index (problems, i);

      if (problem->severity == PADDOCK_PROBLEM_ERROR && g_str_equal (problem->field, field)
          && strstr (problem->message, message) != NULL)
        {
          g_assert_false (paddock_template_check (template, &error));
          g_assert_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID);
          return;
        }
    }

  g_error ("no %s error containing “%s” (%u problems)", field, message, problems->len);
}

static void
test_validation (void)
{
  g_autoptr(PaddockTemplate) template = valid_template ();
  g_autoptr(GPtrArray) problems = paddock_template_validate (template, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("y", 1);
  g_autofree char *long_name = g_strnfill (101, 'n');
  PaddockTemplateScript *script;
  PaddockTemplateFile *file;

  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (paddock_template_check (template, &error));
  g_assert_no_error (error);

#define CHECK(setup, field, message, undo) \
  G_STMT_START { setup; expect_error (template, field, message); undo; \
                 g_assert_true (paddock_template_check (template, NULL)); } G_STMT_END

  CHECK (paddock_template_set_name (template, ""), "name", "empty", paddock_template_set_name (template, "valid"));
  CHECK (paddock_template_set_name (template, "   "), "name", "empty", paddock_template_set_name (template, "valid"));
  CHECK (paddock_template_set_name (template, long_name), "name", "at most 100", paddock_template_set_name (template, "valid"));
  CHECK (paddock_template_set_tags (template, "ok;bad tag!"), "tags", "not a valid tag",
         paddock_template_set_tags (template, "ok"));
  CHECK (paddock_template_set_os_template (template, "local:vztmpl/../x y"), "os-template", "neither",
         paddock_template_set_os_template (template, "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"));
  CHECK (paddock_template_set_cores (template, 0), "cores", "1–8192", paddock_template_set_cores (template, 1));
  CHECK (paddock_template_set_cores (template, 8193), "cores", "1–8192", paddock_template_set_cores (template, 1));
  CHECK (paddock_template_set_memory (template, 15), "memory", "minimum of 16 MB", paddock_template_set_memory (template, 16));
  CHECK (paddock_template_set_disk (template, 0), "disk", "at least 1 GB", paddock_template_set_disk (template, 1));
  CHECK (paddock_template_set_storage (template, "local lvm"), "storage", "not a valid storage",
         paddock_template_set_storage (template, "local-lvm"));
  CHECK (paddock_template_set_bridge (template, "vmbr0;reboot"), "bridge", "not a valid bridge",
         paddock_template_set_bridge (template, "vmbr0"));

  {
    g_autoptr(PaddockPackage) bad = paddock_package_new (PADDOCK_PACKAGE_PIP, "Flask", "3");
    g_autoptr(PaddockPackage) again = paddock_package_new (PADDOCK_PACKAGE_APT, "curl", NULL);

    g_ptr_array_add (paddock_template_get_packages (template), paddock_package_copy (bad));
    CHECK ((void) 0, "packages", "not a valid pip version", g_ptr_array_remove_index (paddock_template_get_packages (template), 1));
    /* add_package refuses duplicates; a template assembled by hand is still checked. */
    g_assert_false (paddock_template_add_package (template, again));
    g_ptr_array_add (paddock_template_get_packages (template), paddock_package_copy (again));
    CHECK ((void) 0, "packages", "listed twice", g_ptr_array_remove_index (paddock_template_get_packages (template), 1));
  }

  script = g_ptr_array_index (paddock_template_get_scripts (template), 0);
  CHECK (g_free (script->name); script->name = g_strdup ("bad name"), "scripts", "may only contain",
         g_free (script->name); script->name = g_strdup ("setup"));
  CHECK (g_free (script->content); script->content = g_strdup (""), "scripts", "is empty",
         g_free (script->content); script->content = g_strdup ("true\n"));
  CHECK (script->order = 10000, "scripts", "above 9999", script->order = 10);
  {
    g_autoptr(PaddockTemplateScript) twin = paddock_template_script_new (20, "setup", "true\n");

    paddock_template_add_script (template, twin);
    CHECK ((void) 0, "scripts", "Two scripts are named", g_ptr_array_remove_index (paddock_template_get_scripts (template), 1));
  }

  file = g_ptr_array_index (paddock_template_get_files (template), 0);
  CHECK (g_free (file->name); file->name = g_strdup ("a/b"), "files", "not a valid file name",
         g_free (file->name); file->name = g_strdup ("motd"));
  CHECK (g_free (file->name); file->name = g_strdup (".."), "files", "not a valid file name",
         g_free (file->name); file->name = g_strdup ("motd"));
  CHECK (g_free (file->target_dir); file->target_dir = g_strdup ("etc"), "files", "not an absolute path",
         g_free (file->target_dir); file->target_dir = g_strdup ("/etc"));
  CHECK (g_free (file->target_dir); file->target_dir = g_strdup ("/etc/../root"), "files", "contains “..”",
         g_free (file->target_dir); file->target_dir = g_strdup ("/etc"));
  CHECK (g_free (file->target_dir); file->target_dir = g_strdup ("/etc//ssh/"), "files", "write the target directory as “/etc/ssh”",
         g_free (file->target_dir); file->target_dir = g_strdup ("/etc"));
  CHECK (file->mode = 010000, "files", "not a file mode", file->mode = 0);
  CHECK (file->target_name = g_strdup ("x/y"), "files", "not a valid target file name", g_clear_pointer (&file->target_name, g_free));
  {
    g_autoptr(PaddockTemplateFile) other = paddock_template_file_new ("motd2", "/etc", content);

    other->target_name = g_strdup ("motd");
    paddock_template_add_file (template, other);
    CHECK ((void) 0, "files", "Two files go to /etc/motd", g_ptr_array_remove_index (paddock_template_get_files (template), 1));
  }

#undef CHECK

  /* Warnings do not block saving. */
  paddock_template_set_cores (template, 8);
  paddock_template_set_unprivileged (template, FALSE);
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = paddock_template_validate (template, 4);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpint (((PaddockProblem *) g_ptr_array_index (problems, 0))->severity, ==, PADDOCK_PROBLEM_WARNING);
  g_assert_nonnull (strstr (((PaddockProblem *) g_ptr_array_index (problems, 0))->message, "node's 4 CPUs"));
  g_assert_true (paddock_template_check (template, NULL));
}

static void
test_hash_and_duplicate (void)
{
  g_autoptr(PaddockTemplate) template = valid_template ();
  g_autoptr(PaddockTemplate) copy = NULL;
  g_autofree char *hash = paddock_template_dup_content_hash (template);
  g_autofree char *copy_hash = NULL;
  g_autofree char *changed_hash = NULL;
  g_autofree char *reordered_hash = NULL;
  g_autoptr(PaddockPackage) git = paddock_package_new (PADDOCK_PACKAGE_APT, "git", NULL);
  g_autoptr(PaddockPackage) curl = paddock_package_new (PADDOCK_PACKAGE_APT, "curl", NULL);

  paddock_template_set_id (template, 42);
  paddock_template_set_source_path (template, "/somewhere");
  copy = paddock_template_duplicate (template, "valid (copy)");
  copy_hash = paddock_template_dup_content_hash (copy);

  g_assert_cmpuint (g_utf8_strlen (hash, -1), ==, 64);
  g_assert_cmpstr (hash, ==, copy_hash);
  g_assert_cmpint (paddock_template_get_id (copy), ==, 0);
  g_assert_null (paddock_template_get_source_path (copy));
  g_assert_cmpstr (paddock_template_get_name (copy), ==, "valid (copy)");
  g_assert_cmpuint (paddock_template_get_files (copy)->len, ==, 1);

  /* Parts are copies: changing the copy leaves the original. */
  ((PaddockTemplateScript *) g_ptr_array_index (paddock_template_get_scripts (copy), 0))->enabled = FALSE;
  changed_hash = paddock_template_dup_content_hash (copy);
  g_assert_cmpstr (changed_hash, !=, hash);
  g_assert_true (((PaddockTemplateScript *) g_ptr_array_index (paddock_template_get_scripts (template), 0))->enabled);

  /* Packages are a set: their order does not change the hash. */
  paddock_template_add_package (template, git);
  g_clear_pointer (&hash, g_free);
  hash = paddock_template_dup_content_hash (template);
  g_ptr_array_set_size (paddock_template_get_packages (template), 0);
  paddock_template_add_package (template, git);
  paddock_template_add_package (template, curl);
  reordered_hash = paddock_template_dup_content_hash (template);
  g_assert_cmpstr (hash, ==, reordered_hash);
}

static void
test_matches (void)
{
  g_autoptr(GListStore) store = g_list_store_new (PADDOCK_TYPE_TEMPLATE);
  g_autoptr(PaddockTemplate) a = paddock_template_new ("Web3 Dev");
  g_autoptr(PaddockTemplate) b = paddock_template_new ("Mail relay");
  g_auto(GStrv) tags = NULL;

  paddock_template_set_tags (a, "web3;dev;docker");
  paddock_template_set_description (b, "Postfix with DKIM");
  paddock_template_set_tags (b, "mail;dev");
  g_list_store_append (store, a);
  g_list_store_append (store, b);

  g_assert_true (paddock_template_matches (a, "web3", NULL));
  g_assert_true (paddock_template_matches (b, "postfix dkim", NULL));
  g_assert_false (paddock_template_matches (b, "postfix web3", NULL));
  g_assert_true (paddock_template_matches (a, NULL, "docker"));
  g_assert_false (paddock_template_matches (b, NULL, "docker"));
  g_assert_true (paddock_template_matches (b, "", ""));

  tags = paddock_templates_collect_tags (G_LIST_MODEL (store));
  g_assert_cmpstrv (tags, ((const char *[]) { "dev", "docker", "mail", "web3", NULL }));
}

/* Reading directories */

static void
test_read_web3_dev (void)
{
  g_autoptr(PaddockTemplateSource) source = paddock_template_read_directory (FIXTURES "/web3-dev");
  PaddockTemplate *template = source->template;
  GPtrArray *scripts, *files, *packages;
  const PaddockTemplateFile *bashrc = NULL;

  for (guint i = 0; i < source->errors->len; i++)
    g_printerr ("%s\n", (char *) g_ptr_array_index (source->errors, i));
  g_assert_cmpuint (source->errors->len, ==, 0);
  g_assert_nonnull (template);

  g_assert_cmpstr (paddock_template_get_name (template), ==, "Web3 Dev Container");
  g_assert_cmpstr (paddock_template_get_tags (template), ==, "web3;development;nodejs;docker");
  g_assert_cmpstr (paddock_template_get_os_template (template), ==, "debian-12-standard");
  g_assert_cmpuint (paddock_template_get_cores (template), ==, 4);
  g_assert_cmpuint (paddock_template_get_memory (template), ==, 8192);
  g_assert_cmpuint (paddock_template_get_disk (template), ==, 20);
  g_assert_cmpint (paddock_template_get_swap (template), ==, -1);
  /* The trap: "${…:-1}"  # comment must stay unprivileged. */
  g_assert_true (paddock_template_get_unprivileged (template));
  g_assert_true (paddock_template_get_nesting (template));
  g_assert_true (paddock_template_get_keyctl (template));
  g_assert_true (paddock_template_get_fuse (template));
  g_assert_false (paddock_template_get_onboot (template));

  /* Packages belong to the template (12 base + 12 development, "git" once, 2 custom). */
  packages = paddock_template_get_packages (template);
  g_assert_cmpuint (packages->len, ==, 26);
  g_assert_true (array_has_substring (source->warnings, "packages/development.apt:13: git is listed more than once"));
  g_assert_cmpuint (source->buckets->len, ==, 3);
  g_assert_cmpuint (((PaddockBucketSource *) g_ptr_array_index (source->buckets, 0))->packages->len, ==, 12);
  {
    const PaddockPackage *foundry = g_ptr_array_index (packages, 24);

    g_assert_cmpint (foundry->manager, ==, PADDOCK_PACKAGE_CUSTOM);
    g_assert_cmpstr (foundry->name, ==, "foundry");
    g_assert_cmpstr (foundry->install_command, ==, "curl -L https://foundry.paradigm.xyz | bash && ~/.foundry/bin/foundryup");
    g_assert_cmpuint (foundry->timeout, ==, 900);
  }

  scripts = paddock_template_get_scripts (template);
  g_assert_cmpuint (scripts->len, ==, 5);
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 0))->name, ==, "pre-checks");
  g_assert_cmpuint (((PaddockTemplateScript *) g_ptr_array_index (scripts, 3))->order, ==, 50);
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 1))->description, ==,
                   "Create the coder user (UID 1000) with sudo");
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 2))->description, ==,
                   "Node.js LTS through nvm for the coder user");

  files = paddock_template_get_files (template);
  g_assert_cmpuint (files->len, ==, 4);
  for (guint i = 0; i < files->len; i++)
    if (g_str_equal (((PaddockTemplateFile *) g_ptr_array_index (files, i))->name, "bashrc"))
      bashrc = g_ptr_array_index (files, i);
  g_assert_nonnull (bashrc);
  g_assert_cmpstr (bashrc->target_dir, ==, "/home/coder");
  g_assert_cmpint (bashrc->policy, ==, PADDOCK_FILE_POLICY_DEFAULT);
  g_assert_cmpint (((PaddockTemplateFile *) g_ptr_array_index (files, 0))->policy, ==, PADDOCK_FILE_POLICY_REPLACE);
  g_assert_false (array_has_substring (source->warnings, "README"));
}

static void
test_read_warnings (void)
{
  g_autoptr(PaddockTemplateSource) source = paddock_template_read_directory (FIXTURES "/with-warnings");
  PaddockTemplate *template = source->template;
  GPtrArray *scripts, *files, *packages;
  const PaddockTemplateFile *profile = NULL, *vimrc = NULL;
  const char *expected[] = {
    "template.conf:2: “$HOME” is kept as written",
    "template.conf:3: TEMPLATE_COLOR is not a template setting",
    "template.conf:8: not an assignment; ignored and not run",
    "scripts/notes.txt: not a script (.sh); ignored",
    "scripts/setup.sh: has no “NN-” number; it runs after the numbered scripts",
    "files/.vimrc.policy: missing; using “default”",
    "files/nested: a subdirectory; not imported",
  };

  g_assert_cmpuint (source->errors->len, ==, 0);
  g_assert_nonnull (template);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!array_has_substring (source->warnings, expected[i]))
      g_error ("no warning “%s”", expected[i]);

  g_assert_cmpstr (paddock_template_get_name (template), ==, "Warnings, but imports");
  g_assert_cmpstr (paddock_template_get_description (template), ==, "Home is $HOME");
  g_assert_cmpstr (paddock_template_get_os_template (template), ==, "local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz");
  g_assert_cmpint (paddock_template_get_swap (template), ==, 256);
  g_assert_cmpstr (paddock_template_get_storage (template), ==, "local-lvm");
  g_assert_cmpstr (paddock_template_get_bridge (template), ==, "vmbr0");

  scripts = paddock_template_get_scripts (template);
  g_assert_cmpuint (scripts->len, ==, 3);
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 0))->name, ==, "first");
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 1))->name, ==, "later");
  g_assert_false (((PaddockTemplateScript *) g_ptr_array_index (scripts, 1))->enabled);
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (scripts, 2))->name, ==, "setup");
  g_assert_cmpuint (((PaddockTemplateScript *) g_ptr_array_index (scripts, 2))->order, ==, 21);

  files = paddock_template_get_files (template);
  g_assert_cmpuint (files->len, ==, 2);
  for (guint i = 0; i < files->len; i++)
    {
      const PaddockTemplateFile *file = g_ptr_array_index (files, i);

      if (g_str_equal (file->name, "profile"))
        profile = file;
      if (g_str_equal (file->name, ".vimrc"))
        vimrc = file;
    }
  g_assert_nonnull (vimrc);
  g_assert_cmpint (vimrc->policy, ==, PADDOCK_FILE_POLICY_DEFAULT);
  g_assert_nonnull (profile);
  g_assert_cmpstr (profile->target_name, ==, ".profile");
  g_assert_cmpuint (profile->mode, ==, 0600);
  g_assert_cmpint (profile->policy, ==, PADDOCK_FILE_POLICY_BACKUP);
  {
    g_autofree char *target = paddock_template_file_dup_target_path (profile);
    g_assert_cmpstr (target, ==, "/root/.profile");
  }

  packages = paddock_template_get_packages (template);
  g_assert_cmpuint (packages->len, ==, 7);
}

static void
test_read_errors (void)
{
  struct {
    const char *dir;
    const char *message;
  } cases[] = {
    { "error-policy", "files/motd.policy:1: “overwrite” is not a policy (replace, default or backup)" },
    { "error-path", "files/motd.path: missing or empty" },
    { "error-relative-path", "files/motd.path:1: “etc/../..” is not an absolute path" },
    { "error-number", "template.conf:2: TEMPLATE_CPU is “four”, not a whole number" },
    { "error-quote", "template.conf:2: unterminated double quote" },
    { "error-package", "packages/base.apt:2: “Bad_Name” is not a valid apt package name" },
    { "error-package", "packages/base.apt:4: “foo bar” holds more than one word" },
    { "error-package", "packages/x.custom:1: a custom package is" },
    { "error-flag", "template.conf:2: TEMPLATE_NESTING is “maybe”; use 1 or 0" },
    { "error-script-name", "scripts/has space: Script name “has space” may only contain" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (FIXTURES, cases[i].dir, NULL);
      g_autoptr(PaddockTemplateSource) source = paddock_template_read_directory (path);

      g_assert_null (source->template);
      if (!array_has_substring (source->errors, cases[i].message))
        g_error ("%s: no error “%s” (first: %s)", cases[i].dir, cases[i].message,
                 source->errors->len ? (char *) g_ptr_array_index (source->errors, 0) : "none");
    }
}

/* A template from someone else: links never lead outside it, and one import has a budget. */
static void
test_read_hostile (void)
{
  g_autofree char *dir = g_dir_make_tmp ("paddock-hostile-XXXXXX", NULL);
  g_autofree char *outside = g_dir_make_tmp ("paddock-outside-XXXXXX", NULL);
  g_autofree char *template = g_build_filename (dir, "web3-dev", NULL);
  g_autofree char *scripts = g_build_filename (template, "container-configs", "scripts", NULL);
  g_autofree char *configs = g_build_filename (template, "container-configs", NULL);
  g_autofree char *secret = g_build_filename (outside, "01-steal.sh", NULL);
  g_autofree char *moved = g_build_filename (dir, "configs-elsewhere", NULL);

  g_assert_cmpint (g_mkdir (template, 0755), ==, 0);
  copy_tree (FIXTURES "/web3-dev", template);
  g_assert_true (g_file_set_contents (secret, "cat /etc/shadow\n", -1, NULL));

  /* scripts/ is a link to a directory outside the template. */
  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s", scripts);
    g_autoptr(PaddockTemplateSource) source = NULL;

    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
    g_assert_cmpint (symlink (outside, scripts), ==, 0);
    source = paddock_template_read_directory (template);
    g_assert_null (source->template);
    g_assert_true (array_has_substring (source->errors, "scripts: a symbolic link"));
    g_assert_cmpint (g_unlink (scripts), ==, 0);
    g_assert_cmpint (g_mkdir (scripts, 0755), ==, 0);
  }

  /* A script that is a link to a file outside. */
  {
    g_autofree char *link = g_build_filename (scripts, "01-steal.sh", NULL);
    g_autoptr(PaddockTemplateSource) source = NULL;

    g_assert_cmpint (symlink (secret, link), ==, 0);
    source = paddock_template_read_directory (template);
    g_assert_null (source->template);
    g_assert_true (array_has_substring (source->errors, "01-steal.sh: a symbolic link"));
    g_assert_cmpint (g_unlink (link), ==, 0);
  }

  /* container-configs/ itself is a link. */
  {
    g_autoptr(PaddockTemplateSource) source = NULL;

    g_assert_cmpint (g_rename (configs, moved), ==, 0);
    g_assert_cmpint (symlink (moved, configs), ==, 0);
    source = paddock_template_read_directory (template);
    g_assert_null (source->template);
    g_assert_true (array_has_substring (source->errors, "container-configs: a symbolic link"));
    g_assert_cmpint (g_unlink (configs), ==, 0);
    g_assert_cmpint (g_rename (moved, configs), ==, 0);
  }

  /* Five files of 15 MB: within each file's limit, past the import's (64 MB), named in the error. */
  {
    g_autofree char *files = g_build_filename (configs, "files", NULL);
    g_autoptr(PaddockTemplateSource) source = NULL;
    g_autofree char *big = g_malloc0 (15 << 20);

    memset (big, 'x', (15 << 20) - 1);
    g_mkdir_with_parents (files, 0755);
    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *name = g_strdup_printf ("big%u.txt", i);
        g_autofree char *path = g_build_filename (files, name, NULL);
        g_autofree char *sidecar = g_strdup_printf ("%s.path", path);

        g_assert_true (g_file_set_contents (path, big, (15 << 20) - 1, NULL));
        g_assert_true (g_file_set_contents (sidecar, "/srv\n", -1, NULL));
      }
    source = paddock_template_read_directory (template);
    g_assert_null (source->template);
    g_assert_true (array_has_substring (source->errors, "more than 5000 files or 64 MB"));
  }

  {
    g_autofree char *command = g_strdup_printf ("rm -rf %s %s", dir, outside);

    g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  }
}

/* The store: import, re-import, export */

static void
test_import_tree (void)
{
  g_autoptr(PaddockStore) store = open_store ();
  g_autoptr(GPtrArray) reports = import (store, FIXTURES);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GListModel) templates = NULL;
  g_autoptr(GPtrArray) buckets = NULL;
  const PaddockImportReport *report;
  const PaddockBucket *base;
  PaddockTemplate *web3;

  g_assert_cmpuint (reports->len, ==, 11);
  report = find_report (reports, "web3-dev");
  g_assert_cmpint (report->outcome, ==, PADDOCK_IMPORT_CREATED);
  g_assert_cmpstr (report->name, ==, "Web3 Dev Container");
  g_assert_cmpint (report->template_id, >, 0);
  g_assert_cmpint (find_report (reports, "minimal")->outcome, ==, PADDOCK_IMPORT_CREATED);
  g_assert_cmpint (find_report (reports, "with-warnings")->outcome, ==, PADDOCK_IMPORT_CREATED);
  g_assert_true (strv_has_substring (find_report (reports, "with-warnings")->warnings, "TEMPLATE_COLOR"));
  report = find_report (reports, "error-policy");
  g_assert_cmpint (report->outcome, ==, PADDOCK_IMPORT_FAILED);
  g_assert_cmpint (report->template_id, ==, 0);
  g_assert_true (strv_has_substring (report->errors, "files/motd.policy:1:"));

  /* Failed ones left nothing behind. */
  templates = list_templates (store);
  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 3);
  web3 = find_template (templates, "Web3 Dev Container");
  g_assert_nonnull (web3);
  g_assert_cmpuint (paddock_template_get_packages (web3)->len, ==, 26);
  g_assert_cmpuint (paddock_template_get_scripts (web3)->len, ==, 5);
  g_assert_cmpuint (paddock_template_get_files (web3)->len, ==, 4);
  g_assert_true (paddock_template_get_unprivileged (web3));

  buckets = list_buckets (store);
  base = find_bucket (buckets, "Web3 Dev Container/base.apt");
  g_assert_nonnull (base);
  g_assert_cmpuint (base->packages->len, ==, 12);
  g_assert_nonnull (find_bucket (buckets, "Web3 Dev Container/tools.custom"));
  g_assert_nonnull (find_bucket (buckets, "Warnings, but imports/py.pip"));

  /* Idempotent: nothing changed, nothing duplicated. */
  again = import (store, FIXTURES);
  for (guint i = 0; i < again->len; i++)
    {
      const PaddockImportReport *r = g_ptr_array_index (again, i);

      g_assert_cmpint (r->outcome, ==, r->errors ? PADDOCK_IMPORT_FAILED : PADDOCK_IMPORT_UNCHANGED);
    }
  g_clear_object (&templates);
  templates = list_templates (store);
  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 3);
  g_clear_pointer (&buckets, g_ptr_array_unref);
  buckets = list_buckets (store);
  g_assert_cmpuint (buckets->len, ==, 6);
}

static void
test_reimport_renamed_and_changed (void)
{
  g_autoptr(PaddockStore) store = open_store ();
  g_autofree char *dir = paddock_test_make_dir ("web3-dev");
  g_autofree char *conf = g_build_filename (dir, "template.conf", NULL);
  g_autofree char *script = g_build_filename (dir, "container-configs", "scripts", "50-vscode-server.sh", NULL);
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autoptr(GListModel) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) cpu = g_regex_new ("TEMPLATE_CPU:-4", 0, 0, NULL);
  const PaddockImportReport *report;
  PaddockTemplate *template;

  copy_tree (FIXTURES "/web3-dev", dir);
  first = import (store, dir);
  g_assert_cmpint (((PaddockImportReport *) g_ptr_array_index (first, 0))->outcome, ==, PADDOCK_IMPORT_CREATED);

  /* The user renames it in Paddock. */
  templates = list_templates (store);
  template = g_list_model_get_item (templates, 0);
  paddock_template_set_name (template, "My web3 box");
  g_assert_cmpint (save_template (store, template, &error), ==, paddock_template_get_id (template));
  g_assert_no_error (error);
  g_object_unref (template);

  /* The directory changes: more cores, a script removed, a file edited. */
  g_assert_true (g_file_get_contents (conf, &text, NULL, NULL));
  changed = g_regex_replace_literal (cpu, text, -1, 0, "TEMPLATE_CPU:-8", 0, NULL);
  g_assert_true (g_file_set_contents (conf, changed, -1, NULL));
  g_assert_cmpint (g_unlink (script), ==, 0);

  second = import (store, dir);
  report = g_ptr_array_index (second, 0);
  g_assert_cmpint (report->outcome, ==, PADDOCK_IMPORT_UPDATED);
  g_assert_cmpstr (report->name, ==, "My web3 box");
  g_assert_true (strv_has_substring (report->changes, "cores: 4 → 8"));
  g_assert_true (strv_has_substring (report->changes, "script removed: vscode-server"));
  g_assert_cmpuint (g_strv_length (report->changes), ==, 2);

  g_clear_object (&templates);
  templates = list_templates (store);
  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 1);
  template = g_list_model_get_item (templates, 0);
  g_assert_cmpstr (paddock_template_get_name (template), ==, "My web3 box");
  g_assert_cmpuint (paddock_template_get_cores (template), ==, 8);
  g_assert_cmpuint (paddock_template_get_scripts (template)->len, ==, 4);
  g_object_unref (template);

  third = import (store, dir);
  g_assert_cmpint (((PaddockImportReport *) g_ptr_array_index (third, 0))->outcome, ==, PADDOCK_IMPORT_UNCHANGED);
}

static void
test_round_trip (void)
{
  g_autoptr(PaddockStore) store = open_store ();
  g_autoptr(GPtrArray) reports = import (store, FIXTURES);
  g_autoptr(GListModel) templates = list_templates (store);
  g_autofree char *out = paddock_test_make_dir ("export");
  g_autofree char *bash = g_find_program_in_path ("bash");

  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 3);

  for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);
      g_autofree char *path = g_strdup_printf ("%s/t%u", out, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(PaddockTemplateSource) source = NULL;
      g_autofree char *before = paddock_template_dup_content_hash (template);
      g_autofree char *after = NULL;

      g_assert_true (paddock_template_write_directory (template, path, &error));
      g_assert_no_error (error);

      source = paddock_template_read_directory (path);
      g_assert_cmpuint (source->errors->len, ==, 0);
      g_assert_cmpuint (source->warnings->len, ==, 0);
      after = paddock_template_dup_content_hash (source->template);
      g_assert_cmpstr (before, ==, after);
      g_assert_cmpstr (paddock_template_get_name (source->template), ==, paddock_template_get_name (template));

      /* Exporting again over it is refused rather than mixing two templates. */
      g_assert_false (paddock_template_write_directory (template, path, &error));
      g_assert_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO);

      /* The exported template.conf is still valid bash for infrahaus' scripts. */
      if (bash != NULL)
        {
          g_autofree char *command = g_strdup_printf ("%s -n %s/template.conf", bash, path);
          int status = -1;

          g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
          g_assert_cmpint (status, ==, 0);
        }
    }

  /* The dotfile lesson: a file with a target name keeps it, as a sidecar. */
  {
    g_autoptr(PaddockTemplate) template = g_object_ref (find_template (templates, "Warnings, but imports"));
    g_autofree char *path = g_strdup_printf ("%s/warnings", out);
    g_autofree char *name_path = g_strdup_printf ("%s/container-configs/files/profile.name", path);
    g_autofree char *text = NULL;

    g_assert_true (paddock_template_write_directory (template, path, NULL));
    g_assert_true (g_file_get_contents (name_path, &text, NULL, NULL));
    g_assert_cmpstr (text, ==, ".profile\n");
  }
}

static void
test_template_crud (void)
{
  g_autoptr(PaddockStore) store = open_store ();
  g_autoptr(PaddockTemplate) template = valid_template ();
  g_autoptr(PaddockTemplate) twin = valid_template ();
  g_autoptr(PaddockTemplate) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) templates = NULL;
  g_autoptr(PaddockTemplateScript) script = paddock_template_script_new (5, "first", "echo first\n");
  gint64 id;

  id = save_template (store, template, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  paddock_template_set_id (template, id);

  /* The name is unique. */
  g_assert_cmpint (save_template (store, twin, &error), ==, 0);
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "“valid” already exists"));
  g_clear_error (&error);

  /* An invalid template is refused and leaves the stored one as it was. */
  paddock_template_set_cores (template, 0);
  g_assert_cmpint (save_template (store, template, &error), ==, 0);
  g_assert_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  paddock_template_set_cores (template, 2);

  /* Update replaces the parts. */
  paddock_template_add_script (template, script);
  g_ptr_array_set_size (paddock_template_get_files (template), 0);
  g_assert_cmpint (save_template (store, template, &error), ==, id);
  g_assert_no_error (error);

  paddock_store_get_template_async (store, id, NULL, PADDOCK_TEST_ASYNC (result));
  loaded = paddock_store_get_template_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paddock_template_get_cores (loaded), ==, 2);
  g_assert_cmpuint (paddock_template_get_scripts (loaded)->len, ==, 2);
  g_assert_cmpstr (((PaddockTemplateScript *) g_ptr_array_index (paddock_template_get_scripts (loaded), 0))->name, ==, "first");
  g_assert_cmpuint (paddock_template_get_files (loaded)->len, ==, 0);
  g_assert_cmpuint (paddock_template_get_packages (loaded)->len, ==, 1);
  {
    g_autofree char *a = paddock_template_dup_content_hash (template);
    g_autofree char *b = paddock_template_dup_content_hash (loaded);
    g_assert_cmpstr (a, ==, b);
  }

  g_clear_object (&result);
  paddock_store_delete_template_async (store, id, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_delete_template_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);

  g_clear_object (&result);
  paddock_store_get_template_async (store, id, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_null (paddock_store_get_template_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  templates = list_templates (store);
  g_assert_cmpuint (g_list_model_get_n_items (templates), ==, 0);
}

static void
test_buckets (void)
{
  g_autoptr(PaddockStore) store = open_store ();
  g_autoptr(PaddockBucket) bucket = paddock_bucket_new ("Base tools", "What every box needs");
  g_autoptr(PaddockPackage) curl = paddock_package_new (PADDOCK_PACKAGE_APT, "curl", NULL);
  g_autoptr(PaddockPackage) bad = paddock_package_new (PADDOCK_PACKAGE_APT, "Bad", NULL);
  g_autoptr(PaddockTemplate) template = valid_template ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) buckets = NULL;
  PaddockBucketImport counts = { 0 };
  gint64 bucket_id, template_id;
  int added;

  paddock_store_save_bucket_async (store, bucket, NULL, PADDOCK_TEST_ASYNC (result));
  bucket_id = paddock_store_save_bucket_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (bucket_id, >, 0);

  /* Names are unique and 1–100 characters. */
  g_clear_object (&result);
  paddock_store_save_bucket_async (store, bucket, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpint (paddock_store_save_bucket_finish (store, paddock_test_wait (&result), &error), ==, 0);
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_free (bucket->name);
  bucket->name = g_strdup ("");
  g_clear_object (&result);
  paddock_store_save_bucket_async (store, bucket, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpint (paddock_store_save_bucket_finish (store, paddock_test_wait (&result), &error), ==, 0);
  g_assert_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);

  /* Rename */
  g_free (bucket->name);
  bucket->name = g_strdup ("Base");
  bucket->id = bucket_id;
  g_clear_object (&result);
  paddock_store_save_bucket_async (store, bucket, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpint (paddock_store_save_bucket_finish (store, paddock_test_wait (&result), &error), ==, bucket_id);
  g_assert_no_error (error);

  /* Add, add again, add an invalid one */
  g_clear_object (&result);
  paddock_store_add_bucket_package_async (store, bucket_id, curl, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_add_bucket_package_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  paddock_store_add_bucket_package_async (store, bucket_id, curl, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_add_bucket_package_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&result);
  paddock_store_add_bucket_package_async (store, bucket_id, bad, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_add_bucket_package_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);

  /* Paste: comments and blanks dropped, duplicates counted */
  g_clear_object (&result);
  paddock_store_import_bucket_text_async (store, bucket_id, PADDOCK_PACKAGE_APT,
                                          "# tools\n\ncurl\ngit   # vcs\njq\ngit\n  \nhtop\n",
                                          NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_import_bucket_text_finish (store, paddock_test_wait (&result), &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.added, ==, 3);
  g_assert_cmpuint (counts.duplicates, ==, 2);

  /* A paste with a bad line adds nothing and names the line. */
  g_clear_object (&result);
  paddock_store_import_bucket_text_async (store, bucket_id, PADDOCK_PACKAGE_APT, "tmux\nBad Name\n",
                                          NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_import_bucket_text_finish (store, paddock_test_wait (&result), &counts, &error));
  g_assert_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "line 2:"));
  g_clear_error (&error);
  g_clear_object (&result);
  paddock_store_import_bucket_text_async (store, bucket_id, PADDOCK_PACKAGE_APT, "# nothing\n\n",
                                          NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_import_bucket_text_finish (store, paddock_test_wait (&result), &counts, &error));
  g_assert_nonnull (strstr (error->message, "No package names found"));
  g_clear_error (&error);

  buckets = list_buckets (store);
  g_assert_cmpuint (buckets->len, ==, 1);
  g_assert_cmpstr (((PaddockBucket *) g_ptr_array_index (buckets, 0))->name, ==, "Base");
  g_assert_cmpuint (((PaddockBucket *) g_ptr_array_index (buckets, 0))->packages->len, ==, 4);

  /* Remove */
  g_clear_object (&result);
  paddock_store_remove_bucket_package_async (store, bucket_id, curl, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_remove_bucket_package_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  paddock_store_remove_bucket_package_async (store, bucket_id, curl, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_false (paddock_store_remove_bucket_package_finish (store, paddock_test_wait (&result), &error));
  g_assert_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);
  paddock_store_add_bucket_package_async (store, bucket_id, curl, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_add_bucket_package_finish (store, paddock_test_wait (&result), &error));

  /* Copy into a template that has curl already: only the other three are added. */
  template_id = save_template (store, template, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  paddock_store_add_bucket_to_template_async (store, bucket_id, template_id, NULL, PADDOCK_TEST_ASYNC (result));
  added = paddock_store_add_bucket_to_template_finish (store, paddock_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, ==, 3);
  g_clear_object (&result);
  paddock_store_add_bucket_to_template_async (store, bucket_id, template_id, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_cmpint (paddock_store_add_bucket_to_template_finish (store, paddock_test_wait (&result), &error), ==, 0);

  /* Delete the bucket: the template keeps its copies. */
  g_clear_object (&result);
  paddock_store_delete_bucket_async (store, bucket_id, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_delete_bucket_finish (store, paddock_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_pointer (&buckets, g_ptr_array_unref);
  buckets = list_buckets (store);
  g_assert_cmpuint (buckets->len, ==, 0);
  {
    g_autoptr(PaddockTemplate) loaded = NULL;

    g_clear_object (&result);
    paddock_store_get_template_async (store, template_id, NULL, PADDOCK_TEST_ASYNC (result));
    loaded = paddock_store_get_template_finish (store, paddock_test_wait (&result), &error);
    g_assert_cmpuint (paddock_template_get_packages (loaded)->len, ==, 4);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/templates/conf/inline-comment-trap", test_conf_inline_comment_trap);
  g_test_add_func ("/templates/conf/quoting", test_conf_quoting);
  g_test_add_func ("/templates/conf/errors", test_conf_errors);
  g_test_add_func ("/templates/conf/agrees-with-bash", test_conf_agrees_with_bash);
  g_test_add_func ("/templates/package-lines", test_package_lines);
  g_test_add_func ("/templates/validation", test_validation);
  g_test_add_func ("/templates/hash-and-duplicate", test_hash_and_duplicate);
  g_test_add_func ("/templates/matches", test_matches);
  g_test_add_func ("/templates/read/web3-dev", test_read_web3_dev);
  g_test_add_func ("/templates/read/warnings", test_read_warnings);
  g_test_add_func ("/templates/read/errors", test_read_errors);
  g_test_add_func ("/templates/read/hostile", test_read_hostile);
  g_test_add_func ("/templates/store/import-tree", test_import_tree);
  g_test_add_func ("/templates/store/reimport", test_reimport_renamed_and_changed);
  g_test_add_func ("/templates/store/round-trip", test_round_trip);
  g_test_add_func ("/templates/store/crud", test_template_crud);
  g_test_add_func ("/templates/store/buckets", test_buckets);

  return g_test_run ();
}
