/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-core.h: the public headers of libpaddock-core, the GTK-free heart of Paddock */

#pragma once

#include "paddock-settings.h"
