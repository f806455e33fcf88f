/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-run-inside.c: the phases inside the container, through pct on its node: waiting
 * for it to boot, packages, scripts, files, and finding its services */

#include "config.h"

#include <string.h>

#include "paddock-job-run-phases-private.h"
#include "paddock-probe.h"
#include "paddock-shell.h"

#define READY_TIMEOUT_MS (90 * 1000)
#define INDEX_TIMEOUT_MS (15 * 60 * 1000)
#define INSTALL_TIMEOUT_MS (60 * 60 * 1000)
#define SCRIPT_TIMEOUT_MS (4 * 60 * 60 * 1000)
#define SMALL_TIMEOUT_MS (60 * 1000)
#define ADDRESS_TRIES 15

/* Managers in the order their packages are installed (as the job's items list them). */
static const PaddockPackageManager install_order[] = {
  PADDOCK_PACKAGE_APT, PADDOCK_PACKAGE_APK, PADDOCK_PACKAGE_DNF,
  PADDOCK_PACKAGE_PIP, PADDOCK_PACKAGE_NPM, PADDOCK_PACKAGE_CUSTOM,
};

static gboolean
is_native (PaddockPackageManager manager)
{
  return manager == PADDOCK_PACKAGE_APT || manager == PADDOCK_PACKAGE_APK || manager == PADDOCK_PACKAGE_DNF;
}

static void
set_progress (PaddockJobRun *self,
              guint          done,
              guint          total)
{
  guint first, last;

  paddock_job_phase_get_range (paddock_job_get_phase (self->job), &first, &last);
  _paddock_job_set_percent (self->job, first + (total ? (last - first) * done / total : 0));
}

/* ------------------------------------------------------------------------------------------- */
/* Commands                                                                                    */

static void
on_command_line (PaddockSshStream  stream,
                 const char       *line,
                 gpointer          user_data)
{
  PaddockJobRun *self = user_data;

  if (self->watch_apt && _paddock_provision_is_apt_failure (line))
    self->apt_failed = TRUE;
  if (g_str_has_prefix (line, "Already installed: "))
    self->present++;

  _paddock_job_run_output (self, stream == PADDOCK_SSH_STDERR ? PADDOCK_JOB_STREAM_STDERR : PADDOCK_JOB_STREAM_STDOUT,
                           line);
}

/* Runs @script in the container, its lines into the job's output as they come. */
static void
run_streaming (PaddockJobRun       *self,
               const char          *script,
               guint                timeout_ms,
               GAsyncReadyCallback  callback)
{
  _paddock_job_run_begin_wait (self);
  paddock_pct_exec_streaming_async (self->pct, paddock_job_get_vmid (self->job), script, timeout_ms,
                                    on_command_line, g_object_ref (self), g_object_unref, NULL, callback,
                                    g_object_ref (self));
}

/* FALSE when the command could not run (the run has failed then). */
static gboolean
streaming_finish (PaddockJobRun *self,
                  GAsyncResult  *result,
                  int           *exit_status)
{
  g_autoptr(GError) error = NULL;

  _paddock_job_run_end_wait (self, FALSE);
  if (!paddock_pct_exec_streaming_finish (self->pct, result, exit_status, &error))
    {
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return FALSE;
    }

  return TRUE;
}

static void
run_quiet (PaddockJobRun       *self,
           const char          *script,
           guint                timeout_ms,
           GAsyncReadyCallback  callback)
{
  _paddock_job_run_begin_wait (self);
  paddock_pct_exec_async (self->pct, paddock_job_get_vmid (self->job), script, NULL, timeout_ms, NULL, callback,
                          g_object_ref (self));
}

static PaddockSshResult *
quiet_finish (PaddockJobRun *self,
              GAsyncResult  *result)
{
  g_autoptr(GError) error = NULL;
  PaddockSshResult *ssh_result;

  _paddock_job_run_end_wait (self, FALSE);
  if (!(ssh_result = paddock_pct_exec_finish (self->pct, result, &error)))
    _paddock_job_run_fail (self, g_steal_pointer (&error));

  return ssh_result;
}

/* A file into the job's work directory: one pct exec with the content on its standard input
 * (pct push costs a transfer to the node, a mkdir and a removal besides). */
static void
write_file (PaddockJobRun       *self,
            const char          *path,
            GBytes              *content,
            guint                mode,
            GAsyncReadyCallback  callback)
{
  g_autofree char *script = _paddock_provision_write_file_script (path, mode, NULL);

  _paddock_job_run_begin_wait (self);
  paddock_pct_exec_async (self->pct, paddock_job_get_vmid (self->job), script, content, SMALL_TIMEOUT_MS, NULL,
                          callback, g_object_ref (self));
}

static gboolean
write_file_finish (PaddockJobRun *self,
                   GAsyncResult  *result,
                   const char    *path)
{
  g_autoptr(PaddockSshResult) ssh_result = quiet_finish (self, result);

  if (ssh_result == NULL)
    return FALSE;
  if (ssh_result->exit_status != 0)
    {
      g_autofree char *err = paddock_ssh_result_dup_err_text (ssh_result);

      _paddock_job_run_fail_printf (self, "%s could not be written in CT %u (exit status %d): %s", path,
                                    paddock_job_get_vmid (self->job), ssh_result->exit_status, g_strstrip (err));
      return FALSE;
    }

  return TRUE;
}

static void
fail_item (PaddockJobRun  *self,
           PaddockJobItem *item,
           const char     *detail)
{
  if (item != NULL)
    _paddock_job_item_set_status (item, PADDOCK_JOB_ITEM_FAILED, detail);
}

/* ------------------------------------------------------------------------------------------- */
/* connecting                                                                                  */

static void find_address (PaddockJobRun *self);

static gboolean
on_address_retry (gpointer user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;

  find_address (self);

  return G_SOURCE_REMOVE;
}

/* The first IPv4 address of a non-loopback interface, without its prefix length. */
static char *
pick_address (GPtrArray *interfaces)
{
  for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
    {
      PaddockInterface *interface = interfaces->pdata[i];

      if (g_strcmp0 (interface->name, "lo") == 0 || interface->addresses == NULL)
        continue;
      for (guint j = 0; interface->addresses[j] != NULL; j++)
        {
          const char *cidr = interface->addresses[j];
          g_autofree char *address = g_strndup (cidr, strcspn (cidr, "/"));
          g_autoptr(GInetAddress) parsed = g_inet_address_new_from_string (address);

          if (parsed != NULL && g_inet_address_get_family (parsed) == G_SOCKET_FAMILY_IPV4
              && !g_inet_address_get_is_loopback (parsed) && !g_inet_address_get_is_link_local (parsed))
            return g_steal_pointer (&address);
        }
    }

  return NULL;
}

static void
on_interfaces (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GPtrArray) interfaces = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  interfaces = paddock_pve_client_get_interfaces_finish (PADDOCK_PVE_CLIENT (object), result, &error);
  address = pick_address (interfaces);
  if (address != NULL)
    {
      _paddock_job_set_address (self->job, address);
      _paddock_job_run_note (self, "CT %u has the address %s", paddock_job_get_vmid (self->job), address);
      _paddock_job_run_next_phase (self);
      return;
    }

  /* DHCP may take a moment after boot. */
  if (++self->address_tries < ADDRESS_TRIES)
    {
      g_timeout_add (1000, on_address_retry, g_object_ref (self));
      return;
    }

  _paddock_job_run_note (self, "CT %u has no IPv4 address yet%s%s: going on without one",
                         paddock_job_get_vmid (self->job), error ? ": " : "", error ? error->message : "");
  _paddock_job_run_next_phase (self);
}

static void
find_address (PaddockJobRun *self)
{
  paddock_pve_client_get_interfaces_async (_paddock_job_run_get_client (self), paddock_job_get_node (self->job),
                                           paddock_job_get_vmid (self->job), NULL, on_interfaces,
                                           g_object_ref (self));
}

static void
on_ready (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(PaddockSshResult) ssh_result = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;

  if (!(ssh_result = quiet_finish (self, result)))
    return;

  out = paddock_ssh_result_dup_out_text (ssh_result);
  err = paddock_ssh_result_dup_err_text (ssh_result);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      _paddock_job_run_output (self, PADDOCK_JOB_STREAM_STDOUT, lines[i]);
  if (ssh_result->exit_status != 0)
    {
      _paddock_job_run_fail_printf (self, "CT %u could not be prepared (exit %d): %s", paddock_job_get_vmid (self->job),
                                    ssh_result->exit_status, g_strstrip (err));
      return;
    }
  if (strstr (out, "systemd: running") == NULL && strstr (out, "systemd: degraded") == NULL
      && strstr (out, "systemd: not running") == NULL)
    _paddock_job_run_note (self, "systemd has not finished starting after 60 s: going on");

  _paddock_job_set_percent (self->job, 33);
  self->address_tries = 0;
  find_address (self);
}

static void
on_pct (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;

  g_clear_object (&self->pct);
  if (!(self->pct = _paddock_provisioner_open_pct_finish (PADDOCK_PROVISIONER (object), result, &error)))
    {
      g_prefix_error (&error, "%s cannot be reached over SSH: ", paddock_job_get_node (self->job));
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  _paddock_job_run_note (self, "Waiting for systemd in CT %u (at most 60 s)", paddock_job_get_vmid (self->job));
  script = _paddock_provision_ready_script (self->work_dir);
  run_quiet (self, script, READY_TIMEOUT_MS, on_ready);
}

void
_paddock_job_run_connecting (PaddockJobRun *self)
{
  _paddock_provisioner_open_pct_async (self->provisioner, self->cluster, paddock_job_get_node (self->job), NULL,
                                       on_pct, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------- */
/* packages                                                                                    */

static void next_group (PaddockJobRun *self);

static GPtrArray *
current_group (PaddockJobRun *self)
{
  return self->groups->pdata[self->index];
}

static PaddockPackageManager
group_manager (GPtrArray *group)
{
  return ((PaddockPackage *) group->pdata[0])->manager;
}

static PaddockJobItem *
group_item (PaddockJobRun *self)
{
  return _paddock_job_find_item (self->job, PADDOCK_JOB_ITEM_PACKAGES,
                                 paddock_package_manager_to_string (group_manager (current_group (self))));
}

static void
group_done (PaddockJobRun *self,
            guint          total)
{
  g_autofree char *detail = NULL;
  guint installed = total > self->present ? total - self->present : 0;

  if (installed == 0)
    detail = g_strdup_printf (g_dngettext (NULL, "%u already installed", "all %u already installed", total), total);
  else if (self->present == 0)
    detail = g_strdup_printf (g_dngettext (NULL, "%u installed", "%u installed", installed), installed);
  else
    detail = g_strdup_printf ("%u installed, %u already there", installed, self->present);

  _paddock_job_item_set_status (group_item (self), installed ? PADDOCK_JOB_ITEM_DONE : PADDOCK_JOB_ITEM_SKIPPED, detail);
  self->index++;
  set_progress (self, self->index, self->groups->len);
  _paddock_job_run_save (self);
  next_group (self);
}

static void
on_group_installed (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  GPtrArray *group = current_group (self);
  const char *manager = paddock_package_manager_to_string (group_manager (group));
  int exit_status = -1;

  if (!streaming_finish (self, result, &exit_status))
    return;
  if (exit_status != 0)
    {
      g_autofree char *detail = g_strdup_printf ("exit status %d", exit_status);

      fail_item (self, group_item (self), detail);
      _paddock_job_run_fail_printf (self, "The %s packages could not be installed (%s exited with %d)", manager,
                                    manager, exit_status);
      return;
    }

  group_done (self, group->len);
}

static void
install_group (PaddockJobRun *self)
{
  GPtrArray *group = current_group (self);
  PaddockPackageManager manager = group_manager (group);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = _paddock_provision_install_script (manager, group, &error);

  if (script == NULL)
    {
      fail_item (self, group_item (self), error->message);
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  _paddock_job_run_note (self, "Installing %u %s package%s", group->len, paddock_package_manager_to_string (manager),
                         group->len == 1 ? "" : "s");
  self->present = 0;
  run_streaming (self, script, INSTALL_TIMEOUT_MS, on_group_installed);
}

static void next_custom (PaddockJobRun *self);

static void
on_custom_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  GPtrArray *group = current_group (self);
  PaddockPackage *package = group->pdata[self->sub_index];
  int exit_status = -1;

  if (!streaming_finish (self, result, &exit_status))
    return;
  if (exit_status != 0)
    {
      g_autofree char *detail = g_strdup_printf ("%s: exit status %d", package->name, exit_status);

      fail_item (self, group_item (self), detail);
      _paddock_job_run_fail_printf (self, exit_status == 124
                                          ? "The custom package “%s” did not install within its %u s"
                                          : "The custom package “%s” could not be installed (exit status %d)",
                                    package->name, exit_status == 124 ? package->timeout : (guint) exit_status);
      return;
    }

  if (++self->sub_index >= group->len)
    {
      group_done (self, group->len);
      return;
    }
  next_custom (self);
}

static void
next_custom (PaddockJobRun *self)
{
  PaddockPackage *package = current_group (self)->pdata[self->sub_index];
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;

  if (_paddock_job_run_stop_if_cancelled (self))
    return;
  if (!(script = _paddock_provision_custom_script (package, &error)))
    {
      fail_item (self, group_item (self), error->message);
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  /* check, install and check again, each within the timeout */
  run_streaming (self, script, (package->timeout * 3 + 30) * 1000, on_custom_done);
}

static void
on_indexed (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  int exit_status = -1;

  self->watch_apt = FALSE;
  if (!streaming_finish (self, result, &exit_status))
    return;
  if (exit_status != 0 || self->apt_failed)
    {
      fail_item (self, group_item (self), "the package index could not be updated");
      _paddock_job_run_fail_printf (self, "The package index could not be updated (exit status %d): check the"
                                    " container's network and package sources", exit_status);
      return;
    }

  self->indexed = TRUE;
  install_group (self);
}

/* The container's own managers: a Debian template's apt packages cannot go into Alpine. */
static gboolean
check_native (PaddockJobRun         *self,
              PaddockPackageManager  manager)
{
  const char *wanted = paddock_package_manager_to_string (manager);
  g_autofree char *has = NULL;

  if (g_strv_contains ((const char * const *) self->managers, wanted)
      || (manager == PADDOCK_PACKAGE_DNF && g_strv_contains ((const char * const *) self->managers, "yum")))
    return TRUE;

  has = self->managers[0] ? g_strjoinv (", ", self->managers) : g_strdup ("none");
  fail_item (self, group_item (self), "this package manager is not in the container");
  _paddock_job_run_fail_printf (self, "CT %u has no %s (its package managers: %s)", paddock_job_get_vmid (self->job),
                                wanted, has);
  return FALSE;
}

static void
next_group (PaddockJobRun *self)
{
  PaddockPackageManager manager;

  if (_paddock_job_run_stop_if_cancelled (self))
    return;
  if (self->index >= self->groups->len)
    {
      _paddock_job_run_next_phase (self);
      return;
    }

  manager = group_manager (current_group (self));
  _paddock_job_item_set_status (group_item (self), PADDOCK_JOB_ITEM_RUNNING, NULL);
  _paddock_job_run_save (self);

  if (manager == PADDOCK_PACKAGE_CUSTOM)
    {
      self->sub_index = 0;
      self->present = 0;
      next_custom (self);
      return;
    }
  if (!is_native (manager))
    {
      install_group (self);
      return;
    }
  if (!check_native (self, manager))
    return;
  if (self->indexed)
    {
      install_group (self);
      return;
    }

  _paddock_job_run_note (self, "Updating the package index");
  self->watch_apt = manager == PADDOCK_PACKAGE_APT;
  self->apt_failed = FALSE;
  {
    g_autofree char *script = _paddock_provision_index_script (manager);

    run_streaming (self, script, INDEX_TIMEOUT_MS, on_indexed);
  }
}

static void
on_managers (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(PaddockSshResult) ssh_result = NULL;
  g_autofree char *out = NULL;

  if (!(ssh_result = quiet_finish (self, result)))
    return;

  out = paddock_ssh_result_dup_out_text (ssh_result);
  g_clear_pointer (&self->managers, g_strfreev);
  self->managers = g_strsplit (g_strstrip (out), "\n", 8);
  if (self->managers[0] != NULL && *self->managers[0] == '\0')
    g_clear_pointer (&self->managers[0], g_free);

  next_group (self);
}

void
_paddock_job_run_packages (PaddockJobRun *self)
{
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);
  gboolean native = FALSE;

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint m = 0; m < G_N_ELEMENTS (install_order); m++)
    {
      GPtrArray *group = g_ptr_array_new ();

      for (guint i = 0; i < plan->packages->len; i++)
        if (((PaddockPackage *) plan->packages->pdata[i])->manager == install_order[m])
          g_ptr_array_add (group, plan->packages->pdata[i]);
      if (group->len == 0)
        {
          g_ptr_array_unref (group);
          continue;
        }
      native |= is_native (install_order[m]);
      g_ptr_array_add (self->groups, group);
    }

  self->indexed = FALSE;
  if (self->groups->len == 0)
    {
      _paddock_job_run_note (self, "No packages to install");
      _paddock_job_run_next_phase (self);
      return;
    }
  if (!native)
    {
      next_group (self);
      return;
    }

  run_quiet (self, _paddock_provision_managers_script (), SMALL_TIMEOUT_MS, on_managers);
}

/* ------------------------------------------------------------------------------------------- */
/* scripts                                                                                     */

static void next_script (PaddockJobRun *self);

static PaddockTemplateScript *
current_script (PaddockJobRun *self)
{
  return self->scripts->pdata[self->index];
}

static PaddockJobItem *
script_item (PaddockJobRun *self)
{
  return _paddock_job_find_item (self->job, PADDOCK_JOB_ITEM_SCRIPT, current_script (self)->name);
}

static char *
script_path (PaddockJobRun *self)
{
  return g_strdup_printf ("%s/script-%u.sh", self->work_dir, self->index + 1);
}

static void
on_script_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  PaddockTemplateScript *script = current_script (self);
  g_autofree char *detail = NULL;
  int exit_status = -1;
  double seconds = (g_get_monotonic_time () - self->wait_started) / (double) G_USEC_PER_SEC;

  if (!streaming_finish (self, result, &exit_status))
    return;
  if (exit_status != 0)
    {
      detail = g_strdup_printf ("exit status %d", exit_status);
      fail_item (self, script_item (self), detail);
      _paddock_job_run_fail_printf (self, "Script “%s” failed with exit status %d", script->name, exit_status);
      return;
    }

  detail = g_strdup_printf ("done in %.1f s", seconds);
  _paddock_job_item_set_status (script_item (self), PADDOCK_JOB_ITEM_DONE, detail);
  self->index++;
  set_progress (self, self->index, self->scripts->len);
  _paddock_job_run_save (self);
  next_script (self);
}

static void
on_script_written (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autofree char *helpers = g_build_filename (self->work_dir, "helpers.sh", NULL);
  g_autofree char *path = script_path (self);
  g_autofree char *command = NULL;

  if (!write_file_finish (self, result, path))
    return;

  command = _paddock_provision_run_script (helpers, path);
  run_streaming (self, command, SCRIPT_TIMEOUT_MS, on_script_done);
}

static void
next_script (PaddockJobRun *self)
{
  PaddockTemplateScript *script;
  g_autoptr(GBytes) content = NULL;
  g_autofree char *path = NULL;

  if (_paddock_job_run_stop_if_cancelled (self))
    return;

  /* A retry goes on from the script that failed. */
  while (self->index < self->scripts->len
         && paddock_job_item_get_status (script_item (self)) == PADDOCK_JOB_ITEM_DONE)
    {
      _paddock_job_run_note (self, "Script %u of %u, %s, ran before", self->index + 1, self->scripts->len,
                             current_script (self)->name);
      self->index++;
    }
  if (self->index >= self->scripts->len)
    {
      _paddock_job_run_next_phase (self);
      return;
    }

  script = current_script (self);
  _paddock_job_item_set_status (script_item (self), PADDOCK_JOB_ITEM_RUNNING, NULL);
  _paddock_job_set_message (self->job, script->name);
  _paddock_job_run_note (self, "Script %u of %u: %s", self->index + 1, self->scripts->len, script->name);
  _paddock_job_run_save (self);

  content = g_bytes_new (script->content, strlen (script->content));
  path = script_path (self);
  write_file (self, path, content, 0700, on_script_written);
}

static void
on_helpers_written (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autofree char *path = g_build_filename (self->work_dir, "helpers.sh", NULL);

  if (!write_file_finish (self, result, path))
    return;

  next_script (self);
}

void
_paddock_job_run_scripts (PaddockJobRun *self)
{
  g_autoptr(GBytes) helpers = g_bytes_new_static (_paddock_provision_helpers (), strlen (_paddock_provision_helpers ()));
  g_autofree char *path = g_build_filename (self->work_dir, "helpers.sh", NULL);

  g_clear_pointer (&self->scripts, g_ptr_array_unref);
  self->scripts = paddock_job_plan_dup_run_scripts (paddock_job_get_plan (self->job));
  if (self->scripts->len == 0)
    {
      _paddock_job_run_note (self, "No scripts to run");
      _paddock_job_run_next_phase (self);
      return;
    }

  /* Once per run, before the first script. */
  write_file (self, path, helpers, 0600, on_helpers_written);
}

/* ------------------------------------------------------------------------------------------- */
/* files                                                                                       */

static void next_file (PaddockJobRun *self);

static PaddockTemplateFile *
current_file (PaddockJobRun *self)
{
  return paddock_job_get_plan (self->job)->files->pdata[self->index];
}

static PaddockJobItem *
file_item (PaddockJobRun *self)
{
  g_autofree char *target = paddock_template_file_dup_target_path (current_file (self));

  return _paddock_job_find_item (self->job, PADDOCK_JOB_ITEM_FILE, target);
}

static char *
staged_path (PaddockJobRun *self)
{
  return g_strdup_printf ("%s/file-%u", self->work_dir, self->index + 1);
}

static void
on_file_placed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(PaddockSshResult) ssh_result = NULL;
  g_autofree char *target = paddock_template_file_dup_target_path (current_file (self));
  g_autofree char *out = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *detail = NULL;
  PaddockFileOutcome outcome;
  PaddockJobItemStatus status = PADDOCK_JOB_ITEM_DONE;

  if (!(ssh_result = quiet_finish (self, result)))
    return;

  out = paddock_ssh_result_dup_out_text (ssh_result);
  if (ssh_result->exit_status != 0 || !_paddock_provision_parse_file_outcome (out, &outcome, &backup))
    {
      g_autofree char *err = paddock_ssh_result_dup_err_text (ssh_result);

      fail_item (self, file_item (self), g_strstrip (err));
      _paddock_job_run_fail_printf (self, "%s could not be placed (exit status %d): %s", target,
                                    ssh_result->exit_status, err);
      return;
    }

  switch (outcome)
    {
    case PADDOCK_FILE_OUTCOME_DEPLOYED:
      detail = g_strdup_printf ("placed, mode %04o", current_file (self)->mode ? current_file (self)->mode : 0644);
      break;
    case PADDOCK_FILE_OUTCOME_UNCHANGED:
      status = PADDOCK_JOB_ITEM_SKIPPED;
      detail = g_strdup ("identical already: left as it was");
      break;
    case PADDOCK_FILE_OUTCOME_KEPT:
      status = PADDOCK_JOB_ITEM_SKIPPED;
      detail = g_strdup ("there already: kept (policy default)");
      break;
    case PADDOCK_FILE_OUTCOME_BACKED_UP:
    default:
      detail = g_strdup_printf ("placed; the old one is now %s", backup ? backup : "a backup");
      break;
    }

  _paddock_job_run_note (self, "%s: %s", target, detail);
  _paddock_job_item_set_status (file_item (self), status, detail);
  self->index++;
  set_progress (self, self->index, paddock_job_get_plan (self->job)->files->len);
  _paddock_job_run_save (self);
  next_file (self);
}

static void
next_file (PaddockJobRun *self)
{
  const PaddockJobPlan *plan = paddock_job_get_plan (self->job);
  g_autofree char *staged = NULL;
  g_autofree char *target = NULL;
  g_autofree char *script = NULL;
  g_autoptr(GError) error = NULL;
  PaddockTemplateFile *file;

  if (_paddock_job_run_stop_if_cancelled (self))
    return;
  if (self->index >= plan->files->len)
    {
      _paddock_job_run_next_phase (self);
      return;
    }

  _paddock_job_item_set_status (file_item (self), PADDOCK_JOB_ITEM_RUNNING, NULL);
  file = current_file (self);
  target = paddock_template_file_dup_target_path (file);
  staged = staged_path (self);
  if (!(script = _paddock_provision_place_file_script (staged, target, file->policy, file->mode, &error)))
    {
      fail_item (self, file_item (self), error->message);
      _paddock_job_run_fail (self, g_steal_pointer (&error));
      return;
    }

  _paddock_job_run_begin_wait (self);
  paddock_pct_exec_async (self->pct, paddock_job_get_vmid (self->job), script, file->content, SMALL_TIMEOUT_MS, NULL,
                          on_file_placed, g_object_ref (self));
}

void
_paddock_job_run_files (PaddockJobRun *self)
{
  if (paddock_job_get_plan (self->job)->files->len == 0)
    {
      _paddock_job_run_note (self, "No files to place");
      _paddock_job_run_next_phase (self);
      return;
    }

  next_file (self);
}

/* ------------------------------------------------------------------------------------------- */
/* finalizing                                                                                  */

static void
on_probed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(PaddockProbeResult) probe = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  g_autofree char *json = NULL;
  guint count = 0;

  _paddock_job_run_end_wait (self, FALSE);
  if (!(probe = paddock_probe_finish (PADDOCK_PCT (object), result, &error)))
    {
      /* The container is made; what runs in it shows in its Services tab when it can be read. */
      _paddock_job_run_note (self, "Its services could not be read: %s", error->message);
      _paddock_job_run_next_phase (self);
      return;
    }

  json = paddock_probe_result_to_json (probe);
  paddock_store_save_service_cache_async (_paddock_job_run_get_store (self), paddock_job_get_connection_id (self->job),
                                          paddock_job_get_vmid (self->job), json, NULL, NULL, NULL);
  if (paddock_job_get_address (self->job) == NULL && paddock_probe_result_get_address (probe) != NULL)
    _paddock_job_set_address (self->job, paddock_probe_result_get_address (probe));

  for (guint i = 0; i < probe->services->len; i++)
    {
      PaddockService *service = probe->services->pdata[i];
      GPtrArray *ports = paddock_service_get_ports (service);

      if (paddock_service_get_system (service))
        continue;
      g_string_append_printf (found, "%s%s", count++ ? ", " : "", paddock_service_get_name (service));
      for (guint p = 0; ports != NULL && p < ports->len; p++)
        {
          g_autofree char *label = paddock_port_dup_label (ports->pdata[p]);

          g_string_append_printf (found, "%s%s", p ? " " : " (", label);
          if (p + 1 == ports->len)
            g_string_append_c (found, ')');
        }
    }
  _paddock_job_run_note (self, "Services: %s", count ? found->str : "none besides the system's");
  _paddock_job_run_next_phase (self);
}

static void
on_cleaned (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PaddockJobRun) self = user_data;
  g_autoptr(PaddockSshResult) ssh_result = NULL;
  g_autoptr(GError) error = NULL;

  _paddock_job_run_end_wait (self, FALSE);
  ssh_result = paddock_pct_exec_finish (self->pct, result, &error);
  if (ssh_result == NULL || ssh_result->exit_status != 0)
    _paddock_job_run_note (self, "%s could not be removed from the container", self->work_dir);

  _paddock_job_set_percent (self->job, 95);
  _paddock_job_run_begin_wait (self);
  paddock_probe_async (self->pct, paddock_job_get_vmid (self->job), NULL, on_probed, g_object_ref (self));
}

void
_paddock_job_run_finalizing (PaddockJobRun *self)
{
  const char *argv[] = { "rm", "-rf", "--", self->work_dir, NULL };
  g_autofree char *command = paddock_shell_join (argv, NULL);

  _paddock_job_run_begin_wait (self);
  paddock_pct_exec_async (self->pct, paddock_job_get_vmid (self->job), command, NULL, SMALL_TIMEOUT_MS, NULL,
                          on_cleaned, g_object_ref (self));
}
