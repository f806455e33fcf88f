/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-create-wizard.h: New Container: a template, where and how, its packages and scripts,
 * a review of everything sent, then a provisioning job (SPEC.md §6.3) */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_CREATE_WIZARD (paddock_create_wizard_get_type ())

G_DECLARE_FINAL_TYPE (PaddockCreateWizard, paddock_create_wizard, PADDOCK, CREATE_WIZARD, AdwWindow)

/* @template_id: the template chosen already (0: the user picks one). ::created (PaddockJob *)
 * says the job started; the wizard then closes. */
PaddockCreateWizard *paddock_create_wizard_new        (GtkWindow           *parent,
                                                       PaddockProvisioner  *provisioner,
                                                       gint64               template_id);
/* For tests: which step shows (0–4) and why Next is refused (NULL: it is not). */
guint                paddock_create_wizard_get_step    (PaddockCreateWizard *self);
const char          *paddock_create_wizard_get_problem (PaddockCreateWizard *self);
/* For tests: the plan as the wizard would send it now. */
PaddockJobPlan      *paddock_create_wizard_dup_plan    (PaddockCreateWizard *self);

G_END_DECLS
