"""A PDF's text layer read into the text form the parser reads.

PDFium (through pypdfium2) opens the PDF and gives each page's characters with their boxes,
and the ruling lines and rectangles it draws. From those alone (no wording): characters whose
vertical centres meet form a line; within a line a gap wider than a character, or a ruling
line crossing the line between two characters, ends a table cell (TAB); a run of lines whose
cells fall one to a column is a table, its columns those of its first line (widened by the
cells below them), so a line that leaves its first cells blank keeps them as leading TABs.
Pages are joined with a form feed. What a page prints at its top or bottom again and again
(running heads, page numbers: digits aside, the same line) is left out, and the largest
print above a document's first heading, its title, comes first.

Reading is linear in the characters but for the sorts of each page's characters.
"""

import bisect
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import NamedTuple

import pypdfium2
import pypdfium2.raw as pdfium

from .parsing import NotADocument
from .parsing.sections import is_heading, opens_document

MAGIC = b"%PDF-"
# A cell ends at a gap wider than this many times the print size; words part at a fifth.
CELL_GAP = 1.2
WORD_GAP = 0.2
# How near a page's edge (lines from its top or bottom) its running heads and numbers print.
EDGE_LINES = 2
# Running heads and feet print at the same height (to this share of their print size, in
# whatever unit the page is measured: points, or pixels of a scan) on each page of a run (or
# on every other page, where facing pages carry different heads).
SAME_PLACE = 0.5
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


Rule = tuple[float, float, float]  # a vertical ruling line: x, top, bottom


def read_pages(data: bytes, progress: Callable[[int, int], None] | None = None) -> list[str]:
    """The text of each page without its furniture; refuses a PDF without text to read.
    `progress(done, total)` is called as each page is read."""
    pages = []
    with open_pdf(data) as pdf:
        total = len(pdf)
        for number in range(1, total + 1):
            try:
                page = pdf[number - 1]
                try:
                    pages.append(page_rows(page))
                finally:
                    page.close()  # frees the page's objects: memory stays flat over a book
            except pypdfium2.PdfiumError:
                raise UnreadablePdf(f"손상된 PDF입니다 ({number}쪽을 읽을 수 없음)") from None
            if progress:
                progress(number, total)
    blank = pages_without_text(pages)
    if pages and len(blank) == len(pages):
        raise ScannedPdf(len(pages))
    return [_text(title_first(rows)) for rows in without_furniture(pages)]


# Why PDFium could not open a document (FPDF_GetLastError), in the reader's words.
_OPEN_ERRORS = {
    pdfium.FPDF_ERR_FILE: "파일을 읽을 수 없음",
    pdfium.FPDF_ERR_FORMAT: "PDF 형식 오류",
    pdfium.FPDF_ERR_PAGE: "쪽을 찾을 수 없음",
}
_ENCRYPTED = (pdfium.FPDF_ERR_PASSWORD, pdfium.FPDF_ERR_SECURITY)


def pages_without_text(pages: list[list[Row]]) -> list[int]:
    """The numbers (1-based) of the pages without a text layer: where OCR would read."""
    return [number for number, rows in enumerate(pages, 1) if not rows]


class open_pdf:
    """PDFium's document of `data`, or UnreadablePdf saying why it cannot be opened."""

    def __init__(self, data: bytes) -> None:
        if not data:
            raise UnreadablePdf("빈 파일입니다 (0바이트)")
        if MAGIC not in data[:1024]:
            raise UnreadablePdf("PDF가 아닙니다 (%PDF 머리가 없음)")
        try:
            self.pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as error:
            if error.err_code in _ENCRYPTED:
                raise UnreadablePdf("암호가 걸린 PDF입니다: 암호를 푼 PDF를 올려 주세요") from None
            reason = _OPEN_ERRORS.get(error.err_code, "알 수 없는 오류")
            raise UnreadablePdf(f"손상된 PDF입니다 ({reason})") from None

    def __enter__(self) -> pypdfium2.PdfDocument:
        return self.pdf

    def __exit__(self, *exc: object) -> None:
        self.pdf.close()


# ---------------------------------------------------------------- one page


def page_rows(page: pypdfium2.PdfPage) -> list[Row]:
    """The page's lines, top to bottom, each a list of cells. Distances are measured from
    the media box's top, as pdfminer lays a page out."""
    top = page.get_mediabox()[3]
    lines = list(_lines(_chars(page, top)))
    rules = _rules(page, top, [_middle(line[0]) for line in lines])
    rows = (_row(line, rules) for line in lines)
    return [row for row in rows if row.cells]


def _middle(char: dict) -> float:
    return (char["top"] + char["bottom"]) / 2


def _chars(page: pypdfium2.PdfPage, top: float) -> list[dict]:
    """The characters the page's content draws, upright as pdfminer takes it (the matrix
    neither turned nor mirrored), each in its font's box (ascent to descent, origin to
    advance: not its ink) and printed size (the font size the matrix scales). PDFium's
    own word and line breaks (generated characters) are not the page's marks."""
    textpage = page.get_textpage()
    raw = textpage.raw
    box, matrix = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
    chars = []
    try:
        for index in range(pdfium.FPDFText_CountChars(raw)):
            text = chr(pdfium.FPDFText_GetUnicode(raw, index))
            if _blank(text) and pdfium.FPDFText_IsGenerated(raw, index):
                continue
            pdfium.FPDFText_GetMatrix(raw, index, matrix)
            if matrix.a * matrix.d <= 0 or matrix.b * matrix.c > 0:
                continue
            pdfium.FPDFText_GetLooseCharBox(raw, index, box)
            chars.append(
                {
                    "x0": box.left,
                    "x1": box.right,
                    "top": top - box.top,
                    "bottom": top - box.bottom,
                    "size": pdfium.FPDFText_GetFontSize(raw, index) * abs(matrix.d),
                    "text": text,
                }
            )
    finally:
        textpage.close()
    return chars


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_ROUNDING = 0.01  # PDFium's bounds are single precision, our points double


def _rules(page: pypdfium2.PdfPage, top: float, middles: list[float]) -> list[Rule]:
    """The vertical edges of the rectangles and the vertical straight lines the page's paths
    draw, forms' paths through their forms' matrices: what pdfminer takes for rectangles
    and lines (a path split at each move; a line of two points, a rectangle of four corners
    closed), less than a point wide. A rule parts cells only across a line's middle
    (`middles`): the page's paths that span none (most are tables' horizontal borders) are
    passed over unread."""
    rules: list[Rule] = []
    heights = sorted(top - middle for middle in middles)
    left, bottom, right, upper = (pdfium.c_float() for _ in range(4))

    def spans_a_line(item) -> bool:
        pdfium.FPDFPageObj_GetBounds(item, left, bottom, right, upper)
        at = bisect.bisect_left(heights, bottom.value - _ROUNDING)
        return at < len(heights) and heights[at] <= upper.value + _ROUNDING

    def walk(objects: list, outer: Matrix, on_page: bool) -> None:
        for item in objects:
            kind = pdfium.FPDFPageObj_GetType(item)
            if kind == pdfium.FPDF_PAGEOBJ_PATH and on_page and not spans_a_line(item):
                continue
            if kind not in (pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_FORM):
                continue
            found = pdfium.FS_MATRIX()
            pdfium.FPDFPageObj_GetMatrix(item, found)
            matrix = _times((found.a, found.b, found.c, found.d, found.e, found.f), outer)
            if kind == pdfium.FPDF_PAGEOBJ_FORM:  # its objects' bounds are the form's
                count = pdfium.FPDFFormObj_CountObjects(item)
                walk([pdfium.FPDFFormObj_GetObject(item, i) for i in range(count)], matrix, False)
            else:
                for points, closed in _subpaths(item, matrix):
                    rules.extend(_path_rules(points, closed, top))

    raw = page.raw
    count = pdfium.FPDFPage_CountObjects(raw)
    walk([pdfium.FPDFPage_GetObject(raw, i) for i in range(count)], _IDENTITY, True)
    return rules


def _times(inner: Matrix, outer: Matrix) -> Matrix:
    """`inner` then `outer` (PDF's row-vector matrices)."""
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _subpaths(path, matrix: Matrix) -> list[tuple[list[tuple[float, float]], bool]]:
    """The path's straight subpaths (those with a curve left out), each as its points on
    the page and whether it is closed (PDFium closes a subpath with a line to its start)."""
    a, b, c, d, e, f = matrix
    x, y = pdfium.c_float(), pdfium.c_float()
    segment_of, kind_of = pdfium.FPDFPath_GetPathSegment, pdfium.FPDFPathSegment_GetType
    point_of, closes = pdfium.FPDFPathSegment_GetPoint, pdfium.FPDFPathSegment_GetClose
    subpaths = []
    points: list[tuple[float, float]] = []
    curved = False
    segment = None
    for index in range(pdfium.FPDFPath_CountSegments(path)):
        previous, segment = segment, segment_of(path, index)
        kind = kind_of(segment)
        if kind == pdfium.FPDF_SEGMENT_MOVETO:
            if points and not curved:
                subpaths.append((points, bool(closes(previous))))
            points, curved = [], False
        elif kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            curved = True
        point_of(segment, x, y)
        points.append((a * x.value + c * y.value + e, b * x.value + d * y.value + f))
    if points and not curved:
        subpaths.append((points, bool(closes(segment))))
    return subpaths


def _path_rules(points: list[tuple[float, float]], closed: bool, top: float) -> list[Rule]:
    """A line's rule if it is vertical (two points, or three closed: back to its start); a
    rectangle's two vertical edges (four corners and back to the first)."""
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    if len(points) == 2 or (len(points) == 3 and closed):
        xs, ys = xs[:2], ys[:2]
        if max(xs) - min(xs) < 1:
            return [(min(xs), top - max(ys), top - min(ys))]
    elif len(points) == 5 and points[4] == points[0]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        ):
            upper, lower = top - max(ys), top - min(ys)
            return [(min(xs), upper, lower), (max(xs), upper, lower)]
    return []


def _lines(chars: list[dict]) -> Iterator[list[dict]]:
    """Characters whose vertical centres fall within the line's first character's box."""
    chars.sort(key=_middle)
    line: list[dict] = []
    top = bottom = 0.0
    for char in chars:
        middle = _middle(char)
        if line and not top <= middle <= bottom:
            yield sorted(line, key=lambda c: c["x0"])
            line = []
        if not line:
            top, bottom = char["top"], char["bottom"]
        line.append(char)
    if line:
        yield sorted(line, key=lambda c: c["x0"])


def _row(line: list[dict], rules: list[Rule]) -> Row:
    middle = _middle(line[0])
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


@functools.cache  # asked of every character, twice
def _blank(text: str) -> bool:
    """A space, or a control character: a glyph the font maps to no text, as subset fonts
    may do their space (PDFium leaves out the `\x01` of Chromium's PDFs)."""
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


def without_furniture(pages: list[list[Row]]) -> list[list[Row]]:
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
    """Whether a row at the `edge` of page `number` is furniture (see `without_furniture`)."""
    if edge is None or is_heading(_plain_text(row)):
        return False
    key = _key(row)
    recurs = any(
        0 < abs(page - number) <= NEARBY_PAGES and abs(top - row.top) <= SAME_PLACE * row.size
        for page, top in places[edge, key]
    )
    repeated = len(row.cells) > 1 and "#" not in key and key in seen
    return recurs or not key.strip("#-/()") or repeated


# A title block is a few lines (kicker, title, department) above the first heading.
TITLE_BLOCK = 5
TITLE_SIZE = 1.2  # a title's print is this much larger than the lines around it


def title_first(rows: list[Row]) -> list[Row]:
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
