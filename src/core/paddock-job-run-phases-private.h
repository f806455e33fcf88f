/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-run-phases-private.h: what the phases of a job's run share (paddock-job-run.c runs
 * the job, paddock-job-run-proxmox.c creates and starts the container, paddock-job-run-inside.c
 * does everything inside it) */

#pragma once

#include "paddock-job-private.h"
#include "paddock-job-run-private.h"
#include "paddock-pct.h"
#include "paddock-provision-commands-private.h"
#include "paddock-secrets.h"
#include "paddock-task-watcher.h"

G_BEGIN_DECLS

struct _PaddockJobRun
{
  GObject             parent_instance;

  PaddockProvisioner *provisioner;     /* unowned: it owns its runs */
  PaddockCluster     *cluster;
  PaddockJob         *job;
  PaddockJobPhase     from;
  GTask              *task;
  GCancellable       *waits;
  gboolean            cancel_requested;
  gboolean            finishing;
  gboolean            completing;
  gboolean            flushing;
  gboolean            locked;
  gboolean            plan_saved;
  guint               claim_id;
  guint               flush_id;
  guint               cancel_poll_id;  /* reads cancels asked for by other processes */
  gboolean            cancel_polling;
  guint               waiting;         /* jobs before this one on the node */
  GError             *failure;         /* how the run ends; NULL: it succeeded */
  GPtrArray          *pending;         /* output not written to the store yet */
  gint64              wait_started;    /* monotonic µs of the task or command under way */

  PaddockSecret      *password;
  PaddockTaskWatcher *watcher;
  PaddockPct         *pct;
  char               *work_dir;        /* in the container */

  /* packages, scripts, files: where the phase is */
  GPtrArray          *groups;          /* GPtrArray (of PaddockPackage, unowned) per manager */
  GStrv               managers;        /* the native managers the container has */
  gboolean            indexed;
  gboolean            watch_apt;       /* an index update runs: its lines are checked */
  gboolean            apt_failed;      /* an index update printed an error line */
  PaddockJobPhase     resume_at;       /* a retry past connecting goes on here after it */
  guint               index;
  guint               sub_index;
  guint               installed;
  guint               present;
  GPtrArray          *scripts;         /* PaddockTemplateScript that run, unowned */
  guint               address_tries;
};

/* paddock-job-run.c */
PaddockStore     *_paddock_job_run_get_store         (PaddockJobRun    *self);
PaddockPveClient *_paddock_job_run_get_client        (PaddockJobRun    *self);
void              _paddock_job_run_output            (PaddockJobRun    *self,
                                                      PaddockJobStream  stream,
                                                      const char       *line);
void              _paddock_job_run_note              (PaddockJobRun    *self,
                                                      const char       *format,
                                                      ...) G_GNUC_PRINTF (2, 3);
void              _paddock_job_run_save              (PaddockJobRun    *self);
void              _paddock_job_run_set_lifecycle     (PaddockJobRun    *self,
                                                      PaddockLifecycle  lifecycle);
/* These end the run: nothing may follow them. */
void              _paddock_job_run_fail              (PaddockJobRun    *self,
                                                      GError           *error);
void              _paddock_job_run_fail_printf       (PaddockJobRun    *self,
                                                      const char       *format,
                                                      ...) G_GNUC_PRINTF (2, 3);
void              _paddock_job_run_succeed           (PaddockJobRun    *self);
gboolean          _paddock_job_run_stop_if_cancelled (PaddockJobRun    *self);
void              _paddock_job_run_complete          (PaddockJobRun    *self);

void              _paddock_job_run_begin_wait        (PaddockJobRun    *self);
void              _paddock_job_run_end_wait          (PaddockJobRun    *self,
                                                      gboolean          task);
/* @callback gets a new reference to the run as its user data. */
void              _paddock_job_run_watch_task        (PaddockJobRun       *self,
                                                      const char          *upid,
                                                      guint                timeout_seconds,
                                                      GAsyncReadyCallback  callback);
gboolean          _paddock_job_run_task_finish       (PaddockJobRun    *self,
                                                      GAsyncResult     *result,
                                                      const char       *what);

/* Enters @phase (saved) and runs it; past the last phase the job succeeds. */
void              _paddock_job_run_phase             (PaddockJobRun    *self,
                                                      PaddockJobPhase   phase);
void              _paddock_job_run_next_phase        (PaddockJobRun    *self);

/* paddock-job-run-proxmox.c */
void              _paddock_job_run_creating          (PaddockJobRun    *self);
void              _paddock_job_run_starting          (PaddockJobRun    *self);

/* paddock-job-run-inside.c */
void              _paddock_job_run_connecting        (PaddockJobRun    *self);
void              _paddock_job_run_packages          (PaddockJobRun    *self);
void              _paddock_job_run_scripts           (PaddockJobRun    *self);
void              _paddock_job_run_files             (PaddockJobRun    *self);
void              _paddock_job_run_finalizing        (PaddockJobRun    *self);

G_END_DECLS
