/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-connections-page.h: Preferences › Connections: test, rename, set default, remove */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_CONNECTIONS_PAGE (paddock_connections_page_get_type ())

G_DECLARE_FINAL_TYPE (PaddockConnectionsPage, paddock_connections_page, PADDOCK, CONNECTIONS_PAGE, AdwPreferencesPage)

GtkWidget *paddock_connections_page_new        (PaddockWorkspace       *workspace);
void       paddock_connections_page_ask_secret (PaddockConnectionsPage *self,
                                                PaddockCluster         *cluster);

G_END_DECLS
