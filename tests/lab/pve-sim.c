/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pve-sim.c: an HTTPS server that answers like a Proxmox VE 9 cluster, quirks included */

#include "config.h"

#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pve-sim.h"

/* Global simulator state: the lab runs one simulator per process. */
typedef struct
{
  SoupServer  *server;
  SoupServer  *control;
  SimSchema   *schema;
  FILE        *journal;
  char        *state_dir;
  GTlsCertificate *certificates[3];  /* the node's; self-signed; another the cluster CA issued */
  GPtrArray   *sockets;              /* GSocket of the API's open connections (weak) */
  guint        active_certificate;

  GPtrArray   *nodes;
  GHashTable  *guests;      /* vmid → SimGuest */
  GPtrArray   *tasks;       /* SimTask, oldest first */
  GHashTable  *tasks_by_upid;
  GPtrArray   *templates;   /* node-independent list of downloaded vztmpl file names */

  char        *cluster_name;
  char        *password;
  char        *token_secret;
  char        *readonly_token_secret;
  guint8       ticket_key[32];
  gint64       clock_offset;
  gint64       tickets_valid_after;
  guint        next_pid;

  /* Timing */
  guint        task_ms;
  guint        auth_delay_ms;
  guint        ha_delay_ms;  /* between an HA task's end and the container's new state */

  gboolean     standalone;   /* one node without a cluster: no "cluster" entry in /cluster/status */

  /* Quirks */
  gboolean     quirk_vmid_string;
  gboolean     quirk_no_message;
  gboolean     quirk_bool_empty;

  /* Faults */
  guint        latency_ms;
  guint        fail_next;
  guint        fail_status;
  guint        drop_next;
  char        *fail_task_type;
  char        *fail_task_message;
  char        *stall_task_type;
} Sim;

static Sim sim;

static const char *totp_secret_base32 = "JBSWY3DPEHPK3PXP";

/* Time as the simulated cluster sees it (the clock can be advanced to expire tickets). */
gint64
sim_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC + sim.clock_offset;
}

/* ------------------------------------------------------------------------------------------- */
/* Responses                                                                                    */

static void
set_json_body (SoupServerMessage *msg,
               JsonNode          *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize length;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  /* pveproxy compresses what is worth it when the client accepts gzip. */
  if (length > 1024 &&
      soup_message_headers_header_contains (soup_server_message_get_request_headers (msg), "Accept-Encoding", "gzip"))
    {
      g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
      g_autoptr(GByteArray) compressed = g_byte_array_sized_new (length / 4 + 64);
      gsize read_total = 0;
      GConverterResult result;

      do
        {
          guint8 buffer[16384];
          gsize read = 0, written = 0;

          result = g_converter_convert (G_CONVERTER (compressor), text + read_total, length - read_total,
                                        buffer, sizeof buffer, G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
          read_total += read;
          g_byte_array_append (compressed, buffer, written);
        }
      while (result == G_CONVERTER_CONVERTED);

      if (result == G_CONVERTER_FINISHED)
        {
          g_free (text);
          length = compressed->len;
          text = (char *) g_byte_array_free (g_steal_pointer (&compressed), FALSE);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Encoding", "gzip");
        }
    }

  soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_TAKE, text, length);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Server", "pve-api-daemon/3.0");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "max-age=0");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Pragma", "no-cache");
}

static void
respond_data (SoupServerMessage *msg,
              JsonNode          *data,
              gint64             total)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  /* The builder takes ownership of what it is given; the caller keeps @data. */
  if (data != NULL)
    json_builder_add_value (builder, json_node_ref (data));
  else
    json_builder_add_null_value (builder);
  if (total >= 0)
    {
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, total);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  soup_server_message_set_status (msg, 200, "OK");
  set_json_body (msg, root);
}

/* Proxmox's error shape: reason phrase = first line; body {data:null, message, errors}. */
static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *message,
               GHashTable        *errors)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *first_line = g_strndup (message, strcspn (message, "\n"));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_add_null_value (builder);
  if (errors != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      json_builder_set_member_name (builder, "errors");
      json_builder_begin_object (builder);
      g_hash_table_iter_init (&iter, errors);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          json_builder_set_member_name (builder, key);
          json_builder_add_string_value (builder, value);
        }
      json_builder_end_object (builder);
    }
  if (!sim.quirk_no_message)
    {
      g_autofree char *full = g_str_has_suffix (message, "\n") ? g_strdup (message)
                                                                : g_strconcat (message, "\n", NULL);

      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, full);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  soup_server_message_set_status (msg, status, first_line);
  set_json_body (msg, root);
}

void
sim_respond_data (SoupServerMessage *msg,
                  JsonNode          *data)
{
  respond_data (msg, data, -1);
}

void
sim_respond_error (SoupServerMessage *msg,
                   guint              status,
                   const char        *message)
{
  respond_error (msg, status, message, NULL);
}

/* Authentication-stage failures have no body at all. */
static void
respond_empty (SoupServerMessage *msg,
               guint              status,
               const char        *reason)
{
  soup_server_message_set_status (msg, status, reason);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

static void
respond_param_errors (SoupServerMessage *msg,
                      GHashTable        *errors)
{
  respond_error (msg, 400, "Parameter verification failed.", errors);
}

static void
respond_param_error (SoupServerMessage *msg,
                     const char        *param,
                     const char        *message)
{
  g_autoptr(GHashTable) errors = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (errors, (gpointer) param, (gpointer) message);
  respond_param_errors (msg, errors);
}

/* ------------------------------------------------------------------------------------------- */
/* JSON helpers                                                                                 */

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

/* 2 as 2, 0.5 as 0.5: Perl's numbers print without a fraction when they have none. */
static void
add_double_or_int (JsonBuilder *builder,
                   const char  *name,
                   double       value)
{
  if (value == (gint64) value)
    add_int (builder, name, (gint64) value);
  else
    add_double (builder, name, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* Booleans as Proxmox's Perl emits them: 0/1, or "" for false on old servers. */
static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  if (!value && sim.quirk_bool_empty)
    json_builder_add_string_value (builder, "");
  else
    json_builder_add_int_value (builder, value ? 1 : 0);
}

static void
add_vmid (JsonBuilder *builder,
          guint        vmid)
{
  json_builder_set_member_name (builder, "vmid");
  if (sim.quirk_vmid_string)
    {
      g_autofree char *text = g_strdup_printf ("%u", vmid);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_int_value (builder, vmid);
}

/* ------------------------------------------------------------------------------------------- */
/* The model                                                                                    */

SimGuest *
sim_find_guest (guint vmid)
{
  return g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (vmid));
}

GHashTable *
sim_guests_table (void)
{
  return sim.guests;
}

static SimNode *
find_node (const char *name)
{
  for (guint i = 0; i < sim.nodes->len; i++)
    {
      SimNode *node = g_ptr_array_index (sim.nodes, i);

      if (g_strcmp0 (node->name, name) == 0)
        return node;
    }

  return NULL;
}

static const char *
guest_config (SimGuest   *guest,
              const char *key)
{
  return g_hash_table_lookup (guest->config, key);
}

static gint64
guest_config_int (SimGuest   *guest,
                  const char *key,
                  gint64      fallback)
{
  const char *value = guest_config (guest, key);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : fallback;
}

static gint64
guest_maxdisk (SimGuest *guest)
{
  const char *rootfs = guest_config (guest, "rootfs");
  const char *size = rootfs != NULL ? strstr (rootfs, "size=") : NULL;

  if (size == NULL)
    return 8LL << 30;

  return g_ascii_strtoll (size + 5, NULL, 10) << 30;
}

/* A deterministic wobble so that usage looks alive and tests stay reproducible. */
static double
wobble (guint  vmid,
        double period)
{
  double t = (double) sim_now () / period;

  return 0.5 + 0.5 * sin (t + vmid * 1.7);
}

static const char *
guest_name (SimGuest *guest)
{
  const char *hostname = guest_config (guest, "hostname");

  return hostname != NULL ? hostname : NULL;
}

/* As pve-container's vmstatus: the cores, or all of the node's; a lower cpulimit wins. */
static double
guest_cpus (SimGuest *guest)
{
  SimNode *node = find_node (guest->node);
  double cpus = guest_config_int (guest, "cores", node != NULL ? node->maxcpu : 1);
  const char *cpulimit = guest_config (guest, "cpulimit");

  if (cpulimit != NULL && g_ascii_strtod (cpulimit, NULL) > 0)
    cpus = MIN (cpus, g_ascii_strtod (cpulimit, NULL));

  return cpus;
}

/* The record shared by /cluster/resources, /nodes/{n}/lxc and status/current. */
static void
build_guest_status (JsonBuilder *builder,
                    SimGuest    *guest,
                    gboolean     for_resources)
{
  gint64 maxmem = guest_config_int (guest, "memory", 512) << 20;
  gint64 maxswap = guest_config_int (guest, "swap", 512) << 20;
  gint64 maxdisk = guest_maxdisk (guest);
  gint64 uptime = guest->running ? MAX (1, sim_now () - guest->started_at) : 0;
  double cores = guest_cpus (guest);
  const char *tags = guest_config (guest, "tags");
  const char *lock = guest_config (guest, "lock");
  g_autofree char *id = g_strdup_printf ("lxc/%u", guest->vmid);
  g_autofree char *name = guest_name (guest) ? g_strdup (guest_name (guest))
                                             : g_strdup_printf ("CT%u", guest->vmid);

  SimRealUsage usage = { 0 };
  gboolean measured = guest->real != NULL && guest->running;

  if (measured)
    sim_real_usage (guest, &usage);

  if (for_resources)
    {
      add_string (builder, "id", id);
      add_string (builder, "node", guest->node);
      add_double_or_int (builder, "maxcpu", cores);
      if (guest->hastate != NULL)
        add_string (builder, "hastate", guest->hastate);
    }
  else
    add_double_or_int (builder, "cpus", cores);

  add_string (builder, "type", "lxc");
  add_vmid (builder, guest->vmid);
  add_string (builder, "name", name);
  add_string (builder, "status", guest->running ? "running" : "stopped");
  add_int (builder, "maxmem", maxmem);
  add_int (builder, "maxdisk", maxdisk);
  if (!for_resources)
    add_int (builder, "maxswap", maxswap);
  add_int (builder, "uptime", uptime);
  if (measured)
    {
      /* A real container: what the lab measured of it (pve-sim-real.c). */
      add_double (builder, "cpu", usage.cpu);
      add_int (builder, "mem", usage.mem);
      if (!for_resources)
        add_int (builder, "swap", 0);
      add_int (builder, "disk", usage.disk);
      add_int (builder, "netin", usage.netin);
      add_int (builder, "netout", usage.netout);
      add_int (builder, "diskread", usage.diskread);
      add_int (builder, "diskwrite", usage.diskwrite);
    }
  else if (!guest->running)
    {
      /* What Proxmox sends for a stopped container: integer zeros, the disk too. */
      add_int (builder, "cpu", 0);
      add_int (builder, "mem", 0);
      if (!for_resources)
        add_int (builder, "swap", 0);
      add_int (builder, "disk", 0);
      add_int (builder, "netin", 0);
      add_int (builder, "netout", 0);
      add_int (builder, "diskread", 0);
      add_int (builder, "diskwrite", 0);
    }
  else
    {
      add_double (builder, "cpu", guest->running ? 0.02 + 0.3 * wobble (guest->vmid, 40.0) : 0.0);
      add_int (builder, "mem", guest->running ? (gint64) (maxmem * (0.15 + 0.6 * wobble (guest->vmid, 300.0))) : 0);
      if (!for_resources)
        add_int (builder, "swap", guest->running ? maxswap / 20 : 0);
      add_int (builder, "disk", guest->real != NULL ? 0 : (gint64) (maxdisk * (0.2 + (guest->vmid % 7) * 0.1)));
      add_int (builder, "netin", guest->running ? uptime * 2048 : 0);
      add_int (builder, "netout", guest->running ? uptime * 1024 : 0);
      add_int (builder, "diskread", guest->running ? uptime * 4096 : 0);
      add_int (builder, "diskwrite", guest->running ? uptime * 8192 : 0);
    }
  if (guest->running && !for_resources)
    add_int (builder, "pid", measured && usage.pid > 0 ? usage.pid : 10000 + guest->vmid);
  if (guest->template)
    add_bool (builder, "template", TRUE);
  else if (for_resources)
    add_bool (builder, "template", FALSE);
  if (tags != NULL)
    add_string (builder, "tags", tags);
  if (lock != NULL)
    add_string (builder, "lock", lock);
}

/* The lab's pct reads containers from the state directory: <state>/ct/<vmid>/{node,status,rootfs/}. */
static void
sync_guest_state (guint vmid)
{
  SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (vmid));
  g_autofree char *dir = NULL;

  if (sim.state_dir == NULL)
    return;

  dir = g_strdup_printf ("%s/ct/%u", sim.state_dir, vmid);
  if (guest == NULL)
    {
      g_autofree char *status = g_build_filename (dir, "status", NULL);

      /* The rootfs stays for inspection; a missing status file means "does not exist". */
      g_unlink (status);
      return;
    }

  {
    g_autofree char *rootfs = g_build_filename (dir, "rootfs", NULL);
    g_autofree char *node = g_build_filename (dir, "node", NULL);
    g_autofree char *status = g_build_filename (dir, "status", NULL);
    g_autofree char *tmp = g_build_filename (dir, "status.tmp", NULL);
    const char *text = guest->running ? "running\n" : "stopped\n";

    g_mkdir_with_parents (rootfs, 0755);
    g_file_set_contents (node, guest->node, -1, NULL);
    /* A real container's status is pct's to write (it knows when systemd finished booting). */
    if (guest->real != NULL)
      return;
    /* Written then renamed, so pct never reads half a file. */
    g_file_set_contents (tmp, text, -1, NULL);
    g_rename (tmp, status);
  }
}

static void
sim_guest_free (gpointer data)
{
  SimGuest *guest = data;

  g_free (guest->node);
  g_free (guest->hastate);
  g_hash_table_unref (guest->config);
  sim_real_free (guest->real);
  g_free (guest);
}

static SimGuest *
add_guest (guint       vmid,
           const char *node,
           const char *hostname,
           gboolean    running)
{
  SimGuest *guest = g_new0 (SimGuest, 1);

  guest->vmid = vmid;
  guest->node = g_strdup (node);
  guest->running = running;
  guest->started_at = sim_now () - 3600 * (1 + vmid % 50) - vmid * 7;
  guest->config = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (guest->config, g_strdup ("hostname"), g_strdup (hostname));
  g_hash_table_insert (guest->config, g_strdup ("arch"), g_strdup ("amd64"));
  g_hash_table_insert (guest->config, g_strdup ("ostype"), g_strdup ("debian"));
  g_hash_table_insert (guest->config, g_strdup ("cores"), g_strdup_printf ("%u", 1 + vmid % 4));
  g_hash_table_insert (guest->config, g_strdup ("memory"), g_strdup_printf ("%u", 512u << (vmid % 3)));
  g_hash_table_insert (guest->config, g_strdup ("swap"), g_strdup ("512"));
  g_hash_table_insert (guest->config, g_strdup ("rootfs"),
                       g_strdup_printf ("local-lvm:vm-%u-disk-0,size=%uG", vmid, 8 + (vmid % 4) * 8));
  g_hash_table_insert (guest->config, g_strdup ("net0"),
                       g_strdup_printf ("name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:%02X:%02X:%02X,ip=dhcp,type=veth",
                                        (vmid >> 16) & 0xff, (vmid >> 8) & 0xff, vmid & 0xff));
  g_hash_table_insert (guest->config, g_strdup ("unprivileged"), g_strdup ("1"));
  g_hash_table_insert (guest->config, g_strdup ("features"), g_strdup ("nesting=1"));
  g_hash_table_insert (guest->config, g_strdup ("onboot"), g_strdup (running ? "1" : "0"));

  g_hash_table_replace (sim.guests, GUINT_TO_POINTER (vmid), guest);
  sync_guest_state (vmid);
  return guest;
}

static void
add_node (const char *name,
          guint       nodeid,
          const char *ip)
{
  SimNode *node = g_new0 (SimNode, 1);

  node->name = g_strdup (name);
  node->nodeid = nodeid;
  node->ip = g_strdup (ip);
  node->online = TRUE;
  node->maxcpu = 8 << (nodeid % 2);
  node->maxmem = (gint64) (32 << (nodeid % 2)) << 30;
  node->boot_time = sim_now () - 86400 * (10 + nodeid);
  g_ptr_array_add (sim.nodes, node);
}

static void
set_config (SimGuest   *guest,
            const char *key,
            const char *value)
{
  if (value == NULL)
    g_hash_table_remove (guest->config, key);
  else
    g_hash_table_replace (guest->config, g_strdup (key), g_strdup (value));
}

static void
load_demo_dataset (void)
{
  static const struct {
    guint vmid; const char *node; const char *name; gboolean running; const char *tags;
    const char *ip; const char *lock; const char *ha; gboolean template;
  } demo[] = {
    /* Proxmox keeps tags as written: ';' is canonical, ',' and spaces occur in older configs. */
    { 100, "pve1", "gateway",       TRUE,  "network;prod",  "192.168.1.10/24", NULL, "started", FALSE },
    { 101, "pve1", "nextcloud",     TRUE,  "apps;prod",     "192.168.1.11/24", NULL, NULL, FALSE },
    { 102, "pve1", "postgres",      TRUE,  "db;prod",       "192.168.1.12/24", NULL, "started", FALSE },
    { 103, "pve1", "redis",         TRUE,  "db",            NULL, NULL, NULL, FALSE },
    { 104, "pve1", "grafana",       TRUE,  "monitoring",    NULL, NULL, NULL, FALSE },
    { 105, "pve1", "prometheus",    TRUE,  "monitoring",    NULL, NULL, NULL, FALSE },
    { 106, "pve1", "old-wiki",      FALSE, "archive",       NULL, NULL, NULL, FALSE },
    { 107, "pve1", "backup-target", TRUE,  "storage",       NULL, "backup", NULL, FALSE },
    { 110, "pve2", "jellyfin",      TRUE,  "media",         "192.168.1.20/24", NULL, NULL, FALSE },
    { 111, "pve2", "sonarr",        TRUE,  "media",         NULL, NULL, NULL, FALSE },
    { 112, "pve2", "radarr",        FALSE, "media",         NULL, NULL, NULL, FALSE },
    { 113, "pve2", "transmission",  TRUE,  "media,vpn",     NULL, NULL, NULL, FALSE },
    { 114, "pve2", "homeassistant", TRUE,  "iot;prod",      "192.168.1.24/24", NULL, "error", FALSE },
    { 115, "pve2", "mosquitto",     TRUE,  "iot",           NULL, NULL, NULL, FALSE },
    { 116, "pve2", "zigbee2mqtt",   FALSE, "iot",           NULL, NULL, NULL, FALSE },
    { 117, "pve2", "debian12-base", FALSE, "template",      NULL, NULL, NULL, TRUE },
    { 120, "pve3", "gitea",         TRUE,  "dev",           "192.168.1.30/24", NULL, NULL, FALSE },
    { 121, "pve3", "drone-ci",      TRUE,  "dev ci",        NULL, NULL, NULL, FALSE },
    { 122, "pve3", "web3-dev",      TRUE,  "dev;web3",      NULL, NULL, NULL, FALSE },
    { 123, "pve3", "docs",          FALSE, "dev",           NULL, NULL, NULL, FALSE },
    { 124, "pve3", "vaultwarden",   TRUE,  "security;prod", "192.168.1.34/24", NULL, NULL, FALSE },
    { 125, "pve3", "pihole",        TRUE,  "network",       "192.168.1.35/24", NULL, "started", FALSE },
    { 126, "pve3", "uptime-kuma",   TRUE,  "monitoring",    NULL, NULL, NULL, FALSE },
    { 127, "pve3", "staging-api",   FALSE, "dev;staging",   NULL, "snapshot", NULL, FALSE },
    { 128, "pve3", "scratch",       TRUE,  NULL,            NULL, NULL, NULL, FALSE },
  };

  sim.cluster_name = g_strdup ("homelab");
  add_node ("pve1", 1, "127.0.0.1");
  add_node ("pve2", 2, "127.0.0.1");
  add_node ("pve3", 3, "127.0.0.1");

  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      SimGuest *guest = add_guest (demo[i].vmid, demo[i].node, demo[i].name, demo[i].running);

      set_config (guest, "tags", demo[i].tags);
      set_config (guest, "lock", demo[i].lock);
      guest->template = demo[i].template;
      guest->hastate = g_strdup (demo[i].ha);
      if (demo[i].template)
        set_config (guest, "template", "1");
      if (demo[i].ip != NULL)
        {
          g_autofree char *net0 = g_strdup_printf ("name=eth0,bridge=vmbr0,firewall=1,gw=192.168.1.1,"
                                                   "hwaddr=BC:24:11:00:01:%02X,ip=%s,type=veth",
                                                   demo[i].vmid & 0xff, demo[i].ip);

          set_config (guest, "net0", net0);
        }
      if (demo[i].vmid == 101)
        {
          set_config (guest, "mp0", "local-lvm:vm-101-disk-1,mp=/srv/data,size=100G");
          set_config (guest, "description", "Nextcloud for the family.\nManaged by Paddock.");
          set_config (guest, "features", "keyctl=1,nesting=1");
        }
      if (demo[i].vmid == 122)
        set_config (guest, "features", "fuse=1,keyctl=1,nesting=1");
      /* Half a CPU and no cores: Proxmox reports maxcpu 0.5. */
      if (demo[i].vmid == 123)
        {
          set_config (guest, "cores", NULL);
          set_config (guest, "cpulimit", "0.5");
        }
      /* No hostname: Proxmox names it "CT128". */
      if (demo[i].vmid == 128)
        set_config (guest, "hostname", NULL);
    }
}

/* A single node that was never joined to a cluster. */
static void
load_standalone_dataset (void)
{
  sim.standalone = TRUE;
  sim.cluster_name = g_strdup ("pve");
  add_node ("pve", 1, "127.0.0.1");
  add_guest (100, "pve", "web", TRUE);
  add_guest (101, "pve", "db", TRUE);
  add_guest (102, "pve", "backup", FALSE);
}

static void
load_scale_dataset (guint n_nodes,
                    guint per_node)
{
  sim.cluster_name = g_strdup ("scale");

  for (guint n = 0; n < n_nodes; n++)
    {
      g_autofree char *name = g_strdup_printf ("node%02u", n + 1);

      add_node (name, n + 1, "127.0.0.1");
      for (guint i = 0; i < per_node; i++)
        {
          guint vmid = 100 + n * per_node + i;
          g_autofree char *hostname = g_strdup_printf ("ct-%u", vmid);
          SimGuest *guest = add_guest (vmid, name, hostname, (vmid % 5) != 0);

          if (vmid % 3 == 0)
            set_config (guest, "tags", vmid % 2 ? "web;prod" : "db");
        }
    }
}

/* ------------------------------------------------------------------------------------------- */
/* Tasks                                                                                        */

typedef void (*TaskDone) (SimTask *task, gpointer data);

typedef struct
{
  SimTask   *task;
  char     **lines;
  guint      next_line;
  char      *error;      /* when set, the task ends with TASK ERROR: error */
  guint      warnings;
  TaskDone   done;
  gpointer   data;
  GDestroyNotify data_free;
} TaskRun;

static void
sim_task_free (gpointer data)
{
  SimTask *task = data;

  g_free (task->upid);
  g_free (task->node);
  g_free (task->type);
  g_free (task->id);
  g_free (task->user);
  g_ptr_array_unref (task->log);
  g_free (task->exitstatus);
  g_clear_object (&task->cancellable);
  g_free (task);
}

/* A new running task, listed at once (fork_worker's part before the worker runs). */
SimTask *
sim_task_begin (const char *node,
                const char *type,
                const char *id,
                const char *user)
{
  SimTask *task = g_new0 (SimTask, 1);

  task->node = g_strdup (node);
  task->type = g_strdup (type);
  task->id = g_strdup (id != NULL ? id : "");
  task->user = g_strdup (user);
  task->pid = sim.next_pid++;
  task->starttime = sim_now ();
  task->log = g_ptr_array_new_with_free_func (g_free);
  task->cancellable = g_cancellable_new ();
  task->upid = g_strdup_printf ("UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node, task->pid,
                                (guint) (task->pid * 37 + 1000000), (guint) task->starttime,
                                task->type, task->id, user);

  g_ptr_array_add (sim.tasks, task);
  g_hash_table_insert (sim.tasks_by_upid, task->upid, task);
  return task;
}

void
sim_task_log (SimTask    *task,
              const char *line)
{
  if (task->exitstatus == NULL)
    g_ptr_array_add (task->log, g_strdup (line));
}

/* Ends a task with "TASK OK", or "TASK ERROR: @error" (a task stopped through the API has
 * already ended). */
void
sim_task_end (SimTask    *task,
              const char *error)
{
  if (task->exitstatus != NULL)
    return;

  task->endtime = sim_now ();
  if (error != NULL)
    {
      g_ptr_array_add (task->log, g_strdup_printf ("TASK ERROR: %s", error));
      task->exitstatus = g_strdup (error);
    }
  else
    {
      g_ptr_array_add (task->log, g_strdup ("TASK OK"));
      task->exitstatus = g_strdup ("OK");
    }
}

static void
task_run_free (TaskRun *run)
{
  g_strfreev (run->lines);
  g_free (run->error);
  if (run->data_free != NULL)
    run->data_free (run->data);
  g_free (run);
}

static gboolean
task_tick (gpointer user_data)
{
  TaskRun *run = user_data;
  SimTask *task = run->task;

  if (run->lines != NULL && run->lines[run->next_line] != NULL)
    {
      g_ptr_array_add (task->log, g_strdup (run->lines[run->next_line++]));
      return G_SOURCE_CONTINUE;
    }

  /* A stalled task never ends (the client's timeout must notice). */
  if (sim.stall_task_type != NULL && g_str_equal (sim.stall_task_type, task->type))
    return G_SOURCE_CONTINUE;

  if (run->error == NULL && sim.fail_task_type != NULL && g_str_equal (sim.fail_task_type, task->type))
    {
      run->error = g_strdup (sim.fail_task_message ? sim.fail_task_message : "simulated task failure");
      g_clear_pointer (&sim.fail_task_type, g_free);
    }

  if (run->error == NULL && run->done != NULL && task->exitstatus == NULL)
    run->done (task, run->data);

  if (run->error == NULL && run->warnings > 0 && task->exitstatus == NULL)
    {
      task->endtime = sim_now ();
      g_ptr_array_add (task->log, g_strdup_printf ("TASK WARNINGS: %u", run->warnings));
      task->exitstatus = g_strdup_printf ("WARNINGS: %u", run->warnings);
    }
  else
    sim_task_end (task, run->error);

  task_run_free (run);
  return G_SOURCE_REMOVE;
}

/* Starts a task like fork_worker: returns its UPID at once and runs in the background;
 * with @error it ends with "TASK ERROR: error" after @duration_ms. */
static SimTask *
start_task_full (const char         *node,
                 const char         *type,
                 const char         *id,
                 const char         *user,
                 const char * const *lines,
                 guint               duration_ms,
                 const char         *error,
                 TaskDone            done,
                 gpointer            data,
                 GDestroyNotify      data_free)
{
  SimTask *task = sim_task_begin (node, type, id, user);
  TaskRun *run = g_new0 (TaskRun, 1);
  guint n_lines = lines != NULL ? g_strv_length ((char **) lines) : 0;

  run->task = task;
  run->lines = g_strdupv ((char **) lines);
  run->error = g_strdup (error);
  run->done = done;
  run->data = data;
  run->data_free = data_free;

  g_timeout_add (MAX (1, duration_ms / (n_lines + 1)), task_tick, run);

  return task;
}

static SimTask *
start_task (const char         *node,
            const char         *type,
            const char         *id,
            const char         *user,
            const char * const *lines,
            guint               duration_ms,
            TaskDone            done,
            gpointer            data,
            GDestroyNotify      data_free)
{
  return start_task_full (node, type, id, user, lines, duration_ms, NULL, done, data, data_free);
}

static void
respond_string (SoupServerMessage *msg,
                const char        *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  respond_data (msg, node, -1);
}

static void
respond_task (SoupServerMessage *msg,
              SimTask           *task)
{
  respond_string (msg, task->upid);
}

/* ------------------------------------------------------------------------------------------- */
/* Authentication (reference: pve-api.md §2)                                                   */

typedef struct
{
  char     *user;        /* user@realm */
  char     *tokenid;     /* user@realm!name for tokens, else NULL */
  gboolean  restricted;  /* the privilege-separated read-only token */
} Identity;

static void
identity_free (Identity *identity)
{
  if (identity == NULL)
    return;
  g_free (identity->user);
  g_free (identity->tokenid);
  g_free (identity);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Identity, identity_free)

static char *
sign (const char *data)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, sim.ticket_key, sizeof sim.ticket_key);
  guint8 digest[32];
  gsize length = sizeof digest;
  char *encoded;
  char *eq;

  g_hmac_update (hmac, (const guchar *) data, -1);
  g_hmac_get_digest (hmac, digest, &length);
  encoded = g_base64_encode (digest, length);
  if ((eq = strchr (encoded, '=')) != NULL)
    *eq = '\0';

  return encoded;
}

static char *
make_ticket (const char *data)
{
  g_autofree char *payload = g_strdup_printf ("PVE:%s:%08X", data, (guint) sim_now ());
  g_autofree char *signature = sign (payload);

  return g_strdup_printf ("%s::%s", payload, signature);
}

static char *
make_csrf (const char *user)
{
  g_autofree char *time = g_strdup_printf ("%08X", (guint) sim_now ());
  g_autofree char *data = g_strdup_printf ("%s:%s", time, user);
  g_autofree char *signature = sign (data);

  return g_strdup_printf ("%s:%s", time, signature);
}

static gboolean
timestamp_valid (const char *hex)
{
  gint64 time = g_ascii_strtoll (hex, NULL, 16);
  gint64 age = sim_now () - time;

  return time >= sim.tickets_valid_after && age >= -300 && age <= 7200;
}

/* Returns the data part ("root@pam" or "!tfa!…") of a valid ticket. */
static char *
verify_ticket (const char *ticket)
{
  const char *unescaped = ticket;
  const char *sep;
  g_autofree char *payload = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) parts = NULL;

  if (unescaped == NULL || !g_str_has_prefix (unescaped, "PVE:") || (sep = strstr (unescaped, "::")) == NULL)
    return NULL;

  payload = g_strndup (unescaped, sep - unescaped);
  expected = sign (payload);
  if (!g_str_equal (expected, sep + 2))
    return NULL;

  /* PVE:<data>:<hex time> */
  {
    const char *last_colon = strrchr (payload, ':');

    if (last_colon == NULL || !timestamp_valid (last_colon + 1))
      return NULL;
    return g_strndup (payload + 4, last_colon - (payload + 4));
  }
}

static gboolean
verify_csrf (const char *token,
             const char *user)
{
  g_autofree char *time = NULL;
  g_autofree char *data = NULL;
  g_autofree char *expected = NULL;
  const char *colon;

  if (token == NULL || (colon = strchr (token, ':')) == NULL)
    return FALSE;

  time = g_strndup (token, colon - token);
  data = g_strdup_printf ("%s:%s", time, user);
  expected = sign (data);

  return g_str_equal (expected, colon + 1) && timestamp_valid (time);
}

static char *
cookie_ticket (SoupServerMessage *msg)
{
  const char *cookie = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cookie");
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  const char *sources[] = { cookie, authorization };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      const char *found = sources[i] != NULL ? strstr (sources[i], "PVEAuthCookie") : NULL;

      /* The cookie value may be URI-escaped; the server unescapes it once. */
      if (found != NULL && (found[13] == '=' || found[13] == ' '))
        {
          g_autofree char *raw = g_strndup (found + 14, strcspn (found + 14, ";"));

          return g_uri_unescape_string (raw, NULL);
        }
    }

  return NULL;
}

/* Returns the identity, or NULL after answering 401 with an empty body. */
static Identity *
authenticate (SoupServerMessage *msg,
              const char        *method)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  g_autofree char *ticket = NULL;
  g_autofree char *user = NULL;
  Identity *identity;

  if (authorization != NULL && g_str_has_prefix (authorization, "PVEAPIToken"))
    {
      const char *value = authorization + strlen ("PVEAPIToken");
      const char *last_eq;
      g_autofree char *tokenid = NULL;

      if (*value == '=' || *value == ' ')
        value++;
      last_eq = strrchr (value, '=');
      if (last_eq != NULL)
        {
          tokenid = g_strndup (value, last_eq - value);
          if (g_str_equal (tokenid, "root@pam!paddock") && g_str_equal (last_eq + 1, sim.token_secret))
            {
              identity = g_new0 (Identity, 1);
              identity->user = g_strdup ("root@pam");
              identity->tokenid = g_steal_pointer (&tokenid);
              return identity;
            }
          if (g_str_equal (tokenid, "readonly@pve!monitor") &&
              g_str_equal (last_eq + 1, sim.readonly_token_secret))
            {
              identity = g_new0 (Identity, 1);
              identity->user = g_strdup ("readonly@pve");
              identity->tokenid = g_steal_pointer (&tokenid);
              identity->restricted = TRUE;
              return identity;
            }
        }

      respond_empty (msg, 401, "Authentication failed!");
      return NULL;
    }

  ticket = cookie_ticket (msg);
  if (ticket == NULL)
    {
      respond_empty (msg, 401, "No ticket");
      return NULL;
    }

  user = verify_ticket (ticket);
  /* A TFA half-ticket is not valid for API calls. */
  if (user == NULL || g_str_has_prefix (user, "!tfa!"))
    {
      respond_empty (msg, 401, "Authentication failed!");
      return NULL;
    }

  if (!g_str_equal (method, "GET") &&
      !verify_csrf (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "CSRFPreventionToken"), user))
    {
      respond_empty (msg, 401, "Permission denied - invalid csrf token");
      return NULL;
    }

  identity = g_new0 (Identity, 1);
  identity->user = g_steal_pointer (&user);
  return identity;
}

static guint
totp_code (gint64 time)
{
  static const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  guint8 key[10] = { 0 };
  guint8 counter[8];
  guint bits = 0, value = 0, n = 0;
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[20];
  gsize length = sizeof digest;
  guint offset;
  guint64 steps = time / 30;

  for (const char *c = totp_secret_base32; *c && n < sizeof key; c++)
    {
      value = (value << 5) | (guint) (strchr (alphabet, *c) - alphabet);
      bits += 5;
      if (bits >= 8)
        {
          key[n++] = (value >> (bits - 8)) & 0xff;
          bits -= 8;
        }
    }

  for (int i = 7; i >= 0; i--)
    {
      counter[i] = steps & 0xff;
      steps >>= 8;
    }

  hmac = g_hmac_new (G_CHECKSUM_SHA1, key, n);
  g_hmac_update (hmac, counter, sizeof counter);
  g_hmac_get_digest (hmac, digest, &length);
  offset = digest[19] & 0x0f;

  return (((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) |
          (digest[offset + 2] << 8) | digest[offset + 3]) % 1000000;
}

static gboolean
totp_valid (const char *code)
{
  gint64 now = sim_now ();

  for (int skew = -1; skew <= 1; skew++)
    {
      g_autofree char *expected = g_strdup_printf ("%06u", totp_code (now + skew * 30));

      if (g_strcmp0 (code, expected) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
respond_login (SoupServerMessage *msg,
               const char        *user,
               gboolean           need_tfa)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *csrf = make_csrf (user);

  if (need_tfa)
    {
      g_autofree char *challenge = g_uri_escape_string ("{\"totp\":true,\"recovery\":[]}", NULL, FALSE);
      g_autofree char *tfa_data = g_strdup_printf ("!tfa!%s", challenge);

      ticket = make_ticket (tfa_data);
    }
  else
    ticket = make_ticket (user);

  json_builder_begin_object (builder);
  add_string (builder, "username", user);
  add_string (builder, "ticket", ticket);
  add_string (builder, "CSRFPreventionToken", csrf);
  if (need_tfa)
    add_int (builder, "NeedTFA", 1);
  else
    {
      json_builder_set_member_name (builder, "cap");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "vms");
      json_builder_begin_object (builder);
      add_int (builder, "VM.Audit", 1);
      add_int (builder, "VM.PowerMgmt", 1);
      add_int (builder, "VM.Allocate", 1);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      add_string (builder, "clustername", sim.cluster_name);
    }
  json_builder_end_object (builder);

  data = json_builder_get_root (builder);
  respond_data (msg, data, -1);
}

static gboolean
user_exists (const char *user)
{
  return g_str_equal (user, "root@pam") || g_str_equal (user, "alice@pve");
}

static void
handle_login (SoupServerMessage *msg,
              GHashTable        *params)
{
  const char *username = g_hash_table_lookup (params, "username");
  const char *password = g_hash_table_lookup (params, "password");
  const char *realm = g_hash_table_lookup (params, "realm");
  const char *challenge = g_hash_table_lookup (params, "tfa-challenge");
  g_autofree char *user = NULL;

  if (strchr (username, '@') == NULL && realm != NULL)
    user = g_strdup_printf ("%s@%s", username, realm);
  else
    user = g_strdup (username);

  if (challenge != NULL)
    {
      g_autofree char *data = verify_ticket (challenge);

      if (g_hash_table_contains (params, "otp"))
        {
          respond_error (msg, 400, "Parameter verification failed.", NULL);
          return;
        }
      if (data != NULL && g_str_has_prefix (data, "!tfa!") && user_exists (user) &&
          g_str_has_prefix (password, "totp:") && totp_valid (password + 5))
        {
          respond_login (msg, user, FALSE);
          return;
        }
      respond_error (msg, 401, "authentication failure", NULL);
      return;
    }

  /* Renewal: a valid ticket of the same user counts as the password. */
  if (g_str_has_prefix (password, "PVE:"))
    {
      g_autofree char *ticket_user = verify_ticket (password);

      if (ticket_user != NULL && g_str_equal (ticket_user, user))
        {
          respond_login (msg, user, FALSE);
          return;
        }
    }
  else if (user_exists (user) && g_str_equal (password, sim.password))
    {
      respond_login (msg, user, g_str_equal (user, "alice@pve"));
      return;
    }

  respond_error (msg, 401, "authentication failure", NULL);
}

/* ------------------------------------------------------------------------------------------- */
/* Endpoints                                                                                    */

typedef struct
{
  SoupServerMessage *msg;
  const char        *method;
  GHashTable        *params;      /* all parameters incl. path ones */
  GHashTable        *path_params;
  Identity          *identity;
} Request;

static const char *
param (Request    *request,
       const char *name)
{
  return g_hash_table_lookup (request->params, name);
}

static gboolean
param_bool (Request    *request,
            const char *name)
{
  return g_strcmp0 (param (request, name), "1") == 0;
}

static SimGuest *
require_guest (Request *request)
{
  guint vmid = (guint) g_ascii_strtoull (param (request, "vmid"), NULL, 10);
  SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (vmid));

  if (guest == NULL || !g_str_equal (guest->node, param (request, "node")))
    {
      g_autofree char *message = g_strdup_printf ("Configuration file 'nodes/%s/lxc/%u.conf' does not exist",
                                                  param (request, "node"), vmid);

      respond_error (request->msg, 500, message, NULL);
      return NULL;
    }

  return guest;
}

static gboolean
refuse_locked (Request  *request,
               SimGuest *guest)
{
  const char *lock = guest_config (guest, "lock");

  if (lock != NULL)
    {
      g_autofree char *message = g_strdup_printf ("CT is locked (%s)", lock);

      respond_error (request->msg, 500, message, NULL);
      return TRUE;
    }

  return FALSE;
}

static const char *
task_user (Request *request)
{
  return request->identity->tokenid != NULL ? request->identity->tokenid : request->identity->user;
}

static void
get_version (Request *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_object (b);
  add_string (b, "version", "9.1.1");
  add_string (b, "release", "9.1");
  add_string (b, "repoid", "42fb6c8a");
  add_string (b, "console", "xtermjs");
  json_builder_end_object (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
get_domains (Request *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "realm", "pam");
  add_string (b, "type", "pam");
  add_string (b, "comment", "Linux PAM standard authentication");
  json_builder_end_object (b);
  json_builder_begin_object (b);
  add_string (b, "realm", "pve");
  add_string (b, "type", "pve");
  add_string (b, "comment", "Proxmox VE authentication server");
  add_int (b, "default", 1);
  json_builder_end_object (b);
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

/* More than half of the nodes are online (a lone node always is). */
static gboolean
sim_quorate (void)
{
  guint online = 0;

  if (sim.standalone)
    return TRUE;

  for (guint i = 0; i < sim.nodes->len; i++)
    online += ((SimNode *) g_ptr_array_index (sim.nodes, i))->online;

  return online * 2 > sim.nodes->len;
}

static void
get_cluster_status (Request *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_array (b);
  if (!sim.standalone)
    {
      json_builder_begin_object (b);
      add_string (b, "type", "cluster");
      add_string (b, "id", "cluster");
      add_string (b, "name", sim.cluster_name);
      add_int (b, "nodes", sim.nodes->len);
      add_bool (b, "quorate", sim_quorate ());
      add_int (b, "version", 7);
      json_builder_end_object (b);
    }
  for (guint i = 0; i < sim.nodes->len; i++)
    {
      SimNode *node = g_ptr_array_index (sim.nodes, i);
      g_autofree char *id = g_strdup_printf ("node/%s", node->name);

      json_builder_begin_object (b);
      add_string (b, "type", "node");
      add_string (b, "id", id);
      add_string (b, "name", node->name);
      add_int (b, "nodeid", sim.standalone ? 0 : node->nodeid);
      add_string (b, "ip", node->ip);
      add_bool (b, "local", i == 0);
      add_bool (b, "online", node->online);
      add_string (b, "level", "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static int
compare_vmid (gconstpointer a,
              gconstpointer b)
{
  return (int) GPOINTER_TO_UINT (*(gpointer *) a) - (int) GPOINTER_TO_UINT (*(gpointer *) b);
}

static GPtrArray *
sorted_vmids (void)
{
  GPtrArray *vmids = g_ptr_array_sized_new (g_hash_table_size (sim.guests));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, sim.guests);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (vmids, key);

  g_ptr_array_sort (vmids, compare_vmid);
  return vmids;
}

static void
build_node_resource (JsonBuilder *b,
                     SimNode     *node)
{
  g_autofree char *id = g_strdup_printf ("node/%s", node->name);

  add_string (b, "id", id);
  add_string (b, "type", "node");
  add_string (b, "node", node->name);
  add_string (b, "status", node->online ? "online" : "offline");
  if (node->online)
    {
      add_double (b, "cpu", 0.05 + 0.2 * wobble (node->nodeid, 60.0));
      add_int (b, "maxcpu", node->maxcpu);
      add_int (b, "mem", node->maxmem / 3);
      add_int (b, "maxmem", node->maxmem);
      add_int (b, "uptime", sim_now () - node->boot_time);
      add_int (b, "disk", 12LL << 30);
      add_int (b, "maxdisk", 100LL << 30);
    }
  add_string (b, "level", "");
  add_int (b, "cgroup-mode", 2);
}

static void
build_storage_resource (JsonBuilder *b,
                        SimNode     *node,
                        const char  *storage)
{
  g_autofree char *id = g_strdup_printf ("storage/%s/%s", node->name, storage);
  gboolean lvm = g_str_equal (storage, "local-lvm");

  add_string (b, "id", id);
  add_string (b, "type", "storage");
  add_string (b, "node", node->name);
  add_string (b, "storage", storage);
  add_string (b, "status", node->online ? "available" : "unknown");
  add_string (b, "plugintype", lvm ? "lvmthin" : "dir");
  add_string (b, "content", lvm ? "images,rootdir" : "vztmpl,iso,backup");
  add_int (b, "shared", 0);
  add_int (b, "disk", lvm ? 120LL << 30 : 20LL << 30);
  add_int (b, "maxdisk", lvm ? 800LL << 30 : 100LL << 30);
}

/* A guest of an offline node: only what the cluster file system knows (no name, no usage,
 * maxmem 0), status "unknown". */
static void
build_offline_guest (JsonBuilder *b,
                     SimGuest    *guest)
{
  g_autofree char *id = g_strdup_printf ("lxc/%u", guest->vmid);
  const char *tags = guest_config (guest, "tags");

  add_string (b, "id", id);
  add_string (b, "type", "lxc");
  add_vmid (b, guest->vmid);
  add_string (b, "node", guest->node);
  add_string (b, "status", "unknown");
  add_int (b, "maxmem", 0);
  add_int (b, "maxdisk", 0);
  add_int (b, "maxcpu", 0);
  add_int (b, "template", guest->template);
  if (tags != NULL)
    add_string (b, "tags", tags);
  if (guest->hastate != NULL)
    add_string (b, "hastate", guest->hastate);
}

static void
get_cluster_resources (Request *request)
{
  const char *type = param (request, "type");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GPtrArray) vmids = sorted_vmids ();

  json_builder_begin_array (b);
  if (type == NULL || g_str_equal (type, "vm"))
    {
      for (guint i = 0; i < vmids->len; i++)
        {
          SimGuest *guest = g_hash_table_lookup (sim.guests, vmids->pdata[i]);
          SimNode *node = find_node (guest->node);

          json_builder_begin_object (b);
          if (node != NULL && !node->online)
            build_offline_guest (b, guest);
          else
            build_guest_status (b, guest, TRUE);
          json_builder_end_object (b);
        }
    }
  if (type == NULL || g_str_equal (type, "node"))
    {
      for (guint i = 0; i < sim.nodes->len; i++)
        {
          json_builder_begin_object (b);
          build_node_resource (b, g_ptr_array_index (sim.nodes, i));
          json_builder_end_object (b);
        }
    }
  if (type == NULL || g_str_equal (type, "storage"))
    {
      for (guint i = 0; i < sim.nodes->len; i++)
        {
          json_builder_begin_object (b);
          build_storage_resource (b, g_ptr_array_index (sim.nodes, i), "local");
          json_builder_end_object (b);
          json_builder_begin_object (b);
          build_storage_resource (b, g_ptr_array_index (sim.nodes, i), "local-lvm");
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
get_nextid (Request *request)
{
  const char *wanted = param (request, "vmid");
  guint vmid;
  g_autofree char *text = NULL;

  if (wanted != NULL)
    {
      vmid = (guint) g_ascii_strtoull (wanted, NULL, 10);
      if (g_hash_table_contains (sim.guests, GUINT_TO_POINTER (vmid)))
        {
          g_autofree char *message = g_strdup_printf ("VM %u already exists", vmid);

          respond_param_error (request->msg, "vmid", message);
          return;
        }
    }
  else
    {
      for (vmid = 100; g_hash_table_contains (sim.guests, GUINT_TO_POINTER (vmid)); vmid++)
        ;
    }

  /* A string, although the schema says integer. */
  text = g_strdup_printf ("%u", vmid);
  respond_string (request->msg, text);
}

static void
build_task (JsonBuilder *b,
            SimTask     *task,
            gboolean     for_cluster)
{
  add_string (b, "upid", task->upid);
  add_string (b, "node", task->node);
  add_int (b, "pid", task->pid);
  add_int (b, "pstart", task->pid * 37 + 1000000);
  add_int (b, "starttime", task->starttime);
  add_string (b, "type", task->type);
  add_string (b, "id", task->id);
  add_string (b, "user", task->user);
  if (task->exitstatus != NULL)
    {
      add_int (b, "endtime", task->endtime);
      add_string (b, "status", task->exitstatus);
      /* The cluster's task list (pmxcfs) marks what the node has written to its archive. */
      if (for_cluster)
        add_string (b, "saved", "1");
    }
  else if (!for_cluster)
    add_string (b, "status", "RUNNING");
}

static void
list_tasks (Request    *request,
            const char *node)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  const char *vmid = param (request, "vmid");
  const char *source = param (request, "source");
  guint start = param (request, "start") ? atoi (param (request, "start")) : 0;
  guint limit = param (request, "limit") ? atoi (param (request, "limit")) : 50;
  guint matched = 0;

  json_builder_begin_array (b);
  for (guint i = sim.tasks->len; i > 0; i--)
    {
      SimTask *task = g_ptr_array_index (sim.tasks, i - 1);
      gboolean running = task->exitstatus == NULL;

      if (node != NULL && !g_str_equal (task->node, node))
        continue;
      if (vmid != NULL && !g_str_equal (task->id, vmid))
        continue;
      if (node != NULL && (source == NULL || g_str_equal (source, "archive")) && running)
        continue;
      if (g_strcmp0 (source, "active") == 0 && !running)
        continue;

      if (matched >= start && matched < start + limit)
        {
          json_builder_begin_object (b);
          build_task (b, task, node == NULL);
          json_builder_end_object (b);
        }
      matched++;
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, node != NULL ? matched : -1);
}

static void
get_cluster_tasks (Request *request)
{
  list_tasks (request, NULL);
}

/* Every node has a certificate of its own: the first one's is the one served here; the others'
 * are derived from their names (nothing connects to them directly). */
static char *
node_fingerprint (SimNode *node,
                  guint    index)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GString) text = g_string_new (NULL);
  guint8 digest[32];
  gsize length = sizeof digest;

  if (index == 0 && sim.certificates[sim.active_certificate] != NULL)
    {
      g_autoptr(GByteArray) der = NULL;

      g_object_get (sim.certificates[sim.active_certificate], "certificate", &der, NULL);
      g_checksum_update (checksum, der->data, der->len);
    }
  else
    g_checksum_update (checksum, (const guchar *) node->name, -1);
  g_checksum_get_digest (checksum, digest, &length);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, "%s%02X", i ? ":" : "", digest[i]);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
get_nodes (Request *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < sim.nodes->len; i++)
    {
      SimNode *node = g_ptr_array_index (sim.nodes, i);

      json_builder_begin_object (b);
      build_node_resource (b, node);
      {
        g_autofree char *fingerprint = node_fingerprint (node, i);

        add_string (b, "ssl_fingerprint", fingerprint);
      }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
get_node_status (Request *request)
{
  SimNode *node = find_node (param (request, "node"));
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_object (b);
  add_double (b, "cpu", 0.05 + 0.2 * wobble (node->nodeid, 60.0));
  add_int (b, "uptime", sim_now () - node->boot_time);
  add_string (b, "pveversion", "pve-manager/9.1.1/42fb6c8a");
  add_string (b, "kversion", "Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 (2025-07-22T10:04Z) x86_64");
  json_builder_set_member_name (b, "loadavg");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "0.42");
  json_builder_add_string_value (b, "0.37");
  json_builder_add_string_value (b, "0.31");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "cpuinfo");
  json_builder_begin_object (b);
  add_int (b, "cpus", node->maxcpu);
  add_int (b, "cores", node->maxcpu / 2);
  add_int (b, "sockets", 1);
  add_string (b, "model", "AMD Ryzen 7 5700G with Radeon Graphics");
  add_string (b, "mhz", "3800.000");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "memory");
  json_builder_begin_object (b);
  add_int (b, "total", node->maxmem);
  add_int (b, "used", node->maxmem / 3);
  add_int (b, "free", node->maxmem - node->maxmem / 3);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "swap");
  json_builder_begin_object (b);
  add_int (b, "total", 8LL << 30);
  add_int (b, "used", 0);
  add_int (b, "free", 8LL << 30);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "rootfs");
  json_builder_begin_object (b);
  add_int (b, "total", 100LL << 30);
  add_int (b, "used", 12LL << 30);
  add_int (b, "avail", 88LL << 30);
  add_int (b, "free", 88LL << 30);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "boot-info");
  json_builder_begin_object (b);
  add_string (b, "mode", "efi");
  add_int (b, "secureboot", 0);
  json_builder_end_object (b);
  json_builder_end_object (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
get_lxc_list (Request *request)
{
  const char *node = param (request, "node");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GPtrArray) vmids = sorted_vmids ();

  json_builder_begin_array (b);
  for (guint i = 0; i < vmids->len; i++)
    {
      SimGuest *guest = g_hash_table_lookup (sim.guests, vmids->pdata[i]);

      if (!g_str_equal (guest->node, node))
        continue;
      json_builder_begin_object (b);
      build_guest_status (b, guest, FALSE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static gboolean
template_exists (const char *volid)
{
  const char *file;

  if (!g_str_has_prefix (volid, "local:vztmpl/"))
    return FALSE;
  file = volid + strlen ("local:vztmpl/");

  for (guint i = 0; i < sim.templates->len; i++)
    if (g_str_equal (g_ptr_array_index (sim.templates, i), file))
      return TRUE;

  return FALSE;
}

static void
create_done (SimTask  *task,
             gpointer  data)
{
  guint vmid = GPOINTER_TO_UINT (data);
  SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (vmid));

  if (guest != NULL)
    set_config (guest, "lock", NULL);
}

/* A real container's create task ended: keep it (unlocked), or forget it as Proxmox removes
 * the configuration of a container whose creation failed. */
static void
real_create_done (guint     vmid,
                  gboolean  ok,
                  gpointer  data)
{
  SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (vmid));
  char *keys_file = data;

  if (keys_file != NULL)
    {
      g_unlink (keys_file);
      g_free (keys_file);
    }

  if (guest == NULL)
    return;

  if (ok)
    set_config (guest, "lock", NULL);
  else
    {
      g_hash_table_remove (sim.guests, GUINT_TO_POINTER (vmid));
      sync_guest_state (vmid);
    }
}

/* pct create (and start, with start=1) for a real container, as one vzcreate task. */
static SimTask *
create_real (Request  *request,
             SimGuest *guest)
{
  const char *vmid = param (request, "vmid");
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) create = g_ptr_array_new ();
  static const char *passed[] = { "hostname", "net0", "nameserver", "searchdomain", NULL };
  char *keys_file = NULL;

  sim_real_attach (guest);

  g_ptr_array_add (create, g_strdup ("create"));
  g_ptr_array_add (create, g_strdup (vmid));
  g_ptr_array_add (create, g_strdup (param (request, "ostemplate")));
  for (guint i = 0; passed[i] != NULL; i++)
    {
      const char *value = guest_config (guest, passed[i]);

      if (value == NULL)
        continue;
      g_ptr_array_add (create, g_strdup_printf ("--%s", passed[i]));
      g_ptr_array_add (create, g_strdup (value));
    }
  /* Keys go to pct in a file, as with pct create --ssh-public-keys FILE. */
  if (param (request, "ssh-public-keys") != NULL)
    {
      g_autofree char *name = g_strdup_printf ("ssh-public-keys-%s", vmid);

      keys_file = g_build_filename (sim.state_dir, name, NULL);
      if (g_file_set_contents_full (keys_file, param (request, "ssh-public-keys"), -1,
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
        {
          g_ptr_array_add (create, g_strdup ("--ssh-public-keys"));
          g_ptr_array_add (create, g_strdup (keys_file));
        }
    }
  g_ptr_array_add (create, NULL);
  g_ptr_array_add (steps, g_ptr_array_free (g_steal_pointer (&create), FALSE));

  if (param_bool (request, "start"))
    {
      char *start[] = { g_strdup ("start"), g_strdup (vmid), NULL };

      g_ptr_array_add (steps, g_strdupv (start));
      g_free (start[0]);
      g_free (start[1]);
    }

  return sim_real_run (guest, "vzcreate", task_user (request), steps, param (request, "password"),
                       real_create_done, keys_file);
}

static void
post_lxc_create (Request *request)
{
  const char *node = param (request, "node");
  guint vmid = (guint) g_ascii_strtoull (param (request, "vmid"), NULL, 10);
  const char *ostemplate = param (request, "ostemplate");
  SimGuest *existing = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (vmid));
  SimGuest *guest;
  g_autofree char *hostname = NULL;
  g_autofree char *size_line = NULL;
  g_autofree char *extract_line = NULL;
  GHashTableIter iter;
  gpointer key, value;
  SimTask *task;

  if (existing != NULL)
    {
      g_autofree char *message = g_strdup_printf ("CT %u already exists on node '%s'", vmid, existing->node);

      respond_error (request->msg, 500, message, NULL);
      return;
    }

  if (!template_exists (ostemplate))
    {
      g_autofree char *message = g_strdup_printf ("volume '%s' does not exist", ostemplate);

      respond_error (request->msg, 500, message, NULL);
      return;
    }

  hostname = g_strdup (param (request, "hostname") ? param (request, "hostname") : "");
  guest = add_guest (vmid, node, hostname, FALSE);
  if (*hostname == '\0')
    set_config (guest, "hostname", NULL);
  set_config (guest, "net0", NULL);
  set_config (guest, "features", NULL);
  set_config (guest, "onboot", NULL);
  set_config (guest, "lock", "create");
  set_config (guest, "cores", "1");
  set_config (guest, "memory", "512");

  g_hash_table_iter_init (&iter, request->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      static const char *not_config[] = { "node", "vmid", "ostemplate", "password", "ssh-public-keys",
                                          "storage", "start", "force", "unique", "restore",
                                          "ignore-unpack-errors", "pool", "bwlimit", NULL };

      if (g_strv_contains (not_config, key))
        continue;

      if (g_str_equal (key, "rootfs"))
        {
          /* STORAGE:SIZE allocates a new volume. */
          g_auto(GStrv) parts = g_strsplit (value, ":", 2);
          g_autofree char *rootfs = g_strdup_printf ("%s:vm-%u-disk-0,size=%sG", parts[0], vmid,
                                                     parts[1] ? parts[1] : "4");

          set_config (guest, "rootfs", rootfs);
        }
      else if (g_str_has_prefix (key, "net") && strstr (value, "hwaddr=") == NULL)
        {
          g_autofree char *net = g_strdup_printf ("%s,hwaddr=BC:24:11:%02X:%02X:%02X,type=veth", (char *) value,
                                                  (vmid >> 16) & 0xff, (vmid >> 8) & 0xff, vmid & 0xff);

          set_config (guest, key, net);
        }
      else
        set_config (guest, key, value);
    }

  if (sim_real_enabled ())
    {
      respond_task (request->msg, create_real (request, guest));
      return;
    }

  size_line = g_strdup_printf ("  Logical volume \"vm-%u-disk-0\" created.", vmid);
  extract_line = g_strdup_printf ("extracting archive '/var/lib/vz/template/cache/%s'",
                                  ostemplate + strlen ("local:vztmpl/"));
  {
    const char *lines[] = {
      size_line,
      "Creating filesystem with 2097152 4k blocks and 524288 inodes",
      extract_line,
      "Total bytes read: 524410880 (501MiB, 178MiB/s)",
      "Detected container architecture: amd64",
      "Creating SSH host key 'ssh_host_ed25519_key' - this may take some time ...",
      "done: SHA256:Zb2kq3+8h0vZq1QZx8oI4m1d2V3i6lS1wQ8a9rT7yUc root@container",
      NULL
    };

    task = start_task (node, "vzcreate", param (request, "vmid"), task_user (request), lines,
                       sim.task_ms * 2, create_done, GUINT_TO_POINTER (vmid), NULL);
  }
  respond_task (request->msg, task);
}

static void
destroy_done (SimTask  *task,
              gpointer  data)
{
  g_hash_table_remove (sim.guests, data);
  sync_guest_state (GPOINTER_TO_UINT (data));
}

static void
real_destroy_done (guint     vmid,
                   gboolean  ok,
                   gpointer  data)
{
  SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (vmid));

  if (guest == NULL)
    return;

  if (ok)
    {
      g_hash_table_remove (sim.guests, GUINT_TO_POINTER (vmid));
      sync_guest_state (vmid);
    }
  else
    set_config (guest, "lock", NULL);
}

static void
delete_lxc (Request *request)
{
  SimGuest *guest = require_guest (request);
  SimTask *task;
  g_autofree char *line = NULL;

  if (guest == NULL || refuse_locked (request, guest))
    return;

  if (guest->real != NULL)
    sim_real_refresh (guest);

  if (guest->running && !param_bool (request, "force"))
    {
      g_autofree char *message = g_strdup_printf ("unable to destroy CT %u - container is running", guest->vmid);

      respond_error (request->msg, 500, message, NULL);
      return;
    }

  set_config (guest, "lock", "destroyed");
  if (guest->real != NULL)
    {
      g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      const char *vmid = param (request, "vmid");

      if (guest->running)
        g_ptr_array_add (steps, g_strsplit ("stop", " ", -1));
      g_ptr_array_add (steps, g_strsplit ("destroy", " ", -1));
      for (guint i = 0; i < steps->len; i++)
        {
          char **step = g_ptr_array_index (steps, i);

          steps->pdata[i] = g_new0 (char *, 3);
          ((char **) steps->pdata[i])[0] = g_strdup (step[0]);
          ((char **) steps->pdata[i])[1] = g_strdup (vmid);
          g_strfreev (step);
        }
      task = sim_real_run (guest, "vzdestroy", task_user (request), steps, NULL, real_destroy_done, NULL);
      respond_task (request->msg, task);
      return;
    }
  line = g_strdup_printf ("  Logical volume \"vm-%u-disk-0\" successfully removed.", guest->vmid);
  {
    const char *lines[] = { guest->running ? "forced to stop CT before destroying!" : line, line, NULL };

    task = start_task (guest->node, "vzdestroy", param (request, "vmid"), task_user (request), lines,
                       sim.task_ms, destroy_done, GUINT_TO_POINTER (guest->vmid), NULL);
  }
  respond_task (request->msg, task);
}

static void
get_lxc_config (Request *request)
{
  SimGuest *guest = require_guest (request);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GList) keys = NULL;
  g_autoptr(GString) digest_input = g_string_new (NULL);
  g_autofree char *digest = NULL;

  if (guest == NULL)
    return;

  keys = g_list_sort (g_hash_table_get_keys (guest->config), (GCompareFunc) g_strcmp0);
  json_builder_begin_object (b);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *value = g_hash_table_lookup (guest->config, key);
      static const char *integers[] = { "cores", "memory", "swap", "onboot", "unprivileged", "template", NULL };

      g_string_append_printf (digest_input, "%s: %s\n", key, value);
      if (g_strv_contains (integers, key))
        add_int (b, key, g_ascii_strtoll (value, NULL, 10));
      else
        add_string (b, key, value);
    }
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA1, digest_input->str, -1);
  add_string (b, "digest", digest);
  json_builder_end_object (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
put_lxc_config (Request *request)
{
  SimGuest *guest = require_guest (request);
  GHashTableIter iter;
  gpointer key, value;

  if (guest == NULL || refuse_locked (request, guest))
    return;

  g_hash_table_iter_init (&iter, request->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_str_equal (key, "node") || g_str_equal (key, "vmid") || g_str_equal (key, "digest") ||
          g_str_equal (key, "revert"))
        continue;

      if (g_str_equal (key, "delete"))
        {
          g_auto(GStrv) names = g_regex_split_simple ("[,;\\s]+", value, 0, 0);

          for (guint i = 0; names[i] != NULL; i++)
            if (*names[i])
              set_config (guest, names[i], NULL);
          continue;
        }

      set_config (guest, key, value);
    }

  respond_data (request->msg, NULL, -1);
}

static void
get_lxc_status_current (Request *request)
{
  SimGuest *guest = require_guest (request);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  if (guest == NULL)
    return;

  json_builder_begin_object (b);
  build_guest_status (b, guest, FALSE);
  json_builder_set_member_name (b, "ha");
  json_builder_begin_object (b);
  add_int (b, "managed", guest->hastate != NULL);
  if (guest->hastate != NULL)
    {
      add_string (b, "state", guest->hastate);
      /* The demo's HA resources on pve1 belong to a group; the others to none. */
      json_builder_set_member_name (b, "group");
      if (g_str_equal (guest->node, "pve1"))
        json_builder_add_string_value (b, "prod-ha");
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
set_running (SimTask  *task,
             gpointer  data)
{
  SimGuest *guest = g_hash_table_lookup (sim.guests, data);

  if (guest != NULL)
    {
      guest->running = TRUE;
      guest->started_at = sim_now ();
      sync_guest_state (guest->vmid);
    }
}

static void
set_stopped (SimTask  *task,
             gpointer  data)
{
  SimGuest *guest = g_hash_table_lookup (sim.guests, data);

  if (guest != NULL)
    {
      guest->running = FALSE;
      sync_guest_state (guest->vmid);
    }
}

/* The HA manager's side of a request: the requested state shows at once, the container follows
 * ha_delay_ms later — unless the resource is in the "error" state, which the manager leaves alone. */
static gboolean
ha_apply (gpointer data)
{
  guint packed = GPOINTER_TO_UINT (data);
  SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (packed >> 1));
  gboolean start = packed & 1;

  if (guest != NULL && g_strcmp0 (guest->hastate, "error") != 0 && guest->running != start)
    {
      guest->running = start;
      if (start)
        guest->started_at = sim_now ();
      sync_guest_state (guest->vmid);
    }

  return G_SOURCE_REMOVE;
}

static void
ha_requested (SimTask  *task,
              gpointer  data)
{
  guint packed = GPOINTER_TO_UINT (data);
  SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (packed >> 1));

  if (guest == NULL || guest->hastate == NULL)
    return;

  if (!g_str_equal (guest->hastate, "error"))
    {
      g_free (guest->hastate);
      guest->hastate = g_strdup (packed & 1 ? "started" : "stopped");
    }
  g_timeout_add (MAX (1, sim.ha_delay_ms), ha_apply, data);
}

static void
post_lxc_power_ha (Request    *request,
                   SimGuest   *guest,
                   const char *action)
{
  gboolean start = g_str_equal (action, "start");
  g_autofree char *vmid = g_strdup_printf ("%u", guest->vmid);
  g_autofree char *line = g_strdup_printf ("Requesting HA %s for CT %u", start ? "start" : "stop", guest->vmid);
  const char *lines[] = { line, NULL };
  SimTask *task;

  if (param_bool (request, "overrule-shutdown"))
    {
      respond_param_error (request->msg, "overrule-shutdown", "Not applicable for HA resources.");
      return;
    }

  task = start_task (guest->node, start ? "hastart" : "hastop", vmid, task_user (request), lines,
                     sim.task_ms, ha_requested, GUINT_TO_POINTER (guest->vmid << 1 | start), NULL);
  respond_task (request->msg, task);
}

static void
post_lxc_power (Request    *request,
                const char *action)
{
  SimGuest *guest = require_guest (request);
  const char *vmid = param (request, "vmid");
  TaskDone done = NULL;
  g_autofree char *type = g_strdup_printf ("vz%s", action);
  g_autofree char *message = NULL;
  SimTask *task;

  if (guest == NULL)
    return;

  if (guest->real != NULL)
    sim_real_refresh (guest);

  /* Proxmox checks the lock and the template flag inside the worker: the call answers with a
   * UPID and the task fails. */
  if (guest_config (guest, "lock") != NULL)
    {
      message = g_strdup_printf ("CT is locked (%s)", guest_config (guest, "lock"));
      task = start_task_full (guest->node, type, vmid, task_user (request), NULL, sim.task_ms / 3, message,
                              NULL, NULL, NULL);
      respond_task (request->msg, task);
      return;
    }
  if (guest->template && g_str_equal (action, "start"))
    {
      task = start_task_full (guest->node, type, vmid, task_user (request), NULL, sim.task_ms / 3,
                              "you can't start a CT if it's a template", NULL, NULL, NULL);
      respond_task (request->msg, task);
      return;
    }

  /* The HA manager owns an HA resource's state: the request becomes a hastart/hastop task. */
  if (guest->hastate != NULL && !g_str_equal (action, "reboot"))
    {
      post_lxc_power_ha (request, guest, action);
      return;
    }

  if (g_str_equal (action, "start"))
    {
      if (guest->running)
        {
          message = g_strdup_printf ("CT %s already running", vmid);
          respond_error (request->msg, 500, message, NULL);
          return;
        }
      done = set_running;
    }
  else
    {
      if (!guest->running)
        {
          message = g_strdup_printf ("CT %s not running", vmid);
          respond_error (request->msg, 500, message, NULL);
          return;
        }
      done = g_str_equal (action, "reboot") ? set_running : set_stopped;
    }

  if (guest->real != NULL)
    {
      g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      g_autoptr(GStrvBuilder) step = g_strv_builder_new ();

      g_strv_builder_add_many (step, action, vmid, NULL);
      if (g_str_equal (action, "shutdown") || g_str_equal (action, "reboot"))
        {
          g_strv_builder_add (step, "--timeout");
          g_strv_builder_add (step, param (request, "timeout") ? param (request, "timeout") : "60");
        }
      if (g_str_equal (action, "shutdown"))
        g_strv_builder_add_many (step, "--forceStop", param_bool (request, "forceStop") ? "1" : "0", NULL);
      g_ptr_array_add (steps, g_strv_builder_end (step));
      task = sim_real_run (guest, type, task_user (request), steps, NULL, NULL, NULL);
      respond_task (request->msg, task);
      return;
    }

  /* A container that ignores shutdown: the task waits out its timeout and fails. */
  if (g_str_equal (action, "shutdown") && guest->ignores_shutdown && !param_bool (request, "forceStop"))
    {
      guint timeout = param (request, "timeout") ? atoi (param (request, "timeout")) : 60;

      message = g_strdup_printf ("command 'lxc-stop -n %s --nokill --timeout %u' failed: exit code 1",
                                 vmid, timeout);
      task = start_task_full (guest->node, type, vmid, task_user (request), NULL, timeout * 1000, message,
                              NULL, NULL, NULL);
    }
  else
    task = start_task (guest->node, type, vmid, task_user (request), NULL, sim.task_ms, done,
                       GUINT_TO_POINTER (guest->vmid), NULL);

  respond_task (request->msg, task);
}

static void
post_lxc_start (Request *request) { post_lxc_power (request, "start"); }
static void
post_lxc_stop (Request *request) { post_lxc_power (request, "stop"); }
static void
post_lxc_shutdown (Request *request) { post_lxc_power (request, "shutdown"); }
static void
post_lxc_reboot (Request *request) { post_lxc_power (request, "reboot"); }

static void
get_lxc_interfaces (Request *request)
{
  SimGuest *guest = require_guest (request);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  const char *net0;
  g_autofree char *ip = NULL;

  if (guest == NULL)
    return;

  if (guest->real != NULL)
    {
      sim_real_interfaces (request->msg, guest);
      return;
    }

  if (!guest->running)
    {
      respond_data (request->msg, NULL, -1);
      return;
    }

  net0 = guest_config (guest, "net0");
  if (net0 != NULL && strstr (net0, "ip=") != NULL && strstr (net0, "ip=dhcp") == NULL)
    {
      const char *start = strstr (net0, "ip=") + 3;

      ip = g_strndup (start, strcspn (start, ","));
    }
  else
    ip = g_strdup_printf ("10.10.%u.%u/24", (guest->vmid / 250) % 250, 2 + guest->vmid % 250);

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "name", "lo");
  add_string (b, "hwaddr", "00:00:00:00:00:00");
  add_string (b, "hardware-address", "00:00:00:00:00:00");
  add_string (b, "inet", "127.0.0.1/8");
  add_string (b, "inet6", "::1/128");
  json_builder_end_object (b);
  json_builder_begin_object (b);
  {
    g_autofree char *mac = g_strdup_printf ("bc:24:11:%02x:%02x:%02x", (guest->vmid >> 16) & 0xff,
                                            (guest->vmid >> 8) & 0xff, guest->vmid & 0xff);
    g_auto(GStrv) address = g_strsplit (ip, "/", 2);

    /* Every interface has its link-local IPv6 address (EUI-64 of the MAC). */
    g_autofree char *link_local = g_strdup_printf ("fe80::be24:11ff:fe%02x:%02x%02x", (guest->vmid >> 16) & 0xff,
                                                   (guest->vmid >> 8) & 0xff, guest->vmid & 0xff);
    g_autofree char *inet6 = g_strdup_printf ("%s/64", link_local);

    add_string (b, "name", "eth0");
    add_string (b, "hwaddr", mac);
    add_string (b, "hardware-address", mac);
    add_string (b, "inet", ip);
    add_string (b, "inet6", inet6);
    json_builder_set_member_name (b, "ip-addresses");
    json_builder_begin_array (b);
    json_builder_begin_object (b);
    add_string (b, "ip-address-type", "inet");
    add_string (b, "ip-address", address[0]);
    add_int (b, "prefix", address[1] ? atoi (address[1]) : 24);
    json_builder_end_object (b);
    json_builder_begin_object (b);
    add_string (b, "ip-address-type", "inet6");
    add_string (b, "ip-address", link_local);
    add_int (b, "prefix", 64);
    json_builder_end_object (b);
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
get_lxc_rrddata (Request *request)
{
  SimGuest *guest = require_guest (request);
  const char *timeframe = param (request, "timeframe");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  guint rows = 70, step = 60;
  gint64 end;

  if (guest == NULL)
    return;

  if (guest->real != NULL)
    {
      sim_real_rrddata (b, guest, timeframe, param (request, "cf"));
      data = json_builder_get_root (b);
      respond_data (request->msg, data, -1);
      return;
    }

  if (g_str_equal (timeframe, "day"))
    rows = 1440, step = 60;
  else if (g_str_equal (timeframe, "week"))
    rows = 336, step = 1800;
  else if (g_str_equal (timeframe, "month"))
    rows = 1440, step = 1800;
  else if (g_str_equal (timeframe, "year"))
    rows = 1440, step = 21600;

  end = sim_now () - sim_now () % step;
  json_builder_begin_array (b);
  for (guint i = 0; i < rows; i++)
    {
      gint64 t = end - (gint64) (rows - 1 - i) * step;
      double phase = (double) t / (step * 12.0) + guest->vmid;
      gint64 maxmem = guest_config_int (guest, "memory", 512) << 20;

      json_builder_begin_object (b);
      add_int (b, "time", t);
      add_int (b, "maxcpu", guest_config_int (guest, "cores", 1));
      add_int (b, "maxmem", maxmem);
      add_int (b, "maxdisk", guest_maxdisk (guest));
      add_double (b, "disk", guest_maxdisk (guest) * 0.3);
      /* NaN columns of a stopped guest are left out, as Proxmox does. */
      if (guest->running)
        {
          add_double (b, "cpu", 0.05 + 0.2 * (0.5 + 0.5 * sin (phase)));
          add_double (b, "mem", maxmem * (0.3 + 0.2 * (0.5 + 0.5 * cos (phase))));
          add_double (b, "netin", 1500.0 + 900.0 * (0.5 + 0.5 * sin (phase * 1.3)));
          add_double (b, "netout", 700.0 + 400.0 * (0.5 + 0.5 * cos (phase * 0.7)));
          add_double (b, "diskread", 4096.0 * (0.5 + 0.5 * sin (phase * 0.5)));
          add_double (b, "diskwrite", 8192.0 * (0.5 + 0.5 * cos (phase * 0.9)));
          add_double (b, "pressurecpusome", 0.01);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
get_node_tasks (Request *request)
{
  list_tasks (request, param (request, "node"));
}

static SimTask *
require_task (Request *request)
{
  SimTask *task = g_hash_table_lookup (sim.tasks_by_upid, param (request, "upid"));

  if (task == NULL)
    {
      GRegex *regex = g_regex_new ("^UPID:[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?:[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8,9}:"
                                   "[0-9A-Fa-f]{8}:[^:\\s/]+:[^:\\s/]*:[^:\\s/]+:$", 0, 0, NULL);
      gboolean parses = g_utf8_validate (param (request, "upid"), -1, NULL) &&
                        g_regex_match (regex, param (request, "upid"), 0, NULL);

      g_regex_unref (regex);
      respond_param_error (request->msg, "upid", parses ? "no such task" : "unable to parse worker upid");
    }

  return task;
}

static void
get_task_index (Request *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  if (require_task (request) == NULL)
    return;

  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "name", "log");
  json_builder_end_object (b);
  json_builder_begin_object (b);
  add_string (b, "name", "status");
  json_builder_end_object (b);
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
get_task_status (Request *request)
{
  SimTask *task = require_task (request);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  if (task == NULL)
    return;

  json_builder_begin_object (b);
  add_string (b, "upid", task->upid);
  add_string (b, "node", task->node);
  add_int (b, "pid", task->pid);
  add_int (b, "pstart", task->pid * 37 + 1000000);
  add_int (b, "starttime", task->starttime);
  add_string (b, "type", task->type);
  add_string (b, "id", task->id);
  add_string (b, "user", task->user);
  add_string (b, "status", task->exitstatus ? "stopped" : "running");
  if (task->exitstatus != NULL)
    add_string (b, "exitstatus", task->exitstatus);
  json_builder_end_object (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
get_task_log (Request *request)
{
  SimTask *task = require_task (request);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  guint start = param (request, "start") ? atoi (param (request, "start")) : 0;
  guint limit = param (request, "limit") ? atoi (param (request, "limit")) : 50;
  guint total;

  if (task == NULL)
    return;

  total = task->log->len;
  json_builder_begin_array (b);
  if (total == 0)
    {
      json_builder_begin_object (b);
      add_int (b, "n", 1);
      add_string (b, "t", "no content");
      json_builder_end_object (b);
      total = 1;
    }
  for (guint i = start; i < task->log->len && (limit == 0 || i < start + limit); i++)
    {
      json_builder_begin_object (b);
      add_int (b, "n", i + 1);
      add_string (b, "t", g_ptr_array_index (task->log, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, total);
}

static void
delete_task (Request *request)
{
  SimTask *task = require_task (request);

  if (task == NULL)
    return;

  if (task->exitstatus == NULL)
    {
      g_cancellable_cancel (task->cancellable);
      sim_task_end (task, "interrupted by signal");
    }

  respond_data (request->msg, NULL, -1);
}

static void
get_node_storage (Request *request)
{
  const char *content = param (request, "content");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  static const struct { const char *id, *type, *content; gint64 total, used; } storages[] = {
    { "local", "dir", "vztmpl,iso,backup", 100LL << 30, 20LL << 30 },
    { "local-lvm", "lvmthin", "images,rootdir", 800LL << 30, 120LL << 30 },
  };

  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (storages); i++)
    {
      if (content != NULL && strstr (storages[i].content, content) == NULL)
        continue;
      json_builder_begin_object (b);
      add_string (b, "storage", storages[i].id);
      add_string (b, "type", storages[i].type);
      add_string (b, "content", storages[i].content);
      add_int (b, "active", 1);
      add_int (b, "enabled", 1);
      add_int (b, "shared", 0);
      add_int (b, "total", storages[i].total);
      add_int (b, "used", storages[i].used);
      add_int (b, "avail", storages[i].total - storages[i].used);
      add_double (b, "used_fraction", (double) storages[i].used / storages[i].total);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static const char *
template_format (const char *file)
{
  if (g_str_has_suffix (file, ".tar.zst"))
    return "tzst";
  if (g_str_has_suffix (file, ".tar.xz"))
    return "txz";
  if (g_str_has_suffix (file, ".tar.gz"))
    return "tgz";
  return "tar";
}

static void
get_storage_content (Request *request)
{
  const char *storage = param (request, "storage");
  const char *content = param (request, "content");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  if (!g_str_equal (storage, "local") && !g_str_equal (storage, "local-lvm"))
    {
      g_autofree char *message = g_strdup_printf ("storage '%s' does not exist", storage);

      respond_error (request->msg, 500, message, NULL);
      return;
    }

  json_builder_begin_array (b);
  if (g_str_equal (storage, "local") && (content == NULL || g_str_equal (content, "vztmpl")))
    {
      for (guint i = 0; i < sim.templates->len; i++)
        {
          const char *file = g_ptr_array_index (sim.templates, i);
          g_autofree char *volid = g_strdup_printf ("local:vztmpl/%s", file);

          json_builder_begin_object (b);
          add_string (b, "volid", volid);
          add_string (b, "content", "vztmpl");
          add_string (b, "format", template_format (file));
          add_int (b, "size", sim_real_enabled () && g_str_equal (file, sim_real_template ())
                              ? sim_real_template_size () : 120000000 + i * 7000000);
          add_int (b, "ctime", 1735689600 + i * 86400);
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static const struct { const char *package, *version, *os, *file, *headline; } aplinfo[] = {
  { "debian-12-standard", "12.7-1", "debian-12", "debian-12-standard_12.7-1_amd64.tar.zst", "Debian 12 Bookworm (standard)" },
  { "debian-13-standard", "13.1-2", "debian-13", "debian-13-standard_13.1-2_amd64.tar.zst", "Debian 13 Trixie (standard)" },
  { "ubuntu-24.04-standard", "24.04-2", "ubuntu-24.04", "ubuntu-24.04-standard_24.04-2_amd64.tar.zst", "Ubuntu 24.04 Noble (standard)" },
  { "alpine-3.22-default", "20250617", "alpine-3.22", "alpine-3.22-default_20250617_amd64.tar.xz", "LXC default image for alpine 3.22 (20250617)" },
  { "rockylinux-9-default", "20240912", "rockylinux-9", "rockylinux-9-default_20240912_amd64.tar.xz", "LXC default image for rockylinux 9 (20240912)" },
};

static void
get_aplinfo (Request *request)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (aplinfo); i++)
    {
      g_autofree char *location = g_strdup_printf ("http://download.proxmox.com/images/system/%s", aplinfo[i].file);

      json_builder_begin_object (b);
      add_string (b, "package", aplinfo[i].package);
      add_string (b, "version", aplinfo[i].version);
      add_string (b, "type", "lxc");
      add_string (b, "os", aplinfo[i].os);
      add_string (b, "section", "system");
      add_string (b, "maintainer", "Proxmox Support Team <support@proxmox.com>");
      add_string (b, "architecture", "amd64");
      add_string (b, "location", location);
      add_string (b, "headline", aplinfo[i].headline);
      add_string (b, "description", "");
      add_string (b, "infopage", "https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions");
      add_string (b, "source", "http://download.proxmox.com/images");
      add_string (b, "template", aplinfo[i].file);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

static void
download_done (SimTask  *task,
               gpointer  data)
{
  g_autofree char *volid = g_strdup_printf ("local:vztmpl/%s", (char *) data);

  if (!template_exists (volid))
    g_ptr_array_add (sim.templates, g_strdup (data));
}

static void
post_aplinfo (Request *request)
{
  const char *storage = param (request, "storage");
  const char *template = param (request, "template");
  SimTask *task;
  g_autofree char *line = NULL;

  if (!g_str_equal (storage, "local"))
    {
      g_autofree char *message = g_strdup_printf ("storage '%s' does not support templates", storage);

      respond_error (request->msg, 500, message, NULL);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (aplinfo); i++)
    {
      if (!g_str_equal (aplinfo[i].file, template))
        continue;

      line = g_strdup_printf ("starting template download from: http://download.proxmox.com/images/system/%s", template);
      {
        const char *lines[] = { line, "target file: /var/lib/vz/template/cache/", "  0% ...", " 50% ...",
                                "100% ...", "download of template finished", NULL };

        task = start_task (param (request, "node"), "download", template, task_user (request), lines,
                           sim.task_ms * 2, download_done, g_strdup (template), g_free);
      }
      respond_task (request->msg, task);
      return;
    }

  respond_param_error (request->msg, "template", "no such template");
}

static void
get_node_network (Request *request)
{
  const char *type = param (request, "type");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  static const struct { const char *iface, *type, *cidr, *gateway, *ports, *comment; } interfaces[] = {
    { "eno1", "eth", NULL, NULL, NULL, NULL },
    { "vmbr0", "bridge", "192.168.1.2/24", "192.168.1.1", "eno1", "LAN" },
    { "vmbr1", "bridge", NULL, NULL, "", "isolated lab network" },
  };

  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (interfaces); i++)
    {
      if (type != NULL && !g_str_equal (type, interfaces[i].type) && !g_str_equal (type, "any_bridge"))
        continue;
      if (g_strcmp0 (type, "any_bridge") == 0 && !g_str_equal (interfaces[i].type, "bridge"))
        continue;
      json_builder_begin_object (b);
      add_string (b, "iface", interfaces[i].iface);
      add_string (b, "type", interfaces[i].type);
      add_int (b, "active", 1);
      add_int (b, "autostart", 1);
      add_string (b, "method", interfaces[i].cidr ? "static" : "manual");
      add_string (b, "method6", "manual");
      add_int (b, "priority", i + 3);
      json_builder_set_member_name (b, "families");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "inet");
      json_builder_end_array (b);
      if (interfaces[i].cidr != NULL)
        {
          g_auto(GStrv) parts = g_strsplit (interfaces[i].cidr, "/", 2);

          add_string (b, "cidr", interfaces[i].cidr);
          add_string (b, "address", parts[0]);
          add_string (b, "netmask", parts[1]);
          add_string (b, "gateway", interfaces[i].gateway);
        }
      if (interfaces[i].ports != NULL)
        {
          add_string (b, "bridge_ports", interfaces[i].ports);
          add_string (b, "bridge_stp", "off");
          add_string (b, "bridge_fd", "0");
        }
      if (interfaces[i].comment != NULL)
        add_string (b, "comments", interfaces[i].comment);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  respond_data (request->msg, data, -1);
}

/* ------------------------------------------------------------------------------------------- */
/* Routing                                                                                      */

typedef void (*Handler) (Request *request);

static const struct
{
  const char *method;
  const char *path;
  Handler     handler;
} routes[] = {
  { "GET", "/version", get_version },
  { "GET", "/access/domains", get_domains },
  { "GET", "/cluster/status", get_cluster_status },
  { "GET", "/cluster/resources", get_cluster_resources },
  { "GET", "/cluster/nextid", get_nextid },
  { "GET", "/cluster/tasks", get_cluster_tasks },
  { "GET", "/nodes", get_nodes },
  { "GET", "/nodes/{node}/status", get_node_status },
  { "GET", "/nodes/{node}/lxc", get_lxc_list },
  { "POST", "/nodes/{node}/lxc", post_lxc_create },
  { "DELETE", "/nodes/{node}/lxc/{vmid}", delete_lxc },
  { "GET", "/nodes/{node}/lxc/{vmid}/config", get_lxc_config },
  { "PUT", "/nodes/{node}/lxc/{vmid}/config", put_lxc_config },
  { "GET", "/nodes/{node}/lxc/{vmid}/status/current", get_lxc_status_current },
  { "POST", "/nodes/{node}/lxc/{vmid}/status/start", post_lxc_start },
  { "POST", "/nodes/{node}/lxc/{vmid}/status/stop", post_lxc_stop },
  { "POST", "/nodes/{node}/lxc/{vmid}/status/shutdown", post_lxc_shutdown },
  { "POST", "/nodes/{node}/lxc/{vmid}/status/reboot", post_lxc_reboot },
  { "GET", "/nodes/{node}/lxc/{vmid}/interfaces", get_lxc_interfaces },
  { "GET", "/nodes/{node}/lxc/{vmid}/rrddata", get_lxc_rrddata },
  { "GET", "/nodes/{node}/tasks", get_node_tasks },
  { "GET", "/nodes/{node}/tasks/{upid}", get_task_index },
  { "GET", "/nodes/{node}/tasks/{upid}/status", get_task_status },
  { "GET", "/nodes/{node}/tasks/{upid}/log", get_task_log },
  { "DELETE", "/nodes/{node}/tasks/{upid}", delete_task },
  { "GET", "/nodes/{node}/storage", get_node_storage },
  { "GET", "/nodes/{node}/storage/{storage}/content", get_storage_content },
  { "GET", "/nodes/{node}/aplinfo", get_aplinfo },
  { "POST", "/nodes/{node}/aplinfo", post_aplinfo },
  { "GET", "/nodes/{node}/network", get_node_network },
};

static gboolean
match_route (const char *pattern,
             const char *path,
             GHashTable *captures)
{
  g_auto(GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;

  for (guint i = 0; want[i] != NULL; i++)
    {
      if (want[i][0] == '{')
        {
          g_autofree char *name = g_strndup (want[i] + 1, strlen (want[i]) - 2);
          char *value = g_uri_unescape_string (have[i], NULL);

          if (value == NULL || *value == '\0')
            {
              g_free (value);
              return FALSE;
            }
          g_hash_table_insert (captures, g_steal_pointer (&name), value);
        }
      else if (!g_str_equal (want[i], have[i]))
        return FALSE;
    }

  return TRUE;
}

static void
journal_write (const char *method,
               const char *path,
               GHashTable *params,
               guint       status,
               gboolean    schema_rejected)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (sim.journal == NULL)
    return;

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_int (b, "time", g_get_real_time ());
  add_string (b, "method", method);
  add_string (b, "path", path);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  if (params != NULL)
    {
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          /* Secrets are masked: the journal is a file on disk. */
          gboolean secret = g_str_equal (key, "password") || g_str_equal (key, "tfa-challenge");

          add_string (b, key, secret ? "********" : value);
        }
    }
  json_builder_end_object (b);
  add_int (b, "status", status);
  add_bool (b, "schema_rejected", schema_rejected);
  json_builder_end_object (b);

  generator = json_generator_new ();
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  fprintf (sim.journal, "%s\n", line);
  fflush (sim.journal);
}

static gboolean
resume_message (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
delay_response (SoupServerMessage *msg,
                guint              delay_ms)
{
  if (delay_ms == 0)
    return;

  soup_server_message_pause (msg);
  g_timeout_add (delay_ms, resume_message, g_object_ref (msg));
}

/* Closes the connection after half a response: the client sees a truncated body. */
void
sim_drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);
  const char *partial = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"data\":[{\"vmid\":";

  if (stream != NULL)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (stream), partial, strlen (partial), NULL, NULL, NULL);
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

static GHashTable *
collect_params (SoupServerMessage *msg,
                const char        *method,
                GHashTable        *query,
                gboolean          *unexpected_body)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  *unexpected_body = FALSE;

  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (params, g_strdup (key), g_strdup (value));
    }

  if (body != NULL && body->length > 0)
    {
      if (g_str_equal (method, "GET") || g_str_equal (method, "DELETE"))
        *unexpected_body = TRUE;
      else
        {
          g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
          g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
          g_autoptr(GHashTable) form = soup_form_decode (text);
          GHashTableIter iter;
          gpointer key, value;

          g_hash_table_iter_init (&iter, form);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_replace (params, g_strdup (key), g_strdup (value));
        }
    }

  return params;
}

static gboolean
privileges_allow (Identity   *identity,
                  const char *acl_path,
                  GStrv       privileges,
                  gboolean    any)
{
  static const char *readonly[] = { "VM.Audit", "Sys.Audit", "Datastore.Audit", NULL };

  if (!identity->restricted)
    return TRUE;

  for (guint i = 0; privileges[i] != NULL; i++)
    {
      gboolean has = g_strv_contains (readonly, privileges[i]);

      if (any && has)
        return TRUE;
      if (!any && !has)
        return FALSE;
    }

  return !any;
}

static void
handle_api (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *full_path,
            GHashTable        *query,
            gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GHashTable) captures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(Identity) identity = NULL;
  g_autofree char *path = NULL;
  Handler handler = NULL;
  const char *route_path = NULL;
  JsonObject *method_info = NULL;
  gboolean unexpected_body;
  gboolean schema_rejected = FALSE;
  guint delay = sim.latency_ms;

  if (sim.drop_next > 0)
    {
      sim.drop_next--;
      journal_write (method, full_path, NULL, 0, FALSE);
      sim_drop_connection (msg);
      return;
    }

  if (sim_hostile_respond (msg))
    {
      journal_write (method, full_path, NULL, 0, FALSE);
      return;
    }

  if (!g_str_has_prefix (full_path, "/api2/json"))
    {
      g_autofree char *message = g_strdup_printf ("Method '%s %s' not implemented", method, full_path);

      respond_error (msg, 501, message, NULL);
      goto out;
    }
  path = g_strdup (full_path + strlen ("/api2/json"));
  if (*path == '\0')
    {
      g_free (path);
      path = g_strdup ("/");
    }

  params = collect_params (msg, method, query, &unexpected_body);

  if (sim.fail_next > 0)
    {
      sim.fail_next--;
      if (sim.fail_status == 596)
        respond_error (msg, 596, "Connection timed out", NULL);
      else if (sim.fail_status == 503)
        respond_error (msg, 503, "Service Unavailable", NULL);
      else
        respond_error (msg, sim.fail_status, "Internal Server Error (simulated)", NULL);
      goto out;
    }

  if (unexpected_body)
    {
      g_autofree char *message = g_strdup_printf ("Unexpected content for method '%s'", method);

      soup_server_message_set_status (msg, 501, message);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, message, strlen (message));
      goto out;
    }

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (g_str_equal (routes[i].method, method) && match_route (routes[i].path, path, captures))
        {
          handler = routes[i].handler;
          route_path = routes[i].path;
          break;
        }
      g_hash_table_remove_all (captures);
    }

  /* Login works without authentication and is validated like every call. */
  if (g_str_equal (path, "/access/ticket") && g_str_equal (method, "POST"))
    {
      method_info = sim.schema ? sim_schema_lookup (sim.schema, "POST", "/access/ticket") : NULL;
      if (method_info != NULL)
        {
          g_autoptr(GHashTable) errors = sim_schema_validate (method_info, params);

          if (errors != NULL)
            {
              schema_rejected = TRUE;
              respond_param_errors (msg, errors);
              goto out;
            }
        }
      else if (!g_hash_table_contains (params, "username") || !g_hash_table_contains (params, "password"))
        {
          respond_param_error (msg, g_hash_table_contains (params, "username") ? "password" : "username",
                               "property is missing and it is not optional");
          goto out;
        }

      handle_login (msg, params);
      if (soup_server_message_get_status (msg) == 401)
        delay += sim.auth_delay_ms;
      goto out;
    }

  if (handler == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Method '%s %s' not implemented", method, path);

      respond_error (msg, 501, message, NULL);
      goto out;
    }

  if (handler != get_domains)
    {
      identity = authenticate (msg, method);
      if (identity == NULL)
        {
          delay += sim.auth_delay_ms;
          goto out;
        }
    }

  /* Path parameters join the request parameters, as Proxmox's rest_handler does. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, captures);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_replace (params, g_strdup (key), g_strdup (value));
  }

  method_info = sim.schema ? sim_schema_lookup (sim.schema, method, route_path) : NULL;
  if (method_info != NULL)
    {
      g_autoptr(GHashTable) errors = sim_schema_validate (method_info, params);
      g_autofree char *acl_path = NULL;
      g_auto(GStrv) privileges = NULL;
      gboolean any = FALSE;

      if (errors != NULL)
        {
          schema_rejected = TRUE;
          respond_param_errors (msg, errors);
          goto out;
        }

      if (identity != NULL &&
          sim_schema_required_privileges (method_info, captures, &acl_path, &privileges, &any) &&
          !privileges_allow (identity, acl_path, privileges, any))
        {
          g_autofree char *list = g_strjoinv (", ", privileges);
          g_autofree char *message = g_strdup_printf ("Permission check failed (%s, %s)", acl_path, list);

          respond_error (msg, 403, message, NULL);
          goto out;
        }
    }
  else if (identity != NULL && identity->restricted && !g_str_equal (method, "GET"))
    {
      g_autofree char *message = g_strdup_printf ("Permission check failed (/vms/%s, VM.PowerMgmt)",
                                                  (char *) g_hash_table_lookup (captures, "vmid"));

      respond_error (msg, 403, message, NULL);
      goto out;
    }

  /* Without quorum /etc/pve is read-only: every write fails before it starts. */
  if (!g_str_equal (method, "GET") && !sim_quorate ())
    {
      respond_error (msg, 500, "cluster not ready - no quorum?", NULL);
      goto out;
    }

  /* Requests for an offline node are proxied nowhere. */
  if (g_hash_table_contains (captures, "node"))
    {
      SimNode *node = find_node (g_hash_table_lookup (captures, "node"));

      if (node == NULL)
        {
          g_autofree char *message = g_strdup_printf ("hostname lookup '%s' failed - failed to get address info "
                                                      "for: %s: Name or service not known",
                                                      (char *) g_hash_table_lookup (captures, "node"),
                                                      (char *) g_hash_table_lookup (captures, "node"));

          respond_error (msg, 500, message, NULL);
          goto out;
        }
      /* pveproxy cannot proxy there: status line only, an empty body. */
      if (!node->online)
        {
          soup_server_message_set_status (msg, 595, "No route to host");
          goto out;
        }
    }

  {
    Request request = { msg, method, params, captures, identity };

    handler (&request);
  }

out:
  journal_write (method, full_path, params, soup_server_message_get_status (msg), schema_rejected);
  delay_response (msg, delay);
}

/* ------------------------------------------------------------------------------------------- */
/* The control endpoint (plain HTTP on loopback, for tests and the demo)                        */

static void
handle_control (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  const char *action = path + strlen ("/control/");
  const char *value = query ? g_hash_table_lookup (query, "value") : NULL;
  const char *arg = query ? g_hash_table_lookup (query, "arg") : NULL;
  guint number = value ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
  g_autofree char *reply = NULL;

  if (g_str_equal (action, "latency"))
    sim.latency_ms = number;
  else if (g_str_equal (action, "fail-next"))
    {
      sim.fail_next = number;
      sim.fail_status = arg ? (guint) g_ascii_strtoull (arg, NULL, 10) : 500;
    }
  else if (g_str_equal (action, "drop-next"))
    sim.drop_next = number;
  else if (g_str_equal (action, "fail-task"))
    {
      g_free (sim.fail_task_type);
      g_free (sim.fail_task_message);
      sim.fail_task_type = g_strdup (value);
      sim.fail_task_message = g_strdup (arg);
    }
  else if (g_str_equal (action, "stall-task"))
    {
      g_free (sim.stall_task_type);
      sim.stall_task_type = value && *value ? g_strdup (value) : NULL;
    }
  else if (g_str_equal (action, "expire-tickets"))
    sim.tickets_valid_after = sim_now () + 1;
  else if (g_str_equal (action, "advance-clock"))
    sim.clock_offset += value ? g_ascii_strtoll (value, NULL, 10) : 0;
  else if (g_str_equal (action, "hostile"))
    {
      if (!sim_hostile_set (value, arg))
        {
          soup_server_message_set_status (msg, 404, "no such hostile mode");
          return;
        }
    }
  else if (g_str_equal (action, "swap-certificate"))
    {
      /* No value: between the node's certificate and the self-signed one; "ca-signed": another
       * certificate of the same cluster CA; "original": back to the node's. */
      guint wanted = value == NULL || *value == '\0' ? 1 - MIN (sim.active_certificate, 1)
                     : g_str_equal (value, "ca-signed") ? 2 : g_str_equal (value, "self-signed") ? 1 : 0;

      if (sim.certificates[wanted] == NULL)
        {
          soup_server_message_set_status (msg, 409, "that certificate was not given (--cert2, --cert3)");
          return;
        }
      sim.active_certificate = wanted;
      soup_server_set_tls_certificate (sim.server, sim.certificates[wanted]);
      /* As a restarted pveproxy: open connections end, so the next request handshakes again. */
      for (guint i = 0; i < sim.sockets->len; i++)
        g_socket_shutdown (g_ptr_array_index (sim.sockets, i), TRUE, TRUE, NULL);
    }
  else if (g_str_equal (action, "node-offline") || g_str_equal (action, "node-online"))
    {
      SimNode *node = find_node (value);

      if (node == NULL)
        {
          soup_server_message_set_status (msg, 404, "no such node");
          return;
        }
      node->online = g_str_equal (action, "node-online");
    }
  else if (g_str_equal (action, "quorum"))
    {
      /* "lost": this node alone sees the others go (the first stays online); "ok": all back. */
      for (guint i = 1; i < sim.nodes->len; i++)
        ((SimNode *) g_ptr_array_index (sim.nodes, i))->online = g_strcmp0 (value, "lost") != 0;
    }
  else if (g_str_equal (action, "ha-state"))
    {
      /* value: the vmid; arg: the HA state to report (e.g. "error"), empty to end HA management. */
      SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (number));

      if (guest == NULL)
        {
          soup_server_message_set_status (msg, 404, "no such container");
          return;
        }
      g_free (guest->hastate);
      guest->hastate = arg != NULL && *arg != '\0' ? g_strdup (arg) : NULL;
    }
  else if (g_str_equal (action, "ha-delay"))
    sim.ha_delay_ms = number;
  else if (g_str_equal (action, "lock"))
    {
      /* value: the vmid; arg: the lock (backup, snapshot, migrate…), empty to unlock. */
      SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (number));

      if (guest == NULL)
        {
          soup_server_message_set_status (msg, 404, "no such container");
          return;
        }
      set_config (guest, "lock", arg != NULL && *arg != '\0' ? arg : NULL);
    }
  else if (g_str_equal (action, "ignore-shutdown"))
    {
      SimGuest *guest = g_hash_table_lookup (sim.guests, GUINT_TO_POINTER (number));

      if (guest == NULL)
        {
          soup_server_message_set_status (msg, 404, "no such container");
          return;
        }
      guest->ignores_shutdown = arg == NULL || !g_str_equal (arg, "0");
    }
  else if (g_str_equal (action, "quirk"))
    {
      gboolean on = arg == NULL || !g_str_equal (arg, "0");

      if (g_strcmp0 (value, "vmid-string") == 0)
        sim.quirk_vmid_string = on;
      else if (g_strcmp0 (value, "no-message") == 0)
        sim.quirk_no_message = on;
      else if (g_strcmp0 (value, "bool-empty") == 0)
        sim.quirk_bool_empty = on;
      else
        {
          soup_server_message_set_status (msg, 404, "no such quirk");
          return;
        }
    }
  else if (g_str_equal (action, "forget-template"))
    {
      /* As if the OS template was never downloaded to the node's local storage. */
      gboolean found = FALSE;

      for (guint i = 0; i < sim.templates->len; i++)
        if (g_strcmp0 (g_ptr_array_index (sim.templates, i), value) == 0)
          {
            g_ptr_array_remove_index (sim.templates, i);
            found = TRUE;
            break;
          }
      if (!found)
        {
          soup_server_message_set_status (msg, 404, "no such template");
          return;
        }
    }
  else if (g_str_equal (action, "totp"))
    reply = g_strdup_printf ("%06u", totp_code (sim_now ()));
  else if (g_str_equal (action, "reset"))
    {
      sim.latency_ms = sim.fail_next = sim.drop_next = 0;
      sim.ha_delay_ms = 1500;
      sim_hostile_set (NULL, NULL);
      g_clear_pointer (&sim.fail_task_type, g_free);
      g_clear_pointer (&sim.stall_task_type, g_free);
      sim.quirk_vmid_string = sim.quirk_no_message = sim.quirk_bool_empty = FALSE;
    }
  else
    {
      soup_server_message_set_status (msg, 404, "unknown control action");
      return;
    }

  if (reply == NULL)
    reply = g_strdup ("ok");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, g_steal_pointer (&reply),
                                    strlen (reply ? reply : "ok"));
}

/* ------------------------------------------------------------------------------------------- */

static void
on_socket_gone (gpointer  data,
                GObject  *socket)
{
  g_ptr_array_remove_fast (sim.sockets, socket);
}

/* Keeps the API's open connections, so that a certificate swap can end them. */
static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL && !g_ptr_array_find (sim.sockets, socket, NULL))
    {
      g_ptr_array_add (sim.sockets, socket);
      g_object_weak_ref (G_OBJECT (socket), on_socket_gone, NULL);
    }
}

static guint
listen_port (SoupServer *server)
{
  GSList *uris = soup_server_get_uris (server);
  guint port = uris != NULL ? g_uri_get_port (uris->data) : 0;

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

static gboolean
on_terminate (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cert = NULL, *key = NULL, *cert2 = NULL, *key2 = NULL, *cert3 = NULL, *key3 = NULL;
  g_autofree char *schema_path = NULL, *journal_path = NULL, *dataset = NULL, *scale = NULL;
  g_autofree char *password = NULL, *token_secret = NULL, *readonly_secret = NULL;
  g_autofree char *real_backend = NULL;
  int port = 0, control_port = 0, task_ms = 600, auth_delay_ms = 3000;
  gboolean vmid_string = FALSE, no_message = FALSE, bool_empty = FALSE;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "HTTPS port (0 picks a free one)", "PORT" },
    { "control-port", 0, 0, G_OPTION_ARG_INT, &control_port, "Control port (0 picks a free one)", "PORT" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "TLS certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "TLS private key (PEM)", "FILE" },
    { "cert2", 0, 0, G_OPTION_ARG_FILENAME, &cert2, "Second certificate, for swap-certificate", "FILE" },
    { "key2", 0, 0, G_OPTION_ARG_FILENAME, &key2, "Key of the second certificate", "FILE" },
    { "cert3", 0, 0, G_OPTION_ARG_FILENAME, &cert3, "Third certificate (same CA), for swap-certificate", "FILE" },
    { "key3", 0, 0, G_OPTION_ARG_FILENAME, &key3, "Key of the third certificate", "FILE" },
    { "schema", 0, 0, G_OPTION_ARG_FILENAME, &schema_path, "Validate requests against pve-apidoc.json", "FILE" },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &sim.state_dir, "Share container state with the lab's pct", "DIR" },
    { "journal", 0, 0, G_OPTION_ARG_FILENAME, &journal_path, "Write one JSON line per request", "FILE" },
    { "real-backend", 0, 0, G_OPTION_ARG_FILENAME, &real_backend,
      "Create real containers with this pct (needs --state-dir with real.env and net.env)", "PCT" },
    { "dataset", 0, 0, G_OPTION_ARG_STRING, &dataset, "Data set: demo (default) or standalone", "NAME" },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale, "Generated data set NODESxCONTAINERS, e.g. 20x500", "NxM" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, "Password of root@pam and alice@pve (or PVE_SIM_PASSWORD)", "PW" },
    { "task-ms", 0, 0, G_OPTION_ARG_INT, &task_ms, "How long a task takes (default 600)", "MS" },
    { "auth-delay-ms", 0, 0, G_OPTION_ARG_INT, &auth_delay_ms, "Delay of 401 answers (Proxmox: 3000)", "MS" },
    { "quirk-vmid-string", 0, 0, G_OPTION_ARG_NONE, &vmid_string, "vmid as a string (PVE <= 7.0)", NULL },
    { "quirk-no-message", 0, 0, G_OPTION_ARG_NONE, &no_message, "No message in error bodies (old servers)", NULL },
    { "quirk-bool-empty", 0, 0, G_OPTION_ARG_NONE, &bool_empty, "false as \"\" (old servers)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a Proxmox VE simulator for Paddock's lab");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("pve-sim: %s\n", error->message);
      return 2;
    }
  if (cert == NULL || key == NULL)
    {
      g_printerr ("pve-sim: --cert and --key are required (tests/lab/lab-up makes them)\n");
      return 2;
    }

  sim.nodes = g_ptr_array_new ();
  sim.guests = g_hash_table_new_full (NULL, NULL, NULL, sim_guest_free);
  sim.tasks = g_ptr_array_new_with_free_func (sim_task_free);
  sim.tasks_by_upid = g_hash_table_new (g_str_hash, g_str_equal);
  sim.templates = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (sim.templates, g_strdup ("debian-12-standard_12.7-1_amd64.tar.zst"));
  g_ptr_array_add (sim.templates, g_strdup ("ubuntu-24.04-standard_24.04-2_amd64.tar.zst"));
  g_ptr_array_add (sim.templates, g_strdup ("alpine-3.20-default_20240908_amd64.tar.xz"));
  sim.next_pid = 4000 + (guint) getpid () % 1000;
  sim.task_ms = task_ms;
  sim.ha_delay_ms = 1500;
  sim.auth_delay_ms = auth_delay_ms;
  sim.quirk_vmid_string = vmid_string;
  sim.quirk_no_message = no_message;
  sim.quirk_bool_empty = bool_empty;
  sim.password = g_strdup (password ? password : g_getenv ("PVE_SIM_PASSWORD") ? g_getenv ("PVE_SIM_PASSWORD") : "lab-password");
  sim.token_secret = g_strdup (g_getenv ("PVE_SIM_TOKEN_SECRET") ? g_getenv ("PVE_SIM_TOKEN_SECRET")
                                                                  : "5f6a1c4e-3b2d-4e8f-9a7c-1d2e3f4a5b6c");
  sim.readonly_token_secret = g_strdup (g_getenv ("PVE_SIM_READONLY_SECRET") ? g_getenv ("PVE_SIM_READONLY_SECRET")
                                                                             : "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
  for (guint i = 0; i < sizeof sim.ticket_key; i++)
    sim.ticket_key[i] = g_random_int_range (0, 256);

  if (scale != NULL)
    {
      guint n = 0, m = 0;

      if (sscanf (scale, "%ux%u", &n, &m) != 2 || n == 0 || n > 100 || m > 100000)
        {
          g_printerr ("pve-sim: --scale wants NODESxCONTAINERS, e.g. 20x500\n");
          return 2;
        }
      load_scale_dataset (n, m);
    }
  else if (dataset == NULL || g_str_equal (dataset, "demo"))
    load_demo_dataset ();
  else if (g_str_equal (dataset, "standalone"))
    load_standalone_dataset ();
  else
    {
      g_printerr ("pve-sim: unknown data set “%s” (known: demo, standalone)\n", dataset);
      return 2;
    }

  if (real_backend != NULL)
    {
      if (sim.state_dir == NULL || !sim_real_setup (real_backend, sim.state_dir, &error))
        {
          g_printerr ("pve-sim: real containers: %s\n", error ? error->message : "--state-dir is needed");
          return 1;
        }
    }

  if (schema_path != NULL)
    {
      sim.schema = sim_schema_load (schema_path, &error);
      if (sim.schema == NULL)
        {
          g_printerr ("pve-sim: cannot load the schema: %s\n", error->message);
          return 1;
        }
    }

  if (journal_path != NULL && (sim.journal = fopen (journal_path, "a")) == NULL)
    {
      g_printerr ("pve-sim: cannot write the journal %s\n", journal_path);
      return 1;
    }

  sim.certificates[0] = g_tls_certificate_new_from_files (cert, key, &error);
  if (sim.certificates[0] == NULL)
    {
      g_printerr ("pve-sim: %s\n", error->message);
      return 1;
    }
  if (cert2 != NULL && key2 != NULL &&
      (sim.certificates[1] = g_tls_certificate_new_from_files (cert2, key2, &error)) == NULL)
    {
      g_printerr ("pve-sim: %s\n", error->message);
      return 1;
    }

  if (cert3 != NULL && key3 != NULL &&
      (sim.certificates[2] = g_tls_certificate_new_from_files (cert3, key3, &error)) == NULL)
    {
      g_printerr ("pve-sim: %s\n", error->message);
      return 1;
    }

  sim.server = soup_server_new ("tls-certificate", sim.certificates[0], "server-header", "pve-api-daemon/3.0", NULL);
  soup_server_add_handler (sim.server, NULL, handle_api, NULL, NULL);
  sim.sockets = g_ptr_array_new ();
  g_signal_connect (sim.server, "request-started", G_CALLBACK (on_request_started), NULL);
  if (!soup_server_listen_local (sim.server, port, SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("pve-sim: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  sim.control = soup_server_new (NULL, NULL);
  soup_server_add_handler (sim.control, "/control/", handle_control, NULL, NULL);
  if (!soup_server_listen_local (sim.control, control_port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("pve-sim: cannot listen on the control port: %s\n", error->message);
      return 1;
    }

  g_print ("PVE_PORT=%u\nPVE_CONTROL_PORT=%u\nPVE_GUESTS=%u\nPVE_NODES=%u\nPVE_SCHEMA_METHODS=%u\n",
           listen_port (sim.server), listen_port (sim.control), g_hash_table_size (sim.guests),
           sim.nodes->len, sim.schema ? sim_schema_count (sim.schema) : 0);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_terminate, loop);
  g_unix_signal_add (SIGINT, on_terminate, loop);
  g_main_loop_run (loop);

  /* Tasks still running end with the simulator: their pct processes are told to stop. */
  for (guint i = 0; i < sim.tasks->len; i++)
    {
      SimTask *task = g_ptr_array_index (sim.tasks, i);

      if (task->exitstatus == NULL)
        g_cancellable_cancel (task->cancellable);
    }

  if (sim.journal != NULL)
    fclose (sim.journal);

  return 0;
}
