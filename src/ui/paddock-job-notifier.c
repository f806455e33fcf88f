/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-notifier.c: a notification when a job ends unseen; the app lives while jobs run */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-job-notifier.h"

struct _PaddockJobNotifier
{
  GObject             parent_instance;

  GtkApplication     *application;   /* unowned: it owns the notifier */
  PaddockProvisioner *provisioner;
  PaddockSettings    *settings;
  GHashTable         *held;          /* PaddockJob → itself: jobs that keep the application running */
};

G_DEFINE_FINAL_TYPE (PaddockJobNotifier, paddock_job_notifier, G_TYPE_OBJECT)

static gboolean
any_window_active (PaddockJobNotifier *self)
{
  for (GList *l = gtk_application_get_windows (self->application); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data) && gtk_widget_get_visible (l->data))
      return TRUE;

  return FALSE;
}

static void
notify_end (PaddockJobNotifier *self,
            PaddockJob         *job)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = g_strdup_printf ("job-%" G_GINT64_FORMAT, paddock_job_get_id (job));
  const PaddockJobPlan *plan = paddock_job_get_plan (job);

  if (!paddock_settings_get_notifications (self->settings) || any_window_active (self))
    return;

  switch (paddock_job_get_state (job))
    {
    case PADDOCK_JOB_SUCCEEDED:
      /* Translators: a notification's title, "web1 Is Ready" */
      title = g_strdup_printf (_("%s Is Ready"), plan->hostname);
      body = paddock_job_get_address (job)
             ? g_strdup_printf (_("CT %u on %s, at %s"), plan->vmid, plan->node, paddock_job_get_address (job))
             : g_strdup_printf (_("CT %u on %s"), plan->vmid, plan->node);
      break;
    case PADDOCK_JOB_CANCELLED:
      title = g_strdup_printf (_("Creating %s Was Cancelled"), plan->hostname);
      body = g_strdup (paddock_job_get_message (job));
      break;
    case PADDOCK_JOB_FAILED:
    default:
      title = g_strdup_printf (_("Creating %s Failed"), plan->hostname);
      body = g_strdup (paddock_job_get_message (job));
      break;
    }

  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_priority (notification, paddock_job_get_state (job) == PADDOCK_JOB_SUCCEEDED
                                             ? G_NOTIFICATION_PRIORITY_NORMAL : G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-job", "x", paddock_job_get_id (job));
  g_application_send_notification (G_APPLICATION (self->application), id, notification);
}

static void
on_job_state (PaddockJobNotifier *self,
              GParamSpec         *pspec,
              PaddockJob         *job)
{
  gboolean runs_here = !paddock_job_is_finished (job) && !paddock_job_get_elsewhere (job);

  /* Closing the last window does not end a job: the application waits for it. */
  if (runs_here && !g_hash_table_contains (self->held, job))
    {
      g_hash_table_add (self->held, g_object_ref (job));
      g_application_hold (G_APPLICATION (self->application));
    }
  else if (!runs_here && g_hash_table_remove (self->held, job))
    {
      if (paddock_job_is_finished (job))
        notify_end (self, job);
      g_application_release (G_APPLICATION (self->application));
    }
}

static void
on_jobs_changed (PaddockJobNotifier *self,
                 guint               position,
                 guint               removed,
                 guint               added,
                 GListModel         *jobs)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PaddockJob) job = g_list_model_get_item (jobs, i);

      g_signal_connect_object (job, "notify::state", G_CALLBACK (on_job_state), self, G_CONNECT_SWAPPED);
      on_job_state (self, NULL, job);
    }
}

static void
paddock_job_notifier_dispose (GObject *object)
{
  PaddockJobNotifier *self = PADDOCK_JOB_NOTIFIER (object);

  if (self->held != NULL)
    {
      for (guint i = g_hash_table_size (self->held); i > 0; i--)
        g_application_release (G_APPLICATION (self->application));
      g_clear_pointer (&self->held, g_hash_table_unref);
    }
  g_clear_object (&self->provisioner);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (paddock_job_notifier_parent_class)->dispose (object);
}

static void
paddock_job_notifier_class_init (PaddockJobNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = paddock_job_notifier_dispose;
}

static void
paddock_job_notifier_init (PaddockJobNotifier *self)
{
  self->held = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

PaddockJobNotifier *
paddock_job_notifier_new (GtkApplication     *application,
                          PaddockProvisioner *provisioner,
                          PaddockSettings    *settings)
{
  PaddockJobNotifier *self;
  GListModel *jobs;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PADDOCK_IS_PROVISIONER (provisioner), NULL);

  self = g_object_new (PADDOCK_TYPE_JOB_NOTIFIER, NULL);
  self->application = application;
  self->provisioner = g_object_ref (provisioner);
  self->settings = g_object_ref (settings);
  jobs = paddock_provisioner_get_jobs (provisioner);
  g_signal_connect_object (jobs, "items-changed", G_CALLBACK (on_jobs_changed), self, G_CONNECT_SWAPPED);
  on_jobs_changed (self, 0, 0, g_list_model_get_n_items (jobs), jobs);

  return self;
}
