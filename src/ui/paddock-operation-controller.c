/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-operation-controller.c: asks, runs and reports lifecycle actions for a window */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-operation-controller.h"

struct _PaddockOperationController
{
  GObject           parent_instance;

  GtkWindow        *window;      /* weak: the window owns the controller */
  AdwToastOverlay  *toasts;      /* weak, inside the window */
  PaddockWorkspace *workspace;
  PaddockSettings  *settings;
  GCancellable     *cancellable;
  GHashTable       *running;     /* "connection:vmid" → PaddockGuestOperation */
  GHashTable       *failures;    /* failure id → Failure */
  guint             next_failure_id;
  guint             shutdown_timeout;
};

G_DEFINE_FINAL_TYPE (PaddockOperationController, paddock_operation_controller, G_TYPE_OBJECT)

enum {
  STARTED,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char *title;      /* the toast's text */
  char *heading;    /* the details dialog's heading */
  char *message;
  char *task_log;
} Failure;

static void
failure_free (Failure *failure)
{
  g_free (failure->title);
  g_free (failure->heading);
  g_free (failure->message);
  g_free (failure->task_log);
  g_free (failure);
}

/* Several containers acted on with one confirmation report once, when the last is done. */
typedef struct
{
  grefcount               ref_count;
  PaddockOperationAction  action;
  guint                   total;
  guint                   succeeded;
  GString                *failed;     /* "name: reason" lines */
  gint64                  started;    /* monotonic µs */
} Batch;

static Batch *
batch_ref (Batch *batch)
{
  g_ref_count_inc (&batch->ref_count);
  return batch;
}

static void
batch_unref (Batch *batch)
{
  if (g_ref_count_dec (&batch->ref_count))
    {
      g_string_free (batch->failed, TRUE);
      g_free (batch);
    }
}

static void
add_toast (PaddockOperationController *self,
           AdwToast                   *toast)
{
  if (self->toasts != NULL)
    adw_toast_overlay_add_toast (self->toasts, toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
toast_text (PaddockOperationController *self,
            const char                 *text)
{
  /* Toast titles are Pango markup; names and Proxmox messages are not. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  add_toast (self, adw_toast_new (escaped));
}

/* Texts for the user, per action */

static char *
success_text (PaddockOperationAction   action,
              PaddockOperationOutcome  outcome,
              const char              *name)
{
  /* Translators: %s is a container name */
  switch (outcome)
    {
    case PADDOCK_OPERATION_OUTCOME_GRACEFUL:
      return g_strdup_printf (_("%s shut down"), name);
    case PADDOCK_OPERATION_OUTCOME_FORCED:
      return g_strdup_printf (_("%s did not shut down in time and was stopped"), name);
    case PADDOCK_OPERATION_OUTCOME_ALREADY_GONE:
      return g_strdup_printf (_("%s was already deleted"), name);
    default:
      break;
    }

  switch (action)
    {
    case PADDOCK_OPERATION_START: return g_strdup_printf (_("%s started"), name);
    case PADDOCK_OPERATION_SHUTDOWN: return g_strdup_printf (_("%s shut down"), name);
    case PADDOCK_OPERATION_STOP: return g_strdup_printf (_("%s stopped"), name);
    case PADDOCK_OPERATION_REBOOT: return g_strdup_printf (_("%s rebooted"), name);
    case PADDOCK_OPERATION_DELETE: return g_strdup_printf (_("%s deleted"), name);
    default: g_return_val_if_reached (g_strdup (name));
    }
}

static char *
failure_text (PaddockOperationAction  action,
              const char             *name,
              const char             *reason)
{
  /* Translators: the first %s is a container name, the second the reason Proxmox gave */
  switch (action)
    {
    case PADDOCK_OPERATION_START: return g_strdup_printf (_("Could not start %s: %s"), name, reason);
    case PADDOCK_OPERATION_SHUTDOWN: return g_strdup_printf (_("Could not shut down %s: %s"), name, reason);
    case PADDOCK_OPERATION_STOP: return g_strdup_printf (_("Could not stop %s: %s"), name, reason);
    case PADDOCK_OPERATION_REBOOT: return g_strdup_printf (_("Could not reboot %s: %s"), name, reason);
    case PADDOCK_OPERATION_DELETE: return g_strdup_printf (_("Could not delete %s: %s"), name, reason);
    default: g_return_val_if_reached (g_strdup (reason));
    }
}

static char *
failure_heading (PaddockOperationAction  action,
                 const char             *name)
{
  /* Translators: a dialog heading; %s is a container name */
  switch (action)
    {
    case PADDOCK_OPERATION_START: return g_strdup_printf (_("Could Not Start %s"), name);
    case PADDOCK_OPERATION_SHUTDOWN: return g_strdup_printf (_("Could Not Shut Down %s"), name);
    case PADDOCK_OPERATION_STOP: return g_strdup_printf (_("Could Not Stop %s"), name);
    case PADDOCK_OPERATION_REBOOT: return g_strdup_printf (_("Could Not Reboot %s"), name);
    case PADDOCK_OPERATION_DELETE: return g_strdup_printf (_("Could Not Delete %s"), name);
    default: g_return_val_if_reached (g_strdup (name));
    }
}

static char *
batch_text (PaddockOperationAction action,
            guint                  count)
{
  /* Translators: %u is a number of containers */
  switch (action)
    {
    case PADDOCK_OPERATION_START: return g_strdup_printf (ngettext ("%u container started", "%u containers started", count), count);
    case PADDOCK_OPERATION_SHUTDOWN: return g_strdup_printf (ngettext ("%u container shut down", "%u containers shut down", count), count);
    case PADDOCK_OPERATION_STOP: return g_strdup_printf (ngettext ("%u container stopped", "%u containers stopped", count), count);
    case PADDOCK_OPERATION_REBOOT: return g_strdup_printf (ngettext ("%u container rebooted", "%u containers rebooted", count), count);
    case PADDOCK_OPERATION_DELETE: return g_strdup_printf (ngettext ("%u container deleted", "%u containers deleted", count), count);
    default: g_return_val_if_reached (g_strdup (""));
    }
}

/* Failures keep their details for the toast's "Details" button. */
static void
report_failure (PaddockOperationController *self,
                const char                 *title,
                const char                 *heading,
                const char                 *message,
                const char                 *task_log)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;
  Failure *failure;
  guint id = ++self->next_failure_id;

  failure = g_new0 (Failure, 1);
  failure->title = g_strdup (title);
  failure->heading = g_strdup (heading);
  failure->message = g_strdup (message);
  failure->task_log = g_strdup (task_log);
  g_hash_table_insert (self->failures, GUINT_TO_POINTER (id), failure);

  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Details"));
  adw_toast_set_action_name (toast, "win.show-operation-failure");
  adw_toast_set_action_target_value (toast, g_variant_new_uint32 (id));
  add_toast (self, toast);
}

/* An action that took a while and ended while the window was not in front says so on the
 * desktop too (a shutdown that waited, a batch of reboots). */
#define NOTIFY_AFTER_SECONDS 10

static void
notify_unseen (PaddockOperationController *self,
               Batch                      *batch,
               PaddockGuest               *guest,
               const char                 *title,
               const char                 *body,
               gboolean                    ok)
{
  GtkApplication *application = self->window ? gtk_window_get_application (self->window) : NULL;
  g_autoptr(GNotification) notification = NULL;

  if (application == NULL || (self->window && gtk_window_is_active (self->window)
                              && gtk_widget_get_visible (GTK_WIDGET (self->window)))
      || g_get_monotonic_time () - batch->started < NOTIFY_AFTER_SECONDS * G_USEC_PER_SEC
      || (self->settings != NULL && !paddock_settings_get_notifications (self->settings)))
    return;

  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_priority (notification, ok ? G_NOTIFICATION_PRIORITY_NORMAL : G_NOTIFICATION_PRIORITY_HIGH);
  /* One container: clicking opens it; a batch: clicking brings the window back. */
  if (guest != NULL)
    g_notification_set_default_action_and_target (notification, "app.show-container", "(xu)",
                                                   paddock_guest_get_connection_id (guest),
                                                   paddock_guest_get_vmid (guest));
  g_application_send_notification (G_APPLICATION (application), "operation", notification);
}

static void
on_operation_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PaddockGuestOperation *operation = PADDOCK_GUEST_OPERATION (object);
  Batch *batch = user_data;
  PaddockGuest *guest = paddock_guest_operation_get_guest (operation);
  g_autoptr(PaddockOperationController) self = g_object_ref (g_object_get_data (object, "controller"));
  g_autoptr(GError) error = NULL;
  g_autofree char *key = paddock_guest_dup_key (guest);
  g_autofree char *name = paddock_guest_dup_display_name (guest);
  gboolean ok;

  ok = paddock_guest_operation_run_finish (operation, result, &error);
  g_object_set_data (object, "controller", NULL);

  if (self->running != NULL)
    g_hash_table_remove (self->running, key);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      batch_unref (batch);
      return;
    }

  if (ok)
    batch->succeeded++;
  else
    g_string_append_printf (batch->failed, "%s%s: %s", batch->failed->len ? "\n" : "", name, error->message);

  if (batch->total == 1)
    {
      if (ok)
        {
          g_autofree char *text = success_text (batch->action, paddock_guest_operation_get_outcome (operation), name);

          toast_text (self, text);
          notify_unseen (self, batch, guest, text, NULL, TRUE);
        }
      else
        {
          g_autofree char *title = failure_text (batch->action, name, error->message);
          const char *log = paddock_guest_operation_get_task_log (operation);

          notify_unseen (self, batch, guest, title, error->message, FALSE);

          if (log == NULL && g_error_matches (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_LOCKED))
            toast_text (self, error->message);
          else
            {
              g_autofree char *heading = failure_heading (batch->action, name);

              report_failure (self, title, heading, error->message, log);
            }
        }
    }
  else if (g_ref_count_compare (&batch->ref_count, 1))
    {
      /* The last of the batch: one toast for all of them. */
      if (batch->failed->len == 0)
        {
          g_autofree char *text = batch_text (batch->action, batch->succeeded);

          toast_text (self, text);
          notify_unseen (self, batch, NULL, text, NULL, TRUE);
        }
      else
        {
          g_autofree char *title = NULL;
          guint failed = batch->total - batch->succeeded;

          /* Translators: "2 of 5 containers failed" */
          title = g_strdup_printf (ngettext ("%u of %u container failed", "%u of %u containers failed", batch->total),
                                   failed, batch->total);
          report_failure (self, title, title, batch->failed->str, NULL);
          notify_unseen (self, batch, NULL, title, batch->failed->str, FALSE);
        }
    }

  g_signal_emit (self, signals[FINISHED], 0, guest, (int) batch->action, ok);
  batch_unref (batch);
}

static void
run_on (PaddockOperationController *self,
        GPtrArray                  *guests,
        PaddockOperationAction      action)
{
  Batch *batch = g_new0 (Batch, 1);

  g_ref_count_init (&batch->ref_count);
  batch->started = g_get_monotonic_time ();
  batch->action = action;
  batch->failed = g_string_new (NULL);

  for (guint i = 0; i < guests->len; i++)
    {
      PaddockGuest *guest = g_ptr_array_index (guests, i);
      PaddockCluster *cluster = paddock_workspace_find_cluster (self->workspace,
                                                                paddock_guest_get_connection_id (guest));
      g_autoptr(PaddockGuestOperation) operation = NULL;
      g_autofree char *key = paddock_guest_dup_key (guest);

      if (cluster == NULL)
        continue;

      /* In this window: refused at once, before the store is even asked. */
      if (g_hash_table_contains (self->running, key))
        {
          g_autofree char *name = paddock_guest_dup_display_name (guest);
          g_autofree char *text = g_strdup_printf (_("Another operation is in progress on %s"), name);

          toast_text (self, text);
          continue;
        }

      operation = paddock_guest_operation_new (paddock_workspace_get_store (self->workspace), cluster, guest, action);
      paddock_guest_operation_set_shutdown_timeout (operation, self->shutdown_timeout > 0
                                                               ? self->shutdown_timeout
                                                               : paddock_settings_get_shutdown_timeout (self->settings));
      g_hash_table_insert (self->running, g_steal_pointer (&key), g_object_ref (operation));
      g_object_set_data_full (G_OBJECT (operation), "controller", g_object_ref (self), g_object_unref);
      batch->total++;
      paddock_guest_operation_run_async (operation, self->cancellable, on_operation_done, batch_ref (batch));
      g_signal_emit (self, signals[STARTED], 0, guest, (int) action);
    }

  batch_unref (batch);
}

/* Confirmations (SPEC.md §4) */

typedef struct
{
  PaddockOperationController *self;
  GPtrArray                  *guests;
  PaddockOperationAction      action;
  char                       *expected_name;   /* type-the-name confirmation, or NULL */
} Confirmation;

static void
confirmation_free (Confirmation *confirmation)
{
  g_object_unref (confirmation->self);
  g_ptr_array_unref (confirmation->guests);
  g_free (confirmation->expected_name);
  g_free (confirmation);
}

static void
on_confirmation_response (AdwMessageDialog *dialog,
                          const char       *response,
                          Confirmation     *confirmation)
{
  if (g_str_equal (response, "confirm"))
    run_on (confirmation->self, confirmation->guests, confirmation->action);
}

static void
on_name_changed (GtkEditable  *entry,
                 Confirmation *confirmation)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_widget_get_ancestor (GTK_WIDGET (entry), ADW_TYPE_MESSAGE_DIALOG));

  adw_message_dialog_set_response_enabled (dialog, "confirm",
                                           g_strcmp0 (gtk_editable_get_text (entry), confirmation->expected_name) == 0);
}

static char *
list_names (GPtrArray *guests)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint shown = MIN (guests->len, 12);

  for (guint i = 0; i < shown; i++)
    {
      PaddockGuest *guest = g_ptr_array_index (guests, i);
      g_autofree char *name = paddock_guest_dup_display_name (guest);

      g_string_append_printf (names, "\n• %s (CT %u, %s)", name, paddock_guest_get_vmid (guest),
                              paddock_guest_get_node (guest));
    }
  if (guests->len > shown)
    {
      /* Translators: after a list of containers */
      g_autofree char *more = g_strdup_printf (ngettext ("and %u more", "and %u more", guests->len - shown),
                                               guests->len - shown);

      g_string_append_printf (names, "\n%s", more);
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
ask (PaddockOperationController *self,
     GPtrArray                  *guests,
     PaddockOperationAction      action)
{
  PaddockGuest *first = g_ptr_array_index (guests, 0);
  g_autofree char *name = paddock_guest_dup_display_name (first);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *names = NULL;
  const char *verb = NULL;
  gboolean destructive = FALSE;
  gboolean type_name = FALSE;
  guint timeout = self->shutdown_timeout > 0 ? self->shutdown_timeout
                                             : paddock_settings_get_shutdown_timeout (self->settings);
  Confirmation *confirmation;
  AdwMessageDialog *dialog;
  guint n = guests->len;

  names = n > 1 ? list_names (guests) : NULL;

  switch (action)
    {
    case PADDOCK_OPERATION_START:
      heading = g_strdup_printf (ngettext ("Start %u Container?", "Start %u Containers?", n), n);
      body = g_strdup (names ? names + 1 : "");
      verb = _("_Start");
      break;

    case PADDOCK_OPERATION_REBOOT:
      heading = g_strdup_printf (ngettext ("Reboot %u Container?", "Reboot %u Containers?", n), n);
      body = g_strdup (names ? names + 1 : "");
      verb = _("_Reboot");
      break;

    case PADDOCK_OPERATION_SHUTDOWN:
      if (n == 1)
        heading = g_strdup_printf (_("Shut Down %s?"), name);
      else
        heading = g_strdup_printf (ngettext ("Shut Down %u Container?", "Shut Down %u Containers?", n), n);
      body = g_strdup_printf (ngettext ("The container gets %u second to shut down cleanly. If it is still running after that, it is stopped, as if its power were cut.",
                                        "The container gets %u seconds to shut down cleanly. If it is still running after that, it is stopped, as if its power were cut.",
                                        timeout),
                              timeout);
      if (names != NULL)
        {
          char *with_names = g_strconcat (body, "\n", names, NULL);

          g_free (body);
          body = with_names;
        }
      verb = _("_Shut Down");
      break;

    case PADDOCK_OPERATION_STOP:
      if (n == 1)
        heading = g_strdup_printf (_("Stop %s?"), name);
      else
        heading = g_strdup_printf (ngettext ("Stop %u Container?", "Stop %u Containers?", n), n);
      body = g_strconcat (_("Stopping cuts the power at once: programs inside get no chance to save their work, and data may be lost. Shut down instead when you can."),
                          names ? "\n" : "", names ? names : "", NULL);
      verb = _("_Stop");
      destructive = TRUE;
      break;

    case PADDOCK_OPERATION_DELETE:
    default:
      heading = g_strdup_printf (_("Delete %s (CT %u)?"), name, paddock_guest_get_vmid (first));
      type_name = paddock_guest_get_state (first) == PADDOCK_GUEST_STATE_RUNNING;
      if (type_name)
        body = g_strdup_printf (_("The container is running on %s: it will be stopped, then removed with all its disks. This cannot be undone. Type its name, %s, to confirm."),
                                paddock_guest_get_node (first), name);
      else
        body = g_strdup_printf (_("The container is removed from %s with all its disks. This cannot be undone."),
                                paddock_guest_get_node (first));
      verb = _("_Delete");
      destructive = TRUE;
      break;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (self->window, heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "confirm", verb, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, destructive ? "cancel" : "confirm");
  adw_message_dialog_set_close_response (dialog, "cancel");

  confirmation = g_new0 (Confirmation, 1);
  confirmation->self = g_object_ref (self);
  confirmation->guests = g_ptr_array_ref (guests);
  confirmation->action = action;

  if (type_name)
    {
      GtkWidget *entry = gtk_entry_new ();

      confirmation->expected_name = g_strdup (name);
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Name of the container to delete"), -1);
      g_signal_connect (entry, "changed", G_CALLBACK (on_name_changed), confirmation);
      adw_message_dialog_set_extra_child (dialog, entry);
      adw_message_dialog_set_response_enabled (dialog, "confirm", FALSE);
    }

  g_signal_connect_data (dialog, "response", G_CALLBACK (on_confirmation_response), confirmation,
                         (GClosureNotify) confirmation_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
paddock_operation_controller_dispose (GObject *object)
{
  PaddockOperationController *self = PADDOCK_OPERATION_CONTROLLER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->workspace);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->toasts);

  G_OBJECT_CLASS (paddock_operation_controller_parent_class)->dispose (object);
}

static void
paddock_operation_controller_class_init (PaddockOperationControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_operation_controller_dispose;

  /**
   * PaddockOperationController::started:
   * @guest: the container, busy from now on
   * @action: the #PaddockOperationAction
   */
  signals[STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PADDOCK_TYPE_GUEST, G_TYPE_INT);

  /**
   * PaddockOperationController::finished:
   * @guest: the container
   * @action: the #PaddockOperationAction
   * @success: whether it worked
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, PADDOCK_TYPE_GUEST, G_TYPE_INT, G_TYPE_BOOLEAN);
}

static void
paddock_operation_controller_init (PaddockOperationController *self)
{
  self->cancellable = g_cancellable_new ();
  self->running = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->failures = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) failure_free);
}

PaddockOperationController *
paddock_operation_controller_new (GtkWindow        *window,
                                  AdwToastOverlay  *toasts,
                                  PaddockWorkspace *workspace,
                                  PaddockSettings  *settings)
{
  PaddockOperationController *self;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (ADW_IS_TOAST_OVERLAY (toasts), NULL);
  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (PADDOCK_IS_SETTINGS (settings), NULL);

  self = g_object_new (PADDOCK_TYPE_OPERATION_CONTROLLER, NULL);
  g_set_weak_pointer (&self->window, window);
  g_set_weak_pointer (&self->toasts, toasts);
  self->workspace = g_object_ref (workspace);
  self->settings = g_object_ref (settings);

  return self;
}

void
paddock_operation_controller_request (PaddockOperationController *self,
                                      GPtrArray                  *guests,
                                      PaddockOperationAction      action)
{
  g_autoptr(GPtrArray) acting = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (PADDOCK_IS_OPERATION_CONTROLLER (self));
  g_return_if_fail (guests != NULL);

  /* Only the containers the action fits, and only those whose connection answers. */
  for (guint i = 0; i < guests->len; i++)
    {
      PaddockGuest *guest = g_ptr_array_index (guests, i);

      if (!paddock_guest_get_offline (guest) && paddock_operation_action_allowed (action, guest))
        g_ptr_array_add (acting, g_object_ref (guest));
    }

  /* One container: say why (a shortcut pressed on it must not do nothing in silence). */
  if (acting->len == 0 && guests->len == 1)
    {
      PaddockGuest *guest = g_ptr_array_index (guests, 0);
      g_autofree char *name = paddock_guest_dup_display_name (guest);
      g_autofree char *text = NULL;

      if (paddock_guest_get_offline (guest))
        /* Translators: "gateway: its connection does not answer" */
        text = g_strdup_printf (_("%s: its connection does not answer"), name);
      else
        /* Translators: a container's name and why an action does not fit it */
        text = g_strdup_printf (_("%s: %s"), name, paddock_operation_refusal (action, guest));
      toast_text (self, text);
      return;
    }

  if (acting->len == 0)
    {
      toast_text (self, _("None of the selected containers can do that now"));
      return;
    }

  /* Deleting is one container at a time: its confirmation names it. */
  if (action == PADDOCK_OPERATION_DELETE && acting->len > 1)
    {
      toast_text (self, _("Delete containers one at a time"));
      return;
    }

  /* SPEC.md §4: a single start or reboot is done at once; the rest is confirmed. */
  if (acting->len == 1 && (action == PADDOCK_OPERATION_START || action == PADDOCK_OPERATION_REBOOT))
    run_on (self, acting, action);
  else
    ask (self, acting, action);
}

void
paddock_operation_controller_show_failure (PaddockOperationController *self,
                                           guint                       failure_id)
{
  Failure *failure;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  g_return_if_fail (PADDOCK_IS_OPERATION_CONTROLLER (self));

  if (!(failure = g_hash_table_lookup (self->failures, GUINT_TO_POINTER (failure_id))))
    return;

  if (failure->task_log != NULL)
    /* Translators: an error message, then the last lines of the Proxmox task's log */
    body = g_strdup_printf (_("%s\n\nLast lines of the task log:\n%s"), failure->message, failure->task_log);
  else
    body = g_strdup (failure->message);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (self->window, failure->heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

guint
paddock_operation_controller_get_n_running (PaddockOperationController *self)
{
  g_return_val_if_fail (PADDOCK_IS_OPERATION_CONTROLLER (self), 0);

  return g_hash_table_size (self->running);
}

void
paddock_operation_controller_set_shutdown_timeout (PaddockOperationController *self,
                                                   guint                       seconds)
{
  g_return_if_fail (PADDOCK_IS_OPERATION_CONTROLLER (self));

  self->shutdown_timeout = seconds;
}
