/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-error.h: the error domains of libpaddock-core, one per subsystem */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PADDOCK_STORE_ERROR (paddock_store_error_quark ())
#define PADDOCK_SECRETS_ERROR (paddock_secrets_error_quark ())

/**
 * PaddockStoreError:
 * @PADDOCK_STORE_ERROR_OPEN: the database file could not be opened or created
 * @PADDOCK_STORE_ERROR_CORRUPT: the file is not a database, or fails its integrity check
 * @PADDOCK_STORE_ERROR_TOO_NEW: the database was written by a newer Paddock
 * @PADDOCK_STORE_ERROR_MIGRATION: a schema migration failed (the database is left unchanged)
 * @PADDOCK_STORE_ERROR_BUSY: another process held the database for too long
 * @PADDOCK_STORE_ERROR_NOT_FOUND: the requested row does not exist
 * @PADDOCK_STORE_ERROR_EXISTS: a row with the same unique key exists
 * @PADDOCK_STORE_ERROR_LOCKED: another operation holds the container's lock
 * @PADDOCK_STORE_ERROR_INVALID: the value cannot be stored (constraint)
 * @PADDOCK_STORE_ERROR_FAILED: any other SQLite failure
 */
typedef enum
{
  PADDOCK_STORE_ERROR_OPEN = 1,
  PADDOCK_STORE_ERROR_CORRUPT,
  PADDOCK_STORE_ERROR_TOO_NEW,
  PADDOCK_STORE_ERROR_MIGRATION,
  PADDOCK_STORE_ERROR_BUSY,
  PADDOCK_STORE_ERROR_NOT_FOUND,
  PADDOCK_STORE_ERROR_EXISTS,
  PADDOCK_STORE_ERROR_LOCKED,
  PADDOCK_STORE_ERROR_INVALID,
  PADDOCK_STORE_ERROR_FAILED,
} PaddockStoreError;

/**
 * PaddockSecretsError:
 * @PADDOCK_SECRETS_ERROR_NO_SERVICE: no Secret Service (keyring) is running on the session bus
 * @PADDOCK_SECRETS_ERROR_LOCKED: the keyring is locked and the user did not unlock it
 * @PADDOCK_SECRETS_ERROR_FAILED: the keyring refused the request
 */
typedef enum
{
  PADDOCK_SECRETS_ERROR_NO_SERVICE = 1,
  PADDOCK_SECRETS_ERROR_LOCKED,
  PADDOCK_SECRETS_ERROR_FAILED,
} PaddockSecretsError;

GQuark paddock_store_error_quark   (void);
GQuark paddock_secrets_error_quark (void);

G_END_DECLS
