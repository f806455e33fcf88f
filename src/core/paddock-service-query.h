/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-service-query.h: "port:5432" and "service:postgres" in a search, answered from the
 * services Paddock saw in every container (the probe cache) */

#pragma once

#include "paddock-workspace.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_SERVICE_QUERY (paddock_service_query_get_type ())

G_DECLARE_FINAL_TYPE (PaddockServiceQuery, paddock_service_query, PADDOCK, SERVICE_QUERY, GObject)

PaddockServiceQuery *paddock_service_query_new           (PaddockWorkspace    *workspace);
/* Takes the port: and service: words of @search_text (and asks the cache about them); the
 * words left over are for the ordinary search. */
void                 paddock_service_query_set_text      (PaddockServiceQuery *self,
                                                          const char          *search_text);
const char          *paddock_service_query_get_rest      (PaddockServiceQuery *self);
/* Whether the search has port: or service: words. */
gboolean             paddock_service_query_get_active    (PaddockServiceQuery *self);
/* Whether answers are still coming (then "changed" follows). */
gboolean             paddock_service_query_get_pending   (PaddockServiceQuery *self);
gboolean             paddock_service_query_matches       (PaddockServiceQuery *self,
                                                          PaddockGuest        *guest);
/* Looks inside every running container that Paddock has not looked inside yet (a probe per
 * node over its session), keeps what it saw, and asks again. "changed" follows. */
void                 paddock_service_query_look_inside_running (PaddockServiceQuery *self);
/* Containers being looked inside now. */
guint                paddock_service_query_get_probing   (PaddockServiceQuery *self);

G_END_DECLS
