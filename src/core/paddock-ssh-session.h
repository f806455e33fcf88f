/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-session.h: one SSH connection to a node, shared by every command sent to it */

#pragma once

#include <gio/gio.h>

#include "paddock-error.h"
#include "paddock-records.h"

G_BEGIN_DECLS

/* What a command left: its exit status and output (cut at the session's max-output). */
typedef struct
{
  int      exit_status;     /* -1 when it was killed by a signal */
  char    *exit_signal;     /* "KILL", "TERM", … or NULL */
  GBytes  *out;
  GBytes  *err;
  gboolean out_truncated;
  gboolean err_truncated;
} PaddockSshResult;

#define PADDOCK_TYPE_SSH_RESULT (paddock_ssh_result_get_type ())
GType             paddock_ssh_result_get_type     (void) G_GNUC_CONST;
PaddockSshResult *paddock_ssh_result_copy         (const PaddockSshResult *result);
void              paddock_ssh_result_free         (PaddockSshResult       *result);
char             *paddock_ssh_result_dup_out_text (const PaddockSshResult *result);
char             *paddock_ssh_result_dup_err_text (const PaddockSshResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockSshResult, paddock_ssh_result_free)

typedef enum
{
  PADDOCK_SSH_STDOUT,
  PADDOCK_SSH_STDERR,
} PaddockSshStream;

/* A complete line of output (no newline, valid UTF-8), on the caller's main context. */
typedef void (*PaddockSshLineFunc) (PaddockSshStream  stream,
                                    const char       *line,
                                    gpointer          user_data);

#define PADDOCK_SSH_DEFAULT_MAX_OUTPUT (16 * 1024 * 1024)

#define PADDOCK_TYPE_SSH_SESSION (paddock_ssh_session_get_type ())

G_DECLARE_FINAL_TYPE (PaddockSshSession, paddock_ssh_session, PADDOCK, SSH_SESSION, GObject)

typedef struct _PaddockSshPty PaddockSshPty;

PaddockSshSession *paddock_ssh_session_new                (const char            *host,
                                                           guint16                port,
                                                           const char            *user);
const char        *paddock_ssh_session_get_host           (PaddockSshSession     *self);
guint16            paddock_ssh_session_get_port           (PaddockSshSession     *self);
const char        *paddock_ssh_session_get_user           (PaddockSshSession     *self);

/* Configuration, before the first command. Secrets are copied and wiped when replaced. */
void               paddock_ssh_session_set_auth_methods   (PaddockSshSession     *self,
                                                           const PaddockSshAuth  *methods,
                                                           guint                  n_methods);
void               paddock_ssh_session_set_key_file       (PaddockSshSession     *self,
                                                           const char            *path);
void               paddock_ssh_session_set_key_passphrase (PaddockSshSession     *self,
                                                           const char            *passphrase);
void               paddock_ssh_session_set_password       (PaddockSshSession     *self,
                                                           const char            *password);
void               paddock_ssh_session_set_known_hosts    (PaddockSshSession     *self,
                                                           const char            *path);
void               paddock_ssh_session_set_connect_retry  (PaddockSshSession     *self,
                                                           guint                  tries,
                                                           guint                  first_delay_ms);
void               paddock_ssh_session_set_connect_timeout (PaddockSshSession    *self,
                                                            guint                 timeout_ms);
void               paddock_ssh_session_set_max_output     (PaddockSshSession     *self,
                                                           gsize                  max_output);

/* Host-key trust (SPEC.md §2.3): after UNKNOWN_HOST_KEY or HOST_KEY_CHANGED, what was seen. */
gboolean           paddock_ssh_session_dup_rejected_host_key (PaddockSshSession  *self,
                                                              char              **key_type,
                                                              char              **fingerprint,
                                                              char              **trusted_fingerprint);
/* Adds the key last rejected as unknown to the known_hosts file; a changed key is only
 * replaced with @replace_changed (the user chose so in the connection settings). */
gboolean           paddock_ssh_session_trust_rejected_host_key (PaddockSshSession  *self,
                                                                gboolean            replace_changed,
                                                                GError            **error);
void               paddock_ssh_session_trust_rejected_host_key_async  (PaddockSshSession   *self,
                                                                       gboolean             replace_changed,
                                                                       GCancellable        *cancellable,
                                                                       GAsyncReadyCallback  callback,
                                                                       gpointer             user_data);
gboolean           paddock_ssh_session_trust_rejected_host_key_finish (PaddockSshSession   *self,
                                                                       GAsyncResult        *result,
                                                                       GError             **error);

void               paddock_ssh_session_connect_async      (PaddockSshSession     *self,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
gboolean           paddock_ssh_session_connect_finish     (PaddockSshSession     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);
gboolean           paddock_ssh_session_is_connected       (PaddockSshSession     *self);
void               paddock_ssh_session_disconnect         (PaddockSshSession     *self);

/* @timeout_ms: 0 for none. Cancelling closes the channel. */
void               paddock_ssh_session_exec_async         (PaddockSshSession     *self,
                                                           const char            *command,
                                                           GBytes                *stdin_bytes,
                                                           guint                  timeout_ms,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
PaddockSshResult  *paddock_ssh_session_exec_finish        (PaddockSshSession     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);
void               paddock_ssh_session_exec_streaming_async  (PaddockSshSession   *self,
                                                              const char          *command,
                                                              GBytes              *stdin_bytes,
                                                              guint                timeout_ms,
                                                              PaddockSshLineFunc   line_func,
                                                              gpointer             line_data,
                                                              GDestroyNotify       line_data_destroy,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean           paddock_ssh_session_exec_streaming_finish (PaddockSshSession   *self,
                                                              GAsyncResult        *result,
                                                              int                 *exit_status,
                                                              GError             **error);

/* SFTP: the upload lands whole or not at all (a temporary name, then a rename). */
void               paddock_ssh_session_upload_async       (PaddockSshSession     *self,
                                                           const char            *path,
                                                           GBytes                *content,
                                                           guint                  mode,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
gboolean           paddock_ssh_session_upload_finish      (PaddockSshSession     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);
void               paddock_ssh_session_download_async     (PaddockSshSession     *self,
                                                           const char            *path,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
GBytes            *paddock_ssh_session_download_finish    (PaddockSshSession     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);

/* An interactive command with a terminal (the console: "pct enter VMID"). */
void               paddock_ssh_session_open_pty_async     (PaddockSshSession     *self,
                                                           const char            *command,
                                                           const char            *term,
                                                           guint                  columns,
                                                           guint                  rows,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
PaddockSshPty     *paddock_ssh_session_open_pty_finish    (PaddockSshSession     *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);

G_END_DECLS
