#!/bin/sh
# Runs one libFuzzer target for a bounded time on a fresh corpus seeded from the project's seeds
# and, when present, the recorded Proxmox responses in ../shared. Exits non-zero on any crash.
set -eu
fuzzer=$1 seconds=${FUZZ_SECONDS:-20}
root=${PADDOCK_SOURCE_ROOT:?}
corpus=$(mktemp -d /tmp/paddock-fuzz-corpus.XXXXXX)
artifacts=$(mktemp -d /tmp/paddock-fuzz-artifacts.XXXXXX)
trap 'rm -rf "$corpus"' EXIT
cp "$root"/tests/fuzz/seeds/* "$corpus"/
if [ -d "$root/../shared/reference/pve-fixtures" ]; then
  find "$root/../shared/reference/pve-fixtures" -name '*.json' -exec cp {} "$corpus"/ \;
fi
echo "1..1"
if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" \
     -print_final_stats=1 "$corpus" > "$artifacts/log" 2>&1; then
  echo "ok 1 $(basename "$fuzzer") ran ${seconds}s: $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$artifacts/log" | grep -o '[0-9]*$') inputs"
  rm -rf "$artifacts"
else
  tail -n 40 "$artifacts/log" | sed 's/^/# /'
  echo "not ok 1 $(basename "$fuzzer") crashed: reproducer in $artifacts"
  exit 1
fi
