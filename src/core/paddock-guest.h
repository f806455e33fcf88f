/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-guest.h: one container (or VM) as the cluster reports it, updated in place on refresh */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PaddockGuestState:
 * @PADDOCK_GUEST_STATE_UNKNOWN: Proxmox does not know (its node is offline) or said something else
 * @PADDOCK_GUEST_STATE_RUNNING: running
 * @PADDOCK_GUEST_STATE_STOPPED: stopped
 *
 * A container's "status" as a value to compare, not a string.
 */
typedef enum
{
  PADDOCK_GUEST_STATE_UNKNOWN,
  PADDOCK_GUEST_STATE_RUNNING,
  PADDOCK_GUEST_STATE_STOPPED,
} PaddockGuestState;

PaddockGuestState paddock_guest_state_from_string (const char *status);

#define PADDOCK_TYPE_GUEST (paddock_guest_get_type ())

G_DECLARE_FINAL_TYPE (PaddockGuest, paddock_guest, PADDOCK, GUEST, GObject)

gint64      paddock_guest_get_connection_id (PaddockGuest *self);
guint       paddock_guest_get_vmid          (PaddockGuest *self);
const char *paddock_guest_get_guest_type    (PaddockGuest *self);
const char *paddock_guest_get_node          (PaddockGuest *self);
const char *paddock_guest_get_name          (PaddockGuest *self);
const char *paddock_guest_get_display_name  (PaddockGuest *self);
char       *paddock_guest_dup_display_name  (PaddockGuest *self);
/* "connection:vmid": one container among every connection, as a hash key. */
char       *paddock_guest_key               (gint64        connection_id,
                                             guint         vmid);
char       *paddock_guest_dup_key           (PaddockGuest *self);
const char *paddock_guest_get_status        (PaddockGuest *self);
PaddockGuestState paddock_guest_get_state   (PaddockGuest *self);
/* Usage figures (CPU, memory, disk, uptime) are known: FALSE for a container of an offline node. */
gboolean    paddock_guest_get_figures_known (PaddockGuest *self);
/* The tags, split as Proxmox reads them (';', ',' or whitespace), empty ones and repeats dropped. */
GStrv       paddock_guest_dup_tag_list      (PaddockGuest *self);
GStrv       paddock_tags_split              (const char   *tags);
const char *paddock_guest_get_tags          (PaddockGuest *self);
const char *paddock_guest_get_lock          (PaddockGuest *self);
const char *paddock_guest_get_hastate       (PaddockGuest *self);
gboolean    paddock_guest_get_template      (PaddockGuest *self);
double      paddock_guest_get_cpu           (PaddockGuest *self);
double      paddock_guest_get_maxcpu        (PaddockGuest *self);
gint64      paddock_guest_get_mem           (PaddockGuest *self);
gint64      paddock_guest_get_maxmem        (PaddockGuest *self);
gint64      paddock_guest_get_disk          (PaddockGuest *self);
gint64      paddock_guest_get_maxdisk       (PaddockGuest *self);
gint64      paddock_guest_get_uptime        (PaddockGuest *self);
gint64      paddock_guest_get_netin         (PaddockGuest *self);
gint64      paddock_guest_get_netout        (PaddockGuest *self);
gboolean    paddock_guest_get_busy          (PaddockGuest *self);
/* A provisioning job's percentage while one makes the container, else -1. */
int         paddock_guest_get_provisioning  (PaddockGuest *self);
void        paddock_guest_set_provisioning  (PaddockGuest *self,
                                             int           percent);
gboolean    paddock_guest_get_offline       (PaddockGuest *self);

G_END_DECLS
