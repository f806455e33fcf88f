/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-page.c: one provisioning job: steps, items, output, and what to do when it stopped */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-clipboard.h"
#include "paddock-job-page.h"
#include "paddock-job-row.h"
#include "paddock-line-view.h"

/* The output is read from the store, the one place that has all of it in order: lines are shown
 * once whether the job runs here, in another window or in paddockctl. */
#define OUTPUT_READ_DELAY_MS 250
#define TICK_SECONDS 1

struct _PaddockJobPage
{
  AdwBin              parent_instance;

  PaddockProvisioner *provisioner;
  PaddockSettings    *settings;
  PaddockJob         *job;
  GCancellable       *cancellable;
  gint64              last_seq;
  gboolean            reading;
  gboolean            read_again;
  guint               read_source;
  guint               tick_source;
  GPtrArray          *phase_rows;      /* AdwActionRow, one per phase */

  /* Template widgets */
  AdwViewSwitcherTitle *switcher_title;
  GtkButton          *cancel_button;
  GtkLabel           *name_label;
  GtkLabel           *origin_label;
  GtkLabel           *state_label;
  GtkLabel           *message_label;
  GtkLabel           *tail_label;
  GtkProgressBar     *progress_bar;
  GtkWidget          *stopped_box;
  GtkWidget          *ready_box;
  AdwViewStack       *view_stack;
  GtkListBox         *phases_list;
  AdwPreferencesGroup *items_group;
  GtkListBox         *items_list;
  AdwPreferencesGroup *params_group;
  GtkLabel           *params_label;
  GtkSearchEntry     *search_entry;
  PaddockLineView    *line_view;
  GtkLabel           *count_label;
};

G_DEFINE_FINAL_TYPE (PaddockJobPage, paddock_job_page, ADW_TYPE_BIN)

enum {
  OPEN_CONTAINER,
  FORGOTTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_read (PaddockJobPage *self);

static void
toast (PaddockJobPage *self,
       const char     *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

/* ------------------------------------------------------------------------------------------- */
/* Status icons: the same for a step and an item                                              */

static void
set_status_icon (GtkWidget            *row,
                 PaddockJobItemStatus  status)
{
  GtkImage *image = g_object_get_data (G_OBJECT (row), "status-image");
  GtkSpinner *spinner = g_object_get_data (G_OBJECT (row), "status-spinner");
  const char *icon = NULL;
  const char *description = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (image), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (image), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (image), "dim-label");
  switch (status)
    {
    case PADDOCK_JOB_ITEM_DONE:
      icon = "object-select-symbolic";
      description = _("Done");
      gtk_widget_add_css_class (GTK_WIDGET (image), "success");
      break;
    case PADDOCK_JOB_ITEM_SKIPPED:
      icon = "object-select-symbolic";
      description = _("Nothing to do");
      gtk_widget_add_css_class (GTK_WIDGET (image), "dim-label");
      break;
    case PADDOCK_JOB_ITEM_FAILED:
      icon = "dialog-error-symbolic";
      description = _("Failed");
      gtk_widget_add_css_class (GTK_WIDGET (image), "error");
      break;
    case PADDOCK_JOB_ITEM_RUNNING:
      description = _("Running");
      break;
    case PADDOCK_JOB_ITEM_PENDING:
    default:
      icon = "content-loading-symbolic";
      description = _("Not yet");
      gtk_widget_add_css_class (GTK_WIDGET (image), "dim-label");
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (spinner), icon == NULL);
  gtk_spinner_set_spinning (spinner, icon == NULL);
  gtk_widget_set_visible (GTK_WIDGET (image), icon != NULL);
  if (icon != NULL)
    gtk_image_set_from_icon_name (image, icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  g_object_set_data (G_OBJECT (row), "status", GUINT_TO_POINTER (status));
}

static GtkWidget *
new_status_row (const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *spinner = gtk_spinner_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_widget_set_size_request (box, 16, 16);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "status-image", image);
  g_object_set_data (G_OBJECT (row), "status-spinner", spinner);
  set_status_icon (row, PADDOCK_JOB_ITEM_PENDING);

  return row;
}

/* ------------------------------------------------------------------------------------------- */
/* Items                                                                                       */

static void
update_item_row (GtkWidget *row)
{
  PaddockJobItem *item = g_object_get_data (G_OBJECT (row), "item");
  const char *detail = paddock_job_item_get_detail (item);
  g_autofree char *subtitle = NULL;
  const char *kind = NULL;

  switch (paddock_job_item_get_kind (item))
    {
    case PADDOCK_JOB_ITEM_PACKAGES:
      kind = _("packages");
      break;
    case PADDOCK_JOB_ITEM_SCRIPT:
      kind = _("script");
      break;
    case PADDOCK_JOB_ITEM_FILE:
    default:
      kind = _("file");
      break;
    }

  subtitle = detail ? g_strdup_printf ("%s · %s", kind, detail) : g_strdup (kind);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  set_status_icon (row, paddock_job_item_get_status (item));
}

static GtkWidget *
create_item_row (gpointer item,
                 gpointer user_data)
{
  GtkWidget *row = new_status_row (paddock_job_item_get_name (item));

  gtk_widget_set_name (row, paddock_job_item_get_name (item));
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (item, "notify::status", G_CALLBACK (update_item_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::detail", G_CALLBACK (update_item_row), row, G_CONNECT_SWAPPED);
  update_item_row (row);

  return row;
}

/* ------------------------------------------------------------------------------------------- */
/* The job's state                                                                             */

static char *
format_seconds (double seconds)
{
  if (seconds < 60)
    /* Translators: a step's duration */
    return g_strdup_printf (_("%.1f s"), seconds);

  /* Translators: a step's duration, minutes and seconds */
  return g_strdup_printf (_("%u min %02u s"), (guint) seconds / 60, (guint) seconds % 60);
}

static void
update_phases (PaddockJobPage *self)
{
  PaddockJobPhase current = paddock_job_get_phase (self->job);
  PaddockJobState state = paddock_job_get_state (self->job);

  for (guint p = 0; p < PADDOCK_N_JOB_PHASES; p++)
    {
      GtkWidget *row = self->phase_rows->pdata[p];
      GtkLabel *duration = g_object_get_data (G_OBJECT (row), "duration");
      double seconds = paddock_job_get_phase_seconds (self->job, p);
      PaddockJobItemStatus status = PADDOCK_JOB_ITEM_PENDING;
      g_autofree char *text = seconds > 0 ? format_seconds (seconds) : NULL;

      if (state == PADDOCK_JOB_SUCCEEDED || p < current)
        status = PADDOCK_JOB_ITEM_DONE;
      else if (p == current && state == PADDOCK_JOB_RUNNING)
        status = PADDOCK_JOB_ITEM_RUNNING;
      else if (p == current && paddock_job_is_stopped (self->job))
        status = PADDOCK_JOB_ITEM_FAILED;

      set_status_icon (row, status);
      gtk_label_set_text (duration, text ? text : "");
    }
}

#define TAIL_LINES 8

/* A stopped job shows why right away: its last lines, without a visit to Output. */
static void
update_tail (PaddockJobPage *self)
{
  gboolean stopped = self->job != NULL && paddock_job_is_stopped (self->job)
                     && paddock_line_view_get_n_lines (self->line_view) > 0;

  gtk_widget_set_visible (GTK_WIDGET (self->tail_label), stopped);
  if (stopped)
    {
      g_autofree char *tail = paddock_line_view_dup_last_lines (self->line_view, TAIL_LINES);

      gtk_label_set_text (self->tail_label, tail);
    }
}

static void
update_state (PaddockJobPage *self)
{
  PaddockJob *job = self->job;
  const PaddockJobPlan *plan;
  gboolean here;
  g_autofree char *subtitle = NULL;
  g_autofree char *progress = NULL;
  static const char *classes[] = { "running", "stopped", "error", "warning" };

  if (job == NULL)
    return;

  plan = paddock_job_get_plan (job);
  here = !paddock_job_get_elsewhere (job);
  adw_view_switcher_title_set_title (self->switcher_title, plan->hostname);
  /* Translators: the job page's subtitle, "CT 123 on pve1 from web" */
  subtitle = g_strdup_printf (_("CT %u on %s from %s"), plan->vmid, plan->node,
                              plan->template_name ? plan->template_name : _("scratch"));
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
  gtk_label_set_text (self->name_label, plan->hostname);
  gtk_label_set_text (self->origin_label, subtitle);

  gtk_label_set_text (self->state_label, paddock_job_state_describe (job));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), paddock_job_state_css_class (job));

  if (paddock_job_get_state (job) == PADDOCK_JOB_INTERRUPTED)
    gtk_label_set_text (self->message_label, _("Paddock was closed while this job ran. It can go on from the step it was in."));
  else
    gtk_label_set_text (self->message_label, paddock_job_get_message (job) ? paddock_job_get_message (job) : "");

  gtk_progress_bar_set_fraction (self->progress_bar, paddock_job_get_percent (job) / 100.0);
  /* Translators: the progress bar's text, "35 % · Installing packages" */
  progress = g_strdup_printf (_("%u %% · %s"), paddock_job_get_percent (job),
                              paddock_job_phase_describe (paddock_job_get_phase (job)));
  gtk_progress_bar_set_text (self->progress_bar, progress);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), !paddock_job_is_finished (job));

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !paddock_job_is_finished (job));
  gtk_widget_set_visible (self->stopped_box, paddock_job_is_stopped (job));
  gtk_widget_set_visible (self->ready_box, paddock_job_get_state (job) == PADDOCK_JOB_SUCCEEDED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.cancel", !paddock_job_is_finished (job));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.retry", here && paddock_job_is_stopped (job));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.delete-container", here && paddock_job_is_stopped (job));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.keep", here && paddock_job_is_stopped (job));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.open-container",
                                 paddock_job_get_state (job) == PADDOCK_JOB_SUCCEEDED);

  gtk_label_set_text (self->params_label, paddock_job_get_create_params (job) ? paddock_job_get_create_params (job) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->params_group), paddock_job_get_create_params (job) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->items_group), g_list_model_get_n_items (paddock_job_get_items (job)) > 0);

  update_phases (self);
  update_tail (self);
}

static gboolean
on_tick (gpointer user_data)
{
  PaddockJobPage *self = user_data;

  update_phases (self);
  /* A job another process runs writes its output there: read it as it comes. */
  schedule_read (self);

  return G_SOURCE_CONTINUE;
}

static void
on_state_changed (PaddockJobPage *self)
{
  update_state (self);
  if (paddock_job_is_finished (self->job))
    {
      g_clear_handle_id (&self->tick_source, g_source_remove);
      /* Its last lines. */
      schedule_read (self);
    }
  else if (self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (TICK_SECONDS, on_tick, self);
}

/* ------------------------------------------------------------------------------------------- */
/* Output                                                                                      */

static void
update_count (PaddockJobPage *self)
{
  g_autofree char *text = paddock_line_view_describe_count (self->line_view);

  gtk_label_set_text (self->count_label, text);
}

static void
on_output_read (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PaddockJobPage) self = user_data;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;

  lines = paddock_store_get_job_output_finish (PADDOCK_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading = FALSE;
  if (lines == NULL)
    {
      g_warning ("The output of job %" G_GINT64_FORMAT " could not be read: %s",
                 self->job ? paddock_job_get_id (self->job) : 0, error->message);
      return;
    }

  for (guint i = 0; i < lines->len; i++)
    {
      PaddockJobLine *line = lines->pdata[i];

      /* Paddock's own account of the job stands out from what commands printed. */
      if (line->stream == PADDOCK_JOB_STREAM_NOTE)
        {
          g_autofree char *note = g_strdup_printf ("▸ %s", line->line);

          paddock_line_view_append (self->line_view, note);
        }
      else
        paddock_line_view_append (self->line_view, line->line);
      self->last_seq = MAX (self->last_seq, line->seq);
    }

  if (self->read_again)
    {
      self->read_again = FALSE;
      schedule_read (self);
    }
}

static gboolean
read_output (gpointer user_data)
{
  PaddockJobPage *self = user_data;

  self->read_source = 0;
  if (self->job == NULL || self->provisioner == NULL)
    return G_SOURCE_REMOVE;

  self->reading = TRUE;
  paddock_store_get_job_output_async (paddock_workspace_get_store (paddock_provisioner_get_workspace (self->provisioner)),
                                      paddock_job_get_id (self->job), self->last_seq, self->cancellable,
                                      on_output_read, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_read (PaddockJobPage *self)
{
  if (self->reading)
    {
      self->read_again = TRUE;
      return;
    }
  if (self->read_source == 0)
    self->read_source = g_timeout_add (OUTPUT_READ_DELAY_MS, read_output, self);
}

static void
on_search_changed (PaddockJobPage *self)
{
  paddock_line_view_set_search (self->line_view, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* ------------------------------------------------------------------------------------------- */
/* Actions                                                                                     */

static void
on_cancelled (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PaddockJobPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_provisioner_cancel_finish (PADDOCK_PROVISIONER (object), result, &error))
    toast (self, error->message);
  else
    toast (self, _("The job stops after the command that runs now"));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (widget);

  paddock_provisioner_cancel_async (self->provisioner, self->job, NULL, on_cancelled, g_object_ref (self));
}

static void
on_retried (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockJobPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_provisioner_retry_finish (PADDOCK_PROVISIONER (object), result, &error))
    toast (self, error->message);
  on_state_changed (self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (widget);

  gtk_widget_action_set_enabled (widget, "job.retry", FALSE);
  paddock_provisioner_retry_async (self->provisioner, self->job, NULL, on_retried, g_object_ref (self));
}

static void
on_forgotten (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PaddockJobPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_get_source_tag (G_TASK (result)) == paddock_provisioner_keep_async
                ? paddock_provisioner_keep_finish (PADDOCK_PROVISIONER (object), result, &error)
                : paddock_provisioner_delete_container_finish (PADDOCK_PROVISIONER (object), result, &error);

  if (!ok)
    {
      toast (self, error->message);
      update_state (self);
      return;
    }

  g_signal_emit (self, signals[FORGOTTEN], 0);
}

static void
on_delete_confirmed (AdwMessageDialog *dialog,
                     const char       *response,
                     PaddockJobPage   *self)
{
  if (!g_str_equal (response, "delete") || self->job == NULL)
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.delete-container", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.keep", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.retry", FALSE);
  paddock_provisioner_delete_container_async (self->provisioner, self->job, NULL, on_forgotten, g_object_ref (self));
}

static void
delete_container_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (widget);
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);
  GtkWidget *dialog;
  g_autofree char *heading = g_strdup_printf (_("Delete CT %u (%s)?"), plan->vmid, plan->hostname);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("The container the job made is stopped and deleted with its disks. "
                                     "This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
keep_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (widget);

  paddock_provisioner_keep_async (self->provisioner, self->job, NULL, on_forgotten, g_object_ref (self));
}

static void
open_container_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (widget);

  g_signal_emit (self, signals[OPEN_CONTAINER], 0, paddock_job_get_connection_id (self->job),
                 paddock_job_get_vmid (self->job));
}

static void
on_copy_password (GtkButton *button,
                  GtkEditable *entry)
{
  PaddockJobPage *self = g_object_get_data (G_OBJECT (button), "page");
  guint delay = self->settings ? paddock_settings_get_clipboard_clear_delay (self->settings) : 30;
  g_autofree char *text = paddock_clipboard_copy_secret (GTK_WIDGET (button), gtk_editable_get_text (entry), delay);

  gtk_button_set_label (button, _("Copied"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), text);
}

static void
on_password_found (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PaddockJobPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockSecret) password = paddock_provisioner_lookup_root_password_finish (PADDOCK_PROVISIONER (object),
                                                                                       result, &error);
  g_autofree char *heading = NULL;
  GtkWidget *dialog, *box, *entry, *copy;

  if (password == NULL)
    {
      toast (self, error->message);
      return;
    }

  heading = g_strdup_printf (_("Root Password of %s"), paddock_job_get_hostname (self->job));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   _("Paddock generated it for the container and keeps it in the keyring."));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  gtk_editable_set_editable (GTK_EDITABLE (entry), FALSE);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Root password"), -1);
  copy = gtk_button_new_with_mnemonic (_("_Copy"));
  g_object_set_data (G_OBJECT (copy), "page", self);
  g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_password), entry);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), copy);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_password_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (widget);

  paddock_provisioner_lookup_root_password_async (self->provisioner, self->job, NULL, on_password_found,
                                                  g_object_ref (self));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "output");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ------------------------------------------------------------------------------------------- */

static void
disconnect_job (PaddockJobPage *self)
{
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->read_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  self->reading = self->read_again = FALSE;
  self->last_seq = 0;
}

static void
paddock_job_page_dispose (GObject *object)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (object);

  disconnect_job (self);
  g_clear_object (&self->provisioner);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_JOB_PAGE);

  G_OBJECT_CLASS (paddock_job_page_parent_class)->dispose (object);
}

static void
paddock_job_page_finalize (GObject *object)
{
  PaddockJobPage *self = PADDOCK_JOB_PAGE (object);

  g_ptr_array_unref (self->phase_rows);

  G_OBJECT_CLASS (paddock_job_page_parent_class)->finalize (object);
}

static void
paddock_job_page_class_init (PaddockJobPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_job_page_dispose;
  object_class->finalize = paddock_job_page_finalize;

  signals[OPEN_CONTAINER] = g_signal_new ("open-container", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_UINT);
  /**
   * PaddockJobPage::forgotten:
   *
   * The job is gone (kept or its container deleted): the page has nothing to show.
   */
  signals[FORGOTTEN] = g_signal_new ("forgotten", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 0);

  g_type_ensure (PADDOCK_TYPE_LINE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-job-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, origin_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, tail_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, stopped_box);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, ready_box);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, phases_list);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, items_group);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, items_list);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, params_group);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, params_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, line_view);
  gtk_widget_class_bind_template_child (widget_class, PaddockJobPage, count_label);

  gtk_widget_class_install_action (widget_class, "job.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "job.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "job.delete-container", NULL, delete_container_action);
  gtk_widget_class_install_action (widget_class, "job.keep", NULL, keep_action);
  gtk_widget_class_install_action (widget_class, "job.open-container", NULL, open_container_action);
  gtk_widget_class_install_action (widget_class, "job.show-password", NULL, show_password_action);
  gtk_widget_class_install_action (widget_class, "job.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "job.search", NULL);
}

static void
paddock_job_page_init (PaddockJobPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->phase_rows = g_ptr_array_new ();
  for (guint p = 0; p < PADDOCK_N_JOB_PHASES; p++)
    {
      GtkWidget *row = new_status_row (paddock_job_phase_describe (p));
      GtkWidget *duration = gtk_label_new (NULL);

      gtk_widget_add_css_class (duration, "dim-label");
      gtk_widget_add_css_class (duration, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), duration);
      g_object_set_data (G_OBJECT (row), "duration", duration);
      gtk_widget_set_name (row, paddock_job_phase_to_string (p));
      gtk_list_box_append (self->phases_list, row);
      g_ptr_array_add (self->phase_rows, row);
    }

  paddock_line_view_set_max_lines (self->line_view, PADDOCK_STORE_MAX_JOB_LINES);
  g_signal_connect_object (self->line_view, "changed", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->line_view, "changed", G_CALLBACK (update_tail), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self,
                           G_CONNECT_SWAPPED);
  update_count (self);
}

void
paddock_job_page_set_job (PaddockJobPage     *self,
                          PaddockProvisioner *provisioner,
                          PaddockSettings    *settings,
                          PaddockJob         *job)
{
  g_return_if_fail (PADDOCK_IS_JOB_PAGE (self));
  g_return_if_fail (job == NULL || PADDOCK_IS_JOB (job));

  if (job == self->job)
    return;

  disconnect_job (self);
  g_set_object (&self->provisioner, provisioner);
  g_set_object (&self->settings, settings);
  paddock_line_view_clear (self->line_view);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_list_box_bind_model (self->items_list, NULL, NULL, NULL, NULL);
  if (job == NULL)
    return;

  self->job = g_object_ref (job);
  self->cancellable = g_cancellable_new ();
  gtk_list_box_bind_model (self->items_list, paddock_job_get_items (job), create_item_row, self, NULL);
  g_signal_connect_swapped (job, "notify::state", G_CALLBACK (on_state_changed), self);
  g_signal_connect_swapped (job, "notify::phase", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (job, "notify::percent", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (job, "notify::message", G_CALLBACK (update_state), self);
  g_signal_connect_swapped (job, "output", G_CALLBACK (schedule_read), self);

  on_state_changed (self);
  paddock_line_view_scroll_to_end (self->line_view);
  read_output (self);
}

PaddockJob *
paddock_job_page_get_job (PaddockJobPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB_PAGE (self), NULL);

  return self->job;
}

GListModel *
paddock_job_page_get_output (PaddockJobPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_JOB_PAGE (self), NULL);

  return paddock_line_view_get_lines (self->line_view);
}
