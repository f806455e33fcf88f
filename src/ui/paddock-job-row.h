/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-row.h: one provisioning job in the jobs list: what it makes, where it is, how far */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_JOB_ROW (paddock_job_row_get_type ())

G_DECLARE_FINAL_TYPE (PaddockJobRow, paddock_job_row, PADDOCK, JOB_ROW, AdwActionRow)

GtkWidget  *paddock_job_row_new     (PaddockJob    *job);
PaddockJob *paddock_job_row_get_job (PaddockJobRow *self);

/* Shared with the job's page: how a job's state reads, and the badge class that colours it. */
const char *paddock_job_state_describe   (PaddockJob *job);
const char *paddock_job_state_css_class  (PaddockJob *job);

G_END_DECLS
