#!/usr/bin/env bash
# Build time of the FY 2569 report with oit025's Thai line breaks and text layer, against the same
# build before them (REF, default the last commit before issue #3's work), in the same run:
# both binaries build the same content in alternation; medians and their ratio are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${REF:-a32f5a8}
runs=${RUNS:-11}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# The reference binary, built from REF in the shared target directory (only oit025 recompiles).
git worktree add --quiet --detach "$work/src" "$ref"
CARGO_TARGET_DIR="$PWD/target" cargo build --release --quiet --manifest-path "$work/src/Cargo.toml"
cp target/release/oit025 "$work/before"
cargo build --release --quiet
cp target/release/oit025 "$work/after"

mkdir -p "$work/before-project" "$work/after-project"
cp -r "$work/src/content" "$work/src/templates" "$work/before-project/"
cp -r content templates "$work/after-project/"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
: >"$work/b"; : >"$work/a"
for _ in $(seq "$runs"); do
  time_ms "$work/before" build -C "$work/before-project" >>"$work/b"
  time_ms "$work/after" build -C "$work/after-project" >>"$work/a"
done
b=$(median <"$work/b"); a=$(median <"$work/a")
echo "whole build before ($ref):        ${b} ms (median of $runs processes)"
echo "whole build with word breaks and text layer: ${a} ms"
awk -v a="$a" -v b="$b" 'BEGIN { printf "ratio after / before:             %.2f (target at most 1.10)\n", a / b }'
for bin in before after; do
  /usr/bin/time -f "%M" -o "$work/mem" "$work/$bin" build -C "$work/$bin-project" 2>/dev/null
  echo "peak memory, $bin:                $(( $(tail -n 1 "$work/mem") / 1024 )) MB"
done
