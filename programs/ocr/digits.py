"""Figure cells read again with digits only. Tesseract's Korean model reads a table's small
figures with the look-alikes of its whole alphabet (`(0` for `(0)`, `060)`, `52500`); a cell
that holds no letter (amounts, national amounts in brackets, rates, dates, phone numbers) is
read a second time with the English model allowed only the characters such cells print, all
of a page's figure cells in one call (each cell cropped into a strip, one below the other).
The second reading replaces the first where Tesseract is surer of it."""

import dataclasses
import re
import unicodedata

from PIL import Image

from ..parsing.characters import NEGATIVE
from . import image, tesseract
from .layout import OcrLine
from .tesseract import Word

# What a figure cell prints: digits, separators, brackets round a national amount, the mark of
# a computed figure, a range's tilde and a date's or a phone number's dash.
CHARACTERS = "0123456789,.()*-~%"
_LANGUAGE = "eng"
_PAD = 0.04  # inches of paper kept left and right of a cell's words
_GAP = 0.12  # inches of paper between cells in the strip
# An amount (no leading zero, commas every three digits), alone or in brackets, maybe marked
# as computed; a rate with one decimal.
_WELL_FORMED_RE = re.compile(r"(\()?(?:0|[1-9]\d{0,2}(?:,\d{3})*)(?(1)\))\*?|\d{1,3}\.\d")
_SCALE = 2  # the cells enlarged: a national amount prints small


def reread(grey: Image.Image, lines: list[OcrLine], dpi: int) -> list[OcrLine]:
    """The lines, with their figure cells read again where the second reading is surer."""
    cells = [
        (line_index, cell_index)
        for line_index, line in enumerate(lines)
        if len(line.cells) > 1
        for cell_index, cell in enumerate(line.cells)
        if _figure(cell)
    ]
    if not cells:
        return lines
    pad, gap = round(dpi * _PAD), round(dpi * _SCALE * _GAP)
    crops, places = [], []
    top = gap
    for line_index, cell_index in cells:
        cell = lines[line_index].cells[cell_index]
        # Only the words' own rows: a cell's other printed line is close above or below.
        box = (
            min(word.left for word in cell) - pad,
            min(word.top for word in cell) - 1,
            max(word.right for word in cell) + pad,
            max(word.bottom for word in cell) + 1,
        )
        crop = grey.crop(box)
        crop = crop.resize((crop.width * _SCALE, crop.height * _SCALE), Image.BICUBIC)
        crops.append((crop, top))
        places.append((top, top + crop.height))
        top += crop.height + gap
    strip = Image.new("L", (max(crop.width for crop, _ in crops) + 2 * gap, top), 255)
    for crop, y in crops:
        strip.paste(crop, (gap, y))
    option = f"tessedit_char_whitelist={CHARACTERS}"
    try:
        read = tesseract.words(image.png(strip), dpi * _SCALE, _LANGUAGE, (option,))
    except tesseract.OcrError:
        return lines  # no English model (Debian installs it with Tesseract): the first reading

    changed = [list(line.cells) for line in lines]
    for (line_index, cell_index), (first, last) in zip(cells, places, strict=True):
        found = [word for word in read if first <= word.middle[1] < last]
        old = lines[line_index].cells[cell_index]
        if found and _surer(found, old):
            changed[line_index][cell_index] = (
                Word(
                    old[0].left,
                    min(word.top for word in old),
                    max(word.right for word in old) - old[0].left,
                    max(word.bottom for word in old) - min(word.top for word in old),
                    min(word.confidence for word in found),
                    _text(found),
                ),
            )
    return [
        dataclasses.replace(line, cells=tuple(cells))
        for line, cells in zip(lines, changed, strict=True)
    ]


def _figure(cell: tuple[Word, ...]) -> bool:
    """A cell of figures: a digit and no letter (a misread figure may hold any symbol). A
    negative sign keeps the first reading: `marks.sign` has put it back."""
    text = _text(cell)
    return any(char.isdigit() for char in text) and not any(
        char == NEGATIVE or unicodedata.category(char).startswith("L") for char in text
    )


def _surer(found: list[Word], old: tuple[Word, ...]) -> bool:
    """The second reading is a well-formed figure and the first is not; or both or neither
    are, and Tesseract is surer of the second."""
    new, first = (_WELL_FORMED_RE.fullmatch(_text(words)) is not None for words in (found, old))
    if new != first:
        return new
    return min(word.confidence for word in found) > min(word.confidence for word in old)


def _text(words: list[Word] | tuple[Word, ...]) -> str:
    return "".join(word.text for word in words)
