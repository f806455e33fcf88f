/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-services-view.c: the Services tab: what runs in a container, and acting on it */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-clipboard.h"
#include "paddock-connection-dialog.h"
#include "paddock-format.h"
#include "paddock-host-key-dialog.h"
#include "paddock-log-window.h"
#include "paddock-service-row.h"
#include "paddock-ssh-problem.h"
#include "paddock-services-view.h"

struct _PaddockServicesView
{
  AdwBin              parent_instance;

  PaddockSettings    *settings;
  PaddockWorkspace   *workspace;
  PaddockCluster     *cluster;
  PaddockGuest       *guest;
  GCancellable       *cancellable;       /* of everything for the current guest */
  PaddockPct         *pct;
  PaddockProbeResult *result;            /* the last one shown (cache or probe) */
  GListStore         *apps;              /* PaddockService */
  GListStore         *system;
  GListStore         *all;               /* both, for tests */
  GPtrArray          *other_rows;
  gint64              probed_at;         /* unix seconds of what is shown; 0: nothing yet */
  gboolean            from_cache;
  gboolean            active;
  gboolean            probing;
  guint               busy;              /* the cache being read, a probe, actions */
  guint               refresh_source;
  guint               age_source;
  char               *message;

  /* Template widgets */
  GtkStack             *stack;
  GtkLabel             *summary_label;
  GtkSpinner           *spinner;
  GtkLabel             *notice_label;
  GtkListBox           *apps_list;
  AdwPreferencesGroup  *apps_group;
  AdwPreferencesGroup  *system_group;
  GtkListBox           *system_list;
  GtkToggleButton      *system_toggle;
  AdwPreferencesGroup  *other_group;
  AdwPreferencesGroup  *config_manager_group;
  AdwActionRow         *config_manager_row;
  AdwStatusPage        *status_page;
  GtkButton            *status_button;
};

G_DEFINE_FINAL_TYPE (PaddockServicesView, paddock_services_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void probe (PaddockServicesView *self);

/* Feedback */

static void
toast (PaddockServicesView *self,
       const char          *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *note;

  if (overlay == NULL)
    return;

  {
    /* A toast's title is markup in libadwaita 1.2; text from a container never is. */
    g_autofree char *escaped = g_markup_escape_text (text, -1);

    note = adw_toast_new (escaped);
  }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), note);
}

static void
begin_busy (PaddockServicesView *self)
{
  if (self->busy++ == 0)
    {
      gtk_spinner_set_spinning (self->spinner, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
end_busy (PaddockServicesView *self)
{
  g_return_if_fail (self->busy > 0);

  if (--self->busy == 0)
    {
      gtk_spinner_set_spinning (self->spinner, FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
show_message (PaddockServicesView *self,
              const char          *icon,
              const char          *title,
              const char          *description,
              const char          *button_label,
              const char          *button_action)
{
  g_free (self->message);
  self->message = g_strdup_printf ("%s\n%s", title, description ? description : "");
  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->status_button), button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (self->status_button, button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->status_button), button_action);
    }
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static void
update_summary (PaddockServicesView *self)
{
  guint apps = g_list_model_get_n_items (G_LIST_MODEL (self->apps));
  guint system = g_list_model_get_n_items (G_LIST_MODEL (self->system));
  gint64 age = g_get_real_time () / G_USEC_PER_SEC - self->probed_at;
  g_autofree char *counts = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (self->probed_at == 0)
    {
      gtk_label_set_text (self->summary_label, self->busy ? _("Looking inside the container…") : "");
      return;
    }

  {
    g_autofree char *apps_text = g_strdup_printf (ngettext ("%u application", "%u applications", apps), apps);
    g_autofree char *system_text = g_strdup_printf (ngettext ("%u system service", "%u system services", system),
                                                    system);

    /* Translators: "3 applications, 15 system services" */
    counts = g_strdup_printf (_("%s, %s"), apps_text, system_text);
  }

  if (age < 60)
    when = g_strdup (_("seen just now"));
  else
    {
      g_autofree char *duration = paddock_format_duration (age);

      /* Translators: "seen 5 min ago" */
      when = g_strdup_printf (_("seen %s ago"), duration);
    }

  text = self->from_cache
         /* Translators: services shown from the cache before Paddock looked again */
         ? g_strdup_printf (_("%s · %s (last time Paddock looked)"), counts, when)
         : g_strdup_printf ("%s · %s", counts, when);
  gtk_label_set_text (self->summary_label, text);

  {
    g_autofree char *title = g_strdup_printf (ngettext ("System Services (%u)", "System Services (%u)", system), system);

    adw_preferences_group_set_title (self->system_group, title);
  }
}

static gboolean
update_age (gpointer user_data)
{
  update_summary (PADDOCK_SERVICES_VIEW (user_data));
  return G_SOURCE_CONTINUE;
}

/* Showing a result: the same services keep their rows (and whether they are expanded) */

static void
sync_store (GListStore *store,
            GPtrArray  *wanted)
{
  for (guint i = 0; i < wanted->len; i++)
    {
      gpointer item = g_ptr_array_index (wanted, i);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
      guint found = G_MAXUINT;

      for (guint j = i; j < n; j++)
        {
          g_autoptr(GObject) current = g_list_model_get_item (G_LIST_MODEL (store), j);

          if (current == item)
            {
              found = j;
              break;
            }
        }

      if (found == i)
        continue;
      if (found != G_MAXUINT)
        g_list_store_remove (store, found);
      g_list_store_insert (store, i, item);
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (store)) > wanted->len)
    g_list_store_splice (store, wanted->len, g_list_model_get_n_items (G_LIST_MODEL (store)) - wanted->len, NULL, 0);
}

static PaddockService *
find_shown (PaddockServicesView *self,
            const char          *unit)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->all));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockService) service = g_list_model_get_item (G_LIST_MODEL (self->all), i);

      if (g_strcmp0 (paddock_service_get_unit (service), unit) == 0)
        return service;
    }

  return NULL;
}

static void
show_other_ports (PaddockServicesView *self)
{
  const char *address = paddock_probe_result_get_address (self->result);

  for (guint i = 0; i < self->other_rows->len; i++)
    adw_preferences_group_remove (self->other_group, g_ptr_array_index (self->other_rows, i));
  g_ptr_array_set_size (self->other_rows, 0);

  for (guint i = 0; i < self->result->other_ports->len; i++)
    {
      const PaddockPort *port = g_ptr_array_index (self->result->other_ports, i);
      g_autofree char *label = paddock_port_dup_label (port);
      g_autofree char *title = g_strdup_printf ("%s (%s)", label, port->protocol);
      g_autofree char *url = paddock_port_dup_url (port, address, FALSE);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), port->command ? port->command : _("a process Paddock may not see"));
      if (url != NULL)
        {
          GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open"));

          gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (open, url);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "svc.open-url");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", url);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
        }
      adw_preferences_group_add (self->other_group, row);
      g_ptr_array_add (self->other_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->other_group), self->other_rows->len > 0);
}

static void
show_config_manager (PaddockServicesView *self)
{
  PaddockProbeResult *result = self->result;
  g_autoptr(GString) text = g_string_new (NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->config_manager_group), result->config_manager);
  if (!result->config_manager)
    return;

  if (result->config_manager_last_run > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (result->config_manager_last_run);
      g_autofree char *formatted = g_date_time_format (when, "%x %X");

      /* Translators: "Last run 30/11/2026 05:30:00: success" */
      g_string_append_printf (text, _("Last run %s: %s"), formatted,
                              result->config_manager_result ? result->config_manager_result : "?");
    }
  else
    g_string_append (text, _("Not run since the container started"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->config_manager_row), text->str);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->config_manager_row),
                               result->config_manager_last_line ? result->config_manager_last_line
                                                                : _("Its log has no lines yet"));
}

static void
show_result (PaddockServicesView *self,
             PaddockProbeResult  *result,
             gboolean             from_cache)
{
  g_autoptr(GPtrArray) apps = g_ptr_array_new ();
  g_autoptr(GPtrArray) system = g_ptr_array_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  const char *address = paddock_probe_result_get_address (result);
  g_autoptr(GString) notice = g_string_new (NULL);

  for (guint i = 0; i < result->services->len; i++)
    {
      PaddockService *incoming = g_ptr_array_index (result->services, i);
      PaddockService *shown = find_shown (self, paddock_service_get_unit (incoming));

      /* A cache has no credential values: the probe that follows brings them. */
      if (shown != NULL)
        paddock_service_update_from (shown, incoming);
      else
        shown = incoming;

      g_ptr_array_add (paddock_service_get_system (shown) ? system : apps, shown);
      g_ptr_array_add (all, shown);
    }

  g_clear_pointer (&self->result, paddock_probe_result_unref);
  self->result = paddock_probe_result_ref (result);
  self->probed_at = result->probed_at;
  self->from_cache = from_cache;

  sync_store (self->apps, apps);
  sync_store (self->system, system);
  sync_store (self->all, all);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->apps_list)); child;
       child = gtk_widget_get_next_sibling (child))
    if (PADDOCK_IS_SERVICE_ROW (child))
      paddock_service_row_set_address (PADDOCK_SERVICE_ROW (child), address);

  show_other_ports (self);
  show_config_manager (self);

  if (result->missing && g_strv_contains ((const char * const *) result->missing, "systemd"))
    g_string_append (notice, _("This container does not run systemd: Paddock cannot list its services."));
  else if (result->missing && g_strv_contains ((const char * const *) result->missing, "ss"))
    g_string_append (notice, _("This container has no “ss” (iproute2): which ports the services use is unknown."));
  gtk_label_set_text (self->notice_label, notice->str);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), notice->len > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->apps_group), apps->len > 0 || notice->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->system_group), system->len > 0);
  g_clear_pointer (&self->message, g_free);
  gtk_stack_set_visible_child_name (self->stack, "services");
  update_summary (self);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (user_data);

  return paddock_service_row_new (PADDOCK_SERVICE (item),
                                  self->result ? paddock_probe_result_get_address (self->result) : NULL);
}

/* The cache, then a probe */

static void
on_cache_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PaddockServicesView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockProbeResult) cached = NULL;
  g_autofree char *payload = NULL;
  gint64 probed_at = 0;

  payload = paddock_store_load_service_cache_finish (PADDOCK_STORE (object), result, &probed_at, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  end_busy (self);

  /* Only when nothing newer arrived meanwhile. */
  if (payload == NULL || self->probed_at != 0)
    {
      update_summary (self);
      return;
    }

  if ((cached = paddock_probe_result_new_from_json (payload, NULL)) != NULL)
    show_result (self, cached, TRUE);
}

static void
save_to_cache (PaddockServicesView *self,
               PaddockProbeResult  *result)
{
  g_autofree char *payload = paddock_probe_result_to_json (result);

  paddock_store_save_service_cache_async (paddock_workspace_get_store (self->workspace),
                                          paddock_cluster_get_connection_id (self->cluster),
                                          paddock_guest_get_vmid (self->guest), payload, NULL, NULL, NULL);
}

static void
show_error (PaddockServicesView *self,
            const GError        *error)
{
  g_auto(PaddockSshProblem) problem = { 0 };

  if (paddock_ssh_problem_describe (error, paddock_guest_get_node (self->guest), &problem))
    {
      g_autofree char *action = g_strconcat ("svc.", problem.action, NULL);

      show_message (self, problem.icon, problem.title, problem.description, problem.button_label, action);
    }
  else if (g_error_matches (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_NOT_RUNNING))
    show_message (self, "media-playback-stop-symbolic", _("The Container Is Not Running"),
                  _("Start it to see what runs inside."), _("_Start"), "win.start");
  else if (self->probed_at != 0)
    {
      /* What was seen before stays; the notice says why it is not newer. */
      g_autofree char *text = g_strdup_printf (_("Could not look again: %s"), error->message);

      gtk_label_set_text (self->notice_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->notice_label), TRUE);
    }
  else
    show_message (self, "dialog-error-symbolic", _("Could Not Look Inside"), error->message, _("_Try Again"),
                  "svc.refresh");
}

static void
on_probed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockServicesView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockProbeResult) probed = paddock_probe_finish (PADDOCK_PCT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->probing = FALSE;
  end_busy (self);

  if (probed == NULL)
    {
      show_error (self, error);
      return;
    }

  show_result (self, probed, FALSE);
  save_to_cache (self, probed);
}

static void
on_pct (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PaddockServicesView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockPct) pct = paddock_node_sessions_open_finish (PADDOCK_NODE_SESSIONS (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (pct == NULL)
    {
      self->probing = FALSE;
      end_busy (self);
      show_error (self, error);
      return;
    }

  g_set_object (&self->pct, pct);
  paddock_probe_async (pct, paddock_guest_get_vmid (self->guest), self->cancellable, on_probed, g_object_ref (self));
}

static void
with_pct (PaddockServicesView *self)
{
  paddock_node_sessions_open_async (paddock_workspace_get_node_sessions (self->workspace), self->cluster,
                                    paddock_guest_get_node (self->guest), self->cancellable, on_pct,
                                    g_object_ref (self));
}

static void
probe (PaddockServicesView *self)
{
  if (self->guest == NULL || self->probing)
    return;

  if (paddock_guest_get_state (self->guest) != PADDOCK_GUEST_STATE_RUNNING)
    {
      show_error (self, &(GError) { PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_NOT_RUNNING, (char *) "" });
      return;
    }

  self->probing = TRUE;
  begin_busy (self);
  update_summary (self);
  with_pct (self);
}

static gboolean
refresh_timeout (gpointer user_data)
{
  PaddockServicesView *self = user_data;

  /* Only while someone looks at the tab. */
  if (self->active && gtk_widget_get_mapped (GTK_WIDGET (self)))
    probe (self);

  return G_SOURCE_CONTINUE;
}

static void
schedule_refresh (PaddockServicesView *self)
{
  guint interval = self->settings ? paddock_settings_get_services_refresh_interval (self->settings) : 60;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->active && self->guest != NULL)
    self->refresh_source = g_timeout_add_seconds (MAX (10, interval), refresh_timeout, self);
}

/* Actions */

typedef struct
{
  PaddockServicesView  *self;
  PaddockServiceAction  action;
  char                 *unit;
} ServiceAction;

static void
service_action_free (ServiceAction *run)
{
  g_object_unref (run->self);
  g_free (run->unit);
  g_free (run);
}

static void
record_event (PaddockServicesView *self,
              const char          *unit,
              PaddockServiceAction action,
              const GError        *error)
{
  g_autoptr(PaddockEvent) event = NULL;

  event = paddock_event_new_service_action (paddock_cluster_get_connection_id (self->cluster),
                                            paddock_guest_get_vmid (self->guest), unit,
                                            paddock_service_action_to_string (action), error ? error->message : NULL);
  paddock_store_add_event_async (paddock_workspace_get_store (self->workspace), event, NULL, NULL, NULL);
}

static void
on_service_action (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ServiceAction *run = user_data;
  PaddockServicesView *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok = paddock_service_action_finish (PADDOCK_PCT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      service_action_free (run);
      return;
    }
  end_busy (self);

  if (ok)
    message = g_strdup_printf (run->action == PADDOCK_SERVICE_START ? _("Started %s")
                               : run->action == PADDOCK_SERVICE_STOP ? _("Stopped %s") : _("Restarted %s"),
                               run->unit);
  else
    /* Translators: "Could not restart nginx.service: <systemctl's words>" */
    message = g_strdup_printf (_("Could not %s %s: %s"), paddock_service_action_to_string (run->action), run->unit,
                               error->message);

  record_event (self, run->unit, run->action, ok ? NULL : error);
  toast (self, message);
  probe (self);
  service_action_free (run);
}

static void
run_service_action (PaddockServicesView  *self,
                    PaddockServiceAction  action,
                    const char           *unit)
{
  ServiceAction *run;

  if (self->pct == NULL || self->guest == NULL)
    return;

  run = g_new0 (ServiceAction, 1);
  run->self = g_object_ref (self);
  run->action = action;
  run->unit = g_strdup (unit);
  begin_busy (self);
  paddock_service_action_async (self->pct, paddock_guest_get_vmid (self->guest), unit, action, self->cancellable,
                                on_service_action, run);
}

static void
on_stop_answer (AdwMessageDialog *dialog,
                const char       *response,
                gpointer          user_data)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (user_data);

  if (g_strcmp0 (response, "stop") == 0)
    run_service_action (self, PADDOCK_SERVICE_STOP, g_object_get_data (G_OBJECT (dialog), "unit"));
}

static void
service_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (widget);
  const char *unit = g_variant_get_string (parameter, NULL);

  if (g_str_equal (action_name, "svc.start"))
    run_service_action (self, PADDOCK_SERVICE_START, unit);
  else if (g_str_equal (action_name, "svc.restart"))
    run_service_action (self, PADDOCK_SERVICE_RESTART, unit);
  else
    {
      g_autofree char *name = paddock_guest_dup_display_name (self->guest);
      /* Translators: "Stop nginx.service in web?" */
      g_autofree char *heading = g_strdup_printf (_("Stop %s in %s?"), unit, name);
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                                  _("Whatever it serves stops answering until it is started again."));

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "stop", _("_Stop"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "unit", g_strdup (unit), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_stop_answer), self, G_CONNECT_DEFAULT);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
logs_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (widget);
  g_autofree char *name = NULL;
  PaddockLogWindow *window;

  if (self->pct == NULL || self->guest == NULL)
    return;

  name = paddock_guest_dup_display_name (self->guest);
  window = paddock_log_window_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->pct,
                                   paddock_guest_get_vmid (self->guest), name, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  paddock_services_view_refresh (PADDOCK_SERVICES_VIEW (widget));
}

static void
on_uri_launched (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PaddockServicesView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not open it: %s"), error->message);

      toast (self, text);
    }
}

static void
open_url_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_autoptr(GdkAppLaunchContext) context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));

  g_app_info_launch_default_for_uri_async (g_variant_get_string (parameter, NULL), G_APP_LAUNCH_CONTEXT (context),
                                           NULL, on_uri_launched, g_object_ref (widget));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (widget);
  guint delay = self->settings ? paddock_settings_get_clipboard_clear_delay (self->settings) : 30;
  /* The clipboard forgets a copied credential after a while, unless something else is on it by then. */
  g_autofree char *text = paddock_clipboard_copy_secret (widget, g_variant_get_string (parameter, NULL), delay);

  toast (self, text);
}

typedef struct
{
  PaddockServicesView *self;
  guint                pending;
  guint                saved;
  char                *error;
} SaveCredentials;

static void
on_credential_saved (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SaveCredentials *save = user_data;
  g_autoptr(GError) error = NULL;

  if (paddock_secrets_store_finish (PADDOCK_SECRETS (object), result, &error))
    save->saved++;
  else if (save->error == NULL)
    save->error = g_strdup (error->message);

  if (--save->pending > 0)
    return;

  if (save->error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not save to the keyring: %s"), save->error);

      toast (save->self, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Saved %u credential to the keyring",
                                                         "Saved %u credentials to the keyring", save->saved),
                                               save->saved);

      toast (save->self, text);
    }

  g_object_unref (save->self);
  g_free (save->error);
  g_free (save);
}

static void
save_credentials_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (widget);
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (parameter, NULL), "\n", 2);
  PaddockService *service = parts[0] && parts[1] ? find_shown (self, parts[0]) : NULL;
  g_autofree char *name = NULL;
  SaveCredentials *save;
  GPtrArray *files;

  if (service == NULL)
    return;

  name = paddock_guest_dup_display_name (self->guest);
  files = paddock_service_get_credentials (service);
  save = g_new0 (SaveCredentials, 1);
  save->self = g_object_ref (self);
  for (guint i = 0; i < files->len; i++)
    {
      const PaddockCredentialFile *file = g_ptr_array_index (files, i);

      if (!g_str_equal (file->path, parts[1]))
        continue;
      for (guint k = 0; file->keys && file->keys[k]; k++)
        {
          g_autofree char *key = g_strdup_printf ("%u:%s:%s", paddock_guest_get_vmid (self->guest), file->path,
                                                  file->keys[k]);
          /* Translators: a keyring item, "Paddock: ADMIN_PASSWORD of nginx in nginx-web (CT 130)" */
          g_autofree char *label = g_strdup_printf (_("Paddock: %s of %s in %s (CT %u)"), file->keys[k],
                                                    paddock_service_get_name (service), name,
                                                    paddock_guest_get_vmid (self->guest));

          save->pending++;
          paddock_secrets_store_async (paddock_workspace_get_secrets (self->workspace), PADDOCK_SECRET_CREDENTIAL,
                                       paddock_cluster_get_connection_id (self->cluster),
                                       paddock_guest_get_node (self->guest), key, label, file->values[k], NULL,
                                       on_credential_saved, save);
        }
    }

  if (save->pending == 0)
    {
      g_object_unref (save->self);
      g_free (save);
    }
}

static void
on_host_key_answer (gboolean trusted,
                    gpointer user_data)
{
  g_autoptr(PaddockServicesView) self = user_data;

  if (trusted)
    probe (self);
}

static void
trust_host_key_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (widget);

  if (self->pct == NULL)
    return;

  paddock_host_key_dialog_ask (GTK_WINDOW (gtk_widget_get_root (widget)), paddock_pct_get_session (self->pct),
                               paddock_guest_get_node (self->guest), FALSE, on_host_key_answer, g_object_ref (self));
}

static void
ssh_settings_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (widget);
  PaddockConnectionDialog *dialog;

  if (self->cluster == NULL)
    return;

  dialog = paddock_connection_dialog_new_for_edit (GTK_WINDOW (gtk_widget_get_root (widget)), self->workspace,
                                                   self->cluster);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The object */

static void
paddock_services_view_dispose (GObject *object)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->age_source, g_source_remove);
  g_clear_object (&self->settings);
  g_clear_object (&self->workspace);
  g_clear_object (&self->cluster);
  g_clear_object (&self->guest);
  g_clear_object (&self->pct);
  g_clear_pointer (&self->result, paddock_probe_result_unref);
  g_clear_object (&self->apps);
  g_clear_object (&self->system);
  g_clear_object (&self->all);

  G_OBJECT_CLASS (paddock_services_view_parent_class)->dispose (object);
}

static void
paddock_services_view_finalize (GObject *object)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (object);

  g_ptr_array_unref (self->other_rows);
  g_free (self->message);

  G_OBJECT_CLASS (paddock_services_view_parent_class)->finalize (object);
}

static void
paddock_services_view_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PaddockServicesView *self = PADDOCK_SERVICES_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_services_view_class_init (PaddockServicesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_services_view_dispose;
  object_class->finalize = paddock_services_view_finalize;
  object_class->get_property = paddock_services_view_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-services-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, apps_group);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, apps_list);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, config_manager_group);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, config_manager_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, notice_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, other_group);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, spinner);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, status_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, status_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, system_group);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, system_list);
  gtk_widget_class_bind_template_child (widget_class, PaddockServicesView, system_toggle);

  gtk_widget_class_install_action (widget_class, "svc.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "svc.start", "s", service_action);
  gtk_widget_class_install_action (widget_class, "svc.stop", "s", service_action);
  gtk_widget_class_install_action (widget_class, "svc.restart", "s", service_action);
  gtk_widget_class_install_action (widget_class, "svc.logs", "s", logs_action);
  gtk_widget_class_install_action (widget_class, "svc.open-url", "s", open_url_action);
  gtk_widget_class_install_action (widget_class, "svc.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "svc.save-credentials", "s", save_credentials_action);
  gtk_widget_class_install_action (widget_class, "svc.trust-host-key", NULL, trust_host_key_action);
  gtk_widget_class_install_action (widget_class, "svc.ssh-settings", NULL, ssh_settings_action);
}

static void
paddock_services_view_init (PaddockServicesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->apps = g_list_store_new (PADDOCK_TYPE_SERVICE);
  self->system = g_list_store_new (PADDOCK_TYPE_SERVICE);
  self->all = g_list_store_new (PADDOCK_TYPE_SERVICE);
  self->other_rows = g_ptr_array_new ();
  gtk_list_box_bind_model (self->apps_list, G_LIST_MODEL (self->apps), create_row, self, NULL);
  gtk_list_box_bind_model (self->system_list, G_LIST_MODEL (self->system), create_row, self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->other_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->config_manager_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->system_group), FALSE);
  self->age_source = g_timeout_add_seconds (30, update_age, self);
}

GtkWidget *
paddock_services_view_new (void)
{
  return g_object_new (PADDOCK_TYPE_SERVICES_VIEW, NULL);
}

void
paddock_services_view_set_settings (PaddockServicesView *self,
                                    PaddockSettings     *settings)
{
  g_return_if_fail (PADDOCK_IS_SERVICES_VIEW (self));

  g_set_object (&self->settings, settings);
}

void
paddock_services_view_set_guest (PaddockServicesView *self,
                                 PaddockWorkspace    *workspace,
                                 PaddockCluster      *cluster,
                                 PaddockGuest        *guest)
{
  g_return_if_fail (PADDOCK_IS_SERVICES_VIEW (self));

  if (self->guest == guest && self->cluster == cluster)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = 0;
  self->probing = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  g_set_object (&self->workspace, workspace);
  g_set_object (&self->cluster, cluster);
  g_set_object (&self->guest, guest);
  g_clear_object (&self->pct);
  g_clear_pointer (&self->result, paddock_probe_result_unref);
  g_clear_pointer (&self->message, g_free);
  self->probed_at = 0;
  g_list_store_remove_all (self->apps);
  g_list_store_remove_all (self->system);
  g_list_store_remove_all (self->all);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->other_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->config_manager_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->system_group), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "services");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (guest == NULL)
    return;

  /* What was seen last time, at once (from another session or paddockctl too). */
  begin_busy (self);
  update_summary (self);
  paddock_store_load_service_cache_async (paddock_workspace_get_store (workspace),
                                          paddock_cluster_get_connection_id (cluster), paddock_guest_get_vmid (guest),
                                          self->cancellable, on_cache_loaded, g_object_ref (self));
  if (self->active)
    probe (self);
  schedule_refresh (self);
}

void
paddock_services_view_set_active (PaddockServicesView *self,
                                  gboolean             active)
{
  g_return_if_fail (PADDOCK_IS_SERVICES_VIEW (self));

  if (self->active == active)
    return;

  self->active = active;
  schedule_refresh (self);
  /* Opening the tab looks again, unless it just did (the cache may still be on its way). */
  if (active && (self->from_cache || self->probed_at == 0 || g_get_real_time () / G_USEC_PER_SEC - self->probed_at > 10))
    probe (self);
}

void
paddock_services_view_refresh (PaddockServicesView *self)
{
  g_return_if_fail (PADDOCK_IS_SERVICES_VIEW (self));

  probe (self);
}

GListModel *
paddock_services_view_get_services (PaddockServicesView *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICES_VIEW (self), NULL);
  return G_LIST_MODEL (self->all);
}

gboolean
paddock_services_view_get_busy (PaddockServicesView *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICES_VIEW (self), FALSE);
  return self->busy > 0;
}

const char *
paddock_services_view_get_message (PaddockServicesView *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICES_VIEW (self), NULL);
  return self->message;
}
