#!/usr/bin/env python3
"""The refresh of bench-cluster-refresh done by proxmoxer (Debian's python3-proxmoxer), wall and
CPU time per round; with --parse FILE, json.loads + the LXC filter of one recorded body."""
import json
import os
import statistics
import sys
import time
import urllib.parse

ROUNDS = 20

if len(sys.argv) == 3 and sys.argv[1] == "--parse":
    text = open(sys.argv[2], "rb").read()
    walls, cpus = [], []
    for i in range(ROUNDS + 1):
        started, cpu_started = time.perf_counter(), time.process_time()
        containers = [r for r in json.loads(text)["data"] if r.get("type") == "lxc"]
        if i:
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu_started) * 1000)
    print(f"median {statistics.median(walls):9.2f} ms   max {max(walls):9.2f} ms   "
          f"CPU median {statistics.median(cpus):.2f} ms   ({len(containers)} containers)")
    sys.exit(0)

try:
    from proxmoxer import ProxmoxAPI
except ImportError:
    print("not run: python3-proxmoxer is not installed")
    sys.exit(0)

url = urllib.parse.urlparse(os.environ["PVE_URL"])
token_id, secret = os.environ["PVE_TOKEN"].rsplit("=", 1)
user, name = token_id.split("!", 1)
# verify_ssl=True with REQUESTS_CA_BUNDLE pointing at the lab's certificate: verified, like Paddock.
api = ProxmoxAPI(url.hostname, port=url.port, user=user, token_name=name, token_value=secret,
                 verify_ssl=True, service="PVE")

times, cpus = [], []
for i in range(ROUNDS + 1):
    started, cpu_started = time.perf_counter(), time.process_time()
    containers = [r for r in api.cluster.resources.get(type="vm") if r.get("type") == "lxc"]
    elapsed = (time.perf_counter() - started) * 1000
    if i:
        times.append(elapsed)
        cpus.append((time.process_time() - cpu_started) * 1000)
print(f"median {statistics.median(times):9.2f} ms   max {max(times):9.2f} ms   "
      f"CPU median {statistics.median(cpus):.2f} ms   ({len(containers)} containers)")
