/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-guest-private.h: how the core creates and refreshes guests */

#pragma once

#include "paddock-guest.h"
#include "paddock-pve-parse-private.h"

G_BEGIN_DECLS

PaddockGuest *_paddock_guest_new_from_record (gint64                    connection_id,
                                              const PaddockGuestRecord *record);
/* Copies what changed and notifies only those properties; returns whether anything changed. */
gboolean      _paddock_guest_update          (PaddockGuest             *self,
                                              const PaddockGuestRecord *record);

void          _paddock_guest_set_busy        (PaddockGuest             *self,
                                              gboolean                  busy);
void          _paddock_guest_set_offline     (PaddockGuest             *self,
                                              gboolean                  offline);

G_END_DECLS
