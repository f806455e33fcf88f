/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-client.c: the Proxmox VE API client of one connection (libsoup 3, async) */

#include "config.h"

#include "paddock-pve-client-private.h"
#include "paddock-pve-parse-private.h"

G_DEFINE_FINAL_TYPE (PaddockPveClient, paddock_pve_client, G_TYPE_OBJECT)

/* GObject */

static void
paddock_pve_client_dispose (GObject *object)
{
  PaddockPveClient *self = PADDOCK_PVE_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->trust_store);

  G_OBJECT_CLASS (paddock_pve_client_parent_class)->dispose (object);
}

static void
paddock_pve_client_finalize (GObject *object)
{
  PaddockPveClient *self = PADDOCK_PVE_CLIENT (object);

  g_free (self->host);
  g_free (self->base_url);
  g_free (self->token_id);
  _paddock_pve_wipe (&self->token_secret);
  g_free (self->username);
  _paddock_pve_wipe (&self->password);
  _paddock_pve_client_clear_ticket (self);
  _paddock_pve_wipe (&self->tfa_ticket);
  g_clear_pointer (&self->rejected, paddock_certificate_info_free);
  g_clear_object (&self->cluster_ca);
  g_clear_object (&self->system_database);
  g_free (self->expected_pin);

  G_OBJECT_CLASS (paddock_pve_client_parent_class)->finalize (object);
}

static void
paddock_pve_client_class_init (PaddockPveClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_pve_client_dispose;
  object_class->finalize = paddock_pve_client_finalize;
}

static void
paddock_pve_client_init (PaddockPveClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Paddock/%s", PACKAGE_VERSION);

  /* libsoup adds the gzip/deflate decoder and keeps HTTP/1.1 connections alive by itself. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 10,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  /* No CA database: every handshake asks accept-certificate, where pins are compared before any
   * CA is consulted (paddock-pve-client-trust.c). */
  soup_session_set_tls_database (self->session, NULL);
  self->request_timeout_ms = 30000;
  self->retry_delay_ms = 1000;
  g_queue_init (&self->login_waiters);
}

PaddockPveClient *
paddock_pve_client_new (const char        *host,
                        guint16            port,
                        PaddockTrustStore *trust_store)
{
  PaddockPveClient *self;

  g_return_val_if_fail (host != NULL && *host != '\0', NULL);
  g_return_val_if_fail (trust_store == NULL || PADDOCK_IS_TRUST_STORE (trust_store), NULL);

  self = g_object_new (PADDOCK_TYPE_PVE_CLIENT, NULL);
  self->host = g_strdup (host);
  self->port = port ? port : 8006;
  self->trust_store = trust_store ? g_object_ref (trust_store) : NULL;
  if (strchr (host, ':') != NULL && host[0] != '[')
    self->base_url = g_strdup_printf ("https://[%s]:%u/api2/json", host, self->port);
  else
    self->base_url = g_strdup_printf ("https://%s:%u/api2/json", host, self->port);

  return self;
}

const char *
paddock_pve_client_get_host (PaddockPveClient *self)
{
  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (self), NULL);
  return self->host;
}

guint16
paddock_pve_client_get_port (PaddockPveClient *self)
{
  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (self), 0);
  return self->port;
}

/**
 * paddock_pve_client_set_token:
 * @token_id: `USER@REALM!TOKENID`
 */
void
paddock_pve_client_set_token (PaddockPveClient *self,
                              const char       *token_id,
                              const char       *secret)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));
  g_return_if_fail (token_id != NULL && strchr (token_id, '!') != NULL);
  g_return_if_fail (secret != NULL);

  g_free (self->token_id);
  self->token_id = g_strdup (token_id);
  _paddock_pve_wipe (&self->token_secret);
  self->token_secret = g_strdup (secret);
}

void
paddock_pve_client_set_password (PaddockPveClient *self,
                                 const char       *username,
                                 const char       *password)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));
  g_return_if_fail (username != NULL);

  g_free (self->username);
  self->username = g_strdup (username);
  _paddock_pve_wipe (&self->password);
  self->password = g_strdup (password);
  _paddock_pve_client_clear_ticket (self);
}

void
paddock_pve_client_set_timeouts (PaddockPveClient *self,
                                 guint             connect_seconds,
                                 guint             request_seconds)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  g_object_set (self->session, "timeout", connect_seconds, NULL);
  self->request_timeout_ms = MAX (1, request_seconds) * 1000;
}

/* Backoff of idempotent GETs: @first_delay_ms, then twice, then four times that (1/2/4 s). */
void
paddock_pve_client_set_retry_delay (PaddockPveClient *self,
                                    guint             first_delay_ms)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  self->retry_delay_ms = first_delay_ms;
}

/* Typed operations: one call, one converter from the JSON data. */

typedef gpointer (*Convert) (JsonNode  *data,
                             GError   **error);

typedef struct
{
  Convert        convert;
  GDestroyNotify free_result;
} Typed;

static void
on_typed_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Typed *typed = g_task_get_task_data (task);
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;
  gpointer converted;

  data = paddock_pve_client_call_finish (PADDOCK_PVE_CLIENT (object), result, NULL, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  converted = typed->convert (data, &error);
  if (converted == NULL && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, converted, typed->free_result);
}

static void
typed_call (PaddockPveClient    *self,
            gpointer             source_tag,
            const char          *method,
            const char          *path,
            PaddockPveParams    *params,
            Convert              convert,
            GDestroyNotify       free_result,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Typed *typed = g_new0 (Typed, 1);

  typed->convert = convert;
  typed->free_result = free_result;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, typed, g_free);

  paddock_pve_client_call_async (self, method, path, params, cancellable, on_typed_done, task);
}

static gpointer
typed_finish (PaddockPveClient  *self,
              GAsyncResult      *result,
              gpointer           source_tag,
              GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
convert_version (JsonNode *data, GError **error)
{
  return paddock_pve_version_from_json (data, error);
}

static gpointer
convert_cluster_status (JsonNode *data, GError **error)
{
  return paddock_pve_cluster_status_from_json (data, error);
}

static gpointer
convert_node_usages (JsonNode *data, GError **error)
{
  return paddock_node_usages_from_json (data, error);
}

static gpointer
convert_string (JsonNode *data, GError **error)
{
  if (data == NULL || !JSON_NODE_HOLDS_VALUE (data) || json_node_get_value_type (data) != G_TYPE_STRING)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "Expected a text answer (a task id)");
      return NULL;
    }

  return g_strdup (json_node_get_string (data));
}

static gpointer
convert_upid (JsonNode *data, GError **error)
{
  g_autofree char *upid = convert_string (data, error);
  PaddockUpid parsed;

  if (upid == NULL || !paddock_pve_parse_upid (upid, &parsed, error))
    return NULL;

  paddock_upid_clear (&parsed);
  return g_steal_pointer (&upid);
}

/* nextid arrives as a string although the schema says integer; both are taken. */
static gpointer
convert_vmid (JsonNode *data, GError **error)
{
  gint64 vmid = 0;

  if (data != NULL && JSON_NODE_HOLDS_VALUE (data))
    {
      if (json_node_get_value_type (data) == G_TYPE_STRING)
        vmid = g_ascii_strtoll (json_node_get_string (data), NULL, 10);
      else if (json_node_get_value_type (data) == G_TYPE_INT64)
        vmid = json_node_get_int (data);
    }

  if (vmid < 100 || vmid > 999999999)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "Proxmox answered no usable VMID");
      return NULL;
    }

  return GSIZE_TO_POINTER ((gsize) vmid);
}

static gpointer
convert_object (JsonNode *data, GError **error)
{
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "Expected a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (data));
}

static gpointer
convert_config (JsonNode *data, GError **error)
{
  return paddock_guest_config_from_json (data, error);
}

static gpointer
convert_nothing (JsonNode *data, GError **error)
{
  return GINT_TO_POINTER (1);
}

static gpointer
convert_interfaces (JsonNode *data, GError **error)
{
  return paddock_interfaces_from_json (data, error);
}

static gpointer
convert_rrd (JsonNode *data, GError **error)
{
  return paddock_rrd_points_from_json (data, error);
}

static gpointer
convert_storages (JsonNode *data, GError **error)
{
  return paddock_storages_from_json (data, error);
}

static gpointer
convert_volumes (JsonNode *data, GError **error)
{
  return paddock_volumes_from_json (data, error);
}

static gpointer
convert_appliances (JsonNode *data, GError **error)
{
  return paddock_appliances_from_json (data, error);
}

static gpointer
convert_bridges (JsonNode *data, GError **error)
{
  return paddock_bridges_from_json (data, error);
}

static gpointer
convert_tasks (JsonNode *data, GError **error)
{
  return paddock_tasks_from_json (data, error);
}

static gpointer
convert_task (JsonNode *data, GError **error)
{
  return paddock_task_info_from_json (data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL,
                                      error);
}

static gpointer
convert_task_lines (JsonNode *data, GError **error)
{
  return paddock_task_lines_from_json (data, error);
}

static char *
vmid_text (guint vmid)
{
  return g_strdup_printf ("%u", vmid);
}

void
paddock_pve_client_get_version_async (PaddockPveClient *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  typed_call (self, paddock_pve_client_get_version_async, "GET", "/version", NULL, convert_version,
              (GDestroyNotify) paddock_pve_version_free, cancellable, callback, user_data);
}

PaddockPveVersion *
paddock_pve_client_get_version_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_version_async, error);
}

void
paddock_pve_client_get_cluster_status_async (PaddockPveClient *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  typed_call (self, paddock_pve_client_get_cluster_status_async, "GET", "/cluster/status", NULL,
              convert_cluster_status, (GDestroyNotify) paddock_pve_cluster_status_free, cancellable, callback,
              user_data);
}

/* Returns: (transfer full): the cluster's name, quorum and nodes */
PaddockPveClusterStatus *
paddock_pve_client_get_cluster_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_cluster_status_async, error);
}

void
paddock_pve_client_get_nodes_async (PaddockPveClient *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  typed_call (self, paddock_pve_client_get_nodes_async, "GET", "/nodes", NULL, convert_node_usages,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type PaddockNodeUsage): the nodes with their usage */
GPtrArray *
paddock_pve_client_get_nodes_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_nodes_async, error);
}

void
paddock_pve_client_get_node_status_async (PaddockPveClient *self, const char *node, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "status", NULL);

  typed_call (self, paddock_pve_client_get_node_status_async, "GET", path, NULL, convert_object,
              (GDestroyNotify) json_object_unref, cancellable, callback, user_data);
}

/* Returns: (transfer full): the node's status object (memory, cpuinfo, uptime, …) */
JsonObject *
paddock_pve_client_get_node_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_node_status_async, error);
}

static void
on_guests_fetched (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  GPtrArray *guests;
  GError *error = NULL;
  gsize length;
  const char *data;

  body = paddock_pve_client_get_bytes_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A node's list is small (at most a few hundred): read on this thread with the fast reader. */
  data = g_bytes_get_data (body, &length);
  guests = paddock_pve_parse_guest_list (data, length, TRUE, &error);
  if (guests == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, guests, (GDestroyNotify) g_ptr_array_unref);
}

/* GET /nodes/{node}/lxc: the containers of one node, vmid as string or number alike. */
void
paddock_pve_client_list_guests_async (PaddockPveClient *self, const char *node, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", NULL);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, paddock_pve_client_list_guests_async);
  paddock_pve_client_get_bytes_async (self, path, NULL, cancellable, on_guests_fetched, task);
}

/* Returns: (transfer container) (element-type PaddockGuestRecord): see paddock-pve-parse-private.h */
GPtrArray *
paddock_pve_client_list_guests_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_list_guests_async, error);
}

/* With @wanted_vmid, asks whether it is free (fails with %PADDOCK_PVE_ERROR_CONFLICT if not). */
void
paddock_pve_client_get_nextid_async (PaddockPveClient *self, guint wanted_vmid, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (wanted_vmid > 0)
    paddock_pve_params_add_int (params, "vmid", wanted_vmid);
  typed_call (self, paddock_pve_client_get_nextid_async, "GET", "/cluster/nextid", params, convert_vmid,
              NULL, cancellable, callback, user_data);
}

guint
paddock_pve_client_get_nextid_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return GPOINTER_TO_SIZE (typed_finish (self, result, paddock_pve_client_get_nextid_async, error));
}

void
paddock_pve_client_get_guest_status_async (PaddockPveClient *self, const char *node, guint vmid,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "status", "current", NULL);

  typed_call (self, paddock_pve_client_get_guest_status_async, "GET", path, NULL, convert_object,
              (GDestroyNotify) json_object_unref, cancellable, callback, user_data);
}

/* Returns: (transfer full): the status/current object (read it with the tolerant JSON helpers) */
JsonObject *
paddock_pve_client_get_guest_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_guest_status_async, error);
}

void
paddock_pve_client_get_guest_config_async (PaddockPveClient *self, const char *node, guint vmid,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "config", NULL);

  typed_call (self, paddock_pve_client_get_guest_config_async, "GET", path, NULL, convert_config,
              (GDestroyNotify) paddock_guest_config_free, cancellable, callback, user_data);
}

PaddockGuestConfig *
paddock_pve_client_get_guest_config_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_guest_config_async, error);
}

void
paddock_pve_client_update_guest_config_async (PaddockPveClient *self, const char *node, guint vmid,
                                              PaddockPveParams *params, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "config", NULL);

  typed_call (self, paddock_pve_client_update_guest_config_async, "PUT", path, params, convert_nothing,
              NULL, cancellable, callback, user_data);
}

gboolean
paddock_pve_client_update_guest_config_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_update_guest_config_async, error) != NULL;
}

/**
 * paddock_pve_client_guest_action_async:
 * @timeout_seconds: for %PADDOCK_GUEST_ACTION_SHUTDOWN, how long the container gets (0: Proxmox's 60)
 *
 * Starts the action; the result is the UPID of its task (follow it with PaddockTaskWatcher).
 */
void
paddock_pve_client_guest_action_async (PaddockPveClient *self, const char *node, guint vmid,
                                       PaddockGuestAction action, guint timeout_seconds,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  static const char *names[] = { "start", "stop", "shutdown", "reboot" };
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = NULL;
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  g_return_if_fail (action <= PADDOCK_GUEST_ACTION_REBOOT);

  path = paddock_pve_path ("nodes", node, "lxc", id, "status", names[action], NULL);
  if (action == PADDOCK_GUEST_ACTION_SHUTDOWN && timeout_seconds > 0)
    paddock_pve_params_add_int (params, "timeout", timeout_seconds);

  typed_call (self, paddock_pve_client_guest_action_async, "POST", path, params, convert_upid, g_free,
              cancellable, callback, user_data);
}

char *
paddock_pve_client_guest_action_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_guest_action_async, error);
}

void
paddock_pve_client_delete_guest_async (PaddockPveClient *self, const char *node, guint vmid, gboolean purge,
                                       gboolean destroy_unreferenced_disks, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (purge)
    paddock_pve_params_add_bool (params, "purge", TRUE);
  if (destroy_unreferenced_disks)
    paddock_pve_params_add_bool (params, "destroy-unreferenced-disks", TRUE);

  typed_call (self, paddock_pve_client_delete_guest_async, "DELETE", path, params, convert_upid, g_free,
              cancellable, callback, user_data);
}

char *
paddock_pve_client_delete_guest_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_delete_guest_async, error);
}

void
paddock_pve_client_create_guest_async (PaddockPveClient *self, const char *node, PaddockPveParams *params,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", NULL);

  typed_call (self, paddock_pve_client_create_guest_async, "POST", path, params, convert_upid, g_free,
              cancellable, callback, user_data);
}

char *
paddock_pve_client_create_guest_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_create_guest_async, error);
}

void
paddock_pve_client_get_interfaces_async (PaddockPveClient *self, const char *node, guint vmid,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "interfaces", NULL);

  typed_call (self, paddock_pve_client_get_interfaces_async, "GET", path, NULL, convert_interfaces,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_interfaces_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_interfaces_async, error);
}

/* @timeframe: hour, day, week, month or year */
void
paddock_pve_client_get_rrd_async (PaddockPveClient *self, const char *node, guint vmid, const char *timeframe,
                                  const char *cf, GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "rrddata", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  paddock_pve_params_add (params, "timeframe", timeframe);
  paddock_pve_params_add (params, "cf", cf != NULL ? cf : "AVERAGE");
  typed_call (self, paddock_pve_client_get_rrd_async, "GET", path, params, convert_rrd,
              (GDestroyNotify) g_array_unref, cancellable, callback, user_data);
}

GArray *
paddock_pve_client_get_rrd_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_rrd_async, error);
}

void
paddock_pve_client_get_storages_async (PaddockPveClient *self, const char *node, const char *content,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "storage", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (content != NULL)
    paddock_pve_params_add (params, "content", content);
  typed_call (self, paddock_pve_client_get_storages_async, "GET", path, params, convert_storages,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_storages_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_storages_async, error);
}

void
paddock_pve_client_get_storage_content_async (PaddockPveClient *self, const char *node, const char *storage,
                                              const char *content, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "storage", storage, "content", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (content != NULL)
    paddock_pve_params_add (params, "content", content);
  typed_call (self, paddock_pve_client_get_storage_content_async, "GET", path, params, convert_volumes,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_storage_content_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_storage_content_async, error);
}

void
paddock_pve_client_get_appliances_async (PaddockPveClient *self, const char *node, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "aplinfo", NULL);

  typed_call (self, paddock_pve_client_get_appliances_async, "GET", path, NULL, convert_appliances,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_appliances_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_appliances_async, error);
}

void
paddock_pve_client_download_appliance_async (PaddockPveClient *self, const char *node, const char *storage,
                                             const char *template_name, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "aplinfo", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  paddock_pve_params_add (params, "storage", storage);
  paddock_pve_params_add (params, "template", template_name);
  typed_call (self, paddock_pve_client_download_appliance_async, "POST", path, params, convert_upid, g_free,
              cancellable, callback, user_data);
}

char *
paddock_pve_client_download_appliance_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_download_appliance_async, error);
}

void
paddock_pve_client_get_bridges_async (PaddockPveClient *self, const char *node, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "network", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  paddock_pve_params_add (params, "type", "any_bridge");
  typed_call (self, paddock_pve_client_get_bridges_async, "GET", path, params, convert_bridges,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_bridges_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_bridges_async, error);
}

/* @vmid: 0 for every task of the node; @limit: 0 for Proxmox's default (50) */
void
paddock_pve_client_get_tasks_async (PaddockPveClient *self, const char *node, guint vmid, guint start,
                                    guint limit, GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "tasks", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (vmid > 0)
    paddock_pve_params_add_int (params, "vmid", vmid);
  if (start > 0)
    paddock_pve_params_add_int (params, "start", start);
  if (limit > 0)
    paddock_pve_params_add_int (params, "limit", limit);
  typed_call (self, paddock_pve_client_get_tasks_async, "GET", path, params, convert_tasks,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_tasks_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_tasks_async, error);
}

static char *
task_path (const char  *upid,
           const char  *leaf,
           GError     **error)
{
  PaddockUpid parsed;
  char *path;

  if (!paddock_pve_parse_upid (upid, &parsed, error))
    return NULL;

  path = paddock_pve_path ("nodes", parsed.node, "tasks", upid, leaf, NULL);
  paddock_upid_clear (&parsed);

  return path;
}

void
paddock_pve_client_get_task_status_async (PaddockPveClient *self, const char *upid, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = task_path (upid, "status", &error);

  if (path == NULL)
    {
      g_task_report_error (self, callback, user_data, paddock_pve_client_get_task_status_async,
                           g_steal_pointer (&error));
      return;
    }

  typed_call (self, paddock_pve_client_get_task_status_async, "GET", path, NULL, convert_task,
              (GDestroyNotify) paddock_task_info_free, cancellable, callback, user_data);
}

PaddockTaskInfo *
paddock_pve_client_get_task_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* @limit: 0 reads to the end */
void
paddock_pve_client_get_task_log_async (PaddockPveClient *self, const char *upid, guint start, guint limit,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = task_path (upid, "log", &error);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (path == NULL)
    {
      g_task_report_error (self, callback, user_data, paddock_pve_client_get_task_log_async,
                           g_steal_pointer (&error));
      return;
    }

  paddock_pve_params_add_int (params, "start", start);
  paddock_pve_params_add_int (params, "limit", limit);
  typed_call (self, paddock_pve_client_get_task_log_async, "GET", path, params, convert_task_lines,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_task_log_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The check of a connection: /version, then /cluster/status */

typedef struct
{
  GCancellable *cancellable;
  char         *version;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->cancellable);
  g_free (check->version);
  g_free (check);
}

static void
on_check_status (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockPveClusterStatus *status;
  GError *error = NULL;

  status = paddock_pve_client_get_cluster_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (status == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, status, (GDestroyNotify) paddock_pve_cluster_status_free);
}

static void
on_check_version (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(PaddockPveVersion) version = NULL;
  GError *error = NULL;

  version = paddock_pve_client_get_version_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (version == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  check->version = g_strdup (version->version);
  paddock_pve_client_get_cluster_status_async (PADDOCK_PVE_CLIENT (object), check->cancellable, on_check_status,
                                               g_steal_pointer (&task));
}

/**
 * paddock_pve_client_check_async:
 *
 * What "Test" means for a connection: the server answers /version as Proxmox, and this login
 * may read /cluster/status. Fails with the first error (an untrusted certificate, a refused
 * login, a second factor wanted…).
 */
void
paddock_pve_client_check_async (PaddockPveClient    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Check *check;

  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_pve_client_check_async);
  check = g_new0 (Check, 1);
  check->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  paddock_pve_client_get_version_async (self, cancellable, on_check_version, task);
}

/**
 * paddock_pve_client_check_finish:
 * @version: (out) (optional): the Proxmox VE version, e.g. "9.1.1"
 *
 * Returns: (transfer full): /cluster/status: the cluster's name, its quorum, its nodes
 */
PaddockPveClusterStatus *
paddock_pve_client_check_finish (PaddockPveClient  *self,
                                 GAsyncResult      *result,
                                 char             **version,
                                 GError           **error)
{
  PaddockPveClusterStatus *status;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  status = g_task_propagate_pointer (G_TASK (result), error);
  if (version != NULL)
    *version = status ? g_strdup (((Check *) g_task_get_task_data (G_TASK (result)))->version) : NULL;

  return status;
}
