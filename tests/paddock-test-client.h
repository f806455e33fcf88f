/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-test-client.h: what the API client tests share: an in-memory trust store (the real one is
 * PaddockStore, tested on its own) and clients of the lab with its certificate pinned */

#pragma once

#include "paddock-core.h"
#include "paddock-test-lab.h"
#include "paddock-test-util.h"

G_BEGIN_DECLS

/* An in-memory trust store: the test boundary for pins (the real one is PaddockStore). */
#define TEST_TYPE_TRUST (test_trust_get_type ())
G_DECLARE_FINAL_TYPE (TestTrust, test_trust, TEST, TRUST, GObject)

struct _TestTrust
{
  GObject     parent_instance;
  GHashTable *pins;
};

static void test_trust_iface_init (PaddockTrustStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestTrust, test_trust, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PADDOCK_TYPE_TRUST_STORE, test_trust_iface_init))

static inline char *
test_trust_lookup (PaddockTrustStore *store, const char *host, guint16 port)
{
  g_autofree char *key = g_strdup_printf ("%s:%u", host, port);

  return g_strdup (g_hash_table_lookup (TEST_TRUST (store)->pins, key));
}

static inline void
test_trust_set (PaddockTrustStore *store, const char *host, guint16 port, const char *sha256, const char *subject)
{
  g_hash_table_replace (TEST_TRUST (store)->pins, g_strdup_printf ("%s:%u", host, port), g_strdup (sha256));
}

static inline void
test_trust_remove (PaddockTrustStore *store, const char *host, guint16 port)
{
  g_autofree char *key = g_strdup_printf ("%s:%u", host, port);

  g_hash_table_remove (TEST_TRUST (store)->pins, key);
}

static inline void
test_trust_iface_init (PaddockTrustStoreInterface *iface)
{
  iface->lookup_pin = test_trust_lookup;
  iface->set_pin = test_trust_set;
  iface->remove_pin = test_trust_remove;
}

static inline void
test_trust_finalize (GObject *object)
{
  g_hash_table_unref (TEST_TRUST (object)->pins);
  G_OBJECT_CLASS (test_trust_parent_class)->finalize (object);
}

static inline void
test_trust_class_init (TestTrustClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_trust_finalize;
}

static inline void
test_trust_init (TestTrust *self)
{
  self->pins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static inline guint16
lab_port (void)
{
  const char *url = paddock_test_lab_get ("PVE_URL");

  return (guint16) atoi (strrchr (url, ':') + 1);
}

static inline PaddockTrustStore *
pinned_trust (void)
{
  PaddockTrustStore *trust = g_object_new (TEST_TYPE_TRUST, NULL);

  paddock_trust_store_set_pin (trust, "127.0.0.1", lab_port (), paddock_test_lab_get ("PVE_FINGERPRINT"), NULL);
  return trust;
}

static inline PaddockPveClient *
token_client (const char *token_var)
{
  g_autoptr(PaddockTrustStore) trust = pinned_trust ();
  PaddockPveClient *client = paddock_pve_client_new ("127.0.0.1", lab_port (), trust);
  const char *token = paddock_test_lab_get (token_var);
  const char *eq = strrchr (token, '=');
  g_autofree char *id = g_strndup (token, eq - token);

  paddock_pve_client_set_token (client, id, eq + 1);
  paddock_pve_client_set_retry_delay (client, 50);
  return client;
}

static inline PaddockPveClient *
password_client (const char *user)
{
  g_autoptr(PaddockTrustStore) trust = pinned_trust ();
  PaddockPveClient *client = paddock_pve_client_new ("127.0.0.1", lab_port (), trust);

  paddock_pve_client_set_password (client, user, paddock_test_lab_get ("PVE_PASSWORD"));
  paddock_pve_client_set_retry_delay (client, 50);
  return client;
}

static inline PaddockPveVersion *
get_version (PaddockPveClient *client, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_pve_client_get_version_async (client, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_pve_client_get_version_finish (client, paddock_test_wait (&result), error);
}

G_END_DECLS
