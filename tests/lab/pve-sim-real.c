/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pve-sim-real.c: pve-sim's real containers, run by the lab's pct as tasks, measured from the host */

#define _GNU_SOURCE /* nftw */

#include "config.h"

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pve-sim.h"

/* The volid under which the cached Debian rootfs is offered, as on a Proxmox node. */
#define REAL_TEMPLATE "debian-12-standard_12.7-1_amd64.tar.zst"
#define SAMPLE_SECONDS 2
/* One week of one-minute buckets: enough for the hour, day and week views. */
#define MAX_BUCKETS (7 * 24 * 60)

typedef struct
{
  gint64 minute;        /* start of the bucket, seconds since the epoch */
  guint  samples;
  double cpu_sum, cpu_max;
  double mem_sum, mem_max;
  double netin_sum, netin_max;
  double netout_sum, netout_max;
  double diskread_sum, diskread_max;
  double diskwrite_sum, diskwrite_max;
  double disk;
} Bucket;

struct _SimReal
{
  guint         busy;            /* backend commands running for this container */
  SimRealUsage  usage;
  /* The previous counters, for rates */
  gint64        sampled_at;      /* monotonic µs */
  guint64       cpu_ns;
  gint64        net_rx, net_tx, io_read, io_write;
  gint64        upper_bytes;
  gint64        upper_measured_at;
  GArray       *buckets;         /* Bucket, oldest first */
};

static struct
{
  char    *pct;
  char    *state_dir;
  char    *ip;
  char    *nsenter;
  gint64   base_bytes;
  gint64   template_bytes;
  guint    sampler;
} real;

/* ------------------------------------------------------------------------------------------- */
/* Files of the shared state directory                                                          */

static char *
ct_file (guint       vmid,
         const char *name)
{
  g_autofree char *dir = g_strdup_printf ("%u", vmid);

  return g_build_filename (real.state_dir, "ct", dir, name, NULL);
}

static char *
read_ct_file (guint       vmid,
              const char *name)
{
  g_autofree char *path = ct_file (vmid, name);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  return g_strstrip (contents);
}

static gboolean
read_number_file (const char *path,
                  gint64     *value)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  *value = g_ascii_strtoll (contents, NULL, 10);
  return TRUE;
}

/* The start time (field 22 of /proc/PID/stat) of a live, non-zombie process, or 0. */
static guint64
process_start_time (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return 0;

  after = strrchr (stat, ')');
  if (after == NULL)
    return 0;

  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 20 || g_str_equal (fields[0], "Z"))
    return 0;

  return g_ascii_strtoull (fields[19], NULL, 10);
}

/* The PID recorded in ct/VMID/NAME ("PID STARTTIME") when it is still that process, else 0. */
static pid_t
recorded_process (guint       vmid,
                  const char *name)
{
  g_autofree char *line = read_ct_file (vmid, name);
  guint64 pid = 0, start = 0;

  if (line == NULL || sscanf (line, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &pid, &start) != 2 || pid < 2)
    return 0;

  return process_start_time ((pid_t) pid) == start ? (pid_t) pid : 0;
}

static void
write_status (guint       vmid,
              const char *status)
{
  g_autofree char *path = ct_file (vmid, "status");
  g_autofree char *tmp = ct_file (vmid, "status.tmp");
  g_autofree char *text = g_strdup_printf ("%s\n", status);

  if (g_file_set_contents (tmp, text, -1, NULL))
    g_rename (tmp, path);
}

/* ------------------------------------------------------------------------------------------- */
/* Measuring                                                                                    */

static gint64 walked_bytes;

static int
add_file_size (const char        *path,
               const struct stat *st,
               int                flag,
               struct FTW        *ftw)
{
  if (flag == FTW_F)
    walked_bytes += st->st_blocks * 512;
  return 0;
}

static gint64
tree_bytes (const char *dir)
{
  walked_bytes = 0;
  nftw (dir, add_file_size, 32, FTW_PHYS | FTW_MOUNT);
  return walked_bytes;
}

/* CPU time (ns) and memory of the container's own cgroups (written by pct start). */
static void
read_cgroups (guint    vmid,
              guint64 *cpu_ns,
              gint64  *mem,
              gint64  *io_read,
              gint64  *io_write)
{
  g_autofree char *lines = read_ct_file (vmid, "cgroups");
  g_auto(GStrv) entries = lines ? g_strsplit (lines, "\n", -1) : NULL;

  for (guint i = 0; entries && entries[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (entries[i], " ", 2);
      g_autofree char *file = NULL;
      gint64 value;

      if (parts[0] == NULL || parts[1] == NULL)
        continue;

      if (g_str_equal (parts[0], "memory"))
        {
          file = g_build_filename (parts[1], "memory.usage_in_bytes", NULL);
          if (read_number_file (file, &value))
            *mem = value;
        }
      else if (g_str_equal (parts[0], "cpuacct") || g_str_equal (parts[0], "cpu,cpuacct"))
        {
          file = g_build_filename (parts[1], "cpuacct.usage", NULL);
          if (read_number_file (file, &value))
            *cpu_ns = (guint64) value;
        }
      else if (g_str_equal (parts[0], "unified"))
        {
          g_autofree char *stat = NULL;
          g_autofree char *io = NULL;

          file = g_build_filename (parts[1], "memory.current", NULL);
          if (*mem == 0 && read_number_file (file, &value))
            *mem = value;
          g_free (file);
          file = g_build_filename (parts[1], "cpu.stat", NULL);
          if (*cpu_ns == 0 && g_file_get_contents (file, &stat, NULL, NULL))
            {
              const char *usage = strstr (stat, "usage_usec ");

              if (usage != NULL)
                *cpu_ns = g_ascii_strtoull (usage + strlen ("usage_usec "), NULL, 10) * 1000;
            }
          g_free (file);
          file = g_build_filename (parts[1], "io.stat", NULL);
          if (g_file_get_contents (file, &io, NULL, NULL))
            {
              for (const char *p = io; (p = strstr (p, "rbytes=")) != NULL; p++)
                *io_read += g_ascii_strtoll (p + strlen ("rbytes="), NULL, 10);
              for (const char *p = io; (p = strstr (p, "wbytes=")) != NULL; p++)
                *io_write += g_ascii_strtoll (p + strlen ("wbytes="), NULL, 10);
            }
        }
    }
}

/* Host side of the container's veth: what the container receives is what the host sends. */
static void
read_network (guint   vmid,
              gint64 *rx,
              gint64 *tx)
{
  g_autofree char *veth = read_ct_file (vmid, "veth");
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;

  if (veth == NULL || *veth == '\0' || strchr (veth, '/') != NULL)
    return;

  sent = g_strdup_printf ("/sys/class/net/%s/statistics/tx_bytes", veth);
  received = g_strdup_printf ("/sys/class/net/%s/statistics/rx_bytes", veth);
  read_number_file (sent, rx);
  read_number_file (received, tx);
}

static double
config_cores (SimGuest *guest)
{
  const char *cores = g_hash_table_lookup (guest->config, "cores");
  const char *limit = g_hash_table_lookup (guest->config, "cpulimit");
  double n = cores ? g_ascii_strtod (cores, NULL) : 0;

  if (limit != NULL && g_ascii_strtod (limit, NULL) > 0)
    n = n > 0 ? MIN (n, g_ascii_strtod (limit, NULL)) : g_ascii_strtod (limit, NULL);

  return n > 0 ? n : (double) g_get_num_processors ();
}

static void
add_to_bucket (SimReal *state,
               gint64   now)
{
  gint64 minute = now - now % 60;
  Bucket *bucket = state->buckets->len > 0
                   ? &g_array_index (state->buckets, Bucket, state->buckets->len - 1) : NULL;
  const SimRealUsage *u = &state->usage;

  if (bucket == NULL || bucket->minute != minute)
    {
      Bucket fresh = { .minute = minute };

      if (state->buckets->len >= MAX_BUCKETS)
        g_array_remove_index (state->buckets, 0);
      g_array_append_val (state->buckets, fresh);
      bucket = &g_array_index (state->buckets, Bucket, state->buckets->len - 1);
    }

#define ACCUMULATE(field, value) \
  G_STMT_START { bucket->field##_sum += (value); bucket->field##_max = MAX (bucket->field##_max, (value)); } G_STMT_END
  ACCUMULATE (cpu, u->cpu);
  ACCUMULATE (mem, (double) u->mem);
#undef ACCUMULATE
  bucket->disk = u->disk;
  bucket->samples++;
}

static void
add_rates_to_bucket (SimReal *state,
                     double   netin,
                     double   netout,
                     double   diskread,
                     double   diskwrite)
{
  Bucket *bucket = &g_array_index (state->buckets, Bucket, state->buckets->len - 1);

  bucket->netin_sum += netin;
  bucket->netin_max = MAX (bucket->netin_max, netin);
  bucket->netout_sum += netout;
  bucket->netout_max = MAX (bucket->netout_max, netout);
  bucket->diskread_sum += diskread;
  bucket->diskread_max = MAX (bucket->diskread_max, diskread);
  bucket->diskwrite_sum += diskwrite;
  bucket->diskwrite_max = MAX (bucket->diskwrite_max, diskwrite);
}

static void
sample (SimGuest *guest)
{
  SimReal *state = guest->real;
  gint64 now_us = g_get_monotonic_time ();
  guint64 cpu_ns = 0;
  gint64 mem = 0, rx = 0, tx = 0, io_read = 0, io_write = 0;
  double seconds = state->sampled_at ? (now_us - state->sampled_at) / 1e6 : 0;
  const char *memory = g_hash_table_lookup (guest->config, "memory");

  read_cgroups (guest->vmid, &cpu_ns, &mem, &io_read, &io_write);
  read_network (guest->vmid, &rx, &tx);

  state->usage.maxmem = (memory ? g_ascii_strtoll (memory, NULL, 10) : 512) << 20;
  state->usage.mem = CLAMP (mem, 0, state->usage.maxmem);
  if (seconds > 0 && cpu_ns >= state->cpu_ns)
    state->usage.cpu = CLAMP ((cpu_ns - state->cpu_ns) / 1e9 / seconds / config_cores (guest), 0.0, 1.0);
  state->usage.netin = rx;
  state->usage.netout = tx;
  state->usage.diskread = io_read;
  state->usage.diskwrite = io_write;

  /* The root file system's use: the base plus what the container wrote (measured each minute). */
  if (state->upper_measured_at == 0 || now_us - state->upper_measured_at > 60 * G_USEC_PER_SEC)
    {
      g_autofree char *upper = ct_file (guest->vmid, "upper");

      state->upper_bytes = tree_bytes (upper);
      state->upper_measured_at = now_us;
    }
  state->usage.disk = real.base_bytes + state->upper_bytes;
  state->usage.pid = recorded_process (guest->vmid, "leader.pid");

  if (seconds > 0)
    {
      add_to_bucket (state, sim_now ());
      add_rates_to_bucket (state,
                           MAX (0, rx - state->net_rx) / seconds, MAX (0, tx - state->net_tx) / seconds,
                           MAX (0, io_read - state->io_read) / seconds,
                           MAX (0, io_write - state->io_write) / seconds);
    }

  state->sampled_at = now_us;
  state->cpu_ns = cpu_ns;
  state->net_rx = rx;
  state->net_tx = tx;
  state->io_read = io_read;
  state->io_write = io_write;
}

/* A container is running when pct says so and its nspawn is alive. One whose nspawn died
 * (kill -9, or a poweroff inside) is stopped, and what is left of it is killed — by its
 * recorded, verified PID only. */
static void
reconcile (SimGuest *guest)
{
  g_autofree char *status = read_ct_file (guest->vmid, "status");
  gboolean says_running = g_strcmp0 (status, "running") == 0;
  gboolean alive = says_running && recorded_process (guest->vmid, "nspawn.pid") != 0;

  if (says_running && !alive)
    {
      pid_t leader = recorded_process (guest->vmid, "leader.pid");
      g_autofree char *nspawn_pid = ct_file (guest->vmid, "nspawn.pid");
      g_autofree char *leader_pid = ct_file (guest->vmid, "leader.pid");

      if (leader != 0)
        kill (leader, SIGKILL);
      g_unlink (nspawn_pid);
      g_unlink (leader_pid);
      write_status (guest->vmid, "stopped");
      g_printerr ("pve-sim: CT %u: its systemd-nspawn is gone; stopped\n", guest->vmid);
    }

  if (alive && !guest->running)
    guest->started_at = sim_now ();
  guest->running = alive;

  if (alive)
    sample (guest);
  else
    {
      guest->real->sampled_at = 0;
      memset (&guest->real->usage, 0, sizeof guest->real->usage);
    }
}

static gboolean
sample_all (gpointer data)
{
  GHashTable *guests = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, guests);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SimGuest *guest = value;

      if (guest->real != NULL && guest->real->busy == 0)
        reconcile (guest);
    }

  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------------------------------- */
/* Running pct as a task                                                                        */

typedef struct
{
  SimTask          *task;
  guint             vmid;
  GPtrArray        *steps;      /* GStrv: pct arguments of each step */
  guint             next_step;
  char             *password;
  SimRealDone       done;
  gpointer          data;
  GSubprocess      *process;
  GDataInputStream *output;
  char             *last_line;
} Run;

static void run_next_step (Run *run);

static void
run_free (Run *run)
{
  if (run->password != NULL)
    memset (run->password, 0, strlen (run->password));
  g_free (run->password);
  g_ptr_array_unref (run->steps);
  g_clear_object (&run->process);
  g_clear_object (&run->output);
  g_free (run->last_line);
  g_free (run);
}

static void
run_finish (Run        *run,
            const char *error)
{
  SimGuest *guest = sim_find_guest (run->vmid);

  if (guest != NULL && guest->real != NULL && guest->real->busy > 0)
    guest->real->busy--;

  sim_task_end (run->task, error);
  if (guest != NULL && guest->real != NULL)
    reconcile (guest);
  if (run->done != NULL)
    run->done (run->vmid, error == NULL, run->data);
  run_free (run);
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (run->process, result, &error))
    {
      run_finish (run, error->message);
      return;
    }

  if (g_subprocess_get_if_exited (run->process) && g_subprocess_get_exit_status (run->process) == 0)
    {
      g_clear_object (&run->process);
      g_clear_object (&run->output);
      run_next_step (run);
      return;
    }

  if (g_cancellable_is_cancelled (run->task->cancellable))
    run_finish (run, "interrupted by signal");
  else
    {
      g_autofree char *message = run->last_line && *run->last_line
                                 ? g_strdup (run->last_line)
                                 : g_strdup_printf ("command 'pct %s' failed: exit code %d",
                                                    ((char **) g_ptr_array_index (run->steps, run->next_step - 1))[0],
                                                    g_subprocess_get_exit_status (run->process));

      run_finish (run, message);
    }
}

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  gsize length;
  g_autofree char *raw = g_data_input_stream_read_line_finish (run->output, result, &length, &error);
  g_autofree char *line = NULL;

  if (raw == NULL)
    {
      /* End of output (or a read error): the exit status decides. */
      g_subprocess_wait_async (run->process, NULL, on_waited, run);
      return;
    }

  line = g_utf8_make_valid (raw, length);

  if (*line != '\0')
    {
      sim_task_log (run->task, line);
      g_free (run->last_line);
      run->last_line = g_strdup (line);
    }
  g_data_input_stream_read_line_async (run->output, G_PRIORITY_DEFAULT, NULL, on_line, run);
}

/* pct and whatever it runs (timeout, nsenter) go together: they are a process group. */
static void
on_task_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GSubprocess *process = user_data;
  const char *identifier = g_subprocess_get_identifier (process);

  if (identifier != NULL)
    kill (-(pid_t) g_ascii_strtoll (identifier, NULL, 10), SIGTERM);
}

static void
own_process_group (gpointer user_data)
{
  setpgid (0, 0);
}

static void
run_next_step (Run *run)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  SimGuest *guest = sim_find_guest (run->vmid);
  char **step;

  if (run->next_step >= run->steps->len)
    {
      run_finish (run, NULL);
      return;
    }

  step = g_ptr_array_index (run->steps, run->next_step++);
  g_ptr_array_add (argv, real.pct);
  for (guint i = 0; step[i] != NULL; i++)
    g_ptr_array_add (argv, step[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE |
                                        G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_set_child_setup (launcher, own_process_group, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "LAB_STATE", real.state_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LAB_NODE", guest ? guest->node : "pve1", TRUE);
  g_subprocess_launcher_setenv (launcher, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", TRUE);
  /* The root password goes to pct in its environment, never on a command line. */
  if (run->password != NULL && g_str_equal (step[0], "create"))
    g_subprocess_launcher_setenv (launcher, "LAB_CT_PASSWORD", run->password, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "LAB_CT_PASSWORD");

  run->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (run->process == NULL)
    {
      run_finish (run, error->message);
      return;
    }

  g_cancellable_connect (run->task->cancellable, G_CALLBACK (on_task_cancelled),
                         g_object_ref (run->process), g_object_unref);
  run->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run->process));
  g_data_input_stream_read_line_async (run->output, G_PRIORITY_DEFAULT, NULL, on_line, run);
}

/* Runs pct with each of @steps (GStrv of arguments) in order as one task named @type; the first
 * failing step ends it with "TASK ERROR: <its last line>", as Proxmox's workers do. */
SimTask *
sim_real_run (SimGuest    *guest,
              const char  *type,
              const char  *user,
              GPtrArray   *steps,
              const char  *password,
              SimRealDone  done,
              gpointer     data)
{
  Run *run = g_new0 (Run, 1);
  g_autofree char *id = g_strdup_printf ("%u", guest->vmid);

  run->task = sim_task_begin (guest->node, type, id, user);
  run->vmid = guest->vmid;
  run->steps = g_ptr_array_ref (steps);
  run->password = g_strdup (password);
  run->done = done;
  run->data = data;
  guest->real->busy++;

  run_next_step (run);
  return run->task;
}

/* ------------------------------------------------------------------------------------------- */
/* Interfaces, read in the container's network namespace with the host's ip                    */

typedef struct
{
  SoupServerMessage *msg;
  GSubprocess       *process;
} InterfacesRequest;

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
on_interfaces (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  InterfacesRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  JsonArray *links;

  if (!g_subprocess_communicate_utf8_finish (request->process, result, &out, NULL, &error) ||
      !g_subprocess_get_if_exited (request->process) || g_subprocess_get_exit_status (request->process) != 0 ||
      !json_parser_load_from_data (parser, out, -1, &error) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      /* Like lxc-info on a container that stopped meanwhile: nothing to report. */
      sim_respond_data (request->msg, NULL);
      goto out;
    }

  links = json_node_get_array (json_parser_get_root (parser));
  json_builder_begin_array (b);
  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *link = json_array_get_object_element (links, i);
      JsonArray *addresses = json_object_has_member (link, "addr_info")
                             ? json_object_get_array_member (link, "addr_info") : NULL;
      const char *mac = json_object_has_member (link, "address")
                        ? json_object_get_string_member (link, "address") : "00:00:00:00:00:00";
      g_autofree char *inet = NULL;
      g_autofree char *inet6 = NULL;

      json_builder_begin_object (b);
      add_string (b, "name", json_object_get_string_member (link, "ifname"));
      add_string (b, "hwaddr", mac);
      add_string (b, "hardware-address", mac);
      json_builder_set_member_name (b, "ip-addresses");
      json_builder_begin_array (b);
      for (guint j = 0; addresses && j < json_array_get_length (addresses); j++)
        {
          JsonObject *address = json_array_get_object_element (addresses, j);
          const char *family = json_object_get_string_member (address, "family");
          const char *local = json_object_get_string_member (address, "local");
          gint64 prefix = json_object_get_int_member (address, "prefixlen");
          gboolean v6 = g_strcmp0 (family, "inet6") == 0;

          json_builder_begin_object (b);
          add_string (b, "ip-address-type", v6 ? "inet6" : "inet");
          add_string (b, "ip-address", local);
          json_builder_set_member_name (b, "prefix");
          json_builder_add_int_value (b, prefix);
          json_builder_end_object (b);

          if (!v6 && inet == NULL)
            inet = g_strdup_printf ("%s/%" G_GINT64_FORMAT, local, prefix);
          if (v6 && inet6 == NULL)
            inet6 = g_strdup_printf ("%s/%" G_GINT64_FORMAT, local, prefix);
        }
      json_builder_end_array (b);
      if (inet != NULL)
        add_string (b, "inet", inet);
      if (inet6 != NULL)
        add_string (b, "inet6", inet6);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  data = json_builder_get_root (b);
  sim_respond_data (request->msg, data);

out:
  soup_server_message_unpause (request->msg);
  g_object_unref (request->msg);
  g_object_unref (request->process);
  g_free (request);
}

void
sim_real_interfaces (SoupServerMessage *msg,
                     SimGuest          *guest)
{
  pid_t leader = recorded_process (guest->vmid, "leader.pid");
  g_autofree char *target = g_strdup_printf ("%d", (int) leader);
  g_autoptr(GError) error = NULL;
  InterfacesRequest *request;
  GSubprocess *process;

  if (leader == 0 || !guest->running)
    {
      sim_respond_data (msg, NULL);
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              real.nsenter, "-t", target, "-n", "--", real.ip, "-j", "address", "show", NULL);
  if (process == NULL)
    {
      sim_respond_error (msg, 500, error->message);
      return;
    }

  request = g_new0 (InterfacesRequest, 1);
  request->msg = g_object_ref (msg);
  request->process = process;
  soup_server_message_pause (msg);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_interfaces, request);
}

/* ------------------------------------------------------------------------------------------- */
/* rrddata from the samples: one-minute buckets, consolidated to the timeframe's step           */

void
sim_real_rrddata (JsonBuilder *b,
                  SimGuest    *guest,
                  const char  *timeframe,
                  const char  *cf)
{
  gboolean max = g_strcmp0 (cf, "MAX") == 0;
  guint rows = 60, step = 60;
  gint64 end, start;
  GArray *buckets = guest->real->buckets;
  guint next = 0;
  const char *cores = g_hash_table_lookup (guest->config, "cores");
  const char *memory = g_hash_table_lookup (guest->config, "memory");
  gint64 maxmem = (memory ? g_ascii_strtoll (memory, NULL, 10) : 512) << 20;
  const char *rootfs = g_hash_table_lookup (guest->config, "rootfs");
  const char *size = rootfs ? strstr (rootfs, "size=") : NULL;
  gint64 maxdisk = (size ? g_ascii_strtoll (size + 5, NULL, 10) : 8) << 30;

  if (g_strcmp0 (timeframe, "day") == 0)
    rows = 1440, step = 60;
  else if (g_strcmp0 (timeframe, "week") == 0)
    rows = 336, step = 1800;
  else if (g_strcmp0 (timeframe, "month") == 0)
    rows = 1440, step = 1800;
  else if (g_strcmp0 (timeframe, "year") == 0)
    rows = 1440, step = 21600;

  end = sim_now () - sim_now () % step;
  start = end - (gint64) (rows - 1) * step;

  json_builder_begin_array (b);
  for (gint64 t = start; t <= end; t += step)
    {
      Bucket sum = { 0 };
      double divisor;

      /* The minute buckets that fall in [t, t + step). */
      while (next < buckets->len && g_array_index (buckets, Bucket, next).minute < t)
        next++;
      for (guint i = next; i < buckets->len && g_array_index (buckets, Bucket, i).minute < t + step; i++)
        {
          Bucket *bucket = &g_array_index (buckets, Bucket, i);

          if (bucket->samples == 0)
            continue;
          sum.cpu_sum += bucket->cpu_sum / bucket->samples;
          sum.cpu_max = MAX (sum.cpu_max, bucket->cpu_max);
          sum.mem_sum += bucket->mem_sum / bucket->samples;
          sum.mem_max = MAX (sum.mem_max, bucket->mem_max);
          sum.netin_sum += bucket->netin_sum / bucket->samples;
          sum.netin_max = MAX (sum.netin_max, bucket->netin_max);
          sum.netout_sum += bucket->netout_sum / bucket->samples;
          sum.netout_max = MAX (sum.netout_max, bucket->netout_max);
          sum.diskread_sum += bucket->diskread_sum / bucket->samples;
          sum.diskread_max = MAX (sum.diskread_max, bucket->diskread_max);
          sum.diskwrite_sum += bucket->diskwrite_sum / bucket->samples;
          sum.diskwrite_max = MAX (sum.diskwrite_max, bucket->diskwrite_max);
          sum.disk = bucket->disk;
          sum.samples++;
        }

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "time");
      json_builder_add_int_value (b, t);
      json_builder_set_member_name (b, "maxcpu");
      json_builder_add_int_value (b, cores ? g_ascii_strtoll (cores, NULL, 10) : g_get_num_processors ());
      json_builder_set_member_name (b, "maxmem");
      json_builder_add_int_value (b, maxmem);
      json_builder_set_member_name (b, "maxdisk");
      json_builder_add_int_value (b, maxdisk);
      /* Rows without samples carry only what is always known, as Proxmox omits NaN columns. */
      if (sum.samples > 0)
        {
          divisor = sum.samples;
          json_builder_set_member_name (b, "disk");
          json_builder_add_double_value (b, sum.disk);
#define COLUMN(name) \
          json_builder_set_member_name (b, #name); \
          json_builder_add_double_value (b, max ? sum.name##_max : sum.name##_sum / divisor)
          COLUMN (cpu);
          COLUMN (mem);
          COLUMN (netin);
          COLUMN (netout);
          COLUMN (diskread);
          COLUMN (diskwrite);
#undef COLUMN
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* ------------------------------------------------------------------------------------------- */

void
sim_real_usage (SimGuest     *guest,
                SimRealUsage *usage)
{
  *usage = guest->real->usage;
}

/* Brings the container's state up to date now (before a precheck), unless pct is at work on it. */
void
sim_real_refresh (SimGuest *guest)
{
  if (guest->real->busy == 0)
    reconcile (guest);
}

gboolean
sim_real_busy (SimGuest *guest)
{
  return guest->real != NULL && guest->real->busy > 0;
}

void
sim_real_attach (SimGuest *guest)
{
  guest->real = g_new0 (SimReal, 1);
  guest->real->buckets = g_array_new (FALSE, TRUE, sizeof (Bucket));
}

void
sim_real_free (SimReal *state)
{
  if (state == NULL)
    return;
  g_array_unref (state->buckets);
  g_free (state);
}

gboolean
sim_real_enabled (void)
{
  return real.pct != NULL;
}

const char *
sim_real_template (void)
{
  return REAL_TEMPLATE;
}

gint64
sim_real_template_size (void)
{
  return real.template_bytes;
}

/* Enables real containers: @pct is the lab's pct, @state_dir the lab's state directory, which
 * holds real.env (REAL_BASE, REAL_ARCHIVE from tests/lab/rootfs) and net.env (lab-net). */
gboolean
sim_real_setup (const char  *pct,
                const char  *state_dir,
                GError     **error)
{
  g_autofree char *env_path = g_build_filename (state_dir, "real.env", NULL);
  g_autofree char *env = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (env_path, &env, NULL, error))
    return FALSE;

  lines = g_strsplit (env, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      struct stat st;

      if (g_str_has_prefix (lines[i], "REAL_BASE="))
        real.base_bytes = tree_bytes (lines[i] + strlen ("REAL_BASE="));
      else if (g_str_has_prefix (lines[i], "REAL_ARCHIVE=") && g_stat (lines[i] + strlen ("REAL_ARCHIVE="), &st) == 0)
        real.template_bytes = st.st_size;
    }

  real.ip = g_find_program_in_path ("ip");
  real.nsenter = g_find_program_in_path ("nsenter");
  if (real.ip == NULL || real.nsenter == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "ip and nsenter are needed for real containers");
      return FALSE;
    }

  real.pct = g_strdup (pct);
  real.state_dir = g_strdup (state_dir);
  real.sampler = g_timeout_add_seconds (SAMPLE_SECONDS, sample_all, sim_guests_table ());
  return TRUE;
}
