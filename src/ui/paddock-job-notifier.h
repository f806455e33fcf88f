/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-notifier.h: a desktop notification when a job of this process ends while no window
 * is focused, and the application kept running until its jobs end */

#pragma once

#include <gtk/gtk.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_JOB_NOTIFIER (paddock_job_notifier_get_type ())

G_DECLARE_FINAL_TYPE (PaddockJobNotifier, paddock_job_notifier, PADDOCK, JOB_NOTIFIER, GObject)

/* The notification's default action is "app.show-job" with the job's id (int64). */
PaddockJobNotifier *paddock_job_notifier_new (GtkApplication     *application,
                                              PaddockProvisioner *provisioner,
                                              PaddockSettings    *settings);

G_END_DECLS
