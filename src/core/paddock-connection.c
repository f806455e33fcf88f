/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-connection.c: one Proxmox VE cluster or node Paddock connects to (no secrets) */

#include "config.h"

#include "paddock-connection.h"

struct _PaddockConnection
{
  GObject          parent_instance;
  gint64           id;
  char            *name;
  char            *host;
  guint16          port;
  PaddockAuthKind  auth_kind;
  char            *username;
  char            *token_id;
  gint64           created_at;
  guint            is_default : 1;
};

G_DEFINE_FINAL_TYPE (PaddockConnection, paddock_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_HOST,
  PROP_PORT,
  PROP_AUTH_KIND,
  PROP_USERNAME,
  PROP_TOKEN_ID,
  PROP_IS_DEFAULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
paddock_connection_finalize (GObject *object)
{
  PaddockConnection *self = PADDOCK_CONNECTION (object);

  g_free (self->name);
  g_free (self->host);
  g_free (self->username);
  g_free (self->token_id);

  G_OBJECT_CLASS (paddock_connection_parent_class)->finalize (object);
}

static void
paddock_connection_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PaddockConnection *self = PADDOCK_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_HOST: g_value_set_string (value, self->host); break;
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_AUTH_KIND: g_value_set_int (value, self->auth_kind); break;
    case PROP_USERNAME: g_value_set_string (value, self->username); break;
    case PROP_TOKEN_ID: g_value_set_string (value, self->token_id); break;
    case PROP_IS_DEFAULT: g_value_set_boolean (value, self->is_default); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_connection_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PaddockConnection *self = PADDOCK_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID: paddock_connection_set_id (self, g_value_get_int64 (value)); break;
    case PROP_NAME: paddock_connection_set_name (self, g_value_get_string (value)); break;
    case PROP_IS_DEFAULT: paddock_connection_set_is_default (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_connection_class_init (PaddockConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = paddock_connection_finalize;
  object_class->get_property = paddock_connection_get_property;
  object_class->set_property = paddock_connection_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, ro);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535, 8006, ro);
  properties[PROP_AUTH_KIND] = g_param_spec_int ("auth-kind", NULL, NULL, 0, PADDOCK_AUTH_PASSWORD, 0, ro);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, ro);
  properties[PROP_TOKEN_ID] = g_param_spec_string ("token-id", NULL, NULL, NULL, ro);
  properties[PROP_IS_DEFAULT] = g_param_spec_boolean ("is-default", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_connection_init (PaddockConnection *self)
{
  self->port = 8006;
}

/**
 * paddock_connection_new:
 * @username: the Proxmox user with realm (`root@pam`); for a token, the token's user
 * @token_id: (nullable): the token name after `!` for token auth
 */
PaddockConnection *
paddock_connection_new (const char      *name,
                        const char      *host,
                        guint16          port,
                        PaddockAuthKind  auth_kind,
                        const char      *username,
                        const char      *token_id)
{
  PaddockConnection *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  self = g_object_new (PADDOCK_TYPE_CONNECTION, NULL);
  self->name = g_strdup (name);
  self->host = g_strdup (host);
  self->port = port ? port : 8006;
  self->auth_kind = auth_kind;
  self->username = g_strdup (username);
  self->token_id = g_strdup (token_id);
  self->created_at = g_get_real_time () / G_USEC_PER_SEC;

  return self;
}

gint64
paddock_connection_get_id (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), 0);
  return self->id;
}

void
paddock_connection_set_id (PaddockConnection *self,
                           gint64             id)
{
  g_return_if_fail (PADDOCK_IS_CONNECTION (self));

  if (self->id != id)
    {
      self->id = id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }
}

const char *
paddock_connection_get_name (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), NULL);
  return self->name;
}

void
paddock_connection_set_name (PaddockConnection *self,
                             const char        *name)
{
  g_return_if_fail (PADDOCK_IS_CONNECTION (self));

  if (g_strcmp0 (self->name, name) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
}

const char *
paddock_connection_get_host (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), NULL);
  return self->host;
}

guint16
paddock_connection_get_port (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), 0);
  return self->port;
}

PaddockAuthKind
paddock_connection_get_auth_kind (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), 0);
  return self->auth_kind;
}

const char *
paddock_connection_get_username (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), NULL);
  return self->username;
}

const char *
paddock_connection_get_token_id (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), NULL);
  return self->token_id;
}

gboolean
paddock_connection_get_is_default (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), FALSE);
  return self->is_default;
}

void
paddock_connection_set_is_default (PaddockConnection *self,
                                   gboolean           is_default)
{
  g_return_if_fail (PADDOCK_IS_CONNECTION (self));

  is_default = !!is_default;
  if (self->is_default != is_default)
    {
      self->is_default = is_default;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
    }
}

gint64
paddock_connection_get_created_at (PaddockConnection *self)
{
  g_return_val_if_fail (PADDOCK_IS_CONNECTION (self), 0);
  return self->created_at;
}

void
paddock_connection_set_created_at (PaddockConnection *self,
                                   gint64             created_at)
{
  g_return_if_fail (PADDOCK_IS_CONNECTION (self));
  self->created_at = created_at;
}

const char *
paddock_auth_kind_to_string (PaddockAuthKind kind)
{
  return kind == PADDOCK_AUTH_PASSWORD ? "password" : "token";
}

gboolean
paddock_auth_kind_from_string (const char      *str,
                               PaddockAuthKind *kind)
{
  if (g_strcmp0 (str, "token") == 0)
    *kind = PADDOCK_AUTH_TOKEN;
  else if (g_strcmp0 (str, "password") == 0)
    *kind = PADDOCK_AUTH_PASSWORD;
  else
    return FALSE;

  return TRUE;
}
