/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl.c: the command-line front end over libpaddock-core */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "paddock-core.h"

/* Exit statuses of SPEC.md §7. */
enum {
  EXIT_OK = 0,
  EXIT_FAILURE_ = 1,
  EXIT_USAGE = 2,
  EXIT_NOT_FOUND = 3,
  EXIT_TRUST = 4,
};

typedef int (*CommandFunc) (int    argc,
                            char **argv);

typedef struct
{
  const char  *name;
  const char  *summary;
  CommandFunc  func;
} Command;

static int
command_version (int    argc,
                 char **argv)
{
  g_print ("paddockctl %s\n", PACKAGE_VERSION);
  return EXIT_OK;
}

static const Command commands[] = {
  { "version", N_("Print the version of paddockctl"), command_version },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n", _("Usage: paddockctl COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    return command_version (argc - 1, argv + 1);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].func (argc - 1, argv + 1);
    }

  fprintf (stderr, _("paddockctl: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);
  return EXIT_USAGE;
}
