"""The OCR benchmark: printed program reports (PDF) whose expected JSON is known, rasterised
as a scanner would give them and read back.

A report prints every field of the JSON form but its format (tests/test_pdf_reports.py reads
each back from the PDF's text layer), so every such field is scored. As a cross-check of the
layout code apart from Tesseract, the PDF's own characters are also laid out by it
(`layout.lines` with the PDF's words in place of Tesseract's) and scored the same way.

A field OCR reads wrong ends in one of three ways: corrected by an identity (then right),
flagged, or silent. Flagged: a warning names its path (or its section, where no value was
read), or the checks (`programs.checks`, shown beside every staged import) find an identity of
its section broken.
"""

import io
import json
import os
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageFilter

from ..arithmetic import INFO
from ..checks import check_document
from ..parsing import NotADocument, parse_document
from ..parsing.score import Score, score
from . import OcrPage, image, layout, pages_text, read_image
from .confidence import SECTIONS, review
from .tesseract import Word

SCAN_DPI = 150
SCAN_ANGLE = 0.7  # degrees, alternately to either side, page by page
_NOISE = 0.12  # share of the grey value that is noise
_SPACE = "\x01"  # what Chromium's PDFs carry for a space
NOT_PRINTED = frozenset({"format"})  # the reading's own notes


@dataclass
class Measure:
    name: str
    pages: int = 0
    seconds: float = 0.0  # wall clock, reading the page images
    cpu: float = 0.0  # processor time of this process and of Tesseract, the same span
    printed: int = 0  # fields the report prints
    text_layer: int = 0  # of those, the fields the PDF's own text laid out by OCR's code reads
    right: int = 0  # of those, the fields OCR reads right, corrections made
    wrong: dict[str, tuple[object, object]] = field(default_factory=dict)  # path: (meant, read)
    flagged: list[str] = field(default_factory=list)  # wrong fields a warning names
    checked: list[str] = field(default_factory=list)  # of those, flagged by the checks only
    corrected: list[str] = field(default_factory=list)  # misread, then mended by an identity
    skews: list[float] = field(default_factory=list)

    @property
    def silent(self) -> list[str]:
        return [path for path in self.wrong if path not in self.flagged]


def measure(path: Path, *, scan: bool = False) -> Measure:
    import pypdfium2

    data = path.read_bytes()
    expected = {k: v for k, v in _expected(path).items() if k not in NOT_PRINTED}
    result = Measure(path.name, printed=score(expected, {}).total)
    result.text_layer = _parsed_score(expected, text_layer(data)).right
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
    misread = set(score(expected, document).wrong)
    readings_before = len(document.get("warnings", []))
    review(document, pages)
    warnings = document["warnings"][readings_before:]
    wrong = score(expected, document).wrong
    result.right = result.printed - len(wrong)
    result.wrong = {path: (_get(expected, path), _get(document, path)) for path in wrong}
    result.corrected = sorted(misread - set(wrong))
    broken = {finding.section for finding in check_document(document) if finding.severity != INFO}
    for path in wrong:
        if _named(path, document, warnings):
            result.flagged.append(path)
        elif _section(path) in broken:
            result.flagged.append(path)
            result.checked.append(path)
    return result


def _parsed_score(expected: dict, text: str) -> Score:
    try:
        return score(expected, parse_document(text))
    except NotADocument:
        return score(expected, {})


def _named(path: str, document: dict, warnings: list[str]) -> bool:
    """A warning names the field's path; or, where no value was read, the document's
    warnings name its section (nothing was read there to name)."""
    named = re.compile(re.escape(path) + r"(?![\w.\[])")
    if any(named.search(warning) for warning in warnings):
        return True
    if _get(document, path) not in (_MISSING, None):
        return False
    section = SECTIONS.get(_section(path), "")
    return bool(section) and any(section in warning for warning in document.get("warnings", []))


def _section(path: str) -> str:
    return re.split(r"[.\[]", path)[0]


_MISSING = object()


def _get(document: object, path: str) -> object:
    value = document
    for key, index in re.findall(r"\.?([^.\[\]]+)|\[(\d+)\]", path):
        try:
            value = value[key] if key else value[int(index)]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return value


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def text_layer(data: bytes, dpi: int = 200) -> str:
    """The PDF's own characters through the same layout as OCR: its words' boxes and the
    ruling lines found in its rendered pages."""
    import pdfplumber
    import pypdfium2

    scale = dpi / 72
    pages = []
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
                text = "\n".join(line.text for line in lines)
                pages.append(OcrPage(index + 1, text, lines, b""))
    finally:
        pdf.close()
    return pages_text(pages)


def scanned(picture: Image.Image, angle: float, seed: int) -> Image.Image:
    """A page as a cheap scanner gives it: turned a little, blurred, with grain."""
    grey = picture.convert("L").rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    grey = grey.filter(ImageFilter.GaussianBlur(0.6))
    grain = Image.frombytes("L", grey.size, random.Random(seed).randbytes(grey.width * grey.height))
    return Image.blend(grey, grain, _NOISE)
