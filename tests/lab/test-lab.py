#!/usr/bin/env python3
"""The lab's own tests: pve-sim over real HTTPS compared with recorded Proxmox responses,
its auth, schema validation, tasks and faults, and pct through a real ssh client. Prints TAP."""

import gzip
import http.client
import json
import os
import re
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
FIXTURES = os.path.join(HERE, "..", "reference", "pve-fixtures")
UPID_RE = re.compile(r"^UPID:[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:"
                     r"[^:\s/]+:[^:\s/]*:[^:\s/]+:$")

lab = {}
tests = []
expected_schema_rejections = 0


def test(func):
    tests.append(func)
    return func


class Response:
    def __init__(self, status, reason, body, headers):
        self.status, self.reason, self.raw, self.headers = status, reason, body, headers
        is_json = "json" in (headers.get("Content-Type") or "")
        self.json = json.loads(body) if body and is_json else None

    @property
    def data(self):
        return self.json["data"]


def request(method, path, params=None, token=None, ticket=None, csrf=None, body=None):
    url = urllib.parse.urlparse(lab["PVE_URL"])
    context = ssl.create_default_context(cafile=lab["PVE_CA"])
    conn = http.client.HTTPSConnection(url.hostname, url.port, context=context, timeout=30)
    headers = {}
    query = ""
    if token is not None:
        headers["Authorization"] = "PVEAPIToken=" + token
    if ticket is not None:
        headers["Cookie"] = "PVEAuthCookie=" + urllib.parse.quote(ticket)
    if csrf is not None:
        headers["CSRFPreventionToken"] = csrf
    if params and method in ("GET", "DELETE"):
        query = "?" + urllib.parse.urlencode(params)
    elif params:
        body = urllib.parse.urlencode(params)
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, "/api2/json" + path + query, body=body, headers=headers)
    response = conn.getresponse()
    result = Response(response.status, response.reason, response.read(), response.headers)
    conn.close()
    return result


def api(method, path, params=None, **kwargs):
    kwargs.setdefault("token", lab["PVE_TOKEN"])
    return request(method, path, params, **kwargs)


def control(action, value=None, arg=None):
    query = {}
    if value is not None:
        query["value"] = value
    if arg is not None:
        query["arg"] = arg
    url = lab["PVE_CONTROL_URL"] + "/control/" + action + ("?" + urllib.parse.urlencode(query) if query else "")
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def kind(value):
    if isinstance(value, bool) or value is None:
        return type(value).__name__
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def assert_same_shape(fixture, actual, where):
    """Every key the real response has for this kind of record exists here with the same JSON type."""
    if isinstance(fixture, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {kind(actual)}"
        for key, value in fixture.items():
            assert key in actual, f"{where}: missing key {key!r} (has {sorted(actual)})"
            assert_same_shape(value, actual[key], f"{where}.{key}")
    elif isinstance(fixture, list):
        assert isinstance(actual, list), f"{where}: expected an array"
        if fixture and actual:
            assert_same_shape(fixture[0], actual[0], f"{where}[0]")
    else:
        # Perl emits numbers as strings sometimes; the simulator follows the modern integer form.
        if kind(fixture) == "str" and kind(actual) == "number" and re.match(r"^-?[0-9.]+$", fixture):
            return
        assert kind(fixture) == kind(actual), f"{where}: {kind(fixture)} in the fixture, {kind(actual)} here"


def fixture(name):
    path = os.path.join(FIXTURES, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def wait_task(node, upid, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = api("GET", f"/nodes/{node}/tasks/{urllib.parse.quote(upid, safe='')}/status").data
        if status["status"] == "stopped":
            return status
        time.sleep(0.1)
    raise AssertionError(f"task {upid} did not finish in {timeout} s")


def ssh(*command, check=False):
    argv = ["ssh", "-i", lab["SSH_KEY"], "-p", lab["SSH_PORT"], "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            f"{lab['SSH_USER']}@{lab['SSH_HOST']}", *command]
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=check)


# ------------------------------------------------------------------------------------------------

@test
def shapes_match_recorded_responses():
    pairs = [
        ("version.json", "/version", None),
        ("cluster-status.json", "/cluster/status", None),
        ("cluster-nextid.json", "/cluster/nextid", None),
        ("nodes.json", "/nodes", None),
        ("node-status.json", "/nodes/pve1/status", None),
        ("lxc-config.json", "/nodes/pve1/lxc/101/config", None),
        ("lxc-status-current-running-ha-pve62.json", "/nodes/pve1/lxc/100/status/current", None),
        ("tasks-list.json", "/nodes/pve1/tasks", None),
    ]
    checked = 0
    for name, path, params in pairs:
        recorded = fixture(name)
        if recorded is None:
            continue
        data = recorded["data"]
        if name == "lxc-config.json":
            # Keys that exist only on that recorded container.
            data = {k: v for k, v in data.items() if k not in ("lxc", "mp0", "description", "hookscript")}
        if name == "node-status.json":
            data = {k: v for k, v in data.items() if k in ("cpu", "uptime", "pveversion", "kversion", "memory",
                                                           "swap", "rootfs", "cpuinfo", "loadavg")}
            data["cpuinfo"] = {k: data["cpuinfo"][k] for k in ("model", "sockets", "cpus", "mhz")}
        if name == "lxc-status-current-running-ha-pve62.json":
            data = dict(data)
            data["ha"] = {"managed": 1, "state": "started"}
        if name == "tasks-list.json":
            # Start a task so the list has one.
            wait_task("pve1", api("POST", "/nodes/pve1/lxc/103/status/reboot").data)
        if name == "nodes.json":
            data = [{k: v for k, v in data[0].items() if k != "level"}]
        assert_same_shape(data, api("GET", path, params).data, name)
        checked += 1

    resources = fixture("cluster-resources-vm.json")
    if resources is not None:
        lxc = [r for r in resources["data"] if r.get("type") == "lxc"][0]
        lxc = {k: v for k, v in lxc.items() if k != "pool"}
        actual = [r for r in api("GET", "/cluster/resources", {"type": "vm"}).data if r["type"] == "lxc"]
        assert_same_shape(lxc, actual[0], "cluster-resources-vm.json")
        checked += 1
    assert checked == len(pairs) + 1, f"only {checked} recorded responses compared"


@test
def error_shapes_match_proxmox():
    global expected_schema_rejections
    missing = api("POST", "/nodes/pve1/lxc", {"vmid": "150"})
    expected_schema_rejections += 1
    assert missing.status == 400 and missing.reason == "Parameter verification failed."
    assert missing.json["errors"]["ostemplate"] == "property is missing and it is not optional"
    assert missing.json["message"] == "Parameter verification failed.\n"
    assert missing.json["data"] is None

    boolean = api("POST", "/nodes/pve1/lxc/101/status/shutdown", {"forceStop": "true"})
    expected_schema_rejections += 1
    assert boolean.json["errors"] == {"forceStop": "type check ('boolean') failed - got 'true'"}

    unknown = api("POST", "/nodes/pve1/lxc/101/status/start", {"colour": "blue"})
    expected_schema_rejections += 1
    assert "not defined in schema" in unknown.json["errors"]["colour"]

    running = api("POST", "/nodes/pve1/lxc/101/status/start")
    assert (running.status, running.reason) == (500, "CT 101 already running")
    assert running.json == {"data": None, "message": "CT 101 already running\n"}

    stopped = api("POST", "/nodes/pve1/lxc/106/status/stop")
    assert (stopped.status, stopped.reason) == (500, "CT 106 not running")

    gone = api("GET", "/nodes/pve1/lxc/999/config")
    assert gone.reason == "Configuration file 'nodes/pve1/lxc/999.conf' does not exist"

    nothing = api("GET", "/nodes/pve1/lxc/101/bogus")
    assert (nothing.status, nothing.reason) == (501, "Method 'GET /nodes/pve1/lxc/101/bogus' not implemented")

    body_on_delete = api("DELETE", "/nodes/pve1/lxc/106", body="purge=1")
    assert (body_on_delete.status, body_on_delete.reason) == (501, "Unexpected content for method 'DELETE'")

    for name, response in (("error-400-param-missing.json", missing), ("error-500-already-running.json", running),
                           ("error-501-not-implemented.json", nothing)):
        recorded = fixture("derived/" + name)
        if recorded is not None:
            assert set(recorded) == set(response.json), f"{name}: keys {set(recorded)} vs {set(response.json)}"


@test
def permission_denied_for_read_only_token():
    readonly = lab["PVE_READONLY_TOKEN"]
    listing = api("GET", "/cluster/resources", {"type": "vm"}, token=readonly)
    assert listing.status == 200 and len(listing.data) > 20
    denied = api("POST", "/nodes/pve1/lxc/106/status/start", token=readonly)
    assert (denied.status, denied.reason) == (403, "Permission check failed (/vms/106, VM.PowerMgmt)")
    assert denied.json["message"] == "Permission check failed (/vms/106, VM.PowerMgmt)\n"


@test
def authentication_stage_failures_have_empty_bodies():
    none = request("GET", "/version")
    assert (none.status, none.reason, none.raw) == (401, "No ticket", b"")
    bad = request("GET", "/version", token="root@pam!paddock=wrong")
    assert (bad.status, bad.reason, bad.raw) == (401, "Authentication failed!", b"")
    forged = request("GET", "/version", ticket="PVE:root@pam:64E10CBA::Zm9yZ2Vk")
    assert (forged.status, forged.raw) == (401, b"")
    domains = request("GET", "/access/domains")
    assert domains.status == 200 and {d["realm"] for d in domains.data} == {"pam", "pve"}


@test
def ticket_login_csrf_and_renewal():
    wrong = request("POST", "/access/ticket", {"username": "root@pam", "password": "nope"})
    assert (wrong.status, wrong.reason) == (401, "authentication failure")
    assert wrong.json == {"data": None, "message": "authentication failure\n"}

    login = request("POST", "/access/ticket", {"username": "root", "realm": "pam", "password": lab["PVE_PASSWORD"]})
    assert login.status == 200, login.reason
    ticket, csrf = login.data["ticket"], login.data["CSRFPreventionToken"]
    assert re.match(r"^PVE:root@pam:[0-9A-F]{8}::", ticket)
    assert re.match(r"^[0-9A-F]{8}:[A-Za-z0-9+/]{43}$", csrf)
    assert "cap" in login.data and "NeedTFA" not in login.data

    assert request("GET", "/cluster/status", ticket=ticket).status == 200
    no_csrf = request("POST", "/nodes/pve1/lxc/106/status/stop", ticket=ticket)
    assert (no_csrf.status, no_csrf.reason, no_csrf.raw) == (401, "Permission denied - invalid csrf token", b"")
    with_csrf = request("POST", "/nodes/pve1/lxc/106/status/stop", ticket=ticket, csrf=csrf)
    assert (with_csrf.status, with_csrf.reason) == (500, "CT 106 not running")

    renewed = request("POST", "/access/ticket", {"username": "root@pam", "password": ticket})
    assert renewed.status == 200 and renewed.data["ticket"].startswith("PVE:root@pam:")

    # Two hours later every ticket has expired.
    control("advance-clock", str(7201))
    try:
        expired = request("GET", "/version", ticket=ticket)
        assert (expired.status, expired.reason, expired.raw) == (401, "Authentication failed!", b"")
    finally:
        control("advance-clock", str(-7201))

    control("expire-tickets")
    time.sleep(1.1)
    assert request("GET", "/version", ticket=ticket).status == 401


@test
def two_factor_login():
    first = request("POST", "/access/ticket", {"username": "alice@pve", "password": lab["PVE_PASSWORD"]})
    assert first.status == 200 and first.data["NeedTFA"] == 1
    half = first.data["ticket"]
    assert half.startswith("PVE:!tfa!")
    challenge = json.loads(urllib.parse.unquote(half.split(":")[1][len("!tfa!"):]))
    assert challenge["totp"] is True

    # The half-ticket is useless for API calls.
    assert request("GET", "/version", ticket=half).status == 401

    bad = request("POST", "/access/ticket", {"username": "alice@pve", "tfa-challenge": half, "password": "totp:000000"})
    assert bad.status == 401
    code = control("totp")
    done = request("POST", "/access/ticket", {"username": "alice@pve", "tfa-challenge": half, "password": "totp:" + code})
    assert done.status == 200 and done.data["ticket"].startswith("PVE:alice@pve:")
    assert request("GET", "/version", ticket=done.data["ticket"]).status == 200


@test
def task_lifecycle_and_locks():
    upid = api("POST", "/nodes/pve1/lxc/106/status/start").data
    assert UPID_RE.match(upid), upid
    assert ":vzstart:106:root@pam!paddock:" in upid
    running = api("GET", f"/nodes/pve1/tasks/{urllib.parse.quote(upid, safe='')}/status").data
    assert running["status"] == "running" and "exitstatus" not in running
    status = wait_task("pve1", upid)
    assert status["exitstatus"] == "OK"
    assert api("GET", "/nodes/pve1/lxc/106/status/current").data["status"] == "running"
    log = api("GET", f"/nodes/pve1/tasks/{urllib.parse.quote(upid, safe='')}/log", {"start": 0, "limit": 50})
    assert log.json["total"] >= 1 and log.data[-1]["t"] == "TASK OK" and log.data[0]["n"] == 1

    listing = api("GET", "/nodes/pve1/tasks", {"vmid": 106, "limit": 5})
    assert listing.json["total"] >= 1 and listing.data[0]["upid"] == upid and listing.data[0]["status"] == "OK"

    wait_task("pve1", api("POST", "/nodes/pve1/lxc/106/status/shutdown", {"timeout": 5}).data)
    assert api("GET", "/nodes/pve1/lxc/106/status/current").data["status"] == "stopped"

    # The lock is checked inside the task: 200 and a UPID, then the task fails.
    locked = api("POST", "/nodes/pve1/lxc/107/status/stop")
    assert locked.status == 200 and ":vzstop:107:" in locked.data
    assert wait_task("pve1", locked.data)["exitstatus"] == "CT is locked (backup)"
    assert api("GET", "/nodes/pve1/lxc/107/status/current").data["status"] == "running"

    unknown = api("GET", "/nodes/pve1/tasks/UPID:pve1:00000001:00000001:00000001:vzstart:1:root@pam:/status")
    assert unknown.status == 400 and unknown.json["errors"]["upid"] == "no such task"


@test
def proxmox_semantics():
    # HA: hastart/hastop tasks end before the container's state changes.
    control("ha-delay", "1200")
    upid = api("POST", "/nodes/pve1/lxc/102/status/shutdown", {"timeout": 5}).data
    assert ":hastop:102:" in upid
    assert wait_task("pve1", upid)["exitstatus"] == "OK"
    status = api("GET", "/nodes/pve1/lxc/102/status/current").data
    assert status["status"] == "running" and status["ha"] == {"managed": 1, "state": "stopped", "group": "prod-ha"}
    for _ in range(60):
        if api("GET", "/nodes/pve1/lxc/102/status/current").data["status"] == "stopped":
            break
        time.sleep(0.1)
    assert api("GET", "/nodes/pve1/lxc/102/status/current").data["status"] == "stopped"
    refused = api("POST", "/nodes/pve1/lxc/100/status/stop", {"overrule-shutdown": 1})
    assert refused.status == 400 and refused.json["errors"] == {"overrule-shutdown": "Not applicable for HA resources."}
    # A resource in the HA "error" state is left alone: the task ends, nothing changes.
    resources = {r["vmid"]: r for r in api("GET", "/cluster/resources", {"type": "vm"}).data}
    assert resources[114]["hastate"] == "error" and resources[100]["hastate"] == "started"
    upid = api("POST", "/nodes/pve2/lxc/114/status/stop").data
    assert wait_task("pve2", upid)["exitstatus"] == "OK"
    time.sleep(1.5)
    assert api("GET", "/nodes/pve2/lxc/114/status/current").data["status"] == "running"
    upid = api("POST", "/nodes/pve1/lxc/102/status/start").data
    assert ":hastart:102:" in upid and wait_task("pve1", upid)["exitstatus"] == "OK"
    control("ha-delay", "1500")

    # A template cannot be started: the task says why.
    upid = api("POST", "/nodes/pve2/lxc/117/status/start").data
    assert wait_task("pve2", upid)["exitstatus"] == "you can't start a CT if it's a template"
    assert resources[117]["template"] == 1

    # What real clusters send: integer zeros for a stopped container, maxcpu from cpulimit,
    # tags as written, "CT<vmid>" for a container without a hostname.
    assert resources[106]["cpu"] == 0 and isinstance(resources[106]["cpu"], int) and resources[106]["disk"] == 0
    assert resources[123]["maxcpu"] == 0.5
    assert resources[113]["tags"] == "media,vpn" and resources[121]["tags"] == "dev ci"
    assert resources[128]["name"] == "CT128"

    ha = api("GET", "/nodes/pve2/lxc/114/status/current").data["ha"]
    assert ha == {"managed": 1, "state": "error", "group": None}

    # Every interface has a link-local IPv6 address; lo has its own addresses.
    interfaces = {i["name"]: i for i in api("GET", "/nodes/pve1/lxc/101/interfaces").data}
    assert interfaces["lo"]["inet6"] == "::1/128" and interfaces["eth0"]["inet6"].startswith("fe80::")
    # One certificate per node: the served one is pve1's.
    fingerprints = {n["node"]: n["ssl_fingerprint"] for n in api("GET", "/nodes").data}
    assert fingerprints["pve1"] == lab["PVE_FINGERPRINT"] and len(set(fingerprints.values())) == 3
    # The task index, and gzip when the client accepts it.
    upid = api("GET", "/nodes/pve1/tasks", {"limit": 1}).data[0]["upid"]
    index = api("GET", f"/nodes/pve1/tasks/{urllib.parse.quote(upid, safe='')}").data
    assert sorted(entry["name"] for entry in index) == ["log", "status"]
    url = urllib.parse.urlparse(lab["PVE_URL"])
    conn = http.client.HTTPSConnection(url.hostname, url.port,
                                       context=ssl.create_default_context(cafile=lab["PVE_CA"]), timeout=30)
    conn.request("GET", "/api2/json/cluster/resources", headers={"Accept-Encoding": "gzip",
                                                                 "Authorization": "PVEAPIToken=" + lab["PVE_TOKEN"]})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.getheader("Content-Encoding") == "gzip"
    assert len(json.loads(gzip.decompress(body))["data"]) > 25

    # Quorum loss: the other nodes go offline, reads work, writes are refused.
    control("quorum", "lost")
    try:
        cluster = [e for e in api("GET", "/cluster/status").data if e["type"] == "cluster"][0]
        assert cluster["quorate"] == 0
        nodes = {e["name"]: e["online"] for e in api("GET", "/cluster/status").data if e["type"] == "node"}
        assert nodes == {"pve1": 1, "pve2": 0, "pve3": 0}
        write = api("POST", "/nodes/pve1/lxc/106/status/start")
        assert (write.status, write.reason) == (500, "cluster not ready - no quorum?")
        assert api("GET", "/nodes/pve1/lxc/106/status/current").status == 200
    finally:
        control("quorum", "ok")
    assert [e for e in api("GET", "/cluster/status").data if e["type"] == "cluster"][0]["quorate"] == 1


@test
def standalone_node():
    state = tempfile.mkdtemp(prefix="paddock-lab-standalone-")
    up = subprocess.run([os.path.join(HERE, "lab-up"), "--dataset", "standalone", "--no-ssh", state],
                        capture_output=True, text=True, timeout=120)
    try:
        assert up.returncode == 0, up.stderr
        env = dict(line.partition("=")[::2] for line in up.stdout.splitlines())
        saved = dict(lab)
        lab.update(env)
        try:
            entries = api("GET", "/cluster/status").data
        finally:
            lab.clear()
            lab.update(saved)
        assert [e["type"] for e in entries] == ["node"] and entries[0]["name"] == "pve"
    finally:
        subprocess.run([os.path.join(HERE, "lab-down"), state], timeout=60)
        shutil.rmtree(state, ignore_errors=True)


@test
def create_and_destroy():
    nextid = api("GET", "/cluster/nextid")
    assert isinstance(nextid.data, str) and nextid.data.isdigit()
    taken = api("GET", "/cluster/nextid", {"vmid": 101})
    assert taken.status == 400 and taken.json["errors"]["vmid"] == "VM 101 already exists"
    vmid = nextid.data
    params = {"vmid": vmid, "ostemplate": "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
              "hostname": "lab-new", "cores": 2, "memory": 1024, "swap": 512, "rootfs": "local-lvm:8",
              "net0": "name=eth0,bridge=vmbr0,ip=dhcp", "unprivileged": 1, "features": "nesting=1,keyctl=1",
              "password": "a-root-password", "tags": "lab;new"}
    upid = api("POST", "/nodes/pve2/lxc", params).data
    assert f":vzcreate:{vmid}:" in upid
    assert api("GET", f"/nodes/pve2/lxc/{vmid}/config").data["lock"] == "create"
    assert wait_task("pve2", upid)["exitstatus"] == "OK"
    config = api("GET", f"/nodes/pve2/lxc/{vmid}/config").data
    assert "lock" not in config and config["rootfs"] == f"local-lvm:vm-{vmid}-disk-0,size=8G"
    assert config["hostname"] == "lab-new" and config["cores"] == 2 and "hwaddr=" in config["net0"]

    again = api("POST", "/nodes/pve2/lxc", params)
    assert again.status == 500 and again.reason == f"CT {vmid} already exists on node 'pve2'"

    missing = api("POST", "/nodes/pve2/lxc", dict(params, vmid=int(vmid) + 1, ostemplate="local:vztmpl/nope.tar.zst"))
    assert missing.status == 500 and "does not exist" in missing.reason

    assert wait_task("pve2", api("DELETE", f"/nodes/pve2/lxc/{vmid}", {"purge": 1, "destroy-unreferenced-disks": 1}).data)["exitstatus"] == "OK"
    assert api("GET", f"/nodes/pve2/lxc/{vmid}/config").status == 500

    running = api("DELETE", "/nodes/pve1/lxc/101")
    assert running.reason == "unable to destroy CT 101 - container is running"


@test
def runtime_info_storage_network():
    interfaces = api("GET", "/nodes/pve1/lxc/101/interfaces").data
    assert [i["name"] for i in interfaces] == ["lo", "eth0"] and interfaces[1]["inet"] == "192.168.1.11/24"
    assert api("GET", "/nodes/pve1/lxc/106/interfaces").data is None

    hour = api("GET", "/nodes/pve1/lxc/101/rrddata", {"timeframe": "hour", "cf": "AVERAGE"}).data
    assert len(hour) == 70 and all("cpu" in row for row in hour)
    stopped = api("GET", "/nodes/pve1/lxc/106/rrddata", {"timeframe": "hour"}).data
    assert set(stopped[0]) == {"time", "maxcpu", "maxmem", "maxdisk", "disk"}

    storages = api("GET", "/nodes/pve1/storage", {"content": "rootdir"}).data
    assert [s["storage"] for s in storages] == ["local-lvm"]
    templates = api("GET", "/nodes/pve1/storage/local/content", {"content": "vztmpl"}).data
    assert {t["format"] for t in templates} == {"tzst", "txz"}
    assert all(t["volid"].startswith("local:vztmpl/") for t in templates)

    bridges = api("GET", "/nodes/pve1/network", {"type": "bridge"}).data
    assert [b["iface"] for b in bridges] == ["vmbr0", "vmbr1"]

    aplinfo = api("GET", "/nodes/pve1/aplinfo").data
    wanted = [a for a in aplinfo if a["package"] == "debian-13-standard"][0]
    upid = api("POST", "/nodes/pve1/aplinfo", {"storage": "local", "template": wanted["template"]}).data
    assert ":download:" in upid and wait_task("pve1", upid)["exitstatus"] == "OK"
    templates = api("GET", "/nodes/pve1/storage/local/content", {"content": "vztmpl"}).data
    assert any(t["volid"].endswith(wanted["template"]) for t in templates)
    nope = api("POST", "/nodes/pve1/aplinfo", {"storage": "local", "template": "nope.tar.xz"})
    assert nope.status == 400 and nope.json["errors"]["template"] == "no such template"


@test
def faults():
    control("fail-next", "1", "500")
    assert api("GET", "/version").status == 500
    assert api("GET", "/version").status == 200
    control("fail-next", "1", "596")
    assert api("GET", "/version").status == 596

    control("drop-next", "1")
    try:
        api("GET", "/cluster/resources")
        raise AssertionError("a dropped connection returned a response")
    except (http.client.HTTPException, ConnectionError, OSError):
        pass

    control("latency", "400")
    started = time.time()
    api("GET", "/version")
    assert time.time() - started >= 0.35
    control("latency", "0")

    control("fail-task", "vzstart", "startup for container '112' failed")
    upid = api("POST", "/nodes/pve2/lxc/112/status/start").data
    status = wait_task("pve2", upid)
    assert status["exitstatus"] == "startup for container '112' failed"
    log = api("GET", f"/nodes/pve2/tasks/{urllib.parse.quote(upid, safe='')}/log").data
    assert log[-1]["t"] == "TASK ERROR: startup for container '112' failed"
    assert api("GET", "/nodes/pve2/lxc/112/status/current").data["status"] == "stopped"

    control("ignore-shutdown", "104")
    upid = api("POST", "/nodes/pve1/lxc/104/status/shutdown", {"timeout": 1}).data
    status = wait_task("pve1", upid)
    assert "lxc-stop -n 104 --nokill --timeout 1" in status["exitstatus"]
    assert api("GET", "/nodes/pve1/lxc/104/status/current").data["status"] == "running"
    control("ignore-shutdown", "104", "0")

    control("node-offline", "pve3")
    offline = api("GET", "/nodes/pve3/lxc")
    assert (offline.status, offline.reason, offline.raw) == (595, "No route to host", b"")
    guests = {r["vmid"]: r for r in api("GET", "/cluster/resources", {"type": "vm"}).data}
    assert guests[120]["status"] == "unknown" and "name" not in guests[120] and guests[120]["maxmem"] == 0
    assert "cpu" not in guests[120] and "mem" not in guests[120] and guests[120]["node"] == "pve3"
    assert guests[100]["name"] == "gateway"
    control("node-online", "pve3")

    control("quirk", "vmid-string")
    assert api("GET", "/nodes/pve1/lxc").data[0]["vmid"] == "100"
    control("quirk", "no-message")
    assert "message" not in api("POST", "/nodes/pve1/lxc/101/status/start").json
    control("reset")
    assert api("GET", "/nodes/pve1/lxc").data[0]["vmid"] == 100


@test
def certificate_swap():
    def fingerprint():
        url = urllib.parse.urlparse(lab["PVE_URL"])
        pem = ssl.get_server_certificate((url.hostname, url.port))
        der = ssl.PEM_cert_to_DER_cert(pem)
        import hashlib
        return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())

    assert fingerprint() == lab["PVE_FINGERPRINT"]
    control("swap-certificate")
    try:
        assert fingerprint() != lab["PVE_FINGERPRINT"]
    finally:
        control("swap-certificate")
    assert fingerprint() == lab["PVE_FINGERPRINT"]


@test
def pct_through_real_ssh():
    if "SSH_PORT" not in lab:
        return "SKIP the lab started without an sshd"
    result = ssh("pct exec 101 -- sh -c 'echo out; echo err >&2; exit 7'")
    assert (result.returncode, result.stdout, result.stderr) == (7, "out\n", "err\n"), result
    status = ssh("pct", "status", "101", check=True)
    assert status.stdout == "status: running\n"
    stopped = ssh("pct", "exec", "106", "--", "true")
    assert stopped.returncode == 255 and stopped.stderr.strip() == "CT 106 not running"
    missing = ssh("pct", "exec", "999", "--", "true")
    assert missing.stderr.strip() == "Configuration file 'nodes/pve1/lxc/999.conf' does not exist"

    source = os.path.join(lab["LAB_STATE"], "push-source.txt")
    with open(source, "w") as f:
        f.write("key=value\n")
    ssh("pct", "exec", "101", "--", "mkdir", "-p", "etc/app", check=True)
    ssh("pct", "push", "101", source, "/etc/app/app.conf", "--perms", "0600", check=True)
    target = os.path.join(lab["LAB_STATE"], "ct", "101", "rootfs", "etc", "app", "app.conf")
    assert open(target).read() == "key=value\n"
    assert oct(os.stat(target).st_mode & 0o777) == "0o600"
    escape = ssh("pct", "push", "101", source, "/../../outside")
    assert escape.returncode == 255 and "invalid path" in escape.stderr

    # The container's state follows the API: a stopped container refuses exec.
    wait_task("pve1", api("POST", "/nodes/pve1/lxc/105/status/stop").data)
    assert ssh("pct", "exec", "105", "--", "true").returncode == 255
    wait_task("pve1", api("POST", "/nodes/pve1/lxc/105/status/start").data)
    assert ssh("pct", "exec", "105", "--", "true").returncode == 0


@test
def password_login_through_real_ssh():
    if "SSH_PASSWORD_USER" not in lab:
        return "SKIP the lab was not started as root, so it has no password user"
    askpass = os.path.join(lab["LAB_STATE"], "askpass.sh")
    with open(askpass, "w") as f:
        f.write("#!/bin/sh\nprintf '%s\\n' \"$LAB_SSH_PASSWORD\"\n")
    os.chmod(askpass, 0o700)
    env = dict(os.environ, SSH_ASKPASS=askpass, SSH_ASKPASS_REQUIRE="force", DISPLAY=":0",
               LAB_SSH_PASSWORD=lab["SSH_PASSWORD"])
    base = ["ssh", "-p", lab["SSH_PORT"], "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password",
            "-o", "NumberOfPasswordPrompts=1", f"{lab['SSH_PASSWORD_USER']}@{lab['SSH_HOST']}"]
    result = subprocess.run(base + ["pct", "status", "101"], capture_output=True, text=True, timeout=30, env=env,
                            stdin=subprocess.DEVNULL)
    assert (result.returncode, result.stdout) == (0, "status: running\n"), result
    wrong = subprocess.run(base + ["true"], capture_output=True, text=True, timeout=30,
                           env=dict(env, LAB_SSH_PASSWORD="not-the-password"), stdin=subprocess.DEVNULL)
    assert wrong.returncode == 255 and "Permission denied" in wrong.stderr, wrong


@test
def journal_has_no_unexpected_schema_rejections():
    with open(lab["JOURNAL"]) as f:
        entries = [json.loads(line) for line in f if line.strip()]
    assert len(entries) > 50
    rejected = [e for e in entries if e["schema_rejected"]]
    assert len(rejected) == expected_schema_rejections, rejected
    assert not any(e["params"].get("password") not in (None, "********") for e in entries)


def main():
    state = tempfile.mkdtemp(prefix="paddock-lab-test-")
    journal = os.path.join(state, "journal.jsonl")
    up = subprocess.run([os.path.join(HERE, "lab-up"), "--auth-delay-ms", "20", "--task-ms", "300",
                         "--journal", journal, state], capture_output=True, text=True, timeout=120)
    if up.returncode != 0:
        # A lab that does not start is a failure, never a skip.
        print("1..1")
        print("not ok 1 lab_up  # lab-up failed: " + (up.stderr.strip().splitlines() or ["?"])[-1])
        return 1
    for line in up.stdout.splitlines():
        key, _, value = line.partition("=")
        lab[key] = value
    lab["JOURNAL"] = journal
    pids = []
    for name in ("pve-sim.pid", "sshd.pid.lab"):
        path = os.path.join(state, name)
        if os.path.exists(path):
            pids.append(int(open(path).read()))

    print(f"1..{len(tests) + 1}")
    failed = 0
    try:
        for number, func in enumerate(tests, 1):
            try:
                result = func()
                if isinstance(result, str) and result.startswith("SKIP"):
                    print(f"ok {number} {func.__name__} # {result}")
                else:
                    print(f"ok {number} {func.__name__}")
            except Exception:
                failed += 1
                print(f"not ok {number} {func.__name__}")
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
    finally:
        subprocess.run([os.path.join(HERE, "lab-down"), state], timeout=60)

    alive = [pid for pid in pids if os.path.exists(f"/proc/{pid}") and
             "zombie" not in open(f"/proc/{pid}/status").read().lower()]
    if alive:
        failed += 1
        print(f"not ok {len(tests) + 1} lab_down_leaves_no_process  # still running: {alive}")
    else:
        print(f"ok {len(tests) + 1} lab_down_leaves_no_process")
    shutil.rmtree(state, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
