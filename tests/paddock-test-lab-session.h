/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-test-lab-session.h: Paddock's own ways into the lab, for tests and benchmarks: an SSH
 * session to its node, and a workspace connected to its pve-sim */

#pragma once

#include "paddock-core.h"
#include "paddock-test-lab.h"

G_BEGIN_DECLS

static inline void
paddock_test_lab_keep_result (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static inline GAsyncResult *
paddock_test_lab_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

/* An SSH session to the lab's node with its key, connected, the node's host key trusted into
 * @known_hosts (as a user confirms it the first time). */
static inline PaddockSshSession *
paddock_test_lab_ssh_session (const char *known_hosts)
{
  static const PaddockSshAuth key[] = { PADDOCK_SSH_AUTH_KEY };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PaddockSshSession *session;
  guint64 port = 0;

  g_ascii_string_to_unsigned (paddock_test_lab_get ("SSH_PORT"), 10, 1, 65535, &port, NULL);
  session = paddock_ssh_session_new (paddock_test_lab_get ("SSH_HOST"), port, paddock_test_lab_get ("SSH_USER"));
  paddock_ssh_session_set_auth_methods (session, key, 1);
  paddock_ssh_session_set_key_file (session, paddock_test_lab_get ("SSH_KEY"));
  paddock_ssh_session_set_known_hosts (session, known_hosts);

  paddock_ssh_session_connect_async (session, NULL, paddock_test_lab_keep_result, &result);
  if (!paddock_ssh_session_connect_finish (session, paddock_test_lab_wait_result (&result), &error))
    {
      g_assert_error (error, PADDOCK_SSH_ERROR, PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY);
      g_assert_true (paddock_ssh_session_trust_rejected_host_key (session, FALSE, NULL));
    }

  return session;
}

/* @workspace connected to the lab's pve-sim with its API token, its certificate pinned. */
static inline PaddockCluster *
paddock_test_lab_connect_workspace (PaddockWorkspace *workspace)
{
  PaddockConnectRequest *request = g_new0 (PaddockConnectRequest, 1);  /* the workspace takes it */
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *token = paddock_test_lab_get ("PVE_TOKEN");
  const char *eq = strrchr (token, '=');
  PaddockCluster *cluster;

  request->url = g_strdup (paddock_test_lab_get ("PVE_URL"));
  request->name = g_strdup ("lab");
  request->token_id = g_strndup (token, eq - token);
  request->token_secret = g_strdup (eq + 1);
  request->fingerprint = g_strdup (paddock_test_lab_get ("PVE_FINGERPRINT"));
  paddock_workspace_connect_async (workspace, request, NULL, paddock_test_lab_keep_result, &result);
  cluster = paddock_workspace_connect_finish (workspace, paddock_test_lab_wait_result (&result), &error);
  g_assert_no_error (error);

  return cluster;  /* the workspace keeps it */
}

G_END_DECLS
