/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-certificate-dialog.c: the question before Paddock trusts a server's TLS certificate */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-certificate-dialog.h"
#include "paddock-format.h"

char *
paddock_format_fingerprint (const char *sha256)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) pairs = g_strsplit (sha256 ? sha256 : "", ":", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (text, i % 8 == 0 ? '\n' : ':');
      g_string_append (text, pairs[i]);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_date (GDateTime *date)
{
  return date ? g_date_time_format (date, "%x") : g_strdup (_("unknown"));
}

typedef struct
{
  PaddockPveClient         *client;
  PaddockCertificateAnswer  answer;
  gpointer                  user_data;
} Question;

static void
question_free (Question *question)
{
  g_object_unref (question->client);
  g_free (question);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Question         *question)
{
  gboolean trusted = g_str_equal (response, "trust") &&
                     paddock_pve_client_trust_rejected_certificate (question->client);

  question->answer (trusted, question->user_data);
}

void
paddock_certificate_dialog_ask (GtkWindow                *parent,
                                PaddockPveClient         *client,
                                gboolean                  allow_replace,
                                PaddockCertificateAnswer  answer,
                                gpointer                  user_data)
{
  g_autoptr(PaddockCertificateInfo) info = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *body = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;
  AdwMessageDialog *dialog;
  Question *question;

  g_return_if_fail (answer != NULL);

  if (client == NULL || (info = paddock_pve_client_dup_rejected_certificate (client)) == NULL)
    {
      answer (FALSE, user_data);
      return;
    }

  fingerprint = paddock_format_fingerprint (info->sha256);
  from = format_date (info->not_before);
  until = format_date (info->not_after);
  {
    g_autofree char *subject_words = paddock_format_distinguished_name (info->subject);
    g_autofree char *issuer_words = paddock_format_distinguished_name (info->issuer);

    subject = g_markup_escape_text (subject_words, -1);
    issuer = g_markup_escape_text (issuer_words, -1);
  }

  if (info->pinned_sha256 == NULL)
    {
      body = g_strdup_printf (_("%s:%u presents a certificate that Paddock has not seen before. Compare its "
                                "fingerprint with the one in the Proxmox web interface (Node ▸ System ▸ "
                                "Certificates) before you trust it.\n\n<b>SHA-256</b>\n<tt>%s</tt>\n\n"
                                "Valid from %s to %s\nIssued to %s\nby %s"),
                              info->host, info->port, fingerprint, from, until, subject, issuer);
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Trust This Certificate?"), NULL));
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "trust", _("_Trust"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_close_response (dialog, "cancel");
    }
  else
    {
      g_autofree char *old = paddock_format_fingerprint (info->pinned_sha256);

      body = g_strdup_printf (_("The certificate of %s:%u is not the one you trusted. Someone may be "
                                "intercepting the connection, or the server's certificate was renewed. "
                                "Paddock did not connect.\n\n<b>Trusted</b>\n<tt>%s</tt>\n\n<b>Now</b>\n<tt>%s</tt>\n\n"
                                "Valid from %s to %s\nIssued to %s\nby %s"),
                              info->host, info->port, old, fingerprint, from, until, subject, issuer);
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("The Certificate Changed"), NULL));
      /* Replaced only in the connection's own settings, after comparing on the server. */
      if (allow_replace)
        {
          adw_message_dialog_add_responses (dialog, "cancel", _("_Keep the Old One"),
                                            "trust", _("_Trust the New Certificate"), NULL);
          adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_DESTRUCTIVE);
          adw_message_dialog_set_default_response (dialog, "cancel");
          adw_message_dialog_set_close_response (dialog, "cancel");
        }
      else
        {
          g_autofree char *more = g_strconcat (body, _("\n\nIf the certificate was renewed, trust the new one in "
                                                       "Preferences ▸ Connections, with Test."), NULL);

          g_free (body);
          body = g_steal_pointer (&more);
          adw_message_dialog_add_response (dialog, "close", _("_Close"));
          adw_message_dialog_set_close_response (dialog, "close");
        }
    }
  adw_message_dialog_set_body_use_markup (dialog, TRUE);
  adw_message_dialog_set_body (dialog, body);

  question = g_new0 (Question, 1);
  question->client = g_object_ref (client);
  question->answer = answer;
  question->user_data = user_data;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), question, (GClosureNotify) question_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
