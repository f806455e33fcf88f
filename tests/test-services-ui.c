/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-services-ui.c: the Services tab and the log window under Xvfb, against the lab's real
 * containers (the demo's nginx-web, notes-api, a busybox one and a stopped one) */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "paddock-application.h"
#include "paddock-guest-page.h"
#include "paddock-log-window.h"
#include "paddock-services-view.h"
#include "paddock-test-lab.h"
#include "paddock-test-ui.h"
#include "paddock-test-util.h"
#include "paddock-window.h"

static PaddockApplication *app;
static PaddockWindow *window;
static PaddockGuestPage *page;
static PaddockServicesView *view;


static PaddockService *
find_service (const char *unit)
{
  GListModel *services = paddock_services_view_get_services (view);

  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(PaddockService) service = g_list_model_get_item (services, i);

      if (g_strcmp0 (paddock_service_get_unit (service), unit) == 0)
        return service;
    }

  return NULL;
}

typedef struct
{
  const char *unit;
  gboolean    running;
} ServiceState;

static gboolean
service_in_state (gpointer data)
{
  ServiceState *state = data;
  PaddockService *service = find_service (state->unit);

  return !paddock_services_view_get_busy (view) && service != NULL &&
         paddock_service_get_running (service) == state->running;
}

static gboolean
view_idle_with_message (gpointer data)
{
  return !paddock_services_view_get_busy (view) && paddock_services_view_get_message (view) != NULL;
}

static gboolean
view_idle (gpointer data)
{
  return !paddock_services_view_get_busy (view);
}

static void
open_services_of (guint vmid)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL));
  select_guest (window, vmid, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-selected", NULL));
  g_assert_cmpuint (paddock_guest_get_vmid (paddock_guest_page_get_guest (page)), ==, vmid);
  paddock_guest_page_show_services (page);
  iterate_until_idle ();
}

/* Before the window: the nodes' SSH settings and the lab node's host key, as a user would have
 * set them up (Add Connection does the same through its dialog, tested in test-window). */
static void
test_services_tab (void)
{
  ServiceState state = { "nginx.service", TRUE };
  PaddockService *nginx;
  AdwMessageDialog *dialog;
  GtkWidget *row;

  if (!paddock_test_real_containers_required ())
    return;

  open_services_of (130);
  if (!iterate_until (service_in_state, &state, 30))
    g_error ("the Services tab shows: %s (%u services, busy %d, guest %s)", paddock_services_view_get_message (view),
             g_list_model_get_n_items (paddock_services_view_get_services (view)),
             paddock_services_view_get_busy (view), paddock_guest_get_status (paddock_guest_page_get_guest (page)));
  nginx = find_service ("nginx.service");
  g_assert_cmpuint (paddock_service_get_ports (nginx)->len, ==, 2);
  g_assert_cmpuint (paddock_service_get_credentials (nginx)->len, ==, 1);
  g_assert_true (paddock_service_get_system (find_service ("systemd-journald.service")));
  g_assert_nonnull (find_label (GTK_WIDGET (view), "nginx"));
  save_screenshot (GTK_WIDGET (window), "window-services.png");

  /* The row opens to its ports, credentials (hidden) and actions. */
  row = gtk_widget_get_ancestor (find_label (GTK_WIDGET (view), "nginx"), ADW_TYPE_EXPANDER_ROW);
  g_assert_nonnull (row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  iterate_until_idle ();
  g_assert_nonnull (find_label (row, "ADMIN_PASSWORD"));
  g_assert_nonnull (find_label (row, "0.0.0.0:80 (tcp)"));
  g_assert_nonnull (find_label (row, "••••••••"));
  save_screenshot (GTK_WIDGET (window), "window-services-expanded.png");

  /* Stop asks first; then the service is stopped, and started again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "svc.stop", "s", "nginx.service"));
  iterate_until_idle ();
  dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  save_screenshot (GTK_WIDGET (dialog), "dialog-stop-service.png");
  adw_message_dialog_response (dialog, "stop");
  state.running = FALSE;
  g_assert_true (iterate_until (service_in_state, &state, 30));
  g_assert_cmpuint (paddock_service_get_ports (find_service ("nginx.service"))->len, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "svc.start", "s", "nginx.service"));
  state.running = TRUE;
  g_assert_true (iterate_until (service_in_state, &state, 30));

  /* Both actions are on the container's timeline. */
  {
    PaddockStore *store = paddock_workspace_get_store (paddock_application_get_workspace (app));
    g_autoptr(GAsyncResult) listed = NULL;
    g_autoptr(GPtrArray) events = NULL;
    PaddockGuest *guest = paddock_guest_page_get_guest (page);
    g_autoptr(PaddockCluster) cluster = g_list_model_get_item (paddock_workspace_get_clusters (paddock_application_get_workspace (app)), 0);
    guint service_events = 0;

    paddock_store_list_events_async (store, paddock_cluster_get_connection_id (cluster), paddock_guest_get_vmid (guest),
                                     50, NULL, paddock_test_store_result, &listed);
    events = paddock_store_list_events_finish (store, paddock_test_wait (&listed), NULL);
    for (guint i = 0; events && i < events->len; i++)
      if (paddock_event_get_kind (g_ptr_array_index (events, i)) == PADDOCK_EVENT_SERVICE_ACTION)
        service_events++;
    g_assert_cmpuint (service_events, ==, 2);
  }
}

static gboolean
clipboard_text_is (gpointer data)
{
  const char **expected = data;
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (view)));
  GValue text = G_VALUE_INIT;
  gboolean same;

  if (content == NULL)
    return expected[0] == NULL || *expected[0] == '\0';

  g_value_init (&text, G_TYPE_STRING);
  if (!gdk_content_provider_get_value (content, &text, NULL))
    return FALSE;
  same = g_strcmp0 (g_value_get_string (&text), expected[0]) == 0;
  g_value_unset (&text);
  return same;
}

static void
test_copy_clears_the_clipboard (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("app.paddock.Paddock");
  const char *expected[] = { "fixture-copied-value" };
  const char *cleared[] = { "" };

  if (!paddock_test_real_containers_required ())
    return;

  /* A copy is cleared after the delay, only while the clipboard still holds it. */
  g_settings_set_uint (settings, "clipboard-clear-delay", 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "svc.copy", "s", "fixture-copied-value"));
  g_assert_true (iterate_until (clipboard_text_is, expected, 2));
  g_assert_true (iterate_until (clipboard_text_is, cleared, 5));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "svc.copy", "s", "fixture-copied-value"));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (view)), "the user's own text");
  {
    const char *own[] = { "the user's own text" };
    gint64 until = g_get_monotonic_time () + 2500 * 1000;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE), g_usleep (2000);
    g_assert_true (clipboard_text_is (own));
  }
  g_settings_reset (settings, "clipboard-clear-delay");
}

static gboolean
log_has_lines (gpointer data)
{
  PaddockLogWindow *log = data;

  return !paddock_log_window_get_loading (log) && g_list_model_get_n_items (paddock_log_window_get_lines (log)) > 0;
}

static gboolean
log_has_started_line (gpointer data)
{
  GListModel *lines = paddock_log_window_get_lines (data);
  guint n = g_list_model_get_n_items (lines);
  guint found = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) line = g_list_model_get_item (lines, i);

      if (strstr (gtk_string_object_get_string (line), "Started notes-api.service") != NULL)
        found++;
    }

  /* the demo's start, and the restart after the window followed */
  return found >= 2;
}

static void
test_logs_follow (void)
{
  PaddockLogWindow *log;
  ServiceState state = { "notes-api.service", TRUE };

  if (!paddock_test_real_containers_required ())
    return;

  open_services_of (131);
  g_assert_true (iterate_until (service_in_state, &state, 30));
  g_assert_true (paddock_service_get_failed (find_service ("backup-sync.service")));
  save_screenshot (GTK_WIDGET (window), "window-services-failed.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "svc.logs", "s", "notes-api.service"));
  iterate_until_idle ();
  log = PADDOCK_LOG_WINDOW (find_toplevel_of_type (PADDOCK_TYPE_LOG_WINDOW));
  g_assert_nonnull (log);
  g_assert_true (iterate_until (log_has_lines, log, 20));

  /* Follow: a line written after it opened shows up, and nothing twice. */
  paddock_log_window_set_follow (log, TRUE);
  g_assert_true (iterate_until (log_has_lines, log, 20));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "svc.restart", "s", "notes-api.service"));
  g_assert_true (iterate_until (log_has_started_line, log, 20));
  {
    GListModel *lines = paddock_log_window_get_lines (log);
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
      {
        g_autoptr(GtkStringObject) line = g_list_model_get_item (lines, i);

        g_assert_true (g_hash_table_add (seen, (gpointer) gtk_string_object_get_string (line)));
      }
  }
  save_screenshot (GTK_WIDGET (log), "window-service-log.png");
  gtk_window_destroy (GTK_WINDOW (log));
  iterate_until_idle ();
}

static void
test_partial_and_stopped (void)
{
  if (!paddock_test_real_containers_required ())
    return;

  /* A busybox container: said plainly, not an error. */
  open_services_of (101);
  g_assert_true (iterate_until (view_idle, NULL, 30));
  g_assert_nonnull (find_label (GTK_WIDGET (view),
                                "This container does not run systemd: Paddock cannot list its services."));
  save_screenshot (GTK_WIDGET (window), "window-services-partial.png");

  /* A stopped one offers to start it. */
  open_services_of (106);
  g_assert_true (iterate_until (view_idle_with_message, NULL, 30));
  g_assert_true (g_str_has_prefix (paddock_services_view_get_message (view), "The Container Is Not Running"));
  save_screenshot (GTK_WIDGET (window), "window-services-stopped.png");
}

static gboolean
list_shows (gpointer data)
{
  const guint *vmids = data;
  GListModel *shown = filtered_guests (window);
  guint n = 0;

  while (vmids[n] != 0)
    n++;
  if (g_list_model_get_n_items (shown) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockGuest) guest = g_list_model_get_item (shown, i);

      if (paddock_guest_get_vmid (guest) != vmids[i])
        return FALSE;
    }
  return TRUE;
}

/* "Which container listens on 80?": from what Paddock saw inside them, then after looking
 * inside every running one. */
static void
test_search_by_port_and_service (void)
{
  GtkEditable *entry;
  guint nginx[] = { 130, 0 };
  guint notes[] = { 131, 0 };
  guint redis[] = { 132, 0 };

  if (!paddock_test_real_containers_required ())
    return;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-list", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (window), PADDOCK_TYPE_WINDOW, "search_entry"));

  gtk_editable_set_text (entry, "port:80");
  g_assert_true (iterate_until (list_shows, nginx, 10));
  save_screenshot (GTK_WIDGET (window), "window-search-port.png");
  gtk_editable_set_text (entry, "service:notes port:8080");
  g_assert_true (iterate_until (list_shows, notes, 10));
  gtk_editable_set_text (entry, "port:8080 nginx");
  g_assert_true (iterate_until (list_shows, (guint[]) { 0 }, 10));

  /* redis-cache was never opened: not known until Paddock looks inside. */
  gtk_editable_set_text (entry, "service:redis");
  g_assert_true (iterate_until (list_shows, (guint[]) { 0 }, 10));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                    PADDOCK_TYPE_WINDOW,
                                                                                    "look_inside_button"))));
  save_screenshot (GTK_WIDGET (window), "window-search-service-unknown.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.look-inside", NULL));
  g_assert_true (iterate_until (list_shows, redis, 30));
  gtk_editable_set_text (entry, "port:6379");
  g_assert_true (iterate_until (list_shows, redis, 10));
  gtk_editable_set_text (entry, "");
}

static gboolean
window_and_view_gone (gpointer data)
{
  return window == NULL && view == NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  paddock_test_lab_start ((const char *[]) { "--dataset", "demo", "--auth-delay-ms", "20", NULL });
  if (paddock_test_lab != NULL && !g_hash_table_contains (paddock_test_lab, "REAL_SKIP_REASON"))
    {
      Wanted wanted;

      /* Where the final on-disk scan looks: a credential with its marker must never land here. */
      data_dir = paddock_test_make_dir ("services-ui");
      paddock_test_ui_prepare_lab_data (data_dir);
      {
        g_autofree char *marked = g_build_filename (paddock_test_lab_get ("LAB_STATE"), "ct", "130", "rootfs", "root",
                                                   "ui-test.creds", NULL);

        g_assert_true (g_file_set_contents (marked, "TOKEN=paddock-test-secret-ui-credential\n", -1, NULL));
      }
      app = paddock_test_ui_start_app ("app.paddock.Paddock.ServicesTest", data_dir, &window);
      wanted = (Wanted) { window, 28 };
      g_assert_true (iterate_until (has_items, &wanted, 30));
      page = paddock_window_get_guest_page (window);
      view = paddock_guest_page_get_services_view (page);
    }

  g_test_add_func ("/paddock/services/tab", test_services_tab);
  g_test_add_func ("/paddock/services/copy-clears-clipboard", test_copy_clears_the_clipboard);
  g_test_add_func ("/paddock/services/logs-follow", test_logs_follow);
  g_test_add_func ("/paddock/services/partial-and-stopped", test_partial_and_stopped);
  g_test_add_func ("/paddock/services/search-by-port-and-service", test_search_by_port_and_service);

  status = g_test_run ();
  if (app != NULL)
    {
      /* Closing lets go of everything: the window, its services view and their pending work. */
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
      g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
      close_app (app);
      g_assert_true (iterate_until (window_and_view_gone, NULL, 10));
      g_object_unref (app);
    }
  return status;
}
