/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-provision-commands-private.h: the shell scripts a provisioning job runs in a container,
 * built only from quoted words; template text reaches them as data, never as code (except the
 * scripts and custom-package commands, whose purpose is to run) */

#pragma once

#include "paddock-template.h"

G_BEGIN_DECLS

/* Where a job keeps its helper library, scripts and files inside the container (mode 0700). */
char       *_paddock_provision_work_dir          (gint64                 job_id);

/* Waits (≤ 60 s) for systemd to finish starting; prints its state; makes the work directory and
 * /etc/infrahaus/credentials. */
char       *_paddock_provision_ready_script      (const char            *work_dir);

/* infrahaus' helper library (log_info, save_credential, …), sourced before each script. */
const char *_paddock_provision_helpers           (void);

/* Which native managers the container has: prints "apt", "apk", "dnf" or "yum" lines. */
const char *_paddock_provision_managers_script   (void);

/* One index update for a native manager (apt also finishes an interrupted dpkg run first). */
char       *_paddock_provision_index_script      (PaddockPackageManager  manager);

/* Installs those of @packages (all of @manager, not custom) that are missing. */
char       *_paddock_provision_install_script    (PaddockPackageManager  manager,
                                                  GPtrArray             *packages,
                                                  GError               **error);

/* check, then install, then check again, each within the package's timeout. */
char       *_paddock_provision_custom_script     (const PaddockPackage  *package,
                                                  GError               **error);

/* Writes standard input to @path (in an existing directory) with @mode. */
char       *_paddock_provision_write_file_script (const char            *path,
                                                  guint                  mode,
                                                  GError               **error);

/* Sources the helpers, then the script, in bash when the container has it. */
char       *_paddock_provision_run_script        (const char            *helpers_path,
                                                  const char            *script_path);

typedef enum
{
  PADDOCK_FILE_OUTCOME_DEPLOYED,
  PADDOCK_FILE_OUTCOME_UNCHANGED,  /* identical already: skipped whatever the policy */
  PADDOCK_FILE_OUTCOME_KEPT,       /* policy default and the file was there */
  PADDOCK_FILE_OUTCOME_BACKED_UP,  /* policy backup: the old file renamed, the new one placed */
} PaddockFileOutcome;

const char *_paddock_file_outcome_to_string      (PaddockFileOutcome     outcome);

/* Writes standard input to @staged, then moves it to @target as @policy says, with @mode and
 * the owner of the target directory. Prints one "paddock-file: OUTCOME [BACKUP]" line. */
char       *_paddock_provision_place_file_script (const char            *staged,
                                                  const char            *target,
                                                  PaddockFilePolicy      policy,
                                                  guint                  mode,
                                                  GError               **error);
gboolean    _paddock_provision_parse_file_outcome (const char           *output,
                                                   PaddockFileOutcome   *outcome,
                                                   char                **backup);

/* Whether an index update's line says it failed while apt still exited 0. */
gboolean    _paddock_provision_is_apt_failure    (const char            *line);

G_END_DECLS
