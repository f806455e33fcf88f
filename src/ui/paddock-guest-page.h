/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-guest-page.h: one container in detail: overview with live usage, and its events */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"
#include "paddock-graphs-view.h"
#include "paddock-services-view.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_GUEST_PAGE (paddock_guest_page_get_type ())

G_DECLARE_FINAL_TYPE (PaddockGuestPage, paddock_guest_page, PADDOCK, GUEST_PAGE, AdwBin)

GtkWidget    *paddock_guest_page_new        (void);
void          paddock_guest_page_set_guest  (PaddockGuestPage *self,
                                             PaddockWorkspace *workspace,
                                             PaddockCluster   *cluster,
                                             PaddockGuest     *guest,
                                             guint             status_interval_seconds);
PaddockGuest *paddock_guest_page_get_guest  (PaddockGuestPage *self);
/* For a container Paddock made: its template and when (0: unknown). */
void          paddock_guest_page_set_origin (PaddockGuestPage *self,
                                             const char       *template_name,
                                             gint64            created_at);
/* Fetches the configuration, addresses and events again (after an action). */
void          paddock_guest_page_reload     (PaddockGuestPage *self);
/* Whether requests for the page are still out (tests wait for FALSE). */
gboolean      paddock_guest_page_get_loading (PaddockGuestPage *self);
void          paddock_guest_page_show_events (PaddockGuestPage *self);
void          paddock_guest_page_show_services (PaddockGuestPage *self);
void          paddock_guest_page_set_settings (PaddockGuestPage *self,
                                               PaddockSettings  *settings);
PaddockServicesView *paddock_guest_page_get_services_view (PaddockGuestPage *self);

void                paddock_guest_page_show_graph       (PaddockGuestPage *self,
                                                         const char       *graph);
PaddockGraphsView  *paddock_guest_page_get_graphs_view  (PaddockGuestPage *self);

G_END_DECLS
