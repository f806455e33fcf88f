/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-run.c: one run of a provisioning job: its turn on the node, the container's lock,
 * the phases in order, the output written to the store, and how the run ends */

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "paddock-event.h"
#include "paddock-job-run-phases-private.h"

/* The lock is held while the job runs; a job whose process dies frees it at once (the store sees
 * the process is gone), so the expiry is only a last resort. */
#define LOCK_SECONDS (24 * 3600)
#define CLAIM_RETRY_MS 1000
#define FLUSH_DELAY_MS 200
#define MAX_LINE_BYTES (16 * 1024)
#define PASSWORD_LENGTH 24

G_DEFINE_FINAL_TYPE (PaddockJobRun, paddock_job_run, G_TYPE_OBJECT)

typedef struct
{
  PaddockJobStream  stream;
  char             *line;
} PendingLine;

static void
pending_line_free (gpointer data)
{
  PendingLine *pending = data;

  g_free (pending->line);
  g_free (pending);
}

static void
paddock_job_run_dispose (GObject *object)
{
  PaddockJobRun *self = PADDOCK_JOB_RUN (object);

  g_clear_handle_id (&self->claim_id, g_source_remove);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_handle_id (&self->cancel_poll_id, g_source_remove);
  g_clear_object (&self->watcher);
  g_clear_object (&self->pct);

  G_OBJECT_CLASS (paddock_job_run_parent_class)->dispose (object);
}

static void
paddock_job_run_finalize (GObject *object)
{
  PaddockJobRun *self = PADDOCK_JOB_RUN (object);

  g_clear_object (&self->cluster);
  g_clear_object (&self->job);
  g_clear_object (&self->waits);
  g_clear_pointer (&self->password, paddock_secret_free);
  g_free (self->work_dir);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->managers, g_strfreev);
  g_clear_pointer (&self->scripts, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (paddock_job_run_parent_class)->finalize (object);
}

static void
paddock_job_run_class_init (PaddockJobRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_job_run_dispose;
  object_class->finalize = paddock_job_run_finalize;
}

static void
paddock_job_run_init (PaddockJobRun *self)
{
  self->waits = g_cancellable_new ();
  self->pending = g_ptr_array_new_with_free_func (pending_line_free);
}

PaddockJobRun *
_paddock_job_run_new (PaddockProvisioner *provisioner,
                      PaddockCluster     *cluster,
                      PaddockJob         *job,
                      PaddockJobPhase     from)
{
  PaddockJobRun *self = g_object_new (PADDOCK_TYPE_JOB_RUN, NULL);

  self->provisioner = provisioner;
  self->cluster = g_object_ref (cluster);
  self->job = g_object_ref (job);
  /* A retry past connecting makes sure first that the container runs and has booted. */
  self->from = from > PADDOCK_JOB_PHASE_CONNECTING ? PADDOCK_JOB_PHASE_STARTING : from;
  self->resume_at = from;
  self->work_dir = _paddock_provision_work_dir (paddock_job_get_id (job));

  return self;
}

PaddockJob *
_paddock_job_run_get_job (PaddockJobRun *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB_RUN (self), NULL);

  return self->job;
}

PaddockStore *
_paddock_job_run_get_store (PaddockJobRun *self)
{
  return _paddock_provisioner_get_store (self->provisioner);
}

PaddockPveClient *
_paddock_job_run_get_client (PaddockJobRun *self)
{
  return paddock_cluster_get_client (self->cluster);
}

/* ------------------------------------------------------------------------------------------- */
/* Output: shown at once, written to the store in batches                                      */

static void flush_output (PaddockJobRun *self);

static void
on_output_appended (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_store_append_job_output_finish (PADDOCK_STORE (object), result, &error))
    g_warning ("Job %" G_GINT64_FORMAT ": its output could not be saved: %s",
               paddock_job_get_id (self->job), error->message);

  self->flushing = FALSE;
  flush_output (self);
}

/* Writes the oldest run of lines of one stream; the next run follows when it is written. */
static void
flush_output (PaddockJobRun *self)
{
  g_autoptr(GPtrArray) lines = NULL;
  PaddockJobStream stream;
  guint count = 0;

  if (self->flushing)
    return;
  if (self->pending->len == 0)
    {
      /* The run waits for its output before it says it ended. */
      if (self->finishing)
        _paddock_job_run_complete (self);
      return;
    }

  stream = ((PendingLine *) self->pending->pdata[0])->stream;
  lines = g_ptr_array_new_with_free_func (g_free);
  while (count < self->pending->len && count < 500 && ((PendingLine *) self->pending->pdata[count])->stream == stream)
    {
      g_ptr_array_add (lines, g_steal_pointer (&((PendingLine *) self->pending->pdata[count])->line));
      count++;
    }
  g_ptr_array_remove_range (self->pending, 0, count);
  g_ptr_array_add (lines, NULL);

  self->flushing = TRUE;
  paddock_store_append_job_output_async (_paddock_job_run_get_store (self), paddock_job_get_id (self->job), stream,
                                         (const char * const *) lines->pdata, NULL, on_output_appended,
                                         g_object_ref (self));
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  PaddockJobRun *self = user_data;

  self->flush_id = 0;
  flush_output (self);

  return G_SOURCE_REMOVE;
}

void
_paddock_job_run_output (PaddockJobRun    *self,
                         PaddockJobStream  stream,
                         const char       *line)
{
  g_autofree char *valid = NULL;
  PendingLine *pending;
  gsize length = strlen (line);

  /* One line is at most 16 KiB in the history (a minified file cat'ed by a script). */
  if (length > MAX_LINE_BYTES)
    {
      g_autofree char *cut = g_strndup (line, MAX_LINE_BYTES);

      valid = g_strdup_printf ("%s… (%" G_GSIZE_FORMAT " bytes cut)", cut, length - MAX_LINE_BYTES);
    }
  else
    valid = g_utf8_make_valid (line, length);

  _paddock_job_add_output (self->job, stream, valid);

  pending = g_new0 (PendingLine, 1);
  pending->stream = stream;
  pending->line = g_steal_pointer (&valid);
  g_ptr_array_add (self->pending, pending);
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_DELAY_MS, on_flush_timeout, self);
}

void
_paddock_job_run_note (PaddockJobRun *self,
                       const char    *format,
                       ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  _paddock_job_run_output (self, PADDOCK_JOB_STREAM_NOTE, line);
}

/* ------------------------------------------------------------------------------------------- */
/* The job's row                                                                               */

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!paddock_store_update_job_finish (PADDOCK_STORE (object), result, &error))
    g_warning ("A provisioning job could not be saved: %s", error->message);
}

/* Saved in the order of the calls: the store has one writer. */
void
_paddock_job_run_save (PaddockJobRun *self)
{
  /* The plan is written when the run starts (a retry may have refreshed it), not with every step. */
  g_autoptr(PaddockJobRecord) record = _paddock_job_to_record (self->job, !self->plan_saved);

  self->plan_saved = TRUE;

  paddock_store_update_job_async (_paddock_job_run_get_store (self), record, NULL, on_saved, NULL);
}

static void
add_event (PaddockJobRun *self,
           PaddockEvent  *event)
{
  paddock_store_add_event_async (_paddock_job_run_get_store (self), event, NULL, NULL, NULL);
  g_object_unref (event);
}

void
_paddock_job_run_set_lifecycle (PaddockJobRun    *self,
                                PaddockLifecycle  lifecycle)
{
  PaddockManagedContainer container = {
    .connection_id = paddock_job_get_connection_id (self->job),
    .node = (char *) paddock_job_get_node (self->job),
    .vmid = paddock_job_get_vmid (self->job),
    .hostname = (char *) paddock_job_get_hostname (self->job),
    .template_id = paddock_job_get_plan (self->job)->template_id,
    .created_at = paddock_job_get_created_at (self->job),
    .lifecycle = lifecycle,
  };

  paddock_store_save_managed_container_async (_paddock_job_run_get_store (self), &container, NULL, NULL, NULL);
}

/* ------------------------------------------------------------------------------------------- */
/* How a run ends                                                                              */

static void
on_unlocked (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_store_release_lock_finish (PADDOCK_STORE (object), result, &error))
    g_warning ("CT %u: the provisioning lock could not be released: %s", paddock_job_get_vmid (self->job),
               error->message);

  self->finishing = TRUE;
  flush_output (self);
}

static void
on_final_state_saved (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GError) error = NULL;

  if (!paddock_store_update_job_finish (PADDOCK_STORE (object), result, &error))
    g_warning ("Job %" G_GINT64_FORMAT ": its end could not be saved: %s", paddock_job_get_id (self->job),
               error->message);

  if (self->failure != NULL)
    g_task_return_error (task, g_steal_pointer (&self->failure));
  else
    g_task_return_boolean (task, TRUE);
}

/* Once the output is written: the job's final state, written before anyone hears of the end (a
 * paddockctl that exits then must not leave the job "running" for the next to call interrupted). */
void
_paddock_job_run_complete (PaddockJobRun *self)
{
  g_autoptr(PaddockJobRecord) record = NULL;

  if (self->task == NULL || self->completing)
    return;
  self->completing = TRUE;

  _paddock_job_end_run (self->job);
  if (self->failure != NULL)
    _paddock_job_set_state (self->job, g_error_matches (self->failure, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_CANCELLED)
                                       ? PADDOCK_JOB_CANCELLED : PADDOCK_JOB_FAILED);
  else
    _paddock_job_set_state (self->job, PADDOCK_JOB_SUCCEEDED);

  record = _paddock_job_to_record (self->job, FALSE);
  paddock_store_update_job_async (_paddock_job_run_get_store (self), record, NULL, on_final_state_saved,
                                  g_object_ref (self));
}

static void
end_run (PaddockJobRun *self)
{
  _paddock_job_end_phase (self->job);
  g_clear_handle_id (&self->claim_id, g_source_remove);
  g_clear_handle_id (&self->cancel_poll_id, g_source_remove);
  g_clear_object (&self->watcher);

  if (self->locked)
    {
      self->locked = FALSE;
      paddock_store_release_lock_async (_paddock_job_run_get_store (self), paddock_job_get_connection_id (self->job),
                                        paddock_job_get_vmid (self->job), NULL, on_unlocked, g_object_ref (self));
      return;
    }

  self->finishing = TRUE;
  flush_output (self);
}

/* Stops the run: the job failed at its phase with @error's message and its last lines. */
void
_paddock_job_run_fail (PaddockJobRun *self,
                       GError        *error)
{
  PaddockJob *job = self->job;
  g_autofree char *tail = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;
  guint n = g_list_model_get_n_items (paddock_job_get_items (job));
  gboolean cancelled = g_error_matches (error, PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_CANCELLED);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockJobItem) item = g_list_model_get_item (paddock_job_get_items (job), i);

      if (paddock_job_item_get_status (item) == PADDOCK_JOB_ITEM_RUNNING)
        _paddock_job_item_set_status (item, cancelled ? PADDOCK_JOB_ITEM_PENDING : PADDOCK_JOB_ITEM_FAILED,
                                      paddock_job_item_get_detail (item));
    }

  tail = paddock_job_dup_last_lines (job, 10);
  _paddock_job_set_message (job, error->message);
  _paddock_job_run_note (self, "%s at %s: %s", cancelled ? "Cancelled" : "Failed",
                         paddock_job_phase_to_string (paddock_job_get_phase (job)), error->message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "job");
  json_builder_add_int_value (builder, paddock_job_get_id (job));
  json_builder_set_member_name (builder, "phase");
  json_builder_add_string_value (builder, paddock_job_phase_to_string (paddock_job_get_phase (job)));
  json_builder_set_member_name (builder, "output");
  json_builder_add_string_value (builder, tail);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  details = json_to_string (root, FALSE);
  add_event (self, paddock_event_new_described (paddock_job_get_connection_id (job), paddock_job_get_vmid (job),
                                                PADDOCK_EVENT_PROVISION_FAILED, details,
                                                cancelled ? "provision-cancelled" : "provision-failed",
                                                "phase", paddock_job_phase_to_string (paddock_job_get_phase (job)),
                                                "error", error->message, NULL));
  if (_paddock_job_get_created (job))
    _paddock_job_run_set_lifecycle (self, PADDOCK_LIFECYCLE_ERROR);

  g_clear_error (&self->failure);
  self->failure = error;
  end_run (self);
}

void
_paddock_job_run_fail_printf (PaddockJobRun *self,
                              const char    *format,
                              ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_FAILED, format, args);
  va_end (args);

  _paddock_job_run_fail (self, error);
}

void
_paddock_job_run_succeed (PaddockJobRun *self)
{
  g_autofree char *message = NULL;
  const char *address = paddock_job_get_address (self->job);

  _paddock_job_set_percent (self->job, 100);
  _paddock_job_set_message (self->job, address ? "Ready" : "Ready (its address is not known yet)");
  message = g_strdup_printf ("Provisioned from %s%s%s", paddock_job_get_plan (self->job)->template_name
                             ? paddock_job_get_plan (self->job)->template_name : "scratch",
                             address ? ", at " : "", address ? address : "");
  _paddock_job_run_note (self, "Done: %s", message);
  add_event (self, paddock_event_new_described (paddock_job_get_connection_id (self->job),
                                                paddock_job_get_vmid (self->job),
                                                PADDOCK_EVENT_PROVISION_SUCCEEDED, NULL, "provisioned",
                                                "template", paddock_job_get_plan (self->job)->template_name,
                                                "address", address, NULL));
  _paddock_job_run_set_lifecycle (self, PADDOCK_LIFECYCLE_READY);

  end_run (self);
}

/* Whether the run stops here because it was cancelled (then it has ended). */
gboolean
_paddock_job_run_stop_if_cancelled (PaddockJobRun *self)
{
  if (!self->cancel_requested)
    return FALSE;

  {
    g_autofree char *doing = g_utf8_strdown (paddock_job_phase_describe (paddock_job_get_phase (self->job)), -1);

    _paddock_job_run_fail (self, g_error_new (PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_CANCELLED,
                                              "Cancelled while %s", doing));
  }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------- */
/* Waits: the share of the run spent on Proxmox tasks and container commands                   */

void
_paddock_job_run_begin_wait (PaddockJobRun *self)
{
  self->wait_started = g_get_monotonic_time ();
}

void
_paddock_job_run_end_wait (PaddockJobRun *self,
                           gboolean       task)
{
  if (self->wait_started != 0)
    _paddock_job_add_wait (self->job, task, g_get_monotonic_time () - self->wait_started);
  self->wait_started = 0;
}

/* Follows a Proxmox task, its log into the job's output. */
static void
on_task_line (PaddockTaskWatcher *watcher,
              guint               number,
              const char         *line,
              gpointer            user_data)
{
  _paddock_job_run_output (user_data, PADDOCK_JOB_STREAM_TASK, line);
}

void
_paddock_job_run_watch_task (PaddockJobRun       *self,
                             const char          *upid,
                             guint                timeout_seconds,
                             GAsyncReadyCallback  callback)
{
  g_autoptr(GError) error = NULL;
  guint first_ms, max_ms;

  g_clear_object (&self->watcher);
  if (!(self->watcher = paddock_task_watcher_new (_paddock_job_run_get_client (self), upid, &error)))
    {
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }
  _paddock_provisioner_get_poll_interval (self->provisioner, &first_ms, &max_ms);
  paddock_task_watcher_set_poll_interval (self->watcher, first_ms, max_ms);
  g_signal_connect_object (self->watcher, "log-line", G_CALLBACK (on_task_line), self, 0);
  _paddock_job_run_begin_wait (self);
  paddock_task_watcher_wait_async (self->watcher, timeout_seconds, NULL, callback, g_object_ref (self));
}

/* The task's end: TRUE when it ended well; otherwise the run has failed with its log. */
gboolean
_paddock_job_run_task_finish (PaddockJobRun *self,
                              GAsyncResult  *result,
                              const char    *what)
{
  g_autoptr(PaddockTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  _paddock_job_run_end_wait (self, TRUE);
  if (!(info = paddock_task_watcher_wait_finish (self->watcher, result, &error)))
    {
      _paddock_job_run_fail_printf (self, "%s: %s", what, error->message);
      return FALSE;
    }
  if (g_strcmp0 (info->exitstatus, "OK") != 0)
    {
      _paddock_job_run_fail_printf (self, "%s failed: %s", what, info->exitstatus ? info->exitstatus : "no exit status");
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------------------------- */
/* Phases                                                                                      */

void
_paddock_job_run_phase (PaddockJobRun   *self,
                        PaddockJobPhase  phase)
{
  static void (* const run_phase[]) (PaddockJobRun *) = {
    _paddock_job_run_creating, _paddock_job_run_starting, _paddock_job_run_connecting,
    _paddock_job_run_packages, _paddock_job_run_scripts, _paddock_job_run_files, _paddock_job_run_finalizing,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (run_phase) == PADDOCK_N_JOB_PHASES);

  if (_paddock_job_run_stop_if_cancelled (self))
    return;

  _paddock_job_enter_phase (self->job, phase);
  self->index = self->sub_index = 0;
  _paddock_job_run_note (self, "— %s —", paddock_job_phase_describe (phase));
  _paddock_job_run_save (self);
  run_phase[phase] (self);
}

void
_paddock_job_run_next_phase (PaddockJobRun *self)
{
  PaddockJobPhase phase = paddock_job_get_phase (self->job);
  guint last;

  paddock_job_phase_get_range (phase, NULL, &last);
  _paddock_job_set_percent (self->job, last);
  _paddock_job_end_phase (self->job);

  if (phase == PADDOCK_JOB_PHASE_FINALIZING)
    _paddock_job_run_succeed (self);
  else if (phase == PADDOCK_JOB_PHASE_CONNECTING && self->resume_at > PADDOCK_JOB_PHASE_PACKAGES)
    _paddock_job_run_phase (self, self->resume_at);
  else
    _paddock_job_run_phase (self, phase + 1);
}

/* ------------------------------------------------------------------------------------------- */
/* Its turn on the node, the lock, the root password                                           */

static void claim (PaddockJobRun *self);

static gboolean
on_claim_retry (gpointer user_data)
{
  PaddockJobRun *self = user_data;

  self->claim_id = 0;
  claim (self);

  return G_SOURCE_REMOVE;
}

static void
start_phases (PaddockJobRun *self)
{
  _paddock_job_run_save (self);
  _paddock_job_run_phase (self, self->from);
}

/* 24 characters from an alphabet that survives every shell and form encoding unquoted. */
static PaddockSecret *
generate_password (void)
{
  static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_";
  guint8 random[PASSWORD_LENGTH];
  char *password = g_malloc0 (PASSWORD_LENGTH + 1);
  gsize filled = 0;

  while (filled < sizeof random)
    {
      ssize_t got = getrandom (random + filled, sizeof random - filled, 0);

      if (got > 0)
        filled += got;
    }

  /* 59 letters: the modulo bias of a byte is small and a 24-letter password has ~141 bits. */
  for (guint i = 0; i < PASSWORD_LENGTH; i++)
    password[i] = alphabet[random[i] % (sizeof alphabet - 1)];
  explicit_bzero (random, sizeof random);

  return password;
}

static void
on_password_stored (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_secrets_store_finish (PADDOCK_SECRETS (object), result, &error))
    {
      _paddock_job_run_fail_printf (self, "The root password could not be kept in the keyring: %s", error->message);
      return;
    }

  _paddock_job_run_note (self, "A root password was generated and kept in the keyring");
  start_phases (self);
}

static void
on_password_found (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *key = NULL;

  self->password = paddock_secrets_lookup_finish (PADDOCK_SECRETS (object), result, &error);
  if (error != NULL)
    {
      _paddock_job_run_fail_printf (self, "The keyring could not be read: %s", error->message);
      return;
    }
  if (self->password != NULL)
    {
      start_phases (self);
      return;
    }

  self->password = generate_password ();
  label = g_strdup_printf ("Root password of CT %u (%s)", paddock_job_get_vmid (self->job),
                           paddock_job_get_hostname (self->job));
  key = g_strdup_printf ("%u", paddock_job_get_vmid (self->job));
  paddock_secrets_store_async (_paddock_provisioner_get_secrets (self->provisioner), PADDOCK_SECRET_ROOT_PASSWORD,
                               paddock_job_get_connection_id (self->job), NULL, key, label, self->password, NULL,
                               on_password_stored, g_object_ref (self));
}

static void
on_locked (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (!paddock_store_acquire_lock_finish (PADDOCK_STORE (object), result, &error))
    {
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }
  self->locked = TRUE;

  if (_paddock_job_run_stop_if_cancelled (self))
    return;

  /* The password is only needed to create the container; a resumed job past that needs none. */
  if (self->from != PADDOCK_JOB_PHASE_CREATING)
    {
      start_phases (self);
      return;
    }

  key = g_strdup_printf ("%u", paddock_job_get_vmid (self->job));
  paddock_secrets_lookup_async (_paddock_provisioner_get_secrets (self->provisioner), PADDOCK_SECRET_ROOT_PASSWORD,
                                paddock_job_get_connection_id (self->job), NULL, key, NULL, on_password_found,
                                g_object_ref (self));
}

static void
on_claimed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;
  guint waiting = 0;

  if (!paddock_store_claim_job_finish (PADDOCK_STORE (object), result, &waiting, &error))
    {
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  if (waiting > 0)
    {
      if (_paddock_job_run_stop_if_cancelled (self))
        return;
      if (waiting != self->waiting)
        {
          g_autofree char *message = g_strdup_printf (g_dngettext (NULL, "Waiting for %u job on %s to finish",
                                                                   "Waiting: %u jobs on %s are before this one",
                                                                   waiting),
                                                      waiting, paddock_job_get_node (self->job));

          self->waiting = waiting;
          _paddock_job_set_message (self->job, message);
          _paddock_job_run_note (self, "%s", message);
          _paddock_job_run_save (self);
        }
      self->claim_id = g_timeout_add (CLAIM_RETRY_MS, on_claim_retry, self);
      return;
    }

  _paddock_job_set_state (self->job, PADDOCK_JOB_RUNNING);
  paddock_store_acquire_lock_async (PADDOCK_STORE (object), paddock_job_get_connection_id (self->job),
                                    paddock_job_get_vmid (self->job), paddock_job_get_hostname (self->job),
                                    "provisioning", LOCK_SECONDS, NULL, on_locked, g_object_ref (self));
}

static void
claim (PaddockJobRun *self)
{
  paddock_store_claim_job_async (_paddock_job_run_get_store (self), paddock_job_get_id (self->job),
                                 PADDOCK_PROVISIONER_MAX_PER_NODE, NULL, on_claimed, g_object_ref (self));
}

static void
on_cancel_polled (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(PaddockJobRecord) record = paddock_store_get_job_finish (PADDOCK_STORE (object), result, NULL);

  self->cancel_polling = FALSE;
  if (record != NULL && record->cancel_requested && self->task != NULL && !self->finishing)
    _paddock_job_run_cancel (self);
}

/* paddockctl job cancel, or another window, asks through the store. */
static gboolean
poll_cancel (gpointer user_data)
{
  PaddockJobRun *self = user_data;

  if (!self->cancel_polling && !self->cancel_requested)
    {
      self->cancel_polling = TRUE;
      paddock_store_get_job_async (_paddock_job_run_get_store (self), paddock_job_get_id (self->job), NULL,
                                   on_cancel_polled, g_object_ref (self));
    }

  return G_SOURCE_CONTINUE;
}

void
_paddock_job_run_run_async (PaddockJobRun       *self,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (PADDOCK_IS_JOB_RUN (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, _paddock_job_run_run_async);

  _paddock_job_begin_run (self->job);
  _paddock_job_set_state (self->job, PADDOCK_JOB_QUEUED);
  _paddock_job_set_message (self->job, "Waiting for its turn");
  _paddock_job_run_save (self);
  self->cancel_poll_id = g_timeout_add_seconds (1, poll_cancel, self);
  claim (self);
}

gboolean
_paddock_job_run_run_finish (PaddockJobRun  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_paddock_job_run_cancel (PaddockJobRun *self)
{
  g_return_if_fail (PADDOCK_IS_JOB_RUN (self));

  if (self->cancel_requested || self->task == NULL)
    return;
  self->cancel_requested = TRUE;
  _paddock_job_run_note (self, "Cancel requested: the job stops after the current command");

  /* A job still waiting for its turn stops at once. */
  if (self->claim_id != 0)
    {
      g_clear_handle_id (&self->claim_id, g_source_remove);
      _paddock_job_run_stop_if_cancelled (self);
    }
}

void
_paddock_job_run_wake (PaddockJobRun *self)
{
  g_return_if_fail (PADDOCK_IS_JOB_RUN (self));

  if (self->claim_id != 0)
    {
      g_clear_handle_id (&self->claim_id, g_source_remove);
      claim (self);
    }
}
