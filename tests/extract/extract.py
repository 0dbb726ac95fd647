"""Prints the text of a PDF as one extractor reads it: poppler, pdfium, pdfjs, pypdf or pdfminer.

Used by the copy-out test (tests/testsuite/thai.rs); each extractor stands for readers that use it:
poppler (Linux viewers, pdftotext), pdfium (Chrome), pdf.js (Firefox), pypdf and pdfminer.six
(search indexers and screen-reader pipelines). Pages are separated by form feeds.
poppler_raw and pdfminer_stream read the same two libraries in content-stream order (copyout.py).
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def poppler(path):
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")


def poppler_raw(path):
    """pdftotext -raw: the text in content-stream order, as poppler's text output device reads it
    without sorting it into columns."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-raw", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")


def pdfium(path):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    return "\f".join(page.get_textpage().get_text_range() for page in doc)


def pdfium_stream(path):
    """pdfium (Chrome's viewer) reading each text object in content-stream order.

    get_text_range sorts the text objects of one visual line by x, which interleaves the cells
    of a table row whose lines share a baseline; FPDFTextObj_GetText decodes one object at a
    time (with pdfium's own ToUnicode and /ActualText handling) and keeps the drawing order.
    """
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages = []
    for page in pdfium.PdfDocument(str(path)):
        textpage = page.get_textpage()
        parts = []
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
            size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            buffer = ctypes.create_string_buffer(size)
            raw.FPDFTextObj_GetText(obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
            parts.append(buffer.raw[: size - 2].decode("utf-16-le", errors="replace"))
        pages.append("\n".join(parts))
    return "\f".join(pages)


def pdfjs(path):
    return subprocess.run(
        ["node", str(HERE / "pdfjs.mjs"), str(path)], check=True, capture_output=True
    ).stdout.decode("utf-8")


def pypdf(path):
    from pypdf import PdfReader

    return "\f".join(page.extract_text() for page in PdfReader(str(path)).pages)


def pdfminer(path):
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def pdfminer_stream(path):
    """pdfminer.six without layout analysis: characters in content-stream order.

    high_level.extract_text cannot do this: given laparams=None it substitutes LAParams(), whose
    layout analysis groups characters into boxes and sorts them, which cuts table cells apart. A
    PDFLayoutAnalyzer built with laparams=None skips the analysis and hands over the page's
    characters as the content stream draws them; a new line starts where the baseline moves.
    """
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    pages = []

    class StreamText(PDFLayoutAnalyzer):
        def receive_layout(self, ltpage):
            out, last = [], None

            def walk(item):
                nonlocal last
                if isinstance(item, LTChar):
                    if last is not None and abs(item.y0 - last.y0) > 0.5 * max(item.size, 1):
                        out.append("\n")
                    out.append(item.get_text())
                    last = item
                elif isinstance(item, LTContainer):
                    for child in item:
                        walk(child)

            walk(ltpage)
            pages.append("".join(out))

    rsrcmgr = PDFResourceManager(caching=True)
    device = StreamText(rsrcmgr, laparams=None)
    interpreter = PDFPageInterpreter(rsrcmgr, device)
    with open(path, "rb") as fp:
        for page in PDFPage.get_pages(fp):
            interpreter.process_page(page)
    return "\f".join(pages)


TOOLS = {f.__name__: f for f in (poppler, pdfium, pdfjs, pypdf, pdfminer)}
# Stream-order variants, used by copyout.py; `extract.py poppler_raw PDF` prints them too.
VARIANTS = {f.__name__: f for f in (poppler_raw, pdfium_stream, pdfminer_stream)}

if __name__ == "__main__":
    tool, path = sys.argv[1], sys.argv[2]
    sys.stdout.write({**TOOLS, **VARIANTS}[tool](path))
