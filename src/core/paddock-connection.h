/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-connection.h: one Proxmox VE cluster or node Paddock connects to (no secrets) */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PADDOCK_AUTH_TOKEN,
  PADDOCK_AUTH_PASSWORD,
} PaddockAuthKind;

#define PADDOCK_TYPE_CONNECTION (paddock_connection_get_type ())

G_DECLARE_FINAL_TYPE (PaddockConnection, paddock_connection, PADDOCK, CONNECTION, GObject)

PaddockConnection *paddock_connection_new           (const char        *name,
                                                     const char        *host,
                                                     guint16            port,
                                                     PaddockAuthKind    auth_kind,
                                                     const char        *username,
                                                     const char        *token_id);
gint64             paddock_connection_get_id        (PaddockConnection *self);
void               paddock_connection_set_id        (PaddockConnection *self,
                                                     gint64             id);
const char        *paddock_connection_get_name      (PaddockConnection *self);
void               paddock_connection_set_name      (PaddockConnection *self,
                                                     const char        *name);
const char        *paddock_connection_get_host      (PaddockConnection *self);
guint16            paddock_connection_get_port      (PaddockConnection *self);
PaddockAuthKind    paddock_connection_get_auth_kind (PaddockConnection *self);
const char        *paddock_connection_get_username  (PaddockConnection *self);
const char        *paddock_connection_get_token_id  (PaddockConnection *self);
gboolean           paddock_connection_get_is_default (PaddockConnection *self);
void               paddock_connection_set_is_default (PaddockConnection *self,
                                                      gboolean           is_default);
gint64             paddock_connection_get_created_at (PaddockConnection *self);
void               paddock_connection_set_created_at (PaddockConnection *self,
                                                      gint64             created_at);
const char        *paddock_auth_kind_to_string      (PaddockAuthKind    kind);
gboolean           paddock_auth_kind_from_string    (const char        *str,
                                                     PaddockAuthKind   *kind);

G_END_DECLS
