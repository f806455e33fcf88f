/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-service.h: one systemd service of a container, as the probe found it (SPEC.md §5) */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Where a service listens. */
typedef struct
{
  char    *protocol;   /* "tcp" or "udp" */
  char    *address;    /* "0.0.0.0", "::", "*", or one address */
  char    *scope;      /* an interface ("lo", "eth0") or NULL */
  guint16  port;
  gboolean wildcard;   /* every address of its family */
  char    *command;    /* the process that holds it, as ss names it */
} PaddockPort;

#define PADDOCK_TYPE_PORT (paddock_port_get_type ())
GType        paddock_port_get_type  (void) G_GNUC_CONST;
PaddockPort *paddock_port_copy      (const PaddockPort *port);
void         paddock_port_free      (PaddockPort       *port);
gboolean     paddock_port_equal     (const PaddockPort *a,
                                     const PaddockPort *b);
/* "0.0.0.0:80", "[::]:80", "127.0.0.53%lo:53" */
char        *paddock_port_dup_label (const PaddockPort *port);
/* http://ADDRESS:PORT for a TCP port (https for 443 and 8443, or with @https); @address is the
 * container's own address for a wildcard bind. NULL for UDP or loopback-only binds. */
char        *paddock_port_dup_url   (const PaddockPort *port,
                                     const char        *container_address,
                                     gboolean           https);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockPort, paddock_port_free)

/* One credentials file of a container (never stored outside memory and, on request, the
 * keyring). */
typedef struct
{
  char   *path;       /* in the container */
  GStrv   keys;
  GStrv   values;     /* wiped when freed */
  char   *error;      /* why the file could not be read (not UTF-8, …), or NULL */
} PaddockCredentialFile;

#define PADDOCK_TYPE_CREDENTIAL_FILE (paddock_credential_file_get_type ())
GType                  paddock_credential_file_get_type (void) G_GNUC_CONST;
PaddockCredentialFile *paddock_credential_file_copy     (const PaddockCredentialFile *file);
void                   paddock_credential_file_free     (PaddockCredentialFile       *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PaddockCredentialFile, paddock_credential_file_free)

#define PADDOCK_TYPE_SERVICE (paddock_service_get_type ())

G_DECLARE_FINAL_TYPE (PaddockService, paddock_service, PADDOCK, SERVICE, GObject)

PaddockService *paddock_service_new                 (const char      *unit);
const char     *paddock_service_get_unit            (PaddockService  *self);
/* The unit without ".service", or the credentials' service name for a credentials-only entry. */
const char     *paddock_service_get_name            (PaddockService  *self);
const char     *paddock_service_get_description     (PaddockService  *self);
const char     *paddock_service_get_load_state      (PaddockService  *self);
const char     *paddock_service_get_active_state    (PaddockService  *self);
const char     *paddock_service_get_sub_state       (PaddockService  *self);
const char     *paddock_service_get_unit_file_state (PaddockService  *self);
int             paddock_service_get_main_pid        (PaddockService  *self);
/* Bytes, or -1 when systemd does not account it. */
gint64          paddock_service_get_memory          (PaddockService  *self);
/* Unix time it became active, or 0. */
gint64          paddock_service_get_active_since    (PaddockService  *self);
int             paddock_service_get_restarts        (PaddockService  *self);
gboolean        paddock_service_get_system          (PaddockService  *self);
gboolean        paddock_service_get_failed          (PaddockService  *self);
gboolean        paddock_service_get_running         (PaddockService  *self);
gboolean        paddock_service_get_enabled         (PaddockService  *self);
/* FALSE for an entry made only of a credentials file that no unit matches. */
gboolean        paddock_service_get_has_unit        (PaddockService  *self);
GPtrArray      *paddock_service_get_ports           (PaddockService  *self);
GPtrArray      *paddock_service_get_credentials     (PaddockService  *self);

/* For the probe: the fields systemctl show gave (Id, Description, LoadState, ActiveState,
 * SubState, UnitFileState, MainPID, MemoryCurrent, NRestarts). */
void            paddock_service_set_properties      (PaddockService  *self,
                                                     GHashTable      *properties,
                                                     gint64           active_since);
void            paddock_service_set_has_unit        (PaddockService  *self,
                                                     gboolean         has_unit);
void            paddock_service_add_port            (PaddockService  *self,
                                                     const PaddockPort *port);
void            paddock_service_add_credentials     (PaddockService  *self,
                                                     const PaddockCredentialFile *file);
/* Takes every value of @other (the same unit probed again), notifying what changed. */
void            paddock_service_update_from         (PaddockService  *self,
                                                     PaddockService  *other);

/* Services a system runs for itself (SPEC.md §5.2): shown apart from the applications. */
gboolean        paddock_unit_is_system              (const char      *unit);

G_END_DECLS
