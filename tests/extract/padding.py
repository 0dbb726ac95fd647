"""How close the glyphs of table cells come to the cells' vertical rules, from the PDF's own drawing.

Usage: python3 padding.py PDF  -> one JSON object on stdout.

A table's cell keeps its inset (4 pt each side, style.typ) between its text and its rules, as a
typist leaves a margin inside every box. pdfminer.six reads every glyph's box (LTChar: its advance
and the font's height) and every vertical rule (LTLine, or an LTRect thin enough to be one); for
each glyph between two rules of its row, the gap is the distance from its box to the nearer of
them, measured from the rule's centre line (where typst puts the cell's edge). Glyphs of zero
width (marks above and below) are skipped: their box is a point inside their base letter's.
"""

import json
import sys

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTCurve, LTLine, LTRect

THIN = 1.5  # a rectangle narrower than this is a rule


def walk(obj, chars, rules):
    if isinstance(obj, LTChar):
        if obj.get_text().strip() and obj.x1 - obj.x0 > 0.01:
            chars.append(obj)
    elif isinstance(obj, (LTLine, LTRect, LTCurve)):
        if abs(obj.x1 - obj.x0) <= THIN and obj.y1 - obj.y0 > 2:
            rules.append(((obj.x0 + obj.x1) / 2, obj.y0, obj.y1))
    if hasattr(obj, "__iter__") and not isinstance(obj, LTChar):
        for child in obj:
            walk(child, chars, rules)


def main(pdf):
    smallest, glyphs, examples = None, 0, []
    gaps = []
    for number, page in enumerate(extract_pages(pdf, laparams=LAParams()), start=1):
        chars, rules = [], []
        walk(page, chars, rules)
        for c in chars:
            middle = (c.y0 + c.y1) / 2
            centre = (c.x0 + c.x1) / 2
            row = [x for x, y0, y1 in rules if y0 < middle < y1]
            left = [x for x in row if x <= centre]
            right = [x for x in row if x > centre]
            if not left or not right:
                continue
            glyphs += 1
            gap = min(c.x0 - max(left), min(right) - c.x1)
            gaps.append((gap, f"p{number} {c.get_text()!r} at x={c.x0:.2f}-{c.x1:.2f}, rules at x={max(left):.2f} and {min(right):.2f}"))
            if smallest is None or gap < smallest:
                smallest = gap
    gaps.sort(key=lambda g: g[0])
    examples = [f"{g:.2f} pt: {what}" for g, what in gaps[:10]]
    print(json.dumps({"glyphs_in_cells": glyphs, "smallest_gap": smallest, "closest": examples}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
