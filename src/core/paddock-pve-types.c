/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-types.c: typed results of the Proxmox API client, read tolerantly from JSON */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "paddock-pve-parse-private.h"
#include "paddock-pve-types.h"

void
paddock_pve_version_free (PaddockPveVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->version);
  g_free (version->release);
  g_free (version->repoid);
  g_free (version);
}

void
paddock_pve_node_free (PaddockPveNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_free (node->ip);
  g_free (node);
}

void
paddock_pve_cluster_status_free (PaddockPveClusterStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->cluster_name);
  g_clear_pointer (&status->nodes, g_ptr_array_unref);
  g_free (status);
}

const char *
paddock_pve_cluster_status_get_name (PaddockPveClusterStatus *status)
{
  if (status->cluster_name != NULL)
    return status->cluster_name;

  return status->nodes->len > 0 ? ((PaddockPveNode *) g_ptr_array_index (status->nodes, 0))->name : NULL;
}

char *
paddock_pve_cluster_status_dup_offline (PaddockPveClusterStatus *status)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < status->nodes->len; i++)
    {
      PaddockPveNode *node = g_ptr_array_index (status->nodes, i);

      if (!node->online)
        g_string_append_printf (names, "%s%s", names->len ? ", " : "", node->name);
    }

  return names->len ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

void
paddock_node_usage_free (PaddockNodeUsage *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_free (node);
}

void
paddock_net_interface_free (PaddockNetInterface *net)
{
  if (net == NULL)
    return;
  g_free (net->id);
  g_free (net->name);
  g_free (net->bridge);
  g_free (net->hwaddr);
  g_free (net->ip);
  g_free (net->gw);
  g_free (net->ip6);
  g_free (net->gw6);
  g_free (net->type);
  g_free (net);
}

void
paddock_mount_free (PaddockMount *mount)
{
  if (mount == NULL)
    return;
  g_free (mount->id);
  g_free (mount->volume);
  g_free (mount->mountpoint);
  g_free (mount);
}

void
paddock_guest_config_free (PaddockGuestConfig *config)
{
  if (config == NULL)
    return;
  g_clear_pointer (&config->raw, g_hash_table_unref);
  g_free (config->hostname);
  g_free (config->ostype);
  g_free (config->arch);
  g_free (config->description);
  g_free (config->tags);
  g_free (config->lock);
  g_free (config->digest);
  g_clear_pointer (&config->networks, g_ptr_array_unref);
  g_clear_pointer (&config->mounts, g_ptr_array_unref);
  g_free (config);
}

void
paddock_interface_free (PaddockInterface *interface)
{
  if (interface == NULL)
    return;
  g_free (interface->name);
  g_free (interface->hwaddr);
  g_strfreev (interface->addresses);
  g_free (interface);
}

void
paddock_storage_free (PaddockStorage *storage)
{
  if (storage == NULL)
    return;
  g_free (storage->storage);
  g_free (storage->type);
  g_free (storage->content);
  g_free (storage);
}

void
paddock_volume_free (PaddockVolume *volume)
{
  if (volume == NULL)
    return;
  g_free (volume->volid);
  g_free (volume->format);
  g_free (volume);
}

void
paddock_appliance_free (PaddockAppliance *appliance)
{
  if (appliance == NULL)
    return;
  g_free (appliance->package);
  g_free (appliance->version);
  g_free (appliance->os);
  g_free (appliance->section);
  g_free (appliance->headline);
  g_free (appliance->template);
  g_free (appliance);
}

void
paddock_bridge_free (PaddockBridge *bridge)
{
  if (bridge == NULL)
    return;
  g_free (bridge->iface);
  g_free (bridge->cidr);
  g_free (bridge->comments);
  g_free (bridge);
}

void
paddock_task_info_free (PaddockTaskInfo *task)
{
  if (task == NULL)
    return;
  g_free (task->upid);
  g_free (task->node);
  g_free (task->type);
  g_free (task->id);
  g_free (task->user);
  g_free (task->exitstatus);
  g_free (task);
}

void
paddock_task_line_free (PaddockTaskLine *line)
{
  if (line == NULL)
    return;
  g_free (line->text);
  g_free (line);
}

/* Proxmox's rule (PVE::UPID::status_is_error): OK and "WARNINGS: n" are success. */
gboolean
paddock_task_info_succeeded (PaddockTaskInfo *task)
{
  g_return_val_if_fail (task != NULL, FALSE);

  return !task->running && task->exitstatus != NULL &&
         (g_str_equal (task->exitstatus, "OK") || g_str_has_prefix (task->exitstatus, "WARNINGS:"));
}

static gboolean
require_object (JsonNode     *data,
                const char   *what,
                JsonObject  **object,
                GError      **error)
{
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "The %s is not a JSON object", what);
      return FALSE;
    }

  *object = json_node_get_object (data);
  return TRUE;
}

static gboolean
require_array (JsonNode    *data,
               const char  *what,
               JsonArray  **array,
               GError     **error)
{
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "The %s is not a JSON array", what);
      return FALSE;
    }

  *array = json_node_get_array (data);
  return TRUE;
}

/* A value as text, whatever its JSON type (config values are numbers or strings). */
static char *
value_to_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64: return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN: return g_strdup (json_node_get_boolean (node) ? "1" : "0");
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    default: return NULL;
    }
}

static char *
dup_member (JsonObject *object,
            const char *member)
{
  return value_to_string (object ? json_object_get_member (object, member) : NULL);
}

PaddockPveVersion *
paddock_pve_version_from_json (JsonNode  *data,
                               GError   **error)
{
  JsonObject *object;
  PaddockPveVersion *version;

  if (!require_object (data, "version", &object, error))
    return NULL;

  version = g_new0 (PaddockPveVersion, 1);
  version->version = dup_member (object, "version");
  version->release = dup_member (object, "release");
  version->repoid = dup_member (object, "repoid");

  if (version->version == NULL)
    {
      paddock_pve_version_free (version);
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "The version has no “version”");
      return NULL;
    }

  return version;
}

/* A standalone node has no "cluster" entry and needs no quorum. */
PaddockPveClusterStatus *
paddock_pve_cluster_status_from_json (JsonNode  *data,
                                      GError   **error)
{
  g_autoptr(PaddockPveClusterStatus) status = g_new0 (PaddockPveClusterStatus, 1);
  JsonArray *array;

  status->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_pve_node_free);
  status->quorate = TRUE;

  if (!require_array (data, "cluster status", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *type = paddock_json_get_string (object, "type");
      PaddockPveNode *node;

      if (g_strcmp0 (type, "cluster") == 0)
        {
          if (status->cluster_name == NULL)
            {
              status->cluster_name = dup_member (object, "name");
              status->quorate = paddock_json_get_bool (object, "quorate", FALSE);
            }
          continue;
        }

      if (g_strcmp0 (type, "node") != 0 || paddock_json_get_string (object, "name") == NULL)
        continue;

      node = g_new0 (PaddockPveNode, 1);
      node->name = dup_member (object, "name");
      node->ip = dup_member (object, "ip");
      node->nodeid = paddock_json_get_int (object, "nodeid", 0);
      node->online = paddock_json_get_bool (object, "online", FALSE);
      node->local = paddock_json_get_bool (object, "local", FALSE);
      g_ptr_array_add (status->nodes, node);
    }

  return g_steal_pointer (&status);
}

GPtrArray *
paddock_node_usages_from_json (JsonNode  *data,
                               GError   **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_node_usage_free);
  JsonArray *array;

  if (!require_array (data, "node list", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      PaddockNodeUsage *node;

      if (paddock_json_get_string (object, "node") == NULL)
        continue;

      node = g_new0 (PaddockNodeUsage, 1);
      node->name = dup_member (object, "node");
      node->online = g_strcmp0 (paddock_json_get_string (object, "status"), "online") == 0;
      node->cpu = paddock_json_get_double (object, "cpu", 0);
      node->maxcpu = paddock_json_get_int (object, "maxcpu", 0);
      node->mem = paddock_json_get_int (object, "mem", 0);
      node->maxmem = paddock_json_get_int (object, "maxmem", 0);
      node->uptime = paddock_json_get_int (object, "uptime", 0);
      g_ptr_array_add (nodes, node);
    }

  return g_steal_pointer (&nodes);
}

/* "8G", "512M", "100" (bytes), "1.5T" → bytes; 0 when unreadable. */
gint64
paddock_pve_parse_size (const char *text)
{
  char *end = NULL;
  double value;

  if (text == NULL || *text == '\0')
    return 0;

  value = g_ascii_strtod (text, &end);
  if (end == text || value < 0 || value != value)
    return 0;

  switch (g_ascii_toupper (*end))
    {
    case 'K': value *= 1024.0; break;
    case 'M': value *= 1024.0 * 1024; break;
    case 'G': value *= 1024.0 * 1024 * 1024; break;
    case 'T': value *= 1024.0 * 1024 * 1024 * 1024; break;
    case '\0': break;
    default: return 0;
    }

  return value >= 9.2e18 ? 0 : (gint64) value;
}

PaddockNetInterface *
paddock_net_interface_parse (const char  *id,
                             const char  *text,
                             GError     **error)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) local_error = NULL;
  PaddockNetInterface *net;

  if (!(values = paddock_pve_parse_property_string (text, NULL, &local_error)))
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "%s: %s", id, local_error->message);
      return NULL;
    }

  net = g_new0 (PaddockNetInterface, 1);
  net->id = g_strdup (id);
  net->name = g_strdup (g_hash_table_lookup (values, "name"));
  net->bridge = g_strdup (g_hash_table_lookup (values, "bridge"));
  net->hwaddr = g_strdup (g_hash_table_lookup (values, "hwaddr"));
  net->ip = g_strdup (g_hash_table_lookup (values, "ip"));
  net->gw = g_strdup (g_hash_table_lookup (values, "gw"));
  net->ip6 = g_strdup (g_hash_table_lookup (values, "ip6"));
  net->gw6 = g_strdup (g_hash_table_lookup (values, "gw6"));
  net->type = g_strdup (g_hash_table_lookup (values, "type"));
  net->tag = g_hash_table_contains (values, "tag") ? atoi (g_hash_table_lookup (values, "tag")) : 0;
  net->firewall = g_strcmp0 (g_hash_table_lookup (values, "firewall"), "1") == 0;

  return net;
}

PaddockMount *
paddock_mount_parse (const char  *id,
                     const char  *text,
                     GError     **error)
{
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) local_error = NULL;
  PaddockMount *mount;

  /* The volume is the default key: "local-lvm:vm-101-disk-0,size=8G". */
  if (!(values = paddock_pve_parse_property_string (text, "volume", &local_error)))
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "%s: %s", id, local_error->message);
      return NULL;
    }

  mount = g_new0 (PaddockMount, 1);
  mount->id = g_strdup (id);
  mount->volume = g_strdup (g_hash_table_lookup (values, "volume"));
  mount->mountpoint = g_strdup (g_str_equal (id, "rootfs") ? "/" : g_hash_table_lookup (values, "mp"));
  mount->size = paddock_pve_parse_size (g_hash_table_lookup (values, "size"));

  return mount;
}

static int
compare_numbered_ids (gconstpointer a,
                      gconstpointer b)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;
  gsize px = strcspn (x, "0123456789");
  gsize py = strcspn (y, "0123456789");
  int prefix = strncmp (x, y, MIN (px, py));

  if (prefix != 0 || px != py)
    return prefix != 0 ? prefix : (int) px - (int) py;

  return atoi (x + px) - atoi (y + py);
}

static gboolean
is_numbered (const char *key,
             const char *prefix)
{
  gsize length = strlen (prefix);

  if (strncmp (key, prefix, length) != 0 || key[length] == '\0')
    return FALSE;
  for (const char *c = key + length; *c; c++)
    if (!g_ascii_isdigit (*c))
      return FALSE;

  return TRUE;
}

PaddockGuestConfig *
paddock_guest_config_from_json (JsonNode  *data,
                                GError   **error)
{
  g_autoptr(PaddockGuestConfig) config = NULL;
  g_autoptr(GHashTable) features = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (!require_object (data, "container configuration", &object, error))
    return NULL;

  config = g_new0 (PaddockGuestConfig, 1);
  config->raw = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  config->networks = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_net_interface_free);
  config->mounts = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_mount_free);
  keys = g_ptr_array_new ();

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      char *value = value_to_string (node);

      /* Arrays such as raw "lxc" lines are kept out of the flat view. */
      if (value == NULL)
        continue;
      g_hash_table_insert (config->raw, g_strdup (member), value);
      g_ptr_array_add (keys, (gpointer) member);
    }

  config->hostname = dup_member (object, "hostname");
  config->ostype = dup_member (object, "ostype");
  config->arch = dup_member (object, "arch");
  config->description = dup_member (object, "description");
  config->tags = dup_member (object, "tags");
  config->lock = dup_member (object, "lock");
  config->digest = dup_member (object, "digest");
  config->cores = paddock_json_get_int (object, "cores", 0);
  config->memory = paddock_json_get_int (object, "memory", 512);
  config->swap = paddock_json_get_int (object, "swap", 512);
  config->unprivileged = paddock_json_get_bool (object, "unprivileged", FALSE);
  config->onboot = paddock_json_get_bool (object, "onboot", FALSE);

  if (paddock_json_get_string (object, "features") != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      features = paddock_pve_parse_property_string (paddock_json_get_string (object, "features"), NULL, &local_error);
      if (features == NULL)
        {
          g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "features: %s", local_error->message);
          return NULL;
        }
      config->nesting = g_strcmp0 (g_hash_table_lookup (features, "nesting"), "1") == 0;
      config->keyctl = g_strcmp0 (g_hash_table_lookup (features, "keyctl"), "1") == 0;
      config->fuse = g_strcmp0 (g_hash_table_lookup (features, "fuse"), "1") == 0;
    }

  g_ptr_array_sort (keys, compare_numbered_ids);

  if (g_hash_table_contains (config->raw, "rootfs"))
    {
      PaddockMount *mount = paddock_mount_parse ("rootfs", g_hash_table_lookup (config->raw, "rootfs"), error);

      if (mount == NULL)
        return NULL;
      g_ptr_array_add (config->mounts, mount);
    }

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      const char *value = g_hash_table_lookup (config->raw, key);

      if (is_numbered (key, "net"))
        {
          PaddockNetInterface *net = paddock_net_interface_parse (key, value, error);

          if (net == NULL)
            return NULL;
          g_ptr_array_add (config->networks, net);
        }
      else if (is_numbered (key, "mp"))
        {
          PaddockMount *mount = paddock_mount_parse (key, value, error);

          if (mount == NULL)
            return NULL;
          g_ptr_array_add (config->mounts, mount);
        }
    }

  return g_steal_pointer (&config);
}

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *element = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
}

GPtrArray *
paddock_interfaces_from_json (JsonNode  *data,
                              GError   **error)
{
  g_autoptr(GPtrArray) interfaces = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_interface_free);
  JsonArray *array;

  /* A stopped container answers null. */
  if (data == NULL || JSON_NODE_HOLDS_NULL (data))
    return g_steal_pointer (&interfaces);

  if (!require_array (data, "interface list", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = element_object (array, i);
      g_autoptr(GStrvBuilder) addresses = g_strv_builder_new ();
      PaddockInterface *interface;
      JsonNode *list;

      if (object == NULL || paddock_json_get_string (object, "name") == NULL)
        continue;

      interface = g_new0 (PaddockInterface, 1);
      interface->name = dup_member (object, "name");
      interface->hwaddr = dup_member (object, "hwaddr");

      list = json_object_get_member (object, "ip-addresses");
      if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
        {
          JsonArray *ips = json_node_get_array (list);

          for (guint j = 0; j < json_array_get_length (ips); j++)
            {
              JsonObject *ip = element_object (ips, j);
              const char *address = paddock_json_get_string (ip, "ip-address");

              if (address != NULL)
                {
                  g_autofree char *cidr = g_strdup_printf ("%s/%" G_GINT64_FORMAT, address,
                                                           paddock_json_get_int (ip, "prefix", 32));

                  g_strv_builder_add (addresses, cidr);
                }
            }
        }
      else
        {
          /* PVE 7 only has inet and inet6. */
          if (paddock_json_get_string (object, "inet") != NULL)
            g_strv_builder_add (addresses, paddock_json_get_string (object, "inet"));
          if (paddock_json_get_string (object, "inet6") != NULL)
            g_strv_builder_add (addresses, paddock_json_get_string (object, "inet6"));
        }

      interface->addresses = g_strv_builder_end (addresses);
      g_ptr_array_add (interfaces, interface);
    }

  return g_steal_pointer (&interfaces);
}

/* A sample Proxmox left out or sent as null is a gap (NAN); so is one that cannot be a usage. */
static double
maybe_double (JsonObject *object,
              const char *member)
{
  double value = json_object_has_member (object, member) ? paddock_json_get_double (object, member, NAN) : NAN;

  return isfinite (value) && value >= 0 ? value : NAN;
}

static int
compare_rrd_times (gconstpointer a,
                   gconstpointer b)
{
  gint64 x = ((const PaddockRrdPoint *) a)->time, y = ((const PaddockRrdPoint *) b)->time;

  return x < y ? -1 : x > y;
}

GArray *
paddock_rrd_points_from_json (JsonNode  *data,
                              GError   **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (PaddockRrdPoint));
  JsonArray *array;

  if (!require_array (data, "graph data", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = element_object (array, i);
      PaddockRrdPoint point;

      if (object == NULL || !json_object_has_member (object, "time"))
        continue;

      point.time = paddock_json_get_int (object, "time", 0);
      if (point.time <= 0)
        continue;
      point.cpu = maybe_double (object, "cpu");
      point.maxcpu = maybe_double (object, "maxcpu");
      point.mem = maybe_double (object, "mem");
      point.maxmem = maybe_double (object, "maxmem");
      point.disk = maybe_double (object, "disk");
      point.maxdisk = maybe_double (object, "maxdisk");
      point.netin = maybe_double (object, "netin");
      point.netout = maybe_double (object, "netout");
      point.diskread = maybe_double (object, "diskread");
      point.diskwrite = maybe_double (object, "diskwrite");
      g_array_append_val (points, point);
    }

  /* Drawn left to right: in time order whatever order they came in. */
  g_array_sort (points, compare_rrd_times);

  return g_steal_pointer (&points);
}

GPtrArray *
paddock_storages_from_json (JsonNode  *data,
                            GError   **error)
{
  g_autoptr(GPtrArray) storages = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_storage_free);
  JsonArray *array;

  if (!require_array (data, "storage list", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = element_object (array, i);
      PaddockStorage *storage;

      if (paddock_json_get_string (object, "storage") == NULL)
        continue;

      storage = g_new0 (PaddockStorage, 1);
      storage->storage = dup_member (object, "storage");
      storage->type = dup_member (object, "type");
      storage->content = dup_member (object, "content");
      storage->total = paddock_json_get_int (object, "total", 0);
      storage->used = paddock_json_get_int (object, "used", 0);
      storage->avail = paddock_json_get_int (object, "avail", 0);
      storage->active = paddock_json_get_bool (object, "active", TRUE);
      g_ptr_array_add (storages, storage);
    }

  return g_steal_pointer (&storages);
}

GPtrArray *
paddock_volumes_from_json (JsonNode  *data,
                           GError   **error)
{
  g_autoptr(GPtrArray) volumes = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_volume_free);
  JsonArray *array;

  if (!require_array (data, "storage content", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = element_object (array, i);
      PaddockVolume *volume;

      if (paddock_json_get_string (object, "volid") == NULL)
        continue;

      volume = g_new0 (PaddockVolume, 1);
      volume->volid = dup_member (object, "volid");
      volume->format = dup_member (object, "format");
      volume->size = paddock_json_get_int (object, "size", 0);
      volume->ctime = paddock_json_get_int (object, "ctime", 0);
      g_ptr_array_add (volumes, volume);
    }

  return g_steal_pointer (&volumes);
}

GPtrArray *
paddock_appliances_from_json (JsonNode  *data,
                              GError   **error)
{
  g_autoptr(GPtrArray) appliances = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_appliance_free);
  JsonArray *array;

  if (!require_array (data, "appliance list", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = element_object (array, i);
      PaddockAppliance *appliance;

      if (paddock_json_get_string (object, "template") == NULL)
        continue;

      appliance = g_new0 (PaddockAppliance, 1);
      appliance->package = dup_member (object, "package");
      appliance->version = dup_member (object, "version");
      appliance->os = dup_member (object, "os");
      appliance->section = dup_member (object, "section");
      appliance->headline = dup_member (object, "headline");
      appliance->template = dup_member (object, "template");
      g_ptr_array_add (appliances, appliance);
    }

  return g_steal_pointer (&appliances);
}

GPtrArray *
paddock_bridges_from_json (JsonNode  *data,
                           GError   **error)
{
  g_autoptr(GPtrArray) bridges = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_bridge_free);
  JsonArray *array;

  if (!require_array (data, "network list", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = element_object (array, i);
      const char *type = paddock_json_get_string (object, "type");
      PaddockBridge *bridge;

      if (paddock_json_get_string (object, "iface") == NULL ||
          (g_strcmp0 (type, "bridge") != 0 && g_strcmp0 (type, "OVSBridge") != 0))
        continue;

      bridge = g_new0 (PaddockBridge, 1);
      bridge->iface = dup_member (object, "iface");
      bridge->cidr = dup_member (object, "cidr");
      bridge->comments = dup_member (object, "comments");
      bridge->active = paddock_json_get_bool (object, "active", FALSE);
      g_ptr_array_add (bridges, bridge);
    }

  return g_steal_pointer (&bridges);
}

PaddockTaskInfo *
paddock_task_info_from_json (JsonObject  *object,
                             GError     **error)
{
  PaddockTaskInfo *task;
  const char *status;

  if (object == NULL || paddock_json_get_string (object, "upid") == NULL)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "A task without a UPID");
      return NULL;
    }

  task = g_new0 (PaddockTaskInfo, 1);
  task->upid = dup_member (object, "upid");
  task->node = dup_member (object, "node");
  task->type = dup_member (object, "type");
  task->id = dup_member (object, "id");
  task->user = dup_member (object, "user");
  task->starttime = paddock_json_get_int (object, "starttime", 0);
  task->endtime = paddock_json_get_int (object, "endtime", 0);

  /* …/status says running|stopped plus exitstatus; task lists put the final text in status. */
  status = paddock_json_get_string (object, "status");
  if (json_object_has_member (object, "exitstatus"))
    {
      task->running = FALSE;
      task->exitstatus = dup_member (object, "exitstatus");
    }
  else if (g_strcmp0 (status, "running") == 0 || g_strcmp0 (status, "RUNNING") == 0 || status == NULL)
    task->running = TRUE;
  else if (g_strcmp0 (status, "stopped") == 0)
    task->exitstatus = g_strdup ("unexpected status");
  else
    task->exitstatus = g_strdup (status);

  return task;
}

GPtrArray *
paddock_tasks_from_json (JsonNode  *data,
                         GError   **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_task_info_free);
  JsonArray *array;

  if (!require_array (data, "task list", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      PaddockTaskInfo *task = paddock_task_info_from_json (element_object (array, i), NULL);

      if (task != NULL)
        g_ptr_array_add (tasks, task);
    }

  return g_steal_pointer (&tasks);
}

GPtrArray *
paddock_task_lines_from_json (JsonNode  *data,
                              GError   **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_task_line_free);
  JsonArray *array;

  if (!require_array (data, "task log", &array, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = element_object (array, i);
      PaddockTaskLine *line;

      if (object == NULL || !json_object_has_member (object, "n"))
        continue;

      line = g_new0 (PaddockTaskLine, 1);
      line->n = paddock_json_get_int (object, "n", 0);
      line->text = dup_member (object, "t");
      if (line->text == NULL)
        line->text = g_strdup ("");
      g_ptr_array_add (lines, line);
    }

  return g_steal_pointer (&lines);
}
