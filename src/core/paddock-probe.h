/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-probe.h: what runs inside a container, gathered in one `pct exec` (SPEC.md §5.1) */

#pragma once

#include "paddock-pct.h"
#include "paddock-service.h"

G_BEGIN_DECLS

typedef struct
{
  gint64     probed_at;     /* unix seconds */
  GPtrArray *services;      /* PaddockService: applications first, then system ones, by name */
  GPtrArray *other_ports;   /* PaddockPort: listening sockets of no service */
  GStrv      addresses;     /* the container's own addresses (hostname -I) */
  GStrv      missing;       /* what the container lacks: "systemd", "ss" (a partial result) */
  /* config-manager (SPEC.md §6.6), when the container has it */
  gboolean   config_manager;
  char      *config_manager_state;     /* ActiveState */
  char      *config_manager_result;    /* Result: success, exit-code, … */
  gint64     config_manager_last_run;  /* unix seconds, or 0 */
  char      *config_manager_last_line; /* of /var/log/config-manager/sync.log, or NULL */
} PaddockProbeResult;

#define PADDOCK_TYPE_PROBE_RESULT (paddock_probe_result_get_type ())
GType               paddock_probe_result_get_type       (void) G_GNUC_CONST;
PaddockProbeResult *paddock_probe_result_ref            (PaddockProbeResult *result);
void                paddock_probe_result_unref          (PaddockProbeResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockProbeResult, paddock_probe_result_unref)

/* The container's own address (the first of hostname -I), or NULL. */
const char         *paddock_probe_result_get_address    (PaddockProbeResult *result);
PaddockService     *paddock_probe_result_find_service   (PaddockProbeResult *result,
                                                         const char         *unit);
/* For the cache: everything but the credentials, which never leave memory. */
char               *paddock_probe_result_to_json        (PaddockProbeResult *result);
PaddockProbeResult *paddock_probe_result_new_from_json  (const char         *json,
                                                         GError            **error);

/* The script sent to the container, framed by markers of @token. */
char               *paddock_probe_build_script          (const char         *token);
/* Builds the result from the script's output (a pure function: tested and fuzzed). */
PaddockProbeResult *paddock_probe_parse_output          (const char         *output,
                                                         gsize               length,
                                                         const char         *token,
                                                         GError            **error);

/* One round trip: `pct exec VMID -- sh -c SCRIPT`, parsed off the main thread. Many containers
 * of one node are probed at once over the same session, each on its own channel. */
void                paddock_probe_async                 (PaddockPct         *pct,
                                                         guint               vmid,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
PaddockProbeResult *paddock_probe_finish                (PaddockPct         *pct,
                                                         GAsyncResult       *result,
                                                         GError            **error);

/* One container's part of a probe of many: its result, or why it has none. */
typedef struct
{
  guint               vmid;
  PaddockProbeResult *result;   /* NULL on failure */
  GError             *error;
} PaddockProbeOutcome;

void                paddock_probe_outcome_free          (PaddockProbeOutcome *outcome);

/* Many containers of one node: a few channels at once, each running pct exec for several
 * containers in turn (one SSH session start per channel, not per container). The outcomes
 * come in the order of @vmids. */
void                paddock_probe_many_async            (PaddockPct         *pct,
                                                         const guint        *vmids,
                                                         guint               n_vmids,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
GPtrArray          *paddock_probe_many_finish           (PaddockPct         *pct,
                                                         GAsyncResult       *result,
                                                         GError            **error);

G_END_DECLS
