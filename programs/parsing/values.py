"""Values as the documents print them: numbers, money with its 국비 part, years, dates, ranges."""

import calendar
import re
from datetime import date
from typing import NamedTuple

from .characters import DASH, NEGATIVE, QUOTE, TILDE, TIMES
from .text import compact

_DASHES = f"{DASH}_"
_NUMBER_RE = re.compile(
    rf"(?P<sign>[{re.escape(NEGATIVE + DASH)}])?\s*(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)"
)
# The national (국비) part printed before an amount: `(x209,000)`, `(x-)`, `(_X -)`, or
# named (`(국비 50,000)`).
NATIONAL_RE = re.compile(rf"\(\s*(?:_?\s*[xX{TIMES}]|국\s*비)\s*(?P<value>[^()]*?)\s*\)")


def read_number(text: str) -> int | None:
    """An integer as printed (`1,234`, `△65,000` negative, `-` zero), or None."""
    text = text.strip()
    if text and not compact(text).strip(_DASHES):  # dashes and spaces only
        return 0
    match = _NUMBER_RE.fullmatch(text)
    if not match:
        return None
    value = int(match["digits"].replace(",", ""))
    return -value if match["sign"] else value


class Money(NamedTuple):
    """One amount cell: the amount and its national part; `printed` is False for a blank;
    `marked` when a note mark follows the amount (`8,542,856*`)."""

    amount: int | None
    national: int | None
    printed: bool
    text: str
    marked: bool = False


# A note mark after a figure: the figure is explained below the table (this project's report
# marks a figure it computed where the document left a blank).
_MARK_RE = re.compile(r"(?<=\d)\s*\*$")


def read_money(cell: str) -> Money:
    rest, national = cell.strip(), None
    mark = _MARK_RE.search(rest)
    if mark:
        return read_money(rest[: mark.start()])._replace(text=cell, marked=True)
    match = NATIONAL_RE.match(rest)
    if match:
        national = read_number(match["value"]) if match["value"] else 0
        rest = rest[match.end() :].strip()
        if not rest:  # `(x-)` alone: a dash, so no money at all
            return Money(0 if national == 0 else None, national, True, cell)
    amount = read_number(rest) if rest else None
    return Money(amount, national, bool(rest) or match is not None, cell)


def is_money(cell: str) -> bool:
    money = read_money(cell)
    return money.amount is not None or money.national is not None


YEAR = rf"(?:\d{{4}}|{QUOTE}\d{{2}})"
_POINT_RE = re.compile(
    rf"(?:(?P<year>{YEAR})\s*(?:년도?|[./-])?\s*)?"
    r"(?:(?P<month>\d{1,2})\s*(?:월|[./-])?\s*(?:(?P<day>\d{1,2})\s*(?:일|\.)?)?)?"
)
RANGE_SPLIT_RE = re.compile(TILDE)
# A dash between two dates written with dots (`2025.01-2025.03`, `2024.9-10.`) is a range;
# in `2024-03` it separates the month.
_DASH_RANGE_RE = re.compile(rf"(?<=[.년월일\d])\s*{re.escape(DASH)}\s*(?=[{QUOTE}\d])")
# Periods in words (추진일정), as the months of the year they name.
_WORD_MONTHS = (
    (re.compile(r"(?:연중|연간|상시|매월|월별|매분기|분기별|분기마다)+"), (1, 12)),
    (re.compile(r"상반기"), (1, 6)),
    (re.compile(r"하반기"), (7, 12)),
    (re.compile(r"(?P<quarter>[1-4])\s*/?\s*4?\s*분기"), None),
)


def read_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text[1:])


class _Point(NamedTuple):
    year: int | None
    month: int | None
    day: int | None


def _read_point(text: str) -> _Point | None:
    match = _POINT_RE.fullmatch(text.strip())
    if not match or not (match["year"] or match["month"]):
        return None
    return _Point(
        read_year(match["year"]) if match["year"] else None,
        int(match["month"]) if match["month"] else None,
        int(match["day"]) if match["day"] else None,
    )


def _iso(point: _Point) -> str | None:
    """`YYYY-MM-DD`, or `YYYY-MM` when only a month is given; None if not a real date."""
    if point.year is None or point.month is None:
        return None
    try:
        date(point.year, point.month, 1 if point.day is None else point.day)
    except ValueError:
        return None
    if point.day is None:
        return f"{point.year:04d}-{point.month:02d}"
    return f"{point.year:04d}-{point.month:02d}-{point.day:02d}"


def read_range(text: str, year: int | None = None) -> tuple[str | None, str | None] | None:
    """`2024.01~2024.03`, `2014.7~8.`, `2023.5.9~12`, `1월~3월`, `연중` as (start, end).

    The end inherits what it leaves out from the start (`2014.7~8.` ends 2014-08); a start
    without a year takes `year`. A single date gives (date, None). None if unreadable.
    """
    text = text.strip().rstrip(".").strip()
    if text.isdigit():
        return None  # a bare number is an amount, not a month
    months = _months_in_words(compact(text))
    if months:
        return (f"{year:04d}-{months[0]:02d}", f"{year:04d}-{months[1]:02d}") if year else None
    parts = RANGE_SPLIT_RE.split(text)
    if len(parts) == 1 and re.search(r"[.년월]", text):
        parts = _DASH_RANGE_RE.split(text, maxsplit=1)
    if len(parts) > 2:
        return None
    start = _read_point(parts[0])
    if start is None or start.month is None:
        return None
    start = start._replace(year=start.year or year)
    if len(parts) == 1:
        return (_iso(start), None) if _iso(start) else None
    end = _read_point(parts[1])
    if end is None:
        return None
    if end.year is None and end.day is None and start.day is not None:
        end = _Point(None, start.month, end.month)  # `2023.5.9~12`: the 12th
    end = _Point(end.year or start.year, end.month or start.month, end.day)
    if not (_iso(start) and _iso(end)):
        return None
    return _iso(start), _iso(end)


def _months_in_words(text: str) -> tuple[int, int] | None:
    """The first and last month of `연중`, `상반기`, `3분기`, … (the whole text), or None."""
    for pattern, months in _WORD_MONTHS:
        match = pattern.fullmatch(text)
        if match:
            if months is None:
                quarter = int(match["quarter"])
                return 3 * quarter - 2, 3 * quarter
            return months
    return None


def first_day(iso: str) -> date:
    """The day of `YYYY-MM-DD`, or the first day of the month `YYYY-MM`."""
    return date.fromisoformat(iso if len(iso) == 10 else f"{iso}-01")


def last_day(iso: str) -> date:
    """The day of `YYYY-MM-DD`, or the last day of the month `YYYY-MM`: a term that ends in
    a month runs to its end."""
    if len(iso) == 10:
        return date.fromisoformat(iso)
    year, month = int(iso[:4]), int(iso[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])
