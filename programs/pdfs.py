"""A PDF's text layer read into the text form the parser reads.

pdfplumber opens the PDF and pdfminer lays out each page's characters with their boxes, and
the ruling lines and rectangles it draws. From those alone (no wording): characters whose
vertical centres meet form a line; within a line a gap wider than a character, or a ruling
line crossing the line between two characters, ends a table cell (TAB); a run of lines whose
cells fall one to a column is a table, its columns those of its first line (widened by the
cells below them), so a line that leaves its first cells blank keeps them as leading TABs.
Pages are joined with a form feed. What a page prints at its top or bottom again and again
(running heads, page numbers: digits aside, the same line) is left out, and the largest
print above a document's first heading, its title, comes first.

Reading is linear in the characters but for the sorts of each page's characters.
"""

import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import pdfplumber
from pdfminer.layout import LTChar, LTFigure, LTLine, LTRect
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from .parsing import NotADocument
from .parsing.sections import is_heading, opens_document

MAGIC = b"%PDF-"
# A cell ends at a gap wider than this many times the print size; words part at a fifth.
CELL_GAP = 1.2
WORD_GAP = 0.2
# How near a page's edge (lines from its top or bottom) its running heads and numbers print.
EDGE_LINES = 2
# Running heads and feet print at the same height, to this many points, on each page of a
# run (or on every other page, where facing pages carry different heads).
SAME_PLACE = 2.0
NEARBY_PAGES = 2


class UnreadablePdf(NotADocument):
    """A PDF this reader cannot take: scanned, encrypted, corrupt. The message says which."""

    def __init__(self, reason: str) -> None:
        ValueError.__init__(self, reason)


class ScannedPdf(UnreadablePdf):
    """A PDF whose pages have no text layer: only OCR reads it."""

    def __init__(self, pages: int) -> None:
        super().__init__(
            f"텍스트가 없는 PDF(스캔)입니다 ({pages}쪽 모두 글자 없음):"
            " 텍스트가 있는 PDF나 추출한 텍스트(.txt)를 올려 주세요"
        )
        self.pages = pages


def is_pdf(name: str, data: bytes) -> bool:
    return name.lower().endswith(".pdf") or data.startswith(MAGIC)


class Cell(NamedTuple):
    x0: float
    x1: float
    text: str


class Row(NamedTuple):
    top: float
    size: float  # the largest print in the line
    cells: list[Cell]


def read_pages(data: bytes, progress: Callable[[int, int], None] | None = None) -> list[str]:
    """The text of each page without its furniture; refuses a PDF without text to read.
    `progress(done, total)` is called as each page is read."""
    pages = []
    with open_pdf(data) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            try:
                pages.append(page_rows(page))
            except Exception as error:  # pdfminer raises many kinds for a broken page
                raise _unreadable(error, number) from None
            page.close()  # frees the page's parsed objects: memory stays flat over a book
            if progress:
                progress(number, total)
    blank = pages_without_text(pages)
    if pages and len(blank) == len(pages):
        raise ScannedPdf(len(pages))
    return [_text(_title_first(rows)) for rows in _without_furniture(pages)]


def _unreadable(error: Exception, page: int | None) -> UnreadablePdf:
    """The refusal for what pdfminer raised (pdfplumber wraps it)."""
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return UnreadablePdf("암호가 걸린 PDF입니다: 암호를 푼 PDF를 올려 주세요")
    where = f"{page}쪽, " if page else ""
    return UnreadablePdf(f"손상된 PDF입니다 ({where}{type(cause).__name__}: {cause})")


def pages_without_text(pages: list[list[Row]]) -> list[int]:
    """The numbers (1-based) of the pages without a text layer: where OCR would read."""
    return [number for number, rows in enumerate(pages, 1) if not rows]


class open_pdf:
    """pdfplumber's PDF of `data`, or UnreadablePdf saying why it cannot be opened."""

    def __init__(self, data: bytes) -> None:
        if not data:
            raise UnreadablePdf("빈 파일입니다 (0바이트)")
        if MAGIC not in data[:1024]:
            raise UnreadablePdf("PDF가 아닙니다 (%PDF 머리가 없음)")
        try:
            self.pdf = pdfplumber.open(io.BytesIO(data))
            self.pdf.pages  # noqa: B018  (reads the page tree: a broken one fails here)
        except Exception as error:  # pdfminer raises many kinds for a broken file
            raise _unreadable(error, None) from None

    def __enter__(self) -> pdfplumber.PDF:
        return self.pdf

    def __exit__(self, *exc: object) -> None:
        self.pdf.close()


# ---------------------------------------------------------------- one page


def page_rows(page: pdfplumber.page.Page) -> list[Row]:
    """The page's lines, top to bottom, each a list of cells."""
    chars, rules = _marks(page)
    rows = (_row(line, rules) for line in _lines(chars))
    return [row for row in rows if row.cells]


def _marks(page: pdfplumber.page.Page) -> tuple[list[dict], list[tuple[float, float, float]]]:
    """The upright characters (box from the top, size, text) and the vertical rules (x, top,
    bottom) of the page, from pdfminer's objects as pdfplumber lays them out: its own
    `chars` and `edges` resolve every attribute of every object, half the reading time."""
    height = page.layout.y1
    chars, rules = [], []

    def walk(objects: Iterable) -> None:
        for item in objects:
            if isinstance(item, LTChar):
                if item.upright:
                    top, bottom = height - item.y1, height - item.y0
                    chars.append(
                        {
                            "x0": item.x0,
                            "x1": item.x1,
                            "top": top,
                            "bottom": bottom,
                            "size": item.size,
                            "text": item.get_text(),
                        }
                    )
            elif isinstance(item, LTRect | LTLine):
                top, bottom = height - item.y1, height - item.y0
                if isinstance(item, LTRect):
                    rules.extend(((item.x0, top, bottom), (item.x1, top, bottom)))
                elif abs(item.x1 - item.x0) < 1:
                    rules.append((item.x0, top, bottom))
            elif isinstance(item, LTFigure):
                walk(item)

    walk(page.layout)
    return chars, rules


def _lines(chars: list[dict]) -> Iterator[list[dict]]:
    """Characters whose vertical centres fall within the line's first character's box."""
    chars.sort(key=lambda c: (c["top"] + c["bottom"]) / 2)
    line: list[dict] = []
    top = bottom = 0.0
    for char in chars:
        middle = (char["top"] + char["bottom"]) / 2
        if line and not top <= middle <= bottom:
            yield sorted(line, key=lambda c: c["x0"])
            line = []
        if not line:
            top, bottom = char["top"], char["bottom"]
        line.append(char)
    if line:
        yield sorted(line, key=lambda c: c["x0"])


def _row(line: list[dict], rules: list[tuple[float, float, float]]) -> Row:
    middle = (line[0]["top"] + line[0]["bottom"]) / 2
    crossing = [x for x, top, bottom in rules if top <= middle <= bottom]
    cells: list[Cell] = []
    words: list[str] = []
    start = previous = None
    spaced = False  # a space character since the previous mark
    for char in line:
        if _blank(char["text"]):
            spaced = True
            continue
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            size = max(char["size"], previous["size"])
            ruled = any(previous["x1"] - 1 <= x <= char["x0"] + 1 for x in crossing)
            if ruled or gap > CELL_GAP * size:
                cells.append(Cell(start["x0"], previous["x1"], "".join(words)))
                words, start = [], None
            elif spaced or gap > WORD_GAP * size:
                words.append(" ")
        spaced = False
        if start is None:
            start = char
        words.append(char["text"])
        previous = char
    if previous is None:  # a line of spaces only
        return Row(line[0]["top"], 0.0, [])
    cells.append(Cell(start["x0"], previous["x1"], "".join(words)))
    return Row(line[0]["top"], max(c["size"] for c in line), cells)


def _blank(text: str) -> bool:
    """A space, or a control character: a glyph the font maps to no text, as subset fonts
    do their space (Chromium's PDFs give `\x01`)."""
    return all(char.isspace() or unicodedata.category(char) == "Cc" for char in text)


# ---------------------------------------------------------------- columns and text


def _text(rows: list[Row]) -> str:
    """A page's lines; the lines of a table placed in its columns."""
    out = []
    for block, columns in _tables(rows):
        for row in block:
            if is_heading(_plain_text(row)):  # a part number set apart from its words
                out.append(_plain_text(row))
            elif len(block) > 1:
                out.append("\t".join(_placed(row.cells, columns)))
            else:
                out.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(out)


def _tables(rows: list[Row]) -> Iterator[tuple[list[Row], list[Cell]]]:
    """Runs of lines with cells in the same columns, and the columns (each as wide as the
    cells placed in it). A line whose cells do not fall one to a column in order starts a
    new table. A line of one cell stays in the run when it stands in a column right of the
    first (a wrapped cell) or between two lines with cells (a wrapped label); a heading
    never does."""
    block: list[Row] = []
    columns: list[Cell] = []
    for index, row in enumerate(rows):
        tabled = len(row.cells) > 1
        if tabled and block and _columns_of(row.cells, columns) is None:
            yield block, columns
            block = []
        if not tabled and block and not is_heading(_plain_text(row)):
            cell = row.cells[0]
            next_tabled = index + 1 < len(rows) and len(rows[index + 1].cells) > 1
            tabled = cell.x0 >= columns[1].x0 - row.size or (
                cell.x1 <= columns[1].x0 and next_tabled
            )
        if tabled:
            if not block:
                columns = list(row.cells)
            else:
                _widen(columns, row.cells)
            block.append(row)
            continue
        if block:
            yield block, columns
            block = []
        yield [row], list(row.cells)
    if block:
        yield block, columns


def _widen(columns: list[Cell], cells: list[Cell]) -> None:
    """Widen each column to the cells placed in it that stay clear of its neighbours (a
    cell spanning columns widens none)."""
    for cell, at in zip(cells, _columns_of(cells, columns) or [], strict=False):
        left = columns[at - 1].x1 if at else float("-inf")
        right = columns[at + 1].x0 if at + 1 < len(columns) else float("inf")
        if left < cell.x0 and cell.x1 < right:
            column = columns[at]
            columns[at] = Cell(min(column.x0, cell.x0), max(column.x1, cell.x1), "")


def _columns_of(cells: list[Cell], columns: list[Cell]) -> list[int] | None:
    """The column of each cell, in order, if each overlaps its column or stands in the gap
    around it; None if the cells do not fit these columns."""
    found = []
    for cell in cells:
        at = max(range(len(columns)), key=lambda i: _closeness(cell, columns[i]))
        left = columns[at - 1].x1 if at else float("-inf")
        right = columns[at + 1].x0 if at + 1 < len(columns) else float("inf")
        inside = _closeness(cell, columns[at]) > 0 or (left <= cell.x0 and cell.x1 <= right)
        if not inside or (found and at <= found[-1]):
            return None
        found.append(at)
    return found


def _placed(cells: list[Cell], columns: list[Cell]) -> list[str]:
    """`cells` in their columns, blank columns kept; a single wrapped cell in the nearest
    column; cells that fit no columns as they are."""
    found = _columns_of(cells, columns)
    if found is None and len(cells) > 1:
        return [cell.text for cell in cells]
    if found is None:
        found = [max(range(len(columns)), key=lambda i: _closeness(cells[0], columns[i]))]
    placed = [""] * len(columns)
    for cell, at in zip(cells, found, strict=False):
        placed[at] = cell.text
    while placed and not placed[-1]:
        placed.pop()
    return placed


def _closeness(cell: Cell, column: Cell) -> float:
    overlap = min(cell.x1, column.x1) - max(cell.x0, column.x0)
    if overlap > 0:
        return overlap
    return -abs((cell.x0 + cell.x1) - (column.x0 + column.x1))


# ---------------------------------------------------------------- furniture and title

_DIGITS_RE = re.compile(r"\d+")


def _key(row: Row) -> str:
    return _DIGITS_RE.sub("#", "".join(cell.text for cell in row.cells).replace(" ", ""))


def _edges(rows: list[Row]) -> list[tuple[str, Row]]:
    """The rows at a page's top and bottom, each with the edge it is at."""
    return [("top", row) for row in rows[:EDGE_LINES]] + [
        ("bottom", row) for row in rows[EDGE_LINES:][-EDGE_LINES:]
    ]


def _without_furniture(pages: list[list[Row]]) -> list[list[Row]]:
    """Each page without the lines at its edges that (digits aside) recur at the same edge
    and height of a page nearby (running heads and feet, on facing pages too; a line of
    text that happens to end two pages stands where its page ends, not where a foot is
    printed), that are only a page number, or that repeat a row of word cells from an
    earlier page (a table's header printed again over its continuation). A heading is never
    furniture."""
    places: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for number, rows in enumerate(pages):
        for edge, row in _edges(rows):
            places[edge, _key(row)].append((number, row.top))
    seen: set[str] = set()
    kept = []
    for number, rows in enumerate(pages):
        edges = {id(row): edge for edge, row in _edges(rows)}
        kept.append(
            [row for row in rows if not _furniture(row, number, edges.get(id(row)), places, seen)]
        )
        seen.update(_key(row) for row in rows)
    return kept


def _furniture(row: Row, number: int, edge: str | None, places: dict, seen: set[str]) -> bool:
    """Whether a row at the `edge` of page `number` is furniture (see `_without_furniture`)."""
    if edge is None or is_heading(_plain_text(row)):
        return False
    key = _key(row)
    recurs = any(
        0 < abs(page - number) <= NEARBY_PAGES and abs(top - row.top) <= SAME_PLACE
        for page, top in places[edge, key]
    )
    repeated = len(row.cells) > 1 and "#" not in key and key in seen
    return recurs or not key.strip("#-/()") or repeated


# A title block is a few lines (kicker, title, department) above the first heading.
TITLE_BLOCK = 5
TITLE_SIZE = 1.2  # a title's print is this much larger than the lines around it


def _title_first(rows: list[Row]) -> list[Row]:
    """The rows with the title moved first: of the few lines above a document's first
    heading, the one printed clearly larger than the rest (the parser takes a document's
    first line for its title; a printed title page may put a smaller kicker above it)."""
    first = next((i for i, row in enumerate(rows) if opens_document(_plain_text(row))), None)
    if not first or first > TITLE_BLOCK:
        return rows
    above = rows[:first]
    largest = max(above, key=lambda row: row.size)
    others = [row.size for row in above if row is not largest]
    if others and largest.size < TITLE_SIZE * max(others):
        return rows
    return [largest] + [row for row in above if row is not largest] + rows[first:]


def _plain_text(row: Row) -> str:
    return " ".join(cell.text for cell in row.cells)
