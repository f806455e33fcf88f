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
#define READ_CHUNK (32 * 1024)
/* The longest we sleep without looking at the channel: another thread's libssh2 call may
 * have read our data from the socket, which poll() cannot tell us. */
#define POLL_SLICE_MS 20

struct _PaddockSshSession
{
  GObject         parent_instance;

  char           *host;
  guint16         port;
  char           *user;
  GArray         *auth_methods;
  char           *key_path;
  char           *key_passphrase;
  char           *password;
  char           *known_hosts_path;
  guint           connect_tries;
  guint           connect_delay_ms;
  guint           connect_timeout_ms;
  gsize           max_output;

  GMutex          state_lock;    /* guards conn, the rejected key and the keepalive fields */
  GMutex          connect_lock;  /* one connection attempt at a time */
  SshConn        *conn;

  char           *rejected_type;
  char           *rejected_fingerprint;
  char           *trusted_fingerprint;
  GBytes         *rejected_key;
  int             rejected_key_bits;

  GThread        *keepalive_thread;
  GCond           keepalive_cond;
  gboolean        stopping;
};

G_DEFINE_FINAL_TYPE (PaddockSshSession, paddock_ssh_session, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PaddockSshResult, paddock_ssh_result, paddock_ssh_result_copy, paddock_ssh_result_free)

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

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
  wipe_string (&self->key_passphrase);
  wipe_string (&self->password);
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

  wipe_string (&self->key_passphrase);
  self->key_passphrase = g_strdup (passphrase);
}

void
paddock_ssh_session_set_password (PaddockSshSession *self,
                                  const char        *password)
{
  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  wipe_string (&self->password);
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

static char *
node_name (PaddockSshSession *self)
{
  return self->port == 22 ? g_strdup_printf ("%s@%s", self->user, self->host)
                          : g_strdup_printf ("%s@%s:%u", self->user, self->host, self->port);
}

static const char *
last_error (LIBSSH2_SESSION *session)
{
  char *message = NULL;

  libssh2_session_last_error (session, &message, NULL, 0);
  return message != NULL && *message ? message : "unknown error";
}

/* Host keys */

static const char *
host_key_type_name (int type)
{
  switch (type)
    {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return "ssh-rsa";
    case LIBSSH2_HOSTKEY_TYPE_DSS: return "ssh-dss";
#ifdef LIBSSH2_HOSTKEY_TYPE_ECDSA_256
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return "ecdsa-sha2-nistp256";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return "ecdsa-sha2-nistp384";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa-sha2-nistp521";
#endif
#ifdef LIBSSH2_HOSTKEY_TYPE_ED25519
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ssh-ed25519";
#endif
    default: return "unknown";
    }
}

static int
known_host_key_bits (int type)
{
  switch (type)
    {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
    case LIBSSH2_HOSTKEY_TYPE_DSS: return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
#ifdef LIBSSH2_HOSTKEY_TYPE_ECDSA_256
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
#endif
#ifdef LIBSSH2_HOSTKEY_TYPE_ED25519
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return LIBSSH2_KNOWNHOST_KEY_ED25519;
#endif
    default: return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
    }
}

/* "SHA256:…", as ssh-keygen -l prints it (base64 without padding). */
static char *
fingerprint_of (const guint8 *key,
                gsize         length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  g_autofree char *encoded = NULL;
  gsize n;

  g_checksum_update (checksum, key, length);
  g_checksum_get_digest (checksum, digest, &digest_length);
  encoded = g_base64_encode (digest, digest_length);
  n = strlen (encoded);
  while (n > 0 && encoded[n - 1] == '=')
    encoded[--n] = '\0';

  return g_strconcat ("SHA256:", encoded, NULL);
}

static char *
known_hosts_name (PaddockSshSession *self)
{
  return self->port == 22 ? g_strdup (self->host) : g_strdup_printf ("[%s]:%u", self->host, self->port);
}

static gboolean
check_host_key (PaddockSshSession  *self,
                LIBSSH2_SESSION    *session,
                GError            **error)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *trusted = NULL;
  g_autofree char *who = node_name (self);
  LIBSSH2_KNOWNHOSTS *known_hosts;
  struct libssh2_knownhost *found = NULL;
  const char *key;
  size_t length = 0;
  int type = 0, check;

  if ((key = libssh2_session_hostkey (session, &length, &type)) == NULL)
    {
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_PROTOCOL,
                   "%s sent no host key", who);
      return FALSE;
    }

  fingerprint = fingerprint_of ((const guint8 *) key, length);

  if (self->known_hosts_path == NULL)
    {
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY,
                   "No known hosts file is set; cannot trust %s (%s key %s)", who,
                   host_key_type_name (type), fingerprint);
      return FALSE;
    }

  known_hosts = libssh2_knownhost_init (session);
  if (g_file_test (self->known_hosts_path, G_FILE_TEST_EXISTS)
      && libssh2_knownhost_readfile (known_hosts, self->known_hosts_path, LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0)
    {
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_PROTOCOL,
                   "Could not read the known hosts file %s: %s", self->known_hosts_path, last_error (session));
      libssh2_knownhost_free (known_hosts);
      return FALSE;
    }

  check = libssh2_knownhost_checkp (known_hosts, self->host, self->port, key, length,
                                    LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW
                                    | known_host_key_bits (type),
                                    &found);

  if (check == LIBSSH2_KNOWNHOST_CHECK_MISMATCH && found != NULL && found->key != NULL)
    {
      gsize old_length = 0;
      g_autofree guint8 *old_key = g_base64_decode (found->key, &old_length);

      trusted = fingerprint_of (old_key, old_length);
    }
  libssh2_knownhost_free (known_hosts);

  if (check == LIBSSH2_KNOWNHOST_CHECK_MATCH)
    return TRUE;

  g_mutex_lock (&self->state_lock);
  g_free (self->rejected_type);
  self->rejected_type = g_strdup (host_key_type_name (type));
  g_free (self->rejected_fingerprint);
  self->rejected_fingerprint = g_strdup (fingerprint);
  g_free (self->trusted_fingerprint);
  self->trusted_fingerprint = g_strdup (trusted);
  g_clear_pointer (&self->rejected_key, g_bytes_unref);
  self->rejected_key = g_bytes_new (key, length);
  self->rejected_key_bits = known_host_key_bits (type);
  g_mutex_unlock (&self->state_lock);

  if (check == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)
    g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_HOST_KEY_CHANGED,
                 "The host key of %s changed: it is now %s %s, the trusted one was %s. "
                 "This can mean someone is intercepting the connection; Paddock did not connect.",
                 who, host_key_type_name (type), fingerprint, trusted ? trusted : "of another kind");
  else
    g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY,
                 "%s is not trusted yet: its %s host key is %s", who, host_key_type_name (type), fingerprint);

  return FALSE;
}

gboolean
paddock_ssh_session_dup_rejected_host_key (PaddockSshSession  *self,
                                           char              **key_type,
                                           char              **fingerprint,
                                           char              **trusted_fingerprint)
{
  gboolean any;

  g_return_val_if_fail (PADDOCK_IS_SSH_SESSION (self), FALSE);

  g_mutex_lock (&self->state_lock);
  any = self->rejected_key != NULL;
  if (key_type)
    *key_type = g_strdup (self->rejected_type);
  if (fingerprint)
    *fingerprint = g_strdup (self->rejected_fingerprint);
  if (trusted_fingerprint)
    *trusted_fingerprint = g_strdup (self->trusted_fingerprint);
  g_mutex_unlock (&self->state_lock);

  return any;
}

gboolean
paddock_ssh_session_trust_rejected_host_key (PaddockSshSession  *self,
                                             gboolean            replace_changed,
                                             GError            **error)
{
  g_autoptr(GBytes) key = NULL;
  g_autofree char *name = known_hosts_name (self);
  g_autofree char *trusted = NULL;
  g_autofree char *dir = NULL;
  LIBSSH2_SESSION *session;
  LIBSSH2_KNOWNHOSTS *known_hosts;
  int bits, rc;
  gboolean ok = FALSE;

  g_return_val_if_fail (PADDOCK_IS_SSH_SESSION (self), FALSE);

  g_mutex_lock (&self->state_lock);
  key = self->rejected_key ? g_bytes_ref (self->rejected_key) : NULL;
  bits = self->rejected_key_bits;
  trusted = g_strdup (self->trusted_fingerprint);
  g_mutex_unlock (&self->state_lock);

  if (key == NULL || self->known_hosts_path == NULL)
    {
      g_set_error_literal (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID, "No host key is waiting to be trusted");
      return FALSE;
    }
  if (trusted != NULL && !replace_changed)
    {
      g_set_error_literal (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_HOST_KEY_CHANGED,
                           "A changed host key is only replaced from the connection settings");
      return FALSE;
    }

  dir = g_path_get_dirname (self->known_hosts_path);
  g_mkdir_with_parents (dir, 0700);

  /* A throwaway session gives libssh2's known-hosts code its allocator; nothing connects. */
  session = libssh2_session_init ();
  known_hosts = libssh2_knownhost_init (session);

  if (g_file_test (self->known_hosts_path, G_FILE_TEST_EXISTS)
      && libssh2_knownhost_readfile (known_hosts, self->known_hosts_path, LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0)
    {
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_PROTOCOL,
                   "Could not read %s: %s", self->known_hosts_path, last_error (session));
      goto out;
    }

  if (replace_changed)
    {
      struct libssh2_knownhost *entry = NULL, *next = NULL;

      /* Drop the host's old entries. */
      while (libssh2_knownhost_get (known_hosts, &next, entry) == 0)
        {
          if (next->name != NULL && g_str_equal (next->name, name))
            {
              libssh2_knownhost_del (known_hosts, next);
              entry = NULL;
              continue;
            }
          entry = next;
        }
    }

  rc = libssh2_knownhost_addc (known_hosts, name, NULL, g_bytes_get_data (key, NULL), g_bytes_get_size (key),
                               "added by Paddock", strlen ("added by Paddock"),
                               LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | bits, NULL);
  if (rc != 0)
    {
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_PROTOCOL, "Could not add the host key: %s",
                   last_error (session));
      goto out;
    }

  {
    /* Written beside the file and renamed over it, so a crash leaves the old one whole. */
    g_autofree char *temporary = g_strconcat (self->known_hosts_path, ".paddock-new", NULL);

    if (libssh2_knownhost_writefile (known_hosts, temporary, LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0
        || g_rename (temporary, self->known_hosts_path) != 0)
      {
        g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_PROTOCOL, "Could not write %s",
                     self->known_hosts_path);
        g_unlink (temporary);
        goto out;
      }
  }

  g_mutex_lock (&self->state_lock);
  g_clear_pointer (&self->rejected_key, g_bytes_unref);
  g_mutex_unlock (&self->state_lock);
  ok = TRUE;

out:
  libssh2_knownhost_free (known_hosts);
  libssh2_session_free (session);
  return ok;
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
  g_autofree char *who = node_name (self);

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
  g_autofree char *who = node_name (self);
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
                   "The SSH handshake with %s failed: %s", who, last_error (session));
      _paddock_ssh_conn_unref (conn);
      return NULL;
    }

  if (!check_host_key (self, session, error) || !authenticate (self, session, error))
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
  int timeout = POLL_SLICE_MS;
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
    timeout = (int) CLAMP ((op->deadline - g_get_monotonic_time ()) / 1000, 0, POLL_SLICE_MS);

  poll (fds, n, timeout);

  if (n == 2)
    g_cancellable_release_fd (op->cancellable);

  if (g_cancellable_set_error_if_cancelled (op->cancellable, error))
    return FALSE;

  if (op->deadline && g_get_monotonic_time () >= op->deadline)
    {
      g_autofree char *who = node_name (op->self);

      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_TIMEOUT,
                   "%s on %s did not finish within %u s", op->what, who, (op->timeout_ms + 999) / 1000);
      return FALSE;
    }

  if (g_atomic_int_get (&op->conn->broken))
    {
      g_autofree char *who = node_name (op->self);

      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_DISCONNECTED,
                   "The connection to %s was lost during %s", who, op->what);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_connection_error (int rc)
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
  g_autofree char *who = node_name (op->self);
  g_autofree char *message = NULL;

  g_mutex_lock (&op->conn->lock);
  message = g_strdup (last_error (op->conn->session));
  g_mutex_unlock (&op->conn->lock);

  if (is_connection_error (rc))
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
static gboolean
op_reconnect (SshOp   *op,
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
      if (attempt == 0 && is_connection_error (rc))
        {
          if (!op_reconnect (op, error))
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

/* Running commands */

/* Lines read but not yet handed to the caller, at most (SPEC.md §2.2.1): past it the channel is
 * not read, its window fills and the command waits, so memory stays flat whatever it prints. */
#define MAX_PENDING_BYTES (1024 * 1024)

typedef struct
{
  char               *command;
  GBytes             *stdin_bytes;
  guint               timeout_ms;
  PaddockSshLineFunc  line_func;
  gpointer            line_data;
  GDestroyNotify      line_data_destroy;
  GMainContext       *context;
  GMutex              pending_lock;
  GCond               pending_cond;
  gsize               pending_bytes;   /* in batches on their way to the caller */
} ExecData;

static void
exec_data_free (gpointer data)
{
  ExecData *exec = data;

  g_free (exec->command);
  g_clear_pointer (&exec->stdin_bytes, g_bytes_unref);
  if (exec->line_data_destroy != NULL)
    exec->line_data_destroy (exec->line_data);
  g_clear_pointer (&exec->context, g_main_context_unref);
  g_mutex_clear (&exec->pending_lock);
  g_cond_clear (&exec->pending_cond);
  g_free (exec);
}

/* Lines on their way to the caller's main context, in order, a batch per read. */
typedef struct
{
  ExecData  *exec;
  GTask     *task;
  GPtrArray *lines;   /* char *, each prefixed by its stream ('o' or 'e') */
  gsize      bytes;
} LineBatch;

static gboolean
deliver_lines (gpointer data)
{
  LineBatch *batch = data;

  for (guint i = 0; i < batch->lines->len; i++)
    {
      const char *line = g_ptr_array_index (batch->lines, i);

      batch->exec->line_func (line[0] == 'e' ? PADDOCK_SSH_STDERR : PADDOCK_SSH_STDOUT, line + 1,
                              batch->exec->line_data);
    }

  /* The caller took them: the reader may read on. */
  g_mutex_lock (&batch->exec->pending_lock);
  batch->exec->pending_bytes -= batch->bytes;
  g_cond_signal (&batch->exec->pending_cond);
  g_mutex_unlock (&batch->exec->pending_lock);

  return G_SOURCE_REMOVE;
}

static void
line_batch_free (gpointer data)
{
  LineBatch *batch = data;

  g_ptr_array_unref (batch->lines);
  g_object_unref (batch->task);
  g_free (batch);
}

typedef struct
{
  GPtrArray *lines;
  char       stream;
} LineSink;

static void
collect_line (const char *line,
              gpointer    user_data)
{
  LineSink *sink = user_data;

  g_ptr_array_add (sink->lines, g_strdup_printf ("%c%s", sink->stream, line));
}

static void
flush_lines (ExecData  *exec,
             GTask     *task,
             GPtrArray *lines)
{
  LineBatch *batch;

  if (lines->len == 0)
    return;

  batch = g_new0 (LineBatch, 1);
  batch->exec = exec;
  batch->task = g_object_ref (task);   /* keeps exec alive until delivered */
  batch->lines = g_ptr_array_new_with_free_func (g_free);
  /* What the lines cost in memory, short lines' allocations included. */
  for (guint i = 0; i < lines->len; i++)
    batch->bytes += strlen (g_ptr_array_index (lines, i)) + 2 * sizeof (gpointer) + 16;
  g_ptr_array_extend_and_steal (batch->lines, g_ptr_array_ref (lines));
  g_ptr_array_set_size (lines, 0);

  g_mutex_lock (&exec->pending_lock);
  exec->pending_bytes += batch->bytes;
  g_mutex_unlock (&exec->pending_lock);

  g_main_context_invoke_full (exec->context, G_PRIORITY_DEFAULT, deliver_lines, batch, line_batch_free);
}

/* Backpressure: while the caller is behind, the channel is left unread (its window fills and
 * the remote command blocks on its output); cancellation and the deadline still apply. */
static gboolean
wait_for_consumer (SshOp     *op,
                   ExecData  *exec,
                   GError   **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&exec->pending_lock);
  while (exec->pending_bytes > MAX_PENDING_BYTES && ok)
    {
      g_cond_wait_until (&exec->pending_cond, &exec->pending_lock, g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);
      g_mutex_unlock (&exec->pending_lock);
      if (g_cancellable_set_error_if_cancelled (op->cancellable, error))
        ok = FALSE;
      else if (op->deadline && g_get_monotonic_time () >= op->deadline)
        ok = _paddock_ssh_op_wait (op, 0, error);  /* says it ran out of time */
      g_mutex_lock (&exec->pending_lock);
    }
  g_mutex_unlock (&exec->pending_lock);

  return ok;
}

static void
append_bounded (GByteArray *buffer,
                const char *data,
                gssize      length,
                gsize       max,
                gboolean   *truncated)
{
  gsize room = buffer->len < max ? max - buffer->len : 0;

  if ((gsize) length > room)
    *truncated = TRUE;
  g_byte_array_append (buffer, (const guint8 *) data, MIN ((gsize) length, room));
}

/* Runs one command on a channel; either collects its output or streams it as lines. */
static PaddockSshResult *
run_command (GTask         *task,
             SshOp         *op,
             ExecData      *exec,
             GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) err = g_byte_array_new ();
  g_autoptr(PaddockLineSplitter) out_lines = NULL;
  g_autoptr(PaddockLineSplitter) err_lines = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PaddockSshResult) result = g_new0 (PaddockSshResult, 1);
  LIBSSH2_CHANNEL *channel;
  char buffer[READ_CHUNK];
  gsize stdin_length = 0, written = 0;
  const char *stdin_data = exec->stdin_bytes ? g_bytes_get_data (exec->stdin_bytes, &stdin_length) : NULL;
  gboolean eof_sent = FALSE;
  int dirs = 0, rc = 0;

  if (exec->line_func != NULL)
    {
      out_lines = paddock_line_splitter_new ();
      err_lines = paddock_line_splitter_new ();
    }

  if (!(channel = _paddock_ssh_op_open_channel (op, error)))
    return NULL;

  if (!_paddock_ssh_op_start (op, channel, NULL, 0, 0, exec->command, error))
    goto fail;

  for (;;)
    {
      gboolean progress = FALSE, eof = FALSE;
      ssize_t n;

      if (exec->line_func != NULL && !wait_for_consumer (op, exec, error))
        goto fail;

      /* Feed stdin as the channel window allows, interleaved with reading, so a command
       * that answers while it reads never deadlocks against us. */
      if (!eof_sent)
        {
          if (written < stdin_length)
            {
              SSH_LOCKED (op, dirs, n = libssh2_channel_write (channel, stdin_data + written,
                                                               MIN (stdin_length - written, READ_CHUNK)));
              if (n > 0)
                {
                  written += n;
                  progress = TRUE;
                }
              else if (n != LIBSSH2_ERROR_EAGAIN && n < 0)
                {
                  _paddock_ssh_op_fail (op, n, "Sending input", error);
                  goto fail;
                }
            }
          if (written >= stdin_length)
            {
              SSH_LOCKED (op, dirs, rc = libssh2_channel_send_eof (channel));
              if (rc == 0)
                eof_sent = TRUE;
              else if (rc != LIBSSH2_ERROR_EAGAIN)
                {
                  _paddock_ssh_op_fail (op, rc, "Closing the input", error);
                  goto fail;
                }
            }
        }

      for (int stream = 0; stream < 2; stream++)
        {
          /* A fast command never lets the channel run dry: read a bounded amount, then hand the
           * lines over and look at the caller again. */
          for (gsize chunk_bytes = 0; chunk_bytes < MAX_PENDING_BYTES / 4;)
            {
              SSH_LOCKED (op, dirs, n = libssh2_channel_read_ex (channel, stream, buffer, sizeof buffer));
              if (n <= 0)
                break;
              chunk_bytes += n;
              progress = TRUE;
              if (exec->line_func != NULL)
                {
                  LineSink sink = { pending, stream ? 'e' : 'o' };

                  paddock_line_splitter_feed (stream ? err_lines : out_lines, buffer, n, collect_line, &sink);
                }
              else if (stream == 0)
                append_bounded (out, buffer, n, op->self->max_output, &result->out_truncated);
              else
                append_bounded (err, buffer, n, op->self->max_output, &result->err_truncated);
            }
          if (n < 0 && n != LIBSSH2_ERROR_EAGAIN)
            {
              _paddock_ssh_op_fail (op, n, "Reading the output", error);
              goto fail;
            }
        }

      if (exec->line_func != NULL)
        flush_lines (exec, task, pending);

      SSH_LOCKED (op, dirs, eof = libssh2_channel_eof (channel));
      if (eof)
        break;
      if (!progress && !_paddock_ssh_op_wait (op, dirs, error))
        goto fail;
      if (progress && g_cancellable_set_error_if_cancelled (op->cancellable, error))
        goto fail;
    }

  if (exec->line_func != NULL)
    {
      LineSink out_sink = { pending, 'o' };
      LineSink err_sink = { pending, 'e' };

      paddock_line_splitter_finish (out_lines, collect_line, &out_sink);
      paddock_line_splitter_finish (err_lines, collect_line, &err_sink);
      flush_lines (exec, task, pending);
    }

  /* The exit status arrives with the close. */
  for (;;)
    {
      SSH_LOCKED (op, dirs, rc = libssh2_channel_close (channel));
      if (rc == 0)
        SSH_LOCKED (op, dirs, rc = libssh2_channel_wait_closed (channel));
      if (rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto fail;
    }

  {
    char *signal_name = NULL;
    size_t signal_length = 0;

    g_mutex_lock (&op->conn->lock);
    result->exit_status = libssh2_channel_get_exit_status (channel);
    libssh2_channel_get_exit_signal (channel, &signal_name, &signal_length, NULL, NULL, NULL, NULL);
    if (signal_name != NULL)
      {
        result->exit_signal = g_strndup (signal_name, signal_length);
        result->exit_status = -1;
        libssh2_free (op->conn->session, signal_name);
      }
    g_mutex_unlock (&op->conn->lock);
    _paddock_ssh_op_close_channel (op, channel, TRUE);
  }

  result->out = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  result->err = g_byte_array_free_to_bytes (g_steal_pointer (&err));
  return g_steal_pointer (&result);

fail:
  _paddock_ssh_op_close_channel (op, channel, FALSE);
  return NULL;
}

static void
exec_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ExecData *exec = task_data;
  g_autofree char *what = NULL;
  PaddockSshResult *result;
  GError *error = NULL;
  SshOp op;

  what = g_strdup_printf ("“%.60s%s”", exec->command, strlen (exec->command) > 60 ? "…" : "");
  if (!_paddock_ssh_op_begin (&op, source_object, cancellable, exec->timeout_ms, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  result = run_command (task, &op, exec, &error);
  _paddock_ssh_op_end (&op);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) paddock_ssh_result_free);
}

PaddockSshResult *
_paddock_ssh_session_exec_sync (PaddockSshSession  *self,
                                const char         *command,
                                GBytes             *stdin_bytes,
                                guint               timeout_ms,
                                GCancellable       *cancellable,
                                GError            **error)
{
  ExecData exec = { .command = (char *) command, .stdin_bytes = stdin_bytes, .timeout_ms = timeout_ms };
  g_autofree char *what = g_strdup_printf ("“%.60s%s”", command, strlen (command) > 60 ? "…" : "");
  PaddockSshResult *result;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, self, cancellable, timeout_ms, what, error))
    return NULL;

  result = run_command (NULL, &op, &exec, error);
  _paddock_ssh_op_end (&op);

  return result;
}

static GTask *
exec_task_new (PaddockSshSession   *self,
               gpointer             source_tag,
               const char          *command,
               GBytes              *stdin_bytes,
               guint                timeout_ms,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ExecData *exec = g_new0 (ExecData, 1);

  g_mutex_init (&exec->pending_lock);
  g_cond_init (&exec->pending_cond);
  exec->command = g_strdup (command);
  exec->stdin_bytes = stdin_bytes ? g_bytes_ref (stdin_bytes) : NULL;
  exec->timeout_ms = timeout_ms;
  exec->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, exec, exec_data_free);

  return task;
}

/**
 * paddock_ssh_session_exec_async:
 * @command: a command line for the node's shell; build it with paddock_shell_join()
 * @stdin_bytes: (nullable): sent to the command, then end of input
 *
 * Runs @command on the node and collects its exit status and output (up to max-output
 * bytes per stream; the rest is read and dropped, and the result says so).
 */
void
paddock_ssh_session_exec_async (PaddockSshSession   *self,
                                const char          *command,
                                GBytes              *stdin_bytes,
                                guint                timeout_ms,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (command != NULL);

  task = exec_task_new (self, paddock_ssh_session_exec_async, command, stdin_bytes, timeout_ms,
                        cancellable, callback, user_data);
  g_task_run_in_thread (task, exec_thread);
}

PaddockSshResult *
paddock_ssh_session_exec_finish (PaddockSshSession  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * paddock_ssh_session_exec_streaming_async:
 * @line_func: called on the caller's main context for every complete line, in order, before
 *   @callback
 *
 * Runs @command and delivers its output line by line as it arrives: partial lines wait for
 * their end, "\r\n" counts as a line end, invalid UTF-8 is replaced, and a last line
 * without a newline is delivered too.
 */
void
paddock_ssh_session_exec_streaming_async (PaddockSshSession   *self,
                                          const char          *command,
                                          GBytes              *stdin_bytes,
                                          guint                timeout_ms,
                                          PaddockSshLineFunc   line_func,
                                          gpointer             line_data,
                                          GDestroyNotify       line_data_destroy,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExecData *exec;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (line_func != NULL);

  task = exec_task_new (self, paddock_ssh_session_exec_streaming_async, command, stdin_bytes, timeout_ms,
                        cancellable, callback, user_data);
  exec = g_task_get_task_data (task);
  exec->line_func = line_func;
  exec->line_data = line_data;
  exec->line_data_destroy = line_data_destroy;
  g_task_run_in_thread (task, exec_thread);
}

gboolean
paddock_ssh_session_exec_streaming_finish (PaddockSshSession  *self,
                                           GAsyncResult       *result,
                                           int                *exit_status,
                                           GError            **error)
{
  g_autoptr(PaddockSshResult) ssh_result = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(ssh_result = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;
  if (exit_status != NULL)
    *exit_status = ssh_result->exit_status;

  return TRUE;
}

/* SFTP */

typedef struct
{
  char   *path;
  GBytes *content;
  guint   mode;
} TransferData;

static void
transfer_data_free (gpointer data)
{
  TransferData *transfer = data;

  g_free (transfer->path);
  g_clear_pointer (&transfer->content, g_bytes_unref);
  g_free (transfer);
}

static LIBSSH2_SFTP *
sftp_start (SshOp   *op,
            GError **error)
{
  LIBSSH2_SFTP *sftp = NULL;
  int dirs = 0, rc = 0;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      gboolean waited = TRUE;

      /* Its state is the session's too: one at a time, like opening a channel. */
      g_mutex_lock (&op->conn->open_lock);
      for (;;)
        {
          SSH_LOCKED (op, dirs, {
            sftp = libssh2_sftp_init (op->conn->session);
            rc = sftp ? 0 : libssh2_session_last_errno (op->conn->session);
          });
          if (sftp != NULL || rc != LIBSSH2_ERROR_EAGAIN || !(waited = _paddock_ssh_op_wait (op, dirs, error)))
            break;
        }
      g_mutex_unlock (&op->conn->open_lock);
      if (!waited)
        return NULL;
      if (sftp != NULL)
        return sftp;

      if (attempt == 0 && is_connection_error (rc))
        {
          if (!op_reconnect (op, error))
            return NULL;
          continue;
        }
      break;
    }

  _paddock_ssh_op_fail (op, rc, "Starting SFTP", error);
  return NULL;
}

static void
sftp_stop (SshOp        *op,
           LIBSSH2_SFTP *sftp)
{
  int rc = 0;

  SSH_RETRY_BRIEFLY (op, 100, rc, libssh2_sftp_shutdown (sftp));
}

static gboolean
sftp_fail (SshOp         *op,
           LIBSSH2_SFTP  *sftp,
           int            rc,
           const char    *action,
           const char    *path,
           GError       **error)
{
  g_autofree char *who = node_name (op->self);

  if (rc == LIBSSH2_ERROR_SFTP_PROTOCOL)
    {
      static const char *reasons[] = {
        "ok", "end of file", "no such file", "permission denied", "failure", "bad message",
        "no connection", "connection lost", "operation unsupported",
      };
      unsigned long code;

      g_mutex_lock (&op->conn->lock);
      code = libssh2_sftp_last_error (sftp);
      g_mutex_unlock (&op->conn->lock);
      g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_SFTP, "%s %s on %s: %s", action, path, who,
                   code < G_N_ELEMENTS (reasons) ? reasons[code] : "failure");
      return FALSE;
    }

  return _paddock_ssh_op_fail (op, rc, action, error);
}

static gboolean
sftp_unlink (SshOp        *op,
             LIBSSH2_SFTP *sftp,
             const char   *path)
{
  int rc = 0;

  SSH_RETRY_BRIEFLY (op, 200, rc, libssh2_sftp_unlink_ex (sftp, path, strlen (path)));

  return rc == 0;
}

static gboolean
upload (SshOp         *op,
        TransferData  *transfer,
        GError       **error)
{
  g_autofree char *temporary = NULL;
  g_autofree char *dir = g_path_get_dirname (transfer->path);
  g_autofree char *base = g_path_get_basename (transfer->path);
  LIBSSH2_SFTP *sftp;
  LIBSSH2_SFTP_HANDLE *handle = NULL;
  LIBSSH2_SFTP_ATTRIBUTES attributes = { 0 };
  gsize length = 0, written = 0;
  const char *data = g_bytes_get_data (transfer->content, &length);
  gboolean ok = FALSE;
  int dirs = 0, rc = 0;

  if (!(sftp = sftp_start (op, error)))
    return FALSE;

  /* Beside the target, so the rename stays on one file system and is atomic. */
  temporary = g_strdup_printf ("%s/.%s.paddock-%08x", dir, base, g_random_int ());

  for (;;)
    {
      SSH_LOCKED (op, dirs, {
        handle = libssh2_sftp_open_ex (sftp, temporary, strlen (temporary),
                                       LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL,
                                       transfer->mode & 0777, LIBSSH2_SFTP_OPENFILE);
        rc = handle ? 0 : libssh2_session_last_errno (op->conn->session);
      });
      if (handle != NULL || rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto out;
    }
  if (handle == NULL)
    {
      sftp_fail (op, sftp, rc, "Creating", temporary, error);
      goto out;
    }

  while (written < length)
    {
      ssize_t n;

      SSH_LOCKED (op, dirs, n = libssh2_sftp_write (handle, data + written, MIN (length - written, READ_CHUNK)));
      if (n > 0)
        written += n;
      else if (n == LIBSSH2_ERROR_EAGAIN)
        {
          if (!_paddock_ssh_op_wait (op, dirs, error))
            goto out;
        }
      else
        {
          sftp_fail (op, sftp, n, "Writing", temporary, error);
          goto out;
        }
    }

  for (;;)
    {
      SSH_LOCKED (op, dirs, rc = libssh2_sftp_close_handle (handle));
      if (rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto out;
    }
  handle = NULL;
  if (rc != 0)
    {
      sftp_fail (op, sftp, rc, "Closing", temporary, error);
      goto out;
    }

  /* The mode exactly as asked, whatever the server's umask did at open. */
  attributes.flags = LIBSSH2_SFTP_ATTR_PERMISSIONS;
  attributes.permissions = transfer->mode & 07777;
  for (;;)
    {
      SSH_LOCKED (op, dirs, rc = libssh2_sftp_stat_ex (sftp, temporary, strlen (temporary),
                                                         LIBSSH2_SFTP_SETSTAT, &attributes));
      if (rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto out;
    }
  if (rc != 0)
    {
      sftp_fail (op, sftp, rc, "Setting the mode of", temporary, error);
      goto out;
    }

  /* SFTP v3 renames refuse an existing target; POSIX rename(2) through mv replaces it in one step. */
  {
    const char *argv[] = { "mv", "-f", "--", temporary, transfer->path, NULL };
    g_autofree char *command = paddock_shell_join (argv, error);
    ExecData exec = { .command = command };
    g_autoptr(PaddockSshResult) result = NULL;

    if (command == NULL || !(result = run_command (NULL, op, &exec, error)))
      goto out;
    if (result->exit_status != 0)
      {
        g_autofree char *stderr_text = paddock_ssh_result_dup_err_text (result);
        g_autofree char *who = node_name (op->self);

        g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_SFTP, "Could not put %s in place on %s: %s",
                     transfer->path, who, g_strstrip (stderr_text));
        goto out;
      }
  }

  ok = TRUE;

out:
  if (handle != NULL)
    SSH_RETRY_BRIEFLY (op, 100, rc, libssh2_sftp_close_handle (handle));
  if (!ok && !g_atomic_int_get (&op->conn->broken))
    sftp_unlink (op, sftp, temporary);
  sftp_stop (op, sftp);
  return ok;
}

gboolean
_paddock_ssh_session_upload_sync (PaddockSshSession  *self,
                                  const char         *path,
                                  GBytes             *content,
                                  guint               mode,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  TransferData transfer = { .path = (char *) path, .content = content, .mode = mode };
  g_autofree char *what = g_strdup_printf ("the upload of %s", path);
  gboolean ok;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, self, cancellable, 0, what, error))
    return FALSE;

  ok = upload (&op, &transfer, error);
  _paddock_ssh_op_end (&op);

  return ok;
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TransferData *transfer = task_data;
  g_autofree char *what = g_strdup_printf ("the upload of %s", transfer->path);
  GError *error = NULL;
  gboolean ok;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, source_object, cancellable, 0, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  ok = upload (&op, transfer, &error);
  _paddock_ssh_op_end (&op);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
paddock_ssh_session_upload_async (PaddockSshSession   *self,
                                  const char          *path,
                                  GBytes              *content,
                                  guint                mode,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TransferData *transfer;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (path != NULL && content != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_ssh_session_upload_async);

  if (path[0] != '/' || strstr (path, "/../") != NULL || g_str_has_suffix (path, "/..")
      || !paddock_shell_check_argument (path, -1, NULL))
    {
      g_task_return_new_error (task, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_INVALID,
                               "“%s” is not an absolute path without “..”", path);
      return;
    }

  transfer = g_new0 (TransferData, 1);
  transfer->path = g_strdup (path);
  transfer->content = g_bytes_ref (content);
  transfer->mode = mode;
  g_task_set_task_data (task, transfer, transfer_data_free);
  g_task_run_in_thread (task, upload_thread);
}

gboolean
paddock_ssh_session_upload_finish (PaddockSshSession  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GBytes *
download (SshOp         *op,
          TransferData  *transfer,
          GError       **error)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  LIBSSH2_SFTP *sftp;
  LIBSSH2_SFTP_HANDLE *handle = NULL;
  char buffer[READ_CHUNK];
  GBytes *bytes = NULL;
  int dirs = 0, rc = 0;

  if (!(sftp = sftp_start (op, error)))
    return NULL;

  for (;;)
    {
      SSH_LOCKED (op, dirs, {
        handle = libssh2_sftp_open_ex (sftp, transfer->path, strlen (transfer->path), LIBSSH2_FXF_READ, 0,
                                       LIBSSH2_SFTP_OPENFILE);
        rc = handle ? 0 : libssh2_session_last_errno (op->conn->session);
      });
      if (handle != NULL || rc != LIBSSH2_ERROR_EAGAIN)
        break;
      if (!_paddock_ssh_op_wait (op, dirs, error))
        goto out;
    }
  if (handle == NULL)
    {
      sftp_fail (op, sftp, rc, "Opening", transfer->path, error);
      goto out;
    }

  for (;;)
    {
      ssize_t n;

      SSH_LOCKED (op, dirs, n = libssh2_sftp_read (handle, buffer, sizeof buffer));
      if (n == 0)
        break;
      if (n == LIBSSH2_ERROR_EAGAIN)
        {
          if (!_paddock_ssh_op_wait (op, dirs, error))
            goto out;
          continue;
        }
      if (n < 0)
        {
          sftp_fail (op, sftp, n, "Reading", transfer->path, error);
          goto out;
        }
      if (content->len + n > op->self->max_output)
        {
          g_autofree char *who = node_name (op->self);

          g_set_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_SFTP, "%s on %s is larger than %" G_GSIZE_FORMAT " bytes",
                       transfer->path, who, op->self->max_output);
          goto out;
        }
      g_byte_array_append (content, (const guint8 *) buffer, n);
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&content));

out:
  if (handle != NULL)
    SSH_RETRY_BRIEFLY (op, 100, rc, libssh2_sftp_close_handle (handle));
  sftp_stop (op, sftp);
  return bytes;
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  TransferData *transfer = task_data;
  g_autofree char *what = g_strdup_printf ("the download of %s", transfer->path);
  GError *error = NULL;
  GBytes *bytes;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, source_object, cancellable, 0, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  bytes = download (&op, transfer, &error);
  _paddock_ssh_op_end (&op);

  if (bytes != NULL)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

void
paddock_ssh_session_download_async (PaddockSshSession   *self,
                                    const char          *path,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TransferData *transfer;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_ssh_session_download_async);
  transfer = g_new0 (TransferData, 1);
  transfer->path = g_strdup (path);
  g_task_set_task_data (task, transfer, transfer_data_free);
  g_task_run_in_thread (task, download_thread);
}

GBytes *
paddock_ssh_session_download_finish (PaddockSshSession  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Interactive channels */

typedef struct
{
  char         *command;
  char         *term;
  guint         columns;
  guint         rows;
  GMainContext *context;
} PtyData;

static void
pty_data_free (gpointer data)
{
  PtyData *pty = data;

  g_free (pty->command);
  g_free (pty->term);
  g_main_context_unref (pty->context);
  g_free (pty);
}

static void
open_pty_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PtyData *pty = task_data;
  LIBSSH2_CHANNEL *channel = NULL;
  GError *error = NULL;
  SshOp op;

  if (!_paddock_ssh_op_begin (&op, source_object, cancellable, 30000, "opening a terminal", &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!(channel = _paddock_ssh_op_open_channel (&op, &error)))
    goto fail;

  if (!_paddock_ssh_op_start (&op, channel, pty->term, pty->columns, pty->rows, pty->command, &error))
    goto fail;

  g_task_return_pointer (task, _paddock_ssh_pty_new (source_object, op.conn, channel, pty->context), g_object_unref);
  _paddock_ssh_op_end (&op);
  return;

fail:
  _paddock_ssh_op_close_channel (&op, channel, FALSE);
  _paddock_ssh_op_end (&op);
  g_task_return_error (task, error);
}

void
paddock_ssh_session_open_pty_async (PaddockSshSession   *self,
                                    const char          *command,
                                    const char          *term,
                                    guint                columns,
                                    guint                rows,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PtyData *pty;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_ssh_session_open_pty_async);
  pty = g_new0 (PtyData, 1);
  pty->command = g_strdup (command);
  pty->term = g_strdup (term ? term : "xterm-256color");
  pty->columns = columns ? columns : 80;
  pty->rows = rows ? rows : 24;
  pty->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, pty, pty_data_free);
  g_task_run_in_thread (task, open_pty_thread);
}

PaddockSshPty *
paddock_ssh_session_open_pty_finish (PaddockSshSession  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
