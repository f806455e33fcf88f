#!/usr/bin/env python3
"""paddockctl as real subprocesses against the lab: every subcommand, both output modes, exit
statuses, ambiguous names, refusal without --yes, an untrusted certificate, a failed task's log;
and the window's process, for what it keeps in its environment.
Usage: test-paddockctl.py PADDOCKCTL PADDOCK. Prints TAP."""

import http.client
import json
import os
import select
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
ROOT = os.path.dirname(HERE)
PADDOCKCTL = os.path.abspath(sys.argv[1])
PADDOCK = os.path.abspath(sys.argv[2])
lab = {}
tests = []


def test(func):
    tests.append(func)
    return func


def ctl(*args, env=None, data_dir=None, stdin=subprocess.DEVNULL, secret=True):
    """Runs paddockctl; stdin is not a terminal, as in a script."""
    full_env = dict(os.environ)
    for key in ("PADDOCK_TOKEN_SECRET", "PADDOCK_PASSWORD", "PADDOCK_DATA_DIR"):
        full_env.pop(key, None)
    if secret:
        full_env["PADDOCK_TOKEN_SECRET"] = lab["PVE_TOKEN"].split("=", 1)[1]
    full_env.update(env or {})
    command = [PADDOCKCTL, "--data-dir", data_dir or lab["DATA"]] + list(args)
    return subprocess.run(command, capture_output=True, text=True, env=full_env, stdin=stdin, timeout=120)


def api(method, path, params=None):
    url = urllib.parse.urlparse(lab["PVE_URL"])
    context = ssl.create_default_context(cafile=lab["PVE_CA"])
    conn = http.client.HTTPSConnection(url.hostname, url.port, context=context, timeout=30)
    headers = {"Authorization": "PVEAPIToken=" + lab["PVE_TOKEN"]}
    body = None
    if params and method == "GET":
        path += "?" + urllib.parse.urlencode(params)
    elif params:
        body = urllib.parse.urlencode(params)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, "/api2/json" + path, body=body, headers=headers)
    response = conn.getresponse()
    data = json.loads(response.read() or b"null")
    conn.close()
    return data["data"] if data else None


def control(action, value=None, arg=None):
    query = {k: v for k, v in (("value", value), ("arg", arg)) if v is not None}
    url = lab["PVE_CONTROL_URL"] + "/control/" + action + ("?" + urllib.parse.urlencode(query) if query else "")
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def wait_task(node, upid, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = api("GET", f"/nodes/{node}/tasks/{urllib.parse.quote(upid, safe='')}/status")
        if status["status"] == "stopped":
            return status
        time.sleep(0.1)
    raise AssertionError(f"task {upid} did not finish")


def token_id():
    return lab["PVE_TOKEN"].split("=", 1)[0]


@test
def usage_and_version():
    assert ctl("version").stdout.startswith("paddockctl ")
    help_text = ctl("--help")
    assert help_text.returncode == 0 and "template" in help_text.stdout and "exit status" in help_text.stdout.lower()
    assert ctl().returncode == 2
    assert ctl("frobnicate").returncode == 2
    assert ctl("list", "--no-such-option").returncode == 2
    assert ctl("connection").returncode == 2
    assert ctl("exec", "101").returncode == 2


@test
def untrusted_certificate_exits_4():
    result = ctl("connection", "add", "lab", "--url", lab["PVE_URL"], "--token-id", token_id())
    assert result.returncode == 4, result
    assert lab["PVE_FINGERPRINT"] in result.stderr
    # nothing was saved
    listed = json.loads(ctl("connection", "list", "--json").stdout)
    assert listed == []


@test
def secrets_are_not_arguments():
    result = ctl("connection", "add", "lab", "--url", lab["PVE_URL"], "--token-id", token_id(), secret=False)
    assert result.returncode == 2 and "PADDOCK_TOKEN_SECRET" in result.stderr, result
    result = ctl("connection", "add", "lab", "--url", lab["PVE_URL"], "--token-id", token_id(),
                 "--secret", "x")
    assert result.returncode == 2


@test
def connection_add_list_test():
    result = ctl("connection", "add", "lab", "--url", lab["PVE_URL"], "--token-id", token_id(),
                 "--fingerprint", lab["PVE_FINGERPRINT"], "--save-secret")
    assert result.returncode == 0, result
    assert "Proxmox VE" in result.stdout
    listed = json.loads(ctl("connection", "list", "--json").stdout)
    assert len(listed) == 1 and listed[0]["name"] == "lab" and listed[0]["auth"] == "token"
    assert listed[0]["default"] is True and listed[0]["token_id"] == "paddock"
    table = ctl("connection", "list").stdout.splitlines()
    assert table[0].split() == ["NAME", "ADDRESS", "LOGIN", "DEFAULT"] and table[1].startswith("lab ")
    # the secret went to the keyring: no environment needed now
    tested = ctl("connection", "test", "lab", secret=False)
    assert tested.returncode == 0 and "OK" in tested.stdout, tested
    assert ctl("connection", "test", "nosuch").returncode == 3
    # Without a NAME, a connection is named after its cluster.
    unnamed = ctl("connection", "add", "--url", lab["PVE_URL"], "--token-id", token_id(),
                  "--fingerprint", lab["PVE_FINGERPRINT"])
    assert unnamed.returncode == 0, unnamed
    names = [c["name"] for c in json.loads(ctl("connection", "list", "--json").stdout)]
    assert sorted(names) == ["homelab", "lab"], names
    assert ctl("connection", "remove", "homelab").returncode == 0


@test
def list_both_modes():
    table = ctl("list")
    assert table.returncode == 0, table
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["CONNECTION", "VMID", "NAME", "STATUS"]
    assert any(line.split()[1] == "101" and "nextcloud" in line for line in lines[1:])
    data = json.loads(ctl("list", "--json").stdout)
    assert len(data) == 25
    keys = {"connection", "vmid", "name", "status", "node", "cpu", "cpus", "memory_used", "memory_max", "uptime",
            "tags", "template", "lock", "ha_state"}
    assert all(set(entry) == keys for entry in data)
    stopped = json.loads(ctl("list", "--status", "stopped", "--json").stdout)
    assert stopped and all(entry["status"] == "stopped" for entry in stopped)
    only = json.loads(ctl("list", "--connection", "lab", "--json").stdout)
    assert len(only) == 25
    assert ctl("list", "--connection", "nosuch").returncode == 3


@test
def proxmox_semantics():
    data = {entry["vmid"]: entry for entry in json.loads(ctl("list", "--json").stdout)}
    assert data[117]["template"] is True and data[114]["ha_state"] == "error" and data[107]["lock"] == "backup"
    assert data[113]["tags"] == ["media", "vpn"] and data[121]["tags"] == ["dev", "ci"]
    assert data[123]["cpus"] == 0.5 and data[123]["cpu"] is None and data[128]["name"] == "CT128"
    rows = {line.split()[1]: line for line in ctl("list").stdout.splitlines()[1:]}
    assert " template " in rows["117"] and "running, HA error" in rows["114"] and "locked (backup)" in rows["107"]
    assert "media;vpn" in rows["113"]
    templates = json.loads(ctl("list", "--status", "template", "--json").stdout)
    assert [entry["vmid"] for entry in templates] == [117]
    assert "status:       template" in ctl("status", "117").stdout
    assert "resources:    0.5 CPU," in ctl("status", "123").stdout
    assert ctl("start", "117").returncode == 1

    # A node offline: what the cluster knows, null for the rest, and the node named; no hang.
    control("node-offline", "pve3")
    try:
        offline = {entry["vmid"]: entry for entry in json.loads(ctl("list", "--json").stdout)}
        assert offline[120]["status"] == "unknown" and offline[120]["name"] == "CT 120"
        assert offline[120]["cpu"] is None and offline[120]["memory_max"] is None and offline[120]["uptime"] is None
        row = [line for line in ctl("list").stdout.splitlines() if line.split()[1] == "120"][0]
        assert "CT 120" in row and "unknown" in row and "—" in row and "0 B" not in row
        status = ctl("status", "120")
        assert status.returncode == 1 and "node pve3 does not answer" in status.stderr, status
        assert "No route to host" in status.stderr and "status:       unknown" in status.stdout
    finally:
        control("node-online", "pve3")

    # Quorum lost: the test says so and fails; a change is refused before Proxmox is asked.
    control("quorum", "lost")
    try:
        tested = ctl("connection", "test", "lab")
        assert tested.returncode == 1 and "NO QUORUM (offline: pve2, pve3)" in tested.stderr, tested
        refused = ctl("stop", "101", "--yes")
        assert refused.returncode == 1 and "no quorum" in refused.stderr, refused
    finally:
        control("quorum", "ok")
    assert api("GET", "/nodes/pve1/lxc/101/status/current")["status"] == "running"


@test
def status_both_modes():
    text = ctl("status", "nextcloud")
    assert text.returncode == 0 and "lab/101" in text.stdout and "hostname:" in text.stdout, text
    data = json.loads(ctl("status", "lab/101", "--json").stdout)
    assert data["vmid"] == 101 and data["hostname"] == "nextcloud" and data["networks"][0]["bridge"] == "vmbr0"
    assert ctl("status", "101", "--json").returncode == 0
    missing = ctl("status", "no-such-container")
    assert missing.returncode == 3 and "no container" in missing.stderr


@test
def ambiguous_name_exits_3():
    params = {"vmid": 140, "ostemplate": "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
              "hostname": "nextcloud", "rootfs": "local-lvm:8", "memory": 512}
    wait_task("pve2", api("POST", "/nodes/pve2/lxc", params))
    result = ctl("status", "nextcloud")
    assert result.returncode == 3, result
    assert "ambiguous" in result.stderr and "lab/101" in result.stderr and "lab/140" in result.stderr
    assert ctl("status", "lab/140").returncode == 0
    wait_task("pve2", api("DELETE", "/nodes/pve2/lxc/140"))


@test
def lifecycle_with_tasks():
    started = ctl("start", "106")
    assert started.returncode == 0 and "old-wiki): started" in started.stdout, started
    assert api("GET", "/nodes/pve1/lxc/106/status/current")["status"] == "running"
    rebooted = ctl("reboot", "old-wiki")
    assert rebooted.returncode == 0, rebooted
    shut = ctl("shutdown", "106", "--timeout", "20")
    assert shut.returncode == 0 and "shut down (graceful)" in shut.stdout, shut
    assert api("GET", "/nodes/pve1/lxc/106/status/current")["status"] == "stopped"
    # A second start while the container runs is refused by the live precheck.
    assert ctl("start", "101").returncode == 1


@test
def shutdown_falls_back_to_stop_on_timeout():
    control("ignore-shutdown", "105")
    try:
        shut = ctl("shutdown", "prometheus", "--timeout", "2")
    finally:
        control("ignore-shutdown", "105", "0")
    assert shut.returncode == 0 and "forced" in shut.stdout, shut
    assert api("GET", "/nodes/pve1/lxc/105/status/current")["status"] == "stopped"
    assert ctl("start", "105").returncode == 0


@test
def stop_and_delete_refuse_without_yes():
    refused = ctl("stop", "101")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert api("GET", "/nodes/pve1/lxc/101/status/current")["status"] == "running"
    assert ctl("delete", "106").returncode == 2
    stopped = ctl("stop", "101", "--yes")
    assert stopped.returncode == 0, stopped
    assert api("GET", "/nodes/pve1/lxc/101/status/current")["status"] == "stopped"
    assert ctl("start", "101").returncode == 0


@test
def delete_with_yes():
    params = {"vmid": 141, "ostemplate": "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
              "hostname": "to-delete", "rootfs": "local-lvm:8", "memory": 512}
    wait_task("pve1", api("POST", "/nodes/pve1/lxc", params))
    deleted = ctl("delete", "to-delete", "--yes")
    assert deleted.returncode == 0, deleted
    names = [entry["name"] for entry in json.loads(ctl("list", "--json").stdout)]
    assert "to-delete" not in names


@test
def failed_task_shows_its_log():
    control("fail-task", "vzstart", "startup for container '106' failed: no space left on device")
    failed = ctl("start", "106")
    assert failed.returncode == 1, failed
    assert "no space left on device" in failed.stderr and "Task log" in failed.stderr


@test
def wrong_fingerprint_is_not_kept():
    """A failed add with a wrong --fingerprint leaves no pin behind: the right one works next."""
    token_id, token_secret = lab["PVE_TOKEN"].split("=", 1)
    data_dir = tempfile.mkdtemp(prefix="ctl-pin-", dir=lab["DATA"])
    wrong = "AB:" * 31 + "AB"
    failed = ctl("connection", "add", "lab", "--url", lab["PVE_URL"], "--token-id", token_id,
                 "--fingerprint", wrong, data_dir=data_dir, env={"PADDOCK_TOKEN_SECRET": token_secret})
    assert failed.returncode == 4, failed
    assert lab["PVE_FINGERPRINT"] in failed.stderr, failed
    # no pin was kept: the server is unknown, not "changed"
    unknown = ctl("connection", "add", "lab", "--url", lab["PVE_URL"], "--token-id", token_id,
                  data_dir=data_dir, env={"PADDOCK_TOKEN_SECRET": token_secret})
    assert unknown.returncode == 4, unknown
    assert "not trusted yet" in unknown.stderr and "changed" not in unknown.stderr, unknown
    added = ctl("connection", "add", "lab", "--url", lab["PVE_URL"], "--token-id", token_id,
                "--fingerprint", lab["PVE_FINGERPRINT"], data_dir=data_dir,
                env={"PADDOCK_TOKEN_SECRET": token_secret})
    assert added.returncode == 0, added
    assert "changed" not in added.stderr, added


@test
def window_forgets_secrets_from_its_environment():
    """paddock --connect reads the secret from its environment, then wipes it there
    (/proc/PID/environ, what children inherit); the rest of the environment stays."""
    token_id, token_secret = lab["PVE_TOKEN"].split("=", 1)
    data_dir = tempfile.mkdtemp(prefix="gui-env-", dir=lab["DATA"])
    env = dict(os.environ, PADDOCK_TOKEN_ID=token_id, PADDOCK_TOKEN_SECRET=token_secret,
               PADDOCK_FINGERPRINT=lab["PVE_FINGERPRINT"], GSETTINGS_BACKEND="memory")
    window = subprocess.Popen([PADDOCK, "--data-dir", data_dir, "--connect", lab["PVE_URL"]], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        environ = b""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and window.poll() is None:
            with open(f"/proc/{window.pid}/environ", "rb") as f:
                environ = f.read()
            if token_secret.encode() not in environ and b"PADDOCK_TOKEN_ID=" in environ:
                break
            time.sleep(0.2)
        assert window.poll() is None, window.stderr.read().decode()
        assert b"PADDOCK_TOKEN_ID=" + token_id.encode() in environ
        assert token_secret.encode() not in environ
    finally:
        window.terminate()
        window.wait(timeout=20)


@test
def read_only_token_is_refused():
    readonly_id, readonly_secret = lab["PVE_READONLY_TOKEN"].split("=", 1)
    data_dir = tempfile.mkdtemp(prefix="ctl-ro-", dir=lab["DATA"])
    added = ctl("connection", "add", "ro", "--url", lab["PVE_URL"], "--token-id", readonly_id,
                "--fingerprint", lab["PVE_FINGERPRINT"], data_dir=data_dir,
                env={"PADDOCK_TOKEN_SECRET": readonly_secret})
    assert added.returncode == 0, added
    refused = ctl("start", "106", data_dir=data_dir, env={"PADDOCK_TOKEN_SECRET": readonly_secret})
    assert refused.returncode == 1 and "ermission" in refused.stderr, refused
    # and away again
    assert ctl("connection", "remove", "ro", data_dir=data_dir).returncode == 0
    assert json.loads(ctl("connection", "list", "--json", data_dir=data_dir).stdout) == []
    assert ctl("connection", "remove", "ro", data_dir=data_dir).returncode == 3


@test
def exec_through_ssh():
    assert ctl("connection", "ssh", "lab", "pve1", "--address", lab["SSH_HOST"], "--port", lab["SSH_PORT"],
               "--user", lab["SSH_USER"], "--key", lab["SSH_KEY"]).returncode == 0
    untrusted = ctl("exec", "101", "--", "true")
    assert untrusted.returncode == 4 and lab["SSH_HOST_KEY_FINGERPRINT"] in untrusted.stderr, untrusted
    wrong = ctl("connection", "trust", "lab", "--node", "pve1", "--fingerprint", "SHA256:wrong")
    assert wrong.returncode == 4
    trusted = ctl("connection", "trust", "lab", "--node", "pve1", "--fingerprint", lab["SSH_HOST_KEY_FINGERPRINT"])
    assert trusted.returncode == 0, trusted
    result = ctl("exec", "nextcloud", "--", "sh", "-c", 'echo "out $1"; echo err >&2; exit 7', "sh", "it's $(me)")
    assert result.returncode == 7, result
    assert result.stdout == "out it's $(me)\n" and result.stderr == "err\n"
    assert ctl("exec", "101", "--", "true").returncode == 0
    assert ctl("exec", "nosuch", "--", "true").returncode == 3


@test
def enter_on_a_terminal():
    """paddockctl enter through a pseudo-terminal: typed commands run in the container, the
    window's size follows SIGWINCH, the shell's exit status is paddockctl's (after exec_through_ssh,
    which set up pve1's SSH)."""
    import fcntl
    import pty
    import struct
    import termios

    env = dict(os.environ, PADDOCK_TOKEN_SECRET=lab["PVE_TOKEN"].split("=", 1)[1])
    refused = ctl("enter", "101")  # stdin is not a terminal
    assert refused.returncode == 2 and "needs a terminal" in refused.stderr, refused

    def set_size(fd, rows, columns):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))

    pid, fd = pty.fork()
    if pid == 0:
        os.execve(PADDOCKCTL, [PADDOCKCTL, "--data-dir", lab["DATA"], "enter", "nextcloud"], env)
    seen = b""

    def expect(wanted, seconds=20):
        nonlocal seen
        deadline = time.monotonic() + seconds
        while wanted.encode() not in seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {wanted!r} in {seen[-400:]!r}"
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    break
        assert wanted.encode() in seen, f"no {wanted!r} in {seen[-400:]!r}"

    try:
        set_size(fd, 30, 100)
        expect("root@CT101")
        os.write(fd, b"echo entered-$((6*7))\r")
        expect("entered-42")
        os.write(fd, b"stty size\r")
        expect("30 100")
        set_size(fd, 40, 132)  # the kernel sends SIGWINCH to paddockctl
        time.sleep(0.5)
        os.write(fd, b"stty size\r")
        expect("40 132")
        os.write(fd, b"exit 3\r")
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3, status
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


@test
def changed_certificate_exits_4():
    control("swap-certificate")
    result = ctl("connection", "test", "lab")
    assert result.returncode == 4, result
    assert "paddockctl connection trust lab --fingerprint" in result.stderr
    fingerprint = result.stderr.split("--fingerprint ")[-1].split()[0]
    assert ctl("connection", "trust", "lab").returncode == 4  # no terminal to ask on
    assert ctl("connection", "trust", "lab", "--fingerprint", fingerprint).returncode == 0
    assert ctl("connection", "test", "lab").returncode == 0
    control("swap-certificate")
    assert ctl("connection", "trust", "lab", "--fingerprint", lab["PVE_FINGERPRINT"]).returncode == 0


@test
def templates():
    fixtures = os.path.join(HERE, "fixtures", "templates")
    imported = ctl("template", "import", fixtures, "--json")
    assert imported.returncode == 1  # some fixtures are error cases
    reports = {os.path.basename(r["path"]): r for r in json.loads(imported.stdout)}
    assert reports["web3-dev"]["outcome"] == "created"
    assert reports["error-policy"]["outcome"] == "failed"
    assert any("files/motd.policy:1:" in e for e in reports["error-policy"]["errors"])
    again = ctl("template", "import", os.path.join(fixtures, "web3-dev"))
    assert again.returncode == 0 and again.stdout.startswith("unchanged"), again
    listed = json.loads(ctl("template", "list", "--json").stdout)
    assert {t["name"] for t in listed} == {"Web3 Dev Container", "minimal", "Warnings, but imports"}
    web3 = next(t for t in listed if t["name"] == "Web3 Dev Container")
    assert web3["unprivileged"] is True and web3["packages"] == 26 and web3["cores"] == 4
    table = ctl("template", "list").stdout
    assert table.splitlines()[0].split()[0] == "NAME" and "Web3 Dev Container" in table
    shown = ctl("template", "show", "Web3 Dev Container")
    assert shown.returncode == 0 and "01-setup-user.sh" in shown.stdout and "unprivileged" in shown.stdout
    detail = json.loads(ctl("template", "show", "Web3 Dev Container", "--json").stdout)
    assert "/home/coder/bashrc" in detail["file_list"] and detail["features"]["keyctl"] is True
    assert ctl("template", "show", "nosuch").returncode == 3
    out = os.path.join(lab["DATA"], "exported")
    exported = ctl("template", "export", "Web3 Dev Container", out)
    assert exported.returncode == 0, exported
    assert os.path.exists(os.path.join(out, "container-configs", "scripts", "01-setup-user.sh"))
    assert ctl("template", "export", "Web3 Dev Container", out).returncode == 1  # not over an existing one


# ------------------------------------------------------------------------------------------------
# services, logs and service, against a second lab with the demo's real containers

real = {}


def real_ctl(*args, stdin=subprocess.DEVNULL):
    env = {"PADDOCK_TOKEN_SECRET": real["PVE_TOKEN"].split("=", 1)[1]}
    return ctl(*args, env=env, data_dir=real["DATA"], stdin=stdin, secret=False)


def needs_real():
    if "REAL_SKIP_REASON" in real:
        return "SKIP real containers cannot run here: " + real["REAL_SKIP_REASON"]
    if "DATA" not in real:
        raise AssertionError("the lab with real containers did not start: " + real.get("ERROR", "?"))
    return None


@test
def services_of_a_real_container():
    skip = needs_real()
    if skip:
        return skip
    result = real_ctl("services", "nginx-web")
    assert result.returncode == 0, result
    header, nginx = result.stdout.splitlines()[:2]
    assert header.split() == ["SERVICE", "STATE", "ENABLED", "MEMORY", "UP", "PID", "PORTS"]
    assert nginx.split()[:4] == ["nginx", "active", "(running)", "yes"]
    assert "0.0.0.0:80/tcp [::]:80/tcp" in nginx
    assert "system services not shown" in result.stdout
    assert "2 credential values found (--show-credentials prints them)" in result.stdout
    assert "admin" not in result.stdout

    data = json.loads(real_ctl("services", "131", "--json").stdout)
    units = {s["unit"]: s for s in data["services"]}
    assert units["backup-sync.service"]["failed"] is True
    assert units["backup-sync.service"]["main_pid"] is None
    notes = units["notes-api.service"]
    assert [p["port"] for p in notes["ports"]] == [8080]
    assert notes["ports"][0]["address"] == data["addresses"][0]
    assert notes["ports"][0]["url"] == f"http://{data['addresses'][0]}:8080/"
    creds = notes["credentials"][0]
    assert creds["file"] == "/root/notes-api.creds" and creds["values"] == {"API_TOKEN": None, "DB_PASSWORD": None}
    assert data["missing"] == [] and data["config_manager"] is None

    # A credential printed on request never reaches the cache (the final on-disk scan checks).
    marked = real_ctl("exec", "131", "--", "sh", "-c", "echo TOKEN=paddock-test-secret-cli-credential > /root/cli.creds")
    assert marked.returncode == 0, marked
    shown = json.loads(real_ctl("services", "131", "--json", "--show-credentials").stdout)
    assert "paddock-test-secret-cli-credential" in json.dumps(shown)
    values = [s for s in shown["services"] if s["unit"] == "notes-api.service"][0]["credentials"][0]["values"]
    assert len(values["API_TOKEN"]) >= 16 and len(values["DB_PASSWORD"]) >= 12

    # A busybox container: a partial result that says what is missing.
    partial = real_ctl("services", "101")
    assert partial.returncode == 0 and "has no systemd, ss" in partial.stderr, partial
    stopped = real_ctl("services", "106")
    assert stopped.returncode == 1 and "start it first" in stopped.stderr, stopped


@test
def logs_and_service_actions():
    skip = needs_real()
    if skip:
        return skip
    logs = real_ctl("logs", "nginx-web", "nginx", "-n", "5")
    assert logs.returncode == 0 and "nginx" in logs.stdout, logs
    assert len(logs.stdout.splitlines()) <= 5

    refused = real_ctl("service", "stop", "nginx-web", "nginx")
    assert refused.returncode == 2 and "without --yes" in refused.stderr, refused
    stopped = real_ctl("service", "stop", "nginx-web", "nginx", "--yes")
    assert stopped.returncode == 0 and stopped.stdout.startswith("Stopped nginx.service in CT 130"), stopped
    state = json.loads(real_ctl("services", "130", "--json").stdout)
    assert [s["active_state"] for s in state["services"] if s["unit"] == "nginx.service"] == ["inactive"]
    started = real_ctl("service", "start", "130", "nginx.service")
    assert started.returncode == 0, started

    hostile = real_ctl("service", "restart", "130", "nginx; touch /tmp/pwned")
    assert hostile.returncode == 2 and "is not a unit name" in hostile.stderr, hostile
    missing = real_ctl("service", "start", "130", "no-such-thing")
    assert missing.returncode == 1 and "Unit no-such-thing.service not found" in missing.stderr, missing

    # Follow: the lines so far, then one written after it started, until interrupted.
    env = dict(os.environ, PADDOCK_TOKEN_SECRET=real["PVE_TOKEN"].split("=", 1)[1])
    follow = subprocess.Popen([PADDOCKCTL, "--data-dir", real["DATA"], "logs", "131", "notes-api", "-n", "3", "-f"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, stdin=subprocess.DEVNULL)
    try:
        output = b""
        deadline = time.time() + 20
        restarted = False
        while time.time() < deadline and output.count(b"Started notes-api") < 2:
            ready, _, _ = select.select([follow.stdout], [], [], 0.2)
            if ready:
                output += os.read(follow.stdout.fileno(), 65536)
            # The last lines first (the demo's start); then a restart, after the follow began.
            if not restarted and b"Started notes-api" in output:
                assert real_ctl("service", "restart", "131", "notes-api").returncode == 0
                restarted = True
        lines = output.decode().splitlines()
        assert restarted and sum("Started notes-api" in line for line in lines) == 2, lines
        assert len(lines) == len(set(lines)), lines
    finally:
        follow.send_signal(2)
        assert follow.wait(timeout=10) == 0



# ------------------------------------------------------------------------------------------------
# create, jobs and job, against the same lab's real containers

LIGHT = os.path.join(HERE, "fixtures", "provision", "light")


def real_popen(*args):
    env = dict(os.environ, PADDOCK_TOKEN_SECRET=real["PVE_TOKEN"].split("=", 1)[1])
    return subprocess.Popen([PADDOCKCTL, "--data-dir", real["DATA"]] + list(args), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)


def read_until(process, needle, seconds=120):
    """What @process printed until a line holds @needle (it keeps running)."""
    output = b""
    deadline = time.time() + seconds
    while needle.encode() not in output:
        assert time.time() < deadline, output.decode()[-2000:]
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            assert chunk or needle.encode() in output, output.decode()[-2000:]
            output += chunk
    return output.decode()


def job_by_hostname(hostname):
    jobs = json.loads(real_ctl("jobs", "--json").stdout)
    return next(job for job in jobs if job["hostname"] == hostname)


@test
def create_from_a_template():
    skip = needs_real()
    if skip:
        return skip
    assert real_ctl("template", "import", LIGHT).returncode == 0
    created = real_ctl("create", "--template", "light", "--hostname", "cli-light", "--node", "pve1", "--follow")
    assert created.returncode == 0, created
    assert "Installing: jq" in created.stdout and "succeeded: CT" in created.stdout, created.stdout[-1500:]
    job = job_by_hostname("cli-light")
    assert job["state"] == "succeeded" and job["percent"] == 100 and job["address"], job
    assert {item["name"]: item["status"] for item in job["items"]} == {
        "apt": "done", "custom": "done", "credential": "done", "/srv/light/hello.txt": "done"}, job["items"]

    shown = real_ctl("job", "show", str(job["id"]))
    assert shown.returncode == 0 and "POST /nodes/pve1/lxc:" in shown.stdout, shown
    assert "password=••••••••" in shown.stdout and "ostemplate=local:vztmpl/" in shown.stdout
    assert "token saved" in shown.stdout
    # The credential the script saved is what the container's services show.
    services = json.loads(real_ctl("services", "cli-light", "--json", "--all").stdout)
    files = [c for s in services["services"] for c in s["credentials"]]
    assert any(c["file"] == "/etc/infrahaus/credentials/app" and "API_TOKEN" in c["values"] for c in files), services

    # The root password is in the keyring, asked for on purpose; not in the database.
    password = real_ctl("job", "password", str(job["id"]))
    assert password.returncode == 0 and len(password.stdout.strip()) == 24, password
    for name in os.listdir(real["DATA"]):
        with open(os.path.join(real["DATA"], name), "rb") as data:
            assert password.stdout.strip().encode() not in data.read(), name


@test
def create_refuses_bad_input():
    skip = needs_real()
    if skip:
        return skip
    before = len(json.loads(real_ctl("jobs", "--json").stdout))
    assert real_ctl("create", "--template", "light", "--node", "pve1").returncode == 2  # no hostname
    bad = real_ctl("create", "--template", "light", "--hostname", "not_a_name", "--node", "pve1")
    assert bad.returncode == 2 and "not a hostname" in bad.stderr, bad
    bad_ip = real_ctl("create", "--template", "light", "--hostname", "ok", "--node", "pve1", "--ip", "10.0.0.5")
    assert bad_ip.returncode == 2 and "prefix" in bad_ip.stderr, bad_ip
    assert real_ctl("create", "--template", "nosuch", "--hostname", "ok", "--node", "pve1").returncode == 3
    assert len(json.loads(real_ctl("jobs", "--json").stdout)) == before
    assert real_ctl("job", "show", "9999").returncode == 3
    assert real_ctl("job", "frobnicate", "1").returncode == 2


@test
def killed_during_packages_then_retried():
    skip = needs_real()
    if skip:
        return skip
    create = real_popen("create", "--template", "light", "--hostname", "cli-killed", "--node", "pve1", "--follow")
    try:
        read_until(create, "Installing slow-step")
        create.kill()  # kill -9: no chance to say anything
    finally:
        create.wait(timeout=10)
    job = job_by_hostname("cli-killed")
    # The next start of any Paddock process sees the job's process is gone.
    assert job["state"] == "interrupted" and job["phase"] == "packages", job
    table = real_ctl("jobs").stdout
    assert "interrupted" in table and "cli-killed" in table

    retried = real_ctl("job", "retry", str(job["id"]), "--follow")
    assert retried.returncode == 0, retried.stdout[-1500:] + retried.stderr
    assert "again from packages" in retried.stdout and "succeeded" in retried.stdout
    job = job_by_hostname("cli-killed")
    assert job["state"] == "succeeded" and all(item["status"] in ("done", "skipped") for item in job["items"]), job
    assert real_ctl("job", "retry", str(job["id"])).returncode == 1  # a job that succeeded is not retried


@test
def cancelled_from_another_process_then_deleted():
    skip = needs_real()
    if skip:
        return skip
    create = real_popen("create", "--template", "light", "--hostname", "cli-cancelled", "--node", "pve1", "--follow")
    try:
        read_until(create, "Installing slow-step")
        job = job_by_hostname("cli-cancelled")
        assert job["state"] == "running" and job["elsewhere"] is True, job
        cancelled = real_ctl("job", "cancel", str(job["id"]))
        assert cancelled.returncode == 0, cancelled
        rest = create.communicate(timeout=60)[0].decode()
        assert create.returncode == 1 and "was cancelled" in rest, rest
    finally:
        if create.poll() is None:
            create.kill()
    job = job_by_hostname("cli-cancelled")
    assert job["state"] == "cancelled", job
    # The custom step ran to its end (cancel waits for the current command); the script did not run.
    assert {item["name"]: item["status"] for item in job["items"]}["credential"] == "pending", job["items"]

    assert real_ctl("job", "delete-container", str(job["id"])).returncode == 2  # no terminal, no --yes
    deleted = real_ctl("job", "delete-container", str(job["id"]), "--yes")
    assert deleted.returncode == 0, deleted
    assert all(j["hostname"] != "cli-cancelled" for j in json.loads(real_ctl("jobs", "--json").stdout))
    assert real_ctl("status", "real/" + str(job["vmid"])).returncode == 3  # gone from Proxmox too


def start_real_lab():
    state = tempfile.mkdtemp(prefix="paddock-ctl-real-")
    output = subprocess.run([os.path.join(HERE, "lab", "lab-up"), "--dataset", "demo", "--task-ms", "200", state],
                            capture_output=True, text=True, timeout=600)
    real["STATE"] = state
    if output.returncode != 0:
        real["ERROR"] = output.stderr.strip()[-300:]
        return
    for line in output.stdout.splitlines():
        key, _, value = line.partition("=")
        real[key] = value
    if "REAL_SKIP_REASON" in real:
        return
    data = os.path.join(os.environ.get("XDG_DATA_HOME", tempfile.gettempdir()), "paddock-tests",
                        "paddockctl-real-" + os.path.basename(state))
    os.makedirs(data, exist_ok=True)
    real["DATA"] = data
    setup = [("connection", "add", "real", "--url", real["PVE_URL"], "--token-id", real["PVE_TOKEN"].split("=")[0],
              "--fingerprint", real["PVE_FINGERPRINT"])]
    for node in ("pve1", "pve2", "pve3"):
        setup.append(("connection", "ssh", "real", node, "--address", real["SSH_HOST"], "--port", real["SSH_PORT"],
                      "--user", real["SSH_USER"], "--key", real["SSH_KEY"]))
    setup.append(("connection", "trust", "real", "--node", "pve1", "--fingerprint", real["SSH_HOST_KEY_FINGERPRINT"]))
    for args in setup:
        result = real_ctl(*args)
        if result.returncode != 0:
            real["ERROR"] = f"{args}: {result.stderr}"
            del real["DATA"]
            return


def main():
    state = tempfile.mkdtemp(prefix="paddock-ctl-lab-")
    lab_up = os.path.join(HERE, "lab", "lab-up")
    lab_down = os.path.join(HERE, "lab", "lab-down")
    print(f"1..{len(tests)}")
    try:
        output = subprocess.run([lab_up, "--dataset", "demo", "--no-real", "--task-ms", "200", state],
                                capture_output=True,
                                text=True, timeout=120)
        if output.returncode != 0:
            # A lab that does not start is a failure, never a skip.
            for number, func in enumerate(tests, 1):
                print(f"not ok {number} {func.__name__}  # lab-up failed: {output.stderr.strip()[:200]}")
            return 1
        for line in output.stdout.splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                lab[key] = value
        data = os.path.join(os.environ.get("XDG_DATA_HOME", tempfile.gettempdir()), "paddock-tests",
                            "paddockctl-" + os.path.basename(state))
        os.makedirs(data, exist_ok=True)
        lab["DATA"] = data
        start_real_lab()
        failed = 0
        for number, func in enumerate(tests, 1):
            try:
                result = func()
                if isinstance(result, str) and result.startswith("SKIP"):
                    print(f"ok {number} {func.__name__} # {result}")
                    continue
                print(f"ok {number} {func.__name__}")
            except Exception:
                failed += 1
                print(f"not ok {number} {func.__name__}")
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
            sys.stdout.flush()
        return 1 if failed else 0
    finally:
        subprocess.run([lab_down, state], capture_output=True, timeout=60)
        shutil.rmtree(state, ignore_errors=True)
        if "STATE" in real:
            subprocess.run([lab_down, real["STATE"]], capture_output=True, timeout=120)
            shutil.rmtree(real["STATE"], ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
