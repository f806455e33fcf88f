/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window.c: the main window: connections beside the live list of their containers */

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "paddock-format.h"
#include "paddock-accessible.h"
#include "paddock-window-private.h"



G_DEFINE_FINAL_TYPE (PaddockWindow, paddock_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


/* What an action acts on: the container shown in detail, or the selected rows. */
static gboolean
showing_detail (PaddockWindow *self)
{
  GtkWidget *visible = adw_leaflet_get_visible_child (ADW_LEAFLET (self->content));

  return self->guest_page != NULL
         && visible == GTK_WIDGET (self->guest_page)
         && paddock_guest_page_get_guest (self->guest_page) != NULL;
}

/* The pages beside the list (jobs, templates, buckets) stay hidden until one is first shown: a
 * window measures every visible page of its leaflet before its first frame. Then all of them
 * show, so that Back leads through them as it always did (a job to the jobs). */
void
_paddock_window_show_content_page (PaddockWindow *self,
                                   GtkWidget     *page)
{
  GtkWidget *pages[] = {
    GTK_WIDGET (self->jobs_page), GTK_WIDGET (self->job_page), GTK_WIDGET (self->templates_page),
    GTK_WIDGET (self->template_page), GTK_WIDGET (self->buckets_page),
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_set_visible (pages[i], TRUE);
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->content), page);
}

/**
 * paddock_window_get_guest_page:
 *
 * The detail page, made the first time a container is opened (it costs the start-up ~30 ms:
 * console, graphs, services).
 *
 * Returns: (transfer none): the detail page
 */
PaddockGuestPage *
paddock_window_get_guest_page (PaddockWindow *self)
{
  g_return_val_if_fail (PADDOCK_IS_WINDOW (self), NULL);

  if (self->guest_page == NULL)
    {
      self->guest_page = g_object_new (PADDOCK_TYPE_GUEST_PAGE, NULL);
      adw_leaflet_insert_child_after (ADW_LEAFLET (self->content), GTK_WIDGET (self->guest_page),
                                      self->list_view);
      paddock_guest_page_set_settings (self->guest_page, self->settings);
      paddock_accessible_name_buttons (GTK_WIDGET (self->guest_page));
    }

  return self->guest_page;
}

GPtrArray *
_paddock_window_dup_targets (PaddockWindow *self)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint position;

  if (showing_detail (self))
    {
      g_ptr_array_add (targets, g_object_ref (paddock_guest_page_get_guest (self->guest_page)));
      return targets;
    }

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (targets, g_list_model_get_item (G_LIST_MODEL (self->selection), position));

  return targets;
}

void
_paddock_window_update_actions (PaddockWindow *self)
{
  static const struct { const char *name; PaddockOperationAction action; } actions[] = {
    { "win.start", PADDOCK_OPERATION_START },
    { "win.shutdown", PADDOCK_OPERATION_SHUTDOWN },
    { "win.stop", PADDOCK_OPERATION_STOP },
    { "win.reboot", PADDOCK_OPERATION_REBOOT },
    { "win.delete", PADDOCK_OPERATION_DELETE },
  };
  g_autoptr(GPtrArray) targets = _paddock_window_dup_targets (self);
  gboolean detail = showing_detail (self);

  for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      gboolean enabled = FALSE;

      for (guint i = 0; i < targets->len && !enabled; i++)
        {
          PaddockGuest *guest = g_ptr_array_index (targets, i);

          enabled = !paddock_guest_get_offline (guest) && !paddock_guest_get_busy (guest) &&
                    paddock_operation_action_allowed (actions[a].action, guest);
        }
      if (actions[a].action == PADDOCK_OPERATION_DELETE)
        enabled = enabled && targets->len == 1;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[a].name,
                                     enabled && self->operations != NULL);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-selected",
                                 !detail && targets->len == 1);

  /* Hidden, not only folded away: a hidden bar's buttons would still set the window's width. */
  gtk_widget_set_visible (GTK_WIDGET (self->selection_bar), !detail && targets->len > 0);
  gtk_action_bar_set_revealed (self->selection_bar, !detail && targets->len > 0);
  if (targets->len > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u selected", "%u selected",
                                                         targets->len), targets->len);

      gtk_label_set_text (self->selection_label, text);
    }
}

static void
on_selection_changed (PaddockWindow *self)
{
  _paddock_window_update_actions (self);
}

void
_paddock_window_show_guest (PaddockWindow *self,
                            PaddockGuest  *guest)
{
  gint64 connection_id = paddock_guest_get_connection_id (guest);
  PaddockCluster *cluster = paddock_workspace_find_cluster (self->workspace, connection_id);

  if (cluster == NULL)
    return;

  g_autofree char *key = paddock_guest_dup_key (guest);
  const gint64 *created = g_hash_table_lookup (self->created, key);

  paddock_guest_page_set_guest (paddock_window_get_guest_page (self), self->workspace, cluster,
                                guest,
                                paddock_settings_get_detail_refresh_interval (self->settings));
  paddock_guest_page_set_origin (self->guest_page, g_hash_table_lookup (self->origins, key),
                                 created ? *created : 0);
  adw_leaflet_set_visible_child (ADW_LEAFLET (self->content), GTK_WIDGET (self->guest_page));
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  _paddock_window_update_actions (self);
}

static void
on_row_activated (PaddockWindow *self,
                  guint          position)
{
  g_autoptr(PaddockGuest) guest = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (guest != NULL)
    _paddock_window_show_guest (self, guest);
}

/* Enter in the search field opens the match (the first, when there are several). */
static void
on_search_activated (PaddockWindow *self)
{
  g_autoptr(PaddockGuest) guest = NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;
  guest = g_list_model_get_item (G_LIST_MODEL (self->selection), 0);
  _paddock_window_show_guest (self, guest);
}

static void
on_content_child_changed (PaddockWindow *self)
{
  _paddock_window_update_actions (self);
}

/* State of the view */

void
_paddock_window_update_view (PaddockWindow *self)
{
  PaddockApplication *app = PADDOCK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GListModel *clusters;
  g_autoptr(GString) unreachable = g_string_new (NULL);
  guint total = 0, running = 0, failed = 0;
  guint n_clusters;

  if (app != NULL && paddock_application_get_load_error (app) != NULL && self->workspace == NULL)
    {
      adw_status_page_set_description (self->error_page, paddock_application_get_load_error (app));
      gtk_stack_set_visible_child_name (self->content_stack, "error");
      return;
    }

  if (self->workspace == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "loading");
      return;
    }

  clusters = paddock_workspace_get_clusters (self->workspace);
  n_clusters = g_list_model_get_n_items (clusters);

  for (guint c = 0; c < n_clusters; c++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, c);
      PaddockConnection *connection = paddock_workspace_get_connection (self->workspace, cluster);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (cluster));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(PaddockGuest) guest = g_list_model_get_item (G_LIST_MODEL (cluster), i);
          PaddockGuestState state = paddock_guest_get_state (guest);

          if (!_paddock_window_in_scope (self, guest))
            continue;
          total++;
          running += state == PADDOCK_GUEST_STATE_RUNNING;
          failed += state == PADDOCK_GUEST_STATE_UNKNOWN;
        }

      if (!paddock_cluster_get_reachable (cluster)
          && paddock_cluster_get_last_error (cluster) != NULL)
        {
          g_autofree char *seen = NULL;

          if (paddock_cluster_get_last_success (cluster) > 0)
            {
              gint64 last_success = paddock_cluster_get_last_success (cluster);
              g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (last_success);
              g_autofree char *clock = g_date_time_format (time, "%H:%M");

              /* Translators: %s is a time such as 14:05 */
              seen = g_strdup_printf (_("Showing the list last seen at %s."), clock);
            }

          {
            const char *last_error = paddock_cluster_get_last_error (cluster);
            g_autofree char *reason = g_strstrip (g_strdup (last_error));
            gboolean has_stop = g_str_has_suffix (reason, ".");

            g_string_append_printf (unreachable, "%s%s: %s%s%s", unreachable->len ? "\n" : "",
                                    connection ? paddock_connection_get_name (connection) : "?",
                                    reason, has_stop ? "" : ".", seen ? " " : "");
            if (seen != NULL)
              g_string_append (unreachable, seen);
          }
        }
      else if (paddock_cluster_get_reachable (cluster) && !paddock_cluster_get_quorate (cluster))
        {
          const char *offline = paddock_cluster_get_offline_nodes (cluster);

          if (unreachable->len)
            g_string_append_c (unreachable, '\n');
          /* Translators: a connection's name and its offline nodes */
          g_string_append_printf (unreachable,
                                  _("%s has no quorum (offline: %s): Proxmox refuses every change "
                                                 "until enough nodes are back."),
                                  connection ? paddock_connection_get_name (connection) : "?",
                                  offline ? offline : _("unknown"));
        }
      else if (paddock_cluster_get_reachable (cluster)
               && paddock_cluster_get_offline_nodes (cluster) != NULL)
        {
          if (unreachable->len)
            g_string_append_c (unreachable, '\n');
          /* Translators: a connection's name and its offline nodes */
          g_string_append_printf (unreachable,
                                  _("%s: offline: %s. Their containers show only what the cluster "
                                                 "knows of them."),
                                  connection ? paddock_connection_get_name (connection) : "?",
                                  paddock_cluster_get_offline_nodes (cluster));
        }
    }

  gtk_label_set_text (self->banner_label, unreachable->str);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), unreachable->len > 0);
  gtk_revealer_set_reveal_child (self->banner_revealer, unreachable->len > 0);
  gtk_widget_set_visible (self->update_secret_button,
                          _paddock_window_cluster_needing_secret (self) != NULL);

  if (self->show_connection != (n_clusters > 1))
    {
      self->show_connection = n_clusters > 1;
      _paddock_window_fit_columns (self);
    }

  if (n_clusters == 0)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      adw_window_title_set_subtitle (self->content_title, NULL);
      return;
    }

  {
    g_autofree char *summary = NULL;

    /* SPEC.md §3.1: total, running, stopped, and the rest (paused, error, unknown) when any. */
    if (failed > 0)
      /* Translators: a summary such as "25 containers · 18 running · 6 stopped · 1 other" */
      summary = g_strdup_printf (_("%u containers · %u running · %u stopped · %u other"), total,
                                 running,
                                 total - running - failed, failed);
    else
      /* Translators: a summary such as "25 containers · 19 running · 6 stopped" */
      summary = g_strdup_printf (_("%u containers · %u running · %u stopped"), total, running,
                                 total - running);
    adw_window_title_set_subtitle (self->content_title, summary);
  }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0 && total > 0)
    {
      gboolean services = self->services_query != NULL
                          && paddock_service_query_get_active (self->services_query);

      /* A search by port or service knows only the containers Paddock looked inside. */
      adw_status_page_set_description (self->no_match_page,
                                       services
                                       ? _("Paddock searches the services it has seen inside "
                                           "containers. It can look inside every running "
                                           "container now.")
                                       : _("Try another name, VMID, node, tag or IP address, or "
                                           "other filters."));
      gtk_widget_set_visible (self->look_inside_button, services);
      gtk_widget_set_sensitive (self->look_inside_button,
                                paddock_service_query_get_probing (self->services_query) == 0);
      gtk_stack_set_visible_child_name (self->content_stack, "no-match");
    }
  else if (total == 0 && self->refreshes_running > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
  else if (total == 0 && unreachable->len == 0)
    gtk_stack_set_visible_child_name (self->content_stack, "no-containers");
  else
    {
      gtk_stack_set_visible_child_name (self->content_stack, "containers");
      _paddock_window_show_all_rows_after_first_frame (self);
      /* The first time the list shows, it takes the keyboard (arrows, Enter, typing to search)
       * from the header's first button GTK gave it, unless the user is typing somewhere. */
      if (!self->list_focused_once)
        {
          GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

          self->list_focused_once = TRUE;
          if (focus == NULL || !(GTK_IS_TEXT (focus) || GTK_IS_EDITABLE (focus)))
            gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
        }
    }
}

/* The age of the oldest list on screen: what the user sees is at least that old. */
static void
update_updated_label (PaddockWindow *self)
{
  GListModel *clusters = self->workspace ? paddock_workspace_get_clusters (self->workspace) : NULL;
  gint64 oldest = G_MAXINT64;
  gint64 seconds;

  for (guint i = 0; clusters != NULL && i < g_list_model_get_n_items (clusters); i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
      gint64 success = paddock_cluster_get_last_success (cluster);

      if (success > 0)
        oldest = MIN (oldest, success);
    }

  if (oldest == G_MAXINT64)
    {
      gtk_label_set_text (self->updated_label, "");
      return;
    }

  seconds = MAX (0, g_get_real_time () / G_USEC_PER_SEC - oldest);
  if (seconds < 5)
    gtk_label_set_text (self->updated_label, _("updated just now"));
  else
    {
      g_autofree char *text = NULL;

      if (seconds < 60)
        text = g_strdup_printf (_("updated %" G_GINT64_FORMAT " s ago"), seconds);
      else if (seconds < 3600)
        text = g_strdup_printf (_("updated %" G_GINT64_FORMAT " min ago"), seconds / 60);
      else
        {
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (oldest);
          g_autofree char *clock = g_date_time_format (time, "%H:%M");

          text = g_strdup_printf (_("last seen %s"), clock);
        }
      gtk_label_set_text (self->updated_label, text);
    }
}

/* Refreshing */

static void refresh_all (PaddockWindow *self);

static void
on_cluster_refreshed (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PaddockWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Failures are shown by the banner from the cluster's own state. */
  paddock_workspace_refresh_finish (PADDOCK_WORKSPACE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self->refreshes_running > 0)
    self->refreshes_running--;
  if (self->refreshes_running == 0)
    gtk_stack_set_visible_child_name (self->refresh_stack, "idle");

  _paddock_window_update_view (self);
  update_updated_label (self);
  if (self->refreshes_running == 0)
    {
      _paddock_window_update_filter_choices (self);
      _paddock_window_update_actions (self);
      /* An action ended while the list was being fetched: fetch again, its result is newer. */
      if (self->refresh_again)
        {
          self->refresh_again = FALSE;
          refresh_all (self);
        }
    }
}

static void
refresh_all (PaddockWindow *self)
{
  GListModel *clusters;

  if (self->workspace == NULL)
    return;
  if (self->refreshes_running > 0)
    {
      self->refresh_again = TRUE;
      return;
    }

  clusters = paddock_workspace_get_clusters (self->workspace);
  self->last_refresh = g_get_monotonic_time ();

  for (guint i = 0; i < g_list_model_get_n_items (clusters); i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);

      self->refreshes_running++;
      paddock_workspace_refresh_async (self->workspace, cluster, self->cancellable,
                                       on_cluster_refreshed,
                                       g_object_ref (self));
    }

  if (self->refreshes_running > 0)
    gtk_stack_set_visible_child_name (self->refresh_stack, "busy");
}

static gboolean
window_is_hidden (PaddockWindow *self)
{
  GdkSurface *surface;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return TRUE;

  surface = gtk_native_get_surface (GTK_NATIVE (self));
  return surface != NULL && GDK_IS_TOPLEVEL (surface) &&
         (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED) != 0;
}

/* SPEC.md §3.1: every 5 s when focused, 30 s when not, never while hidden. */
gboolean
_paddock_window_on_tick (gpointer user_data)
{
  PaddockWindow *self = user_data;
  guint interval;

  update_updated_label (self);
  /* A container a job makes may have just appeared in its cluster's list. */
  _paddock_window_jobs_sync_guests (self);

#ifdef __GLIBC__
  /* A refresh parses megabytes in worker threads; glibc keeps what they freed in its arenas
   * (about 20 MB with 10,000 containers, measured by bench-ui-list) unless asked to give it
   * back. Once per refresh, a second after it, when the response and old records are gone;
   * it takes under a millisecond. */
  if (self->trim_pending && self->refreshes_running == 0)
    {
      self->trim_pending = FALSE;
      malloc_trim (0);
    }
#endif

  if (window_is_hidden (self))
    return G_SOURCE_CONTINUE;

  interval = gtk_window_is_active (GTK_WINDOW (self))
             ? paddock_settings_get_refresh_interval_focused (self->settings)
             : paddock_settings_get_refresh_interval_unfocused (self->settings);

  if (self->last_refresh == 0 ||
      g_get_monotonic_time () - self->last_refresh >= (gint64) interval * G_USEC_PER_SEC)
    refresh_all (self);

  return G_SOURCE_CONTINUE;
}

static void
on_is_active_changed (PaddockWindow *self)
{
  /* Coming back to the window: fresh data at once, not after the remaining interval. */
  if (gtk_window_is_active (GTK_WINDOW (self)) && self->last_refresh != 0 &&
      g_get_monotonic_time () - self->last_refresh > 2 * G_USEC_PER_SEC)
    refresh_all (self);
}

/* Origins: which containers Paddock made, from which template (the store's own records). */

typedef struct
{
  PaddockWindow *self;
  GHashTable    *names;     /* template id → name */
} OriginsLoad;

static void
origins_load_free (OriginsLoad *load)
{
  g_object_unref (load->self);
  g_hash_table_unref (load->names);
  g_free (load);
}

static void
on_managed_listed (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OriginsLoad *load = user_data;
  PaddockWindow *self = load->self;
  g_autoptr(GPtrArray) managed = NULL;
  g_autoptr(GError) error = NULL;

  managed = paddock_store_list_managed_containers_finish (PADDOCK_STORE (object), result, &error);
  for (guint i = 0; managed != NULL && self->origins != NULL && i < managed->len; i++)
    {
      PaddockManagedContainer *container = g_ptr_array_index (managed, i);
      const char *name = g_hash_table_lookup (load->names, &container->template_id);

      if (name != NULL)
        g_hash_table_replace (self->origins,
                              paddock_guest_key (container->connection_id, container->vmid),
                              g_strdup (name));
      if (name != NULL && container->created_at > 0)
        g_hash_table_replace (self->created,
                              paddock_guest_key (container->connection_id, container->vmid),
                              g_memdup2 (&container->created_at, sizeof container->created_at));
    }
  if (self->origins != NULL)
    _paddock_window_show_origins (self);
  origins_load_free (load);
}

static void
on_templates_listed (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PaddockWindow) self = user_data;
  g_autoptr(GListModel) templates = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *clusters;

  templates = paddock_store_list_templates_finish (PADDOCK_STORE (object), result, &error);
  if (templates == NULL || self->workspace == NULL)
    return;

  clusters = paddock_workspace_get_clusters (self->workspace);
  for (guint c = 0; c < g_list_model_get_n_items (clusters); c++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, c);
      OriginsLoad *load = g_new0 (OriginsLoad, 1);

      load->self = g_object_ref (self);
      load->names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      for (guint i = 0; i < g_list_model_get_n_items (templates); i++)
        {
          g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);
          gint64 id = paddock_template_get_id (template);

          g_hash_table_insert (load->names, g_memdup2 (&id, sizeof id),
                               g_strdup (paddock_template_get_name (template)));
        }
      paddock_store_list_managed_containers_async (PADDOCK_STORE (object),
                                                   paddock_cluster_get_connection_id (cluster),
                                                   self->cancellable, on_managed_listed, load);
    }
}

void
_paddock_window_load_origins (PaddockWindow *self)
{
  if (self->workspace != NULL)
    paddock_store_list_templates_async (paddock_workspace_get_store (self->workspace),
                                        self->cancellable,
                                        on_templates_listed, g_object_ref (self));
}

static void
on_operation_finished (PaddockWindow *self,
                       PaddockGuest  *guest,
                       int            action,
                       gboolean       success)
{
  /* SPEC.md §3.1: the list is fetched again right after any action (and what Paddock made). */
  refresh_all (self);
  _paddock_window_load_origins (self);

  if (self->guest_page != NULL && paddock_guest_page_get_guest (self->guest_page) == guest)
    {
      if (action == PADDOCK_OPERATION_DELETE && success)
        adw_leaflet_set_visible_child (ADW_LEAFLET (self->content), self->list_view);
      else
        paddock_guest_page_reload (self->guest_page);
    }

  _paddock_window_update_actions (self);
}

static void
set_workspace (PaddockWindow    *self,
               PaddockWorkspace *workspace)
{
  GListModel *clusters;

  if (workspace == NULL || self->workspace == workspace)
    {
      _paddock_window_update_view (self);
      return;
    }

  self->workspace = g_object_ref (workspace);
  clusters = paddock_workspace_get_clusters (workspace);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-connection", TRUE);

  self->services_query = paddock_service_query_new (workspace);
  g_signal_connect_object (self->services_query, "changed",
                           G_CALLBACK (_paddock_window_on_services_query_changed), self,
                           G_CONNECT_SWAPPED);
  if (self->search_text != NULL)
    paddock_service_query_set_text (self->services_query, self->search_text);

  self->operations = paddock_operation_controller_new (GTK_WINDOW (self), self->toast_overlay,
                                                       workspace, self->settings);
  g_signal_connect_object (self->operations, "finished", G_CALLBACK (on_operation_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->operations, "started",
                           G_CALLBACK (_paddock_window_update_actions), self, G_CONNECT_SWAPPED);

  _paddock_window_size_first_screen (self);
  gtk_flatten_list_model_set_model (self->flatten_model, clusters);
  g_signal_connect_object (self->connections_list, "row-selected",
                           G_CALLBACK (_paddock_window_on_sidebar_row_selected), self,
                           G_CONNECT_SWAPPED);
  _paddock_window_rebuild_sidebar (self);
  g_signal_connect_object (clusters, "items-changed",
                           G_CALLBACK (_paddock_window_on_clusters_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (_paddock_window_update_view), self,
                           G_CONNECT_SWAPPED);

  _paddock_window_update_view (self);
  _paddock_window_update_filter_choices (self);
  _paddock_window_update_actions (self);
  _paddock_window_load_origins (self);
  _paddock_window_on_tick (self);
}

static void
on_application_notify (PaddockWindow *self)
{
  PaddockApplication *app = PADDOCK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app != NULL)
    {
      set_workspace (self, paddock_application_get_workspace (app));
      _paddock_window_jobs_set_provisioner (self, paddock_application_get_provisioner (app));
    }
}

void
_paddock_window_refresh_all (PaddockWindow *self)
{
  refresh_all (self);
}

/* On a narrow window the selection's buttons show icons (named and with tooltips) and the
 * banner's buttons go under its text. */
static void
set_compact (PaddockWindow *self,
             gboolean       compact)
{
  const struct { GtkButton *button; const char *icon; const char *label; } buttons[] = {
    { self->open_selected_button, "go-next-symbolic", N_("_Open") },
    { self->start_selected_button, "media-playback-start-symbolic", N_("_Start") },
    { self->shutdown_selected_button, "system-shutdown-symbolic", N_("Shut _Down…") },
    { self->reboot_selected_button, "system-reboot-symbolic", N_("_Reboot") },
    { self->stop_selected_button, "media-playback-stop-symbolic", N_("S_top…") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      g_autofree char *name = NULL;

      if (compact)
        gtk_button_set_icon_name (buttons[i].button, buttons[i].icon);
      else
        {
          gtk_button_set_label (buttons[i].button, _(buttons[i].label));
          gtk_button_set_use_underline (buttons[i].button, TRUE);
        }
      /* The name without its mnemonic, so that it is read once and as a word. */
      name = paddock_strip_mnemonic (_(buttons[i].label));
      gtk_accessible_update_property (GTK_ACCESSIBLE (buttons[i].button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->selection_label), !compact);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->banner_box),
                                  compact ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
}

static void
on_leaflet_folded (PaddockWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
  set_compact (self, adw_leaflet_get_folded (self->leaflet));
}

/* The first connection whose login was refused or has no secret, or NULL. */
PaddockCluster *
_paddock_window_cluster_needing_secret (PaddockWindow *self)
{
  GListModel *clusters = self->workspace ? paddock_workspace_get_clusters (self->workspace) : NULL;

  for (guint i = 0; clusters != NULL && i < g_list_model_get_n_items (clusters); i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);

      if (!paddock_cluster_get_reachable (cluster) && paddock_cluster_get_needs_secret (cluster))
        return cluster;  /* the workspace keeps it */
    }

  return NULL;
}

/* GObject */

static gboolean
paddock_window_close_request (GtkWindow *window)
{
  PaddockWindow *self = PADDOCK_WINDOW (window);
  int width;
  int height;

  /* An edited template is not lost silently. */
  if (_paddock_window_templates_confirm_close (self))
    return GDK_EVENT_STOP;

  gtk_window_get_default_size (window, &width, &height);
  paddock_settings_save_window_state (self->settings, width, height,
                                      gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (paddock_window_parent_class)->close_request (window);
}

/* "application" is an ordinary property: it arrives after construction. */
static void
on_application_set (PaddockWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!PADDOCK_IS_APPLICATION (app))
    return;

  g_signal_connect_object (app, "notify::workspace", G_CALLBACK (on_application_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::provisioner", G_CALLBACK (on_application_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::load-error", G_CALLBACK (_paddock_window_update_view),
                           self, G_CONNECT_SWAPPED);
  on_application_notify (self);
}

static void
paddock_window_constructed (GObject *object)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  G_OBJECT_CLASS (paddock_window_parent_class)->constructed (object);

  g_signal_connect_object (paddock_settings_get_gsettings (self->settings),
                           "changed::saved-searches",
                           G_CALLBACK (_paddock_window_on_saved_searches_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-search", FALSE);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               paddock_settings_get_window_width (self->settings),
                               paddock_settings_get_window_height (self->settings));
  if (paddock_settings_get_window_maximized (self->settings))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
paddock_window_dispose (GObject *object)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->choices_idle, g_source_remove);
  g_clear_handle_id (&self->sidebar_source, g_source_remove);
  g_clear_handle_id (&self->columns_source, g_source_remove);
  g_clear_handle_id (&self->more_rows_source, g_source_remove);

  _paddock_window_jobs_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_filter);
  g_clear_object (&self->operations);
  g_clear_object (&self->services_query);
  if (self->addresses != NULL)
    g_signal_handlers_disconnect_by_data (self->addresses, self);
  g_clear_object (&self->addresses);
  g_clear_object (&self->workspace);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (paddock_window_parent_class)->dispose (object);
}

static void
paddock_window_finalize (GObject *object)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  g_free (self->status_choice);
  g_free (self->node_choice);
  g_free (self->tag_choice);
  g_free (self->scope_node);
  g_free (self->search_text);
  g_free (self->sidebar_signature);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  g_clear_pointer (&self->created, g_hash_table_unref);
  g_clear_pointer (&self->template_cells, g_hash_table_unref);
  g_clear_pointer (&self->node_lists, g_ptr_array_unref);

  G_OBJECT_CLASS (paddock_window_parent_class)->finalize (object);
}

static void
paddock_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PaddockWindow *self = PADDOCK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_window_class_init (PaddockWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = paddock_window_constructed;
  object_class->dispose = paddock_window_dispose;
  object_class->finalize = paddock_window_finalize;
  object_class->get_property = paddock_window_get_property;
  object_class->set_property = paddock_window_set_property;
  window_class->close_request = paddock_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, PADDOCK_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PADDOCK_TYPE_GUEST);
  g_type_ensure (PADDOCK_TYPE_GUEST_PAGE);
  g_type_ensure (PADDOCK_TYPE_JOB_PAGE);
  g_type_ensure (PADDOCK_TYPE_JOBS_PAGE);
  g_type_ensure (PADDOCK_TYPE_TEMPLATE_PAGE);
  g_type_ensure (PADDOCK_TYPE_TEMPLATES_PAGE);
  g_type_ensure (PADDOCK_TYPE_BUCKETS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/paddock/Paddock/paddock-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, address_lookup_box);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, address_lookup_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, look_inside_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, update_secret_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, connection_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, cpu_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, lock_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, memory_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, node_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, status_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, tags_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, template_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, uptime_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, vmid_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, jobs_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, job_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, templates_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, template_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, buckets_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, node_choices);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, node_filter);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, status_filter);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, tag_choices);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, tag_filter);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, connections_list);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, filter_model);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, flatten_model);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, name_column);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, updated_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, banner_box);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, first_screen);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, stop_selected_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, reboot_selected_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, shutdown_selected_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, start_selected_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockWindow, open_selected_button);
  _paddock_window_filters_class_init (widget_class);



  _paddock_window_actions_class_init (widget_class);
  _paddock_window_jobs_class_init (widget_class);
  _paddock_window_templates_class_init (widget_class);
}

static void
paddock_window_init (PaddockWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Until the store and keyring are loaded there is nowhere to add a connection to. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-connection", FALSE);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->cancellable = g_cancellable_new ();
  _paddock_window_filters_init (self);

  self->origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->created = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->template_cells = g_hash_table_new (NULL, NULL);
  _paddock_window_set_up_columns (self);
  {
    const char *any[] = { _("Any Node"), NULL };
    const char *any_tag[] = { _("Any Tag"), NULL };

    gtk_string_list_splice (self->node_choices, 0, 0, any);
    gtk_string_list_splice (self->tag_choices, 0, 0, any_tag);
  }
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->column_view, "activate", G_CALLBACK (on_row_activated), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (on_search_activated), self);
  g_signal_connect_swapped (self->content, "notify::visible-child",
                            G_CALLBACK (on_content_child_changed), self);
  _paddock_window_update_actions (self);

  /* Sorted by name until the user picks another column. */
  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);

  _paddock_window_jobs_init (self);
  _paddock_window_templates_init (self);
  /* Narrowed, the window keeps showing what the user was looking at (the list, a container, a
   * template); the sidebar is one Back away. */
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (on_leaflet_folded), self,
                           G_CONNECT_SWAPPED);
  paddock_accessible_name_buttons (GTK_WIDGET (self));
  _paddock_window_actions_init (self);
  set_compact (self, adw_leaflet_get_folded (self->leaflet));
  /* The list's width is its horizontal adjustment's page size: it follows every resize and fold. */
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view)),
                           "notify::page-size",
                           G_CALLBACK (_paddock_window_schedule_fit_columns), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_is_active_changed), NULL);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_set), NULL);
  self->tick_id = g_timeout_add_seconds (1, _paddock_window_on_tick, self);
}

PaddockWindow *
paddock_window_new (PaddockApplication *application)
{
  g_return_val_if_fail (PADDOCK_IS_APPLICATION (application), NULL);

  return g_object_new (PADDOCK_TYPE_WINDOW,
                       "application", application,
                       "settings", paddock_application_get_settings (application),
                       NULL);
}

void
paddock_window_show_toast (PaddockWindow *self,
                           const char    *title)
{
  g_return_if_fail (PADDOCK_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}
