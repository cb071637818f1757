#!/usr/bin/env bash
# The engine's folders depend on each other one way only (HACKING.md):
# a file in src/DIR/ includes headers of DIR itself and of the folders
# DIR may use, never of a folder that depends on DIR; and the engine
# includes no GTK.
set -euo pipefail
top=${1:?source root}
cd "$top/src"

# folder: the folders it may include from (besides itself)
declare -A uses=(
  [base]=""
  [scan]="base"
  [material]="base scan"
  [render]="base scan material"
  [marks]="base scan material render"
  [manifest]="base"
  [detect]="base scan material manifest"
  [synth]="base scan material manifest"
  [case]="base scan material render marks manifest detect"
)
folders=$(find . -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
echo "1..3"

# 1: every folder is known to this test (a new one must be placed here)
unknown=$(for d in $folders; do [ -n "${uses[$d]+x}" ] || echo "$d"; done)
if [ -n "$unknown" ]; then
  echo "not ok 1 - src/ folders with no place in the dependency order: $unknown"
  exit 1
fi
echo "ok 1 - every folder of src/ has its place in the dependency order"

# where each header lives
declare -A home
for d in $folders; do
  for h in "$d"/*.h; do [ -e "$h" ] && home[$(basename "$h")]=$d; done
done
for h in ./*.h; do home[$(basename "$h")]=.; done

bad=()
for d in $folders; do
  for f in "$d"/*.c "$d"/*.h "$d"/*.cc "$d"/*.cpp; do
    [ -e "$f" ] || continue
    while read -r inc; do
      dir=${home[$inc]:-}
      [ -n "$dir" ] || continue        # generated (calibration-resources.h) or a system header
      [ "$dir" = "$d" ] && continue
      case " ${uses[$d]} " in *" $dir "*) continue ;; esac
      bad+=("src/$f includes $inc from ${dir/#./the root}")
    done < <(sed -n 's/^#include "\(dl-[^"]*\.h\)".*/\1/p' "$f")
  done
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "not ok 2 - includes against the dependency order:"
  printf '#   %s\n' "${bad[@]}"
  exit 1
fi
echo "ok 2 - includes follow the dependency order (base ← scan ← material ← render ← marks ← case ← session)"

gtk=$(grep -rlE '#include <(gtk|adwaita|gdk)' . || true)
if [ -n "$gtk" ]; then
  echo "not ok 3 - the engine includes GTK: $gtk"
  exit 1
fi
echo "ok 3 - the engine includes no GTK"
