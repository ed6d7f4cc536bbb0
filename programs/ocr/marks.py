"""Bullets Tesseract cannot name. Its Korean model has no `○`: it reads the ring as `<`, `(>`,
`(2` or `6`, with a low confidence. A word of one or two characters and no Hangul syllable
whose box holds a ring (ink round the edge, paper in the middle and in the corners, about as
wide as high) is a circle bullet, whatever Tesseract called it; a square (`□`, ink in its
corners) is not."""

import dataclasses
import re

from PIL import Image

from ..parsing.characters import NEGATIVE
from .image import INK
from .tesseract import DOUBTFUL, Word

BULLET = "○"
# A figure in groups of three whose separators came out as `.` or as `,` and `.` mixed or
# doubled (`2,.996,971`, `45.000`): amounts have no decimals, so every separator is a comma.
# A decimal point before fewer or more than three digits (`99.4`, an execution rate) stays.
_GROUPED_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:[,.]{1,2}\d{3})+(?![\d.,])")
# A cell of one letter and a figure: the Korean model has no triangle and reads the negative
# sign `△` as a Hangul syllable or jamo (`스65,000`, `ㅅ50`).
_SIGNED_RE = re.compile(r"[\u3131-\u318e\uac00-\ud7a3]\d{1,3}(?:,\d{3})*")
_LONGEST = 3  # characters: a bullet is one mark, which Tesseract may read as up to three


def name_rings(grey: Image.Image, words: list[Word]) -> list[Word]:
    """The words, with the rings that begin a line or a cell named `○`."""
    return [
        dataclasses.replace(word, text=BULLET)
        if _maybe_mark(word) and _leads(word, words) and _ring(grey, word)
        else word
        for word in words
    ]


def figures(words: list[Word]) -> list[Word]:
    """The words, with figures' separators put back."""
    return [dataclasses.replace(word, text=_GROUPED_RE.sub(_commas, word.text)) for word in words]


def sign(cell: list[Word]) -> list[Word]:
    """A table cell's words, with a misread negative sign put back where the cell holds
    nothing but one letter and a figure."""
    if not cell or not _SIGNED_RE.fullmatch("".join(word.text for word in cell)):
        return cell
    first = cell[0]
    return [dataclasses.replace(first, text=NEGATIVE + first.text[1:]), *cell[1:]]


def _commas(match: re.Match) -> str:
    return re.sub(r"[,.]+", ",", match[0])


def _leads(word: Word, words: list[Word]) -> bool:
    """A bullet begins its line and a word follows it: no word of the same line ends within
    two letters' width before it, and one begins within that width after it."""
    reach = 2 * word.height
    same_line = [
        other
        for other in words
        if other.top < word.bottom and other.bottom > word.top and other is not word
    ]
    return not any(word.left - reach <= other.right <= word.left for other in same_line) and any(
        word.right <= other.left <= word.right + reach for other in same_line
    )


def _maybe_mark(word: Word) -> bool:
    if len(word.text) > _LONGEST or (word.text.isdigit() and word.confidence >= DOUBTFUL):
        return False  # a figure read with confidence (`0`) is a figure
    return not any("가" <= char <= "힣" for char in word.text)


def _ring(grey: Image.Image, word: Word) -> bool:
    if not word.width or not 0.7 <= word.height / word.width <= 1.4 or word.width < 6:
        return False
    box = grey.crop((word.left, word.top, word.right, word.bottom)).point(
        lambda value: 255 if value < INK else 0
    )
    size = 8  # the box at 8×8: two pixels of edge all round, a 4×4 middle
    cells = box.resize((size, size), Image.BOX).tobytes()
    middle = [cells[y * size + x] for y in range(2, 6) for x in range(2, 6)]
    edge = [
        cells[y * size + x]
        for y in range(size)
        for x in range(size)
        if not (2 <= x < 6 and 2 <= y < 6)
    ]
    corners = [cells[0], cells[size - 1], cells[-size], cells[-1]]
    inside = sum(middle) / (255 * len(middle))
    around = sum(edge) / (255 * len(edge))
    return inside < 0.15 and around > 0.2 and sum(corners) / (255 * 4) < 0.3
