/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-format.c: how the list and the detail put a container's state into words */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-format.h"

const char *
paddock_format_status (const char *status)
{
  if (g_strcmp0 (status, "running") == 0)
    return _("running");
  if (g_strcmp0 (status, "stopped") == 0)
    return _("stopped");
  if (g_strcmp0 (status, "paused") == 0)
    return _("paused");
  return status ? status : _("unknown");
}

const char *
paddock_status_style_class (const char *status)
{
  return g_strcmp0 (status, "running") == 0 ? "running"
       : g_strcmp0 (status, "stopped") == 0 ? "stopped"
       : g_strcmp0 (status, "paused") == 0 ? "warning"
       : "error";
}

char *
paddock_format_duration (gint64 seconds)
{
  if (seconds <= 0)
    return g_strdup ("—");
  if (seconds < 3600)
    return g_strdup_printf (_("%" G_GINT64_FORMAT " min"), MAX (1, seconds / 60));
  if (seconds < 86400)
    return g_strdup_printf (_("%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min"),
                            seconds / 3600, (seconds % 3600) / 60);
  return g_strdup_printf (_("%" G_GINT64_FORMAT " d %" G_GINT64_FORMAT " h"),
                          seconds / 86400, (seconds % 86400) / 3600);
}
