/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-secrets.h: passwords, token secrets and passphrases in the Secret Service (keyring) */

#pragma once

#include <gio/gio.h>

#include "paddock-error.h"

G_BEGIN_DECLS

#define PADDOCK_SECRETS_SCHEMA_NAME "app.paddock.Paddock.Secret"

typedef enum
{
  PADDOCK_SECRET_TOKEN,              /* API token secret of a connection */
  PADDOCK_SECRET_PASSWORD,           /* login password of a connection */
  PADDOCK_SECRET_SSH_PASSWORD,       /* SSH password for a node */
  PADDOCK_SECRET_SSH_KEY_PASSPHRASE, /* passphrase of an SSH key file */
  PADDOCK_SECRET_ROOT_PASSWORD,      /* generated root password of a container */
  PADDOCK_SECRET_CREDENTIAL,         /* an app credential the user chose to keep */
} PaddockSecretKind;

#define PADDOCK_TYPE_SECRETS (paddock_secrets_get_type ())

G_DECLARE_FINAL_TYPE (PaddockSecrets, paddock_secrets, PADDOCK, SECRETS, GObject)

PaddockSecrets *paddock_secrets_new              (void);
gboolean        paddock_secrets_get_session_only (PaddockSecrets       *self);
void            paddock_secrets_set_session_only (PaddockSecrets       *self,
                                                  gboolean              session_only);
void            paddock_secrets_store_async      (PaddockSecrets       *self,
                                                  PaddockSecretKind     kind,
                                                  gint64                connection_id,
                                                  const char           *node,
                                                  const char           *key,
                                                  const char           *label,
                                                  const char           *secret,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        paddock_secrets_store_finish     (PaddockSecrets       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            paddock_secrets_lookup_async     (PaddockSecrets       *self,
                                                  PaddockSecretKind     kind,
                                                  gint64                connection_id,
                                                  const char           *node,
                                                  const char           *key,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char           *paddock_secrets_lookup_finish    (PaddockSecrets       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            paddock_secrets_clear_async      (PaddockSecrets       *self,
                                                  PaddockSecretKind     kind,
                                                  gint64                connection_id,
                                                  const char           *node,
                                                  const char           *key,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        paddock_secrets_clear_finish     (PaddockSecrets       *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
/* A secret string that is wiped from memory when freed: g_autoptr(PaddockSecret). */
typedef char PaddockSecret;

void            paddock_secret_free              (PaddockSecret        *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockSecret, paddock_secret_free)

G_END_DECLS
