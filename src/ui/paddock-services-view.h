/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-services-view.h: the Services tab: what runs in a container, and acting on it */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_SERVICES_VIEW (paddock_services_view_get_type ())

G_DECLARE_FINAL_TYPE (PaddockServicesView, paddock_services_view, PADDOCK, SERVICES_VIEW, AdwBin)

GtkWidget  *paddock_services_view_new          (void);
void        paddock_services_view_set_settings (PaddockServicesView *self,
                                                PaddockSettings     *settings);
/* Shows what is cached for @guest at once, then probes it while the tab is active. */
void        paddock_services_view_set_guest    (PaddockServicesView *self,
                                                PaddockWorkspace    *workspace,
                                                PaddockCluster      *cluster,
                                                PaddockGuest        *guest);
/* The tab is in front: probe now if what is shown is old, and every interval while it stays. */
void        paddock_services_view_set_active   (PaddockServicesView *self,
                                                gboolean             active);
void        paddock_services_view_refresh      (PaddockServicesView *self);
/* For tests: the services shown (PaddockService), and whether a probe or action is out. */
GListModel *paddock_services_view_get_services (PaddockServicesView *self);
gboolean    paddock_services_view_get_busy     (PaddockServicesView *self);
/* The last message shown instead of the services (an error, a stopped container), or NULL. */
const char *paddock_services_view_get_message  (PaddockServicesView *self);

G_END_DECLS
