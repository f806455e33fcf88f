/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window-sidebar.c: the sidebar: every container, each connection (its quorum), and
 * within it each node (offline ones marked); the scope it sets for the list */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-window-private.h"

/* The sidebar: every container, each connection, and within it each node */


/* "pve2, pve3", or "" when every node answers. */
static const char *
offline_nodes (PaddockCluster *cluster)
{
  const char *nodes = paddock_cluster_get_offline_nodes (cluster);

  return nodes != NULL ? nodes : "";
}

static void
on_cluster_notify (PaddockWindow *self)
{
  _paddock_window_update_view (self);
  /* A connection that answers again (or stops) changes what the selection can do. */
  _paddock_window_update_actions (self);
  /* Quorum and offline nodes show in the sidebar too (rebuilt only when they changed). */
  _paddock_window_rebuild_sidebar (self);
}

GtkWidget *
_paddock_window_add_sidebar_row (PaddockWindow  *self,
                                 const char     *icon_name,
                                 const char     *title,
                                 const char     *subtitle,
                                 gint64          connection_id,
                                 const char     *node)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  if (node != NULL)
    gtk_widget_set_margin_start (row, 18);
  g_object_set_data_full (G_OBJECT (row), "connection-id",
                          g_memdup2 (&connection_id, sizeof connection_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "node", g_strdup (node), g_free);
  gtk_widget_set_name (row, node ? node : title);
  gtk_list_box_append (self->connections_list, row);

  return row;
}

static void
update_scope_title (PaddockWindow *self)
{
  gint64 scope = self->scope_connection;
  PaddockCluster *cluster = self->workspace && scope != 0
                            ? paddock_workspace_find_cluster (self->workspace, scope)
                            : NULL;
  PaddockConnection *connection = cluster
                                  ? paddock_workspace_get_connection (self->workspace, cluster)
                                  : NULL;
  const char *title = _("All Containers");

  if (connection != NULL)
    title = paddock_connection_get_name (connection);
  if (self->scope_node != NULL)
    title = self->scope_node;

  adw_window_title_set_title (self->content_title, title);
}

gboolean
_paddock_window_showing_jobs (PaddockWindow *self)
{
  GtkWidget *visible = adw_leaflet_get_visible_child (ADW_LEAFLET (self->content));

  return visible == GTK_WIDGET (self->jobs_page) || visible == GTK_WIDGET (self->job_page);
}

static void
apply_scope (PaddockWindow *self,
             GtkListBoxRow *row)
{
  const gint64 *connection_id;

  connection_id = g_object_get_data (G_OBJECT (row), "connection-id");
  self->scope_connection = connection_id ? *connection_id : 0;
  g_free (self->scope_node);
  self->scope_node = g_strdup (g_object_get_data (G_OBJECT (row), "node"));

  update_scope_title (self);
  gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_DIFFERENT);
  _paddock_window_update_view (self);
  if (_paddock_window_showing_jobs (self))
    adw_leaflet_set_visible_child (ADW_LEAFLET (self->content), self->list_view);
}

void
_paddock_window_on_sidebar_row_selected (PaddockWindow *self,
                                         GtkListBoxRow *row)
{
  if (self->updating_sidebar || row == NULL)
    return;

  if (_paddock_window_jobs_is_sidebar_row (row))
    {
      _paddock_window_jobs_show (self);
      return;
    }
  if (_paddock_window_templates_is_sidebar_row (row))
    {
      _paddock_window_templates_show (self);
      return;
    }

  if (g_object_get_data (G_OBJECT (row), "saved-search") != NULL)
    {
      _paddock_window_apply_saved_search (self, g_object_get_data (G_OBJECT (row), "saved-search"));
      return;
    }

  apply_scope (self, row);
  /* On a narrow window the list takes the place of the sidebar. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* Rebuilt only when the connections or their nodes changed, keeping what was selected. */
void
_paddock_window_rebuild_sidebar (PaddockWindow *self)
{
  GtkWidget *jobs_row = NULL;
  GListModel *clusters = paddock_workspace_get_clusters (self->workspace);
  g_autoptr(GString) signature = g_string_new (NULL);
  g_autoptr(GPtrArray) node_lists = NULL;
  GtkListBoxRow *row;
  GtkWidget *selected = NULL;
  guint n = g_list_model_get_n_items (clusters);

  /* The lists the filter choices just gathered, when they are for these clusters. */
  if (self->node_lists != NULL && self->node_lists->len == n)
    node_lists = g_steal_pointer (&self->node_lists);
  else
    {
      g_clear_pointer (&self->node_lists, g_ptr_array_unref);
      node_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      for (guint c = 0; c < n; c++)
        {
          g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, c);

          g_ptr_array_add (node_lists, _paddock_window_collect_nodes (cluster, NULL));
        }
    }

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, c);
      PaddockConnection *connection = paddock_workspace_get_connection (self->workspace, cluster);
      GPtrArray *nodes = g_ptr_array_index (node_lists, c);

      g_string_append_printf (signature, "%" G_GINT64_FORMAT "=%s@%s:%u:",
                              paddock_cluster_get_connection_id (cluster),
                              connection ? paddock_connection_get_name (connection) : "",
                              connection ? paddock_connection_get_host (connection) : "",
                              connection ? paddock_connection_get_port (connection) : 0);
      for (guint i = 0; i < nodes->len; i++)
        g_string_append_printf (signature, "%s,", (char *) g_ptr_array_index (nodes, i));
      g_string_append_printf (signature, "%d/%s;", paddock_cluster_get_quorate (cluster),
                              offline_nodes (cluster));
    }

  {
    GSettings *settings = paddock_settings_get_gsettings (self->settings);
    g_autoptr(GVariant) saved = g_settings_get_value (settings, "saved-searches");
    g_autofree char *printed = g_variant_print (saved, FALSE);

    g_string_append (signature, printed);
  }

  g_string_append (signature, self->provisioner ? "jobs" : "");
  if (g_strcmp0 (signature->str, self->sidebar_signature) == 0)
    return;
  g_free (self->sidebar_signature);
  self->sidebar_signature = g_strdup (signature->str);

  self->updating_sidebar = TRUE;
  while ((row = gtk_list_box_get_row_at_index (self->connections_list, 0)) != NULL)
    gtk_list_box_remove (self->connections_list, GTK_WIDGET (row));

  if (n > 0)
    selected = _paddock_window_add_sidebar_row (self, "view-list-symbolic", _("All Containers"),
                                                NULL, 0, NULL);
  jobs_row = _paddock_window_jobs_add_sidebar_row (self);
  _paddock_window_templates_add_sidebar_row (self);

  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, c);
      PaddockConnection *connection = paddock_workspace_get_connection (self->workspace, cluster);
      GPtrArray *nodes = g_ptr_array_index (node_lists, c);
      gint64 id = paddock_cluster_get_connection_id (cluster);
      g_autofree char *address = NULL;
      GtkWidget *connection_row;

      if (connection == NULL)
        continue;

      if (!paddock_cluster_get_quorate (cluster))
        /* Translators: a connection's address, then that its cluster lost its quorum */
        address = g_strdup_printf (_("%s:%u · no quorum"),
                                   paddock_connection_get_host (connection),
                                   paddock_connection_get_port (connection));
      else
        address = g_strdup_printf ("%s:%u", paddock_connection_get_host (connection),
                                   paddock_connection_get_port (connection));
      connection_row = _paddock_window_add_sidebar_row (self, "network-server-symbolic",
                                                        paddock_connection_get_name (connection),
                                                        address, id, NULL);
      /* Its icon is dimmed while it cannot be reached (the banner says why). */
      g_object_bind_property (cluster, "reachable",
                              g_object_get_data (G_OBJECT (connection_row), "icon"), "sensitive",
                              G_BINDING_SYNC_CREATE);
      g_signal_handlers_disconnect_by_func (cluster, on_cluster_notify, self);
      g_signal_connect_object (cluster, "notify::reachable", G_CALLBACK (on_cluster_notify), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (cluster, "notify::last-error", G_CALLBACK (on_cluster_notify), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (cluster, "notify::quorate", G_CALLBACK (on_cluster_notify), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (cluster, "notify::offline-nodes", G_CALLBACK (on_cluster_notify),
                               self, G_CONNECT_SWAPPED);
      if (self->scope_connection == id && self->scope_node == NULL)
        selected = connection_row;

      for (guint i = 0; i < nodes->len; i++)
        {
          const char *node = g_ptr_array_index (nodes, i);
          g_auto(GStrv) offline = g_strsplit (offline_nodes (cluster), ", ", -1);
          gboolean is_offline = g_strv_contains ((const char * const *) offline, node);
          GtkWidget *node_row = _paddock_window_add_sidebar_row (self, "computer-symbolic", node,
                                                                 is_offline ? _("offline") : NULL,
                                                                 id, node);

          if (is_offline)
            gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (node_row), "icon"), FALSE);

          if (self->scope_connection == id && g_strcmp0 (self->scope_node, node) == 0)
            selected = node_row;
        }
    }

  _paddock_window_add_saved_search_rows (self);

  /* The jobs stay in front when they were. */
  if (jobs_row != NULL && _paddock_window_showing_jobs (self))
    {
      gtk_list_box_select_row (self->connections_list, GTK_LIST_BOX_ROW (jobs_row));
      self->updating_sidebar = FALSE;
      return;
    }

  if (selected != NULL)
    gtk_list_box_select_row (self->connections_list, GTK_LIST_BOX_ROW (selected));
  self->updating_sidebar = FALSE;

  /* What was chosen went away: every container again. */
  if (selected != NULL)
    apply_scope (self, GTK_LIST_BOX_ROW (selected));
}

void
_paddock_window_on_clusters_changed (PaddockWindow *self,
                                     guint          position,
                                     guint          removed,
                                     guint          added,
                                     GListModel    *clusters)
{
  /* Node lists gathered for the old set of clusters do not fit the new one. */
  g_clear_pointer (&self->node_lists, g_ptr_array_unref);
  _paddock_window_rebuild_sidebar (self);
  _paddock_window_update_view (self);
  _paddock_window_update_filter_choices (self);
  if (added > 0)
    _paddock_window_load_origins (self);

  /* A new connection is refreshed at once. */
  if (added > 0)
    {
      self->last_refresh = 0;
      _paddock_window_on_tick (self);
    }
}
