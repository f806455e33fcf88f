/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-connection-dialog.h: adds a Proxmox VE connection, testing it and asking for trust */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_CONNECTION_DIALOG (paddock_connection_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PaddockConnectionDialog, paddock_connection_dialog, PADDOCK, CONNECTION_DIALOG, AdwWindow)

PaddockConnectionDialog *paddock_connection_dialog_new (GtkWindow        *parent,
                                                        PaddockWorkspace *workspace);

/* "SHA-256 AB:CD:…" in lines of eight pairs, for reading aloud and comparing. */

PaddockConnectionDialog *paddock_connection_dialog_new_for_edit (GtkWindow        *parent,
                                                                 PaddockWorkspace *workspace,
                                                                 PaddockCluster   *cluster);

G_END_DECLS
