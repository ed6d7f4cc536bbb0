"""사업개요: 회계, 사업기간, 사업내용 and 사업비 with its funding sources."""

import re
from typing import NamedTuple

from .characters import DOT, FILLED_SQUARE, SQUARE, TICK
from .sections import SECTION_NAMES
from .text import Line, Notes, compact, ignored, joined, strip_bullet
from .values import read_number


class Overview(NamedTuple):
    account: str | None
    period_type: str | None
    overview: str | None
    funding: dict


_OVERVIEW_LABELS = {
    "회계": "account",
    "사업기간": "period",
    "사업내용": "overview",
    "개요": "overview",  # as this project's report prints it
    "사업비": "funding",
}
_CHECKED_RE = re.compile(rf"[{TICK}{FILLED_SQUARE}]\s*([가-힣]+)")
_UNCHECKED_RE = re.compile(rf"{SQUARE}\s*[가-힣]+")
_OPTION_RE = re.compile(r"[가-힣]+")
_FUNDING_LABELS = {"national": "국비", "city": "시비", "district": "구비", "other": "기타"}
# `(국비)`, `[시 비]`, `（구비）` and the amount after it, if any; or, in one bracket of
# parts, the label and its amount (`(국비 496,000 · 시비 1,311,500 · …)`).
_FUNDING_PART_RES = {
    key: re.compile(
        rf"[(\[【]\s*{label[0]}\s*{label[1]}\s*[)\]】]\s*(?P<amount>\d[\d,]*|-)?"
        rf"|[(\[【{DOT}]\s*{label[0]}\s*{label[1]}\s*(?P<inner>\d[\d,]*|-)(?=\s*[)\]】{DOT}])"
    )
    for key, label in _FUNDING_LABELS.items()
}
_FUNDING_TOTAL_RE = re.compile(r"(?:\(당해년도\))?\s*(?P<amount>\d[\d,]*)")
_PARENTHESES_RE = re.compile(r"\([^()]*\)")


def empty_funding() -> dict:
    return dict.fromkeys(("total", "national", "city", "district", "other"))


def parse_overview(lines: list[Line], notes: Notes) -> Overview:
    rows = _overview_rows(lines, notes)
    where = SECTION_NAMES["overview"]
    account_line, account = rows.get("account", (None, ""))
    account = _checked(account) or account or None
    if account is None:
        notes.add(where, account_line, "회계가 비어 있음")
    period_line, period = rows.get("period", (None, ""))
    period_type = _checked(period)
    if period_type is None:
        notes.add(where, period_line, f"사업기간에 표시된 선택지가 없음 ({period!r})")
    overview = strip_bullet(rows.get("overview", (None, ""))[1]) or None
    return Overview(account, period_type, overview, _read_funding(rows.get("funding"), notes))


def _overview_rows(lines: list[Line], notes: Notes) -> dict[str, tuple[int, str]]:
    """The rows by label (회계, 사업기간, …): first line, and the text after the label.

    A line without a label continues the row above (`(당해년도)` under `사업비`).
    """
    rows: dict[str, tuple[int, list[str]]] = {}
    current = None
    for line in lines:
        if _label(line.cells[0]):
            # A line may hold two rows side by side (`회계 | 일반회계 | 사업기간 구분 | 연례반복`).
            for cell in line.cells:
                current = _label(cell) or current
                if _label(cell):
                    rows.setdefault(current, (line.no, []))
                else:
                    rows[current][1].append(cell)
            notes.use(line.no)
        elif current:
            rows[current][1].extend(line.cells)
            notes.use(line.no)
        else:
            notes.add(SECTION_NAMES["overview"], line.no, ignored(line.text))
    return {key: (no, joined(cells)) for key, (no, cells) in rows.items()}


_KIND_RE = re.compile(r"구분$")


def _label(cell: str) -> str | None:
    """The row a label cell names (`사업비(당해년도)`, `사업기간 구분`), if it is one."""
    return _OVERVIEW_LABELS.get(_KIND_RE.sub("", _PARENTHESES_RE.sub("", compact(cell))))


def _checked(text: str) -> str | None:
    """The ticked option of a row of check boxes (`☑연례반복`), or the one option printed."""
    match = _CHECKED_RE.search(text)
    if match:
        return match[1]
    if _UNCHECKED_RE.search(text):
        return None  # boxes, none ticked
    word = _OPTION_RE.match(text)
    return word[0] if word else None


def _read_funding(row: tuple[int, str] | None, notes: Notes) -> dict:
    """`3,296,216천원 (국비) (시비)3,296,216천원 … [구비] (기타)`: total, then each part."""
    funding = empty_funding()
    where = SECTION_NAMES["overview"]
    if row is None:
        notes.add(where, None, "사업비 줄이 없음")
        return funding
    line, text = row
    total = _FUNDING_TOTAL_RE.match(text)
    funding["total"] = read_number(total["amount"]) if total else None
    if total is None:
        notes.add(where, line, "사업비 총액을 읽지 못해 비워 둠")
    for key, pattern in _FUNDING_PART_RES.items():
        match = pattern.search(text)
        if match is None:
            notes.add(where, line, f"사업비에 {_FUNDING_LABELS[key]} 칸이 없어 비워 둠")
            continue
        # A label with no amount after it is a part the program does not have.
        amount = match["amount"] or match["inner"]
        funding[key] = read_number(amount) if amount else 0
    return funding
