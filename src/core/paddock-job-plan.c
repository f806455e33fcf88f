/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-job-plan.c: what one provisioning job makes, checked, sent to Proxmox and kept as JSON */

#include "config.h"

#include <string.h>

#include "paddock-job-plan.h"

G_DEFINE_BOXED_TYPE (PaddockJobPlan, paddock_job_plan, paddock_job_plan_copy, paddock_job_plan_free)

static GPtrArray *
new_packages (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_package_free);
}

static GPtrArray *
new_scripts (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_template_script_free);
}

static GPtrArray *
new_files (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) paddock_template_file_free);
}

/* What g_set_str () does (GLib 2.76; Debian 12 has 2.74). */
static void
replace_string (char       **slot,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

PaddockJobPlan *
paddock_job_plan_new (void)
{
  PaddockJobPlan *plan = g_new0 (PaddockJobPlan, 1);

  plan->cores = PADDOCK_TEMPLATE_DEFAULT_CORES;
  plan->memory = PADDOCK_TEMPLATE_DEFAULT_MEMORY;
  plan->swap = 512;
  plan->disk = PADDOCK_TEMPLATE_DEFAULT_DISK;
  plan->os_template = g_strdup (PADDOCK_TEMPLATE_DEFAULT_OS);
  plan->storage = g_strdup ("local-lvm");
  plan->bridge = g_strdup ("vmbr0");
  plan->ipv4 = g_strdup ("dhcp");
  plan->unprivileged = TRUE;
  plan->packages = new_packages ();
  plan->scripts = new_scripts ();
  plan->files = new_files ();

  return plan;
}

/* The template's settings and all its parts; the scripts in their order. */
PaddockJobPlan *
paddock_job_plan_new_from_template (PaddockTemplate *template)
{
  PaddockJobPlan *plan = paddock_job_plan_new ();
  GPtrArray *parts;

  g_return_val_if_fail (PADDOCK_IS_TEMPLATE (template), plan);

  plan->template_id = paddock_template_get_id (template);
  plan->template_name = g_strdup (paddock_template_get_name (template));
  replace_string (&plan->os_template, paddock_template_get_os_template (template));
  plan->cores = paddock_template_get_cores (template);
  plan->memory = paddock_template_get_memory (template);
  plan->swap = MAX (0, paddock_template_get_swap (template));
  plan->disk = paddock_template_get_disk (template);
  if (paddock_template_get_storage (template) && *paddock_template_get_storage (template))
    replace_string (&plan->storage, paddock_template_get_storage (template));
  if (paddock_template_get_bridge (template) && *paddock_template_get_bridge (template))
    replace_string (&plan->bridge, paddock_template_get_bridge (template));
  plan->unprivileged = paddock_template_get_unprivileged (template);
  plan->nesting = paddock_template_get_nesting (template);
  plan->keyctl = paddock_template_get_keyctl (template);
  plan->fuse = paddock_template_get_fuse (template);
  plan->onboot = paddock_template_get_onboot (template);
  if (paddock_template_get_tags (template) && *paddock_template_get_tags (template))
    plan->tags = g_strdup (paddock_template_get_tags (template));

  paddock_template_sort_scripts (template);
  parts = paddock_template_get_packages (template);
  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (plan->packages, paddock_package_copy (parts->pdata[i]));
  parts = paddock_template_get_scripts (template);
  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (plan->scripts, paddock_template_script_copy (parts->pdata[i]));
  parts = paddock_template_get_files (template);
  for (guint i = 0; i < parts->len; i++)
    g_ptr_array_add (plan->files, paddock_template_file_copy (parts->pdata[i]));

  return plan;
}

PaddockJobPlan *
paddock_job_plan_copy (const PaddockJobPlan *plan)
{
  PaddockJobPlan *copy = g_new0 (PaddockJobPlan, 1);

  *copy = *plan;
  copy->node = g_strdup (plan->node);
  copy->hostname = g_strdup (plan->hostname);
  copy->template_name = g_strdup (plan->template_name);
  copy->os_template = g_strdup (plan->os_template);
  copy->storage = g_strdup (plan->storage);
  copy->bridge = g_strdup (plan->bridge);
  copy->ipv4 = g_strdup (plan->ipv4);
  copy->gateway = g_strdup (plan->gateway);
  copy->ipv6 = g_strdup (plan->ipv6);
  copy->gateway6 = g_strdup (plan->gateway6);
  copy->nameserver = g_strdup (plan->nameserver);
  copy->searchdomain = g_strdup (plan->searchdomain);
  copy->ssh_public_keys = g_strdup (plan->ssh_public_keys);
  copy->tags = g_strdup (plan->tags);
  copy->description = g_strdup (plan->description);
  copy->packages = new_packages ();
  copy->scripts = new_scripts ();
  copy->files = new_files ();
  for (guint i = 0; i < plan->packages->len; i++)
    g_ptr_array_add (copy->packages, paddock_package_copy (plan->packages->pdata[i]));
  for (guint i = 0; i < plan->scripts->len; i++)
    g_ptr_array_add (copy->scripts, paddock_template_script_copy (plan->scripts->pdata[i]));
  for (guint i = 0; i < plan->files->len; i++)
    g_ptr_array_add (copy->files, paddock_template_file_copy (plan->files->pdata[i]));

  return copy;
}

void
paddock_job_plan_free (PaddockJobPlan *plan)
{
  if (plan == NULL)
    return;

  g_free (plan->node);
  g_free (plan->hostname);
  g_free (plan->template_name);
  g_free (plan->os_template);
  g_free (plan->storage);
  g_free (plan->bridge);
  g_free (plan->ipv4);
  g_free (plan->gateway);
  g_free (plan->ipv6);
  g_free (plan->gateway6);
  g_free (plan->nameserver);
  g_free (plan->searchdomain);
  g_free (plan->ssh_public_keys);
  g_free (plan->tags);
  g_free (plan->description);
  g_clear_pointer (&plan->packages, g_ptr_array_unref);
  g_clear_pointer (&plan->scripts, g_ptr_array_unref);
  g_clear_pointer (&plan->files, g_ptr_array_unref);
  g_free (plan);
}

/* ------------------------------------------------------------------------------------------- */
/* Checks                                                                                      */

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID, message);

  return FALSE;
}

static gboolean
is_dns_label (const char *label,
              gsize       length)
{
  if (length == 0 || length > 63 || label[0] == '-' || label[length - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-')
      return FALSE;

  return TRUE;
}

static gboolean
is_dns_name (const char *name)
{
  const char *label = name;
  gsize length = name ? strlen (name) : 0;

  if (length == 0 || length > 253)
    return FALSE;

  for (;;)
    {
      const char *dot = strchr (label, '.');
      gsize label_length = dot ? (gsize) (dot - label) : strlen (label);

      if (!is_dns_label (label, label_length))
        return FALSE;
      if (dot == NULL)
        return TRUE;
      label = dot + 1;
    }
}

/* RFC 1123 labels separated by dots: what Proxmox's dns-name takes and what becomes /etc/hostname. */
gboolean
paddock_check_hostname (const char  *hostname,
                        GError     **error)
{
  if (hostname == NULL || *hostname == '\0')
    return invalid (error, "The hostname is empty");
  if (!is_dns_name (hostname))
    return invalid (error, "“%s” is not a hostname: letters, digits and “-” (not first or last), at most 63"
                    " per dot-separated part", hostname);

  return TRUE;
}

static gboolean
is_address (const char    *text,
            GSocketFamily  family)
{
  g_autoptr(GInetAddress) address = NULL;

  if (text == NULL || strlen (text) > 64)
    return FALSE;
  address = g_inet_address_new_from_string (text);

  return address != NULL && g_inet_address_get_family (address) == family
         && !g_inet_address_get_is_any (address) && !g_inet_address_get_is_multicast (address);
}

static gboolean
is_cidr (const char    *cidr,
         GSocketFamily  family)
{
  const char *slash = cidr ? strrchr (cidr, '/') : NULL;
  g_autofree char *address = NULL;
  guint64 prefix;

  if (slash == NULL)
    return FALSE;
  address = g_strndup (cidr, slash - cidr);

  return is_address (address, family)
         && g_ascii_string_to_unsigned (slash + 1, 10, 1, family == G_SOCKET_FAMILY_IPV4 ? 32 : 128, &prefix, NULL);
}

gboolean
paddock_check_ipv4_cidr (const char  *cidr,
                         GError     **error)
{
  if (!is_cidr (cidr, G_SOCKET_FAMILY_IPV4))
    return invalid (error, "“%s” is not an IPv4 address with its prefix length, such as 192.168.1.20/24",
                    cidr ? cidr : "");

  return TRUE;
}

/* Proxmox's storage and bridge identifiers; a bridge is a Linux interface name (≤ 15). */
static gboolean
is_identifier (const char *text,
               gsize       max_length)
{
  gsize length = text ? strlen (text) : 0;

  if (length == 0 || length > max_length || !g_ascii_isalpha (text[0]))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '_' && text[i] != '.')
      return FALSE;

  return TRUE;
}

static gboolean
check_network (const PaddockJobPlan  *plan,
               GError               **error)
{
  if (!is_identifier (plan->bridge, 15))
    return invalid (error, "“%s” is not a bridge name", plan->bridge ? plan->bridge : "");

  if (g_strcmp0 (plan->ipv4, "dhcp") != 0 && !paddock_check_ipv4_cidr (plan->ipv4, error))
    return FALSE;
  if (plan->gateway != NULL)
    {
      if (g_strcmp0 (plan->ipv4, "dhcp") == 0)
        return invalid (error, "A gateway goes with a static address, not with DHCP");
      if (!is_address (plan->gateway, G_SOCKET_FAMILY_IPV4))
        return invalid (error, "“%s” is not an IPv4 gateway address", plan->gateway);
    }

  if (plan->ipv6 != NULL && g_strcmp0 (plan->ipv6, "auto") != 0 && g_strcmp0 (plan->ipv6, "dhcp") != 0
      && !is_cidr (plan->ipv6, G_SOCKET_FAMILY_IPV6))
    return invalid (error, "“%s” is not an IPv6 setting: auto, dhcp or an address such as 2001:db8::20/64",
                    plan->ipv6);
  if (plan->gateway6 != NULL)
    {
      if (plan->ipv6 == NULL || g_str_equal (plan->ipv6, "auto") || g_str_equal (plan->ipv6, "dhcp"))
        return invalid (error, "An IPv6 gateway goes with a static IPv6 address");
      if (!is_address (plan->gateway6, G_SOCKET_FAMILY_IPV6))
        return invalid (error, "“%s” is not an IPv6 gateway address", plan->gateway6);
    }

  if (plan->nameserver != NULL)
    {
      g_auto(GStrv) servers = g_strsplit_set (plan->nameserver, " ,;", -1);
      guint count = 0;

      for (guint i = 0; servers[i] != NULL; i++)
        {
          if (*servers[i] == '\0')
            continue;
          if (!is_address (servers[i], G_SOCKET_FAMILY_IPV4) && !is_address (servers[i], G_SOCKET_FAMILY_IPV6))
            return invalid (error, "“%s” is not a name server address", servers[i]);
          count++;
        }
      if (count == 0 || count > 3)
        return invalid (error, "Give one to three name server addresses");
    }

  if (plan->searchdomain != NULL)
    {
      g_auto(GStrv) domains = g_strsplit_set (plan->searchdomain, " ,;", -1);

      for (guint i = 0; domains[i] != NULL; i++)
        if (*domains[i] != '\0' && !is_dns_name (domains[i]))
          return invalid (error, "“%s” is not a search domain", domains[i]);
    }

  return TRUE;
}

static gboolean
check_ssh_keys (const char  *keys,
                GError     **error)
{
  g_auto(GStrv) lines = NULL;

  if (keys == NULL)
    return TRUE;
  if (strlen (keys) > 64 * 1024 || !g_utf8_validate (keys, -1, NULL))
    return invalid (error, "The SSH public keys are not text of at most 64 KiB");

  lines = g_strsplit (keys, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      const char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      fields = g_strsplit_set (line, " \t", 3);
      if (g_strv_length (fields) < 2
          || !(g_str_has_prefix (fields[0], "ssh-") || g_str_has_prefix (fields[0], "ecdsa-")
               || g_str_has_prefix (fields[0], "sk-"))
          || strspn (fields[1], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen (fields[1]))
        return invalid (error, "Line %u of the SSH public keys is not a public key (“ssh-ed25519 AAAA… comment”)", i + 1);
    }

  return TRUE;
}

static gboolean
check_text (const char  *text,
            gsize        max_length)
{
  return text != NULL && *text != '\0' && strlen (text) <= max_length && g_utf8_validate (text, -1, NULL)
         && strchr (text, '/') == NULL;
}

static gboolean
check_parts (const PaddockJobPlan  *plan,
             GError               **error)
{
  if (plan->packages->len > PADDOCK_JOB_PLAN_MAX_PACKAGES || plan->scripts->len > PADDOCK_JOB_PLAN_MAX_SCRIPTS
      || plan->files->len > PADDOCK_JOB_PLAN_MAX_FILES)
    return invalid (error, "The plan has more packages, scripts or files than one job takes (%u, %u, %u)",
                    PADDOCK_JOB_PLAN_MAX_PACKAGES, PADDOCK_JOB_PLAN_MAX_SCRIPTS, PADDOCK_JOB_PLAN_MAX_FILES);

  for (guint i = 0; i < plan->packages->len; i++)
    if (!paddock_package_validate (plan->packages->pdata[i], error))
      return FALSE;

  for (guint i = 0; i < plan->scripts->len; i++)
    {
      PaddockTemplateScript *script = plan->scripts->pdata[i];

      if (!check_text (script->name, 200))
        return invalid (error, "Script %u has no usable name (at most 200 characters, no “/”)", i + 1);
      if (script->content == NULL || !g_utf8_validate (script->content, -1, NULL))
        return invalid (error, "Script “%s” is not UTF-8 text", script->name);
    }

  for (guint i = 0; i < plan->files->len; i++)
    {
      PaddockTemplateFile *file = plan->files->pdata[i];
      g_autofree char *dir = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!check_text (file->name, 255) || (file->target_name && !check_text (file->target_name, 255))
          || g_strcmp0 (file->target_name ? file->target_name : file->name, ".") == 0
          || g_strcmp0 (file->target_name ? file->target_name : file->name, "..") == 0)
        return invalid (error, "File %u has no usable name (at most 255 characters, no “/”)", i + 1);
      if (!(dir = paddock_normalize_target_dir (file->target_dir, &local_error)))
        return invalid (error, "File “%s”: %s", file->name, local_error->message);
      if (file->mode > 07777)
        return invalid (error, "File “%s”: %o is not a file mode", file->name, file->mode);
      if (file->content == NULL)
        return invalid (error, "File “%s” has no content", file->name);
    }

  return TRUE;
}

gboolean
paddock_job_plan_validate (const PaddockJobPlan  *plan,
                           GError               **error)
{
  g_return_val_if_fail (plan != NULL, FALSE);

  if (plan->connection_id <= 0)
    return invalid (error, "The plan names no connection");
  if (plan->node == NULL || *plan->node == '\0' || !is_dns_name (plan->node))
    return invalid (error, "“%s” is not a node name", plan->node ? plan->node : "");
  if (plan->vmid < 100 || plan->vmid > 999999999)
    return invalid (error, "VMID %u is outside Proxmox's range of 100–999999999", plan->vmid);
  if (!paddock_check_hostname (plan->hostname, error))
    return FALSE;
  if (plan->os_template == NULL || *plan->os_template == '\0' || strlen (plan->os_template) > 255
      || strpbrk (plan->os_template, " \t\n\r,=") != NULL)
    return invalid (error, "“%s” is not an OS template", plan->os_template ? plan->os_template : "");
  if (plan->cores < 1 || plan->cores > 8192)
    return invalid (error, "%u cores is outside Proxmox's range of 1–8192", plan->cores);
  if (plan->memory < 16)
    return invalid (error, "%u MB of memory is below Proxmox's minimum of 16 MB", plan->memory);
  if (plan->disk < 1 || plan->disk > 131072)
    return invalid (error, "A disk of %u GB is outside 1–131072 GB", plan->disk);
  if (!is_identifier (plan->storage, 64))
    return invalid (error, "“%s” is not a storage name", plan->storage ? plan->storage : "");
  if (!check_network (plan, error) || !check_ssh_keys (plan->ssh_public_keys, error))
    return FALSE;
  if (plan->tags != NULL)
    {
      g_auto(GStrv) tags = g_strsplit_set (plan->tags, ";, ", -1);

      for (guint i = 0; tags[i] != NULL; i++)
        if (*tags[i] != '\0' && !paddock_check_tag (tags[i], error))
          return FALSE;
    }
  if (plan->description != NULL && (strlen (plan->description) > 8192 || !g_utf8_validate (plan->description, -1, NULL)))
    return invalid (error, "The description is not text of at most 8 KiB");

  return check_parts (plan, error);
}

/* ------------------------------------------------------------------------------------------- */
/* What Proxmox gets                                                                           */

char *
paddock_job_plan_dup_net0 (const PaddockJobPlan *plan)
{
  GString *net = g_string_new ("name=eth0");

  g_string_append_printf (net, ",bridge=%s,ip=%s", plan->bridge, plan->ipv4 ? plan->ipv4 : "dhcp");
  if (plan->gateway != NULL)
    g_string_append_printf (net, ",gw=%s", plan->gateway);
  if (plan->ipv6 != NULL)
    g_string_append_printf (net, ",ip6=%s", plan->ipv6);
  if (plan->gateway6 != NULL)
    g_string_append_printf (net, ",gw6=%s", plan->gateway6);

  return g_string_free (net, FALSE);
}

PaddockPveParams *
paddock_job_plan_to_create_params (const PaddockJobPlan *plan,
                                   const char           *ostemplate,
                                   const char           *password)
{
  PaddockPveParams *params = paddock_pve_params_new ();
  g_autofree char *rootfs = g_strdup_printf ("%s:%u", plan->storage, plan->disk);
  g_autofree char *net0 = paddock_job_plan_dup_net0 (plan);
  g_autoptr(GString) features = g_string_new (NULL);

  paddock_pve_params_add (params, "ostemplate", ostemplate ? ostemplate : plan->os_template);
  paddock_pve_params_add_int (params, "vmid", plan->vmid);
  paddock_pve_params_add (params, "hostname", plan->hostname);
  paddock_pve_params_add_int (params, "cores", plan->cores);
  paddock_pve_params_add_int (params, "memory", plan->memory);
  paddock_pve_params_add_int (params, "swap", plan->swap);
  paddock_pve_params_add (params, "rootfs", rootfs);
  paddock_pve_params_add (params, "net0", net0);
  if (plan->nameserver != NULL)
    paddock_pve_params_add (params, "nameserver", plan->nameserver);
  if (plan->searchdomain != NULL)
    paddock_pve_params_add (params, "searchdomain", plan->searchdomain);
  /* Shown masked when @password is NULL: the review page lists every parameter sent. */
  paddock_pve_params_add (params, "password", password ? password : "");
  if (plan->ssh_public_keys != NULL)
    paddock_pve_params_add (params, "ssh-public-keys", plan->ssh_public_keys);
  paddock_pve_params_add_bool (params, "unprivileged", plan->unprivileged);
  /* Only the features that are on: Proxmox refuses some of them for privileged containers. */
  if (plan->nesting)
    g_string_append (features, "nesting=1");
  if (plan->keyctl)
    g_string_append_printf (features, "%skeyctl=1", features->len ? "," : "");
  if (plan->fuse)
    g_string_append_printf (features, "%sfuse=1", features->len ? "," : "");
  if (features->len > 0)
    paddock_pve_params_add (params, "features", features->str);
  paddock_pve_params_add_bool (params, "onboot", plan->onboot);
  if (plan->tags != NULL && *plan->tags != '\0')
    paddock_pve_params_add (params, "tags", plan->tags);
  if (plan->description != NULL && *plan->description != '\0')
    paddock_pve_params_add (params, "description", plan->description);

  return params;
}

gboolean
paddock_job_plan_has_volid (const PaddockJobPlan *plan)
{
  return plan->os_template != NULL && strstr (plan->os_template, ":vztmpl/") != NULL;
}

/* Compares version-like names so that 12.10 follows 12.9. */
static int
compare_natural (const char *a,
                 const char *b)
{
  while (*a && *b)
    {
      if (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          char *end_a, *end_b;
          guint64 na = g_ascii_strtoull (a, &end_a, 10);
          guint64 nb = g_ascii_strtoull (b, &end_b, 10);

          if (na != nb)
            return na < nb ? -1 : 1;
          a = end_a;
          b = end_b;
          continue;
        }
      if (*a != *b)
        return (guchar) *a < (guchar) *b ? -1 : 1;
      a++;
      b++;
    }

  return *a ? 1 : *b ? -1 : 0;
}

char *
paddock_pick_os_template (const char *pattern,
                          GPtrArray  *volids)
{
  const char *best = NULL;
  const char *best_file = NULL;

  for (guint i = 0; volids != NULL && i < volids->len; i++)
    {
      const char *volid = volids->pdata[i];
      const char *file = strstr (volid, ":vztmpl/");

      if (file == NULL)
        continue;
      file += strlen (":vztmpl/");
      if (!g_str_has_prefix (file, pattern))
        continue;
      if (best == NULL || compare_natural (file, best_file) > 0)
        {
          best = volid;
          best_file = file;
        }
    }

  return g_strdup (best);
}

GPtrArray *
paddock_job_plan_dup_run_scripts (const PaddockJobPlan *plan)
{
  GPtrArray *scripts = g_ptr_array_new ();

  for (guint i = 0; i < plan->scripts->len; i++)
    {
      PaddockTemplateScript *script = plan->scripts->pdata[i];

      if (script->enabled)
        g_ptr_array_add (scripts, script);
    }

  return scripts;
}

/* Returns: how many scripts and files changed */
guint
paddock_job_plan_refresh_from_template (PaddockJobPlan  *plan,
                                        PaddockTemplate *template)
{
  GPtrArray *scripts = paddock_template_get_scripts (template);
  GPtrArray *files = paddock_template_get_files (template);
  guint changed = 0;

  for (guint i = 0; i < plan->scripts->len; i++)
    {
      PaddockTemplateScript *mine = plan->scripts->pdata[i];

      for (guint j = 0; j < scripts->len; j++)
        {
          PaddockTemplateScript *theirs = scripts->pdata[j];

          if (g_strcmp0 (mine->name, theirs->name) == 0 && g_strcmp0 (mine->content, theirs->content) != 0)
            {
              replace_string (&mine->content, theirs->content);
              changed++;
            }
        }
    }

  for (guint i = 0; i < plan->files->len; i++)
    {
      PaddockTemplateFile *mine = plan->files->pdata[i];

      for (guint j = 0; j < files->len; j++)
        {
          PaddockTemplateFile *theirs = files->pdata[j];

          if (g_strcmp0 (mine->name, theirs->name) != 0 || g_strcmp0 (mine->target_dir, theirs->target_dir) != 0)
            continue;
          if (!g_bytes_equal (mine->content, theirs->content) || mine->mode != theirs->mode
              || mine->policy != theirs->policy)
            {
              g_bytes_unref (mine->content);
              mine->content = g_bytes_ref (theirs->content);
              mine->mode = theirs->mode;
              mine->policy = theirs->policy;
              changed++;
            }
        }
    }

  return changed;
}

/* ------------------------------------------------------------------------------------------- */
/* JSON                                                                                        */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

char *
paddock_job_plan_to_json (const PaddockJobPlan *plan)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_int (builder, "connection", plan->connection_id);
  add_string (builder, "node", plan->node);
  add_int (builder, "vmid", plan->vmid);
  add_string (builder, "hostname", plan->hostname);
  add_int (builder, "template", plan->template_id);
  add_string (builder, "template-name", plan->template_name);
  add_string (builder, "os-template", plan->os_template);
  add_int (builder, "cores", plan->cores);
  add_int (builder, "memory", plan->memory);
  add_int (builder, "swap", plan->swap);
  add_int (builder, "disk", plan->disk);
  add_string (builder, "storage", plan->storage);
  add_string (builder, "bridge", plan->bridge);
  add_string (builder, "ipv4", plan->ipv4);
  add_string (builder, "gateway", plan->gateway);
  add_string (builder, "ipv6", plan->ipv6);
  add_string (builder, "gateway6", plan->gateway6);
  add_string (builder, "nameserver", plan->nameserver);
  add_string (builder, "searchdomain", plan->searchdomain);
  add_string (builder, "ssh-public-keys", plan->ssh_public_keys);
  add_bool (builder, "unprivileged", plan->unprivileged);
  add_bool (builder, "nesting", plan->nesting);
  add_bool (builder, "keyctl", plan->keyctl);
  add_bool (builder, "fuse", plan->fuse);
  add_bool (builder, "onboot", plan->onboot);
  add_string (builder, "tags", plan->tags);
  add_string (builder, "description", plan->description);

  json_builder_set_member_name (builder, "packages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plan->packages->len; i++)
    {
      PaddockPackage *package = plan->packages->pdata[i];

      json_builder_begin_object (builder);
      add_string (builder, "manager", paddock_package_manager_to_string (package->manager));
      add_string (builder, "name", package->name);
      add_string (builder, "version", package->version);
      add_string (builder, "check", package->check_command);
      add_string (builder, "install", package->install_command);
      if (package->manager == PADDOCK_PACKAGE_CUSTOM)
        add_int (builder, "timeout", package->timeout);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "scripts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plan->scripts->len; i++)
    {
      PaddockTemplateScript *script = plan->scripts->pdata[i];

      json_builder_begin_object (builder);
      add_int (builder, "order", script->order);
      add_string (builder, "name", script->name);
      add_bool (builder, "enabled", script->enabled);
      add_string (builder, "description", script->description);
      add_string (builder, "content", script->content);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < plan->files->len; i++)
    {
      PaddockTemplateFile *file = plan->files->pdata[i];
      gsize length = 0;
      const guchar *data = g_bytes_get_data (file->content, &length);
      g_autofree char *encoded = g_base64_encode (data, length);

      json_builder_begin_object (builder);
      add_string (builder, "name", file->name);
      add_string (builder, "target-dir", file->target_dir);
      add_string (builder, "target-name", file->target_name);
      add_string (builder, "policy", paddock_file_policy_to_string (file->policy));
      add_int (builder, "mode", file->mode);
      add_string (builder, "content", encoded);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

typedef struct
{
  JsonObject  *object;
  const char  *where;
  GError     **error;
  gboolean     failed;
} Reader;

/* A string member, or NULL when absent; a member of another type fails the read. */
static char *
read_string (Reader     *reader,
             const char *name)
{
  JsonNode *node = json_object_get_member (reader->object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  /* json-glib lets invalid UTF-8 through. */
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      if (!reader->failed)
        g_set_error (reader->error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                     "%s: “%s” is not a UTF-8 string", reader->where, name);
      reader->failed = TRUE;
      return NULL;
    }

  return g_strdup (json_node_get_string (node));
}

static gint64
read_int (Reader     *reader,
          const char *name,
          gint64      min,
          gint64      max)
{
  JsonNode *node = json_object_get_member (reader->object, name);
  gint64 value;

  if (node == NULL)
    return min;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || (value = json_node_get_int (node)) < min || value > max)
    {
      if (!reader->failed)
        g_set_error (reader->error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                     "%s: “%s” is not a number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                     reader->where, name, min, max);
      reader->failed = TRUE;
      return min;
    }

  return value;
}

static gboolean
read_bool (Reader     *reader,
           const char *name)
{
  JsonNode *node = json_object_get_member (reader->object, name);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      if (!reader->failed)
        g_set_error (reader->error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                     "%s: “%s” is not true or false", reader->where, name);
      reader->failed = TRUE;
      return FALSE;
    }

  return json_node_get_boolean (node);
}

static JsonArray *
read_array (Reader     *reader,
            const char *name,
            guint       max_length)
{
  JsonNode *node = json_object_get_member (reader->object, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) > max_length)
    {
      if (!reader->failed)
        g_set_error (reader->error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                     "%s: “%s” is not a list of at most %u entries", reader->where, name, max_length);
      reader->failed = TRUE;
      return NULL;
    }

  return json_node_get_array (node);
}

static gboolean
element_reader (Reader    *parent,
                JsonArray *array,
                guint      index,
                Reader    *reader)
{
  JsonNode *node = json_array_get_element (array, index);

  *reader = *parent;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (parent->error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                   "%s: entry %u of a list is not an object", parent->where, index + 1);
      parent->failed = TRUE;
      return FALSE;
    }
  reader->object = json_node_get_object (node);

  return TRUE;
}

static void
read_packages (Reader         *reader,
               PaddockJobPlan *plan)
{
  JsonArray *array = read_array (reader, "packages", PADDOCK_JOB_PLAN_MAX_PACKAGES);

  for (guint i = 0; array != NULL && !reader->failed && i < json_array_get_length (array); i++)
    {
      Reader item;
      g_autofree char *manager_name = NULL;
      g_autofree char *name = NULL;
      g_autofree char *version = NULL;
      PaddockPackageManager manager;
      PaddockPackage *package;

      if (!element_reader (reader, array, i, &item))
        return;
      manager_name = read_string (&item, "manager");
      name = read_string (&item, "name");
      version = read_string (&item, "version");
      if (item.failed || name == NULL || !paddock_package_manager_from_string (manager_name, &manager))
        {
          if (!item.failed)
            g_set_error (reader->error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                         "%s: package %u has no name or no known manager", reader->where, i + 1);
          reader->failed = TRUE;
          return;
        }
      package = paddock_package_new (manager, name, version);
      package->check_command = read_string (&item, "check");
      package->install_command = read_string (&item, "install");
      package->timeout = read_int (&item, "timeout", 0, 86400);
      g_ptr_array_add (plan->packages, package);
      reader->failed = item.failed;
    }
}

static void
read_scripts (Reader         *reader,
              PaddockJobPlan *plan)
{
  JsonArray *array = read_array (reader, "scripts", PADDOCK_JOB_PLAN_MAX_SCRIPTS);

  for (guint i = 0; array != NULL && !reader->failed && i < json_array_get_length (array); i++)
    {
      Reader item;
      g_autofree char *name = NULL;
      g_autofree char *content = NULL;
      g_autofree char *description = NULL;
      PaddockTemplateScript *script;

      if (!element_reader (reader, array, i, &item))
        return;
      name = read_string (&item, "name");
      content = read_string (&item, "content");
      script = paddock_template_script_new (read_int (&item, "order", 0, G_MAXINT), name ? name : "",
                                            content ? content : "");
      script->enabled = read_bool (&item, "enabled");
      description = read_string (&item, "description");
      if (description != NULL)
        replace_string (&script->description, description);
      g_ptr_array_add (plan->scripts, script);
      reader->failed = item.failed;
    }
}

static void
read_files (Reader         *reader,
            PaddockJobPlan *plan)
{
  JsonArray *array = read_array (reader, "files", PADDOCK_JOB_PLAN_MAX_FILES);

  for (guint i = 0; array != NULL && !reader->failed && i < json_array_get_length (array); i++)
    {
      Reader item;
      g_autofree char *name = NULL;
      g_autofree char *target_dir = NULL;
      g_autofree char *policy_name = NULL;
      g_autofree char *encoded = NULL;
      g_autoptr(GBytes) content = NULL;
      PaddockFilePolicy policy = PADDOCK_FILE_POLICY_DEFAULT;
      PaddockTemplateFile *file;
      guchar *data;
      gsize length = 0;

      if (!element_reader (reader, array, i, &item))
        return;
      name = read_string (&item, "name");
      target_dir = read_string (&item, "target-dir");
      policy_name = read_string (&item, "policy");
      encoded = read_string (&item, "content");
      if (item.failed || name == NULL || target_dir == NULL || encoded == NULL
          || (policy_name != NULL && !paddock_file_policy_from_string (policy_name, &policy)))
        {
          if (!item.failed)
            g_set_error (reader->error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                         "%s: file %u lacks its name, target directory or content, or has an unknown policy",
                         reader->where, i + 1);
          reader->failed = TRUE;
          return;
        }
      data = g_base64_decode (encoded, &length);
      content = g_bytes_new_take (data, length);
      file = paddock_template_file_new (name, target_dir, content);
      file->target_name = read_string (&item, "target-name");
      file->policy = policy;
      file->mode = read_int (&item, "mode", 0, 07777);
      g_ptr_array_add (plan->files, file);
      reader->failed = item.failed;
    }
}

PaddockJobPlan *
paddock_job_plan_new_from_json (const char  *json,
                                gssize       length,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(PaddockJobPlan) plan = NULL;
  Reader reader = { NULL, "The job's plan", error, FALSE };
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (length < 0)
    length = json ? strlen (json) : 0;
  if (json == NULL || length == 0 || length > PADDOCK_JOB_PLAN_MAX_JSON)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE,
                   "The job's plan is empty or larger than %u MiB", PADDOCK_JOB_PLAN_MAX_JSON / (1024 * 1024));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, json, length, &parse_error))
    {
      /* json-glib quotes the offending text as it is, which may cut a character in half. */
      g_autofree char *reason = g_utf8_make_valid (parse_error->message, -1);

      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE, "The job's plan is not JSON: %s", reason);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_PARSE, "The job's plan is not a JSON object");
      return NULL;
    }

  reader.object = json_node_get_object (root);
  plan = paddock_job_plan_new ();
  g_clear_pointer (&plan->os_template, g_free);
  g_clear_pointer (&plan->storage, g_free);
  g_clear_pointer (&plan->bridge, g_free);
  g_clear_pointer (&plan->ipv4, g_free);

  plan->connection_id = read_int (&reader, "connection", 0, G_MAXINT64);
  plan->node = read_string (&reader, "node");
  plan->vmid = read_int (&reader, "vmid", 0, 999999999);
  plan->hostname = read_string (&reader, "hostname");
  plan->template_id = read_int (&reader, "template", 0, G_MAXINT64);
  plan->template_name = read_string (&reader, "template-name");
  plan->os_template = read_string (&reader, "os-template");
  plan->cores = read_int (&reader, "cores", 0, 8192);
  plan->memory = read_int (&reader, "memory", 0, G_MAXUINT32);
  plan->swap = read_int (&reader, "swap", 0, G_MAXUINT32);
  plan->disk = read_int (&reader, "disk", 0, G_MAXUINT32);
  plan->storage = read_string (&reader, "storage");
  plan->bridge = read_string (&reader, "bridge");
  plan->ipv4 = read_string (&reader, "ipv4");
  plan->gateway = read_string (&reader, "gateway");
  plan->ipv6 = read_string (&reader, "ipv6");
  plan->gateway6 = read_string (&reader, "gateway6");
  plan->nameserver = read_string (&reader, "nameserver");
  plan->searchdomain = read_string (&reader, "searchdomain");
  plan->ssh_public_keys = read_string (&reader, "ssh-public-keys");
  plan->unprivileged = read_bool (&reader, "unprivileged");
  plan->nesting = read_bool (&reader, "nesting");
  plan->keyctl = read_bool (&reader, "keyctl");
  plan->fuse = read_bool (&reader, "fuse");
  plan->onboot = read_bool (&reader, "onboot");
  plan->tags = read_string (&reader, "tags");
  plan->description = read_string (&reader, "description");
  read_packages (&reader, plan);
  read_scripts (&reader, plan);
  read_files (&reader, plan);

  if (reader.failed)
    return NULL;

  return g_steal_pointer (&plan);
}
