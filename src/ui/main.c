/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: start-up of the Paddock desktop application */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "paddock-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PaddockApplication) app = NULL;

  paddock_application_prepare_process ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Paddock"));

  app = paddock_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
