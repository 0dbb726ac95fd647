#!/usr/bin/env bash
# Two binaries of oit025 publishing the same two-year project, alternating, N rounds: the times of
# each (ms) in one run. OLD=path NEW=path PROJECT=dir [N=7] bash bench/publish-ab.sh
# (A two-year project: content/2569 and a copy as 2570 with every year moved on by one; see
# BENCHMARKS.md, "One pipeline".)
set -euo pipefail
old=${OLD:?the binary before}; new=${NEW:?the binary after}; project=${PROJECT:?a project with two years}
for i in $(seq 1 "${N:-7}"); do
  for b in old new; do
    bin=${!b}; rm -rf "$project/output"
    s=$(date +%s%N); "$bin" publish -C "$project" 2>/dev/null; e=$(date +%s%N)
    echo "$b $(( (e - s) / 1000000 ))"
  done
done | awk '{t[$1] = t[$1] " " $2} END {for (k in t) print k, t[k]}'
