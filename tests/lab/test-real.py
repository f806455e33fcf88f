#!/usr/bin/env python3
"""The lab's real containers, end to end: created and driven through pve-sim's API over HTTPS,
entered with the node's pct, reached over their own network. systemd, apt, ss and journald in them
are real. Prints TAP; says SKIP (with lab-up's reason) only where real containers cannot run."""

import concurrent.futures
import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"

lab = {}
tests = []


def test(func):
    tests.append(func)
    return func


def api(method, path, params=None):
    url = urllib.parse.urlparse(lab["PVE_URL"])
    context = ssl.create_default_context(cafile=lab["PVE_CA"])
    conn = http.client.HTTPSConnection(url.hostname, url.port, context=context, timeout=60)
    headers = {"Authorization": "PVEAPIToken=" + lab["PVE_TOKEN"]}
    body = None
    if params and method in ("GET", "DELETE"):
        path += "?" + urllib.parse.urlencode(params)
    elif params:
        body = urllib.parse.urlencode(params)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, "/api2/json" + path, body=body, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    payload = json.loads(raw) if raw else None
    return response.status, response.reason, payload


def ok(method, path, params=None):
    status, reason, payload = api(method, path, params)
    assert status == 200, f"{method} {path}: {status} {reason} {payload}"
    return payload["data"]


def wait_task(upid, timeout=120):
    quoted = urllib.parse.quote(upid, safe="")
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = ok("GET", f"/nodes/pve1/tasks/{quoted}/status")
        if status["status"] == "stopped":
            log = ok("GET", f"/nodes/pve1/tasks/{quoted}/log", {"limit": 0})
            return status["exitstatus"], [entry["t"] for entry in log]
        time.sleep(0.1)
    raise AssertionError(f"task {upid} did not finish in {timeout} s")


def run_task(method, path, params=None, expect="OK"):
    exitstatus, log = wait_task(ok(method, path, params))
    if expect is not None:
        assert exitstatus == expect, f"{method} {path}: {exitstatus}\n" + "\n".join(log)
    return exitstatus, log


def create(vmid, hostname, start=True, **extra):
    params = {"vmid": str(vmid), "ostemplate": TEMPLATE, "hostname": hostname, "memory": "256",
              "rootfs": "local-lvm:4", "net0": "name=eth0,bridge=vmbr0,ip=dhcp",
              "password": "lab-root-password", "start": "1" if start else "0"}
    params.update(extra)
    return run_task("POST", "/nodes/pve1/lxc", params)


def pct(*args, stdin=None, timeout=300):
    env = dict(os.environ, LAB_STATE=lab["LAB_STATE"], LAB_NODE="pve1")
    return subprocess.run([os.path.join(HERE, "node", "pct"), *args], env=env, capture_output=True, text=True,
                          input=stdin, timeout=timeout)


def inside(vmid, script, timeout=300):
    return pct("exec", str(vmid), "--", "sh", "-c", script, timeout=timeout)


def status(vmid):
    return ok("GET", f"/nodes/pve1/lxc/{vmid}/status/current")


def address(vmid):
    for interface in ok("GET", f"/nodes/pve1/lxc/{vmid}/interfaces"):
        if interface["name"] == "eth0":
            return interface["inet"].split("/")[0]
    raise AssertionError(f"CT {vmid} has no eth0 in /interfaces")


def ct_dir(vmid):
    return os.path.join(lab["LAB_STATE"], "ct", str(vmid))


def recorded_pid(vmid, name):
    with open(os.path.join(ct_dir(vmid), name)) as f:
        return int(f.read().split()[0])


# ------------------------------------------------------------------------------------------------

@test
def a_created_container_boots_systemd():
    create(200, "web", start=False)
    assert status(200)["status"] == "stopped"
    run_task("POST", "/nodes/pve1/lxc/200/status/start")
    assert status(200)["status"] == "running"
    # "running" is reported only once systemd finished booting.
    state = inside(200, "systemctl is-system-running")
    assert state.stdout.strip() in ("running", "degraded"), state
    assert inside(200, "cat /proc/1/comm").stdout.strip() == "systemd"
    assert inside(200, "hostname").stdout.strip() == "web"
    config = ok("GET", "/nodes/pve1/lxc/200/config")
    assert config["hostname"] == "web" and config["memory"] == 256 and "lock" not in config, config


@test
def apt_installs_nginx_that_answers_at_its_address():
    update = inside(200, "apt-get update -q -o APT::Update::Error-Mode=any")
    assert update.returncode == 0, update.stdout + update.stderr
    install = inside(200, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx")
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr
    assert inside(200, "systemctl is-active nginx").stdout.strip() == "active"
    ip = address(200)
    assert ip.startswith(lab["REAL_SUBNET"].rsplit(".", 1)[0] + "."), (ip, lab["REAL_SUBNET"])
    with urllib.request.urlopen(f"http://{ip}/", timeout=10) as response:
        assert response.status == 200 and b"nginx" in response.read()


@test
def an_unreachable_mirror_is_an_error_only_with_error_mode_any():
    # The gateway's port 9 refuses connections: apt alone says W: and exits 0 (the trap), with
    # APT::Update::Error-Mode=any it fails.
    broken = f"deb http://{lab['REAL_GATEWAY']}:9/debian bookworm main"
    options = "-o Dir::Etc::sourcelist=/tmp/broken.list -o Dir::Etc::sourceparts=- -o Acquire::Retries=0"
    plain = inside(200, f"echo '{broken}' > /tmp/broken.list; apt-get update {options}")
    assert plain.returncode == 0 and "W:" in plain.stdout + plain.stderr, plain
    strict = inside(200, f"apt-get update {options} -o APT::Update::Error-Mode=any")
    assert strict.returncode != 0 and "E:" in strict.stdout + strict.stderr, strict


@test
def ss_inside_lists_only_the_containers_sockets():
    listening = inside(200, "ss -Htlnp")
    assert listening.returncode == 0, listening
    lines = listening.stdout.strip().splitlines()
    local = [line.split()[3] for line in lines]
    assert "0.0.0.0:80" in local and "[::]:80" in local, lines
    # Nothing of the host: not the node's sshd, not pve-sim.
    for port in (lab["SSH_PORT"], urllib.parse.urlparse(lab["PVE_URL"]).port):
        assert not any(entry.endswith(f":{port}") for entry in local), (port, lines)
    assert all("nginx" in line for line in lines), lines


@test
def the_journal_has_nginx():
    journal = inside(200, "journalctl -u nginx --no-pager -o short-iso")
    assert journal.returncode == 0 and "nginx" in journal.stdout, journal
    assert "-- No entries --" not in journal.stdout


@test
def status_and_rrddata_measure_the_real_container():
    current = status(200)
    assert current["status"] == "running" and current["uptime"] >= 1, current
    assert 0 < current["mem"] < current["maxmem"] == 256 << 20, current
    assert 0 <= current["cpu"] <= 1 and current["disk"] > 0, current
    # pid is the container's PID 1 on the host.
    with open(f"/proc/{current['pid']}/status") as f:
        nspid = [line for line in f if line.startswith("NSpid:")][0].split()
    assert nspid[-1] == "1", nspid
    time.sleep(4.5)  # two more samples
    rows = ok("GET", "/nodes/pve1/lxc/200/rrddata", {"timeframe": "hour", "cf": "AVERAGE"})
    assert len(rows) == 60
    measured = [row for row in rows if "cpu" in row]
    assert measured and all(row["mem"] > 0 for row in measured), rows[-3:]
    assert set(rows[0]) >= {"time", "maxcpu", "maxmem", "maxdisk"}
    week = ok("GET", "/nodes/pve1/lxc/200/rrddata", {"timeframe": "week", "cf": "MAX"})
    assert len(week) == 336 and any("cpu" in row for row in week)
    interfaces = {i["name"]: i for i in ok("GET", "/nodes/pve1/lxc/200/interfaces")}
    assert interfaces["lo"]["inet"] == "127.0.0.1/8"
    assert interfaces["eth0"]["inet6"].startswith("fe80::"), interfaces
    assert interfaces["eth0"]["hwaddr"] == "bc:24:11:00:00:c8", interfaces


@test
def push_through_a_symlink_stays_in_the_container():
    marker = f"paddock-push-{os.getpid()}"
    setup = inside(200, "ln -sfn /etc /root/etc-link && ln -sfn / /root/root-link && mkdir -p /root/dir")
    assert setup.returncode == 0, setup
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write("pushed\n")
        source = f.name
    try:
        for destination, expected in ((f"/root/etc-link/{marker}", f"/etc/{marker}"),
                                      (f"/root/root-link/tmp/{marker}", f"/tmp/{marker}"),
                                      (f"/root/dir/../../../../tmp/{marker}-2", f"/tmp/{marker}-2")):
            pushed = pct("push", "200", source, destination, "--perms", "0640")
            assert pushed.returncode == 0, pushed
            assert inside(200, f"cat {expected}").stdout == "pushed\n", expected
            assert inside(200, f"stat -c %a {expected}").stdout.strip() == "640"
            # The host's /etc and /tmp never saw it.
            assert not os.path.exists(expected), expected
        pulled = os.path.join(tempfile.gettempdir(), marker + ".pulled")
        assert pct("pull", "200", f"/root/etc-link/{marker}", pulled).returncode == 0
        with open(pulled) as f:
            assert f.read() == "pushed\n"
        os.unlink(pulled)
        missing = pct("push", "200", source, "/no/such/dir/file")
        assert missing.returncode != 0 and "No such file or directory" in missing.stderr, missing
    finally:
        os.unlink(source)


@test
def exit_status_and_stdin_pass_through_exec():
    assert pct("exec", "200", "--", "sh", "-c", "exit 7").returncode == 7
    assert pct("exec", "200", "--", "cat", stdin="through stdin\n").stdout == "through stdin\n"
    assert pct("exec", "200", "--", "sh", "-c", "echo $PATH").stdout.startswith("/usr/local/sbin:")


@test
def enter_gives_a_shell_on_a_terminal():
    import pty
    import select
    env = dict(os.environ, LAB_STATE=lab["LAB_STATE"], LAB_NODE="pve1", TERM="xterm")
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(os.path.join(HERE, "node", "pct"), ["pct", "enter", "200"], env)
    os.write(fd, b"stty size; echo answer-$((6*7)) $(cat /proc/1/comm); exit 3\n")
    output = b""
    deadline = time.time() + 15
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    _, wait_status = os.waitpid(pid, 0)
    assert b"answer-42 systemd" in output, output
    assert os.waitstatus_to_exitcode(wait_status) == 3, (wait_status, output)


@test
def shutdown_stop_and_destroy():
    exitstatus, _ = run_task("POST", "/nodes/pve1/lxc/200/status/shutdown", {"timeout": "20"})
    assert status(200)["status"] == "stopped"
    assert not os.path.exists(f"/proc/{recorded_pid_or_zero(200)}") or recorded_pid_or_zero(200) == 0
    run_task("POST", "/nodes/pve1/lxc/200/status/start")
    leader = status(200)["pid"]
    run_task("POST", "/nodes/pve1/lxc/200/status/reboot")
    assert status(200)["status"] == "running" and status(200)["pid"] != leader
    run_task("POST", "/nodes/pve1/lxc/200/status/stop")
    assert status(200)["status"] == "stopped"
    refused = api("POST", "/nodes/pve1/lxc/200/status/stop")
    assert refused[0] == 500 and refused[2]["message"] == "CT 200 not running\n", refused
    rootfs = os.path.join(ct_dir(200), "rootfs")
    assert os.path.ismount(rootfs)
    run_task("DELETE", "/nodes/pve1/lxc/200", {"purge": "1"})
    gone = api("GET", "/nodes/pve1/lxc/200/status/current")
    assert gone[0] == 500 and "does not exist" in gone[2]["message"], gone
    assert not os.path.ismount(rootfs) and not os.path.exists(os.path.join(ct_dir(200), "upper"))


def recorded_pid_or_zero(vmid):
    try:
        return recorded_pid(vmid, "nspawn.pid")
    except (OSError, ValueError):
        return 0


@test
def ten_containers_at_once():
    vmids = list(range(210, 220))
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        list(pool.map(lambda vmid: create(vmid, f"many-{vmid}"), vmids))
    addresses = set()
    for vmid in vmids:
        assert status(vmid)["status"] == "running"
        assert inside(vmid, "hostname").stdout.strip() == f"many-{vmid}"
        addresses.add(address(vmid))
    assert len(addresses) == 10, addresses
    # A running container is destroyed with force=1 (stopped first), as Proxmox does.
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        list(pool.map(lambda vmid: run_task("DELETE", f"/nodes/pve1/lxc/{vmid}", {"force": "1", "purge": "1"}),
                      vmids))
    resources = ok("GET", "/cluster/resources", {"type": "vm"})
    assert not [r for r in resources if r.get("vmid") in vmids]


@test
def a_killed_nspawn_leaves_a_stopped_container():
    create(230, "victim")
    leader = status(230)["pid"]
    os.kill(recorded_pid(230, "nspawn.pid"), 9)
    deadline = time.time() + 10
    while time.time() < deadline and status(230)["status"] != "stopped":
        time.sleep(0.2)
    assert status(230)["status"] == "stopped"
    # Its processes went with it (the PID namespace died with its PID 1).
    deadline = time.time() + 5
    while time.time() < deadline and os.path.exists(f"/proc/{leader}/status") and \
            "zombie" not in open(f"/proc/{leader}/status").read():
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{leader}") or "zombie" in open(f"/proc/{leader}/status").read()
    # And it starts again.
    run_task("POST", "/nodes/pve1/lxc/230/status/start")
    assert inside(230, "systemctl is-system-running").stdout.strip() in ("running", "degraded")


@test
def bad_input_is_refused_as_proxmox_does():
    taken = api("POST", "/nodes/pve1/lxc", {"vmid": "230", "ostemplate": TEMPLATE, "hostname": "dup"})
    assert taken[0] == 500 and taken[2]["message"] == "CT 230 already exists on node 'pve1'\n", taken
    missing = api("POST", "/nodes/pve1/lxc", {"vmid": "231", "ostemplate": "local:vztmpl/nothing.tar.zst"})
    assert missing[0] == 500 and "does not exist" in missing[2]["message"], missing
    bad_name = api("POST", "/nodes/pve1/lxc", {"vmid": "231", "ostemplate": TEMPLATE, "hostname": "bad_name"})
    assert bad_name[0] == 400 and "hostname" in bad_name[2]["errors"], bad_name
    # A template the lab cannot boot: the task fails with the reason in its log, nothing is kept.
    exitstatus, log = run_task("POST", "/nodes/pve1/lxc",
                               {"vmid": "232", "ostemplate": "local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz",
                                "hostname": "alpine"}, expect=None)
    assert exitstatus != "OK" and "debian-12-standard" in exitstatus, (exitstatus, log)
    assert api("GET", "/nodes/pve1/lxc/232/config")[0] == 500
    assert not os.path.exists(os.path.join(ct_dir(232), "real"))
    # A net0 that is not Proxmox's format: the schema's 400, naming the key.
    bad_net = api("POST", "/nodes/pve1/lxc", {"vmid": "233", "ostemplate": TEMPLATE, "hostname": "badnet",
                                              "net0": "name=eth0,bridge=vmbr0,ip=10.0.0.300/99"})
    assert bad_net[0] == 400, bad_net
    assert bad_net[2]["errors"]["net0"] == ("invalid format - ip: invalid format - value does not look like a "
                                            "valid ipv4 network configuration"), bad_net
    unknown_key = api("POST", "/nodes/pve1/lxc", {"vmid": "233", "ostemplate": TEMPLATE,
                                                  "net0": "name=eth0,colour=blue"})
    assert unknown_key[0] == 400 and "colour" in unknown_key[2]["errors"]["net0"], unknown_key


@test
def an_os_template_downloaded_from_aplinfo_boots():
    file = TEMPLATE.split("/", 1)[1]
    with urllib.request.urlopen(f"{lab['PVE_CONTROL_URL']}/control/forget-template?value={file}") as r:
        assert r.status == 200
    content = ok("GET", "/nodes/pve1/storage/local/content", {"content": "vztmpl"})
    assert TEMPLATE not in [entry["volid"] for entry in content]
    missing = api("POST", "/nodes/pve1/lxc", {"vmid": "240", "ostemplate": TEMPLATE, "hostname": "late"})
    assert missing[0] == 500 and f"volume '{TEMPLATE}' does not exist" in missing[2]["message"], missing
    available = [entry["template"] for entry in ok("GET", "/nodes/pve1/aplinfo")]
    assert file in available
    exitstatus, log = run_task("POST", "/nodes/pve1/aplinfo", {"storage": "local", "template": file})
    assert any("100%" in line for line in log) and log[-1] == "TASK OK", log
    content = {entry["volid"]: entry for entry in ok("GET", "/nodes/pve1/storage/local/content",
                                                      {"content": "vztmpl"})}
    assert content[TEMPLATE]["size"] > 10 << 20, content[TEMPLATE]
    create(240, "late")
    assert inside(240, "hostname").stdout.strip() == "late"
    storages = {s["storage"]: s for s in ok("GET", "/nodes/pve1/storage")}
    assert "rootdir" in storages["local-lvm"]["content"] and storages["local-lvm"]["avail"] > 0, storages
    bridges = [i["iface"] for i in ok("GET", "/nodes/pve1/network", {"type": "bridge"})]
    assert "vmbr0" in bridges, bridges


def host_leftovers(state, bridge, table):
    found = []
    mounts = open("/proc/mounts").read()
    if state in mounts:
        found.append("mounts under " + state)
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    index = bridge.removeprefix("pdklab")
    for line in links.splitlines():
        name = line.split(": ")[1].split("@")[0]
        if name == bridge or name.startswith(f"pv{index}-"):
            found.append("link " + name)
    tables = subprocess.run(["nft", "list", "tables"], capture_output=True, text=True).stdout
    if table in tables:
        found.append("nft table " + table)
    # Each container had cgroups of its own: none may be left, nor a process in them.
    for root, dirs, _ in os.walk("/sys/fs/cgroup"):
        for name in dirs:
            if name.startswith(f"paddock-lab-{index}-"):
                found.append("cgroup " + os.path.join(root, name))
        if root.count("/") > 6:
            dirs[:] = []
    return found


def main():
    state = tempfile.mkdtemp(prefix="paddock-real-test-")
    up = subprocess.run([os.path.join(HERE, "lab-up"), "--auth-delay-ms", "20", "--real", "0", state],
                        capture_output=True, text=True, timeout=600)
    if up.returncode != 0:
        print("1..1")
        print("not ok 1 lab_up  # lab-up failed")
        for line in up.stderr.strip().splitlines()[-20:]:
            print("# " + line)
        subprocess.run([os.path.join(HERE, "lab-down"), state], timeout=120)
        return 1
    for line in up.stdout.splitlines():
        key, _, value = line.partition("=")
        lab[key] = value
    if "REAL_SKIP_REASON" in lab:
        subprocess.run([os.path.join(HERE, "lab-down"), state], timeout=120)
        print(f"1..0 # SKIP real containers cannot run here: {lab['REAL_SKIP_REASON']}")
        return 0

    with open(os.path.join(state, "net.env")) as f:
        net = dict(line.strip().split("=", 1) for line in f if "=" in line)
    pids = [int(open(os.path.join(state, name)).read()) for name in ("pve-sim.pid", "sshd.pid.lab")]

    print(f"1..{len(tests) + 1}")
    failed = 0
    started = time.time()
    try:
        for number, func in enumerate(tests, 1):
            began = time.time()
            try:
                func()
                print(f"ok {number} {func.__name__} ({time.time() - began:.1f} s)")
            except Exception:
                failed += 1
                print(f"not ok {number} {func.__name__}")
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
    finally:
        subprocess.run([os.path.join(HERE, "lab-down"), state], timeout=120)

    leftovers = host_leftovers(state, net["LAB_BRIDGE"], net["LAB_NFT_TABLE"])
    leftovers += [f"process {pid}" for pid in pids if os.path.exists(f"/proc/{pid}") and
                  "zombie" not in open(f"/proc/{pid}/status").read().lower()]
    if leftovers:
        failed += 1
        print(f"not ok {len(tests) + 1} lab_down_leaves_nothing  # {leftovers}")
    else:
        print(f"ok {len(tests) + 1} lab_down_leaves_nothing")
    print(f"# real-container tests took {time.time() - started:.0f} s")
    shutil.rmtree(state, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
