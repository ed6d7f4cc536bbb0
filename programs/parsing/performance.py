"""추진실적 by year and category, and 기대효과 as a list."""

import re

from .characters import BULLET, CIRCLE
from .sections import SECTION_NAMES
from .text import (
    EMPTY_TABLE_RE,
    Line,
    Notes,
    bulleted,
    compact,
    ignored,
    joined,
    says_none,
    squash,
    strip_bullet,
)
from .values import YEAR, read_year


def parse_list(lines: list[Line], notes: Notes) -> list[str]:
    notes.use(*(line.no for line in lines))  # each line an entry or part of one
    if says_none(lines):
        return []
    return [text for _, text in bulleted(lines)]


# A row's year: `2021년도`, `'22년` (text may follow in the same cell), or a bare `2021` cell.
_PERF_YEAR_RE = re.compile(rf"(?P<year>{YEAR})\s*(?:년\s*도?\s*(?:실적)?\s*[:：]?|(?=\t|$))")
_PERF_SPLIT_RE = re.compile(rf"(?:^|\s){BULLET}\s*")
_PERF_CATEGORY_RE = re.compile(r"(?P<category>[^:\d,()]{1,15}?)\s*:\s*(?P<text>.+)")
# The table's header row (`연도 | 추진실적`), printed again at the top of each page it runs over.
_PERF_HEADER_RE = re.compile(r"(?:연도|년도|연도별|구분)(?:추진|주요)?(?:실적|성과)")


def parse_performance(lines: list[Line], notes: Notes) -> list[dict]:
    where = SECTION_NAMES["performance"]
    years: list[tuple[int, int, list[str]]] = []  # (line, year, texts)
    for line in lines:
        year = _PERF_YEAR_RE.match(line.text)
        if _PERF_HEADER_RE.fullmatch(compact(line.text)):
            notes.use(line.no)
        elif year:
            cells = line.text[year.end() :].split("\t")
            years.append((line.no, read_year(year["year"]), [_bullet_line(c) for c in cells]))
            notes.use(line.no)
        elif years:
            years[-1][2].append(_bullet_line(joined(line.cells)))
            notes.use(line.no)
        elif says_none([line]) or EMPTY_TABLE_RE.fullmatch(line.text.strip()):
            notes.use(line.no)
        else:
            notes.add(where, line.no, ignored(line.text, "연도가 없는"))
    records = []
    for no, year, texts in years:
        entries = [squash(part) for part in _PERF_SPLIT_RE.split(joined(texts))]
        entries = [entry for entry in entries if entry]
        if not entries:
            notes.add(where, no, f"{year}년: 실적 내용이 없음")
        for entry in entries:
            match = _PERF_CATEGORY_RE.fullmatch(entry)
            category, text = (match["category"].strip(), match["text"]) if match else (None, entry)
            records.append({"year": year, "category": category, "text": text.strip()})
    return records


def _bullet_line(text: str) -> str:
    """A line's own bullet as `○` (`0 교육 : …` → `○ 교육 : …`) so entries split on it."""
    stripped = strip_bullet(text)
    return f"{CIRCLE} {stripped}" if stripped != text.strip() else text
