"""Words with boxes and a page's ruling lines into the parser's line-and-cell text.

A table row is the band between two long horizontal rules that vertical rules cross; the
vertical rules inside it cut it into cells. Each word belongs to the cell its middle falls
in, and the words of a band are laid out in as many lines as the band prints (a name above
its phone number gives two lines, each with its cells). Everything outside table rows is
plain text, one line per printed line. Cells are kept apart by TABs, leading blank cells
included, as in the text extracted from PDFs.
"""

import itertools
from dataclasses import dataclass
from statistics import median

from . import marks
from .image import Rule
from .tesseract import Word

_LONG = 1.0  # inches: a rule that bounds table rows, not an underline or a chart's tick
_NEAR = 0.04  # inches: rules this close are one


@dataclass(frozen=True)
class OcrLine:
    """A printed line: its text (cells apart by TABs) and each cell's words."""

    top: int
    cells: tuple[tuple[Word, ...], ...]

    @property
    def text(self) -> str:
        return "\t".join(join_words(words) for words in self.cells)

    @property
    def words(self) -> list[Word]:
        return [word for cell in self.cells for word in cell]


@dataclass(frozen=True)
class _Band:
    top: int
    bottom: int
    left: int
    right: int
    cuts: tuple[int, ...]  # x of the vertical rules inside, left to right

    def holds(self, word: Word) -> bool:
        x, y = word.middle
        return self.top <= y < self.bottom and self.left <= x <= self.right

    def cell(self, word: Word) -> int:
        return sum(1 for cut in self.cuts if cut < word.middle[0])


def lines(
    words: list[Word], horizontal: list[Rule], vertical: list[Rule], dpi: int
) -> list[OcrLine]:
    """The page's lines, top to bottom."""
    bands = _bands(horizontal, vertical, dpi)
    in_band: dict[int, list[Word]] = {index: [] for index in range(len(bands))}
    free: list[Word] = []
    for word in words:
        index = next((i for i, band in enumerate(bands) if band.holds(word)), None)
        (free if index is None else in_band[index]).append(word)
    found = [OcrLine(row[0].top, (tuple(row),)) for row in _rows(free)]
    for index, band in enumerate(bands):
        for row in _rows(in_band[index]):
            cells: list[list[Word]] = [[] for _ in range(len(band.cuts) + 1)]
            for word in row:
                cells[band.cell(word)].append(word)
            cells = [marks.sign(cell) for cell in cells]
            found.append(OcrLine(min(word.top for word in row), tuple(map(tuple, cells))))
    return sorted(found, key=lambda line: line.top)


def _bands(horizontal: list[Rule], vertical: list[Rule], dpi: int) -> list[_Band]:
    """Table rows. Consecutive long rules with a vertical rule between them bound a row; the
    rows so joined are one table, as wide as its widest rule (a cell spanning rows leaves the
    rules between them short)."""
    near = max(2, round(dpi * _NEAR))
    long_rules = sorted(
        (rule for rule in horizontal if rule.end - rule.start >= dpi * _LONG),
        key=lambda rule: rule.at,
    )
    tables: list[list[tuple[Rule, Rule, list[int]]]] = []
    in_table = False
    for upper, lower in itertools.pairwise(long_rules):
        left, right = min(upper.start, lower.start), max(upper.end, lower.end)
        cuts = sorted(
            {
                rule.at
                for rule in vertical
                if rule.start <= upper.at + 2 * near
                and rule.end >= lower.at - 2 * near
                and left - near <= rule.at <= right + near
            }
        )
        if lower.at - upper.at <= near or not cuts:
            in_table = False
            continue
        if not in_table:
            tables.append([])
        tables[-1].append((upper, lower, cuts))
        in_table = True
    bands = []
    for rows in tables:
        left = min(rule.start for upper, lower, _ in rows for rule in (upper, lower))
        right = max(rule.end for upper, lower, _ in rows for rule in (upper, lower))
        for upper, lower, cuts in rows:
            inside = tuple(cut for cut in cuts if left + near < cut < right - near)
            bands.append(_Band(upper.at, lower.at, left - near, right + near, inside))
    return bands


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words in printed lines: a word whose middle is within half a line of a line's middle
    joins it; each line left to right."""
    if not words:
        return []
    half = median(word.height for word in words) / 2
    rows: list[list[Word]] = []
    middles: list[float] = []
    for word in sorted(words, key=lambda word: word.middle[1]):
        y = word.middle[1]
        if rows and abs(y - middles[-1]) <= half:
            rows[-1].append(word)
            middles[-1] = sum(w.middle[1] for w in rows[-1]) / len(rows[-1])
        else:
            rows.append([word])
            middles.append(y)
    return [sorted(row, key=lambda word: word.left) for row in rows]


def join_words(words: tuple[Word, ...] | list[Word]) -> str:
    """Words of one line and cell, with a space where Tesseract's text has one."""
    return "".join(
        (" " if word.spaced and index else "") + word.text for index, word in enumerate(words)
    )
