/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-client.h: the Proxmox VE API client of one connection (libsoup 3, async) */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "paddock-error.h"
#include "paddock-pve-types.h"
#include "paddock-trust-store.h"

G_BEGIN_DECLS

/* Request parameters, encoded as Proxmox wants them (form bodies, booleans as 0/1). */
typedef struct _PaddockPveParams PaddockPveParams;

PaddockPveParams *paddock_pve_params_new        (void);
void              paddock_pve_params_free       (PaddockPveParams *params);
void              paddock_pve_params_add        (PaddockPveParams *params,
                                                 const char       *key,
                                                 const char       *value);
void              paddock_pve_params_add_int    (PaddockPveParams *params,
                                                 const char       *key,
                                                 gint64            value);
void              paddock_pve_params_add_bool   (PaddockPveParams *params,
                                                 const char       *key,
                                                 gboolean          value);
const char       *paddock_pve_params_get        (PaddockPveParams *params,
                                                 const char       *key);
char             *paddock_pve_params_to_form    (PaddockPveParams *params);
/* The parameters for display, with password-like values masked. */
char             *paddock_pve_params_to_display (PaddockPveParams *params);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockPveParams, paddock_pve_params_free)

/* "nodes", node, "lxc", "101" → "/nodes/pve%201/lxc/101": every segment percent-encoded. */
char *paddock_pve_path (const char *first_segment,
                        ...) G_GNUC_NULL_TERMINATED;

/* The certificate the client refused, so that the UI can show it and ask. */
typedef struct
{
  char      *host;
  guint16    port;
  char      *sha256;         /* upper-case colon hex, as Proxmox shows it */
  char      *pinned_sha256;  /* NULL when nothing was pinned (unknown), else the old one (changed) */
  char      *subject;
  char      *issuer;
  GDateTime *not_before;
  GDateTime *not_after;
} PaddockCertificateInfo;

void paddock_certificate_info_free (PaddockCertificateInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockCertificateInfo, paddock_certificate_info_free)

typedef enum
{
  PADDOCK_GUEST_ACTION_START,
  PADDOCK_GUEST_ACTION_STOP,
  PADDOCK_GUEST_ACTION_SHUTDOWN,
  PADDOCK_GUEST_ACTION_REBOOT,
} PaddockGuestAction;

#define PADDOCK_TYPE_PVE_CLIENT (paddock_pve_client_get_type ())

G_DECLARE_FINAL_TYPE (PaddockPveClient, paddock_pve_client, PADDOCK, PVE_CLIENT, GObject)

PaddockPveClient *paddock_pve_client_new                     (const char           *host,
                                                              guint16               port,
                                                              PaddockTrustStore    *trust_store);
const char       *paddock_pve_client_get_host                (PaddockPveClient     *self);
guint16           paddock_pve_client_get_port                (PaddockPveClient     *self);
void              paddock_pve_client_set_token               (PaddockPveClient     *self,
                                                              const char           *token_id,
                                                              const char           *secret);
void              paddock_pve_client_set_password            (PaddockPveClient     *self,
                                                              const char           *username,
                                                              const char           *password);
void              paddock_pve_client_set_timeouts            (PaddockPveClient     *self,
                                                              guint                 connect_seconds,
                                                              guint                 request_seconds);
void              paddock_pve_client_set_retry_delay         (PaddockPveClient     *self,
                                                              guint                 first_delay_ms);
void              paddock_pve_client_set_expected_pin        (PaddockPveClient     *self,
                                                              const char           *sha256);
gboolean          paddock_pve_client_set_cluster_ca          (PaddockPveClient     *self,
                                                              const char           *pem,
                                                              GError              **error);
PaddockCertificateInfo *paddock_pve_client_dup_rejected_certificate (PaddockPveClient *self);
gboolean          paddock_pve_client_trust_rejected_certificate (PaddockPveClient  *self);
gboolean          paddock_pve_client_get_has_ticket          (PaddockPveClient     *self);
/* For tests: pretend the ticket is @age_seconds old so that the next call renews it. */
void              paddock_pve_client_age_ticket              (PaddockPveClient     *self,
                                                              guint                 age_seconds);

void              paddock_pve_client_login_async             (PaddockPveClient     *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean          paddock_pve_client_login_finish            (PaddockPveClient     *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
void              paddock_pve_client_complete_tfa_async      (PaddockPveClient     *self,
                                                              const char           *response,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean          paddock_pve_client_complete_tfa_finish     (PaddockPveClient     *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

void              paddock_pve_client_call_async              (PaddockPveClient     *self,
                                                              const char           *method,
                                                              const char           *path,
                                                              PaddockPveParams     *params,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
JsonNode         *paddock_pve_client_call_finish             (PaddockPveClient     *self,
                                                              GAsyncResult         *result,
                                                              gint64               *total,
                                                              GError              **error);
/* "Test": /version, then /cluster/status with this login. */
void              paddock_pve_client_check_async             (PaddockPveClient     *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
PaddockPveClusterStatus *paddock_pve_client_check_finish            (PaddockPveClient     *self,
                                                              GAsyncResult         *result,
                                                              char                **version,
                                                              GError              **error);
/* GET /access/domains without logging in; finish with paddock_pve_client_call_finish(). */
void              paddock_pve_client_get_realms_async        (PaddockPveClient     *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
/* A GET whose body the caller parses itself (the big container list, off the main thread). */
void              paddock_pve_client_get_bytes_async         (PaddockPveClient     *self,
                                                              const char           *path,
                                                              PaddockPveParams     *params,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GBytes           *paddock_pve_client_get_bytes_finish        (PaddockPveClient     *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

/* Typed operations; each result is freed with the matching _free (arrays own their items). */
void               paddock_pve_client_get_version_async        (PaddockPveClient *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
PaddockPveVersion *paddock_pve_client_get_version_finish       (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_cluster_status_async (PaddockPveClient *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
PaddockPveClusterStatus *paddock_pve_client_get_cluster_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_nodes_async          (PaddockPveClient *self, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_get_nodes_finish         (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_node_status_async    (PaddockPveClient *self, const char *node, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
JsonObject        *paddock_pve_client_get_node_status_finish   (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_list_guests_async        (PaddockPveClient *self, const char *node, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_list_guests_finish       (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_nextid_async         (PaddockPveClient *self, guint wanted_vmid, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
guint              paddock_pve_client_get_nextid_finish        (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_guest_status_async   (PaddockPveClient *self, const char *node, guint vmid, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
JsonObject        *paddock_pve_client_get_guest_status_finish  (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_guest_config_async   (PaddockPveClient *self, const char *node, guint vmid, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
PaddockGuestConfig *paddock_pve_client_get_guest_config_finish (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_update_guest_config_async (PaddockPveClient *self, const char *node, guint vmid, PaddockPveParams *params, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean           paddock_pve_client_update_guest_config_finish (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_guest_action_async       (PaddockPveClient *self, const char *node, guint vmid, PaddockGuestAction action, guint timeout_seconds, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
char              *paddock_pve_client_guest_action_finish      (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_delete_guest_async       (PaddockPveClient *self, const char *node, guint vmid, gboolean purge, gboolean destroy_unreferenced_disks, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
char              *paddock_pve_client_delete_guest_finish      (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_create_guest_async       (PaddockPveClient *self, const char *node, PaddockPveParams *params, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
char              *paddock_pve_client_create_guest_finish      (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_interfaces_async     (PaddockPveClient *self, const char *node, guint vmid, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_get_interfaces_finish    (PaddockPveClient *self, GAsyncResult *result, GError **error);
/* @timeframe: hour, day, week, month or year; @cf: AVERAGE or MAX */
void               paddock_pve_client_get_rrd_async           (PaddockPveClient *self, const char *node, guint vmid, const char *timeframe, const char *cf, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GArray            *paddock_pve_client_get_rrd_finish          (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_storages_async       (PaddockPveClient *self, const char *node, const char *content, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_get_storages_finish      (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_storage_content_async (PaddockPveClient *self, const char *node, const char *storage, const char *content, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_get_storage_content_finish (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_appliances_async     (PaddockPveClient *self, const char *node, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_get_appliances_finish    (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_download_appliance_async (PaddockPveClient *self, const char *node, const char *storage, const char *template_name, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
char              *paddock_pve_client_download_appliance_finish (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_bridges_async        (PaddockPveClient *self, const char *node, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_get_bridges_finish       (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_tasks_async          (PaddockPveClient *self, const char *node, guint vmid, guint start, guint limit, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_get_tasks_finish         (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_task_status_async    (PaddockPveClient *self, const char *upid, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
PaddockTaskInfo   *paddock_pve_client_get_task_status_finish   (PaddockPveClient *self, GAsyncResult *result, GError **error);
void               paddock_pve_client_get_task_log_async       (PaddockPveClient *self, const char *upid, guint start, guint limit, GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
GPtrArray         *paddock_pve_client_get_task_log_finish      (PaddockPveClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
