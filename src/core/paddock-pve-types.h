/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-types.h: typed results of the Proxmox API client (boxed, with public fields) */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *version;
  char *release;
  char *repoid;
} PaddockPveVersion;

/* A node of /cluster/status (the SSH address of containers comes from here). */
typedef struct
{
  char     *name;
  char     *ip;
  guint     nodeid;
  gboolean  online;
  gboolean  local;
} PaddockPveNode;

/* /cluster/status as a whole. */
typedef struct
{
  char      *cluster_name;  /* NULL for a node that is not part of a cluster */
  gboolean   quorate;       /* always TRUE for a standalone node */
  GPtrArray *nodes;         /* PaddockPveNode, in response order */
} PaddockPveClusterStatus;

/* A node of /nodes (usage for the target-node choice). */
typedef struct
{
  char     *name;
  gboolean  online;
  double    cpu;
  guint     maxcpu;
  gint64    mem;
  gint64    maxmem;
  gint64    uptime;
} PaddockNodeUsage;

/* One netN of a container config, parsed from its property string. */
typedef struct
{
  char     *id;        /* "net0" */
  char     *name;      /* "eth0" */
  char     *bridge;
  char     *hwaddr;
  char     *ip;        /* "dhcp", "manual" or CIDR */
  char     *gw;
  char     *ip6;
  char     *gw6;
  char     *type;
  guint     tag;
  gboolean  firewall;
} PaddockNetInterface;

/* rootfs or an mpN. */
typedef struct
{
  char   *id;          /* "rootfs", "mp0" */
  char   *volume;
  char   *mountpoint;  /* "/" for rootfs */
  gint64  size;        /* bytes, 0 when not given */
} PaddockMount;

typedef struct
{
  GHashTable *raw;          /* every key as Proxmox sent it, values as strings */
  char       *hostname;
  char       *ostype;
  char       *arch;
  char       *description;
  char       *tags;
  char       *lock;
  char       *digest;
  guint       cores;
  gint64      memory;       /* MiB */
  gint64      swap;         /* MiB */
  gboolean    unprivileged;
  gboolean    onboot;
  gboolean    nesting;
  gboolean    keyctl;
  gboolean    fuse;
  GPtrArray  *networks;     /* PaddockNetInterface, by id */
  GPtrArray  *mounts;       /* PaddockMount: rootfs first, then mpN by number */
} PaddockGuestConfig;

/* A network interface inside a running container (…/interfaces). */
typedef struct
{
  char *name;
  char *hwaddr;
  GStrv addresses;  /* CIDR strings, IPv4 and IPv6 */
} PaddockInterface;

/* One row of …/rrddata; a column Proxmox left out (NaN) is NAN here. */
typedef struct
{
  gint64 time;
  double cpu;
  double maxcpu;
  double mem;
  double maxmem;
  double disk;
  double maxdisk;
  double netin;
  double netout;
  double diskread;
  double diskwrite;
} PaddockRrdPoint;

typedef struct
{
  char     *storage;
  char     *type;
  char     *content;
  gint64    total;
  gint64    used;
  gint64    avail;
  gboolean  active;
} PaddockStorage;

typedef struct
{
  char   *volid;
  char   *format;
  gint64  size;
  gint64  ctime;
} PaddockVolume;

typedef struct
{
  char *package;
  char *version;
  char *os;
  char *section;
  char *headline;
  char *template;
} PaddockAppliance;

typedef struct
{
  char     *iface;
  char     *cidr;
  char     *comments;
  gboolean  active;
} PaddockBridge;

typedef struct
{
  char     *upid;
  char     *node;
  char     *type;
  char     *id;
  char     *user;
  gint64    starttime;
  gint64    endtime;
  gboolean  running;
  char     *exitstatus;  /* NULL while running */
} PaddockTaskInfo;

typedef struct
{
  guint  n;
  char  *text;
} PaddockTaskLine;

void                paddock_pve_version_free    (PaddockPveVersion   *version);
void                paddock_pve_node_free       (PaddockPveNode      *node);
void                paddock_pve_cluster_status_free (PaddockPveClusterStatus *status);
/* What to call it: the cluster's name, or its (first) node's when it stands alone; NULL if neither. */
const char         *paddock_pve_cluster_status_get_name    (PaddockPveClusterStatus *status);
/* The names of the offline nodes, ", "-separated, or NULL when every node is online. */
char               *paddock_pve_cluster_status_dup_offline (PaddockPveClusterStatus *status);
void                paddock_node_usage_free     (PaddockNodeUsage    *node);
void                paddock_net_interface_free  (PaddockNetInterface *net);
void                paddock_mount_free          (PaddockMount        *mount);
void                paddock_guest_config_free   (PaddockGuestConfig  *config);
void                paddock_interface_free      (PaddockInterface    *interface);
void                paddock_storage_free        (PaddockStorage      *storage);
void                paddock_volume_free         (PaddockVolume       *volume);
void                paddock_appliance_free      (PaddockAppliance    *appliance);
void                paddock_bridge_free         (PaddockBridge       *bridge);
void                paddock_task_info_free      (PaddockTaskInfo     *task);
void                paddock_task_line_free      (PaddockTaskLine     *line);
gboolean            paddock_task_info_succeeded (PaddockTaskInfo     *task);

/* Parsers from the JSON data of each endpoint (tolerant: missing fields, strings for numbers). */
PaddockPveVersion  *paddock_pve_version_from_json   (JsonNode    *data,
                                                     GError     **error);
GPtrArray          *paddock_node_usages_from_json   (JsonNode    *data,
                                                     GError     **error);
PaddockPveClusterStatus *paddock_pve_cluster_status_from_json (JsonNode *data,
                                                               GError  **error);
PaddockGuestConfig *paddock_guest_config_from_json  (JsonNode    *data,
                                                     GError     **error);
PaddockNetInterface *paddock_net_interface_parse    (const char  *id,
                                                     const char  *text,
                                                     GError     **error);
PaddockMount       *paddock_mount_parse             (const char  *id,
                                                     const char  *text,
                                                     GError     **error);
gint64              paddock_pve_parse_size          (const char  *text);
GPtrArray          *paddock_interfaces_from_json    (JsonNode    *data,
                                                     GError     **error);
GArray             *paddock_rrd_points_from_json    (JsonNode    *data,
                                                     GError     **error);
GPtrArray          *paddock_storages_from_json      (JsonNode    *data,
                                                     GError     **error);
GPtrArray          *paddock_volumes_from_json       (JsonNode    *data,
                                                     GError     **error);
GPtrArray          *paddock_appliances_from_json    (JsonNode    *data,
                                                     GError     **error);
GPtrArray          *paddock_bridges_from_json       (JsonNode    *data,
                                                     GError     **error);
PaddockTaskInfo    *paddock_task_info_from_json     (JsonObject  *object,
                                                     GError     **error);
GPtrArray          *paddock_tasks_from_json         (JsonNode    *data,
                                                     GError     **error);
GPtrArray          *paddock_task_lines_from_json    (JsonNode    *data,
                                                     GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockPveVersion, paddock_pve_version_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockPveClusterStatus, paddock_pve_cluster_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockGuestConfig, paddock_guest_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockTaskInfo, paddock_task_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockNetInterface, paddock_net_interface_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockMount, paddock_mount_free)

G_END_DECLS
