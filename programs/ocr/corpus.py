"""The OCR benchmark: printed program reports (PDF) whose expected JSON is known, rasterised
as a scanner would give them and read back.

A report does not print every field of the JSON form (nor does the parser read every field
of a report's layout), so each document is first read from the PDF's own text layer through
the same layout code (`layout.lines` with the PDF's characters in place of Tesseract's
words): the fields that reading gets right are the printed fields, and OCR is scored on them.
"""

import io
import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageFilter

from ..parsing import NotADocument, parse_document
from ..parsing.score import score
from . import PAGE_BREAK, image, layout, pages_text, read_image
from .confidence import review
from .tesseract import Word

SCAN_DPI = 150
SCAN_ANGLE = 0.7  # degrees, alternately to either side, page by page
_NOISE = 0.12  # share of the grey value that is noise
_SPACE = "\x01"  # what Chromium's PDFs carry for a space


@dataclass
class Measure:
    name: str
    pages: int = 0
    seconds: float = 0.0  # wall clock, reading the page images
    cpu: float = 0.0  # processor time of this process and of Tesseract, the same span
    printed: int = 0  # fields the report prints and the text layer reads right
    right: int = 0  # of those, the fields OCR reads right
    wrong: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # wrong fields a warning names
    mended: int = 0  # corrections made by the identities
    skews: list[float] = field(default_factory=list)


def measure(path: Path, *, scan: bool = False) -> Measure:
    import pypdfium2

    data = path.read_bytes()
    expected = _expected(path)
    printed = _printed_fields(expected, text_layer(data))
    result = Measure(path.name)
    dpi = SCAN_DPI if scan else 200
    pdf = pypdfium2.PdfDocument(data)
    pages = []
    try:
        for index in range(len(pdf)):
            picture = pdf[index].render(scale=dpi / 72, grayscale=True).to_pil()
            if scan:
                picture = scanned(picture, SCAN_ANGLE * (-1) ** index, seed=index)
            started, cpu = time.perf_counter(), _cpu()
            pages.append(read_image(picture, index + 1, dpi))
            result.seconds += time.perf_counter() - started
            result.cpu += _cpu() - cpu
    finally:
        pdf.close()
    result.pages = len(pages)
    result.skews = [page.skew for page in pages]
    try:
        document = parse_document(pages_text(pages))
    except NotADocument as error:
        document = {"warnings": [str(error)]}
    readings_before = len(document.get("warnings", []))
    review(document, pages)
    warnings = document["warnings"][readings_before:]
    result.mended = sum("고침" in warning for warning in warnings)
    wrong = set(score(expected, document).wrong) & printed
    result.printed = len(printed)
    result.right = len(printed - wrong)
    result.wrong = sorted(wrong)
    result.flagged = [path for path in result.wrong if any(path in w for w in warnings)]
    return result


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _printed_fields(expected: dict, text: str) -> set[str]:
    try:
        read = score(expected, parse_document(text))
    except NotADocument:
        return set()
    # Against nothing, every field is wrong: that lists them all.
    return set(score(expected, {}).wrong) - set(read.wrong)


def text_layer(data: bytes, dpi: int = 200) -> str:
    """The PDF's own characters through the same layout as OCR: its words' boxes and the
    ruling lines found in its rendered pages."""
    import pdfplumber
    import pypdfium2

    scale = dpi / 72
    texts = []
    pdf = pypdfium2.PdfDocument(data)
    try:
        with pdfplumber.open(io.BytesIO(data)) as plumbed:
            for index, page in enumerate(plumbed.pages):
                words = [
                    Word(
                        round(word["x0"] * scale),
                        round(word["top"] * scale),
                        round((word["x1"] - word["x0"]) * scale),
                        round((word["bottom"] - word["top"]) * scale),
                        100.0,
                        word["text"].replace(_SPACE, " ").strip(),
                    )
                    for word in page.extract_words()
                ]
                grey = image.prepare(pdf[index].render(scale=scale, grayscale=True).to_pil())
                horizontal, vertical = image.rules(image.ink(grey), dpi)
                lines = layout.lines([w for w in words if w.text], horizontal, vertical, dpi)
                texts.append("\n".join(line.text for line in lines))
    finally:
        pdf.close()
    return f"\n{PAGE_BREAK}".join(texts)


def scanned(picture: Image.Image, angle: float, seed: int) -> Image.Image:
    """A page as a cheap scanner gives it: turned a little, blurred, with grain."""
    grey = picture.convert("L").rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    grey = grey.filter(ImageFilter.GaussianBlur(0.6))
    grain = Image.frombytes("L", grey.size, random.Random(seed).randbytes(grey.width * grey.height))
    return Image.blend(grey, grain, _NOISE)
