/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-problem.c: what a view that reaches a node over SSH says when it cannot */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-core.h"
#include "paddock-ssh-problem.h"

gboolean
paddock_ssh_problem_describe (const GError      *error,
                              const char        *node,
                              PaddockSshProblem *problem)
{
  g_return_val_if_fail (problem != NULL, FALSE);

  if (error == NULL || error->domain != PADDOCK_SSH_ERROR)
    return FALSE;

  if (error->code == PADDOCK_SSH_ERROR_UNKNOWN_HOST_KEY)
    {
      problem->icon = "channel-secure-symbolic";
      /* Translators: %s is a Proxmox node */
      problem->title = g_strdup_printf (_("Is This Really %s?"), node);
      problem->description = _("Paddock has not met this node's SSH host key yet. Compare it with the node's "
                               "before trusting it.");
      problem->button_label = _("_Check the Host Key…");
      problem->action = "trust-host-key";
    }
  else if (error->code == PADDOCK_SSH_ERROR_HOST_KEY_CHANGED)
    {
      problem->icon = "dialog-warning-symbolic";
      problem->title = g_strdup_printf (_("The SSH Host Key of %s Changed"), node);
      problem->description = _("Paddock refuses to connect. If the node was reinstalled, replace the key in the "
                               "connection's SSH settings; otherwise someone may be in between.");
      problem->button_label = _("_SSH Settings…");
      problem->action = "ssh-settings";
    }
  else
    {
      /* Where to set SSH up, not an error dump. */
      problem->icon = "network-offline-symbolic";
      problem->title = g_strdup_printf (_("Cannot Reach %s over SSH"), node);
      problem->description = error->message;
      problem->button_label = _("_SSH Settings…");
      problem->action = "ssh-settings";
    }

  return TRUE;
}

void
paddock_ssh_problem_clear (PaddockSshProblem *problem)
{
  g_clear_pointer (&problem->title, g_free);
}
