#!/usr/bin/env bash
# N synthetic agencies (default 200), each a project made by `oit025 init --example` with its own name and
# its own indicator scores, built with --jobs 2 against --jobs 1 in the same run, ROUNDS times
# (default 1), alternating. Prints the medians, their ratio, the median of each round's own ratio,
# and reports per minute; then, in every round too, the typst wheel compiling the same generated
# sources with two workers (the reference: what typst alone does with the machine), and the ratio.
# OWN=1: each agency also writes its own text: its own abbreviation, and every text of analysis,
# measures, recommendations and assessment ends in words of its own, so that no paragraph or
# table cell is the same from one agency to the next (the default agencies share init's example
# text, as agencies share the templates' wording).
# The binary is the one built for batches (`--profile dist`, fat LTO), or as PROFILE or BIN say
# (bench/binary.sh; PROFILE=release tries the script without the LTO build). VS=release also
# builds the release profile a first-time user gets and times its --jobs 2 batch in every round, alternating, to print
# what the faster first build gives up.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${N:-200}
source bench/binary.sh
vs=${VS:-}
if [ -n "$vs" ]; then cargo build --profile "$vs" --quiet; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$work/agencies.txt"
for i in $(seq "$n"); do
  name="หน่วยงานตัวอย่างที่ $i"
  "$bin" init "$work/a$i" --example --agency "$name" 2>/dev/null
  # Scores of its own: every current indicator score moves by a per-agency amount.
  awk -v seed="$i" 'BEGIN { srand(seed) }
    /indicator: [0-9]+, previous:/ { match($0, /current: [0-9.]+/); v = substr($0, RSTART + 9, RLENGTH - 9) - rand() * 10;
      if (v < 0) v = 0; sub(/current: [0-9.]+/, sprintf("current: %.2f", v)) } { print }' \
    "$work/a$i/content/2569/scores.yaml" > "$work/s" && mv "$work/s" "$work/a$i/content/2569/scores.yaml"
  if [ "${OWN:-0}" = 1 ]; then
    python3 - "$work/a$i/content/2569" "$i" <<'PY'
import pathlib, re, sys
folder, i = pathlib.Path(sys.argv[1]), int(sys.argv[2])
letters = "กขคฆงฉชซญฎฐฒณดตถนบผพฟภมยรลวฬอฮ"
abbr = "ห" + letters[i // 30 % 30] + letters[i % 30] + "."
# A text value: a list item or a key other than a unit code, starting with a Thai letter.
text = re.compile(r"^(\s*(?:- |(?!coordinator|code)[a-z_]+: ))([\u0e00-\u0e7f].*?)\s*$")
for path in folder.glob("*.yaml"):
    lines = path.read_text(encoding="utf-8").replace("สลน.", abbr).split("\n")
    if path.stem in ("analysis", "measures", "recommendations", "assessment"):
        lines = [text.sub(lambda m: f"{m[1]}{m[2]} (ฉบับที่ {i})", l) for l in lines]
    path.write_text("\n".join(lines), encoding="utf-8")
PY
  fi
  echo "a$i" >> "$work/agencies.txt"
done
# The reference: the typst wheel compiling the same generated sources, two worker processes (as
# `--jobs 2`), each compiling its half of the agencies one after another in one process (its typst
# caches kept between reports, as oit025's batch keeps its own). WHEEL=0 leaves it out.
wheel=${WHEEL:-1}
if [ "$wheel" = 1 ]; then
  python3 -c "import typst" 2>/dev/null || { echo "the typst wheel is missing: pip install 'typst==0.15.*' (or WHEEL=0)"; exit 1; }
  while read -r a; do
    "$bin" build -C "$work/$a" --emit-typst "$work/$a/report.typ" --out "$work/$a/emit.pdf" 2>/dev/null
  done < "$work/agencies.txt"
  cat > "$work/wheel.py" <<'PY'
import sys, typst
work, fonts = sys.argv[1], sys.argv[2]
for a in sys.argv[3:]:
    root = f"{work}/{a}"
    typst.compile(f"{root}/report.typ", output=f"{root}/ref.pdf", root=root, font_paths=[fonts],
                  ignore_system_fonts=True, pdf_standards=["a-3b", "ua-1"])
PY
fi
wheel_run() {
  local s e
  mapfile -t all < "$work/agencies.txt"
  local half=$(( (${#all[@]} + 1) / 2 ))
  s=$(date +%s%N)
  python3 "$work/wheel.py" "$work" "$PWD/fonts" "${all[@]:0:$half}" &
  local p1=$!
  python3 "$work/wheel.py" "$work" "$PWD/fonts" "${all[@]:$half}" &
  local p2=$!
  wait $p1 $p2
  e=$(date +%s%N)
  echo $(( (e - s) / 1000000 ))
}
run() { local s e; s=$(date +%s%N); "${RUN_BIN:-$bin}" build --projects "$work/agencies.txt" --jobs "$1" 2>"$work/log-$1" || { tail "$work/log-$1"; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
rounds=${ROUNDS:-1}
: > "$work/times"
for r in $(seq "$rounds"); do
  line="$(run 1) $(run 2)"
  if [ "$wheel" = 1 ]; then line="$line $(wheel_run)"; else line="$line -"; fi
  if [ -n "$vs" ]; then line="$line $(RUN_BIN=$PWD/target/$vs/oit025 run 2)"; fi
  echo "$line" >> "$work/times"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
one=$(cut -d' ' -f1 "$work/times" | median)
two=$(cut -d' ' -f2 "$work/times" | median)
pairs=$(awk '{ printf "%.4f\n", $1 / $2 }' "$work/times" | median)
[ "${OWN:-0}" = 1 ] && echo "each agency with text of its own (OWN=1)"
echo "$n agencies, one by one (--jobs 1): ${one} ms (median of $rounds)"
echo "$n agencies, --jobs 2:              ${two} ms (median of $rounds)"
awk -v a="$one" -v b="$two" -v n="$n" -v p="$pairs" 'BEGIN {
  printf "speed-up with 2 jobs:              %.2fx, rounds %.2fx (target at least 1.7x)\n", a / b, p
  printf "reports per minute with 2 jobs:    %.0f (target at least 1,200, issue 33)\n", n * 60000 / b }'
if [ "$wheel" = 1 ]; then
  ref=$(cut -d' ' -f3 "$work/times" | median)
  wpairs=$(awk '{ printf "%.4f\n", $2 / $3 }' "$work/times" | median)
  awk -v a="$two" -v b="$ref" -v n="$n" -v p="$wpairs" 'BEGIN {
    printf "typst wheel, same sources, 2 workers: %d ms, %.0f reports a minute\n", b, n * 60000 / b
    printf "ratio oit025 --jobs 2 / wheel:     %.2f, rounds %.2f\n", a / b, p }'
fi
if [ -n "$vs" ]; then
  other=$(cut -d' ' -f4 "$work/times" | median)
  vpairs=$(awk '{ printf "%.4f\n", $4 / $2 }' "$work/times" | median)
  awk -v a="$other" -v b="$two" -v p="$vpairs" -v vs="$vs" -v main="${PROFILE:-dist}" 'BEGIN {
    printf "%s binary, --jobs 2:  %d ms: %.2fx the time of the %s binary, rounds %.2fx\n", vs, a, a / b, main, p }'
fi
