/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-create-wizard-configure.c: the Configure step: connection, node, OS template (with its
 * download), storage and bridge from Proxmox; every field checked as it is typed */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "paddock-create-wizard-private.h"
#include "paddock-format.h"

#define VMID_CHECK_DELAY_MS 300
#define DOWNLOAD_TASK_SECONDS 1800

/* ------------------------------------------------------------------------------------------- */
/* Rows and their choices                                                                      */

static void
show_detail (AdwComboRow *row)
{
  GPtrArray *details = g_object_get_data (G_OBJECT (row), "details");
  guint position = adw_combo_row_get_selected (row);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), details && position < details->len ? details->pdata[position] : "");
}

/* The choices' names, each with a detail the row shows under its title once it is chosen (the
 * node's free memory, the storage's free space): a combo row's value has little room. */
static void
set_choices (AdwComboRow *row,
             GPtrArray   *labels,
             GPtrArray   *details)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    gtk_string_list_append (model, labels->pdata[i]);
  g_object_set_data_full (G_OBJECT (row), "details", details ? g_ptr_array_ref (details) : NULL,
                          (GDestroyNotify) g_ptr_array_unref);
  if (g_object_get_data (G_OBJECT (row), "shows-detail") == NULL)
    {
      g_signal_connect (row, "notify::selected", G_CALLBACK (show_detail), NULL);
      g_object_set_data (G_OBJECT (row), "shows-detail", GINT_TO_POINTER (TRUE));
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  show_detail (row);
}

static const char *
chosen (AdwComboRow *row,
        GPtrArray   *values)
{
  guint position = adw_combo_row_get_selected (row);

  if (values == NULL || position == GTK_INVALID_LIST_POSITION || position >= values->len)
    return NULL;

  return values->pdata[position];
}

static void
choose (AdwComboRow *row,
        GPtrArray   *values,
        const char  *value)
{
  for (guint i = 0; value != NULL && values != NULL && i < values->len; i++)
    if (g_str_equal (values->pdata[i], value))
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
}

/* A row at fault says why, next to what was typed. */
static void
set_row_problem (GtkWidget  *row,
                 const char *problem)
{
  GtkLabel *label = g_object_get_data (G_OBJECT (row), "problem-label");

  if (label == NULL)
    {
      label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_max_width_chars (label, 28);
      gtk_label_set_xalign (label, 1);
      gtk_widget_add_css_class (GTK_WIDGET (label), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_set_valign (GTK_WIDGET (label), GTK_ALIGN_CENTER);
      if (ADW_IS_ENTRY_ROW (row))
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), GTK_WIDGET (label));
      else
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (label));
      g_object_set_data (G_OBJECT (row), "problem-label", label);
    }

  gtk_label_set_text (label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (label), problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem ? problem : "",
                                  -1);
}

static PaddockCluster *
chosen_cluster (PaddockCreateWizard *self)
{
  guint position = adw_combo_row_get_selected (self->connection_row);

  if (self->cluster_values == NULL || position == GTK_INVALID_LIST_POSITION || position >= self->cluster_values->len)
    return NULL;

  return self->cluster_values->pdata[position];
}

static PaddockPveClient *
client (PaddockCreateWizard *self)
{
  PaddockCluster *cluster = chosen_cluster (self);

  return cluster ? paddock_cluster_get_client (cluster) : NULL;
}

static const char *
entry_text (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return text != NULL && *text != '\0' ? text : NULL;
}

/* ------------------------------------------------------------------------------------------- */
/* The node's OS templates, storages and bridges                                               */

static void
load_done (PaddockCreateWizard *self)
{
  if (self->node_loads > 0)
    self->node_loads--;
  _paddock_create_wizard_update (self);
}

typedef struct
{
  PaddockCreateWizard *self;
  GPtrArray           *storages;   /* char *: those still to list */
  GPtrArray           *volids;
  char                *node;
} OsSearch;

static void
os_search_free (OsSearch *search)
{
  g_object_unref (search->self);
  g_ptr_array_unref (search->storages);
  g_ptr_array_unref (search->volids);
  g_free (search->node);
  g_free (search);
}

static void os_search_next (OsSearch *search);

static void
show_os_templates (PaddockCreateWizard *self,
                   GPtrArray           *volids)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *wanted = NULL;
  const char *pattern = self->plan ? self->plan->os_template : NULL;

  g_clear_pointer (&self->os_values, g_ptr_array_unref);
  self->os_values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < volids->len; i++)
    {
      const char *volid = volids->pdata[i];
      const char *file = strstr (volid, ":vztmpl/");

      g_ptr_array_add (self->os_values, g_strdup (volid));
      g_ptr_array_add (labels, g_strdup (file ? file + strlen (":vztmpl/") : volid));
      /* Translators: where an OS template is, "on storage local" */
      g_ptr_array_add (details, file ? g_strdup_printf (_("on storage %.*s"), (int) (file - volid), volid) : g_strdup (""));
    }

  self->filling = TRUE;
  set_choices (self->os_row, labels, details);
  /* The template's volume, or the newest that its pattern names. */
  if (pattern != NULL && strstr (pattern, ":vztmpl/") != NULL)
    wanted = g_strdup (pattern);
  else if (pattern != NULL)
    wanted = paddock_pick_os_template (pattern, self->os_values);
  /* Nothing matches: none is chosen (a combo row would take the first), the user picks one or
   * downloads what the template wants. */
  adw_combo_row_set_selected (self->os_row, GTK_INVALID_LIST_POSITION);
  choose (self->os_row, self->os_values, wanted);
  self->filling = FALSE;

  /* What the template asks for is not there: it can be downloaded. */
  gtk_widget_set_visible (GTK_WIDGET (self->download_row), pattern != NULL && wanted == NULL);
  if (pattern != NULL && wanted == NULL)
    {
      g_autofree char *subtitle = g_strdup_printf (_("The template wants “%s”; download it from Proxmox’s list"),
                                                   pattern);

      adw_action_row_set_subtitle (self->download_row, subtitle);
    }
}

static void
on_os_content (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  OsSearch *search = user_data;
  g_autoptr(GPtrArray) volumes = NULL;
  g_autoptr(GError) error = NULL;

  volumes = paddock_pve_client_get_storage_content_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      os_search_free (search);
      return;
    }
  for (guint i = 0; volumes != NULL && i < volumes->len; i++)
    g_ptr_array_add (search->volids, g_strdup (((PaddockVolume *) volumes->pdata[i])->volid));

  os_search_next (search);
}

static void
os_search_next (OsSearch *search)
{
  PaddockCreateWizard *self = search->self;

  if (search->storages->len > 0)
    {
      g_autofree char *storage = g_ptr_array_steal_index (search->storages, 0);

      paddock_pve_client_get_storage_content_async (client (self), search->node, storage, "vztmpl",
                                                    self->node_cancellable, on_os_content, search);
      return;
    }

  show_os_templates (self, search->volids);
  load_done (self);
  os_search_free (search);
}

static void
on_template_storages (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GPtrArray) storages = NULL;
  g_autoptr(GError) error = NULL;
  OsSearch *search;

  storages = paddock_pve_client_get_storages_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (storages == NULL)
    {
      _paddock_create_wizard_toast (self, error->message);
      load_done (self);
      return;
    }

  search = g_new0 (OsSearch, 1);
  search->self = g_object_ref (self);
  search->storages = g_ptr_array_new_with_free_func (g_free);
  search->volids = g_ptr_array_new_with_free_func (g_free);
  search->node = g_strdup (chosen (self->node_row, self->node_values));
  for (guint i = 0; i < storages->len; i++)
    if (((PaddockStorage *) storages->pdata[i])->active)
      g_ptr_array_add (search->storages, g_strdup (((PaddockStorage *) storages->pdata[i])->storage));
  os_search_next (search);
}

static void
on_rootdir_storages (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GPtrArray) storages = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *wanted = self->plan ? self->plan->storage : NULL;
  const char *best = NULL;
  gint64 best_free = -1;

  storages = paddock_pve_client_get_storages_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (storages == NULL)
    _paddock_create_wizard_toast (self, error->message);

  g_clear_pointer (&self->storage_values, g_ptr_array_unref);
  self->storage_values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; storages != NULL && i < storages->len; i++)
    {
      PaddockStorage *storage = storages->pdata[i];
      g_autofree char *free_text = NULL;

      if (!storage->active)
        continue;
      free_text = g_format_size (storage->avail);
      g_ptr_array_add (self->storage_values, g_strdup (storage->storage));
      g_ptr_array_add (labels, g_strdup (storage->storage));
      /* Translators: a storage's free space, "80.2 GB free" */
      g_ptr_array_add (details, g_strdup_printf (_("%s free"), free_text));
      if (storage->avail > best_free)
        {
          best = storage->storage;
          best_free = storage->avail;
        }
    }

  self->filling = TRUE;
  set_choices (self->storage_row, labels, details);
  choose (self->storage_row, self->storage_values, best);
  choose (self->storage_row, self->storage_values, wanted);
  self->filling = FALSE;
  load_done (self);
}

static void
on_bridges (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  bridges = paddock_pve_client_get_bridges_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bridges == NULL)
    _paddock_create_wizard_toast (self, error->message);

  g_clear_pointer (&self->bridge_values, g_ptr_array_unref);
  self->bridge_values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; bridges != NULL && i < bridges->len; i++)
    {
      PaddockBridge *bridge = bridges->pdata[i];

      g_ptr_array_add (self->bridge_values, g_strdup (bridge->iface));
      g_ptr_array_add (labels, g_strdup (bridge->iface));
      g_ptr_array_add (details, g_strdup (bridge->cidr ? bridge->cidr : ""));
    }

  self->filling = TRUE;
  set_choices (self->bridge_row, labels, details);
  choose (self->bridge_row, self->bridge_values, self->plan ? self->plan->bridge : NULL);
  self->filling = FALSE;
  load_done (self);
}

static void
load_node (PaddockCreateWizard *self)
{
  const char *node = chosen (self->node_row, self->node_values);

  g_cancellable_cancel (self->node_cancellable);
  g_clear_object (&self->node_cancellable);
  self->node_cancellable = g_cancellable_new ();
  self->node_loads = 0;
  if (node == NULL || client (self) == NULL)
    {
      _paddock_create_wizard_update (self);
      return;
    }

  self->node_loads = 3;
  gtk_widget_set_visible (GTK_WIDGET (self->download_row), FALSE);
  paddock_pve_client_get_storages_async (client (self), node, "vztmpl", self->node_cancellable, on_template_storages,
                                         g_object_ref (self));
  paddock_pve_client_get_storages_async (client (self), node, "rootdir", self->node_cancellable, on_rootdir_storages,
                                         g_object_ref (self));
  paddock_pve_client_get_bridges_async (client (self), node, self->node_cancellable, on_bridges, g_object_ref (self));
  _paddock_create_wizard_update (self);
}

static void
on_node_changed (PaddockCreateWizard *self)
{
  if (!self->filling)
    load_node (self);
}

/* ------------------------------------------------------------------------------------------- */
/* Connection: its nodes (with what they have free) and the next VMID                          */

static void check_vmid_later (PaddockCreateWizard *self);

static void
on_nextid (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  guint vmid = paddock_pve_client_get_nextid_finish (PADDOCK_PVE_CLIENT (object), result, &error);

  if (vmid == 0 || self->vmid_edited)
    return;

  {
    g_autofree char *text = g_strdup_printf ("%u", vmid);

    self->filling = TRUE;
    gtk_editable_set_text (GTK_EDITABLE (self->vmid_row), text);
    self->filling = FALSE;
  }
  check_vmid_later (self);
}

static void
on_nodes (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *best = NULL;
  gint64 best_free = -1;

  nodes = paddock_pve_client_get_nodes_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (nodes == NULL)
    _paddock_create_wizard_toast (self, error->message);

  g_clear_pointer (&self->node_values, g_ptr_array_unref);
  self->node_values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      PaddockNodeUsage *node = nodes->pdata[i];
      g_autofree char *free_memory = g_format_size (MAX (0, node->maxmem - node->mem));

      if (!node->online)
        continue;
      g_ptr_array_add (self->node_values, g_strdup (node->name));
      g_ptr_array_add (labels, g_strdup (node->name));
      /* Translators: what a node has free, "12.3 GB memory free · CPU 23 % busy of 8" */
      g_ptr_array_add (details, g_strdup_printf (_("%s memory free · CPU %.0f %% busy of %u"), free_memory,
                                                 node->cpu * 100, node->maxcpu));
      if (node->maxmem - node->mem > best_free)
        {
          best = node->name;
          best_free = node->maxmem - node->mem;
        }
    }

  self->filling = TRUE;
  set_choices (self->node_row, labels, details);
  choose (self->node_row, self->node_values, best);
  choose (self->node_row, self->node_values, self->plan ? self->plan->node : NULL);
  self->filling = FALSE;
  load_node (self);
}

static void
load_connection (PaddockCreateWizard *self)
{
  if (client (self) == NULL)
    return;

  paddock_pve_client_get_nodes_async (client (self), self->cancellable, on_nodes, g_object_ref (self));
  if (!self->vmid_edited)
    paddock_pve_client_get_nextid_async (client (self), 0, self->cancellable, on_nextid, g_object_ref (self));
}

static void
on_connection_changed (PaddockCreateWizard *self)
{
  if (self->filling)
    return;
  /* Another cluster: its own nodes, and its VMIDs. */
  g_clear_pointer (&self->node_values, g_ptr_array_unref);
  self->vmid_edited = FALSE;
  load_connection (self);
}

/* ------------------------------------------------------------------------------------------- */
/* The VMID: free in the cluster? (asked as the user types, once they stop)                    */

static void
on_vmid_checked (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  guint vmid = paddock_pve_client_get_nextid_finish (PADDOCK_PVE_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->vmid_checking = FALSE;
  g_clear_pointer (&self->vmid_problem, g_free);
  if (vmid == 0)
    /* Proxmox: "VM 123 already exists". */
    self->vmid_problem = g_strdup_printf (_("In use: %s"), error ? error->message : _("Proxmox refused it"));
  _paddock_create_wizard_update (self);
}

static gboolean
check_vmid (gpointer user_data)
{
  PaddockCreateWizard *self = user_data;
  guint64 vmid = 0;

  self->vmid_check_source = 0;
  if (client (self) == NULL || !g_ascii_string_to_unsigned (gtk_editable_get_text (GTK_EDITABLE (self->vmid_row)), 10,
                                                            100, 999999999, &vmid, NULL))
    {
      self->vmid_checking = FALSE;
      _paddock_create_wizard_update (self);
      return G_SOURCE_REMOVE;
    }

  paddock_pve_client_get_nextid_async (client (self), vmid, self->cancellable, on_vmid_checked, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
check_vmid_later (PaddockCreateWizard *self)
{
  g_clear_handle_id (&self->vmid_check_source, g_source_remove);
  g_clear_pointer (&self->vmid_problem, g_free);
  self->vmid_checking = TRUE;
  self->vmid_check_source = g_timeout_add (VMID_CHECK_DELAY_MS, check_vmid, self);
  _paddock_create_wizard_update (self);
}

static void
on_vmid_changed (PaddockCreateWizard *self)
{
  if (!self->filling)
    self->vmid_edited = TRUE;
  check_vmid_later (self);
}

static void
on_hostname_changed (PaddockCreateWizard *self)
{
  if (!self->filling)
    self->hostname_edited = TRUE;
  _paddock_create_wizard_update (self);
}

/* ------------------------------------------------------------------------------------------- */
/* Downloading the OS template the template wants (Proxmox's aplinfo)                          */

static void
on_downloaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(PaddockTaskInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = paddock_task_watcher_wait_finish (PADDOCK_TASK_WATCHER (object), result, &error);
  g_clear_object (&self->download);
  gtk_widget_set_visible (GTK_WIDGET (self->download_progress), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), TRUE);
  if (info == NULL || g_strcmp0 (info->exitstatus, "OK") != 0)
    {
      g_autofree char *text = g_strdup_printf (_("The download failed: %s"),
                                               error ? error->message : info->exitstatus ? info->exitstatus : "?");

      _paddock_create_wizard_toast (self, text);
      return;
    }

  _paddock_create_wizard_toast (self, _("Downloaded"));
  load_node (self);
}

static void
on_download_line (PaddockTaskWatcher  *watcher,
                  guint                number,
                  const char          *line,
                  PaddockCreateWizard *self)
{
  const char *percent = strchr (line, '%');

  /* wget's "… 45% …": a real fraction when there is one, a pulse otherwise. */
  if (percent != NULL && percent > line)
    {
      const char *start = percent;

      while (start > line && g_ascii_isdigit (start[-1]))
        start--;
      if (start < percent)
        {
          gtk_progress_bar_set_fraction (self->download_progress, g_ascii_strtod (start, NULL) / 100.0);
          return;
        }
    }
  gtk_progress_bar_pulse (self->download_progress);
}

static void
on_download_started (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *upid = paddock_pve_client_download_appliance_finish (PADDOCK_PVE_CLIENT (object), result, &error);

  if (upid == NULL || !(self->download = paddock_task_watcher_new (PADDOCK_PVE_CLIENT (object), upid, &error)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->download_progress), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), TRUE);
      _paddock_create_wizard_toast (self, error->message);
      return;
    }

  g_signal_connect_object (self->download, "log-line", G_CALLBACK (on_download_line), self, 0);
  paddock_task_watcher_wait_async (self->download, DOWNLOAD_TASK_SECONDS, self->cancellable, on_downloaded,
                                   g_object_ref (self));
}

typedef struct
{
  PaddockCreateWizard *self;
  char                *appliance;
} Download;

static void
on_download_storages (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Download *download = user_data;
  g_autoptr(PaddockCreateWizard) self = download->self;
  g_autofree char *appliance = download->appliance;
  g_autoptr(GPtrArray) storages = paddock_pve_client_get_storages_finish (PADDOCK_PVE_CLIENT (object), result, NULL);
  const char *storage = NULL;

  g_free (download);
  for (guint i = 0; storages != NULL && i < storages->len; i++)
    if (((PaddockStorage *) storages->pdata[i])->active && storage == NULL)
      storage = ((PaddockStorage *) storages->pdata[i])->storage;
  if (storage == NULL)
    {
      _paddock_create_wizard_toast (self, _("No storage on this node takes OS templates (content “vztmpl”)"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->download_progress), TRUE);
  gtk_progress_bar_set_fraction (self->download_progress, 0);
  paddock_pve_client_download_appliance_async (PADDOCK_PVE_CLIENT (object), chosen (self->node_row, self->node_values),
                                               storage, appliance, self->cancellable, on_download_started,
                                               g_object_ref (self));
}

static void
on_appliances (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autoptr(GPtrArray) appliances = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *picked = NULL;
  Download *download;

  appliances = paddock_pve_client_get_appliances_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (appliances == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), TRUE);
      _paddock_create_wizard_toast (self, error->message);
      return;
    }

  /* The same choice as for downloaded ones: the newest whose name starts with the pattern. */
  for (guint i = 0; i < appliances->len; i++)
    g_ptr_array_add (names, g_strdup_printf ("x:vztmpl/%s", ((PaddockAppliance *) appliances->pdata[i])->template));
  picked = paddock_pick_os_template (self->plan->os_template, names);
  if (picked == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Proxmox’s list has no “%s”"), self->plan->os_template);

      gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), TRUE);
      _paddock_create_wizard_toast (self, text);
      return;
    }

  download = g_new0 (Download, 1);
  download->self = g_object_ref (self);
  download->appliance = g_strdup (strstr (picked, ":vztmpl/") + strlen (":vztmpl/"));
  paddock_pve_client_get_storages_async (PADDOCK_PVE_CLIENT (object), chosen (self->node_row, self->node_values),
                                         "vztmpl", self->cancellable, on_download_storages, download);
}

static void
download_os_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PaddockCreateWizard *self = PADDOCK_CREATE_WIZARD (widget);

  if (client (self) == NULL || self->plan == NULL || chosen (self->node_row, self->node_values) == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->download_button), FALSE);
  paddock_pve_client_get_appliances_async (client (self), chosen (self->node_row, self->node_values),
                                           self->cancellable, on_appliances, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------- */
/* An SSH key from ~/.ssh                                                                      */

static void
on_key_loaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PaddockCreateWizard) self = user_data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      _paddock_create_wizard_toast (self, error->message);
      return;
    }
  if (length > 64 * 1024 || !g_utf8_validate (contents, length, NULL))
    {
      _paddock_create_wizard_toast (self, _("That file is not a public key"));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->ssh_key_row), g_strstrip (contents));
}

static void
on_key_chosen (GtkNativeDialog     *dialog,
               int                  response,
               PaddockCreateWizard *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_file_load_contents_async (file, self->cancellable, on_key_loaded, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
pick_ssh_key_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PaddockCreateWizard *self = PADDOCK_CREATE_WIZARD (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *ssh_dir = g_build_filename (g_get_home_dir (), ".ssh", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (ssh_dir);

  dialog = gtk_file_chooser_native_new (_("Choose a Public Key"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Use"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Public keys (*.pub)"));
  gtk_file_filter_add_pattern (filter, "*.pub");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (on_key_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ------------------------------------------------------------------------------------------- */
/* From the plan to the rows and back                                                          */

static void
set_entry (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
update_network_rows (PaddockCreateWizard *self)
{
  gboolean static4 = adw_combo_row_get_selected (self->ipv4_mode_row) == 1;
  gboolean static6 = adw_combo_row_get_selected (self->ipv6_mode_row) == 3;

  gtk_widget_set_visible (GTK_WIDGET (self->ipv4_row), static4);
  gtk_widget_set_visible (GTK_WIDGET (self->gateway_row), static4);
  gtk_widget_set_visible (GTK_WIDGET (self->ipv6_row), static6);
  gtk_widget_set_visible (GTK_WIDGET (self->gateway6_row), static6);
  _paddock_create_wizard_update (self);
}

void
_paddock_create_wizard_configure_prefill (PaddockCreateWizard *self)
{
  PaddockJobPlan *plan = self->plan;
  GListModel *clusters = paddock_workspace_get_clusters (self->workspace);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint ipv6_mode = 0;

  self->filling = TRUE;

  /* Connections: chosen once; a template changes the rest. */
  if (self->cluster_values == NULL)
    {
      guint chosen_position = 0;

      self->cluster_values = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < g_list_model_get_n_items (clusters); i++)
        {
          g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
          PaddockConnection *connection = paddock_workspace_get_connection (self->workspace, cluster);

          if (connection == NULL)
            continue;
          if (paddock_connection_get_is_default (connection))
            chosen_position = self->cluster_values->len;
          g_ptr_array_add (self->cluster_values, g_object_ref (cluster));
          g_ptr_array_add (labels, g_strdup (paddock_connection_get_name (connection)));
        }
      set_choices (self->connection_row, labels, NULL);
      adw_combo_row_set_selected (self->connection_row, chosen_position);
    }

  if (!self->hostname_edited)
    set_entry (self->hostname_row, plan->hostname);
  gtk_spin_button_set_value (self->cores_spin, plan->cores);
  gtk_spin_button_set_value (self->memory_spin, plan->memory);
  gtk_spin_button_set_value (self->swap_spin, plan->swap);
  gtk_spin_button_set_value (self->disk_spin, plan->disk);
  adw_combo_row_set_selected (self->ipv4_mode_row, g_strcmp0 (plan->ipv4, "dhcp") == 0 || plan->ipv4 == NULL ? 0 : 1);
  set_entry (self->ipv4_row, g_strcmp0 (plan->ipv4, "dhcp") == 0 ? NULL : plan->ipv4);
  set_entry (self->gateway_row, plan->gateway);
  if (g_strcmp0 (plan->ipv6, "auto") == 0)
    ipv6_mode = 1;
  else if (g_strcmp0 (plan->ipv6, "dhcp") == 0)
    ipv6_mode = 2;
  else if (plan->ipv6 != NULL)
    ipv6_mode = 3;
  adw_combo_row_set_selected (self->ipv6_mode_row, ipv6_mode);
  set_entry (self->ipv6_row, ipv6_mode == 3 ? plan->ipv6 : NULL);
  set_entry (self->gateway6_row, plan->gateway6);
  set_entry (self->nameserver_row, plan->nameserver);
  set_entry (self->searchdomain_row, plan->searchdomain);
  set_entry (self->ssh_key_row, plan->ssh_public_keys);
  gtk_switch_set_active (self->unprivileged_switch, plan->unprivileged);
  gtk_switch_set_active (self->nesting_switch, plan->nesting);
  gtk_switch_set_active (self->keyctl_switch, plan->keyctl);
  gtk_switch_set_active (self->fuse_switch, plan->fuse);
  gtk_switch_set_active (self->onboot_switch, plan->onboot);
  set_entry (self->tags_row, plan->tags);

  self->filling = FALSE;
  update_network_rows (self);

  /* The template may want another node's storage, bridge and OS: ask again. */
  if (self->node_values == NULL)
    load_connection (self);
  else
    load_node (self);
}

void
_paddock_create_wizard_configure_apply (PaddockCreateWizard *self,
                                        PaddockJobPlan      *plan)
{
  PaddockCluster *cluster = chosen_cluster (self);
  guint64 vmid = 0;
  guint ipv6_mode = adw_combo_row_get_selected (self->ipv6_mode_row);
  const char *os = chosen (self->os_row, self->os_values);

#define REPLACE(field, value) G_STMT_START { g_free (plan->field); plan->field = g_strdup (value); } G_STMT_END

  plan->connection_id = cluster ? paddock_cluster_get_connection_id (cluster) : 0;
  REPLACE (node, chosen (self->node_row, self->node_values));
  REPLACE (hostname, entry_text (self->hostname_row));
  g_ascii_string_to_unsigned (gtk_editable_get_text (GTK_EDITABLE (self->vmid_row)), 10, 0, 999999999, &vmid, NULL);
  plan->vmid = vmid;
  if (os != NULL)
    REPLACE (os_template, os);
  plan->cores = gtk_spin_button_get_value_as_int (self->cores_spin);
  plan->memory = gtk_spin_button_get_value_as_int (self->memory_spin);
  plan->swap = gtk_spin_button_get_value_as_int (self->swap_spin);
  plan->disk = gtk_spin_button_get_value_as_int (self->disk_spin);
  REPLACE (storage, chosen (self->storage_row, self->storage_values));
  REPLACE (bridge, chosen (self->bridge_row, self->bridge_values));
  if (adw_combo_row_get_selected (self->ipv4_mode_row) == 1)
    {
      REPLACE (ipv4, entry_text (self->ipv4_row) ? entry_text (self->ipv4_row) : "");
      REPLACE (gateway, entry_text (self->gateway_row));
    }
  else
    {
      REPLACE (ipv4, "dhcp");
      REPLACE (gateway, NULL);
    }
  REPLACE (ipv6, ipv6_mode == 1 ? "auto" : ipv6_mode == 2 ? "dhcp" : ipv6_mode == 3 ? entry_text (self->ipv6_row) : NULL);
  if (ipv6_mode == 3 && plan->ipv6 == NULL)
    REPLACE (ipv6, "");
  REPLACE (gateway6, ipv6_mode == 3 ? entry_text (self->gateway6_row) : NULL);
  REPLACE (nameserver, entry_text (self->nameserver_row));
  REPLACE (searchdomain, entry_text (self->searchdomain_row));
  REPLACE (ssh_public_keys, entry_text (self->ssh_key_row));
  plan->unprivileged = gtk_switch_get_active (self->unprivileged_switch);
  plan->nesting = gtk_switch_get_active (self->nesting_switch);
  plan->keyctl = gtk_switch_get_active (self->keyctl_switch);
  plan->fuse = gtk_switch_get_active (self->fuse_switch);
  plan->onboot = gtk_switch_get_active (self->onboot_switch);
  REPLACE (tags, entry_text (self->tags_row));

#undef REPLACE
}

/* ------------------------------------------------------------------------------------------- */
/* Checks                                                                                      */

static gboolean
parse_ipv4 (const char *text,
            guint32    *value)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);
  const guint8 *bytes;

  if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
    return FALSE;
  bytes = g_inet_address_to_bytes (address);
  *value = (guint32) bytes[0] << 24 | (guint32) bytes[1] << 16 | (guint32) bytes[2] << 8 | bytes[3];

  return TRUE;
}

/* Whether @gateway is in the network of @cidr ("10.0.0.5/24": host bits set, which
 * GInetAddressMask refuses). */
static gboolean
gateway_in_subnet (const char *cidr,
                   const char *gateway)
{
  g_autofree char *address = g_strndup (cidr, strcspn (cidr, "/"));
  const char *slash = strchr (cidr, '/');
  guint64 prefix = 0;
  guint32 network, host, mask;

  if (slash == NULL || !g_ascii_string_to_unsigned (slash + 1, 10, 0, 32, &prefix, NULL)
      || !parse_ipv4 (address, &network) || !parse_ipv4 (gateway, &host))
    return FALSE;
  mask = prefix == 0 ? 0 : G_MAXUINT32 << (32 - prefix);

  return (network & mask) == (host & mask);
}

static char *
check_field (GtkWidget  *row,
             char       *problem)
{
  set_row_problem (row, problem);
  return problem;
}

char *
_paddock_create_wizard_configure_check (PaddockCreateWizard *self)
{
  g_autoptr(PaddockJobPlan) plan = paddock_job_plan_copy (self->plan);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  const char *node = chosen (self->node_row, self->node_values);
  char *problem;
  guint64 vmid;

  _paddock_create_wizard_configure_apply (self, plan);

  /* Every row says its own problem; the first one is the reason Next gives. */
#define NOTE(row, text) G_STMT_START { \
    problem = check_field (GTK_WIDGET (row), (text)); \
    if (problem != NULL && first == NULL) \
      first = g_strdup (problem); \
    g_free (problem); \
  } G_STMT_END

  if (chosen_cluster (self) == NULL)
    NOTE (self->connection_row, g_strdup (_("Add a connection first")));
  else
    NOTE (self->connection_row, NULL);

  if (node == NULL)
    NOTE (self->node_row, g_strdup (self->node_values ? _("No node of this cluster is online") : _("Loading the nodes…")));
  else
    NOTE (self->node_row, NULL);

  if (self->node_loads > 0)
    NOTE (self->os_row, g_strdup (_("Loading what the node has…")));
  else if (chosen (self->os_row, self->os_values) == NULL)
    NOTE (self->os_row, g_strdup_printf (_("Choose an OS template, or download “%s”"), self->plan->os_template));
  else
    NOTE (self->os_row, NULL);

  if (!paddock_check_hostname (plan->hostname, &error))
    NOTE (self->hostname_row, g_strdup (error->message));
  else
    NOTE (self->hostname_row, NULL);
  g_clear_error (&error);

  if (!g_ascii_string_to_unsigned (gtk_editable_get_text (GTK_EDITABLE (self->vmid_row)), 10, 100, 999999999, &vmid, NULL))
    NOTE (self->vmid_row, g_strdup (_("A VMID is a number from 100 to 999999999")));
  else if (self->vmid_checking)
    NOTE (self->vmid_row, g_strdup (_("Checking that the VMID is free…")));
  else
    NOTE (self->vmid_row, g_strdup (self->vmid_problem));

  if (self->node_loads == 0 && self->storage_values != NULL && self->storage_values->len == 0)
    NOTE (self->storage_row, g_strdup_printf (_("No storage on %s can hold containers (content “rootdir”)"),
                                              node ? node : "?"));
  else
    NOTE (self->storage_row, NULL);
  if (self->node_loads == 0 && self->bridge_values != NULL && self->bridge_values->len == 0)
    NOTE (self->bridge_row, g_strdup_printf (_("%s has no network bridge"), node ? node : "?"));
  else
    NOTE (self->bridge_row, NULL);

  if (g_strcmp0 (plan->ipv4, "dhcp") != 0 && !paddock_check_ipv4_cidr (plan->ipv4, &error))
    NOTE (self->ipv4_row, g_strdup (error->message));
  else
    NOTE (self->ipv4_row, NULL);
  g_clear_error (&error);
  if (plan->gateway != NULL && g_strcmp0 (plan->ipv4, "dhcp") != 0 && paddock_check_ipv4_cidr (plan->ipv4, NULL)
      && !gateway_in_subnet (plan->ipv4, plan->gateway))
    NOTE (self->gateway_row, g_strdup_printf (_("%s is not in the network of %s"), plan->gateway, plan->ipv4));
  else
    NOTE (self->gateway_row, NULL);

  /* What the plan's own checks find (IPv6, name servers, keys, tags…), if nothing else did. */
  if (first == NULL && !paddock_job_plan_validate (plan, &error))
    first = g_strdup (error->message);

#undef NOTE

  return g_steal_pointer (&first);
}

/* ------------------------------------------------------------------------------------------- */

void
_paddock_create_wizard_configure_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.download-os", NULL, download_os_action);
  gtk_widget_class_install_action (widget_class, "wizard.pick-ssh-key", NULL, pick_ssh_key_action);
}

void
_paddock_create_wizard_configure_init (PaddockCreateWizard *self)
{
  g_signal_connect_object (self->connection_row, "notify::selected", G_CALLBACK (on_connection_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->node_row, "notify::selected", G_CALLBACK (on_node_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vmid_row, "changed", G_CALLBACK (on_vmid_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->hostname_row, "changed", G_CALLBACK (on_hostname_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ipv4_mode_row, "notify::selected", G_CALLBACK (update_network_rows), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ipv6_mode_row, "notify::selected", G_CALLBACK (update_network_rows), self,
                           G_CONNECT_SWAPPED);

  {
    GtkWidget *watched[] = {
      GTK_WIDGET (self->os_row), GTK_WIDGET (self->storage_row), GTK_WIDGET (self->bridge_row),
    };
    GtkWidget *entries[] = {
      GTK_WIDGET (self->ipv4_row), GTK_WIDGET (self->gateway_row), GTK_WIDGET (self->ipv6_row),
      GTK_WIDGET (self->gateway6_row), GTK_WIDGET (self->nameserver_row), GTK_WIDGET (self->searchdomain_row),
      GTK_WIDGET (self->ssh_key_row), GTK_WIDGET (self->tags_row),
    };

    for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
      g_signal_connect_object (watched[i], "notify::selected", G_CALLBACK (_paddock_create_wizard_update), self,
                               G_CONNECT_SWAPPED);
    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      g_signal_connect_object (entries[i], "changed", G_CALLBACK (_paddock_create_wizard_update), self,
                               G_CONNECT_SWAPPED);
  }
}

void
_paddock_create_wizard_configure_dispose (PaddockCreateWizard *self)
{
  g_cancellable_cancel (self->node_cancellable);
  g_clear_object (&self->node_cancellable);
  g_clear_handle_id (&self->vmid_check_source, g_source_remove);
  g_clear_object (&self->download);
  g_clear_pointer (&self->cluster_values, g_ptr_array_unref);
  g_clear_pointer (&self->node_values, g_ptr_array_unref);
  g_clear_pointer (&self->os_values, g_ptr_array_unref);
  g_clear_pointer (&self->storage_values, g_ptr_array_unref);
  g_clear_pointer (&self->bridge_values, g_ptr_array_unref);
  g_clear_pointer (&self->vmid_problem, g_free);
}
