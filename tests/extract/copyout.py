"""Checks that the text typed in the YAML content can be copied back out of the PDF.

Usage: python3 copyout.py PDF CONTENT_DIR [TEMPLATE]  -> one JSON object on stdout.

Expected items: every string in CONTENT_DIR/*.yaml that contains a Thai letter and is printed
verbatim (see SKIPPED below for what is not), one item per non-empty line of a string; plus the
literal Thai wording of the report template (templates/report.typ, or TEMPLATE) outside any
{% if %} block, cut at template variables and Typst markup. Each of five extractors (extract.py)
reads the PDF; page numbers ("- ๒ -") are dropped, all whitespace is removed from both sides, and
an item is found when it is a substring of the pages' text joined together, or when it was cut by
a page break (a table row that continues on the next page): a first part ends page N's text and
the rest is on page N+1, both verbatim; these are counted as "split". poppler and pdfminer
are read in content-stream order (poppler_raw, pdfium_stream, pdfminer_stream): their layout analysis
sorts text into columns and boxes and so cuts table cells apart, which is not a copy-out fault.
"""

import json
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import extract  # noqa: E402

DEFAULT_TEMPLATE = HERE.parent.parent / "templates" / "report.typ"

# Which function reads the PDF for each extractor.
EXTRACTORS = {
    "poppler": extract.poppler_raw,  # pdftotext -raw, stream order
    "pdfium": extract.pdfium_stream,  # text object by text object, stream order
    "pdfjs": extract.pdfjs,
    "pypdf": extract.pypdf,
    "pdfminer": extract.pdfminer_stream,  # no layout analysis, stream order
}

# Values not printed as typed, by their path in the YAML ("*" = any list item). Strings without a
# Thai letter are never expected anyway, which already leaves out ids, codes such as i1 or IIT,
# numbers, years and ISO dates; the entries here say why each is not printed verbatim.
SKIPPED = {
    # agency.yaml
    ("units", "*", "name"): "printed only for the preparer's unit (see preparer_unit_name); "
    "the other units appear by their code",
    ("monitoring", "report_deadline"): "ISO date, printed as a long Thai date",
    # analysis.yaml
    ("analysis", "*", "indicator"): "indicator number, printed in Thai digits",
    ("analysis", "*", "measures"): "measure ids, printed as the measures' titles",
    # assessment.yaml (all numbers: printed in Thai digits or used in computations)
    ("threshold",): "number",
    ("weights",): "numbers, used to compute ITA",
    ("rating_levels", "*", "ita"): "score ranges, printed in Thai digits",
    ("rating_levels", "*", "parts"): "score ranges, printed in Thai digits",
    ("indicators", "*", "number"): "number, printed in Thai digits",
    # measures.yaml
    ("measures", "*", "id"): "id, never printed",
    ("measures", "*", "period"): "ISO dates, printed as Thai short dates",
    # recommendations.yaml
    ("recommendations", "*", "indicators"): "indicator numbers, printed as the indicators' names",
    # scores.yaml holds only numbers: years, counts, ranks and scores, printed in Thai digits
}

THAI_LETTER = re.compile(r"[\u0e01-\u0e3a\u0e40-\u0e4e]")
PAGE_NUMBER = re.compile(r"\s*-\s*[\u0e50-\u0e59]+\s*-\s*")
SHOWN_MISSING = 15
SHOWN_CHARS = 60


def normalize(text):
    """Removes every kind of white space, and zero-width spaces."""
    return "".join(text.replace("\u200b", "").replace("\u00a0", " ").split())


def drop_page_numbers(text):
    """Removes lines that are only a page number such as "- ๒ -" (pages are split at form feeds
    too, since str.splitlines treats \\f as a line end)."""
    return "\n".join(l for l in text.splitlines() if not PAGE_NUMBER.fullmatch(l))


def has_thai(text):
    return bool(THAI_LETTER.search(text))


# ---------------------------------------------------------------------------------------------
# Expected items from the YAML content


def is_skipped(path):
    for pattern in SKIPPED:
        if len(path) >= len(pattern) and all(p == "*" or p == k for p, k in zip(pattern, path)):
            return True
    return False


def strings_in(value, path=()):
    """(path, string) for every string scalar under `value`; list items have "*" in the path."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from strings_in(child, path + (str(key),))
    elif isinstance(value, list):
        for child in value:
            yield from strings_in(child, path + ("*",))
    elif isinstance(value, str):
        yield path, value


def preparer_unit_name(documents):
    """The full name of the preparing unit (printed in the "จัดทำโดย" line), if the content has it."""
    for doc in documents:
        preparer = doc.get("preparer") if isinstance(doc, dict) else None
        if preparer is None:
            continue
        for other in documents:
            for unit in (other.get("units") or []) if isinstance(other, dict) else []:
                if isinstance(unit, dict) and unit.get("code") == preparer and unit.get("name"):
                    return unit["name"]
    return None


def expected_from_content(content_dir):
    documents = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(Path(content_dir).glob("*.yaml"))]
    documents = [d for d in documents if d is not None]
    values = [text for doc in documents for path, text in strings_in(doc) if not is_skipped(path)]
    name = preparer_unit_name(documents)
    if name:
        values.append(name)
    return [line.strip() for text in values for line in text.split("\n") if line.strip() and has_thai(line)]


# ---------------------------------------------------------------------------------------------
# Expected items from the template's own wording

JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
JINJA_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)
TYPST_MARKUP = re.compile(r"[\[\]\\*_#\n]")
MIN_TEMPLATE_CHARS = 8  # shorter fragments ("ปี", "และ", "คะแนน") would be found anywhere


def expected_from_template(path):
    """Literal Thai text of the template that is printed whatever the content: text outside
    {% if %} blocks, cut at template variables and tags, Typst markup ([ ] \\ * _ #), line starts
    of lists and headings, and Typst // comment lines."""
    source = JINJA_COMMENT.sub("", Path(path).read_text(encoding="utf-8"))
    source = "\n".join(l for l in source.splitlines() if not l.lstrip().startswith("//"))
    items, depth = [], 0
    for piece in JINJA_TAG.split(source):
        if piece.startswith("{%"):
            statement = piece.strip("{%-+ }").split(maxsplit=1)
            word = statement[0] if statement else ""
            depth += word == "if"
            depth -= word == "endif"
            continue
        if piece.startswith("{{") or depth > 0:
            continue
        for fragment in TYPST_MARKUP.split(piece):
            fragment = re.sub(r"^\s*(?:[-+=]+\s)", "", fragment).strip()
            if has_thai(fragment) and len(normalize(fragment)) >= MIN_TEMPLATE_CHARS:
                items.append(fragment)
    return items


# ---------------------------------------------------------------------------------------------


def unique_by_normal_form(items):
    seen, result = set(), []
    for item in items:
        key = normalize(item)
        if key and key not in seen:
            seen.add(key)
            result.append(item)
    return result


def split_by_page_break(item, pages):
    """Whether the item stands verbatim in two parts: the first on one page, the rest on the next."""
    for first, second in zip(pages, pages[1:]):
        for k in range(1, len(item)):
            if item[:k] in first and item[k:] in second:
                return True
    return False


def check(pdf, items):
    results = {}
    for name, read in EXTRACTORS.items():
        try:
            raw = read(pdf)
        except Exception as error:  # an extractor that fails finds nothing
            results[name] = {"method": read.__name__, "error": repr(error)[:200], "found": 0, "missing": []}
            continue
        pages = [normalize(drop_page_numbers(page)) for page in raw.split("\f")]
        text = "".join(pages)
        whole = [item for item in items if normalize(item) in text]
        rest = [item for item in items if normalize(item) not in text]
        split = [item for item in rest if split_by_page_break(normalize(item), pages)]
        missing = [item for item in rest if item not in split]
        results[name] = {
            "method": read.__name__,
            "found": len(items) - len(missing),
            "split": len(split),
            "missing": [m[:SHOWN_CHARS] for m in missing[:SHOWN_MISSING]],
        }
    return results


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: copyout.py PDF CONTENT_DIR [TEMPLATE]")
    pdf, content_dir = sys.argv[1], sys.argv[2]
    template = sys.argv[3] if len(sys.argv) == 4 else DEFAULT_TEMPLATE
    from_content = unique_by_normal_form(expected_from_content(content_dir))
    from_template = unique_by_normal_form(expected_from_template(template))
    content_keys = {normalize(i) for i in from_content}
    from_template = [i for i in from_template if normalize(i) not in content_keys]
    items = from_content + from_template
    result = {
        "expected": len(items),
        "expected_content": len(from_content),
        "expected_template": len(from_template),
        "extractors": check(pdf, items),
    }
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
