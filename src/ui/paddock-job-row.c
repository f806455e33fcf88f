/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-row.c: one provisioning job in the jobs list */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-job-row.h"

struct _PaddockJobRow
{
  AdwActionRow    parent_instance;

  PaddockJob     *job;
  GtkLabel       *badge;
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (PaddockJobRow, paddock_job_row, ADW_TYPE_ACTION_ROW)

const char *
paddock_job_state_describe (PaddockJob *job)
{
  if (paddock_job_get_elsewhere (job) && !paddock_job_is_finished (job))
    /* Translators: a job that another Paddock window or paddockctl runs */
    return _("running elsewhere");

  switch (paddock_job_get_state (job))
    {
    case PADDOCK_JOB_QUEUED:
      return _("waiting");
    case PADDOCK_JOB_RUNNING:
      return _("running");
    case PADDOCK_JOB_SUCCEEDED:
      return _("ready");
    case PADDOCK_JOB_FAILED:
      return _("failed");
    case PADDOCK_JOB_INTERRUPTED:
      return _("interrupted");
    case PADDOCK_JOB_CANCELLED:
      return _("cancelled");
    default:
      return "";
    }
}

const char *
paddock_job_state_css_class (PaddockJob *job)
{
  switch (paddock_job_get_state (job))
    {
    case PADDOCK_JOB_SUCCEEDED:
      return "running";
    case PADDOCK_JOB_FAILED:
      return "error";
    case PADDOCK_JOB_INTERRUPTED:
    case PADDOCK_JOB_CANCELLED:
      return "warning";
    case PADDOCK_JOB_QUEUED:
    case PADDOCK_JOB_RUNNING:
    default:
      return "stopped";
    }
}

static void
update (PaddockJobRow *self)
{
  PaddockJob *job = self->job;
  const PaddockJobPlan *plan = paddock_job_get_plan (job);
  g_autofree char *subtitle = NULL;
  const char *message = paddock_job_get_message (job);
  static const char *classes[] = { "running", "stopped", "error", "warning" };

  /* Translators: a job's subtitle: "CT 123 on pve1 from web · Installing packages" */
  subtitle = g_strdup_printf (_("CT %u on %s from %s · %s"), plan->vmid, plan->node,
                              plan->template_name ? plan->template_name : _("scratch"), message ? message : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  gtk_label_set_text (self->badge, paddock_job_state_describe (job));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->badge), paddock_job_state_css_class (job));

  gtk_widget_set_visible (GTK_WIDGET (self->progress), !paddock_job_is_finished (job));
  gtk_progress_bar_set_fraction (self->progress, paddock_job_get_percent (job) / 100.0);
}

static void
paddock_job_row_dispose (GObject *object)
{
  PaddockJobRow *self = PADDOCK_JOB_ROW (object);

  g_clear_object (&self->job);

  G_OBJECT_CLASS (paddock_job_row_parent_class)->dispose (object);
}

static void
paddock_job_row_class_init (PaddockJobRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = paddock_job_row_dispose;
}

static void
paddock_job_row_init (PaddockJobRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  self->badge = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->badge), "status-badge");
  gtk_widget_set_halign (GTK_WIDGET (self->badge), GTK_ALIGN_END);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->progress), 120, -1);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->badge));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 2);
}

GtkWidget *
paddock_job_row_new (PaddockJob *job)
{
  PaddockJobRow *self;

  g_return_val_if_fail (PADDOCK_IS_JOB (job), NULL);

  self = g_object_new (PADDOCK_TYPE_JOB_ROW, NULL);
  self->job = g_object_ref (job);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), paddock_job_get_hostname (job));
  g_signal_connect_object (job, "notify::state", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::percent", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (job, "notify::message", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);

  return GTK_WIDGET (self);
}

PaddockJob *
paddock_job_row_get_job (PaddockJobRow *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB_ROW (self), NULL);

  return self->job;
}
