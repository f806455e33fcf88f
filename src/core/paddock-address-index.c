/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-address-index.c: the IP addresses of containers, for searching by address */

#include "config.h"

#include "paddock-address-index.h"

/* Requests out at once: enough to fill a list quickly, few enough not to crowd a cluster. */
#define MAX_IN_FLIGHT 4
/* "changed" at most this often, so that a filter over 10,000 rows is not re-run per answer. */
#define CHANGED_DELAY_MS 250

struct _PaddockAddressIndex
{
  GObject       parent_instance;

  GHashTable   *known;       /* "connection:vmid" → addresses, space-separated ("" for none) */
  GHashTable   *wanted;      /* keys queued or being asked */
  GQueue        queue;       /* Lookup */
  guint         in_flight;
  guint         changed_source;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (PaddockAddressIndex, paddock_address_index, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PENDING,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  PaddockAddressIndex *self;
  PaddockCluster      *cluster;
  PaddockGuest        *guest;
  char                *key;
  GPtrArray           *addresses;   /* char * */
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->self);
  g_clear_object (&lookup->cluster);
  g_clear_object (&lookup->guest);
  g_clear_pointer (&lookup->addresses, g_ptr_array_unref);
  g_free (lookup->key);
  g_free (lookup);
}

static gboolean
emit_changed (gpointer user_data)
{
  PaddockAddressIndex *self = user_data;

  self->changed_source = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
queue_changed (PaddockAddressIndex *self)
{
  if (self->changed_source == 0)
    self->changed_source = g_timeout_add (CHANGED_DELAY_MS, emit_changed, self);
}

/* Addresses worth searching: not loopback, not link-local. */
static void
add_address (GPtrArray  *addresses,
             const char *address)
{
  if (address == NULL || *address == '\0' ||
      g_str_has_prefix (address, "127.") || g_str_has_prefix (address, "::1") ||
      g_ascii_strncasecmp (address, "fe80:", 5) == 0)
    return;

  for (guint i = 0; i < addresses->len; i++)
    if (g_str_equal (g_ptr_array_index (addresses, i), address))
      return;

  g_ptr_array_add (addresses, g_strdup (address));
}

static void run_queue (PaddockAddressIndex *self);

static void
finish_lookup (Lookup   *lookup,
               gboolean  learnt)
{
  PaddockAddressIndex *self = lookup->self;

  if (learnt)
    {
      g_ptr_array_add (lookup->addresses, NULL);
      g_hash_table_replace (self->known, g_strdup (lookup->key),
                            g_strjoinv (" ", (char **) lookup->addresses->pdata));
      queue_changed (self);
    }

  /* Not learnt (the connection failed): a later search asks again. */
  g_hash_table_remove (self->wanted, lookup->key);
  self->in_flight--;
  lookup_free (lookup);

  run_queue (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
on_interfaces (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autoptr(GError) error = NULL;

  interfaces = paddock_pve_client_get_interfaces_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_lookup (lookup, FALSE);
      return;
    }

  /* Without the interfaces the static addresses are still worth keeping. */
  for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
    {
      PaddockInterface *interface = g_ptr_array_index (interfaces, i);

      for (guint a = 0; interface->addresses != NULL && interface->addresses[a] != NULL; a++)
        add_address (lookup->addresses, interface->addresses[a]);
    }

  finish_lookup (lookup, TRUE);
}

static gboolean
is_dynamic (const char *ip)
{
  return g_strcmp0 (ip, "dhcp") == 0 || g_strcmp0 (ip, "auto") == 0 || g_strcmp0 (ip, "manual") == 0;
}

static void
on_config (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  PaddockGuestConfig *config;
  gboolean dynamic = FALSE;

  config = paddock_pve_client_get_guest_config_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (config == NULL)
    {
      /* Gone or refused: nothing to learn; unreachable or cancelled: try again another time. */
      finish_lookup (lookup, g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND) ||
                             g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PERMISSION));
      return;
    }

  for (guint i = 0; i < config->networks->len; i++)
    {
      PaddockNetInterface *net = g_ptr_array_index (config->networks, i);

      if (net->ip != NULL && !is_dynamic (net->ip))
        add_address (lookup->addresses, net->ip);
      if (net->ip6 != NULL && !is_dynamic (net->ip6))
        add_address (lookup->addresses, net->ip6);
      dynamic = dynamic || is_dynamic (net->ip) || is_dynamic (net->ip6);
    }
  paddock_guest_config_free (config);

  /* Addresses given by DHCP exist only while the container runs, and only it knows them. */
  if (dynamic && paddock_guest_get_state (lookup->guest) == PADDOCK_GUEST_STATE_RUNNING)
    {
      paddock_pve_client_get_interfaces_async (paddock_cluster_get_client (lookup->cluster),
                                               paddock_guest_get_node (lookup->guest),
                                               paddock_guest_get_vmid (lookup->guest),
                                               lookup->self->cancellable, on_interfaces, lookup);
      return;
    }

  finish_lookup (lookup, TRUE);
}

static void
run_queue (PaddockAddressIndex *self)
{
  Lookup *lookup;

  while (self->in_flight < MAX_IN_FLIGHT && (lookup = g_queue_pop_head (&self->queue)) != NULL)
    {
      self->in_flight++;
      paddock_pve_client_get_guest_config_async (paddock_cluster_get_client (lookup->cluster),
                                                 paddock_guest_get_node (lookup->guest),
                                                 paddock_guest_get_vmid (lookup->guest),
                                                 self->cancellable, on_config, lookup);
    }
}

/* GObject */

static void
paddock_address_index_dispose (GObject *object)
{
  PaddockAddressIndex *self = PADDOCK_ADDRESS_INDEX (object);

  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->queue, (GDestroyNotify) lookup_free);
  g_clear_handle_id (&self->changed_source, g_source_remove);

  G_OBJECT_CLASS (paddock_address_index_parent_class)->dispose (object);
}

static void
paddock_address_index_finalize (GObject *object)
{
  PaddockAddressIndex *self = PADDOCK_ADDRESS_INDEX (object);

  g_hash_table_unref (self->known);
  g_hash_table_unref (self->wanted);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (paddock_address_index_parent_class)->finalize (object);
}

static void
paddock_address_index_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PaddockAddressIndex *self = PADDOCK_ADDRESS_INDEX (object);

  switch (prop_id)
    {
    case PROP_PENDING:
      g_value_set_uint (value, paddock_address_index_get_pending (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_address_index_class_init (PaddockAddressIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_address_index_dispose;
  object_class->finalize = paddock_address_index_finalize;
  object_class->get_property = paddock_address_index_get_property;

  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
paddock_address_index_init (PaddockAddressIndex *self)
{
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->queue);
}

PaddockAddressIndex *
paddock_address_index_new (void)
{
  return g_object_new (PADDOCK_TYPE_ADDRESS_INDEX, NULL);
}

const char *
paddock_address_index_lookup (PaddockAddressIndex *self,
                              PaddockGuest        *guest)
{
  char key[48];

  g_return_val_if_fail (PADDOCK_IS_ADDRESS_INDEX (self), NULL);
  g_return_val_if_fail (PADDOCK_IS_GUEST (guest), NULL);

  /* Called for every row on every filter run: the key of paddock_guest_key(), without allocating. */
  g_snprintf (key, sizeof key, "%" G_GINT64_FORMAT ":%u", paddock_guest_get_connection_id (guest),
              paddock_guest_get_vmid (guest));
  return g_hash_table_lookup (self->known, key);
}

void
paddock_address_index_set (PaddockAddressIndex *self,
                           PaddockGuest        *guest,
                           const char * const  *addresses)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (PADDOCK_IS_ADDRESS_INDEX (self));
  g_return_if_fail (PADDOCK_IS_GUEST (guest));

  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    add_address (kept, addresses[i]);
  g_ptr_array_add (kept, NULL);

  g_hash_table_replace (self->known, paddock_guest_dup_key (guest), g_strjoinv (" ", (char **) kept->pdata));
  queue_changed (self);
}

void
paddock_address_index_learn (PaddockAddressIndex *self,
                             PaddockCluster      *cluster)
{
  guint n;

  g_return_if_fail (PADDOCK_IS_ADDRESS_INDEX (self));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));

  if (!paddock_cluster_get_reachable (cluster))
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (cluster));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockGuest) guest = g_list_model_get_item (G_LIST_MODEL (cluster), i);
      g_autofree char *key = paddock_guest_dup_key (guest);
      Lookup *lookup;

      if (g_hash_table_contains (self->known, key) || g_hash_table_contains (self->wanted, key))
        continue;

      lookup = g_new0 (Lookup, 1);
      lookup->self = g_object_ref (self);
      lookup->cluster = g_object_ref (cluster);
      lookup->guest = g_object_ref (guest);
      lookup->key = g_strdup (key);
      lookup->addresses = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_add (self->wanted, g_steal_pointer (&key));
      g_queue_push_tail (&self->queue, lookup);
    }

  run_queue (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

guint
paddock_address_index_get_pending (PaddockAddressIndex *self)
{
  g_return_val_if_fail (PADDOCK_IS_ADDRESS_INDEX (self), 0);

  return self->in_flight + self->queue.length;
}

gboolean
paddock_address_index_is_address_query (const char *text)
{
  gboolean digit = FALSE;
  gboolean separator = FALSE;

  if (text == NULL)
    return FALSE;

  /* "192.168", "10.0.0.5/24", "fd00::", "2001:db8": digits or hex with dots or colons, no spaces. */
  for (const char *c = text; *c; c++)
    {
      if (g_ascii_isdigit (*c))
        digit = TRUE;
      else if (*c == '.' || *c == ':')
        separator = TRUE;
      else if (!g_ascii_isxdigit (*c) && *c != '/')
        return FALSE;
    }

  return digit && separator;
}
