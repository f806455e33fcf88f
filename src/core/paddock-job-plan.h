/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-plan.h: what one provisioning job makes (SPEC.md §6.3, §6.4): the container's
 * settings and the packages, scripts and files put into it */

#pragma once

#include "paddock-pve-client.h"
#include "paddock-template.h"

G_BEGIN_DECLS

/* Bounds of a plan read back from the store (its JSON is data from outside this process). */
#define PADDOCK_JOB_PLAN_MAX_JSON     (256 * 1024 * 1024)
#define PADDOCK_JOB_PLAN_MAX_PACKAGES 10000
#define PADDOCK_JOB_PLAN_MAX_SCRIPTS  1000
#define PADDOCK_JOB_PLAN_MAX_FILES    1000

/* The container and everything put into it. Scripts run in the order of the array; a disabled
 * script stays in the plan (the wizard shows it) but does not run. No secret is part of a plan:
 * the root password is generated into the keyring when the job starts. */
typedef struct
{
  gint64     connection_id;
  char      *node;
  guint      vmid;
  char      *hostname;
  gint64     template_id;      /* 0: from scratch */
  char      *template_name;    /* nullable */
  char      *os_template;      /* a volid, or a name the node's downloaded templates resolve */
  guint      cores;
  guint      memory;           /* MB */
  guint      swap;             /* MB */
  guint      disk;             /* GB */
  char      *storage;
  char      *bridge;
  char      *ipv4;             /* "dhcp" or an address in CIDR notation */
  char      *gateway;          /* nullable; only with a static address */
  char      *ipv6;             /* nullable (none), "auto", "dhcp" or CIDR */
  char      *gateway6;         /* nullable; only with a static IPv6 address */
  char      *nameserver;       /* nullable; addresses separated by spaces */
  char      *searchdomain;     /* nullable */
  char      *ssh_public_keys;  /* nullable; one key per line */
  gboolean   unprivileged;
  gboolean   nesting;
  gboolean   keyctl;
  gboolean   fuse;
  gboolean   onboot;
  char      *tags;             /* nullable; ";"-separated */
  char      *description;      /* nullable */
  GPtrArray *packages;         /* PaddockPackage */
  GPtrArray *scripts;          /* PaddockTemplateScript, in run order */
  GPtrArray *files;            /* PaddockTemplateFile */
} PaddockJobPlan;

#define PADDOCK_TYPE_JOB_PLAN (paddock_job_plan_get_type ())
GType           paddock_job_plan_get_type           (void) G_GNUC_CONST;
PaddockJobPlan *paddock_job_plan_new                (void);
PaddockJobPlan *paddock_job_plan_new_from_template  (PaddockTemplate      *template);
PaddockJobPlan *paddock_job_plan_copy               (const PaddockJobPlan *plan);
void            paddock_job_plan_free               (PaddockJobPlan       *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockJobPlan, paddock_job_plan_free)

/* Every field as Proxmox and the container will take it; the error names the field. */
gboolean          paddock_job_plan_validate         (const PaddockJobPlan *plan,
                                                     GError              **error);
gboolean          paddock_check_hostname            (const char           *hostname,
                                                     GError              **error);
gboolean          paddock_check_ipv4_cidr           (const char           *cidr,
                                                     GError              **error);

/* "name=eth0,bridge=vmbr0,ip=dhcp[,gw=…][,ip6=…][,gw6=…]" */
char             *paddock_job_plan_dup_net0         (const PaddockJobPlan *plan);
/* The parameters of POST /nodes/{node}/lxc. @password may be NULL (for display). */
PaddockPveParams *paddock_job_plan_to_create_params (const PaddockJobPlan *plan,
                                                     const char           *ostemplate,
                                                     const char           *password);
/* Whether os_template names a volume ("storage:vztmpl/file") rather than a pattern. */
gboolean          paddock_job_plan_has_volid        (const PaddockJobPlan *plan);
/* Picks the newest of @volids (storage:vztmpl/NAME) whose file name starts with @pattern. */
char             *paddock_pick_os_template          (const char           *pattern,
                                                     GPtrArray            *volids);

/* The enabled scripts, in order (element type PaddockTemplateScript, not owned). */
GPtrArray        *paddock_job_plan_dup_run_scripts  (const PaddockJobPlan *plan);

/* After the template changed (a script fixed): the plan takes the template's current content of
 * every script and file it has by name; its choices (which scripts run, in which order) stay. */
guint             paddock_job_plan_refresh_from_template (PaddockJobPlan  *plan,
                                                          PaddockTemplate *template);

char             *paddock_job_plan_to_json          (const PaddockJobPlan *plan);
PaddockJobPlan   *paddock_job_plan_new_from_json    (const char           *json,
                                                     gssize                length,
                                                     GError              **error);

G_END_DECLS
