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
} SimTask;

G_END_DECLS
