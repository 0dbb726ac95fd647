#!/usr/bin/env bash
# Whole build of the bundled FY 2569 report against typst itself (the official Python wheel)
# compiling the same generated Typst source, in the same run; and a one-value rebuild under
# `watch` against a cold build. Prints medians and ratios. Needs: pip install "typst==0.15.*".
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
cargo build --release --quiet
bin=target/release/oit025
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r content templates fonts "$work/"
"$bin" build -C "$work" --emit-typst "$work/report.typ" --out "$work/warm.pdf" 2>/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

ours=$(for _ in $(seq "$runs"); do time_ms "$bin" build -C "$work" --out "$work/ours.pdf"; done | median)
typst=$(for _ in $(seq "$runs"); do
  time_ms python3 -c "import typst; typst.compile('$work/report.typ', output='$work/ref.pdf', root='$work', font_paths=['$work/fonts'], pdf_standards=['a-3b', 'ua-1'])"
done | median)
python=$(for _ in $(seq "$runs"); do time_ms python3 -c "import typst"; done | median)
echo "whole build, oit025:              ${ours} ms (median of $runs processes)"
echo "typst wheel, same Typst source:   $((typst - python)) ms (${typst} ms less ${python} ms Python start-up)"
awk -v a="$ours" -v b="$((typst - python))" 'BEGIN { printf "ratio oit025 / typst:             %.2f\n", a / b }'

# Rebuild under watch after a one-value edit, against the cold build above.
log="$work/watch.log"
"$bin" watch -C "$work" 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
until grep -q "watching" "$log"; do sleep 0.1; done
for i in $(seq "$runs"); do
  sed -i "s/rank: [0-9]*/rank: $((120 + i))/" "$work/content/2569/scores.yaml"
  until [ "$(grep -c rebuilt "$log")" -gt "$i" ]; do sleep 0.05; done
done
kill $pid
rebuild=$(grep rebuilt "$log" | tail -n "$runs" | sed -E 's/.* in ([0-9.]+)(ms|s)$/\1 \2/' \
  | awk '{ print ($2 == "s") ? $1 * 1000 : $1 }' | median)
echo "rebuild after a one-value edit:   ${rebuild} ms (median of $runs, watch keeps the typst World)"
awk -v a="$rebuild" -v b="$ours" 'BEGIN { printf "ratio rebuild / cold build:       %.2f\n", a / b }'
/usr/bin/time -f "%M" -o "$work/mem" "$bin" build -C "$work" --out "$work/mem.pdf" 2>/dev/null
echo "peak memory, one build:           $(( $(tail -n 1 "$work/mem") / 1024 )) MB"
