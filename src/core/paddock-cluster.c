/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-cluster.c: the live container list of one connection, a GListModel updated in place */

#include "config.h"

#include <string.h>

#include "paddock-cluster-private.h"
#include "paddock-guest-private.h"
#include "paddock-records.h"

struct _PaddockCluster
{
  GObject           parent_instance;

  PaddockPveClient *client;
  gint64            connection_id;
  GPtrArray        *guests;        /* PaddockGuest, sorted by VMID */
  GPtrArray        *records;       /* the PaddockGuestRecords merged last; never changed after */

  char             *last_error;
  GPtrArray        *held_refreshes; /* refresh tasks waiting for the secret, or NULL */
  char             *offline_nodes;  /* "pve2, pve3" from /cluster/status, or NULL */
  gboolean          needs_secret;
  gboolean          quorate;        /* TRUE until /cluster/status says otherwise */
  gint64            last_success;
  gint64            last_parse_usec;
  gint64            last_merge_usec;
  guint             last_changes;
  guint             reachable : 1;
  guint             refreshing : 1;
  guint             from_cache : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PaddockCluster, paddock_cluster, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_REACHABLE,
  PROP_REFRESHING,
  PROP_LAST_ERROR,
  PROP_LAST_SUCCESS,
  PROP_FROM_CACHE,
  PROP_QUORATE,
  PROP_OFFLINE_NODES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return PADDOCK_TYPE_GUEST;
}

static guint
get_n_items (GListModel *model)
{
  return PADDOCK_CLUSTER (model)->guests->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PaddockCluster *self = PADDOCK_CLUSTER (model);

  if (position >= self->guests->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->guests, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
paddock_cluster_dispose (GObject *object)
{
  PaddockCluster *self = PADDOCK_CLUSTER (object);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (paddock_cluster_parent_class)->dispose (object);
}

static void
paddock_cluster_finalize (GObject *object)
{
  PaddockCluster *self = PADDOCK_CLUSTER (object);

  g_ptr_array_unref (self->guests);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_free (self->last_error);
  g_free (self->offline_nodes);

  G_OBJECT_CLASS (paddock_cluster_parent_class)->finalize (object);
}

static void
paddock_cluster_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PaddockCluster *self = PADDOCK_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_REACHABLE: g_value_set_boolean (value, self->reachable); break;
    case PROP_REFRESHING: g_value_set_boolean (value, self->refreshing); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    case PROP_LAST_SUCCESS: g_value_set_int64 (value, self->last_success); break;
    case PROP_FROM_CACHE: g_value_set_boolean (value, self->from_cache); break;
    case PROP_QUORATE: g_value_set_boolean (value, self->quorate); break;
    case PROP_OFFLINE_NODES: g_value_set_string (value, self->offline_nodes); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_cluster_class_init (PaddockClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = paddock_cluster_dispose;
  object_class->finalize = paddock_cluster_finalize;
  object_class->get_property = paddock_cluster_get_property;

  properties[PROP_REACHABLE] = g_param_spec_boolean ("reachable", NULL, NULL, FALSE, ro);
  properties[PROP_REFRESHING] = g_param_spec_boolean ("refreshing", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_LAST_SUCCESS] = g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_FROM_CACHE] = g_param_spec_boolean ("from-cache", NULL, NULL, FALSE, ro);
  properties[PROP_QUORATE] = g_param_spec_boolean ("quorate", NULL, NULL, TRUE, ro);
  properties[PROP_OFFLINE_NODES] = g_param_spec_string ("offline-nodes", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_cluster_init (PaddockCluster *self)
{
  self->guests = g_ptr_array_new_with_free_func (g_object_unref);
  self->quorate = TRUE;
}

PaddockCluster *
paddock_cluster_new (PaddockPveClient *client,
                     gint64            connection_id)
{
  PaddockCluster *self;

  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (client), NULL);

  self = g_object_new (PADDOCK_TYPE_CLUSTER, NULL);
  self->client = g_object_ref (client);
  self->connection_id = connection_id;

  return self;
}

PaddockPveClient *
paddock_cluster_get_client (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), NULL);
  return self->client;
}

gint64
paddock_cluster_get_connection_id (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), 0);
  return self->connection_id;
}

static int
compare_vmid (gconstpointer a,
              gconstpointer b)
{
  guint x = (*(const PaddockGuestRecord * const *) a)->vmid;
  guint y = (*(const PaddockGuestRecord * const *) b)->vmid;

  return x < y ? -1 : x > y;
}

/* Binary search in the VMID-sorted list. */
static gboolean
find_position (PaddockCluster *self,
               guint           vmid,
               guint          *position)
{
  guint low = 0, high = self->guests->len;

  while (low < high)
    {
      guint middle = (low + high) / 2;
      guint here = paddock_guest_get_vmid (g_ptr_array_index (self->guests, middle));

      if (here == vmid)
        {
          *position = middle;
          return TRUE;
        }
      if (here < vmid)
        low = middle + 1;
      else
        high = middle;
    }

  *position = low;
  return FALSE;
}

/**
 * paddock_cluster_lookup:
 *
 * Returns: (transfer none) (nullable): the guest with @vmid
 */
PaddockGuest *
paddock_cluster_lookup (PaddockCluster *self,
                        guint           vmid)
{
  guint position;

  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), NULL);

  return find_position (self, vmid, &position) ? g_ptr_array_index (self->guests, position) : NULL;
}

gboolean
paddock_cluster_get_reachable (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), FALSE);
  return self->reachable;
}

gboolean
paddock_cluster_get_refreshing (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), FALSE);
  return self->refreshing;
}

const char *
paddock_cluster_get_last_error (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), NULL);
  return self->last_error;
}

/* Unix time of the last successful refresh (0: never): "last seen HH:MM" in the offline view. */
gint64
paddock_cluster_get_last_success (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), 0);
  return self->last_success;
}

gboolean
paddock_cluster_get_from_cache (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), FALSE);
  return self->from_cache;
}

gint64
paddock_cluster_get_last_parse_usec (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), 0);
  return self->last_parse_usec;
}

gint64
paddock_cluster_get_last_merge_usec (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), 0);
  return self->last_merge_usec;
}

guint
paddock_cluster_get_last_changes (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), 0);
  return self->last_changes;
}

static void
set_refreshing (PaddockCluster *self,
                gboolean        refreshing)
{
  if (self->refreshing != !!refreshing)
    {
      self->refreshing = !!refreshing;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
    }
}

static void
set_reachable (PaddockCluster *self,
               gboolean        reachable,
               const char     *error)
{
  if (reachable)
    self->needs_secret = FALSE;

  if (self->reachable != !!reachable)
    {
      self->reachable = !!reachable;
      /* Rows of an unreachable connection are dimmed and their actions disabled. */
      for (guint i = 0; i < self->guests->len; i++)
        _paddock_guest_set_offline (g_ptr_array_index (self->guests, i), !reachable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
    }

  if (g_strcmp0 (self->last_error, error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
}

/* Makes the list equal to @records (sorted by VMID) with the fewest, coalesced items-changed. */
static void
merge (PaddockCluster *self,
       GPtrArray      *records,
       gboolean        offline)
{
  guint p = 0, j = 0;

  self->last_changes = 0;

  while (p < self->guests->len || j < records->len)
    {
      PaddockGuest *old = p < self->guests->len ? g_ptr_array_index (self->guests, p) : NULL;
      const PaddockGuestRecord *record = j < records->len ? g_ptr_array_index (records, j) : NULL;

      if (old != NULL && (record == NULL || paddock_guest_get_vmid (old) < record->vmid))
        {
          guint count = 0;

          while (p + count < self->guests->len &&
                 (j >= records->len ||
                  paddock_guest_get_vmid (g_ptr_array_index (self->guests, p + count)) <
                  ((const PaddockGuestRecord *) g_ptr_array_index (records, j))->vmid))
            count++;

          g_ptr_array_remove_range (self->guests, p, count);
          g_list_model_items_changed (G_LIST_MODEL (self), p, count, 0);
          self->last_changes++;
        }
      else if (record != NULL && (old == NULL || record->vmid < paddock_guest_get_vmid (old)))
        {
          guint start = p, added = 0;

          while (j < records->len)
            {
              const PaddockGuestRecord *next = g_ptr_array_index (records, j);

              if (p < self->guests->len &&
                  paddock_guest_get_vmid (g_ptr_array_index (self->guests, p)) <= next->vmid)
                break;

              PaddockGuest *guest = _paddock_guest_new_from_record (self->connection_id, next);

              _paddock_guest_set_offline (guest, offline);
              g_ptr_array_insert (self->guests, p, guest);
              p++, j++, added++;
            }

          g_list_model_items_changed (G_LIST_MODEL (self), start, 0, added);
          self->last_changes++;
        }
      else
        {
          /* Same container: properties are updated in place, the row stays. */
          _paddock_guest_update (old, record);
          p++, j++;
        }
    }
}

static GPtrArray *
sorted_unique (GPtrArray *records)
{
  g_ptr_array_sort (records, compare_vmid);

  for (guint i = 1; i < records->len;)
    {
      if (((PaddockGuestRecord *) records->pdata[i])->vmid == ((PaddockGuestRecord *) records->pdata[i - 1])->vmid)
        g_ptr_array_remove_index (records, i);
      else
        i++;
    }

  return records;
}

typedef struct
{
  GBytes    *body;
  GPtrArray *records;
  gint64     parse_usec;
} Refresh;

static void
refresh_free (gpointer data)
{
  Refresh *refresh = data;

  g_clear_pointer (&refresh->body, g_bytes_unref);
  g_clear_pointer (&refresh->records, g_ptr_array_unref);
  g_free (refresh);
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Refresh *refresh = task_data;
  gint64 started = g_get_monotonic_time ();
  GError *error = NULL;
  gsize length;
  const char *body = g_bytes_get_data (refresh->body, &length);

  refresh->records = paddock_pve_parse_guest_list (body, length, TRUE, &error);
  if (refresh->records == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sorted_unique (refresh->records);
  refresh->parse_usec = g_get_monotonic_time () - started;
  g_task_return_boolean (task, TRUE);
}

static void
on_cluster_status (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockCluster *self = g_task_get_source_object (task);
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  /* A token without Sys.Audit on / cannot read it: the quorum stays unknown (taken as there). */
  status = paddock_pve_client_get_cluster_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (status != NULL)
    {
      g_autofree char *offline = paddock_pve_cluster_status_dup_offline (status);

      if (self->quorate != status->quorate)
        {
          self->quorate = status->quorate;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUORATE]);
        }
      if (g_strcmp0 (self->offline_nodes, offline) != 0)
        {
          g_free (self->offline_nodes);
          self->offline_nodes = g_steal_pointer (&offline);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_NODES]);
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
on_parsed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockCluster *self = PADDOCK_CLUSTER (object);
  Refresh *refresh = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  GCancellable *cancellable;
  gint64 started;

  set_refreshing (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      set_reachable (self, FALSE, error->message);
      self->needs_secret = g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH);
      g_task_return_error (task, error);
      return;
    }

  started = g_get_monotonic_time ();
  merge (self, refresh->records, FALSE);
  self->last_merge_usec = g_get_monotonic_time () - started;
  g_clear_pointer (&self->records, g_ptr_array_unref);
  self->records = g_steal_pointer (&refresh->records);
  self->last_parse_usec = refresh->parse_usec;
  self->last_success = g_get_real_time () / G_USEC_PER_SEC;
  if (self->from_cache)
    {
      self->from_cache = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_CACHE]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
  set_reachable (self, TRUE, NULL);

  /* Then the quorum and the offline nodes, small and part of the same refresh. */
  cancellable = g_task_get_cancellable (task);
  paddock_pve_client_get_cluster_status_async (self->client, cancellable, on_cluster_status, g_steal_pointer (&task));
}

static void
on_fetched (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockCluster *self = g_task_get_source_object (task);
  g_autoptr(GTask) parse = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  Refresh *refresh;
  GBytes *body;

  body = paddock_pve_client_get_bytes_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (body == NULL)
    {
      set_refreshing (self, FALSE);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_reachable (self, FALSE, error->message);
          self->needs_secret = g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH);
        }
      self->needs_secret = g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH);
      g_task_return_error (task, error);
      return;
    }

  /* A 3 MB list takes milliseconds to read: never on the main thread (SPEC.md §10). */
  refresh = g_new0 (Refresh, 1);
  refresh->body = body;
  cancellable = g_task_get_cancellable (task);
  parse = g_task_new (self, cancellable, on_parsed, g_steal_pointer (&task));
  g_task_set_task_data (parse, refresh, refresh_free);
  g_task_run_in_thread (parse, parse_in_thread);
}

static void
start_refresh (GTask *task)
{
  PaddockCluster *self = g_task_get_source_object (task);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  set_refreshing (self, TRUE);
  paddock_pve_params_add (params, "type", "vm");
  paddock_pve_client_get_bytes_async (self->client, "/cluster/resources", params, g_task_get_cancellable (task),
                                      on_fetched, task);
}

void
paddock_cluster_refresh_async (PaddockCluster      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PADDOCK_IS_CLUSTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_cluster_refresh_async);

  /* Its secret is still on its way from the keyring: the refresh starts when it is there. */
  if (self->held_refreshes != NULL)
    {
      set_refreshing (self, TRUE);
      g_ptr_array_add (self->held_refreshes, task);
      return;
    }

  start_refresh (task);
}

/* While the keyring is asked for the secret (which can take seconds, or 25 s when no keyring
 * answers), the cached list shows and refreshes wait. */
void
_paddock_cluster_hold_refreshes (PaddockCluster *self,
                                 gboolean        hold)
{
  g_autoptr(GPtrArray) held = NULL;

  g_return_if_fail (PADDOCK_IS_CLUSTER (self));

  if (hold)
    {
      if (self->held_refreshes == NULL)
        self->held_refreshes = g_ptr_array_new ();
      return;
    }

  held = g_steal_pointer (&self->held_refreshes);
  for (guint i = 0; held != NULL && i < held->len; i++)
    start_refresh (g_ptr_array_index (held, i));
}

gboolean
paddock_cluster_refresh_finish (PaddockCluster  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * paddock_cluster_load_cache:
 * @cached_guests: (element-type PaddockCachedGuest): rows from paddock_store_load_guest_cache
 *
 * Shows the last known list at once (marked #PaddockCluster:from-cache until a refresh succeeds).
 */
gboolean
paddock_cluster_load_cache (PaddockCluster  *self,
                            GPtrArray       *cached_guests,
                            GError         **error)
{
  g_autoptr(GString) body = g_string_new ("{\"data\":[");
  g_autoptr(GPtrArray) records = NULL;
  gint64 last_seen = 0;

  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (cached_guests != NULL, FALSE);

  for (guint i = 0; i < cached_guests->len; i++)
    {
      const PaddockCachedGuest *guest = g_ptr_array_index (cached_guests, i);

      g_string_append_printf (body, "%s%s", i ? "," : "", guest->json);
      last_seen = MAX (last_seen, guest->last_seen);
    }
  g_string_append (body, "]}");

  records = paddock_pve_parse_guest_list (body->str, body->len, TRUE, error);
  if (records == NULL)
    return FALSE;

  merge (self, sorted_unique (records), !self->reachable);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  self->records = g_steal_pointer (&records);
  self->from_cache = TRUE;
  self->last_success = last_seen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_CACHE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);

  return TRUE;
}

static void
add_json_string (GString    *json,
                 const char *key,
                 const char *value)
{
  if (value == NULL)
    return;

  g_string_append_printf (json, ",\"%s\":\"", key);
  for (const char *c = value; *c; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_printf (json, "\\%c", *c);
      else if ((guchar) *c < 0x20)
        g_string_append_printf (json, "\\u%04x", (guchar) *c);
      else
        g_string_append_c (json, *c);
    }
  g_string_append_c (json, '"');
}

static void
add_json_number (GString    *json,
                 const char *key,
                 double      value)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (json, ",\"%s\":%s", key, g_ascii_dtostr (number, sizeof number, value));
}

static void
build_cache_rows (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GPtrArray *records = task_data;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_cached_guest_free);

  for (guint i = 0; i < records->len; i++)
    {
      const PaddockGuestRecord *record = g_ptr_array_index (records, i);
      g_autoptr(GString) json = g_string_new (NULL);

      g_string_append_printf (json, "{\"vmid\":%u", record->vmid);
      add_json_string (json, "type", record->type);
      add_json_string (json, "node", record->node);
      add_json_string (json, "name", record->name);
      add_json_string (json, "status", record->status);
      add_json_string (json, "tags", record->tags);
      add_json_string (json, "lock", record->lock);
      add_json_string (json, "hastate", record->hastate);
      g_string_append_printf (json, ",\"template\":%d", record->template ? 1 : 0);
      add_json_number (json, "maxcpu", record->maxcpu);
      add_json_number (json, "cpu", record->cpu);
      g_string_append_printf (json, ",\"maxmem\":%" G_GINT64_FORMAT ",\"maxdisk\":%" G_GINT64_FORMAT
                              ",\"mem\":%" G_GINT64_FORMAT ",\"disk\":%" G_GINT64_FORMAT
                              ",\"uptime\":%" G_GINT64_FORMAT "}",
                              record->maxmem, record->maxdisk, record->mem, record->disk, record->uptime);

      g_ptr_array_add (rows, paddock_cached_guest_new (record->vmid, record->node, record->name,
                                                      record->status, json->str));
    }

  g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * paddock_cluster_dup_cache_rows_async:
 *
 * Serialises the list as the store keeps it, in a worker thread: for 10,000 containers that is
 * about 18 ms, too long for the main thread.
 */
void
paddock_cluster_dup_cache_rows_async (PaddockCluster      *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_CLUSTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_cluster_dup_cache_rows_async);
  /* The records of the last merge never change: the worker may read them while new ones arrive. */
  g_task_set_task_data (task,
                        self->records ? g_ptr_array_ref (self->records) : g_ptr_array_new (),
                        (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, build_cache_rows);
}

/**
 * paddock_cluster_dup_cache_rows_finish:
 *
 * Returns: (transfer container) (element-type PaddockCachedGuest): the rows to save
 */
GPtrArray *
paddock_cluster_dup_cache_rows_finish (PaddockCluster  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Whether the last refresh failed because the credentials were refused or missing: a new secret
 * (not a retry) is what helps. */
gboolean
paddock_cluster_get_quorate (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), TRUE);

  return self->quorate;
}

const char *
paddock_cluster_get_offline_nodes (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), NULL);

  return self->offline_nodes;
}

gboolean
paddock_cluster_get_needs_secret (PaddockCluster *self)
{
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (self), FALSE);

  return self->needs_secret;
}
