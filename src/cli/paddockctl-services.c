/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-services.c: paddockctl services, logs and service start|stop|restart (SPEC.md §5) */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "paddockctl-commands.h"

/* The guest and pct for CT; NULL with *status set when it cannot be reached. */
static PaddockPct *
open_guest (CtlContext      *ctl,
            const char      *spec,
            PaddockGuest   **guest_out,
            PaddockCluster **cluster_out,
            int             *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockGuest) guest = NULL;
  PaddockCluster *cluster = NULL;
  PaddockPct *pct;

  if (!ctl_load_workspace (ctl, &error))
    {
      *status = ctl_fail (error);
      return NULL;
    }
  ctl_refresh_all (ctl, NULL);
  if (!(guest = ctl_resolve_guest (ctl, spec, &cluster, status)))
    return NULL;

  if (paddock_guest_get_state (guest) != PADDOCK_GUEST_STATE_RUNNING)
    {
      g_printerr ("paddockctl: CT %u (%s) is %s: start it first\n", paddock_guest_get_vmid (guest),
                  paddock_guest_get_display_name (guest), paddock_guest_get_status (guest));
      *status = CTL_EXIT_FAILURE;
      return NULL;
    }

  if (!(pct = ctl_pct_for_guest (ctl, cluster, guest, status)))
    return NULL;

  *guest_out = g_steal_pointer (&guest);
  *cluster_out = cluster;
  return pct;
}

/* services */

static void
add_port_json (JsonBuilder       *b,
               const PaddockPort *port,
               const char        *address)
{
  g_autofree char *url = paddock_port_dup_url (port, address, FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_string_value (b, port->protocol);
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, port->address);
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, port->port);
  json_builder_set_member_name (b, "scope");
  if (port->scope)
    json_builder_add_string_value (b, port->scope);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "url");
  if (url)
    json_builder_add_string_value (b, url);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static void
add_nullable_int (JsonBuilder *b,
                  const char  *name,
                  gint64       value,
                  gboolean     known)
{
  json_builder_set_member_name (b, name);
  if (known)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
print_services_json (PaddockProbeResult *result,
                     PaddockGuest       *guest,
                     gboolean            show_credentials)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *address = paddock_probe_result_get_address (result);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "vmid");
  json_builder_add_int_value (b, paddock_guest_get_vmid (guest));
  json_builder_set_member_name (b, "probed_at");
  json_builder_add_int_value (b, result->probed_at);
  json_builder_set_member_name (b, "addresses");
  json_builder_begin_array (b);
  for (guint i = 0; result->addresses && result->addresses[i]; i++)
    json_builder_add_string_value (b, result->addresses[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "missing");
  json_builder_begin_array (b);
  for (guint i = 0; result->missing && result->missing[i]; i++)
    json_builder_add_string_value (b, result->missing[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "services");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->services->len; i++)
    {
      PaddockService *service = g_ptr_array_index (result->services, i);
      GPtrArray *ports = paddock_service_get_ports (service);
      GPtrArray *credentials = paddock_service_get_credentials (service);
      gboolean has_unit = paddock_service_get_has_unit (service);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "unit");
      if (has_unit)
        json_builder_add_string_value (b, paddock_service_get_unit (service));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, paddock_service_get_name (service));
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, paddock_service_get_description (service));
      json_builder_set_member_name (b, "active_state");
      json_builder_add_string_value (b, paddock_service_get_active_state (service));
      json_builder_set_member_name (b, "sub_state");
      json_builder_add_string_value (b, paddock_service_get_sub_state (service));
      json_builder_set_member_name (b, "unit_file_state");
      json_builder_add_string_value (b, paddock_service_get_unit_file_state (service));
      json_builder_set_member_name (b, "system");
      json_builder_add_boolean_value (b, paddock_service_get_system (service));
      json_builder_set_member_name (b, "failed");
      json_builder_add_boolean_value (b, paddock_service_get_failed (service));
      add_nullable_int (b, "main_pid", paddock_service_get_main_pid (service), paddock_service_get_main_pid (service) > 0);
      add_nullable_int (b, "memory", paddock_service_get_memory (service), paddock_service_get_memory (service) >= 0);
      add_nullable_int (b, "active_since", paddock_service_get_active_since (service),
                        paddock_service_get_active_since (service) > 0);
      json_builder_set_member_name (b, "restarts");
      json_builder_add_int_value (b, paddock_service_get_restarts (service));
      json_builder_set_member_name (b, "ports");
      json_builder_begin_array (b);
      for (guint p = 0; p < ports->len; p++)
        add_port_json (b, g_ptr_array_index (ports, p), address);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "credentials");
      json_builder_begin_array (b);
      for (guint c = 0; c < credentials->len; c++)
        {
          PaddockCredentialFile *file = g_ptr_array_index (credentials, c);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "file");
          json_builder_add_string_value (b, file->path);
          if (file->error)
            {
              json_builder_set_member_name (b, "error");
              json_builder_add_string_value (b, file->error);
            }
          json_builder_set_member_name (b, "values");
          json_builder_begin_object (b);
          for (guint k = 0; file->keys && file->keys[k]; k++)
            {
              json_builder_set_member_name (b, file->keys[k]);
              /* Values only when asked for: they are secrets. */
              if (show_credentials)
                json_builder_add_string_value (b, file->values[k]);
              else
                json_builder_add_null_value (b);
            }
          json_builder_end_object (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "other_ports");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->other_ports->len; i++)
    add_port_json (b, g_ptr_array_index (result->other_ports, i), address);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "config_manager");
  if (result->config_manager)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, result->config_manager_state);
      json_builder_set_member_name (b, "result");
      json_builder_add_string_value (b, result->config_manager_result);
      add_nullable_int (b, "last_run", result->config_manager_last_run, result->config_manager_last_run > 0);
      json_builder_set_member_name (b, "last_line");
      json_builder_add_string_value (b, result->config_manager_last_line);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  ctl_print_json (b);
}

static char *
ports_text (GPtrArray *ports)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < ports->len; i++)
    {
      const PaddockPort *port = g_ptr_array_index (ports, i);
      g_autofree char *label = paddock_port_dup_label (port);

      g_string_append_printf (text, "%s%s/%s", text->len ? " " : "", label, port->protocol);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
print_services_table (PaddockProbeResult *result,
                      PaddockGuest       *guest,
                      gboolean            all,
                      gboolean            show_credentials)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint hidden = 0, credential_values = 0;
  gint64 now = result->probed_at;

  g_ptr_array_add (rows, g_strsplit ("SERVICE STATE ENABLED MEMORY UP PID PORTS", " ", -1));
  for (guint i = 0; i < result->services->len; i++)
    {
      PaddockService *service = g_ptr_array_index (result->services, i);
      GPtrArray *credentials = paddock_service_get_credentials (service);
      char **row;

      for (guint c = 0; c < credentials->len; c++)
        credential_values += g_strv_length (((PaddockCredentialFile *) g_ptr_array_index (credentials, c))->keys);

      if (paddock_service_get_system (service) && !all && !paddock_service_get_failed (service))
        {
          hidden++;
          continue;
        }

      row = g_new0 (char *, 8);
      row[0] = g_strdup (paddock_service_get_name (service));
      row[1] = paddock_service_get_has_unit (service)
               ? g_strdup_printf ("%s%s%s%s", paddock_service_get_failed (service) ? "FAILED" : paddock_service_get_active_state (service),
                                  paddock_service_get_failed (service) ? "" : " (",
                                  paddock_service_get_failed (service) ? "" : paddock_service_get_sub_state (service),
                                  paddock_service_get_failed (service) ? "" : ")")
               : g_strdup ("no unit");
      row[2] = g_strdup (paddock_service_get_has_unit (service) ? (paddock_service_get_enabled (service) ? "yes" : "no") : "—");
      row[3] = paddock_service_get_memory (service) >= 0
               ? g_format_size_full (paddock_service_get_memory (service), G_FORMAT_SIZE_IEC_UNITS) : g_strdup ("—");
      row[4] = paddock_service_get_active_since (service) > 0
               ? ctl_format_duration (MAX (60, now - paddock_service_get_active_since (service))) : g_strdup ("—");
      row[5] = paddock_service_get_main_pid (service) > 0
               ? g_strdup_printf ("%d", paddock_service_get_main_pid (service)) : g_strdup ("—");
      row[6] = ports_text (paddock_service_get_ports (service));
      g_ptr_array_add (rows, row);
    }
  ctl_print_table (rows);

  if (result->other_ports->len > 0)
    {
      g_autofree char *others = ports_text (result->other_ports);

      g_print ("\nListening outside any service: %s\n", others);
    }
  if (hidden > 0)
    g_print ("\n%u system services not shown (--all shows them).\n", hidden);
  if (result->config_manager)
    g_print ("\nconfig-manager: %s (%s), last line: %s\n", result->config_manager_state,
             result->config_manager_result ? result->config_manager_result : "—",
             result->config_manager_last_line ? result->config_manager_last_line : "—");

  if (show_credentials)
    {
      for (guint i = 0; i < result->services->len; i++)
        {
          PaddockService *service = g_ptr_array_index (result->services, i);
          GPtrArray *credentials = paddock_service_get_credentials (service);

          for (guint c = 0; c < credentials->len; c++)
            {
              PaddockCredentialFile *file = g_ptr_array_index (credentials, c);

              g_print ("\n%s (%s)\n", paddock_service_get_name (service), file->path);
              if (file->error)
                g_print ("  %s\n", file->error);
              for (guint k = 0; file->keys && file->keys[k]; k++)
                g_print ("  %s=%s\n", file->keys[k], file->values[k]);
            }
        }
    }
  else if (credential_values > 0)
    g_print ("\n%u credential values found (--show-credentials prints them).\n", credential_values);

  if (result->missing && result->missing[0])
    {
      g_autofree char *missing = g_strjoinv (", ", result->missing);

      g_printerr ("paddockctl: a partial result: CT %u has no %s\n", paddock_guest_get_vmid (guest), missing);
    }
}

int
ctl_command_services (CtlContext *ctl,
                      int         argc,
                      char      **argv)
{
  gboolean json = FALSE, all = FALSE, show_credentials = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON (credential values are null without --show-credentials)", NULL },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Also the system's own services (systemd-*, cron, …)", NULL },
    { "show-credentials", 0, 0, G_OPTION_ARG_NONE, &show_credentials, "Print credential values", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CT - what runs in a container: services, ports, credentials");
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockGuest) guest = NULL;
  g_autoptr(PaddockPct) pct = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(PaddockProbeResult) probe = NULL;
  g_autofree char *cache = NULL;
  PaddockCluster *cluster = NULL;
  int status = CTL_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 2)
    return ctl_usage_error (context, "Which container? paddockctl services CT");

  if (!(pct = open_guest (ctl, argv[1], &guest, &cluster, &status)))
    return status;

  paddock_probe_async (pct, paddock_guest_get_vmid (guest), NULL, CTL_ASYNC (result));
  if (!(probe = paddock_probe_finish (pct, ctl_wait (&result), &error)))
    return ctl_fail (error);

  /* The window shows the same at once next time, and searches it (no credentials kept). */
  cache = paddock_probe_result_to_json (probe);
  paddock_store_save_service_cache_async (ctl->store, paddock_cluster_get_connection_id (cluster),
                                          paddock_guest_get_vmid (guest), cache, NULL, CTL_ASYNC (saved));
  if (!paddock_store_save_service_cache_finish (ctl->store, ctl_wait (&saved), &error))
    g_printerr ("paddockctl: the result could not be kept for the window: %s\n", error->message);

  if (json)
    print_services_json (probe, guest, show_credentials);
  else
    print_services_table (probe, guest, all, show_credentials);

  return CTL_EXIT_OK;
}

/* logs */

static void
print_journal_line (PaddockSshStream  stream,
                    const char       *line,
                    gpointer          user_data)
{
  g_print ("%s\n", line);
}

static gboolean
on_interrupt (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

int
ctl_command_logs (CtlContext *ctl,
                  int         argc,
                  char      **argv)
{
  gboolean follow = FALSE;
  int lines = PADDOCK_JOURNAL_DEFAULT_LINES;
  GOptionEntry entries[] = {
    { "lines", 'n', 0, G_OPTION_ARG_INT, &lines, "How many of the last lines (default 200)", "N" },
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow, "Then print new lines as they come, until Ctrl+C", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CT UNIT - the journal of a service");
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockGuest) guest = NULL;
  g_autoptr(PaddockPct) pct = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *unit = NULL;
  PaddockCluster *cluster = NULL;
  int status = CTL_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 3)
    return ctl_usage_error (context, "paddockctl logs CT UNIT [-n N] [-f]");
  if (lines < 0 || lines > 100000)
    return ctl_usage_error (context, "--lines wants 0 to 100000");
  /* Refused before anything is sent. */
  if (!(unit = paddock_normalize_unit_name (argv[2], &error)))
    return ctl_usage_error (context, "%s", error->message);

  if (!(pct = open_guest (ctl, argv[1], &guest, &cluster, &status)))
    return status;

  if (follow)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      guint interrupt = g_unix_signal_add (SIGINT, on_interrupt, cancellable);
      guint terminate = g_unix_signal_add (SIGTERM, on_interrupt, cancellable);
      gboolean ok;

      paddock_service_follow_async (pct, paddock_guest_get_vmid (guest), unit, lines, print_journal_line, NULL,
                                    NULL, cancellable, CTL_ASYNC (result));
      ok = paddock_service_follow_finish (pct, ctl_wait (&result), &error);
      g_source_remove (interrupt);
      g_source_remove (terminate);
      if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return ctl_fail (error);
      return CTL_EXIT_OK;
    }

  paddock_service_logs_async (pct, paddock_guest_get_vmid (guest), unit, lines, NULL, CTL_ASYNC (result));
  {
    g_auto(GStrv) journal = paddock_service_logs_finish (pct, ctl_wait (&result), &error);

    if (journal == NULL)
      return ctl_fail (error);
    for (guint i = 0; journal[i] != NULL; i++)
      g_print ("%s\n", journal[i]);
    if (journal[0] == NULL)
      g_printerr ("paddockctl: %s has no journal entries in CT %u\n", unit, paddock_guest_get_vmid (guest));
  }

  return CTL_EXIT_OK;
}

/* service start|stop|restart */

int
ctl_command_service (CtlContext *ctl,
                     int         argc,
                     char      **argv)
{
  gboolean yes = FALSE;
  GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Do not ask (needed for stop when not on a terminal)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("start|stop|restart CT UNIT - act on a service");
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockGuest) guest = NULL;
  g_autoptr(PaddockPct) pct = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) recorded = NULL;
  g_autoptr(PaddockEvent) event = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *question = NULL;
  PaddockServiceAction action;
  PaddockCluster *cluster = NULL;
  int status = CTL_EXIT_OK;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 4 || !paddock_service_action_from_string (argv[1], &action))
    return ctl_usage_error (context, "paddockctl service start|stop|restart CT UNIT");
  if (!(unit = paddock_normalize_unit_name (argv[3], &error)))
    return ctl_usage_error (context, "%s", error->message);

  /* Stopping a service takes it away from its users: asked, or --yes from a script. */
  if (action == PADDOCK_SERVICE_STOP && !yes)
    {
      if (!ctl_is_interactive ())
        {
          g_printerr ("paddockctl: refusing to stop %s in %s without --yes (no terminal to ask on)\n", unit, argv[2]);
          return CTL_EXIT_USAGE;
        }
      question = g_strdup_printf ("Stop %s in %s? Whatever it serves stops answering.", unit, argv[2]);
      if (!ctl_confirm (question))
        return CTL_EXIT_FAILURE;
    }

  if (!(pct = open_guest (ctl, argv[2], &guest, &cluster, &status)))
    return status;

  paddock_service_action_async (pct, paddock_guest_get_vmid (guest), unit, action, NULL, CTL_ASYNC (result));
  ok = paddock_service_action_finish (pct, ctl_wait (&result), &error);

  event = paddock_event_new_service_action (paddock_cluster_get_connection_id (cluster), paddock_guest_get_vmid (guest),
                                            unit, paddock_service_action_to_string (action),
                                            ok ? NULL : error->message);
  paddock_store_add_event_async (ctl->store, event, NULL, CTL_ASYNC (recorded));
  paddock_store_add_event_finish (ctl->store, ctl_wait (&recorded), NULL);

  if (!ok)
    return ctl_fail (error);

  g_print ("%s in CT %u (%s)\n", paddock_event_get_message (event), paddock_guest_get_vmid (guest),
           paddock_guest_get_display_name (guest));
  return CTL_EXIT_OK;
}
