/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-ssh-problem.h: what a view that reaches a node over SSH says when it cannot (the
 * Services tab, the console): an unknown or changed host key, or the node out of reach */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *icon;
  char       *title;
  const char *description;
  const char *button_label;
  const char *action;        /* "trust-host-key" or "ssh-settings", in the caller's action group */
} PaddockSshProblem;

/* FALSE (and nothing set) when @error is not an SSH problem. */
gboolean paddock_ssh_problem_describe (const GError      *error,
                                       const char        *node,
                                       PaddockSshProblem *problem);
void     paddock_ssh_problem_clear    (PaddockSshProblem *problem);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PaddockSshProblem, paddock_ssh_problem_clear)

G_END_DECLS
