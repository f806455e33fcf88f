/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-context.c: what every paddockctl command shares: the store, the keyring, output */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "paddockctl-context.h"

GAsyncResult *
ctl_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

void
ctl_store_result (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
ctl_open_store (CtlContext  *ctl,
                GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (ctl->store != NULL)
    return TRUE;

  if (ctl->data_dir != NULL)
    {
      g_mkdir_with_parents (ctl->data_dir, 0700);
      path = g_build_filename (ctl->data_dir, "paddock.db", NULL);
    }
  else
    path = paddock_store_dup_default_path ();

  paddock_store_open_async (path, NULL, CTL_ASYNC (result));
  if (!(ctl->store = paddock_store_open_finish (ctl_wait (&result), error)))
    return FALSE;

  ctl->secrets = paddock_secrets_new ();
  return TRUE;
}

gboolean
ctl_load_workspace (CtlContext  *ctl,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (ctl->workspace != NULL)
    return TRUE;
  if (!ctl_open_store (ctl, error))
    return FALSE;

  ctl->workspace = paddock_workspace_new (ctl->store, ctl->secrets);
  paddock_workspace_load_async (ctl->workspace, NULL, CTL_ASYNC (result));
  if (!paddock_workspace_load_finish (ctl->workspace, ctl_wait (&result), error))
    return FALSE;
  /* paddockctl refreshes at once: the keyring's answers first, then the environment's secrets. */
  g_clear_object (&result);
  paddock_workspace_secrets_ready_async (ctl->workspace, NULL, CTL_ASYNC (result));
  if (!paddock_workspace_secrets_ready_finish (ctl->workspace, ctl_wait (&result), error))
    return FALSE;

  ctl_apply_env_secrets (ctl);
  return TRUE;
}

void
ctl_context_clear (CtlContext *ctl)
{
  /* Whatever a command queued is on disk before the process ends, whoever still holds the store. */
  if (ctl->store != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      paddock_store_flush_async (ctl->store, NULL, CTL_ASYNC (result));
      paddock_store_flush_finish (ctl->store, ctl_wait (&result), NULL);
    }

  g_clear_object (&ctl->workspace);
  g_clear_object (&ctl->secrets);
  g_clear_object (&ctl->store);
  g_clear_pointer (&ctl->data_dir, g_free);
}

int
ctl_exit_status_for (const GError *error)
{
  if (error->domain == PADDOCK_PVE_ERROR)
    switch (error->code)
      {
      case PADDOCK_PVE_ERROR_AUTH:
      case PADDOCK_PVE_ERROR_TFA_REQUIRED:
      case PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE:
      case PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED:
        return CTL_EXIT_TRUST;
      case PADDOCK_PVE_ERROR_NOT_FOUND:
        return CTL_EXIT_NOT_FOUND;
      default:
        return CTL_EXIT_FAILURE;
      }

  if (error->domain == PADDOCK_SSH_ERROR)
    switch (error->code)
      {
      case PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY:
      case PADDOCK_SSH_ERROR_HOST_KEY_CHANGED:
      case PADDOCK_SSH_ERROR_AUTH:
      case PADDOCK_SSH_ERROR_PASSPHRASE_REQUIRED:
        return CTL_EXIT_TRUST;
      case PADDOCK_SSH_ERROR_INVALID:
        return CTL_EXIT_USAGE;
      default:
        return CTL_EXIT_FAILURE;
      }

  if (g_error_matches (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND))
    return CTL_EXIT_NOT_FOUND;
  if (g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
      || g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION)
      || g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
      || g_error_matches (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID))
    return CTL_EXIT_USAGE;

  return CTL_EXIT_FAILURE;
}

int
ctl_fail (const GError *error)
{
  g_printerr ("paddockctl: %s\n", error->message);
  return ctl_exit_status_for (error);
}

int
ctl_usage_error (GOptionContext *context,
                 const char     *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("paddockctl: %s\n", message);
  if (context != NULL)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("\n%s", help);
    }

  return CTL_EXIT_USAGE;
}

PaddockConnection *
ctl_find_connection (CtlContext  *ctl,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) connections = NULL;

  if (!ctl_open_store (ctl, error))
    return NULL;

  paddock_store_list_connections_async (ctl->store, NULL, CTL_ASYNC (result));
  if (!(connections = paddock_store_list_connections_finish (ctl->store, ctl_wait (&result), error)))
    return NULL;

  for (guint i = 0; i < connections->len; i++)
    {
      PaddockConnection *connection = g_ptr_array_index (connections, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, paddock_connection_get_id (connection));

      if (g_str_equal (paddock_connection_get_name (connection), name) || g_str_equal (id, name))
        return g_object_ref (connection);
    }

  g_set_error (error, PADDOCK_STORE_ERROR, PADDOCK_STORE_ERROR_NOT_FOUND,
               "There is no connection “%s” (see paddockctl connection list)", name);
  return NULL;
}

/* Refreshes every cluster at once; an unreachable one keeps its cached list and warns. */
gboolean
ctl_refresh_all (CtlContext *ctl,
                 const char *only_connection)
{
  GListModel *clusters = paddock_workspace_get_clusters (ctl->workspace);
  guint n = g_list_model_get_n_items (clusters);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_free);
  gboolean all_ok = TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
      PaddockConnection *connection = paddock_workspace_get_connection (ctl->workspace, cluster);
      GAsyncResult **slot = g_new0 (GAsyncResult *, 1);

      g_ptr_array_add (results, slot);
      if (only_connection != NULL && !g_str_equal (paddock_connection_get_name (connection), only_connection))
        continue;
      paddock_workspace_refresh_async (ctl->workspace, cluster, NULL, ctl_store_result, slot);
    }

  for (guint i = 0; i < n; i++)
    {
      GAsyncResult **slot = g_ptr_array_index (results, i);
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
      PaddockConnection *connection = paddock_workspace_get_connection (ctl->workspace, cluster);
      g_autoptr(GError) error = NULL;

      if (only_connection != NULL && !g_str_equal (paddock_connection_get_name (connection), only_connection))
        continue;
      if (!paddock_workspace_refresh_finish (ctl->workspace, ctl_wait (slot), &error))
        {
          g_printerr ("paddockctl: %s: %s%s\n", paddock_connection_get_name (connection), error->message,
                      paddock_cluster_get_from_cache (cluster) ? " (showing the last known list)" : "");
          all_ok = FALSE;
        }
      g_clear_object (slot);
    }

  return all_ok;
}

PaddockGuest *
ctl_resolve_guest (CtlContext      *ctl,
                   const char      *spec,
                   PaddockCluster **cluster_out,
                   int             *exit_status)
{
  GListModel *clusters = paddock_workspace_get_clusters (ctl->workspace);
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) match_clusters = g_ptr_array_new ();
  g_autofree char *connection_name = NULL;
  const char *what = spec;
  const char *slash = strchr (spec, '/');
  guint64 vmid = 0;
  gboolean by_id;

  if (slash != NULL)
    {
      connection_name = g_strndup (spec, slash - spec);
      what = slash + 1;
    }
  by_id = g_ascii_string_to_unsigned (what, 10, 100, 999999999, &vmid, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (clusters); i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
      PaddockConnection *connection = paddock_workspace_get_connection (ctl->workspace, cluster);

      if (connection_name != NULL && !g_str_equal (paddock_connection_get_name (connection), connection_name))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (cluster)); j++)
        {
          g_autoptr(PaddockGuest) guest = g_list_model_get_item (G_LIST_MODEL (cluster), j);

          if (g_strcmp0 (paddock_guest_get_guest_type (guest), "lxc") != 0)
            continue;
          if ((by_id && paddock_guest_get_vmid (guest) == vmid)
              || (!by_id && g_strcmp0 (paddock_guest_get_name (guest), what) == 0))
            {
              g_ptr_array_add (matches, g_object_ref (guest));
              g_ptr_array_add (match_clusters, cluster);
            }
        }
    }

  if (matches->len == 1)
    {
      *cluster_out = g_ptr_array_index (match_clusters, 0);
      return g_object_ref (g_ptr_array_index (matches, 0));
    }

  *exit_status = CTL_EXIT_NOT_FOUND;
  if (matches->len == 0)
    {
      g_printerr ("paddockctl: no container “%s”\n", spec);
      return NULL;
    }

  g_printerr ("paddockctl: “%s” is ambiguous; name one of:\n", spec);
  for (guint i = 0; i < matches->len; i++)
    {
      PaddockGuest *guest = g_ptr_array_index (matches, i);
      PaddockConnection *connection = paddock_workspace_get_connection (ctl->workspace,
                                                                        g_ptr_array_index (match_clusters, i));

      g_printerr ("  %s/%u  (%s on %s)\n", paddock_connection_get_name (connection), paddock_guest_get_vmid (guest),
                  paddock_guest_get_display_name (guest), paddock_guest_get_node (guest));
    }

  return NULL;
}

gboolean
ctl_is_interactive (void)
{
  return isatty (STDIN_FILENO) && isatty (STDERR_FILENO);
}

gboolean
ctl_confirm (const char *question)
{
  char answer[16] = { 0 };

  if (!ctl_is_interactive ())
    return FALSE;

  g_printerr ("%s [y/N] ", question);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;

  return answer[0] == 'y' || answer[0] == 'Y';
}

/* Reads a line from the terminal without echo; NULL when there is no terminal. */
char *
ctl_read_secret (const char *prompt)
{
  struct termios saved, quiet;
  char buffer[1024] = { 0 };
  char *secret;
  gsize length;

  if (!ctl_is_interactive ())
    return NULL;

  g_printerr ("%s", prompt);
  tcgetattr (STDIN_FILENO, &saved);
  quiet = saved;
  quiet.c_lflag &= ~ECHO;
  tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
  secret = fgets (buffer, sizeof buffer, stdin);
  tcsetattr (STDIN_FILENO, TCSANOW, &saved);
  g_printerr ("\n");

  if (secret == NULL)
    return NULL;

  length = strcspn (buffer, "\r\n");
  secret = g_strndup (buffer, length);
  explicit_bzero (buffer, sizeof buffer);
  return secret;
}

const char *
ctl_env_secret (PaddockAuthKind kind)
{
  const char *value = g_getenv (kind == PADDOCK_AUTH_TOKEN ? "PADDOCK_TOKEN_SECRET" : "PADDOCK_PASSWORD");

  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* A secret in the environment replaces the keyring's for this run (never stored). */
void
ctl_apply_env_secrets (CtlContext *ctl)
{
  GListModel *clusters = paddock_workspace_get_clusters (ctl->workspace);
  const char *only = g_getenv ("PADDOCK_CONNECTION");

  for (guint i = 0; i < g_list_model_get_n_items (clusters); i++)
    {
      g_autoptr(PaddockCluster) cluster = g_list_model_get_item (clusters, i);
      PaddockConnection *connection = paddock_workspace_get_connection (ctl->workspace, cluster);
      PaddockPveClient *client = paddock_cluster_get_client (cluster);
      PaddockAuthKind kind = paddock_connection_get_auth_kind (connection);
      const char *secret = ctl_env_secret (kind);

      if (secret == NULL || (only != NULL && !g_str_equal (only, paddock_connection_get_name (connection))))
        continue;

      if (kind == PADDOCK_AUTH_TOKEN)
        {
          g_autofree char *token_id = g_strdup_printf ("%s!%s", paddock_connection_get_username (connection),
                                                       paddock_connection_get_token_id (connection));

          paddock_pve_client_set_token (client, token_id, secret);
        }
      else
        paddock_pve_client_set_password (client, paddock_connection_get_username (connection), secret);
    }
}

void
ctl_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
ctl_print_table (GPtrArray *rows)
{
  g_autoptr(GArray) widths = g_array_new (FALSE, TRUE, sizeof (glong));
  guint columns = rows->len ? g_strv_length (g_ptr_array_index (rows, 0)) : 0;

  g_array_set_size (widths, columns);
  for (guint r = 0; r < rows->len; r++)
    {
      GStrv row = g_ptr_array_index (rows, r);

      for (guint c = 0; c < columns && row[c]; c++)
        g_array_index (widths, glong, c) = MAX (g_array_index (widths, glong, c), g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < rows->len; r++)
    {
      GStrv row = g_ptr_array_index (rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < columns && row[c]; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < columns)
            for (glong pad = g_utf8_strlen (row[c], -1); pad < g_array_index (widths, glong, c) + 2; pad++)
              g_string_append_c (line, ' ');
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }
}

/* A session to @node as `paddockctl connection ssh` set it up (root@NODE:22 with the agent otherwise). */
PaddockSshSession *
ctl_ssh_session_for_node (CtlContext     *ctl,
                  PaddockCluster *cluster,
                  const char     *node,
                  GError        **error)
{
  PaddockConnection *connection = paddock_workspace_get_connection (ctl->workspace, cluster);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) settings = NULL;
  const PaddockNodeSsh *ssh = NULL;
  PaddockSshSession *session;

  paddock_store_list_node_ssh_async (ctl->store, paddock_connection_get_id (connection), NULL, CTL_ASYNC (result));
  if (!(settings = paddock_store_list_node_ssh_finish (ctl->store, ctl_wait (&result), error)))
    return NULL;
  for (guint i = 0; i < settings->len; i++)
    if (g_str_equal (((PaddockNodeSsh *) g_ptr_array_index (settings, i))->node, node))
      ssh = g_ptr_array_index (settings, i);

  session = paddock_workspace_new_ssh_session (ctl->workspace, ssh, node);

  if (g_getenv ("PADDOCK_SSH_PASSWORD"))
    paddock_ssh_session_set_password (session, g_getenv ("PADDOCK_SSH_PASSWORD"));
  if (g_getenv ("PADDOCK_SSH_PASSPHRASE"))
    paddock_ssh_session_set_key_passphrase (session, g_getenv ("PADDOCK_SSH_PASSPHRASE"));

  return session;
}


/* Connects @session to @node; an unknown host key is offered for trust on a terminal, as ssh
 * does; otherwise the way to trust it is printed. Returns CTL_EXIT_OK when connected. */
int
ctl_ssh_connect (CtlContext        *ctl,
                 PaddockCluster    *cluster,
                 const char        *node,
                 PaddockSshSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL, *fingerprint = NULL, *trusted = NULL;

  paddock_ssh_session_connect_async (session, NULL, CTL_ASYNC (result));
  if (paddock_ssh_session_connect_finish (session, ctl_wait (&result), &error))
    return CTL_EXIT_OK;

  if (!g_error_matches (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY) &&
      !g_error_matches (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_HOST_KEY_CHANGED))
    return ctl_fail (error);

  paddock_ssh_session_dup_rejected_host_key (session, &type, &fingerprint, &trusted);
  if (trusted == NULL && ctl_is_interactive ())
    {
      g_printerr ("%s\n", error->message);
      if (ctl_confirm ("Trust this host key?") && paddock_ssh_session_trust_rejected_host_key (session, FALSE, NULL))
        {
          g_clear_error (&error);
          g_clear_object (&result);
          paddock_ssh_session_connect_async (session, NULL, CTL_ASYNC (result));
          if (paddock_ssh_session_connect_finish (session, ctl_wait (&result), &error))
            return CTL_EXIT_OK;
          return ctl_fail (error);
        }
    }

  g_printerr ("paddockctl: %s\n", error->message);
  if (trusted == NULL)
    g_printerr ("Compare it with the node's (ssh-keygen -lf /etc/ssh/ssh_host_%s_key.pub), then trust it with:\n"
                "  paddockctl connection trust %s --node %s --fingerprint %s\n",
                type && g_str_has_prefix (type, "ssh-") ? type + 4 : "ed25519",
                paddock_connection_get_name (paddock_workspace_get_connection (ctl->workspace, cluster)),
                node, fingerprint);
  return CTL_EXIT_TRUST;
}

/* pct on the node of @guest, connected; NULL with *exit_status set otherwise. */
PaddockPct *
ctl_pct_for_guest (CtlContext     *ctl,
                   PaddockCluster *cluster,
                   PaddockGuest   *guest,
                   int            *exit_status)
{
  g_autoptr(PaddockSshSession) session = NULL;
  g_autoptr(GError) error = NULL;
  const char *node = paddock_guest_get_node (guest);

  if (!(session = ctl_ssh_session_for_node (ctl, cluster, node, &error)))
    {
      *exit_status = ctl_fail (error);
      return NULL;
    }
  if ((*exit_status = ctl_ssh_connect (ctl, cluster, node, session)) != CTL_EXIT_OK)
    return NULL;

  return paddock_pct_new (session, node);
}

/* "3d 4h", "2h 10m", "5m"; "" for nothing. */
char *
ctl_format_duration (gint64 seconds)
{
  if (seconds <= 0)
    return g_strdup ("");
  if (seconds >= 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d %" G_GINT64_FORMAT "h", seconds / 86400, seconds % 86400 / 3600);
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h %" G_GINT64_FORMAT "m", seconds / 3600, seconds % 3600 / 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT "m", seconds / 60);
}
