/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-test-lab.h: starts the Proxmox lab for a test program and always stops it again */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

G_BEGIN_DECLS

/* KEY → VALUE from lab-up (PVE_URL, PVE_TOKEN, SSH_PORT, …), or NULL when the lab could not start. */
static GHashTable *paddock_test_lab;
static char *paddock_test_lab_skip_reason;

static inline const char *
paddock_test_lab_get (const char *key)
{
  const char *value = paddock_test_lab ? g_hash_table_lookup (paddock_test_lab, key) : NULL;

  g_assert_nonnull (value);
  return value;
}

/* TRUE when the test can run; otherwise marks it skipped with the reason. */
static inline gboolean
paddock_test_lab_required (void)
{
  if (paddock_test_lab != NULL)
    return TRUE;

  g_test_skip (paddock_test_lab_skip_reason ? paddock_test_lab_skip_reason : "the lab is not running");
  return FALSE;
}

/* TRUE when the lab runs real containers; otherwise marks the test skipped with the reason
 * (a named exception in CI: "real containers cannot run here"). */
static inline gboolean
paddock_test_real_containers_required (void)
{
  if (!paddock_test_lab_required ())
    return FALSE;
  if (g_hash_table_contains (paddock_test_lab, "REAL_SKIP_REASON"))
    {
      g_test_skip_printf ("real containers cannot run here: %s",
                          (char *) g_hash_table_lookup (paddock_test_lab, "REAL_SKIP_REASON"));
      return FALSE;
    }

  return TRUE;
}

/* GET http://ADDRESS/ (a container's web server): its body; 200 or the test fails. */
static inline char *
paddock_test_http_get (const char *address)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strdup_printf ("http://%s/", address);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* A watchdog child runs lab-down when this process ends, however it ends (even on abort). */
static inline void
paddock_test_lab_watch (const char *lab_down,
                        const char *state)
{
  int fds[2];
  pid_t pid;

  if (pipe (fds) != 0)
    return;

  pid = fork ();
  if (pid == 0)
    {
      char c;

      close (fds[1]);
      setsid ();
      signal (SIGINT, SIG_IGN);
      while (read (fds[0], &c, 1) > 0)
        ;
      execl (lab_down, lab_down, state, (char *) NULL);
      _exit (0);
    }

  close (fds[0]);
  /* fds[1] stays open, unused, until this process exits. */
}

static inline void
paddock_test_lab_start (const char *const *extra_args)
{
  const char *root = g_getenv ("PADDOCK_SOURCE_ROOT");
  g_autofree char *lab_up = NULL;
  g_autofree char *lab_down = NULL;
  g_autofree char *state = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;

  if (root == NULL || g_getenv ("PVE_SIM") == NULL)
    {
      paddock_test_lab_skip_reason = g_strdup ("PADDOCK_SOURCE_ROOT/PVE_SIM are not set (run through meson test)");
      return;
    }

  lab_up = g_build_filename (root, "tests", "lab", "lab-up", NULL);
  lab_down = g_build_filename (root, "tests", "lab", "lab-down", NULL);
  state = g_build_filename (g_get_tmp_dir (), "paddock-lab-XXXXXX", NULL);
  if (g_mkdtemp (state) == NULL)
    g_error ("cannot create a lab directory");

  g_ptr_array_add (argv, lab_up);
  for (guint i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, state);
  g_ptr_array_add (argv, NULL);

  paddock_test_lab_watch (lab_down, state);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      paddock_test_lab_skip_reason = g_strdup_printf ("lab-up failed: %s", error ? error->message : err);
      return;
    }

  paddock_test_lab = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *eq = strchr (lines[i], '=');

      if (eq != NULL)
        g_hash_table_insert (paddock_test_lab, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }
}

/* Whether something accepts connections on the node's SSH port. */
static inline gboolean
paddock_test_lab_sshd_answers (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  guint64 port = 0;

  g_ascii_string_to_unsigned (paddock_test_lab_get ("SSH_PORT"), 10, 1, 65535, &port, NULL);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return connection != NULL;
}

/* The node's sshd: the listener and every connection's process killed, as when the node reboots. */
static inline void
paddock_test_lab_kill_sshd (void)
{
  g_autofree char *pid_file = g_build_filename (paddock_test_lab_get ("LAB_STATE"), "sshd.pid.lab", NULL);
  g_autofree char *pid_text = NULL;
  g_autofree char *command = NULL;
  int status = -1;

  g_assert_true (g_file_get_contents (pid_file, &pid_text, NULL, NULL));
  command = g_strdup_printf ("sh -c 'pkill -KILL -P %d; kill -KILL %d'", atoi (pid_text), atoi (pid_text));
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* A killed listener holds its port until it has exited: a new sshd started before then
   * cannot bind, while a probe still reaches the old one. Wait until the port refuses. */
  for (guint i = 0; i < 250; i++)
    {
      if (!paddock_test_lab_sshd_answers ())
        return;
      g_usleep (20000);
    }
  g_error ("the killed sshd still holds its port");
}

/* The node's sshd started again on its port (in the foreground, as this machine allows). */
static inline void
paddock_test_lab_restart_sshd (void)
{
  const char *state = paddock_test_lab_get ("LAB_STATE");
  g_autofree char *config = g_build_filename (state, "sshd_config", NULL);
  g_autofree char *pid_file = g_build_filename (state, "sshd.pid.lab", NULL);
  g_autofree char *pid_text = NULL;
  const char *argv[] = { "/usr/sbin/sshd", "-D", "-e", "-f", config, NULL };
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  pid_text = g_strdup_printf ("%d\n", pid);
  g_assert_true (g_file_set_contents (pid_file, pid_text, -1, NULL));

  for (guint i = 0; i < 200; i++)
    {
      if (paddock_test_lab_sshd_answers ())
        return;
      g_usleep (20000);
    }
  g_error ("sshd did not come back");
}

/* Sends a request to the lab's control port (faults, quirks, TOTP codes); returns its answer. */
static inline char *
paddock_test_lab_control (const char *action,
                          const char *value,
                          const char *arg)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) uri = g_string_new (paddock_test_lab_get ("PVE_CONTROL_URL"));

  g_string_append_printf (uri, "/control/%s?", action);
  if (value != NULL)
    g_string_append_printf (uri, "value=%s&", value);
  if (arg != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (arg, NULL, FALSE);

      g_string_append_printf (uri, "arg=%s", escaped);
    }

  msg = soup_message_new ("GET", uri->str);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

G_END_DECLS
