"""예산 총괄: one row per category over a national line and an amount line, and the 계 row."""

import re
from typing import NamedTuple

from .. import arithmetic
from ..arithmetic import BUDGET_LABELS
from .placement import budget_score, place
from .sections import SECTION_NAMES
from .text import NONE_RE, Line, Notes, compact, has_words, ignored, is_label, subject, trim
from .values import NATIONAL_RE, YEAR, is_money, read_money, read_number, read_year


class Budget(NamedTuple):
    total: dict | None
    rows: list[dict]
    year: int | None  # the year of the (B) column


TOTAL_LABELS = frozenset({"月", "계", "합계", "총계", "총액", "소계"})
_BUDGET_YEAR_RE = re.compile(rf"(?P<year>{YEAR})\s*년?\s*도?\s*예\s*산\s*액?\s*\(\s*B\s*\)")
_PCT_WORDS_RE = re.compile(r"[가-힣]{1,3}")  # `순증` where the prior year is 0
_BUDGET_COLUMNS = ("prior", "current", "change", "change_pct")


class _BudgetRow:
    """One row of 예산 총괄 as printed over a national line and an amount line."""

    def __init__(self, line: int) -> None:
        self.line = line  # where the row starts: warnings about the row or its 국비
        self.labels: list[str] = []
        self.national: list[str] | None = None
        self.amounts: list[str] | None = None
        self.amounts_line = line
        # 증감 and 증감률 printed beside the 국비 line, centred in a two-line row (the
        # project's own report); the amounts line below then holds only (A) and (B).
        self.beside: list[str] = []

    @property
    def label(self) -> str:
        return compact("".join(self.labels))


def parse_budget(lines: list[Line], notes: Notes) -> Budget:
    year = None
    rows: list[_BudgetRow] = []
    open_row: _BudgetRow | None = None  # a row with its national line but no amounts yet
    pending: list[str] = []  # label fragments on lines of their own
    for line in lines:
        match = _BUDGET_YEAR_RE.search(line.text)
        if match or "구분" in compact(line.cells[0]):
            year = read_year(match["year"]) if match else year
            notes.use(line.no)
            continue
        label, values = _label_and_values(line.cells)
        kind = _budget_line_kind(values)
        if kind is None:
            if is_label(label) and not any(values):
                pending.append(label)
                notes.use(line.no)
            elif NONE_RE.search(line.text) or not (rows or pending or has_words(line.text)):
                notes.use(line.no)  # `해당 없음`, or a piece of the head wrapped (`(B-A)*100/A`)
            else:
                notes.add(SECTION_NAMES["budget"], line.no, ignored(line.text))
            continue
        notes.use(line.no)
        if kind == "amounts" and open_row is not None:
            row = open_row
            values = values + row.beside
        else:
            row = _BudgetRow(line.no)
            if pending and rows and label:
                rows[-1].labels.extend(pending)  # a wrapped label of the row above
            elif pending:
                row.labels.extend(pending)
            pending = []
            rows.append(row)
        row.labels.append(label)
        if kind == "beside":
            count = sum(bool(NATIONAL_RE.fullmatch(value)) for value in values if value)
            filled = [value for value in values if value]
            row.beside = filled[count:]
            row.national = filled[:count] + [""] * len(row.beside)  # 국비 of (A) and (B) only
        if kind in ("national", "both"):
            row.national = values
        if kind in ("amounts", "both"):
            row.amounts, row.amounts_line = values, line.no
        open_row = row if kind in ("national", "beside") else None
    if pending and rows:
        rows[-1].labels.extend(pending)
    return _budget_from_rows(rows, year, notes)


def _label_and_values(cells: list[str]) -> tuple[str, list[str]]:
    cells = trim(cells)
    if not cells:
        return "", []
    if is_money(cells[0]) and len(cells) > 1:  # the label column itself is missing
        return "", cells
    return cells[0], cells[1:]


def _budget_line_kind(values: list[str]) -> str | None:
    """The kind of a line's value cells: "national" (`(x…)`), "amounts", "both", "beside"
    (국비 cells, then 증감 and 증감률) or None."""
    filled = [value for value in values if value]
    if not filled:
        return None
    nationals = [bool(NATIONAL_RE.fullmatch(value)) for value in filled]
    if all(nationals):
        return "national"
    if any(nationals):
        # 국비 of (A) and (B) first, then 증감 and 증감률 as plain figures.
        count = nationals.index(False)
        rest = [read_money(value) for value in filled[count:]]
        if not any(nationals[count:]) and all(money.amount is not None for money in rest[:-1]):
            return "beside"
        return None
    moneys = [read_money(value) for value in filled]
    if all(money.national is not None and money.amount is not None for money in moneys):
        return "both"
    # The last cell (증감률) may be a word: `순증`.
    numbers = [money.amount is not None and money.national is None for money in moneys]
    if all(numbers[:-1]) and (numbers[-1] or _PCT_WORDS_RE.fullmatch(filled[-1])):
        return "amounts"
    return None


def _budget_from_rows(rows: list[_BudgetRow], year: int | None, notes: Notes) -> Budget:
    where = SECTION_NAMES["budget"]
    if not rows:
        notes.add(where, None, "항목 행이 없음")
        return Budget(None, [], year)
    read = [_read_budget_row(row, notes) for row in rows]
    total_index = _total_row(rows, read)
    summary = []
    for index, (row, values) in enumerate(zip(rows, read, strict=True)):
        if index == total_index:
            continue
        category = row.label or None
        if category is None:
            notes.add(where, row.line, "과목명이 비어 있음")
        summary.append({"category": category, **values})
    total = read[total_index] if total_index is not None else None
    if total is None:
        notes.add(where, rows[0].line, "계 행이 없음")
    return Budget(total, summary, year)


def _total_row(rows: list[_BudgetRow], read: list[dict]) -> int | None:
    """The 계 row: by its label, else the first row that is the sum of all the others."""
    for index, row in enumerate(rows):
        if row.label in TOTAL_LABELS:
            return index
    if len(rows) >= 2 and not rows[0].label:
        rest = read[1:]
        for key in ("prior", "current"):
            sum_of_rest = arithmetic.total(values[key] for values in rest)
            if read[0][key] is None or sum_of_rest != read[0][key]:
                return None
        return 0
    return None


def _read_budget_row(row: _BudgetRow, notes: Notes) -> dict:
    where = f"{SECTION_NAMES['budget']} {row.label or ''}".rstrip()
    values: dict[str, int | None] = dict.fromkeys(_BUDGET_COLUMNS)
    if row.amounts is None:
        notes.add(where, row.line, "금액 줄이 없음")
    else:
        cells = [read_number(cell) for cell in row.amounts]
        placed = place(cells, len(_BUDGET_COLUMNS), budget_score)
        if placed is None:
            notes.add(where, row.amounts_line, _unplaced(row.amounts))
        else:
            if len(row.amounts) != len(_BUDGET_COLUMNS):
                notes.add(where, row.amounts_line, "빠진 빈 칸의 자리를 항등식으로 정함")
            values.update(zip(_BUDGET_COLUMNS, placed, strict=True))
    for key in _BUDGET_COLUMNS:
        # 증감률 of a prior year of 0 is printed `순증`: there is no percentage.
        no_pct = key == "change_pct" and values["prior"] == 0
        if values[key] is None and row.amounts is not None and not no_pct:
            message = f"{subject(BUDGET_LABELS[key])} 비어 있거나 읽지 못해 비워 둠"
            notes.add(where, row.amounts_line, message)
    nationals = _read_nationals(row, where, notes)
    return {**values, "prior_national": nationals[0], "current_national": nationals[1]}


def _read_nationals(row: _BudgetRow, where: str, notes: Notes) -> tuple[int | None, int | None]:
    if row.national is None:
        notes.add(where, row.line, "국비 줄 (x…)이 없음")
        return None, None
    cells = [read_money(cell).national if cell else None for cell in row.national]
    placed = place(cells, len(_BUDGET_COLUMNS), budget_score)
    if placed is None:
        notes.add(where, row.line, _unplaced(row.national))
        return None, None
    for key, value in zip(("prior", "current"), placed[:2], strict=True):
        if value is None:
            notes.add(where, row.line, f"{BUDGET_LABELS[key]} 국비를 읽지 못해 비워 둠")
    return placed[0], placed[1]


def _unplaced(cells: list[str]) -> str:
    return f"{cells}: 어느 칸이 어느 열인지 알 수 없어 비워 둠"


def empty_total() -> dict:
    return dict.fromkeys(BUDGET_LABELS)
