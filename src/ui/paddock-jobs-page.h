/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-jobs-page.h: every provisioning job, newest first, with its state and progress */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_JOBS_PAGE (paddock_jobs_page_get_type ())

G_DECLARE_FINAL_TYPE (PaddockJobsPage, paddock_jobs_page, PADDOCK, JOBS_PAGE, AdwBin)

/* ::job-activated (PaddockJob *job) when a row is opened. */
void paddock_jobs_page_set_provisioner (PaddockJobsPage    *self,
                                        PaddockProvisioner *provisioner);

G_END_DECLS
