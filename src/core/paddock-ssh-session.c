/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-session.c: one SSH connection to a node, shared by every command sent to it
 *
 * Every operation runs on a worker thread. libssh2 is in non-blocking mode and only ever
 * called with the connection's lock held, so several channels (commands, streams, SFTP,
 * a console) proceed at once over one connection, interleaved call by call.
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include <glib/gstdio.h>

#include "paddock-line-splitter.h"
#include "paddock-shell.h"
#include "paddock-ssh-private.h"
#include "paddock-ssh-pty.h"

#define KEEPALIVE_SECONDS 15


G_DEFINE_FINAL_TYPE (PaddockSshSession, paddock_ssh_session, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PaddockSshResult, paddock_ssh_result, paddock_ssh_result_copy, paddock_ssh_result_free)


/* Results */

PaddockSshResult *
paddock_ssh_result_copy (const PaddockSshResult *result)
{
  PaddockSshResult *copy = g_memdup2 (result, sizeof *result);

  copy->exit_signal = g_strdup (result->exit_signal);
  copy->out = result->out ? g_bytes_ref (result->out) : NULL;
  copy->err = result->err ? g_bytes_ref (result->err) : NULL;

  return copy;
}

void
paddock_ssh_result_free (PaddockSshResult *result)
{
  if (result == NULL)
    return;

  g_free (result->exit_signal);
  g_clear_pointer (&result->out, g_bytes_unref);
  g_clear_pointer (&result->err, g_bytes_unref);
  g_free (result);
}

static char *
bytes_to_text (GBytes *bytes)
{
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  return g_utf8_make_valid (data ? data : "", length);
}

/* The output as valid UTF-8 text */
char *
paddock_ssh_result_dup_out_text (const PaddockSshResult *result)
{
  return bytes_to_text (result->out);
}

char *
paddock_ssh_result_dup_err_text (const PaddockSshResult *result)
{
  return bytes_to_text (result->err);
}

/* Connections */

static gsize libssh2_ready;

static void
ensure_libssh2 (void)
{
  if (g_once_init_enter (&libssh2_ready))
    {
      libssh2_init (0);
      g_once_init_leave (&libssh2_ready, 1);
    }
}

SshConn *
_paddock_ssh_conn_ref (SshConn *conn)
{
  g_atomic_ref_count_inc (&conn->ref);
  return conn;
}

void
_paddock_ssh_conn_unref (SshConn *conn)
{
  if (conn == NULL || !g_atomic_ref_count_dec (&conn->ref))
    return;

  if (conn->session != NULL)
    {
      /* In non-blocking mode libssh2_session_free() gives up on EAGAIN and frees nothing;
       * with the socket shut down first, blocking calls fail at once and everything goes.
       * The peer sees the connection close, which is all a goodbye would tell it. */
      if (conn->connection != NULL)
        g_socket_shutdown (g_socket_connection_get_socket (conn->connection), TRUE, TRUE, NULL);
      libssh2_session_set_timeout (conn->session, 1000);
      libssh2_session_set_blocking (conn->session, 1);
      libssh2_session_free (conn->session);
    }
  if (conn->connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
      g_object_unref (conn->connection);
    }
  g_mutex_clear (&conn->lock);
  g_mutex_clear (&conn->open_lock);
  g_free (conn);
}

static SshConn *
dup_conn (PaddockSshSession *self)
{
  SshConn *conn = NULL;

  g_mutex_lock (&self->state_lock);
  if (self->conn != NULL && !g_atomic_int_get (&self->conn->broken))
    conn = _paddock_ssh_conn_ref (self->conn);
  g_mutex_unlock (&self->state_lock);

  return conn;
}

static void
paddock_ssh_session_finalize (GObject *object)
{
  PaddockSshSession *self = PADDOCK_SSH_SESSION (object);

  g_mutex_lock (&self->state_lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->keepalive_cond);
  g_mutex_unlock (&self->state_lock);
  if (self->keepalive_thread != NULL)
    g_thread_join (self->keepalive_thread);

  g_clear_pointer (&self->conn, _paddock_ssh_conn_unref);
  g_free (self->host);
  g_free (self->user);
  g_array_unref (self->auth_methods);
  g_free (self->key_path);
  _paddock_ssh_wipe (&self->key_passphrase);
  _paddock_ssh_wipe (&self->password);
  g_free (self->known_hosts_path);
  g_free (self->rejected_type);
  g_free (self->rejected_fingerprint);
  g_free (self->trusted_fingerprint);
  g_clear_pointer (&self->rejected_key, g_bytes_unref);
  g_mutex_clear (&self->state_lock);
  g_mutex_clear (&self->connect_lock);
  g_cond_clear (&self->keepalive_cond);

  G_OBJECT_CLASS (paddock_ssh_session_parent_class)->finalize (object);
}

static void
paddock_ssh_session_class_init (PaddockSshSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = paddock_ssh_session_finalize;
}

static void
paddock_ssh_session_init (PaddockSshSession *self)
{
  static const PaddockSshAuth default_methods[] = {
    PADDOCK_SSH_AUTH_AGENT, PADDOCK_SSH_AUTH_KEY, PADDOCK_SSH_AUTH_PASSWORD,
  };

  g_mutex_init (&self->state_lock);
  g_mutex_init (&self->connect_lock);
  g_cond_init (&self->keepalive_cond);
  self->auth_methods = g_array_new (FALSE, FALSE, sizeof (PaddockSshAuth));
  g_array_append_vals (self->auth_methods, default_methods, G_N_ELEMENTS (default_methods));
  self->connect_tries = 5;
  self->connect_delay_ms = 2000;
  self->connect_timeout_ms = 10000;
  self->max_output = PADDOCK_SSH_DEFAULT_MAX_OUTPUT;
}

PaddockSshSession *
paddock_ssh_session_new (const char *host,
                         guint16     port,
                         const char *user)
{
  PaddockSshSession *self;

  g_return_val_if_fail (host != NULL && user != NULL, NULL);

  ensure_libssh2 ();

  self = g_object_new (PADDOCK_TYPE_SSH_SESSION, NULL);
  self->host = g_strdup (host);
  self->port = port ? port : 22;
  self->user = g_strdup (user);

  return self;
}

const char *
paddock_ssh_session_get_host (PaddockSshSession *self)
{
  g_return_val_if_fail (PADDOCK_IS_SSH_SESSION (self), NULL);
  return self->host;
}

guint16
paddock_ssh_session_get_port (PaddockSshSession *self)
{
  g_return_val_if_fail (PADDOCK_IS_SSH_SESSION (self), 0);
  return self->port;
}

const char *
paddock_ssh_session_get_user (PaddockSshSession *self)
{
  g_return_val_if_fail (PADDOCK_IS_SSH_SESSION (self), NULL);
  return self->user;
}

void
paddock_ssh_session_set_auth_methods (PaddockSshSession    *self,
                                      const PaddockSshAuth *methods,
                                      guint                 n_methods)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  g_array_set_size (self->auth_methods, 0);
  g_array_append_vals (self->auth_methods, methods, n_methods);
}

void
paddock_ssh_session_set_key_file (PaddockSshSession *self,
                                  const char        *path)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  g_free (self->key_path);
  self->key_path = g_strdup (path);
}

void
paddock_ssh_session_set_key_passphrase (PaddockSshSession *self,
                                        const char        *passphrase)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  _paddock_ssh_wipe (&self->key_passphrase);
  self->key_passphrase = g_strdup (passphrase);
}

void
paddock_ssh_session_set_password (PaddockSshSession *self,
                                  const char        *password)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  _paddock_ssh_wipe (&self->password);
  self->password = g_strdup (password);
}

void
paddock_ssh_session_set_known_hosts (PaddockSshSession *self,
                                     const char        *path)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  g_free (self->known_hosts_path);
  self->known_hosts_path = g_strdup (path);
}

void
paddock_ssh_session_set_connect_retry (PaddockSshSession *self,
                                       guint              tries,
                                       guint              first_delay_ms)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  self->connect_tries = MAX (tries, 1);
  self->connect_delay_ms = first_delay_ms;
}

void
paddock_ssh_session_set_connect_timeout (PaddockSshSession *self,
                                         guint              timeout_ms)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  self->connect_timeout_ms = MAX (timeout_ms, 100);
}

void
paddock_ssh_session_set_max_output (PaddockSshSession *self,
                                    gsize              max_output)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  self->max_output = max_output;
}

char *
_paddock_ssh_node_name (PaddockSshSession *self)
{
  return self->port == 22 ? g_strdup_printf ("%s@%s", self->user, self->host)
                          : g_strdup_printf ("%s@%s:%u", self->user, self->host, self->port);
}

const char *
_paddock_ssh_last_error (LIBSSH2_SESSION *session)
{
  char *message = NULL;

  libssh2_session_last_error (session, &message, NULL, 0);
  return message != NULL && *message ? message : "unknown error";
}

/* Authentication */

/* Whether a private key file is encrypted (an OpenSSH key with a cipher, or a PEM key with
 * an ENCRYPTED header); decides between "give a passphrase" and "the key was refused". */
static gboolean
key_file_is_encrypted (const char *path)
{
  g_autofree char *text = NULL;
  g_autofree guint8 *decoded = NULL;
  g_autoptr(GString) body = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  if (strstr (text, "ENCRYPTED") != NULL)
    return TRUE;
  if (strstr (text, "BEGIN OPENSSH PRIVATE KEY") == NULL)
    return FALSE;

  body = g_string_new (NULL);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && !g_str_has_prefix (lines[i], "-----"))
      g_string_append (body, g_strstrip (lines[i]));

  /* "openssh-key-v1\0", then the cipher name as a length-prefixed string. */
  decoded = g_base64_decode (body->str, &length);
  if (length < 19 || memcmp (decoded, "openssh-key-v1", 15) != 0)
    return FALSE;
  {
    guint32 n = (guint32) decoded[15] << 24 | decoded[16] << 16 | decoded[17] << 8 | decoded[18];

    return !(n == 4 && length >= 23 && memcmp (decoded + 19, "none", 4) == 0);
  }
}

static gboolean
try_agent (PaddockSshSession *self,
           LIBSSH2_SESSION   *session,
           GString           *tried)
{
  LIBSSH2_AGENT *agent = libssh2_agent_init (session);
  struct libssh2_agent_publickey *identity = NULL, *previous = NULL;
  gboolean ok = FALSE;
  guint offered = 0;

  if (agent == NULL || libssh2_agent_connect (agent) != 0)
    {
      g_string_append (tried, "the SSH agent (not running)");
      goto out;
    }
  if (libssh2_agent_list_identities (agent) != 0)
    {
      g_string_append (tried, "the SSH agent (unreadable)");
      goto out;
    }

  while (libssh2_agent_get_identity (agent, &identity, previous) == 0)
    {
      offered++;
      if (libssh2_agent_userauth (agent, self->user, identity) == 0)
        {
          ok = TRUE;
          break;
        }
      previous = identity;
    }

  if (!ok)
    g_string_append_printf (tried, offered ? "the SSH agent (%u keys refused)" : "the SSH agent (no keys)", offered);

out:
  if (agent != NULL)
    {
      libssh2_agent_disconnect (agent);
      libssh2_agent_free (agent);
    }
  return ok;
}

static gboolean
authenticate (PaddockSshSession  *self,
              LIBSSH2_SESSION    *session,
              GError            **error)
{
  g_autoptr(GString) tried = g_string_new (NULL);
  g_autofree char *who = _paddock_ssh_node_name (self);

  for (guint i = 0; i < self->auth_methods->len; i++)
    {
      PaddockSshAuth method = g_array_index (self->auth_methods, PaddockSshAuth, i);

      if (tried->len > 0)
        g_string_append (tried, ", ");

      switch (method)
        {
        case PADDOCK_SSH_AUTH_AGENT:
          if (try_agent (self, session, tried))
            return TRUE;
          break;

        case PADDOCK_SSH_AUTH_KEY:
          if (self->key_path == NULL)
            {
              g_string_append (tried, "a key file (none set)");
              break;
            }
          if (libssh2_userauth_publickey_fromfile_ex (session, self->user, strlen (self->user), NULL,
                                                      self->key_path, self->key_passphrase) == 0)
            return TRUE;
          if ((self->key_passphrase == NULL || self->key_passphrase[0] == '\0')
              && key_file_is_encrypted (self->key_path))
            {
              g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_PASSPHRASE_REQUIRED,
                           "The key %s is protected by a passphrase", self->key_path);
              return FALSE;
            }
          g_string_append_printf (tried, "the key %s (%s)", self->key_path,
                                  libssh2_session_last_errno (session) == LIBSSH2_ERROR_FILE
                                  ? "unreadable, or a wrong passphrase" : "refused");
          break;

        case PADDOCK_SSH_AUTH_PASSWORD:
          if (self->password == NULL)
            {
              g_string_append (tried, "a password (none set)");
              break;
            }
          if (libssh2_userauth_password_ex (session, self->user, strlen (self->user),
                                            self->password, strlen (self->password), NULL) == 0)
            return TRUE;
          g_string_append (tried, "a password (refused)");
          break;

        default:
          break;
        }
    }

  g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_AUTH,
               "%s did not accept any way of logging in; tried %s", who, tried->len ? tried->str : "nothing");
  return FALSE;
}

/* Connecting */

static SshConn *
connect_once (PaddockSshSession  *self,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *who = _paddock_ssh_node_name (self);
  LIBSSH2_SESSION *session;
  SshConn *conn;

  g_socket_client_set_timeout (client, MAX (1, self->connect_timeout_ms / 1000));
  connection = g_socket_client_connect_to_host (client, self->host, self->port, cancellable, &local_error);
  if (connection == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_TIMEOUT,
                     "%s did not answer within %u s", who, MAX (1, self->connect_timeout_ms / 1000));
      else
        g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_CONNECT,
                     "Could not connect to %s: %s", who, local_error->message);
      return NULL;
    }

  session = libssh2_session_init ();
  libssh2_session_set_blocking (session, 1);
  libssh2_session_set_timeout (session, self->connect_timeout_ms);

  conn = g_new0 (SshConn, 1);
  g_atomic_ref_count_init (&conn->ref);
  g_mutex_init (&conn->lock);
  g_mutex_init (&conn->open_lock);
  conn->session = session;
  conn->connection = g_steal_pointer (&connection);
  conn->fd = g_socket_get_fd (g_socket_connection_get_socket (conn->connection));

  if (libssh2_session_handshake (session, conn->fd) != 0)
    {
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_PROTOCOL,
                   "The SSH handshake with %s failed: %s", who, _paddock_ssh_last_error (session));
      _paddock_ssh_conn_unref (conn);
      return NULL;
    }

  if (!_paddock_ssh_check_host_key (self, session, error) || !authenticate (self, session, error))
    {
      _paddock_ssh_conn_unref (conn);
      return NULL;
    }

  /* Keepalives find a dead peer; commands run with their own timeouts from here on. */
  libssh2_keepalive_config (session, 1, KEEPALIVE_SECONDS);
  libssh2_session_set_timeout (session, 0);
  libssh2_session_set_blocking (session, 0);

  return conn;
}

static gboolean
is_retryable (const GError *error)
{
  return g_error_matches (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_CONNECT)
         || g_error_matches (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_TIMEOUT);
}

static gpointer keepalive_thread_func (gpointer data);

/* Returns a reference to a working connection, connecting (with retries) when there is none. */
static SshConn *
ensure_connected (PaddockSshSession  *self,
                  GCancellable       *cancellable,
                  GError            **error)
{
  SshConn *conn;
  guint delay = self->connect_delay_ms;

  if ((conn = dup_conn (self)) != NULL)
    return conn;

  g_mutex_lock (&self->connect_lock);

  /* Another operation may have connected while we waited for the lock. */
  if ((conn = dup_conn (self)) != NULL)
    {
      g_mutex_unlock (&self->connect_lock);
      return conn;
    }

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if ((conn = connect_once (self, cancellable, &local_error)) != NULL)
        break;

      if (!is_retryable (local_error) || attempt >= self->connect_tries)
        {
          if (attempt > 1 && is_retryable (local_error))
            g_prefix_error (&local_error, "After %u tries: ", attempt);
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_mutex_unlock (&self->connect_lock);
          return NULL;
        }

      /* A booting container's sshd comes up a few seconds late: wait, doubling each time. */
      for (gint64 until = g_get_monotonic_time () + (gint64) delay * 1000; g_get_monotonic_time () < until;)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              g_mutex_unlock (&self->connect_lock);
              return NULL;
            }
          g_usleep (MIN (50000, until - g_get_monotonic_time () + 1));
        }
      delay = MIN (delay * 2, 60000);
    }

  g_mutex_lock (&self->state_lock);
  g_clear_pointer (&self->conn, _paddock_ssh_conn_unref);
  self->conn = _paddock_ssh_conn_ref (conn);
  if (self->keepalive_thread == NULL)
    self->keepalive_thread = g_thread_new ("paddock-ssh-keepalive", keepalive_thread_func, self);
  g_mutex_unlock (&self->state_lock);

  g_mutex_unlock (&self->connect_lock);
  return conn;
}

/* Sends keepalives while connected; a failed one marks the connection broken so the next
 * command reconnects. It holds no reference: finalize stops and joins it first. */
static gpointer
keepalive_thread_func (gpointer data)
{
  PaddockSshSession *self = data;

  g_mutex_lock (&self->state_lock);
  while (!self->stopping)
    {
      gint64 until = g_get_monotonic_time () + KEEPALIVE_SECONDS * G_USEC_PER_SEC;
      SshConn *conn;

      while (!self->stopping && g_cond_wait_until (&self->keepalive_cond, &self->state_lock, until))
        ;
      if (self->stopping)
        break;

      conn = self->conn ? _paddock_ssh_conn_ref (self->conn) : NULL;
      g_mutex_unlock (&self->state_lock);

      if (conn != NULL)
        {
          int next = 0, rc;

          g_mutex_lock (&conn->lock);
          rc = libssh2_keepalive_send (conn->session, &next);
          g_mutex_unlock (&conn->lock);
          if (rc != 0 && rc != LIBSSH2_ERROR_EAGAIN)
            g_atomic_int_set (&conn->broken, TRUE);
          _paddock_ssh_conn_unref (conn);
        }

      g_mutex_lock (&self->state_lock);
    }
  g_mutex_unlock (&self->state_lock);

  return NULL;
}

gboolean
paddock_ssh_session_is_connected (PaddockSshSession *self)
{
  g_autoptr(SshConn) conn = NULL;

  g_return_val_if_fail (PADDOCK_IS_SSH_SESSION (self), FALSE);

  conn = dup_conn (self);
  return conn != NULL;
}

/* Closes the connection; running operations finish with an error, later ones reconnect. */
void
paddock_ssh_session_disconnect (PaddockSshSession *self)
{
  SshConn *conn;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  g_mutex_lock (&self->state_lock);
  conn = g_steal_pointer (&self->conn);
  g_mutex_unlock (&self->state_lock);

  if (conn != NULL)
    {
      g_atomic_int_set (&conn->broken, TRUE);
      g_socket_shutdown (g_socket_connection_get_socket (conn->connection), TRUE, TRUE, NULL);
      _paddock_ssh_conn_unref (conn);
    }
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  SshConn *conn = ensure_connected (source_object, cancellable, &error);

  if (conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  _paddock_ssh_conn_unref (conn);
  g_task_return_boolean (task, TRUE);
}

void
paddock_ssh_session_connect_async (PaddockSshSession   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_ssh_session_connect_async);
  g_task_run_in_thread (task, connect_thread);
}

gboolean
paddock_ssh_session_connect_finish (PaddockSshSession  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Operations */

gboolean
_paddock_ssh_op_begin (SshOp              *op,
                       PaddockSshSession  *self,
                       GCancellable       *cancellable,
                       guint               timeout_ms,
                       const char         *what,
                       GError            **error)
{
  memset (op, 0, sizeof *op);
  op->self = self;
  op->cancellable = cancellable;
  op->timeout_ms = timeout_ms;
  op->deadline = timeout_ms ? g_get_monotonic_time () + (gint64) timeout_ms * 1000 : 0;
  op->what = what;

  return (op->conn = ensure_connected (self, cancellable, error)) != NULL;
}

void
_paddock_ssh_op_end (SshOp *op)
{
  g_clear_pointer (&op->conn, _paddock_ssh_conn_unref);
}

gboolean
_paddock_ssh_op_wait (SshOp   *op,
                      int      directions,
                      GError **error)
{
  struct pollfd fds[2] = { { .fd = op->conn->fd }, { .fd = -1 } };
  int timeout = SSH_POLL_SLICE_MS;
  int n = 1;

  if (directions & LIBSSH2_SESSION_BLOCK_INBOUND || directions == 0)
    fds[0].events |= POLLIN;
  if (directions & LIBSSH2_SESSION_BLOCK_OUTBOUND)
    fds[0].events |= POLLOUT;

  if (op->cancellable != NULL && g_cancellable_make_pollfd (op->cancellable, (GPollFD *) &fds[1]))
    {
      fds[1].events = POLLIN;
      n = 2;
    }

  if (op->deadline)
    timeout = (int) CLAMP ((op->deadline - g_get_monotonic_time ()) / 1000, 0, SSH_POLL_SLICE_MS);

  poll (fds, n, timeout);

  if (n == 2)
    g_cancellable_release_fd (op->cancellable);

  if (g_cancellable_set_error_if_cancelled (op->cancellable, error))
    return FALSE;

  if (op->deadline && g_get_monotonic_time () >= op->deadline)
    {
      g_autofree char *who = _paddock_ssh_node_name (op->self);

      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_TIMEOUT,
                   "%s on %s did not finish within %u s", op->what, who, (op->timeout_ms + 999) / 1000);
      return FALSE;
    }

  if (g_atomic_int_get (&op->conn->broken))
    {
      g_autofree char *who = _paddock_ssh_node_name (op->self);

      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_DISCONNECTED,
                   "The connection to %s was lost during %s", who, op->what);
      return FALSE;
    }

  return TRUE;
}

gboolean
_paddock_ssh_is_connection_error (int rc)
{
  return rc == LIBSSH2_ERROR_SOCKET_SEND || rc == LIBSSH2_ERROR_SOCKET_RECV
         || rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_TIMEOUT
         || rc == LIBSSH2_ERROR_SOCKET_NONE || rc == LIBSSH2_ERROR_TIMEOUT
         || rc == LIBSSH2_ERROR_KEX_FAILURE || rc == LIBSSH2_ERROR_DECRYPT
         || rc == LIBSSH2_ERROR_BAD_USE;
}

gboolean
_paddock_ssh_op_fail (SshOp       *op,
                      int          rc,
                      const char  *action,
                      GError     **error)
{
  g_autofree char *who = _paddock_ssh_node_name (op->self);
  g_autofree char *message = NULL;

  g_mutex_lock (&op->conn->lock);
  message = g_strdup (_paddock_ssh_last_error (op->conn->session));
  g_mutex_unlock (&op->conn->lock);

  if (_paddock_ssh_is_connection_error (rc))
    {
      g_atomic_int_set (&op->conn->broken, TRUE);
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_DISCONNECTED,
                   "The connection to %s was lost during %s (%s)", who, op->what, message);
    }
  else
    g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_PROTOCOL,
                 "%s failed on %s during %s: %s", action, who, op->what, message);

  return FALSE;
}

/* The first call of an operation found the connection dead since the last command: nothing
 * has run yet, so it is safe to connect again and repeat that call once. */
gboolean
_paddock_ssh_op_reconnect (SshOp   *op,
                           GError **error)
{
  g_atomic_int_set (&op->conn->broken, TRUE);
  g_clear_pointer (&op->conn, _paddock_ssh_conn_unref);

  return (op->conn = ensure_connected (op->self, op->cancellable, error)) != NULL;
}

LIBSSH2_CHANNEL *
_paddock_ssh_op_open_channel (SshOp   *op,
                              GError **error)
{
  for (guint attempt = 0; ; attempt++)
    {
      LIBSSH2_CHANNEL *channel = NULL;
      int dirs = 0, rc = 0;
      gboolean waited = TRUE;

      g_mutex_lock (&op->conn->open_lock);
      for (;;)
        {
          SSH_LOCKED (op, dirs, {
            channel = libssh2_channel_open_session (op->conn->session);
            rc = channel ? 0 : libssh2_session_last_errno (op->conn->session);
          });
          if (channel != NULL || rc != LIBSSH2_ERROR_EAGAIN)
            break;
          if (!(waited = _paddock_ssh_op_wait (op, dirs, error)))
            break;
        }
      g_mutex_unlock (&op->conn->open_lock);
      if (!waited)
        return NULL;

      if (channel != NULL)
        return channel;

      /* The first channel on a connection that died since the last command: reconnect once. */
      if (attempt == 0 && _paddock_ssh_is_connection_error (rc))
        {
          if (!_paddock_ssh_op_reconnect (op, error))
            return NULL;
          continue;
        }

      _paddock_ssh_op_fail (op, rc, "Opening a channel", error);
      return NULL;
    }
}

/* Asks for a terminal (when @term is set) and starts @command on @channel. */
gboolean
_paddock_ssh_op_start (SshOp            *op,
                       LIBSSH2_CHANNEL  *channel,
                       const char       *term,
                       guint             columns,
                       guint             rows,
                       const char       *command,
                       GError          **error)
{
  int dirs = 0, rc = 0;
  gboolean waited = TRUE;

  /* One start at a time per connection: libssh2 keeps the wait for the reply in the session. */
  g_mutex_lock (&op->conn->open_lock);
  for (; term != NULL;)
    {
      SSH_LOCKED (op, dirs, rc = libssh2_channel_request_pty_ex (channel, term, strlen (term), NULL, 0,
                                                                 columns, rows, 0, 0));
      if (rc != LIBSSH2_ERROR_EAGAIN || !(waited = _paddock_ssh_op_wait (op, dirs, error)))
        break;
    }
  if (waited && rc != 0)
    {
      g_mutex_unlock (&op->conn->open_lock);
      return _paddock_ssh_op_fail (op, rc, "Requesting a terminal", error);
    }

  for (; waited;)
    {
      SSH_LOCKED (op, dirs, rc = libssh2_channel_process_startup (channel, "exec", 4, command, strlen (command)));
      if (rc != LIBSSH2_ERROR_EAGAIN || !(waited = _paddock_ssh_op_wait (op, dirs, error)))
        break;
    }
  g_mutex_unlock (&op->conn->open_lock);

  if (!waited)
    return FALSE;
  if (rc != 0)
    return _paddock_ssh_op_fail (op, rc, "Starting the command", error);

  return TRUE;
}

void
_paddock_ssh_op_close_channel (SshOp           *op,
                               LIBSSH2_CHANNEL *channel,
                               gboolean         graceful)
{
  int rc = 0;

  if (channel == NULL)
    return;

  /* A graceful close waits a little for the peer; an abandoned one (cancel, timeout) only
   * tells the peer and frees the channel, which libssh2 allows in non-blocking mode. */
  SSH_RETRY_BRIEFLY (op, graceful ? 100 : 1, rc, libssh2_channel_close (channel));
  /* Freeing waits for the peer's close in non-blocking mode too; give it a moment, then
   * leave the channel to the session, which frees it at the latest when it ends. */
  SSH_RETRY_BRIEFLY (op, graceful ? 100 : 20, rc, libssh2_channel_free (channel));
}
