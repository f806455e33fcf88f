/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-run-proxmox.c: the phases Proxmox does: creating and starting the container */

#include "config.h"

#include <string.h>

#include "paddock-job-run-phases-private.h"

/* Creating extracts the OS template (a large one on slow storage takes minutes). */
#define CREATE_TASK_SECONDS 900
#define START_TASK_SECONDS 120

/* ------------------------------------------------------------------------------------------- */
/* creating                                                                                    */

static void
on_created (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autofree char *message = NULL;
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);

  if (!_paddock_job_run_task_finish (self, result, "The create task"))
    return;

  _paddock_job_set_created (self->job, TRUE);
  _paddock_job_run_set_lifecycle (self, PADDOCK_LIFECYCLE_CREATING);
  message = g_strdup_printf ("CT %u (%s) created on %s", plan->vmid, plan->hostname, plan->node);
  _paddock_job_run_note (self, "%s", message);
  {
    g_autofree char *vmid = g_strdup_printf ("%u", plan->vmid);
    g_autoptr(PaddockEvent) event = paddock_event_new_described (plan->connection_id, plan->vmid,
                                                                 PADDOCK_EVENT_PROVISION_STEP, NULL, "container-created",
                                                                 "vmid", vmid, "hostname", plan->hostname,
                                                                 "node", plan->node, NULL);

    paddock_store_add_event_async (_paddock_job_run_get_store (self), event, NULL, NULL, NULL);
  }
  _paddock_job_run_next_phase (self);
}

static void
on_create_posted (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *upid = NULL;

  _paddock_job_run_end_wait (self, TRUE);
  if (!(upid = paddock_pve_client_create_guest_finish (PADDOCK_PVE_CLIENT (object), result, &error)))
    {
      g_prefix_error (&error, "Proxmox refused to create the container: ");
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  /* Saved before the wait: a job resumed after a crash finds out from this task what happened. */
  _paddock_job_set_upid (self->job, upid);
  _paddock_job_set_percent (self->job, 5);
  _paddock_job_run_save (self);
  _paddock_job_run_watch_task (self, upid, CREATE_TASK_SECONDS, on_created);
}

static void
post_create (PaddockJobRun *self,
             const char    *ostemplate)
{
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);
  g_autoptr(PaddockPveParams) params = NULL;
  g_autoptr(PaddockPveParams) shown = NULL;
  g_autofree char *display = NULL;

  if (self->password == NULL)
    {
      _paddock_job_run_fail_printf (self, "There is no root password for CT %u", plan->vmid);
      return;
    }

  params = paddock_job_plan_to_create_params (plan, ostemplate, self->password);
  shown = paddock_job_plan_to_create_params (plan, ostemplate, NULL);
  display = paddock_pve_params_to_display (shown);
  _paddock_job_set_create_params (self->job, display);
  _paddock_job_run_note (self, "POST /nodes/%s/lxc (CT %u from %s)", plan->node, plan->vmid, ostemplate);
  _paddock_job_run_save (self);

  _paddock_job_run_begin_wait (self);
  paddock_pve_client_create_guest_async (_paddock_job_run_get_client (self), plan->node, params, NULL,
                                         on_create_posted, g_object_ref (self));
}

/* Finds the newest downloaded template the plan's pattern names ("debian-12-standard"),
 * storage by storage. */
typedef struct
{
  PaddockJobRun *run;
  GPtrArray     *storages;  /* char * */
  guint          next;
  GPtrArray     *volids;    /* char * */
} TemplateSearch;

static void
template_search_free (TemplateSearch *search)
{
  g_object_unref (search->run);
  g_ptr_array_unref (search->storages);
  g_ptr_array_unref (search->volids);
  g_free (search);
}

static void search_next_storage (TemplateSearch *search);

static void
on_storage_content (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TemplateSearch *search = user_data;
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(GError) error = NULL;

  if (!(volumes = paddock_pve_client_get_storage_content_finish (PADDOCK_PVE_CLIENT (object), result, &error)))
    _paddock_job_run_note (search->run, "The templates of storage %s could not be listed: %s",
                           (char *) search->storages->pdata[search->next - 1], error->message);
  for (guint i = 0; volumes != NULL && i < volumes->len; i++)
    g_ptr_array_add (search->volids, g_strdup (((PaddockVolume *) volumes->pdata[i])->volid));

  search_next_storage (search);
}

static void
search_next_storage (TemplateSearch *search)
{
  PaddockJobRun *self = search->run;
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);
  g_autofree char *volid = NULL;

  if (search->next < search->storages->len)
    {
      const char *storage = search->storages->pdata[search->next++];

      paddock_pve_client_get_storage_content_async (_paddock_job_run_get_client (self), plan->node, storage, "vztmpl",
                                                    NULL, on_storage_content, search);
      return;
    }

  volid = paddock_pick_os_template (plan->os_template, search->volids);
  if (volid == NULL)
    {
      _paddock_job_run_fail (self, g_error_new (PADDOCK_JOB_ERROR, PADDOCK_JOB_ERROR_NO_TEMPLATE,
                                                "No OS template on %s matches “%s”: download it to the node first",
                                                plan->node, plan->os_template));
      template_search_free (search);
      return;
    }

  _paddock_job_run_note (self, "OS template “%s” is %s", plan->os_template, volid);
  post_create (self, volid);
  template_search_free (search);
}

static void
on_template_storages (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GPtrArray) storages = NULL;
  g_autoptr(GError) error = NULL;
  TemplateSearch *search;

  if (!(storages = paddock_pve_client_get_storages_finish (PADDOCK_PVE_CLIENT (object), result, &error)))
    {
      g_prefix_error (&error, "The storages of %s could not be listed: ", paddock_job_get_node (self->job));
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  search = g_new0 (TemplateSearch, 1);
  search->run = g_object_ref (self);
  search->storages = g_ptr_array_new_with_free_func (g_free);
  search->volids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < storages->len; i++)
    {
      PaddockStorage *storage = storages->pdata[i];

      if (storage->active)
        g_ptr_array_add (search->storages, g_strdup (storage->storage));
    }

  search_next_storage (search);
}

static void
resolve_template (PaddockJobRun *self)
{
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);

  if (paddock_job_plan_has_volid (plan))
    {
      post_create (self, plan->os_template);
      return;
    }

  paddock_pve_client_get_storages_async (_paddock_job_run_get_client (self), plan->node, "vztmpl", NULL,
                                         on_template_storages, g_object_ref (self));
}

/* A resumed job whose create task was sent: did it make the container? */
static void
on_earlier_create_status (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(PaddockTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = paddock_pve_client_get_task_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (info != NULL && info->running)
    {
      _paddock_job_run_note (self, "The create task sent before is still running: waiting for it");
      _paddock_job_run_watch_task (self, _paddock_job_get_upid (self->job), 900, on_created);
      return;
    }
  if (info != NULL && g_strcmp0 (info->exitstatus, "OK") == 0)
    {
      _paddock_job_run_note (self, "The create task sent before succeeded");
      _paddock_job_set_created (self->job, TRUE);
      _paddock_job_run_next_phase (self);
      return;
    }

  /* It failed (Proxmox removed what it made), or Proxmox forgot it: create again. */
  _paddock_job_set_upid (self->job, NULL);
  resolve_template (self);
}

static void
on_existing_status (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;

  status = paddock_pve_client_get_guest_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (status != NULL)
    {
      _paddock_job_run_note (self, "CT %u exists already (this job made it)", paddock_job_get_vmid (self->job));
      _paddock_job_run_next_phase (self);
      return;
    }
  if (!g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND))
    {
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  _paddock_job_run_note (self, "CT %u is gone: creating it again", paddock_job_get_vmid (self->job));
  _paddock_job_set_created (self->job, FALSE);
  _paddock_job_set_upid (self->job, NULL);
  resolve_template (self);
}

void
_paddock_job_run_creating (PaddockJobRun *self)
{
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);

  if (_paddock_job_get_created (self->job))
    paddock_pve_client_get_guest_status_async (_paddock_job_run_get_client (self), plan->node, plan->vmid, NULL,
                                               on_existing_status, g_object_ref (self));
  else if (_paddock_job_get_upid (self->job) != NULL)
    paddock_pve_client_get_task_status_async (_paddock_job_run_get_client (self), _paddock_job_get_upid (self->job),
                                              NULL, on_earlier_create_status, g_object_ref (self));
  else
    resolve_template (self);
}

/* ------------------------------------------------------------------------------------------- */
/* starting                                                                                    */

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;

  if (!_paddock_job_run_task_finish (self, result, "The start task"))
    return;

  _paddock_job_run_next_phase (self);
}

static void
on_start_posted (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *upid = NULL;

  _paddock_job_run_end_wait (self, TRUE);
  if (!(upid = paddock_pve_client_guest_action_finish (PADDOCK_PVE_CLIENT (object), result, &error)))
    {
      g_prefix_error (&error, "Proxmox did not start the container: ");
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  _paddock_job_run_watch_task (self, upid, START_TASK_SECONDS, on_started);
}

static void
on_status_before_start (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);

  if (!(status = paddock_pve_client_get_guest_status_finish (PADDOCK_PVE_CLIENT (object), result, &error)))
    {
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }
  if (g_strcmp0 (json_object_get_string_member_with_default (status, "status", ""), "running") == 0)
    {
      _paddock_job_run_note (self, "CT %u is running already", plan->vmid);
      _paddock_job_run_next_phase (self);
      return;
    }

  _paddock_job_run_begin_wait (self);
  paddock_pve_client_guest_action_async (_paddock_job_run_get_client (self), plan->node, plan->vmid,
                                         PADDOCK_GUEST_ACTION_START, 0, NULL, on_start_posted, g_object_ref (self));
}

void
_paddock_job_run_starting (PaddockJobRun *self)
{
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);

  paddock_pve_client_get_guest_status_async (_paddock_job_run_get_client (self), plan->node, plan->vmid, NULL,
                                             on_status_before_start, g_object_ref (self));
}
