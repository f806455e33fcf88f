#!/bin/sh
# Runs last: no test secret may have reached Paddock's databases or the GSettings keyfile.
set -u
marker=paddock-test-secret-
data=${XDG_DATA_HOME:-$HOME/.local/share}
config=${XDG_CONFIG_HOME:-$HOME/.config}

db="$data/paddock/paddock.db"
keyfile="$config/glib-2.0/settings/keyfile"
for f in "$db" "$keyfile"; do
  if [ ! -f "$f" ]; then
    echo "expected $f to exist (written by test-secrets); nothing to check is a failure"
    exit 1
  fi
done

# Every database a test wrote (with WAL and journal files), and the settings.
files=$(find "$data/paddock" "$data/paddock-tests" "$config/glib-2.0" -type f 2>/dev/null)
count=$(echo "$files" | grep -c .)
leaks=$(echo "$files" | xargs grep -l -a -F "$marker" 2>/dev/null)
if [ -n "$leaks" ]; then
  echo "Test secrets found in:"
  echo "$leaks"
  exit 1
fi
echo "no test secret in $count files (databases, WAL files, GSettings keyfile)"
