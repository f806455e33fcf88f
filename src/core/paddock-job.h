/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job.h: one provisioning job as the UI and the command line see it (SPEC.md §6.4):
 * its phase, percentage, items, timings and output, persisted as a row of the store */

#pragma once

#include "paddock-job-plan.h"
#include "paddock-records.h"

G_BEGIN_DECLS

typedef enum
{
  PADDOCK_JOB_PHASE_CREATING,
  PADDOCK_JOB_PHASE_STARTING,
  PADDOCK_JOB_PHASE_CONNECTING,
  PADDOCK_JOB_PHASE_PACKAGES,
  PADDOCK_JOB_PHASE_SCRIPTS,
  PADDOCK_JOB_PHASE_FILES,
  PADDOCK_JOB_PHASE_FINALIZING,
} PaddockJobPhase;

#define PADDOCK_N_JOB_PHASES (PADDOCK_JOB_PHASE_FINALIZING + 1)

const char *paddock_job_phase_to_string   (PaddockJobPhase  phase);
gboolean    paddock_job_phase_from_string (const char      *str,
                                           PaddockJobPhase *phase);
/* "Creating the container", … */
const char *paddock_job_phase_describe    (PaddockJobPhase  phase);
/* Where a phase starts and ends on the job's 0–100 scale. */
void        paddock_job_phase_get_range   (PaddockJobPhase  phase,
                                           guint           *first,
                                           guint           *last);

/* Output streams of a job's lines. */
typedef enum
{
  PADDOCK_JOB_STREAM_NOTE,    /* Paddock's own account of what it does */
  PADDOCK_JOB_STREAM_STDOUT,
  PADDOCK_JOB_STREAM_STDERR,
  PADDOCK_JOB_STREAM_TASK,    /* a Proxmox task's log */
} PaddockJobStream;

typedef enum
{
  PADDOCK_JOB_ITEM_PACKAGES,  /* the packages of one manager */
  PADDOCK_JOB_ITEM_SCRIPT,
  PADDOCK_JOB_ITEM_FILE,
} PaddockJobItemKind;

typedef enum
{
  PADDOCK_JOB_ITEM_PENDING,
  PADDOCK_JOB_ITEM_RUNNING,
  PADDOCK_JOB_ITEM_DONE,
  PADDOCK_JOB_ITEM_SKIPPED,   /* nothing to do: installed, identical, kept */
  PADDOCK_JOB_ITEM_FAILED,
} PaddockJobItemStatus;

const char *paddock_job_item_kind_to_string   (PaddockJobItemKind    kind);
const char *paddock_job_item_status_to_string (PaddockJobItemStatus  status);

#define PADDOCK_TYPE_JOB_ITEM (paddock_job_item_get_type ())

G_DECLARE_FINAL_TYPE (PaddockJobItem, paddock_job_item, PADDOCK, JOB_ITEM, GObject)

PaddockJobItemKind    paddock_job_item_get_kind   (PaddockJobItem *self);
const char           *paddock_job_item_get_name   (PaddockJobItem *self);
PaddockJobItemStatus  paddock_job_item_get_status (PaddockJobItem *self);
/* "2 installed, 1 already there", "backed up to /etc/motd.backup-…", … */
const char           *paddock_job_item_get_detail (PaddockJobItem *self);

#define PADDOCK_TYPE_JOB (paddock_job_get_type ())

G_DECLARE_FINAL_TYPE (PaddockJob, paddock_job, PADDOCK, JOB, GObject)

PaddockJob          *paddock_job_new                 (const PaddockJobPlan   *plan);
PaddockJob          *paddock_job_new_from_record     (const PaddockJobRecord *record,
                                                      GError                **error);
PaddockJobRecord    *paddock_job_to_record           (PaddockJob             *self);

gint64               paddock_job_get_id              (PaddockJob  *self);
gint64               paddock_job_get_connection_id   (PaddockJob  *self);
const char          *paddock_job_get_node            (PaddockJob  *self);
guint                paddock_job_get_vmid            (PaddockJob  *self);
const char          *paddock_job_get_hostname        (PaddockJob  *self);
const PaddockJobPlan *paddock_job_get_plan           (PaddockJob  *self);
PaddockJobState      paddock_job_get_state           (PaddockJob  *self);
PaddockJobPhase      paddock_job_get_phase           (PaddockJob  *self);
guint                paddock_job_get_percent         (PaddockJob  *self);
/* What it does now, or why it failed. */
const char          *paddock_job_get_message         (PaddockJob  *self);
/* The container's IPv4 address once known, else NULL. */
const char          *paddock_job_get_address         (PaddockJob  *self);
/* The POST /nodes/{node}/lxc parameters, one "key=value" per line, the password masked. */
const char          *paddock_job_get_create_params   (PaddockJob  *self);
/* Element type PaddockJobItem, in the order they run. */
GListModel          *paddock_job_get_items           (PaddockJob  *self);
/* Seconds the phase took (or takes so far); 0 when it has not run. */
double               paddock_job_get_phase_seconds   (PaddockJob      *self,
                                                      PaddockJobPhase  phase);
gint64               paddock_job_get_created_at      (PaddockJob  *self);
gint64               paddock_job_get_updated_at      (PaddockJob  *self);
/* Another Paddock process runs (or queues) it: this one only watches. */
gboolean             paddock_job_get_elsewhere       (PaddockJob  *self);
/* Whether it ended in a way Retry, Delete container and Keep apply to. */
gboolean             paddock_job_is_stopped          (PaddockJob  *self);
gboolean             paddock_job_is_finished         (PaddockJob  *self);
/* Of this process's last run of the job: seconds in all, and of them those spent waiting on
 * Proxmox tasks and on commands in the container; the rest is Paddock's own work. */
void                 paddock_job_get_run_seconds     (PaddockJob  *self,
                                                      double      *total,
                                                      double      *tasks,
                                                      double      *commands);
/* The last lines of output (at most 20), for a failure's message. */
char                *paddock_job_dup_last_lines      (PaddockJob  *self,
                                                      guint        count);

G_END_DECLS
