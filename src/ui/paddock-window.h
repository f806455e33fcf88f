/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window.h: the main window */

#pragma once

#include <adwaita.h>

#include "paddock-application.h"
#include "paddock-guest-page.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_WINDOW (paddock_window_get_type ())

G_DECLARE_FINAL_TYPE (PaddockWindow, paddock_window, PADDOCK, WINDOW, AdwApplicationWindow)

PaddockWindow *paddock_window_new        (PaddockApplication *application);
PaddockGuestPage *paddock_window_get_guest_page (PaddockWindow *self);
void           paddock_window_show_toast (PaddockWindow      *self,
                                          const char         *title);
/* The page of job @job_id (a notification's action), or the jobs list when it is gone. */
void           paddock_window_show_container (PaddockWindow *self,
                                              gint64         connection_id,
                                              guint          vmid);
void           paddock_window_show_job   (PaddockWindow      *self,
                                          gint64              job_id);

G_END_DECLS
