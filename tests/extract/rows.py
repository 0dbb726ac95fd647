"""Measures how table rows split over pages, from the tagged PDF's own structure and text.

Usage: python3 rows.py PDF  -> one JSON object on stdout.

typst tags every table cell as a structure element (TD) whose marked content lies on the pages
the cell is drawn on. A cell whose marked content lies on two pages was split there. Each part's
lines are the distinct baselines of the text drawn in that marked content on that page (the
current transformation matrix and text matrix applied, rounded to 0.5 pt).

For every split cell the script reports the lines before and after each page break, and:
  cells_split       how many cells are split over a page;
  short_parts       split cells with a part of fewer than 2 lines on either side of a break
                    (a lone line at a page foot or head);
  rows_split        row fragments at a page foot (cells of one row, split at one page break);
  short_row_starts  rows that start at a page foot with fewer than MIN_START lines in every cell
                    and go on over the page: the row would have moved whole;
  late_cells        cells that start on a later page than the rest of their row (the row is torn:
                    the cell is empty at the page foot).
"""

import json
import sys
from collections import defaultdict

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

MIN_LINES = 2
MIN_START = 3


def resolve(o):
    return o.get_object() if isinstance(o, IndirectObject) else o


def mul(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def baselines_by_mcid(page):
    """{MCID: set of baselines (y in points, rounded to 0.5)} of the text shown in each
    marked-content sequence of the page; nested sequences without an MCID count for their parent."""
    from pypdf.generic import ContentStream

    contents = page.get_contents()
    if contents is None:
        return {}
    ops = ContentStream(contents, page.pdf).operations
    ctm = (1, 0, 0, 1, 0, 0)
    stack = []
    tm = (1, 0, 0, 1, 0, 0)
    mcids = []  # stack of MCID or None
    out = defaultdict(set)
    for operands, op in ops:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = mul(tuple(float(x) for x in operands), ctm)
        elif op == b"BT":
            tm = (1, 0, 0, 1, 0, 0)
        elif op == b"Tm":
            tm = tuple(float(x) for x in operands)
        elif op in (b"BDC", b"BMC"):
            mcid = None
            if op == b"BDC":
                props = operands[1]
                props = resolve(props)
                if isinstance(props, DictionaryObject) and "/MCID" in props:
                    mcid = int(props["/MCID"])
            if mcid is None and mcids:
                mcid = mcids[-1]
            mcids.append(mcid)
        elif op == b"EMC":
            if mcids:
                mcids.pop()
        elif op in (b"Tj", b"TJ", b"'", b'"'):
            if mcids and mcids[-1] is not None:
                m = mul(tm, ctm)
                out[mcids[-1]].add(round(m[5] * 2) / 2)
    return out


def marked_content(elem, page, acc):
    """(page object number, MCID) of every marked-content reference under a structure element."""
    elem = resolve(elem)
    if isinstance(elem, DictionaryObject):
        if "/Pg" in elem:
            page = elem.raw_get("/Pg").idnum
        if elem.get("/Type") == "/MCR":
            acc.append((page, int(elem["/MCID"])))
            return acc
        if elem.get("/Type") == "/OBJR":
            return acc
        kids = elem.get("/K")
        if kids is None:
            return acc
        kids = resolve(kids)
        if not isinstance(kids, ArrayObject):
            kids = [kids]
        for k in kids:
            if isinstance(k, NumberObject) or isinstance(resolve(k), int):
                acc.append((page, int(resolve(k))))
            else:
                marked_content(k, page, acc)
    return acc


def cells(root):
    """Every TD structure element with its parent (the TR), in document order."""
    out = []

    def walk(elem, parent):
        elem = resolve(elem)
        if not isinstance(elem, DictionaryObject):
            return
        if elem.get("/S") == "/TD":
            out.append((elem, parent))
            return
        kids = elem.get("/K")
        if kids is None:
            return
        kids = resolve(kids)
        if not isinstance(kids, ArrayObject):
            kids = [kids]
        for k in kids:
            walk(k, elem)

    walk(root, None)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: rows.py PDF")
    reader = PdfReader(sys.argv[1])
    page_number = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(reader.pages)}
    page_object = {p.indirect_reference.idnum: p for p in reader.pages}
    baselines = {}
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    split_cells = []
    rows = defaultdict(list)  # (TR id, page break) -> [(lines before, lines after)]
    first_pages = defaultdict(list)  # TR id -> first page of each of its cells with text
    for td, tr in cells(root):
        refs = marked_content(td, None, [])
        lines = defaultdict(set)
        for page, mcid in refs:
            if page not in baselines:
                baselines[page] = baselines_by_mcid(page_object[page])
            lines[page_number[page]] |= baselines[page].get(mcid, set())
        pages = sorted(p for p in lines if lines[p])
        if pages:
            first_pages[id(tr)].append(pages[0])
        if len(pages) < 2:
            continue
        counts = [len(lines[p]) for p in pages]
        split_cells.append({"pages": pages, "lines": counts})
        for i in range(len(pages) - 1):
            rows[(id(tr), pages[i])].append((counts[i], counts[i + 1]))
    short = [c for c in split_cells if any(n < MIN_LINES for n in c["lines"])]
    short_starts = [
        {"page": page, "cells": parts}
        for (_, page), parts in rows.items()
        if max(before for before, _ in parts) < MIN_START
    ]
    late = sum(sum(p > min(firsts) for p in firsts) for firsts in first_pages.values())
    result = {
        "cells_split": len(split_cells),
        "short_parts": len(short),
        "rows_split": len(rows),
        "short_row_starts": len(short_starts),
        "late_cells": late,
        "split_cells": split_cells,
        "short_row_start_examples": short_starts,
    }
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
