/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window-jobs.c: the main window's provisioning jobs: the sidebar entry with its count,
 * the jobs list, a job's page, and the way from a job to its container */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-create-wizard.h"
#include "paddock-window-private.h"

/* The row of the sidebar: a count of the jobs that have not ended. */
static void
update_jobs_row (PaddockWindow *self)
{
  GtkListBoxRow *row = NULL;
  GListModel *jobs;
  guint active = 0;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->connections_list, i)) != NULL; i++)
    if (_paddock_window_jobs_is_sidebar_row (row))
      break;
  if (row == NULL || self->provisioner == NULL)
    return;

  jobs = paddock_provisioner_get_jobs (self->provisioner);
  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(PaddockJob) job = g_list_model_get_item (jobs, i);

      active += !paddock_job_is_finished (job);
    }

  {
    GtkLabel *count = g_object_get_data (G_OBJECT (row), "count");
    g_autofree char *text = g_strdup_printf ("%u", active);
    /* Translators: under "Jobs" in the sidebar */
    g_autofree char *running = g_strdup_printf (ngettext ("%u running", "%u running", active),
                                                active);

    gtk_label_set_text (count, text);
    gtk_widget_set_visible (GTK_WIDGET (count), active > 0);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), active > 0 ? running : "");
  }
}

void
_paddock_window_jobs_sync_guests (PaddockWindow *self)
{
  GListModel *jobs;

  if (self->provisioner == NULL || self->workspace == NULL)
    return;

  /* Finished jobs first: a container made again by a newer job shows the newer one. */
  jobs = paddock_provisioner_get_jobs (self->provisioner);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
      {
        g_autoptr(PaddockJob) job = g_list_model_get_item (jobs, i);
        gint64 connection_id = paddock_job_get_connection_id (job);
        PaddockCluster *cluster = paddock_workspace_find_cluster (self->workspace, connection_id);
        PaddockGuest *guest = cluster ? paddock_cluster_lookup (cluster, paddock_job_get_vmid (job))
                                      : NULL;
        gboolean finished = paddock_job_is_finished (job);

        if (guest != NULL && finished == (pass == 0))
          paddock_guest_set_provisioning (guest,
                                          finished ? -1 : (int) paddock_job_get_percent (job));
      }
}

static void
on_job_state (PaddockWindow *self)
{
  update_jobs_row (self);
  _paddock_window_jobs_sync_guests (self);
}

static void
on_jobs_changed (PaddockWindow *self,
                 guint          position,
                 guint          removed,
                 guint          added,
                 GListModel    *jobs)
{
  PaddockJob *shown;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PaddockJob) job = g_list_model_get_item (jobs, i);

      g_signal_connect_object (job, "notify::state", G_CALLBACK (on_job_state), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (job, "notify::percent",
                               G_CALLBACK (_paddock_window_jobs_sync_guests), self,
                               G_CONNECT_SWAPPED);
    }
  update_jobs_row (self);

  /* The job on its page was kept or its container deleted (here or elsewhere). */
  shown = paddock_job_page_get_job (self->job_page);
  if (shown != NULL
      && paddock_provisioner_find_job (self->provisioner, paddock_job_get_id (shown)) == NULL)
    {
      GtkWidget *visible = adw_leaflet_get_visible_child (ADW_LEAFLET (self->content));

      paddock_job_page_set_job (self->job_page, NULL, NULL, NULL);
      if (visible == GTK_WIDGET (self->job_page))
        _paddock_window_show_content_page (self, GTK_WIDGET (self->jobs_page));
    }
}

GtkWidget *
_paddock_window_jobs_add_sidebar_row (PaddockWindow *self)
{
  GtkWidget *row, *count;

  if (self->provisioner == NULL)
    return NULL;

  row = _paddock_window_add_sidebar_row (self, "system-run-symbolic", _("Jobs"), NULL, 0, NULL);
  gtk_widget_set_name (row, "jobs");
  g_object_set_data (G_OBJECT (row), "jobs", GINT_TO_POINTER (TRUE));
  count = gtk_label_new (NULL);
  gtk_widget_add_css_class (count, "status-badge");
  gtk_widget_add_css_class (count, "stopped");
  gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);
  g_object_set_data (G_OBJECT (row), "count", count);
  update_jobs_row (self);

  return row;
}

gboolean
_paddock_window_jobs_is_sidebar_row (GtkListBoxRow *row)
{
  return row != NULL && g_object_get_data (G_OBJECT (row), "jobs") != NULL;
}

void
_paddock_window_jobs_show (PaddockWindow *self)
{
  _paddock_window_show_content_page (self, GTK_WIDGET (self->jobs_page));
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* The sidebar says where the user is (without taking them elsewhere). */
static void
select_jobs_row (PaddockWindow *self)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->connections_list, i)) != NULL; i++)
    if (_paddock_window_jobs_is_sidebar_row (row))
      {
        self->updating_sidebar = TRUE;
        gtk_list_box_select_row (self->connections_list, row);
        self->updating_sidebar = FALSE;
        return;
      }
}

void
_paddock_window_jobs_show_job (PaddockWindow *self,
                               PaddockJob    *job)
{
  paddock_job_page_set_job (self->job_page, self->provisioner, self->settings, job);
  _paddock_window_show_content_page (self, GTK_WIDGET (self->job_page));
  adw_leaflet_set_visible_child (self->leaflet, self->content);

  select_jobs_row (self);
}

static void
on_job_activated (PaddockWindow *self,
                  PaddockJob    *job)
{
  _paddock_window_jobs_show_job (self, job);
}

static void
on_job_forgotten (PaddockWindow *self)
{
  paddock_job_page_set_job (self->job_page, NULL, NULL, NULL);
  _paddock_window_jobs_show (self);
}

/* The container of a job: shown once the list has it (a refresh first, it may be new). */
typedef struct
{
  PaddockWindow *self;
  gint64         connection_id;
  guint          vmid;
} OpenContainer;

static void
on_refreshed_for_open (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  OpenContainer *open = user_data;
  PaddockWindow *self = open->self;
  PaddockCluster *cluster = PADDOCK_CLUSTER (object);
  g_autoptr(GError) error = NULL;
  PaddockGuest *guest;

  paddock_cluster_refresh_finish (cluster, result, &error);
  guest = paddock_cluster_lookup (cluster, open->vmid);
  if (guest != NULL)
    _paddock_window_show_guest (self, guest);
  else
    {
      g_autofree char *text = g_strdup_printf (_("CT %u is not in the list of its cluster"),
                                               open->vmid);

      paddock_window_show_toast (self, text);
    }

  g_object_unref (self);
  g_free (open);
}

/* Opens the container's page, refreshing its cluster first when the list does not have it yet
 * (a container a job has just made). */
void
paddock_window_show_container (PaddockWindow *self,
                               gint64         connection_id,
                               guint          vmid)
{
  PaddockCluster *cluster = self->workspace
                            ? paddock_workspace_find_cluster (self->workspace, connection_id)
                            : NULL;
  PaddockGuest *guest;
  OpenContainer *open;

  if (cluster == NULL)
    return;
  if ((guest = paddock_cluster_lookup (cluster, vmid)) != NULL)
    {
      _paddock_window_show_guest (self, guest);
      return;
    }

  open = g_new0 (OpenContainer, 1);
  open->self = g_object_ref (self);
  open->connection_id = connection_id;
  open->vmid = vmid;
  paddock_cluster_refresh_async (cluster, self->cancellable, on_refreshed_for_open, open);
}

void
_paddock_window_jobs_set_provisioner (PaddockWindow      *self,
                                      PaddockProvisioner *provisioner)
{
  GListModel *jobs;

  if (self->provisioner == provisioner)
    return;

  if (self->provisioner != NULL)
    g_signal_handlers_disconnect_by_data (paddock_provisioner_get_jobs (self->provisioner), self);
  g_set_object (&self->provisioner, provisioner);
  paddock_jobs_page_set_provisioner (self->jobs_page, provisioner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-container", provisioner != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-jobs", provisioner != NULL);
  if (provisioner == NULL)
    return;

  jobs = paddock_provisioner_get_jobs (provisioner);
  g_signal_connect_object (jobs, "items-changed", G_CALLBACK (on_jobs_changed), self,
                           G_CONNECT_SWAPPED);
  on_jobs_changed (self, 0, 0, g_list_model_get_n_items (jobs), jobs);
  if (self->workspace != NULL)
    _paddock_window_rebuild_sidebar (self);
}

static void
show_jobs_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);

  if (self->provisioner == NULL)
    return;

  _paddock_window_jobs_show (self);
  select_jobs_row (self);
}

static void
on_wizard_created (PaddockCreateWizard *wizard,
                   PaddockJob          *job,
                   PaddockWindow       *self)
{
  _paddock_window_jobs_show_job (self, job);
}

static void
new_container_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PaddockWindow *self = PADDOCK_WINDOW (widget);
  PaddockCreateWizard *wizard;

  if (self->provisioner == NULL || self->workspace == NULL)
    return;

  wizard = paddock_create_wizard_new (GTK_WINDOW (self), self->provisioner,
                                      parameter ? g_variant_get_int64 (parameter) : 0);
  g_signal_connect_object (wizard, "created", G_CALLBACK (on_wizard_created), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
}

void
_paddock_window_jobs_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-jobs", NULL, show_jobs_action);
  gtk_widget_class_install_action (widget_class, "win.new-container", NULL, new_container_action);
  gtk_widget_class_install_action (widget_class, "win.new-container-from-template", "x",
                                   new_container_action);
  gtk_widget_class_install_action (widget_class, "win.new-container-from", "x",
                                   new_container_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.new-container", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, GDK_CONTROL_MASK, "win.show-jobs",
                                       NULL);
}

void
_paddock_window_jobs_init (PaddockWindow *self)
{
  g_signal_connect_object (self->jobs_page, "job-activated", G_CALLBACK (on_job_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job_page, "forgotten", G_CALLBACK (on_job_forgotten), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->job_page, "open-container",
                           G_CALLBACK (paddock_window_show_container), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-container", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-jobs", FALSE);
}

void
_paddock_window_jobs_dispose (PaddockWindow *self)
{
  if (self->provisioner != NULL)
    g_signal_handlers_disconnect_by_data (paddock_provisioner_get_jobs (self->provisioner), self);
  g_clear_object (&self->provisioner);
}

void
paddock_window_show_job (PaddockWindow *self,
                         gint64         job_id)
{
  PaddockJob *job;

  g_return_if_fail (PADDOCK_IS_WINDOW (self));

  if (self->provisioner == NULL)
    return;
  if ((job = paddock_provisioner_find_job (self->provisioner, job_id)) != NULL)
    _paddock_window_jobs_show_job (self, job);
  else
    _paddock_window_jobs_show (self);
}
