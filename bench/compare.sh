#!/usr/bin/env bash
# Whole build of the bundled FY 2569 report against typst itself (the official Python wheel)
# compiling the same generated Typst source, and a one-value rebuild under `watch` against a cold
# build, all alternating in the same run. Prints medians and ratios. Needs: pip install "typst==0.15.*".
# The binary is the one built for batches and shipping (`--profile dist`), or as PROFILE or BIN
# say (bench/binary.sh: release, pgo, a path).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
source bench/binary.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r content templates fonts "$work/"
"$bin" build -C "$work" --emit-typst "$work/report.typ" --out "$work/warm.pdf" 2>/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One build, two times: the whole process (start to exit, as a user waits for it) and oit025's own
# count from its main function to the PDF written ("in N ms"), which leaves out what the wheel's
# count leaves out too: loading the program's code (the wheel's at `import typst`) and exiting.
ours_build() {
  local s e
  s=$(date +%s%N)
  "$bin" build -C "$work" --out "$work/ours.pdf" 2>"$work/err" >/dev/null
  e=$(date +%s%N)
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.1f\n", (e - s) / 1e6 }' >>"$work/ours"
  sed -nE 's/.* in ([0-9.]+) ms:.*/\1/p' "$work/err" >>"$work/inproc"
}

# The wheel times its own compile call: Python's start-up and import stay out, as the process
# start of oit025 stays in. Runs alternate, so a slower spell of the machine hits both.
wheel() {
  python3 - "$work" <<'PY'
import sys, time, typst
w = sys.argv[1]
t = time.perf_counter()
typst.compile(f"{w}/report.typ", output=f"{w}/ref.pdf", root=w, font_paths=[f"{w}/fonts"],
              ignore_system_fonts=True, pdf_standards=["a-3b", "ua-1"])
print(round((time.perf_counter() - t) * 1000, 1))
PY
}
: >"$work/ours"; : >"$work/inproc"; : >"$work/typst"
# A rebuild under watch after a one-value edit, in a second copy of the project, so that the three
# measures alternate too: a cold build, the wheel, a rebuild, and again.
mkdir "$work/w"
cp -r content templates fonts "$work/w/"
log="$work/watch.log"
"$bin" watch -C "$work/w" 2>"$log" &
pid=$!
# `|| true`: the loop below kills watch itself, and under `set -e` a second kill that finds no
# process failed the trap and so the script (exit 1 after printing every figure).
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q "watching" "$log"; do sleep 0.1; done
for i in $(seq "$runs"); do
  ours_build
  wheel >>"$work/typst"
  sed -i "s/rank: [0-9]*/rank: $((120 + i))/" "$work/w/content/2569/scores.yaml"
  until [ "$(grep -c rebuilt "$log")" -gt "$i" ]; do sleep 0.05; done
done
kill $pid
grep rebuilt "$log" | tail -n "$runs" | sed -E 's/.* in ([0-9.]+)(ms|s)$/\1 \2/' \
  | awk '{ print ($2 == "s") ? $1 * 1000 : $1 }' >"$work/rebuild"
# Each ratio twice: of the two medians, and the median of the ratios of the runs made one right
# after the other (the i-th of each), which a drift of the machine's speed during the run moves less.
ratios() {
  awk -v a="$(median <"$1")" -v b="$(median <"$2")" 'BEGIN { printf "%.2f", a / b }'
  printf ", pairs %s" "$(paste -d' ' "$1" "$2" | awk '{ printf "%.4f\n", $1 / $2 }' | median \
    | awk '{ printf "%.2f", $1 }')"
}
echo "whole build, oit025:              $(median <"$work/inproc") ms (median of $runs, main to PDF written)"
echo "typst wheel, same Typst source:   $(median <"$work/typst") ms (its compile call, timed in Python)"
echo "ratio oit025 / typst:             $(ratios "$work/inproc" "$work/typst") (target at most 1.0, issue 33)"
echo "whole oit025 process:             $(median <"$work/ours") ms (with loading the binary and exiting)"
echo "ratio process / typst call:       $(ratios "$work/ours" "$work/typst")"
echo "rebuild after a one-value edit:   $(median <"$work/rebuild") ms (median of $runs, watch keeps the typst World)"
echo "ratio rebuild / cold build:       $(ratios "$work/rebuild" "$work/inproc") (target at most 0.35)"
/usr/bin/time -f "%M" -o "$work/mem" "$bin" build -C "$work" --out "$work/mem.pdf" 2>/dev/null
echo "peak memory, one build:           $(( $(tail -n 1 "$work/mem") / 1024 )) MB"
