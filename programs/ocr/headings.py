"""Section headings one syllable off. A misread syllable in `□ 산출근거` loses the parser a
whole section, so a line that begins with a square marker and ends one syllable away from
exactly one section name, in a word Tesseract doubted, is mended to that name (the page
keeps what was done, and the document's warnings say it)."""

import dataclasses

from ..parsing.characters import SQUARE, SQUARE_LOOKALIKES
from ..parsing.sections import SECTION_NAMES
from ..parsing.text import compact
from .layout import OcrLine
from .tesseract import DOUBTFUL, Word

_NAMES = sorted({compact(name) for name in SECTION_NAMES.values()})
_MARKERS = frozenset(SQUARE + SQUARE_LOOKALIKES)


@dataclasses.dataclass(frozen=True)
class Mended:
    index: int  # the line's place on its page, from 0
    read: str
    meant: str
    confidence: float


def mend(lines: list[OcrLine]) -> tuple[list[OcrLine], list[Mended]]:
    mended_lines, mended = [], []
    for index, line in enumerate(lines):
        fixed = _mend(line) if len(line.cells) == 1 else None
        if fixed:
            mended.append(dataclasses.replace(fixed[1], index=index))
        mended_lines.append(fixed[0] if fixed else line)
    return mended_lines, mended


def _mend(line: OcrLine) -> tuple[OcrLine, Mended] | None:
    text = line.text
    body = compact(text)
    if len(body) < 3 or body[0] not in _MARKERS:
        return None
    confidence = min(word.confidence for word in line.words)
    if confidence >= DOUBTFUL:
        return None
    near = [
        (name, offset)
        for name in _NAMES
        if len(name) < len(body)
        for offset in [len(body) - len(name)]
        if sum(a != b for a, b in zip(body[offset:], name, strict=True)) == 1
    ]
    if len(near) != 1:
        return None
    [(name, offset)] = near
    at = next(i for i, (a, b) in enumerate(zip(body[offset:], name, strict=True)) if a != b)
    # the same character in the text with its spaces
    position = [i for i, char in enumerate(text) if not char.isspace()][offset + at]
    meant = text[:position] + name[at] + text[position + 1 :]
    words = line.words
    whole = Word(
        min(word.left for word in words),
        min(word.top for word in words),
        max(word.right for word in words) - min(word.left for word in words),
        max(word.bottom for word in words) - min(word.top for word in words),
        confidence,
        meant,
    )
    return OcrLine(line.top, ((whole,),)), Mended(0, text, meant, confidence)
