/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-operation-controller.h: asks, runs and reports lifecycle actions for a window */

#pragma once

#include <adwaita.h>

#include "paddock-core.h"

G_BEGIN_DECLS

#define PADDOCK_TYPE_OPERATION_CONTROLLER (paddock_operation_controller_get_type ())

G_DECLARE_FINAL_TYPE (PaddockOperationController, paddock_operation_controller, PADDOCK, OPERATION_CONTROLLER, GObject)

PaddockOperationController *paddock_operation_controller_new          (GtkWindow                  *window,
                                                                       AdwToastOverlay            *toasts,
                                                                       PaddockWorkspace           *workspace,
                                                                       PaddockSettings            *settings);
/* Confirms as SPEC.md §4 says (one question for several containers), then runs @action on each. */
void                        paddock_operation_controller_request      (PaddockOperationController *self,
                                                                       GPtrArray                  *guests,
                                                                       PaddockOperationAction      action);
/* The log of a failed task that a toast offers to show. */
void                        paddock_operation_controller_show_failure (PaddockOperationController *self,
                                                                       guint                       failure_id);
guint                       paddock_operation_controller_get_n_running (PaddockOperationController *self);
/* For tests: how long a shutdown may take before the fallback (otherwise the setting). */
void                        paddock_operation_controller_set_shutdown_timeout (PaddockOperationController *self,
                                                                               guint                       seconds);

G_END_DECLS
