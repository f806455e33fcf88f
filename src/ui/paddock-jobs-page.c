/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-jobs-page.c: every provisioning job, newest first */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-job-row.h"
#include "paddock-jobs-page.h"

struct _PaddockJobsPage
{
  AdwBin              parent_instance;

  PaddockProvisioner *provisioner;

  /* Template widgets */
  AdwHeaderBar       *header_bar;
  GtkButton          *back_button;
  GtkStack           *stack;
  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (PaddockJobsPage, paddock_jobs_page, ADW_TYPE_BIN)

enum {
  JOB_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GtkWidget *row = paddock_job_row_new (item);
  g_autofree char *name = g_strdup_printf ("job-%" G_GINT64_FORMAT, paddock_job_get_id (item));

  gtk_widget_set_name (row, name);
  return row;
}

static void
update_stack (PaddockJobsPage *self)
{
  GListModel *jobs = self->provisioner ? paddock_provisioner_get_jobs (self->provisioner) : NULL;

  gtk_stack_set_visible_child_name (self->stack, jobs && g_list_model_get_n_items (jobs) ? "list" : "empty");
}

static void
on_row_activated (PaddockJobsPage *self,
                  GtkListBoxRow   *row)
{
  g_signal_emit (self, signals[JOB_ACTIVATED], 0, paddock_job_row_get_job (PADDOCK_JOB_ROW (row)));
}

static void
paddock_jobs_page_dispose (GObject *object)
{
  PaddockJobsPage *self = PADDOCK_JOBS_PAGE (object);

  g_clear_object (&self->provisioner);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_JOBS_PAGE);

  G_OBJECT_CLASS (paddock_jobs_page_parent_class)->dispose (object);
}

static void
paddock_jobs_page_class_init (PaddockJobsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_jobs_page_dispose;

  signals[JOB_ACTIVATED] = g_signal_new ("job-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                         NULL, NULL, G_TYPE_NONE, 1, PADDOCK_TYPE_JOB);

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-jobs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockJobsPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobsPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobsPage, list_box);
}

static void
paddock_jobs_page_init (PaddockJobsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (on_row_activated), self, G_CONNECT_SWAPPED);
  update_stack (self);
}

void
paddock_jobs_page_set_provisioner (PaddockJobsPage    *self,
                                   PaddockProvisioner *provisioner)
{
  GListModel *jobs;

  g_return_if_fail (PADDOCK_IS_JOBS_PAGE (self));

  if (!g_set_object (&self->provisioner, provisioner))
    return;

  jobs = provisioner ? paddock_provisioner_get_jobs (provisioner) : NULL;
  gtk_list_box_bind_model (self->list_box, jobs, create_row, self, NULL);
  if (jobs != NULL)
    g_signal_connect_object (jobs, "items-changed", G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
  update_stack (self);
}
