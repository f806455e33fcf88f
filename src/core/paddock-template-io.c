/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template-io.c: the infrahaus template directory format (SPEC.md §6.2), read and written */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paddock-template-io.h"
#include "paddock-template-parse-private.h"

/* Files of a template directory larger than this are refused instead of read into memory; one
 * import (a template or a tree of them) reads at most MAX_IMPORT_BYTES in MAX_IMPORT_FILES files. */
#define MAX_FILE_SIZE    (16 * 1024 * 1024)
#define MAX_IMPORT_BYTES (64 * 1024 * 1024)
#define MAX_IMPORT_FILES 5000

typedef struct
{
  guint64 bytes;
  guint   files;
} ImportBudget;

static const char *package_extensions[PADDOCK_N_PACKAGE_MANAGERS] = {
  ".apt", ".apk", ".dnf", ".npm", ".pip", ".custom"
};

static const char *sidecar_suffixes[] = { ".path", ".policy", ".name", ".mode" };

static void
bucket_source_free (gpointer data)
{
  PaddockBucketSource *bucket = data;

  g_free (bucket->name);
  g_ptr_array_unref (bucket->packages);
  g_free (bucket);
}

void
paddock_template_source_free (PaddockTemplateSource *source)
{
  if (source == NULL)
    return;

  g_free (source->path);
  g_clear_object (&source->template);
  g_ptr_array_unref (source->buckets);
  g_ptr_array_unref (source->warnings);
  g_ptr_array_unref (source->errors);
  g_free (source);
}

static void
add_message (GPtrArray  *messages,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_message (GPtrArray  *messages,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (messages, g_strdup_vprintf (format, args));
  va_end (args);
}

static gboolean
is_ignored_entry (const char *name)
{
  return g_str_equal (name, ".gitkeep") || g_str_equal (name, "README.md");
}

/* Reads a whole file, refusing a symbolic link (opened without following it, so a link swapped in
 * between the check and the read is refused too), anything that is not a regular file, a file that
 * is too large, and the file that would take the import past its budget. */
static GBytes *
read_file (const char    *path,
           const char    *display,
           ImportBudget  *budget,
           GError       **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize length = 0;
  int fd;

  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO, "%s: %s", display,
                   saved_errno == ELOOP ? "a symbolic link; templates are imported without following links"
                                        : g_strerror (saved_errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO, "%s: not a regular file", display);
      return NULL;
    }
  if (st.st_size > MAX_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO, "%s: larger than 16 MB", display);
      return NULL;
    }
  if (budget->files + 1 > MAX_IMPORT_FILES || budget->bytes + st.st_size > MAX_IMPORT_BYTES)
    {
      close (fd);
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO,
                   "%s: the import would read more than %u files or %u MB; split it into smaller imports",
                   display, MAX_IMPORT_FILES, MAX_IMPORT_BYTES >> 20);
      return NULL;
    }

  /* The size was checked; a file that grows meanwhile is read up to it. */
  contents = g_malloc (st.st_size + 1);
  while (length < (gsize) st.st_size)
    {
      gssize n = read (fd, contents + length, st.st_size - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO, "%s: %s", display,
                       g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;
      length += n;
    }
  close (fd);
  contents[length] = '\0';

  budget->files++;
  budget->bytes += length;

  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* A file that must be text: refused with "DISPLAY: not UTF-8 text" when it holds a NUL byte
 * or invalid UTF-8. */
static char *
read_text_file (const char    *path,
                const char    *display,
                ImportBudget  *budget,
                GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (!(bytes = read_file (path, display, budget, error)))
    return NULL;

  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (strlen (text) != g_bytes_get_size (bytes) || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE, "%s: not UTF-8 text", display);
      return NULL;
    }

  return g_steal_pointer (&text);
}

/* The sorted entries of a directory; a missing directory has none. */
static GPtrArray *
list_directory (const char  *path,
                GError     **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;
  GStatBuf st;

  /* A directory of the template that is a link would import files from elsewhere. */
  if (g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_LOOP,
                   "a symbolic link; templates are imported without following links");
      return NULL;
    }

  if (!(dir = g_dir_open (path, 0, &local_error)))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&names);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  g_ptr_array_sort (names, compare_names);

  return g_steal_pointer (&names);
}

static gboolean
is_directory (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

/* template.conf */

static const char *known_keys[] = {
  "TEMPLATE_APP", "TEMPLATE_TAGS", "TEMPLATE_DESCRIPTION", "TEMPLATE_CONFIG_PATH", "TEMPLATE_CPU",
  "TEMPLATE_RAM", "TEMPLATE_SWAP", "TEMPLATE_DISK", "TEMPLATE_OS", "TEMPLATE_VERSION", "TEMPLATE_OSTEMPLATE",
  "TEMPLATE_STORAGE", "TEMPLATE_BRIDGE", "TEMPLATE_UNPRIVILEGED", "TEMPLATE_NESTING", "TEMPLATE_KEYCTL",
  "TEMPLATE_FUSE", "TEMPLATE_ONBOOT",
};

static const char *
conf_get (GHashTable *values,
          const char *key)
{
  PaddockConfValue *value = g_hash_table_lookup (values, key);

  return value != NULL ? value->value : NULL;
}

static gboolean
conf_get_number (GHashTable *values,
                 const char *key,
                 guint64     min,
                 guint64     max,
                 guint      *number,
                 GPtrArray  *errors)
{
  PaddockConfValue *value = g_hash_table_lookup (values, key);
  g_autofree char *text = NULL;
  guint64 parsed;

  if (value == NULL)
    return FALSE;

  text = g_strstrip (g_strdup (value->value));
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &parsed, NULL))
    {
      add_message (errors, "template.conf:%u: %s is “%s”, not a whole number between %" G_GUINT64_FORMAT
                   " and %" G_GUINT64_FORMAT, value->line, key, value->value, min, max);
      return FALSE;
    }

  *number = parsed;
  return TRUE;
}

static void
conf_get_flag (GHashTable *values,
               const char *key,
               GPtrArray  *errors,
               PaddockTemplate *template,
               void      (*setter) (PaddockTemplate *, gboolean))
{
  PaddockConfValue *value = g_hash_table_lookup (values, key);
  g_autofree char *text = NULL;

  if (value == NULL)
    return;

  text = g_strstrip (g_ascii_strdown (value->value, -1));
  if (g_str_equal (text, "1") || g_str_equal (text, "yes") || g_str_equal (text, "true") || g_str_equal (text, "on"))
    setter (template, TRUE);
  else if (g_str_equal (text, "0") || g_str_equal (text, "no") || g_str_equal (text, "false") || g_str_equal (text, "off")
           || text[0] == '\0')
    setter (template, FALSE);
  else
    add_message (errors, "template.conf:%u: %s is “%s”; use 1 or 0", value->line, key, value->value);
}

static PaddockTemplate *
read_conf (const char   *dir,
           ImportBudget *budget,
           GPtrArray    *warnings,
           GPtrArray    *errors)
{
  g_autofree char *path = g_build_filename (dir, "template.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(PaddockTemplate) template = NULL;
  g_autofree char *dir_name = g_path_get_basename (dir);
  const char *app, *os, *version, *os_template, *text;
  guint number;
  GHashTableIter iter;
  gpointer key, val;

  if (!(bytes = read_file (path, "template.conf", budget, &error)))
    {
      add_message (errors, "%s", error->message);
      return NULL;
    }

  if (!(values = _paddock_conf_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      "template.conf", warnings, &error)))
    {
      add_message (errors, "%s", error->message);
      return NULL;
    }

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &val))
    {
      if (!g_strv_contains (known_keys, key))
        add_message (warnings, "template.conf:%u: %s is not a template setting Paddock knows; ignored",
                     ((PaddockConfValue *) val)->line, (const char *) key);
    }

  /* The human name infrahaus' scripts show; the directory name when there is none. */
  app = conf_get (values, "TEMPLATE_APP");
  template = paddock_template_new (app != NULL && strspn (app, " \t") < strlen (app) ? app : dir_name);
  if ((text = conf_get (values, "TEMPLATE_DESCRIPTION")))
    paddock_template_set_description (template, text);
  if ((text = conf_get (values, "TEMPLATE_TAGS")))
    {
      g_autofree char *joined = NULL;
      g_auto(GStrv) tags = NULL;

      paddock_template_set_tags (template, text);
      tags = paddock_template_dup_tag_list (template);
      joined = g_strjoinv (";", tags);
      paddock_template_set_tags (template, joined);
    }

  os_template = conf_get (values, "TEMPLATE_OSTEMPLATE");
  os = conf_get (values, "TEMPLATE_OS");
  version = conf_get (values, "TEMPLATE_VERSION");
  if (os_template != NULL && os_template[0] != '\0')
    paddock_template_set_os_template (template, os_template);
  else if (os != NULL || version != NULL)
    {
      g_autofree char *pattern = g_strdup_printf ("%s-%s-standard", os && *os ? os : "debian",
                                                  version && *version ? version : "12");
      paddock_template_set_os_template (template, pattern);
    }

  if (conf_get_number (values, "TEMPLATE_CPU", 1, 8192, &number, errors))
    paddock_template_set_cores (template, number);
  if (conf_get_number (values, "TEMPLATE_RAM", 16, G_MAXINT32, &number, errors))
    paddock_template_set_memory (template, number);
  if (conf_get_number (values, "TEMPLATE_SWAP", 0, G_MAXINT32, &number, errors))
    paddock_template_set_swap (template, number);
  if (conf_get_number (values, "TEMPLATE_DISK", 1, 1024 * 1024, &number, errors))
    paddock_template_set_disk (template, number);
  if ((text = conf_get (values, "TEMPLATE_STORAGE")))
    paddock_template_set_storage (template, text);
  if ((text = conf_get (values, "TEMPLATE_BRIDGE")))
    paddock_template_set_bridge (template, text);

  conf_get_flag (values, "TEMPLATE_UNPRIVILEGED", errors, template, paddock_template_set_unprivileged);
  conf_get_flag (values, "TEMPLATE_NESTING", errors, template, paddock_template_set_nesting);
  conf_get_flag (values, "TEMPLATE_KEYCTL", errors, template, paddock_template_set_keyctl);
  conf_get_flag (values, "TEMPLATE_FUSE", errors, template, paddock_template_set_fuse);
  conf_get_flag (values, "TEMPLATE_ONBOOT", errors, template, paddock_template_set_onboot);

  return g_steal_pointer (&template);
}

/* Packages */

static void
read_packages (const char            *dir,
               ImportBudget          *budget,
               PaddockTemplateSource *source)
{
  g_autofree char *packages_dir = g_build_filename (dir, "container-configs", "packages", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  if (!(names = list_directory (packages_dir, &error)))
    {
      add_message (source->errors, "packages: %s", error->message);
      return;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (packages_dir, name, NULL);
      g_autofree char *display = g_strdup_printf ("packages/%s", name);
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) lines = NULL;
      g_autofree char *text = NULL;
      PaddockBucketSource *bucket;
      int manager = -1;

      if (is_ignored_entry (name))
        continue;
      if (is_directory (path))
        {
          add_message (source->warnings, "%s: a subdirectory; not imported", display);
          continue;
        }

      for (guint m = 0; m < G_N_ELEMENTS (package_extensions); m++)
        if (g_str_has_suffix (name, package_extensions[m]) && strlen (name) > strlen (package_extensions[m]))
          manager = m;
      if (manager < 0)
        {
          add_message (source->warnings, "%s: not a package file (.apt, .apk, .dnf, .npm, .pip or .custom); ignored",
                       display);
          continue;
        }

      if (!(text = read_text_file (path, display, budget, &local_error)))
        {
          add_message (source->errors, "%s", local_error->message);
          continue;
        }

      bucket = g_new0 (PaddockBucketSource, 1);
      bucket->name = g_strdup (name);
      bucket->packages = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_package_free);
      g_ptr_array_add (source->buckets, bucket);

      lines = g_strsplit (text, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_autoptr(PaddockPackage) package = NULL;
          g_autoptr(GError) line_error = NULL;

          if (!_paddock_package_line_parse (manager, lines[l], &package, &line_error))
            {
              add_message (source->errors, "%s:%u: %s", display, l + 1, line_error->message);
              continue;
            }
          if (package == NULL)
            continue;

          if (!paddock_template_add_package (source->template, package))
            add_message (source->warnings, "%s:%u: %s is listed more than once; kept once", display, l + 1, package->name);
          g_ptr_array_add (bucket->packages, g_steal_pointer (&package));
        }
    }
}

/* Scripts */

/* The first comment after the shebang that says something, as infrahaus' seed took it. */
static char *
describe_script (const char *content)
{
  g_auto(GStrv) lines = g_strsplit (content, "\n", 40);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      gboolean has_words = FALSE;

      if (line[0] == '\0' || g_str_has_prefix (line, "#!"))
        continue;
      if (line[0] != '#')
        break;

      line += strspn (line, "#");
      g_strstrip (line);
      for (const char *p = line; *p && !has_words; p++)
        has_words = g_ascii_isalnum (*p);
      if (has_words)
        {
          if (g_utf8_strlen (line, -1) > 200)
            *g_utf8_offset_to_pointer (line, 200) = '\0';
          return g_strdup (line);
        }
    }

  return g_strdup ("");
}

static void
read_scripts (const char            *dir,
              ImportBudget          *budget,
              PaddockTemplateSource *source)
{
  g_autofree char *scripts_dir = g_build_filename (dir, "container-configs", "scripts", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) unnumbered = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_template_script_free);
  guint last_order = 0;

  if (!(names = list_directory (scripts_dir, &error)))
    {
      add_message (source->errors, "scripts: %s", error->message);
      return;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (scripts_dir, name, NULL);
      g_autofree char *display = g_strdup_printf ("scripts/%s", name);
      g_autofree char *stem = NULL;
      g_autofree char *description_path = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PaddockTemplateScript) script = NULL;
      g_autofree char *content = NULL;
      gboolean enabled = TRUE;
      const char *rest;
      guint64 order = 0;
      gboolean numbered = FALSE;

      if (is_ignored_entry (name) || g_str_has_suffix (name, ".description"))
        continue;
      if (is_directory (path))
        {
          add_message (source->warnings, "%s: a subdirectory; not imported", display);
          continue;
        }

      if (g_str_has_suffix (name, ".sh.disabled"))
        {
          stem = g_strndup (name, strlen (name) - strlen (".sh.disabled"));
          enabled = FALSE;
        }
      else if (g_str_has_suffix (name, ".sh"))
        stem = g_strndup (name, strlen (name) - strlen (".sh"));
      else
        {
          add_message (source->warnings, "%s: not a script (.sh); ignored", display);
          continue;
        }

      rest = stem;
      if (g_ascii_isdigit (stem[0]))
        {
          const char *dash = stem + strspn (stem, "0123456789");

          if (*dash == '-' && dash[1] != '\0')
            {
              g_autofree char *digits = g_strndup (stem, dash - stem);

              if (!g_ascii_string_to_unsigned (digits, 10, 0, 9999, &order, NULL))
                {
                  add_message (source->errors, "%s: the number %s is above 9999", display, digits);
                  continue;
                }
              numbered = TRUE;
              rest = dash + 1;
            }
        }

      if (!(content = read_text_file (path, display, budget, &local_error)))
        {
          add_message (source->errors, "%s", local_error->message);
          continue;
        }

      script = paddock_template_script_new (order, rest, content);
      script->enabled = enabled;
      g_free (script->description);
      description_path = g_strdup_printf ("%s/%s.description", scripts_dir, stem);
      if (g_file_test (description_path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *text = read_text_file (description_path, display, budget, NULL);

          script->description = g_strdup (text ? g_strstrip (text) : "");
        }
      else
        script->description = describe_script (content);

      if (numbered)
        {
          last_order = MAX (last_order, order);
          paddock_template_add_script (source->template, script);
        }
      else
        {
          add_message (source->warnings, "%s: has no “NN-” number; it runs after the numbered scripts", display);
          g_ptr_array_add (unnumbered, g_steal_pointer (&script));
        }
    }

  /* Unnumbered scripts run last, in name order (the names are sorted already). */
  for (guint i = 0; i < unnumbered->len; i++)
    {
      PaddockTemplateScript *script = g_ptr_array_index (unnumbered, i);

      script->order = MIN (last_order + 1 + i, 9999);
      paddock_template_add_script (source->template, script);
    }

  paddock_template_sort_scripts (source->template);
}

/* Files */

static gboolean
is_sidecar (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (sidecar_suffixes); i++)
    if (g_str_has_suffix (name, sidecar_suffixes[i]))
      return TRUE;

  return FALSE;
}

/* A sidecar's first line, trimmed, or NULL when there is none. */
static char *
read_sidecar (const char   *files_dir,
              const char   *name,
              const char   *suffix,
              ImportBudget *budget,
              GPtrArray    *errors)
{
  g_autofree char *path = g_strdup_printf ("%s/%s%s", files_dir, name, suffix);
  g_autofree char *display = g_strdup_printf ("files/%s%s", name, suffix);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char *newline;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  if (!(text = read_text_file (path, display, budget, &error)))
    {
      add_message (errors, "%s", error->message);
      return NULL;
    }

  if ((newline = strchr (text, '\n')) != NULL)
    *newline = '\0';

  return g_strdup (g_strstrip (text));
}

static void
read_files (const char            *dir,
            ImportBudget          *budget,
            PaddockTemplateSource *source)
{
  g_autofree char *files_dir = g_build_filename (dir, "container-configs", "files", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  if (!(names = list_directory (files_dir, &error)))
    {
      add_message (source->errors, "files: %s", error->message);
      return;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (files_dir, name, NULL);
      g_autofree char *display = g_strdup_printf ("files/%s", name);
      g_autofree char *target = NULL;
      g_autofree char *policy_text = NULL;
      g_autofree char *target_name = NULL;
      g_autofree char *mode_text = NULL;
      g_autofree char *normal = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PaddockTemplateFile) file = NULL;
      PaddockFilePolicy policy = PADDOCK_FILE_POLICY_DEFAULT;

      if (is_sidecar (name))
        {
          /* An orphan sidecar usually means its file was renamed: say so. */
          const char *dot = strrchr (name, '.');
          g_autofree char *base = g_strndup (name, dot - name);
          g_autofree char *base_path = g_build_filename (files_dir, base, NULL);

          if (!g_file_test (base_path, G_FILE_TEST_EXISTS))
            add_message (source->warnings, "%s: no file “%s” beside it; ignored", display, base);
          continue;
        }

      target = read_sidecar (files_dir, name, ".path", budget, source->errors);
      if ((is_ignored_entry (name)) && target == NULL)
        continue;
      if (is_directory (path))
        {
          add_message (source->warnings, "%s: a subdirectory; not imported", display);
          continue;
        }

      if (target == NULL || target[0] == '\0')
        {
          add_message (source->errors, "%s.path: missing or empty; it must name the target directory", display);
          continue;
        }
      /* config-manager removed all whitespace from the path line; do the same. */
      {
        GString *squeezed = g_string_new (NULL);

        for (const char *p = target; *p; p++)
          if (!g_ascii_isspace (*p))
            g_string_append_c (squeezed, *p);
        g_free (target);
        target = g_string_free (squeezed, FALSE);
      }
      if (!(normal = paddock_normalize_target_dir (target, &local_error)))
        {
          add_message (source->errors, "%s.path:1: %s", display, local_error->message);
          continue;
        }

      policy_text = read_sidecar (files_dir, name, ".policy", budget, source->errors);
      if (policy_text == NULL || policy_text[0] == '\0')
        add_message (source->warnings, "%s.policy: missing; using “default” (copy only when absent)", display);
      else if (!paddock_file_policy_from_string (policy_text, &policy))
        {
          add_message (source->errors, "%s.policy:1: “%s” is not a policy (replace, default or backup)",
                       display, policy_text);
          continue;
        }

      target_name = read_sidecar (files_dir, name, ".name", budget, source->errors);
      mode_text = read_sidecar (files_dir, name, ".mode", budget, source->errors);

      if (!(bytes = read_file (path, display, budget, &local_error)))
        {
          add_message (source->errors, "%s", local_error->message);
          continue;
        }

      file = paddock_template_file_new (name, normal, bytes);
      file->policy = policy;
      if (target_name != NULL && target_name[0] != '\0' && !g_str_equal (target_name, name))
        file->target_name = g_steal_pointer (&target_name);
      if (mode_text != NULL && mode_text[0] != '\0')
        {
          guint64 mode;

          if (!g_ascii_string_to_unsigned (mode_text, 8, 0, 07777, &mode, NULL))
            {
              add_message (source->errors, "%s.mode:1: “%s” is not an octal file mode", display, mode_text);
              continue;
            }
          file->mode = mode;
        }

      paddock_template_add_file (source->template, file);
    }
}

/* Validation problems of the assembled template, named after the file they come from. */
static void
add_validation_problems (PaddockTemplateSource *source)
{
  g_autoptr(GPtrArray) problems = paddock_template_validate (source->template, 0);

  for (guint i = 0; i < problems->len; i++)
    {
      const PaddockProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *where = NULL;

      if (problem->severity != PADDOCK_PROBLEM_ERROR)
        continue;

      if (g_str_equal (problem->field, "scripts") && problem->index >= 0)
        where = g_strdup_printf ("scripts/%s",
                                 ((PaddockTemplateScript *) g_ptr_array_index (paddock_template_get_scripts (source->template),
                                                                               problem->index))->name);
      else if (g_str_equal (problem->field, "files") && problem->index >= 0)
        where = g_strdup_printf ("files/%s",
                                 ((PaddockTemplateFile *) g_ptr_array_index (paddock_template_get_files (source->template),
                                                                             problem->index))->name);
      else if (g_str_equal (problem->field, "packages"))
        where = g_strdup ("packages");
      else
        where = g_strdup ("template.conf");

      add_message (source->errors, "%s: %s", where, problem->message);
    }
}

static PaddockTemplateSource *
read_directory (const char   *path,
                ImportBudget *budget)
{
  g_autoptr(PaddockTemplateSource) source = g_new0 (PaddockTemplateSource, 1);
  g_autoptr(GPtrArray) subdirs = NULL;
  g_autofree char *configs = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  source->path = g_canonicalize_filename (path, NULL);
  source->buckets = g_ptr_array_new_with_free_func (bucket_source_free);
  source->warnings = g_ptr_array_new_with_free_func (g_free);
  source->errors = g_ptr_array_new_with_free_func (g_free);

  if (!(source->template = read_conf (source->path, budget, source->warnings, source->errors)))
    return g_steal_pointer (&source);

  paddock_template_set_source_path (source->template, source->path);

  configs = g_build_filename (source->path, "container-configs", NULL);
  {
    GStatBuf st;

    if (g_lstat (configs, &st) == 0 && S_ISLNK (st.st_mode))
      {
        add_message (source->errors, "container-configs: a symbolic link; templates are imported without "
                     "following links");
        g_clear_object (&source->template);
        return g_steal_pointer (&source);
      }
  }

  read_packages (source->path, budget, source);
  read_scripts (source->path, budget, source);
  read_files (source->path, budget, source);

  if ((subdirs = list_directory (configs, NULL)) != NULL)
    {
      for (guint i = 0; i < subdirs->len; i++)
        {
          const char *name = g_ptr_array_index (subdirs, i);

          if (!g_str_equal (name, "packages") && !g_str_equal (name, "scripts") && !g_str_equal (name, "files")
              && !is_ignored_entry (name))
            add_message (source->warnings, "container-configs/%s: not part of the template format; ignored", name);
        }
    }

  if (source->errors->len == 0)
    add_validation_problems (source);

  if (source->errors->len > 0)
    g_clear_object (&source->template);

  return g_steal_pointer (&source);
}

PaddockTemplateSource *
paddock_template_read_directory (const char *path)
{
  ImportBudget budget = { 0 };

  g_return_val_if_fail (path != NULL, NULL);

  return read_directory (path, &budget);
}

GPtrArray *
paddock_template_read_tree (const char  *root,
                            GError     **error)
{
  ImportBudget budget = { 0 };
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_template_source_free);
  g_autofree char *conf = g_build_filename (root, "template.conf", NULL);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_file_test (conf, G_FILE_TEST_EXISTS))
    {
      g_ptr_array_add (sources, read_directory (root, &budget));
      return g_steal_pointer (&sources);
    }

  if (!is_directory (root))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO,
                   "%s is not a directory", root);
      return NULL;
    }

  if (!(names = list_directory (root, &local_error)))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO,
                   "%s: %s", root, local_error->message);
      return NULL;
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *dir = g_build_filename (root, g_ptr_array_index (names, i), NULL);
      g_autofree char *dir_conf = g_build_filename (dir, "template.conf", NULL);

      if (is_directory (dir) && g_file_test (dir_conf, G_FILE_TEST_EXISTS))
        g_ptr_array_add (sources, read_directory (dir, &budget));
    }

  if (sources->len == 0)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO,
                   "%s holds no template (a directory with a template.conf)", root);
      return NULL;
    }

  return g_steal_pointer (&sources);
}

/* Writing */

static gboolean
write_file (const char  *dir,
            const char  *name,
            const void  *data,
            gsize        length,
            int          mode,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, mode, error))
    return FALSE;

  return TRUE;
}

static gboolean
write_text (const char  *dir,
            const char  *name,
            const char  *text,
            GError     **error)
{
  return write_file (dir, name, text, strlen (text), 0644, error);
}

static void
append_assignment (GString    *conf,
                   const char *key,
                   const char *value)
{
  g_autofree char *quoted = g_shell_quote (value);

  g_string_append_printf (conf, "%s=%s\n", key, quoted);
}

static char *
render_conf (PaddockTemplate *template)
{
  g_autoptr(GString) conf = g_string_new ("# Written by Paddock: bash assignments, as infrahaus' scripts source them\n");
  g_autoptr(GRegex) standard = g_regex_new ("^([a-z]+)-([0-9][0-9.]*)-standard$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *os = paddock_template_get_os_template (template);

  append_assignment (conf, "TEMPLATE_APP", paddock_template_get_name (template));
  append_assignment (conf, "TEMPLATE_DESCRIPTION", paddock_template_get_description (template));
  append_assignment (conf, "TEMPLATE_TAGS", paddock_template_get_tags (template));

  if (g_regex_match (standard, os, 0, &match))
    {
      g_autofree char *name = g_match_info_fetch (match, 1);
      g_autofree char *version = g_match_info_fetch (match, 2);

      append_assignment (conf, "TEMPLATE_OS", name);
      append_assignment (conf, "TEMPLATE_VERSION", version);
    }
  else
    append_assignment (conf, "TEMPLATE_OSTEMPLATE", os);

  /* The "${X:-default}" form lets infrahaus' scripts override values from the environment. */
  g_string_append_printf (conf, "TEMPLATE_CPU=\"${TEMPLATE_CPU:-%u}\"\n", paddock_template_get_cores (template));
  g_string_append_printf (conf, "TEMPLATE_RAM=\"${TEMPLATE_RAM:-%u}\"\n", paddock_template_get_memory (template));
  if (paddock_template_get_swap (template) >= 0)
    g_string_append_printf (conf, "TEMPLATE_SWAP=\"${TEMPLATE_SWAP:-%d}\"\n", paddock_template_get_swap (template));
  g_string_append_printf (conf, "TEMPLATE_DISK=\"${TEMPLATE_DISK:-%u}\"\n", paddock_template_get_disk (template));
  if (paddock_template_get_storage (template))
    append_assignment (conf, "TEMPLATE_STORAGE", paddock_template_get_storage (template));
  if (paddock_template_get_bridge (template))
    append_assignment (conf, "TEMPLATE_BRIDGE", paddock_template_get_bridge (template));
  g_string_append_printf (conf, "TEMPLATE_UNPRIVILEGED=\"${TEMPLATE_UNPRIVILEGED:-%d}\"  # 1 = unprivileged\n",
                          paddock_template_get_unprivileged (template));
  g_string_append_printf (conf, "TEMPLATE_NESTING=\"${TEMPLATE_NESTING:-%d}\"\n", paddock_template_get_nesting (template));
  g_string_append_printf (conf, "TEMPLATE_KEYCTL=\"${TEMPLATE_KEYCTL:-%d}\"\n", paddock_template_get_keyctl (template));
  g_string_append_printf (conf, "TEMPLATE_FUSE=\"${TEMPLATE_FUSE:-%d}\"\n", paddock_template_get_fuse (template));
  g_string_append_printf (conf, "TEMPLATE_ONBOOT=\"${TEMPLATE_ONBOOT:-%d}\"\n", paddock_template_get_onboot (template));

  return g_string_free (g_steal_pointer (&conf), FALSE);
}

static gboolean
write_template (PaddockTemplate  *template,
                const char       *dir,
                GError          **error)
{
  g_autofree char *packages_dir = g_build_filename (dir, "container-configs", "packages", NULL);
  g_autofree char *scripts_dir = g_build_filename (dir, "container-configs", "scripts", NULL);
  g_autofree char *files_dir = g_build_filename (dir, "container-configs", "files", NULL);
  g_autofree char *conf = render_conf (template);
  GPtrArray *packages = paddock_template_get_packages (template);
  GPtrArray *scripts = paddock_template_get_scripts (template);
  GPtrArray *files = paddock_template_get_files (template);

  if (g_mkdir_with_parents (packages_dir, 0755) != 0 || g_mkdir_with_parents (scripts_dir, 0755) != 0
      || g_mkdir_with_parents (files_dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO,
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!write_text (dir, "template.conf", conf, error))
    return FALSE;

  for (guint m = 0; m < PADDOCK_N_PACKAGE_MANAGERS; m++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *file_name = g_strconcat ("packages", package_extensions[m], NULL);

      for (guint i = 0; i < packages->len; i++)
        {
          const PaddockPackage *package = g_ptr_array_index (packages, i);
          g_autofree char *line = NULL;

          if (package->manager != m)
            continue;
          line = paddock_package_to_line (package);
          g_string_append_printf (text, "%s\n", line);
        }

      if (text->len > 0 && !write_text (packages_dir, file_name, text->str, error))
        return FALSE;
    }

  for (guint i = 0; i < scripts->len; i++)
    {
      const PaddockTemplateScript *script = g_ptr_array_index (scripts, i);
      g_autofree char *file_name = paddock_template_script_dup_file_name (script);
      g_autofree char *derived = describe_script (script->content);

      if (!script->enabled)
        {
          char *disabled = g_strconcat (file_name, ".disabled", NULL);

          g_free (file_name);
          file_name = disabled;
        }
      if (!write_file (scripts_dir, file_name, script->content, strlen (script->content), 0755, error))
        return FALSE;

      if (g_strcmp0 (derived, script->description) != 0)
        {
          g_autofree char *description_name = g_strdup_printf ("%02u-%s.description", script->order, script->name);
          g_autofree char *text = g_strdup_printf ("%s\n", script->description ? script->description : "");

          if (!write_text (scripts_dir, description_name, text, error))
            return FALSE;
        }
    }

  for (guint i = 0; i < files->len; i++)
    {
      const PaddockTemplateFile *file = g_ptr_array_index (files, i);
      g_autofree char *path_name = g_strconcat (file->name, ".path", NULL);
      g_autofree char *policy_name = g_strconcat (file->name, ".policy", NULL);
      g_autofree char *path_text = g_strdup_printf ("%s\n", file->target_dir);
      g_autofree char *policy_text = g_strdup_printf ("%s\n", paddock_file_policy_to_string (file->policy));
      gsize length;
      const void *data = g_bytes_get_data (file->content, &length);

      if (!write_file (files_dir, file->name, data, length, 0644, error)
          || !write_text (files_dir, path_name, path_text, error)
          || !write_text (files_dir, policy_name, policy_text, error))
        return FALSE;

      if (file->target_name != NULL && !g_str_equal (file->target_name, file->name))
        {
          g_autofree char *name_name = g_strconcat (file->name, ".name", NULL);
          g_autofree char *name_text = g_strdup_printf ("%s\n", file->target_name);

          if (!write_text (files_dir, name_name, name_text, error))
            return FALSE;
        }
      if (file->mode != 0)
        {
          g_autofree char *mode_name = g_strconcat (file->name, ".mode", NULL);
          g_autofree char *mode_text = g_strdup_printf ("%04o\n", file->mode);

          if (!write_text (files_dir, mode_name, mode_text, error))
            return FALSE;
        }
    }

  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GPtrArray) names = list_directory (path, NULL);

  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      if (is_directory (child))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

gboolean
paddock_template_write_directory (PaddockTemplate  *template,
                                  const char       *path,
                                  GError          **error)
{
  g_autofree char *parent = NULL;
  g_autofree char *staging = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GPtrArray) existing = NULL;

  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (template), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!paddock_template_check (template, error))
    return FALSE;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!is_directory (path) || !(existing = list_directory (path, NULL)) || existing->len > 0)
        {
          g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO,
                       "%s exists and is not an empty directory", path);
          return FALSE;
        }
    }

  parent = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  staging = g_strdup_printf ("%s/.%s.paddock-XXXXXX", parent, base);
  if (g_mkdtemp_full (staging, 0755) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO,
                   "Could not write in %s: %s", parent, g_strerror (saved_errno));
      return FALSE;
    }

  if (!write_template (template, staging, error))
    {
      remove_tree (staging);
      return FALSE;
    }

  if (existing != NULL)
    g_rmdir (path);

  if (g_rename (staging, path) != 0)
    {
      int saved_errno = errno;

      remove_tree (staging);
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_IO,
                   "Could not create %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}
