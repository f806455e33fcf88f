/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-enter.c: paddockctl enter CT: a shell in the container on this terminal
 *
 * "pct enter" on the container's node with a PTY over SSH, as the window's console does. The
 * local terminal is in raw mode meanwhile (every key goes to the container), follows the
 * window's size (SIGWINCH), and is restored however the session ends; the shell's exit status
 * is paddockctl's.
 */

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "paddockctl-commands.h"

typedef struct
{
  GMainLoop     *loop;
  PaddockSshPty *pty;
  int            exit_status;
  gboolean       closed;
} Session;

static void
terminal_size (guint *columns,
               guint *rows)
{
  struct winsize size = { 0 };

  *columns = 80, *rows = 24;
  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && size.ws_row > 0)
    *columns = size.ws_col, *rows = size.ws_row;
}

static void
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      data += n;
      length -= n;
    }
}

static void
on_output (PaddockSshPty *pty,
           GBytes        *output,
           Session       *session)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (output, &length);

  write_all (STDOUT_FILENO, data, length);
}

static void
on_closed (PaddockSshPty *pty,
           int            exit_status,
           Session       *session)
{
  session->exit_status = exit_status;
  session->closed = TRUE;
  g_main_loop_quit (session->loop);
}

static gboolean
on_input (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  Session *session = user_data;
  char buffer[4096];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n < 0 && errno == EINTR)
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      /* The terminal went away: hang up, the container's shell ends. */
      paddock_ssh_pty_close (session->pty);
      return G_SOURCE_REMOVE;
    }

  paddock_ssh_pty_write (session->pty, buffer, n);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_window_changed (gpointer user_data)
{
  Session *session = user_data;
  guint columns, rows;

  terminal_size (&columns, &rows);
  paddock_ssh_pty_resize (session->pty, columns, rows);
  return G_SOURCE_CONTINUE;
}

int
ctl_command_enter (CtlContext *ctl,
                   int         argc,
                   char      **argv)
{
  g_autoptr(PaddockGuest) guest = NULL;
  g_autoptr(PaddockSshSession) ssh = NULL;
  g_autoptr(PaddockPct) pct = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  PaddockCluster *cluster = NULL;
  Session session = { 0 };
  struct termios saved, raw;
  guint columns, rows, input_source, winch_source;
  int status = CTL_EXIT_OK;

  if (argc != 2 || g_str_has_prefix (argv[1], "-"))
    {
      g_printerr ("Usage: paddockctl enter CT\n"
                  "A shell in the container on this terminal (pct enter on its node); its exit status is\n"
                  "paddockctl's. SSH comes from `paddockctl connection ssh`.\n");
      return CTL_EXIT_USAGE;
    }
  if (!isatty (STDIN_FILENO) || tcgetattr (STDIN_FILENO, &saved) != 0)
    {
      g_printerr ("paddockctl: enter needs a terminal; use `paddockctl exec CT -- COMMAND` in scripts\n");
      return CTL_EXIT_USAGE;
    }

  if (!ctl_load_workspace (ctl, &error))
    return ctl_fail (error);
  ctl_refresh_all (ctl, NULL);
  if (!(guest = ctl_resolve_guest (ctl, argv[1], &cluster, &status)))
    return status;
  if (paddock_guest_get_state (guest) != PADDOCK_GUEST_STATE_RUNNING)
    {
      g_autofree char *name = paddock_guest_dup_display_name (guest);

      g_printerr ("paddockctl: %s is not running; start it with `paddockctl start %s`\n", name, argv[1]);
      return CTL_EXIT_FAILURE;
    }

  if (!(ssh = ctl_ssh_session_for_node (ctl, cluster, paddock_guest_get_node (guest), &error)))
    return ctl_fail (error);
  if ((status = ctl_ssh_connect (ctl, cluster, paddock_guest_get_node (guest), ssh)) != CTL_EXIT_OK)
    return status;

  pct = paddock_pct_new (ssh, paddock_guest_get_node (guest));
  terminal_size (&columns, &rows);
  paddock_pct_enter_async (pct, paddock_guest_get_vmid (guest), columns, rows, NULL, CTL_ASYNC (result));
  if (!(session.pty = paddock_pct_enter_finish (pct, ctl_wait (&result), &error)))
    return ctl_fail (error);

  loop = g_main_loop_new (NULL, FALSE);
  session.loop = loop;
  g_signal_connect (session.pty, "output", G_CALLBACK (on_output), &session);
  g_signal_connect (session.pty, "closed", G_CALLBACK (on_closed), &session);

  raw = saved;
  cfmakeraw (&raw);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &raw);
  input_source = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_input, &session);
  winch_source = g_unix_signal_add (SIGWINCH, on_window_changed, &session);

  g_main_loop_run (loop);

  g_source_remove (winch_source);
  if (g_main_context_find_source_by_id (NULL, input_source) != NULL)
    g_source_remove (input_source);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  g_signal_handlers_disconnect_by_data (session.pty, &session);
  g_clear_object (&session.pty);

  if (session.exit_status < 0)
    {
      g_printerr ("\r\npaddockctl: the connection to %s was lost\n", paddock_guest_get_node (guest));
      return CTL_EXIT_FAILURE;
    }

  return session.exit_status;
}
