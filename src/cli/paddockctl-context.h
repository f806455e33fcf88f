/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-context.h: what every paddockctl command shares: the store, the keyring, output */

#pragma once

#include <json-glib/json-glib.h>

#include "paddock-core.h"

G_BEGIN_DECLS

/* Exit statuses of SPEC.md §7 */
enum {
  CTL_EXIT_OK = 0,
  CTL_EXIT_FAILURE = 1,
  CTL_EXIT_USAGE = 2,
  CTL_EXIT_NOT_FOUND = 3,
  CTL_EXIT_TRUST = 4,
};

typedef struct
{
  char             *data_dir;     /* NULL: the default location */
  PaddockStore     *store;
  PaddockSecrets   *secrets;
  PaddockWorkspace *workspace;
} CtlContext;

typedef int (*CtlCommandFunc) (CtlContext *ctl,
                               int         argc,
                               char      **argv);

GAsyncResult *ctl_wait              (GAsyncResult     **slot);
void          ctl_store_result      (GObject           *source,
                                     GAsyncResult      *result,
                                     gpointer           user_data);
#define CTL_ASYNC(slot) ctl_store_result, &(slot)

gboolean      ctl_open_store        (CtlContext        *ctl,
                                     GError           **error);
gboolean      ctl_load_workspace    (CtlContext        *ctl,
                                     GError           **error);
void          ctl_context_clear     (CtlContext        *ctl);

/* Prints "paddockctl: message" and returns the exit status that fits the error. */
int           ctl_fail              (const GError      *error);
int           ctl_usage_error       (GOptionContext    *context,
                                     const char        *format,
                                     ...) G_GNUC_PRINTF (2, 3);
int           ctl_exit_status_for   (const GError      *error);

PaddockConnection *ctl_find_connection (CtlContext     *ctl,
                                        const char     *name,
                                        GError        **error);
gboolean      ctl_refresh_all       (CtlContext        *ctl,
                                     const char        *only_connection);
/* A VMID, a name, or CONNECTION/VMID; ambiguous names list the candidates (exit 3). */
PaddockGuest *ctl_resolve_guest     (CtlContext        *ctl,
                                     const char        *spec,
                                     PaddockCluster   **cluster,
                                     int               *exit_status);

PaddockSshSession *ctl_ssh_session_for_node (CtlContext     *ctl,
                                             PaddockCluster *cluster,
                                             const char     *node,
                                             GError        **error);

int           ctl_ssh_connect       (CtlContext        *ctl,
                                     PaddockCluster    *cluster,
                                     const char        *node,
                                     PaddockSshSession *session);
PaddockPct   *ctl_pct_for_guest     (CtlContext        *ctl,
                                     PaddockCluster    *cluster,
                                     PaddockGuest      *guest,
                                     int               *exit_status);

gboolean      ctl_is_interactive    (void);
gboolean      ctl_confirm           (const char        *question);
char         *ctl_read_secret       (const char        *prompt);

/* A secret from PADDOCK_* for this run, or NULL. */
const char   *ctl_env_secret        (PaddockAuthKind    kind);
void          ctl_apply_env_secrets (CtlContext        *ctl);

char         *ctl_format_duration   (gint64             seconds);
void          ctl_print_json        (JsonBuilder       *builder);
void          ctl_print_table       (GPtrArray         *rows);  /* of GStrv, the first the header */

G_END_DECLS
