"""Finds glyphs drawn across a table's rules or outside the page, from the PDF's own drawing.

Usage: python3 cells.py PDF  -> one JSON object on stdout.

pdfminer.six reads every glyph's box (LTChar) and every ruled line (LTLine, and LTRect thin enough to
be a rule). A glyph "crosses" a vertical rule when the rule runs through the glyph's box by more
than CROSS points on both sides and overlaps it vertically; "outside" counts glyphs that end past
the page's edges. A glyph's box is its advance and the font's height, so a rule that only touches
a glyph's side bearing is not counted.
"""

import json
import sys

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTCurve, LTLine, LTRect

CROSS = 1.0  # points a rule must run inside a glyph's box, on either side
THIN = 1.5  # a rectangle narrower than this is a rule


def walk(obj, chars, rules):
    if isinstance(obj, LTChar):
        if obj.get_text().strip():
            chars.append(obj)
    elif isinstance(obj, (LTLine, LTRect, LTCurve)):
        if abs(obj.x1 - obj.x0) <= THIN and obj.y1 - obj.y0 > 2:
            rules.append(((obj.x0 + obj.x1) / 2, obj.y0, obj.y1))
    if hasattr(obj, "__iter__") and not isinstance(obj, LTChar):
        for child in obj:
            walk(child, chars, rules)


def main(pdf):
    crossing, outside, examples = 0, 0, []
    pages = 0
    for number, page in enumerate(extract_pages(pdf, laparams=LAParams()), start=1):
        pages += 1
        chars, rules = [], []
        walk(page, chars, rules)
        width, height = page.width, page.height
        for c in chars:
            if c.x0 < 0 or c.x1 > width or c.y0 < 0 or c.y1 > height:
                outside += 1
            for x, y0, y1 in rules:
                if c.x0 + CROSS < x < c.x1 - CROSS and y0 < (c.y0 + c.y1) / 2 < y1:
                    crossing += 1
                    if len(examples) < 10:
                        examples.append(f"p{number} {c.get_text()!r} at x={c.x0:.1f}-{c.x1:.1f}, rule x={x:.1f}")
                    break
    print(json.dumps({"pages": pages, "glyphs_crossing_rules": crossing, "glyphs_outside_page": outside, "examples": examples}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
