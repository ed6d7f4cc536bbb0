"""The figures that span a program's documents: its budget trend, its budget by 통계목, its
contract timeline, its outcome series and its findings.

They read the documents' JSON form (`documents.export_document`), oldest first, so that where
two documents give the same year the later document wins. The program page and the printed
report both take them from `reports.ProgramReport`.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from . import arithmetic, checks
from .fields import iso_date, partial_date_start
from .formatting import date as format_date


@dataclass
class TrendRow:
    year: int
    budget: int | None = None
    budget_source: str = ""  # which document and column gave the budget
    final_budget: int | None = None
    available: int | None = None
    executed: int | None = None
    settlement_source: int | None = None

    @property
    def rate(self) -> Decimal | None:
        return arithmetic.execution_rate(self.executed, self.available)


def latest_settled(trend: Sequence[TrendRow]) -> TrendRow | None:
    """The last year of the trend with an executed amount (its last settlement)."""
    return next((row for row in reversed(trend) if row.executed is not None), None)


# The columns `arithmetic.available` reads, in its order.
AVAILABLE_FROM = ("available", "final_budget", "carried_in", "budget_change")


def budget_trend(documents: Sequence[dict]) -> list[TrendRow]:
    """Budget per year with settled final budget, executed amount and execution rate.

    A document of year Y gives year Y's budget (B) and year Y−1's (A); its settlements give
    earlier years. Documents are read oldest first, so a later document overwrites.
    """
    rows: dict[int, TrendRow] = {}
    for document in sorted(documents, key=lambda d: d["fiscal_year"]):
        year = document["fiscal_year"]
        total = document.get("budget_total") or {}
        for budget_year, key, column in ((year - 1, "prior", "A"), (year, "current", "B")):
            if total.get(key) is not None:
                row = rows.setdefault(budget_year, TrendRow(budget_year))
                row.budget = total[key]
                row.budget_source = f"{year}년 문서 예산액({column})"
        for settlement in document.get("settlements") or []:
            row = rows.setdefault(settlement["year"], TrendRow(settlement["year"]))
            row.final_budget = settlement.get("final_budget")
            row.available = arithmetic.available(*(settlement.get(key) for key in AVAILABLE_FROM))
            row.executed = settlement.get("executed")
            row.settlement_source = year
    return [rows[year] for year in sorted(rows)]


@dataclass
class CategoryTrend:
    """The budget of each 통계목 in each year, as `budget_trend` reads the documents."""

    years: list[int]
    rows: list[tuple[str, list[int | None]]]  # (category, its amount in each year)

    @property
    def totals(self) -> list[int | None]:
        """Each year's sum of the stated amounts (blank where no category states one)."""
        return [
            arithmetic.total_of_stated(amounts[index] for _category, amounts in self.rows)
            for index in range(len(self.years))
        ]


def category_trend(documents: Sequence[dict]) -> CategoryTrend:
    """Budget per 통계목 per year across all the program's documents.

    A document of year Y gives year Y's amounts (B) and year Y−1's (A); a later document
    overwrites a year an earlier one gave, all its categories at once. Categories come in the
    order of their first appearance, newest year's documents last.
    """
    by_year: dict[int, dict[str, int | None]] = {}
    order: dict[str, None] = {}
    for document in sorted(documents, key=lambda d: d["fiscal_year"]):
        year = document["fiscal_year"]
        lines = document.get("budget_summary") or []
        for budget_year, key in ((year - 1, "prior"), (year, "current")):
            amounts = {line["category"]: line.get(key) for line in lines}
            if any(value is not None for value in amounts.values()):
                by_year[budget_year] = amounts
        order.update(dict.fromkeys(line["category"] for line in lines))
    years = sorted(by_year)
    rows = [
        (category, [by_year[year].get(category) for year in years])
        for category in order
        if any(by_year[year].get(category) is not None for year in years)
    ]
    return CategoryTrend(years, rows)


@dataclass
class TimelineContract:
    number: int
    start: datetime.date
    end: datetime.date
    signed: str | None
    term_years: int | None
    gap_days: int | None = None  # days between the previous contract's end and this start
    is_current: bool = False

    @property
    def label(self) -> str:
        return f"{self.number}차 협약"

    @property
    def gap_text(self) -> str:
        if not self.gap_days:
            return ""
        if self.gap_days > 0:
            return f"앞 협약과 {self.gap_days:,}일 공백"
        return f"앞 협약과 {-self.gap_days:,}일 중복"


@dataclass
class Timeline:
    contracts: list[TimelineContract]
    events: list[dict]
    today: datetime.date
    current: TimelineContract | None = field(default=None)

    @property
    def running(self) -> bool:
        """Whether the current contract runs today (else it is the last one, ended)."""
        return self.current is not None and self.current.start <= self.today <= self.current.end

    @property
    def current_name(self) -> str:
        return "현 협약" if self.running else "마지막 협약"

    @property
    def days_to_current_end(self) -> int | None:
        if self.current is None:
            return None
        return days_until(self.current.end, self.today)


def days_until(day: datetime.date, today: datetime.date) -> int:
    """Days left from `today` to `day` (negative once it is past), as the timeline counts them."""
    return (day - today).days


def contract_timeline(documents: Sequence[dict], today: datetime.date) -> Timeline:
    """Consignment contracts and the other history events of all the program's documents.

    A contract or event that several documents repeat is shown once, as the later document
    gives it. The current contract is the one running today, else the one that ends last.
    """
    contracts: dict[tuple, dict] = {}
    events: dict[tuple, dict] = {}
    for document in sorted(documents, key=lambda d: d["fiscal_year"]):
        for contract in document.get("contracts") or []:
            start, end = iso_date(contract.get("start")), iso_date(contract.get("end"))
            if start and end:
                contracts[(start, end)] = contract
        for event in document.get("history") or []:
            events[(event.get("date"), event.get("text"))] = event

    timeline_contracts = []
    previous_end = None
    for number, ((start, end), contract) in enumerate(sorted(contracts.items()), start=1):
        item = TimelineContract(
            number, start, end, contract.get("signed"), contract.get("term_years")
        )
        if previous_end is not None:
            item.gap_days = arithmetic.gap_days(previous_end, start)
        previous_end = end
        timeline_contracts.append(item)

    current = next((c for c in timeline_contracts if c.start <= today <= c.end), None)
    if current is None and timeline_contracts:
        current = max(timeline_contracts, key=lambda c: c.end)
    if current:
        current.is_current = True

    signed_days = {c.signed for c in timeline_contracts if c.signed}
    timeline_events = []
    for (date_text, text), event in sorted(events.items(), key=lambda item: item[0][0] or ""):
        day = partial_date_start(date_text) if date_text else None
        if day is None or (date_text in signed_days and "협약" in (text or "")):
            continue  # a contract signing is drawn as its contract's bar
        shown = format_date(date_text)
        if event.get("end_date"):
            shown = f"{shown}~{format_date(event['end_date'])}"
        timeline_events.append({"day": day, "text": text, "date_text": shown})
    return Timeline(timeline_contracts, timeline_events, today, current)


# Outcome figures: a number with its unit (`20회`, `1,080명`, `7.3천만원`, `4.8점`).
FIGURE = re.compile(
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?"
    r"(?P<unit>천만원|백만원|억원|만원|원|개소|개교|개사|개|회|명|건|기|곳|점|%)"
)
_WORD = re.compile(r"[0-9A-Za-z가-힣·]+")
_YEAR_PREFIX = re.compile(r"^(?:'?\d{2,4}년?\.?\s*)+")


@dataclass
class OutcomeCell:
    records: list[str]


@dataclass
class OutcomeSeries:
    label: str
    unit: str
    points: list[tuple[int, Decimal, str]]  # (year, value, as printed)

    @property
    def bars(self) -> list[dict]:
        """Bar heights for the inline chart: 4 to 20 of a 24-unit-high box."""
        top = max(value for _year, value, _text in self.points) or 1
        return [
            {
                "year": year,
                "text": text,
                "x": index * 16 + 2,
                "height": int(4 + 16 * value / top),
                "y": 22 - int(4 + 16 * value / top),
            }
            for index, (year, value, text) in enumerate(self.points)
        ]

    @property
    def width(self) -> int:
        return len(self.points) * 16 + 2

    @property
    def summary(self) -> str:
        return " → ".join(f"{year}년 {text}" for year, _value, text in self.points)


@dataclass
class Outcomes:
    years: list[int]
    rows: list[tuple[str, list[OutcomeCell]]]  # (category, one cell per year)
    series: list[OutcomeSeries]


def _clauses(text: str) -> list[tuple[int, str]]:
    """The text's comma-separated clauses, not splitting inside brackets or numbers."""
    clauses, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            in_number = 0 < index < len(text) - 1 and (
                text[index - 1].isdigit() and text[index + 1].isdigit()
            )
            if not in_number:
                clauses.append((start, text[start:index]))
                start = index + 1
    clauses.append((start, text[start:]))
    return clauses


def figures(text: str) -> list[tuple[str, str, Decimal, str]]:
    """The figures of an outcome record as (item, unit, value, as printed).

    The item is the first word of the clause the figure is in (`뉴스레터 20회` → 뉴스레터);
    a figure in brackets adds the word beside it (`운영(1,080명 수료)` → 도시농부학교 수료).
    """
    found = []
    for _offset, clause in _clauses(text):
        head = re.sub(r"\([^)]*\)", "", clause)
        first = FIGURE.search(head)
        subject_text = _YEAR_PREFIX.sub("", (head[: first.start()] if first else head).strip())
        subject = next(iter(_WORD.findall(subject_text)), "")
        if not subject:
            continue
        for match in FIGURE.finditer(clause):
            before = clause[: match.start()]
            qualifier = ""
            if before.count("(") > before.count(")"):
                segment = re.split(r"[(,]", before)[-1]
                words = _WORD.findall(segment)
                if words:
                    qualifier = words[-1]
                else:
                    after = re.split(r"[),]", clause[match.end() :])[0]
                    qualifier = next(iter(_WORD.findall(after)), "")
            item = f"{subject} {qualifier}".strip()
            number = Decimal(match["number"].replace(",", ""))
            found.append((item, match["unit"], number, match.group(0)))
    return found


def outcomes(documents: Sequence[dict]) -> Outcomes:
    """The performance records of every year, as the latest document that reports it gives
    them, by category × year; and the figures that recur across years as series."""
    by_year: dict[int, list[dict]] = {}
    for document in sorted(documents, key=lambda d: d["fiscal_year"]):
        reported: dict[int, list[dict]] = {}
        for record in document.get("performance") or []:
            reported.setdefault(record["year"], []).append(record)
        by_year.update(reported)
    years = sorted(by_year)

    categories: list[str] = []
    for year in years:
        for record in by_year[year]:
            category = record.get("category") or "구분 없음"
            if category not in categories:
                categories.append(category)
    rows = []
    for category in categories:
        cells = [
            OutcomeCell(
                [r["text"] for r in by_year[year] if (r.get("category") or "구분 없음") == category]
            )
            for year in years
        ]
        rows.append((category, cells))

    values: dict[tuple[str, str], dict[int, tuple[Decimal, str]]] = {}
    for year in years:
        for record in by_year[year]:
            for item, unit, number, printed in figures(record["text"]):
                values.setdefault((item, unit), {}).setdefault(year, (number, printed))
    series = [
        OutcomeSeries(
            item,
            unit,
            [(year, number, printed) for year, (number, printed) in sorted(points.items())],
        )
        for (item, unit), points in values.items()
        if len(points) > 1
    ]
    return Outcomes(years, rows, series)


def findings(
    kept: Sequence[str], selected: dict, documents: Sequence[dict]
) -> list[checks.Finding]:
    """The selected document's own findings, then those across the program's years; errors
    first, then warnings, then notes. `kept` are the error messages kept with the year when it
    was written (`ProgramYear.check_errors`): those of a figure the stored form no longer
    holds (a stated 증감률, say) are shown too, each once."""
    found = checks.check_document(selected) + checks.check_years(documents)
    shown = {finding.message for finding in found}
    found += [
        checks.Finding("", "kept", arithmetic.ERROR, message)
        for message in kept
        if message not in shown
    ]
    order = list(arithmetic.SEVERITY_LABELS)
    return sorted(found, key=lambda finding: order.index(finding.severity))
