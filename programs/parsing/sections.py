"""Section headings, and the split of a document's lines into its sections."""

import re
from typing import NamedTuple

from .characters import FILLED_SQUARE, SQUARE, SQUARE_LOOKALIKES
from .text import Line, compact
from .values import YEAR, read_year

SECTION_NAMES = {
    "overview": "사업개요",
    "officers": "사업 담당자",
    "budget": "예산 총괄",
    "cost_basis": "산출근거",
    "purpose": "사업목적",
    "legal_basis": "사업근거",
    "content": "사업내용",
    "history": "추진경위",
    "schedule": "추진일정",
    "performance": "추진실적",
    "effects": "기대효과",
    "settlements": "결산",
}
# Heading texts with spaces removed; a heading is a whole line, optionally behind `□` or a
# part number (`5 회 근 3 년 결 산 현 황` is the extraction of `5 최근 3년 결산 현황`).
# One pattern, its alternatives tried in this order; the group that matched names the section.
_HEADINGS_RE = re.compile(
    "|".join(
        f"(?P<{key}>{pattern})"
        for key, pattern in (
            ("overview", r"사업개요"),
            ("officers", r"사업담당자"),
            ("budget", r"예산총괄(?:표)?"),
            ("cost_basis", r"(?:예산|세부)?산출근거"),
            ("purpose", r"사업목적"),
            ("legal_basis", r"(?:사업|법적|법령)?근거(?:법령|법규)?"),
            ("content", r"사업내용"),
            ("history", r"(?:사업)?추진경위"),
            ("schedule", rf"(?:(?P<year>{YEAR})(?:년도?)?)?(?:사업)?추진일정"),
            ("performance", r"(?:최근\d년간?)?(?:사업)?추진실적"),
            ("effects", r"(?:향후)?기대효과"),
            ("settlements", r"(?:\S{0,2}\d년간?)?결산(?:현황|내역)?"),
            ("part", r"기본현황|예산설명|사업설명|사업효과"),
        )
    )
)
_HEADING_RE = re.compile(
    rf"(?P<marker>[{SQUARE}{FILLED_SQUARE}{SQUARE_LOOKALIKES}]|(?:\d{{1,2}}|[ⅠⅡⅢⅣⅤⅥ])\s*[.)]?(?=\s))?"
    r"\s*(?P<body>[^\t]+)"
)
_UNIT_RE = re.compile(r"\((?:단위|금액)[^()]*\)$")
_REAL_MARKERS = frozenset(SQUARE + FILLED_SQUARE)
TITLE_PREFIX_RE = re.compile(r"^(?:세부)?사업명\s*:\s*")
MIN_SECTIONS = 3


class _Heading(NamedTuple):
    key: str  # a key of SECTION_NAMES, "part", or "other" (an unknown □ heading)
    year: int | None  # the year in `□ 2024년도 추진일정`


_CONTINUED_RE = re.compile(r"\(계속\)$")


def _heading(line: Line) -> _Heading | None:
    text = line.text.strip()
    # A heading is a line of its own; a cell (after a TAB) is a group line of a table.
    if len(text) > 40 or "\t" in line.text.rstrip():
        return None
    match = _HEADING_RE.fullmatch(text)
    if not match:
        return None
    # `□ 산출근거 (계속)` after a page break continues the section.
    body = _CONTINUED_RE.sub("", _UNIT_RE.sub("", compact(match["body"]))).rstrip(":")
    found = _HEADINGS_RE.fullmatch(body)
    if found:
        # The section's group closes after the `year` inside it: it is the last group.
        return _Heading(found.lastgroup, read_year(found["year"]) if found["year"] else None)
    if match["marker"] and match["marker"] in _REAL_MARKERS:
        return _Heading("other", None)
    return None


def is_heading(text: str) -> bool:
    """Whether a line's text is a section's or a part's heading (not an unknown `□` one)."""
    found = _heading(Line(0, text, [text], compact(text)))
    return bool(found) and found.key != "other"


_FIRST_PART_RE = re.compile(r"기본현황$")


def opens_document(text: str) -> bool:
    """Whether a line is the heading a document opens with: its first part (`1 기본 현황`)
    or its first section (`□ 사업개요`)."""
    found = _heading(Line(0, text, [text], compact(text)))
    if not found:
        return False
    return found.key == "overview" or (
        found.key == "part" and bool(_FIRST_PART_RE.search(compact(text)))
    )


class _Sections(NamedTuple):
    title: Line | None
    bodies: dict[str, list[Line]]  # section key → its lines (a repeated heading continues it)
    schedule_year: int | None
    headings: list[int]  # the source lines of the headings
    stray: list[Line]  # lines outside every section (under a part heading, before the first)


def split_sections(lines: list[Line]) -> _Sections:
    bodies: dict[str, list[Line]] = {}
    title, current, schedule_year = None, None, None
    headings: list[int] = []
    stray: list[Line] = []
    for line in lines:
        heading = _heading(line)
        if heading:
            headings.append(line.no)
            current = heading.key if heading.key in SECTION_NAMES else None
            if current:
                bodies.setdefault(current, [])
            if heading.year:
                schedule_year = heading.year
        elif current:
            bodies[current].append(line)
        elif title is None and not bodies:
            title = line
        else:
            stray.append(line)
    return _Sections(title, bodies, schedule_year, headings, stray)
