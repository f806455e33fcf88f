/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddockctl-commands.h: the top-level commands of paddockctl */

#pragma once

#include "paddockctl-context.h"

G_BEGIN_DECLS

int ctl_command_connection (CtlContext *ctl, int argc, char **argv);
int ctl_command_list       (CtlContext *ctl, int argc, char **argv);
int ctl_command_status     (CtlContext *ctl, int argc, char **argv);
int ctl_command_lifecycle  (CtlContext *ctl, int argc, char **argv);
int ctl_command_exec       (CtlContext *ctl, int argc, char **argv);
int ctl_command_enter      (CtlContext *ctl, int argc, char **argv);
int ctl_command_template   (CtlContext *ctl, int argc, char **argv);
int ctl_command_services   (CtlContext *ctl, int argc, char **argv);
int ctl_command_logs       (CtlContext *ctl, int argc, char **argv);
int ctl_command_service    (CtlContext *ctl, int argc, char **argv);
int ctl_command_create     (CtlContext *ctl, int argc, char **argv);
int ctl_command_jobs       (CtlContext *ctl, int argc, char **argv);
int ctl_command_job        (CtlContext *ctl, int argc, char **argv);

G_END_DECLS
