/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-connection.c: paddockctl connection list|add|remove|test|trust|ssh */

#include "config.h"

#include <string.h>

#include "paddockctl-commands.h"

static int
connection_list (CtlContext *ctl,
                 int         argc,
                 char      **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: [{id, name, host, port, auth, user, token_id, default}]", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- list the saved connections");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) connections = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (!ctl_open_store (ctl, &error))
    return ctl_fail (error);

  paddock_store_list_connections_async (ctl->store, NULL, CTL_ASYNC (result));
  if (!(connections = paddock_store_list_connections_finish (ctl->store, ctl_wait (&result), &error)))
    return ctl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < connections->len; i++)
        {
          PaddockConnection *connection = g_ptr_array_index (connections, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, paddock_connection_get_id (connection));
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, paddock_connection_get_name (connection));
          json_builder_set_member_name (builder, "host");
          json_builder_add_string_value (builder, paddock_connection_get_host (connection));
          json_builder_set_member_name (builder, "port");
          json_builder_add_int_value (builder, paddock_connection_get_port (connection));
          json_builder_set_member_name (builder, "auth");
          json_builder_add_string_value (builder, paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN
                                                  ? "token" : "password");
          json_builder_set_member_name (builder, "user");
          json_builder_add_string_value (builder, paddock_connection_get_username (connection));
          json_builder_set_member_name (builder, "token_id");
          json_builder_add_string_value (builder, paddock_connection_get_token_id (connection));
          json_builder_set_member_name (builder, "default");
          json_builder_add_boolean_value (builder, paddock_connection_get_is_default (connection));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      ctl_print_json (builder);
      return CTL_EXIT_OK;
    }

  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

    g_ptr_array_add (rows, g_strsplit ("NAME|ADDRESS|LOGIN|DEFAULT", "|", -1));
    for (guint i = 0; i < connections->len; i++)
      {
        PaddockConnection *connection = g_ptr_array_index (connections, i);
        char **row = g_new0 (char *, 5);

        row[0] = g_strdup (paddock_connection_get_name (connection));
        row[1] = g_strdup_printf ("%s:%u", paddock_connection_get_host (connection), paddock_connection_get_port (connection));
        row[2] = paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN
                 ? g_strdup_printf ("token %s!%s", paddock_connection_get_username (connection),
                                    paddock_connection_get_token_id (connection))
                 : g_strdup_printf ("password %s", paddock_connection_get_username (connection));
        row[3] = g_strdup (paddock_connection_get_is_default (connection) ? "yes" : "");
        g_ptr_array_add (rows, row);
      }
    if (connections->len == 0)
      g_print ("No connections. Add one with: paddockctl connection add [NAME] --url https://HOST:8006 --token-id USER@REALM!ID\n");
    else
      ctl_print_table (rows);
  }

  return CTL_EXIT_OK;
}

/* What to do after a certificate was refused: the fingerprint, and how to pin it. */
static int
explain_certificate (PaddockPveClient *client,
                     const char       *connection_name,
                     const GError     *error)
{
  g_autoptr(PaddockCertificateInfo) info = paddock_pve_client_dup_rejected_certificate (client);

  g_printerr ("paddockctl: %s\n", error->message);
  if (info != NULL)
    {
      g_printerr ("  host:        %s:%u\n  fingerprint: %s\n", info->host, info->port, info->sha256);
      if (info->pinned_sha256 != NULL)
        g_printerr ("  trusted was: %s\n", info->pinned_sha256);
      if (info->subject)
        g_printerr ("  subject:     %s\n", info->subject);
      g_printerr ("If this is your server's certificate, pin it with:\n"
                  "  paddockctl connection trust %s --fingerprint %s\n", connection_name ? connection_name : "NAME",
                  info->sha256);
    }

  return CTL_EXIT_TRUST;
}

/* What "Test" does in the window: the client's check. A cluster without quorum answers, but
 * refuses every change: the summary says so, and @quorate lets the caller fail. */
static PaddockPveClusterStatus *
test_client (PaddockPveClient  *client,
             char             **summary,
             GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  g_autofree char *version = NULL;
  g_autofree char *offline = NULL;
  g_autofree char *where = NULL;

  paddock_pve_client_check_async (client, NULL, CTL_ASYNC (result));
  if (!(status = paddock_pve_client_check_finish (client, ctl_wait (&result), &version, error)))
    return NULL;

  offline = paddock_pve_cluster_status_dup_offline (status);
  if (status->cluster_name != NULL)
    where = g_strdup_printf ("cluster %s, %u node%s", status->cluster_name, status->nodes->len,
                             status->nodes->len == 1 ? "" : "s");
  else
    where = g_strdup_printf ("standalone node %s",
                             paddock_pve_cluster_status_get_name (status) ? paddock_pve_cluster_status_get_name (status)
                                                                         : "?");

  if (!status->quorate)
    *summary = g_strdup_printf ("Proxmox VE %s, %s: NO QUORUM (offline: %s); Proxmox refuses every change "
                                "(cluster not ready - no quorum?) until enough nodes are back",
                                version, where, offline ? offline : "none");
  else if (offline != NULL)
    *summary = g_strdup_printf ("Proxmox VE %s, %s (offline: %s)", version, where, offline);
  else
    *summary = g_strdup_printf ("Proxmox VE %s, %s", version, where);

  return g_steal_pointer (&status);
}

static PaddockPveClient *
client_for (CtlContext        *ctl,
            PaddockConnection *connection,
            GError           **error)
{
  PaddockCluster *cluster;

  if (!ctl_load_workspace (ctl, error))
    return NULL;
  if (!(cluster = paddock_workspace_find_cluster (ctl->workspace, paddock_connection_get_id (connection))))
    {
      g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND, "The connection is not loaded");
      return NULL;
    }

  return g_object_ref (paddock_cluster_get_client (cluster));
}

static int
connection_add (CtlContext *ctl,
                int         argc,
                char      **argv)
{
  g_autofree char *url = NULL, *token_id = NULL, *user = NULL, *fingerprint = NULL;
  gboolean save_secret = FALSE;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "https://HOST[:PORT] of a node of the cluster", "URL" },
    { "token-id", 0, 0, G_OPTION_ARG_STRING, &token_id, "API token USER@REALM!ID (secret: PADDOCK_TOKEN_SECRET or a prompt)", "ID" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "Log in as USER@REALM (password: PADDOCK_PASSWORD or a prompt)", "USER" },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint, "Pin this SHA-256 certificate fingerprint", "SHA256" },
    { "save-secret", 0, 0, G_OPTION_ARG_NONE, &save_secret, "Keep a secret from the environment in the keyring", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[NAME] - add a Proxmox VE connection (named after its "
                                                            "cluster by default)");
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  const char *name;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *prompted = NULL;
  g_autofree char *summary = NULL;
  const char *secret;
  PaddockAuthKind kind;
  int port;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc > 2)
    return ctl_usage_error (context, "Give at most one NAME");
  if (url == NULL || (token_id == NULL) == (user == NULL))
    return ctl_usage_error (context, "Give --url and one of --token-id or --user");
  if (token_id != NULL && strchr (token_id, '!') == NULL)
    return ctl_usage_error (context, "--token-id looks like USER@REALM!ID, not “%s”", token_id);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 || g_uri_get_host (uri) == NULL)
    return ctl_usage_error (context, "“%s” is not an address like https://pve.example.com:8006", url);
  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 8006;

  kind = token_id ? PADDOCK_AUTH_TOKEN : PADDOCK_AUTH_PASSWORD;
  if (!(secret = ctl_env_secret (kind)))
    {
      prompted = ctl_read_secret (kind == PADDOCK_AUTH_TOKEN ? "Token secret: " : "Password: ");
      if (prompted == NULL)
        {
          g_printerr ("paddockctl: set %s in the environment (no terminal to ask on)\n",
                      kind == PADDOCK_AUTH_TOKEN ? "PADDOCK_TOKEN_SECRET" : "PADDOCK_PASSWORD");
          return CTL_EXIT_USAGE;
        }
      secret = prompted;
    }

  if (!ctl_open_store (ctl, &error))
    return ctl_fail (error);

  client = paddock_pve_client_new (g_uri_get_host (uri), port, PADDOCK_TRUST_STORE (ctl->store));
  /* Checked first, pinned only once the test succeeded. */
  if (fingerprint != NULL)
    paddock_pve_client_set_expected_pin (client, fingerprint);
  if (kind == PADDOCK_AUTH_TOKEN)
    paddock_pve_client_set_token (client, token_id, secret);
  else
    paddock_pve_client_set_password (client, user, secret);

  /* Saving tests first, as the dialog does: nothing is stored for a server that fails. */
  if (!(status = test_client (client, &summary, &error)))
    {
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE)
          || g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED))
        {
          g_autoptr(PaddockCertificateInfo) info = paddock_pve_client_dup_rejected_certificate (client);

          g_printerr ("paddockctl: %s\n  fingerprint: %s\n", error->message, info ? info->sha256 : "unknown");
          g_printerr ("If this is your server's certificate, add the connection again with --fingerprint %s\n",
                      info ? info->sha256 : "SHA256");
          return CTL_EXIT_TRUST;
        }
      return ctl_fail (error);
    }

  name = argc == 2 ? argv[1] : paddock_pve_cluster_status_get_name (status);
  if (name == NULL)
    name = g_uri_get_host (uri);

  if (kind == PADDOCK_AUTH_TOKEN)
    {
      g_auto(GStrv) parts = g_strsplit (token_id, "!", 2);

      connection = paddock_connection_new (name, g_uri_get_host (uri), port, kind, parts[0], parts[1]);
    }
  else
    connection = paddock_connection_new (name, g_uri_get_host (uri), port, kind, user, NULL);

  paddock_store_add_connection_async (ctl->store, connection, NULL, CTL_ASYNC (result));
  if (!paddock_store_add_connection_finish (ctl->store, ctl_wait (&result), &error))
    return ctl_fail (error);
  if (fingerprint != NULL)
    paddock_trust_store_set_pin (PADDOCK_TRUST_STORE (ctl->store), g_uri_get_host (uri), port, fingerprint, NULL);

  /* A typed secret is meant to be kept; one from the environment only when asked. */
  if (prompted != NULL || save_secret)
    {
      g_autofree char *label = g_strdup_printf ("Paddock: %s of %s", kind == PADDOCK_AUTH_TOKEN ? "token" : "password",
                                                name);

      g_clear_object (&result);
      paddock_secrets_store_async (ctl->secrets, kind == PADDOCK_AUTH_TOKEN ? PADDOCK_SECRET_TOKEN : PADDOCK_SECRET_PASSWORD,
                                   paddock_connection_get_id (connection), NULL, NULL, label, secret, NULL,
                                   CTL_ASYNC (result));
      if (!paddock_secrets_store_finish (ctl->secrets, ctl_wait (&result), &error))
        {
          g_printerr ("paddockctl: the connection is saved, but not its secret: %s\n"
                      "  Give it in %s when you use the connection.\n", error->message,
                      kind == PADDOCK_AUTH_TOKEN ? "PADDOCK_TOKEN_SECRET" : "PADDOCK_PASSWORD");
          return CTL_EXIT_FAILURE;
        }
    }

  g_print ("Added “%s”: %s\n", name, summary);
  if (prompted == NULL && !save_secret)
    g_print ("The secret was used for this run only; give it again in the environment, or add --save-secret.\n");

  return CTL_EXIT_OK;
}

static int
connection_remove (CtlContext *ctl,
                   int         argc,
                   char      **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME - remove a connection and its secrets");
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 2)
    return ctl_usage_error (context, "Name the connection to remove");
  if (!(connection = ctl_find_connection (ctl, argv[1], &error)))
    return ctl_fail (error);

  paddock_store_remove_connection_async (ctl->store, paddock_connection_get_id (connection), NULL, CTL_ASYNC (result));
  if (!paddock_store_remove_connection_finish (ctl->store, ctl_wait (&result), &error))
    return ctl_fail (error);

  g_clear_object (&result);
  paddock_secrets_clear_async (ctl->secrets,
                               paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN
                               ? PADDOCK_SECRET_TOKEN : PADDOCK_SECRET_PASSWORD,
                               paddock_connection_get_id (connection), NULL, NULL, NULL, CTL_ASYNC (result));
  if (!paddock_secrets_clear_finish (ctl->secrets, ctl_wait (&result), &error))
    g_printerr ("paddockctl: the keyring kept the secret: %s\n", error->message);

  g_print ("Removed “%s”\n", argv[1]);
  return CTL_EXIT_OK;
}

static int
connection_test (CtlContext *ctl,
                 int         argc,
                 char      **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME - check that a connection works");
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(PaddockPveClusterStatus) status = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 2)
    return ctl_usage_error (context, "Name the connection to test");
  if (!(connection = ctl_find_connection (ctl, argv[1], &error)) || !(client = client_for (ctl, connection, &error)))
    return ctl_fail (error);

  if (!(status = test_client (client, &summary, &error)))
    {
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE)
          || g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED))
        return explain_certificate (client, argv[1], error);
      return ctl_fail (error);
    }

  /* Reachable but without quorum: every change would be refused, so the test fails. */
  if (!status->quorate)
    {
      g_printerr ("%s: %s\n", argv[1], summary);
      return CTL_EXIT_FAILURE;
    }
  g_print ("%s: OK, %s\n", argv[1], summary);
  return CTL_EXIT_OK;
}

static int
trust_host_key (CtlContext        *ctl,
                PaddockConnection *connection,
                const char        *node,
                const char        *fingerprint)
{
  g_autoptr(PaddockSshSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL, *seen = NULL, *trusted = NULL;
  PaddockCluster *cluster = paddock_workspace_find_cluster (ctl->workspace, paddock_connection_get_id (connection));

  if (!(session = ctl_ssh_session_for_node (ctl, cluster, node, &error)))
    return ctl_fail (error);

  paddock_ssh_session_connect_async (session, NULL, CTL_ASYNC (result));
  if (paddock_ssh_session_connect_finish (session, ctl_wait (&result), &error))
    {
      g_print ("%s/%s: the host key is trusted already\n", paddock_connection_get_name (connection), node);
      return CTL_EXIT_OK;
    }
  if (!paddock_ssh_session_dup_rejected_host_key (session, &type, &seen, &trusted)
      || (!g_error_matches (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY)
          && !g_error_matches (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_HOST_KEY_CHANGED)))
    return ctl_fail (error);

  if (fingerprint != NULL ? g_strcmp0 (fingerprint, seen) != 0
                          : !(g_printerr ("%s\n", error->message), ctl_confirm ("Trust this host key?")))
    {
      g_printerr ("paddockctl: %s shows %s %s; nothing was trusted\n", node, type, seen);
      return CTL_EXIT_TRUST;
    }

  g_clear_error (&error);
  if (!paddock_ssh_session_trust_rejected_host_key (session, TRUE, &error))
    return ctl_fail (error);

  g_print ("%s/%s: trusted %s %s\n", paddock_connection_get_name (connection), node, type, seen);
  return CTL_EXIT_OK;
}

/* Pins the certificate the server shows now: given with --fingerprint (it must match),
 * or confirmed on a terminal. */
static int
connection_trust (CtlContext *ctl,
                  int         argc,
                  char      **argv)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *node = NULL;
  GOptionEntry entries[] = {
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint, "The SHA-256 fingerprint you expect", "SHA256" },
    { "node", 0, 0, G_OPTION_ARG_STRING, &node, "Trust this node's SSH host key instead", "NODE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME - trust the server's TLS certificate or a node's SSH host key");
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockCertificateInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(PaddockPveClusterStatus) status = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 2)
    return ctl_usage_error (context, "Name the connection");
  if (!(connection = ctl_find_connection (ctl, argv[1], &error)) || !(client = client_for (ctl, connection, &error)))
    return ctl_fail (error);

  if (node != NULL)
    return trust_host_key (ctl, connection, node, fingerprint);

  if ((status = test_client (client, &summary, &error)))
    {
      g_print ("%s: the certificate is trusted already\n", argv[1]);
      return CTL_EXIT_OK;
    }
  if (!g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE)
      && !g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED))
    return ctl_fail (error);

  info = paddock_pve_client_dup_rejected_certificate (client);
  if (fingerprint != NULL)
    {
      if (info == NULL || g_ascii_strcasecmp (fingerprint, info->sha256) != 0)
        {
          g_printerr ("paddockctl: the server shows %s, not %s; nothing was trusted\n",
                      info ? info->sha256 : "no certificate", fingerprint);
          return CTL_EXIT_TRUST;
        }
    }
  else
    {
      g_autofree char *question = NULL;

      if (!ctl_is_interactive ())
        return explain_certificate (client, argv[1], error);
      g_printerr ("%s:%u presents a certificate with SHA-256 fingerprint\n  %s\n", info->host, info->port, info->sha256);
      if (info->pinned_sha256)
        g_printerr ("It CHANGED from the trusted\n  %s\n", info->pinned_sha256);
      question = g_strdup ("Trust it?");
      if (!ctl_confirm (question))
        return CTL_EXIT_TRUST;
    }

  paddock_pve_client_trust_rejected_certificate (client);
  g_clear_error (&error);
  g_clear_pointer (&status, paddock_pve_cluster_status_free);
  if (!(status = test_client (client, &summary, &error)))
    return ctl_fail (error);

  g_print ("%s: trusted %s; %s\n", argv[1], info->sha256, summary);
  return CTL_EXIT_OK;
}

/* SSH settings of one node: how `paddockctl exec` and the app reach it. */
static int
connection_ssh (CtlContext *ctl,
                int         argc,
                char      **argv)
{
  g_autofree char *address = NULL, *user = NULL, *auth = NULL, *key = NULL;
  int port = 22;
  GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, "Host name or address (default: the node's)", "HOST" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "SSH port (22)", "PORT" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "User (root)", "USER" },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth, "agent, key or password", "METHOD" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "Private key file", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CONNECTION NODE - set how to reach a node over SSH");
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(PaddockNodeSsh) ssh = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return ctl_usage_error (context, "%s", error->message);
  if (argc != 3)
    return ctl_usage_error (context, "Name the connection and the node");
  if (port < 1 || port > 65535)
    return ctl_usage_error (context, "%d is not a port", port);
  if (!(connection = ctl_find_connection (ctl, argv[1], &error)))
    return ctl_fail (error);

  ssh = paddock_node_ssh_new (paddock_connection_get_id (connection), argv[2]);
  ssh->address = g_strdup (address);
  ssh->port = port;
  if (user)
    {
      g_free (ssh->user);
      ssh->user = g_strdup (user);
    }
  if (auth && !paddock_ssh_auth_from_string (auth, &ssh->auth))
    return ctl_usage_error (context, "--auth is agent, key or password, not “%s”", auth);
  if (key)
    {
      ssh->key_path = g_canonicalize_filename (key, NULL);
      if (auth == NULL)
        ssh->auth = PADDOCK_SSH_AUTH_KEY;
    }

  paddock_store_set_node_ssh_async (ctl->store, ssh, NULL, CTL_ASYNC (result));
  if (!paddock_store_set_node_ssh_finish (ctl->store, ctl_wait (&result), &error))
    return ctl_fail (error);

  g_print ("%s/%s: ssh %s@%s -p %u (%s)\n", argv[1], argv[2], ssh->user, address ? address : argv[2], ssh->port,
           paddock_ssh_auth_to_string (ssh->auth));
  return CTL_EXIT_OK;
}

int
ctl_command_connection (CtlContext *ctl,
                        int         argc,
                        char      **argv)
{
  static const struct { const char *name; CtlCommandFunc func; const char *summary; } subcommands[] = {
    { "list", connection_list, "List the saved connections" },
    { "add", connection_add, "Add a connection (tested first)" },
    { "remove", connection_remove, "Remove a connection and its secrets" },
    { "test", connection_test, "Check /version and /cluster/status" },
    { "trust", connection_trust, "Pin the server's TLS certificate" },
    { "ssh", connection_ssh, "Set how to reach a node over SSH" },
  };

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        return subcommands[i].func (ctl, argc - 1, argv + 1);

  g_printerr ("Usage: paddockctl connection SUBCOMMAND\n\n");
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    g_printerr ("  %-8s %s\n", subcommands[i].name, subcommands[i].summary);

  return argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "help")) ? CTL_EXIT_OK : CTL_EXIT_USAGE;
}
