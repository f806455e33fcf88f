/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-host-key-dialog.c: the question before Paddock trusts a node's SSH host key */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-host-key-dialog.h"

typedef struct
{
  PaddockSshSession    *session;
  gboolean              replace;
  PaddockHostKeyAnswer  answer;
  gpointer              user_data;
} Question;

static void
question_free (Question *question)
{
  g_object_unref (question->session);
  g_free (question);
}

static void
on_trusted (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Question *question = user_data;
  g_autoptr(GError) error = NULL;
  gboolean trusted;

  trusted = paddock_ssh_session_trust_rejected_host_key_finish (PADDOCK_SSH_SESSION (object), result, &error);
  if (!trusted)
    g_warning ("Could not record the host key of %s: %s", paddock_ssh_session_get_host (question->session),
               error->message);

  question->answer (trusted, question->user_data);
  question_free (question);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Question         *question)
{
  Question *pending;

  if (!g_str_equal (response, "trust"))
    {
      question->answer (FALSE, question->user_data);
      return;
    }

  /* The known_hosts file is read and written on a worker thread; the dialog's question goes
   * with the dialog, so the answer travels in a copy. */
  pending = g_memdup2 (question, sizeof *question);
  g_object_ref (pending->session);
  paddock_ssh_session_trust_rejected_host_key_async (pending->session, pending->replace, NULL, on_trusted, pending);
}

/* "ssh-ed25519" → "ed25519", the name of the node's key file. */
static const char *
key_file_type (const char *type)
{
  if (type == NULL)
    return "ed25519";
  if (g_str_has_prefix (type, "ssh-"))
    return type + 4;
  if (g_str_has_prefix (type, "ecdsa"))
    return "ecdsa";
  return type;
}

void
paddock_host_key_dialog_ask (GtkWindow            *parent,
                             PaddockSshSession    *session,
                             const char           *node,
                             gboolean              allow_replace,
                             PaddockHostKeyAnswer  answer,
                             gpointer              user_data)
{
  g_autofree char *type = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *trusted = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  Question *question;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (session));
  g_return_if_fail (answer != NULL);

  if (!paddock_ssh_session_dup_rejected_host_key (session, &type, &fingerprint, &trusted))
    {
      answer (FALSE, user_data);
      return;
    }

  if (trusted == NULL)
    {
      /* Translators: node name, host:port, key type, fingerprint, then the key file's type */
      body = g_strdup_printf (_("Paddock has not connected to %s (%s:%u) over SSH before. It shows this %s key:\n\n%s\n\n"
                                "On the node, “ssh-keygen -lf /etc/ssh/ssh_host_%s_key.pub” prints the fingerprint to compare "
                                "with. Trust the key only if they match."),
                              node, paddock_ssh_session_get_host (session), paddock_ssh_session_get_port (session),
                              type, fingerprint, key_file_type (type));
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Trust This Host Key?"), body));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "trust", _("_Trust"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "cancel");
    }
  else
    {
      body = g_strdup_printf (_("The %s key of %s (%s:%u) is not the one Paddock trusted.\n\nTrusted: %s\nNow: %s\n\n"
                                "Someone may be intercepting the connection. If the node was reinstalled, compare the new "
                                "key with “ssh-keygen -lf /etc/ssh/ssh_host_%s_key.pub” on the node."),
                              type, node, paddock_ssh_session_get_host (session), paddock_ssh_session_get_port (session),
                              trusted, fingerprint, key_file_type (type));
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("The Host Key Changed"), body));
      if (allow_replace)
        {
          adw_message_dialog_add_responses (dialog, "cancel", _("_Keep the Old One"),
                                            "trust", _("_Trust the New Key"), NULL);
          adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_DESTRUCTIVE);
          adw_message_dialog_set_default_response (dialog, "cancel");
        }
      else
        {
          g_autofree char *more = g_strconcat (body, _("\n\nTo trust the new key, use Test on the node in "
                                                       "Preferences ▸ Connections ▸ Edit."), NULL);

          adw_message_dialog_set_body (dialog, more);
          adw_message_dialog_add_responses (dialog, "cancel", _("_Close"), NULL);
        }
    }
  adw_message_dialog_set_close_response (dialog, "cancel");

  question = g_new0 (Question, 1);
  question->session = g_object_ref (session);
  question->replace = allow_replace;
  question->answer = answer;
  question->user_data = user_data;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), question, (GClosureNotify) question_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
