/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-page.h: one provisioning job: its steps and items, its output as it comes, and
 * what to do when it stopped (retry from the step, delete the container, keep it) */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_JOB_PAGE (paddock_job_page_get_type ())

G_DECLARE_FINAL_TYPE (PaddockJobPage, paddock_job_page, PADDOCK, JOB_PAGE, AdwBin)

/* ::open-container (gint64 connection_id, guint vmid) asks the window to show the container. */
void        paddock_job_page_set_job      (PaddockJobPage     *self,
                                           PaddockProvisioner *provisioner,
                                           PaddockSettings    *settings,
                                           PaddockJob         *job);
PaddockJob *paddock_job_page_get_job      (PaddockJobPage     *self);
/* The output shown (for tests): GtkStringObject items. */
GListModel *paddock_job_page_get_output   (PaddockJobPage     *self);

G_END_DECLS
