/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template.c: a reusable container description (SPEC.md §6.1) */

#include "config.h"

#include <string.h>

#include "paddock-template.h"

struct _PaddockTemplate
{
  GObject    parent_instance;
  gint64     id;
  char      *name;
  char      *description;
  char      *tags;
  char      *os_template;
  guint      cores;
  guint      memory;
  int        swap;         /* -1: not set, Proxmox's default */
  guint      disk;
  char      *storage;
  char      *bridge;
  char      *source_path;
  gint64     updated_at;
  GPtrArray *packages;
  GPtrArray *scripts;
  GPtrArray *files;
  guint      unprivileged : 1;
  guint      nesting : 1;
  guint      keyctl : 1;
  guint      fuse : 1;
  guint      onboot : 1;
};

G_DEFINE_FINAL_TYPE (PaddockTemplate, paddock_template, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_TAGS,
  PROP_OS_TEMPLATE,
  PROP_CORES,
  PROP_MEMORY,
  PROP_SWAP,
  PROP_DISK,
  PROP_STORAGE,
  PROP_BRIDGE,
  PROP_UNPRIVILEGED,
  PROP_NESTING,
  PROP_KEYCTL,
  PROP_FUSE,
  PROP_ONBOOT,
  PROP_SOURCE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
paddock_template_finalize (GObject *object)
{
  PaddockTemplate *self = PADDOCK_TEMPLATE (object);

  g_free (self->name);
  g_free (self->description);
  g_free (self->tags);
  g_free (self->os_template);
  g_free (self->storage);
  g_free (self->bridge);
  g_free (self->source_path);
  g_ptr_array_unref (self->packages);
  g_ptr_array_unref (self->scripts);
  g_ptr_array_unref (self->files);

  G_OBJECT_CLASS (paddock_template_parent_class)->finalize (object);
}

static void
paddock_template_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PaddockTemplate *self = PADDOCK_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_TAGS: g_value_set_string (value, self->tags); break;
    case PROP_OS_TEMPLATE: g_value_set_string (value, self->os_template); break;
    case PROP_CORES: g_value_set_uint (value, self->cores); break;
    case PROP_MEMORY: g_value_set_uint (value, self->memory); break;
    case PROP_SWAP: g_value_set_int (value, self->swap); break;
    case PROP_DISK: g_value_set_uint (value, self->disk); break;
    case PROP_STORAGE: g_value_set_string (value, self->storage); break;
    case PROP_BRIDGE: g_value_set_string (value, self->bridge); break;
    case PROP_UNPRIVILEGED: g_value_set_boolean (value, self->unprivileged); break;
    case PROP_NESTING: g_value_set_boolean (value, self->nesting); break;
    case PROP_KEYCTL: g_value_set_boolean (value, self->keyctl); break;
    case PROP_FUSE: g_value_set_boolean (value, self->fuse); break;
    case PROP_ONBOOT: g_value_set_boolean (value, self->onboot); break;
    case PROP_SOURCE_PATH: g_value_set_string (value, self->source_path); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_template_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PaddockTemplate *self = PADDOCK_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID: paddock_template_set_id (self, g_value_get_int64 (value)); break;
    case PROP_NAME: paddock_template_set_name (self, g_value_get_string (value)); break;
    case PROP_DESCRIPTION: paddock_template_set_description (self, g_value_get_string (value)); break;
    case PROP_TAGS: paddock_template_set_tags (self, g_value_get_string (value)); break;
    case PROP_OS_TEMPLATE: paddock_template_set_os_template (self, g_value_get_string (value)); break;
    case PROP_CORES: paddock_template_set_cores (self, g_value_get_uint (value)); break;
    case PROP_MEMORY: paddock_template_set_memory (self, g_value_get_uint (value)); break;
    case PROP_SWAP: paddock_template_set_swap (self, g_value_get_int (value)); break;
    case PROP_DISK: paddock_template_set_disk (self, g_value_get_uint (value)); break;
    case PROP_STORAGE: paddock_template_set_storage (self, g_value_get_string (value)); break;
    case PROP_BRIDGE: paddock_template_set_bridge (self, g_value_get_string (value)); break;
    case PROP_UNPRIVILEGED: paddock_template_set_unprivileged (self, g_value_get_boolean (value)); break;
    case PROP_NESTING: paddock_template_set_nesting (self, g_value_get_boolean (value)); break;
    case PROP_KEYCTL: paddock_template_set_keyctl (self, g_value_get_boolean (value)); break;
    case PROP_FUSE: paddock_template_set_fuse (self, g_value_get_boolean (value)); break;
    case PROP_ONBOOT: paddock_template_set_onboot (self, g_value_get_boolean (value)); break;
    case PROP_SOURCE_PATH: paddock_template_set_source_path (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_template_class_init (PaddockTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = paddock_template_finalize;
  object_class->get_property = paddock_template_get_property;
  object_class->set_property = paddock_template_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, rw);
  properties[PROP_TAGS] = g_param_spec_string ("tags", NULL, NULL, NULL, rw);
  properties[PROP_OS_TEMPLATE] = g_param_spec_string ("os-template", NULL, NULL, NULL, rw);
  properties[PROP_CORES] = g_param_spec_uint ("cores", NULL, NULL, 0, G_MAXUINT, PADDOCK_TEMPLATE_DEFAULT_CORES, rw);
  properties[PROP_MEMORY] = g_param_spec_uint ("memory", NULL, NULL, 0, G_MAXUINT, PADDOCK_TEMPLATE_DEFAULT_MEMORY, rw);
  properties[PROP_SWAP] = g_param_spec_int ("swap", NULL, NULL, -1, G_MAXINT, -1, rw);
  properties[PROP_DISK] = g_param_spec_uint ("disk", NULL, NULL, 0, G_MAXUINT, PADDOCK_TEMPLATE_DEFAULT_DISK, rw);
  properties[PROP_STORAGE] = g_param_spec_string ("storage", NULL, NULL, NULL, rw);
  properties[PROP_BRIDGE] = g_param_spec_string ("bridge", NULL, NULL, NULL, rw);
  properties[PROP_UNPRIVILEGED] = g_param_spec_boolean ("unprivileged", NULL, NULL, TRUE, rw);
  properties[PROP_NESTING] = g_param_spec_boolean ("nesting", NULL, NULL, FALSE, rw);
  properties[PROP_KEYCTL] = g_param_spec_boolean ("keyctl", NULL, NULL, FALSE, rw);
  properties[PROP_FUSE] = g_param_spec_boolean ("fuse", NULL, NULL, FALSE, rw);
  properties[PROP_ONBOOT] = g_param_spec_boolean ("onboot", NULL, NULL, FALSE, rw);
  properties[PROP_SOURCE_PATH] = g_param_spec_string ("source-path", NULL, NULL, NULL, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_template_init (PaddockTemplate *self)
{
  self->description = g_strdup ("");
  self->tags = g_strdup ("");
  self->os_template = g_strdup (PADDOCK_TEMPLATE_DEFAULT_OS);
  self->cores = PADDOCK_TEMPLATE_DEFAULT_CORES;
  self->memory = PADDOCK_TEMPLATE_DEFAULT_MEMORY;
  self->swap = -1;
  self->disk = PADDOCK_TEMPLATE_DEFAULT_DISK;
  self->unprivileged = TRUE;
  self->packages = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_package_free);
  self->scripts = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_template_script_free);
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_template_file_free);
}

PaddockTemplate *
paddock_template_new (const char *name)
{
  return g_object_new (PADDOCK_TYPE_TEMPLATE, "name", name, NULL);
}

/**
 * paddock_template_duplicate:
 *
 * A copy of every field and part under @new_name; the copy is not stored yet (id 0) and is
 * not tied to the directory @self was imported from, so a later import never overwrites it.
 */
PaddockTemplate *
paddock_template_duplicate (PaddockTemplate *self,
                            const char      *new_name)
{
  PaddockTemplate *copy;

  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), NULL);

  copy = g_object_new (PADDOCK_TYPE_TEMPLATE,
                       "name", new_name,
                       "description", self->description,
                       "tags", self->tags,
                       "os-template", self->os_template,
                       "cores", self->cores,
                       "memory", self->memory,
                       "swap", self->swap,
                       "disk", self->disk,
                       "storage", self->storage,
                       "bridge", self->bridge,
                       "unprivileged", (gboolean) self->unprivileged,
                       "nesting", (gboolean) self->nesting,
                       "keyctl", (gboolean) self->keyctl,
                       "fuse", (gboolean) self->fuse,
                       "onboot", (gboolean) self->onboot,
                       NULL);

  for (guint i = 0; i < self->packages->len; i++)
    g_ptr_array_add (copy->packages, paddock_package_copy (g_ptr_array_index (self->packages, i)));
  for (guint i = 0; i < self->scripts->len; i++)
    g_ptr_array_add (copy->scripts, paddock_template_script_copy (g_ptr_array_index (self->scripts, i)));
  for (guint i = 0; i < self->files->len; i++)
    g_ptr_array_add (copy->files, paddock_template_file_copy (g_ptr_array_index (self->files, i)));

  return copy;
}

static void
set_string (PaddockTemplate  *self,
            char            **field,
            const char       *value,
            gboolean          empty_is_null,
            guint             prop)
{
  if (empty_is_null && value != NULL && value[0] == '\0')
    value = NULL;
  if (!empty_is_null && value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

static void
set_uint (PaddockTemplate *self,
          guint           *field,
          guint            value,
          guint            prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

#define DEFINE_STRING_PROPERTY(field, PROP, empty_is_null)                       \
  const char *                                                                   \
  paddock_template_get_##field (PaddockTemplate *self)                           \
  {                                                                              \
    g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), NULL);                     \
    return self->field;                                                          \
  }                                                                              \
  void                                                                           \
  paddock_template_set_##field (PaddockTemplate *self,                           \
                                const char      *value)                          \
  {                                                                              \
    g_return_if_fail (PADDOCK_IS_TEMPLATE (self));                               \
    set_string (self, &self->field, value, empty_is_null, PROP);                 \
  }

#define DEFINE_BOOLEAN_PROPERTY(field, PROP)                                     \
  gboolean                                                                       \
  paddock_template_get_##field (PaddockTemplate *self)                           \
  {                                                                              \
    g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), FALSE);                    \
    return self->field;                                                          \
  }                                                                              \
  void                                                                           \
  paddock_template_set_##field (PaddockTemplate *self,                           \
                                gboolean         value)                          \
  {                                                                              \
    g_return_if_fail (PADDOCK_IS_TEMPLATE (self));                               \
    if (self->field != !!value)                                                  \
      {                                                                          \
        self->field = !!value;                                                   \
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);            \
      }                                                                          \
  }

#define DEFINE_UINT_PROPERTY(field, PROP)                                        \
  guint                                                                          \
  paddock_template_get_##field (PaddockTemplate *self)                           \
  {                                                                              \
    g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), 0);                        \
    return self->field;                                                          \
  }                                                                              \
  void                                                                           \
  paddock_template_set_##field (PaddockTemplate *self,                           \
                                guint            value)                          \
  {                                                                              \
    g_return_if_fail (PADDOCK_IS_TEMPLATE (self));                               \
    set_uint (self, &self->field, value, PROP);                                  \
  }

DEFINE_STRING_PROPERTY (name, PROP_NAME, FALSE)
DEFINE_STRING_PROPERTY (description, PROP_DESCRIPTION, FALSE)
DEFINE_STRING_PROPERTY (tags, PROP_TAGS, FALSE)
DEFINE_STRING_PROPERTY (os_template, PROP_OS_TEMPLATE, FALSE)
DEFINE_STRING_PROPERTY (storage, PROP_STORAGE, TRUE)
DEFINE_STRING_PROPERTY (bridge, PROP_BRIDGE, TRUE)
DEFINE_STRING_PROPERTY (source_path, PROP_SOURCE_PATH, TRUE)
DEFINE_UINT_PROPERTY (cores, PROP_CORES)
DEFINE_UINT_PROPERTY (memory, PROP_MEMORY)
DEFINE_UINT_PROPERTY (disk, PROP_DISK)
DEFINE_BOOLEAN_PROPERTY (unprivileged, PROP_UNPRIVILEGED)
DEFINE_BOOLEAN_PROPERTY (nesting, PROP_NESTING)
DEFINE_BOOLEAN_PROPERTY (keyctl, PROP_KEYCTL)
DEFINE_BOOLEAN_PROPERTY (fuse, PROP_FUSE)
DEFINE_BOOLEAN_PROPERTY (onboot, PROP_ONBOOT)

gint64
paddock_template_get_id (PaddockTemplate *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), 0);

  return self->id;
}

void
paddock_template_set_id (PaddockTemplate *self,
                         gint64           id)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE (self));

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

int
paddock_template_get_swap (PaddockTemplate *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), -1);

  return self->swap;
}

void
paddock_template_set_swap (PaddockTemplate *self,
                           int              swap_mb)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE (self));

  swap_mb = MAX (swap_mb, -1);
  if (self->swap != swap_mb)
    {
      self->swap = swap_mb;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SWAP]);
    }
}

gint64
paddock_template_get_updated_at (PaddockTemplate *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), 0);

  return self->updated_at;
}

void
paddock_template_set_updated_at (PaddockTemplate *self,
                                 gint64           updated_at)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE (self));

  self->updated_at = updated_at;
}

/* The tags as a list, blanks and duplicates dropped, in their order. */
GStrv
paddock_template_dup_tag_list (PaddockTemplate *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), NULL);

  parts = g_strsplit_set (self->tags, ";, ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0' && g_hash_table_add (seen, parts[i]))
        g_strv_builder_add (builder, parts[i]);
    }

  return g_strv_builder_end (builder);
}

GPtrArray *
paddock_template_get_packages (PaddockTemplate *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), NULL);

  return self->packages;
}

GPtrArray *
paddock_template_get_scripts (PaddockTemplate *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), NULL);

  return self->scripts;
}

GPtrArray *
paddock_template_get_files (PaddockTemplate *self)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), NULL);

  return self->files;
}

/**
 * paddock_template_add_package:
 *
 * Adds a copy of @package unless the template already has the same manager, name and
 * version (SPEC.md §6.1). Returns whether it was added.
 */
gboolean
paddock_template_add_package (PaddockTemplate      *self,
                              const PaddockPackage *package)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), FALSE);

  for (guint i = 0; i < self->packages->len; i++)
    {
      if (paddock_package_same (g_ptr_array_index (self->packages, i), package))
        return FALSE;
    }

  g_ptr_array_add (self->packages, paddock_package_copy (package));
  return TRUE;
}

void
paddock_template_add_script (PaddockTemplate             *self,
                             const PaddockTemplateScript *script)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE (self));

  g_ptr_array_add (self->scripts, paddock_template_script_copy (script));
}

void
paddock_template_add_file (PaddockTemplate           *self,
                           const PaddockTemplateFile *file)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE (self));

  g_ptr_array_add (self->files, paddock_template_file_copy (file));
}

void
paddock_template_clear_parts (PaddockTemplate *self)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE (self));

  g_ptr_array_set_size (self->packages, 0);
  g_ptr_array_set_size (self->scripts, 0);
  g_ptr_array_set_size (self->files, 0);
}

static int
compare_scripts (gconstpointer a,
                 gconstpointer b)
{
  const PaddockTemplateScript *sa = *(PaddockTemplateScript **) a;
  const PaddockTemplateScript *sb = *(PaddockTemplateScript **) b;

  if (sa->order != sb->order)
    return sa->order < sb->order ? -1 : 1;

  return g_strcmp0 (sa->name, sb->name);
}

/* Scripts in the order they run: by number, then by name (so equal numbers are stable). */
void
paddock_template_sort_scripts (PaddockTemplate *self)
{
  g_return_if_fail (PADDOCK_IS_TEMPLATE (self));

  g_ptr_array_sort (self->scripts, compare_scripts);
}

/* Validation */

static void
add_problem (GPtrArray              *problems,
             PaddockProblemSeverity  severity,
             const char             *field,
             int                     index,
             const char             *format,
             ...) G_GNUC_PRINTF (5, 6);

static void
add_problem (GPtrArray              *problems,
             PaddockProblemSeverity  severity,
             const char             *field,
             int                     index,
             const char             *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (problems, paddock_problem_new (severity, field, index, message));
}

static gboolean
is_identifier (const char *str,
               gsize       max_len,
               const char *extra)
{
  if (str == NULL || str[0] == '\0' || strlen (str) > max_len || !g_ascii_isalnum (str[0]))
    return FALSE;

  for (const char *p = str; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (extra, *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_file_name (const char *name)
{
  if (name == NULL || name[0] == '\0' || g_str_equal (name, ".") || g_str_equal (name, "..")
      || strlen (name) > 255 || strchr (name, '/') != NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;

  for (const char *p = name; *p; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return FALSE;
    }

  return TRUE;
}

/* A volid ("local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst") or a name pattern. */
static gboolean
is_os_template (const char *os)
{
  const char *colon;

  if (os == NULL || os[0] == '\0' || strlen (os) > 255)
    return FALSE;

  colon = strchr (os, ':');
  if (colon != NULL)
    {
      g_autofree char *storage = g_strndup (os, colon - os);

      return is_identifier (storage, 64, "-_.") && is_identifier (colon + 1, 255, "-_./+~");
    }

  return is_identifier (os, 255, "-_.+~");
}

/**
 * paddock_template_validate:
 * @node_cpus: the CPUs of the node the template is meant for, or 0 when unknown
 *
 * Every problem of the template, errors first in field order, then warnings. Name
 * uniqueness is the store's to check.
 *
 * Returns: (transfer full) (element-type PaddockProblem): the problems; empty when none
 */
GPtrArray *
paddock_template_validate (PaddockTemplate *self,
                           guint            node_cpus)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_problem_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) tags = NULL;
  glong name_len;

  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), NULL);

  name_len = self->name && g_utf8_validate (self->name, -1, NULL) ? g_utf8_strlen (self->name, -1) : 0;
  if (name_len == 0 || strspn (self->name, " \t\n") == strlen (self->name))
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "name", -1, "The name is empty");
  else if (name_len > 100)
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "name", -1, "The name is %ld characters long; at most 100 fit", name_len);

  if (!g_utf8_validate (self->description, -1, NULL))
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "description", -1, "The description is not valid UTF-8");
  else if (g_utf8_strlen (self->description, -1) > 4000)
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "description", -1, "The description is longer than 4000 characters");

  tags = paddock_template_dup_tag_list (self);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!paddock_check_tag (tags[i], &error))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "tags", i, "%s", error->message);
    }

  if (!is_os_template (self->os_template))
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "os-template", -1,
                 "“%s” is neither a template volume (storage:vztmpl/file) nor a template name",
                 self->os_template);

  if (self->cores < 1 || self->cores > 8192)
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "cores", -1, "%u cores is outside Proxmox's range of 1–8192", self->cores);
  if (self->memory < 16)
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "memory", -1, "%u MB of memory is below Proxmox's minimum of 16 MB", self->memory);
  if (self->swap > 0 && (guint) self->swap > G_MAXINT / 2)
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "swap", -1, "%d MB of swap is too large", self->swap);
  if (self->disk < 1)
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "disk", -1, "The root disk must be at least 1 GB");
  else if (self->disk > 1024 * 1024)
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "disk", -1, "%u GB is larger than any storage Paddock knows of", self->disk);

  if (self->storage != NULL && !is_identifier (self->storage, 64, "-_."))
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "storage", -1, "“%s” is not a valid storage name", self->storage);
  if (self->bridge != NULL && !is_identifier (self->bridge, 15, "-_."))
    add_problem (problems, PADDOCK_PROBLEM_ERROR, "bridge", -1, "“%s” is not a valid bridge name", self->bridge);

  for (guint i = 0; i < self->packages->len; i++)
    {
      const PaddockPackage *package = g_ptr_array_index (self->packages, i);
      g_autoptr(GError) error = NULL;

      if (!paddock_package_validate (package, &error))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "packages", i, "%s", error->message);
      for (guint j = 0; j < i; j++)
        {
          if (paddock_package_same (g_ptr_array_index (self->packages, j), package))
            {
              add_problem (problems, PADDOCK_PROBLEM_ERROR, "packages", i, "%s package “%s” is listed twice",
                           paddock_package_manager_to_string (package->manager), package->name);
              break;
            }
        }
    }

  for (guint i = 0; i < self->scripts->len; i++)
    {
      const PaddockTemplateScript *script = g_ptr_array_index (self->scripts, i);

      if (!is_identifier (script->name, 100, "-_."))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "scripts", i,
                     "Script name “%s” may only contain letters, digits, “-”, “_” and “.”", script->name ? script->name : "");
      else if (!g_hash_table_add (seen, g_strdup_printf ("script:%s", script->name)))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "scripts", i, "Two scripts are named “%s”", script->name);
      if (script->order > 9999)
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "scripts", i, "Script “%s”: order %u is above 9999", script->name, script->order);
      if (script->content == NULL || script->content[0] == '\0')
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "scripts", i, "Script “%s” is empty", script->name);
      else if (!g_utf8_validate (script->content, -1, NULL))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "scripts", i, "Script “%s” is not valid UTF-8 text", script->name);
    }

  for (guint i = 0; i < self->files->len; i++)
    {
      const PaddockTemplateFile *file = g_ptr_array_index (self->files, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = NULL;

      if (!is_file_name (file->name))
        {
          add_problem (problems, PADDOCK_PROBLEM_ERROR, "files", i, "“%s” is not a valid file name", file->name ? file->name : "");
          continue;
        }
      if (file->target_name != NULL && !is_file_name (file->target_name))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "files", i, "File “%s”: “%s” is not a valid target file name",
                     file->name, file->target_name);
      if (!g_hash_table_add (seen, g_strdup_printf ("file:%s", file->name)))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "files", i, "Two files are named “%s”", file->name);

      if (!(normal = paddock_normalize_target_dir (file->target_dir, &error)))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "files", i, "File “%s”: %s", file->name, error->message);
      else if (!g_str_equal (normal, file->target_dir))
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "files", i, "File “%s”: write the target directory as “%s”",
                     file->name, normal);
      else
        {
          g_autofree char *target = paddock_template_file_dup_target_path (file);

          if (!g_hash_table_add (seen, g_strdup_printf ("target:%s", target)))
            add_problem (problems, PADDOCK_PROBLEM_ERROR, "files", i, "Two files go to %s", target);
        }

      if (file->mode > 07777)
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "files", i, "File “%s”: mode %o is not a file mode", file->name, file->mode);
      if (g_bytes_get_size (file->content) > 16 * 1024 * 1024)
        add_problem (problems, PADDOCK_PROBLEM_ERROR, "files", i, "File “%s” is larger than 16 MB", file->name);
    }

  /* Warnings after errors, so the first problem is the one that blocks saving. */
  if (node_cpus > 0 && self->cores > node_cpus && self->cores <= 8192)
    add_problem (problems, PADDOCK_PROBLEM_WARNING, "cores", -1,
                 "%u cores is more than the node's %u CPUs; the container will share them", self->cores, node_cpus);
  if (!self->unprivileged)
    add_problem (problems, PADDOCK_PROBLEM_WARNING, "unprivileged", -1,
                 "Privileged containers run as the node's root; prefer unprivileged");

  return g_steal_pointer (&problems);
}

/**
 * paddock_template_check:
 *
 * Fails with %PADDOCK_TEMPLATE_ERROR_INVALID naming the first error of
 * paddock_template_validate() and how many more there are.
 */
gboolean
paddock_template_check (PaddockTemplate  *self,
                        GError          **error)
{
  g_autoptr(GPtrArray) problems = paddock_template_validate (self, 0);
  guint errors = 0;

  for (guint i = 0; i < problems->len; i++)
    if (((PaddockProblem *) g_ptr_array_index (problems, i))->severity == PADDOCK_PROBLEM_ERROR)
      errors++;

  if (errors == 0)
    return TRUE;

  {
    const PaddockProblem *first = g_ptr_array_index (problems, 0);

    if (errors == 1)
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "Template “%s”: %s", self->name, first->message);
    else
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "Template “%s”: %s (and %u more problems)", self->name, first->message, errors - 1);
  }

  return FALSE;
}

/* Content hash */

static void
hash_string (GChecksum  *checksum,
             const char *tag,
             const char *value)
{
  char length[32];

  /* Length-prefixed, so that no two different templates serialise to the same bytes. */
  g_checksum_update (checksum, (const guchar *) tag, -1);
  g_snprintf (length, sizeof length, value ? ":%zu:" : ":-:", value ? strlen (value) : 0);
  g_checksum_update (checksum, (const guchar *) length, -1);
  if (value != NULL)
    g_checksum_update (checksum, (const guchar *) value, strlen (value));
}

static void
hash_number (GChecksum  *checksum,
             const char *tag,
             gint64      value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  hash_string (checksum, tag, text);
}

static int
compare_packages (gconstpointer a,
                  gconstpointer b)
{
  const PaddockPackage *pa = *(PaddockPackage **) a;
  const PaddockPackage *pb = *(PaddockPackage **) b;
  int cmp;

  if (pa->manager != pb->manager)
    return pa->manager < pb->manager ? -1 : 1;
  if ((cmp = g_strcmp0 (pa->name, pb->name)) != 0)
    return cmp;

  return g_strcmp0 (pa->version, pb->version);
}

/**
 * paddock_template_dup_content_hash:
 *
 * SHA-256 of what the template makes: every field and part except its id, name, source
 * and timestamps. Packages count as a set (a manager installs them together), scripts in
 * their run order. Used to tell "unchanged" on re-import and, later, drift.
 */
char *
paddock_template_dup_content_hash (PaddockTemplate *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) packages = NULL;
  g_autoptr(GPtrArray) scripts = NULL;

  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), NULL);

  hash_string (checksum, "paddock-template-1", NULL);
  hash_string (checksum, "description", self->description);
  hash_string (checksum, "tags", self->tags);
  hash_string (checksum, "os", self->os_template);
  hash_number (checksum, "cores", self->cores);
  hash_number (checksum, "memory", self->memory);
  hash_number (checksum, "swap", self->swap);
  hash_number (checksum, "disk", self->disk);
  hash_string (checksum, "storage", self->storage);
  hash_string (checksum, "bridge", self->bridge);
  hash_number (checksum, "flags", self->unprivileged | self->nesting << 1 | self->keyctl << 2
                                  | self->fuse << 3 | self->onboot << 4);

  /* Shallow copies for sorting; g_ptr_array_copy() would inherit the free function. */
  packages = g_ptr_array_copy (self->packages, NULL, NULL);
  g_ptr_array_set_free_func (packages, NULL);
  g_ptr_array_sort (packages, compare_packages);
  for (guint i = 0; i < packages->len; i++)
    {
      const PaddockPackage *package = g_ptr_array_index (packages, i);

      hash_number (checksum, "package", package->manager);
      hash_string (checksum, "name", package->name);
      hash_string (checksum, "version", package->version);
      hash_string (checksum, "check", package->check_command);
      hash_string (checksum, "install", package->install_command);
      hash_number (checksum, "timeout", package->manager == PADDOCK_PACKAGE_CUSTOM ? package->timeout : 0);
    }

  scripts = g_ptr_array_copy (self->scripts, NULL, NULL);
  g_ptr_array_set_free_func (scripts, NULL);
  g_ptr_array_sort (scripts, compare_scripts);
  for (guint i = 0; i < scripts->len; i++)
    {
      const PaddockTemplateScript *script = g_ptr_array_index (scripts, i);

      hash_number (checksum, "script", script->order);
      hash_string (checksum, "name", script->name);
      hash_number (checksum, "enabled", script->enabled);
      hash_string (checksum, "description", script->description);
      hash_string (checksum, "content", script->content);
    }

  for (guint i = 0; i < self->files->len; i++)
    {
      const PaddockTemplateFile *file = g_ptr_array_index (self->files, i);
      g_autofree char *content_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file->content);

      hash_string (checksum, "file", file->name);
      hash_string (checksum, "dir", file->target_dir);
      hash_string (checksum, "target", file->target_name);
      hash_number (checksum, "policy", file->policy);
      hash_number (checksum, "mode", file->mode);
      hash_string (checksum, "content", content_hash);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

/* Describing changes (for the import report) */

static void
take_line (GStrvBuilder *builder,
           char         *line)
{
  g_strv_builder_add (builder, line);
  g_free (line);
}

static void
describe_string (GStrvBuilder *changes,
                 const char   *label,
                 const char   *before,
                 const char   *after)
{
  if (g_strcmp0 (before, after) == 0)
    return;

  if (before && after && strlen (before) < 60 && strlen (after) < 60 && !strchr (before, '\n') && !strchr (after, '\n'))
    take_line (changes, g_strdup_printf ("%s: “%s” → “%s”", label, before, after));
  else
    take_line (changes, g_strdup_printf ("%s changed", label));
}

static void
describe_number (GStrvBuilder *changes,
                 const char   *label,
                 gint64        before,
                 gint64        after)
{
  if (before != after)
    take_line (changes, g_strdup_printf ("%s: %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT, label, before, after));
}

static gboolean
scripts_equal (const PaddockTemplateScript *a,
               const PaddockTemplateScript *b)
{
  return a->order == b->order && a->enabled == b->enabled && g_strcmp0 (a->content, b->content) == 0
         && g_strcmp0 (a->description, b->description) == 0;
}

static gboolean
files_equal (const PaddockTemplateFile *a,
             const PaddockTemplateFile *b)
{
  return g_strcmp0 (a->target_dir, b->target_dir) == 0 && g_strcmp0 (a->target_name, b->target_name) == 0
         && a->policy == b->policy && a->mode == b->mode && g_bytes_equal (a->content, b->content);
}

/**
 * paddock_template_describe_changes:
 *
 * Short lines saying how @after differs from @before: changed fields with their old and new
 * values, and packages, scripts and files added, removed or changed, by name.
 */
GStrv
paddock_template_describe_changes (PaddockTemplate *before,
                                   PaddockTemplate *after)
{
  g_autoptr(GStrvBuilder) changes = g_strv_builder_new ();

  describe_string (changes, "description", before->description, after->description);
  describe_string (changes, "tags", before->tags, after->tags);
  describe_string (changes, "OS template", before->os_template, after->os_template);
  describe_number (changes, "cores", before->cores, after->cores);
  describe_number (changes, "memory", before->memory, after->memory);
  describe_number (changes, "swap", before->swap, after->swap);
  describe_number (changes, "disk", before->disk, after->disk);
  describe_string (changes, "storage", before->storage, after->storage);
  describe_string (changes, "bridge", before->bridge, after->bridge);
  describe_number (changes, "unprivileged", before->unprivileged, after->unprivileged);
  describe_number (changes, "nesting", before->nesting, after->nesting);
  describe_number (changes, "keyctl", before->keyctl, after->keyctl);
  describe_number (changes, "fuse", before->fuse, after->fuse);
  describe_number (changes, "start on boot", before->onboot, after->onboot);

  for (guint i = 0; i < after->packages->len; i++)
    {
      const PaddockPackage *package = g_ptr_array_index (after->packages, i);
      gboolean found = FALSE;

      for (guint j = 0; j < before->packages->len && !found; j++)
        found = paddock_package_same (g_ptr_array_index (before->packages, j), package);
      if (!found)
        take_line (changes, g_strdup_printf ("package added: %s %s",
                                                       paddock_package_manager_to_string (package->manager),
                                                       package->name));
    }
  for (guint i = 0; i < before->packages->len; i++)
    {
      const PaddockPackage *package = g_ptr_array_index (before->packages, i);
      gboolean found = FALSE;

      for (guint j = 0; j < after->packages->len && !found; j++)
        found = paddock_package_same (g_ptr_array_index (after->packages, j), package);
      if (!found)
        take_line (changes, g_strdup_printf ("package removed: %s %s",
                                                       paddock_package_manager_to_string (package->manager),
                                                       package->name));
    }

  for (guint i = 0; i < after->scripts->len; i++)
    {
      const PaddockTemplateScript *script = g_ptr_array_index (after->scripts, i);
      const PaddockTemplateScript *old = NULL;

      for (guint j = 0; j < before->scripts->len && old == NULL; j++)
        if (g_strcmp0 (((PaddockTemplateScript *) g_ptr_array_index (before->scripts, j))->name, script->name) == 0)
          old = g_ptr_array_index (before->scripts, j);
      if (old == NULL)
        take_line (changes, g_strdup_printf ("script added: %s", script->name));
      else if (!scripts_equal (old, script))
        take_line (changes, g_strdup_printf ("script changed: %s", script->name));
    }
  for (guint i = 0; i < before->scripts->len; i++)
    {
      const PaddockTemplateScript *script = g_ptr_array_index (before->scripts, i);
      gboolean found = FALSE;

      for (guint j = 0; j < after->scripts->len && !found; j++)
        found = g_strcmp0 (((PaddockTemplateScript *) g_ptr_array_index (after->scripts, j))->name, script->name) == 0;
      if (!found)
        take_line (changes, g_strdup_printf ("script removed: %s", script->name));
    }

  for (guint i = 0; i < after->files->len; i++)
    {
      const PaddockTemplateFile *file = g_ptr_array_index (after->files, i);
      const PaddockTemplateFile *old = NULL;

      for (guint j = 0; j < before->files->len && old == NULL; j++)
        if (g_strcmp0 (((PaddockTemplateFile *) g_ptr_array_index (before->files, j))->name, file->name) == 0)
          old = g_ptr_array_index (before->files, j);
      if (old == NULL)
        take_line (changes, g_strdup_printf ("file added: %s", file->name));
      else if (!files_equal (old, file))
        take_line (changes, g_strdup_printf ("file changed: %s", file->name));
    }
  for (guint i = 0; i < before->files->len; i++)
    {
      const PaddockTemplateFile *file = g_ptr_array_index (before->files, i);
      gboolean found = FALSE;

      for (guint j = 0; j < after->files->len && !found; j++)
        found = g_strcmp0 (((PaddockTemplateFile *) g_ptr_array_index (after->files, j))->name, file->name) == 0;
      if (!found)
        take_line (changes, g_strdup_printf ("file removed: %s", file->name));
    }

  return g_strv_builder_end (changes);
}

/* Searching */

/**
 * paddock_template_matches:
 * @search: (nullable): words that must all occur in the name, description or tags
 * @tag: (nullable): a tag the template must have
 */
gboolean
paddock_template_matches (PaddockTemplate *self,
                          const char      *search,
                          const char      *tag)
{
  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (self), FALSE);

  if (tag != NULL && tag[0] != '\0')
    {
      g_auto(GStrv) tags = paddock_template_dup_tag_list (self);

      if (!g_strv_contains ((const char * const *) tags, tag))
        return FALSE;
    }

  if (search != NULL && search[0] != '\0')
    {
      g_autofree char *joined = g_strjoin (" ", self->name, self->description, self->tags, self->os_template, NULL);
      g_autofree char *haystack = g_utf8_casefold (joined, -1);
      g_autofree char *needle = g_utf8_casefold (search, -1);
      g_auto(GStrv) words = g_strsplit_set (needle, " \t", -1);

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (words[i][0] != '\0' && strstr (haystack, words[i]) == NULL)
            return FALSE;
        }
    }

  return TRUE;
}

static int
compare_tag_pointers (const void *a,
                      const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Every tag used by the templates of @templates, sorted, for a tag filter. */
GStrv
paddock_templates_collect_tags (GListModel *templates)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree const char **keys = NULL;
  GStrv result;
  guint n;

  for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);
      g_auto(GStrv) tags = paddock_template_dup_tag_list (template);

      for (guint j = 0; tags[j] != NULL; j++)
        g_hash_table_add (seen, g_strdup (tags[j]));
    }

  keys = (const char **) g_hash_table_get_keys_as_array (seen, &n);
  result = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    result[i] = g_strdup (keys[i]);
  qsort (result, n, sizeof (char *), compare_tag_pointers);

  return result;
}
