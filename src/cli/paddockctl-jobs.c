/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-jobs.c: paddockctl create, jobs, and job show|retry|cancel|keep|delete-container
 * (SPEC.md §6.4, §7) */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "paddockctl-commands.h"

/* ------------------------------------------------------------------------------------------- */
/* Following a job                                                                             */

typedef struct
{
  PaddockProvisioner *provisioner;
  PaddockJob         *job;
  gboolean            follow;
  guint               interrupts;
  guint               last_phase;
} Follower;

static void
on_output (PaddockJob *job,
           guint       stream,
           const char *line,
           gpointer    user_data)
{
  if (stream == PADDOCK_JOB_STREAM_STDERR)
    g_printerr ("%s\n", line);
  else if (stream == PADDOCK_JOB_STREAM_NOTE)
    g_print ("paddock: %s\n", line);
  else
    g_print ("%s\n", line);
}

/* Without --follow: one line per phase. */
static void
on_phase (PaddockJob *job,
          GParamSpec *pspec,
          gpointer    user_data)
{
  Follower *follower = user_data;
  PaddockJobPhase phase = paddock_job_get_phase (job);

  if (phase == follower->last_phase || paddock_job_get_state (job) != PADDOCK_JOB_RUNNING)
    return;
  follower->last_phase = phase;
  g_print ("[%3u%%] %s\n", paddock_job_get_percent (job), paddock_job_phase_describe (phase));
}

static void
on_cancelled (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!paddock_provisioner_cancel_finish (PADDOCK_PROVISIONER (object), result, &error))
    g_printerr ("paddockctl: %s\n", error->message);
}

/* Ctrl+C cancels after the current command; a second one leaves at once (the job is then
 * interrupted, and paddockctl job retry goes on with it). */
static gboolean
on_interrupt (gpointer user_data)
{
  Follower *follower = user_data;

  if (follower->interrupts++ > 0)
    {
      g_printerr ("paddockctl: leaving; job %" G_GINT64_FORMAT " is interrupted (paddockctl job retry %" G_GINT64_FORMAT ")\n",
                  paddock_job_get_id (follower->job), paddock_job_get_id (follower->job));
      exit (CTL_EXIT_FAILURE);
    }

  g_printerr ("paddockctl: cancelling job %" G_GINT64_FORMAT " after its current command (Ctrl+C again to leave now)\n",
              paddock_job_get_id (follower->job));
  paddock_provisioner_cancel_async (follower->provisioner, follower->job, NULL, on_cancelled, NULL);

  return G_SOURCE_CONTINUE;
}

static void
add_job_json (JsonBuilder *b,
              PaddockJob  *job)
{
  GListModel *items = paddock_job_get_items (job);
  const PaddockJobPlan *plan = paddock_job_get_plan (job);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, paddock_job_get_id (job));
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, paddock_job_state_to_string (paddock_job_get_state (job)));
  json_builder_set_member_name (b, "phase");
  json_builder_add_string_value (b, paddock_job_phase_to_string (paddock_job_get_phase (job)));
  json_builder_set_member_name (b, "percent");
  json_builder_add_int_value (b, paddock_job_get_percent (job));
  json_builder_set_member_name (b, "message");
  if (paddock_job_get_message (job))
    json_builder_add_string_value (b, paddock_job_get_message (job));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "connection");
  json_builder_add_int_value (b, plan->connection_id);
  json_builder_set_member_name (b, "node");
  json_builder_add_string_value (b, plan->node);
  json_builder_set_member_name (b, "vmid");
  json_builder_add_int_value (b, plan->vmid);
  json_builder_set_member_name (b, "hostname");
  json_builder_add_string_value (b, plan->hostname);
  json_builder_set_member_name (b, "template");
  if (plan->template_name)
    json_builder_add_string_value (b, plan->template_name);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "address");
  if (paddock_job_get_address (job))
    json_builder_add_string_value (b, paddock_job_get_address (job));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "elsewhere");
  json_builder_add_boolean_value (b, paddock_job_get_elsewhere (job));
  json_builder_set_member_name (b, "created_at");
  json_builder_add_int_value (b, paddock_job_get_created_at (job));
  json_builder_set_member_name (b, "updated_at");
  json_builder_add_int_value (b, paddock_job_get_updated_at (job));

  json_builder_set_member_name (b, "phases");
  json_builder_begin_object (b);
  for (guint p = 0; p < PADDOCK_N_JOB_PHASES; p++)
    {
      double seconds = paddock_job_get_phase_seconds (job, p);

      if (seconds <= 0)
        continue;
      json_builder_set_member_name (b, paddock_job_phase_to_string (p));
      json_builder_add_double_value (b, seconds);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(PaddockJobItem) item = g_list_model_get_item (items, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, paddock_job_item_kind_to_string (paddock_job_item_get_kind (item)));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, paddock_job_item_get_name (item));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, paddock_job_item_status_to_string (paddock_job_item_get_status (item)));
      json_builder_set_member_name (b, "detail");
      if (paddock_job_item_get_detail (item))
        json_builder_add_string_value (b, paddock_job_item_get_detail (item));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_job_json (PaddockJob *job)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  add_job_json (b, job);
  ctl_print_json (b);
}

static void
print_outcome (PaddockJob   *job,
               const GError *error)
{
  const PaddockJobPlan *plan = paddock_job_get_plan (job);

  if (error == NULL)
    {
      g_print ("Job %" G_GINT64_FORMAT " succeeded: CT %u (%s) on %s%s%s\n", paddock_job_get_id (job), plan->vmid,
               plan->hostname, plan->node, paddock_job_get_address (job) ? " at " : "",
               paddock_job_get_address (job) ? paddock_job_get_address (job) : "");
      g_print ("Its root password is in the keyring (paddockctl job password %" G_GINT64_FORMAT ").\n",
               paddock_job_get_id (job));
      return;
    }

  g_printerr ("paddockctl: job %" G_GINT64_FORMAT " %s at %s: %s\n", paddock_job_get_id (job),
              paddock_job_get_state (job) == PADDOCK_JOB_CANCELLED ? "was cancelled" : "failed",
              paddock_job_phase_to_string (paddock_job_get_phase (job)), error->message);
  g_printerr ("  paddockctl job retry %" G_GINT64_FORMAT "             runs it again from there\n"
              "  paddockctl job delete-container %" G_GINT64_FORMAT "  deletes CT %u\n"
              "  paddockctl job keep %" G_GINT64_FORMAT "              keeps the container as it is\n",
              paddock_job_get_id (job), paddock_job_get_id (job), plan->vmid, paddock_job_get_id (job));
}

/* Runs the main loop until @job, which this process runs, stops. */
static int
follow_job (PaddockProvisioner *provisioner,
            PaddockJob         *job,
            gboolean            follow,
            gboolean            json)
{
  Follower follower = { provisioner, job, follow, 0, G_MAXUINT };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gulong output_id = 0, phase_id = 0;
  guint sigint_id, sigterm_id;
  gboolean ok;

  if (follow)
    output_id = g_signal_connect (job, "output", G_CALLBACK (on_output), &follower);
  else if (!json)
    {
      phase_id = g_signal_connect (job, "notify::phase", G_CALLBACK (on_phase), &follower);
      on_phase (job, NULL, &follower);
    }
  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, &follower);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, &follower);

  paddock_provisioner_wait_async (provisioner, job, NULL, CTL_ASYNC (result));
  ok = paddock_provisioner_wait_finish (provisioner, ctl_wait (&result), &error);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_signal_handler (&output_id, job);
  g_clear_signal_handler (&phase_id, job);

  if (json)
    print_job_json (job);
  else
    print_outcome (job, error);

  return ok ? CTL_EXIT_OK : CTL_EXIT_FAILURE;
}

/* ------------------------------------------------------------------------------------------- */
/* create                                                                                      */

static PaddockCluster *
pick_cluster (CtlContext  *ctl,
              const char  *name,
              GError     **error)
{
  GListModel *clusters = paddock_workspace_get_clusters (ctl->workspace);
  guint n = g_list_model_get_n_items (clusters);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
      PaddockConnection *connection = paddock_workspace_get_connection (ctl->workspace, cluster);

      if (name != NULL ? g_str_equal (paddock_connection_get_name (connection), name)
                       : (n == 1 || paddock_connection_get_is_default (connection)))
        return cluster;  /* the workspace keeps it */
    }

  g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
               name ? "There is no connection “%s” (see paddockctl connection list)"
                    : "Say which connection with --connection (there is no default)", name);
  return NULL;
}

/* The online node with the most free memory. */
static char *
pick_node (PaddockCluster  *cluster,
           GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  PaddockNodeUsage *best = NULL;

  paddock_pve_client_get_nodes_async (paddock_cluster_get_client (cluster), NULL, CTL_ASYNC (result));
  if (!(nodes = paddock_pve_client_get_nodes_finish (paddock_cluster_get_client (cluster), ctl_wait (&result), error)))
    return NULL;

  for (guint i = 0; i < nodes->len; i++)
    {
      PaddockNodeUsage *node = nodes->pdata[i];

      if (node->online && (best == NULL || node->maxmem - node->mem > best->maxmem - best->mem))
        best = node;
    }
  if (best == NULL)
    {
      g_set_error_literal (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_NOT_FOUND, "No node of the cluster is online");
      return NULL;
    }

  return g_strdup (best->name);
}

static GListModel *
load_templates (CtlContext  *ctl,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_store_list_templates_async (ctl->store, NULL, CTL_ASYNC (result));
  return paddock_store_list_templates_finish (ctl->store, ctl_wait (&result), error);
}

static PaddockTemplate *
find_template (CtlContext  *ctl,
               const char  *name,
               GError     **error)
{
  g_autoptr(GListModel) templates = load_templates (ctl, error);

  for (guint i = 0; templates != NULL && i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(PaddockTemplate) template = g_list_model_get_item (templates, i);

      if (g_str_equal (paddock_template_get_name (template), name))
        return g_steal_pointer (&template);
    }

  if (templates != NULL)
    g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                 "There is no template “%s” (see paddockctl template list)", name);
  return NULL;
}

/* pct on @node with paddockctl's own session (its trust prompt, PADDOCK_SSH_PASSWORD), checked
 * before anything is created. */
static int
attach_node (CtlContext         *ctl,
             PaddockProvisioner *provisioner,
             PaddockCluster     *cluster,
             const char         *node)
{
  g_autoptr(PaddockSshSession) session = NULL;
  g_autoptr(PaddockPct) pct = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!(session = ctl_ssh_session_for_node (ctl, cluster, node, &error)))
    return ctl_fail (error);
  if ((status = ctl_ssh_connect (ctl, cluster, node, session)) != CTL_EXIT_OK)
    return status;

  pct = paddock_pct_new (session, node);
  paddock_provisioner_set_node_pct (provisioner, paddock_cluster_get_connection_id (cluster), node, pct);

  return CTL_EXIT_OK;
}

static PaddockProvisioner *
load_provisioner (CtlContext  *ctl,
                  GError     **error)
{
  g_autoptr(PaddockProvisioner) provisioner = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (!ctl_load_workspace (ctl, error))
    return NULL;

  provisioner = paddock_provisioner_new (ctl->workspace);
  paddock_provisioner_load_async (provisioner, NULL, CTL_ASYNC (result));
  if (!paddock_provisioner_load_finish (provisioner, ctl_wait (&result), error))
    return NULL;

  return g_steal_pointer (&provisioner);
}

int
ctl_command_create (CtlContext *ctl,
                    int         argc,
                    char      **argv)
{
  g_autofree char *template_name = NULL, *hostname = NULL, *connection_name = NULL, *node = NULL;
  g_autofree char *storage = NULL, *bridge = NULL, *ip = NULL, *gateway = NULL, *os_template = NULL;
  g_autofree char *keys_file = NULL, *tags = NULL;
  int vmid = 0, cores = 0, memory = 0, disk = 0;
  gboolean follow = FALSE, json = FALSE;
  GOptionEntry entries[] = {
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_name, "The template (none: an empty container)", "NAME" },
    { "hostname", 0, 0, G_OPTION_ARG_STRING, &hostname, "The container's hostname (required)", "H" },
    { "connection", 0, 0, G_OPTION_ARG_STRING, &connection_name, "The connection (default: the default one)", "NAME" },
    { "node", 0, 0, G_OPTION_ARG_STRING, &node, "The node (default: the one with the most free memory)", "N" },
    { "vmid", 0, 0, G_OPTION_ARG_INT, &vmid, "The VMID (default: the cluster's next free one)", "N" },
    { "storage", 0, 0, G_OPTION_ARG_STRING, &storage, "Storage of the root disk", "S" },
    { "bridge", 0, 0, G_OPTION_ARG_STRING, &bridge, "Network bridge", "B" },
    { "ip", 0, 0, G_OPTION_ARG_STRING, &ip, "dhcp, or an IPv4 address with its prefix (10.0.0.5/24)", "IP" },
    { "gw", 0, 0, G_OPTION_ARG_STRING, &gateway, "Gateway of a static address", "GW" },
    { "os-template", 0, 0, G_OPTION_ARG_STRING, &os_template, "OS template volume or name", "T" },
    { "cores", 0, 0, G_OPTION_ARG_INT, &cores, "CPU cores", "N" },
    { "memory", 0, 0, G_OPTION_ARG_INT, &memory, "Memory in MB", "MB" },
    { "disk", 0, 0, G_OPTION_ARG_INT, &disk, "Root disk in GB", "GB" },
    { "ssh-public-keys", 0, 0, G_OPTION_ARG_FILENAME, &keys_file, "File of SSH public keys for root", "FILE" },
    { "tags", 0, 0, G_OPTION_ARG_STRING, &tags, "Tags, separated by ;", "T" },
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow, "Stream the job's output until it ends", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the ended job as JSON", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- make a container from a template and wait for it");
  g_autoptr(PaddockProvisioner) provisioner = NULL;
  g_autoptr(PaddockTemplate) template = NULL;
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockCluster *cluster;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 1)
    return ctl_usage_error (context, "create takes options only");
  if (hostname == NULL)
    return ctl_usage_error (context, "--hostname is required");
  if (vmid < 0 || cores < 0 || memory < 0 || disk < 0)
    return ctl_usage_error (context, "--vmid, --cores, --memory and --disk are positive numbers");

  if (!(provisioner = load_provisioner (ctl, &error)))
    return ctl_fail (error);
  if (!(cluster = pick_cluster (ctl, connection_name, &error)))
    return ctl_fail (error);
  if (template_name != NULL && !(template = find_template (ctl, template_name, &error)))
    return ctl_fail (error);

  plan = template ? paddock_job_plan_new_from_template (template) : paddock_job_plan_new ();
  plan->connection_id = paddock_cluster_get_connection_id (cluster);
  plan->hostname = g_strdup (hostname);
  if (node != NULL)
    plan->node = g_strdup (node);
  else if (!(plan->node = pick_node (cluster, &error)))
    return ctl_fail (error);
#define OVERRIDE(field, value) if (value) { g_free (plan->field); plan->field = g_steal_pointer (&value); }
  OVERRIDE (storage, storage);
  OVERRIDE (bridge, bridge);
  OVERRIDE (ipv4, ip);
  OVERRIDE (gateway, gateway);
  OVERRIDE (os_template, os_template);
  OVERRIDE (tags, tags);
#undef OVERRIDE
  if (cores > 0)
    plan->cores = cores;
  if (memory > 0)
    plan->memory = memory;
  if (disk > 0)
    plan->disk = disk;
  if (keys_file != NULL && !g_file_get_contents (keys_file, &plan->ssh_public_keys, NULL, &error))
    return ctl_fail (error);

  if (vmid > 0)
    plan->vmid = vmid;
  else
    {
      paddock_pve_client_get_nextid_async (paddock_cluster_get_client (cluster), 0, NULL, CTL_ASYNC (result));
      plan->vmid = paddock_pve_client_get_nextid_finish (paddock_cluster_get_client (cluster), ctl_wait (&result), &error);
      if (error != NULL)
        return ctl_fail (error);
      g_clear_object (&result);
    }

  /* Everything that can be checked before Proxmox is asked: the plan, then SSH to the node. */
  if (!paddock_job_plan_validate (plan, &error))
    return ctl_fail (error);
  if ((status = attach_node (ctl, provisioner, cluster, plan->node)) != CTL_EXIT_OK)
    return status;

  paddock_provisioner_create_async (provisioner, plan, NULL, CTL_ASYNC (result));
  if (!(job = paddock_provisioner_create_finish (provisioner, ctl_wait (&result), &error)))
    return ctl_fail (error);

  if (!json)
    g_print ("Job %" G_GINT64_FORMAT ": CT %u (%s) on %s from %s\n", paddock_job_get_id (job), plan->vmid,
             plan->hostname, plan->node, plan->template_name ? plan->template_name : "scratch");

  return follow_job (provisioner, job, follow, json);
}

/* ------------------------------------------------------------------------------------------- */
/* jobs                                                                                        */

int
ctl_command_jobs (CtlContext *ctl,
                  int         argc,
                  char      **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "An array of jobs as objects: id, state, phase, percent, message, vmid, hostname, node, template, address, elsewhere, items", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- list provisioning jobs, newest first");
  g_autoptr(PaddockProvisioner) provisioner = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  GListModel *jobs;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 1)
    return ctl_usage_error (context, "jobs takes no arguments");

  if (!(provisioner = load_provisioner (ctl, &error)))
    return ctl_fail (error);
  jobs = paddock_provisioner_get_jobs (provisioner);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      /* Each job as "job show --json" prints it. */
      json_builder_begin_array (b);
      for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
        {
          g_autoptr(PaddockJob) job = g_list_model_get_item (jobs, i);

          add_job_json (b, job);
        }
      json_builder_end_array (b);
      ctl_print_json (b);
      return CTL_EXIT_OK;
    }

  {
    const char *header[] = { "ID", "STATE", "PHASE", "%", "CT", "HOSTNAME", "NODE", "TEMPLATE", "MESSAGE", NULL };

    g_ptr_array_add (rows, g_strdupv ((char **) header));
  }
  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(PaddockJob) job = g_list_model_get_item (jobs, i);
      const PaddockJobPlan *plan = paddock_job_get_plan (job);
      const char *state = paddock_job_state_to_string (paddock_job_get_state (job));
      char **row = g_new0 (char *, 10);

      row[0] = g_strdup_printf ("%" G_GINT64_FORMAT, paddock_job_get_id (job));
      row[1] = paddock_job_get_elsewhere (job) ? g_strdup_printf ("%s*", state) : g_strdup (state);
      row[2] = g_strdup (paddock_job_phase_to_string (paddock_job_get_phase (job)));
      row[3] = g_strdup_printf ("%u", paddock_job_get_percent (job));
      row[4] = g_strdup_printf ("%u", plan->vmid);
      row[5] = g_strdup (plan->hostname);
      row[6] = g_strdup (plan->node);
      row[7] = g_strdup (plan->template_name ? plan->template_name : "-");
      row[8] = g_strdup (paddock_job_get_message (job) ? paddock_job_get_message (job) : "");
      g_ptr_array_add (rows, row);
    }
  ctl_print_table (rows);
  if (rows->len == 1)
    g_print ("No jobs. paddockctl create --template NAME --hostname H makes one.\n");

  return CTL_EXIT_OK;
}

/* ------------------------------------------------------------------------------------------- */
/* job show|retry|cancel|keep|delete-container|password                                        */

static PaddockJob *
find_job (PaddockProvisioner  *provisioner,
          const char          *id_text,
          GError             **error)
{
  guint64 id = 0;
  PaddockJob *job;

  if (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL)
      || (job = paddock_provisioner_find_job (provisioner, id)) == NULL)
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
                   "There is no job “%s” (see paddockctl jobs)", id_text);
      return NULL;
    }

  return g_object_ref (job);
}

static void
print_job (CtlContext *ctl,
           PaddockJob *job)
{
  const PaddockJobPlan *plan = paddock_job_get_plan (job);
  GListModel *items = paddock_job_get_items (job);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_print ("Job %" G_GINT64_FORMAT ": CT %u (%s) on %s from %s\n", paddock_job_get_id (job), plan->vmid, plan->hostname,
           plan->node, plan->template_name ? plan->template_name : "scratch");
  g_print ("State:    %s%s, at %s (%u %%)\n", paddock_job_state_to_string (paddock_job_get_state (job)),
           paddock_job_get_elsewhere (job) ? " (in another Paddock process)" : "",
           paddock_job_phase_to_string (paddock_job_get_phase (job)), paddock_job_get_percent (job));
  if (paddock_job_get_message (job))
    g_print ("Message:  %s\n", paddock_job_get_message (job));
  if (paddock_job_get_address (job))
    g_print ("Address:  %s\n", paddock_job_get_address (job));

  g_print ("\nPhases:\n");
  for (guint p = 0; p < PADDOCK_N_JOB_PHASES; p++)
    {
      double seconds = paddock_job_get_phase_seconds (job, p);

      if (seconds > 0)
        g_print ("  %-11s %7.1f s\n", paddock_job_phase_to_string (p), seconds);
    }

  g_print ("\nSteps:\n");
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(PaddockJobItem) item = g_list_model_get_item (items, i);

      g_print ("  %-8s %-8s %s%s%s\n", paddock_job_item_status_to_string (paddock_job_item_get_status (item)),
               paddock_job_item_kind_to_string (paddock_job_item_get_kind (item)), paddock_job_item_get_name (item),
               paddock_job_item_get_detail (item) ? ": " : "",
               paddock_job_item_get_detail (item) ? paddock_job_item_get_detail (item) : "");
    }

  if (paddock_job_get_create_params (job))
    {
      g_auto(GStrv) params = g_strsplit (paddock_job_get_create_params (job), "\n", -1);

      g_print ("\nPOST /nodes/%s/lxc:\n", plan->node);
      for (guint i = 0; params[i] != NULL; i++)
        g_print ("  %s\n", params[i]);
    }

  paddock_store_get_job_output_async (ctl->store, paddock_job_get_id (job), 0, NULL, CTL_ASYNC (result));
  if (!(lines = paddock_store_get_job_output_finish (ctl->store, ctl_wait (&result), &error)))
    {
      g_printerr ("paddockctl: %s\n", error->message);
      return;
    }
  g_print ("\nOutput (%u lines):\n", lines->len);
  for (guint i = 0; i < lines->len; i++)
    {
      PaddockJobLine *line = lines->pdata[i];

      g_print ("%s%s\n", line->stream == PADDOCK_JOB_STREAM_NOTE ? "paddock: " : "", line->line);
    }
}

static int
job_action (CtlContext         *ctl,
            PaddockProvisioner *provisioner,
            PaddockJob         *job,
            const char         *action,
            gboolean            yes)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  if (g_str_equal (action, "cancel"))
    {
      paddock_provisioner_cancel_async (provisioner, job, NULL, CTL_ASYNC (result));
      ok = paddock_provisioner_cancel_finish (provisioner, ctl_wait (&result), &error);
      if (ok)
        g_print ("Job %" G_GINT64_FORMAT " stops after its current command\n", paddock_job_get_id (job));
    }
  else if (g_str_equal (action, "keep"))
    {
      paddock_provisioner_keep_async (provisioner, job, NULL, CTL_ASYNC (result));
      ok = paddock_provisioner_keep_finish (provisioner, ctl_wait (&result), &error);
      if (ok)
        g_print ("Kept CT %u as it is; job %" G_GINT64_FORMAT " is forgotten\n", paddock_job_get_vmid (job),
                 paddock_job_get_id (job));
    }
  else if (g_str_equal (action, "delete-container"))
    {
      if (!yes)
        {
          g_autofree char *question = g_strdup_printf ("Delete CT %u (%s) on %s and its disks?", paddock_job_get_vmid (job),
                                                       paddock_job_get_hostname (job), paddock_job_get_node (job));

          if (!ctl_is_interactive ())
            {
              g_printerr ("paddockctl: refusing to delete CT %u without --yes (no terminal to ask on)\n",
                          paddock_job_get_vmid (job));
              return CTL_EXIT_USAGE;
            }
          if (!ctl_confirm (question))
            {
              g_printerr ("paddockctl: nothing done\n");
              return CTL_EXIT_FAILURE;
            }
        }
      paddock_provisioner_delete_container_async (provisioner, job, NULL, CTL_ASYNC (result));
      ok = paddock_provisioner_delete_container_finish (provisioner, ctl_wait (&result), &error);
      if (ok)
        g_print ("Deleted CT %u; job %" G_GINT64_FORMAT " is forgotten\n", paddock_job_get_vmid (job),
                 paddock_job_get_id (job));
    }
  else if (g_str_equal (action, "password"))
    {
      g_autofree char *password = NULL;

      paddock_provisioner_lookup_root_password_async (provisioner, job, NULL, CTL_ASYNC (result));
      if ((password = paddock_provisioner_lookup_root_password_finish (provisioner, ctl_wait (&result), &error)))
        {
          g_print ("%s\n", password);
          explicit_bzero (password, strlen (password));
          ok = TRUE;
        }
    }

  return ok ? CTL_EXIT_OK : ctl_fail (error);
}

int
ctl_command_job (CtlContext *ctl,
                 int         argc,
                 char      **argv)
{
  gboolean json = FALSE, follow = FALSE, yes = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "show: the job as JSON (as in jobs --json)", NULL },
    { "follow", 'f', 0, G_OPTION_ARG_NONE, &follow, "retry: stream the job's output until it ends", NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "delete-container: do not ask", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("show|retry|cancel|keep|delete-container|password ID");
  g_autoptr(PaddockProvisioner) provisioner = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *actions[] = { "show", "retry", "cancel", "keep", "delete-container", "password", NULL };
  const char *action;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "  show              everything about the job, its output included\n"
                                    "  retry             run a failed, cancelled or interrupted job again from its step\n"
                                    "  cancel            stop a running job after its current command\n"
                                    "  keep              forget a stopped job and keep its container as it is\n"
                                    "  delete-container  delete a stopped job's container, then forget the job\n"
                                    "  password          print the root password the job generated (from the keyring)\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 3 || !g_strv_contains (actions, argv[1]))
    return ctl_usage_error (context, "Say what to do and with which job: job ACTION ID");
  action = argv[1];

  if (!(provisioner = load_provisioner (ctl, &error)) || !(job = find_job (provisioner, argv[2], &error)))
    return ctl_fail (error);

  if (g_str_equal (action, "show"))
    {
      if (json)
        print_job_json (job);
      else
        print_job (ctl, job);
      return CTL_EXIT_OK;
    }

  if (!g_str_equal (action, "retry"))
    return job_action (ctl, provisioner, job, action, yes);

  {
    PaddockCluster *cluster = paddock_workspace_find_cluster (ctl->workspace, paddock_job_get_connection_id (job));

    if (cluster == NULL)
      {
        g_printerr ("paddockctl: job %" G_GINT64_FORMAT ": its connection is gone\n", paddock_job_get_id (job));
        return CTL_EXIT_FAILURE;
      }
    if ((status = attach_node (ctl, provisioner, cluster, paddock_job_get_node (job))) != CTL_EXIT_OK)
      return status;
  }
  paddock_provisioner_retry_async (provisioner, job, NULL, CTL_ASYNC (result));
  if (!paddock_provisioner_retry_finish (provisioner, ctl_wait (&result), &error))
    return ctl_fail (error);
  if (!json)
    g_print ("Job %" G_GINT64_FORMAT ": again from %s\n", paddock_job_get_id (job),
             paddock_job_phase_to_string (paddock_job_get_phase (job)));

  return follow_job (provisioner, job, follow, json);
}
