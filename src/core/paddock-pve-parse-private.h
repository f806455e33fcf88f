/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-parse-private.h: pure parsers of what Proxmox sends (tested on fixtures, fuzzed) */

#pragma once

#include <json-glib/json-glib.h>

#include "paddock-error.h"

G_BEGIN_DECLS

/* One guest of /cluster/resources or /nodes/{n}/lxc, read without building a JSON tree. */
typedef struct
{
  guint    vmid;
  char    *type;      /* "lxc", "qemu" */
  char    *node;
  char    *name;
  char    *status;
  char    *tags;
  char    *lock;
  char    *hastate;
  char    *pool;
  gboolean template;
  double   cpu;
  double   maxcpu;
  gint64   mem;
  gint64   maxmem;
  gint64   disk;
  gint64   maxdisk;
  gint64   uptime;
  gint64   netin;
  gint64   netout;
  gint64   diskread;
  gint64   diskwrite;
} PaddockGuestRecord;

void        paddock_guest_record_clear        (PaddockGuestRecord *record);
void        paddock_guest_record_free         (PaddockGuestRecord *record);

/* Unwraps {"data": …}; on an error status builds the GError from status line, message, errors. */
char       *paddock_text_make_safe            (const char         *text);
gboolean    paddock_json_check_depth          (const char         *body,
                                               gsize               length,
                                               GError            **error);
JsonNode   *paddock_pve_parse_envelope        (const char         *body,
                                               gsize               length,
                                               guint               status,
                                               const char         *reason,
                                               gint64             *total,
                                               GError            **error);
GError     *paddock_pve_error_from_response   (guint               status,
                                               const char         *reason,
                                               const char         *message,
                                               JsonObject         *errors);

/* The fast path of SPEC.md §10: guests straight from the bytes (jsmn), any order of keys,
 * numbers or strings, unknown keys and non-guest entries skipped. */
GPtrArray  *paddock_pve_parse_guest_list      (const char         *body,
                                               gsize               length,
                                               gboolean            lxc_only,
                                               GError            **error);

/* "name=eth0,bridge=vmbr0,ip=dhcp" → key → value; a part without '=' goes to @default_key. */
GHashTable *paddock_pve_parse_property_string (const char         *text,
                                               const char         *default_key,
                                               GError            **error);

typedef struct
{
  char   *node;
  guint   pid;
  guint64 pstart;
  gint64  starttime;
  char   *type;
  char   *id;
  char   *user;
} PaddockUpid;

gboolean    paddock_pve_parse_upid            (const char         *text,
                                               PaddockUpid        *upid,
                                               GError            **error);
void        paddock_upid_clear                (PaddockUpid        *upid);

/* Tolerant readers of JSON members: numbers that arrive as strings, 0/1/"" booleans. */
gint64      paddock_json_get_int              (JsonObject         *object,
                                               const char         *member,
                                               gint64              fallback);
double      paddock_json_get_double           (JsonObject         *object,
                                               const char         *member,
                                               double              fallback);
gboolean    paddock_json_get_bool             (JsonObject         *object,
                                               const char         *member,
                                               gboolean            fallback);
const char *paddock_json_get_string           (JsonObject         *object,
                                               const char         *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockGuestRecord, paddock_guest_record_free)

G_END_DECLS
