#!/bin/sh
# Runs one libFuzzer target on a fresh corpus seeded from the project's seeds and, when present,
# the recorded Proxmox responses in tests/reference. By default the run is reproducible (fixed seed and
# number of inputs, so CI repeats what passed here); FUZZ_SECONDS=N explores freely for N seconds.
# Exits non-zero on any crash, leak or undefined behaviour.
set -eu
fuzzer=$1 runs=${2:-200000}
root=${PADDOCK_SOURCE_ROOT:?}
corpus=$(mktemp -d /tmp/paddock-fuzz-corpus.XXXXXX)
artifacts=$(mktemp -d /tmp/paddock-fuzz-artifacts.XXXXXX)
trap 'rm -rf "$corpus"' EXIT
cp "$root"/tests/fuzz/seeds/* "$corpus"/
find "$root/tests/reference/pve-fixtures" -name '*.json' -exec cp {} "$corpus"/ \;
if [ -n "${FUZZ_SECONDS:-}" ]; then
  limits="-max_total_time=$FUZZ_SECONDS"
else
  limits="-seed=1 -runs=$runs -max_total_time=300"
fi
echo "1..1"
# shellcheck disable=SC2086
if "$fuzzer" $limits -timeout=2 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" \
     -print_final_stats=1 "$corpus" > "$artifacts/log" 2>&1; then
  echo "ok 1 $(basename "$fuzzer"): $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$artifacts/log" | grep -o '[0-9]*$') inputs ($limits)"
  rm -rf "$artifacts"
else
  tail -n 40 "$artifacts/log" | sed 's/^/# /'
  echo "not ok 1 $(basename "$fuzzer") crashed: reproducer in $artifacts"
  exit 1
fi
