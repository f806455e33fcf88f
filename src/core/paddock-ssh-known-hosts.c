/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-known-hosts.c: a node's host key against Paddock's own known_hosts file (OpenSSH
 * format): unknown keys wait for the user's trust, changed ones are refused */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include <glib/gstdio.h>

#include "paddock-ssh-private.h"

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

gboolean
_paddock_ssh_check_host_key (PaddockSshSession  *self,
                             LIBSSH2_SESSION    *session,
                             GError            **error)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *trusted = NULL;
  g_autofree char *who = _paddock_ssh_node_name (self);
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
                   "Could not read the known hosts file %s: %s", self->known_hosts_path, _paddock_ssh_last_error (session));
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
                   "Could not read %s: %s", self->known_hosts_path, _paddock_ssh_last_error (session));
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
                   _paddock_ssh_last_error (session));
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

static void
trust_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (paddock_ssh_session_trust_rejected_host_key (source_object, GPOINTER_TO_INT (task_data), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The same, with the file read and written on a worker thread (for the window). */
void
paddock_ssh_session_trust_rejected_host_key_async (PaddockSshSession   *self,
                                                   gboolean             replace_changed,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PADDOCK_IS_SSH_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_ssh_session_trust_rejected_host_key_async);
  g_task_set_task_data (task, GINT_TO_POINTER (!!replace_changed), NULL);
  g_task_run_in_thread (task, trust_thread);
}

gboolean
paddock_ssh_session_trust_rejected_host_key_finish (PaddockSshSession  *self,
                                                    GAsyncResult       *result,
                                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
