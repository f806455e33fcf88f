/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pve-sim.h: the Proxmox VE simulator of the lab (its own code: no JSON code shared with Paddock) */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SimSchema SimSchema;

SimSchema  *sim_schema_load                (const char  *path,
                                            GError     **error);
guint       sim_schema_count               (SimSchema   *schema);
JsonObject *sim_schema_lookup              (SimSchema   *schema,
                                            const char  *method,
                                            const char  *path_template);
GHashTable *sim_schema_validate            (JsonObject  *method_info,
                                            GHashTable  *params);
gboolean    sim_schema_required_privileges (JsonObject  *method_info,
                                            GHashTable  *path_params,
                                            char       **acl_path,
                                            GStrv       *privileges,
                                            gboolean    *any);
void        sim_schema_free                (SimSchema   *schema);

typedef struct
{
  char     *name;
  guint     nodeid;
  char     *ip;
  gboolean  online;
  guint     maxcpu;
  gint64    maxmem;
  gint64    boot_time;
} SimNode;

typedef struct _SimReal SimReal;

typedef struct
{
  guint       vmid;
  char       *node;
  gboolean    running;
  gint64      started_at;
  gboolean    template;
  char       *hastate;           /* NULL when not HA-managed */
  gboolean    ignores_shutdown;  /* a shutdown request times out */
  GHashTable *config;            /* key → value, as in /etc/pve/lxc/VMID.conf */
  SimReal    *real;              /* a real container (pve-sim-real.c), else NULL */
} SimGuest;

typedef struct
{
  char      *upid;
  char      *node;
  char      *type;
  char      *id;
  char      *user;
  guint      pid;
  gint64     starttime;
  gint64     endtime;
  GPtrArray *log;
  char      *exitstatus;         /* NULL while running */
  GCancellable *cancellable;     /* cancelled when the task is stopped through the API */
} SimTask;

/* pve-sim.c, for the real-container backend */
gint64    sim_now              (void);
SimGuest *sim_find_guest       (guint              vmid);
GHashTable *sim_guests_table   (void);
SimTask  *sim_task_begin       (const char        *node,
                                const char        *type,
                                const char        *id,
                                const char        *user);
void      sim_task_log         (SimTask           *task,
                                const char        *line);
void      sim_task_end         (SimTask           *task,
                                const char        *error);
void      sim_respond_data     (SoupServerMessage *msg,
                                JsonNode          *data);
void      sim_respond_error    (SoupServerMessage *msg,
                                guint              status,
                                const char        *message);

/* pve-sim-real.c: real containers, run by the lab's pct (tests/lab/node/pct-real.sh) */
typedef void (*SimRealDone) (guint     vmid,
                             gboolean  ok,
                             gpointer  data);

typedef struct
{
  double  cpu;         /* fraction of the container's cores, 0..1 */
  gint64  mem;
  gint64  maxmem;
  gint64  disk;
  gint64  netin;
  gint64  netout;
  gint64  diskread;
  gint64  diskwrite;
  gint64  pid;         /* the container's PID 1 on the host */
} SimRealUsage;

gboolean  sim_real_setup       (const char        *pct,
                                const char        *state_dir,
                                GError           **error);
gboolean  sim_real_enabled     (void);
const char *sim_real_template  (void);
gint64    sim_real_template_size (void);
void      sim_real_attach      (SimGuest          *guest);
void      sim_real_free        (SimReal           *real);
gboolean  sim_real_busy        (SimGuest          *guest);
void      sim_real_refresh     (SimGuest          *guest);
SimTask  *sim_real_run         (SimGuest          *guest,
                                const char        *type,
                                const char        *user,
                                GPtrArray         *steps,
                                const char        *password,
                                SimRealDone        done,
                                gpointer           data);
void      sim_real_usage       (SimGuest          *guest,
                                SimRealUsage      *usage);
void      sim_real_interfaces  (SoupServerMessage *msg,
                                SimGuest          *guest);
void      sim_real_rrddata     (JsonBuilder       *builder,
                                SimGuest          *guest,
                                const char        *timeframe,
                                const char        *cf);

/* pve-sim.c */
void     sim_drop_connection (SoupServerMessage *msg);

/* pve-sim-hostile.c */
gboolean sim_hostile_set     (const char        *name,
                              const char        *arg);
gboolean sim_hostile_respond (SoupServerMessage *msg);

G_END_DECLS
