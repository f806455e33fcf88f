/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-application.h: the Paddock AdwApplication */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_APPLICATION (paddock_application_get_type ())

G_DECLARE_FINAL_TYPE (PaddockApplication, paddock_application, PADDOCK, APPLICATION, AdwApplication)

PaddockApplication *paddock_application_new          (const char         *application_id,
                                                      GApplicationFlags   flags);
PaddockSettings    *paddock_application_get_settings (PaddockApplication *self);

G_END_DECLS
