/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-client.c: the Proxmox VE API client of one connection (libsoup 3, async) */

#include "config.h"

#include <libsoup/soup.h>
#include <stdarg.h>
#include <string.h>

#include "paddock-pve-client.h"
#include "paddock-pve-parse-private.h"

/* Tickets live 2 h; renewing every 15 min keeps one valid through sleep and clock drift. */
#define TICKET_RENEW_SECONDS (15 * 60)
#define MAX_GET_RETRIES 3

struct _PaddockPveParams
{
  GPtrArray *keys;
  GPtrArray *values;
};

struct _PaddockPveClient
{
  GObject            parent_instance;

  char              *host;
  guint16            port;
  char              *base_url;
  PaddockTrustStore *trust_store;
  SoupSession       *session;
  guint              request_timeout_ms;
  guint              retry_delay_ms;

  /* API token auth */
  char              *token_id;
  char              *token_secret;

  /* Ticket auth */
  char              *username;
  char              *password;
  char              *ticket;
  char              *csrf_token;
  gint64             ticket_time;   /* monotonic seconds */
  char              *tfa_ticket;    /* the half-ticket while a second factor is awaited */
  gboolean           logging_in;
  GQueue             login_waiters; /* GTask of calls waiting for the ticket */

  PaddockCertificateInfo *rejected;
  GTlsCertificate        *cluster_ca;
};

G_DEFINE_FINAL_TYPE (PaddockPveClient, paddock_pve_client, G_TYPE_OBJECT)

/* Parameters */

PaddockPveParams *
paddock_pve_params_new (void)
{
  PaddockPveParams *params = g_new0 (PaddockPveParams, 1);

  params->keys = g_ptr_array_new_with_free_func (g_free);
  params->values = g_ptr_array_new_with_free_func (g_free);

  return params;
}

void
paddock_pve_params_free (PaddockPveParams *params)
{
  if (params == NULL)
    return;

  for (guint i = 0; i < params->values->len; i++)
    {
      char *value = params->values->pdata[i];

      /* Values may be passwords: wipe them. */
      memset (value, 0, strlen (value));
    }
  g_ptr_array_unref (params->keys);
  g_ptr_array_unref (params->values);
  g_free (params);
}

void
paddock_pve_params_add (PaddockPveParams *params,
                        const char       *key,
                        const char       *value)
{
  g_return_if_fail (params != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (value != NULL);

  g_ptr_array_add (params->keys, g_strdup (key));
  g_ptr_array_add (params->values, g_strdup (value));
}

void
paddock_pve_params_add_int (PaddockPveParams *params,
                            const char       *key,
                            gint64            value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  paddock_pve_params_add (params, key, text);
}

/* Proxmox accepts only 0 and 1 for booleans in forms. */
void
paddock_pve_params_add_bool (PaddockPveParams *params,
                             const char       *key,
                             gboolean          value)
{
  paddock_pve_params_add (params, key, value ? "1" : "0");
}

const char *
paddock_pve_params_get (PaddockPveParams *params,
                        const char       *key)
{
  for (guint i = 0; params != NULL && i < params->keys->len; i++)
    if (g_str_equal (params->keys->pdata[i], key))
      return params->values->pdata[i];

  return NULL;
}

char *
paddock_pve_params_to_form (PaddockPveParams *params)
{
  GString *form = g_string_new (NULL);

  for (guint i = 0; params != NULL && i < params->keys->len; i++)
    {
      g_autofree char *key = g_uri_escape_string (params->keys->pdata[i], NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (params->values->pdata[i], NULL, FALSE);

      g_string_append_printf (form, "%s%s=%s", form->len ? "&" : "", key, value);
    }

  return g_string_free (form, FALSE);
}

char *
paddock_pve_params_to_display (PaddockPveParams *params)
{
  static const char *secret_keys[] = { "password", "tfa-challenge", "otp", NULL };
  GString *text = g_string_new (NULL);

  for (guint i = 0; params != NULL && i < params->keys->len; i++)
    {
      const char *key = params->keys->pdata[i];
      gboolean secret = g_strv_contains (secret_keys, key);

      g_string_append_printf (text, "%s%s=%s", text->len ? "\n" : "", key,
                              secret ? "••••••••" : (const char *) params->values->pdata[i]);
    }

  return g_string_free (text, FALSE);
}

char *
paddock_pve_path (const char *first_segment,
                  ...)
{
  GString *path = g_string_new (NULL);
  va_list args;

  va_start (args, first_segment);
  for (const char *segment = first_segment; segment != NULL; segment = va_arg (args, const char *))
    {
      g_autofree char *escaped = g_uri_escape_string (segment, NULL, FALSE);

      g_string_append_c (path, '/');
      g_string_append (path, escaped);
    }
  va_end (args);

  return g_string_free (path, FALSE);
}

void
paddock_certificate_info_free (PaddockCertificateInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->host);
  g_free (info->sha256);
  g_free (info->pinned_sha256);
  g_free (info->subject);
  g_free (info->issuer);
  g_clear_pointer (&info->not_before, g_date_time_unref);
  g_clear_pointer (&info->not_after, g_date_time_unref);
  g_free (info);
}

static char *
certificate_sha256 (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  GString *text = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der != NULL)
    g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &length);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, "%s%02X", i ? ":" : "", digest[i]);

  return g_string_free (text, FALSE);
}

/* Called during the TLS handshake only when the system CA store did not validate the chain. */
static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  PaddockPveClient *self = user_data;
  g_autofree char *sha256 = certificate_sha256 (certificate);
  g_autofree char *pinned = NULL;
  PaddockCertificateInfo *info;

  g_assert (PADDOCK_IS_PVE_CLIENT (self));

  if (self->trust_store != NULL)
    pinned = paddock_trust_store_lookup_pin (self->trust_store, self->host, self->port);

  if (pinned != NULL && g_ascii_strcasecmp (pinned, sha256) == 0)
    return TRUE;

  /* Issued by the cluster CA the user imported: every node of that cluster is trusted at once.
   * A pin that disagrees still wins: a changed certificate is refused either way. */
  if (pinned == NULL && self->cluster_ca != NULL &&
      (g_tls_certificate_verify (certificate, NULL, self->cluster_ca) & ~G_TLS_CERTIFICATE_BAD_IDENTITY) == 0)
    return TRUE;

  info = g_new0 (PaddockCertificateInfo, 1);
  info->host = g_strdup (self->host);
  info->port = self->port;
  info->sha256 = g_steal_pointer (&sha256);
  info->pinned_sha256 = pinned != NULL ? g_ascii_strup (pinned, -1) : NULL;
  info->subject = g_tls_certificate_get_subject_name (certificate);
  info->issuer = g_tls_certificate_get_issuer_name (certificate);
  info->not_before = g_tls_certificate_get_not_valid_before (certificate);
  info->not_after = g_tls_certificate_get_not_valid_after (certificate);

  g_clear_pointer (&self->rejected, paddock_certificate_info_free);
  self->rejected = info;

  return FALSE;
}

/* Calls */

typedef struct
{
  char         *method;
  char         *path;
  char         *form;
  gboolean      authenticated;
  gboolean      want_bytes;
  guint         attempt;
  gboolean      relogged;
  gint64        total;
  GCancellable *cancellable;       /* ours: the caller's or the timeout cancels it */
  GCancellable *caller_cancellable;
  gulong        caller_cancelled_id;
  guint         timeout_id;
  gboolean      timed_out;
  guint         retry_id;
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_clear_handle_id (&call->retry_id, g_source_remove);
  if (call->caller_cancellable != NULL)
    g_cancellable_disconnect (call->caller_cancellable, call->caller_cancelled_id);
  g_clear_object (&call->caller_cancellable);
  g_clear_object (&call->cancellable);
  g_free (call->method);
  g_free (call->path);
  if (call->form != NULL)
    memset (call->form, 0, strlen (call->form));
  g_free (call->form);
  g_free (call);
}

static void call_start (GTask *task);
static void call_send  (GTask *task);

static void
call_return_error (GTask  *task,
                   GError *error)
{
  Call *call = g_task_get_task_data (task);

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_task_return_error (task, error);
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

static gboolean
on_call_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);

  return G_SOURCE_REMOVE;
}

static GTask *
call_new (PaddockPveClient    *self,
          gpointer             source_tag,
          const char          *method,
          const char          *path,
          PaddockPveParams    *params,
          gboolean             authenticated,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->form = paddock_pve_params_to_form (params);
  call->authenticated = authenticated;
  call->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      call->caller_cancellable = g_object_ref (cancellable);
      call->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                         g_object_ref (call->cancellable), g_object_unref);
    }

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, call_free);

  /* The whole call, retries and re-login included, has one deadline. */
  call->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->request_timeout_ms, on_call_timeout,
                                         g_object_ref (task), g_object_unref);

  return task;
}

static gboolean
is_get (Call *call)
{
  return g_str_equal (call->method, "GET");
}

static gboolean
on_retry (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  call->retry_id = 0;
  call_send (task);

  return G_SOURCE_REMOVE;
}

static gboolean
schedule_retry (GTask *task)
{
  PaddockPveClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  guint delay;

  /* Only reads are retried: a POST that may have reached Proxmox must not run twice. */
  if (!is_get (call) || call->attempt >= MAX_GET_RETRIES)
    return FALSE;

  delay = self->retry_delay_ms << call->attempt;
  call->attempt++;
  call->retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay, on_retry, g_object_ref (task), g_object_unref);

  return TRUE;
}

static GError *
translate_transport_error (PaddockPveClient *self,
                           Call             *call,
                           GError           *error)
{
  GError *translated;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && call->timed_out)
    translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT,
                              "%s:%u did not answer %s %s in %u s", self->host, self->port,
                              call->method, call->path, self->request_timeout_ms / 1000);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  else if (error->domain == G_TLS_ERROR && self->rejected != NULL && self->rejected->pinned_sha256 != NULL)
    translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED,
                              "The certificate of %s:%u has changed: it was %s and is now %s. "
                              "Paddock refused to connect; re-pin it in the connection settings only if "
                              "you know why it changed.", self->host, self->port,
                              self->rejected->pinned_sha256, self->rejected->sha256);
  else if (error->domain == G_TLS_ERROR && self->rejected != NULL)
    translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE,
                              "The certificate of %s:%u is not trusted yet (SHA-256 %s, %s)",
                              self->host, self->port, self->rejected->sha256,
                              self->rejected->subject ? self->rejected->subject : "no subject");
  else if (error->domain == G_TLS_ERROR)
    translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                              "The TLS connection to %s:%u failed: %s", self->host, self->port, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT,
                              "%s:%u did not answer in time: %s", self->host, self->port, error->message);
  else
    translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNREACHABLE,
                              "Cannot reach %s:%u: %s", self->host, self->port, error->message);

  g_error_free (error);
  return translated;
}

static void
clear_ticket (PaddockPveClient *self)
{
  if (self->ticket != NULL)
    memset (self->ticket, 0, strlen (self->ticket));
  g_clear_pointer (&self->ticket, g_free);
  g_clear_pointer (&self->csrf_token, g_free);
  self->ticket_time = 0;
}

static void ensure_ticket (GTask *task);

static void
on_call_sent (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockPveClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessage *msg = g_object_get_data (G_OBJECT (task), "paddock-message");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;
  guint status;
  const char *reason;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      gboolean transient = !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && error->domain != G_TLS_ERROR;

      if (transient && schedule_retry (task))
        {
          g_error_free (error);
          return;
        }
      call_return_error (task, translate_transport_error (self, call, error));
      return;
    }

  status = soup_message_get_status (msg);
  reason = soup_message_get_reason_phrase (msg);

  /* An expired or revoked ticket: log in again once, then repeat the call. */
  if (status == 401 && call->authenticated && self->username != NULL && self->token_id == NULL &&
      !call->relogged)
    {
      call->relogged = TRUE;
      clear_ticket (self);
      ensure_ticket (g_steal_pointer (&task));
      return;
    }

  if (status >= 500 && status != 595 && status != 596 && schedule_retry (task))
    return;

  if (call->want_bytes && status >= 200 && status < 300)
    {
      g_clear_handle_id (&call->timeout_id, g_source_remove);
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  data = paddock_pve_parse_envelope (g_bytes_get_data (body, NULL), g_bytes_get_size (body), status, reason,
                                     &call->total, &error);
  if (data == NULL)
    {
      call_return_error (task, error);
      return;
    }

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_task_return_pointer (task, g_steal_pointer (&data), (GDestroyNotify) json_node_unref);
}

static void
call_send (GTask *task)
{
  PaddockPveClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = NULL;
  SoupMessageHeaders *headers;
  gboolean body_method = g_str_equal (call->method, "POST") || g_str_equal (call->method, "PUT");

  if (g_cancellable_is_cancelled (call->cancellable))
    {
      call_return_error (task, translate_transport_error (self, call,
                                                          g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                                               "Operation was cancelled")));
      return;
    }

  /* GET and DELETE carry their parameters in the query; Proxmox refuses a body on them. */
  if (!body_method && call->form != NULL && *call->form != '\0')
    uri = g_strdup_printf ("%s%s?%s", self->base_url, call->path, call->form);
  else
    uri = g_strdup_printf ("%s%s", self->base_url, call->path);

  msg = soup_message_new (call->method, uri);
  if (msg == NULL)
    {
      call_return_error (task, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                                            "“%s %s” is not a valid request", call->method, call->path));
      return;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (call->authenticated && self->token_id != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("PVEAPIToken=%s=%s", self->token_id, self->token_secret);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  else if (call->authenticated && self->ticket != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->ticket, NULL, FALSE);
      g_autofree char *cookie = g_strdup_printf ("PVEAuthCookie=%s", escaped);

      soup_message_headers_replace (headers, "Cookie", cookie);
      if (!g_str_equal (call->method, "GET"))
        soup_message_headers_replace (headers, "CSRFPreventionToken", self->csrf_token);
    }

  if (body_method && call->form != NULL && *call->form != '\0')
    {
      g_autoptr(GBytes) bytes = g_bytes_new (call->form, strlen (call->form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }

  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), self, 0);
  g_object_set_data_full (G_OBJECT (task), "paddock-message", g_object_ref (msg), g_object_unref);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, call->cancellable,
                                    on_call_sent, g_object_ref (task));
}

/* Login */

static void finish_login (PaddockPveClient *self,
                          GError           *error);

static gboolean
store_ticket (PaddockPveClient  *self,
              JsonNode          *data,
              GError           **error)
{
  JsonObject *object = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  const char *ticket = paddock_json_get_string (object, "ticket");
  const char *csrf = paddock_json_get_string (object, "CSRFPreventionToken");

  if (ticket == NULL)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "The login answer has no ticket");
      return FALSE;
    }

  if (paddock_json_get_bool (object, "NeedTFA", FALSE))
    {
      g_free (self->tfa_ticket);
      self->tfa_ticket = g_strdup (ticket);
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TFA_REQUIRED,
                   "%s needs a second factor: enter the code from your authenticator app", self->username);
      return FALSE;
    }

  clear_ticket (self);
  g_clear_pointer (&self->tfa_ticket, g_free);
  self->ticket = g_strdup (ticket);
  self->csrf_token = g_strdup (csrf);
  self->ticket_time = g_get_monotonic_time () / G_USEC_PER_SEC;

  return TRUE;
}

static void
on_login_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PaddockPveClient *self = PADDOCK_PVE_CLIENT (object);
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;

  data = g_task_propagate_pointer (G_TASK (result), &error);
  if (data != NULL)
    store_ticket (self, data, &error);

  finish_login (self, error);
}

static void
on_renew_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PaddockPveClient *self = PADDOCK_PVE_CLIENT (object);
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;

  data = g_task_propagate_pointer (G_TASK (result), &error);
  if (data != NULL && store_ticket (self, data, &error))
    {
      finish_login (self, NULL);
      return;
    }

  /* The old ticket was no longer good: log in with the password. */
  {
    g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();
    g_autoptr(GTask) login = NULL;

    clear_ticket (self);
    paddock_pve_params_add (params, "username", self->username);
    paddock_pve_params_add (params, "password", self->password);
    login = call_new (self, on_login_done, "POST", "/access/ticket", params, FALSE, NULL, on_login_done, NULL);
    call_send (login);
  }
}

/* Resumes (or fails) every call that waited for the ticket. */
static void
finish_login (PaddockPveClient *self,
              GError           *error)
{
  GTask *waiter;

  self->logging_in = FALSE;

  while ((waiter = g_queue_pop_head (&self->login_waiters)) != NULL)
    {
      Call *call = g_task_get_task_data (waiter);

      if (error != NULL)
        call_return_error (waiter, g_error_copy (error));
      else if (call->authenticated)
        call_send (waiter);
      else
        {
          /* An explicit login: it succeeded. */
          g_clear_handle_id (&call->timeout_id, g_source_remove);
          g_task_return_pointer (waiter, json_node_init_null (json_node_alloc ()), (GDestroyNotify) json_node_unref);
        }
      g_object_unref (waiter);
    }

  g_clear_error (&error);
}

/* Makes sure a ticket exists (and is fresh) before @task is sent. Takes @task. */
static void
ensure_ticket (GTask *task)
{
  PaddockPveClient *self = g_task_get_source_object (task);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();
  g_autoptr(GTask) login = NULL;
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

  if (self->ticket != NULL && now - self->ticket_time < TICKET_RENEW_SECONDS)
    {
      call_send (task);
      g_object_unref (task);
      return;
    }

  g_queue_push_tail (&self->login_waiters, task);
  if (self->logging_in)
    return;
  self->logging_in = TRUE;

  paddock_pve_params_add (params, "username", self->username);
  if (self->ticket != NULL)
    {
      /* Renewal: the current ticket stands in for the password. */
      paddock_pve_params_add (params, "password", self->ticket);
      login = call_new (self, on_renew_done, "POST", "/access/ticket", params, FALSE, NULL, on_renew_done, NULL);
    }
  else
    {
      if (self->password == NULL)
        {
          finish_login (self, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH,
                                           "No password for %s: log in again", self->username));
          return;
        }
      paddock_pve_params_add (params, "password", self->password);
      login = call_new (self, on_login_done, "POST", "/access/ticket", params, FALSE, NULL, on_login_done, NULL);
    }

  call_send (login);
}

static void
call_start (GTask *task)
{
  PaddockPveClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  if (call->authenticated && self->token_id == NULL && self->username != NULL)
    ensure_ticket (g_object_ref (task));
  else if (call->authenticated && self->token_id == NULL)
    call_return_error (task, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH,
                                          "Paddock has no API token secret or password for %s: it is "
                                          "not in the keyring", self->host));
  else
    call_send (task);
}

/* GObject */

static void
paddock_pve_client_dispose (GObject *object)
{
  PaddockPveClient *self = PADDOCK_PVE_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->trust_store);

  G_OBJECT_CLASS (paddock_pve_client_parent_class)->dispose (object);
}

static void
wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
paddock_pve_client_finalize (GObject *object)
{
  PaddockPveClient *self = PADDOCK_PVE_CLIENT (object);

  g_free (self->host);
  g_free (self->base_url);
  g_free (self->token_id);
  wipe (&self->token_secret);
  g_free (self->username);
  wipe (&self->password);
  clear_ticket (self);
  wipe (&self->tfa_ticket);
  g_clear_pointer (&self->rejected, paddock_certificate_info_free);
  g_clear_object (&self->cluster_ca);

  G_OBJECT_CLASS (paddock_pve_client_parent_class)->finalize (object);
}

static void
paddock_pve_client_class_init (PaddockPveClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = paddock_pve_client_dispose;
  object_class->finalize = paddock_pve_client_finalize;
}

static void
paddock_pve_client_init (PaddockPveClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Paddock/%s", PACKAGE_VERSION);

  /* libsoup adds the gzip/deflate decoder and keeps HTTP/1.1 connections alive by itself. */
  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 10,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  self->request_timeout_ms = 30000;
  self->retry_delay_ms = 1000;
  g_queue_init (&self->login_waiters);
}

PaddockPveClient *
paddock_pve_client_new (const char        *host,
                        guint16            port,
                        PaddockTrustStore *trust_store)
{
  PaddockPveClient *self;

  g_return_val_if_fail (host != NULL && *host != '\0', NULL);
  g_return_val_if_fail (trust_store == NULL || PADDOCK_IS_TRUST_STORE (trust_store), NULL);

  self = g_object_new (PADDOCK_TYPE_PVE_CLIENT, NULL);
  self->host = g_strdup (host);
  self->port = port ? port : 8006;
  self->trust_store = trust_store ? g_object_ref (trust_store) : NULL;
  if (strchr (host, ':') != NULL && host[0] != '[')
    self->base_url = g_strdup_printf ("https://[%s]:%u/api2/json", host, self->port);
  else
    self->base_url = g_strdup_printf ("https://%s:%u/api2/json", host, self->port);

  return self;
}

const char *
paddock_pve_client_get_host (PaddockPveClient *self)
{
  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (self), NULL);
  return self->host;
}

guint16
paddock_pve_client_get_port (PaddockPveClient *self)
{
  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (self), 0);
  return self->port;
}

/**
 * paddock_pve_client_set_token:
 * @token_id: `USER@REALM!TOKENID`
 */
void
paddock_pve_client_set_token (PaddockPveClient *self,
                              const char       *token_id,
                              const char       *secret)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));
  g_return_if_fail (token_id != NULL && strchr (token_id, '!') != NULL);
  g_return_if_fail (secret != NULL);

  g_free (self->token_id);
  self->token_id = g_strdup (token_id);
  wipe (&self->token_secret);
  self->token_secret = g_strdup (secret);
}

void
paddock_pve_client_set_password (PaddockPveClient *self,
                                 const char       *username,
                                 const char       *password)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));
  g_return_if_fail (username != NULL);

  g_free (self->username);
  self->username = g_strdup (username);
  wipe (&self->password);
  self->password = g_strdup (password);
  clear_ticket (self);
}

void
paddock_pve_client_set_timeouts (PaddockPveClient *self,
                                 guint             connect_seconds,
                                 guint             request_seconds)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  g_object_set (self->session, "timeout", connect_seconds, NULL);
  self->request_timeout_ms = MAX (1, request_seconds) * 1000;
}

/* Backoff of idempotent GETs: @first_delay_ms, then twice, then four times that (1/2/4 s). */
void
paddock_pve_client_set_retry_delay (PaddockPveClient *self,
                                    guint             first_delay_ms)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  self->retry_delay_ms = first_delay_ms;
}

/**
 * paddock_pve_client_set_cluster_ca:
 * @pem: (nullable): the cluster's /etc/pve/pve-root-ca.pem, or %NULL to stop trusting it
 *
 * Returns: %FALSE with an error when @pem is not a CA certificate
 */
gboolean
paddock_pve_client_set_cluster_ca (PaddockPveClient  *self,
                                   const char        *pem,
                                   GError           **error)
{
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (self), FALSE);

  if (pem != NULL && !(ca = g_tls_certificate_new_from_pem (pem, -1, &local_error)))
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                   "This is not a certificate (expected the cluster's pve-root-ca.pem): %s",
                   local_error->message);
      return FALSE;
    }

  g_set_object (&self->cluster_ca, ca);
  return TRUE;
}

/**
 * paddock_pve_client_dup_rejected_certificate:
 *
 * Returns: (transfer full) (nullable): the last certificate the client refused
 */
PaddockCertificateInfo *
paddock_pve_client_dup_rejected_certificate (PaddockPveClient *self)
{
  PaddockCertificateInfo *copy;

  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (self), NULL);

  if (self->rejected == NULL)
    return NULL;

  copy = g_new0 (PaddockCertificateInfo, 1);
  copy->host = g_strdup (self->rejected->host);
  copy->port = self->rejected->port;
  copy->sha256 = g_strdup (self->rejected->sha256);
  copy->pinned_sha256 = g_strdup (self->rejected->pinned_sha256);
  copy->subject = g_strdup (self->rejected->subject);
  copy->issuer = g_strdup (self->rejected->issuer);
  copy->not_before = self->rejected->not_before ? g_date_time_ref (self->rejected->not_before) : NULL;
  copy->not_after = self->rejected->not_after ? g_date_time_ref (self->rejected->not_after) : NULL;

  return copy;
}

/* The user's explicit "Trust": pins the certificate the client last refused. */
gboolean
paddock_pve_client_trust_rejected_certificate (PaddockPveClient *self)
{
  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (self), FALSE);

  if (self->rejected == NULL || self->trust_store == NULL)
    return FALSE;

  paddock_trust_store_set_pin (self->trust_store, self->rejected->host, self->rejected->port,
                               self->rejected->sha256, self->rejected->subject);
  g_clear_pointer (&self->rejected, paddock_certificate_info_free);

  return TRUE;
}

gboolean
paddock_pve_client_get_has_ticket (PaddockPveClient *self)
{
  g_return_val_if_fail (PADDOCK_IS_PVE_CLIENT (self), FALSE);

  return self->ticket != NULL;
}

void
paddock_pve_client_age_ticket (PaddockPveClient *self,
                               guint             age_seconds)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  self->ticket_time -= age_seconds;
}

void
paddock_pve_client_login_async (PaddockPveClient    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));
  g_return_if_fail (self->username != NULL);

  clear_ticket (self);
  task = call_new (self, paddock_pve_client_login_async, "POST", "/access/ticket", NULL, FALSE,
                   cancellable, callback, user_data);
  g_queue_push_tail (&self->login_waiters, g_steal_pointer (&task));

  if (!self->logging_in)
    {
      g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();
      g_autoptr(GTask) login = NULL;

      self->logging_in = TRUE;
      paddock_pve_params_add (params, "username", self->username);
      paddock_pve_params_add (params, "password", self->password ? self->password : "");
      login = call_new (self, on_login_done, "POST", "/access/ticket", params, FALSE, cancellable,
                        on_login_done, NULL);
      call_send (login);
    }
}

/* Fails with %PADDOCK_PVE_ERROR_TFA_REQUIRED when a second factor is needed. */
gboolean
paddock_pve_client_login_finish (PaddockPveClient  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  node = g_task_propagate_pointer (G_TASK (result), error);
  return node != NULL;
}

static void
on_tfa_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockPveClient *self = PADDOCK_PVE_CLIENT (object);
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;

  data = g_task_propagate_pointer (G_TASK (result), &error);
  if (data != NULL && store_ticket (self, data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * paddock_pve_client_complete_tfa_async:
 * @response: a TOTP code ("123456"), or "type:value" such as "recovery:abcd-efgh"
 */
void
paddock_pve_client_complete_tfa_async (PaddockPveClient    *self,
                                       const char          *response,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PaddockPveParams) params = NULL;
  g_autoptr(GTask) call = NULL;
  g_autofree char *password = NULL;

  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));
  g_return_if_fail (response != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_pve_client_complete_tfa_async);

  if (self->tfa_ticket == NULL)
    {
      g_task_return_new_error (task, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH,
                               "No second-factor challenge is pending; log in first");
      return;
    }

  password = strchr (response, ':') ? g_strdup (response) : g_strdup_printf ("totp:%s", response);
  params = paddock_pve_params_new ();
  paddock_pve_params_add (params, "username", self->username);
  paddock_pve_params_add (params, "tfa-challenge", self->tfa_ticket);
  paddock_pve_params_add (params, "password", password);
  memset (password, 0, strlen (password));

  call = call_new (self, on_tfa_done, "POST", "/access/ticket", params, FALSE, cancellable,
                   on_tfa_done, g_steal_pointer (&task));
  call_send (call);
}

gboolean
paddock_pve_client_complete_tfa_finish (PaddockPveClient  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
paddock_pve_client_call_async (PaddockPveClient    *self,
                               const char          *method,
                               const char          *path,
                               PaddockPveParams    *params,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');

  task = call_new (self, paddock_pve_client_call_async, method, path, params, TRUE, cancellable,
                   callback, user_data);
  call_start (task);
}

/**
 * paddock_pve_client_call_finish:
 * @total: (out) (optional): the envelope's `total` (task lists and logs), or -1
 *
 * Returns: (transfer full): the unwrapped `data` (a JSON null for calls that return nothing)
 */
JsonNode *
paddock_pve_client_call_finish (PaddockPveClient  *self,
                                GAsyncResult      *result,
                                gint64            *total,
                                GError           **error)
{
  Call *call;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  call = g_task_get_task_data (G_TASK (result));
  if (total != NULL)
    *total = call->total;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * paddock_pve_client_get_realms_async:
 *
 * GET /access/domains, which Proxmox answers without a login (its login page needs it): the
 * realms a user can log in with. Finish with paddock_pve_client_call_finish().
 */
void
paddock_pve_client_get_realms_async (PaddockPveClient    *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  task = call_new (self, paddock_pve_client_get_realms_async, "GET", "/access/domains", NULL, FALSE, cancellable,
                   callback, user_data);
  call_start (task);
}

void
paddock_pve_client_get_bytes_async (PaddockPveClient    *self,
                                    const char          *path,
                                    PaddockPveParams    *params,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = call_new (self, paddock_pve_client_get_bytes_async, "GET", path, params, TRUE, cancellable,
                   callback, user_data);
  ((Call *) g_task_get_task_data (task))->want_bytes = TRUE;
  call_start (task);
}

GBytes *
paddock_pve_client_get_bytes_finish (PaddockPveClient  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Typed operations: one call, one converter from the JSON data. */

typedef gpointer (*Convert) (JsonNode  *data,
                             GError   **error);

typedef struct
{
  Convert        convert;
  GDestroyNotify free_result;
} Typed;

static void
on_typed_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Typed *typed = g_task_get_task_data (task);
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;
  gpointer converted;

  data = paddock_pve_client_call_finish (PADDOCK_PVE_CLIENT (object), result, NULL, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  converted = typed->convert (data, &error);
  if (converted == NULL && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, converted, typed->free_result);
}

static void
typed_call (PaddockPveClient    *self,
            gpointer             source_tag,
            const char          *method,
            const char          *path,
            PaddockPveParams    *params,
            Convert              convert,
            GDestroyNotify       free_result,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Typed *typed = g_new0 (Typed, 1);

  typed->convert = convert;
  typed->free_result = free_result;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, typed, g_free);

  paddock_pve_client_call_async (self, method, path, params, cancellable, on_typed_done, task);
}

static gpointer
typed_finish (PaddockPveClient  *self,
              GAsyncResult      *result,
              gpointer           source_tag,
              GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
convert_version (JsonNode *data, GError **error)
{
  return paddock_pve_version_from_json (data, error);
}

static gpointer
convert_nodes (JsonNode *data, GError **error)
{
  return paddock_pve_nodes_from_json (data, NULL, error);
}

static gpointer
convert_node_usages (JsonNode *data, GError **error)
{
  return paddock_node_usages_from_json (data, error);
}

static gpointer
convert_string (JsonNode *data, GError **error)
{
  if (data == NULL || !JSON_NODE_HOLDS_VALUE (data) || json_node_get_value_type (data) != G_TYPE_STRING)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "Expected a text answer (a task id)");
      return NULL;
    }

  return g_strdup (json_node_get_string (data));
}

static gpointer
convert_upid (JsonNode *data, GError **error)
{
  g_autofree char *upid = convert_string (data, error);
  PaddockUpid parsed;

  if (upid == NULL || !paddock_pve_parse_upid (upid, &parsed, error))
    return NULL;

  paddock_upid_clear (&parsed);
  return g_steal_pointer (&upid);
}

/* nextid arrives as a string although the schema says integer; both are taken. */
static gpointer
convert_vmid (JsonNode *data, GError **error)
{
  gint64 vmid = 0;

  if (data != NULL && JSON_NODE_HOLDS_VALUE (data))
    {
      if (json_node_get_value_type (data) == G_TYPE_STRING)
        vmid = g_ascii_strtoll (json_node_get_string (data), NULL, 10);
      else if (json_node_get_value_type (data) == G_TYPE_INT64)
        vmid = json_node_get_int (data);
    }

  if (vmid < 100 || vmid > 999999999)
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "Proxmox answered no usable VMID");
      return NULL;
    }

  return GSIZE_TO_POINTER ((gsize) vmid);
}

static gpointer
convert_object (JsonNode *data, GError **error)
{
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL, "Expected a JSON object");
      return NULL;
    }

  return json_object_ref (json_node_get_object (data));
}

static gpointer
convert_config (JsonNode *data, GError **error)
{
  return paddock_guest_config_from_json (data, error);
}

static gpointer
convert_nothing (JsonNode *data, GError **error)
{
  return GINT_TO_POINTER (1);
}

static gpointer
convert_interfaces (JsonNode *data, GError **error)
{
  return paddock_interfaces_from_json (data, error);
}

static gpointer
convert_rrd (JsonNode *data, GError **error)
{
  return paddock_rrd_points_from_json (data, error);
}

static gpointer
convert_storages (JsonNode *data, GError **error)
{
  return paddock_storages_from_json (data, error);
}

static gpointer
convert_volumes (JsonNode *data, GError **error)
{
  return paddock_volumes_from_json (data, error);
}

static gpointer
convert_appliances (JsonNode *data, GError **error)
{
  return paddock_appliances_from_json (data, error);
}

static gpointer
convert_bridges (JsonNode *data, GError **error)
{
  return paddock_bridges_from_json (data, error);
}

static gpointer
convert_tasks (JsonNode *data, GError **error)
{
  return paddock_tasks_from_json (data, error);
}

static gpointer
convert_task (JsonNode *data, GError **error)
{
  return paddock_task_info_from_json (data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL,
                                      error);
}

static gpointer
convert_task_lines (JsonNode *data, GError **error)
{
  return paddock_task_lines_from_json (data, error);
}

static char *
vmid_text (guint vmid)
{
  return g_strdup_printf ("%u", vmid);
}

void
paddock_pve_client_get_version_async (PaddockPveClient *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  typed_call (self, paddock_pve_client_get_version_async, "GET", "/version", NULL, convert_version,
              (GDestroyNotify) paddock_pve_version_free, cancellable, callback, user_data);
}

PaddockPveVersion *
paddock_pve_client_get_version_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_version_async, error);
}

void
paddock_pve_client_get_cluster_status_async (PaddockPveClient *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  typed_call (self, paddock_pve_client_get_cluster_status_async, "GET", "/cluster/status", NULL,
              convert_nodes, (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type PaddockPveNode): the cluster's nodes */
GPtrArray *
paddock_pve_client_get_cluster_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_cluster_status_async, error);
}

void
paddock_pve_client_get_nodes_async (PaddockPveClient *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  typed_call (self, paddock_pve_client_get_nodes_async, "GET", "/nodes", NULL, convert_node_usages,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

/* Returns: (transfer container) (element-type PaddockNodeUsage): the nodes with their usage */
GPtrArray *
paddock_pve_client_get_nodes_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_nodes_async, error);
}

void
paddock_pve_client_get_node_status_async (PaddockPveClient *self, const char *node, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "status", NULL);

  typed_call (self, paddock_pve_client_get_node_status_async, "GET", path, NULL, convert_object,
              (GDestroyNotify) json_object_unref, cancellable, callback, user_data);
}

/* Returns: (transfer full): the node's status object (memory, cpuinfo, uptime, …) */
JsonObject *
paddock_pve_client_get_node_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_node_status_async, error);
}

static void
on_guests_fetched (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  GPtrArray *guests;
  GError *error = NULL;
  gsize length;
  const char *data;

  body = paddock_pve_client_get_bytes_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A node's list is small (at most a few hundred): read on this thread with the fast reader. */
  data = g_bytes_get_data (body, &length);
  guests = paddock_pve_parse_guest_list (data, length, TRUE, &error);
  if (guests == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, guests, (GDestroyNotify) g_ptr_array_unref);
}

/* GET /nodes/{node}/lxc: the containers of one node, vmid as string or number alike. */
void
paddock_pve_client_list_guests_async (PaddockPveClient *self, const char *node, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", NULL);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, paddock_pve_client_list_guests_async);
  paddock_pve_client_get_bytes_async (self, path, NULL, cancellable, on_guests_fetched, task);
}

/* Returns: (transfer container) (element-type PaddockGuestRecord): see paddock-pve-parse-private.h */
GPtrArray *
paddock_pve_client_list_guests_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_list_guests_async, error);
}

/* With @wanted_vmid, asks whether it is free (fails with %PADDOCK_PVE_ERROR_CONFLICT if not). */
void
paddock_pve_client_get_nextid_async (PaddockPveClient *self, guint wanted_vmid, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (wanted_vmid > 0)
    paddock_pve_params_add_int (params, "vmid", wanted_vmid);
  typed_call (self, paddock_pve_client_get_nextid_async, "GET", "/cluster/nextid", params, convert_vmid,
              NULL, cancellable, callback, user_data);
}

guint
paddock_pve_client_get_nextid_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return GPOINTER_TO_SIZE (typed_finish (self, result, paddock_pve_client_get_nextid_async, error));
}

void
paddock_pve_client_get_guest_status_async (PaddockPveClient *self, const char *node, guint vmid,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "status", "current", NULL);

  typed_call (self, paddock_pve_client_get_guest_status_async, "GET", path, NULL, convert_object,
              (GDestroyNotify) json_object_unref, cancellable, callback, user_data);
}

/* Returns: (transfer full): the status/current object (read it with the tolerant JSON helpers) */
JsonObject *
paddock_pve_client_get_guest_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_guest_status_async, error);
}

void
paddock_pve_client_get_guest_config_async (PaddockPveClient *self, const char *node, guint vmid,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "config", NULL);

  typed_call (self, paddock_pve_client_get_guest_config_async, "GET", path, NULL, convert_config,
              (GDestroyNotify) paddock_guest_config_free, cancellable, callback, user_data);
}

PaddockGuestConfig *
paddock_pve_client_get_guest_config_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_guest_config_async, error);
}

void
paddock_pve_client_update_guest_config_async (PaddockPveClient *self, const char *node, guint vmid,
                                              PaddockPveParams *params, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "config", NULL);

  typed_call (self, paddock_pve_client_update_guest_config_async, "PUT", path, params, convert_nothing,
              NULL, cancellable, callback, user_data);
}

gboolean
paddock_pve_client_update_guest_config_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_update_guest_config_async, error) != NULL;
}

/**
 * paddock_pve_client_guest_action_async:
 * @timeout_seconds: for %PADDOCK_GUEST_ACTION_SHUTDOWN, how long the container gets (0: Proxmox's 60)
 *
 * Starts the action; the result is the UPID of its task (follow it with PaddockTaskWatcher).
 */
void
paddock_pve_client_guest_action_async (PaddockPveClient *self, const char *node, guint vmid,
                                       PaddockGuestAction action, guint timeout_seconds,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  static const char *names[] = { "start", "stop", "shutdown", "reboot" };
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = NULL;
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  g_return_if_fail (action <= PADDOCK_GUEST_ACTION_REBOOT);

  path = paddock_pve_path ("nodes", node, "lxc", id, "status", names[action], NULL);
  if (action == PADDOCK_GUEST_ACTION_SHUTDOWN && timeout_seconds > 0)
    paddock_pve_params_add_int (params, "timeout", timeout_seconds);

  typed_call (self, paddock_pve_client_guest_action_async, "POST", path, params, convert_upid, g_free,
              cancellable, callback, user_data);
}

char *
paddock_pve_client_guest_action_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_guest_action_async, error);
}

void
paddock_pve_client_delete_guest_async (PaddockPveClient *self, const char *node, guint vmid, gboolean purge,
                                       gboolean destroy_unreferenced_disks, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (purge)
    paddock_pve_params_add_bool (params, "purge", TRUE);
  if (destroy_unreferenced_disks)
    paddock_pve_params_add_bool (params, "destroy-unreferenced-disks", TRUE);

  typed_call (self, paddock_pve_client_delete_guest_async, "DELETE", path, params, convert_upid, g_free,
              cancellable, callback, user_data);
}

char *
paddock_pve_client_delete_guest_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_delete_guest_async, error);
}

void
paddock_pve_client_create_guest_async (PaddockPveClient *self, const char *node, PaddockPveParams *params,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", NULL);

  typed_call (self, paddock_pve_client_create_guest_async, "POST", path, params, convert_upid, g_free,
              cancellable, callback, user_data);
}

char *
paddock_pve_client_create_guest_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_create_guest_async, error);
}

void
paddock_pve_client_get_interfaces_async (PaddockPveClient *self, const char *node, guint vmid,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "interfaces", NULL);

  typed_call (self, paddock_pve_client_get_interfaces_async, "GET", path, NULL, convert_interfaces,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_interfaces_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_interfaces_async, error);
}

/* @timeframe: hour, day, week, month or year */
void
paddock_pve_client_get_rrd_async (PaddockPveClient *self, const char *node, guint vmid, const char *timeframe,
                                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *id = vmid_text (vmid);
  g_autofree char *path = paddock_pve_path ("nodes", node, "lxc", id, "rrddata", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  paddock_pve_params_add (params, "timeframe", timeframe);
  paddock_pve_params_add (params, "cf", "AVERAGE");
  typed_call (self, paddock_pve_client_get_rrd_async, "GET", path, params, convert_rrd,
              (GDestroyNotify) g_array_unref, cancellable, callback, user_data);
}

GArray *
paddock_pve_client_get_rrd_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_rrd_async, error);
}

void
paddock_pve_client_get_storages_async (PaddockPveClient *self, const char *node, const char *content,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "storage", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (content != NULL)
    paddock_pve_params_add (params, "content", content);
  typed_call (self, paddock_pve_client_get_storages_async, "GET", path, params, convert_storages,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_storages_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_storages_async, error);
}

void
paddock_pve_client_get_storage_content_async (PaddockPveClient *self, const char *node, const char *storage,
                                              const char *content, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "storage", storage, "content", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (content != NULL)
    paddock_pve_params_add (params, "content", content);
  typed_call (self, paddock_pve_client_get_storage_content_async, "GET", path, params, convert_volumes,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_storage_content_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_storage_content_async, error);
}

void
paddock_pve_client_get_appliances_async (PaddockPveClient *self, const char *node, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "aplinfo", NULL);

  typed_call (self, paddock_pve_client_get_appliances_async, "GET", path, NULL, convert_appliances,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_appliances_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_appliances_async, error);
}

void
paddock_pve_client_download_appliance_async (PaddockPveClient *self, const char *node, const char *storage,
                                             const char *template_name, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "aplinfo", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  paddock_pve_params_add (params, "storage", storage);
  paddock_pve_params_add (params, "template", template_name);
  typed_call (self, paddock_pve_client_download_appliance_async, "POST", path, params, convert_upid, g_free,
              cancellable, callback, user_data);
}

char *
paddock_pve_client_download_appliance_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_download_appliance_async, error);
}

void
paddock_pve_client_get_bridges_async (PaddockPveClient *self, const char *node, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "network", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  paddock_pve_params_add (params, "type", "any_bridge");
  typed_call (self, paddock_pve_client_get_bridges_async, "GET", path, params, convert_bridges,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_bridges_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_bridges_async, error);
}

/* @vmid: 0 for every task of the node; @limit: 0 for Proxmox's default (50) */
void
paddock_pve_client_get_tasks_async (PaddockPveClient *self, const char *node, guint vmid, guint start,
                                    guint limit, GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autofree char *path = paddock_pve_path ("nodes", node, "tasks", NULL);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (vmid > 0)
    paddock_pve_params_add_int (params, "vmid", vmid);
  if (start > 0)
    paddock_pve_params_add_int (params, "start", start);
  if (limit > 0)
    paddock_pve_params_add_int (params, "limit", limit);
  typed_call (self, paddock_pve_client_get_tasks_async, "GET", path, params, convert_tasks,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_tasks_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  return typed_finish (self, result, paddock_pve_client_get_tasks_async, error);
}

static char *
task_path (const char  *upid,
           const char  *leaf,
           GError     **error)
{
  PaddockUpid parsed;
  char *path;

  if (!paddock_pve_parse_upid (upid, &parsed, error))
    return NULL;

  path = paddock_pve_path ("nodes", parsed.node, "tasks", upid, leaf, NULL);
  paddock_upid_clear (&parsed);

  return path;
}

void
paddock_pve_client_get_task_status_async (PaddockPveClient *self, const char *upid, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = task_path (upid, "status", &error);

  if (path == NULL)
    {
      g_task_report_error (self, callback, user_data, paddock_pve_client_get_task_status_async,
                           g_steal_pointer (&error));
      return;
    }

  typed_call (self, paddock_pve_client_get_task_status_async, "GET", path, NULL, convert_task,
              (GDestroyNotify) paddock_task_info_free, cancellable, callback, user_data);
}

PaddockTaskInfo *
paddock_pve_client_get_task_status_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* @limit: 0 reads to the end */
void
paddock_pve_client_get_task_log_async (PaddockPveClient *self, const char *upid, guint start, guint limit,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = task_path (upid, "log", &error);
  g_autoptr(PaddockPveParams) params = paddock_pve_params_new ();

  if (path == NULL)
    {
      g_task_report_error (self, callback, user_data, paddock_pve_client_get_task_log_async,
                           g_steal_pointer (&error));
      return;
    }

  paddock_pve_params_add_int (params, "start", start);
  paddock_pve_params_add_int (params, "limit", limit);
  typed_call (self, paddock_pve_client_get_task_log_async, "GET", path, params, convert_task_lines,
              (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
paddock_pve_client_get_task_log_finish (PaddockPveClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The check of a connection: /version, then /cluster/status */

typedef struct
{
  GCancellable *cancellable;
  char         *version;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->cancellable);
  g_free (check->version);
  g_free (check);
}

static void
on_check_status (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *nodes;
  GError *error = NULL;

  nodes = paddock_pve_client_get_cluster_status_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (nodes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, nodes, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_check_version (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(PaddockPveVersion) version = NULL;
  GError *error = NULL;

  version = paddock_pve_client_get_version_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  if (version == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  check->version = g_strdup (version->version);
  paddock_pve_client_get_cluster_status_async (PADDOCK_PVE_CLIENT (object), check->cancellable, on_check_status,
                                               g_steal_pointer (&task));
}

/**
 * paddock_pve_client_check_async:
 *
 * What "Test" means for a connection: the server answers /version as Proxmox, and this login
 * may read /cluster/status. Fails with the first error (an untrusted certificate, a refused
 * login, a second factor wanted…).
 */
void
paddock_pve_client_check_async (PaddockPveClient    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Check *check;

  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_pve_client_check_async);
  check = g_new0 (Check, 1);
  check->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  paddock_pve_client_get_version_async (self, cancellable, on_check_version, task);
}

/**
 * paddock_pve_client_check_finish:
 * @version: (out) (optional): the Proxmox VE version, e.g. "9.1.1"
 *
 * Returns: (transfer full): the nodes of /cluster/status (PaddockPveNode)
 */
GPtrArray *
paddock_pve_client_check_finish (PaddockPveClient  *self,
                                 GAsyncResult      *result,
                                 char             **version,
                                 GError           **error)
{
  GPtrArray *nodes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  nodes = g_task_propagate_pointer (G_TASK (result), error);
  if (version != NULL)
    *version = nodes ? g_strdup (((Check *) g_task_get_task_data (G_TASK (result)))->version) : NULL;

  return nodes;
}
