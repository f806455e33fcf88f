/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-guests.c: paddockctl list, status, start|shutdown|stop|reboot|delete and exec */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paddockctl-commands.h"

static void
add_member_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Numbers Proxmox did not send (a container of an offline node) are null, never a made-up 0. */
static void
add_guest_json (JsonBuilder  *builder,
                const char   *connection,
                PaddockGuest *guest)
{
  gboolean known = paddock_guest_get_figures_known (guest);
  gboolean running = paddock_guest_get_state (guest) == PADDOCK_GUEST_STATE_RUNNING;
  g_autofree char *name = paddock_guest_dup_display_name (guest);
  g_auto(GStrv) tags = paddock_guest_dup_tag_list (guest);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "connection");
  json_builder_add_string_value (builder, connection);
  json_builder_set_member_name (builder, "vmid");
  json_builder_add_int_value (builder, paddock_guest_get_vmid (guest));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  add_member_or_null (builder, "status", paddock_guest_get_status (guest));
  add_member_or_null (builder, "node", paddock_guest_get_node (guest));
  json_builder_set_member_name (builder, "cpu");
  if (known && running)
    json_builder_add_double_value (builder, paddock_guest_get_cpu (guest));
  else
    json_builder_add_null_value (builder);
  /* maxcpu: the cores, a CPU limit (0.5), or the node's count; 0 means Proxmox did not say. */
  json_builder_set_member_name (builder, "cpus");
  if (known && paddock_guest_get_maxcpu (guest) > 0)
    json_builder_add_double_value (builder, paddock_guest_get_maxcpu (guest));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "memory_used");
  if (known)
    json_builder_add_int_value (builder, paddock_guest_get_mem (guest));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "memory_max");
  if (known && paddock_guest_get_maxmem (guest) > 0)
    json_builder_add_int_value (builder, paddock_guest_get_maxmem (guest));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "uptime");
  if (known)
    json_builder_add_int_value (builder, paddock_guest_get_uptime (guest));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; tags[i] != NULL; i++)
    json_builder_add_string_value (builder, tags[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "template");
  json_builder_add_boolean_value (builder, paddock_guest_get_template (guest));
  add_member_or_null (builder, "lock", paddock_guest_get_lock (guest));
  add_member_or_null (builder, "ha_state", paddock_guest_get_hastate (guest));
  json_builder_end_object (builder);
}

/* The STATUS column and line: "template", "running, HA error", "stopped, locked (backup)". */
static char *
describe_status (PaddockGuest *guest)
{
  g_autoptr(GString) text = g_string_new (paddock_guest_get_template (guest) ? "template"
                                          : paddock_guest_get_status (guest) ? paddock_guest_get_status (guest)
                                          : "unknown");

  if (paddock_guest_get_hastate (guest) != NULL)
    g_string_append_printf (text, ", HA %s", paddock_guest_get_hastate (guest));
  if (paddock_guest_get_lock (guest) != NULL)
    g_string_append_printf (text, ", locked (%s)", paddock_guest_get_lock (guest));

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_cpus (double cpus)
{
  if (cpus <= 0)
    return g_strdup ("all of the node's CPUs");
  if (cpus != (double) (guint) cpus)
    return g_strdup_printf ("%.2g CPU", cpus);

  return g_strdup_printf ("%u core%s", (guint) cpus, (guint) cpus == 1 ? "" : "s");
}

int
ctl_command_list (CtlContext *ctl,
                  int         argc,
                  char      **argv)
{
  g_autofree char *only_connection = NULL, *status = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "connection", 'c', 0, G_OPTION_ARG_STRING, &only_connection, "Only this connection", "NAME" },
    { "status", 's', 0, G_OPTION_ARG_STRING, &status, "Only containers in this status (running, stopped, unknown) or templates (template)", "STATUS" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print JSON: [{connection, vmid, name, status, node, cpu, cpus, memory_used, memory_max, uptime, tags, template, lock, ha_state}] (null: not known)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- list the containers of every connection");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  GListModel *clusters;
  gboolean complete;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (!ctl_load_workspace (ctl, &error))
    return ctl_fail (error);
  if (only_connection != NULL)
    {
      g_autoptr(PaddockConnection) connection = ctl_find_connection (ctl, only_connection, &error);

      if (connection == NULL)
        return ctl_fail (error);
    }

  complete = ctl_refresh_all (ctl, only_connection);

  json_builder_begin_array (builder);
  g_ptr_array_add (rows, g_strsplit ("CONNECTION|VMID|NAME|STATUS|NODE|CPU|MEMORY|UPTIME|TAGS", "|", -1));
  clusters = paddock_workspace_get_clusters (ctl->workspace);
  for (guint i = 0; i < g_list_model_get_n_items (clusters); i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
      const char *name = paddock_connection_get_name (paddock_workspace_get_connection (ctl->workspace, cluster));

      if (only_connection != NULL && !g_str_equal (name, only_connection))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (cluster)); j++)
        {
          g_autoptr(PaddockGuest) guest = g_list_model_get_item (G_LIST_MODEL (cluster), j);
          char **row;

          if (g_strcmp0 (paddock_guest_get_guest_type (guest), "lxc") != 0)
            continue;
          if (status != NULL && (g_str_equal (status, "template") ? !paddock_guest_get_template (guest)
                                 : g_strcmp0 (paddock_guest_get_status (guest), status) != 0))
            continue;

          if (json)
            {
              add_guest_json (builder, name, guest);
              continue;
            }

          row = g_new0 (char *, 10);
          row[0] = g_strdup (name);
          row[1] = g_strdup_printf ("%u", paddock_guest_get_vmid (guest));
          row[2] = paddock_guest_dup_display_name (guest);
          row[3] = describe_status (guest);
          row[4] = g_strdup (paddock_guest_get_node (guest));
          /* "—": not known (an offline node) or nothing to measure (not running). */
          row[5] = paddock_guest_get_figures_known (guest) &&
                   paddock_guest_get_state (guest) == PADDOCK_GUEST_STATE_RUNNING
                   ? g_strdup_printf ("%.0f%%", paddock_guest_get_cpu (guest) * 100) : g_strdup ("—");
          if (paddock_guest_get_figures_known (guest) && paddock_guest_get_maxmem (guest) > 0)
            {
              g_autofree char *used = g_format_size_full (paddock_guest_get_mem (guest), G_FORMAT_SIZE_IEC_UNITS);
              g_autofree char *max = g_format_size_full (paddock_guest_get_maxmem (guest), G_FORMAT_SIZE_IEC_UNITS);

              row[6] = g_strdup_printf ("%s / %s", used, max);
            }
          else
            row[6] = g_strdup ("—");
          row[7] = paddock_guest_get_figures_known (guest) && paddock_guest_get_uptime (guest) > 0
                   ? ctl_format_duration (paddock_guest_get_uptime (guest)) : g_strdup ("—");
          {
            g_auto(GStrv) tags = paddock_guest_dup_tag_list (guest);

            row[8] = g_strjoinv (";", tags);
          }
          g_ptr_array_add (rows, row);
        }
    }
  json_builder_end_array (builder);

  if (json)
    ctl_print_json (builder);
  else
    ctl_print_table (rows);

  return complete ? CTL_EXIT_OK : CTL_EXIT_FAILURE;
}

static int
show_unreachable (const char   *connection,
                  PaddockGuest *guest,
                  gboolean      json,
                  GError       *error)
{
  g_autofree char *name = paddock_guest_dup_display_name (guest);
  g_autofree char *status = describe_status (guest);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_guest_json (builder, connection, guest);
      ctl_print_json (builder);
    }
  else
    {
      g_print ("%s/%u  %s\n", connection, paddock_guest_get_vmid (guest), name);
      g_print ("  status:       %s\n", status);
      g_print ("  node:         %s\n", paddock_guest_get_node (guest));
    }
  g_printerr ("paddockctl: node %s does not answer (%s): only what the cluster knows of CT %u is shown\n",
              paddock_guest_get_node (guest), error->message, paddock_guest_get_vmid (guest));

  return CTL_EXIT_FAILURE;
}

int
ctl_command_status (CtlContext *ctl,
                    int         argc,
                    char      **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: the list fields plus hostname, cores, memory_mb, swap_mb, rootfs, "
      "unprivileged, onboot, description, networks [{name, bridge, ip, hwaddr}]", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CT - show one container");
  g_autoptr(PaddockGuest) guest = NULL;
  g_autoptr(PaddockGuestConfig) config = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const PaddockMount *rootfs = NULL;
  PaddockCluster *cluster = NULL;
  PaddockPveClient *client;
  const char *connection;
  int status = CTL_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 2)
    return ctl_usage_error (context, "Name one container: a VMID, a name, or CONNECTION/VMID");
  if (!ctl_load_workspace (ctl, &error))
    return ctl_fail (error);
  ctl_refresh_all (ctl, NULL);
  if (!(guest = ctl_resolve_guest (ctl, argv[1], &cluster, &status)))
    return status;

  client = paddock_cluster_get_client (cluster);
  connection = paddock_connection_get_name (paddock_workspace_get_connection (ctl->workspace, cluster));
  paddock_pve_client_get_guest_config_async (client, paddock_guest_get_node (guest), paddock_guest_get_vmid (guest), NULL,
                                             CTL_ASYNC (result));
  if (!(config = paddock_pve_client_get_guest_config_finish (client, ctl_wait (&result), &error)))
    {
      /* Its node is offline: what the cluster knows, and which node does not answer. */
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNREACHABLE))
        return show_unreachable (connection, guest, json, error);
      return ctl_fail (error);
    }
  rootfs = config->mounts && config->mounts->len ? g_ptr_array_index (config->mounts, 0) : NULL;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      add_guest_json (builder, connection, guest);
      node = json_builder_get_root (builder);
      object = json_node_get_object (node);
      if (config->hostname != NULL)
        json_object_set_string_member (object, "hostname", config->hostname);
      else
        json_object_set_null_member (object, "hostname");
      /* 0: no cores set, all of the node's. */
      if (config->cores > 0)
        json_object_set_int_member (object, "cores", config->cores);
      else
        json_object_set_null_member (object, "cores");
      json_object_set_int_member (object, "memory_mb", config->memory);
      json_object_set_int_member (object, "swap_mb", config->swap);
      json_object_set_string_member (object, "rootfs", rootfs ? rootfs->volume : "");
      json_object_set_boolean_member (object, "unprivileged", config->unprivileged);
      json_object_set_boolean_member (object, "onboot", config->onboot);
      json_object_set_string_member (object, "description", config->description ? config->description : "");
      {
        JsonArray *networks = json_array_new ();

        for (guint i = 0; config->networks && i < config->networks->len; i++)
          {
            PaddockNetInterface *net = g_ptr_array_index (config->networks, i);
            JsonObject *entry = json_object_new ();

            json_object_set_string_member (entry, "name", net->name ? net->name : "");
            json_object_set_string_member (entry, "bridge", net->bridge ? net->bridge : "");
            json_object_set_string_member (entry, "ip", net->ip ? net->ip : "");
            json_object_set_string_member (entry, "hwaddr", net->hwaddr ? net->hwaddr : "");
            json_array_add_object_element (networks, entry);
          }
        json_object_set_array_member (object, "networks", networks);
      }
      {
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        g_autofree char *text = NULL;

        json_generator_set_pretty (generator, TRUE);
        json_generator_set_root (generator, node);
        text = json_generator_to_data (generator, NULL);
        g_print ("%s\n", text);
      }
      return CTL_EXIT_OK;
    }

  {
    g_autofree char *name = paddock_guest_dup_display_name (guest);
    g_autofree char *state = describe_status (guest);
    const char *cpulimit = g_hash_table_lookup (config->raw, "cpulimit");
    double limit = cpulimit != NULL ? g_ascii_strtod (cpulimit, NULL) : 0;
    g_autofree char *cpus = describe_cpus (limit > 0 && (config->cores == 0 || limit < config->cores)
                                           ? limit : config->cores);

    g_print ("%s/%u  %s\n", connection, paddock_guest_get_vmid (guest), name);
    g_print ("  status:       %s\n", state);
    g_print ("  node:         %s\n", paddock_guest_get_node (guest));
    g_print ("  hostname:     %s\n", config->hostname ? config->hostname : "—");
    g_print ("  resources:    %s, %" G_GINT64_FORMAT " MB memory, %" G_GINT64_FORMAT " MB swap\n",
             cpus, config->memory, config->swap);
  }
  g_print ("  root disk:    %s\n", rootfs ? rootfs->volume : "");
  g_print ("  unprivileged: %s, start on boot: %s\n", config->unprivileged ? "yes" : "no", config->onboot ? "yes" : "no");
  for (guint i = 0; config->networks && i < config->networks->len; i++)
    {
      PaddockNetInterface *net = g_ptr_array_index (config->networks, i);

      g_print ("  %-13s %s on %s%s%s\n", net->name, net->ip ? net->ip : "", net->bridge ? net->bridge : "",
               net->hwaddr ? ", " : "", net->hwaddr ? net->hwaddr : "");
    }
  {
    g_auto(GStrv) tags = paddock_guest_dup_tag_list (guest);
    g_autofree char *joined = g_strjoinv (";", tags);

    if (*joined)
      g_print ("  tags:         %s\n", joined);
  }
  {
    g_autofree char *uptime = ctl_format_duration (paddock_guest_get_uptime (guest));

    if (*uptime)
      g_print ("  uptime:       %s\n", uptime);
  }

  return CTL_EXIT_OK;
}

/* Lifecycle */

int
ctl_command_lifecycle (CtlContext *ctl,
                       int         argc,
                       char      **argv)
{
  g_autofree char *summary = g_strdup_printf ("CT - %s a container and wait for the task", argv[0]);
  gboolean yes = FALSE;
  int timeout = 0;
  GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Do not ask (needed when not on a terminal for stop and delete)", NULL },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout, "Seconds to wait for the task (shutdown: for the container before it is stopped; default 30)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (summary);
  const char *verb = argv[0];
  gboolean dangerous = g_str_equal (verb, "stop") || g_str_equal (verb, "delete");
  g_autoptr(PaddockGuest) guest = NULL;
  g_autoptr(PaddockGuestOperation) operation = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockOperationAction action;
  PaddockCluster *cluster = NULL;
  const char *outcome;
  int status = CTL_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 2)
    return ctl_usage_error (context, "Name one container: a VMID, a name, or CONNECTION/VMID");
  if (timeout < 0)
    return ctl_usage_error (context, "--timeout is a number of seconds");

  /* Refused before anything is looked up: a script must say --yes. */
  if (dangerous && !yes && !ctl_is_interactive ())
    {
      g_printerr ("paddockctl: refusing to %s %s without --yes (no terminal to ask on)\n", verb, argv[1]);
      return CTL_EXIT_USAGE;
    }

  if (!ctl_load_workspace (ctl, &error))
    return ctl_fail (error);
  ctl_refresh_all (ctl, NULL);
  if (!(guest = ctl_resolve_guest (ctl, argv[1], &cluster, &status)))
    return status;

  if (dangerous && !yes)
    {
      g_autofree char *question = g_strdup_printf ("%s CT %u (%s) on %s?", g_str_equal (verb, "stop") ? "Stop" : "Delete",
                                                   paddock_guest_get_vmid (guest), paddock_guest_get_display_name (guest),
                                                   paddock_guest_get_node (guest));

      if (!ctl_confirm (question))
        {
          g_printerr ("paddockctl: nothing done\n");
          return CTL_EXIT_FAILURE;
        }
    }

  if (!paddock_operation_action_from_string (verb, &action))
    g_assert_not_reached ();
  operation = paddock_guest_operation_new (paddock_workspace_get_store (ctl->workspace), cluster, guest, action);
  if (timeout > 0)
    {
      if (action == PADDOCK_OPERATION_SHUTDOWN)
        paddock_guest_operation_set_shutdown_timeout (operation, timeout);
      else
        paddock_guest_operation_set_task_timeout (operation, timeout);
    }

  paddock_guest_operation_run_async (operation, NULL, CTL_ASYNC (result));
  if (!paddock_guest_operation_run_finish (operation, ctl_wait (&result), &error))
    {
      const char *log = paddock_guest_operation_get_task_log (operation);

      g_printerr ("paddockctl: %s of CT %u failed: %s\n", verb, paddock_guest_get_vmid (guest), error->message);
      if (log != NULL)
        g_printerr ("Task log:\n%s\n", log);
      return ctl_exit_status_for (error);
    }

  switch (paddock_guest_operation_get_outcome (operation))
    {
    case PADDOCK_OPERATION_OUTCOME_GRACEFUL:
      outcome = "shut down (graceful)";
      break;
    case PADDOCK_OPERATION_OUTCOME_FORCED:
      outcome = "shut down (forced: stopped after the shutdown timed out)";
      break;
    case PADDOCK_OPERATION_OUTCOME_ALREADY_GONE:
      outcome = "already gone";
      break;
    default:
      outcome = g_str_equal (verb, "start") ? "started" : g_str_equal (verb, "stop") ? "stopped"
                : g_str_equal (verb, "reboot") ? "rebooted" : "deleted";
      break;
    }

  g_print ("CT %u (%s): %s\n", paddock_guest_get_vmid (guest), paddock_guest_get_display_name (guest), outcome);
  return CTL_EXIT_OK;
}

/* exec */

static void
print_line (PaddockSshStream  stream,
            const char       *line,
            gpointer          user_data)
{
  fprintf (stream == PADDOCK_SSH_STDERR ? stderr : stdout, "%s\n", line);
}

int
ctl_command_exec (CtlContext *ctl,
                  int         argc,
                  char      **argv)
{
  g_autoptr(PaddockGuest) guest = NULL;
  g_autoptr(PaddockSshSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) command_argv = g_ptr_array_new ();
  g_autofree char *id = NULL;
  g_autofree char *command = NULL;
  PaddockCluster *cluster = NULL;
  int status = CTL_EXIT_OK, exit_status = 0, dash;

  for (dash = 1; dash < argc && !g_str_equal (argv[dash], "--"); dash++)
    ;
  if (dash != 2 || dash + 1 >= argc)
    {
      g_printerr ("Usage: paddockctl exec CT -- COMMAND [ARGUMENT…]\n"
                  "Runs COMMAND in the container through pct on its node; its exit status is paddockctl's.\n"
                  "SSH comes from `paddockctl connection ssh`; PADDOCK_SSH_PASSWORD / PADDOCK_SSH_PASSPHRASE give secrets.\n");
      return CTL_EXIT_USAGE;
    }

  if (!ctl_load_workspace (ctl, &error))
    return ctl_fail (error);
  ctl_refresh_all (ctl, NULL);
  if (!(guest = ctl_resolve_guest (ctl, argv[1], &cluster, &status)))
    return status;

  id = g_strdup_printf ("%u", paddock_guest_get_vmid (guest));
  g_ptr_array_add (command_argv, (gpointer) "pct");
  g_ptr_array_add (command_argv, (gpointer) "exec");
  g_ptr_array_add (command_argv, id);
  g_ptr_array_add (command_argv, (gpointer) "--");
  for (int i = dash + 1; i < argc; i++)
    g_ptr_array_add (command_argv, argv[i]);
  g_ptr_array_add (command_argv, NULL);
  if (!(command = paddock_shell_join ((const char * const *) command_argv->pdata, &error)))
    return ctl_fail (error);

  if (!(session = ctl_ssh_session_for_node (ctl, cluster, paddock_guest_get_node (guest), &error)))
    return ctl_fail (error);

  if ((status = ctl_ssh_connect (ctl, cluster, paddock_guest_get_node (guest), session)) != CTL_EXIT_OK)
    return status;

  paddock_ssh_session_exec_streaming_async (session, command, NULL, 0, print_line, NULL, NULL, NULL, CTL_ASYNC (result));
  if (!paddock_ssh_session_exec_streaming_finish (session, ctl_wait (&result), &exit_status, &error))
    return ctl_fail (error);

  return exit_status < 0 ? 128 : exit_status;
}
