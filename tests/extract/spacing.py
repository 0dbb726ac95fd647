"""Measures how justified lines are spread: the letters of Latin words, and each line's spaces
against its neighbours'.

Usage: python3 spacing.py PDF  -> one JSON object on stdout.

"latin": the characters pdfminer reads (each with the advance its font gives it, x1 - x0) in
runs of Latin letters and digits on one line. Between two characters of a run, the distance from
the end of the first's advance to the start of the second is the letter spacing the layout added
(kerning changes a few pairs, mostly narrower); a run whose median gap is over LETTER_SPACED points
is letter-spaced, as justified lines spread their letters.
  latin_runs      runs of two characters or more measured;
  letter_spaced   runs with a spread gap, and examples (the word, its widest gap, page);
  widest_letter_gap  the widest median gap of a run, in points;
  url_runs, url_letter_spaced(_examples)  the same for the runs of URLs and e-mail addresses,
                  counted apart: oit025 boxes each piece of a URL between the places it may break.
"lines": body lines (11 pt, from the left margin to the right one, as gaps.py takes them) read by
poppler, which ends a word at a space: a line's spacing is the mean width of its spaces, and the
natural space is the median space of the body lines that end short of the margin (set without
justification, as gaps.py measures it). Two justified lines one line pitch apart belong to one
paragraph. A line is much tighter than its neighbour when both hold:
  - its spaces are squeezed: under SQUEEZED (80%) of the natural space. 80% is the least word
    spacing a typesetter's defaults allow (InDesign's minimum word spacing) and where TeX's
    "tight" fitness class begins (a space shrunk by half of its shrink, 5/6 of it, less a little);
    a Thai space separates phrases and sentences, and narrower than that it reads as a gap
    between letters;
  - they are under TIGHTER (two thirds) of its neighbour's: the squeezed line under or over a
    stretched one that the issue (#33) names. A loose line over a natural one is not a tight line;
    gaps.py bounds how loose a line may get (the holes guard), and loose_pairs counts them here.
  line_pairs      pairs of adjacent justified lines of a paragraph measured;
  tight_lines     pairs where one line is much tighter than the other, with examples;
  squeezed_lines  justified lines whose spaces are squeezed, whatever their neighbours;
  loose_pairs     pairs whose spaces differ by TIGHTER and a point without either being squeezed
                  (a line stretched where the next word could not fit; for information);
  widest_ratio    the largest ratio between the spacing of two such lines;
  natural_space   the natural space, in points.
"cover": the lines of the first page (the report's title, centred and never justified): a line
whose median gap between two characters with an advance (Thai marks above and below have none)
is over LETTER_SPACED points is letter-spaced, as a justified line with no space to stretch is.
  cover_lines     lines of the cover measured;
  cover_letter_spaced  those letter-spaced, with examples (the line, its median gap).
"lonely": a line of one short word (LONELY_CHARS characters or fewer, no space) between two lines
of its paragraph or cell (same left edge, the same pitch above and below), the line after it not
starting an item of a list ("๒)", "•"), where it would end its own item: "ของ" alone before a
unit's full name too wide to join it.
  lonely_lines    such lines, with examples (page, the line before, the word, the line after).
"""

import json
import re
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer

LETTER_SPACED = 0.15  # points: more than rounding and than any kerning pair widens
SQUEEZED = 0.8  # of the natural space: narrower is squeezed
TIGHTER = 0.67  # a line's spaces under two thirds of its neighbour's
MIN_DIFFERENCE = 1.0  # points, for loose_pairs
LEFT, RIGHT = 3 / 2.54 * 72, 2 / 2.54 * 72  # margins in points
BODY_HEIGHT = (13.5, 15.5)  # 11 pt Sarabun, ascender to descender
TOLERANCE = 1.0  # points
MARKERS = ("•", "-", "–")
MAX_EXAMPLES = 10
LONELY_CHARS = 4


def is_latin(c):
    return c.isascii() and c.isalnum()


def chars_of(layout):
    if isinstance(layout, LTChar):
        yield layout
    elif isinstance(layout, LTContainer):
        for child in layout:
            yield from chars_of(child)


URL_CHARS = "./:@-_?&=%"


def latin_runs(layout_pages):
    """(page, [LTChar], in_url) for each run of Latin letters and digits, in reading order:
    consecutive characters on one baseline, each starting where the one before ends (give or take
    a letter spacing). in_url: the run is part of a URL or an e-mail address (the text around it
    up to a space holds "/", "@" or a dot between two letters, or ends its line in a dot with the
    next line going on in Latin letters)."""
    for number, page in enumerate(layout_pages, start=1):
        chars = sorted(chars_of(page), key=lambda c: (round(-c.y0, 0), c.x0))
        texts = [c.get_text() for c in chars]

        def adjacent(i, j):
            a, b = chars[i], chars[j]
            return abs(a.y0 - b.y0) < 0.5 and 0 <= b.x0 - a.x0 <= 2 * (a.x1 - a.x0) + 2

        def chunk(first, last):
            while first > 0 and adjacent(first - 1, first) and (
                texts[first - 1] in URL_CHARS or is_latin(texts[first - 1])
            ):
                first -= 1
            while last + 1 < len(chars) and adjacent(last, last + 1) and (
                texts[last + 1] in URL_CHARS or is_latin(texts[last + 1])
            ):
                last += 1
            text = "".join(texts[first : last + 1])
            # A URL broken after its dot: the next line goes on with it.
            if text.endswith(".") and last + 1 < len(chars) and not adjacent(last, last + 1):
                text += texts[last + 1] if is_latin(texts[last + 1]) else ""
            return text

        i = 0
        while i < len(chars):
            if not (len(texts[i]) == 1 and is_latin(texts[i])):
                i += 1
                continue
            j = i
            while j + 1 < len(chars) and is_latin(texts[j + 1]) and adjacent(j, j + 1):
                j += 1
            if j > i:
                around = chunk(i, j)
                domain = any(a.isalnum() and b == "." and c.isalnum() for a, b, c in zip(around, around[1:], around[2:]))
                yield number, chars[i : j + 1], "/" in around or "@" in around or domain
            i = j + 1


def measure_latin(layout_pages):
    runs, spaced, widest, examples = 0, 0, 0.0, []
    url_runs, url_spaced, url_examples = 0, 0, []
    for number, run, in_url in latin_runs(layout_pages):
        # Tracking widens every gap of a run alike; a kerning pair widens one.
        gap = statistics.median(b.x0 - a.x1 for a, b in zip(run, run[1:]))
        if in_url:
            url_runs += 1
            url_spaced += gap > LETTER_SPACED
            if gap > LETTER_SPACED and len(url_examples) < MAX_EXAMPLES:
                word = "".join(c.get_text() for c in run)
                url_examples.append({"word": word, "gap": round(gap, 2), "page": number})
            continue
        runs += 1
        widest = max(widest, gap)
        if gap > LETTER_SPACED:
            spaced += 1
            if len(examples) < MAX_EXAMPLES:
                word = "".join(c.get_text() for c in run)
                examples.append({"word": word, "gap": round(gap, 2), "page": number})
    return {
        "latin_runs": runs,
        "letter_spaced": spaced,
        "widest_letter_gap": round(widest, 2),
        "letter_spaced_examples": examples,
        "url_runs": url_runs,
        "url_letter_spaced": url_spaced,
        "url_letter_spaced_examples": url_examples,
    }


def local(tag):
    return tag.rsplit("}", 1)[-1]


def bbox_pages(pdf):
    """The pages poppler reads (`pdftotext -bbox-layout`), as XML elements."""
    xhtml = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox-layout", pdf, "-"], check=True, capture_output=True
    ).stdout
    return [p for p in ET.fromstring(xhtml).iter() if local(p.tag) == "page"]


def justified_lines(bboxes):
    """Per page, the body lines that reach the right margin: (top, mean space width, text); and
    the spaces of the body lines that end short of it."""
    pages, natural = [], []
    for page in bboxes:
        right = float(page.get("width")) - RIGHT
        lines = []
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
            gaps = [b[1] - a[3] for a, b in zip(words, words[1:]) if a[0] not in MARKERS]
            if not gaps:
                continue
            if words[-1][3] >= right - TOLERANCE:
                text = " ".join(w[0] for w in words)
                lines.append((words[0][2], statistics.mean(gaps), text))
            else:
                natural.extend(gaps)
        pages.append(sorted(lines))
    return pages, natural


def measure_lines(bboxes):
    pages, natural = justified_lines(bboxes)
    natural = statistics.median(natural)
    steps = [round(b[0] - a[0], 1) for lines in pages for a, b in zip(lines, lines[1:])]
    pitch = statistics.mode(steps) if steps else None
    squeezed = lambda line: line[1] < SQUEEZED * natural
    pairs, tight, loose, widest, examples = 0, 0, 0, 1.0, []
    for number, lines in enumerate(pages, start=1):
        for a, b in zip(lines, lines[1:]):
            if abs(b[0] - a[0] - pitch) > 0.5:
                continue  # not the next line of the same paragraph
            pairs += 1
            (narrow, wide) = sorted([a, b], key=lambda l: l[1])
            ratio = wide[1] / narrow[1] if narrow[1] > 0 else float("inf")
            widest = max(widest, ratio)
            if narrow[1] < TIGHTER * wide[1] and squeezed(narrow):
                tight += 1
                if len(examples) < MAX_EXAMPLES:
                    examples.append(
                        {
                            "page": number,
                            "spaces": [round(a[1], 2), round(b[1], 2)],
                            "lines": [a[2], b[2]],
                        }
                    )
            elif narrow[1] < TIGHTER * wide[1] and wide[1] - narrow[1] > MIN_DIFFERENCE:
                loose += 1
    return {
        "line_pairs": pairs,
        "tight_lines": tight,
        "squeezed_lines": sum(squeezed(line) for lines in pages for line in lines),
        "loose_pairs": loose,
        "widest_ratio": round(widest, 2),
        "natural_space": round(natural, 2),
        "tight_examples": examples,
    }


def measure_cover(page):
    lines = {}
    for c in chars_of(page):
        if c.x1 - c.x0 > 0.1 and c.get_text().strip():
            lines.setdefault(round(c.y0), []).append(c)
    measured, spaced, examples = 0, 0, []
    for _, chars in sorted(lines.items(), reverse=True):
        chars.sort(key=lambda c: c.x0)
        gaps = [b.x0 - a.x1 for a, b in zip(chars, chars[1:]) if 0 <= b.x0 - a.x1 < 2]
        if len(gaps) < 3:
            continue
        measured += 1
        gap = statistics.median(gaps)
        if gap > LETTER_SPACED:
            spaced += 1
            examples.append({"line": "".join(c.get_text() for c in chars), "gap": round(gap, 2)})
    return {"cover_lines": measured, "cover_letter_spaced": spaced, "cover_examples": examples}


def measure_lonely(bboxes):
    found, examples = 0, []
    for number, page in enumerate(bboxes, start=1):
        columns = {}
        for line in page.iter():
            if local(line.tag) != "line":
                continue
            text = " ".join(w.text or "" for w in line if local(w.tag) == "word")
            left, top = round(float(line.get("xMin"))), float(line.get("yMin"))
            columns.setdefault(left, []).append((top, text))
        for lines in columns.values():
            lines.sort()
            for a, b, c in zip(lines, lines[1:], lines[2:]):
                pitch = b[0] - a[0]
                if (
                    len(b[1]) <= LONELY_CHARS
                    and " " not in b[1]
                    and abs((c[0] - b[0]) - pitch) < 0.5
                    and pitch < 20
                    and not re.match(r"([0-9๐-๙]+\)|•)", c[1])
                ):
                    found += 1
                    if len(examples) < MAX_EXAMPLES:
                        examples.append([number, a[1][-20:], b[1], c[1][:20]])
    return {"lonely_lines": found, "lonely_examples": examples}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: spacing.py PDF")
    # Each reading of the PDF made once: pdfminer's characters, poppler's lines.
    layout_pages = list(extract_pages(sys.argv[1]))
    bboxes = bbox_pages(sys.argv[1])
    result = measure_latin(layout_pages)
    result.update(measure_lines(bboxes))
    result.update(measure_cover(layout_pages[0]))
    result.update(measure_lonely(bboxes))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
