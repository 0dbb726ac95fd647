"""Measures the line breaks a Thai typist would not make (issue 33): inside a URL or e-mail
address other than after / . ? & = - _, or leaving fewer than three of its characters on a line;
after a hyphen that follows fewer than three letters ("e- / Service"); between a number and the
classifier that counts it ("๘ / จุด", "รุ่น / ละ"); inside one of the agency's names or codes, or
a compound, that would have fitted on the line; a name broken leaving one or two letters alone.

Usage: python3 units.py PDF TERMS.json -> one JSON object on stdout. TERMS.json holds
{"names": [...], "compounds": [...]}: the agency's abbreviation, unit codes and glossary terms,
and the compounds that must not be split where the line has room.

Lines are chained into paragraphs (and table cells) as linebreaks.py does. Each break between
two lines is looked at in the paragraph's text with all spaces taken out, so that a break at a
space and a break between two letters are judged alike. A name or compound "fits" when its two
parts, each at the width a character of its line, come to less than the widest line of its
paragraph (or cell).
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
URL = re.compile(r"(?:https?://|www\.)[^\sก-๛]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
URL_BREAK_AFTER = "/.?&=-_"
MAX_EXAMPLES = 20


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
    """The terms the break at `at` falls inside, that `fits(start, end)` says would have fitted
    on one line, and those it leaves one or two letters of alone, wherever they fit."""
    broken, alone, spans = [], [], []
    # Longest first: a term inside a longer one ("สพป.แดนดี" in "ศต.สพป.แดนดี") is judged as that.
    for term in sorted(terms, key=len, reverse=True):
        t = term.replace(" ", "")
        start = text.find(t)
        while start != -1:
            end = start + len(t)
            inside = any(s <= start and end <= e for s, e in spans)
            spans.append((start, end))
            if start < at < end and not inside:
                if fits(start, end):
                    broken.append(term)
                head = sum(lb.is_thai(c) or c.isalnum() for c in t[: at - start])
                tail = sum(lb.is_thai(c) or c.isalnum() for c in t[at - start :])
                if min(head, tail) < 3:
                    alone.append(term)
            start = text.find(t, start + 1)
    return broken, alone


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: units.py PDF TERMS.json")
    pdf = Path(sys.argv[1])
    terms = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    names = sorted(set(terms.get("names", [])), key=len, reverse=True)
    compounds = terms.get("compounds", [])
    with tempfile.TemporaryDirectory(prefix="units-") as tmp:
        images = lb.render_pages(pdf, Path(tmp))
        pages = lb.read_layout(pdf)
        pages = [lb.split_at_rules(lines, lb.read_pgm(f)) for lines, f in zip(pages, images)]
    leadings = lb.leading_by_height(pages)
    found = {k: [] for k in ("url", "short_hyphen", "number", "name", "name_alone", "compound")}
    breaks = 0
    for lines in pages:
        for paragraph in lb.paragraphs_of(lines, leadings):
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
                found["name"] += [f"{n}: {show(text, at)}" for n in broken]
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
