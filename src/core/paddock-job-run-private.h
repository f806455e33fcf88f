/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-run-private.h: one run of a provisioning job through its phases (SPEC.md §6.4) */

#pragma once

#include "paddock-cluster.h"
#include "paddock-provisioner-private.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_JOB_RUN (paddock_job_run_get_type ())

G_DECLARE_FINAL_TYPE (PaddockJobRun, paddock_job_run, PADDOCK, JOB_RUN, GObject)

/* The run starts at @from: a retry starts where the job stopped. */
PaddockJobRun *_paddock_job_run_new        (PaddockProvisioner   *provisioner,
                                            PaddockCluster       *cluster,
                                            PaddockJob           *job,
                                            PaddockJobPhase       from);
PaddockJob    *_paddock_job_run_get_job    (PaddockJobRun        *self);
/* Ends with the job succeeded, failed or cancelled, its state saved and its output written. */
void           _paddock_job_run_run_async  (PaddockJobRun        *self,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean       _paddock_job_run_run_finish (PaddockJobRun        *self,
                                            GAsyncResult         *result,
                                            GError              **error);
/* After the current command (at once while it waits for its turn). */
void           _paddock_job_run_cancel     (PaddockJobRun        *self);
/* Another job on the node ended: try for a place now rather than at the next poll. */
void           _paddock_job_run_wake       (PaddockJobRun        *self);

G_END_DECLS
