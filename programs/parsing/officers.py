"""사업 담당자: bureau, department and the three officers with their phones."""

import re

from .sections import SECTION_NAMES
from .text import Line, Notes, compact, ignored, subject

_OFFICER_COLUMNS = (
    ("bureau", re.compile(r"실.?국")),
    ("department", re.compile(r"부서")),
    ("director", re.compile(r"과장|부서장")),
    ("team_leader", re.compile(r"팀장")),
    ("officer", re.compile(r"주무관|담당자?")),
)
_PHONE_RE = re.compile(r"\(?\d{2,4}\)?\s*-?\s*\d{3,4}\s*-\s*\d{4}|\d{3,4}\s*-\s*\d{4}")
# A wrapped bureau or department name continues on the phone row as a few Hangul syllables;
# anything else there (`0/0/0/개급하던`) is extraction noise.
_WRAPPED_NAME_RE = re.compile(r"[가-힣]{1,6}")
_NAME_RE = re.compile(r"[가-힣]{2,20}")
_NOTE_RE = re.compile(r"^\[?※")


def parse_officers(lines: list[Line], notes: Notes) -> list[dict]:
    columns = {key: index for index, (key, _) in enumerate(_OFFICER_COLUMNS)}
    where = SECTION_NAMES["officers"]
    officers: list[tuple[int, dict]] = []
    for line in lines:
        if _NOTE_RE.match(line.text):
            notes.use(line.no)  # `※ …`: a note to the reader
            continue
        if _is_officer_header(line):
            columns = _officer_columns(line) or columns
            notes.use(line.no)
            continue
        cells = line.cells
        phones = [index for index, cell in enumerate(cells) if _PHONE_RE.fullmatch(cell)]
        if phones and officers:
            _add_phones(officers[-1][1], cells, columns)
            notes.use(line.no)
        elif phones:
            notes.add(where, line.no, "이름 줄 없이 전화번호만 있어 건너뜀")
        elif _cell(cells, columns["officer"]) or len([cell for cell in cells if cell]) >= 2:
            officers.append((line.no, _officer_names(cells, columns)))
            notes.use(line.no)
        else:
            notes.add(where, line.no, ignored(line.text))
    _fill_merged_cells([officer for _, officer in officers])
    for line_no, officer in officers:
        for key, value in officer.items():
            if value is None:
                notes.add(where, line_no, f"{subject(_OFFICER_LABELS[key])} 비어 있음")
    return [officer for _, officer in officers]


_OFFICER_LABELS = {
    "bureau": "실·국",
    "department": "부서명",
    "director": "과장",
    "director_phone": "과장 전화",
    "team_leader": "팀장",
    "team_leader_phone": "팀장 전화",
    "officer": "주무관",
    "officer_phone": "주무관 전화",
}


def _is_officer_header(line: Line) -> bool:
    return sum(1 for _, pattern in _OFFICER_COLUMNS if pattern.search(line.compact)) >= 3


def _officer_columns(line: Line) -> dict[str, int] | None:
    columns = {}
    for index, cell in enumerate(line.cells):
        for key, pattern in _OFFICER_COLUMNS:
            if key not in columns and pattern.search(compact(cell)):
                columns[key] = index
                break
    return columns if len(columns) == len(_OFFICER_COLUMNS) else None


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _officer_names(cells: list[str], columns: dict[str, int]) -> dict:
    officer: dict[str, str | None] = {}
    for key, _ in _OFFICER_COLUMNS:
        text = _cell(cells, columns[key])
        phone = _PHONE_RE.search(text) if key in _PEOPLE else None
        if phone:  # `김경미(2133-5360)`: name and phone in one cell
            text = text[: phone.start()].strip(" (")
        officer[key] = text or None
        if key in _PEOPLE:
            officer[f"{key}_phone"] = phone[0].strip("()") if phone else None
    return officer


_PEOPLE = ("director", "team_leader", "officer")


def _add_phones(officer: dict, cells: list[str], columns: dict[str, int]) -> None:
    """The phone row: phones, and the end of a wrapped name (or all of a centred one)."""
    for key in ("bureau", "department"):
        text = _cell(cells, columns[key])
        if officer[key] and _WRAPPED_NAME_RE.fullmatch(text):
            officer[key] += text
        elif officer[key] is None and _NAME_RE.fullmatch(text):
            officer[key] = text
    for key in _PEOPLE:
        phone = _PHONE_RE.search(_cell(cells, columns[key]))
        if phone:
            officer[f"{key}_phone"] = phone[0]


def _fill_merged_cells(officers: list[dict]) -> None:
    """A merged cell (one bureau for several officers) is printed on one row only."""
    shared = ("bureau", "department", "director", "director_phone", "team_leader")
    for key in (*shared, "team_leader_phone"):
        for sequence in (officers, officers[::-1]):
            previous = None
            for officer in sequence:
                if officer[key] is None:
                    officer[key] = previous
                previous = officer[key]
