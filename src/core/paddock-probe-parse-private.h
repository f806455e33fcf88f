/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-probe-parse-private.h: pure parsers of what a container's tools print (tested on
 * recorded outputs, fuzzed): the probe's framing, systemctl show, ss, /proc/PID/cgroup and
 * credential files */

#pragma once

#include <glib.h>

#include "paddock-error.h"

G_BEGIN_DECLS

/* Bounds on what a container may send back (SPEC.md §2.2.1). */
#define PADDOCK_PROBE_MAX_SECTIONS    1024
#define PADDOCK_PROBE_MAX_UNITS       2000
#define PADDOCK_PROBE_MAX_SOCKETS     4000
#define PADDOCK_PROBE_MAX_PIDS        64     /* per socket */
#define PADDOCK_PROBE_MAX_CREDENTIALS 256    /* lines per file */

/* One section of the probe's output: the marker line "@@PADDOCK@@ TOKEN NAME [ARGUMENT]" and the
 * lines up to the next marker. */
typedef struct
{
  char *name;
  char *argument;   /* the rest of the marker line (a credential file's path), or NULL */
  char *text;
} PaddockProbeSection;

void        paddock_probe_section_free  (PaddockProbeSection *section);

/* Splits the output at the markers of @token; text before the first marker is ignored, lines
 * that merely look like markers of another token are content. Fails when the "end" marker is
 * missing (the output was cut) or there are too many sections. */
GPtrArray  *paddock_probe_split         (const char          *output,
                                         gsize                length,
                                         const char          *token,
                                         GError             **error);

/* `systemctl show` of several units: blocks separated by blank lines, Key=value lines; a line
 * without '=' continues the previous value (multi-line ExecStart). Each block is a GHashTable
 * key → value; blocks without an Id are skipped. */
GPtrArray  *paddock_parse_systemctl_show (const char         *text);

/* Memory and counters as systemctl prints them: "[not set]", "infinity" and 2^64-1 are
 * unknown (-1). */
gint64      paddock_parse_systemd_number (const char         *value);

typedef struct
{
  char    *protocol;   /* "tcp", "udp" */
  char    *address;    /* "0.0.0.0", "::", "*", "10.0.3.7", "fe80::1", … without brackets */
  char    *scope;      /* the interface after '%', or NULL */
  guint16  port;
  gboolean wildcard;   /* bound to every address of its family */
  GArray  *pids;       /* int */
  GPtrArray *commands; /* char *, one per pid */
  char    *cgroup;     /* ss -e's cgroup:PATH, or NULL */
} PaddockSocketRecord;

void        paddock_socket_record_free   (PaddockSocketRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockSocketRecord, paddock_socket_record_free)

/* `ss -Htlnp`/`ss -Hulnp` (a header line, Netid and State columns and `-e` fields are allowed).
 * @protocol is used when the lines have no Netid column. Malformed lines are skipped. */
GPtrArray  *paddock_parse_ss             (const char          *text,
                                          const char          *protocol);

/* "PID" lines each followed by that process's /proc/PID/cgroup: pid → the systemd unit it runs
 * in (the innermost ".service" component of its cgroup path, v1 name=systemd or v2), only for
 * processes in a service. */
GHashTable *paddock_parse_pid_units      (const char          *text);
char       *paddock_cgroup_path_unit     (const char          *path);

typedef struct
{
  char *key;
  char *value;
} PaddockCredentialRecord;

void        paddock_credential_record_free (PaddockCredentialRecord *record);

/* A credentials file: KEY=VALUE lines (an `export ` prefix, surrounding quotes and CR removed,
 * '=' allowed in the value), blank and '#' lines ignored. A line that is not UTF-8 is an error
 * naming @path and the line number; other malformed lines are skipped. */
GPtrArray  *paddock_parse_credentials    (const char          *text,
                                          gsize                length,
                                          const char          *path,
                                          GError             **error);

/* The service a credentials file belongs to: its name without the directory and extension. */
char       *paddock_credentials_service_name (const char      *path);

G_END_DECLS
