/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-application.h: the Paddock AdwApplication */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_APPLICATION (paddock_application_get_type ())

G_DECLARE_FINAL_TYPE (PaddockApplication, paddock_application, PADDOCK, APPLICATION, AdwApplication)

/* First thing in main(), before any thread starts. */
void                paddock_application_prepare_process (void);
PaddockApplication *paddock_application_new             (const char         *application_id,
                                                         GApplicationFlags   flags);
PaddockSettings    *paddock_application_get_settings    (PaddockApplication *self);
/* NULL until the store is open and the connections are loaded (see notify::workspace). */
PaddockWorkspace   *paddock_application_get_workspace   (PaddockApplication *self);
/* NULL until the workspace is loaded (see notify::provisioner). */
PaddockProvisioner *paddock_application_get_provisioner (PaddockApplication *self);
/* Set when the store could not be opened; the window shows it. */
const char         *paddock_application_get_load_error  (PaddockApplication *self);
void                paddock_application_set_data_dir    (PaddockApplication *self,
                                                         const char         *data_dir);
/* What --connect URL does (secrets from PADDOCK_* variables). */
void                paddock_application_set_connect_url (PaddockApplication *self,
                                                         const char         *url);

G_END_DECLS
