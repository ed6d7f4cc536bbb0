"""Reading scanned pages (images, or PDF pages without a text layer) with Tesseract.

A page is levelled (its skew measured on its ruling lines and rows of text), its tables'
ruling lines are found and erased, its figures (charts printed as pictures) blanked,
Tesseract reads the rest once, with word boxes, and each
word goes to the table cell its box falls in (`layout`). The result is the same line-and-cell
text that PDF extraction gives, so the parser and its warnings apply unchanged; each word keeps
Tesseract's confidence, which `confidence` turns into warnings and corrections.

Without Tesseract and its Korean model (`available()` is False) nothing here runs; the rest of
the project does not import this package at start.
"""

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

from PIL import Image, UnidentifiedImageError

from . import digits, figures, headings, image, large, layout, marks, tesseract
from .layout import OcrLine, join_words
from .tesseract import OcrError, Word, available

__all__ = [
    "DPI",
    "IMAGE_SUFFIXES",
    "OcrError",
    "OcrLine",
    "OcrPage",
    "Word",
    "available",
    "pages_text",
    "parse_pages",
    "read_image",
    "read_image_document",
    "read_pdf_pages",
]

# PDF pages are rendered at this resolution. Enlarging the printed reports' 200-dpi pages to
# 300 dpi for Tesseract read fewer fields right (83 against 115 of 208 on the first sample).
DPI = 200
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_A4_WIDTH = 8.27  # inches: a page image without a stated resolution is taken to be A4 wide
PAGE_BREAK = "\f"


@dataclass
class OcrPage:
    number: int  # 1-based, in its file
    text: str  # lines, cells apart by TABs
    lines: list[OcrLine] = field(repr=False)
    image: bytes = field(repr=False)  # the levelled page as PNG, as Tesseract saw it
    skew: float = 0.0  # degrees the page was turned to level it
    seconds: float = 0.0
    mended: list[headings.Mended] = field(default_factory=list)  # headings put right

    @property
    def words(self) -> list[Word]:
        return [word for line in self.lines for word in line.words]


def read_image(picture: Image.Image, number: int = 1, dpi: int | None = None) -> OcrPage:
    """One page image read into lines and cells."""
    started = time.perf_counter()
    dpi = dpi or _stated_dpi(picture) or round(picture.width / _A4_WIDTH)
    grey = image.prepare(picture)
    angle = image.skew(grey)
    grey = image.deskew(grey, angle)
    inked = image.ink(grey)
    horizontal, vertical = image.rules(inked, dpi)
    charts = figures.spans(inked, dpi)
    horizontal = [rule for rule in horizontal if not _inside(rule.at, charts)]
    vertical = [rule for rule in vertical if not _inside(rule.start, charts)]
    clean = image.blank(image.erase(grey, horizontal, vertical, dpi), charts)
    clean = image.unshade(clean, sorted(horizontal, key=lambda rule: rule.at))
    png = image.png(clean)
    words = large.reread(clean, marks.remnants(tesseract.words(png, dpi)), dpi)
    words = marks.middle_dots(marks.figures(marks.name_rings(clean, words, vertical)))
    found = digits.reread(clean, layout.lines(words, horizontal, vertical, dpi), dpi)
    found, mended = headings.mend(found)
    text = "\n".join(line.text for line in found)
    return OcrPage(number, text, found, png, angle, time.perf_counter() - started, mended)


def read_pdf_pages(
    data: bytes, pages: list[int], progress: Callable[[int, int], None] | None = None
) -> list[OcrPage]:
    """The pages (1-based numbers) of a PDF, rendered at `DPI` and read; `progress(done,
    total)` after each."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise OcrError("PDF를 열 수 없습니다: 손상되었거나 암호가 걸린 파일") from None
    read = []
    try:
        for done, number in enumerate(pages, 1):
            bitmap = pdf[number - 1].render(scale=DPI / 72, grayscale=True)
            read.append(read_image(bitmap.to_pil(), number, DPI))
            if progress:
                progress(done, len(pages))
    finally:
        pdf.close()
    return read


def read_images(data: bytes) -> list[OcrPage]:
    """Every page of an image file (a TIFF may hold several)."""
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError):
        raise OcrError(
            "이미지를 읽을 수 없습니다: PNG, JPEG, TIFF가 아니거나 손상된 파일"
        ) from None
    pages = []
    for index in range(getattr(picture, "n_frames", 1)):
        picture.seek(index)
        pages.append(read_image(picture.copy(), index + 1))
    return pages


def read_image_document(name: str, data: bytes) -> str:
    """The line text of an image file (PNG, JPEG, TIFF), pages apart by form feeds."""
    return pages_text(read_images(data))


def pages_text(pages: list[OcrPage]) -> str:
    """The pages' text as the PDF reader gives a PDF's: what recurs at the pages' edges
    (running heads, page numbers) left out and the title first, by the PDF reader's own rules
    (`pdfs`; a line's print size is its words' median height: the box round a heading's
    number is no letter). A line left out stays as an empty line, so that the parser's line
    numbers are the pages' own (but for the lines above a moved title, one further down)."""
    from ..pdfs import Cell, Row, title_first, without_furniture

    rows = [
        [
            Row(
                line.top,
                median(w.height for w in line.words) if line.words else 0.0,
                [
                    Cell(cell[0].left, cell[-1].right, join_words(cell))
                    for cell in line.cells
                    if cell
                ],
            )
            for line in page.lines
        ]
        for page in pages
    ]
    kept = {id(row) for page in without_furniture(rows) for row in page}
    texts = [
        [
            line.text if id(row) in kept else ""
            for line, row in zip(page.lines, page_rows, strict=True)
        ]
        for page, page_rows in zip(pages, rows, strict=True)
    ]
    if rows:
        first = [row for row in rows[0] if id(row) in kept]
        title = title_first(first)[:1]
        if title and first and title[0] is not first[0]:
            at = rows[0].index(title[0])
            texts[0].insert(0, texts[0].pop(at))
    return f"\n{PAGE_BREAK}".join("\n".join(lines) for lines in texts)


def parse_pages(pages: list[OcrPage]) -> dict:
    """The document the pages print, with OCR's doubts and corrections in its warnings."""
    from ..parsing import parse_document
    from .confidence import review

    document = parse_document(pages_text(pages))
    review(document, pages)
    return document


def _inside(y: int, spans: list[tuple[int, int]]) -> bool:
    return any(top <= y <= bottom for top, bottom in spans)


def _stated_dpi(picture: Image.Image) -> int | None:
    stated = picture.info.get("dpi")
    if not stated:
        return None
    dpi = round(float(stated[0]))
    # 72 (or 1) is what programs write when they know nothing
    return dpi if dpi > 96 else None
