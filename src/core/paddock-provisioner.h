/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-provisioner.h: runs provisioning jobs (SPEC.md §6.4): at most two per node at once,
 * each resumable from the step that failed, and what a failed job leaves behind */

#pragma once

#include "paddock-job.h"
#include "paddock-workspace.h"

G_BEGIN_DECLS

/* SPEC.md §6.4: more jobs on one node wait their turn. */
#define PADDOCK_PROVISIONER_MAX_PER_NODE 2

#define PADDOCK_TYPE_PROVISIONER (paddock_provisioner_get_type ())

G_DECLARE_FINAL_TYPE (PaddockProvisioner, paddock_provisioner, PADDOCK, PROVISIONER, GObject)

PaddockProvisioner *paddock_provisioner_new                 (PaddockWorkspace    *workspace);
PaddockWorkspace   *paddock_provisioner_get_workspace       (PaddockProvisioner  *self);
/* Element type PaddockJob, newest first. */
GListModel         *paddock_provisioner_get_jobs            (PaddockProvisioner  *self);
PaddockJob         *paddock_provisioner_find_job            (PaddockProvisioner  *self,
                                                             gint64               job_id);

/* Reads the store's jobs; those whose process is gone become interrupted. Jobs that another
 * Paddock process runs are followed (their state read again every few seconds). */
void                paddock_provisioner_load_async          (PaddockProvisioner  *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            paddock_provisioner_load_finish         (PaddockProvisioner  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* Checks @plan, records a job for it and starts it (or queues it behind the node's running jobs).
 * The result is the job; it runs on after this returns and says ::finished when it stops. */
void                paddock_provisioner_create_async        (PaddockProvisioner  *self,
                                                             const PaddockJobPlan *plan,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
PaddockJob         *paddock_provisioner_create_finish       (PaddockProvisioner  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* Runs a failed, cancelled or interrupted job again from the phase it stopped in (the scripts
 * phase from the script that failed), with the template's current scripts and files. */
void                paddock_provisioner_retry_async         (PaddockProvisioner  *self,
                                                             PaddockJob          *job,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
/* Returns: whether the job runs again (it runs on after this returns) */
gboolean            paddock_provisioner_retry_finish        (PaddockProvisioner  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
/* Stops the job after its current command; a queued job stops at once. A job another process
 * runs is asked to stop through the store. */
void                paddock_provisioner_cancel_async        (PaddockProvisioner  *self,
                                                             PaddockJob          *job,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            paddock_provisioner_cancel_finish       (PaddockProvisioner  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
/* Waits until a job this process runs stops. */
void                paddock_provisioner_wait_async          (PaddockProvisioner  *self,
                                                             PaddockJob          *job,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
/* Returns: whether the job succeeded; its error otherwise */
gboolean            paddock_provisioner_wait_finish         (PaddockProvisioner  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* Deletes the container a stopped job made (stopping it first), then forgets the job. */
void                paddock_provisioner_delete_container_async  (PaddockProvisioner  *self,
                                                                 PaddockJob          *job,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean            paddock_provisioner_delete_container_finish (PaddockProvisioner  *self,
                                                                 GAsyncResult        *result,
                                                                 GError             **error);
/* Keeps the container as it is and forgets the stopped job. */
void                paddock_provisioner_keep_async          (PaddockProvisioner  *self,
                                                             PaddockJob          *job,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            paddock_provisioner_keep_finish         (PaddockProvisioner  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* The root password the job generated, from the keyring. */
void                paddock_provisioner_lookup_root_password_async  (PaddockProvisioner  *self,
                                                                     PaddockJob          *job,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
char               *paddock_provisioner_lookup_root_password_finish (PaddockProvisioner  *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);

/* pct on @node through @pct instead of a session of the workspace (paddockctl has its own, with
 * its prompts and its trust checks). */
void                paddock_provisioner_set_node_pct        (PaddockProvisioner  *self,
                                                             gint64               connection_id,
                                                             const char          *node,
                                                             PaddockPct          *pct);

/* For benchmarks and tests: shorter waits between task polls. */
void                paddock_provisioner_set_poll_interval   (PaddockProvisioner  *self,
                                                             guint                first_ms,
                                                             guint                max_ms);

G_END_DECLS
