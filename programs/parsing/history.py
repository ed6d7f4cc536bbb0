"""추진경위: dated events, and the consignment contracts among them."""

import re
from typing import NamedTuple

from .. import arithmetic
from .characters import BULLET, DASH, DOT, TILDE
from .sections import SECTION_NAMES
from .text import (
    Line,
    Notes,
    compact,
    has_words,
    ignored,
    joined,
    says_none,
    squash,
    strip_bullet,
)
from .values import YEAR, first_day, last_day, read_range

_DASH = re.escape(DASH)
_DATE = rf"{YEAR}\s*[./년{_DASH}]\s*\d{{1,2}}(?:\s*[./월{_DASH}]\s*\d{{1,2}})?\s*[.일월]?"
_END_DATE = rf"(?:{YEAR}\s*[./년{_DASH}]\s*)?\d{{1,2}}(?:\s*[./월{_DASH}]\s*\d{{1,2}})?\s*[.일월]?"
_EVENT_RE = re.compile(
    rf"(?:{BULLET}\s*)?(?P<date>{_DATE}(?:\s*{TILDE}\s*{_END_DATE})?)(?:\s+(?P<text>.*))?"
)
# A consignment (위탁, 위수탁, 위·수탁, 재위탁, and its 재계약) signed as a contract or an
# agreement; a research, works or goods contract (용역, 공사, 물품) is an event only.
_CONTRACT_WORD_RE = re.compile(r"협약|계약")
_CONSIGNMENT_RE = re.compile(rf"위\s*{re.escape(DOT)}?\s*수?\s*탁|재\s*계약")
_OTHER_CONTRACT_RE = re.compile(r"용역|공사|물품|구매|임차|임대")
_TERM_RE = re.compile(r"\((?P<inner>[^()]*)\)")
_TERM_SPAN_RE = re.compile(rf"{_DATE}\s*[{TILDE}{_DASH}]\s*{_END_DATE}")
_TERM_YEARS_RE = re.compile(r"(?<![\d.'])(\d{1,2})\s*년(?!\s*\d)")
# The table's header row (`일자 | 내용`), printed again at the top of each page it runs over.
_HEADER_RE = re.compile(r"(?:일자|날짜|일시|연월일|시기)(?:추진)?(?:내용|경위|주요내용)")


class _Event(NamedTuple):
    line: int
    date: str | None
    end_date: str | None
    text: str

    @property
    def json(self) -> dict:
        return {"date": self.date, "end_date": self.end_date, "text": self.text}


def parse_history(lines: list[Line], notes: Notes) -> list[_Event]:
    events: list[_Event] = []
    parts: list[list[str]] = []  # each event's text, line by line: joined once, at the end
    depth = 0  # brackets the last event leaves open
    where = SECTION_NAMES["history"]
    for line in lines:
        text = joined(line.cells)
        if _HEADER_RE.fullmatch(compact(text)):
            notes.use(line.no)
            continue
        match = _EVENT_RE.fullmatch(text)
        # A line wrapped inside brackets continues the event, even where it starts with a date.
        if match and depth <= 0:
            dates = read_range(match["date"])
            if dates is None:
                notes.add(where, line.no, f"날짜를 읽지 못해 비워 둠 ({match['date']!r})")
            start, end = dates or (None, None)
            events.append(_Event(line.no, start, end, ""))
            parts.append([match["text"] or ""])
            depth = _opened(match["text"] or "")
            notes.use(line.no)
        elif events and (depth > 0 or has_words(text)):
            parts[-1].append(strip_bullet(text))
            depth += _opened(text)
            notes.use(line.no)
        elif says_none([line]):
            notes.use(line.no)
        else:
            notes.add(where, line.no, ignored(text, "날짜가 없는"))
    events = [
        event._replace(text=squash(" ".join(texts)))
        for event, texts in zip(events, parts, strict=True)
    ]
    for event in events:
        if not event.text:
            notes.add(where, event.line, "날짜만 있고 내용이 없음")
    return events


def _opened(text: str) -> int:
    return text.count("(") - text.count(")")


def read_contracts(events: list[_Event], notes: Notes) -> list[dict]:
    """The events that sign a consignment contract with a term (`협약체결(3년, …~…)`)."""
    contracts = []
    where = SECTION_NAMES["history"]
    for event in events:
        text = event.text
        if not (_CONTRACT_WORD_RE.search(text) and _CONSIGNMENT_RE.search(text)):
            continue
        if _OTHER_CONTRACT_RE.search(text):
            continue
        # The term is usually in brackets, `(3년, 2018.1.23~2021.1.22)`, but may stand free.
        span = _TERM_SPAN_RE.search(event.text)
        bracketed = " ".join(term["inner"] for term in _TERM_RE.finditer(event.text))
        years = _TERM_YEARS_RE.search(bracketed)
        if span is None:
            if years:
                notes.add(where, event.line, "계약 기간에 날짜가 없어 계약 목록에서 뺌")
            continue
        dates = read_range(span[0])
        if dates is None or dates[1] is None:
            notes.add(where, event.line, f"계약 기간을 읽지 못해 계약 목록에서 뺌 ({span[0]!r})")
            continue
        contracts.append(
            {
                "signed": event.date,
                "start": dates[0],
                "end": dates[1],
                "term_years": int(years[1])
                if years
                else arithmetic.term_years(first_day(dates[0]), last_day(dates[1])),
            }
        )
    return contracts
