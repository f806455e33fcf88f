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

char *
paddock_format_cluster_check (const char              *version,
                              PaddockPveClusterStatus *status)
{
  g_autofree char *offline = paddock_pve_cluster_status_dup_offline (status);
  g_autofree char *where = NULL;
  guint n = status->nodes->len;

  if (status->cluster_name == NULL)
    /* Translators: a node that is not part of a cluster */
    where = g_strdup_printf (_("standalone node “%s”"),
                             paddock_pve_cluster_status_get_name (status) ? paddock_pve_cluster_status_get_name (status) : "?");
  else
    /* Translators: "cluster “homelab”, 3 nodes" */
    where = g_strdup_printf (ngettext ("cluster “%s”, %u node", "cluster “%s”, %u nodes", n), status->cluster_name, n);

  if (!status->quorate)
    /* Translators: the version, the cluster, the offline nodes */
    return g_strdup_printf (_("Connected: Proxmox VE %s, %s — but it has no quorum (offline: %s). Proxmox refuses "
                              "every change until enough nodes are back."),
                            version, where, offline ? offline : _("none"));
  if (offline != NULL)
    /* Translators: the version, the cluster, the offline nodes */
    return g_strdup_printf (_("Connected: Proxmox VE %s, %s (offline: %s)."), version, where, offline);

  /* Translators: the version, the cluster or node */
  return g_strdup_printf (_("Connected: Proxmox VE %s, %s."), version, where);
}

char *
paddock_format_cpus (double cpus)
{
  if (cpus <= 0)
    return g_strdup (_("all of the node's CPUs"));
  if (cpus != (double) (guint) cpus)
    /* Translators: a CPU limit below one core, "0.5 CPU" */
    return g_strdup_printf (_("%.2g CPU"), cpus);

  return g_strdup_printf (ngettext ("%u core", "%u cores", (guint) cpus), (guint) cpus);
}

/* "OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=pve1" → "pve1 (PVE Cluster Node, Proxmox
 * Virtual Environment)": the name first, who it belongs to after, in the order people read. */
char *
paddock_format_distinguished_name (const char *dn)
{
  static const char *order[] = { "OU", "O", "L", "ST", "C" };
  g_autoptr(GHashTable) parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *key = NULL;
  const char *name;
  guint others = 0;

  if (dn == NULL || *dn == '\0')
    return g_strdup (_("unknown"));

  /* RFC 4514: "key=value" pairs split by commas, "\," inside a value. */
  for (const char *p = dn;; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        g_string_append_c (value, *++p);
      else if (*p == '=' && key == NULL)
        {
          key = g_strstrip (g_string_free (g_steal_pointer (&value), FALSE));
          value = g_string_new (NULL);
        }
      else if (*p == ',' || *p == '+' || *p == '\0')
        {
          if (key != NULL && !g_hash_table_contains (parts, key))
            g_hash_table_insert (parts, g_ascii_strup (key, -1), g_strstrip (g_strdup (value->str)));
          g_clear_pointer (&key, g_free);
          g_string_truncate (value, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (value, *p);
    }

  name = g_hash_table_lookup (parts, "CN");
  if (name == NULL)
    return g_strdup (dn);

  g_string_append (text, name);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      const char *part = g_hash_table_lookup (parts, order[i]);

      if (part != NULL && *part != '\0')
        g_string_append_printf (text, "%s%s", others++ ? ", " : " (", part);
    }
  if (others > 0)
    g_string_append_c (text, ')');

  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
paddock_format_usage (gint64 used,
                      gint64 total)
{
  g_autofree char *used_text = g_format_size_full (MAX (used, 0), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *total_text = g_format_size_full (MAX (total, 0), G_FORMAT_SIZE_IEC_UNITS);
  /* GLib puts a no-break space between the number and the unit. */
  const char *used_unit = g_strrstr (used_text, "\u00a0");
  const char *total_unit = g_strrstr (total_text, "\u00a0");

  if (used <= 0)
    return g_steal_pointer (&total_text);

  /* The list's memory column has room for "353.7 / 512.0 MiB", not for the unit twice. */
  if (used_unit != NULL && total_unit != NULL && g_str_equal (used_unit, total_unit))
    used_text[used_unit - used_text] = '\0';

  /* Translators: memory used / memory available, e.g. "353.7 / 512.0 MiB" or "512.0 MiB / 2.0 GiB" */
  return g_strdup_printf (_("%s / %s"), used_text, total_text);
}
