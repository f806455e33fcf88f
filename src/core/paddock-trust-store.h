/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-trust-store.h: where the API client finds the TLS certificate pinned for a host:port */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PADDOCK_TYPE_TRUST_STORE (paddock_trust_store_get_type ())

G_DECLARE_INTERFACE (PaddockTrustStore, paddock_trust_store, PADDOCK, TRUST_STORE, GObject)

struct _PaddockTrustStoreInterface
{
  GTypeInterface parent_iface;

  /* Called during a TLS handshake on the caller's thread: must answer from memory, never block. */
  char     *(*lookup_pin) (PaddockTrustStore *self,
                           const char        *host,
                           guint16            port);
  /* Records a pin in memory at once; persisting it may complete later. */
  void      (*set_pin)    (PaddockTrustStore *self,
                           const char        *host,
                           guint16            port,
                           const char        *sha256,
                           const char        *subject);
  void      (*remove_pin) (PaddockTrustStore *self,
                           const char        *host,
                           guint16            port);
};

char *paddock_trust_store_lookup_pin (PaddockTrustStore *self,
                                      const char        *host,
                                      guint16            port);
void  paddock_trust_store_set_pin    (PaddockTrustStore *self,
                                      const char        *host,
                                      guint16            port,
                                      const char        *sha256,
                                      const char        *subject);
void  paddock_trust_store_remove_pin (PaddockTrustStore *self,
                                      const char        *host,
                                      guint16            port);

G_END_DECLS
