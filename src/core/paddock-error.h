/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-error.h: the error domains of libpaddock-core, one per subsystem */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PADDOCK_PVE_ERROR (paddock_pve_error_quark ())
#define PADDOCK_STORE_ERROR (paddock_store_error_quark ())
#define PADDOCK_SECRETS_ERROR (paddock_secrets_error_quark ())
#define PADDOCK_SSH_ERROR (paddock_ssh_error_quark ())
#define PADDOCK_PROBE_ERROR (paddock_probe_error_quark ())
#define PADDOCK_JOB_ERROR (paddock_job_error_quark ())

/**
 * PaddockPveError:
 * @PADDOCK_PVE_ERROR_AUTH: the credentials were refused (401)
 * @PADDOCK_PVE_ERROR_TFA_REQUIRED: the login needs a second factor; complete it with a code
 * @PADDOCK_PVE_ERROR_PERMISSION: the user or token lacks a privilege (403)
 * @PADDOCK_PVE_ERROR_NOT_FOUND: the node, container, task or volume does not exist
 * @PADDOCK_PVE_ERROR_PARAMETER: Proxmox rejected a parameter (400); the message names it
 * @PADDOCK_PVE_ERROR_CONFLICT: the object already exists (e.g. a VMID in use)
 * @PADDOCK_PVE_ERROR_ALREADY_RUNNING: the container is already running
 * @PADDOCK_PVE_ERROR_NOT_RUNNING: the container is not running
 * @PADDOCK_PVE_ERROR_LOCKED: the container's configuration is locked (backup, create, …)
 * @PADDOCK_PVE_ERROR_SERVER: any other failure reported by Proxmox (5xx)
 * @PADDOCK_PVE_ERROR_UNREACHABLE: the host or the node behind it cannot be reached (596, refused)
 * @PADDOCK_PVE_ERROR_TIMEOUT: no answer in time, or a task did not finish in time
 * @PADDOCK_PVE_ERROR_PROTOCOL: the answer is not what Proxmox sends (bad JSON, unknown shape)
 * @PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE: a certificate nobody pinned yet; ask the user
 * @PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED: the certificate differs from the pinned one
 * @PADDOCK_PVE_ERROR_TASK_FAILED: a task ended with an error; the message is its exit status
 */
typedef enum
{
  PADDOCK_PVE_ERROR_AUTH = 1,
  PADDOCK_PVE_ERROR_TFA_REQUIRED,
  PADDOCK_PVE_ERROR_PERMISSION,
  PADDOCK_PVE_ERROR_NOT_FOUND,
  PADDOCK_PVE_ERROR_PARAMETER,
  PADDOCK_PVE_ERROR_CONFLICT,
  PADDOCK_PVE_ERROR_ALREADY_RUNNING,
  PADDOCK_PVE_ERROR_NOT_RUNNING,
  PADDOCK_PVE_ERROR_LOCKED,
  PADDOCK_PVE_ERROR_SERVER,
  PADDOCK_PVE_ERROR_UNREACHABLE,
  PADDOCK_PVE_ERROR_TIMEOUT,
  PADDOCK_PVE_ERROR_PROTOCOL,
  PADDOCK_PVE_ERROR_UNTRUSTED_CERTIFICATE,
  PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED,
  PADDOCK_PVE_ERROR_TASK_FAILED,
} PaddockPveError;

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

/**
 * PaddockSshError:
 * @PADDOCK_SSH_ERROR_CONNECT: the node refused the connection or cannot be reached
 * @PADDOCK_SSH_ERROR_TIMEOUT: connecting or a command took longer than allowed
 * @PADDOCK_SSH_ERROR_PROTOCOL: the SSH handshake or a channel failed
 * @PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY: the node's host key is not trusted yet; ask the user
 * @PADDOCK_SSH_ERROR_HOST_KEY_CHANGED: the node's host key differs from the trusted one
 * @PADDOCK_SSH_ERROR_AUTH: every configured authentication method was refused
 * @PADDOCK_SSH_ERROR_PASSPHRASE_REQUIRED: the key file is encrypted and no passphrase was given
 * @PADDOCK_SSH_ERROR_DISCONNECTED: the connection dropped while a command ran
 * @PADDOCK_SSH_ERROR_SFTP: a file transfer failed; the message names the path
 * @PADDOCK_SSH_ERROR_COMMAND: a command Paddock relies on (pct, mv, …) failed; the message
 *   has its exit status and error output
 * @PADDOCK_SSH_ERROR_INVALID: an argument was refused before anything was sent
 */
typedef enum
{
  PADDOCK_SSH_ERROR_CONNECT = 1,
  PADDOCK_SSH_ERROR_TIMEOUT,
  PADDOCK_SSH_ERROR_PROTOCOL,
  PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY,
  PADDOCK_SSH_ERROR_HOST_KEY_CHANGED,
  PADDOCK_SSH_ERROR_AUTH,
  PADDOCK_SSH_ERROR_PASSPHRASE_REQUIRED,
  PADDOCK_SSH_ERROR_DISCONNECTED,
  PADDOCK_SSH_ERROR_SFTP,
  PADDOCK_SSH_ERROR_COMMAND,
  PADDOCK_SSH_ERROR_INVALID,
} PaddockSshError;

/**
 * PaddockProbeError:
 * @PADDOCK_PROBE_ERROR_MALFORMED: what the container sent back is not what the probe prints
 *   (cut short, or too large); the message says what is missing
 * @PADDOCK_PROBE_ERROR_ENCODING: a file in the container is not UTF-8; the message names it
 * @PADDOCK_PROBE_ERROR_INVALID_UNIT: a unit name was refused before anything was sent
 * @PADDOCK_PROBE_ERROR_COMMAND: systemctl or journalctl in the container failed; the message
 *   has its exit status and error output
 * @PADDOCK_PROBE_ERROR_NOT_RUNNING: the container is not running
 */
typedef enum
{
  PADDOCK_PROBE_ERROR_MALFORMED = 1,
  PADDOCK_PROBE_ERROR_ENCODING,
  PADDOCK_PROBE_ERROR_INVALID_UNIT,
  PADDOCK_PROBE_ERROR_COMMAND,
  PADDOCK_PROBE_ERROR_NOT_RUNNING,
} PaddockProbeError;

GQuark paddock_pve_error_quark     (void);
GQuark paddock_store_error_quark   (void);
GQuark paddock_secrets_error_quark (void);
GQuark paddock_ssh_error_quark     (void);
GQuark paddock_probe_error_quark   (void);
GQuark paddock_job_error_quark     (void);

/**
 * PaddockJobError:
 * @PADDOCK_JOB_ERROR_FAILED: a step of the job failed; the message says which and why
 * @PADDOCK_JOB_ERROR_CANCELLED: the job was cancelled
 * @PADDOCK_JOB_ERROR_STATE: the job cannot do that now (it runs, or runs in another Paddock)
 * @PADDOCK_JOB_ERROR_NO_TEMPLATE: no downloaded OS template matches the plan's
 */
typedef enum
{
  PADDOCK_JOB_ERROR_FAILED = 1,
  PADDOCK_JOB_ERROR_CANCELLED,
  PADDOCK_JOB_ERROR_STATE,
  PADDOCK_JOB_ERROR_NO_TEMPLATE,
} PaddockJobError;

G_END_DECLS
