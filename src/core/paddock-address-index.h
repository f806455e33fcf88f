/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-address-index.h: the IP addresses of containers, for searching by address
 *
 * /cluster/resources carries no addresses, and the list never costs one request per container
 * (SPEC.md §3.1). So addresses are learnt only when wanted: a search for an address asks for
 * the configurations (static netN addresses) and, for running DHCP containers, the interfaces
 * of the containers not known yet, a few at a time, once per session. */

#pragma once

#include "paddock-cluster.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_ADDRESS_INDEX (paddock_address_index_get_type ())

G_DECLARE_FINAL_TYPE (PaddockAddressIndex, paddock_address_index, PADDOCK, ADDRESS_INDEX, GObject)

PaddockAddressIndex *paddock_address_index_new         (void);
/* The known addresses of @guest ("192.168.1.11/24 10.0.0.5/24"), or NULL while unknown. */
const char          *paddock_address_index_lookup      (PaddockAddressIndex *self,
                                                        PaddockGuest        *guest);
/* Records what a detail view learnt anyway (NULL-terminated CIDR strings). */
void                 paddock_address_index_set         (PaddockAddressIndex *self,
                                                        PaddockGuest        *guest,
                                                        const char * const  *addresses);
/* Starts learning the addresses of every guest of @cluster not known yet; "changed" is
 * emitted as they arrive, "pending" counts what is still being asked. */
void                 paddock_address_index_learn       (PaddockAddressIndex *self,
                                                        PaddockCluster      *cluster);
guint                paddock_address_index_get_pending (PaddockAddressIndex *self);
/* Whether @text looks like (part of) an IP address: worth learning addresses for. */
gboolean             paddock_address_index_is_address_query (const char     *text);

G_END_DECLS
