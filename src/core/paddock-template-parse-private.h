/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-template-parse-private.h: readers of template.conf and package lines (outside data) */

#pragma once

#include "paddock-template.h"

G_BEGIN_DECLS

/* One assignment of template.conf: its value after quote removal and defaults, and its line. */
typedef struct
{
  char  *value;
  guint  line;
} PaddockConfValue;

/* Reads @text as a sequence of bash assignments without running anything: "export" and
 * "readonly" prefixes, single and double quotes, backslashes, line continuations,
 * ${VAR:-default} (and "-", ":=", "="), trailing "# comments". Expansions that would need a
 * shell ($VAR, ${VAR}, $(…), `…`) stay literal and add a warning; so do commands, which
 * are never run. @file_name prefixes every message as "file:line: ".
 * Returns: name → PaddockConfValue, the last assignment of each name winning. */
GHashTable *_paddock_conf_parse          (const char             *text,
                                          gsize                   length,
                                          const char             *file_name,
                                          GPtrArray              *warnings,
                                          GError                **error);

/* One line of a package file (reference §1.7): comments and blanks give %TRUE with *package
 * NULL; "pkg=ver" (apt, apk), "pkg-ver" (dnf), "pkg@ver" (npm), "pkg==ver" (pip) and
 * "name|check|install[|timeout]" (custom). The package is validated. */
gboolean    _paddock_package_line_parse  (PaddockPackageManager   manager,
                                          const char             *line,
                                          PaddockPackage        **package,
                                          GError                **error);

G_END_DECLS
