#!/usr/bin/env python3
"""Checks that the Flatpak manifest is valid JSON naming the right app, command and permissions."""
import json
import sys

path, expected_id = sys.argv[1], sys.argv[2]
try:
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"{path}: not valid JSON: {e}")

errors = []
if manifest.get("id") != expected_id:
    errors.append(f"id is {manifest.get('id')!r}, expected {expected_id!r}")
if manifest.get("command") != "paddock":
    errors.append(f"command is {manifest.get('command')!r}, expected 'paddock'")
if manifest.get("runtime") != "org.gnome.Platform":
    errors.append("runtime must be org.gnome.Platform")
args = set(manifest.get("finish-args", []))
for needed in ("--share=network", "--socket=wayland", "--socket=fallback-x11",
               "--talk-name=org.freedesktop.secrets", "--socket=ssh-auth"):
    if needed not in args:
        errors.append(f"finish-args lacks {needed}")
for broad in ("--filesystem=host", "--filesystem=home", "--socket=session-bus",
              "--socket=system-bus", "--device=all"):
    if broad in args:
        errors.append(f"finish-args grants more than needed: {broad}")
modules = {m.get("name"): m for m in manifest.get("modules", []) if isinstance(m, dict)}
ssh2 = modules.get("libssh2")
if ssh2 is None:
    errors.append("no libssh2 module")
else:
    for source in ssh2.get("sources", []):
        if len(source.get("sha256", "")) != 64:
            errors.append("libssh2 source is not pinned with a sha256")
if "paddock" not in modules:
    errors.append("no paddock module")

for e in errors:
    print(f"{path}: {e}")
if not errors:
    print(f"{path}: valid ({len(modules)} modules)")
sys.exit(1 if errors else 0)
