/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-guest-page.c: one container in detail: overview with live usage, and its events */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-console.h"
#include "paddock-console-window.h"
#include "paddock-format.h"
#include "paddock-graphs-view.h"
#include "paddock-guest-page.h"
#include "paddock-services-view.h"

typedef struct
{
  AdwActionRow *row;
  GtkLevelBar  *bar;
  GtkLabel     *label;          /* beside the bar */
  GtkLabel     *narrow_label;   /* alone, when the row has no room for the bar */
} UsageRow;

enum {
  USAGE_CPU,
  USAGE_MEMORY,
  USAGE_SWAP,
  USAGE_DISK,
  N_USAGE
};

struct _PaddockGuestPage
{
  AdwBin              parent_instance;

  PaddockWorkspace   *workspace;
  PaddockCluster     *cluster;
  PaddockGuest       *guest;
  GSignalGroup       *guest_signals;     /* follows whichever guest is shown */
  GCancellable       *cancellable;       /* of everything fetched for the current guest */
  guint               status_interval;
  guint               status_source;
  guint               pending;           /* requests out */
  guint               status_pending : 1;

  GPtrArray          *events;            /* PaddockEvent, newest first, tasks merged in */
  GPtrArray          *stored_events;
  GPtrArray          *tasks;             /* PaddockTaskInfo */
  GStrv               runtime_addresses;
  PaddockGuestConfig *config;
  char               *config_error;
  char               *template_name;     /* when Paddock made it */
  gint64              created_at;

  UsageRow            usage[N_USAGE];
  AdwActionRow       *uptime_row;
  GtkLabel           *uptime_label;
  GtkWidget          *usage_group;
  GtkWidget          *config_box;

  /* Template widgets */
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack       *view_stack;
  AdwClamp           *header_clamp;
  PaddockServicesView *services_view;
  PaddockConsole      *console;
  PaddockGraphsView   *graphs_view;
  GtkBox             *overview_box;
  GtkLabel           *name_label;
  GtkLabel           *status_label;
  GtkSpinner         *busy_spinner;
  GtkLabel           *facts_label;
  GtkDropDown        *event_filter;
  GtkListBox         *events_list;
  GtkWidget          *start_button;
  GtkWidget          *stop_button;
};

G_DEFINE_FINAL_TYPE (PaddockGuestPage, paddock_guest_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_status (PaddockGuestPage *self);

static void
begin_request (PaddockGuestPage *self)
{
  if (self->pending++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
end_request (PaddockGuestPage *self)
{
  g_return_if_fail (self->pending > 0);

  if (--self->pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Formatting */

static char *
format_bytes (gint64 bytes)
{
  return g_format_size_full (MAX (bytes, 0), G_FORMAT_SIZE_IEC_UNITS);
}

/* Header and status strip, from the list's guest */

static void
update_header (PaddockGuestPage *self)
{
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  const char *status;
  const char *classes[3] = { "status-badge", NULL, NULL };

  if (self->guest == NULL)
    return;

  name = paddock_guest_dup_display_name (self->guest);
  status = paddock_guest_get_status (self->guest);
  /* Translators: "CT 101 · pve1" */
  subtitle = g_strdup_printf (_("CT %u · %s"), paddock_guest_get_vmid (self->guest), paddock_guest_get_node (self->guest));
  adw_view_switcher_title_set_title (self->switcher_title, name);
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
  gtk_label_set_text (self->name_label, name);

  classes[1] = paddock_status_style_class (status);
  gtk_label_set_text (self->status_label, paddock_format_status (status));
  gtk_widget_set_css_classes (GTK_WIDGET (self->status_label), classes);

  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), paddock_guest_get_busy (self->guest));
  gtk_spinner_set_spinning (self->busy_spinner, paddock_guest_get_busy (self->guest));

  if (paddock_guest_get_offline (self->guest))
    {
      /* Translators: after "CT 101 · pve1" */
      g_autofree char *text = g_strdup_printf (_("%s · unreachable: last known state"), subtitle);

      gtk_label_set_text (self->facts_label, text);
    }
  else
    {
      g_autoptr(GString) text = g_string_new (subtitle);
      const char *lock = paddock_guest_get_lock (self->guest);
      const char *hastate = paddock_guest_get_hastate (self->guest);

      if (paddock_guest_get_template (self->guest))
        g_string_append_printf (text, " · %s", _("Proxmox template (cannot be started)"));
      if (g_strcmp0 (lock, "backup") == 0)
        g_string_append_printf (text, " · %s", _("locked by a running backup: power actions wait until it ends"));
      else if (lock != NULL)
        /* Translators: the lock Proxmox holds, e.g. "snapshot" */
        g_string_append_printf (text, _(" · locked by Proxmox (%s): power actions will fail until it is released"), lock);
      if (g_strcmp0 (hastate, "error") == 0)
        g_string_append_printf (text, " · %s", _("HA error: the HA manager does not start or stop it until the error is cleared"));
      else if (hastate != NULL)
        /* Translators: the HA manager's state, e.g. "started" */
        g_string_append_printf (text, _(" · HA %s: started and stopped through the HA manager"), hastate);
      gtk_label_set_text (self->facts_label, text->str);
    }

  /* The main buttons show what can be done now; the window's actions decide if it is allowed. */
  gtk_widget_set_visible (self->start_button, paddock_guest_get_state (self->guest) != PADDOCK_GUEST_STATE_RUNNING &&
                                              !paddock_guest_get_template (self->guest));
  gtk_widget_set_visible (self->stop_button, paddock_guest_get_state (self->guest) == PADDOCK_GUEST_STATE_RUNNING);
}

/* Usage (status/current every few seconds while the page is shown) */

/* A narrow row wraps its title between words, not inside them ("Memory", not "Me-mory"):
 * libadwaita's title label breaks anywhere. Nothing changes if it is not found. */
static void
keep_title_words_whole (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "title"))
    {
      gtk_label_set_wrap_mode (GTK_LABEL (widget), PANGO_WRAP_WORD);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    keep_title_words_whole (child);
}

static void
set_usage (PaddockGuestPage *self,
           guint             which,
           double            fraction,
           const char       *text)
{
  UsageRow *usage = &self->usage[which];

  gtk_level_bar_set_value (usage->bar, CLAMP (fraction, 0.0, 1.0));
  gtk_label_set_text (usage->label, text);
  gtk_label_set_text (usage->narrow_label, text);
}

static void
set_usage_bytes (PaddockGuestPage *self,
                 guint             which,
                 gint64            used,
                 gint64            total)
{
  g_autofree char *used_text = format_bytes (used);
  g_autofree char *total_text = format_bytes (total);
  g_autofree char *text = NULL;

  if (total <= 0)
    {
      set_usage (self, which, 0.0, "—");
      return;
    }

  /* Translators: "512.0 MiB of 2.0 GiB (25 %)" */
  text = g_strdup_printf (_("%s of %s (%.0f %%)"), used_text, total_text, 100.0 * used / total);
  set_usage (self, which, (double) used / total, text);
}

static void
on_status (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockGuestPage) self = user_data;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GError) error = NULL;
  double cpu, cpus;
  g_autofree char *cpu_text = NULL;
  g_autofree char *uptime = NULL;

  status = paddock_pve_client_get_guest_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->status_pending = FALSE;
  end_request (self);
  schedule_status (self);

  if (status == NULL)
    return;  /* the list's banner says why the connection failed */

  cpu = json_object_get_double_member_with_default (status, "cpu", 0.0);
  /* The list's reading of the same figure (maxcpu: cores, a limit such as 0.5, or the node's). */
  cpus = paddock_guest_get_maxcpu (self->guest);
  {
    g_autofree char *of = paddock_format_cpus (cpus);

    /* Translators: CPU use, e.g. "12.5 % of 2 cores" or "40.0 % of 0.5 CPU" */
    cpu_text = g_strdup_printf (_("%.1f %% of %s"), cpu * 100.0, of);
  }
  set_usage (self, USAGE_CPU, cpu, cpu_text);
  set_usage_bytes (self, USAGE_MEMORY, json_object_get_int_member_with_default (status, "mem", 0),
                   json_object_get_int_member_with_default (status, "maxmem", 0));
  set_usage_bytes (self, USAGE_SWAP, json_object_get_int_member_with_default (status, "swap", 0),
                   json_object_get_int_member_with_default (status, "maxswap", 0));
  set_usage_bytes (self, USAGE_DISK, json_object_get_int_member_with_default (status, "disk", 0),
                   json_object_get_int_member_with_default (status, "maxdisk", 0));

  uptime = paddock_format_duration (json_object_get_int_member_with_default (status, "uptime", 0));
  gtk_label_set_text (self->uptime_label, uptime);
}

static void
request_status (PaddockGuestPage *self)
{
  self->status_pending = TRUE;
  begin_request (self);
  paddock_pve_client_get_guest_status_async (paddock_cluster_get_client (self->cluster), paddock_guest_get_node (self->guest),
                                             paddock_guest_get_vmid (self->guest), self->cancellable, on_status,
                                             g_object_ref (self));
}

static gboolean
fetch_status (gpointer user_data)
{
  PaddockGuestPage *self = user_data;

  self->status_source = 0;
  if (self->guest == NULL || self->status_pending)
    return G_SOURCE_REMOVE;

  /* Only while someone looks: a hidden page costs nothing. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || paddock_guest_get_offline (self->guest))
    {
      schedule_status (self);
      return G_SOURCE_REMOVE;
    }

  request_status (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_status (PaddockGuestPage *self)
{
  g_clear_handle_id (&self->status_source, g_source_remove);
  if (self->guest != NULL)
    self->status_source = g_timeout_add_seconds (MAX (1, self->status_interval), fetch_status, self);
}

/* Overview: the configuration */

static GtkWidget *
add_group (PaddockGuestPage *self,
           const char       *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (GTK_BOX (self->config_box), group);
  return group;
}

static void
add_fact (GtkWidget  *group,
          const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value && *value ? value : "—");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "paddock-fact");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("Yes") : _("No");
}

static void
rebuild_config (PaddockGuestPage *self)
{
  PaddockGuestConfig *config = self->config;
  GtkWidget *child;
  GtkWidget *group;

  while ((child = gtk_widget_get_first_child (self->config_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->config_box), child);

  if (config == NULL)
    {
      if (self->config_error != NULL)
        {
          group = add_group (self, _("Configuration"));
          add_fact (group, _("Could not read the configuration"), self->config_error);
        }
      return;
    }

  group = add_group (self, _("General"));
  {
    g_autofree char *vmid = g_strdup_printf ("%u", paddock_guest_get_vmid (self->guest));
    const char *cpulimit = g_hash_table_lookup (config->raw, "cpulimit");
    double limit = cpulimit != NULL ? g_ascii_strtod (cpulimit, NULL) : 0;
    g_autofree char *all = config->cores ? g_strdup_printf ("%u", config->cores) : g_strdup (_("all of the node's"));
    /* Translators: cores, then a CPU time limit: "all of the node's, limited to 0.5 CPU" */
    g_autofree char *cores = limit > 0 ? g_strdup_printf (_("%s, limited to %.2g CPU"), all, limit) : g_strdup (all);
    g_auto(GStrv) tag_list = paddock_tags_split (config->tags);
    g_autofree char *tags = g_strjoinv (", ", tag_list);
    g_autofree char *memory = format_bytes (config->memory << 20);
    g_autofree char *swap = format_bytes (config->swap << 20);

    add_fact (group, _("Hostname"), config->hostname);
    add_fact (group, _("VMID"), vmid);
    add_fact (group, _("Node"), paddock_guest_get_node (self->guest));
    add_fact (group, _("Operating System"), config->ostype);
    add_fact (group, _("Architecture"), config->arch);
    add_fact (group, _("CPU Cores"), cores);
    add_fact (group, _("Memory"), memory);
    add_fact (group, _("Swap"), swap);
    add_fact (group, _("Start on Boot"), yes_no (config->onboot));
    add_fact (group, _("Tags"), *tags ? tags : NULL);
    if (config->description != NULL && *config->description != '\0')
      add_fact (group, _("Notes"), config->description);
    if (self->template_name != NULL)
      add_fact (group, _("Paddock Template"), self->template_name);
    if (self->created_at > 0)
      {
        g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (self->created_at);
        g_autofree char *when = created ? g_date_time_format (created, "%x %H:%M") : NULL;

        add_fact (group, _("Created by Paddock"), when);
      }
  }

  group = add_group (self, _("Network"));
  for (guint i = 0; i < config->networks->len; i++)
    {
      PaddockNetInterface *net = g_ptr_array_index (config->networks, i);
      g_autofree char *title = g_strdup_printf ("%s (%s)", net->name ? net->name : net->id, net->id);
      g_autoptr(GString) value = g_string_new (NULL);

      /* Translators: parts of a network interface's description */
      g_string_append_printf (value, _("Bridge %s"), net->bridge ? net->bridge : "—");
      if (net->ip != NULL)
        g_string_append_printf (value, " · %s", net->ip);
      if (net->gw != NULL)
        g_string_append_printf (value, _(" · gateway %s"), net->gw);
      if (net->ip6 != NULL)
        g_string_append_printf (value, " · %s", net->ip6);
      if (net->tag > 0)
        g_string_append_printf (value, _(" · VLAN %u"), net->tag);
      if (net->hwaddr != NULL)
        g_string_append_printf (value, " · MAC %s", net->hwaddr);
      if (net->firewall)
        g_string_append (value, _(" · firewall"));
      add_fact (group, title, value->str);
    }
  if (config->networks->len == 0)
    add_fact (group, _("Interfaces"), _("None"));
  if (self->runtime_addresses != NULL && self->runtime_addresses[0] != NULL)
    {
      g_autofree char *addresses = g_strjoinv (", ", self->runtime_addresses);

      add_fact (group, _("Addresses Now"), addresses);
    }

  group = add_group (self, _("Storage"));
  for (guint i = 0; i < config->mounts->len; i++)
    {
      PaddockMount *mount = g_ptr_array_index (config->mounts, i);
      g_autofree char *size = mount->size > 0 ? format_bytes (mount->size) : NULL;
      g_autofree char *title = g_strdup_printf ("%s (%s)", mount->mountpoint ? mount->mountpoint : "?", mount->id);
      g_autofree char *value = size ? g_strdup_printf ("%s · %s", mount->volume, size) : g_strdup (mount->volume);

      add_fact (group, title, value);
    }

  group = add_group (self, _("Features"));
  add_fact (group, _("Unprivileged"), yes_no (config->unprivileged));
  add_fact (group, _("Nesting"), yes_no (config->nesting));
  add_fact (group, _("Keyctl"), yes_no (config->keyctl));
  add_fact (group, _("FUSE"), yes_no (config->fuse));
}

static void
on_config (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockGuestPage) self = user_data;
  g_autoptr(GError) error = NULL;
  PaddockGuestConfig *config;

  config = paddock_pve_client_get_guest_config_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_pointer (&self->config, paddock_guest_config_free);
  g_clear_pointer (&self->config_error, g_free);
  self->config = config;
  if (error != NULL)
    self->config_error = g_strdup (error->message);
  rebuild_config (self);
  end_request (self);
}

static void
on_interfaces (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PaddockGuestPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  interfaces = paddock_pve_client_get_interfaces_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
    {
      PaddockInterface *interface = g_ptr_array_index (interfaces, i);

      if (g_strcmp0 (interface->name, "lo") == 0 || interface->addresses == NULL)
        continue;
      for (guint a = 0; interface->addresses[a] != NULL; a++)
        if (!g_str_has_prefix (interface->addresses[a], "fe80:"))
          {
            g_autofree char *entry = g_strdup_printf ("%s (%s)", interface->addresses[a], interface->name);

            g_strv_builder_add (builder, entry);
          }
    }

  g_clear_pointer (&self->runtime_addresses, g_strfreev);
  self->runtime_addresses = g_strv_builder_end (builder);
  rebuild_config (self);
  end_request (self);
}

/* Events: Paddock's own, with the container's Proxmox tasks merged in */

static gboolean
kind_shown (PaddockGuestPage *self,
            PaddockEventKind  kind)
{
  switch (gtk_drop_down_get_selected (self->event_filter))
    {
    case 1:
      return kind == PADDOCK_EVENT_ACTION_STARTED || kind == PADDOCK_EVENT_ACTION_SUCCEEDED ||
             kind == PADDOCK_EVENT_ACTION_FAILED;
    case 2:
      return kind == PADDOCK_EVENT_ERROR || kind == PADDOCK_EVENT_ACTION_FAILED ||
             kind == PADDOCK_EVENT_PROVISION_FAILED;
    case 3:
      return kind == PADDOCK_EVENT_PROXMOX_TASK;
    case 4:
      return kind == PADDOCK_EVENT_PROVISION_STEP || kind == PADDOCK_EVENT_PROVISION_SUCCEEDED ||
             kind == PADDOCK_EVENT_PROVISION_FAILED;
    case 5:
      return kind == PADDOCK_EVENT_SERVICE_ACTION;
    default:
      return TRUE;
    }
}

/* What an action looks like: a shutdown is not shown with a play icon. */
static const char *
action_icon (PaddockEvent *event)
{
  g_autofree char *action = paddock_event_dup_arg (event, "action");

  if (g_strcmp0 (action, "start") == 0)
    return "media-playback-start-symbolic";
  if (g_strcmp0 (action, "shutdown") == 0)
    return "system-shutdown-symbolic";
  if (g_strcmp0 (action, "stop") == 0)
    return "media-playback-stop-symbolic";
  if (g_strcmp0 (action, "reboot") == 0 || g_strcmp0 (action, "restart") == 0)
    return "system-reboot-symbolic";
  if (g_strcmp0 (action, "delete") == 0)
    return "user-trash-symbolic";
  return NULL;
}

static const char *
kind_icon (PaddockEventKind kind)
{
  switch (kind)
    {
    case PADDOCK_EVENT_ACTION_SUCCEEDED:
    case PADDOCK_EVENT_PROVISION_SUCCEEDED:
      return "emblem-ok-symbolic";
    case PADDOCK_EVENT_ACTION_FAILED:
    case PADDOCK_EVENT_PROVISION_FAILED:
    case PADDOCK_EVENT_ERROR:
      return "dialog-error-symbolic";
    case PADDOCK_EVENT_PROXMOX_TASK:
      return "system-run-symbolic";
    case PADDOCK_EVENT_PROVISION_STEP:
      return "emblem-system-symbolic";
    case PADDOCK_EVENT_SERVICE_ACTION:
      return "system-run-symbolic";
    case PADDOCK_EVENT_ACTION_STARTED:
    default:
      return "content-loading-symbolic";
    }
}

static const char *
kind_label (PaddockEventKind kind)
{
  switch (kind)
    {
    case PADDOCK_EVENT_ACTION_STARTED: return _("Action started");
    case PADDOCK_EVENT_ACTION_SUCCEEDED: return _("Action succeeded");
    case PADDOCK_EVENT_ACTION_FAILED: return _("Action failed");
    case PADDOCK_EVENT_PROVISION_STEP: return _("Provisioning step");
    case PADDOCK_EVENT_PROVISION_SUCCEEDED: return _("Provisioning succeeded");
    case PADDOCK_EVENT_PROVISION_FAILED: return _("Provisioning failed");
    case PADDOCK_EVENT_SERVICE_ACTION: return _("Service");
    case PADDOCK_EVENT_ERROR: return _("Error");
    case PADDOCK_EVENT_PROXMOX_TASK: return _("Proxmox task");
    default: return "";
    }
}

/* Details are JSON; shown as text a person reads: log lines as lines, the rest as "key: value". */
static char *
details_text (const char *details)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  JsonNode *root;

  if (details == NULL || !json_parser_load_from_data (parser, details, -1, NULL))
    return g_strdup (details);

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return json_to_string (root, TRUE);

  {
    JsonObject *object = json_node_get_object (root);
    g_autoptr(GList) members = json_object_get_members (object);

    for (GList *l = members; l != NULL; l = l->next)
      {
        JsonNode *value = json_object_get_member (object, l->data);

        if (JSON_NODE_HOLDS_ARRAY (value))
          {
            JsonArray *array = json_node_get_array (value);

            g_string_append_printf (text, "%s%s:", text->len ? "\n" : "", (const char *) l->data);
            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                JsonNode *item = json_array_get_element (array, i);

                if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
                  g_string_append_printf (text, "\n  %s", json_node_get_string (item));
                else
                  {
                    g_autofree char *json = json_to_string (item, FALSE);

                    g_string_append_printf (text, "\n  %s", json);
                  }
              }
          }
        else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
          g_string_append_printf (text, "%s%s: %s", text->len ? "\n" : "", (const char *) l->data,
                                  json_node_get_string (value));
        else
          {
            g_autofree char *json = json_to_string (value, FALSE);

            g_string_append_printf (text, "%s%s: %s", text->len ? "\n" : "", (const char *) l->data, json);
          }
      }
  }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
create_event_row (PaddockEvent *event)
{
  PaddockEventKind kind = paddock_event_get_kind (event);
  /* Event times are microseconds since the epoch. */
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (paddock_event_get_time (event) / G_USEC_PER_SEC);
  /* In the user's locale: their date order and 12/24 h clock. */
  g_autofree char *clock = time ? g_date_time_format (time, "%x %X") : g_strdup ("?");
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", clock, kind_label (kind));
  g_autofree char *details = details_text (paddock_event_get_details (event));
  const char *icon_name = kind == PADDOCK_EVENT_ACTION_STARTED || kind == PADDOCK_EVENT_SERVICE_ACTION
                          ? action_icon (event) : NULL;
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name != NULL ? icon_name : kind_icon (kind));
  GtkWidget *row;

  if (kind == PADDOCK_EVENT_ACTION_FAILED || kind == PADDOCK_EVENT_ERROR || kind == PADDOCK_EVENT_PROVISION_FAILED)
    gtk_widget_add_css_class (icon, "error");
  else if (kind == PADDOCK_EVENT_ACTION_SUCCEEDED || kind == PADDOCK_EVENT_PROVISION_SUCCEEDED)
    gtk_widget_add_css_class (icon, "success");

  if (details != NULL && *details != '\0')
    {
      GtkWidget *label = gtk_label_new (details);

      row = adw_expander_row_new ();
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "monospace");
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), label);
    }
  else
    {
      row = adw_action_row_new ();
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), paddock_event_get_message (event));
  return row;
}

static void
rebuild_events (PaddockGuestPage *self)
{
  GtkListBoxRow *row;
  guint shown = 0;

  while ((row = gtk_list_box_get_row_at_index (self->events_list, 0)) != NULL)
    gtk_list_box_remove (self->events_list, GTK_WIDGET (row));

  for (guint i = 0; self->events != NULL && i < self->events->len && shown < 300; i++)
    {
      PaddockEvent *event = g_ptr_array_index (self->events, i);

      if (!kind_shown (self, paddock_event_get_kind (event)))
        continue;
      gtk_list_box_append (self->events_list, create_event_row (event));
      shown++;
    }
}

static void
on_event_filter_changed (PaddockGuestPage *self)
{
  rebuild_events (self);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  gint64 ta = paddock_event_get_time (*(PaddockEvent **) a);
  gint64 tb = paddock_event_get_time (*(PaddockEvent **) b);

  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

static void
merge_events (PaddockGuestPage *self)
{
  g_clear_pointer (&self->events, g_ptr_array_unref);
  self->events = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; self->stored_events != NULL && i < self->stored_events->len; i++)
    g_ptr_array_add (self->events, g_object_ref (g_ptr_array_index (self->stored_events, i)));

  for (guint i = 0; self->tasks != NULL && i < self->tasks->len; i++)
    {
      PaddockTaskInfo *task = g_ptr_array_index (self->tasks, i);
      g_autofree char *message = NULL;
      g_autofree char *details = NULL;
      PaddockEvent *event;

      /* Translators: a Proxmox task, e.g. "vzstart by root@pam: OK" */
      message = g_strdup_printf (_("%s by %s: %s"), task->type ? task->type : "task", task->user ? task->user : "?",
                                 task->running ? _("running") : task->exitstatus ? task->exitstatus : "?");
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "upid");
        json_builder_add_string_value (builder, task->upid);
        json_builder_end_object (builder);
        root = json_builder_get_root (builder);
        details = json_to_string (root, FALSE);
      }
      event = paddock_event_new (paddock_guest_get_connection_id (self->guest), paddock_guest_get_vmid (self->guest),
                                 PADDOCK_EVENT_PROXMOX_TASK, message, details);
      _paddock_event_set_row (event, 0, task->starttime * G_USEC_PER_SEC);
      g_ptr_array_add (self->events, event);
    }

  g_ptr_array_sort (self->events, compare_newest_first);
  rebuild_events (self);
}

static void
on_events (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockGuestPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *events;

  events = paddock_store_list_events_finish (PADDOCK_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Could not read the events of CT %u: %s", paddock_guest_get_vmid (self->guest), error->message);

  g_clear_pointer (&self->stored_events, g_ptr_array_unref);
  self->stored_events = events;
  merge_events (self);
  end_request (self);
}

static void
on_tasks (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PaddockGuestPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *tasks;

  tasks = paddock_pve_client_get_tasks_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Without the tasks the timeline still shows Paddock's own events. */
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  self->tasks = tasks;
  merge_events (self);
  end_request (self);
}

/* Loading */

void
paddock_guest_page_reload (PaddockGuestPage *self)
{
  PaddockPveClient *client;
  const char *node;
  guint vmid;

  g_return_if_fail (PADDOCK_IS_GUEST_PAGE (self));

  if (self->guest == NULL)
    return;

  client = paddock_cluster_get_client (self->cluster);
  node = paddock_guest_get_node (self->guest);
  vmid = paddock_guest_get_vmid (self->guest);

  begin_request (self);
  paddock_store_list_events_async (paddock_workspace_get_store (self->workspace),
                                   paddock_guest_get_connection_id (self->guest), vmid, 500, self->cancellable,
                                   on_events, g_object_ref (self));

  /* Offline: the last known list row is all there is; no requests that would only fail. */
  if (paddock_guest_get_offline (self->guest))
    return;

  begin_request (self);
  paddock_pve_client_get_guest_config_async (client, node, vmid, self->cancellable, on_config, g_object_ref (self));
  begin_request (self);
  paddock_pve_client_get_tasks_async (client, node, vmid, 0, 50, self->cancellable, on_tasks, g_object_ref (self));
  if (paddock_guest_get_state (self->guest) == PADDOCK_GUEST_STATE_RUNNING)
    {
      begin_request (self);
      paddock_pve_client_get_interfaces_async (client, node, vmid, self->cancellable, on_interfaces, g_object_ref (self));
    }
  else
    g_clear_pointer (&self->runtime_addresses, g_strfreev);

  if (!self->status_pending)
    {
      g_clear_handle_id (&self->status_source, g_source_remove);
      request_status (self);
    }
}

static void
on_guest_notify (PaddockGuestPage *self,
                 GParamSpec       *pspec,
                 PaddockGuest     *guest)
{
  const char *name = g_param_spec_get_name (pspec);

  update_header (self);

  /* Started or stopped elsewhere: the addresses and tasks changed too. */
  if (g_str_equal (name, "status") && !paddock_guest_get_busy (guest))
    paddock_guest_page_reload (self);
}

static void
clear_guest (PaddockGuestPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->status_source, g_source_remove);
  if (self->guest_signals != NULL)
    g_signal_group_set_target (self->guest_signals, NULL);
  g_clear_object (&self->guest);
  g_clear_object (&self->cluster);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->stored_events, g_ptr_array_unref);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->runtime_addresses, g_strfreev);
  g_clear_pointer (&self->config, paddock_guest_config_free);
  g_clear_pointer (&self->config_error, g_free);
  g_clear_pointer (&self->template_name, g_free);
  self->created_at = 0;
  self->status_pending = FALSE;
  if (self->pending > 0)
    {
      self->pending = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

/* GObject */

static void
paddock_guest_page_dispose (GObject *object)
{
  PaddockGuestPage *self = PADDOCK_GUEST_PAGE (object);

  clear_guest (self);
  g_clear_object (&self->guest_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_GUEST_PAGE);

  G_OBJECT_CLASS (paddock_guest_page_parent_class)->dispose (object);
}

static void
paddock_guest_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PaddockGuestPage *self = PADDOCK_GUEST_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The Services tab probes, and the Graphs tab fetches, only while in front. */
static void
update_services_active (PaddockGuestPage *self)
{
  const char *tab = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean mapped = gtk_widget_get_mapped (GTK_WIDGET (self));

  paddock_services_view_set_active (self->services_view, mapped && g_strcmp0 (tab, "services") == 0);
  paddock_graphs_view_set_active (self->graphs_view, mapped && g_strcmp0 (tab, "graphs") == 0);
}

/* The shown container's console in the console window, beside the others opened there. */
static void
console_window_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PaddockGuestPage *self = PADDOCK_GUEST_PAGE (widget);
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (widget));
  GtkApplication *application = window ? gtk_window_get_application (window) : NULL;
  PaddockConsoleWindow *consoles;

  if (self->guest == NULL || application == NULL)
    return;

  consoles = paddock_console_window_get_default (PADDOCK_APPLICATION (application));
  paddock_console_window_add (consoles, self->workspace, self->cluster, self->guest);
  gtk_window_present (GTK_WINDOW (consoles));
}

/* The clamp of a tab's content (not one inside a status page, which has its own). */
static AdwClamp *
find_clamp (GtkWidget *widget)
{
  if (ADW_IS_CLAMP (widget))
    return ADW_CLAMP (widget);
  if (ADW_IS_STATUS_PAGE (widget))
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwClamp *clamp = find_clamp (child);

      if (clamp != NULL)
        return clamp;
    }

  return NULL;
}

/* The title and its facts line up with the tab's content: as wide as the tab's clamp (the
 * overview 720 px, services 900, graphs 960), or the whole width (the console). */
static void
align_header (PaddockGuestPage *self)
{
  GtkWidget *tab = adw_view_stack_get_visible_child (self->view_stack);
  AdwClamp *clamp = tab != NULL ? find_clamp (tab) : NULL;

  adw_clamp_set_maximum_size (self->header_clamp,
                              clamp != NULL ? adw_clamp_get_maximum_size (clamp) : G_MAXINT / 2);
}

static void
paddock_guest_page_class_init (PaddockGuestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_guest_page_dispose;
  object_class->get_property = paddock_guest_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PADDOCK_TYPE_SERVICES_VIEW);
  g_type_ensure (PADDOCK_TYPE_CONSOLE);
  g_type_ensure (PADDOCK_TYPE_GRAPHS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-guest-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, event_filter);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, events_list);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, facts_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, overview_box);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, header_clamp);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, services_view);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, console);
  gtk_widget_class_bind_template_child (widget_class, PaddockGuestPage, graphs_view);
  gtk_widget_class_install_action (widget_class, "guest.console-window", NULL, console_window_action);
  gtk_widget_class_bind_template_callback (widget_class, on_event_filter_changed);
}

static void
on_usage_activated (PaddockGuestPage *self,
                    AdwActionRow     *row)
{
  paddock_guest_page_show_graph (self, g_object_get_data (G_OBJECT (row), "paddock-graph"));
}

static void
paddock_guest_page_init (PaddockGuestPage *self)
{
  static const char *titles[N_USAGE] = { N_("CPU"), N_("Memory"), N_("Swap"), N_("Root Disk") };
  static const char *usage_graphs[N_USAGE] = { "cpu", "memory", "memory", "disk" };
  GtkWidget *group;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->guest_signals = g_signal_group_new (PADDOCK_TYPE_GUEST);
  g_signal_group_connect_object (self->guest_signals, "notify", G_CALLBACK (on_guest_notify), self,
                                 G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name", G_CALLBACK (update_services_active), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name", G_CALLBACK (align_header), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "map", G_CALLBACK (update_services_active), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "unmap", G_CALLBACK (update_services_active), self, G_CONNECT_SWAPPED);

  /* Usage rows are made once and updated in place every few seconds. */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Usage"));
  for (guint i = 0; i < N_USAGE; i++)
    {
      UsageRow *usage = &self->usage[i];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *squeezer;

      usage->row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (usage->row), _(titles[i]));
      usage->bar = GTK_LEVEL_BAR (gtk_level_bar_new ());
      gtk_level_bar_add_offset_value (usage->bar, GTK_LEVEL_BAR_OFFSET_LOW, 0.7);
      gtk_level_bar_add_offset_value (usage->bar, GTK_LEVEL_BAR_OFFSET_HIGH, 0.9);
      gtk_level_bar_add_offset_value (usage->bar, GTK_LEVEL_BAR_OFFSET_FULL, 1.0);
      gtk_widget_add_css_class (GTK_WIDGET (usage->bar), "paddock-usage");
      gtk_widget_set_size_request (GTK_WIDGET (usage->bar), 64, -1);
      gtk_widget_set_valign (GTK_WIDGET (usage->bar), GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (usage->bar), GTK_ACCESSIBLE_PROPERTY_LABEL, _(titles[i]), -1);
      usage->label = GTK_LABEL (gtk_label_new ("—"));
      gtk_widget_add_css_class (GTK_WIDGET (usage->label), "numeric");
      gtk_label_set_xalign (usage->label, 1);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (usage->label));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (usage->bar));
      gtk_widget_set_halign (box, GTK_ALIGN_END);
      /* On a phone-sized window the figures keep their room and the bar goes: "512.0 MiB of
       * 2.0 GiB (25 %)" whole rather than the bar and half of it. */
      usage->narrow_label = GTK_LABEL (gtk_label_new ("—"));
      gtk_widget_add_css_class (GTK_WIDGET (usage->narrow_label), "numeric");
      gtk_label_set_xalign (usage->narrow_label, 1);
      gtk_label_set_ellipsize (usage->narrow_label, PANGO_ELLIPSIZE_END);
      squeezer = adw_squeezer_new ();
      adw_squeezer_add (ADW_SQUEEZER (squeezer), box);
      adw_squeezer_add (ADW_SQUEEZER (squeezer), GTK_WIDGET (usage->narrow_label));
      adw_action_row_add_suffix (usage->row, squeezer);
      keep_title_words_whole (GTK_WIDGET (usage->row));
      /* Each bar opens its graph: how it got there. */
      adw_action_row_add_suffix (usage->row, gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (usage->row), TRUE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (usage->row), _("Show the Graph"));
      g_object_set_data (G_OBJECT (usage->row), "paddock-graph", (gpointer) usage_graphs[i]);
      g_signal_connect_object (usage->row, "activated", G_CALLBACK (on_usage_activated), self, G_CONNECT_SWAPPED);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (usage->row));
    }
  self->uptime_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->uptime_row), _("Uptime"));
  /* A value, read as the figures above it are: on the right, not a subtitle. */
  self->uptime_label = GTK_LABEL (gtk_label_new ("—"));
  gtk_widget_add_css_class (GTK_WIDGET (self->uptime_label), "numeric");
  adw_action_row_add_suffix (self->uptime_row, GTK_WIDGET (self->uptime_label));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->uptime_row));
  self->usage_group = group;
  gtk_box_append (self->overview_box, group);

  self->config_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_box_append (self->overview_box, self->config_box);
}

GtkWidget *
paddock_guest_page_new (void)
{
  return g_object_new (PADDOCK_TYPE_GUEST_PAGE, NULL);
}

void
paddock_guest_page_set_guest (PaddockGuestPage *self,
                              PaddockWorkspace *workspace,
                              PaddockCluster   *cluster,
                              PaddockGuest     *guest,
                              guint             status_interval_seconds)
{
  g_return_if_fail (PADDOCK_IS_GUEST_PAGE (self));
  g_return_if_fail (PADDOCK_IS_WORKSPACE (workspace));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));
  g_return_if_fail (PADDOCK_IS_GUEST (guest));

  if (self->guest == guest)
    return;

  clear_guest (self);
  self->workspace = g_object_ref (workspace);
  self->cluster = g_object_ref (cluster);
  self->guest = g_object_ref (guest);
  self->cancellable = g_cancellable_new ();
  self->status_interval = status_interval_seconds;
  g_signal_group_set_target (self->guest_signals, guest);

  for (guint i = 0; i < N_USAGE; i++)
    set_usage (self, i, 0.0, "—");
  gtk_label_set_text (self->uptime_label, "—");
  rebuild_config (self);
  rebuild_events (self);
  update_header (self);
  adw_view_stack_set_visible_child_name (self->view_stack, "overview");
  paddock_services_view_set_guest (self->services_view, workspace, cluster, guest);
  paddock_console_set_guest (self->console, workspace, cluster, guest);
  paddock_graphs_view_set_guest (self->graphs_view, cluster, guest);

  paddock_guest_page_reload (self);
}

PaddockGuest *
paddock_guest_page_get_guest (PaddockGuestPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_PAGE (self), NULL);

  return self->guest;
}

gboolean
paddock_guest_page_get_loading (PaddockGuestPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_PAGE (self), FALSE);

  return self->pending > 0;
}

void
paddock_guest_page_set_settings (PaddockGuestPage *self,
                                 PaddockSettings  *settings)
{
  g_return_if_fail (PADDOCK_IS_GUEST_PAGE (self));

  paddock_services_view_set_settings (self->services_view, settings);
  paddock_console_set_settings (self->console, settings);
}

void
paddock_guest_page_show_services (PaddockGuestPage *self)
{
  g_return_if_fail (PADDOCK_IS_GUEST_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "services");
}

PaddockServicesView *
paddock_guest_page_get_services_view (PaddockGuestPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_PAGE (self), NULL);

  return self->services_view;
}

void
paddock_guest_page_show_events (PaddockGuestPage *self)
{
  g_return_if_fail (PADDOCK_IS_GUEST_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "events");
}

void
paddock_guest_page_set_origin (PaddockGuestPage *self,
                               const char       *template_name,
                               gint64            created_at)
{
  g_return_if_fail (PADDOCK_IS_GUEST_PAGE (self));

  g_free (self->template_name);
  self->template_name = g_strdup (template_name);
  self->created_at = created_at;
  rebuild_config (self);
}

/* The Graphs tab, with @graph ("cpu", "memory", "network", "disk") in view. */
void
paddock_guest_page_show_graph (PaddockGuestPage *self,
                               const char       *graph)
{
  g_return_if_fail (PADDOCK_IS_GUEST_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "graphs");
  paddock_graphs_view_reveal (self->graphs_view, graph);
}

PaddockGraphsView *
paddock_guest_page_get_graphs_view (PaddockGuestPage *self)
{
  g_return_val_if_fail (PADDOCK_IS_GUEST_PAGE (self), NULL);

  return self->graphs_view;
}
