"""추진일정: task, period, amount and detail per step."""

import re

from .budget import TOTAL_LABELS
from .sections import SECTION_NAMES
from .text import NONE_RE, Line, Notes, compact, has_words, ignored, joined, says_none, trim
from .values import read_number, read_range

_WORDS_RE = re.compile(r"[가-힣()\s]+")
_SCHEDULE_HEADER_RE = re.compile(r"추진\s*기간|추진\s*절차|세부\s*내용|집행\s*금액")


def parse_schedule(lines: list[Line], notes: Notes, fiscal_year: int | None) -> list[dict]:
    where = SECTION_NAMES["schedule"]
    steps: list[tuple[int, dict]] = []
    wrapped: list[tuple[list[str], list[str]]] = []  # each step's wrapped task and detail
    pending: list[str] = []  # wrapped text above the row it belongs to
    for line in lines:
        if _SCHEDULE_HEADER_RE.search(line.text):
            notes.use(line.no)
            continue
        cells = trim(line.cells)
        period_at = _period_cell(cells, fiscal_year)
        if period_at is None:
            if compact(cells[0]) in TOTAL_LABELS or NONE_RE.search(line.text):
                notes.use(line.no)  # the 계 row repeats the total; `해당 없음`
            elif steps and has_words(line.text):
                _continue_step(wrapped[-1], cells)
                notes.use(line.no)
            elif has_words(line.text):
                pending.append(joined(cells))
                notes.use(line.no)
            else:
                notes.add(where, line.no, ignored(line.text))
            continue
        notes.use(line.no)
        steps.append((line.no, _schedule_step(cells, period_at, fiscal_year, pending)))
        wrapped.append(([], []))
        pending = []
    for (_, step), (tasks, details) in zip(steps, wrapped, strict=True):
        # Joined once, at the end: linear however many lines a row wraps over.
        if tasks:
            step["task"] = joined([step["task"] or "", *tasks])
        if details:
            step["detail"] = joined([step["detail"] or "", *details])
    for no, step in steps:
        if step["start"] is None and not step.get("period_text"):
            notes.add(where, no, f"{step['task']}: 추진기간을 읽지 못해 비워 둠")
        if step["amount"] is None:
            notes.add(where, no, f"{step['task']}: 예산집행금액이 비어 있거나 읽지 못해 비워 둠")
        if not step["task"]:
            notes.add(where, no, "사업추진절차가 비어 있음")
    if not steps and not says_none(lines):
        notes.add(where, None, "추진 단계가 없음")
    return [step for _, step in steps]


def _period_cell(cells: list[str], fiscal_year: int | None) -> int | None:
    """The cell that reads as a period; else the second of a row `task | ? | amount`."""
    for index, cell in enumerate(cells):
        if read_range(cell, fiscal_year):
            return index
    if len(cells) >= 3 and cells[0] and cells[1] and read_number(cells[2]) is not None:
        return 1
    return None


def _schedule_step(
    cells: list[str], period_at: int, fiscal_year: int | None, pending: list[str]
) -> dict:
    """task | period | amount | detail, the period cell found by its content."""
    start, end = read_range(cells[period_at], fiscal_year) or (None, None)
    amount_cell, *detail = cells[period_at + 1 :] or [""]
    amount = read_number(amount_cell) if amount_cell else None
    if amount is None and has_words(amount_cell):
        detail = [amount_cell, *detail]  # no amount cell at all: this is the detail
    step = {
        "task": joined([*pending, *cells[:period_at]]) or None,
        "start": start,
        "end": end or start,
        "amount": amount,
        "detail": joined(detail) or None,
    }
    # Words that name no months (`수시`, `필요시`) are the period as the document gives it.
    if start is None and _WORDS_RE.fullmatch(cells[period_at]):
        step["period_text"] = cells[period_at]
    return step


def _continue_step(wrapped: tuple[list[str], list[str]], cells: list[str]) -> None:
    """A wrapped row: cells in the detail column continue the detail, others the task."""
    task, detail = (cells[0], cells[3:]) if len(cells) >= 4 else (joined(cells), [])
    if task:
        wrapped[0].append(task)
    wrapped[1].extend(detail)
