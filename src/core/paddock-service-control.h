/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-service-control.h: acting on a container's services and reading their journal */

#pragma once

#include "paddock-pct.h"

G_BEGIN_DECLS

typedef enum
{
  PADDOCK_SERVICE_START,
  PADDOCK_SERVICE_STOP,
  PADDOCK_SERVICE_RESTART,
} PaddockServiceAction;

/* Journal lines kept by a log view and by `paddockctl logs -f`. */
#define PADDOCK_JOURNAL_DEFAULT_LINES 200

const char *paddock_service_action_to_string  (PaddockServiceAction  action);
gboolean    paddock_service_action_from_string (const char           *str,
                                                PaddockServiceAction *action);

/* A unit name Paddock passes to systemctl or journalctl (SPEC.md §2.3): [A-Za-z0-9@._:-],
 * at most 256 characters; ".service" is added when no type is given. */
char       *paddock_normalize_unit_name        (const char           *unit,
                                                GError              **error);

/* systemctl ACTION -- UNIT in the container; fails with systemctl's own words. */
void        paddock_service_action_async       (PaddockPct           *pct,
                                                guint                 vmid,
                                                const char           *unit,
                                                PaddockServiceAction  action,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean    paddock_service_action_finish      (PaddockPct           *pct,
                                                GAsyncResult         *result,
                                                GError              **error);

/* The last @lines lines of the unit's journal (`journalctl -u UNIT -n N -o short-iso`), without
 * journalctl's own "-- … --" notes. */
void        paddock_service_logs_async         (PaddockPct           *pct,
                                                guint                 vmid,
                                                const char           *unit,
                                                guint                 lines,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GStrv       paddock_service_logs_finish        (PaddockPct           *pct,
                                                GAsyncResult         *result,
                                                GError              **error);

/* The last @lines lines and then each new one as it is written (`journalctl -f`), whole lines
 * only, until cancelled: one command, so nothing is missed or repeated between the two. */
void        paddock_service_follow_async       (PaddockPct           *pct,
                                                guint                 vmid,
                                                const char           *unit,
                                                guint                 lines,
                                                PaddockSshLineFunc    line_func,
                                                gpointer              line_data,
                                                GDestroyNotify        line_data_destroy,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean    paddock_service_follow_finish      (PaddockPct           *pct,
                                                GAsyncResult         *result,
                                                GError              **error);

/* journalctl's notes ("-- No entries --", "-- Journal begins at …", "-- Boot … --"). */
gboolean    paddock_journal_line_is_note       (const char           *line);

G_END_DECLS
