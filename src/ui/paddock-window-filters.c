/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window-filters.c: what the list shows: the search (names, VMIDs, nodes, tags,
 * addresses, ports and services), the status, node and tag filters and their choices, and the
 * sidebar's scope */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-window-private.h"

static gboolean
has_tag (const char *tags,
         const char *tag)
{
  g_auto(GStrv) parts = NULL;

  if (tags == NULL)
    return FALSE;

  parts = paddock_tags_split (tags);
  return g_strv_contains ((const char * const *) parts, tag);
}

gboolean
_paddock_window_in_scope (PaddockWindow *self,
          PaddockGuest  *guest)
{
  if (self->scope_connection != 0
      && paddock_guest_get_connection_id (guest) != self->scope_connection)
    return FALSE;

  return self->scope_node == NULL || g_strcmp0 (paddock_guest_get_node (guest),
                                                self->scope_node) == 0;
}

static gboolean
matches_filters (PaddockWindow *self,
                 PaddockGuest  *guest)
{
  PaddockGuestState state = paddock_guest_get_state (guest);

  if (!_paddock_window_in_scope (self, guest))
    return FALSE;

  /* "other": neither running nor stopped, i.e. unknown. */
  if (self->status_choice != NULL
      && state != (g_str_equal (self->status_choice, "other")
                   ? PADDOCK_GUEST_STATE_UNKNOWN
                   : paddock_guest_state_from_string (self->status_choice)))
    return FALSE;

  if (self->node_choice != NULL && g_strcmp0 (paddock_guest_get_node (guest),
                                              self->node_choice) != 0)
    return FALSE;

  if (self->tag_choice != NULL && !has_tag (paddock_guest_get_tags (guest), self->tag_choice))
    return FALSE;

  return TRUE;
}

static gboolean
matches_search (gpointer item,
                gpointer user_data)
{
  PaddockWindow *self = user_data;
  PaddockGuest *guest = item;
  const char *text = self->search_text;
  g_autofree char *name = NULL;
  g_autofree char *vmid = NULL;
  g_auto(GStrv) words = NULL;

  if (!matches_filters (self, guest))
    return FALSE;

  /* port:5432 and service:postgres, from what Paddock saw inside the containers. */
  if (self->services_query != NULL && paddock_service_query_get_active (self->services_query))
    {
      if (!paddock_service_query_matches (self->services_query, guest))
        return FALSE;
      text = paddock_service_query_get_rest (self->services_query);
    }

  if (text == NULL || *text == '\0')
    return TRUE;

  /* An address is matched whole ("10.10.0.5" must not match 10.10.0.50's words one by one). */
  if (paddock_address_index_is_address_query (text))
    {
      const char *addresses = paddock_address_index_lookup (self->addresses, guest);
      g_autofree char *pattern = g_strconcat (" ", text, NULL);
      g_autofree char *spaced = addresses ? g_strconcat (" ", addresses, NULL) : NULL;

      /* From the start of an address: "1.11" is not a search for 192.168.1.11. */
      return spaced != NULL && strstr (spaced, pattern) != NULL;
    }

  name = paddock_guest_dup_display_name (guest);
  vmid = g_strdup_printf ("%u", paddock_guest_get_vmid (guest));

  /* Every word must match one of name, VMID, node or a tag (case-insensitively). */
  words = g_str_tokenize_and_fold (text, NULL, NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *fields[] = {
        name, vmid, paddock_guest_get_node (guest), paddock_guest_get_tags (guest),
      };
      gboolean found = FALSE;

      for (guint f = 0; f < G_N_ELEMENTS (fields) && !found; f++)
        {
          g_autofree char *folded = fields[f] ? g_utf8_casefold (fields[f], -1) : NULL;

          found = folded != NULL && strstr (folded, words[i]) != NULL;
        }

      if (!found)
        return FALSE;
    }

  return TRUE;
}

static void update_save_search (PaddockWindow *self);

static void
on_addresses_changed (PaddockWindow *self)
{
  if (self->search_text != NULL && *self->search_text != '\0')
    {
      gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_LESS_STRICT);
      _paddock_window_update_view (self);
    }
}

static void
on_addresses_pending (PaddockWindow *self)
{
  guint pending = paddock_address_index_get_pending (self->addresses);
  guint probing = self->services_query != NULL
                  ? paddock_service_query_get_probing (self->services_query)
                  : 0;

  gtk_widget_set_visible (self->address_lookup_box, pending > 0 || probing > 0);
  if (probing > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Looking inside %u container…",
                                                         "Looking inside %u containers…", probing),
                                               probing);

      gtk_label_set_text (self->address_lookup_label, text);
    }
  else if (pending > 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (ngettext ("Looking up the addresses of %u container…",
                                        "Looking up the addresses of %u containers…", pending),
                              pending);

      gtk_label_set_text (self->address_lookup_label, text);
    }
}

void
_paddock_window_on_services_query_changed (PaddockWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_DIFFERENT);
  on_addresses_pending (self);
  _paddock_window_update_view (self);
}

static void
on_search_changed (PaddockWindow  *self,
                   GtkSearchEntry *entry)
{
  g_assert (PADDOCK_IS_WINDOW (self));

  g_free (self->search_text);
  self->search_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  if (self->services_query != NULL)
    paddock_service_query_set_text (self->services_query, self->search_text);

  /* Addresses are learnt only when someone searches for one (see PaddockAddressIndex). */
  if (self->workspace != NULL && paddock_address_index_is_address_query (self->search_text))
    {
      GListModel *clusters = paddock_workspace_get_clusters (self->workspace);

      for (guint i = 0; i < g_list_model_get_n_items (clusters); i++)
        {
          g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);

          paddock_address_index_learn (self->addresses, cluster);
        }
    }
  gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_save_search (self);
  _paddock_window_update_view (self);
}

static void
update_save_search (PaddockWindow *self)
{
  gboolean something = (self->search_text && *self->search_text)
                       || self->status_choice || self->node_choice || self->tag_choice;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-search", something);
}

static char *
dup_choice (GtkDropDown *drop_down)
{
  GObject *item = gtk_drop_down_get_selected_item (drop_down);

  /* The first entry of each filter means "any". */
  if (item == NULL || gtk_drop_down_get_selected (drop_down) == 0)
    return NULL;

  return g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
}

void
_paddock_window_on_filter_changed (PaddockWindow *self)
{
  static const char *statuses[] = { NULL, "running", "stopped", "other" };
  guint status = gtk_drop_down_get_selected (self->status_filter);

  if (self->updating_choices)
    return;

  g_free (self->status_choice);
  self->status_choice = g_strdup (status < G_N_ELEMENTS (statuses) ? statuses[status] : NULL);
  g_free (self->node_choice);
  self->node_choice = dup_choice (self->node_filter);
  g_free (self->tag_choice);
  self->tag_choice = dup_choice (self->tag_filter);

  gtk_filter_changed (GTK_FILTER (self->search_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_save_search (self);
  _paddock_window_update_view (self);
}

/* Replaces the entries of a filter when the set changed, keeping what was chosen. */
static void
set_choices (PaddockWindow *self,
             GtkDropDown   *drop_down,
             GtkStringList *choices,
             const char    *any_label,
             GHashTable    *values,
             const char    *chosen)
{
  g_autofree const char **sorted = (const char **) g_hash_table_get_keys_as_array (values, NULL);
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (choices));
  gboolean same;
  guint selected = 0;

  g_qsort_with_data (sorted, g_hash_table_size (values), sizeof (char *),
                     (GCompareDataFunc) g_strcmp0, NULL);
  g_ptr_array_add (wanted, (gpointer) any_label);
  for (guint i = 0; sorted[i] != NULL; i++)
    g_ptr_array_add (wanted, (gpointer) sorted[i]);

  same = n == wanted->len;
  for (guint i = 0; same && i < n; i++)
    same = g_strcmp0 (gtk_string_list_get_string (choices, i), g_ptr_array_index (wanted, i)) == 0;
  if (same)
    return;

  g_ptr_array_add (wanted, NULL);
  for (guint i = 1; chosen != NULL && i + 1 < wanted->len; i++)
    if (g_str_equal (g_ptr_array_index (wanted, i), chosen))
      selected = i;

  self->updating_choices = TRUE;
  gtk_string_list_splice (choices, 0, n, (const char * const *) wanted->pdata);
  gtk_drop_down_set_selected (drop_down, selected);
  self->updating_choices = FALSE;

  /* A node or tag that went away no longer filters. */
  if (chosen != NULL && selected == 0)
    _paddock_window_on_filter_changed (self);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The sorted nodes of @cluster's guests, and (when asked) every distinct tag string among them:
 * one pass serves the filter choices and the sidebar. */
GPtrArray *
_paddock_window_collect_nodes (PaddockCluster *cluster,
                               GHashTable     *tag_strings)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *nodes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (cluster)); i++)
    {
      g_autoptr(PaddockGuest) guest = g_list_model_get_item (G_LIST_MODEL (cluster), i);
      const char *node = paddock_guest_get_node (guest);
      const char *guest_tags = paddock_guest_get_tags (guest);

      if (node != NULL && g_hash_table_add (seen, (gpointer) node))
        g_ptr_array_add (nodes, g_strdup (node));
      /* Many containers share one tag string: each distinct string is split once. */
      if (tag_strings != NULL && guest_tags != NULL
          && !g_hash_table_contains (tag_strings, guest_tags))
        g_hash_table_add (tag_strings, g_strdup (guest_tags));
    }
  g_ptr_array_sort (nodes, compare_strings);

  return nodes;
}

static void
update_filter_choices_now (PaddockWindow *self)
{
  g_autoptr(GHashTable) nodes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) tag_strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *clusters;

  if (self->workspace == NULL)
    return;

  /* The sidebar's turn after this one takes the node lists. */
  g_clear_pointer (&self->node_lists, g_ptr_array_unref);
  self->node_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  clusters = paddock_workspace_get_clusters (self->workspace);
  for (guint c = 0; c < g_list_model_get_n_items (clusters); c++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, c);
      GPtrArray *cluster_nodes = _paddock_window_collect_nodes (cluster, tag_strings);

      for (guint i = 0; i < cluster_nodes->len; i++)
        g_hash_table_add (nodes, g_ptr_array_index (cluster_nodes, i));
      g_ptr_array_add (self->node_lists, cluster_nodes);
    }

  {
    GHashTableIter iter;
    const char *guest_tags;

    g_hash_table_iter_init (&iter, tag_strings);
    while (g_hash_table_iter_next (&iter, (gpointer *) &guest_tags, NULL))
      {
        g_auto(GStrv) parts = paddock_tags_split (guest_tags);

        for (guint t = 0; parts[t] != NULL; t++)
          if (*parts[t] != '\0' && !g_hash_table_contains (tags, parts[t]))
            g_hash_table_add (tags, g_strdup (parts[t]));
      }
  }

  set_choices (self, self->node_filter, self->node_choices, _("Any Node"), nodes,
               self->node_choice);
  set_choices (self, self->tag_filter, self->tag_choices, _("Any Tag"), tags, self->tag_choice);
}

static gboolean
on_sidebar_timeout (gpointer user_data)
{
  PaddockWindow *self = user_data;

  self->sidebar_source = 0;
  _paddock_window_rebuild_sidebar (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_choices_idle (gpointer user_data)
{
  PaddockWindow *self = user_data;

  self->choices_idle = 0;
  update_filter_choices_now (self);
  /* The sidebar in a turn of its own too: each pass over 10,000 rows takes a few ms. */
  if (self->sidebar_source == 0)
    self->sidebar_source = g_timeout_add_full (G_PRIORITY_DEFAULT, 0, on_sidebar_timeout, self,
                                               NULL);

  self->trim_pending = TRUE;

  return G_SOURCE_REMOVE;
}

/* After a refresh, in a main-loop turn of its own: the model update already took that one. */
void
_paddock_window_update_filter_choices (PaddockWindow *self)
{
  if (self->choices_idle == 0)
    /* A timeout, not an idle: where drawing is slow (software GL) idles can starve behind
     * frames. */
    self->choices_idle = g_timeout_add_full (G_PRIORITY_DEFAULT, 0, on_choices_idle, self, NULL);
}

void
_paddock_window_filters_init (PaddockWindow *self)
{
  self->search_filter = gtk_custom_filter_new (matches_search, self, NULL);
  self->addresses = paddock_address_index_new ();
  g_signal_connect_swapped (self->addresses, "changed", G_CALLBACK (on_addresses_changed), self);
  g_signal_connect_swapped (self->addresses, "notify::pending", G_CALLBACK (on_addresses_pending),
                            self);
  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->search_filter));
}

void
_paddock_window_filters_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback_full (widget_class, "on_filter_changed",
                                                G_CALLBACK (_paddock_window_on_filter_changed));
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}
