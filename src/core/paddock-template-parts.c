/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template-parts.c: packages, scripts, files and problems of a template, and their checks */

#include "config.h"

#include <string.h>

#include "paddock-template.h"

G_DEFINE_QUARK (paddock-template-error-quark, paddock_template_error)

G_DEFINE_BOXED_TYPE (PaddockPackage, paddock_package, paddock_package_copy, paddock_package_free)
G_DEFINE_BOXED_TYPE (PaddockTemplateScript, paddock_template_script,
                     paddock_template_script_copy, paddock_template_script_free)
G_DEFINE_BOXED_TYPE (PaddockTemplateFile, paddock_template_file,
                     paddock_template_file_copy, paddock_template_file_free)
G_DEFINE_BOXED_TYPE (PaddockProblem, paddock_problem, paddock_problem_copy, paddock_problem_free)
G_DEFINE_BOXED_TYPE (PaddockBucket, paddock_bucket, paddock_bucket_copy, paddock_bucket_free)
G_DEFINE_BOXED_TYPE (PaddockImportReport, paddock_import_report,
                     paddock_import_report_copy, paddock_import_report_free)

static const char *manager_names[] = { "apt", "apk", "dnf", "npm", "pip", "custom" };
static const char *policy_names[] = { "default", "replace", "backup" };

const char *
paddock_package_manager_to_string (PaddockPackageManager manager)
{
  g_return_val_if_fail (manager < G_N_ELEMENTS (manager_names), NULL);

  return manager_names[manager];
}

gboolean
paddock_package_manager_from_string (const char            *str,
                                     PaddockPackageManager *manager)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (manager_names); i++)
    {
      if (g_str_equal (str, manager_names[i]))
        {
          *manager = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
paddock_file_policy_to_string (PaddockFilePolicy policy)
{
  g_return_val_if_fail (policy < G_N_ELEMENTS (policy_names), NULL);

  return policy_names[policy];
}

gboolean
paddock_file_policy_from_string (const char        *str,
                                 PaddockFilePolicy *policy)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (policy_names); i++)
    {
      if (g_ascii_strcasecmp (str, policy_names[i]) == 0)
        {
          *policy = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Packages */

PaddockPackage *
paddock_package_new (PaddockPackageManager  manager,
                     const char            *name,
                     const char            *version)
{
  PaddockPackage *package = g_new0 (PaddockPackage, 1);

  package->manager = manager;
  package->name = g_strdup (name);
  package->version = (version && *version) ? g_strdup (version) : NULL;
  if (manager == PADDOCK_PACKAGE_CUSTOM)
    package->timeout = PADDOCK_CUSTOM_PACKAGE_DEFAULT_TIMEOUT;

  return package;
}

PaddockPackage *
paddock_package_copy (const PaddockPackage *package)
{
  PaddockPackage *copy = g_memdup2 (package, sizeof *package);

  copy->name = g_strdup (package->name);
  copy->version = g_strdup (package->version);
  copy->check_command = g_strdup (package->check_command);
  copy->install_command = g_strdup (package->install_command);

  return copy;
}

void
paddock_package_free (PaddockPackage *package)
{
  if (package == NULL)
    return;

  g_free (package->name);
  g_free (package->version);
  g_free (package->check_command);
  g_free (package->install_command);
  g_free (package);
}

/* The identity used to de-duplicate packages (SPEC.md §6.1): manager, name and version. */
gboolean
paddock_package_same (const PaddockPackage *a,
                      const PaddockPackage *b)
{
  return a->manager == b->manager
         && g_strcmp0 (a->name, b->name) == 0
         && g_strcmp0 (a->version ? a->version : "", b->version ? b->version : "") == 0;
}

/* The line of a package file that reads back as this package (see paddock-template-parse.c). */
char *
paddock_package_to_line (const PaddockPackage *package)
{
  const char *version = package->version ? package->version : "";

  switch (package->manager)
    {
    case PADDOCK_PACKAGE_CUSTOM:
      /* An install command with pipes needs the timeout written to be read back whole. */
      if (package->timeout != PADDOCK_CUSTOM_PACKAGE_DEFAULT_TIMEOUT || strchr (package->install_command, '|'))
        return g_strdup_printf ("%s|%s|%s|%u", package->name, package->check_command,
                                package->install_command, package->timeout);
      return g_strdup_printf ("%s|%s|%s", package->name, package->check_command, package->install_command);

    case PADDOCK_PACKAGE_APT:
    case PADDOCK_PACKAGE_APK:
      return *version ? g_strdup_printf ("%s=%s", package->name, version) : g_strdup (package->name);

    case PADDOCK_PACKAGE_DNF:
      return *version ? g_strdup_printf ("%s-%s", package->name, version) : g_strdup (package->name);

    case PADDOCK_PACKAGE_NPM:
      return *version ? g_strdup_printf ("%s@%s", package->name, version) : g_strdup (package->name);

    case PADDOCK_PACKAGE_PIP:
      return g_strconcat (package->name, version, NULL);

    default:
      g_return_val_if_reached (NULL);
    }
}

static gboolean
all_chars_in (const char *str,
              const char *allowed_extra)
{
  for (const char *p = str; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (allowed_extra, *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
package_name_is_valid (PaddockPackageManager  manager,
                       const char            *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 214)
    return FALSE;

  switch (manager)
    {
    case PADDOCK_PACKAGE_APT:
      /* Debian policy §5.6.1: lower case, digits, + - . ; two characters or more. */
      if (len < 2 || !g_ascii_isalnum (name[0]))
        return FALSE;
      for (const char *p = name; *p; p++)
        if (g_ascii_isupper (*p))
          return FALSE;
      return all_chars_in (name, "+-.");

    case PADDOCK_PACKAGE_APK:
      return g_ascii_isalnum (name[0]) && all_chars_in (name, "+-._");

    case PADDOCK_PACKAGE_DNF:
      return g_ascii_isalnum (name[0]) && all_chars_in (name, "+-._");

    case PADDOCK_PACKAGE_NPM:
      {
        const char *bare = name;

        if (name[0] == '@')
          {
            const char *slash = strchr (name, '/');

            if (slash == NULL || slash == name + 1 || slash[1] == '\0')
              return FALSE;
            g_autofree char *scope = g_strndup (name + 1, slash - name - 1);

            bare = slash + 1;
            if (!all_chars_in (scope, "-._~"))
              return FALSE;
          }
        if (bare[0] == '.' || bare[0] == '_')
          return FALSE;
        for (const char *p = bare; *p; p++)
          if (g_ascii_isupper (*p))
            return FALSE;
        return all_chars_in (bare, "-._~");
      }

    case PADDOCK_PACKAGE_PIP:
      /* PEP 508 names, with optional extras: requests[socks] */
      {
        const char *bracket = strchr (name, '[');
        g_autofree char *base = bracket ? g_strndup (name, bracket - name) : g_strdup (name);

        if (base[0] == '\0' || !g_ascii_isalnum (base[0]) || !g_ascii_isalnum (base[strlen (base) - 1]))
          return FALSE;
        if (!all_chars_in (base, "-._"))
          return FALSE;
        if (bracket != NULL)
          {
            if (name[len - 1] != ']')
              return FALSE;
            g_autofree char *extras = g_strndup (bracket + 1, name + len - 1 - bracket - 1);
            return extras[0] != '\0' && all_chars_in (extras, "-._,");
          }
        return TRUE;
      }

    case PADDOCK_PACKAGE_CUSTOM:
      return g_ascii_isalnum (name[0]) && all_chars_in (name, "-._");

    default:
      return FALSE;
    }
}

static gboolean
version_is_valid (PaddockPackageManager  manager,
                  const char            *version)
{
  const char *v = version;

  if (manager == PADDOCK_PACKAGE_PIP)
    {
      static const char *operators[] = { "===", "==", ">=", "<=", "~=", "!=", ">", "<" };
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (operators) && !found; i++)
        {
          if (g_str_has_prefix (v, operators[i]))
            {
              v += strlen (operators[i]);
              found = TRUE;
            }
        }
      if (!found)
        return FALSE;
    }

  /* Digits, letters and the punctuation version schemes use; apt allows globs ("1.2.*"). */
  return *v != '\0' && strlen (v) <= 128 && all_chars_in (v, ".+~:*_-,");
}

static gboolean
is_blank (const char *str)
{
  for (const char *p = str; p != NULL && *p; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;

  return TRUE;
}

static gboolean
has_comment (const char *command)
{
  for (const char *p = command; p != NULL && *p; p++)
    if (*p == '#' && (p == command || g_ascii_isspace (p[-1])))
      return TRUE;

  return FALSE;
}

/**
 * paddock_package_validate:
 *
 * Checks a package's name and version against its manager's rules. Everything a package
 * holds ends up quoted on a command line, but refusing what no manager accepts catches typos
 * early and keeps option-looking names ("-y") out entirely.
 */
gboolean
paddock_package_validate (const PaddockPackage  *package,
                          GError               **error)
{
  const char *manager = paddock_package_manager_to_string (package->manager);

  if (package->name == NULL || !package_name_is_valid (package->manager, package->name))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "“%s” is not a valid %s package name", package->name ? package->name : "", manager);
      return FALSE;
    }

  if (package->manager == PADDOCK_PACKAGE_CUSTOM)
    {
      /* A package file line ends at " #": a command holding one would not read back. */
      if (has_comment (package->check_command) || has_comment (package->install_command))
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                       "Custom package “%s”: its commands cannot contain a “#” comment", package->name);
          return FALSE;
        }
      if (is_blank (package->check_command))
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                       "Custom package “%s” has no check command", package->name);
          return FALSE;
        }
      if (strchr (package->check_command, '|') != NULL || strchr (package->check_command, '\n') != NULL)
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                       "Custom package “%s”: the check command cannot contain “|” or a line break;"
                       " put it in a script", package->name);
          return FALSE;
        }
      if (is_blank (package->install_command) || strchr (package->install_command, '\n') != NULL)
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                       "Custom package “%s” has no install command", package->name);
          return FALSE;
        }
      if (package->timeout < 1 || package->timeout > 86400)
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                       "Custom package “%s”: timeout %u s is outside 1–86400 s", package->name, package->timeout);
          return FALSE;
        }
      if (package->version != NULL)
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                       "Custom package “%s” cannot have a version", package->name);
          return FALSE;
        }
      return TRUE;
    }

  if (package->version != NULL && !version_is_valid (package->manager, package->version))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   package->manager == PADDOCK_PACKAGE_PIP
                   ? "“%s” is not a valid pip version specifier for %s (use ==, >=, <=, ~=, !=, > or <)"
                   : "“%s” is not a valid version for %s",
                   package->version, package->name);
      return FALSE;
    }

  return TRUE;
}

/**
 * paddock_check_unit_name:
 *
 * A systemd unit name as systemd accepts it (systemd.unit(5)): up to 255 characters of
 * ASCII letters, digits and ":-_.\@", not starting with "-"; used for anything that reaches
 * systemctl or journalctl.
 */
gboolean
paddock_check_unit_name (const char  *name,
                         GError     **error)
{
  if (name == NULL || name[0] == '\0' || name[0] == '-' || name[0] == '.' || strlen (name) > 255
      || !all_chars_in (name, ":-_.\\@"))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "“%s” is not a valid systemd unit name", name ? name : "");
      return FALSE;
    }

  return TRUE;
}

/**
 * paddock_normalize_target_dir:
 *
 * Returns @path as an absolute, normalised directory ("/home//coder/./" → "/home/coder"),
 * refusing relative paths, "..", and control characters.
 */
char *
paddock_normalize_target_dir (const char  *path,
                              GError     **error)
{
  g_autoptr(GString) normal = g_string_new (NULL);
  g_auto(GStrv) parts = NULL;

  if (path == NULL || path[0] != '/')
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "“%s” is not an absolute path", path ? path : "");
      return NULL;
    }

  for (const char *p = path; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                       "The path contains a control character");
          return NULL;
        }
    }

  if (!g_utf8_validate (path, -1, NULL) || strlen (path) > 4096)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "The path is not valid UTF-8 or longer than 4096 bytes");
      return NULL;
    }

  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || g_str_equal (parts[i], "."))
        continue;
      if (g_str_equal (parts[i], ".."))
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                       "“%s” contains “..”", path);
          return NULL;
        }
      g_string_append_c (normal, '/');
      g_string_append (normal, parts[i]);
    }

  if (normal->len == 0)
    g_string_append_c (normal, '/');

  return g_string_free (g_steal_pointer (&normal), FALSE);
}

/* Proxmox's tag format (pve-apidoc "pve-tag"), which is also safe as part of a host name. */
gboolean
paddock_check_tag (const char  *tag,
                   GError     **error)
{
  if (tag == NULL || tag[0] == '\0' || strlen (tag) > 64 || tag[0] == '-' || tag[0] == '+' || tag[0] == '.'
      || !all_chars_in (tag, "_-+."))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "“%s” is not a valid tag (letters, digits, “_”, “-”, “+” and “.”, up to 64)", tag ? tag : "");
      return FALSE;
    }

  return TRUE;
}

/* Scripts */

PaddockTemplateScript *
paddock_template_script_new (guint       order,
                             const char *name,
                             const char *content)
{
  PaddockTemplateScript *script = g_new0 (PaddockTemplateScript, 1);

  script->order = order;
  script->name = g_strdup (name);
  script->enabled = TRUE;
  script->description = g_strdup ("");
  script->content = g_strdup (content);

  return script;
}

PaddockTemplateScript *
paddock_template_script_copy (const PaddockTemplateScript *script)
{
  PaddockTemplateScript *copy = g_memdup2 (script, sizeof *script);

  copy->name = g_strdup (script->name);
  copy->description = g_strdup (script->description);
  copy->content = g_strdup (script->content);

  return copy;
}

void
paddock_template_script_free (PaddockTemplateScript *script)
{
  if (script == NULL)
    return;

  g_free (script->name);
  g_free (script->description);
  g_free (script->content);
  g_free (script);
}

/* "NN-name.sh", the name the script has in a template directory and inside the container. */
char *
paddock_template_script_dup_file_name (const PaddockTemplateScript *script)
{
  return g_strdup_printf ("%02u-%s.sh", script->order, script->name);
}

/* Files */

PaddockTemplateFile *
paddock_template_file_new (const char *name,
                           const char *target_dir,
                           GBytes     *content)
{
  PaddockTemplateFile *file = g_new0 (PaddockTemplateFile, 1);

  file->name = g_strdup (name);
  file->target_dir = g_strdup (target_dir);
  file->policy = PADDOCK_FILE_POLICY_DEFAULT;
  file->content = content ? g_bytes_ref (content) : g_bytes_new (NULL, 0);

  return file;
}

PaddockTemplateFile *
paddock_template_file_copy (const PaddockTemplateFile *file)
{
  PaddockTemplateFile *copy = g_memdup2 (file, sizeof *file);

  copy->name = g_strdup (file->name);
  copy->target_dir = g_strdup (file->target_dir);
  copy->target_name = g_strdup (file->target_name);
  copy->content = g_bytes_ref (file->content);

  return copy;
}

void
paddock_template_file_free (PaddockTemplateFile *file)
{
  if (file == NULL)
    return;

  g_free (file->name);
  g_free (file->target_dir);
  g_free (file->target_name);
  g_bytes_unref (file->content);
  g_free (file);
}

char *
paddock_template_file_dup_target_path (const PaddockTemplateFile *file)
{
  return g_build_filename (file->target_dir, file->target_name ? file->target_name : file->name, NULL);
}

/* Problems */

PaddockProblem *
paddock_problem_new (PaddockProblemSeverity  severity,
                     const char             *field,
                     int                     index,
                     const char             *message)
{
  PaddockProblem *problem = g_new0 (PaddockProblem, 1);

  problem->severity = severity;
  problem->field = g_strdup (field);
  problem->index = index;
  problem->message = g_strdup (message);

  return problem;
}

PaddockProblem *
paddock_problem_copy (const PaddockProblem *problem)
{
  return paddock_problem_new (problem->severity, problem->field, problem->index, problem->message);
}

void
paddock_problem_free (PaddockProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

/* Buckets */

PaddockBucket *
paddock_bucket_new (const char *name,
                    const char *description)
{
  PaddockBucket *bucket = g_new0 (PaddockBucket, 1);

  bucket->name = g_strdup (name);
  bucket->description = g_strdup (description ? description : "");
  bucket->packages = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_package_free);

  return bucket;
}

PaddockBucket *
paddock_bucket_copy (const PaddockBucket *bucket)
{
  PaddockBucket *copy = paddock_bucket_new (bucket->name, bucket->description);

  copy->id = bucket->id;
  for (guint i = 0; i < bucket->packages->len; i++)
    g_ptr_array_add (copy->packages, paddock_package_copy (g_ptr_array_index (bucket->packages, i)));

  return copy;
}

void
paddock_bucket_free (PaddockBucket *bucket)
{
  if (bucket == NULL)
    return;

  g_free (bucket->name);
  g_free (bucket->description);
  g_ptr_array_unref (bucket->packages);
  g_free (bucket);
}

/* Import reports */

static const char *outcome_names[] = { "created", "updated", "unchanged", "failed" };

const char *
paddock_import_outcome_to_string (PaddockImportOutcome outcome)
{
  g_return_val_if_fail (outcome < G_N_ELEMENTS (outcome_names), NULL);

  return outcome_names[outcome];
}

PaddockImportReport *
paddock_import_report_copy (const PaddockImportReport *report)
{
  PaddockImportReport *copy = g_memdup2 (report, sizeof *report);

  copy->path = g_strdup (report->path);
  copy->name = g_strdup (report->name);
  copy->changes = g_strdupv (report->changes);
  copy->warnings = g_strdupv (report->warnings);
  copy->errors = g_strdupv (report->errors);

  return copy;
}

void
paddock_import_report_free (PaddockImportReport *report)
{
  if (report == NULL)
    return;

  g_free (report->path);
  g_free (report->name);
  g_strfreev (report->changes);
  g_strfreev (report->warnings);
  g_strfreev (report->errors);
  g_free (report);
}
