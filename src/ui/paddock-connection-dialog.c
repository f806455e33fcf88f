/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-connection-dialog.c: adds a Proxmox VE connection, testing it and asking for trust
 *
 * "Test" and "Add" both run the client's check (/version, then /cluster/status); a certificate nobody
 * trusted yet opens a dialog with its fingerprint. Adding saves the connection (no secrets in
 * the database), keeps the secret in the keyring, and starts showing its containers.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "paddock-certificate-dialog.h"
#include "paddock-connection-dialog.h"
#include "paddock-format.h"
#include "paddock-node-ssh-row.h"

struct _PaddockConnectionDialog
{
  AdwWindow          parent_instance;

  PaddockWorkspace  *workspace;
  PaddockPveClient  *client;
  GCancellable      *cancellable;
  gboolean           add_after_check;

  AdwEntryRow       *name_row;
  AdwEntryRow       *address_row;
  AdwComboRow       *method_row;
  AdwEntryRow       *token_id_row;
  AdwEntryRow       *token_secret_row;
  AdwEntryRow       *user_row;
  AdwEntryRow       *password_row;
  AdwComboRow       *realm_row;
  GtkStringList     *realm_choices;
  AdwEntryRow       *totp_row;
  PaddockPveClient  *realm_client;    /* asks /access/domains, which needs no login */
  char              *realms_from;     /* the host:port the realm list came from */
  guint              realm_timeout;
  gboolean           tfa_pending;     /* the password was accepted; the code is wanted */
  AdwActionRow      *test_row;
  AdwPreferencesGroup *ssh_group;
  GPtrArray         *ssh_rows;        /* PaddockNodeSshRow, one per node of the last check */
  PaddockCluster    *editing;         /* the saved connection being edited, or NULL when adding */
  GPtrArray         *saved_ssh;       /* its PaddockNodeSsh rows, to fill the node rows with */
  GtkSpinner        *spinner;
  GtkButton         *add_button;
};

G_DEFINE_FINAL_TYPE (PaddockConnectionDialog, paddock_connection_dialog, ADW_TYPE_WINDOW)

static gboolean
using_token (PaddockConnectionDialog *self)
{
  return adw_combo_row_get_selected (self->method_row) == 0;
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* "pve", "pve:8006" or "https://pve:8006" → host and port; NULL when it is none of those. */
static gboolean
parse_address (const char  *text,
               char       **host,
               guint16     *port)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;

  while (*text == ' ')
    text++;
  if (*text == '\0')
    return FALSE;

  url = strstr (text, "://") ? g_strdup (text) : g_strconcat ("https://", text, NULL);
  uri = g_uri_parse (g_strstrip (url), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 || g_uri_get_host (uri) == NULL
      || *g_uri_get_host (uri) == '\0')
    return FALSE;

  *host = g_strdup (g_uri_get_host (uri));
  *port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 8006;
  return TRUE;
}

/* "root" with the realm chosen, or what was typed when it already names one ("root@pam"). */
static char *
dup_username (PaddockConnectionDialog *self)
{
  GObject *realm = adw_combo_row_get_selected_item (self->realm_row);
  const char *user = text_of (self->user_row);

  if (strchr (user, '@') != NULL || realm == NULL)
    return g_strdup (user);

  return g_strdup_printf ("%s@%s", user, gtk_string_object_get_string (GTK_STRING_OBJECT (realm)));
}

/* What is missing or wrong, for the subtitle; NULL when the form is complete. */
static const char *
form_problem (PaddockConnectionDialog *self)
{
  g_autofree char *host = NULL;
  guint16 port;

  /* No name needed: a tested connection is named after its cluster (or its node). */
  if (!parse_address (text_of (self->address_row), &host, &port))
    return _("Enter the address of a node, such as https://pve.example.com:8006.");
  if (using_token (self))
    {
      if (strchr (text_of (self->token_id_row), '!') == NULL || strchr (text_of (self->token_id_row), '@') == NULL)
        return _("A token ID looks like root@pam!paddock.");
      if (*text_of (self->token_secret_row) == '\0' && self->editing == NULL)
        return _("Enter the token's secret.");
    }
  else
    {
      if (*text_of (self->user_row) == '\0' || strchr (text_of (self->user_row), ' ') != NULL)
        return _("Enter the user name, such as root.");
      if (*text_of (self->password_row) == '\0' && self->editing == NULL)
        return _("Enter the password.");
    }

  return NULL;
}

static void
set_busy (PaddockConnectionDialog *self,
          gboolean                 busy)
{
  gboolean complete = form_problem (self) == NULL;

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.test", !busy && complete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.add", !busy && complete);
}

static void
show_result (PaddockConnectionDialog *self,
             const char              *text,
             gboolean                 failed)
{
  adw_action_row_set_subtitle (self->test_row, text);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
}

/* Add is the suggested action once a test passed with what the form says now (it tests anyway). */
static void
set_tested (PaddockConnectionDialog *self,
            gboolean                 tested)
{
  if (tested)
    gtk_widget_add_css_class (GTK_WIDGET (self->add_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->add_button), "suggested-action");
}

/* Realms: /access/domains answers without a login, so the list can follow the address. */

static void
on_realms (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockConnectionDialog) self = user_data;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) realms = g_ptr_array_new ();
  g_autofree char *chosen = NULL;
  GObject *selected;
  guint position = 0;
  guint default_position = G_MAXUINT;

  data = paddock_pve_client_call_finish (PADDOCK_PVE_CLIENT (object), result, NULL, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  /* Unreachable or not trusted yet: pam and pve stay; the check says what is wrong. */
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    return;

  selected = adw_combo_row_get_selected_item (self->realm_row);
  chosen = selected ? g_strdup (gtk_string_object_get_string (GTK_STRING_OBJECT (selected))) : NULL;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (data)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (data), i);
      const char *realm;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      realm = json_object_get_string_member_with_default (json_node_get_object (item), "realm", NULL);
      if (realm == NULL || *realm == '\0')
        continue;
      /* The server's default realm wins (a new list is a new server); else what was chosen stays. */
      if (json_object_get_int_member_with_default (json_node_get_object (item), "default", 0))
        default_position = realms->len;
      else if (g_strcmp0 (realm, chosen) == 0)
        position = realms->len;
      g_ptr_array_add (realms, (gpointer) realm);
    }
  if (realms->len == 0)
    return;

  g_ptr_array_add (realms, NULL);
  gtk_string_list_splice (self->realm_choices, 0, g_list_model_get_n_items (G_LIST_MODEL (self->realm_choices)),
                          (const char * const *) realms->pdata);
  adw_combo_row_set_selected (self->realm_row, default_position != G_MAXUINT ? default_position : position);
}

static gboolean
fetch_realms (gpointer user_data)
{
  PaddockConnectionDialog *self = user_data;
  g_autofree char *host = NULL;
  g_autofree char *from = NULL;
  guint16 port = 8006;

  self->realm_timeout = 0;
  if (!parse_address (text_of (self->address_row), &host, &port))
    return G_SOURCE_REMOVE;

  from = g_strdup_printf ("%s:%u", host, port);
  if (g_strcmp0 (from, self->realms_from) == 0)
    return G_SOURCE_REMOVE;

  g_free (self->realms_from);
  self->realms_from = g_steal_pointer (&from);
  g_clear_object (&self->realm_client);
  self->realm_client = paddock_pve_client_new (host, port,
                                               PADDOCK_TRUST_STORE (paddock_workspace_get_store (self->workspace)));
  paddock_pve_client_get_realms_async (self->realm_client, self->cancellable, on_realms, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* Half a second after the address stops changing, for password logins only. */
static void
schedule_realms (PaddockConnectionDialog *self)
{
  g_clear_handle_id (&self->realm_timeout, g_source_remove);
  if (self->workspace != NULL && !using_token (self))
    self->realm_timeout = g_timeout_add (500, fetch_realms, self);
}

static void
on_field_changed (PaddockConnectionDialog *self)
{
  const char *problem = form_problem (self);

  /* A new answer is needed for new values. */
  g_clear_object (&self->client);
  set_tested (self, FALSE);
  self->tfa_pending = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->totp_row), FALSE);
  schedule_realms (self);
  show_result (self, problem ? problem : _("Ready to test."), FALSE);
  set_busy (self, gtk_spinner_get_spinning (self->spinner));
}

static void
on_method_changed (PaddockConnectionDialog *self)
{
  gboolean token = using_token (self);

  gtk_widget_set_visible (GTK_WIDGET (self->token_id_row), token);
  gtk_widget_set_visible (GTK_WIDGET (self->token_secret_row), token);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), !token);
  gtk_widget_set_visible (GTK_WIDGET (self->realm_row), !token);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !token);
  on_field_changed (self);
}


static void run_check (PaddockConnectionDialog *self);

static void
on_trust_answer (gboolean trusted,
                 gpointer user_data)
{
  g_autoptr(PaddockConnectionDialog) self = user_data;

  if (trusted && self->client != NULL)
    {
      /* The realm list could not be read before the certificate was trusted. */
      g_clear_pointer (&self->realms_from, g_free);
      schedule_realms (self);
      run_check (self);
      return;
    }

  self->add_after_check = FALSE;
  show_result (self, _("The certificate was not trusted; nothing was saved."), TRUE);
}


static void
ask_trust (PaddockConnectionDialog *self)
{
  paddock_certificate_dialog_ask (GTK_WINDOW (self), self->client, FALSE, on_trust_answer, g_object_ref (self));
}

static void
on_secret_stored (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PaddockConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_secrets_store_finish (PADDOCK_SECRETS (object), result, &error))
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
      AdwMessageDialog *dialog;

      /* Saved and working for this run; the user needs to know it will ask again. */
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("The Secret Is Kept for This Session Only"),
                                                           error->message));
      adw_message_dialog_add_responses (dialog, "close", _("_Close"), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

typedef struct
{
  PaddockNodeSessions *sessions;
  gint64               connection_id;
} SavedSsh;

static SavedSsh *
saved_ssh_new (PaddockConnectionDialog *self,
               PaddockConnection       *connection)
{
  SavedSsh *saved = g_new0 (SavedSsh, 1);

  saved->sessions = g_object_ref (paddock_workspace_get_node_sessions (self->workspace));
  saved->connection_id = paddock_connection_get_id (connection);
  return saved;
}

static void
on_ssh_saved (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SavedSsh *saved = user_data;
  g_autoptr(GError) error = NULL;

  /* The connection works without them; the node's row in paddockctl can set them again. */
  if (PADDOCK_IS_STORE (object) ? !paddock_store_set_node_ssh_finish (PADDOCK_STORE (object), result, &error)
                                : !paddock_secrets_store_finish (PADDOCK_SECRETS (object), result, &error))
    g_warning ("Could not save the SSH settings of a node: %s", error->message);

  /* Sessions made with the old settings go; the next use makes one with what is saved now. */
  paddock_node_sessions_forget (saved->sessions, saved->connection_id);
  g_object_unref (saved->sessions);
  g_free (saved);
}

static void
save_ssh_settings (PaddockConnectionDialog *self,
                   PaddockConnection       *connection)
{
  PaddockStore *store = paddock_workspace_get_store (self->workspace);

  for (guint i = 0; i < self->ssh_rows->len; i++)
    {
      PaddockNodeSshRow *row = g_ptr_array_index (self->ssh_rows, i);
      g_autoptr(PaddockNodeSsh) ssh = paddock_node_ssh_row_dup_settings (row, paddock_connection_get_id (connection));
      const char *password = paddock_node_ssh_row_get_password (row);

      paddock_store_set_node_ssh_async (store, ssh, NULL, on_ssh_saved, saved_ssh_new (self, connection));
      if (password != NULL)
        {
          g_autofree char *label = g_strdup_printf (_("Paddock: SSH password for %s@%s"), ssh->user, ssh->node);

          paddock_secrets_store_async (paddock_workspace_get_secrets (self->workspace), PADDOCK_SECRET_SSH_PASSWORD,
                                       paddock_connection_get_id (connection), ssh->node, NULL, label, password,
                                       NULL, on_ssh_saved, saved_ssh_new (self, connection));
        }
    }
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PaddockConnectionDialog) self = user_data;
  g_autoptr(PaddockCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  PaddockConnection *connection;
  gboolean token;

  cluster = paddock_workspace_connect_finish (PADDOCK_WORKSPACE (object), result, &error);
  if (cluster == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (self, FALSE);
          show_result (self, error->message, TRUE);
        }
      return;
    }

  connection = paddock_workspace_get_connection (self->workspace, cluster);
  save_ssh_settings (self, connection);
  token = using_token (self);
  label = g_strdup_printf (token ? _("Paddock: API token of %s") : _("Paddock: password of %s"),
                           paddock_connection_get_name (connection));
  paddock_secrets_store_async (paddock_workspace_get_secrets (self->workspace),
                               token ? PADDOCK_SECRET_TOKEN : PADDOCK_SECRET_PASSWORD,
                               paddock_connection_get_id (connection), NULL, NULL, label,
                               text_of (token ? self->token_secret_row : self->password_row),
                               self->cancellable, on_secret_stored, g_object_ref (self));
}

static void
on_edit_saved (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = g_async_result_is_tagged (result, paddock_workspace_rename_async)
                ? paddock_workspace_rename_finish (PADDOCK_WORKSPACE (object), result, &error)
                : paddock_workspace_set_secret_finish (PADDOCK_WORKSPACE (object), result, &error);

  if (!ok)
    g_warning ("A change of the connection was not saved: %s", error->message);
}

/* Editing: what changed is saved (name, secret, SSH of each node); the address and the way of
 * logging in stay, they make another connection. */
static void
save_edits (PaddockConnectionDialog *self)
{
  PaddockConnection *connection = paddock_workspace_get_connection (self->workspace, self->editing);
  const char *secret = text_of (using_token (self) ? self->token_secret_row : self->password_row);
  g_autofree char *name = g_strstrip (g_strdup (text_of (self->name_row)));

  if (connection == NULL)
    {
      show_result (self, _("The connection was removed meanwhile."), TRUE);
      set_busy (self, FALSE);
      return;
    }

  if (g_strcmp0 (name, paddock_connection_get_name (connection)) != 0)
    paddock_workspace_rename_async (self->workspace, self->editing, name, NULL, on_edit_saved, NULL);
  if (*secret != '\0')
    paddock_workspace_set_secret_async (self->workspace, self->editing, secret, NULL, on_edit_saved, NULL);
  save_ssh_settings (self, connection);

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_connection (PaddockConnectionDialog *self)
{
  PaddockConnectRequest *request = g_new0 (PaddockConnectRequest, 1);
  g_autofree char *host = NULL;
  guint16 port = 8006;

  parse_address (text_of (self->address_row), &host, &port);
  request->url = g_strdup_printf ("https://%s:%u", host, port);
  request->name = g_strdup (*text_of (self->name_row) ? text_of (self->name_row) : host);
  if (using_token (self))
    {
      request->token_id = g_strdup (text_of (self->token_id_row));
      request->token_secret = g_strdup (text_of (self->token_secret_row));
    }
  else
    {
      request->username = dup_username (self);
      request->password = g_strdup (text_of (self->password_row));
      /* Logged in with a second factor: that session is the one to keep. */
      if (self->client != NULL && paddock_pve_client_get_has_ticket (self->client))
        request->client = g_object_ref (self->client);
    }

  paddock_workspace_connect_async (self->workspace, request, self->cancellable, on_connected, g_object_ref (self));
}

/* One row per node of the cluster, kept when the same nodes answer again (what was typed stays). */
static void
show_ssh_rows (PaddockConnectionDialog *self,
               GPtrArray               *nodes)
{
  gboolean same = nodes->len == self->ssh_rows->len;

  for (guint i = 0; same && i < nodes->len; i++)
    same = g_strcmp0 (((PaddockPveNode *) g_ptr_array_index (nodes, i))->name,
                      paddock_node_ssh_row_get_node (g_ptr_array_index (self->ssh_rows, i))) == 0;
  if (same && nodes->len > 0)
    return;

  for (guint i = 0; i < self->ssh_rows->len; i++)
    adw_preferences_group_remove (self->ssh_group, g_ptr_array_index (self->ssh_rows, i));
  g_ptr_array_set_size (self->ssh_rows, 0);

  for (guint i = 0; i < nodes->len; i++)
    {
      PaddockPveNode *node = g_ptr_array_index (nodes, i);
      GtkWidget *row = paddock_node_ssh_row_new (self->workspace, node->name, node->ip);

      for (guint k = 0; self->saved_ssh != NULL && k < self->saved_ssh->len; k++)
        {
          PaddockNodeSsh *saved = g_ptr_array_index (self->saved_ssh, k);

          if (g_strcmp0 (saved->node, node->name) == 0)
            paddock_node_ssh_row_set_settings (PADDOCK_NODE_SSH_ROW (row), saved);
        }

      adw_preferences_group_add (self->ssh_group, row);
      g_ptr_array_add (self->ssh_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->ssh_group), nodes->len > 0);
}

static void
on_checked (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockConnectionDialog) self = user_data;
  g_autoptr(PaddockPveClusterStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autofree char *text = NULL;

  status = paddock_pve_client_check_finish (PADDOCK_PVE_CLIENT (object), result, &version, &error);
  /* Closed meanwhile (its widgets are gone), or the form changed (a new check is wanted). */
  if (g_cancellable_is_cancelled (self->cancellable) || PADDOCK_PVE_CLIENT (object) != self->client)
    return;
  if (status == NULL)
    {
      set_busy (self, FALSE);
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE)
          || g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED))
        {
          show_result (self, error->message, TRUE);
          ask_trust (self);
          return;
        }
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TFA_REQUIRED))
        {
          /* The password was right; the same session continues with the code (Add still adds). */
          self->tfa_pending = TRUE;
          gtk_widget_set_visible (GTK_WIDGET (self->totp_row), TRUE);
          gtk_editable_set_text (GTK_EDITABLE (self->totp_row), "");
          show_result (self, _("This account uses two-factor authentication: enter the code from your authenticator app, then test again."), FALSE);
          gtk_widget_grab_focus (GTK_WIDGET (self->totp_row));
          return;
        }
      self->add_after_check = FALSE;
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH))
        {
          g_autofree char *refused = g_strdup_printf (using_token (self)
                                                      ? _("The server refused this token ID or secret (%s).")
                                                      : _("The server refused this user name or password (%s)."),
                                                      error->message);
          show_result (self, refused, TRUE);
        }
      else
        show_result (self, error->message, TRUE);
      return;
    }

  text = paddock_format_cluster_check (version, status);
  show_result (self, text, !status->quorate);
  show_ssh_rows (self, status->nodes);

  /* Named after the cluster, or the node when it stands alone; setting the text is a change of
   * the form, so the client is kept across it. */
  if (*text_of (self->name_row) == '\0')
    {
      g_autoptr(PaddockPveClient) client = g_object_ref (self->client);
      const char *name = paddock_pve_cluster_status_get_name (status);

      if (name != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
          g_set_object (&self->client, client);
          show_result (self, text, !status->quorate);
        }
    }
  set_tested (self, TRUE);

  if (self->add_after_check)
    {
      self->add_after_check = FALSE;
      if (self->editing != NULL)
        save_edits (self);
      else
        add_connection (self);
      return;
    }

  set_busy (self, FALSE);
}

static void
on_tfa_completed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PaddockConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!paddock_pve_client_complete_tfa_finish (PADDOCK_PVE_CLIENT (object), result, &error) ||
      g_cancellable_is_cancelled (self->cancellable) || PADDOCK_PVE_CLIENT (object) != self->client)
    {
      if (g_cancellable_is_cancelled (self->cancellable) || PADDOCK_PVE_CLIENT (object) != self->client)
        return;
      set_busy (self, FALSE);
      self->add_after_check = FALSE;
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH))
        show_result (self, _("The server did not accept this code; codes change every 30 seconds."), TRUE);
      else
        show_result (self, error->message, TRUE);
      return;
    }

  self->tfa_pending = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->totp_row), FALSE);
  paddock_pve_client_check_async (PADDOCK_PVE_CLIENT (object), self->cancellable, on_checked, g_object_ref (self));
}

static void
run_check (PaddockConnectionDialog *self)
{
  g_autofree char *host = NULL;
  guint16 port = 8006;

  if (form_problem (self) != NULL || !parse_address (text_of (self->address_row), &host, &port))
    return;

  /* Editing without a new secret: the connection's own client, with the secret it has. */
  if (self->client == NULL && self->editing != NULL &&
      *text_of (using_token (self) ? self->token_secret_row : self->password_row) == '\0')
    self->client = g_object_ref (paddock_cluster_get_client (self->editing));

  /* The client stays across a trust answer: it remembers the certificate it refused. */
  if (self->client == NULL)
    {
      self->client = paddock_pve_client_new (host, port,
                                             PADDOCK_TRUST_STORE (paddock_workspace_get_store (self->workspace)));
      if (using_token (self))
        paddock_pve_client_set_token (self->client, text_of (self->token_id_row), text_of (self->token_secret_row));
      else
        {
          g_autofree char *username = dup_username (self);

          paddock_pve_client_set_password (self->client, username, text_of (self->password_row));
        }
    }

  set_busy (self, TRUE);
  show_result (self, _("Connecting…"), FALSE);

  if (self->tfa_pending)
    {
      g_autofree char *code = g_strstrip (g_strdup (text_of (self->totp_row)));

      if (*code == '\0')
        {
          set_busy (self, FALSE);
          show_result (self, _("Enter the two-factor code."), TRUE);
          return;
        }
      paddock_pve_client_complete_tfa_async (self->client, code, self->cancellable, on_tfa_completed,
                                             g_object_ref (self));
      return;
    }

  paddock_pve_client_check_async (self->client, self->cancellable, on_checked, g_object_ref (self));
}

static void
paddock_connection_dialog_test_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  PaddockConnectionDialog *self = PADDOCK_CONNECTION_DIALOG (widget);

  self->add_after_check = FALSE;
  run_check (self);
}

static void
paddock_connection_dialog_add_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  PaddockConnectionDialog *self = PADDOCK_CONNECTION_DIALOG (widget);

  /* Saving tests first: nothing is saved for a server that does not answer as Proxmox. */
  self->add_after_check = TRUE;
  run_check (self);
}

static void
paddock_connection_dialog_dispose (GObject *object)
{
  PaddockConnectionDialog *self = PADDOCK_CONNECTION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->realm_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PADDOCK_TYPE_CONNECTION_DIALOG);

  G_OBJECT_CLASS (paddock_connection_dialog_parent_class)->dispose (object);
}

static void
paddock_connection_dialog_finalize (GObject *object)
{
  PaddockConnectionDialog *self = PADDOCK_CONNECTION_DIALOG (object);

  g_clear_object (&self->workspace);
  g_clear_object (&self->client);
  g_clear_object (&self->realm_client);
  g_clear_pointer (&self->ssh_rows, g_ptr_array_unref);
  g_clear_object (&self->editing);
  g_clear_pointer (&self->saved_ssh, g_ptr_array_unref);
  g_clear_pointer (&self->realms_from, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (paddock_connection_dialog_parent_class)->finalize (object);
}

static void
paddock_connection_dialog_class_init (PaddockConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_connection_dialog_dispose;
  object_class->finalize = paddock_connection_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, method_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, token_id_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, token_secret_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, realm_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, realm_choices);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, totp_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, ssh_group);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PaddockConnectionDialog, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_method_changed);

  gtk_widget_class_install_action (widget_class, "dialog.test", NULL, paddock_connection_dialog_test_action);
  gtk_widget_class_install_action (widget_class, "dialog.add", NULL, paddock_connection_dialog_add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
paddock_connection_dialog_init (PaddockConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->ssh_rows = g_ptr_array_new ();
  on_field_changed (self);
}

static void
on_saved_ssh_listed (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PaddockConnectionDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saved_ssh = paddock_store_list_node_ssh_finish (PADDOCK_STORE (object), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* The nodes and their SSH settings come with the check, as when adding. */
  self->add_after_check = FALSE;
  run_check (self);
}

/**
 * paddock_connection_dialog_new_for_edit:
 *
 * The same dialog for a saved connection: its name, a new secret (empty keeps the saved one)
 * and the SSH settings of its nodes can be changed; "Save" tests first, like "Add".
 */
PaddockConnectionDialog *
paddock_connection_dialog_new_for_edit (GtkWindow        *parent,
                                        PaddockWorkspace *workspace,
                                        PaddockCluster   *cluster)
{
  PaddockConnectionDialog *self;
  PaddockConnection *connection;
  g_autofree char *address = NULL;
  gboolean token;

  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (PADDOCK_IS_CLUSTER (cluster), NULL);

  self = paddock_connection_dialog_new (parent, workspace);
  connection = paddock_workspace_get_connection (workspace, cluster);
  g_return_val_if_fail (connection != NULL, self);
  self->editing = g_object_ref (cluster);
  token = paddock_connection_get_auth_kind (connection) == PADDOCK_AUTH_TOKEN;

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Connection"));
  gtk_button_set_label (self->add_button, _("_Save"));
  set_tested (self, TRUE);
  address = g_strdup_printf ("https://%s:%u", paddock_connection_get_host (connection),
                             paddock_connection_get_port (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), paddock_connection_get_name (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
  adw_combo_row_set_selected (self->method_row, token ? 0 : 1);
  if (token)
    {
      g_autofree char *token_id = g_strdup_printf ("%s!%s", paddock_connection_get_username (connection),
                                                   paddock_connection_get_token_id (connection));

      gtk_editable_set_text (GTK_EDITABLE (self->token_id_row), token_id);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_secret_row),
                                     _("New Token Secret (empty keeps the saved one)"));
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), paddock_connection_get_username (connection));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row),
                                     _("New Password (empty keeps the saved one)"));
    }

  /* Another address or login is another connection: add that one instead. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->method_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_id_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->realm_row), FALSE);
  on_field_changed (self);

  paddock_store_list_node_ssh_async (paddock_workspace_get_store (workspace), paddock_connection_get_id (connection),
                                     self->cancellable, on_saved_ssh_listed, g_object_ref (self));
  return self;
}

PaddockConnectionDialog *
paddock_connection_dialog_new (GtkWindow        *parent,
                               PaddockWorkspace *workspace)
{
  PaddockConnectionDialog *self;

  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (PADDOCK_TYPE_CONNECTION_DIALOG, "transient-for", parent, NULL);
  self->workspace = g_object_ref (workspace);

  return self;
}
