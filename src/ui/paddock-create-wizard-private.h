/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-create-wizard-private.h: what the wizard's parts share (paddock-create-wizard.c: the
 * steps and the job; paddock-create-wizard-configure.c: the Configure step's choices from Proxmox
 * and its checks) */

#pragma once

#include "paddock-create-wizard.h"

G_BEGIN_DECLS

typedef enum
{
  STEP_TEMPLATE,
  STEP_CONFIGURE,
  STEP_PACKAGES,
  STEP_SCRIPTS,
  STEP_REVIEW,
  N_STEPS
} WizardStep;

struct _PaddockCreateWizard
{
  AdwWindow           parent_instance;

  PaddockProvisioner *provisioner;
  PaddockWorkspace   *workspace;
  GCancellable       *cancellable;
  GCancellable       *node_cancellable;   /* what is loaded for the node shown; cancelled on change */
  GListModel         *templates;
  PaddockTemplate    *template;           /* NULL: from scratch */
  gint64              initial_template_id;
  PaddockJobPlan     *plan;               /* from the template; its packages and scripts edited here */
  GHashTable         *excluded;           /* PaddockPackage of plan->packages left out */
  WizardStep          step;
  gboolean            plan_changed;       /* a template was chosen since the later steps were filled */
  char               *problem;
  gboolean            creating;

  /* Configure: choices and what they stand for */
  GPtrArray          *cluster_values;     /* PaddockCluster, by connection row position */
  GPtrArray          *node_values;        /* char * */
  GPtrArray          *os_values;          /* char *, volids */
  GPtrArray          *storage_values;     /* char * */
  GPtrArray          *bridge_values;      /* char * */
  guint               node_loads;         /* requests for the node still out */
  gboolean            vmid_edited;        /* the user typed a VMID: keep it */
  gboolean            hostname_edited;
  char               *vmid_problem;       /* why the VMID cannot be used, NULL when it can */
  gboolean            vmid_checking;
  guint               vmid_check_source;
  PaddockTaskWatcher *download;
  gboolean            filling;            /* rows are being filled: their changes are not the user's */

  /* Template widgets */
  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkButton          *back_button;
  GtkButton          *cancel_button;
  GtkButton          *next_button;
  GtkButton          *create_button;
  GtkStack           *pages;
  GtkSearchEntry     *template_search;
  GtkListBox         *template_list;
  AdwPreferencesPage *configure_page;
  AdwComboRow        *connection_row;
  AdwComboRow        *node_row;
  AdwComboRow        *os_row;
  AdwActionRow       *download_row;
  GtkProgressBar     *download_progress;
  GtkButton          *download_button;
  AdwEntryRow        *hostname_row;
  AdwEntryRow        *vmid_row;
  AdwEntryRow        *ssh_key_row;
  GtkSpinButton      *cores_spin;
  GtkSpinButton      *memory_spin;
  GtkSpinButton      *swap_spin;
  GtkSpinButton      *disk_spin;
  AdwComboRow        *storage_row;
  AdwComboRow        *bridge_row;
  AdwComboRow        *ipv4_mode_row;
  AdwEntryRow        *ipv4_row;
  AdwEntryRow        *gateway_row;
  AdwComboRow        *ipv6_mode_row;
  AdwEntryRow        *ipv6_row;
  AdwEntryRow        *gateway6_row;
  AdwEntryRow        *nameserver_row;
  AdwEntryRow        *searchdomain_row;
  GtkSwitch          *unprivileged_switch;
  GtkSwitch          *nesting_switch;
  GtkSwitch          *keyctl_switch;
  GtkSwitch          *fuse_switch;
  GtkSwitch          *onboot_switch;
  AdwEntryRow        *tags_row;
  AdwPreferencesGroup *packages_group;
  AdwComboRow        *extra_manager_row;
  AdwEntryRow        *extra_packages_row;
  GtkListBox         *scripts_list;
  AdwPreferencesGroup *review_group;
  GtkLabel           *params_label;
  GtkRevealer        *problem_revealer;
  GtkLabel           *problem_label;
};

/* paddock-create-wizard.c */
void  _paddock_create_wizard_update           (PaddockCreateWizard *self);
void  _paddock_create_wizard_toast            (PaddockCreateWizard *self,
                                               const char          *text);

/* paddock-create-wizard-configure.c */
void  _paddock_create_wizard_configure_init   (PaddockCreateWizard *self);
void  _paddock_create_wizard_configure_class_init (GtkWidgetClass  *widget_class);
/* Fills the rows from the plan (a template was chosen) and loads what Proxmox offers. */
void  _paddock_create_wizard_configure_prefill (PaddockCreateWizard *self);
/* Writes the rows into @plan (the OS template as its volume when one is chosen). */
void  _paddock_create_wizard_configure_apply  (PaddockCreateWizard *self,
                                               PaddockJobPlan      *plan);
/* Why the Configure step cannot go on (marking the rows at fault), or NULL. */
char *_paddock_create_wizard_configure_check  (PaddockCreateWizard *self);
void  _paddock_create_wizard_configure_dispose (PaddockCreateWizard *self);

G_END_DECLS
