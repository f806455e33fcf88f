#!/usr/bin/env python3
"""The refresh of bench-cluster-refresh done by proxmoxer (Debian's python3-proxmoxer)."""
import os
import statistics
import sys
import time
import urllib.parse

try:
    from proxmoxer import ProxmoxAPI
except ImportError:
    print("not run: python3-proxmoxer is not installed")
    sys.exit(0)

ROUNDS = 20
url = urllib.parse.urlparse(os.environ["PVE_URL"])
token_id, secret = os.environ["PVE_TOKEN"].rsplit("=", 1)
user, name = token_id.split("!", 1)
# verify_ssl=True with REQUESTS_CA_BUNDLE pointing at the lab's certificate: verified, like Paddock.
api = ProxmoxAPI(url.hostname, port=url.port, user=user, token_name=name, token_value=secret,
                 verify_ssl=True, service="PVE")

times = []
for i in range(ROUNDS + 1):
    started = time.perf_counter()
    containers = [r for r in api.cluster.resources.get(type="vm") if r.get("type") == "lxc"]
    elapsed = (time.perf_counter() - started) * 1000
    if i:
        times.append(elapsed)
print(f"median {statistics.median(times):9.2f} ms   max {max(times):9.2f} ms   ({len(containers)} containers)")
