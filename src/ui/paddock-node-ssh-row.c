/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-node-ssh-row.c: how Paddock reaches one node over SSH, with a test of it */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-host-key-dialog.h"
#include "paddock-node-ssh-row.h"

struct _PaddockNodeSshRow
{
  AdwExpanderRow     parent_instance;

  PaddockWorkspace  *workspace;
  PaddockSshSession *session;      /* of the running test */
  GCancellable      *cancellable;
  char              *node;

  AdwEntryRow       *address_row;
  AdwEntryRow       *port_row;
  AdwEntryRow       *user_row;
  AdwComboRow       *auth_row;
  AdwEntryRow       *key_row;
  AdwEntryRow       *password_row;
  AdwActionRow      *test_row;
  GtkSpinner        *spinner;
};

G_DEFINE_FINAL_TYPE (PaddockNodeSshRow, paddock_node_ssh_row, ADW_TYPE_EXPANDER_ROW)

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static guint16
port_of (PaddockNodeSshRow *self)
{
  guint64 port = 0;

  if (!g_ascii_string_to_unsigned (text_of (self->port_row), 10, 1, 65535, &port, NULL))
    return 0;
  return (guint16) port;
}

static PaddockSshAuth
auth_of (PaddockNodeSshRow *self)
{
  static const PaddockSshAuth auths[] = { PADDOCK_SSH_AUTH_AGENT, PADDOCK_SSH_AUTH_KEY, PADDOCK_SSH_AUTH_PASSWORD };
  guint selected = adw_combo_row_get_selected (self->auth_row);

  return auths[MIN (selected, G_N_ELEMENTS (auths) - 1)];
}

static void
show_result (PaddockNodeSshRow *self,
             const char        *text,
             gboolean           failed)
{
  adw_action_row_set_subtitle (self->test_row, text);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
}

static void
update (PaddockNodeSshRow *self)
{
  PaddockSshAuth auth = auth_of (self);
  g_autofree char *subtitle = NULL;
  const char *method = auth == PADDOCK_SSH_AUTH_AGENT ? _("SSH agent")
                     : auth == PADDOCK_SSH_AUTH_KEY ? _("key file")
                     : _("password");

  gtk_widget_set_visible (GTK_WIDGET (self->key_row), auth == PADDOCK_SSH_AUTH_KEY);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), auth == PADDOCK_SSH_AUTH_PASSWORD);

  /* Translators: "root@192.168.1.2:22 · SSH agent" */
  subtitle = g_strdup_printf (_("%s@%s:%s · %s"), text_of (self->user_row), text_of (self->address_row),
                              text_of (self->port_row), method);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  if (port_of (self) == 0)
    show_result (self, _("The port is a number from 1 to 65535."), TRUE);
  else if (*text_of (self->address_row) == '\0' || *text_of (self->user_row) == '\0')
    show_result (self, _("Enter the node's address and the user."), TRUE);
  else
    show_result (self, _("Paddock runs “pct” on the node over SSH to look inside containers."), FALSE);
}

/* Test: connect and run “true” */

static void run_test (PaddockNodeSshRow *self);

static void
on_host_key_answer (gboolean trusted,
                    gpointer user_data)
{
  g_autoptr(PaddockNodeSshRow) self = user_data;

  if (trusted)
    run_test (self);
  else
    show_result (self, _("The host key was not trusted."), TRUE);
}

static void
on_tested (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockNodeSshRow) self = user_data;
  g_autoptr(PaddockSshResult) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = paddock_ssh_session_exec_finish (PADDOCK_SSH_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (g_error_matches (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY) ||
      g_error_matches (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_HOST_KEY_CHANGED))
    {
      show_result (self, error->message, TRUE);
      /* This row is the connection's own settings: a changed key may be replaced here. */
      paddock_host_key_dialog_ask (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), PADDOCK_SSH_SESSION (object),
                                   self->node, TRUE, on_host_key_answer, g_object_ref (self));
      return;
    }

  if (answer == NULL)
    show_result (self, error->message, TRUE);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Connected as %s."), text_of (self->user_row));

      show_result (self, text, FALSE);
    }
}

static void
run_test (PaddockNodeSshRow *self)
{
  g_autoptr(PaddockNodeSsh) ssh = paddock_node_ssh_row_dup_settings (self, 0);

  if (port_of (self) == 0 || *text_of (self->address_row) == '\0')
    return;

  g_clear_object (&self->session);
  self->session = paddock_workspace_new_ssh_session (self->workspace, ssh, ssh->address);
  if (auth_of (self) == PADDOCK_SSH_AUTH_PASSWORD)
    paddock_ssh_session_set_password (self->session, text_of (self->password_row));

  gtk_spinner_set_spinning (self->spinner, TRUE);
  show_result (self, _("Connecting…"), FALSE);
  paddock_ssh_session_exec_async (self->session, "true", NULL, 15000, self->cancellable, on_tested,
                                  g_object_ref (self));
}

static void
on_test_clicked (PaddockNodeSshRow *self)
{
  run_test (self);
}

/* GObject */

/* @name: for tests and the inspector to find the row */
static AdwEntryRow *
add_entry (PaddockNodeSshRow *self,
           const char        *name,
           const char        *title,
           const char        *text,
           gboolean           password)
{
  GtkWidget *row = password ? adw_password_entry_row_new () : adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  g_signal_connect_swapped (row, "changed", G_CALLBACK (update), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  return ADW_ENTRY_ROW (row);
}

static void
paddock_node_ssh_row_dispose (GObject *object)
{
  PaddockNodeSshRow *self = PADDOCK_NODE_SSH_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->node, g_free);

  G_OBJECT_CLASS (paddock_node_ssh_row_parent_class)->dispose (object);
}

static void
paddock_node_ssh_row_class_init (PaddockNodeSshRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = paddock_node_ssh_row_dispose;
}

static void
paddock_node_ssh_row_init (PaddockNodeSshRow *self)
{
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
paddock_node_ssh_row_new (PaddockWorkspace *workspace,
                          const char       *node,
                          const char       *address)
{
  const char *methods[] = { N_("SSH Agent"), N_("Key File"), N_("Password"), NULL };
  g_autoptr(GtkStringList) auths = gtk_string_list_new (NULL);
  PaddockNodeSshRow *self;
  GtkWidget *button;

  g_return_val_if_fail (PADDOCK_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  self = g_object_new (PADDOCK_TYPE_NODE_SSH_ROW, NULL);
  self->workspace = g_object_ref (workspace);
  self->node = g_strdup (node);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), node);
  gtk_widget_set_name (GTK_WIDGET (self), node);

  self->address_row = add_entry (self, "ssh-address", _("Address"), address ? address : node, FALSE);
  self->port_row = add_entry (self, "ssh-port", _("Port"), "22", FALSE);
  self->user_row = add_entry (self, "ssh-user", _("User"), "root", FALSE);

  for (guint i = 0; methods[i] != NULL; i++)
    gtk_string_list_append (auths, _(methods[i]));
  self->auth_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->auth_row), "ssh-auth");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->auth_row), _("Authentication"));
  adw_combo_row_set_model (self->auth_row, G_LIST_MODEL (auths));
  g_signal_connect_swapped (self->auth_row, "notify::selected", G_CALLBACK (update), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->auth_row));

  self->key_row = add_entry (self, "ssh-key", _("Private Key File (e.g. ~/.ssh/id_ed25519)"), NULL, FALSE);
  self->password_row = add_entry (self, "ssh-password", _("SSH Password (kept in the keyring)"), NULL, TRUE);

  self->test_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->test_row), "ssh-check");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Check SSH"));
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  adw_action_row_add_suffix (self->test_row, GTK_WIDGET (self->spinner));
  button = gtk_button_new_with_mnemonic (_("_Test"));
  gtk_widget_set_name (button, "ssh-test");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_test_clicked), self);
  adw_action_row_add_suffix (self->test_row, button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->test_row));

  update (self);
  return GTK_WIDGET (self);
}

const char *
paddock_node_ssh_row_get_node (PaddockNodeSshRow *self)
{
  g_return_val_if_fail (PADDOCK_IS_NODE_SSH_ROW (self), NULL);

  return self->node;
}

PaddockNodeSsh *
paddock_node_ssh_row_dup_settings (PaddockNodeSshRow *self,
                                   gint64             connection_id)
{
  PaddockNodeSsh *ssh;
  g_autofree char *key = NULL;

  g_return_val_if_fail (PADDOCK_IS_NODE_SSH_ROW (self), NULL);

  ssh = paddock_node_ssh_new (connection_id, self->node);
  ssh->address = g_strstrip (g_strdup (text_of (self->address_row)));
  ssh->port = port_of (self) ? port_of (self) : 22;
  g_free (ssh->user);
  ssh->user = g_strstrip (g_strdup (text_of (self->user_row)));
  ssh->auth = auth_of (self);

  /* "~/" means the home folder, as in a terminal. */
  key = g_strstrip (g_strdup (text_of (self->key_row)));
  if (g_str_has_prefix (key, "~/"))
    ssh->key_path = g_build_filename (g_get_home_dir (), key + 2, NULL);
  else if (*key != '\0')
    ssh->key_path = g_steal_pointer (&key);

  return ssh;
}

const char *
paddock_node_ssh_row_get_password (PaddockNodeSshRow *self)
{
  g_return_val_if_fail (PADDOCK_IS_NODE_SSH_ROW (self), NULL);

  if (auth_of (self) != PADDOCK_SSH_AUTH_PASSWORD || *text_of (self->password_row) == '\0')
    return NULL;

  return text_of (self->password_row);
}

/* Fills the rows from saved settings (the password stays in the keyring: not shown). */
void
paddock_node_ssh_row_set_settings (PaddockNodeSshRow    *self,
                                   const PaddockNodeSsh *ssh)
{
  g_autofree char *port = NULL;
  static const PaddockSshAuth auths[] = { PADDOCK_SSH_AUTH_AGENT, PADDOCK_SSH_AUTH_KEY, PADDOCK_SSH_AUTH_PASSWORD };

  g_return_if_fail (PADDOCK_IS_NODE_SSH_ROW (self));
  g_return_if_fail (ssh != NULL);

  port = g_strdup_printf ("%u", ssh->port ? ssh->port : 22);
  if (ssh->address != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->address_row), ssh->address);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), ssh->user ? ssh->user : "root");
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), ssh->key_path ? ssh->key_path : "");
  for (guint i = 0; i < G_N_ELEMENTS (auths); i++)
    if (auths[i] == ssh->auth)
      adw_combo_row_set_selected (self->auth_row, i);
}
