/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-service-row.h: one service of a container: state, ports, credentials, actions */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_SERVICE_ROW (paddock_service_row_get_type ())

G_DECLARE_FINAL_TYPE (PaddockServiceRow, paddock_service_row, PADDOCK, SERVICE_ROW, AdwExpanderRow)

/* @address: the container's own address, for "Open in browser" on wildcard binds.
 * The row's buttons activate svc.start|stop|restart|logs|save-credentials (target: the unit, or
 * for save-credentials "UNIT\nPATH") and svc.copy (target: the value) on its ancestors. */
GtkWidget      *paddock_service_row_new         (PaddockService *service,
                                                 const char     *address);
PaddockService *paddock_service_row_get_service (PaddockServiceRow *self);
void            paddock_service_row_set_address (PaddockServiceRow *self,
                                                 const char        *address);

G_END_DECLS
