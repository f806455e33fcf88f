# shellcheck shell=bash
# The lab pct's backend for real containers (sourced by pct): systemd-nspawn on an overlayfs upper
# layer over the cached Debian rootfs (tests/lab/rootfs), on the lab's private bridge (lab-net).
# The host's PID 1 is not systemd, so nspawn runs with --register=no --keep-unit in cgroups of its
# own, and commands enter with nsenter. A container is <LAB_STATE>/ct/<vmid>/ with:
#   real               marker; holds the base (lower layer) it was made from
#   upper/ work/       the overlay's layers; rootfs/ the merged tree, mounted from create to destroy
#   address            IPv4 CIDR and gateway it was given; hwaddr its MAC
#   nspawn.pid         "PID STARTTIME" of systemd-nspawn while it runs; leader.pid the same of the
#                      container's PID 1 (the start time guards against a reused PID)
#   cgroups            "controller directory" lines (accounting for pve-sim, removed on destroy)
#   veth               the host side of its network interface; console.log what its console printed

real_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
boot_timeout=${LAB_BOOT_TIMEOUT:-60}

# The lab's network (lab-net) and base (rootfs): LAB_BRIDGE, LAB_PREFIX, LAB_GATEWAY, REAL_BASE…
load_lab_env() {
  [ -f "$state/net.env" ] && [ -f "$state/real.env" ] ||
    die "real containers are not set up in this lab (lab-up --real)"
  # shellcheck disable=SC1091
  . "$state/net.env"
  # shellcheck disable=SC1091
  . "$state/real.env"
  lab_index=${LAB_PREFIX##*.}
}

# "PID STARTTIME" of a live process, or nothing.
proc_identity() {
  local pid=$1 stat
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  [ "$1" != Z ] || return 1
  printf '%s %s\n' "$pid" "${20}"
}

# Succeeds when the process recorded in FILE is the one still running.
recorded_alive() {
  local file=$1 pid start
  [ -f "$file" ] || return 1
  read -r pid start < "$file" || return 1
  [ "$(proc_identity "$pid" 2>/dev/null)" = "$pid $start" ]
}

recorded_pid() {
  local pid start
  read -r pid start < "$1" && printf '%s' "$pid"
}

real_running() {
  recorded_alive "$dir/nspawn.pid" && recorded_alive "$dir/leader.pid"
}

# Runs a command inside the container's namespaces, with a clean environment.
in_container() {
  local leader
  leader=$(recorded_pid "$dir/leader.pid")
  nsenter -t "$leader" -a -W /root -- env -i PATH="$real_path" HOME=/root LANG=C.UTF-8 "$@"
}

# The template volid → the base it unpacks to (sets base). Only Debian 12 is cached here.
real_base_for() {
  local volid=$1 file=${1#*:vztmpl/}
  case "$file" in
    debian-12-standard_*_amd64.tar.zst) base=$REAL_BASE ;;
    *) die "unable to create CT $vmid - the lab boots only debian-12-standard as a real container (got '$volid')" ;;
  esac
}

# Parses a netN value (name=eth0,bridge=vmbr0,ip=dhcp|CIDR,gw=GW,ip6=…,hwaddr=…) into net_* variables.
parse_net() {
  local item
  net_name=eth0 net_bridge="" net_ip="" net_gw="" net_ip6="" net_gw6="" net_hwaddr=""
  IFS=, read -ra items <<< "$1"
  for item in "${items[@]}"; do
    case "$item" in
      name=*) net_name=${item#name=} ;;
      bridge=*) net_bridge=${item#bridge=} ;;
      ip=*) net_ip=${item#ip=} ;;
      gw=*) net_gw=${item#gw=} ;;
      ip6=*) net_ip6=${item#ip6=} ;;
      gw6=*) net_gw6=${item#gw6=} ;;
      hwaddr=*) net_hwaddr=${item#hwaddr=} ;;
    esac
  done
  [[ $net_name =~ ^[a-z][a-z0-9]{0,14}$ ]] || die "invalid interface name '$net_name'"
}

# The next free address on the lab bridge (its DHCP, in effect), under the lab's lock.
allocate_address() {
  local prefix=$1 host taken
  taken=$(cat "$state"/ct/*/address 2>/dev/null | cut -d/ -f1)
  for host in $(seq 10 250); do
    grep -qxF "$prefix.$host" <<< "$taken" || { printf '%s.%s/24' "$prefix" "$host"; return 0; }
  done
  die "no free address left in $prefix.0/24"
}

real_create() {
  local ostemplate=$1; shift
  local hostname="CT$vmid" net0="" nameserver="" searchdomain="" keys_file="" base
  while [ $# -gt 0 ]; do
    case "$1" in
      --hostname) hostname=$2 ;;
      --net0) net0=$2 ;;
      --nameserver) nameserver=$2 ;;
      --searchdomain) searchdomain=$2 ;;
      --ssh-public-keys) keys_file=$2 ;;
      --password) die "400 Parameter verification failed.
password: give it in LAB_CT_PASSWORD, never on the command line" ;;
      --*) ;; # memory, cores, tags…: pve-sim keeps them in the container's config
      *) die "400 too many arguments" ;;
    esac
    shift 2 || die "400 Parameter verification failed.
$1: missing value"
  done
  [[ $hostname =~ ^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$ ]] ||
    die "400 Parameter verification failed.
hostname: value does not match the regex pattern"
  [ ! -e "$dir/real" ] || die "CT $vmid already exists on node '$node'"
  load_lab_env
  real_base_for "$ostemplate"
  [ -d "$base" ] || die "volume '$ostemplate' does not exist"

  local address gateway hwaddr
  parse_net "${net0:-name=eth0,bridge=vmbr0,ip=dhcp}"
  [ "$net_name" = eth0 ] || die "the lab's containers have one interface, eth0 (got '$net_name')"
  hwaddr=${net_hwaddr:-$(printf 'bc:24:11:%02x:%02x:%02x' $(((vmid >> 16) & 255)) $(((vmid >> 8) & 255)) $((vmid & 255)))}
  exec 6> "$state/ct.lock"
  flock 6
  mkdir -p "$dir"
  case "$net_ip" in
    dhcp|"") address=$(allocate_address "$LAB_PREFIX"); gateway=$LAB_GATEWAY ;;
    manual) address="" gateway="" ;;
    *)
      [[ $net_ip =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$ ]] || die "unable to parse ip address '$net_ip'"
      address=$net_ip gateway=$net_gw
      grep -qxF "${address%/*}" <<< "$(cat "$state"/ct/*/address 2>/dev/null | cut -d/ -f1)" &&
        echo "WARN: address ${address%/*} is used by another container of this lab"
      case "$address" in
        "$LAB_PREFIX".*) ;;
        *) echo "WARN: $address is outside the lab's network $LAB_SUBNET; the lab host cannot reach it" ;;
      esac
      ;;
  esac
  printf '%s %s\n' "$address" "$gateway" > "$dir/address"
  flock -u 6
  exec 6>&-

  echo "extracting archive '/var/lib/vz/template/cache/${ostemplate#*:vztmpl/}'"
  # A create that fails half-way leaves nothing behind (Proxmox removes the volume and config).
  creating=1
  exit_actions+=('[ "$creating" = 1 ] && { remove_real_container > /dev/null; rm -f "$dir/address"; }')
  mkdir -p "$dir/upper" "$dir/work" "$dir/rootfs"
  mountpoint -q "$dir/rootfs" ||
    mount -t overlay "paddock-ct$vmid" -o "lowerdir=$base,upperdir=$dir/upper,workdir=$dir/work" "$dir/rootfs" ||
    die "unable to mount the container's root file system"
  echo "Total bytes read: $(du -sb "$base" 2>/dev/null | cut -f1) ($(du -sh "$base" | cut -f1)iB)"
  echo "Detected container architecture: amd64"

  # The container's identity and configuration, written before it first boots (Proxmox's
  # setup_init/set_hostname/setup_network do the same on a fresh root file system).
  local root=$dir/rootfs
  printf '%s\n' "$hostname" > "$root/etc/hostname"
  printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n127.0.1.1 %s\n' "$hostname" > "$root/etc/hosts"
  tr -d '-' < /proc/sys/kernel/random/uuid > "$root/etc/machine-id"
  printf '%s\n' "$hwaddr" > "$dir/hwaddr"
  {
    printf '[Match]\nName=eth0\n\n[Link]\nMACAddress=%s\n\n[Network]\n' "$hwaddr"
    [ -n "$address" ] && printf 'Address=%s\n' "$address"
    [ -n "$gateway" ] && printf 'Gateway=%s\n' "$gateway"
    case "$net_ip6" in
      auto) printf 'IPv6AcceptRA=yes\n' ;;
      dhcp) printf 'DHCP=ipv6\n' ;;
      ""|manual) printf 'IPv6AcceptRA=no\n' ;;
      *) printf 'IPv6AcceptRA=no\nAddress=%s\n' "$net_ip6"; [ -n "$net_gw6" ] && printf 'Gateway=%s\n' "$net_gw6" ;;
    esac
    printf 'LinkLocalAddressing=ipv6\n'
  } > "$root/etc/systemd/network/10-eth0.network"
  {
    [ -n "$searchdomain" ] && printf 'search %s\n' "$searchdomain"
    if [ -n "$nameserver" ]; then
      for ns in $nameserver; do printf 'nameserver %s\n' "$ns"; done
    else
      grep -E '^(nameserver|search|options) ' /etc/resolv.conf
    fi
  } > "$root/etc/resolv.conf"
  # The lab host's own certificate authorities (a TLS-inspecting proxy on the way to the package
  # registries, as in many company networks): a container trusts what its host trusts, or npm,
  # pip and curl inside fail with "self-signed certificate in certificate chain".
  local ca
  for ca in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$ca" ] || continue
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp -- "$ca" "$root/usr/local/share/ca-certificates/"
    [ -f "$root/etc/ssl/certs/ca-certificates.crt" ] && cat -- "$ca" >> "$root/etc/ssl/certs/ca-certificates.crt"
  done
  if [ -n "${LAB_CT_PASSWORD:-}" ]; then
    local hash
    hash=$(printf '%s' "$LAB_CT_PASSWORD" | openssl passwd -6 -stdin) || die "unable to hash the root password"
    awk -v hash="$hash" 'BEGIN { FS = OFS = ":" } $1 == "root" { $2 = hash } { print }' "$root/etc/shadow" \
      > "$root/etc/shadow.new" && cat "$root/etc/shadow.new" > "$root/etc/shadow" && rm -f "$root/etc/shadow.new"
  fi
  if [ -n "$keys_file" ]; then
    [ -r "$keys_file" ] || die "unable to read ssh public keys file '$keys_file'"
    mkdir -p -m 0700 "$root/root/.ssh"
    cat "$keys_file" > "$root/root/.ssh/authorized_keys"
    chmod 0600 "$root/root/.ssh/authorized_keys"
  fi
  printf '%s\n' "$base" > "$dir/real"
  printf 'stopped\n' > "$dir/status.tmp" && mv "$dir/status.tmp" "$dir/status"
  printf '%s' "$node" > "$dir/node"
  creating=0
}

# Puts the calling shell into cgroups of this container's own, so that nspawn (which keeps the
# unit it was started in) does not share its payload/supervisor groups with other containers, and
# pve-sim can read the container's CPU and memory.
enter_cgroups() {
  local name="paddock-lab-$lab_index-$vmid" hierarchy controller current target memberships
  # Read once: /proc/self/cgroup changes under the loop as the shell moves.
  memberships=$(cat /proc/self/cgroup)
  : > "$dir/cgroups"
  while IFS=: read -r _ controller current; do
    case "$controller" in
      name=systemd) hierarchy=/sys/fs/cgroup/systemd ;;
      "") hierarchy=/sys/fs/cgroup; [ -f /sys/fs/cgroup/cgroup.controllers ] || hierarchy=/sys/fs/cgroup/unified ;;
      memory|cpuacct|cpu,cpuacct) hierarchy=/sys/fs/cgroup/$controller ;;
      *) continue ;;
    esac
    [ -d "$hierarchy" ] || continue
    target="$hierarchy${current%/}/$name"
    mkdir -p "$target" 2>/dev/null || continue
    echo "$BASHPID" > "$target/cgroup.procs" 2>/dev/null || continue
    echo "${controller:-unified} $target" >> "$dir/cgroups"
  done <<< "$memberships"
}

set_memory_limit() {
  local megabytes=$1 controller target
  [ -n "$megabytes" ] || return 0
  while read -r controller target; do
    case "$controller" in
      memory) echo $((megabytes << 20)) > "$target/memory.limit_in_bytes" 2>/dev/null || true ;;
      unified) [ -f "$target/memory.max" ] && echo $((megabytes << 20)) > "$target/memory.max" 2>/dev/null || true ;;
    esac
  done < "$dir/cgroups"
}

config_value() {
  sed -n "s/^$1: //p" "$dir/config" 2>/dev/null | head -n 1
}

real_start() {
  real_running && die "CT $vmid already running"
  local hostname veth nspawn_pid leader="" deadline boot_state machine
  load_lab_env
  mountpoint -q "$dir/rootfs" ||
    mount -t overlay "paddock-ct$vmid" -o "lowerdir=$(cat "$dir/real"),upperdir=$dir/upper,workdir=$dir/work" "$dir/rootfs" ||
    die "unable to mount the container's root file system"
  hostname=$(cat "$dir/rootfs/etc/hostname" 2>/dev/null || echo "CT$vmid")
  machine="pdk$lab_index-$vmid"
  veth="pv$lab_index-$vmid"
  rm -f "$dir/leader.pid" "$dir/nspawn.pid"

  # nspawn runs detached in its own session and cgroups; the subshell records its identity.
  (
    enter_cgroups
    set_memory_limit "$(config_value memory)"
    exec setsid systemd-nspawn --quiet --boot --directory="$dir/rootfs" --machine="$machine" \
      --hostname="$hostname" --register=no --keep-unit --link-journal=no --resolv-conf=off \
      --timezone=off --network-veth-extra="$veth:eth0" \
      > "$dir/console.log" 2>&1 < /dev/null
  ) &
  nspawn_pid=$!
  proc_identity "$nspawn_pid" > "$dir/nspawn.pid" || die "systemd-nspawn did not start (see $dir/console.log)"
  printf '%s\n' "$veth" > "$dir/veth"

  # The container's PID 1 is the descendant of nspawn that is PID 1 in its own namespace (many
  # containers starting at once on two cores take their time).
  deadline=$((SECONDS + 30))
  while [ -z "$leader" ] && [ $SECONDS -lt $deadline ]; do
    recorded_alive "$dir/nspawn.pid" || break
    local candidate
    for candidate in $(cat /proc/"$nspawn_pid"/task/*/children 2>/dev/null) \
                     $(cat /proc/"$nspawn_pid"/task/*/children 2>/dev/null | while read -r c; do
                         for child in $c; do cat /proc/"$child"/task/*/children 2>/dev/null; done; done); do
      if awk '$1 == "NSpid:" && $NF == 1 { found = 1 } END { exit !found }' "/proc/$candidate/status" 2>/dev/null; then
        leader=$candidate
        break
      fi
    done
    [ -n "$leader" ] || sleep 0.02
  done
  if [ -z "$leader" ]; then
    tail -n 5 "$dir/console.log" >&2
    real_kill
    die "startup for container '$vmid' failed"
  fi
  proc_identity "$leader" > "$dir/leader.pid"
  # nspawn makes the veth pair while the container's PID 1 waits for it.
  deadline=$((SECONDS + 30))
  until ip link set "$veth" master "$LAB_BRIDGE" up 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { real_kill; die "unable to add $veth to the lab bridge $LAB_BRIDGE"; }
    sleep 0.02
  done

  # Running means systemd finished booting (running, or degraded when a unit failed).
  deadline=$((SECONDS + boot_timeout))
  boot_state=""
  while [ $SECONDS -lt $deadline ]; do
    real_running || break
    boot_state=$(timeout $((deadline - SECONDS + 1)) nsenter -t "$leader" -a -- env -i PATH="$real_path" \
              systemctl is-system-running --wait 2>/dev/null) || true
    case "$boot_state" in
      running|degraded) break ;;
    esac
    sleep 0.1
  done
  case "$boot_state" in
    running|degraded) ;;
    *)
      tail -n 5 "$dir/console.log" >&2
      real_kill
      die "startup for container '$vmid' failed: systemd did not finish booting in ${boot_timeout} s (${boot_state:-no answer})"
      ;;
  esac
  printf 'running\n' > "$dir/status.tmp" && mv "$dir/status.tmp" "$dir/status"
}

# Waits for nspawn to exit; fails after SECONDS seconds.
wait_nspawn_exit() {
  local limit=$1 deadline=$((SECONDS + $1))
  while recorded_alive "$dir/nspawn.pid"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.05
  done
  return 0
}

# Kills the container at once: its PID 1 (the kernel then kills every process of its PID
# namespace), then nspawn if it is still there. Only recorded, verified PIDs.
real_kill() {
  recorded_alive "$dir/leader.pid" && kill -KILL "$(recorded_pid "$dir/leader.pid")" 2>/dev/null
  wait_nspawn_exit 5 || { recorded_alive "$dir/nspawn.pid" && kill -KILL "$(recorded_pid "$dir/nspawn.pid")"; }
  wait_nspawn_exit 5 || true
  real_stopped
}

real_stopped() {
  rm -f "$dir/leader.pid" "$dir/nspawn.pid"
  printf 'stopped\n' > "$dir/status.tmp" && mv "$dir/status.tmp" "$dir/status"
}

real_shutdown() {
  local timeout=60 force=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --timeout) timeout=$2; shift 2 ;;
      --forceStop) force=$2; shift 2 ;;
      *) die "400 Parameter verification failed.
$1: property is not defined in schema and the schema does not allow additional properties" ;;
    esac
  done
  real_running || die "CT $vmid not running"
  # SIGRTMIN+4 asks systemd to power off, as lxc-stop does for a systemd container.
  kill -s RTMIN+4 "$(recorded_pid "$dir/leader.pid")" 2>/dev/null
  if ! wait_nspawn_exit "$timeout"; then
    if [ "$force" = 1 ]; then
      real_kill
      return 0
    fi
    die "command 'lxc-stop -n $vmid --nokill --timeout $timeout' failed: exit code 1"
  fi
  real_stopped
}

real_stop() {
  real_running || die "CT $vmid not running"
  real_kill
}

real_destroy() {
  [ -e "$dir/real" ] || die "Configuration file 'nodes/$node/lxc/$vmid.conf' does not exist"
  real_running && die "unable to destroy CT $vmid - container is running"
  remove_real_container
}

# The processes still in the container's own cgroup (its PID namespace may take a moment to die).
cgroup_members() {
  local controller target
  [ -f "$dir/cgroups" ] || return 0
  while read -r controller target; do
    [ "$controller" = name=systemd ] && [ -d "$target" ] && find "$target" -name cgroup.procs -exec cat {} + 2>/dev/null
  done < "$dir/cgroups"
}

# Everything a real container left on the host: processes, mount, layers, cgroups (deepest first).
remove_real_container() {
  local controller target members deadline=$((SECONDS + 5))
  while members=$(cgroup_members) && [ -n "$members" ]; do
    if [ $SECONDS -ge $deadline ]; then
      # shellcheck disable=SC2086
      kill -KILL $members 2>/dev/null
      sleep 0.1
      [ $SECONDS -ge $((deadline + 5)) ] && break
    else
      sleep 0.05
    fi
  done
  mountpoint -q "$dir/rootfs" && { umount "$dir/rootfs" || umount -l "$dir/rootfs"; }
  if [ -f "$dir/cgroups" ]; then
    while read -r controller target; do
      [ -d "$target" ] && find "$target" -depth -type d -exec rmdir {} \; 2>/dev/null
    done < "$dir/cgroups"
  fi
  rm -rf "$dir/upper" "$dir/work" "$dir/rootfs"
  rm -f "$dir/real" "$dir/status" "$dir/address" "$dir/hwaddr" "$dir/veth" "$dir/cgroups" \
        "$dir/leader.pid" "$dir/nspawn.pid"
  echo "  Logical volume \"vm-$vmid-disk-0\" successfully removed."
}

# lab-down: asks the container to stop (SIGTERM makes nspawn power it off), and returns; then
# real_teardown_finish waits up to a few seconds, kills what is left and removes everything.
real_teardown_begin() {
  recorded_alive "$dir/nspawn.pid" && kill -TERM "$(recorded_pid "$dir/nspawn.pid")" 2>/dev/null
  return 0
}

real_teardown_finish() {
  wait_nspawn_exit "${1:-5}" || real_kill
  real_stopped
  remove_real_container > /dev/null
}

# pct push/pull: the file is opened inside the container's own mount namespace, so a path (or a
# symlink in it) always means the container's file, never the host's.
real_push() {
  local src=$1 dest=$2 perms=$3 owner=$4
  real_running || die "CT $vmid not running"
  [ -f "$src" ] && [ -r "$src" ] || die "can't open '$src' - No such file or directory"
  in_container /bin/sh -c 'umask 022; exec cat > "$1"' push "$dest" < "$src" 2>/dev/null ||
    die "unable to open file '$dest' - No such file or directory"
  if [ -n "$perms" ]; then
    [[ $perms =~ ^0?[0-7]{3,4}$ ]] || die "invalid perms '$perms'"
    in_container chmod "$perms" "$dest" || die "unable to set permissions of '$dest'"
  fi
  if [ -n "$owner" ]; then
    in_container chown "$owner" "$dest" 2>/dev/null || die "unable to change owner of '$dest'"
  fi
}

real_pull() {
  local path=$1 dest=$2
  real_running || die "CT $vmid not running"
  in_container /bin/sh -c 'exec cat < "$1"' pull "$path" > "$dest.pct-tmp" 2>/dev/null ||
    { rm -f "$dest.pct-tmp"; die "unable to open file '$path' - No such file or directory"; }
  mv -- "$dest.pct-tmp" "$dest"
}

real_exec() {
  real_running || die "CT $vmid not running"
  in_container "$@"
}

real_enter() {
  real_running || die "CT $vmid not running"
  in_container TERM="${TERM:-xterm-256color}" /bin/bash --login
}

# What a real container's status is, reconciled with its processes: a container whose nspawn
# died (kill -9) is stopped, and anything left of it is killed.
real_status() {
  if [ "$(cat "$dir/status" 2>/dev/null)" = running ] && ! real_running; then
    real_kill
  fi
  cat "$dir/status"
}
