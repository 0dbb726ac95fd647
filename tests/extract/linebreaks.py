"""Measures where a PDF breaks its Thai lines, and whether adjacent lines' marks touch.

Usage: python3 linebreaks.py PDF [SOURCE_DIR ...]  -> one JSON object on stdout.

Lines and their words come from poppler (`pdftotext -bbox-layout`); consecutive lines of a
paragraph (or table cell) form a line break. A "Thai line break" has a Thai character
(U+0E01..U+0E5B) on both sides: the break is not at a space. Each is classified with an independent
segmenter on the paragraph's text joined without a space at that break. oit025 breaks with
PyThaiNLP's maximal matching over PyThaiNLP's word list (nlpo3), so the judge is a different
method trained on different data: deepcut, a neural segmenter learnt from the BEST corpus
(pythainlp's "deepcut" engine, ONNX). ICU is no judge: typst's own breaks come from ICU's model,
and ICU's dictionary splits ร้อย|ละ and ไตร|มาส, the very breaks this measures.
  between   the break falls on a word boundary;
  compound  it falls inside a word whose two halves the judge reads as one word each, e.g.
            ภาย|นอก;
  inside    it cuts a word (a fault), e.g. สะดว|ก.
"inside_strict" counts compounds and insides together.
A line ending at a space loses that space in the PDF's text, so the judge would read two words a
typist separated ("สพป.แดนดี เขต ๒" broken at its space) as one. Given the project's source
folders (its content/ and templates/), a break whose few letters either side occur in their text
with a space between them and never without one is a break at a space: counted as "at_space",
not as a Thai line break (the judge never sees the report's own word marks, only what its author
typed).
Lines that begin with a repetition mark (ๆ or ฯ) are counted over all breaks.

"touching": every page is rendered once at 300 dpi in grey (pdftoppm). For each pair of
consecutive lines, the pixel rows from the middle of line i to the middle of line i+1, over the x
range where both lines have words, must contain one entirely white row (all >= 250); if none
does, the marks of the two lines touch (e.g. a vowel above meets a descender).

The text poppler extracts may itself be faulty (duplicated syllables); it is measured as it is.
"""

import json
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DPI = 300
SCALE = DPI / 72.0
WHITE = 250  # a pixel at least this bright is paper
RULE = 128  # a pixel column darker than this over a line's height is a table rule
REPEAT_MARKS = ("ๆ", "ฯ")
MAX_INSIDE_EXAMPLES = 30
MAX_COMPOUND_EXAMPLES = 10
MAX_TOUCHING_EXAMPLES = 10
CONTEXT = 8  # characters shown either side of a break in examples
GAP_TOLERANCE = 0.6  # points either side of the leading
HEIGHT_TOLERANCE = 1.0  # points


def is_thai(ch):
    return "\u0e01" <= ch <= "\u0e5b"


# ---------------------------------------------------------------------------------------------
# Rendering (once per page)


def render_pages(pdf, outdir, jobs=2):
    """Renders every page to a grey PGM file, `jobs` pdftoppm processes at once; returns the
    files in page order."""
    count = int(
        next(
            l.split(":", 1)[1]
            for l in subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True)
            .stdout.decode("utf-8", "replace")
            .splitlines()
            if l.startswith("Pages:")
        )
    )
    chunk = -(-count // jobs)
    ranges = [(f, min(f + chunk - 1, count)) for f in range(1, count + 1, chunk)]

    def run(first_last):
        first, last = first_last
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", "-f", str(first), "-l", str(last), str(pdf), str(outdir / "p")],
            check=True,
            capture_output=True,
        )

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, ranges))
    files = sorted(outdir.glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[-1]))
    if len(files) != count:
        raise RuntimeError(f"pdftoppm made {len(files)} images for {count} pages")
    return files


def read_pgm(path):
    """Returns (width, height, pixels) of a binary 8-bit PGM (P5); pixels is bytes, row-major."""
    data = path.read_bytes()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5" or int(fields[3]) > 255:
        raise ValueError(f"{path}: not an 8-bit binary PGM")
    width, height = int(fields[1]), int(fields[2])
    pos += 1  # the single whitespace after maxval
    return width, height, data[pos : pos + width * height]


def px(v, limit):
    return min(max(int(round(v * SCALE)), 0), limit)


# ---------------------------------------------------------------------------------------------
# Layout: poppler's lines, split at table rules, chained into paragraphs


def local_name(tag):
    return tag.rsplit("}", 1)[-1]


def read_layout(pdf):
    """A list of pages; a page is a list of lines in poppler's order; a line is a list of words;
    a word is {"text", "xMin", "yMin", "xMax", "yMax"} (PDF points, origin top left)."""
    xhtml = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True
    ).stdout
    pages = []
    for page in ET.fromstring(xhtml).iter():
        if local_name(page.tag) != "page":
            continue
        lines = []
        for line in page.iter():
            if local_name(line.tag) != "line":
                continue
            words = [
                {"text": w.text or "", **{k: float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")}}
                for w in line
                if local_name(w.tag) == "word"
            ]
            if words:
                lines.append(words)
        pages.append(lines)
    return pages


def make_line(words):
    return {
        "text": " ".join(w["text"] for w in words),
        "words": words,
        "xMin": min(w["xMin"] for w in words),
        "yMin": min(w["yMin"] for w in words),
        "xMax": max(w["xMax"] for w in words),
        "yMax": max(w["yMax"] for w in words),
    }


def rule_between(image, left, right):
    """True if a dark pixel column (a table's vertical rule) fills the gap between two words of a
    line over the line's height."""
    width, height, pixels = image
    c0, c1 = px(left["xMax"], width), px(right["xMin"], width)
    r0 = px(max(left["yMin"], right["yMin"]), height - 1) + 2
    r1 = px(min(left["yMax"], right["yMax"]), height - 1) - 2
    if r1 <= r0:
        return False
    return any(max(pixels[r0 * width + c : r1 * width + c : width]) < RULE for c in range(c0, c1))


def split_at_rules(words_lines, image):
    """Poppler sometimes reads the lines of two neighbouring table cells as one line; split each
    line where a vertical rule runs between two of its words."""
    lines = []
    for words in words_lines:
        part = [words[0]]
        for left, right in zip(words, words[1:]):
            if rule_between(image, left, right):
                lines.append(make_line(part))
                part = []
            part.append(right)
        lines.append(make_line(part))
    return lines


# The brief was "consecutive lines of a poppler <block>", but on Typst's output poppler makes a
# block of every single line (the gap between lines, 0.35-0.55 em, is more than poppler allows
# inside a block), so blocks hold no line breaks at all. Lines are therefore chained here: line B
# continues line A when B overlaps A horizontally, has about A's height (same font size) and lies
# one leading below A. The leading of a line height is the commonest gap between a line of that
# height and the nearest overlapping line below it; bigger gaps (paragraph spacing, cell insets,
# table rows) end the paragraph. Lines ended by a forced break (titles, numbered steps in a cell)
# chain too, as they would in a poppler block; such breaks are between words by construction.


def height_of(line):
    return line["yMax"] - line["yMin"]


def x_overlap(a, b):
    return min(a["xMax"], b["xMax"]) - max(a["xMin"], b["xMin"])


def leading_by_height(pages):
    """{line height rounded to 0.1 pt: commonest gap, to 0.1 pt, to the nearest line below}."""
    votes = {}
    for lines in pages:
        for line in lines:
            below = [l for l in lines if l is not line and l["yMin"] >= line["yMax"] - 1 and x_overlap(line, l) > 0]
            if not below:
                continue
            nearest = min(below, key=lambda l: (l["yMin"], -x_overlap(line, l)))
            if abs(height_of(nearest) - height_of(line)) > HEIGHT_TOLERANCE:
                continue
            gaps = votes.setdefault(round(height_of(line), 1), {})
            gap = round(nearest["yMin"] - line["yMax"], 1)
            gaps[gap] = gaps.get(gap, 0) + 1
    return {h: max(g, key=g.get) for h, g in votes.items()}


def leading_for(line, leadings):
    if not leadings:
        return None
    h = round(height_of(line), 1)
    return leadings[h] if h in leadings else leadings[min(leadings, key=lambda k: abs(k - h))]


def paragraphs_of(lines, leadings):
    """A page's lines chained into paragraphs (lists of lines, top to bottom)."""
    following, taken = {}, set()
    for i, line in enumerate(lines):
        leading = leading_for(line, leadings)
        if leading is None:
            continue
        best = None
        for j, other in enumerate(lines):
            if j == i or j in taken or x_overlap(line, other) <= 0:
                continue
            if abs(height_of(other) - height_of(line)) > HEIGHT_TOLERANCE:
                continue
            if abs(other["yMin"] - line["yMax"] - leading) > GAP_TOLERANCE:
                continue
            if best is None or x_overlap(line, other) > x_overlap(line, lines[best]):
                best = j
        if best is not None:
            following[i] = best
            taken.add(best)
    paragraphs = []
    for i in range(len(lines)):
        if i in taken:
            continue  # not the first line of a paragraph
        chain = [i]
        while chain[-1] in following:
            chain.append(following[chain[-1]])
        paragraphs.append([lines[k] for k in chain])
    return paragraphs


# ---------------------------------------------------------------------------------------------
# Thai line breaks


def paragraph_text_joined_at(lines, k):
    """The paragraph's text with lines joined by a space, except lines k and k+1, joined with
    nothing; returns (text, offset of the break)."""
    left = " ".join(l["text"] for l in lines[: k + 1])
    right = " ".join(l["text"] for l in lines[k + 1 :])
    return left + right, len(left)


def token_spans(tokens):
    spans, pos = [], 0
    for t in tokens:
        spans.append((pos, pos + len(t)))
        pos += len(t)
    return spans


def segment_all(texts):
    """The judge's words of each text."""
    from pythainlp.tokenize import word_tokenize

    return [word_tokenize(t, engine="deepcut", keep_whitespace=True) for t in texts]


def classify_all(breaks):
    """("between" | "compound" | "inside") for each (text, offset)."""
    tokens_of = segment_all([text for text, _ in breaks])
    kinds, halves = [], []
    for (text, offset), tokens in zip(breaks, tokens_of):
        kind = "inside"
        for start, end in token_spans(tokens):
            if offset in (start, end):
                kind = "between"
                break
            if start < offset < end:
                halves.append((len(kinds), text[start:offset], text[offset:end]))
                break
        kinds.append(kind)
    if halves:
        heads = segment_all([h for _, h, _ in halves])
        tails = segment_all([t for _, _, t in halves])
        for (i, _, _), head, tail in zip(halves, heads, tails):
            if len(head) == 1 and len(tail) == 1:
                kinds[i] = "compound"
    return kinds


def show_break(text, offset):
    return text[max(0, offset - CONTEXT) : offset] + "|" + text[offset : offset + CONTEXT]


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
SPACE_CONTEXT = 4  # characters either side of a break looked for in the sources


def read_sources(dirs):
    """The text of every file under the source folders, its white space runs made one space and
    its digits Arabic (the report may print Thai digits), or None without folders."""
    if not dirs:
        return None
    texts = []
    for d in dirs:
        for f in sorted(Path(d).rglob("*")):
            if f.is_file() and f.suffix in (".yaml", ".yml", ".typ", ".toml"):
                texts.append(" ".join(f.read_text(encoding="utf-8", errors="replace").split()))
    return "\n".join(texts).translate(THAI_DIGITS)


def at_space(before, after, sources):
    """Whether the sources hold the letters either side of a line break with a space between them
    and never without: the line broke at a space the author typed."""
    if sources is None:
        return False
    left = before.split(" ")[-1][-SPACE_CONTEXT:].translate(THAI_DIGITS)
    right = after.split(" ")[0][:SPACE_CONTEXT].translate(THAI_DIGITS)
    return f"{left} {right}" in sources and f"{left}{right}" not in sources


def measure_breaks(paragraphs_by_page, sources=None):
    counts = {"thai_breaks": 0, "between": 0, "compound": 0, "inside": 0, "inside_strict": 0}
    counts["at_space"] = 0
    counts["repeat_mark_starts_line"] = 0
    examples = {"inside": [], "compound": []}
    found = []
    for paragraphs in paragraphs_by_page:
        for lines in paragraphs:
            for k in range(len(lines) - 1):
                before, after = lines[k]["text"], lines[k + 1]["text"]
                if after.startswith(REPEAT_MARKS):
                    counts["repeat_mark_starts_line"] += 1
                if not (before and after and is_thai(before[-1]) and is_thai(after[0])):
                    continue
                if at_space(before, after, sources):
                    counts["at_space"] += 1
                    continue
                counts["thai_breaks"] += 1
                found.append(paragraph_text_joined_at(lines, k))
    for (text, offset), kind in zip(found, classify_all(found)):
        counts[kind] += 1
        counts["inside_strict"] += kind != "between"
        if kind in examples:
            examples[kind].append(show_break(text, offset))
    n = counts["thai_breaks"]
    counts["pct_between"] = round(100.0 * counts["between"] / n, 1) if n else None
    counts["pct_inside"] = round(100.0 * counts["inside"] / n, 1) if n else None
    counts["examples_inside"] = examples["inside"][:MAX_INSIDE_EXAMPLES]
    counts["examples_compound"] = examples["compound"][:MAX_COMPOUND_EXAMPLES]
    return counts


# ---------------------------------------------------------------------------------------------
# Touching lines


def word_intervals(line):
    """The x intervals a line's words cover, merged."""
    merged = []
    for w in sorted(line["words"], key=lambda w: w["xMin"]):
        if merged and w["xMin"] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], w["xMax"])
        else:
            merged.append([w["xMin"], w["xMax"]])
    return merged


def common_intervals(a, b):
    return [(max(x0, y0), min(x1, y1)) for x0, x1 in a for y0, y1 in b if min(x1, y1) > max(x0, y0)]


WHITE_BYTES = bytes(range(WHITE, 256))


def lines_touch(image, upper, lower):
    """True if no pixel row between the middles of two lines is white where both lines have
    words; None if they have no x range in common."""
    width, height, pixels = image
    columns = [(px(x0, width), px(x1, width)) for x0, x1 in common_intervals(word_intervals(upper), word_intervals(lower))]
    columns = [(c0, c1) for c0, c1 in columns if c1 > c0]
    if not columns:
        return None
    r0 = px((upper["yMin"] + upper["yMax"]) / 2, height - 1)
    r1 = px((lower["yMin"] + lower["yMax"]) / 2, height - 1)
    for r in range(r0, r1 + 1):
        base = r * width
        if all(not pixels[base + c0 : base + c1].translate(None, WHITE_BYTES) for c0, c1 in columns):
            return False  # this row is paper all along
    return True


def measure_touching(paragraphs_by_page, images):
    checked, touching, examples = 0, 0, []
    for number, paragraphs in enumerate(paragraphs_by_page, start=1):
        image = read_pgm(images[number - 1])
        for lines in paragraphs:
            for upper, lower in zip(lines, lines[1:]):
                touch = lines_touch(image, upper, lower)
                if touch is None:
                    continue
                checked += 1
                if touch:
                    touching += 1
                    if len(examples) < MAX_TOUCHING_EXAMPLES:
                        examples.append({"page": number, "lines": [upper["text"], lower["text"]]})
    return {"touching": touching, "touching_examples": examples, "line_pairs_checked": checked}


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: linebreaks.py PDF [SOURCE_DIR ...]")
    pdf = Path(sys.argv[1])
    sources = read_sources(sys.argv[2:])
    with tempfile.TemporaryDirectory(prefix="linebreaks-") as tmp:
        images = render_pages(pdf, Path(tmp))
        pages = read_layout(pdf)
        if len(pages) != len(images):
            raise RuntimeError(f"poppler read {len(pages)} pages but rendered {len(images)}")
        pages = [split_at_rules(lines, read_pgm(file)) for lines, file in zip(pages, images)]
        leadings = leading_by_height(pages)
        paragraphs_by_page = [paragraphs_of(lines, leadings) for lines in pages]
        result = measure_breaks(paragraphs_by_page, sources)
        result["line_pairs"] = sum(len(p) - 1 for paragraphs in paragraphs_by_page for p in paragraphs)
        result.update(measure_touching(paragraphs_by_page, images))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
