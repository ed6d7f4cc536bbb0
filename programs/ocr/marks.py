"""Bullets Tesseract cannot name. Its Korean model has no `○`: it reads the ring as `<`, `(>`,
`(2` or `6`, with a low confidence. A word of one or two characters and no Hangul syllable
whose box holds a ring (ink round the edge, paper in the middle and in the corners, about as
wide as high) is a circle bullet, whatever Tesseract called it; a square (`□`, ink in its
corners) is not."""

import dataclasses
import re
import unicodedata

from PIL import Image

from ..parsing.characters import DOT, NEGATIVE
from .image import INK, Rule
from .tesseract import DOUBTFUL, Word

BULLET = "○"
# A figure in groups of three whose separators came out as `.` or as `,` and `.` mixed or
# doubled (`2,.996,971`, `45.000`): amounts have no decimals, so every separator is a comma.
# A decimal point before fewer or more than three digits (`99.4`, an execution rate) stays.
_GROUPED_RE = re.compile(r"(?<![\d.,])\d{1,3}(?:[,.]{1,2}\d{3})+(?![\d.,])")
# A cell of one letter and a figure: the Korean model has no triangle and reads the negative
# sign `△` as a Hangul syllable or jamo (`스65,000`, `ㅅ50`) or as another symbol (`^8`).
_SIGNED_RE = re.compile(r"(.)\d{1,3}(?:,\d{3})*")
_SIGN_LOOKALIKES = ("Lo", "Sk", "Sm", "So")  # Unicode categories: Hangul, symbols
# A dash or a colon between two Hangul syllables, where a middle dot may have been printed.
_DOT_LOOKALIKE_RE = re.compile(r"[\uac00-\ud7a3][-:][\uac00-\ud7a3]")
_DOT_DOUBT = DOUBTFUL - 1
_RULE_MARKS = "_|"  # LOW LINE, VERTICAL LINE: what Tesseract makes of a rule's remnant
_LONGEST = 3  # characters: a bullet is one mark, which Tesseract may read as up to three


def name_rings(grey: Image.Image, words: list[Word], vertical: list[Rule]) -> list[Word]:
    """The words, with the rings that begin a line or a cell named `○`, and the doubtful
    specks (no letter, no digit) Tesseract put before them left out."""
    kept = [word for word in words if not _speck(word)]
    rings = [
        word
        for word in words
        if _maybe_mark(word) and _leads(word, kept, vertical) and _ring(grey, word)
    ]
    named = []
    for word in words:
        if word in rings:
            named.append(dataclasses.replace(word, text=BULLET))
        elif not (_speck(word) and any(_before(word, ring, vertical) for ring in rings)):
            named.append(word)
    return named


def remnants(words: list[Word]) -> list[Word]:
    """The words without what is left of erased rules: low or vertical lines (`_`, `|`) at a
    word's ends, and doubtful words of nothing else."""
    kept = []
    for word in words:
        text = word.text.strip(_RULE_MARKS)
        if text != word.text and (text or word.confidence >= DOUBTFUL):
            kept.append(dataclasses.replace(word, text=text or word.text))
        elif text == word.text:
            kept.append(word)
    return kept


def middle_dots(words: list[Word]) -> list[Word]:
    """The words, with a dash or a colon that joins two Hangul syllables read as the middle
    dot the documents print there (`구성·운영`, `실·국`): Tesseract's Korean model reads it as
    `-` or `:`, often with confidence, and Korean writing joins no two words so. The word is
    made doubtful, so the value it is read into is named in a warning. Words follow one
    another in Tesseract's order; those without a space before them are one printed word."""
    mended, start = [], 0
    for end in range(1, len(words) + 1):
        if end < len(words) and not words[end].spaced:
            continue
        run = words[start:end]
        text = "".join(word.text for word in run)
        dots = {match.start() + 1 for match in _DOT_LOOKALIKE_RE.finditer(text)}
        position = 0
        for word in run:
            inside = [at - position for at in dots if position <= at < position + len(word.text)]
            position += len(word.text)
            if inside:
                text = "".join(DOT if i in inside else c for i, c in enumerate(word.text))
                word = dataclasses.replace(
                    word, text=text, confidence=min(word.confidence, _DOT_DOUBT)
                )
            mended.append(word)
        start = end
    return mended


def figures(words: list[Word]) -> list[Word]:
    """The words, with figures' separators put back."""
    return [dataclasses.replace(word, text=_GROUPED_RE.sub(_commas, word.text)) for word in words]


def sign(cell: list[Word]) -> list[Word]:
    """A table cell's words, with a misread negative sign put back where the cell holds
    nothing but one letter and a figure."""
    signed = _SIGNED_RE.fullmatch("".join(word.text for word in cell)) if cell else None
    if not signed or unicodedata.category(signed[1]) not in _SIGN_LOOKALIKES:
        return cell
    first = cell[0]
    return [dataclasses.replace(first, text=NEGATIVE + first.text[1:]), *cell[1:]]


def _commas(match: re.Match) -> str:
    return re.sub(r"[,.]+", ",", match[0])


def _speck(word: Word) -> bool:
    return word.confidence < DOUBTFUL and not any(char.isalnum() for char in word.text)


def _before(other: Word, word: Word, vertical: list[Rule]) -> bool:
    """`other` ends within two letters' width before `word`, on its line, in its cell."""
    return (
        other.top < word.bottom
        and other.bottom > word.top
        and other is not word
        and word.left - 2 * word.height <= other.right <= word.left
        and not any(
            other.right <= rule.at <= word.left and rule.start <= word.middle[1] <= rule.end
            for rule in vertical
        )
    )


def _leads(word: Word, words: list[Word], vertical: list[Rule]) -> bool:
    """A bullet begins its line and a word follows it: no word of the same line ends within
    two letters' width before it, and one begins within that width after it."""
    reach = 2 * word.height
    same_line = [
        other
        for other in words
        if other.top < word.bottom and other.bottom > word.top and other is not word
    ]
    return not any(_before(other, word, vertical) for other in same_line) and any(
        word.right <= other.left <= word.right + reach
        and not any(word.right <= rule.at <= other.left for rule in vertical)
        for other in same_line
    )


def _maybe_mark(word: Word) -> bool:
    if len(word.text) > _LONGEST or (word.text.isdigit() and word.confidence >= DOUBTFUL):
        return False  # a figure read with confidence (`0`) is a figure
    return not any("가" <= char <= "힣" for char in word.text)


def _ring(grey: Image.Image, word: Word) -> bool:
    box = _mark(grey, word)
    if not box.width or not 0.7 <= box.height / box.width <= 1.4 or box.width < 6:
        return False
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


def _mark(grey: Image.Image, word: Word) -> Image.Image:
    """The ink of the first mark at the word's left, as inked pixels cropped to it. Tesseract's
    box for a misread ring may hold only part of it (`<` is its left half)."""
    reach = word.left + 2 * word.height
    inked = grey.crop((word.left, word.top, reach, word.bottom)).point(
        lambda value: 255 if value < INK else 0
    )
    columns = inked.resize((inked.width, 1), Image.BOX).tobytes()
    first = next((x for x, value in enumerate(columns) if value), None)
    if first is None or first >= word.width:  # the word's own box holds no ink of it
        return inked.crop((0, 0, 0, 0))
    end = next((x for x in range(first, len(columns)) if not columns[x]), len(columns))
    mark = inked.crop((first, 0, end, inked.height))
    return mark.crop(mark.getbbox() or (0, 0, 0, 0))
