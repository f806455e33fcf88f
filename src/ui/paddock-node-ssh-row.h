/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-node-ssh-row.h: how Paddock reaches one node over SSH, with a test of it */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_NODE_SSH_ROW (paddock_node_ssh_row_get_type ())

G_DECLARE_FINAL_TYPE (PaddockNodeSshRow, paddock_node_ssh_row, PADDOCK, NODE_SSH_ROW, AdwExpanderRow)

GtkWidget      *paddock_node_ssh_row_new          (PaddockWorkspace  *workspace,
                                                   const char        *node,
                                                   const char        *address);
const char     *paddock_node_ssh_row_get_node     (PaddockNodeSshRow *self);
/* The settings as typed, for @connection_id (the password is not part of them). */
PaddockNodeSsh *paddock_node_ssh_row_dup_settings (PaddockNodeSshRow *self,
                                                   gint64             connection_id);
void            paddock_node_ssh_row_set_settings (PaddockNodeSshRow    *self,
                                                   const PaddockNodeSsh *ssh);
/* The SSH password when that is the method, else NULL. */
const char     *paddock_node_ssh_row_get_password (PaddockNodeSshRow *self);

G_END_DECLS
