/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-secrets.c: passwords, token secrets and passphrases in the Secret Service (keyring) */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "paddock-secrets.h"

struct _PaddockSecrets
{
  GObject     parent_instance;
  /* Attributes key → secret, used instead of the keyring when the user chose session-only. */
  GHashTable *session;
  guint       session_only : 1;
};

G_DEFINE_FINAL_TYPE (PaddockSecrets, paddock_secrets, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *kind_names[] = {
  "token", "password", "ssh-password", "ssh-key-passphrase", "root-password", "credential",
};

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    PADDOCK_SECRETS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "node", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
paddock_secret_free (PaddockSecret *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static GHashTable *
build_attributes (PaddockSecretKind  kind,
                  gint64             connection_id,
                  const char        *node,
                  const char        *key)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (kind_names[kind]));
  g_hash_table_insert (attributes, (gpointer) "connection",
                       g_strdup_printf ("%" G_GINT64_FORMAT, connection_id));
  g_hash_table_insert (attributes, (gpointer) "node", g_strdup (node != NULL ? node : ""));
  g_hash_table_insert (attributes, (gpointer) "key", g_strdup (key != NULL ? key : ""));

  return attributes;
}

static char *
session_key (PaddockSecretKind  kind,
             gint64             connection_id,
             const char        *node,
             const char        *key)
{
  return g_strdup_printf ("%s\x1f%" G_GINT64_FORMAT "\x1f%s\x1f%s", kind_names[kind], connection_id,
                          node != NULL ? node : "", key != NULL ? key : "");
}

/* Turns libsecret's failures into errors that say what to do; never includes the secret. */
static GError *
translate_error (GError *error)
{
  GError *translated;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (error->domain == G_DBUS_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_dbus_error_is_remote_error (error))
    translated = g_error_new (PADDOCK_SECRETS_ERROR, PADDOCK_SECRETS_ERROR_NO_SERVICE,
                              "No keyring (Secret Service) is available: %s. Secrets can be kept "
                              "for this session only.", error->message);
  else if (error->domain == SECRET_ERROR && error->code == SECRET_ERROR_IS_LOCKED)
    translated = g_error_new (PADDOCK_SECRETS_ERROR, PADDOCK_SECRETS_ERROR_LOCKED,
                              "The keyring is locked; unlock it to let Paddock use its secrets");
  else
    translated = g_error_new (PADDOCK_SECRETS_ERROR, PADDOCK_SECRETS_ERROR_FAILED,
                              "The keyring refused the request: %s", error->message);

  g_error_free (error);
  return translated;
}

static void
paddock_secrets_finalize (GObject *object)
{
  PaddockSecrets *self = PADDOCK_SECRETS (object);

  g_clear_pointer (&self->session, g_hash_table_unref);

  G_OBJECT_CLASS (paddock_secrets_parent_class)->finalize (object);
}

static void
paddock_secrets_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PaddockSecrets *self = PADDOCK_SECRETS (object);

  switch (prop_id)
    {
    case PROP_SESSION_ONLY:
      g_value_set_boolean (value, self->session_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_secrets_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PaddockSecrets *self = PADDOCK_SECRETS (object);

  switch (prop_id)
    {
    case PROP_SESSION_ONLY:
      paddock_secrets_set_session_only (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_secrets_class_init (PaddockSecretsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = paddock_secrets_finalize;
  object_class->get_property = paddock_secrets_get_property;
  object_class->set_property = paddock_secrets_set_property;

  properties[PROP_SESSION_ONLY] =
    g_param_spec_boolean ("session-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
paddock_secrets_init (PaddockSecrets *self)
{
  self->session = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) paddock_secret_free);
}

PaddockSecrets *
paddock_secrets_new (void)
{
  return g_object_new (PADDOCK_TYPE_SECRETS, NULL);
}

gboolean
paddock_secrets_get_session_only (PaddockSecrets *self)
{
  g_return_val_if_fail (PADDOCK_IS_SECRETS (self), FALSE);

  return self->session_only;
}

/* With no Secret Service, the user may keep secrets in memory until Paddock quits. */
void
paddock_secrets_set_session_only (PaddockSecrets *self,
                                  gboolean        session_only)
{
  g_return_if_fail (PADDOCK_IS_SECRETS (self));

  session_only = !!session_only;
  if (self->session_only != session_only)
    {
      self->session_only = session_only;
      if (!session_only)
        g_hash_table_remove_all (self->session);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ONLY]);
    }
}

static void
on_store_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, translate_error (error));
}

void
paddock_secrets_store_async (PaddockSecrets      *self,
                             PaddockSecretKind    kind,
                             gint64               connection_id,
                             const char          *node,
                             const char          *key,
                             const char          *label,
                             const char          *secret,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (PADDOCK_IS_SECRETS (self));
  g_return_if_fail (kind < G_N_ELEMENTS (kind_names));
  g_return_if_fail (label != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_secrets_store_async);

  if (self->session_only)
    {
      g_hash_table_replace (self->session, session_key (kind, connection_id, node, key), g_strdup (secret));
      g_task_return_boolean (task, TRUE);
      return;
    }

  attributes = build_attributes (kind, connection_id, node, key);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                          cancellable, on_store_done, g_steal_pointer (&task));
}

gboolean
paddock_secrets_store_finish (PaddockSecrets  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }

  /* Copied so that callers free every secret the same way. */
  g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify) paddock_secret_free);
  secret_password_free (secret);
}

void
paddock_secrets_lookup_async (PaddockSecrets      *self,
                              PaddockSecretKind    kind,
                              gint64               connection_id,
                              const char          *node,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (PADDOCK_IS_SECRETS (self));
  g_return_if_fail (kind < G_N_ELEMENTS (kind_names));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_secrets_lookup_async);

  if (self->session_only)
    {
      g_autofree char *k = session_key (kind, connection_id, node, key);

      g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->session, k)),
                             (GDestroyNotify) paddock_secret_free);
      return;
    }

  attributes = build_attributes (kind, connection_id, node, key);
  secret_password_lookupv (get_schema (), attributes, cancellable, on_lookup_done, g_steal_pointer (&task));
}

/**
 * paddock_secrets_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret (free with paddock_secret_free()), or %NULL
 *   without an error when none is stored
 */
char *
paddock_secrets_lookup_finish (PaddockSecrets  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_clear_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to remove, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
paddock_secrets_clear_async (PaddockSecrets      *self,
                             PaddockSecretKind    kind,
                             gint64               connection_id,
                             const char          *node,
                             const char          *key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (PADDOCK_IS_SECRETS (self));
  g_return_if_fail (kind < G_N_ELEMENTS (kind_names));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_secrets_clear_async);

  if (self->session_only)
    {
      g_autofree char *k = session_key (kind, connection_id, node, key);

      g_hash_table_remove (self->session, k);
      g_task_return_boolean (task, TRUE);
      return;
    }

  attributes = build_attributes (kind, connection_id, node, key);
  secret_password_clearv (get_schema (), attributes, cancellable, on_clear_done, g_steal_pointer (&task));
}

gboolean
paddock_secrets_clear_finish (PaddockSecrets  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
