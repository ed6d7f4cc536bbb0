"""Page furniture: page numbers, the running headers and footers around them, unit notes.

Extraction keeps what a page prints on every page inside the text, wherever a page ends: a page
number (`- 12 -`, `12`, `12 / 340`, `― 87 ―`), the book's or the chapter's title, the program's
title. The evidence is the layout, not the wording: a lone number is a page number; a line next
to one that is printed again at another page break, or that repeats the program's title, is a
running header or footer.
"""

import re
from collections import Counter

from .characters import DASH
from .sections import is_heading
from .text import Line, has_words
from .values import is_money

_PAGE_NUMBER_RE = re.compile(rf"{re.escape(DASH)}?\d{{1,4}}{re.escape(DASH)}?|\d{{1,4}}/\d{{1,4}}")
# A table's unit note (`(단위 : 천원, %)`, or without brackets), compared without spaces.
_UNIT_NOTE_RE = re.compile(r"\((?:단위|금액단위):[^()]*\)|(?:단위|금액단위):[^()\d]*")
_NEAR = 2  # lines of a header or footer on each side of the page number
# A figure's caption (`[그림] …`, `<그림 2> …`, `그림 2. …`): words about a picture, not the
# document's text (this project's printed reports caption their charts so).
_CAPTION_LINES = 3
_CAPTION_RE = re.compile(r"(?:[\[<〈《(]그림\d*[\]>〉》)]|그림\d+[.:])")


def is_page_number(line: Line) -> bool:
    return "\t" not in line.text.strip() and bool(_PAGE_NUMBER_RE.fullmatch(line.compact))


def _may_be_header(line: Line) -> bool:
    """Words, and no figure of a table: a row of amounts repeated by chance is not a header."""
    return has_words(line.text) and not any(is_money(cell) for cell in line.cells)


def furniture(lines: list[Line], title: str | None) -> set[int]:
    """The source line numbers of the page furniture among `lines` (the title line excluded)."""
    breaks = [index for index, line in enumerate(lines) if is_page_number(line)]
    found = {lines[index].no for index in breaks}
    found |= {line.no for line in lines if _UNIT_NOTE_RE.fullmatch(line.compact)}
    found |= _captions(lines)
    near = Counter()
    neighbours: list[Line] = []
    for index in breaks:
        around = lines[max(0, index - _NEAR) : index] + lines[index + 1 : index + 1 + _NEAR]
        neighbours += [line for line in around if _may_be_header(line)]
        near.update({line.compact for line in around})
    found |= {line.no for line in neighbours if near[line.compact] >= 2}
    if title:
        found |= {line.no for line in lines[1:] if line.compact == title}
    return found


def _captions(lines: list[Line]) -> set[int]:
    """The lines of figure captions: from the caption's mark to the end of its sentence (a
    caption wrapped over a few lines), never past a table row or a heading."""
    found = set()
    for index, line in enumerate(lines):
        if _CAPTION_RE.match(line.compact):
            end = index
            while (
                not lines[end].text.rstrip().endswith(".")
                and end + 1 < min(len(lines), index + _CAPTION_LINES)
                and "\t" not in lines[end + 1].text.strip()
                and not is_heading(lines[end + 1].text)
            ):
                end += 1
            found |= {lines[at].no for at in range(index, end + 1)}
    return found
