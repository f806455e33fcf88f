/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-ssh.c: Paddock's SSH layer against the lab node, with the OpenSSH client doing the same
 *
 * Prints, for Paddock and for ssh (without and with a ControlMaster connection):
 * "connect": connect + authenticate + run true + disconnect on both sides, median latency of "pct exec 101 -- true" on a warm connection,
 * and the throughput of a streamed 32 MB output.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "paddock-core.h"
#include "../tests/paddock-test-lab-session.h"

#define ROUNDS 30
#define STREAM_MB 32

#define wait_for paddock_test_lab_wait_result
#define store_result paddock_test_lab_keep_result

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static guint64 streamed_bytes;

static void
count_line (PaddockSshStream  stream,
            const char       *line,
            gpointer          user_data)
{
  streamed_bytes += strlen (line) + 1;
}

/* Runs argv ROUNDS times; returns the median wall time in ms. */
static double
time_command (const char * const *argv,
              guint               rounds,
              gsize              *output_bytes)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      if (process == NULL || !g_subprocess_communicate (process, NULL, NULL, &out, NULL, &error))
        {
          g_printerr ("%s: %s\n", argv[0], error->message);
          return -1;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (output_bytes)
        *output_bytes = out ? g_bytes_get_size (out) : 0;
      g_array_append_val (samples, ms);
    }

  return median (samples);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PaddockSshSession) session = NULL;
  g_autoptr(PaddockPct) pct = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *known_hosts = NULL;
  g_autofree char *known_line = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *control = NULL;
  g_autofree char *stream_script = g_strdup_printf ("head -c %d /dev/zero | tr '\\0' 'x' | fold -w 99", STREAM_MB << 20);
  g_autofree char *stream_command = NULL;
  static const PaddockSshAuth key[] = { PADDOCK_SSH_AUTH_KEY };
  double connect_ms, exec_ms, stream_s;
  guint64 port = 0;

  setlocale (LC_ALL, "");

  if (g_getenv ("PADDOCK_SOURCE_ROOT") == NULL)
    {
      root = g_canonicalize_filename (".", NULL);
      g_setenv ("PADDOCK_SOURCE_ROOT", root, TRUE);
    }

  paddock_test_lab_start ((const char *[]) { "--dataset", "demo", "--no-real", NULL });
  if (paddock_test_lab == NULL)
    {
      g_printerr ("bench-ssh: %s\n", paddock_test_lab_skip_reason);
      return 1;
    }

  /* Trust the lab's host key for both clients, as a user would have. */
  dir = g_dir_make_tmp ("paddock-bench-ssh-XXXXXX", NULL);
  known_hosts = g_build_filename (dir, "known_hosts", NULL);
  control = g_build_filename (dir, "control", NULL);
  {
    g_autofree char *pub = g_build_filename (paddock_test_lab_get ("LAB_STATE"), "ssh_host_ed25519_key.pub", NULL);
    g_auto(GStrv) parts = NULL;

    g_file_get_contents (pub, &host_key, NULL, NULL);
    parts = g_strsplit (host_key, " ", 3);
    known_line = g_strdup_printf ("[127.0.0.1]:%s %s %s\n", paddock_test_lab_get ("SSH_PORT"), parts[0], parts[1]);
    g_file_set_contents (known_hosts, known_line, -1, NULL);
  }

  g_ascii_string_to_unsigned (paddock_test_lab_get ("SSH_PORT"), 10, 1, 65535, &port, NULL);

  g_print ("bench-ssh: the lab node (OpenSSH sshd on 127.0.0.1, lab pct), %u rounds, %d MB stream\n\n",
           ROUNDS, STREAM_MB);

  /* Paddock: the same work as "ssh host true": connect, authenticate, run true, disconnect */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(PaddockSshSession) fresh = paddock_ssh_session_new ("127.0.0.1", port, paddock_test_lab_get ("SSH_USER"));
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(PaddockSshResult) ran = NULL;
      gint64 start;
      double ms;

      paddock_ssh_session_set_auth_methods (fresh, key, 1);
      paddock_ssh_session_set_key_file (fresh, paddock_test_lab_get ("SSH_KEY"));
      paddock_ssh_session_set_known_hosts (fresh, known_hosts);
      start = g_get_monotonic_time ();
      paddock_ssh_session_connect_async (fresh, NULL, store_result, &result);
      if (!paddock_ssh_session_connect_finish (fresh, wait_for (&result), &error))
        g_error ("connect: %s", error->message);
      g_clear_object (&result);
      paddock_ssh_session_exec_async (fresh, "true", NULL, 10000, NULL, store_result, &result);
      if (!(ran = paddock_ssh_session_exec_finish (fresh, wait_for (&result), &error)))
        g_error ("true: %s", error->message);
      paddock_ssh_session_disconnect (fresh);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (samples, ms);
    }
  connect_ms = median (samples);
  g_array_set_size (samples, 0);

  session = paddock_ssh_session_new ("127.0.0.1", port, paddock_test_lab_get ("SSH_USER"));
  paddock_ssh_session_set_auth_methods (session, key, 1);
  paddock_ssh_session_set_key_file (session, paddock_test_lab_get ("SSH_KEY"));
  paddock_ssh_session_set_known_hosts (session, known_hosts);
  pct = paddock_pct_new (session, "pve1");

  /* Paddock: pct exec on a warm connection (the first call connects; not counted) */
  for (guint i = 0; i <= ROUNDS; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(PaddockSshResult) ssh_result = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      paddock_pct_exec_async (pct, 101, "true", NULL, 10000, NULL, store_result, &result);
      if (!(ssh_result = paddock_pct_exec_finish (pct, wait_for (&result), &error)))
        g_error ("pct exec: %s", error->message);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (i > 0)
        g_array_append_val (samples, ms);
    }
  exec_ms = median (samples);

  /* Paddock: streamed lines */
  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 start = g_get_monotonic_time ();
    int status;

    stream_command = g_strdup (stream_script);
    paddock_ssh_session_exec_streaming_async (session, stream_command, NULL, 120000, count_line, NULL, NULL, NULL,
                                              store_result, &result);
    if (!paddock_ssh_session_exec_streaming_finish (session, wait_for (&result), &status, &error))
      g_error ("stream: %s", error->message);
    stream_s = (g_get_monotonic_time () - start) / 1e6;
  }

  g_print ("  %-40s %9s %14s %14s\n", "", "connect", "pct exec true", "stream");
  g_print ("  %-40s %7.1f ms %11.1f ms %9.1f MB/s\n", "Paddock (libssh2, one session, lines)",
           connect_ms, exec_ms, streamed_bytes / 1048576.0 / stream_s);

  /* OpenSSH: a new connection for every command, then through a ControlMaster */
  {
    g_autofree char *known_option = g_strdup_printf ("UserKnownHostsFile=%s", known_hosts);
    g_autofree char *control_option = g_strdup_printf ("ControlPath=%s", control);
    g_autofree char *destination = g_strdup_printf ("%s@127.0.0.1", paddock_test_lab_get ("SSH_USER"));
    const char *base[] = { "ssh", "-o", "BatchMode=yes", "-o", known_option, "-o", "StrictHostKeyChecking=yes",
                           "-i", paddock_test_lab_get ("SSH_KEY"), "-p", paddock_test_lab_get ("SSH_PORT"), NULL };
    const char *master[] = { "ssh", "-o", "BatchMode=yes", "-o", known_option, "-o", "StrictHostKeyChecking=yes",
                             "-i", paddock_test_lab_get ("SSH_KEY"), "-p", paddock_test_lab_get ("SSH_PORT"),
                             "-o", "ControlMaster=auto", "-o", control_option, "-o", "ControlPersist=60", NULL };
    const char *const *variants[] = { base, master };
    const char *labels[] = { "ssh (a connection per command)", "ssh (ControlMaster)" };

    for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
      {
        g_autoptr(GPtrArray) connect_argv = g_ptr_array_new ();
        g_autoptr(GPtrArray) exec_argv = g_ptr_array_new ();
        g_autoptr(GPtrArray) stream_argv = g_ptr_array_new ();
        gsize bytes = 0;
        double c, e, s;

        for (guint i = 0; variants[v][i]; i++)
          {
            g_ptr_array_add (connect_argv, (gpointer) variants[v][i]);
            g_ptr_array_add (exec_argv, (gpointer) variants[v][i]);
            g_ptr_array_add (stream_argv, (gpointer) variants[v][i]);
          }
        g_ptr_array_add (connect_argv, destination);
        g_ptr_array_add (connect_argv, (gpointer) "true");
        g_ptr_array_add (connect_argv, NULL);
        g_ptr_array_add (exec_argv, destination);
        g_ptr_array_add (exec_argv, (gpointer) "pct exec 101 -- sh -c true");
        g_ptr_array_add (exec_argv, NULL);
        g_ptr_array_add (stream_argv, destination);
        g_ptr_array_add (stream_argv, stream_script);
        g_ptr_array_add (stream_argv, NULL);

        c = time_command ((const char * const *) connect_argv->pdata, 10, NULL);
        e = time_command ((const char * const *) exec_argv->pdata, ROUNDS, NULL);
        s = time_command ((const char * const *) stream_argv->pdata, 1, &bytes) / 1000.0;
        g_print ("  %-40s %7.1f ms %11.1f ms %9.1f MB/s\n", labels[v], c, e, bytes / 1048576.0 / s);
      }

    {
      const char *stop[] = { "ssh", "-o", control_option, "-O", "exit", "-p", paddock_test_lab_get ("SSH_PORT"),
                             destination, NULL };
      g_autoptr(GSubprocess) process = g_subprocess_newv (stop, G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL);

      if (process)
        g_subprocess_wait (process, NULL, NULL);
    }
  }

  g_print ("\n  (connect: a new connection that runs true and closes, on both sides (ssh: the whole process);\n"
           "   ssh's stream is raw bytes to a pipe, Paddock's is split into UTF-8 lines for the main loop.)\n");
  return 0;
}
