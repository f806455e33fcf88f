/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-core.h: the public headers of libpaddock-core, the GTK-free heart of Paddock */

#pragma once

#include "paddock-address-index.h"
#include "paddock-cluster.h"
#include "paddock-connection.h"
#include "paddock-error.h"
#include "paddock-event.h"
#include "paddock-guest.h"
#include "paddock-guest-operation.h"
#include "paddock-pct.h"
#include "paddock-pve-client.h"
#include "paddock-pve-types.h"
#include "paddock-records.h"
#include "paddock-secrets.h"
#include "paddock-settings.h"
#include "paddock-shell.h"
#include "paddock-ssh-pty.h"
#include "paddock-ssh-session.h"
#include "paddock-store.h"
#include "paddock-task-watcher.h"
#include "paddock-template.h"
#include "paddock-template-io.h"
#include "paddock-trust-store.h"
#include "paddock-workspace.h"
