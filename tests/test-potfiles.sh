#!/usr/bin/env bash
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, or when the Dutch translation is broken or incomplete.
set -euo pipefail
top=${1:?source root}
echo "1..2"

missing=$(cd "$top" && grep -lE '(^|[^a-zA-Z0-9_])(_|N_|C_)\(\s*"|translatable="yes"' \
            src/*.c app/*.c ui/*.ui resources/gtk/*.ui 2>/dev/null \
          | while read -r f; do grep -qxF "$f" po/POTFILES.in || echo "$f"; done)
if [ -n "$missing" ]; then
  echo "not ok 1 - files with translatable strings missing from po/POTFILES.in: $missing"
  exit 1
fi
echo "ok 1 - po/POTFILES.in lists every file with translatable strings"

out=$(msgfmt --check --statistics -o /dev/null "$top/po/nl.po" 2>&1)
if echo "$out" | grep -qE 'untranslated|fuzzy' || ! echo "$out" | grep -q 'translated message'; then
  echo "not ok 2 - po/nl.po is not complete: $out"
  exit 1
fi
echo "ok 2 - po/nl.po: $out"
