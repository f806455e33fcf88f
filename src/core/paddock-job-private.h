/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-private.h: what the provisioner changes of a job while it runs it */

#pragma once

#include "paddock-job.h"

G_BEGIN_DECLS

/* @with_plan: FALSE leaves the record's params NULL (the store keeps what it has). */
PaddockJobRecord *_paddock_job_to_record      (PaddockJob          *self,
                                               gboolean             with_plan);
void            _paddock_job_set_id           (PaddockJob          *self,
                                               gint64               id);
void            _paddock_job_set_state        (PaddockJob          *self,
                                               PaddockJobState      state);
/* Also ends the timing of the phase before and starts this one's. */
void            _paddock_job_enter_phase      (PaddockJob          *self,
                                               PaddockJobPhase      phase);
void            _paddock_job_end_phase        (PaddockJob          *self);
void            _paddock_job_set_percent      (PaddockJob          *self,
                                               guint                percent);
void            _paddock_job_set_message      (PaddockJob          *self,
                                               const char          *message);
void            _paddock_job_set_address      (PaddockJob          *self,
                                               const char          *address);
void            _paddock_job_set_create_params (PaddockJob         *self,
                                               const char          *params);
void            _paddock_job_set_plan         (PaddockJob          *self,
                                               const PaddockJobPlan *plan);
void            _paddock_job_set_elsewhere    (PaddockJob          *self,
                                               gboolean             elsewhere);
/* The create task of this job (so that a resumed job can tell whether it made the container). */
const char     *_paddock_job_get_upid         (PaddockJob          *self);
void            _paddock_job_set_upid         (PaddockJob          *self,
                                               const char          *upid);
gboolean        _paddock_job_get_created      (PaddockJob          *self);
void            _paddock_job_set_created      (PaddockJob          *self,
                                               gboolean             created);

/* Run timing: the run starts and ends; time spent in a task or a command is added up. */
void            _paddock_job_begin_run        (PaddockJob          *self);
void            _paddock_job_end_run          (PaddockJob          *self);
void            _paddock_job_add_wait         (PaddockJob          *self,
                                               gboolean             task,
                                               gint64               microseconds);

/* Emits ::output and keeps the line for dup_last_lines(). */
void            _paddock_job_add_output       (PaddockJob          *self,
                                               PaddockJobStream     stream,
                                               const char          *line);

PaddockJobItem *_paddock_job_find_item        (PaddockJob          *self,
                                               PaddockJobItemKind   kind,
                                               const char          *name);
void            _paddock_job_item_set_status  (PaddockJobItem      *item,
                                               PaddockJobItemStatus status,
                                               const char          *detail);
/* Before a retry from @phase: its items and those of later phases are pending again, except
 * the scripts that already succeeded (a retry of the scripts phase starts at the failed one). */
void            _paddock_job_reset_from       (PaddockJob          *self,
                                               PaddockJobPhase      phase);

/* Takes what another process wrote (state, phase, items, …) for a job this one only watches. */
gboolean        _paddock_job_update_from_record (PaddockJob             *self,
                                                 const PaddockJobRecord *record);

G_END_DECLS
