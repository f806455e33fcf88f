/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-records.c: plain rows the store hands out */

#include "config.h"

#include "paddock-records.h"

G_DEFINE_BOXED_TYPE (PaddockNodeSsh, paddock_node_ssh, paddock_node_ssh_copy, paddock_node_ssh_free)
G_DEFINE_BOXED_TYPE (PaddockCachedGuest, paddock_cached_guest, paddock_cached_guest_copy, paddock_cached_guest_free)
G_DEFINE_BOXED_TYPE (PaddockManagedContainer, paddock_managed_container,
                     paddock_managed_container_copy, paddock_managed_container_free)
G_DEFINE_BOXED_TYPE (PaddockJobRecord, paddock_job_record, paddock_job_record_copy, paddock_job_record_free)

static const char *ssh_auth_names[] = { "agent", "key", "password" };
static const char *lifecycle_names[] = { "creating", "ready", "error" };
static const char *job_state_names[] = { "queued", "running", "succeeded", "failed", "interrupted", "cancelled" };

PaddockNodeSsh *
paddock_node_ssh_new (gint64      connection_id,
                      const char *node)
{
  PaddockNodeSsh *ssh = g_new0 (PaddockNodeSsh, 1);

  ssh->connection_id = connection_id;
  ssh->node = g_strdup (node);
  ssh->port = 22;
  ssh->user = g_strdup ("root");
  ssh->auth = PADDOCK_SSH_AUTH_AGENT;

  return ssh;
}

PaddockNodeSsh *
paddock_node_ssh_copy (const PaddockNodeSsh *ssh)
{
  PaddockNodeSsh *copy = g_memdup2 (ssh, sizeof *ssh);

  copy->node = g_strdup (ssh->node);
  copy->address = g_strdup (ssh->address);
  copy->user = g_strdup (ssh->user);
  copy->key_path = g_strdup (ssh->key_path);

  return copy;
}

void
paddock_node_ssh_free (PaddockNodeSsh *ssh)
{
  if (ssh == NULL)
    return;

  g_free (ssh->node);
  g_free (ssh->address);
  g_free (ssh->user);
  g_free (ssh->key_path);
  g_free (ssh);
}

const char *
paddock_ssh_auth_to_string (PaddockSshAuth auth)
{
  g_return_val_if_fail (auth < G_N_ELEMENTS (ssh_auth_names), NULL);

  return ssh_auth_names[auth];
}

gboolean
paddock_ssh_auth_from_string (const char     *str,
                              PaddockSshAuth *auth)
{
  for (guint i = 0; i < G_N_ELEMENTS (ssh_auth_names); i++)
    {
      if (g_strcmp0 (str, ssh_auth_names[i]) == 0)
        {
          *auth = i;
          return TRUE;
        }
    }

  return FALSE;
}

PaddockCachedGuest *
paddock_cached_guest_new (guint       vmid,
                          const char *node,
                          const char *name,
                          const char *status,
                          const char *json)
{
  PaddockCachedGuest *guest = g_new0 (PaddockCachedGuest, 1);

  guest->vmid = vmid;
  guest->node = g_strdup (node);
  guest->name = g_strdup (name);
  guest->status = g_strdup (status);
  guest->json = g_strdup (json);

  return guest;
}

PaddockCachedGuest *
paddock_cached_guest_copy (const PaddockCachedGuest *guest)
{
  PaddockCachedGuest *copy = paddock_cached_guest_new (guest->vmid, guest->node, guest->name,
                                                       guest->status, guest->json);

  copy->last_seen = guest->last_seen;

  return copy;
}

void
paddock_cached_guest_free (PaddockCachedGuest *guest)
{
  if (guest == NULL)
    return;

  g_free (guest->node);
  g_free (guest->name);
  g_free (guest->status);
  g_free (guest->json);
  g_free (guest);
}

PaddockManagedContainer *
paddock_managed_container_copy (const PaddockManagedContainer *container)
{
  PaddockManagedContainer *copy = g_memdup2 (container, sizeof *container);

  copy->node = g_strdup (container->node);
  copy->hostname = g_strdup (container->hostname);

  return copy;
}

void
paddock_managed_container_free (PaddockManagedContainer *container)
{
  if (container == NULL)
    return;

  g_free (container->node);
  g_free (container->hostname);
  g_free (container);
}

const char *
paddock_lifecycle_to_string (PaddockLifecycle lifecycle)
{
  g_return_val_if_fail (lifecycle < G_N_ELEMENTS (lifecycle_names), NULL);

  return lifecycle_names[lifecycle];
}

PaddockJobRecord *
paddock_job_record_new (void)
{
  return g_new0 (PaddockJobRecord, 1);
}

PaddockJobRecord *
paddock_job_record_copy (const PaddockJobRecord *job)
{
  PaddockJobRecord *copy = g_memdup2 (job, sizeof *job);

  copy->node = g_strdup (job->node);
  copy->hostname = g_strdup (job->hostname);
  copy->phase = g_strdup (job->phase);
  copy->message = g_strdup (job->message);
  copy->params = g_strdup (job->params);
  copy->items = g_strdup (job->items);

  return copy;
}

void
paddock_job_record_free (PaddockJobRecord *job)
{
  if (job == NULL)
    return;

  g_free (job->node);
  g_free (job->hostname);
  g_free (job->phase);
  g_free (job->message);
  g_free (job->params);
  g_free (job->items);
  g_free (job);
}

const char *
paddock_job_state_to_string (PaddockJobState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (job_state_names), NULL);

  return job_state_names[state];
}

void
paddock_job_line_free (PaddockJobLine *line)
{
  if (line == NULL)
    return;

  g_free (line->line);
  g_free (line);
}
