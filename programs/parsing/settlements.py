"""최근 3년 결산: one row per year, its columns named by the header."""

import re

from .. import arithmetic
from ..arithmetic import SETTLEMENT_COLUMNS, SETTLEMENT_LABELS
from ..formatting import amount
from .characters import TIMES
from .placement import place, settlement_score_in
from .sections import SECTION_NAMES
from .text import EMPTY_TABLE_RE, NONE_RE, Line, Notes, compact, ignored, subject, trim
from .values import YEAR, read_money, read_year

_SETTLEMENT_YEAR_RE = re.compile(rf"(?P<year>{YEAR})\s*년?\s*도?")


def parse_settlements(lines: list[Line], notes: Notes) -> list[dict]:
    order = list(SETTLEMENT_COLUMNS)
    rows = []
    marked = False  # a figure marked `*` read
    for index, line in enumerate(lines):
        names = [compact(cell) for cell in line.cells]
        known = [key for key, name in SETTLEMENT_LABELS.items() if name in names]
        if len(known) >= 4:  # the header (repeated after a page break)
            order = [_column_key(name, i) for i, name in enumerate(names[1:])]
            order = order[: max(order.index(key) for key in known) + 1]  # 집행률 is derived
            notes.use(line.no)
            continue
        year = _SETTLEMENT_YEAR_RE.fullmatch(line.cells[0])
        marked = marked or any(read_money(cell).marked for cell in line.cells)
        below = lines[index + 1] if index + 1 < len(lines) else None
        if year and below and _national_over_amounts(line, below):
            # 국비 in brackets over the amounts (`(400,000)` / `1,520,000`): one cell each.
            cells = [
                _merged(top, bottom)
                for top, bottom in zip(line.cells[1:], below.cells[1:], strict=False)
            ]
            merged = Line(line.no, line.text, [line.cells[0], *cells], line.compact)
            rows.append(_settlement_row(merged, read_year(year["year"]), order, notes))
            notes.use(line.no, below.no)
        elif year:
            rows.append(_settlement_row(line, read_year(year["year"]), order, notes))
            notes.use(line.no)
        elif line.no in notes.used:
            continue
        elif (
            NONE_RE.search(line.text)
            or (not rows and EMPTY_TABLE_RE.fullmatch(line.text.strip()))
            or (marked and line.text.lstrip().startswith("*"))
        ):
            # `해당 없음`; the note under the table saying what its `*` marks mean
            notes.use(line.no)
        else:
            notes.add(SECTION_NAMES["settlements"], line.no, ignored(line.text))
    return rows


_BRACKETED_RE = re.compile(r"\([^()]*\)")


def _national_over_amounts(line: Line, below: Line) -> bool:
    """A year's line of bracketed figures over a line of amounts with a blank first cell.
    A cell of one line (no 국비) may stand on either line, its place on the other blank."""
    pairs = list(zip(line.cells[1:], below.cells[1:], strict=False))
    bracketed = [bool(_BRACKETED_RE.fullmatch(top)) for top, _ in pairs]
    amounts = [
        bottom if national else top or bottom
        for (top, bottom), national in zip(pairs, bracketed, strict=True)
    ]
    return (
        not below.cells[0]
        and any(bracketed)
        and all(
            national or not (top and bottom)
            for (top, bottom), national in zip(pairs, bracketed, strict=True)
        )
        and all(read_money(cell).amount is not None for cell in amounts if cell)
    )


def _merged(top: str, bottom: str) -> str:
    """One cell of a year's two lines: `(×national) amount`, or the amount alone."""
    if _BRACKETED_RE.fullmatch(top):
        return f"({TIMES}{top[1:-1]}) {bottom}".strip()
    return top or bottom


def _column_key(name: str, index: int) -> str:
    """The column of a header cell; one misprinted keeps its usual place."""
    known = next((key for key, label in SETTLEMENT_LABELS.items() if label == name), None)
    if known:
        return known
    return SETTLEMENT_COLUMNS[index] if index < len(SETTLEMENT_COLUMNS) else f"?{index}"


def _settlement_row(line: Line, year: int, order: list[str], notes: Notes) -> dict:
    where = f"{SECTION_NAMES['settlements']} {year}"
    cells = line.cells[1:]
    if len(cells) > len(order):
        cells = trim(cells)
    printed = [money if money.printed else None for money in map(read_money, cells)]
    placed = place(printed, len(order), settlement_score_in(order))
    if placed is None:
        notes.add(where, line.no, f"{len(cells)}칸: 어느 칸이 어느 열인지 알 수 없어 비워 둠")
        placed = [None] * len(order)
    elif len(cells) != len(order):
        message = f"{len(order)}열에 {len(cells)}칸: 빈 칸의 자리를 항등식으로 정함"
        notes.add(where, line.no, message)
    by_key = dict(zip(order, placed, strict=True))
    row: dict = {"year": year}
    national: dict = {}
    blanks = []
    for key, name in SETTLEMENT_LABELS.items():
        money = by_key.get(key)
        row[key] = money.amount if money else None
        national[key] = money.national if money else None
        if money is None:
            blanks.append(key)
        elif money.amount is None:
            notes.add(where, line.no, f"{name} 칸을 읽지 못해 비워 둠 ({money.text!r})")
        elif money.national is None:
            notes.add(where, line.no, f"{name}의 국비가 인쇄되어 있지 않아 비워 둠")
    row["national"] = national
    for key, name in SETTLEMENT_LABELS.items():
        money = by_key.get(key)
        if money and money.marked and money.amount is not None:
            _unmark(
                row,
                key,
                f"{name} {money.text!r}",
                lambda message: notes.add(where, line.no, message),
            )
    completed = arithmetic.completed_settlement(row)
    for key in blanks:
        implied = completed[key]
        hint = f" (항등식으로 {amount(implied)})" if implied is not None else ""
        notes.add(where, line.no, f"{subject(SETTLEMENT_LABELS[key])} 비어 있음{hint}")
    return row


def _unmark(row: dict, key: str, what: str, note) -> None:
    """A figure marked `*` that the identities give from the rest of its row is the figure a
    report computed for the document's blank: read the blank. Any other stays, noted."""
    implied = arithmetic.completed_settlement({**row, key: None})[key]
    if implied == row[key]:
        row[key] = None
        note(f"{what}: * 표시는 항등식으로 계산한 값이라는 뜻이므로 문서의 빈 칸으로 읽음")
    else:
        note(f"{what}: * 표시가 있으나 항등식의 값과 달라 그대로 읽음")
