/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-provision-commands.c: the shell scripts a provisioning job runs in a container */

#include "config.h"

#include <string.h>

#include "paddock-provision-commands-private.h"
#include "paddock-shell.h"

#define SYSTEM_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The preamble of every script Paddock runs in a container: pct exec's environment is bare. */
#define PREAMBLE \
  "export PATH=" SYSTEM_PATH " LC_ALL=C DEBIAN_FRONTEND=noninteractive\n" \
  "[ -n \"${HOME:-}\" ] || export HOME=/root\n"

static char *
quote (const char  *word,
       GError     **error)
{
  const char *argv[] = { word, NULL };

  return paddock_shell_join (argv, error);
}

char *
_paddock_provision_work_dir (gint64 job_id)
{
  return g_strdup_printf ("/var/tmp/paddock-job-%" G_GINT64_FORMAT, job_id);
}

char *
_paddock_provision_ready_script (const char *work_dir)
{
  g_autofree char *dir = quote (work_dir, NULL);

  /* "degraded" is a booted system with a failed unit: the job goes on (the unit shows as failed
   * in the Services tab); a system still starting after 60 s goes on with a warning. */
  return g_strdup_printf (PREAMBLE
                          "if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then\n"
                          "  state=$(timeout 60 systemctl is-system-running --wait 2>/dev/null)\n"
                          "  echo \"systemd: ${state:-no answer}\"\n"
                          "else\n"
                          "  echo 'systemd: not running (no systemd in this container)'\n"
                          "fi\n"
                          "umask 077\n"
                          "mkdir -p %s /etc/infrahaus/credentials || exit 1\n"
                          "chmod 700 %s /etc/infrahaus/credentials\n",
                          dir, dir);
}

const char *
_paddock_provision_helpers (void)
{
  /* The functions and variables infrahaus' worker gave scripts (reference §2.5, §3.5), so its
   * template scripts run unchanged. POSIX sh, for containers without bash. */
  return "# Paddock's helper library for template scripts\n"
         "export PATH=" SYSTEM_PATH "\n"
         "export DEBIAN_FRONTEND=noninteractive LC_ALL=C\n"
         "[ -n \"${HOME:-}\" ] || export HOME=/root\n"
         "\n"
         "_log() { _level=$1; shift; printf '[%s] [%-7s] %s\\n' \"$(date '+%Y-%m-%d %H:%M:%S')\" \"$_level\" \"$*\"; }\n"
         "log_info() { _log INFO \"$@\"; }\n"
         "log_warn() { _log WARNING \"$@\" >&2; }\n"
         "log_error() { _log ERROR \"$@\" >&2; }\n"
         "\n"
         "CONTAINER_OS=unknown CONTAINER_OS_VERSION=\n"
         "if [ -r /etc/os-release ]; then\n"
         "  CONTAINER_OS=$(. /etc/os-release; printf '%s' \"${ID:-unknown}\")\n"
         "  CONTAINER_OS_VERSION=$(. /etc/os-release; printf '%s' \"${VERSION_ID:-}\")\n"
         "fi\n"
         "if command -v apt-get >/dev/null 2>&1; then _PKG_MGR=apt\n"
         "elif command -v apk >/dev/null 2>&1; then _PKG_MGR=apk\n"
         "elif command -v dnf >/dev/null 2>&1; then _PKG_MGR=dnf\n"
         "elif command -v yum >/dev/null 2>&1; then _PKG_MGR=yum\n"
         "else _PKG_MGR=unknown; fi\n"
         "CONTAINER_USER=$(getent passwd 1000 2>/dev/null | cut -d: -f1)\n"
         "export CONTAINER_OS CONTAINER_OS_VERSION CONTAINER_USER _PKG_MGR\n"
         "\n"
         "is_installed() { command -v \"$1\" >/dev/null 2>&1; }\n"
         "\n"
         "_apt_busy() {\n"
         "  if command -v fuser >/dev/null 2>&1; then\n"
         "    fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock >/dev/null 2>&1\n"
         "    return\n"
         "  fi\n"
         "  for _p in /proc/[0-9]*; do\n"
         "    case $(cat \"$_p/comm\" 2>/dev/null) in apt|apt-get|dpkg|unattended-upgr) return 0 ;; esac\n"
         "  done\n"
         "  return 1\n"
         "}\n"
         "wait_for_apt_lock() {\n"
         "  _waited=0\n"
         "  while _apt_busy; do\n"
         "    [ \"$_waited\" -ge 120 ] && { log_warn \"apt is still busy after 120 s\"; return 1; }\n"
         "    sleep 2; _waited=$((_waited + 2))\n"
         "  done\n"
         "  return 0\n"
         "}\n"
         "_apt_update_once() {\n"
         "  [ -n \"${_PADDOCK_APT_UPDATED:-}\" ] && return 0\n"
         "  apt-get -o DPkg::Lock::Timeout=120 update -qq && _PADDOCK_APT_UPDATED=1\n"
         "}\n"
         "ensure_installed() {\n"
         "  for _pkg in \"$@\"; do\n"
         "    is_installed \"$_pkg\" && continue\n"
         "    case $_PKG_MGR in\n"
         "      apt) wait_for_apt_lock; _apt_update_once && apt-get install -y -qq -o DPkg::Lock::Timeout=120 \"$_pkg\" ;;\n"
         "      apk) apk add --quiet \"$_pkg\" ;;\n"
         "      dnf|yum) \"$_PKG_MGR\" install -y -q \"$_pkg\" ;;\n"
         "      *) log_error \"no package manager to install $_pkg\"; false ;;\n"
         "    esac || return 1\n"
         "  done\n"
         "}\n"
         "\n"
         "run_as_user() {\n"
         "  if [ -z \"${CONTAINER_USER:-}\" ]; then log_error 'run_as_user: the container has no user with UID 1000'; return 1; fi\n"
         "  if command -v sudo >/dev/null 2>&1; then sudo -H -u \"$CONTAINER_USER\" -- \"$@\"\n"
         "  else runuser -u \"$CONTAINER_USER\" -- \"$@\"; fi\n"
         "}\n"
         "\n"
         "generate_password() {\n"
         "  LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom 2>/dev/null | head -c \"${1:-16}\" || true\n"
         "}\n"
         "\n"
         "# save_credential SERVICE KEY VALUE: /etc/infrahaus/credentials/SERVICE, mode 600, KEY replaced\n"
         "save_credential() {\n"
         "  if [ $# -ne 3 ]; then log_error 'usage: save_credential SERVICE KEY VALUE'; return 2; fi\n"
         "  case $1 in ''|*/*|.|..) log_error \"save_credential: '$1' is not a service name\"; return 2 ;; esac\n"
         "  case $2 in ''|*[!A-Za-z0-9_]*) log_error \"save_credential: '$2' is not a key\"; return 2 ;; esac\n"
         "  case $3 in *\"\n"
         "\"*) log_error \"save_credential: the value of $2 has a line break\"; return 2 ;; esac\n"
         "  _dir=/etc/infrahaus/credentials\n"
         "  (umask 077; mkdir -p \"$_dir\") || return 1\n"
         "  _tmp=$(umask 077; mktemp \"$_dir/.save.XXXXXX\") || return 1\n"
         "  if [ -f \"$_dir/$1\" ]; then grep -v \"^$2=\" \"$_dir/$1\" > \"$_tmp\" || true; fi\n"
         "  printf '%s=%s\\n' \"$2\" \"$3\" >> \"$_tmp\" && chmod 600 \"$_tmp\" && mv -f \"$_tmp\" \"$_dir/$1\"\n"
         "}\n";
}

const char *
_paddock_provision_managers_script (void)
{
  return PREAMBLE
         "for manager in apt-get apk dnf yum; do\n"
         "  command -v \"$manager\" >/dev/null 2>&1 && echo \"${manager%-get}\"\n"
         "done\n"
         "exit 0\n";
}

char *
_paddock_provision_index_script (PaddockPackageManager manager)
{
  switch (manager)
    {
    case PADDOCK_PACKAGE_APT:
      /* apt-get update exits 0 when a mirror cannot be reached unless told otherwise; another apt
       * run (one a killed job left, unattended-upgrades) is waited for. */
      return g_strdup (PREAMBLE
                       /* An apt run a killed job left behind goes on in the container: wait for it,
                        * then finish what an interrupted dpkg left half-configured. */
                       "waited=0\n"
                       "while :; do\n"
                       "  busy=''\n"
                       "  for p in /proc/[0-9]*; do\n"
                       "    case $(cat \"$p/comm\" 2>/dev/null) in apt|apt-get|dpkg|unattended-upgr) busy=1; break ;; esac\n"
                       "  done\n"
                       "  [ -z \"$busy\" ] && break\n"
                       "  [ \"$waited\" -ge 900 ] && { echo 'Another apt run is still busy after 15 minutes' >&2; exit 1; }\n"
                       "  [ \"$waited\" = 0 ] && echo 'Waiting for another apt or dpkg run to finish…'\n"
                       "  sleep 2; waited=$((waited + 2))\n"
                       "done\n"
                       "dpkg --configure -a || exit 1\n"
                       "log=$(mktemp) && status_file=$(mktemp) || exit 1\n"
                       "tries=0\n"
                       "while :; do\n"
                       "  { apt-get -o APT::Update::Error-Mode=any -o DPkg::Lock::Timeout=120 update 2>&1;"
                       " echo $? > \"$status_file\"; } | tee \"$log\"\n"
                       "  status=$(cat \"$status_file\")\n"
                       "  if [ \"$status\" != 0 ] && grep -q 'Could not get lock' \"$log\" && [ \"$tries\" -lt 40 ]; then\n"
                       "    tries=$((tries + 1)); echo 'Waiting for another apt run to finish…'; sleep 3; continue\n"
                       "  fi\n"
                       "  break\n"
                       "done\n"
                       "rm -f \"$log\" \"$status_file\"\n"
                       "exit \"$status\"\n");
    case PADDOCK_PACKAGE_APK:
      return g_strdup (PREAMBLE "apk update\n");
    case PADDOCK_PACKAGE_DNF:
      return g_strdup (PREAMBLE
                       "if command -v dnf >/dev/null 2>&1; then exec dnf -y makecache; fi\n"
                       "exec yum -y makecache\n");
    case PADDOCK_PACKAGE_NPM:
    case PADDOCK_PACKAGE_PIP:
    case PADDOCK_PACKAGE_CUSTOM:
    default:
      return NULL;
    }
}

/* How the manager writes "this version of that package". */
static char *
package_spec (const PaddockPackage *package)
{
  if (package->version == NULL || *package->version == '\0')
    return g_strdup (package->name);

  switch (package->manager)
    {
    case PADDOCK_PACKAGE_APT:
    case PADDOCK_PACKAGE_APK:
      return g_strdup_printf ("%s=%s", package->name, package->version);
    case PADDOCK_PACKAGE_DNF:
      return g_strdup_printf ("%s-%s", package->name, package->version);
    case PADDOCK_PACKAGE_NPM:
      return g_strdup_printf ("%s@%s", package->name, package->version);
    case PADDOCK_PACKAGE_PIP:
      /* pip keeps its operator with the version ("==1.2", ">=3"). */
      return g_strdup_printf ("%s%s", package->name, package->version);
    case PADDOCK_PACKAGE_CUSTOM:
    default:
      return g_strdup (package->name);
    }
}

/* Per manager: "present NAME VERSION" (0: nothing to do) and the install of the rest ("$@"). */
static const char *
install_body (PaddockPackageManager manager)
{
  switch (manager)
    {
    case PADDOCK_PACKAGE_APT:
      return "present() {\n"
             "  status=$(dpkg-query -W -f='${Status} ${Version}' \"$1\" 2>/dev/null) || return 1\n"
             "  case $status in 'install ok installed '*) ;; *) return 1 ;; esac\n"
             "  [ -z \"$2\" ] && return 0\n"
             "  case ${status#install ok installed } in $2) return 0 ;; esac\n"
             "  return 1\n"
             "}\n"
             "install() {\n"
             "  apt-get install -y -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef"
             " -o Dpkg::Options::=--force-confold \"$@\"\n"
             "}\n";
    case PADDOCK_PACKAGE_APK:
      return "present() { [ -z \"$2\" ] && apk info -e \"$1\" >/dev/null 2>&1; }\n"
             "install() { apk add \"$@\"; }\n";
    case PADDOCK_PACKAGE_DNF:
      return "present() { rpm -q \"$1${2:+-$2}\" >/dev/null 2>&1; }\n"
             "manager=dnf; command -v dnf >/dev/null 2>&1 || manager=yum\n"
             "install() { \"$manager\" install -y \"$@\"; }\n";
    case PADDOCK_PACKAGE_PIP:
      return "if command -v pip3 >/dev/null 2>&1; then pip=pip3\n"
             "elif command -v pip >/dev/null 2>&1; then pip=pip\n"
             "else echo 'pip is not installed in the container: add python3-pip to its apt packages' >&2; exit 127\n"
             "fi\n"
             "present() { [ -z \"$2\" ] && \"$pip\" show \"${1%%[*}\" >/dev/null 2>&1; }\n"
             "install() {\n"
             "  # Debian 12 and later mark their Python externally managed; outside a virtualenv, pip\n"
             "  # refuses to install unless told this is what the template wants.\n"
             "  if [ -z \"${VIRTUAL_ENV:-}\" ] && ls /usr/lib/python3*/EXTERNALLY-MANAGED >/dev/null 2>&1; then\n"
             "    \"$pip\" install --break-system-packages \"$@\"\n"
             "  else\n"
             "    \"$pip\" install \"$@\"\n"
             "  fi\n"
             "}\n";
    case PADDOCK_PACKAGE_NPM:
      return "if ! command -v npm >/dev/null 2>&1; then\n"
             "  echo 'npm is not installed in the container: add npm to its apt packages' >&2; exit 127\n"
             "fi\n"
             "present() { npm ls -g --depth=0 \"$1${2:+@$2}\" >/dev/null 2>&1; }\n"
             "install() { npm install -g \"$@\"; }\n";
    case PADDOCK_PACKAGE_CUSTOM:
    default:
      return NULL;
    }
}

char *
_paddock_provision_install_script (PaddockPackageManager   manager,
                                   GPtrArray              *packages,
                                   GError                **error)
{
  g_autoptr(GString) script = g_string_new (PREAMBLE);
  const char *body = install_body (manager);

  g_return_val_if_fail (body != NULL, NULL);

  /* Triples of NAME VERSION SPEC, each word quoted: a name never becomes code or an option. */
  g_string_append (script, "set --");
  for (guint i = 0; i < packages->len; i++)
    {
      const PaddockPackage *package = packages->pdata[i];
      g_autofree char *spec = package_spec (package);
      const char *words[] = { package->name, package->version ? package->version : "", spec };

      if (package->manager != manager || !paddock_package_validate (package, error))
        {
          if (package->manager != manager)
            g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                         "“%s” is not a %s package", package->name, paddock_package_manager_to_string (manager));
          return NULL;
        }

      for (guint w = 0; w < G_N_ELEMENTS (words); w++)
        {
          g_autofree char *quoted = quote (words[w], error);

          if (quoted == NULL)
            return NULL;
          g_string_append_printf (script, " %s", quoted);
        }
    }
  g_string_append_c (script, '\n');
  g_string_append (script, body);
  /* The triples are shifted off the front, the missing specs appended at the back. */
  g_string_append (script,
                   "count=$#\n"
                   "while [ \"$count\" -gt 0 ]; do\n"
                   "  name=$1 version=$2 spec=$3\n"
                   "  shift 3; count=$((count - 3))\n"
                   "  if present \"$name\" \"$version\"; then\n"
                   "    echo \"Already installed: $spec\"\n"
                   "  else\n"
                   "    set -- \"$@\" \"$spec\"\n"
                   "  fi\n"
                   "done\n"
                   "[ $# -eq 0 ] && exit 0\n"
                   "echo \"Installing: $*\"\n"
                   "install \"$@\"\n");

  return g_string_free (g_steal_pointer (&script), FALSE);
}

char *
_paddock_provision_custom_script (const PaddockPackage  *package,
                                  GError               **error)
{
  g_autofree char *name = NULL;
  g_autofree char *check = NULL;
  g_autofree char *install = NULL;

  if (package->manager != PADDOCK_PACKAGE_CUSTOM || !paddock_package_validate (package, error))
    {
      if (package->manager != PADDOCK_PACKAGE_CUSTOM)
        g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                     "“%s” is not a custom package", package->name);
      return NULL;
    }
  if (!(name = quote (package->name, error)) || !(check = quote (package->check_command, error))
      || !(install = quote (package->install_command, error)))
    return NULL;

  return g_strdup_printf (PREAMBLE
                          "name=%s check=%s install=%s limit=%u\n"
                          "shell=sh; command -v bash >/dev/null 2>&1 && shell=bash\n"
                          "if timeout \"$limit\" \"$shell\" -c \"$check\" >/dev/null 2>&1; then\n"
                          "  echo \"Already installed: $name\"; exit 0\n"
                          "fi\n"
                          "echo \"Installing $name\"\n"
                          "timeout \"$limit\" \"$shell\" -c \"$install\" < /dev/null\n"
                          "status=$?\n"
                          "if [ \"$status\" -eq 124 ]; then\n"
                          "  echo \"The install command of $name did not finish within $limit s\" >&2; exit 124\n"
                          "fi\n"
                          "[ \"$status\" -eq 0 ] || exit \"$status\"\n"
                          "if ! timeout \"$limit\" \"$shell\" -c \"$check\" >/dev/null 2>&1; then\n"
                          "  echo \"$name: its install command succeeded, but its check command still fails\" >&2; exit 1\n"
                          "fi\n",
                          name, check, install, package->timeout);
}

char *
_paddock_provision_run_script (const char *helpers_path,
                               const char *script_path)
{
  g_autofree char *helpers = quote (helpers_path, NULL);
  g_autofree char *script = quote (script_path, NULL);
  g_autofree char *inner = g_strdup_printf (". %s && . %s", helpers, script);
  g_autofree char *quoted_inner = quote (inner, NULL);

  /* Sourced, as infrahaus did: a script's "exit" ends it, its "set -e" applies, and it sees no
   * positional parameters of Paddock's. */
  return g_strdup_printf (PREAMBLE
                          "cd \"$HOME\" 2>/dev/null || cd /\n"
                          "if command -v bash >/dev/null 2>&1; then exec bash -c %s < /dev/null; fi\n"
                          "exec sh -c %s < /dev/null\n",
                          quoted_inner, quoted_inner);
}

char *
_paddock_provision_write_file_script (const char  *path,
                                      guint        mode,
                                      GError     **error)
{
  g_autofree char *quoted = quote (path, error);

  if (quoted == NULL)
    return NULL;

  return g_strdup_printf (PREAMBLE "umask 077\ncat > %s && chmod %04o %s\n", quoted, mode, quoted);
}

const char *
_paddock_file_outcome_to_string (PaddockFileOutcome outcome)
{
  switch (outcome)
    {
    case PADDOCK_FILE_OUTCOME_DEPLOYED:
      return "deployed";
    case PADDOCK_FILE_OUTCOME_UNCHANGED:
      return "unchanged";
    case PADDOCK_FILE_OUTCOME_KEPT:
      return "kept";
    case PADDOCK_FILE_OUTCOME_BACKED_UP:
      return "backed-up";
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
_paddock_provision_place_file_script (const char         *staged,
                                      const char         *target,
                                      PaddockFilePolicy   policy,
                                      guint               mode,
                                      GError            **error)
{
  g_autofree char *quoted_staged = NULL;
  g_autofree char *quoted_target = NULL;
  g_autofree char *quoted_policy = NULL;

  if (target == NULL || target[0] != '/' || mode > 07777)
    {
      g_set_error (error, PADDOCK_TEMPLATE_ERROR, PADDOCK_TEMPLATE_ERROR_INVALID,
                   "“%s” (mode %o) is not an absolute file path with a file mode", target ? target : "", mode);
      return NULL;
    }
  if (!(quoted_staged = quote (staged, error)) || !(quoted_target = quote (target, error))
      || !(quoted_policy = quote (paddock_file_policy_to_string (policy), error)))
    return NULL;

  return g_strdup_printf (PREAMBLE
                          "set -e\n"
                          "staged=%s target=%s policy=%s mode=%04o\n"
                          /* The content comes on standard input: one command per file. */
                          "trap 'rm -f -- \"$staged\"' EXIT\n"
                          "(umask 077; cat > \"$staged\")\n"
                          "dir=${target%%/*}; [ -n \"$dir\" ] || dir=/\n"
                          "same() {\n"
                          "  if command -v cmp >/dev/null 2>&1; then cmp -s -- \"$1\" \"$2\"\n"
                          "  else [ \"$(sha256sum < \"$1\")\" = \"$(sha256sum < \"$2\")\" ]; fi\n"
                          "}\n"
                          /* Directories it makes belong to the owner of the one they are made in. */
                          "existing=$dir\n"
                          "while [ ! -d \"$existing\" ]; do existing=${existing%%/*}; [ -n \"$existing\" ] || existing=/; done\n"
                          "owner=$(stat -c %%u:%%g -- \"$existing\")\n"
                          "mkdir -p -- \"$dir\"\n"
                          "made=$dir\n"
                          "while [ \"$made\" != \"$existing\" ]; do chown -- \"$owner\" \"$made\"; made=${made%%/*};"
                          " [ -n \"$made\" ] || made=/; done\n"
                          "if [ -d \"$target\" ] && [ ! -L \"$target\" ]; then\n"
                          "  echo \"$target is a directory\" >&2; exit 1\n"
                          "fi\n"
                          "if [ -e \"$target\" ] || [ -L \"$target\" ]; then\n"
                          "  if [ -f \"$target\" ] && same \"$staged\" \"$target\"; then\n"
                          "    rm -f -- \"$staged\"; echo 'paddock-file: unchanged'; exit 0\n"
                          "  fi\n"
                          "  case $policy in\n"
                          "    default) rm -f -- \"$staged\"; echo 'paddock-file: kept'; exit 0 ;;\n"
                          "    backup)\n"
                          "      backup=$target.backup-$(date +%%Y%%m%%d-%%H%%M%%S); base=$backup; n=1\n"
                          "      while [ -e \"$backup\" ] || [ -L \"$backup\" ]; do backup=$base.$n; n=$((n + 1)); done\n"
                          "      mv -- \"$target\" \"$backup\"\n"
                          "      ;;\n"
                          "  esac\n"
                          "fi\n"
                          "chown -- \"$(stat -c %%u:%%g -- \"$dir\")\" \"$staged\"\n"
                          "chmod -- \"$mode\" \"$staged\"\n"
                          "mv -f -- \"$staged\" \"$target\"\n"
                          "if [ -n \"${backup:-}\" ]; then echo \"paddock-file: backed-up $backup\";"
                          " else echo 'paddock-file: deployed'; fi\n",
                          quoted_staged, quoted_target, quoted_policy, mode ? mode : 0644);
}

gboolean
_paddock_provision_parse_file_outcome (const char          *output,
                                       PaddockFileOutcome  *outcome,
                                       char               **backup)
{
  const char *line = output ? g_strrstr (output, "paddock-file: ") : NULL;
  g_autofree char *word = NULL;

  if (backup != NULL)
    *backup = NULL;
  if (line == NULL)
    return FALSE;

  line += strlen ("paddock-file: ");
  word = g_strndup (line, strcspn (line, " \n"));
  for (PaddockFileOutcome candidate = PADDOCK_FILE_OUTCOME_DEPLOYED; candidate <= PADDOCK_FILE_OUTCOME_BACKED_UP;
       candidate++)
    {
      if (g_str_equal (word, _paddock_file_outcome_to_string (candidate)))
        {
          *outcome = candidate;
          if (candidate == PADDOCK_FILE_OUTCOME_BACKED_UP && backup != NULL && line[strlen (word)] == ' ')
            {
              const char *path = line + strlen (word) + 1;

              *backup = g_strndup (path, strcspn (path, "\n"));
            }
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
_paddock_provision_is_apt_failure (const char *line)
{
  return line != NULL && (g_str_has_prefix (line, "E: ") || g_str_has_prefix (line, "Err:"));
}
