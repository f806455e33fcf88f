#!/bin/sh
# Checks that po/POTFILES.in is sorted and lists every file with translatable strings.
set -eu
srcdir=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$srcdir"

listed=$(mktemp) found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

grep -v '^#' po/POTFILES.in | grep -v '^$' > "$listed"
status=0

if ! LC_ALL=C sort -c "$listed" 2>/dev/null; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort)"
  status=1
fi

{
  grep -rlE '(^|[^A-Za-z0-9_])N?_\(' --include='*.c' src | sort -u
  grep -rl 'translatable="yes"' --include='*.ui' src | sort -u
  ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml
} | LC_ALL=C sort -u > "$found"

missing=$(LC_ALL=C comm -13 "$listed" "$found")
stale=$(LC_ALL=C comm -23 "$listed" "$found")
if [ -n "$missing" ]; then
  echo "Missing from po/POTFILES.in:"; echo "$missing"; status=1
fi
for f in $stale; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists a file that does not exist: $f"; status=1
  fi
done
[ $status -eq 0 ] && echo "po/POTFILES.in is sorted and complete ($(wc -l < "$listed") files)"
exit $status
