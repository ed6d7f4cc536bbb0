"""최근 3년 결산: one row per year, its columns named by the header."""

import re

from .placement import identities, place, settlement_score_in
from .sections import SECTION_NAMES
from .text import NONE_RE, Line, Notes, compact, has_words, trim, won
from .values import YEAR, read_money, read_year

# ---------------------------------------------------------------- 최근 3년 결산 (settlements)

SETTLEMENT_COLUMNS = (
    ("final_budget", "최종예산"),
    ("carried_in", "전년이월"),
    ("budget_change", "예산변경"),
    ("available", "예산현액"),
    ("executed", "집행액"),
    ("carried_out", "차년이월"),
    ("unspent", "집행잔액"),
)
_SETTLEMENT_YEAR_RE = re.compile(rf"(?P<year>{YEAR})\s*년?\s*도?")


def parse_settlements(lines: list[Line], notes: Notes) -> list[dict]:
    order = [key for key, _ in SETTLEMENT_COLUMNS]
    rows = []
    for line in lines:
        names = [compact(cell) for cell in line.cells]
        known = [key for key, name in SETTLEMENT_COLUMNS if name in names]
        if len(known) >= 4:  # the header (repeated after a page break)
            order = [_column_key(name, i) for i, name in enumerate(names[1:])]
            continue
        year = _SETTLEMENT_YEAR_RE.fullmatch(line.cells[0])
        if year:
            rows.append(_settlement_row(line, read_year(year["year"]), order, notes))
        elif has_words(line.text) and not NONE_RE.search(line.text):
            notes.add(SECTION_NAMES["settlements"], line.no, f"ignored {line.text!r}")
    return rows


def _column_key(name: str, index: int) -> str:
    """The column of a header cell; one misprinted keeps its usual place."""
    known = next((key for key, label in SETTLEMENT_COLUMNS if label == name), None)
    if known:
        return known
    return SETTLEMENT_COLUMNS[index][0] if index < len(SETTLEMENT_COLUMNS) else f"?{index}"


def _settlement_row(line: Line, year: int, order: list[str], notes: Notes) -> dict:
    where = f"{SECTION_NAMES['settlements']} {year}"
    cells = line.cells[1:]
    if len(cells) > len(order):
        cells = trim(cells)
    printed = [money if money.printed else None for money in map(read_money, cells)]
    placed = place(printed, len(order), settlement_score_in(order))
    if placed is None:
        notes.add(where, line.no, f"cannot tell which of the {len(cells)} cells are which")
        placed = [None] * len(order)
    elif len(cells) != len(order):
        message = f"{len(cells)} cells for {len(order)} columns: placed by the identities"
        notes.add(where, line.no, message)
    by_key = dict(zip(order, placed, strict=True))
    row: dict = {"year": year}
    national: dict = {}
    blanks = []
    for key, name in SETTLEMENT_COLUMNS:
        money = by_key.get(key)
        row[key] = money.amount if money else None
        national[key] = money.national if money else None
        if money is None:
            blanks.append(key)
        elif money.amount is None:
            notes.add(where, line.no, f"{name} is unreadable ({money.text!r})")
        elif money.national is None:
            notes.add(where, line.no, f"국비 of {name} is not printed")
    row["national"] = national
    for key in blanks:
        implied = _implied(row, key)
        hint = f" (the identities give {won(implied)})" if implied is not None else ""
        notes.add(where, line.no, f"{_SETTLEMENT_NAMES[key]} is blank{hint}")
    _check_identities(row, where, line.no, notes)
    _check_identities(national, f"{where} 국비", line.no, notes)
    return row


_IDENTITY_TEXTS = {
    "available": "최종예산 + 전년이월 + 예산변경",
    "unspent": "예산현액 − 집행액 − 차년이월",
}


_SETTLEMENT_NAMES = dict(SETTLEMENT_COLUMNS)


def _check_identities(values: dict, where: str, line: int, notes: Notes) -> None:
    for key, printed, computed in identities(values):
        if printed is not None and computed is not None and printed != computed:
            identity = f"{_IDENTITY_TEXTS[key]} = {won(computed)}"
            notes.add(where, line, f"{_SETTLEMENT_NAMES[key]} {won(printed)} ≠ {identity}")


def _implied(values: dict, key: str) -> int | None:
    """The value of one blank column that the two identities fix."""
    fb, ci, bc, av, ex, co, un = (values[k] for k, _ in SETTLEMENT_COLUMNS)
    if key == "available":
        if None not in (fb, ci, bc):
            return fb + ci + bc
        return ex + co + un if None not in (ex, co, un) else None
    if key == "carried_out":
        av = av if av is not None else (fb + ci + bc if None not in (fb, ci, bc) else None)
        return av - ex - un if None not in (av, ex, un) else None
    return None
