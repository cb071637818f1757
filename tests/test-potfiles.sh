#!/usr/bin/env bash
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in, or when po/nl.po lacks, leaves untranslated or breaks any
# string of the current sources (extracted afresh with xgettext).
set -euo pipefail
top=${1:?source root}
echo "1..2"

# every source at any depth: src/ and app/ have subfolders (app/cli/ …),
# and a file moved into one must not slip past this check
sources() {
  find src app -type f -name '*.c' 2>/dev/null || true
  find ui resources/gtk -type f -name '*.ui' 2>/dev/null || true
}
missing=$(cd "$top" && sources | LC_ALL=C sort | while read -r f; do
            if grep -qE '(^|[^a-zA-Z0-9_])(_|N_|C_)\(\s*"|translatable="yes"' "$f" \
               && ! grep -qxF "$f" po/POTFILES.in; then
              echo "$f"
            fi
          done)
if [ -n "$missing" ]; then
  echo "not ok 1 - files with translatable strings missing from po/POTFILES.in: ${missing//$'\n'/ }"
  exit 1
fi
echo "ok 1 - po/POTFILES.in lists every file with translatable strings"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$top" && grep -v '^#' po/POTFILES.in | grep . > "$tmp/files")
(cd "$top" && xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
   --add-comments --files-from="$tmp/files" -o "$tmp/doorlicht.pot")
msgmerge --quiet --no-fuzzy-matching -o "$tmp/nl.po" "$top/po/nl.po" "$tmp/doorlicht.pot"
out=$(msgfmt --check --statistics -o /dev/null "$tmp/nl.po" 2>&1)
if echo "$out" | grep -qE 'untranslated|fuzzy'; then
  echo "not ok 2 - po/nl.po is not complete against the sources: $out"
  msgattrib --untranslated "$tmp/nl.po" | grep '^msgid' | head -20 | sed 's/^/# /'
  exit 1
fi
echo "ok 2 - po/nl.po against the sources: $out"
