"""추진경위: dated events, and the consignment contracts among them."""

import re
from datetime import timedelta
from itertools import pairwise
from typing import NamedTuple

from .sections import SECTION_NAMES
from .text import BULLET, Line, Notes, has_words, joined, says_none, squash, strip_bullet
from .values import YEAR, as_date, read_range

# ---------------------------------------------------------------- 추진경위 (history)

_DATE = rf"{YEAR}\s*[./년-]\s*\d{{1,2}}(?:\s*[./월-]\s*\d{{1,2}})?\s*[.일월]?"
_END_DATE = rf"(?:{YEAR}\s*[./년-]\s*)?\d{{1,2}}(?:\s*[./월-]\s*\d{{1,2}})?\s*[.일월]?"
_EVENT_RE = re.compile(
    rf"(?:{BULLET}\s*)?(?P<date>{_DATE}(?:\s*[~∼〜～]\s*{_END_DATE})?)(?:\s+(?P<text>.*))?"
)
_CONTRACT_WORD_RE = re.compile(r"협약|계약")
_TERM_RE = re.compile(r"\((?P<inner>[^()]*)\)")
_TERM_SPAN_RE = re.compile(rf"{_DATE}\s*[~∼〜～]\s*{_END_DATE}")
_TERM_YEARS_RE = re.compile(r"(?<![\d.'])(\d{1,2})\s*년(?!\s*\d)")


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
    where = SECTION_NAMES["history"]
    for line in lines:
        text = joined(line.cells)
        match = _EVENT_RE.fullmatch(text)
        if match and not (events and _unclosed(events[-1].text)):
            dates = read_range(match["date"])
            if dates is None:
                notes.add(where, line.no, f"the date {match['date']!r} is unreadable")
            start, end = dates or (None, None)
            events.append(_Event(line.no, start, end, squash(match["text"] or "")))
        elif events and has_words(text):
            last = events[-1]
            events[-1] = last._replace(text=squash(f"{last.text} {strip_bullet(text)}"))
        elif has_words(text) and not says_none([line]):
            notes.add(where, line.no, f"ignored {text!r} (no date)")
    for event in events:
        if not event.text:
            notes.add(where, event.line, "an event without text")
    return events


def _unclosed(text: str) -> bool:
    return text.count("(") > text.count(")")


def read_contracts(events: list[_Event], notes: Notes) -> list[dict]:
    """The events that sign a consignment contract with a term (`협약체결(3년, …~…)`)."""
    contracts = []
    where = SECTION_NAMES["history"]
    for event in events:
        if not _CONTRACT_WORD_RE.search(event.text):
            continue
        # The term is usually in brackets, `(3년, 2018.1.23~2021.1.22)`, but may stand free.
        span = _TERM_SPAN_RE.search(event.text)
        bracketed = " ".join(term["inner"] for term in _TERM_RE.finditer(event.text))
        years = _TERM_YEARS_RE.search(bracketed)
        if span is None:
            if years:
                notes.add(where, event.line, "a contract term without dates: not in contracts")
            continue
        dates = read_range(span[0])
        if dates is None or dates[1] is None:
            notes.add(where, event.line, f"the contract term {span[0]!r} is unreadable")
            continue
        contracts.append(
            {
                "signed": event.date,
                "start": dates[0],
                "end": dates[1],
                "term_years": int(years[1]) if years else _whole_years(*dates),
                "line": event.line,
            }
        )
    _check_contract_sequence(contracts, notes)
    for contract in contracts:
        del contract["line"]
    return contracts


def _whole_years(start: str, end: str) -> int:
    """The term in years of `start`–`end` inclusive (dates or months)."""
    first, last = as_date(start), as_date(end)
    if first and last:
        last += timedelta(days=1)
        months = (last.year - first.year) * 12 + last.month - first.month
    else:
        months = (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1
    return round(months / 12)


def _check_contract_sequence(contracts: list[dict], notes: Notes) -> None:
    """Consecutive contracts run back to back; a gap or overlap is worth a look."""
    for previous, contract in pairwise(contracts):
        end, start = as_date(previous["end"]), as_date(contract["start"])
        if end and start and start != end + timedelta(days=1):
            kind = "gap" if start > end else "overlap"
            days = abs((start - end).days - 1)
            notes.add(
                SECTION_NAMES["history"],
                contract["line"],
                f"contract from {contract['start']} does not follow the one ending "
                f"{previous['end']} ({kind} of {days} days)",
            )
