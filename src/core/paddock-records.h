/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-records.h: plain rows the store hands out (boxed, with public fields) */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PADDOCK_SSH_AUTH_AGENT,
  PADDOCK_SSH_AUTH_KEY,
  PADDOCK_SSH_AUTH_PASSWORD,
} PaddockSshAuth;

/* How Paddock reaches one Proxmox node over SSH (SPEC.md §2.3); secrets live in the keyring. */
typedef struct
{
  gint64          connection_id;
  char           *node;
  char           *address;   /* nullable: overrides the address from /cluster/status */
  guint16         port;
  char           *user;
  PaddockSshAuth  auth;
  char           *key_path;  /* nullable */
} PaddockNodeSsh;

#define PADDOCK_TYPE_NODE_SSH (paddock_node_ssh_get_type ())
GType           paddock_node_ssh_get_type (void) G_GNUC_CONST;
PaddockNodeSsh *paddock_node_ssh_new      (gint64                connection_id,
                                           const char           *node);
PaddockNodeSsh *paddock_node_ssh_copy     (const PaddockNodeSsh *ssh);
void            paddock_node_ssh_free     (PaddockNodeSsh       *ssh);
const char     *paddock_ssh_auth_to_string   (PaddockSshAuth  auth);
gboolean        paddock_ssh_auth_from_string (const char     *str,
                                              PaddockSshAuth *auth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockNodeSsh, paddock_node_ssh_free)

/* One container of the last known list of a connection, for the offline view (SPEC.md §3.1). */
typedef struct
{
  guint   vmid;
  char   *node;
  char   *name;
  char   *status;
  char   *json;       /* the resource object as Proxmox sent it */
  gint64  last_seen;  /* unix seconds */
} PaddockCachedGuest;

#define PADDOCK_TYPE_CACHED_GUEST (paddock_cached_guest_get_type ())
GType               paddock_cached_guest_get_type (void) G_GNUC_CONST;
PaddockCachedGuest *paddock_cached_guest_new      (guint                     vmid,
                                                   const char               *node,
                                                   const char               *name,
                                                   const char               *status,
                                                   const char               *json);
PaddockCachedGuest *paddock_cached_guest_copy     (const PaddockCachedGuest *guest);
void                paddock_cached_guest_free     (PaddockCachedGuest       *guest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockCachedGuest, paddock_cached_guest_free)

typedef enum
{
  PADDOCK_LIFECYCLE_CREATING,
  PADDOCK_LIFECYCLE_READY,
  PADDOCK_LIFECYCLE_ERROR,
} PaddockLifecycle;

/* A container Paddock created (its runtime facts always come from Proxmox). */
typedef struct
{
  gint64            connection_id;
  char             *node;
  guint             vmid;
  char             *hostname;     /* shown while Proxmox cannot be reached */
  gint64            template_id;  /* 0 when none */
  gint64            created_at;
  PaddockLifecycle  lifecycle;
} PaddockManagedContainer;

#define PADDOCK_TYPE_MANAGED_CONTAINER (paddock_managed_container_get_type ())
GType                    paddock_managed_container_get_type (void) G_GNUC_CONST;
PaddockManagedContainer *paddock_managed_container_copy     (const PaddockManagedContainer *container);
void                     paddock_managed_container_free     (PaddockManagedContainer       *container);
const char              *paddock_lifecycle_to_string        (PaddockLifecycle               lifecycle);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockManagedContainer, paddock_managed_container_free)

typedef enum
{
  PADDOCK_JOB_QUEUED,
  PADDOCK_JOB_RUNNING,
  PADDOCK_JOB_SUCCEEDED,
  PADDOCK_JOB_FAILED,
  PADDOCK_JOB_INTERRUPTED,
  PADDOCK_JOB_CANCELLED,
} PaddockJobState;

/* A provisioning job as persisted (SPEC.md §6.4). params and items are JSON without secrets. */
typedef struct
{
  gint64           id;
  gint64           connection_id;
  char            *node;
  guint            vmid;
  char            *hostname;
  gint64           template_id;
  PaddockJobState  state;
  char            *phase;
  guint            percent;
  char            *message;
  char            *params;
  char            *items;
  gint64           created_at;
  gint64           updated_at;
  gboolean         elsewhere;  /* queued or running in another live Paddock process */
  gboolean         cancel_requested;
} PaddockJobRecord;

#define PADDOCK_TYPE_JOB_RECORD (paddock_job_record_get_type ())
GType             paddock_job_record_get_type  (void) G_GNUC_CONST;
PaddockJobRecord *paddock_job_record_new       (void);
PaddockJobRecord *paddock_job_record_copy      (const PaddockJobRecord *job);
void              paddock_job_record_free      (PaddockJobRecord       *job);
const char       *paddock_job_state_to_string  (PaddockJobState         state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockJobRecord, paddock_job_record_free)

/* One line of a job's output; stream 1 is stdout, 2 stderr, 0 Paddock's own notes, 3 a Proxmox
 * task's log. */
typedef struct
{
  gint64  seq;
  guint   stream;
  char   *line;
} PaddockJobLine;

void paddock_job_line_free (PaddockJobLine *line);

G_END_DECLS
