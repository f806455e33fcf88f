/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-probe.c: the probe's parsers on recorded outputs (tests/reference/cli-fixtures and the
 * lab's real containers in tests/fixtures/probe) and on hostile ones */

#include "config.h"

#include <string.h>

#include "paddock-probe.h"
#include "paddock-probe-parse-private.h"
#include "paddock-service-control.h"

#define TOKEN "0123456789abcdef"

static char *
read_file (const char *dir,
           const char *name,
           gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, &error));
  g_assert_no_error (error);
  return contents;
}

static PaddockProbeResult *
recorded (const char *name)
{
  gsize length;
  g_autofree char *output = read_file ("fixtures/probe", name, &length);
  g_autoptr(GError) error = NULL;
  PaddockProbeResult *result = paddock_probe_parse_output (output, length, TOKEN, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static char *
ports_of (PaddockService *service)
{
  GPtrArray *ports = paddock_service_get_ports (service);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < ports->len; i++)
    {
      g_autofree char *label = paddock_port_dup_label (g_ptr_array_index (ports, i));

      g_string_append_printf (text, "%s%s/%s", i ? " " : "", label,
                              ((PaddockPort *) g_ptr_array_index (ports, i))->protocol);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Framing */

static void
test_split (void)
{
  const char *good = "noise before\n@@PADDOCK@@ abc one\nfirst\n@@PADDOCK@@ other two\n"
                     "@@PADDOCK@@ abc credential /etc/infrahaus/credentials/a b\nK=V\r\n@@PADDOCK@@ abc end\nafter\n";
  g_autoptr(GPtrArray) sections = NULL;
  g_autoptr(GError) error = NULL;
  PaddockProbeSection *section;

  sections = paddock_probe_split (good, strlen (good), "abc", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sections->len, ==, 2);
  section = g_ptr_array_index (sections, 0);
  g_assert_cmpstr (section->name, ==, "one");
  /* A marker of another token is content, never a section. */
  g_assert_cmpstr (section->text, ==, "first\n@@PADDOCK@@ other two\n");
  section = g_ptr_array_index (sections, 1);
  g_assert_cmpstr (section->name, ==, "credential");
  g_assert_cmpstr (section->argument, ==, "/etc/infrahaus/credentials/a b");
  g_assert_cmpstr (section->text, ==, "K=V\n");

  /* Cut short: no end marker. */
  g_clear_pointer (&sections, g_ptr_array_unref);
  sections = paddock_probe_split ("@@PADDOCK@@ abc one\nx\n", 22, "abc", &error);
  g_assert_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "“one”"));
  g_assert_null (sections);
  g_clear_error (&error);

  /* Not a probe at all. */
  sections = paddock_probe_split ("sh: 1: syntax error\n", 20, "abc", &error);
  g_assert_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Too many sections: a container cannot make the parser keep everything. */
  {
    g_autoptr(GString) many = g_string_new (NULL);

    for (guint i = 0; i <= PADDOCK_PROBE_MAX_SECTIONS; i++)
      g_string_append (many, "@@PADDOCK@@ abc credential /x\nK=V\n");
    g_string_append (many, "@@PADDOCK@@ abc end\n");
    sections = paddock_probe_split (many->str, many->len, "abc", &error);
    g_assert_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED);
    g_assert_null (sections);
  }
}

/* systemctl show */

static void
test_systemctl_show (void)
{
  g_autofree char *all = read_file ("reference/cli-fixtures", "systemctl-show-all-hello-world-service.txt", NULL);
  g_autofree char *multi = read_file ("reference/cli-fixtures", "systemctl-show-multiline-execstart.txt", NULL);
  g_autoptr(GPtrArray) units = paddock_parse_systemctl_show (all);
  g_autoptr(GPtrArray) multiline = NULL;
  g_autoptr(GPtrArray) two = NULL;
  g_autofree char *block = NULL;
  GHashTable *unit;

  g_assert_cmpuint (units->len, ==, 1);
  unit = g_ptr_array_index (units, 0);
  g_assert_cmpstr (g_hash_table_lookup (unit, "Id"), ==, "hello-world.service");
  g_assert_cmpstr (g_hash_table_lookup (unit, "MainPID"), ==, "2353");
  g_assert_cmpstr (g_hash_table_lookup (unit, "ActiveState"), ==, "active");
  g_assert_cmpint (paddock_parse_systemd_number (g_hash_table_lookup (unit, "MemoryCurrent")), ==, 589824);
  g_assert_cmpint (paddock_parse_systemd_number ("[not set]"), ==, -1);
  g_assert_cmpint (paddock_parse_systemd_number ("18446744073709551615"), ==, -1);
  g_assert_cmpint (paddock_parse_systemd_number ("infinity"), ==, -1);
  g_assert_cmpint (paddock_parse_systemd_number ("12abc"), ==, -1);

  /* A value over two lines stays one value; the block has no Id, so it is not a unit. */
  block = g_strconcat ("Id=echo.service\n", multi, NULL);
  multiline = paddock_parse_systemctl_show (block);
  g_assert_cmpuint (multiline->len, ==, 1);
  unit = g_ptr_array_index (multiline, 0);
  g_assert_cmpstr (g_hash_table_lookup (unit, "ExecStart"), ==,
                   "{ path=/bin/echo ; argv[]=/bin/echo foo\nbar ; ignore_errors=no ; start_time=[n/a] ; "
                   "stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }");
  g_assert_cmpstr (g_hash_table_lookup (unit, "Description"), ==, "blah");

  two = paddock_parse_systemctl_show ("Id=a.service\nActiveState=active\n\nActiveState=failed\n\n"
                                      "Id=b.service\nActiveState=failed\n");
  g_assert_cmpuint (two->len, ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (g_ptr_array_index (two, 1), "Id"), ==, "b.service");
}

/* ss */

static PaddockSocketRecord *
find_socket (GPtrArray  *sockets,
             const char *address,
             guint       port)
{
  for (guint i = 0; i < sockets->len; i++)
    {
      PaddockSocketRecord *socket = g_ptr_array_index (sockets, i);

      if (g_strcmp0 (socket->address, address) == 0 && socket->port == port)
        return socket;
    }

  return NULL;
}

static void
test_ss (void)
{
  g_autofree char *srvaudit = read_file ("reference/cli-fixtures", "ss-tulnp-modern-srvaudit.txt", NULL);
  g_autofree char *extended = read_file ("reference/cli-fixtures", "ss-tlnpe-modern-listen-subset.txt", NULL);
  g_autofree char *old = read_file ("reference/cli-fixtures", "ss-tulpen-ubuntu1804-iproute2-4.15.txt", NULL);
  g_autoptr(GPtrArray) modern = paddock_parse_ss (srvaudit, "tcp");
  g_autoptr(GPtrArray) with_cgroups = paddock_parse_ss (extended, "tcp");
  g_autoptr(GPtrArray) ubuntu = paddock_parse_ss (old, "tcp");
  g_autoptr(GPtrArray) bare = NULL;
  PaddockSocketRecord *socket;

  /* Every socket line, the header skipped. */
  g_assert_cmpuint (modern->len, ==, 9);
  g_assert_cmpuint (with_cgroups->len, ==, 29);
  g_assert_cmpuint (ubuntu->len, ==, 73);

  socket = find_socket (modern, "0.0.0.0", 80);
  g_assert_nonnull (socket);
  g_assert_cmpstr (socket->protocol, ==, "tcp");
  g_assert_true (socket->wildcard);
  g_assert_cmpuint (socket->pids->len, ==, 2);
  g_assert_cmpint (g_array_index (socket->pids, int, 0), ==, 901);
  g_assert_cmpint (g_array_index (socket->pids, int, 1), ==, 900);
  g_assert_cmpstr (g_ptr_array_index (socket->commands, 0), ==, "nginx");

  socket = find_socket (modern, "::", 22);
  g_assert_nonnull (socket);
  g_assert_true (socket->wildcard);
  g_assert_cmpint (g_array_index (socket->pids, int, 0), ==, 800);

  socket = find_socket (modern, "127.0.0.1", 323);
  g_assert_nonnull (socket);
  g_assert_cmpstr (socket->protocol, ==, "udp");
  g_assert_false (socket->wildcard);

  /* A specific address on one interface, held by nobody we may see. */
  socket = find_socket (modern, "10.0.3.7", 9100);
  g_assert_nonnull (socket);
  g_assert_cmpstr (socket->scope, ==, "eth0");
  g_assert_false (socket->wildcard);
  g_assert_cmpuint (socket->pids->len, ==, 0);

  /* -e: the socket's cgroup; four processes on one port. */
  socket = find_socket (with_cgroups, "0.0.0.0", 587);
  g_assert_nonnull (socket);
  g_assert_cmpuint (socket->pids->len, ==, 4);
  g_assert_cmpstr (socket->cgroup, ==, "/system.slice/system-postfix.slice/postfix@-.service");

  socket = find_socket (ubuntu, "192.168.178.5", 10050);
  g_assert_nonnull (socket);
  g_assert_cmpint (g_array_index (socket->pids, int, 0), ==, 6359);

  /* -H without Netid, as the probe runs it, and every bind form. */
  bare = paddock_parse_ss ("LISTEN 0 511 *:3000 *:* users:((\"node\",pid=7,fd=3))\n"
                           "LISTEN 0 4096 [fe80::be24:11ff:fe00:6c]%eth0:546 [::]:*\n"
                           "LISTEN 0 10 127.0.0.53%lo:53 0.0.0.0:*\n"
                           "garbage line\n"
                           "LISTEN 0 10 [::1:99999 0.0.0.0:*\n"
                           "LISTEN 0 10 host:99999 0.0.0.0:*\n",
                           "udp");
  g_assert_cmpuint (bare->len, ==, 3);
  socket = g_ptr_array_index (bare, 0);
  g_assert_cmpstr (socket->address, ==, "*");
  g_assert_cmpstr (socket->protocol, ==, "udp");
  g_assert_true (socket->wildcard);
  socket = g_ptr_array_index (bare, 1);
  g_assert_cmpstr (socket->address, ==, "fe80::be24:11ff:fe00:6c");
  g_assert_cmpstr (socket->scope, ==, "eth0");
  socket = g_ptr_array_index (bare, 2);
  g_assert_cmpstr (socket->address, ==, "127.0.0.53");
  g_assert_cmpstr (socket->scope, ==, "lo");
}

/* cgroups */

static void
test_cgroups (void)
{
  g_autoptr(GHashTable) units = paddock_parse_pid_units ("pid 429\n9:name=systemd:/system.slice/nginx.service\n"
                                                         "4:memory:/\n0::/system.slice/nginx.service\n"
                                                         "pid 77\n0::/system.slice/system-getty.slice/getty@tty1.service\n"
                                                         "pid 80\n0::/user.slice/user-0.slice/session-3.scope\n"
                                                         "pid 81\n0::/init.scope\n"
                                                         "pid x\n0::/system.slice/bogus.service\n"
                                                         "pid 90\n1:cpu:/system.slice/wrong.service\n");

  g_assert_cmpstr (g_hash_table_lookup (units, GINT_TO_POINTER (429)), ==, "nginx.service");
  g_assert_cmpstr (g_hash_table_lookup (units, GINT_TO_POINTER (77)), ==, "getty@tty1.service");
  g_assert_null (g_hash_table_lookup (units, GINT_TO_POINTER (80)));
  g_assert_null (g_hash_table_lookup (units, GINT_TO_POINTER (81)));
  /* Only the systemd hierarchies say which unit a process runs in. */
  g_assert_null (g_hash_table_lookup (units, GINT_TO_POINTER (90)));
  g_assert_cmpuint (g_hash_table_size (units), ==, 2);
}

/* Credentials */

static void
test_credentials (void)
{
  const char *text = "# header\r\nDB_PASSWORD=a=b=c\r\n\r\nexport API_TOKEN=\"with spaces\"\n"
                     "QUOTED='it''s'\nno equals here\n=novalue\nKEY WITH SPACE=x\n"
                     "EVIL=$(rm -rf /); `reboot`\n  SPACED =  value  \n";
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GError) error = NULL;
  PaddockCredentialRecord *pair;

  pairs = paddock_parse_credentials (text, strlen (text), "/etc/infrahaus/credentials/db", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pairs->len, ==, 5);
  pair = g_ptr_array_index (pairs, 0);
  g_assert_cmpstr (pair->key, ==, "DB_PASSWORD");
  g_assert_cmpstr (pair->value, ==, "a=b=c");
  pair = g_ptr_array_index (pairs, 1);
  g_assert_cmpstr (pair->key, ==, "API_TOKEN");
  g_assert_cmpstr (pair->value, ==, "with spaces");
  pair = g_ptr_array_index (pairs, 2);
  g_assert_cmpstr (pair->value, ==, "it''s");
  /* Text, never run. */
  pair = g_ptr_array_index (pairs, 3);
  g_assert_cmpstr (pair->value, ==, "$(rm -rf /); `reboot`");
  pair = g_ptr_array_index (pairs, 4);
  g_assert_cmpstr (pair->key, ==, "SPACED");
  g_assert_cmpstr (pair->value, ==, "value");

  g_clear_pointer (&pairs, g_ptr_array_unref);
  pairs = paddock_parse_credentials ("A=1\nB=\xff\xfe\n", 9, "/root/app.creds", &error);
  g_assert_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "/root/app.creds, line 2: not UTF-8 text");
  g_assert_null (pairs);

  {
    const char *paths[][2] = {
      { "/etc/infrahaus/credentials/code-server", "code-server" },
      { "/etc/infrahaus/credentials/nginx.env", "nginx" },
      { "/root/notes-api.creds", "notes-api" },
      { "/root/.env", ".env" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autofree char *name = paddock_credentials_service_name (paths[i][0]);

        g_assert_cmpstr (name, ==, paths[i][1]);
      }
  }
}

/* Whole probes, recorded in the lab's real containers */

static void
test_recorded_nginx (void)
{
  g_autoptr(PaddockProbeResult) result = recorded ("ct130.txt");
  PaddockService *nginx = paddock_probe_result_find_service (result, "nginx.service");
  PaddockService *journald = paddock_probe_result_find_service (result, "systemd-journald.service");
  g_autofree char *ports = NULL;
  PaddockCredentialFile *file;

  g_assert_cmpstr (paddock_probe_result_get_address (result), ==, "10.213.1.10");
  g_assert_cmpuint (g_strv_length (result->missing), ==, 0);
  g_assert_cmpint (result->probed_at, ==, 1796016439);
  g_assert_nonnull (nginx);
  g_assert_true (paddock_service_get_running (nginx));
  g_assert_true (paddock_service_get_enabled (nginx));
  g_assert_false (paddock_service_get_system (nginx));
  g_assert_cmpstr (paddock_service_get_sub_state (nginx), ==, "running");
  g_assert_cmpint (paddock_service_get_main_pid (nginx), ==, 429);
  g_assert_cmpint (paddock_service_get_memory (nginx), ==, -1);   /* [not set] */
  g_assert_cmpint (paddock_service_get_active_since (nginx), >, 1796016000);
  /* Both binds, found through the cgroups of the workers too. */
  ports = ports_of (nginx);
  g_assert_cmpstr (ports, ==, "0.0.0.0:80/tcp [::]:80/tcp");
  g_assert_cmpuint (result->other_ports->len, ==, 0);

  g_assert_cmpuint (paddock_service_get_credentials (nginx)->len, ==, 1);
  file = g_ptr_array_index (paddock_service_get_credentials (nginx), 0);
  g_assert_cmpstr (file->path, ==, "/etc/infrahaus/credentials/nginx.env");
  g_assert_cmpstr (file->keys[0], ==, "ADMIN_USER");
  g_assert_cmpstr (file->values[0], ==, "admin");
  g_assert_cmpstr (file->keys[1], ==, "ADMIN_PASSWORD");
  g_assert_cmpstr (file->values[1], ==, "fixture-admin-p4ss=word");
  g_assert_null (file->keys[2]);

  g_assert_nonnull (journald);
  g_assert_true (paddock_service_get_system (journald));
  /* Applications first. */
  g_assert_true (g_ptr_array_index (result->services, 0) == (gpointer) nginx);

  {
    PaddockPort *port = g_ptr_array_index (paddock_service_get_ports (nginx), 0);
    g_autofree char *url = paddock_port_dup_url (port, paddock_probe_result_get_address (result), FALSE);
    g_autofree char *secure = paddock_port_dup_url (port, "fd00::5", TRUE);

    g_assert_cmpstr (url, ==, "http://10.213.1.10:80/");
    g_assert_cmpstr (secure, ==, "https://[fd00::5]:80/");
  }
}

static void
test_recorded_notes (void)
{
  g_autoptr(PaddockProbeResult) result = recorded ("ct131.txt");
  PaddockService *notes = paddock_probe_result_find_service (result, "notes-api.service");
  PaddockService *backup = paddock_probe_result_find_service (result, "backup-sync.service");
  g_autofree char *ports = NULL;
  PaddockCredentialFile *file;

  g_assert_nonnull (notes);
  ports = ports_of (notes);
  g_assert_cmpstr (ports, ==, "10.213.1.11:8080/tcp");
  g_assert_nonnull (backup);
  g_assert_true (paddock_service_get_failed (backup));
  g_assert_false (paddock_service_get_running (backup));
  g_assert_cmpint (paddock_service_get_active_since (backup), ==, 0);
  /* /root/NAME.creds, community-scripts style, to its service; quotes removed. */
  file = g_ptr_array_index (paddock_service_get_credentials (notes), 0);
  g_assert_cmpstr (file->path, ==, "/root/notes-api.creds");
  g_assert_cmpstr (file->keys[0], ==, "API_TOKEN");
  g_assert_cmpstr (file->values[0], ==, "fixture token with spaces");
  g_assert_cmpstr (file->values[1], ==, "fixture-db-password");

  {
    PaddockPort *port = g_ptr_array_index (paddock_service_get_ports (notes), 0);
    g_autofree char *url = paddock_port_dup_url (port, "10.213.1.99", FALSE);

    /* A specific-address bind is reached at that address. */
    g_assert_cmpstr (url, ==, "http://10.213.1.11:8080/");
  }
}

static void
test_recorded_redis (void)
{
  g_autoptr(PaddockProbeResult) result = recorded ("ct132.txt");
  PaddockService *redis = paddock_probe_result_find_service (result, "redis-server.service");
  g_autofree char *ports = NULL;

  g_assert_nonnull (redis);
  ports = ports_of (redis);
  g_assert_cmpstr (ports, ==, "127.0.0.1:6379/tcp [::1]:6379/tcp");
  /* Loopback only: nothing a browser elsewhere could open. */
  g_assert_null (paddock_port_dup_url (g_ptr_array_index (paddock_service_get_ports (redis), 0), "10.0.0.1", FALSE));
}

static void
test_recorded_busybox (void)
{
  g_autoptr(PaddockProbeResult) result = recorded ("ct101.txt");

  /* A partial result that names what is missing, not a failure. */
  g_assert_cmpuint (result->services->len, ==, 0);
  g_assert_cmpstrv (result->missing, ((const char *[]) { "systemd", "ss", NULL }));
}

static void
test_credentials_without_unit (void)
{
  const char *output = "@@PADDOCK@@ " TOKEN " tools\nsystemd\nss\n"
                       "@@PADDOCK@@ " TOKEN " units\nId=code-server@coder.service\nActiveState=active\n"
                       "SubState=running\nMainPID=10\n\n"
                       "@@PADDOCK@@ " TOKEN " credential /etc/infrahaus/credentials/code-server\nPASSWORD=x\n"
                       "@@PADDOCK@@ " TOKEN " credential /etc/infrahaus/credentials/orphan.env\nTOKEN=y\n"
                       "@@PADDOCK@@ " TOKEN " credential /root/binary.creds\nA=\xc3\x28\n"
                       "@@PADDOCK@@ " TOKEN " end\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockProbeResult) result = paddock_probe_parse_output (output, strlen (output), TOKEN, &error);
  PaddockService *code, *orphan, *binary;

  g_assert_no_error (error);
  /* code-server → code-server@coder (the @instance stripped), as infrahaus matched it. */
  code = paddock_probe_result_find_service (result, "code-server@coder.service");
  g_assert_cmpuint (paddock_service_get_credentials (code)->len, ==, 1);
  orphan = paddock_probe_result_find_service (result, "orphan.service");
  g_assert_nonnull (orphan);
  g_assert_false (paddock_service_get_has_unit (orphan));
  g_assert_false (paddock_service_get_system (orphan));
  binary = paddock_probe_result_find_service (result, "binary.service");
  g_assert_cmpstr (((PaddockCredentialFile *) g_ptr_array_index (paddock_service_get_credentials (binary), 0))->error,
                   ==, "/root/binary.creds, line 1: not UTF-8 text");
}

/* config-manager (SPEC.md §6.6): its state, last run and last log line; absent when it is not there. */
static void
test_config_manager (void)
{
  const char *output = "@@PADDOCK@@ " TOKEN " clock\n1796016439\n2023.62 3440.70\n"
                       "@@PADDOCK@@ " TOKEN " tools\nsystemd\nss\n"
                       "@@PADDOCK@@ " TOKEN " config-manager\nActiveState=inactive\nSubState=dead\nResult=exit-code\n"
                       "ExecMainStatus=1\nExecMainExitTimestamp=@1796016000\nExecMainExitTimestampMonotonic=1\n"
                       "@@PADDOCK@@ " TOKEN " config-manager-log\n[2026-11-30 05:00:00] ERROR git pull: <b>denied</b>\n\n"
                       "@@PADDOCK@@ " TOKEN " end\n";
  const char *without = "@@PADDOCK@@ " TOKEN " config-manager\n@@PADDOCK@@ " TOKEN " end\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockProbeResult) result = paddock_probe_parse_output (output, strlen (output), TOKEN, &error);
  g_autoptr(PaddockProbeResult) none = paddock_probe_parse_output (without, strlen (without), TOKEN, &error);
  g_autoptr(PaddockProbeResult) cached = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_true (result->config_manager);
  g_assert_cmpstr (result->config_manager_state, ==, "inactive");
  g_assert_cmpstr (result->config_manager_result, ==, "exit-code");
  g_assert_cmpint (result->config_manager_last_run, ==, 1796016000);
  g_assert_cmpstr (result->config_manager_last_line, ==, "[2026-11-30 05:00:00] ERROR git pull: <b>denied</b>");
  g_assert_false (none->config_manager);

  json = paddock_probe_result_to_json (result);
  cached = paddock_probe_result_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_true (cached->config_manager);
  g_assert_cmpstr (cached->config_manager_last_line, ==, result->config_manager_last_line);
  g_assert_cmpint (cached->config_manager_last_run, ==, 1796016000);
}

/* The cache keeps no credential values, and gives the rest back unchanged. */
static void
test_cache_json (void)
{
  g_autoptr(PaddockProbeResult) result = recorded ("ct130.txt");
  g_autoptr(PaddockProbeResult) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = paddock_probe_result_to_json (result);
  g_autofree char *json_again = NULL;
  PaddockService *nginx;

  g_assert_null (strstr (json, "fixture-admin-p4ss"));
  g_assert_null (strstr (json, "ADMIN_USER"));
  g_assert_nonnull (strstr (json, "/etc/infrahaus/credentials/nginx.env"));

  again = paddock_probe_result_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->services->len, ==, result->services->len);
  nginx = paddock_probe_result_find_service (again, "nginx.service");
  g_assert_cmpint (paddock_service_get_main_pid (nginx), ==, 429);
  g_assert_cmpuint (paddock_service_get_ports (nginx)->len, ==, 2);
  g_assert_cmpuint (paddock_service_get_credentials (nginx)->len, ==, 1);
  g_assert_null (((PaddockCredentialFile *) g_ptr_array_index (paddock_service_get_credentials (nginx), 0))->keys[0]);
  json_again = paddock_probe_result_to_json (again);
  g_assert_cmpstr (json_again, ==, json);

  g_assert_null (paddock_probe_result_new_from_json ("[1,2]", &error));
  g_assert_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED);
}

static void
test_unit_names (void)
{
  const char *hostile[] = { "nginx; rm -rf /", "a'b", "$(reboot)", "x\ny", "", "-h", "../etc", "a b",
                            "`id`", "--now", NULL };
  g_autofree char *long_name = g_strnfill (300, 'a');
  g_autofree char *plain = paddock_normalize_unit_name ("nginx", NULL);
  g_autofree char *instance = paddock_normalize_unit_name ("getty@tty1.service", NULL);
  g_autofree char *timer = paddock_normalize_unit_name ("apt-daily.timer", NULL);

  g_assert_cmpstr (plain, ==, "nginx.service");
  g_assert_cmpstr (instance, ==, "getty@tty1.service");
  g_assert_cmpstr (timer, ==, "apt-daily.timer");

  for (guint i = 0; hostile[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (paddock_normalize_unit_name (hostile[i], &error));
      g_assert_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_INVALID_UNIT);
    }
  g_assert_null (paddock_normalize_unit_name (long_name, NULL));
}

static void
test_script (void)
{
  g_autofree char *script = paddock_probe_build_script (TOKEN);

  g_assert_nonnull (strstr (script, "m='@@PADDOCK@@ " TOKEN "'"));
  g_assert_nonnull (strstr (script, "echo \"$m end\""));
  g_assert_null (strstr (script, "@TOKEN@"));
  g_assert_true (g_str_is_ascii (script));
  g_assert_true (paddock_journal_line_is_note ("-- No entries --"));
  g_assert_true (paddock_journal_line_is_note ("-- Journal begins at Mon 2021-11-22 10:00:00 UTC. --"));
  g_assert_false (paddock_journal_line_is_note ("2026-11-30T05:26:33+0000 web nginx[1]: -- not a note"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probe/split", test_split);
  g_test_add_func ("/probe/systemctl-show", test_systemctl_show);
  g_test_add_func ("/probe/ss", test_ss);
  g_test_add_func ("/probe/cgroups", test_cgroups);
  g_test_add_func ("/probe/credentials", test_credentials);
  g_test_add_func ("/probe/recorded-nginx", test_recorded_nginx);
  g_test_add_func ("/probe/recorded-specific-address-and-failed", test_recorded_notes);
  g_test_add_func ("/probe/recorded-loopback", test_recorded_redis);
  g_test_add_func ("/probe/recorded-busybox-partial", test_recorded_busybox);
  g_test_add_func ("/probe/credentials-to-services", test_credentials_without_unit);
  g_test_add_func ("/probe/config-manager", test_config_manager);
  g_test_add_func ("/probe/cache-without-credentials", test_cache_json);
  g_test_add_func ("/probe/unit-names", test_unit_names);
  g_test_add_func ("/probe/script", test_script);

  return g_test_run ();
}
