/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pve-parse.c: the Proxmox parsers on real recorded responses (tests/reference) */

#include "config.h"

#include <math.h>

#include "paddock-pve-parse-private.h"
#include "paddock-pve-types.h"

static char *fixtures_dir;

static gboolean
load_fixture (const char  *name,
              char       **contents,
              gsize       *length)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  path = g_build_filename (fixtures_dir, name, NULL);
  g_assert_true (g_file_get_contents (path, contents, length, &error));
  g_assert_no_error (error);
  return TRUE;
}

static JsonNode *
fixture_data (const char *name)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  JsonNode *data;

  if (!load_fixture (name, &contents, &length))
    return NULL;

  data = paddock_pve_parse_envelope (contents, length, 200, "OK", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static void
test_envelope_errors (void)
{
  static const struct {
    const char *file;
    guint status;
    const char *reason;
    int code;
    const char *message_part;
  } cases[] = {
    { "derived/error-400-param-missing.json", 400, "Parameter verification failed.", PADDOCK_PVE_ERROR_PARAMETER, "property is missing" },
    { "derived/error-400-param-bad-boolean.json", 400, "Parameter verification failed.", PADDOCK_PVE_ERROR_PARAMETER, "boolean" },
    { "derived/error-401-login-failure.json", 401, "authentication failure", PADDOCK_PVE_ERROR_AUTH, "authentication failure" },
    { "derived/error-403-permission.json", 403, "Permission check failed (/vms/100, VM.PowerMgmt)", PADDOCK_PVE_ERROR_PERMISSION, "VM.PowerMgmt" },
    { "derived/error-500-already-running.json", 500, "CT 100 already running", PADDOCK_PVE_ERROR_ALREADY_RUNNING, "already running" },
    { "derived/error-500-config-missing.json", 500, "Configuration file 'nodes/pve/lxc/999.conf' does not exist", PADDOCK_PVE_ERROR_NOT_FOUND, "does not exist" },
    { "derived/error-501-not-implemented.json", 501, "Method 'GET /nodes/pve/lxc/100/foo' not implemented", PADDOCK_PVE_ERROR_PROTOCOL, "not implemented" },
    { "cluster-nextid-error-400.json", 400, "Parameter verification failed.", PADDOCK_PVE_ERROR_CONFLICT, "VM 200 already exists" },
    { "error-500-param-verification-wrapped.json", 500, "create sdn zone object failed: 400 Parameter verification failed.", PADDOCK_PVE_ERROR_SERVER, "ipam-simple not existing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) data = NULL;
      gsize length;

      if (!load_fixture (cases[i].file, &contents, &length))
        return;

      data = paddock_pve_parse_envelope (contents, length, cases[i].status, cases[i].reason, NULL, &error);
      g_assert_null (data);
      g_test_message ("%s → %s", cases[i].file, error->message);
      g_assert_error (error, PADDOCK_PVE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
    }

  /* Empty-body 401 after the auth stage: the reason phrase is all there is. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (paddock_pve_parse_envelope ("", 0, 401, "Permission denied - invalid csrf token", NULL, &error));
    g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_AUTH);
    g_assert_cmpstr (error->message, ==, "Permission denied - invalid csrf token");
  }

  /* An offline node behind pveproxy: 595, the reason phrase only, an empty body. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (paddock_pve_parse_envelope ("", 0, 595, "No route to host", NULL, &error));
    g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_UNREACHABLE);
    g_assert_cmpstr (error->message, ==, "No route to host");
  }

  /* Blank bodies parse into no JSON root at all (found by fuzz-envelope). */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (paddock_pve_parse_envelope ("  \n ", 4, 200, "OK", NULL, &error));
    g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  }

  /* Not Proxmox at all. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (paddock_pve_parse_envelope ("<html>proxy</html>", 18, 200, "OK", NULL, &error));
    g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  }
}

/* The fast reader agrees with a tree parser on every guest list fixture. */
static void
test_guest_list (void)
{
  static const char *files[] = {
    "cluster-resources.json", "cluster-resources-vm.json", "lxc-list.json", "lxc-list-stopped-and-running.json",
  };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GPtrArray) all = NULL;
      g_autoptr(GPtrArray) lxc = NULL;
      g_autoptr(JsonNode) data = NULL;
      g_autoptr(GError) error = NULL;
      JsonArray *array;
      guint expected_all = 0, expected_lxc = 0;
      gsize length;

      if (!load_fixture (files[f], &contents, &length))
        return;

      all = paddock_pve_parse_guest_list (contents, length, FALSE, &error);
      g_assert_no_error (error);
      lxc = paddock_pve_parse_guest_list (contents, length, TRUE, &error);
      g_assert_no_error (error);

      data = paddock_pve_parse_envelope (contents, length, 200, "OK", NULL, &error);
      array = json_node_get_array (data);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *object = json_array_get_object_element (array, i);
          gint64 vmid = paddock_json_get_int (object, "vmid", 0);

          if (vmid <= 0)
            continue;
          expected_all++;
          if (g_strcmp0 (paddock_json_get_string (object, "type"), "lxc") == 0)
            {
              const PaddockGuestRecord *record = g_ptr_array_index (lxc, expected_lxc);

              g_assert_cmpuint (record->vmid, ==, vmid);
              g_assert_cmpstr (record->node, ==, paddock_json_get_string (object, "node"));
              g_assert_cmpstr (record->status, ==, paddock_json_get_string (object, "status"));
              g_assert_cmpint (record->maxmem, ==, paddock_json_get_int (object, "maxmem", 0));
              g_assert_cmpfloat_with_epsilon (record->cpu, paddock_json_get_double (object, "cpu", 0), 1e-9);
              expected_lxc++;
            }
        }

      g_test_message ("%s: %u guests, %u containers", files[f], all->len, lxc->len);
      g_assert_cmpuint (all->len, ==, expected_all);
      g_assert_cmpuint (lxc->len, ==, expected_lxc);
    }

  /* And the literal values of the recordings, not only agreement with another parser. */
  {
    static const struct {
      const char *file;
      guint n_lxc;
      guint vmid;
      const char *name;
      const char *status;
      double maxcpu;
      gint64 maxmem;
      gint64 disk;
      gint64 uptime;
    } literal[] = {
      { "cluster-resources-vm.json", 4, 102, "test-lxc.home.arpa", "running", 2, 536870912, 352190464, 161 },
      { "lxc-list.json", 3, 106, "test", "running", 1, 536870912, 640397312, 919760 },
      { "lxc-list-stopped-and-running.json", 4, 103, "test1-lxc.home.arpa", "stopped", 2, 536870912, 0, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (literal); i++)
      {
        g_autofree char *contents = NULL;
        g_autoptr(GPtrArray) lxc = NULL;
        g_autoptr(GError) error = NULL;
        const PaddockGuestRecord *first;
        gsize length;

        g_assert_true (load_fixture (literal[i].file, &contents, &length));
        lxc = paddock_pve_parse_guest_list (contents, length, TRUE, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (lxc->len, ==, literal[i].n_lxc);
        /* Sorted by the parser's caller, not here: the first LXC entry in response order. */
        first = g_ptr_array_index (lxc, 0);
        g_assert_cmpuint (first->vmid, ==, literal[i].vmid);
        g_assert_cmpstr (first->name, ==, literal[i].name);
        g_assert_cmpstr (first->status, ==, literal[i].status);
        g_assert_cmpfloat (first->maxcpu, ==, literal[i].maxcpu);
        g_assert_cmpint (first->maxmem, ==, literal[i].maxmem);
        g_assert_cmpint (first->disk, ==, literal[i].disk);
        g_assert_cmpint (first->uptime, ==, literal[i].uptime);
      }
  }
}

static void
test_guest_list_quirks (void)
{
  const char *body = "{\"total\":2,\"data\":[{\"vmid\":\"101\",\"type\":\"lxc\",\"name\":\"caf\\u00e9 \\\"x\\\"\","
                     "\"cpu\":\"0.25\",\"maxmem\":\"1073741824\",\"template\":\"\",\"tags\":\"a;b\","
                     "\"unknown\":{\"nested\":[1,2,{\"vmid\":5}]},\"status\":\"running\"},"
                     "{\"type\":\"node\",\"node\":\"pve\"},7,\"x\",{\"vmid\":102,\"type\":\"qemu\"}]}";
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GError) error = NULL;
  const PaddockGuestRecord *record;

  guests = paddock_pve_parse_guest_list (body, strlen (body), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (guests->len, ==, 1);
  record = guests->pdata[0];
  g_assert_cmpuint (record->vmid, ==, 101);
  g_assert_cmpstr (record->name, ==, "café \"x\"");
  g_assert_cmpfloat (record->cpu, ==, 0.25);
  g_assert_cmpint (record->maxmem, ==, 1073741824);
  g_assert_false (record->template);
  g_assert_cmpstr (record->tags, ==, "a;b");

  /* Numbers beyond 64 bits are clamped, never converted with undefined behaviour (found by
   * fuzz-guest-list); negative sizes mean nothing and become 0. */
  {
    const char *huge = "{\"data\":[{\"vmid\":7,\"type\":\"lxc\",\"mem\":6.87195e+20,\"maxmem\":-1e300,\"uptime\":1e999}]}";
    g_autoptr(GPtrArray) clamped = paddock_pve_parse_guest_list (huge, strlen (huge), TRUE, &error);

    g_assert_no_error (error);
    g_assert_cmpint (((PaddockGuestRecord *) clamped->pdata[0])->mem, ==, G_MAXINT64);
    g_assert_cmpint (((PaddockGuestRecord *) clamped->pdata[0])->maxmem, ==, 0);
    g_assert_cmpint (((PaddockGuestRecord *) clamped->pdata[0])->uptime, ==, 0);
  }

  g_assert_null (paddock_pve_parse_guest_list ("{\"data\":[{\"vmid\":1", 17, TRUE, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (paddock_pve_parse_guest_list ("{\"data\":null}", 13, TRUE, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
}

static void
test_property_strings (void)
{
  g_autoptr(GHashTable) net = NULL;
  g_autoptr(GHashTable) rootfs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PaddockMount) mount = NULL;

  net = paddock_pve_parse_property_string ("name=eth0,bridge=vmbr0,firewall=1,hwaddr=BC:24:11:2E:C5:7E,ip=dhcp,type=veth",
                                           NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (net, "hwaddr"), ==, "BC:24:11:2E:C5:7E");
  g_assert_cmpstr (g_hash_table_lookup (net, "ip"), ==, "dhcp");

  rootfs = paddock_pve_parse_property_string ("local-lvm:vm-100-disk-0,size=8G", "volume", &error);
  g_assert_cmpstr (g_hash_table_lookup (rootfs, "volume"), ==, "local-lvm:vm-100-disk-0");

  mount = paddock_mount_parse ("mp0", "/mnt/foo/bar,mp=/storage", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mount->volume, ==, "/mnt/foo/bar");
  g_assert_cmpstr (mount->mountpoint, ==, "/storage");

  g_assert_cmpint (paddock_pve_parse_size ("30G"), ==, 30LL << 30);
  g_assert_cmpint (paddock_pve_parse_size ("512M"), ==, 512LL << 20);
  g_assert_cmpint (paddock_pve_parse_size ("1.5T"), ==, (gint64) (1.5 * (1LL << 40)));
  g_assert_cmpint (paddock_pve_parse_size ("lots"), ==, 0);

  g_assert_null (paddock_pve_parse_property_string ("a=1,a=2", NULL, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (paddock_pve_parse_property_string ("bare", NULL, &error));
  g_assert_nonnull (strstr (error->message, "bare"));
  g_clear_error (&error);
  g_assert_null (paddock_pve_parse_property_string ("=x", NULL, &error));
  g_clear_error (&error);
}

static void
test_upid (void)
{
  PaddockUpid upid;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tasks = fixture_data ("tasks-list.json");

  g_assert_true (paddock_pve_parse_upid ("UPID:example-node:0000C346:165A0CE4:68D7279C:aptupdate::root@pam:", &upid, &error));
  g_assert_cmpstr (upid.node, ==, "example-node");
  g_assert_cmpuint (upid.pid, ==, 49990);
  g_assert_cmpuint (upid.pstart, ==, 375000292);
  g_assert_cmpint (upid.starttime, ==, 1758930844);
  g_assert_cmpstr (upid.type, ==, "aptupdate");
  g_assert_cmpstr (upid.id, ==, "");
  g_assert_cmpstr (upid.user, ==, "root@pam");
  paddock_upid_clear (&upid);

  g_assert_true (paddock_pve_parse_upid ("UPID:n:000934AF:0D015579:68BF3A41:vzdump:100:91a1da29@pam!some-token:", &upid, &error));
  g_assert_cmpstr (upid.user, ==, "91a1da29@pam!some-token");
  paddock_upid_clear (&upid);

  /* Invalid UTF-8 never reaches the regex engine (found by fuzz-property-string). */
  g_assert_false (paddock_pve_parse_upid ("UPID:pve1:0000C346:165A0CE4:68D7279C:vzstart:101:root@pam!p\xff\xff:",
                                          &upid, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  g_assert_false (paddock_pve_parse_upid ("UPID:n:1:2:3:vzstart:100:root@pam", &upid, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_clear_error (&error);

  if (tasks != NULL)
    {
      JsonArray *array = json_node_get_array (tasks);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *text = paddock_json_get_string (json_array_get_object_element (array, i), "upid");

          g_assert_true (paddock_pve_parse_upid (text, &upid, &error));
          g_assert_no_error (error);
          paddock_upid_clear (&upid);
        }
    }
}

static void
test_config (void)
{
  g_autoptr(JsonNode) data = fixture_data ("lxc-config.json");
  g_autoptr(PaddockGuestConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  PaddockNetInterface *net;
  PaddockMount *rootfs;

  if (data == NULL)
    return;

  config = paddock_guest_config_from_json (data, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->hostname, ==, "test-container");
  g_assert_cmpuint (config->cores, ==, 2);
  g_assert_cmpint (config->memory, ==, 4096);
  g_assert_true (config->onboot);
  g_assert_true (config->nesting);
  g_assert_true (config->fuse);
  g_assert_false (config->keyctl);
  g_assert_cmpuint (config->networks->len, ==, 1);
  net = config->networks->pdata[0];
  g_assert_cmpstr (net->id, ==, "net0");
  g_assert_cmpstr (net->bridge, ==, "vmbr0");
  g_assert_cmpstr (net->ip, ==, "dhcp");
  g_assert_true (net->firewall);
  g_assert_cmpuint (config->mounts->len, ==, 2);
  rootfs = config->mounts->pdata[0];
  g_assert_cmpstr (rootfs->id, ==, "rootfs");
  g_assert_cmpint (rootfs->size, ==, 30LL << 30);
  g_assert_cmpstr (((PaddockMount *) config->mounts->pdata[1])->mountpoint, ==, "/storage");
  g_assert_cmpstr (g_hash_table_lookup (config->raw, "digest"), ==, config->digest);
}

static void
test_other_endpoints (void)
{
  g_autoptr(JsonNode) version = fixture_data ("version.json");
  g_autoptr(JsonNode) status = fixture_data ("cluster-status.json");
  g_autoptr(JsonNode) offline = fixture_data ("cluster-status-2node-one-offline.json");
  g_autoptr(JsonNode) interfaces = fixture_data ("lxc-interfaces.json");
  g_autoptr(JsonNode) rrd = fixture_data ("guest-rrddata-hour-stopped.json");
  g_autoptr(JsonNode) network = fixture_data ("network.json");
  g_autoptr(JsonNode) backups = fixture_data ("storage-content-backup-pbs.json");
  g_autoptr(JsonNode) aplinfo = fixture_data ("derived/aplinfo.json");
  g_autoptr(JsonNode) tasks = fixture_data ("tasks-list.json");
  g_autoptr(JsonNode) log = fixture_data ("task-log-imgcopy.json");
  g_autoptr(PaddockPveVersion) v = NULL;
  g_autoptr(PaddockPveClusterStatus) cluster = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *offline_names = NULL;

  if (version == NULL)
    return;

  /* Literal values of the recorded responses, not values recomputed with the parser's helpers. */
  v = paddock_pve_version_from_json (version, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v->version, ==, "9.0.4");
  g_assert_cmpstr (v->release, ==, "9.0");
  g_assert_cmpstr (v->repoid, ==, "39d8a4de7dfb2c40");

  cluster = paddock_pve_cluster_status_from_json (status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cluster->cluster_name, ==, "clustername");
  g_assert_true (cluster->quorate);
  g_assert_cmpuint (cluster->nodes->len, ==, 4);
  g_assert_cmpstr (((PaddockPveNode *) cluster->nodes->pdata[0])->name, ==, "node2");
  g_assert_cmpstr (((PaddockPveNode *) cluster->nodes->pdata[0])->ip, ==, "192.168.1.2");
  g_assert_cmpuint (((PaddockPveNode *) cluster->nodes->pdata[2])->nodeid, ==, 1);
  g_assert_true (((PaddockPveNode *) cluster->nodes->pdata[2])->local);
  g_assert_null (paddock_pve_cluster_status_dup_offline (cluster));
  g_clear_pointer (&cluster, paddock_pve_cluster_status_free);

  cluster = paddock_pve_cluster_status_from_json (offline, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cluster->cluster_name, ==, "testcluster");
  g_assert_cmpuint (cluster->nodes->len, ==, 2);
  offline_names = paddock_pve_cluster_status_dup_offline (cluster);
  g_assert_cmpstr (offline_names, ==, "testnode2");
  g_clear_pointer (&cluster, paddock_pve_cluster_status_free);

  /* A node outside any cluster has no "cluster" entry, and needs no quorum. */
  {
    const char *standalone = "{\"data\":[{\"type\":\"node\",\"id\":\"node/pve\",\"name\":\"pve\",\"online\":1,"
                             "\"local\":1,\"nodeid\":0,\"ip\":\"10.0.0.5\",\"level\":\"\"}]}";
    const char *no_quorum = "{\"data\":[{\"type\":\"cluster\",\"id\":\"cluster\",\"name\":\"lab\",\"quorate\":0,"
                            "\"nodes\":3,\"version\":7},{\"type\":\"node\",\"name\":\"a\",\"online\":1},"
                            "{\"type\":\"node\",\"name\":\"b\",\"online\":0},{\"type\":\"node\",\"name\":\"c\",\"online\":0}]}";
    g_autoptr(JsonNode) data = paddock_pve_parse_envelope (standalone, strlen (standalone), 200, "OK", NULL, &error);
    g_autoptr(JsonNode) lost = paddock_pve_parse_envelope (no_quorum, strlen (no_quorum), 200, "OK", NULL, &error);
    g_autofree char *names = NULL;

    cluster = paddock_pve_cluster_status_from_json (data, &error);
    g_assert_no_error (error);
    g_assert_null (cluster->cluster_name);
    g_assert_true (cluster->quorate);
    g_assert_cmpstr (((PaddockPveNode *) cluster->nodes->pdata[0])->ip, ==, "10.0.0.5");
    g_clear_pointer (&cluster, paddock_pve_cluster_status_free);

    cluster = paddock_pve_cluster_status_from_json (lost, &error);
    g_assert_no_error (error);
    g_assert_false (cluster->quorate);
    names = paddock_pve_cluster_status_dup_offline (cluster);
    g_assert_cmpstr (names, ==, "b, c");
    g_clear_pointer (&cluster, paddock_pve_cluster_status_free);
  }

  list = paddock_interfaces_from_json (interfaces, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((PaddockInterface *) list->pdata[1])->name, ==, "eth0");
  g_assert_cmpstr (((PaddockInterface *) list->pdata[1])->hwaddr, ==, "bc:24:11:89:67:07");
  g_assert_cmpstr (((PaddockInterface *) list->pdata[1])->addresses[0], ==, "192.168.3.95/22");
  g_assert_cmpstr (((PaddockInterface *) list->pdata[1])->addresses[1], ==, "fe80::be24:11ff:fe89:6707/64");
  g_clear_pointer (&list, g_ptr_array_unref);

  points = paddock_rrd_points_from_json (rrd, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 70);
  /* A stopped guest: its cpu column is absent, never a made-up zero. */
  g_assert_true (isnan (g_array_index (points, PaddockRrdPoint, 0).cpu));
  g_assert_false (isnan (g_array_index (points, PaddockRrdPoint, 0).maxmem));
  g_clear_pointer (&points, g_array_unref);

  /* Gaps (null), values that cannot be usage, and rows out of order: the graph gets gaps, in order. */
  {
    const char *odd = "{\"data\":[{\"time\":1700000120,\"cpu\":0.5,\"netin\":-3},"
                      "{\"time\":1700000060,\"cpu\":null,\"mem\":\"1024\"},"
                      "{\"time\":0,\"cpu\":0.1},{\"cpu\":0.2},"
                      "{\"time\":1700000180,\"cpu\":1e999}]}";
    g_autoptr(JsonNode) data = paddock_pve_parse_envelope (odd, strlen (odd), 200, "OK", NULL, &error);

    g_assert_no_error (error);
    points = paddock_rrd_points_from_json (data, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (points->len, ==, 3);
    g_assert_cmpint (g_array_index (points, PaddockRrdPoint, 0).time, ==, 1700000060);
    g_assert_true (isnan (g_array_index (points, PaddockRrdPoint, 0).cpu));
    g_assert_cmpfloat (g_array_index (points, PaddockRrdPoint, 0).mem, ==, 1024.0);
    g_assert_cmpfloat (g_array_index (points, PaddockRrdPoint, 1).cpu, ==, 0.5);
    g_assert_true (isnan (g_array_index (points, PaddockRrdPoint, 1).netin));
    g_assert_true (isnan (g_array_index (points, PaddockRrdPoint, 2).cpu));
  }

  list = paddock_bridges_from_json (network, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((PaddockBridge *) list->pdata[0])->iface, ==, "vmbr0");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = paddock_volumes_from_json (backups, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((PaddockVolume *) list->pdata[0])->volid, ==, "datastore:backup/vm/931/2023-12-14T04:34:34Z");
  g_assert_cmpint (((PaddockVolume *) list->pdata[0])->size, ==, 273804166061);
  g_assert_cmpint (((PaddockVolume *) list->pdata[0])->ctime, ==, 1702528474);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = paddock_appliances_from_json (aplinfo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 25);
  g_assert_cmpstr (((PaddockAppliance *) list->pdata[0])->package, ==, "almalinux-10-default");
  g_assert_cmpstr (((PaddockAppliance *) list->pdata[0])->template, ==, "almalinux-10-default_20250930_amd64.tar.xz");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = paddock_tasks_from_json (tasks, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((PaddockTaskInfo *) list->pdata[0])->type, ==, "srvreload");
  g_assert_cmpstr (((PaddockTaskInfo *) list->pdata[0])->upid, ==,
                   "UPID:iaclab-01-01:00000DD3:1C419D88:6119FB65:srvreload:networking:root@pam:");
  g_assert_cmpstr (((PaddockTaskInfo *) list->pdata[0])->exitstatus, ==, "OK");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = paddock_task_lines_from_json (log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 7);
  g_assert_cmpuint (((PaddockTaskLine *) list->pdata[0])->n, ==, 1);
  g_assert_cmpstr (((PaddockTaskLine *) list->pdata[6])->text, ==, "TASK OK");
}

static void
test_task_status (void)
{
  static const struct { const char *file; gboolean running; gboolean succeeded; } cases[] = {
    { "task-status-running.json", TRUE, FALSE },
    { "task-status-stopped-ok.json", FALSE, TRUE },
    { "task-status-stopped-error.json", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) data = fixture_data (cases[i].file);
      g_autoptr(PaddockTaskInfo) task = NULL;
      g_autoptr(GError) error = NULL;

      if (data == NULL)
        return;

      task = paddock_task_info_from_json (json_node_get_object (data), &error);
      g_assert_no_error (error);
      g_assert_cmpint (task->running, ==, cases[i].running);
      g_assert_cmpint (paddock_task_info_succeeded (task), ==, cases[i].succeeded);
      if (!cases[i].running && !cases[i].succeeded)
        g_assert_nonnull (task->exitstatus);
    }

  /* "WARNINGS: n" is success, as Proxmox decides. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(PaddockTaskInfo) task = NULL;

    json_parser_load_from_data (parser, "{\"upid\":\"UPID:n:00000001:00000001:00000001:vzstart:1:u@pam:\","
                                        "\"status\":\"stopped\",\"exitstatus\":\"WARNINGS: 2\"}", -1, NULL);
    task = paddock_task_info_from_json (json_node_get_object (json_parser_get_root (parser)), NULL);
    g_assert_true (paddock_task_info_succeeded (task));
  }
}

/* What a hostile server may send: surrogate pairs, deep nesting (which cost 18–30 s of CPU in the
 * list parser before its depth limit). */
static void
test_hostile_json (void)
{
  const char *pairs = "{\"data\":[{\"vmid\":101,\"type\":\"lxc\",\"name\":\"smile-\\ud83d\\ude00\"},"
                      "{\"vmid\":102,\"type\":\"lxc\",\"name\":\"half-\\ud83d-x\"},"
                      "{\"vmid\":103,\"type\":\"lxc\",\"name\":\"low-\\ude00\"}]}";
  const char *pair = "{\"data\":[{\"name\":\"smile-\\ud83d\\ude00\"}]}";
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  GString *deep = g_string_new ("{\"data\":");
  gint64 started;

  guests = paddock_pve_parse_guest_list (pairs, strlen (pairs), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (guests->len, ==, 3);
  g_assert_cmpstr (((PaddockGuestRecord *) guests->pdata[0])->name, ==, "smile-\U0001F600");
  g_assert_cmpstr (((PaddockGuestRecord *) guests->pdata[1])->name, ==, "half-\uFFFD-x");
  g_assert_cmpstr (((PaddockGuestRecord *) guests->pdata[2])->name, ==, "low-\uFFFD");

  /* json-glib (every other answer) agrees on the pair. */
  data = paddock_pve_parse_envelope (pair, strlen (pair), 200, "OK", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (data), 0),
                                                  "name"), ==, "smile-\U0001F600");
  g_clear_pointer (&data, json_node_unref);

  /* 100,000 nested arrays in 200 KB: refused at once by both parsers, naming the limit. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  started = g_get_monotonic_time ();
  g_assert_null (paddock_pve_parse_guest_list (deep->str, deep->len, TRUE, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "deeper than 64 levels"));
  g_clear_error (&error);
  g_assert_null (paddock_pve_parse_envelope (deep->str, deep->len, 200, "OK", NULL, &error));
  g_assert_error (error, PADDOCK_PVE_ERROR, PADDOCK_PVE_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_test_message ("deep nesting refused in %" G_GINT64_FORMAT " µs", g_get_monotonic_time () - started);

  /* Brackets inside strings do not count; 64 levels are still parsed. */
  g_string_assign (deep, "{\"data\":[{\"vmid\":106,\"type\":\"lxc\",\"name\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[\"}]}");
  g_clear_pointer (&guests, g_ptr_array_unref);
  guests = paddock_pve_parse_guest_list (deep->str, deep->len, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (guests->len, ==, 1);
  g_string_assign (deep, "{\"data\":");
  for (guint i = 0; i < 63; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 63; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  data = paddock_pve_parse_envelope (deep->str, deep->len, 200, "OK", NULL, &error);
  g_assert_no_error (error);
  g_string_free (deep, TRUE);
  g_clear_pointer (&data, json_node_unref);

  /* Names shown as text (a right-to-left override would show "evil" as "live"); numbers clamped
   * to their meaning: no negative CPU, no infinity, no uptime of 10^14 days. */
  {
    const char *odd = "{\"data\":[{\"vmid\":107,\"type\":\"lxc\",\"name\":\"\\u202elive\\u0007\","
                      "\"node\":\"pve\\u20661\",\"cpu\":-0.5,\"mem\":-4,\"uptime\":9223372036854775807},"
                      "{\"vmid\":108,\"type\":\"lxc\",\"name\":\"\\u05e9\\u05dc\\u05d5\\u05dd\","
                      "\"cpu\":1e999,\"uptime\":-3}]}";
    const PaddockGuestRecord *first, *second;

    g_clear_pointer (&guests, g_ptr_array_unref);
    guests = paddock_pve_parse_guest_list (odd, strlen (odd), TRUE, &error);
    g_assert_no_error (error);
    first = guests->pdata[0];
    second = guests->pdata[1];
    g_assert_cmpstr (first->name, ==, "\uFFFDlive\uFFFD");
    g_assert_cmpstr (first->node, ==, "pve\uFFFD1");
    g_assert_cmpfloat (first->cpu, ==, 0.0);
    g_assert_cmpint (first->mem, ==, 0);
    g_assert_cmpint (first->uptime, ==, 0);
    g_assert_cmpstr (second->name, ==, "\u05e9\u05dc\u05d5\u05dd");  /* right-to-left text itself is fine */
    g_assert_cmpfloat (second->cpu, ==, 0.0);
    g_assert_cmpint (second->uptime, ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  fixtures_dir = g_test_build_filename (G_TEST_DIST, "reference", "pve-fixtures", NULL);

  g_test_add_func ("/pve-parse/envelope-errors", test_envelope_errors);
  g_test_add_func ("/pve-parse/guest-list", test_guest_list);
  g_test_add_func ("/pve-parse/guest-list-quirks", test_guest_list_quirks);
  g_test_add_func ("/pve-parse/property-strings", test_property_strings);
  g_test_add_func ("/pve-parse/upid", test_upid);
  g_test_add_func ("/pve-parse/config", test_config);
  g_test_add_func ("/pve-parse/other-endpoints", test_other_endpoints);
  g_test_add_func ("/pve-parse/task-status", test_task_status);
  g_test_add_func ("/pve-parse/hostile-json", test_hostile_json);

  return g_test_run ();
}
