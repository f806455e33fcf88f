/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-format.h: how the list and the detail put a container's state into words */

#pragma once

#include <glib.h>

#include "paddock-pve-types.h"

G_BEGIN_DECLS

/* "running", "stopped", "paused" translated; another Proxmox status as it is. */
const char *paddock_format_status      (const char *status);
/* The status badge's style class: running, stopped, warning (paused) or error. */
const char *paddock_status_style_class (const char *status);
/* "42 min", "3 h 12 min", "2 d 5 h"; "—" for none. */
char       *paddock_format_duration    (gint64      seconds);
/* "Connected: Proxmox VE 9.1.1, cluster “homelab”, 3 nodes.", quorum and offline nodes included. */
char       *paddock_format_cluster_check (const char              *version,
                                          PaddockPveClusterStatus *status);
/* A certificate's subject or issuer in words: "pve1 (PVE Cluster Node, Proxmox Virtual Environment)". */
char       *paddock_format_distinguished_name (const char *dn);
/* A container's CPUs: "2 cores", "0.5 CPU", or "all of the node's" when Proxmox sent none. */
char       *paddock_format_cpus        (double      cpus);
/* Used of available, the unit said once when both share it: "353.7 / 512.0 MiB",
 * "353.7 MiB / 2.0 GiB"; only the available when nothing is used: "512.0 MiB". */
char       *paddock_format_usage       (gint64      used,
                                        gint64      total);

G_END_DECLS
