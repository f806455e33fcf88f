/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template.h: a reusable container description (SPEC.md §6.1) and its parts */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PADDOCK_TEMPLATE_ERROR (paddock_template_error_quark ())

/**
 * PaddockTemplateError:
 * @PADDOCK_TEMPLATE_ERROR_INVALID: a field has a value Paddock or Proxmox cannot use
 * @PADDOCK_TEMPLATE_ERROR_PARSE: a file of a template directory cannot be read as its format says
 * @PADDOCK_TEMPLATE_ERROR_IO: a template directory or file cannot be read or written
 */
typedef enum
{
  PADDOCK_TEMPLATE_ERROR_INVALID = 1,
  PADDOCK_TEMPLATE_ERROR_PARSE,
  PADDOCK_TEMPLATE_ERROR_IO,
} PaddockTemplateError;

GQuark paddock_template_error_quark (void);

typedef enum
{
  PADDOCK_PACKAGE_APT,
  PADDOCK_PACKAGE_APK,
  PADDOCK_PACKAGE_DNF,
  PADDOCK_PACKAGE_NPM,
  PADDOCK_PACKAGE_PIP,
  PADDOCK_PACKAGE_CUSTOM,
} PaddockPackageManager;

#define PADDOCK_N_PACKAGE_MANAGERS (PADDOCK_PACKAGE_CUSTOM + 1)

const char *paddock_package_manager_to_string   (PaddockPackageManager  manager);
gboolean    paddock_package_manager_from_string (const char            *str,
                                                 PaddockPackageManager *manager);

typedef enum
{
  PADDOCK_FILE_POLICY_DEFAULT,
  PADDOCK_FILE_POLICY_REPLACE,
  PADDOCK_FILE_POLICY_BACKUP,
} PaddockFilePolicy;

const char *paddock_file_policy_to_string   (PaddockFilePolicy  policy);
gboolean    paddock_file_policy_from_string (const char        *str,
                                             PaddockFilePolicy *policy);

/* Defaults of a new template, as infrahaus' template.conf parser had them (reference §1.2). */
#define PADDOCK_TEMPLATE_DEFAULT_CORES     1
#define PADDOCK_TEMPLATE_DEFAULT_MEMORY    512
#define PADDOCK_TEMPLATE_DEFAULT_DISK      8
#define PADDOCK_TEMPLATE_DEFAULT_OS        "debian-12-standard"
#define PADDOCK_CUSTOM_PACKAGE_DEFAULT_TIMEOUT 300

/* One package; custom packages carry a check and an install command instead of a version. */
typedef struct
{
  PaddockPackageManager  manager;
  char                  *name;
  char                  *version;          /* nullable; pip keeps its operator ("==1.2", ">=3") */
  char                  *check_command;    /* custom only */
  char                  *install_command;  /* custom only */
  guint                  timeout;          /* custom only, seconds */
} PaddockPackage;

#define PADDOCK_TYPE_PACKAGE (paddock_package_get_type ())
GType           paddock_package_get_type (void) G_GNUC_CONST;
PaddockPackage *paddock_package_new      (PaddockPackageManager  manager,
                                          const char            *name,
                                          const char            *version);
PaddockPackage *paddock_package_copy     (const PaddockPackage  *package);
void            paddock_package_free     (PaddockPackage        *package);
gboolean        paddock_package_same     (const PaddockPackage  *a,
                                          const PaddockPackage  *b);
char           *paddock_package_to_line  (const PaddockPackage  *package);
/* One package as a user types it, in the package files' syntax ("name", "name=version" for apt,
 * "name|check|install[|timeout]" for custom); validated. */
PaddockPackage *paddock_package_parse    (PaddockPackageManager   manager,
                                          const char             *line,
                                          GError                **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockPackage, paddock_package_free)

/* A script run in the container in ascending order. */
typedef struct
{
  guint     order;
  char     *name;         /* without the number prefix and ".sh" */
  gboolean  enabled;
  char     *description;
  char     *content;
} PaddockTemplateScript;

#define PADDOCK_TYPE_TEMPLATE_SCRIPT (paddock_template_script_get_type ())
GType                  paddock_template_script_get_type (void) G_GNUC_CONST;
PaddockTemplateScript *paddock_template_script_new      (guint                        order,
                                                         const char                  *name,
                                                         const char                  *content);
PaddockTemplateScript *paddock_template_script_copy     (const PaddockTemplateScript *script);
void                   paddock_template_script_free     (PaddockTemplateScript       *script);
char                  *paddock_template_script_dup_file_name (const PaddockTemplateScript *script);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockTemplateScript, paddock_template_script_free)

/* A file placed in the container: <target_dir>/<target_name or name>. */
typedef struct
{
  char              *name;
  char              *target_dir;
  char              *target_name;  /* nullable: the same as name */
  PaddockFilePolicy  policy;
  guint              mode;         /* 0: keep the default (0644) */
  GBytes            *content;
} PaddockTemplateFile;

#define PADDOCK_TYPE_TEMPLATE_FILE (paddock_template_file_get_type ())
GType                paddock_template_file_get_type (void) G_GNUC_CONST;
PaddockTemplateFile *paddock_template_file_new      (const char                *name,
                                                     const char                *target_dir,
                                                     GBytes                    *content);
PaddockTemplateFile *paddock_template_file_copy     (const PaddockTemplateFile *file);
void                 paddock_template_file_free     (PaddockTemplateFile       *file);
char                *paddock_template_file_dup_target_path (const PaddockTemplateFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockTemplateFile, paddock_template_file_free)

typedef enum
{
  PADDOCK_PROBLEM_ERROR,
  PADDOCK_PROBLEM_WARNING,
} PaddockProblemSeverity;

/* One finding of validation or import; field names the property ("cores", "scripts", …). */
typedef struct
{
  PaddockProblemSeverity  severity;
  char                   *field;
  int                     index;      /* of the script, file or package; -1 for the template */
  char                   *message;
} PaddockProblem;

#define PADDOCK_TYPE_PROBLEM (paddock_problem_get_type ())
GType           paddock_problem_get_type (void) G_GNUC_CONST;
PaddockProblem *paddock_problem_new      (PaddockProblemSeverity  severity,
                                          const char             *field,
                                          int                     index,
                                          const char             *message);
PaddockProblem *paddock_problem_copy     (const PaddockProblem   *problem);
void            paddock_problem_free     (PaddockProblem         *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockProblem, paddock_problem_free)

/* A named, reusable group of packages (SPEC.md §6.1). */
typedef struct
{
  gint64     id;
  char      *name;
  char      *description;
  GPtrArray *packages;  /* PaddockPackage */
} PaddockBucket;

#define PADDOCK_TYPE_BUCKET (paddock_bucket_get_type ())
GType          paddock_bucket_get_type (void) G_GNUC_CONST;
PaddockBucket *paddock_bucket_new      (const char          *name,
                                        const char          *description);
PaddockBucket *paddock_bucket_copy     (const PaddockBucket *bucket);
void           paddock_bucket_free     (PaddockBucket       *bucket);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockBucket, paddock_bucket_free)

typedef enum
{
  PADDOCK_IMPORT_CREATED,
  PADDOCK_IMPORT_UPDATED,
  PADDOCK_IMPORT_UNCHANGED,
  PADDOCK_IMPORT_FAILED,
} PaddockImportOutcome;

const char *paddock_import_outcome_to_string (PaddockImportOutcome outcome);

/* What importing one template directory did. */
typedef struct
{
  char                 *path;
  char                 *name;         /* NULL when it failed before a name was known */
  gint64                template_id;  /* 0 when failed */
  PaddockImportOutcome  outcome;
  GStrv                 changes;      /* for UPDATED: what changed */
  GStrv                 warnings;     /* "file:line: message" */
  GStrv                 errors;       /* for FAILED: "file:line: reason" */
} PaddockImportReport;

#define PADDOCK_TYPE_IMPORT_REPORT (paddock_import_report_get_type ())
GType                paddock_import_report_get_type (void) G_GNUC_CONST;
PaddockImportReport *paddock_import_report_copy     (const PaddockImportReport *report);
void                 paddock_import_report_free     (PaddockImportReport       *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockImportReport, paddock_import_report_free)

/* The result of pasting a list of packages into a bucket. */
typedef struct
{
  guint added;
  guint duplicates;
} PaddockBucketImport;

/* Checks that are shared with buckets and the creation wizard. */
gboolean    paddock_package_validate       (const PaddockPackage  *package,
                                            GError               **error);
gboolean    paddock_check_unit_name        (const char            *name,
                                            GError               **error);
char       *paddock_normalize_target_dir   (const char            *path,
                                            GError               **error);
gboolean    paddock_check_tag              (const char            *tag,
                                            GError               **error);

#define PADDOCK_TYPE_TEMPLATE (paddock_template_get_type ())

G_DECLARE_FINAL_TYPE (PaddockTemplate, paddock_template, PADDOCK, TEMPLATE, GObject)

PaddockTemplate *paddock_template_new              (const char       *name);
PaddockTemplate *paddock_template_duplicate        (PaddockTemplate  *self,
                                                    const char       *new_name);

gint64           paddock_template_get_id           (PaddockTemplate  *self);
void             paddock_template_set_id           (PaddockTemplate  *self,
                                                    gint64            id);
const char      *paddock_template_get_name         (PaddockTemplate  *self);
void             paddock_template_set_name         (PaddockTemplate  *self,
                                                    const char       *name);
const char      *paddock_template_get_description  (PaddockTemplate  *self);
void             paddock_template_set_description  (PaddockTemplate  *self,
                                                    const char       *description);
const char      *paddock_template_get_tags         (PaddockTemplate  *self);
void             paddock_template_set_tags         (PaddockTemplate  *self,
                                                    const char       *tags);
GStrv            paddock_template_dup_tag_list     (PaddockTemplate  *self);
const char      *paddock_template_get_os_template  (PaddockTemplate  *self);
void             paddock_template_set_os_template  (PaddockTemplate  *self,
                                                    const char       *os_template);
guint            paddock_template_get_cores        (PaddockTemplate  *self);
void             paddock_template_set_cores        (PaddockTemplate  *self,
                                                    guint             cores);
guint            paddock_template_get_memory       (PaddockTemplate  *self);
void             paddock_template_set_memory       (PaddockTemplate  *self,
                                                    guint             memory_mb);
int              paddock_template_get_swap         (PaddockTemplate  *self);
void             paddock_template_set_swap         (PaddockTemplate  *self,
                                                    int               swap_mb);
guint            paddock_template_get_disk         (PaddockTemplate  *self);
void             paddock_template_set_disk         (PaddockTemplate  *self,
                                                    guint             disk_gb);
const char      *paddock_template_get_storage      (PaddockTemplate  *self);
void             paddock_template_set_storage      (PaddockTemplate  *self,
                                                    const char       *storage);
const char      *paddock_template_get_bridge       (PaddockTemplate  *self);
void             paddock_template_set_bridge       (PaddockTemplate  *self,
                                                    const char       *bridge);
gboolean         paddock_template_get_unprivileged (PaddockTemplate  *self);
void             paddock_template_set_unprivileged (PaddockTemplate  *self,
                                                    gboolean          unprivileged);
gboolean         paddock_template_get_nesting      (PaddockTemplate  *self);
void             paddock_template_set_nesting      (PaddockTemplate  *self,
                                                    gboolean          nesting);
gboolean         paddock_template_get_keyctl       (PaddockTemplate  *self);
void             paddock_template_set_keyctl       (PaddockTemplate  *self,
                                                    gboolean          keyctl);
gboolean         paddock_template_get_fuse         (PaddockTemplate  *self);
void             paddock_template_set_fuse         (PaddockTemplate  *self,
                                                    gboolean          fuse);
gboolean         paddock_template_get_onboot       (PaddockTemplate  *self);
void             paddock_template_set_onboot       (PaddockTemplate  *self,
                                                    gboolean          onboot);
const char      *paddock_template_get_source_path  (PaddockTemplate  *self);
void             paddock_template_set_source_path  (PaddockTemplate  *self,
                                                    const char       *source_path);
gint64           paddock_template_get_updated_at   (PaddockTemplate  *self);
void             paddock_template_set_updated_at   (PaddockTemplate  *self,
                                                    gint64            updated_at);

/* Element types: PaddockPackage, PaddockTemplateScript, PaddockTemplateFile (owned by the template). */
GPtrArray       *paddock_template_get_packages     (PaddockTemplate  *self);
GPtrArray       *paddock_template_get_scripts      (PaddockTemplate  *self);
GPtrArray       *paddock_template_get_files        (PaddockTemplate  *self);
gboolean         paddock_template_add_package      (PaddockTemplate  *self,
                                                    const PaddockPackage *package);
void             paddock_template_add_script       (PaddockTemplate  *self,
                                                    const PaddockTemplateScript *script);
void             paddock_template_add_file         (PaddockTemplate  *self,
                                                    const PaddockTemplateFile *file);
void             paddock_template_clear_parts      (PaddockTemplate  *self);
void             paddock_template_sort_scripts     (PaddockTemplate  *self);

GPtrArray       *paddock_template_validate         (PaddockTemplate  *self,
                                                    guint             node_cpus);
gboolean         paddock_template_check            (PaddockTemplate  *self,
                                                    GError          **error);
char            *paddock_template_dup_content_hash (PaddockTemplate  *self);
GStrv            paddock_template_describe_changes (PaddockTemplate  *before,
                                                    PaddockTemplate  *after);

gboolean         paddock_template_matches          (PaddockTemplate  *self,
                                                    const char       *search,
                                                    const char       *tag);
GStrv            paddock_templates_collect_tags    (GListModel       *templates);

G_END_DECLS
