/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-client-private.h: what the client's files share: its instance, TLS trust and the
 * call machinery (transport), behind the public typed endpoints */

#pragma once

#include <libsoup/soup.h>
#include <string.h>

#include "paddock-pve-client.h"

G_BEGIN_DECLS

struct _PaddockPveClient
{
  GObject            parent_instance;

  char              *host;
  guint16            port;
  char              *base_url;
  PaddockTrustStore *trust_store;
  SoupSession       *session;
  guint              request_timeout_ms;
  guint              retry_delay_ms;

  /* API token auth */
  char              *token_id;
  char              *token_secret;

  /* Ticket auth */
  char              *username;
  char              *password;
  char              *ticket;
  char              *csrf_token;
  gint64             ticket_time;   /* monotonic seconds */
  char              *tfa_ticket;    /* the half-ticket while a second factor is awaited */
  gboolean           logging_in;
  GQueue             login_waiters; /* GTask of calls waiting for the ticket */

  PaddockCertificateInfo *rejected;
  GTlsCertificate        *cluster_ca;
  GTlsDatabase           *system_database;  /* NULL: the system's CA store */
  char                   *expected_pin;     /* stands in for the trust store's pin until saved */
};

/* Secrets are overwritten before they are freed. */
static inline void
_paddock_pve_wipe (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

/* paddock-pve-client-trust.c */
gboolean _paddock_pve_client_accept_certificate (SoupMessage          *msg,
                                                 GTlsCertificate      *certificate,
                                                 GTlsCertificateFlags  errors,
                                                 PaddockPveClient     *self);
void     _paddock_pve_client_set_system_database (PaddockPveClient    *self,
                                                  GTlsDatabase        *database);

/* paddock-pve-client-transport.c */
void     _paddock_pve_client_clear_ticket       (PaddockPveClient     *self);

G_END_DECLS
