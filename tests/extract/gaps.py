"""Measures the gaps between words in the justified lines of a PDF's body text.

Usage: python3 gaps.py PDF  -> one JSON object on stdout.

Lines and their words come from poppler (`pdftotext -bbox-layout`); poppler ends a word at a space,
so the gap between two words of a line is the space between them as drawn. Body text is 11 pt
(its words are about 1.3 x 11 pt tall, the line box of Sarabun) and fills the text block between
the margins (3 cm left, 2 cm right). A justified line is a body line that reaches the right margin
(within TOLERANCE): every line of a justified paragraph but its last, which ends where its text
ends. Table text (10 pt) and headings that end short of the margin are not counted, nor the gap
after a list's marker (the list's indent).
  justified_lines  how many lines were measured;
  widest_gap       the widest gap between two words of a justified line, in points;
  natural_gap      the median gap between words in body lines that end short of the margin
                   (the last lines of paragraphs, set without stretching): the space as drawn;
  widest           the line with the widest gap, its page and the words either side of it;
  widest_gap_baseline  the same read from the words of one baseline: poppler splits a line with a
                   very wide gap in two lines that neither reaches both margins, so the holes
                   widest_gap_thai is there to find are the ones it misses ("สำนักงาน…ภูผาทอง
                   [436 pt] ได้", issue 33); with the line, its page and text (widest_baseline);
  widest_gap_baseline_latin  the same for the lines that hold a Latin letter ("and Transparency
                   Assessment - ITA) เป็น…", which poppler also splits), with widest_baseline_latin;
  widest_gap_thai  the widest gap of the justified lines that hold no Latin letter. Latin words are
                   not letter-spaced (templates/style.typ), so a line that is mostly a Latin phrase
                   ("(External Integrity and" after a Thai name too long to break) has only its
                   spaces to stretch.
"""

import json
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

LEFT, RIGHT = 3 / 2.54 * 72, 2 / 2.54 * 72  # margins in points
BODY_HEIGHT = (13.5, 15.5)  # 11 pt Sarabun, ascender to descender: 14.3 pt
TOLERANCE = 1.0  # points
MARKERS = ("•", "-", "–")


def local(tag):
    return tag.rsplit("}", 1)[-1]


def baseline_gaps(number, right, words, latin=False):
    """The justified body lines of a page read by baseline, [widest gap, page, text]: those that
    hold no Latin letter, or with `latin` those that hold one."""
    rows = {}
    for w in words:
        if BODY_HEIGHT[0] <= w[4] - w[2] <= BODY_HEIGHT[1]:
            rows.setdefault(round(w[4] * 2), []).append(w)
    out = []
    for row in rows.values():
        row.sort(key=lambda w: w[1])
        if len(row) < 2 or row[0][1] < LEFT - TOLERANCE or row[-1][3] < right - TOLERANCE:
            continue
        if any(c.isascii() and c.isalpha() for w in row for c in w[0]) != latin:
            continue
        gaps = [b[1] - a[3] for a, b in zip(row, row[1:]) if a[0] not in MARKERS]
        if gaps:
            out.append([round(max(gaps), 2), number, " ".join(w[0] for w in row)])
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gaps.py PDF")
    xhtml = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox-layout", sys.argv[1], "-"], check=True, capture_output=True
    ).stdout
    justified, natural, widest, widest_thai = 0, [], None, None
    baseline, baseline_latin = [], []
    number = 0
    for page in ET.fromstring(xhtml).iter():
        if local(page.tag) != "page":
            continue
        number += 1
        right = float(page.get("width")) - RIGHT
        words = [
            (w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter()
            if local(w.tag) == "word"
        ]
        baseline += baseline_gaps(number, right, words)
        baseline_latin += baseline_gaps(number, right, words, latin=True)
        for line in page.iter():
            if local(line.tag) != "line":
                continue
            words = [
                (w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                for w in line
                if local(w.tag) == "word"
            ]
            if len(words) < 2 or words[0][1] < LEFT - TOLERANCE:
                continue
            if not all(BODY_HEIGHT[0] <= y1 - y0 <= BODY_HEIGHT[1] for _, _, y0, _, y1 in words):
                continue
            words.sort(key=lambda w: w[1])
            # The gap after a list's marker is the list's indent, not a space.
            gaps = [(b[1] - a[3], a[0], b[0]) for a, b in zip(words, words[1:]) if a[0] not in MARKERS]
            if not gaps:
                continue
            if words[-1][3] >= right - TOLERANCE:
                justified += 1
                gap = max(gaps)
                if not any(c.isascii() and c.isalpha() for w in words for c in w[0]):
                    widest_thai = max(widest_thai or 0.0, gap[0])
                if widest is None or gap[0] > widest["gap"]:
                    widest = {
                        "gap": round(gap[0], 2),
                        "page": number,
                        "between": [gap[1], gap[2]],
                        "line": " ".join(w[0] for w in words),
                    }
            else:
                natural.extend(g for g, _, _ in gaps)
    result = {
        "widest_gap_baseline": max((g[0] for g in baseline), default=None),
        "widest_baseline": max(baseline, default=None),
        "widest_gap_baseline_latin": max((g[0] for g in baseline_latin), default=None),
        "widest_baseline_latin": max(baseline_latin, default=None),
        "justified_lines": justified,
        "widest_gap": widest["gap"] if widest else None,
        "widest_gap_thai": round(widest_thai, 2) if widest_thai is not None else None,
        "natural_gap": round(statistics.median(natural), 2) if natural else None,
        "widest": widest,
    }
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
