/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-service-row.c: one service of a container: state, ports, credentials, actions */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-format.h"
#include "paddock-service-row.h"

struct _PaddockServiceRow
{
  AdwExpanderRow  parent_instance;

  PaddockService *service;
  char           *address;
  GtkLabel       *state_badge;
  GtkLabel       *ports_label;
  GPtrArray      *rows;          /* GtkWidget: the rows inside, rebuilt when the service changes */
  GHashTable     *https;         /* "ADDRESS:PORT" the user wants opened with https */
  GHashTable     *revealed;      /* credential file paths shown in clear */
};

G_DEFINE_FINAL_TYPE (PaddockServiceRow, paddock_service_row, ADW_TYPE_EXPANDER_ROW)

static void rebuild (PaddockServiceRow *self);

static const char *
state_text (PaddockService *service)
{
  const char *state = paddock_service_get_active_state (service);

  if (!paddock_service_get_has_unit (service))
    return _("no unit");
  if (paddock_service_get_failed (service))
    return _("failed");
  if (g_strcmp0 (state, "active") == 0)
    return g_strcmp0 (paddock_service_get_sub_state (service), "exited") == 0 ? _("done") : _("running");
  if (g_strcmp0 (state, "inactive") == 0)
    return _("stopped");
  if (g_strcmp0 (state, "activating") == 0)
    return _("starting");
  if (g_strcmp0 (state, "deactivating") == 0)
    return _("stopping");

  return state ? state : _("unknown");
}

static const char *
state_class (PaddockService *service)
{
  if (paddock_service_get_failed (service))
    return "error";
  if (paddock_service_get_running (service))
    return "running";
  if (g_strcmp0 (paddock_service_get_active_state (service), "activating") == 0 ||
      g_strcmp0 (paddock_service_get_active_state (service), "deactivating") == 0)
    return "warning";

  return "stopped";
}

static GtkWidget *
add_row (PaddockServiceRow *self,
         const char        *title,
         const char        *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Everything here came from the container: text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  g_ptr_array_add (self->rows, row);
  return row;
}

static GtkWidget *
action_button (const char *label,
               const char *icon,
               const char *action,
               GVariant   *target,
               const char *tooltip)
{
  GtkWidget *button = label ? gtk_button_new_with_mnemonic (label) : gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  if (tooltip != NULL)
    {
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
    }
  if (label == NULL)
    gtk_widget_add_css_class (button, "flat");

  return button;
}

static char *
status_text (PaddockService *service)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 since = paddock_service_get_active_since (service);

  g_string_append_printf (text, "%s (%s)", paddock_service_get_active_state (service),
                          paddock_service_get_sub_state (service));
  g_string_append (text, " · ");
  g_string_append (text, paddock_service_get_enabled (service) ? _("starts at boot") : _("does not start at boot"));
  if (paddock_service_get_main_pid (service) > 0)
    /* Translators: the service's main process */
    g_string_append_printf (text, " · %s %d", _("PID"), paddock_service_get_main_pid (service));
  if (paddock_service_get_memory (service) >= 0)
    {
      g_autofree char *memory = g_format_size_full (paddock_service_get_memory (service), G_FORMAT_SIZE_IEC_UNITS);

      g_string_append_printf (text, " · %s", memory);
    }
  if (since > 0)
    {
      g_autofree char *duration = paddock_format_duration (MAX (60, g_get_real_time () / G_USEC_PER_SEC - since));

      g_string_append (text, " · ");
      /* Translators: how long a service has been running, e.g. "up 3 h 12 min" */
      g_string_append_printf (text, _("up %s"), duration);
    }
  if (paddock_service_get_restarts (service) > 0)
    {
      /* Translators: how often systemd restarted a service */
      g_autofree char *restarts = g_strdup_printf (ngettext ("restarted %d time", "restarted %d times",
                                                             paddock_service_get_restarts (service)),
                                                   paddock_service_get_restarts (service));

      g_string_append_printf (text, " · %s", restarts);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
on_https_toggled (GtkToggleButton *button,
                  gpointer         user_data)
{
  PaddockServiceRow *self = PADDOCK_SERVICE_ROW (user_data);
  const char *key = g_object_get_data (G_OBJECT (button), "port-key");

  if (gtk_toggle_button_get_active (button))
    g_hash_table_add (self->https, g_strdup (key));
  else
    g_hash_table_remove (self->https, key);
  rebuild (self);
}

static void
add_port_rows (PaddockServiceRow *self)
{
  GPtrArray *ports = paddock_service_get_ports (self->service);

  for (guint i = 0; i < ports->len; i++)
    {
      const PaddockPort *port = g_ptr_array_index (ports, i);
      g_autofree char *label = paddock_port_dup_label (port);
      g_autofree char *title = g_strdup_printf ("%s (%s)", label, port->protocol);
      gboolean https = g_hash_table_contains (self->https, label);
      g_autofree char *url = paddock_port_dup_url (port, self->address, https);
      GtkWidget *row = add_row (self, title, url ? url : port->scope ? _("only on this interface")
                                                  : g_str_equal (port->protocol, "udp") ? _("UDP: nothing to open")
                                                  : _("only inside the container"));

      if (url != NULL)
        {
          GtkWidget *toggle = gtk_toggle_button_new_with_label ("HTTPS");
          g_autofree char *tooltip = g_strdup_printf (_("Open %s"), url);

          gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), https || port->port == 443 || port->port == 8443);
          gtk_widget_set_sensitive (toggle, port->port != 443 && port->port != 8443);
          gtk_widget_set_tooltip_text (toggle, _("Open it with https"));
          gtk_widget_add_css_class (toggle, "flat");
          g_object_set_data_full (G_OBJECT (toggle), "port-key", g_strdup (label), g_free);
          g_signal_connect_object (toggle, "toggled", G_CALLBACK (on_https_toggled), self, G_CONNECT_DEFAULT);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     action_button (_("_Open"), NULL, "svc.open-url", g_variant_new_string (url),
                                                    tooltip));
        }
    }
}

static void
on_reveal_toggled (GtkToggleButton *button,
                   gpointer         user_data)
{
  PaddockServiceRow *self = PADDOCK_SERVICE_ROW (user_data);
  const char *path = g_object_get_data (G_OBJECT (button), "path");

  if (gtk_toggle_button_get_active (button))
    g_hash_table_add (self->revealed, g_strdup (path));
  else
    g_hash_table_remove (self->revealed, path);
  rebuild (self);
}

static void
add_credential_rows (PaddockServiceRow *self)
{
  GPtrArray *files = paddock_service_get_credentials (self->service);

  for (guint i = 0; i < files->len; i++)
    {
      const PaddockCredentialFile *file = g_ptr_array_index (files, i);
      guint n = file->keys ? g_strv_length (file->keys) : 0;
      gboolean revealed = g_hash_table_contains (self->revealed, file->path);
      /* Translators: a credentials file's subtitle */
      g_autofree char *count = g_strdup_printf (ngettext ("%u credential", "%u credentials", n), n);
      GtkWidget *row = add_row (self, file->path, file->error ? file->error : count);
      GtkWidget *reveal;

      if (n == 0)
        continue;

      reveal = gtk_toggle_button_new ();
      gtk_button_set_icon_name (GTK_BUTTON (reveal), revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
      gtk_widget_set_valign (reveal, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (reveal, "flat");
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (reveal), revealed);
      gtk_widget_set_tooltip_text (reveal, revealed ? _("Hide the values") : _("Show the values"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (reveal), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      revealed ? _("Hide the values") : _("Show the values"), -1);
      g_object_set_data_full (G_OBJECT (reveal), "path", g_strdup (file->path), g_free);
      g_signal_connect_object (reveal, "toggled", G_CALLBACK (on_reveal_toggled), self, G_CONNECT_DEFAULT);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), reveal);
      {
        g_autofree char *target = g_strdup_printf ("%s\n%s", paddock_service_get_unit (self->service), file->path);

        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   action_button (NULL, "document-save-symbolic", "svc.save-credentials",
                                                  g_variant_new_string (target), _("Save to the keyring")));
      }

      for (guint k = 0; k < n; k++)
        {
          GtkWidget *value_row = add_row (self, file->keys[k], revealed ? file->values[k] : "••••••••");
          g_autofree char *tooltip = g_strdup_printf (_("Copy %s"), file->keys[k]);

          gtk_widget_add_css_class (value_row, "property");
          adw_action_row_add_suffix (ADW_ACTION_ROW (value_row),
                                     action_button (NULL, "edit-copy-symbolic", "svc.copy",
                                                    g_variant_new_string (file->values[k]), tooltip));
        }
    }
}

static void
add_action_row (PaddockServiceRow *self)
{
  const char *unit = paddock_service_get_unit (self->service);
  gboolean running = paddock_service_get_running (self->service);
  GtkWidget *row = add_row (self, _("Actions"), NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  if (!running)
    gtk_box_append (GTK_BOX (box), action_button (_("_Start"), NULL, "svc.start", g_variant_new_string (unit), NULL));
  else
    {
      gtk_box_append (GTK_BOX (box), action_button (_("_Restart"), NULL, "svc.restart", g_variant_new_string (unit), NULL));
      gtk_box_append (GTK_BOX (box), action_button (_("S_top…"), NULL, "svc.stop", g_variant_new_string (unit), NULL));
    }
  gtk_box_append (GTK_BOX (box), action_button (_("_Logs"), NULL, "svc.logs", g_variant_new_string (unit), NULL));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
}

static void
rebuild (PaddockServiceRow *self)
{
  PaddockService *service = self->service;
  GPtrArray *ports = paddock_service_get_ports (service);
  const char *description = paddock_service_get_description (service);
  const char *classes[3] = { "status-badge", NULL, NULL };
  g_autoptr(GString) port_text = g_string_new (NULL);
  g_autofree char *status = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), paddock_service_get_name (service));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), description ? description : "");

  classes[1] = state_class (service);
  gtk_label_set_text (self->state_badge, state_text (service));
  gtk_widget_set_css_classes (GTK_WIDGET (self->state_badge), classes);

  /* The port numbers once each ([::]:80 and 0.0.0.0:80 are one port to a reader). */
  {
    g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint16));

    for (guint i = 0; i < ports->len; i++)
      {
        guint16 number = ((PaddockPort *) g_ptr_array_index (ports, i))->port;
        gboolean seen = FALSE;

        for (guint j = 0; j < numbers->len; j++)
          seen |= g_array_index (numbers, guint16, j) == number;
        if (!seen)
          g_array_append_val (numbers, number);
      }
    for (guint i = 0; i < numbers->len && i < 4; i++)
      g_string_append_printf (port_text, "%s%u", i ? ", " : "", g_array_index (numbers, guint16, i));
    if (numbers->len > 4)
      g_string_append (port_text, ", …");
  }
  gtk_label_set_text (self->ports_label, port_text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->ports_label), ports->len > 0);

  if (paddock_service_get_failed (service))
    gtk_widget_add_css_class (GTK_WIDGET (self), "paddock-failed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "paddock-failed");

  if (paddock_service_get_has_unit (service))
    {
      status = status_text (service);
      gtk_widget_add_css_class (add_row (self, paddock_service_get_unit (service), status), "property");
    }
  else
    add_row (self, _("No unit of this name"),
             _("A credentials file names this service, but no systemd unit does (yet)."));

  add_port_rows (self);
  add_credential_rows (self);
  if (paddock_service_get_has_unit (service))
    add_action_row (self);

  {
    /* Translators: a screen reader's name of a service row, e.g. "nginx, running, ports 80, 443" */
    g_autofree char *label = ports->len ? g_strdup_printf (_("%s, %s, ports %s"), paddock_service_get_name (service),
                                                           state_text (service), port_text->str)
                                        : g_strdup_printf (_("%s, %s"), paddock_service_get_name (service),
                                                           state_text (service));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
}

static void
paddock_service_row_dispose (GObject *object)
{
  PaddockServiceRow *self = PADDOCK_SERVICE_ROW (object);

  g_clear_object (&self->service);

  G_OBJECT_CLASS (paddock_service_row_parent_class)->dispose (object);
}

static void
paddock_service_row_finalize (GObject *object)
{
  PaddockServiceRow *self = PADDOCK_SERVICE_ROW (object);

  g_free (self->address);
  g_ptr_array_unref (self->rows);
  g_hash_table_unref (self->https);
  g_hash_table_unref (self->revealed);

  G_OBJECT_CLASS (paddock_service_row_parent_class)->finalize (object);
}

static void
paddock_service_row_class_init (PaddockServiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_service_row_dispose;
  object_class->finalize = paddock_service_row_finalize;
}

static void
paddock_service_row_init (PaddockServiceRow *self)
{
  self->rows = g_ptr_array_new ();
  self->https = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->revealed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->ports_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->ports_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->ports_label), "numeric");
  self->state_badge = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->state_badge), GTK_ALIGN_CENTER);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->ports_label));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->state_badge));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
}

GtkWidget *
paddock_service_row_new (PaddockService *service,
                         const char     *address)
{
  PaddockServiceRow *self;

  g_return_val_if_fail (PADDOCK_IS_SERVICE (service), NULL);

  self = g_object_new (PADDOCK_TYPE_SERVICE_ROW, NULL);
  self->service = g_object_ref (service);
  self->address = g_strdup (address);
  g_signal_connect_object (service, "changed", G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
  rebuild (self);

  return GTK_WIDGET (self);
}

PaddockService *
paddock_service_row_get_service (PaddockServiceRow *self)
{
  g_return_val_if_fail (PADDOCK_IS_SERVICE_ROW (self), NULL);
  return self->service;
}

void
paddock_service_row_set_address (PaddockServiceRow *self,
                                 const char        *address)
{
  g_return_if_fail (PADDOCK_IS_SERVICE_ROW (self));

  if (g_strcmp0 (self->address, address) == 0)
    return;
  g_free (self->address);
  self->address = g_strdup (address);
  rebuild (self);
}
