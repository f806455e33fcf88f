/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-store.h: Paddock's SQLite database: connections, trust, containers, events, jobs, caches */

#pragma once

#include <gio/gio.h>

#include "paddock-connection.h"
#include "paddock-error.h"
#include "paddock-event.h"
#include "paddock-records.h"
#include "paddock-template.h"
#include "paddock-trust-store.h"

G_BEGIN_DECLS

/* The schema version this build writes; older databases are migrated forward at open. */
#define PADDOCK_STORE_SCHEMA_VERSION 7

/* Job output kept per job (SPEC.md §6.4): older lines are dropped. */
#define PADDOCK_STORE_MAX_JOB_LINES 5000

#define PADDOCK_TYPE_STORE (paddock_store_get_type ())

G_DECLARE_FINAL_TYPE (PaddockStore, paddock_store, PADDOCK, STORE, GObject)

char         *paddock_store_dup_default_path   (void);

/* Blocking: for worker threads and the command line. The UI uses paddock_store_open_async(). */
PaddockStore *paddock_store_new                (const char           *path,
                                                GCancellable         *cancellable,
                                                GError              **error);
void          paddock_store_open_async         (const char           *path,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
PaddockStore *paddock_store_open_finish        (GAsyncResult         *result,
                                                GError              **error);
const char   *paddock_store_get_path           (PaddockStore         *self);
const char   *paddock_store_get_owner_id       (PaddockStore         *self);

/* Completes once every write queued before it is on disk. */
void          paddock_store_flush_async        (PaddockStore         *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      paddock_store_flush_finish       (PaddockStore         *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Connections (SPEC.md §2.1); the first one added becomes the default. */
void          paddock_store_add_connection_async         (PaddockStore         *self,
                                                          PaddockConnection    *connection,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean      paddock_store_add_connection_finish        (PaddockStore         *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void          paddock_store_rename_connection_async      (PaddockStore         *self,
                                                          gint64                connection_id,
                                                          const char           *name,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean      paddock_store_rename_connection_finish     (PaddockStore         *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void          paddock_store_remove_connection_async      (PaddockStore         *self,
                                                          gint64                connection_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean      paddock_store_remove_connection_finish     (PaddockStore         *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void          paddock_store_set_default_connection_async (PaddockStore         *self,
                                                          gint64                connection_id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean      paddock_store_set_default_connection_finish (PaddockStore        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void          paddock_store_list_connections_async       (PaddockStore         *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
GPtrArray    *paddock_store_list_connections_finish      (PaddockStore         *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* SSH settings per node (SPEC.md §2.3). */
void          paddock_store_set_node_ssh_async    (PaddockStore         *self,
                                                   const PaddockNodeSsh *ssh,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean      paddock_store_set_node_ssh_finish   (PaddockStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void          paddock_store_list_node_ssh_async   (PaddockStore         *self,
                                                   gint64                connection_id,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray    *paddock_store_list_node_ssh_finish  (PaddockStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Containers Paddock made. */
void          paddock_store_save_managed_container_async   (PaddockStore                  *self,
                                                            const PaddockManagedContainer *container,
                                                            GCancellable                  *cancellable,
                                                            GAsyncReadyCallback            callback,
                                                            gpointer                       user_data);
gboolean      paddock_store_save_managed_container_finish  (PaddockStore                  *self,
                                                            GAsyncResult                  *result,
                                                            GError                       **error);
void          paddock_store_remove_managed_container_async (PaddockStore                  *self,
                                                            gint64                         connection_id,
                                                            guint                          vmid,
                                                            GCancellable                  *cancellable,
                                                            GAsyncReadyCallback            callback,
                                                            gpointer                       user_data);
gboolean      paddock_store_remove_managed_container_finish (PaddockStore                 *self,
                                                            GAsyncResult                  *result,
                                                            GError                       **error);
void          paddock_store_list_managed_containers_async  (PaddockStore                  *self,
                                                            gint64                         connection_id,
                                                            GCancellable                  *cancellable,
                                                            GAsyncReadyCallback            callback,
                                                            gpointer                       user_data);
GPtrArray    *paddock_store_list_managed_containers_finish (PaddockStore                  *self,
                                                            GAsyncResult                  *result,
                                                            GError                       **error);

/* The timeline (SPEC.md §3.3): kept after a container is deleted, until cleared. */
void          paddock_store_add_event_async      (PaddockStore         *self,
                                                  PaddockEvent         *event,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      paddock_store_add_event_finish     (PaddockStore         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void          paddock_store_list_events_async    (PaddockStore         *self,
                                                  gint64                connection_id,
                                                  guint                 vmid,
                                                  guint                 limit,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray    *paddock_store_list_events_finish   (PaddockStore         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void          paddock_store_clear_events_async   (PaddockStore         *self,
                                                  gint64                connection_id,
                                                  guint                 vmid,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      paddock_store_clear_events_finish  (PaddockStore         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Per-container operation locks shared by every Paddock process (SPEC.md §4). */
void          paddock_store_acquire_lock_async   (PaddockStore         *self,
                                                  gint64                connection_id,
                                                  guint                 vmid,
                                                  const char           *container_name,
                                                  const char           *operation,
                                                  guint                 ttl_seconds,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      paddock_store_acquire_lock_finish  (PaddockStore         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void          paddock_store_release_lock_async   (PaddockStore         *self,
                                                  gint64                connection_id,
                                                  guint                 vmid,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      paddock_store_release_lock_finish  (PaddockStore         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* The last known container list of a connection, replaced whole in one transaction. */
void          paddock_store_save_guest_cache_async  (PaddockStore         *self,
                                                     gint64                connection_id,
                                                     GPtrArray            *guests,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean      paddock_store_save_guest_cache_finish (PaddockStore         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void          paddock_store_load_guest_cache_async  (PaddockStore         *self,
                                                     gint64                connection_id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray    *paddock_store_load_guest_cache_finish (PaddockStore         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Probed services of a container (JSON, never with credentials). */
void          paddock_store_save_service_cache_async  (PaddockStore         *self,
                                                       gint64                connection_id,
                                                       guint                 vmid,
                                                       const char           *payload,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean      paddock_store_save_service_cache_finish (PaddockStore         *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void          paddock_store_load_service_cache_async  (PaddockStore         *self,
                                                       gint64                connection_id,
                                                       guint                 vmid,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
char         *paddock_store_load_service_cache_finish (PaddockStore         *self,
                                                       GAsyncResult         *result,
                                                       gint64               *probed_at,
                                                       GError              **error);

/* The containers whose cached services match: listening on @port (0: any) and with a unit
 * whose name contains @name (NULL: any). */
void          paddock_store_find_services_async       (PaddockStore         *self,
                                                       gint64                connection_id,
                                                       guint                 port,
                                                       const char           *name,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray    *paddock_store_find_services_finish      (PaddockStore         *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Provisioning jobs (SPEC.md §6.4). */
void          paddock_store_create_job_async           (PaddockStore           *self,
                                                        const PaddockJobRecord *job,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gint64        paddock_store_create_job_finish          (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void          paddock_store_update_job_async           (PaddockStore           *self,
                                                        const PaddockJobRecord *job,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gboolean      paddock_store_update_job_finish          (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void          paddock_store_append_job_output_async    (PaddockStore           *self,
                                                        gint64                  job_id,
                                                        guint                   stream,
                                                        const char * const     *lines,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gboolean      paddock_store_append_job_output_finish   (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void          paddock_store_get_job_output_async       (PaddockStore           *self,
                                                        gint64                  job_id,
                                                        gint64                  after_seq,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
GPtrArray    *paddock_store_get_job_output_finish      (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void          paddock_store_list_jobs_async            (PaddockStore           *self,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
GPtrArray    *paddock_store_list_jobs_finish           (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void          paddock_store_get_job_async              (PaddockStore           *self,
                                                        gint64                  job_id,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
PaddockJobRecord *paddock_store_get_job_finish         (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void          paddock_store_claim_job_async            (PaddockStore           *self,
                                                        gint64                  job_id,
                                                        guint                   max_per_node,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gboolean      paddock_store_claim_job_finish           (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        guint                  *waiting,
                                                        GError                **error);
void          paddock_store_delete_job_async           (PaddockStore           *self,
                                                        gint64                  job_id,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gboolean      paddock_store_delete_job_finish          (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
/* Asks the process that runs the job to cancel it (it reads this between commands). */
void          paddock_store_request_job_cancel_async   (PaddockStore           *self,
                                                        gint64                  job_id,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gboolean      paddock_store_request_job_cancel_finish  (PaddockStore           *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);
void          paddock_store_mark_interrupted_jobs_async (PaddockStore          *self,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
guint         paddock_store_mark_interrupted_jobs_finish (PaddockStore         *self,
                                                        GAsyncResult           *result,
                                                        GError                **error);

/* Templates (SPEC.md §6.1): each with all its packages, scripts and files. */
void             paddock_store_list_templates_async    (PaddockStore         *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GListModel      *paddock_store_list_templates_finish   (PaddockStore         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             paddock_store_get_template_async      (PaddockStore         *self,
                                                        gint64                template_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
PaddockTemplate *paddock_store_get_template_finish     (PaddockStore         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             paddock_store_save_template_async     (PaddockStore         *self,
                                                        PaddockTemplate      *template,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gint64           paddock_store_save_template_finish    (PaddockStore         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             paddock_store_delete_template_async   (PaddockStore         *self,
                                                        gint64                template_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean         paddock_store_delete_template_finish  (PaddockStore         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             paddock_store_import_templates_async  (PaddockStore         *self,
                                                        const char           *path,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/* The same reports, with nothing kept (finish with paddock_store_import_templates_finish). */
void             paddock_store_preview_import_templates_async (PaddockStore   *self,
                                                        const char           *path,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray       *paddock_store_import_templates_finish (PaddockStore         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* Package buckets */
void             paddock_store_list_buckets_async      (PaddockStore         *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray       *paddock_store_list_buckets_finish     (PaddockStore         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             paddock_store_save_bucket_async       (PaddockStore         *self,
                                                        const PaddockBucket  *bucket,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gint64           paddock_store_save_bucket_finish      (PaddockStore         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             paddock_store_delete_bucket_async     (PaddockStore         *self,
                                                        gint64                bucket_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean         paddock_store_delete_bucket_finish    (PaddockStore         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void             paddock_store_add_bucket_package_async     (PaddockStore          *self,
                                                             gint64                 bucket_id,
                                                             const PaddockPackage  *package,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean         paddock_store_add_bucket_package_finish    (PaddockStore          *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);
void             paddock_store_remove_bucket_package_async  (PaddockStore          *self,
                                                             gint64                 bucket_id,
                                                             const PaddockPackage  *package,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean         paddock_store_remove_bucket_package_finish (PaddockStore          *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);
void             paddock_store_import_bucket_text_async     (PaddockStore          *self,
                                                             gint64                 bucket_id,
                                                             PaddockPackageManager  manager,
                                                             const char            *text,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean         paddock_store_import_bucket_text_finish    (PaddockStore          *self,
                                                             GAsyncResult          *result,
                                                             PaddockBucketImport   *counts,
                                                             GError               **error);
void             paddock_store_add_bucket_to_template_async (PaddockStore          *self,
                                                             gint64                 bucket_id,
                                                             gint64                 template_id,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
int              paddock_store_add_bucket_to_template_finish (PaddockStore         *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

G_END_DECLS
