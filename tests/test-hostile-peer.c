/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-hostile-peer.c: the API client against a hostile or broken server (the lab's pve-sim in its
 * hostile modes, SPEC §2.2.1): pins hold against CA-valid certificates, redirects are not
 * followed, bodies and nesting are bounded; each fault ends in a clear error and nothing crashes.
 * tests/README.md keeps the whole fault matrix. */

#include "config.h"

#include "paddock-core.h"
#include "paddock-pve-client-private.h"
#include "paddock-test-client.h"

static void
arm (const char *mode,
     const char *arg)
{
  g_autofree char *reply = paddock_test_lab_control ("hostile", mode, arg);

  g_assert_cmpstr (reply, ==, "ok");
}

static GBytes *
get_bytes (PaddockPveClient  *client,
           const char        *path,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  paddock_pve_client_get_bytes_async (client, path, NULL, NULL, PADDOCK_TEST_ASYNC (result));
  return paddock_pve_client_get_bytes_finish (client, paddock_test_wait (&result), error);
}

/* Peak resident memory of this process, in MB (VmHWM). */
static guint
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || !(line = strstr (status, "VmHWM:")))
    return 0;
  return (guint) (g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) / 1024);
}

/* A pin wins over every CA: another certificate of the same CA, which a system CA store would
 * accept, is refused for a pinned host; without a pin the CA may vouch. */
static void
test_pin_beats_ca (void)
{
  g_autoptr(GTlsDatabase) system = NULL;
  g_autoptr(PaddockPveClient) pinned = NULL;
  g_autoptr(PaddockPveClient) unpinned = NULL;
  g_autoptr(PaddockPveClient) cluster_ca_pinned = NULL;
  g_autoptr(PaddockPveVersion) version = NULL;
  g_autoptr(PaddockTrustStore) no_pins = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = NULL;
  const char *token = NULL;

  if (!paddock_test_lab_required ())
    return;

  token = strrchr (paddock_test_lab_get ("PVE_TOKEN"), '=') + 1;
  system = g_tls_file_database_new (paddock_test_lab_get ("PVE_CA"), &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (paddock_test_lab_get ("PVE_CA"), &ca, NULL, NULL));

  pinned = token_client ("PVE_TOKEN");
  /* No CA database in the session: the client's own check runs on every handshake. */
  g_assert_null (soup_session_get_tls_database (pinned->session));
  _paddock_pve_client_set_system_database (pinned, system);
  version = get_version (pinned, &error);
  g_assert_no_error (error);
  g_clear_pointer (&version, paddock_pve_version_free);

  cluster_ca_pinned = token_client ("PVE_TOKEN");
  g_assert_true (paddock_pve_client_set_cluster_ca (cluster_ca_pinned, ca, NULL));

  no_pins = g_object_new (TEST_TYPE_TRUST, NULL);
  unpinned = paddock_pve_client_new ("127.0.0.1", lab_port (), no_pins);
  paddock_pve_client_set_token (unpinned, "root@pam!paddock", token);
  _paddock_pve_client_set_system_database (unpinned, system);

  g_free (paddock_test_lab_control ("swap-certificate", "ca-signed", NULL));

  /* The same client: the swap ended its connection, the new handshake is checked. */
  version = get_version (pinned, &error);
  g_assert_null (version);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED);
  g_clear_error (&error);
  version = get_version (cluster_ca_pinned, &error);
  g_assert_null (version);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_CERTIFICATE_CHANGED);
  g_clear_error (&error);

  /* Nobody pinned it: the CA store vouches (as for a Let's Encrypt certificate). */
  version = get_version (unpinned, &error);
  g_assert_no_error (error);
  g_clear_pointer (&version, paddock_pve_version_free);

  g_free (paddock_test_lab_control ("swap-certificate", "original", NULL));
  version = get_version (pinned, &error);
  g_assert_no_error (error);
}

static void
on_elsewhere_incoming (GSocketService    *service,
                       GSocketConnection *connection,
                       GObject           *source,
                       gpointer           user_data)
{
  (*(guint *) user_data)++;
}

/* A 302 to another host, in clear text: not followed, the ticket never leaves. */
static void
test_redirect (void)
{
  g_autoptr(GSocketService) elsewhere = g_socket_service_new ();
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(PaddockPveVersion) version = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  guint connections = 0;
  guint16 port;

  if (!paddock_test_lab_required ())
    return;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (elsewhere), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (elsewhere, "incoming", G_CALLBACK (on_elsewhere_incoming), &connections);
  g_socket_service_start (elsewhere);
  target = g_strdup_printf ("http://127.0.0.1:%u/api2/json/version", port);

  client = password_client ("root@pam");
  version = get_version (client, &error);  /* logged in: the ticket is there to steal */
  g_assert_no_error (error);
  g_clear_pointer (&version, paddock_pve_version_free);

  arm ("redirect", target);
  version = get_version (client, &error);
  arm (NULL, NULL);
  g_assert_null (version);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "redirect"));
  g_assert_nonnull (strstr (error->message, target));

  /* Give a follower every chance to have connected. */
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_cmpuint (connections, ==, 0);
  g_socket_service_stop (elsewhere);
}

/* An endless body and a gzip bomb stop at the cap, counted after decompression. */
static void
test_bounded_bodies (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint before;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");
  before = peak_rss_mb ();

  arm ("endless", NULL);
  g_assert_null (get_version (client, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "larger than 8 MB"));
  g_clear_error (&error);

  /* The container list may be larger (10,000 containers), not endless. */
  bytes = get_bytes (client, "/cluster/resources", &error);
  g_assert_null (bytes);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "larger than 64 MB"));
  g_clear_error (&error);

  arm ("gzip-bomb", NULL);
  g_assert_null (get_version (client, &error));
  arm (NULL, NULL);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "larger than 8 MB"));
  g_test_message ("peak RSS %u MB before, %u MB after an endless body and a 256 MB gzip bomb", before,
                  peak_rss_mb ());

  /* The client goes on as if nothing happened. */
  g_clear_error (&error);
  g_autoptr(PaddockPveVersion) version = get_version (client, &error);
  g_assert_no_error (error);
}

static void
test_broken_answers (void)
{
  g_autoptr(PaddockPveClient) client = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  if (!paddock_test_lab_required ())
    return;

  client = token_client ("PVE_TOKEN");

  /* 100,000 nested arrays: refused without parsing. */
  arm ("deep-nesting", NULL);
  started = g_get_monotonic_time ();
  g_assert_null (get_version (client, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "deeper than 64 levels"));
  g_clear_error (&error);
  g_test_message ("deep nesting refused in %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - started) / 1000);

  /* A login page instead of JSON. */
  arm ("wrong-type", NULL);
  g_assert_null (get_version (client, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "not a Proxmox API response"));
  g_clear_error (&error);

  /* Cut off: retried (it is a read), then said so. */
  arm ("truncated", NULL);
  g_assert_null (get_version (client, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "cut off"));
  g_clear_error (&error);

  /* One byte every 200 ms: the call's deadline ends it. */
  arm ("slow-drip", NULL);
  paddock_pve_client_set_timeouts (client, 2, 2);
  g_assert_null (get_version (client, &error));
  arm (NULL, NULL);
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_TIMEOUT);
  g_clear_error (&error);

  paddock_pve_client_set_timeouts (client, 10, 30);
  g_autoptr(PaddockPveVersion) version = get_version (client, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  {
    const char *args[] = { "--no-ssh", "--auth-delay-ms", "20", NULL };

    paddock_test_lab_start (args);
  }

  g_test_add_func ("/hostile/pin-beats-ca", test_pin_beats_ca);
  g_test_add_func ("/hostile/redirect", test_redirect);
  g_test_add_func ("/hostile/bounded-bodies", test_bounded_bodies);
  g_test_add_func ("/hostile/broken-answers", test_broken_answers);

  return g_test_run ();
}
