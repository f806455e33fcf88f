/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-trust-store.c: where the API client finds the TLS certificate pinned for a host:port */

#include "config.h"

#include "paddock-trust-store.h"

G_DEFINE_INTERFACE (PaddockTrustStore, paddock_trust_store, G_TYPE_OBJECT)

static void
paddock_trust_store_default_init (PaddockTrustStoreInterface *iface)
{
}

/**
 * paddock_trust_store_lookup_pin:
 *
 * Returns: (transfer full) (nullable): the pinned SHA-256 fingerprint (lower-case colon hex),
 *   or %NULL when nothing is pinned for @host:@port
 */
char *
paddock_trust_store_lookup_pin (PaddockTrustStore *self,
                                const char        *host,
                                guint16            port)
{
  g_return_val_if_fail (PADDOCK_IS_TRUST_STORE (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  return PADDOCK_TRUST_STORE_GET_IFACE (self)->lookup_pin (self, host, port);
}

void
paddock_trust_store_set_pin (PaddockTrustStore *self,
                             const char        *host,
                             guint16            port,
                             const char        *sha256,
                             const char        *subject)
{
  g_return_if_fail (PADDOCK_IS_TRUST_STORE (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (sha256 != NULL);

  PADDOCK_TRUST_STORE_GET_IFACE (self)->set_pin (self, host, port, sha256, subject);
}

void
paddock_trust_store_remove_pin (PaddockTrustStore *self,
                                const char        *host,
                                guint16            port)
{
  g_return_if_fail (PADDOCK_IS_TRUST_STORE (self));
  g_return_if_fail (host != NULL);

  PADDOCK_TRUST_STORE_GET_IFACE (self)->remove_pin (self, host, port);
}
