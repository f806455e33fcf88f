/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-client-transport.c: one API call from request to parsed envelope: timeouts,
 * retries of reads, login and ticket renewal, bounded bodies, no redirects */

#include "config.h"

#include "paddock-pve-client-private.h"
#include "paddock-pve-parse-private.h"

/* Tickets live 2 h; renewing every 15 min keeps one valid through sleep and clock drift. */
#define TICKET_RENEW_SECONDS (15 * 60)
#define MAX_GET_RETRIES 3

/* SPEC §2.2.1: bodies are read with a cap counted after decompression (libsoup's decoder runs
 * before the stream this reads), so an endless body or a gzip bomb costs at most this much. */
#define BODY_LIMIT           (8u << 20)
#define RESOURCES_BODY_LIMIT (64u << 20)
#define READ_CHUNK           (64u << 10)

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
  GByteArray   *body;              /* what was read of the current answer */
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
  g_clear_pointer (&call->body, g_byte_array_unref);
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
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                              "The answer of %s:%u to %s %s was cut off before its end: %s", self->host,
                              self->port, call->method, call->path, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT,
                              "%s:%u did not answer in time: %s", self->host, self->port, error->message);
  else
    {
      /* GIO says "Could not connect to HOST: Connection refused": the host is said once, here. */
      const char *reason = error->message;

      if (g_str_has_prefix (reason, "Could not connect to ") && strrchr (reason, ':') != NULL)
        reason = strrchr (reason, ':') + 1;
      while (*reason == ' ')
        reason++;
      translated = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNREACHABLE,
                                "Cannot reach %s:%u: %s", self->host, self->port, reason);
    }

  g_error_free (error);
  return translated;
}

void
_paddock_pve_client_clear_ticket (PaddockPveClient *self)
{
  if (self->ticket != NULL)
    memset (self->ticket, 0, strlen (self->ticket));
  g_clear_pointer (&self->ticket, g_free);
  g_clear_pointer (&self->csrf_token, g_free);
  self->ticket_time = 0;
}

static void ensure_ticket (GTask *task);

static gsize
body_limit (Call *call)
{
  return g_str_has_prefix (call->path, "/cluster/resources") ? RESOURCES_BODY_LIMIT : BODY_LIMIT;
}

/* A transport failure: reads are retried with backoff, anything else is reported. */
static void
fail_transport (GTask  *task,
                GError *error)
{
  PaddockPveClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  gboolean transient = !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && error->domain != G_TLS_ERROR;

  if (transient && schedule_retry (task))
    {
      g_error_free (error);
      return;
    }
  call_return_error (task, translate_transport_error (self, call, error));
}

/* The whole answer is in call->body: what it means. */
static void
on_body_read (GTask *task)
{
  PaddockPveClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessage *msg = g_object_get_data (G_OBJECT (task), "paddock-message");
  g_autoptr(GByteArray) body = g_steal_pointer (&call->body);
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;
  guint status = soup_message_get_status (msg);
  const char *reason = soup_message_get_reason_phrase (msg);

  /* An expired or revoked ticket: log in again once, then repeat the call. */
  if (status == 401 && call->authenticated && self->username != NULL && self->token_id == NULL &&
      !call->relogged)
    {
      call->relogged = TRUE;
      _paddock_pve_client_clear_ticket (self);
      ensure_ticket (g_object_ref (task));
      return;
    }

  if (status >= 500 && status != 595 && status != 596 && schedule_retry (task))
    return;

  if (call->want_bytes && status >= 200 && status < 300)
    {
      g_clear_handle_id (&call->timeout_id, g_source_remove);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&body)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  data = paddock_pve_parse_envelope ((const char *) body->data, body->len, status, reason, &call->total, &error);
  if (data == NULL)
    {
      /* Proxmox says only "authentication failure": say which credentials and what to do. */
      if (g_error_matches (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH) && call->authenticated)
        {
          GError *words = g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH,
                                       self->token_id != NULL
                                       ? "%s refused the API token %s: its secret is wrong or the token was revoked"
                                       : "%s refused the login of %s: the password is wrong or the account is locked",
                                       self->host, self->token_id != NULL ? self->token_id : self->username);

          g_error_free (error);
          error = words;
        }
      call_return_error (task, error);
      return;
    }

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_task_return_pointer (task, g_steal_pointer (&data), (GDestroyNotify) json_node_unref);
}

static void
on_body_chunk (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockPveClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (stream, result, &error);
  if (chunk == NULL)
    {
      g_clear_pointer (&call->body, g_byte_array_unref);
      fail_transport (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      on_body_read (task);
      return;
    }

  if (call->body->len + g_bytes_get_size (chunk) > body_limit (call))
    {
      /* Closing the stream drops the connection: the rest is never read. */
      g_clear_pointer (&call->body, g_byte_array_unref);
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      call_return_error (task, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                                            "The answer of %s:%u to %s %s is larger than %u MB (Proxmox "
                                            "never sends that much): Paddock stopped reading it",
                                            self->host, self->port, call->method, call->path,
                                            (guint) (body_limit (call) >> 20)));
      return;
    }

  g_byte_array_append (call->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT, call->cancellable,
                                   on_body_chunk, g_steal_pointer (&task));
}

static void
on_call_sent (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PaddockPveClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessage *msg = g_object_get_data (G_OBJECT (task), "paddock-message");
  g_autoptr(GInputStream) stream = NULL;
  GError *error = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      fail_transport (task, error);
      return;
    }

  /* Proxmox never redirects its API; following one would send the ticket or token elsewhere,
   * perhaps in clear text. */
  status = soup_message_get_status (msg);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
      g_autofree char *shown = location ? g_utf8_make_valid (location, MIN (strlen (location), 200)) : NULL;

      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      call_return_error (task, g_error_new (PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL,
                                            "%s:%u answered %s %s with a redirect (%u) to “%s”: Paddock "
                                            "does not follow redirects (Proxmox never sends them)",
                                            self->host, self->port, call->method, call->path, status,
                                            shown ? shown : "nowhere"));
      return;
    }

  g_clear_pointer (&call->body, g_byte_array_unref);
  call->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT, call->cancellable,
                                   on_body_chunk, g_steal_pointer (&task));
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

  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (_paddock_pve_client_accept_certificate), self, 0);
  g_object_set_data_full (G_OBJECT (task), "paddock-message", g_object_ref (msg), g_object_unref);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, call->cancellable,
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

  _paddock_pve_client_clear_ticket (self);
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

    _paddock_pve_client_clear_ticket (self);
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

  _paddock_pve_client_clear_ticket (self);
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
