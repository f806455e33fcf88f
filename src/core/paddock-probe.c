/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-probe.c: what runs inside a container, gathered in one `pct exec` (SPEC.md §5.1) */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "paddock-probe.h"
#include "paddock-probe-parse-private.h"
#include "paddock-shell.h"

/* A probe answers in well under a second; a container that hangs must not hold the view. */
#define PROBE_TIMEOUT_MS 30000

typedef struct
{
  PaddockProbeResult public;
  gatomicrefcount    ref_count;
} ProbeResult;

G_DEFINE_BOXED_TYPE (PaddockProbeResult, paddock_probe_result, paddock_probe_result_ref,
                     paddock_probe_result_unref)

static PaddockProbeResult *
probe_result_new (void)
{
  ProbeResult *result = g_new0 (ProbeResult, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->public.services = g_ptr_array_new_with_free_func (g_object_unref);
  result->public.other_ports = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_port_free);
  return &result->public;
}

PaddockProbeResult *
paddock_probe_result_ref (PaddockProbeResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  g_atomic_ref_count_inc (&((ProbeResult *) result)->ref_count);
  return result;
}

void
paddock_probe_result_unref (PaddockProbeResult *result)
{
  if (result == NULL || !g_atomic_ref_count_dec (&((ProbeResult *) result)->ref_count))
    return;

  g_ptr_array_unref (result->services);
  g_ptr_array_unref (result->other_ports);
  g_strfreev (result->addresses);
  g_strfreev (result->missing);
  g_free (result->config_manager_state);
  g_free (result->config_manager_result);
  g_free (result->config_manager_last_line);
  g_free (result);
}

const char *
paddock_probe_result_get_address (PaddockProbeResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; result->addresses && result->addresses[i]; i++)
    if (!g_str_has_prefix (result->addresses[i], "fe80:") && !g_str_has_prefix (result->addresses[i], "127."))
      return result->addresses[i];

  return NULL;
}

PaddockService *
paddock_probe_result_find_service (PaddockProbeResult *result,
                                   const char         *unit)
{
  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < result->services->len; i++)
    {
      PaddockService *service = g_ptr_array_index (result->services, i);

      if (g_strcmp0 (paddock_service_get_unit (service), unit) == 0)
        return service;
    }

  return NULL;
}

/* The script */

/* POSIX sh, for any container: every section is printed even when its tool is missing, so the
 * answer always says what it could not see. Output is bounded (unit, PID and file counts, bytes
 * per credentials file); set -f keeps unit names from globbing (only the credential files are
 * globbed). Units: the loaded services that are not inactive, and the enabled ones (the links in
 * /etc/systemd/system/TARGET.wants, which is what enabling makes): `systemctl list-unit-files
 * --state=enabled` reads every unit file on disk and costs more than the rest together, and
 * `systemctl show` of every loaded unit costs most of the rest. */
static const char probe_script[] =
  "m='@@PADDOCK@@ @TOKEN@'\n"
  "export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
  "set -f\n"
  "sd=; [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && sd=1\n"
  "echo \"$m clock\"\n"
  "date +%s; cat /proc/uptime 2>/dev/null\n"
  "echo \"$m tools\"\n"
  "[ -n \"$sd\" ] && echo systemd\n"
  "command -v ss >/dev/null 2>&1 && echo ss\n"
  "echo \"$m units\"\n"
  "if [ -n \"$sd\" ]; then\n"
  "  set +f\n"
  "  units=$({ systemctl list-units --type=service --all --no-legend --plain --no-pager 2>/dev/null"
  " | awk '{ if ($1 == \"*\" || $1 == \"\\342\\227\\217\") { $1 = \"\"; $0 = $0 } }"
  " $2 == \"loaded\" && $3 != \"inactive\" { print $1 }';"
  " ls /etc/systemd/system/*.wants /etc/systemd/system/*.requires 2>/dev/null; }"
  " | grep '\\.service$' | grep -v '@\\.service$' | sort -u | head -n 2000)\n"
  "  set -f\n"
  "  p=Id,Description,LoadState,ActiveState,SubState,UnitFileState,MainPID,MemoryCurrent,NRestarts"
  ",ActiveEnterTimestamp,ActiveEnterTimestampMonotonic\n"
  "  [ -n \"$units\" ] && { systemctl show --timestamp=unix --no-pager --property=$p -- $units 2>/dev/null ||"
  " systemctl show --no-pager --property=$p -- $units 2>/dev/null; }\n"
  "fi\n"
  "echo \"$m tcp\"\n"
  "ss -Htlnp 2>/dev/null\n"
  "echo \"$m udp\"\n"
  "ss -Hulnp 2>/dev/null\n"
  "echo \"$m cgroups\"\n"
  "for p in $({ ss -Htlnp; ss -Hulnp; } 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -un"
  " | head -n 1000); do echo \"pid $p\"; cat /proc/$p/cgroup 2>/dev/null; done\n"
  "n=0; set +f\n"
  "for f in /etc/infrahaus/credentials/* /root/*.creds; do\n"
  "  [ -f \"$f\" ] && [ ! -L \"$f\" ] || continue\n"
  "  case \"$f\" in *'\n'*) continue ;; esac\n"
  "  n=$((n + 1)); [ $n -le 200 ] || break\n"
  "  echo \"$m credential $f\"\n"
  "  head -c 65536 \"$f\"; echo\n"
  "done; set -f\n"
  "echo \"$m config-manager\"\n"
  "if [ -n \"$sd\" ] && systemctl cat config-manager.service >/dev/null 2>&1; then\n"
  "  q=ActiveState,SubState,Result,ExecMainStatus,ExecMainExitTimestamp,ExecMainExitTimestampMonotonic\n"
  "  systemctl show --timestamp=unix --no-pager --property=$q config-manager.service 2>/dev/null ||"
  " systemctl show --no-pager --property=$q config-manager.service 2>/dev/null\n"
  "  echo \"$m config-manager-log\"\n"
  "  tail -n 1 /var/log/config-manager/sync.log 2>/dev/null | head -c 4096; echo\n"
  "fi\n"
  "echo \"$m addresses\"\n"
  "hostname -I 2>/dev/null || ip -o addr show 2>/dev/null | awk '{ sub(/\\/.*/, \"\", $4); print $4 }'\n"
  "echo \"$m end\"\n";

char *
paddock_probe_build_script (const char *token)
{
  g_autoptr(GString) script = g_string_new (probe_script);

  g_return_val_if_fail (token != NULL && strspn (token, "0123456789abcdef") == strlen (token), NULL);

  g_string_replace (script, "@TOKEN@", token, 1);
  return g_string_free (g_steal_pointer (&script), FALSE);
}

/* Parsing */

typedef struct
{
  gint64 now;         /* the container's clock */
  double uptime;      /* seconds since boot, as the container sees it */
} Clock;

/* "@1701331406" (--timestamp=unix), "Mon 2026-11-30 05:03:26 UTC" or an offset; otherwise the
 * monotonic timestamp against the container's uptime (wrong where lxcfs fakes /proc/uptime,
 * hence the last resort). */
static gint64
parse_timestamp (const char  *value,
                 const char  *monotonic,
                 const Clock *clock)
{
  gint64 usec;

  if (value != NULL && value[0] == '@')
    {
      gint64 seconds = g_ascii_strtoll (value + 1, NULL, 10);

      return seconds > 0 ? seconds : 0;
    }

  if (value != NULL && *value != '\0' && g_strcmp0 (value, "n/a") != 0)
    {
      g_auto(GStrv) parts = g_strsplit (value, " ", -1);

      if (g_strv_length (parts) == 4 && (g_str_equal (parts[3], "UTC") || parts[3][0] == '+' || parts[3][0] == '-'))
        {
          g_autofree char *iso = g_strdup_printf ("%sT%s%s", parts[1], parts[2],
                                                  g_str_equal (parts[3], "UTC") ? "Z" : parts[3]);
          g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

          if (time != NULL)
            return g_date_time_to_unix (time);
        }
    }

  usec = paddock_parse_systemd_number (monotonic);
  if (usec > 0 && clock->now > 0 && clock->uptime > 0)
    {
      gint64 since = clock->now - (gint64) (clock->uptime - usec / 1e6);

      return since > 0 && since <= clock->now ? since : 0;
    }

  return 0;
}

static gint
compare_services (gconstpointer a,
                  gconstpointer b)
{
  PaddockService *left = *(PaddockService **) a;
  PaddockService *right = *(PaddockService **) b;
  gboolean left_system = paddock_service_get_system (left);
  gboolean right_system = paddock_service_get_system (right);

  if (left_system != right_system)
    return left_system ? 1 : -1;

  return g_utf8_collate (paddock_service_get_name (left), paddock_service_get_name (right));
}

static GStrv
split_words (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = g_strsplit_set (text ? text : "", " \t\n", -1);

  for (guint i = 0; words[i] != NULL && i < 64; i++)
    if (*words[i] != '\0' && g_utf8_validate (words[i], -1, NULL))
      g_strv_builder_add (builder, words[i]);

  return g_strv_builder_end (builder);
}

/* A credentials file goes to the unit of its name: exact, then with its @instance stripped
 * (code-server@coder ← code-server); otherwise it stands alone. */
static PaddockService *
service_for_credentials (GPtrArray  *services,
                         GHashTable *by_unit,
                         const char *path)
{
  g_autofree char *name = paddock_credentials_service_name (path);
  g_autofree char *unit = g_strconcat (name, ".service", NULL);
  PaddockService *service = g_hash_table_lookup (by_unit, unit);

  if (service != NULL)
    return service;

  for (guint i = 0; i < services->len; i++)
    {
      PaddockService *candidate = g_ptr_array_index (services, i);
      const char *candidate_name = paddock_service_get_name (candidate);
      const char *at = strchr (candidate_name, '@');

      if (at != NULL && strlen (name) == (gsize) (at - candidate_name) &&
          strncmp (candidate_name, name, at - candidate_name) == 0)
        return candidate;
    }

  service = paddock_service_new (unit);
  paddock_service_set_has_unit (service, FALSE);
  g_ptr_array_add (services, service);
  g_hash_table_insert (by_unit, (gpointer) paddock_service_get_unit (service), service);
  return service;
}

static void
add_sockets (PaddockProbeResult *result,
             GHashTable         *by_unit,
             GPtrArray          *sockets,
             GHashTable         *pid_units)
{
  for (guint i = 0; i < sockets->len; i++)
    {
      PaddockSocketRecord *socket = g_ptr_array_index (sockets, i);
      PaddockPort port = { socket->protocol, socket->address, socket->scope, socket->port, socket->wildcard,
                           socket->commands->len ? g_ptr_array_index (socket->commands, 0) : NULL };
      gboolean matched = FALSE;

      /* By each holder's cgroup: right for workers and forks, not only the main PID. */
      for (guint p = 0; p < socket->pids->len; p++)
        {
          int pid = g_array_index (socket->pids, int, p);
          const char *unit = g_hash_table_lookup (pid_units, GINT_TO_POINTER (pid));
          PaddockService *service = unit ? g_hash_table_lookup (by_unit, unit) : NULL;

          /* Without its cgroup (an old kernel, a process gone meanwhile): the main PID. */
          for (guint s = 0; service == NULL && s < result->services->len; s++)
            if (paddock_service_get_main_pid (g_ptr_array_index (result->services, s)) == pid)
              service = g_ptr_array_index (result->services, s);

          if (service != NULL)
            {
              paddock_service_add_port (service, &port);
              matched = TRUE;
            }
        }

      if (!matched && socket->cgroup != NULL)
        {
          g_autofree char *unit = paddock_cgroup_path_unit (socket->cgroup);
          PaddockService *service = unit ? g_hash_table_lookup (by_unit, unit) : NULL;

          if (service != NULL)
            {
              paddock_service_add_port (service, &port);
              matched = TRUE;
            }
        }

      if (!matched)
        {
          gboolean seen = FALSE;

          for (guint o = 0; o < result->other_ports->len; o++)
            seen |= paddock_port_equal (g_ptr_array_index (result->other_ports, o), &port);
          if (!seen)
            g_ptr_array_add (result->other_ports, paddock_port_copy (&port));
        }
    }
}

static PaddockCredentialFile *
credential_file_from (const char *path,
                      const char *text)
{
  PaddockCredentialFile *file = g_new0 (PaddockCredentialFile, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();

  file->path = g_utf8_make_valid (path, -1);
  pairs = paddock_parse_credentials (text, strlen (text), file->path, &error);
  if (pairs == NULL)
    {
      file->error = g_strdup (error->message);
      pairs = g_ptr_array_new ();
    }

  for (guint i = 0; i < pairs->len; i++)
    {
      PaddockCredentialRecord *record = g_ptr_array_index (pairs, i);

      g_strv_builder_add (keys, record->key);
      g_strv_builder_add (values, record->value);
    }
  file->keys = g_strv_builder_end (keys);
  file->values = g_strv_builder_end (values);
  return file;
}

PaddockProbeResult *
paddock_probe_parse_output (const char  *output,
                            gsize        length,
                            const char  *token,
                            GError     **error)
{
  g_autoptr(PaddockProbeResult) result = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  g_autoptr(GHashTable) by_unit = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) pid_units = NULL;
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_socket_record_free);
  g_autoptr(GPtrArray) credential_files = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_credential_file_free);
  g_auto(GStrv) tools = NULL;
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  Clock clock = { 0 };
  const char *units_text = NULL, *cgroups_text = NULL;

  if (!(sections = paddock_probe_split (output, length, token, error)))
    return NULL;

  result = probe_result_new ();
  for (guint i = 0; i < sections->len; i++)
    {
      PaddockProbeSection *section = g_ptr_array_index (sections, i);
      const char *text = section->text ? section->text : "";

      if (g_str_equal (section->name, "clock"))
        {
          g_auto(GStrv) words = split_words (text);

          clock.now = words[0] ? g_ascii_strtoll (words[0], NULL, 10) : 0;
          clock.uptime = words[0] && words[1] ? g_ascii_strtod (words[1], NULL) : 0;
        }
      /* A section may come twice in a hostile answer: the last one counts. */
      else if (g_str_equal (section->name, "tools"))
        {
          g_strfreev (tools);
          tools = split_words (text);
        }
      else if (g_str_equal (section->name, "units"))
        units_text = text;
      else if (g_str_equal (section->name, "tcp") || g_str_equal (section->name, "udp"))
        {
          g_autoptr(GPtrArray) found = paddock_parse_ss (text, section->name);

          g_ptr_array_extend_and_steal (sockets, g_steal_pointer (&found));
        }
      else if (g_str_equal (section->name, "cgroups"))
        cgroups_text = text;
      else if (g_str_equal (section->name, "credential") && section->argument != NULL)
        g_ptr_array_add (credential_files, credential_file_from (section->argument, text));
      else if (g_str_equal (section->name, "config-manager"))
        {
          /* The properties asked for do not include Id, which a block needs. */
          g_autofree char *block = g_strconcat ("Id=config-manager.service\n", text, NULL);
          g_autoptr(GPtrArray) blocks = paddock_parse_systemctl_show (block);
          GHashTable *props = blocks->len ? g_ptr_array_index (blocks, 0) : NULL;

          if (props != NULL && g_hash_table_contains (props, "ActiveState"))
            {
              result->config_manager = TRUE;
              g_free (result->config_manager_state);
              result->config_manager_state = g_strdup (g_hash_table_lookup (props, "ActiveState"));
              g_free (result->config_manager_result);
              result->config_manager_result = g_strdup (g_hash_table_lookup (props, "Result"));
              result->config_manager_last_run = parse_timestamp (g_hash_table_lookup (props, "ExecMainExitTimestamp"),
                                                                 g_hash_table_lookup (props, "ExecMainExitTimestampMonotonic"),
                                                                 &clock);
            }
        }
      else if (g_str_equal (section->name, "config-manager-log"))
        {
          g_autofree char *stripped = g_strstrip (g_strdup (text));
          g_autofree char *line = g_utf8_make_valid (stripped, -1);

          g_free (result->config_manager_last_line);
          result->config_manager_last_line = *line ? g_steal_pointer (&line) : NULL;
        }
      else if (g_str_equal (section->name, "addresses"))
        {
          g_strfreev (result->addresses);
          result->addresses = split_words (text);
        }
    }

  result->probed_at = clock.now > 0 ? clock.now : g_get_real_time () / G_USEC_PER_SEC;

  if (tools == NULL || !g_strv_contains ((const char * const *) tools, "systemd"))
    g_strv_builder_add (missing, "systemd");
  if (tools == NULL || !g_strv_contains ((const char * const *) tools, "ss"))
    g_strv_builder_add (missing, "ss");
  result->missing = g_strv_builder_end (missing);

  /* Units */
  {
    g_autoptr(GPtrArray) blocks = paddock_parse_systemctl_show (units_text);

    for (guint i = 0; i < blocks->len; i++)
      {
        GHashTable *props = g_ptr_array_index (blocks, i);
        const char *id = g_hash_table_lookup (props, "Id");
        const char *file_state;
        PaddockService *service;

        if (g_strcmp0 (g_hash_table_lookup (props, "LoadState"), "not-found") == 0 ||
            !g_str_has_suffix (id, ".service") || g_hash_table_contains (by_unit, id))
          continue;
        /* Running, failed and enabled services (SPEC.md §5.1); not every unit ever loaded. */
        file_state = g_hash_table_lookup (props, "UnitFileState");
        if (g_strcmp0 (g_hash_table_lookup (props, "ActiveState"), "inactive") == 0 &&
            (file_state == NULL || !g_str_has_prefix (file_state, "enabled")))
          continue;

        service = paddock_service_new (id);
        paddock_service_set_properties (service, props,
                                        parse_timestamp (g_hash_table_lookup (props, "ActiveEnterTimestamp"),
                                                         g_hash_table_lookup (props, "ActiveEnterTimestampMonotonic"),
                                                         &clock));
        g_ptr_array_add (result->services, service);
        g_hash_table_insert (by_unit, (gpointer) paddock_service_get_unit (service), service);
      }
  }

  pid_units = paddock_parse_pid_units (cgroups_text);
  add_sockets (result, by_unit, sockets, pid_units);

  for (guint i = 0; i < credential_files->len; i++)
    {
      PaddockCredentialFile *file = g_ptr_array_index (credential_files, i);

      paddock_service_add_credentials (service_for_credentials (result->services, by_unit, file->path), file);
    }

  g_ptr_array_sort (result->services, compare_services);
  return g_steal_pointer (&result);
}

/* The cache (no credentials) */

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_port (JsonBuilder       *b,
          const PaddockPort *port)
{
  json_builder_begin_object (b);
  add_string (b, "protocol", port->protocol);
  add_string (b, "address", port->address);
  add_string (b, "scope", port->scope);
  add_string (b, "command", port->command);
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, port->port);
  json_builder_set_member_name (b, "wildcard");
  json_builder_add_boolean_value (b, port->wildcard);
  json_builder_end_object (b);
}

static void
add_strv (JsonBuilder *b,
          const char  *name,
          GStrv        values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; values && values[i]; i++)
    json_builder_add_string_value (b, values[i]);
  json_builder_end_array (b);
}

char *
paddock_probe_result_to_json (PaddockProbeResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "probed_at");
  json_builder_add_int_value (b, result->probed_at);
  add_strv (b, "addresses", result->addresses);
  add_strv (b, "missing", result->missing);
  json_builder_set_member_name (b, "services");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->services->len; i++)
    {
      PaddockService *service = g_ptr_array_index (result->services, i);
      GPtrArray *ports = paddock_service_get_ports (service);
      GPtrArray *credentials = paddock_service_get_credentials (service);

      json_builder_begin_object (b);
      add_string (b, "unit", paddock_service_get_unit (service));
      add_string (b, "description", paddock_service_get_description (service));
      add_string (b, "load_state", paddock_service_get_load_state (service));
      add_string (b, "active_state", paddock_service_get_active_state (service));
      add_string (b, "sub_state", paddock_service_get_sub_state (service));
      add_string (b, "unit_file_state", paddock_service_get_unit_file_state (service));
      json_builder_set_member_name (b, "main_pid");
      json_builder_add_int_value (b, paddock_service_get_main_pid (service));
      json_builder_set_member_name (b, "memory");
      json_builder_add_int_value (b, paddock_service_get_memory (service));
      json_builder_set_member_name (b, "active_since");
      json_builder_add_int_value (b, paddock_service_get_active_since (service));
      json_builder_set_member_name (b, "restarts");
      json_builder_add_int_value (b, paddock_service_get_restarts (service));
      json_builder_set_member_name (b, "has_unit");
      json_builder_add_boolean_value (b, paddock_service_get_has_unit (service));
      json_builder_set_member_name (b, "ports");
      json_builder_begin_array (b);
      for (guint p = 0; p < ports->len; p++)
        add_port (b, g_ptr_array_index (ports, p));
      json_builder_end_array (b);
      /* Only where credentials are: their values stay in memory. */
      json_builder_set_member_name (b, "credential_files");
      json_builder_begin_array (b);
      for (guint c = 0; c < credentials->len; c++)
        json_builder_add_string_value (b, ((PaddockCredentialFile *) g_ptr_array_index (credentials, c))->path);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "other_ports");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->other_ports->len; i++)
    add_port (b, g_ptr_array_index (result->other_ports, i));
  json_builder_end_array (b);
  if (result->config_manager)
    {
      json_builder_set_member_name (b, "config_manager");
      json_builder_begin_object (b);
      add_string (b, "state", result->config_manager_state);
      add_string (b, "result", result->config_manager_result);
      add_string (b, "last_line", result->config_manager_last_line);
      json_builder_set_member_name (b, "last_run");
      json_builder_add_int_value (b, result->config_manager_last_run);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
         ? json_node_get_int (node) : 0;
}

static PaddockPort *
port_from_json (JsonNode *node)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  PaddockPort *port;

  if (object == NULL)
    return NULL;

  port = g_new0 (PaddockPort, 1);
  port->protocol = g_strdup (member_string (object, "protocol"));
  port->address = g_strdup (member_string (object, "address"));
  port->scope = g_strdup (member_string (object, "scope"));
  port->command = g_strdup (member_string (object, "command"));
  port->port = (guint16) CLAMP (member_int (object, "port"), 0, 65535);
  port->wildcard = json_object_get_boolean_member_with_default (object, "wildcard", FALSE);
  return port;
}

static GStrv
strv_from_json (JsonObject *object,
                const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

PaddockProbeResult *
paddock_probe_result_new_from_json (const char  *json,
                                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PaddockProbeResult) result = NULL;
  JsonObject *root;
  JsonNode *services;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED, _("The cached services are damaged"));
      return NULL;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  result = probe_result_new ();
  result->probed_at = member_int (root, "probed_at");
  result->addresses = strv_from_json (root, "addresses");
  result->missing = strv_from_json (root, "missing");

  services = json_object_get_member (root, "services");
  for (guint i = 0; services && JSON_NODE_HOLDS_ARRAY (services) && i < json_array_get_length (json_node_get_array (services)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (services), i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autoptr(GHashTable) props = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_auto(GStrv) credential_files = NULL;
      JsonNode *ports;
      PaddockService *service;

      if (object == NULL || member_string (object, "unit") == NULL)
        continue;

      service = paddock_service_new (member_string (object, "unit"));
      g_hash_table_insert (props, g_strdup ("Description"), g_strdup (member_string (object, "description")));
      g_hash_table_insert (props, g_strdup ("LoadState"), g_strdup (member_string (object, "load_state")));
      g_hash_table_insert (props, g_strdup ("ActiveState"), g_strdup (member_string (object, "active_state")));
      g_hash_table_insert (props, g_strdup ("SubState"), g_strdup (member_string (object, "sub_state")));
      g_hash_table_insert (props, g_strdup ("UnitFileState"), g_strdup (member_string (object, "unit_file_state")));
      g_hash_table_insert (props, g_strdup ("MainPID"), g_strdup_printf ("%" G_GINT64_FORMAT, member_int (object, "main_pid")));
      g_hash_table_insert (props, g_strdup ("MemoryCurrent"), member_int (object, "memory") >= 0
                           ? g_strdup_printf ("%" G_GINT64_FORMAT, member_int (object, "memory"))
                           : g_strdup ("[not set]"));
      g_hash_table_insert (props, g_strdup ("NRestarts"), g_strdup_printf ("%" G_GINT64_FORMAT, member_int (object, "restarts")));
      paddock_service_set_properties (service, props, member_int (object, "active_since"));
      paddock_service_set_has_unit (service, json_object_get_boolean_member_with_default (object, "has_unit", TRUE));

      ports = json_object_get_member (object, "ports");
      for (guint p = 0; ports && JSON_NODE_HOLDS_ARRAY (ports) && p < json_array_get_length (json_node_get_array (ports)); p++)
        {
          g_autoptr(PaddockPort) port = port_from_json (json_array_get_element (json_node_get_array (ports), p));

          if (port != NULL)
            paddock_service_add_port (service, port);
        }

      /* The files are known; their values are read again by the next probe. */
      credential_files = strv_from_json (object, "credential_files");
      for (guint c = 0; credential_files[c] != NULL; c++)
        {
          PaddockCredentialFile file = { credential_files[c], NULL, NULL, NULL };
          char *empty[] = { NULL };

          file.keys = empty;
          file.values = empty;
          paddock_service_add_credentials (service, &file);
        }

      g_ptr_array_add (result->services, service);
    }

  {
    JsonNode *others = json_object_get_member (root, "other_ports");

    for (guint i = 0; others && JSON_NODE_HOLDS_ARRAY (others) && i < json_array_get_length (json_node_get_array (others)); i++)
      {
        PaddockPort *port = port_from_json (json_array_get_element (json_node_get_array (others), i));

        if (port != NULL)
          g_ptr_array_add (result->other_ports, port);
      }
  }

  if (json_object_has_member (root, "config_manager") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "config_manager")))
    {
      JsonObject *cm = json_object_get_object_member (root, "config_manager");

      result->config_manager = TRUE;
      result->config_manager_state = g_strdup (member_string (cm, "state"));
      result->config_manager_result = g_strdup (member_string (cm, "result"));
      result->config_manager_last_line = g_strdup (member_string (cm, "last_line"));
      result->config_manager_last_run = member_int (cm, "last_run");
    }

  return g_steal_pointer (&result);
}

/* Running it */

typedef struct
{
  guint  vmid;
  char  *token;
  PaddockSshResult *output;
} ProbeData;

static void
probe_data_free (ProbeData *data)
{
  g_free (data->token);
  g_clear_pointer (&data->output, paddock_ssh_result_free);
  g_free (data);
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ProbeData *data = task_data;
  gsize length = 0;
  const char *out = data->output->out ? g_bytes_get_data (data->output->out, &length) : "";
  GError *error = NULL;
  PaddockProbeResult *result;

  if (data->output->out_truncated)
    {
      g_task_return_new_error (task, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED,
                               _("CT %u answered with more than Paddock reads of a probe"), data->vmid);
      return;
    }

  result = paddock_probe_parse_output (out, length, data->token, &error);
  if (result == NULL)
    {
      g_autofree char *err = paddock_ssh_result_dup_err_text (data->output);

      /* pct's own reason (not running, no such container) says more than "no sections". */
      if (data->output->exit_status != 0 && err != NULL && *g_strstrip (err) != '\0')
        {
          g_clear_error (&error);
          g_set_error (&error, PADDOCK_PROBE_ERROR,
                       g_str_has_suffix (err, "not running") ? PADDOCK_PROBE_ERROR_NOT_RUNNING
                                                             : PADDOCK_PROBE_ERROR_COMMAND,
                       _("Probing CT %u failed: %s"), data->vmid, err);
        }
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, result, (GDestroyNotify) paddock_probe_result_unref);
}

static void
on_probe_output (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProbeData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->output = paddock_pct_exec_finish (PADDOCK_PCT (source), res, &error);
  if (data->output == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_run_in_thread (task, parse_in_thread);
}

void
paddock_probe_async (PaddockPct          *pct,
                     guint                vmid,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *script = NULL;
  ProbeData *data;

  g_return_if_fail (PADDOCK_IS_PCT (pct));

  task = g_task_new (pct, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_probe_async);

  data = g_new0 (ProbeData, 1);
  data->vmid = vmid;
  /* A fresh marker each time, so nothing the container printed before can pose as one. */
  data->token = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);

  script = paddock_probe_build_script (data->token);
  paddock_pct_exec_async (pct, vmid, script, NULL, PROBE_TIMEOUT_MS, cancellable, on_probe_output,
                          g_steal_pointer (&task));
}

PaddockProbeResult *
paddock_probe_finish (PaddockPct    *pct,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pct), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Many at once */

/* Channels per node at once, and containers per channel at most. */
#define MANY_CHANNELS 4
#define MANY_PER_CHANNEL 8

void
paddock_probe_outcome_free (PaddockProbeOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_clear_pointer (&outcome->result, paddock_probe_result_unref);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

typedef struct
{
  GArray    *vmids;       /* guint, in the caller's order */
  char      *token;       /* the sections inside each container */
  char      *outer;       /* the container boundaries: only on the node's command line */
  GPtrArray *outcomes;    /* PaddockProbeOutcome, filled as batches end */
  guint      pending;
} ManyData;

static void
many_data_free (ManyData *data)
{
  g_array_unref (data->vmids);
  g_free (data->token);
  g_free (data->outer);
  g_ptr_array_unref (data->outcomes);
  g_free (data);
}

typedef struct
{
  GTask            *task;      /* the whole probe */
  guint             first;     /* index into vmids */
  guint             count;
  PaddockSshResult *output;
} Batch;

static PaddockProbeOutcome *
outcome_failed (guint       vmid,
                GQuark      domain,
                int         code,
                const char *format,
                ...) G_GNUC_PRINTF (4, 5);

static PaddockProbeOutcome *
outcome_failed (guint       vmid,
                GQuark      domain,
                int         code,
                const char *format,
                ...)
{
  PaddockProbeOutcome *outcome = g_new0 (PaddockProbeOutcome, 1);
  va_list args;

  outcome->vmid = vmid;
  va_start (args, format);
  outcome->error = g_error_new_valist (domain, code, format, args);
  va_end (args);
  return outcome;
}

/* A batch's output: per container, "container VMID", its probe (and pct's own words), "exit N". */
static void
parse_batch_in_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Batch *batch = task_data;
  ManyData *data = g_task_get_task_data (batch->task);
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new ();
  g_autoptr(GPtrArray) parts = NULL;
  gsize length = 0;
  const char *out = batch->output->out ? g_bytes_get_data (batch->output->out, &length) : "";
  g_autoptr(GError) error = NULL;

  parts = batch->output->out_truncated ? NULL : paddock_probe_split (out, length, data->outer, &error);

  for (guint i = 0; i < batch->count; i++)
    {
      guint vmid = g_array_index (data->vmids, guint, batch->first + i);
      g_autofree char *wanted = g_strdup_printf ("%u", vmid);
      PaddockProbeSection *section = NULL, *exit_section = NULL;
      PaddockProbeOutcome *outcome;
      GError *parse_error = NULL;

      for (guint p = 0; parts != NULL && p < parts->len; p++)
        {
          PaddockProbeSection *candidate = g_ptr_array_index (parts, p);

          if (g_str_equal (candidate->name, "container") && g_strcmp0 (candidate->argument, wanted) == 0)
            {
              section = candidate;
              exit_section = p + 1 < parts->len ? g_ptr_array_index (parts, p + 1) : NULL;
              break;
            }
        }

      if (section == NULL)
        {
          g_ptr_array_add (outcomes, outcome_failed (vmid, PADDOCK_PROBE_ERROR, PADDOCK_PROBE_ERROR_MALFORMED,
                                                     _("The node's answer for CT %u was cut short"), vmid));
          continue;
        }

      outcome = g_new0 (PaddockProbeOutcome, 1);
      outcome->vmid = vmid;
      outcome->result = paddock_probe_parse_output (section->text, strlen (section->text), data->token, &parse_error);
      if (outcome->result == NULL)
        {
          /* What pct said (not running, no such container) is the text outside the sections. */
          g_autofree char *said = g_strndup (section->text, strcspn (section->text, "@"));
          int exit_status = exit_section && g_str_equal (exit_section->name, "exit") && exit_section->argument
                            ? atoi (exit_section->argument) : -1;

          g_strstrip (said);
          if (exit_status != 0 && *said != '\0')
            {
              g_clear_error (&parse_error);
              parse_error = g_error_new (PADDOCK_PROBE_ERROR,
                                         g_str_has_suffix (said, "not running") ? PADDOCK_PROBE_ERROR_NOT_RUNNING
                                                                                : PADDOCK_PROBE_ERROR_COMMAND,
                                         _("Probing CT %u failed: %s"), vmid, said);
            }
          outcome->error = parse_error;
        }
      g_ptr_array_add (outcomes, outcome);
    }

  g_task_return_pointer (task, g_steal_pointer (&outcomes), (GDestroyNotify) g_ptr_array_unref);
}

static void
batch_free (Batch *batch)
{
  g_clear_object (&batch->task);
  g_clear_pointer (&batch->output, paddock_ssh_result_free);
  g_free (batch);
}

static void
on_batch_parsed (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ManyData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) outcomes = g_task_propagate_pointer (G_TASK (res), NULL);

  for (guint i = 0; outcomes != NULL && i < outcomes->len; i++)
    {
      PaddockProbeOutcome *outcome = g_ptr_array_index (outcomes, i);

      for (guint j = 0; j < data->vmids->len; j++)
        if (g_array_index (data->vmids, guint, j) == outcome->vmid && data->outcomes->pdata[j] == NULL)
          {
            data->outcomes->pdata[j] = g_steal_pointer (&outcomes->pdata[i]);
            break;
          }
      paddock_probe_outcome_free (outcomes->pdata[i]);
    }

  if (--data->pending == 0)
    g_task_return_pointer (task, g_ptr_array_ref (data->outcomes), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
on_batch_output (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Batch *batch = user_data;
  ManyData *data = g_task_get_task_data (batch->task);
  GError *error = NULL;
  g_autoptr(GTask) parse = NULL;

  batch->output = paddock_ssh_session_exec_finish (PADDOCK_SSH_SESSION (source), res, &error);
  if (batch->output == NULL)
    {
      /* The whole channel failed: each of its containers says why. */
      for (guint i = 0; i < batch->count; i++)
        {
          guint index = batch->first + i;

          data->outcomes->pdata[index] = outcome_failed (g_array_index (data->vmids, guint, index), error->domain,
                                                         error->code, "%s", error->message);
        }
      g_error_free (error);
      if (--data->pending == 0)
        g_task_return_pointer (batch->task, g_ptr_array_ref (data->outcomes), (GDestroyNotify) g_ptr_array_unref);
      batch_free (batch);
      return;
    }

  parse = g_task_new (NULL, g_task_get_cancellable (batch->task), on_batch_parsed, g_object_ref (batch->task));
  g_task_set_task_data (parse, batch, (GDestroyNotify) batch_free);
  g_task_run_in_thread (parse, parse_batch_in_thread);
}

void
paddock_probe_many_async (PaddockPct          *pct,
                          const guint         *vmids,
                          guint                n_vmids,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *script = NULL;
  ManyData *data;
  guint channels, per_channel;

  g_return_if_fail (PADDOCK_IS_PCT (pct));
  g_return_if_fail (vmids != NULL || n_vmids == 0);

  task = g_task_new (pct, cancellable, callback, user_data);
  g_task_set_source_tag (task, paddock_probe_many_async);

  data = g_new0 (ManyData, 1);
  data->vmids = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_vmids);
  g_array_append_vals (data->vmids, vmids, n_vmids);
  data->token = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  data->outer = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  data->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_probe_outcome_free);
  g_ptr_array_set_size (data->outcomes, n_vmids);
  g_task_set_task_data (task, data, (GDestroyNotify) many_data_free);

  if (n_vmids == 0)
    {
      g_task_return_pointer (task, g_ptr_array_ref (data->outcomes), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  script = paddock_probe_build_script (data->token);
  channels = MIN (MANY_CHANNELS, n_vmids);
  per_channel = MIN ((n_vmids + channels - 1) / channels, MANY_PER_CHANNEL);

  for (guint first = 0; first < n_vmids; first += per_channel)
    {
      Batch *batch = g_new0 (Batch, 1);
      g_autoptr(GString) command = g_string_new (NULL);
      GError *error = NULL;

      batch->task = g_object_ref (task);
      batch->first = first;
      batch->count = MIN (per_channel, n_vmids - first);

      /* The node runs the containers in turn; the boundaries' token is never sent into one. */
      for (guint i = 0; i < batch->count; i++)
        {
          guint vmid = vmids[first + i];
          g_autofree char *exec = paddock_shell_pct_exec (vmid, script, &error);

          if (exec == NULL)
            break;
          g_string_append_printf (command, "echo '@@PADDOCK@@ %s container %u'; %s 2>&1; "
                                           "echo \"@@PADDOCK@@ %s exit $?\"; ",
                                  data->outer, vmid, exec, data->outer);
        }
      if (error != NULL)
        {
          for (guint i = 0; i < batch->count; i++)
            data->outcomes->pdata[first + i] = outcome_failed (vmids[first + i], error->domain, error->code,
                                                               "%s", error->message);
          g_error_free (error);
          batch_free (batch);
          continue;
        }
      g_string_append_printf (command, "echo '@@PADDOCK@@ %s end'", data->outer);

      data->pending++;
      paddock_ssh_session_exec_async (paddock_pct_get_session (pct), command->str, NULL,
                                      PROBE_TIMEOUT_MS * batch->count, cancellable, on_batch_output, batch);
    }

  if (data->pending == 0)
    g_task_return_pointer (task, g_ptr_array_ref (data->outcomes), (GDestroyNotify) g_ptr_array_unref);
}

GPtrArray *
paddock_probe_many_finish (PaddockPct    *pct,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pct), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
