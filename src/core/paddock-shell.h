/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-shell.h: remote command lines built only from quoted arguments */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An argument as bytes: refused when it holds a NUL (no command line can carry one) or is
 * not UTF-8. Text from outside Paddock goes through this before it reaches a command. */
gboolean  paddock_shell_check_argument (const char          *data,
                                        gssize               length,
                                        GError             **error);

/* Joins @argv into one command line for a POSIX shell, every argument single-quoted, so the
 * remote shell passes each one verbatim. NULL when an argument is refused. */
char     *paddock_shell_join           (const char * const  *argv,
                                        GError             **error);

/* "pct exec VMID -- sh -c SCRIPT": SCRIPT runs in the container's shell, quoted once for the
 * node's shell. Text that must reach the container verbatim is quoted inside SCRIPT too. */
char     *paddock_shell_pct_exec       (guint                vmid,
                                        const char          *script,
                                        GError             **error);

G_END_DECLS
