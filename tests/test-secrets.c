/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-secrets.c: the keyring layer against a real gnome-keyring, and without any Secret Service */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "paddock-core.h"
#include "paddock-test-util.h"

/* Every test secret carries this marker so that check-no-secrets.sh can look for leaks. */
#define TEST_SECRET "paddock-test-secret-4f9c2a"

static gboolean
have_session_bus (void)
{
  return g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL;
}

static gboolean
store_secret (PaddockSecrets     *secrets,
              PaddockSecretKind   kind,
              const char         *node,
              const char         *value,
              GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_secrets_store_async (secrets, kind, 7, node, NULL, "Paddock test secret", value, NULL,
                               PADDOCK_TEST_ASYNC (result));
  return paddock_secrets_store_finish (secrets, paddock_test_wait (&result), error);
}

static char *
lookup_secret (PaddockSecrets     *secrets,
               PaddockSecretKind   kind,
               const char         *node,
               GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_secrets_lookup_async (secrets, kind, 7, node, NULL, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_secrets_lookup_finish (secrets, paddock_test_wait (&result), error);
}

static gboolean
clear_secret (PaddockSecrets     *secrets,
              PaddockSecretKind   kind,
              const char         *node,
              GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_secrets_clear_async (secrets, kind, 7, node, NULL, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_secrets_clear_finish (secrets, paddock_test_wait (&result), error);
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(PaddockSecrets) secrets = paddock_secrets_new ();
  g_autoptr(PaddockSecret) token = NULL;
  g_autoptr(PaddockSecret) ssh = NULL;
  g_autoptr(PaddockSecret) gone = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_session_bus ())
    {
      g_test_skip ("no D-Bus session bus: run under ./run tests, which starts gnome-keyring");
      return;
    }

  if (!store_secret (secrets, PADDOCK_SECRET_TOKEN, NULL, TEST_SECRET "-token", &error))
    {
      if (g_error_matches (error, PADDOCK_SECRETS_ERROR, PADDOCK_SECRETS_ERROR_NO_SERVICE))
        {
          g_test_skip_printf ("no Secret Service on the session bus (%s): run under ./run tests",
                              error->message);
          return;
        }
      g_assert_no_error (error);
    }

  g_assert_true (store_secret (secrets, PADDOCK_SECRET_SSH_PASSWORD, "pve2", TEST_SECRET "-ssh", &error));
  g_assert_no_error (error);

  token = lookup_secret (secrets, PADDOCK_SECRET_TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TEST_SECRET "-token");

  /* Attributes keep kinds and nodes apart. */
  ssh = lookup_secret (secrets, PADDOCK_SECRET_SSH_PASSWORD, "pve2", &error);
  g_assert_cmpstr (ssh, ==, TEST_SECRET "-ssh");
  g_assert_null (lookup_secret (secrets, PADDOCK_SECRET_SSH_PASSWORD, "pve1", &error));
  g_assert_no_error (error);

  g_assert_true (clear_secret (secrets, PADDOCK_SECRET_TOKEN, NULL, &error));
  g_assert_no_error (error);
  gone = lookup_secret (secrets, PADDOCK_SECRET_TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (gone);

  /* Clearing what is not there is not an error. */
  g_assert_true (clear_secret (secrets, PADDOCK_SECRET_TOKEN, NULL, &error));
  g_assert_no_error (error);
}

static void
test_no_service_child (void)
{
  g_autoptr(PaddockSecrets) secrets = paddock_secrets_new ();
  g_autoptr(PaddockSecret) kept = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (store_secret (secrets, PADDOCK_SECRET_PASSWORD, NULL, TEST_SECRET "-nokeyring", &error));
  g_assert_error (error, PADDOCK_SECRETS_ERROR, PADDOCK_SECRETS_ERROR_NO_SERVICE);
  g_assert_null (strstr (error->message, TEST_SECRET));
  g_printerr ("%s\n", error->message);
  g_clear_error (&error);

  /* What the UI offers then: keep secrets for this session only. */
  paddock_secrets_set_session_only (secrets, TRUE);
  g_assert_true (store_secret (secrets, PADDOCK_SECRET_PASSWORD, NULL, TEST_SECRET "-session", &error));
  g_assert_no_error (error);
  kept = lookup_secret (secrets, PADDOCK_SECRET_PASSWORD, NULL, &error);
  g_assert_cmpstr (kept, ==, TEST_SECRET "-session");
  g_assert_true (clear_secret (secrets, PADDOCK_SECRET_PASSWORD, NULL, &error));
  g_assert_null (lookup_secret (secrets, PADDOCK_SECRET_PASSWORD, NULL, &error));
}

/* A private bus that has no Secret Service and cannot activate one. */
static void
test_no_service (void)
{
  g_autofree char *dir = paddock_test_make_dir ("bus");
  g_autofree char *config = g_build_filename (dir, "bus.conf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *address = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      test_no_service_child ();
      return;
    }

  if (!g_file_test ("/usr/bin/dbus-daemon", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }

  contents = g_strdup_printf ("<busconfig><type>session</type><listen>unix:dir=%s</listen>"
                              "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                              "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>", dir);
  g_assert_true (g_file_set_contents (config, contents, -1, NULL));

  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/usr/bin/dbus-daemon",
                             "--config-file", config, "--print-address", "--nofork", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  if (saved != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);

  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*No keyring (Secret Service) is available*");
}

/* Writes a real store and GSettings keyfile next to keyring secrets, for check-no-secrets.sh. */
static void
test_secrets_stay_in_keyring (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "paddock", "paddock.db", NULL);
  g_autoptr(PaddockStore) store = NULL;
  g_autoptr(PaddockSecrets) secrets = paddock_secrets_new ();
  g_autoptr(PaddockConnection) connection = NULL;
  g_autoptr(PaddockSettings) settings = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;
  g_autoptr(GSettings) gsettings = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyfile = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);

  store = paddock_store_new (path, NULL, &error);
  g_assert_no_error (error);

  connection = paddock_connection_new ("Leak check", "pve.example.com", 8006, PADDOCK_AUTH_TOKEN,
                                       "root@pam", "paddock");
  paddock_store_add_connection_async (store, connection, NULL, PADDOCK_TEST_ASYNC (result));
  g_assert_true (paddock_store_add_connection_finish (store, paddock_test_wait (&result), &error));

  /* The secret goes to the keyring when there is one, else to the session-only table. */
  if (!store_secret (secrets, PADDOCK_SECRET_TOKEN, NULL, TEST_SECRET "-leakcheck", &error))
    {
      g_assert_error (error, PADDOCK_SECRETS_ERROR, PADDOCK_SECRETS_ERROR_NO_SERVICE);
      g_clear_error (&error);
      paddock_secrets_set_session_only (secrets, TRUE);
      g_assert_true (store_secret (secrets, PADDOCK_SECRET_TOKEN, NULL, TEST_SECRET "-leakcheck", &error));
    }

  backend = g_keyfile_settings_backend_new (keyfile, "/", NULL);
  gsettings = g_settings_new_with_backend (PADDOCK_SETTINGS_SCHEMA_ID, backend);
  settings = paddock_settings_new_for_gsettings (gsettings);
  paddock_settings_save_window_state (settings, 1234, 777, FALSE);
  g_settings_sync ();

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (keyfile, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/keyring-round-trip", test_keyring_round_trip);
  g_test_add_func ("/secrets/no-service", test_no_service);
  g_test_add_func ("/secrets/stay-in-keyring", test_secrets_stay_in_keyring);

  return g_test_run ();
}
