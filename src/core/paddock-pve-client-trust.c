/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-client-trust.c: whether the client talks to the server the user trusted: the pin of
 * host:port, the imported cluster CA, the system's CA store, checked on every TLS handshake */

#include "config.h"

#include "paddock-pve-client-private.h"

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

/* Whether the system's CA store (or the one a test gave) vouches for @certificate as @host. */
static gboolean
system_trusts (PaddockPveClient *self,
               GTlsCertificate  *certificate)
{
  GTlsDatabase *database = self->system_database;
  g_autoptr(GSocketConnectable) identity = g_network_address_new (self->host, self->port);
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  if (database == NULL)
    database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  if (database == NULL)
    return FALSE;

  flags = g_tls_database_verify_chain (database, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                       identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  if (database != self->system_database)
    g_object_unref (database);

  return error == NULL && flags == 0;
}

/* The session has no CA database of its own, so that this runs on every TLS handshake, a
 * CA-valid certificate included: a pin for host:port is compared first and wins either way (a
 * different certificate is refused even when a CA vouches for it); without a pin, the imported
 * cluster CA or the system's CA store may vouch. @errors is always "unknown CA" here. */
gboolean
_paddock_pve_client_accept_certificate (SoupMessage          *msg,
                                        GTlsCertificate      *certificate,
                                        GTlsCertificateFlags  errors,
                                        PaddockPveClient     *self)
{
  g_autofree char *sha256 = certificate_sha256 (certificate);
  g_autofree char *pinned = NULL;
  PaddockCertificateInfo *info;

  g_assert (PADDOCK_IS_PVE_CLIENT (self));

  if (self->expected_pin != NULL)
    pinned = g_strdup (self->expected_pin);
  else if (self->trust_store != NULL)
    pinned = paddock_trust_store_lookup_pin (self->trust_store, self->host, self->port);

  if (pinned != NULL)
    {
      if (g_ascii_strcasecmp (pinned, sha256) == 0)
        return TRUE;
    }
  /* Issued by the cluster CA the user imported: every node of that cluster is trusted at once
   * (node certificates name the node, not the address Paddock uses: identity is not checked). */
  else if (self->cluster_ca != NULL &&
           (g_tls_certificate_verify (certificate, NULL, self->cluster_ca) & ~G_TLS_CERTIFICATE_BAD_IDENTITY) == 0)
    return TRUE;
  else if (system_trusts (self, certificate))
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

/* For tests: a CA store that stands in for the system's. */
void
_paddock_pve_client_set_system_database (PaddockPveClient *self,
                                         GTlsDatabase     *database)
{
  g_set_object (&self->system_database, database);
}

/**
 * paddock_pve_client_set_expected_pin:
 * @sha256: (nullable): the fingerprint the user expects, or %NULL for the trust store's pin
 *
 * Checks the server against a fingerprint without saving it: a connection is tested with the
 * fingerprint the user gave, and the pin is kept only when the test succeeded (a wrong one must
 * not stay behind as the pin of host:port).
 */
void
paddock_pve_client_set_expected_pin (PaddockPveClient *self,
                                     const char       *sha256)
{
  g_return_if_fail (PADDOCK_IS_PVE_CLIENT (self));

  g_free (self->expected_pin);
  self->expected_pin = g_strdup (sha256);
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
