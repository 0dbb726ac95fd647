"""Measures the line breaks a Thai typist would not make (issue 33): inside a URL or e-mail
address other than after / . ? & = - _, or leaving fewer than three of its characters on a line;
after a hyphen that follows fewer than three letters ("e- / Service"); between a number and the
classifier that counts it ("๘ / จุด", "รุ่น / ละ"); inside one of the agency's names or codes, or
a compound, that would have fitted on the line; a name broken leaving one or two letters alone.

Usage: python3 units.py PDF TERMS.json [WHOLE.pdf] -> one JSON object on stdout. TERMS.json holds
{"names": [...], "compounds": [...]}: the agency's abbreviation, unit codes and glossary terms,
and the compounds that must not be split where the line has room.

Lines are chained into paragraphs (and table cells) as linebreaks.py does. Each break between
two lines is looked at in the paragraph's text with all spaces taken out, so that a break at a
space and a break between two letters are judged alike. A name or compound "fits" when its two
parts, each at the width a character of its line, come to less than the widest line of its
paragraph (or cell). A break is counted once, at the longest name it breaks where one fits: a
name that cannot fit may break between its own parts ("ศูนย์ปฏิบัติการต่อต้านการทุจริต /
สำนักงาน…"), but not inside a shorter name of the list that would fit there.

WHOLE.pdf, the same report laid out with every name kept whole (`OIT025_FULL_NAMES=whole
oit025 build`), is what keeping the names whole prints. With it, a name broken where it fits is
excused (name_excused, not name) where keeping the names of its paragraph whole leaves a hole
there: the same paragraph (the same text) in WHOLE.pdf has a gap between two words wider than
HOLE_SPACES spaces of its font, and wider than the paragraph's widest gap as printed. The
paragraph is the unit because the layout decides breaks by paragraph (one name kept whole moves
every break after it) and opens the names of a paragraph together (pdf::Openings). A ragged line
(a heading's last line, the cover's title, a cell) is never a hole: its line may end short, so
keeping a name whole there costs nothing. Both PDFs are then read by baseline, so that a line
poppler splits at a very wide gap stays one line of its paragraph.
"""

import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import linebreaks as lb  # noqa: E402

# Classifiers and units that count or measure what a number before them gives: the judge's own
# list, written from Thai grammar (ลักษณนาม) and the units of government reports.
CLASSIFIERS = (
    "หมู่บ้าน จุด คน ครั้ง รุ่น แห่ง หน่วยงาน ข้อ เรื่อง วัน เดือน ปี บาท คะแนน ราย โรงเรียน "
    "อำเภอ ตำบล จังหวัด ชั่วโมง นาที สัปดาห์ ฉบับ โครงการ มาตรการ กิจกรรม รายการ เท่า ชุด เล่ม "
    "เครื่อง คัน หลัง ห้อง ระดับ ตัวชี้วัด ส่วน ไตรมาส ล้าน แสน หมื่น พัน กลุ่ม หน่วย ท่าน องค์กร "
    "ประเด็น ด้าน ขั้นตอน ช่องทาง ตัว ชิ้น แผ่น ภาพ คณะ ทีม กอง ศูนย์ สำนัก อัตรา ตำแหน่ง ราย "
    "ร้อยละ เปอร์เซ็นต์ กิโลเมตร เมตร ไร่ ลิตร"
).split()
DIGITS = "0123456789๐๑๒๓๔๕๖๗๘๙"
# Numbers written in words: a classifier after one counts it as after digits ("สามข้อ").
THAI_NUMBERS = "หนึ่ง สอง สาม สี่ ห้า หก เจ็ด แปด เก้า สิบ ยี่สิบ ร้อย พัน หมื่น แสน ล้าน".split()
URL = re.compile(r"(?:https?://|www\.)[^\sก-๛]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
URL_BREAK_AFTER = "/.?&=-_"
MAX_EXAMPLES = 20
# A hole: a gap between two words wider than this many spaces, the bound the holes guard
# (typography::justified_lines_have_no_holes) sets for a Thai line.
HOLE_SPACES = 2.5
# Sarabun's space, 243 of 1000 units to the em (fonts/Sarabun-Regular.ttf), and its line box, 1.3
# em from ascender to descender (an 11 pt word is 14.3 pt tall): a word's height gives its size.
SPACE_EM = 0.243
LINE_BOX_EM = 1.3
MARKERS = ("•", "-", "–")


def squashed(lines):
    """The paragraph's text without spaces, and the offset of each line break in it."""
    text, breaks = "", []
    for line in lines:
        if text:
            breaks.append(len(text))
        text += line["text"].replace(" ", "")
    return text, breaks


def show(text, at):
    return text[max(0, at - 12) : at] + " / " + text[at : at + 12]


def number_split(text, at):
    before, after = text[:at], text[at:]
    if number_word_split(before, after):
        return True
    if before.endswith(tuple(DIGITS)):
        number = re.search(r"[" + DIGITS + ".,]+$", before).group()
        # A year over คะแนน is a table heading's lines, which the template writes so.
        year = len(number) == 4 and "." not in number
        # The classifier as a word of its own, as the judge's segmenter reads what follows:
        # "๒ / รายงาน" is no number of ราย.
        starts = [c for c in CLASSIFIERS if after.startswith(c)]
        if not starts or year:
            return False
        ends = {e for _, e in lb.token_spans(lb.segment_all([after[:30]])[0])}
        return any(len(c) in ends for c in starts)
    # A classifier and ละ ("รุ่นละ ๖๐ คน") are one word.
    return after.startswith("ละ") and any(before.endswith(c) for c in CLASSIFIERS)


def number_word_split(before, after):
    """A number written in words and the classifier that counts it, each a word of the judge's
    segmenter, with the break between them ("ข้อมูลสาม / ข้อ")."""
    words = [n for n in THAI_NUMBERS if before.endswith(n)]
    starts = [c for c in CLASSIFIERS if after.startswith(c)]
    if not words or not starts:
        return False
    tail = before[-30:]
    spans = lb.token_spans(lb.segment_all([tail + after[:30]])[0])
    begins, ends, k = {s for s, _ in spans}, {e for _, e in spans}, len(tail)
    return (
        k in ends
        and any(k - len(n) in begins for n in words)
        and any(k + len(c) in ends for c in starts)
    )


def url_fault(text, at):
    """What is wrong with a break at `at` inside a URL or e-mail address, or None."""
    for m in URL.finditer(text):
        if not (m.start() < at < m.end()):
            continue
        url = m.group()
        k = at - m.start()
        if url[k - 1] not in URL_BREAK_AFTER:
            return "inside a label"
        if k < 3 or len(url) - k < 3:
            return "fewer than three characters"
    return None


def short_hyphen(text, at):
    before = text[:at]
    # A line ending before a word's own hyphen ("(e / -Office)") is as wrong as after it.
    if text[at:].startswith("-") and re.search(r"[A-Za-z0-9]$", before):
        return True
    if not before.endswith("-"):
        return False
    letters = re.search(r"[A-Za-z]*-$", before).group()[:-1]
    return 0 < len(letters) < 3


def line_widths(paragraph):
    """Each line's width per character (points), and the widest line."""
    per = [(l["xMax"] - l["xMin"]) / max(1, len(l["text"].replace(" ", ""))) for l in paragraph]
    return per, max(l["xMax"] - l["xMin"] for l in paragraph)


def broken_terms(text, at, terms, fits):
    """The longest term the break at `at` falls inside where one containing the break would have
    fitted on one line (`fits(start, end)`), and those it leaves one or two letters of alone,
    wherever they fit. A list of at most one: each break is counted once."""
    broken, alone = [], []
    # Longest first: the term that names the break in examples.
    for term in sorted(terms, key=len, reverse=True):
        t = term.replace(" ", "")
        start = text.find(t)
        while start != -1:
            end = start + len(t)
            if start < at < end:
                if fits(start, end) and not broken:
                    broken.append(term)
                head = sum(lb.is_thai(c) or c.isalnum() for c in t[: at - start])
                tail = sum(lb.is_thai(c) or c.isalnum() for c in t[at - start :])
                if min(head, tail) < 3 and not alone:
                    alone.append(term)
            start = text.find(t, start + 1)
    return broken, alone


def by_baseline(lines):
    """A page's poppler lines joined where they share a baseline and a height (poppler splits a
    line at a very wide gap); split_at_rules parts them again where a table rule runs between."""
    rows = []
    for words in lines:
        base, height = max(w["yMax"] for w in words), max(w["yMax"] - w["yMin"] for w in words)
        for row in rows:
            if abs(row[0] - base) < 0.5 and abs(row[1] - height) < lb.HEIGHT_TOLERANCE:
                row[2].extend(words)
                break
        else:
            rows.append([base, height, list(words)])
    return [sorted(words, key=lambda w: w["xMin"]) for _, _, words in rows]


def read_paragraphs(pdf, joined=False):
    """The PDF's paragraphs (and cells), page by page, as linebreaks.py chains them; `joined`:
    its lines read by baseline."""
    with tempfile.TemporaryDirectory(prefix="units-") as tmp:
        images = lb.render_pages(pdf, Path(tmp))
        pages = lb.read_layout(pdf)
        if joined:
            pages = [by_baseline(lines) for lines in pages]
        pages = [lb.split_at_rules(lines, lb.read_pgm(f)) for lines, f in zip(pages, images)]
    leadings = lb.leading_by_height(pages)
    return [lb.paragraphs_of(lines, leadings) for lines in pages]


def widest_gap(paragraph):
    """The widest gap between two words of the paragraph's lines, in spaces of their font."""
    widest = 0.0
    for line in paragraph:
        words = sorted(line["words"], key=lambda w: w["xMin"])
        for a, b in zip(words, words[1:]):
            if a["text"] in MARKERS:
                continue
            space = SPACE_EM * (a["yMax"] - a["yMin"]) / LINE_BOX_EM
            widest = max(widest, (b["xMin"] - a["xMax"]) / space)
    return widest


def holes_by_text(pages):
    """{a paragraph's text without spaces: its widest gap in spaces}."""
    return {squashed(p)[0]: widest_gap(p) for paragraphs in pages for p in paragraphs}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: units.py PDF TERMS.json [WHOLE.pdf]")
    pdf = Path(sys.argv[1])
    terms = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    names = sorted(set(terms.get("names", [])), key=len, reverse=True)
    compounds = terms.get("compounds", [])
    whole = Path(sys.argv[3]) if len(sys.argv) == 4 else None
    pages = read_paragraphs(pdf, joined=whole is not None)
    holes = holes_by_text(read_paragraphs(whole, joined=True)) if whole else None
    found = {
        k: [] for k in ("url", "short_hyphen", "number", "name", "name_excused", "name_alone", "compound")
    }
    breaks = 0
    for paragraphs in pages:
        for paragraph in paragraphs:
            text, offsets = squashed(paragraph)
            per, widest = line_widths(paragraph)
            for k, at in enumerate(offsets):
                # A term broken here: its part on each line, at that line's width a character.
                def fits(start, end, k=k, at=at):
                    return (at - start) * per[k] + (end - at) * per[k + 1] <= widest - 1.0

                breaks += 1
                fault = url_fault(text, at)
                if fault:
                    found["url"].append(f"{fault}: {show(text, at)}")
                if short_hyphen(text, at):
                    found["short_hyphen"].append(show(text, at))
                if number_split(text, at):
                    found["number"].append(show(text, at))
                broken, alone = broken_terms(text, at, names, fits)
                for n in broken:
                    kind, why = "name", ""
                    if holes is not None:
                        kept, printed = holes.get(text), widest_gap(paragraph)
                        if kept is None:
                            why = " (its paragraph is not in the whole layout)"
                        elif kept > HOLE_SPACES and kept > printed:
                            kind = "name_excused"
                        if kept is not None:
                            why = f" (kept whole: a gap of {kept:.2f} spaces; printed: {printed:.2f})"
                    found[kind].append(f"{n}: {show(text, at)}{why}")
                found["name_alone"] += [f"{n}: {show(text, at)}" for n in alone]
                broken, _ = broken_terms(text, at, compounds, fits)
                found["compound"] += [f"{n}: {show(text, at)}" for n in broken]
    result = {"breaks": breaks}
    for kind, examples in found.items():
        result[kind] = len(examples)
        result[f"examples_{kind}"] = examples[:MAX_EXAMPLES]
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
