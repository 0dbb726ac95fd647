#!/usr/bin/env bash
# Two oit025 binaries building the same project, alternating, RUNS times each (default 21):
# prints the median of each one's own count ("in N ms", main to PDF written) and the median of
# the ratios B/A of the runs made one right after the other, which a drift of the machine's speed
# moves less. Both PDFs must be the same bytes. Usage: bench/ab.sh A B [project folder]
set -euo pipefail
a=$1 b=$2 project=${3:-$(dirname "$0")/..}
runs=${RUNS:-21}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
time_of() { "$1" build -C "$project" --out "$2" 2>&1 | sed -nE 's/.* in ([0-9.]+) ms:.*/\1/p'; }
for _ in $(seq "$runs"); do
  time_of "$a" "$work/a.pdf" >>"$work/a"
  time_of "$b" "$work/b.pdf" >>"$work/b"
done
cmp -s "$work/a.pdf" "$work/b.pdf" || { echo "the two binaries' PDFs differ" >&2; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "A: $(median <"$work/a") ms, B: $(median <"$work/b") ms (medians of $runs)"
echo "B / A, pairs: $(paste -d' ' "$work/b" "$work/a" | awk '{printf "%.4f\n", $1 / $2}' | median)"
