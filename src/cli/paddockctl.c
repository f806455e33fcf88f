/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl.c: the command-line front end over libpaddock-core (SPEC.md §7) */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "paddockctl-commands.h"

static int
command_version (CtlContext *ctl,
                 int         argc,
                 char      **argv)
{
  g_print ("paddockctl %s\n", PACKAGE_VERSION);
  return CTL_EXIT_OK;
}

typedef struct
{
  const char     *name;
  const char     *summary;
  CtlCommandFunc  func;
} Command;

static const Command commands[] = {
  { "connection", N_("Manage connections: list, add, remove, test, trust, ssh"), ctl_command_connection },
  { "list", N_("List the containers of every connection"), ctl_command_list },
  { "status", N_("Show one container"), ctl_command_status },
  { "start", N_("Start a container"), ctl_command_lifecycle },
  { "shutdown", N_("Shut a container down cleanly"), ctl_command_lifecycle },
  { "stop", N_("Stop a container at once (asks, or --yes)"), ctl_command_lifecycle },
  { "reboot", N_("Reboot a container"), ctl_command_lifecycle },
  { "delete", N_("Delete a container and its disks (asks, or --yes)"), ctl_command_lifecycle },
  { "exec", N_("Run a command in a container: exec CT -- COMMAND…"), ctl_command_exec },
  { "enter", N_("A shell in a container on this terminal: enter CT"), ctl_command_enter },
  { "services", N_("What runs in a container: services, ports, credentials"), ctl_command_services },
  { "logs", N_("The journal of a service: logs CT UNIT [-n N] [-f]"), ctl_command_logs },
  { "service", N_("Start, stop or restart a service: service ACTION CT UNIT"), ctl_command_service },
  { "template", N_("Templates: list, show, import, export"), ctl_command_template },
  { "create", N_("Make a container from a template: create --template NAME --hostname H"), ctl_command_create },
  { "jobs", N_("List provisioning jobs"), ctl_command_jobs },
  { "job", N_("One job: show, retry, cancel, keep, delete-container, password"), ctl_command_job },
  { "version", N_("Print the version of paddockctl"), command_version },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n", _("Usage: paddockctl [--data-dir DIR] COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n",
           _("CT is a VMID, a name, or CONNECTION/VMID. Secrets come from the keyring, a prompt, or\n"
             "PADDOCK_TOKEN_SECRET / PADDOCK_PASSWORD, never from arguments. --json output is\n"
             "described in each command's --help. Exit status: 0 ok, 1 failure, 2 usage,\n"
             "3 not found or ambiguous, 4 trust or authentication."));
}

int
main (int   argc,
      char *argv[])
{
  CtlContext ctl = { 0 };
  int first = 1;
  int status = CTL_EXIT_USAGE;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The global option comes before the command: --data-dir DIR or --data-dir=DIR */
  ctl.data_dir = g_strdup (g_getenv ("PADDOCK_DATA_DIR"));
  while (first < argc && g_str_has_prefix (argv[first], "--data-dir"))
    {
      g_free (ctl.data_dir);
      if (argv[first][strlen ("--data-dir")] == '=')
        ctl.data_dir = g_strdup (argv[first] + strlen ("--data-dir="));
      else if (first + 1 < argc)
        ctl.data_dir = g_strdup (argv[++first]);
      else
        {
          print_usage (stderr);
          return CTL_EXIT_USAGE;
        }
      first++;
    }

  if (first >= argc)
    {
      print_usage (stderr);
      ctl_context_clear (&ctl);
      return CTL_EXIT_USAGE;
    }

  if (g_str_equal (argv[first], "--help") || g_str_equal (argv[first], "-h") || g_str_equal (argv[first], "help"))
    {
      print_usage (stdout);
      ctl_context_clear (&ctl);
      return CTL_EXIT_OK;
    }

  if (g_str_equal (argv[first], "--version"))
    status = command_version (&ctl, argc - first, argv + first);
  else
    {
      const Command *command = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (g_str_equal (argv[first], commands[i].name))
          command = &commands[i];

      if (command == NULL)
        {
          g_printerr (_("paddockctl: unknown command “%s”\n\n"), argv[first]);
          print_usage (stderr);
        }
      else
        status = command->func (&ctl, argc - first, argv + first);
    }

  ctl_context_clear (&ctl);
  return status;
}
