"""Counts the spaces an extractor reads inside Thai words ("เครื่ องมือ" for เครื่องมือ).

Usage: python3 innerspaces.py PDF...  -> one JSON object on stdout: for each extractor, how many
single spaces between two Thai characters it read ("checked"), how many of them lie inside a word
("inside"), how many spaces between two words it does not read ("dropped"), and the first few of
each in context.

A space is inside a word when the text read in content-stream order (pdftotext -raw, which the
copy-out test holds verbatim to the YAML) has the three characters before it and the three after
it side by side, and never with white space between them. Extractors whose layout analysis sets
table cells side by side on one line separate them by several spaces: only single spaces count.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import extract  # noqa: E402

THAI = "\u0e01-\u0e4e"
# A single space between two Thai characters, with up to three characters of each side.
PAIR = re.compile(rf"(?<! )(\S{{0,2}}[{THAI}]) (?=([{THAI}]\S{{0,2}}))")
SHOWN = 5


def poppler_layout(path):
    """pdftotext -layout: poppler's layout analysis, keeping the page's columns apart."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")


EXTRACTORS = {
    "poppler": extract.poppler,  # pdftotext's default mode
    "poppler_layout": poppler_layout,
    "pdfium": extract.pdfium,
    "pdfjs": extract.pdfjs,
    "pypdf": extract.pypdf,
}


def inner_spaces(text, reference):
    """The single spaces `text` has between two Thai characters, and those of them inside a word."""
    checked, inside = 0, []
    for line in text.splitlines():
        for m in PAIR.finditer(line):
            before, after = m.group(1), m.group(2)
            checked += 1
            joined = before + after
            # Two lines of the page set side by side (table cells whose lines align): the one
            # ends a line of the content-order text and the other starts one.
            side_by_side = re.search(re.escape(before) + r"$", reference, re.M) and re.search(
                r"^" + re.escape(after), reference, re.M
            )
            if (
                joined in reference
                and not side_by_side
                and not re.search(re.escape(before) + r"\s+" + re.escape(after), reference)
            ):
                inside.append(f"{before} {after}")
    return checked, inside


def dropped_spaces(text, reference):
    """The spaces between two words (a single space between Thai characters in `reference`) that
    `text` reads as one word: the three characters on each side joined, never with a space."""
    flat = " ".join(text.split())
    dropped = []
    for line in reference.splitlines():
        for m in PAIR.finditer(line):
            before, after = m.group(1), m.group(2)
            if before + after in flat and f"{before} {after}" not in flat:
                dropped.append(f"{before}|{after}")
    return dropped


def main():
    out = {
        name: {"checked": 0, "inside": 0, "examples": [], "dropped": 0, "dropped_examples": []}
        for name in EXTRACTORS
    }
    for pdf in sys.argv[1:]:
        reference = extract.poppler_raw(pdf)
        for name, read in EXTRACTORS.items():
            text = read(pdf)
            checked, inside = inner_spaces(text, reference)
            dropped = dropped_spaces(text, reference)
            r = out[name]
            r["checked"] += checked
            r["inside"] += len(inside)
            r["examples"] += [f"{Path(pdf).name}: {s}" for s in inside][: SHOWN - len(r["examples"])]
            r["dropped"] += len(dropped)
            shown = SHOWN - len(r["dropped_examples"])
            r["dropped_examples"] += [f"{Path(pdf).name}: {s}" for s in dropped][:shown]
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
