"""What the dashboard pages read: each page's query shape, and the figures derived from it.

Every page runs a fixed number of queries whatever the data size: totals are summed in SQL,
and a program's documents come with their sections in one query per section. Figures that
span a program's years are derived from the documents' JSON form
(`documents.export_document`), where two documents giving the same year resolve to the later
document.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from . import checks
from .arithmetic import add_years
from .fields import iso_date, partial_date_start
from .formatting import date as format_date
from .models import BudgetLine, Contract, ProgramYear, Settlement

TOP = 5  # rows in each "largest …" / "lowest …" list of the overview
CONTRACTS_SHOWN = 20  # contracts ending soonest shown on the overview


# ---------------------------------------------------------------- shared shapes


def fiscal_years() -> list[int]:
    """The fiscal years that have documents, newest first (one query)."""
    return list(
        ProgramYear.objects.order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .distinct()
    )


def _available() -> Coalesce:
    """예산현액 as stated, else as the identity gives it: 최종예산 + 전년이월 + 예산변경."""
    return Coalesce("available", F("final_budget") + F("carried_in") + F("budget_change"))


def rate(executed: int | None, available: int | None) -> Decimal | None:
    """집행률 (%), exactly as `Settlement.execution_rate` rounds it."""
    return Settlement(executed=executed, available=available).execution_rate


def change_percent(prior: int | None, current: int | None) -> Decimal | None:
    """(current − prior) × 100 / prior with one decimal; None when prior is 0 or blank."""
    if not prior or current is None:
        return None
    ratio = Decimal(current - prior) * 100 / Decimal(prior)
    return ratio.quantize(Decimal("0.1"), ROUND_HALF_UP)


class BudgetChange:
    """증감 and 증감률 of the `prior` and `current` budgets of a dataclass that has them."""

    prior: int | None
    current: int | None

    @property
    def change(self) -> int | None:
        if self.prior is None or self.current is None:
            return None
        return self.current - self.prior

    @property
    def change_pct(self) -> Decimal | None:
        return change_percent(self.prior, self.current)


def for_list() -> QuerySet:
    """Program years with their budget totals, change, last execution rate and contract end.

    One row per program year. The totals, the last settlement and the contract end are kept
    on the year (`documents.refresh_derived`), so every column sorts in SQL without
    touching the section tables.
    """
    return (
        ProgramYear.objects.select_related("program__department")
        .annotate(prior=F("budget_prior"), current=F("budget_current"))
        .annotate(
            change=F("current") - F("prior"),
            change_pct=Case(
                When(prior=0, then=None),
                default=ExpressionWrapper(F("change") * 100.0 / F("prior"), FloatField()),
            ),
            execution_rate=ExpressionWrapper(
                F("settled_executed") * 100.0 / NullIf(F("settled_available"), 0),
                FloatField(),
            ),
        )
        .order_by("program__department__bureau", "program__department__name", "program__title")
    )


# ---------------------------------------------------------------- year overview


@dataclass
class Overview(BudgetChange):
    year: int
    programs: int
    prior: int | None
    current: int | None
    bureaus: list[dict]
    departments: list[dict]
    categories: list[dict]
    increases: list[ProgramYear]
    decreases: list[ProgramYear]
    settled_year: int | None
    lowest_rates: list[Settlement]
    contract_window: tuple[datetime.date, datetime.date]
    contracts_ending: list[Contract]
    contracts_ending_count: int
    findings: list[tuple[ProgramYear, list[str]]]  # error messages

    @property
    def contract_window_last(self) -> datetime.date:
        return self.contract_window[1] - datetime.timedelta(days=1)


def contract_window(year: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 12 months in which an ending contract needs attention, as [start, end).

    From today when the fiscal year is this year; otherwise the fiscal year itself, so that
    a past or planned year shows what was (or will be) due in it.
    """
    start = today if year == today.year else datetime.date(year, 1, 1)
    return start, add_years(start, 1)


def _with_totals(rows: QuerySet) -> QuerySet:
    return rows.annotate(
        programs=Count("pk"), prior=Sum("budget_prior"), current=Sum("budget_current")
    )


def _add_change(rows: Iterable[dict]) -> list[dict]:
    rows = list(rows)
    for row in rows:
        prior, current = row["prior"], row["current"]
        row["change"] = None if prior is None or current is None else current - prior
        row["change_pct"] = change_percent(prior, current)
    return rows


def for_overview(year: int, today: datetime.date) -> Overview:
    """Everything the year overview shows. Queries: totals, bureaus, departments, categories,
    increases, decreases, last settled year, lowest rates, contracts, and the years with
    errors (10 in all)."""
    years = ProgramYear.objects.filter(fiscal_year=year)
    totals = years.aggregate(
        programs=Count("pk"), prior=Sum("budget_prior"), current=Sum("budget_current")
    )
    bureau = "program__department__bureau"
    bureaus = _with_totals(years.values(bureau).order_by()).order_by("-current", bureau)
    departments = _with_totals(
        years.values(bureau, "program__department__name", "program__department_id").order_by()
    ).order_by(bureau, "-current", "program__department__name")
    categories = (
        BudgetLine.objects.filter(program_year__fiscal_year=year)
        .values("category")
        .annotate(
            programs=Count("program_year", distinct=True),
            prior=Sum("prior"),
            current=Sum("current"),
        )
        .order_by("-current", "category")
    )
    rows = for_list().filter(fiscal_year=year)
    increases = list(rows.filter(change__gt=0).order_by("-change", "program__title")[:TOP])
    decreases = list(rows.filter(change__lt=0).order_by("change", "program__title")[:TOP])

    settlements = Settlement.objects.filter(program_year__fiscal_year=year)
    settled_year = settlements.aggregate(last=Max("year"))["last"]
    lowest_rates = list(
        settlements.filter(year=settled_year)
        .select_related("program_year__program__department")
        .annotate(
            available_total=_available(),
            rate=ExpressionWrapper(
                F("executed") * 100.0 / NullIf(F("available_total"), 0), FloatField()
            ),
        )
        .filter(rate__isnull=False)
        .order_by("rate", "program_year__program__title")[:TOP]
    )

    window = contract_window(year, today)
    later = Contract.objects.filter(program_year=OuterRef("program_year"), end__gt=OuterRef("end"))
    ending = (
        Contract.objects.filter(
            program_year__fiscal_year=year, end__gte=window[0], end__lt=window[1]
        )
        .exclude(Exists(later))
        .select_related("program_year__program__department")
        .order_by("end", "program_year__program__title")
    )
    # A city year can end hundreds of contracts: show the soonest, count the rest.
    contracts_ending = list(ending[:CONTRACTS_SHOWN])
    contracts_ending_count = (
        ending.count() if len(contracts_ending) == CONTRACTS_SHOWN else len(contracts_ending)
    )

    # Kept by documents.refresh_derived whenever a year changes: no document is checked here.
    findings = [
        (program_year, program_year.check_errors)
        for program_year in years.exclude(check_errors=[])
        .select_related("program")
        .order_by("program__title")
    ]

    return Overview(
        year=year,
        programs=totals["programs"],
        prior=totals["prior"],
        current=totals["current"],
        bureaus=_add_change(bureaus),
        departments=_add_change(departments),
        categories=_add_change(categories),
        increases=increases,
        decreases=decreases,
        settled_year=settled_year,
        lowest_rates=lowest_rates,
        contract_window=window,
        contracts_ending=contracts_ending,
        contracts_ending_count=contracts_ending_count,
        findings=findings,
    )


# ---------------------------------------------------------------- program page


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
        return rate(self.executed, self.available)


def latest_settled(trend: Sequence[TrendRow]) -> TrendRow | None:
    """The last year of the trend with an executed amount (its last settlement)."""
    return next((row for row in reversed(trend) if row.executed is not None), None)


def derived_available(settlements: Iterable[Settlement]) -> bool:
    """Whether a settlement's 예산현액 is blank in the document and shown as computed."""
    return any(
        settlement.available is None and settlement.available_or_derived is not None
        for settlement in settlements
    )


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
            row.available = Settlement(
                **{key: settlement.get(key) for key in checks.SETTLEMENT_LABELS}
            ).available_or_derived
            row.executed = settlement.get("executed")
            row.settlement_source = year
    return [rows[year] for year in sorted(rows)]


def trend_chart(rows: Sequence[TrendRow]) -> dict:
    return {
        "labels": [str(row.year) for row in rows],
        "budget": [row.budget for row in rows],
        "final_budget": [row.final_budget for row in rows],
        "executed": [row.executed for row in rows],
        "rate": [float(row.rate) if row.rate is not None else None for row in rows],
    }


@dataclass
class CategoryRow(BudgetChange):
    category: str
    prior: int | None
    current: int | None


def category_rows(program_year: ProgramYear) -> list[CategoryRow]:
    return [
        CategoryRow(line.category, line.prior, line.current)
        for line in program_year.budget_lines.all()
    ]


def category_chart(rows: Sequence[CategoryRow], year: int) -> dict:
    return {
        "labels": [row.category for row in rows],
        "prior": [row.prior for row in rows],
        "current": [row.current for row in rows],
        "prior_label": f"{year - 1}년 예산액(A)",
        "current_label": f"{year}년 예산액(B)",
    }


def _ms(day: datetime.date) -> int:
    """Milliseconds since the epoch at midnight UTC: the timeline's linear axis."""
    return (day - datetime.date(1970, 1, 1)).days * 86_400_000


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
        return (self.current.end - self.today).days

    def chart(self) -> dict:
        first = [c.start for c in self.contracts] + [e["day"] for e in self.events]
        last = [c.end for c in self.contracts] + [e["day"] for e in self.events] + [self.today]
        return {
            "contracts": [
                {
                    "label": contract.label,
                    "start": _ms(contract.start),
                    # The end day is part of the term: the bar runs to its midnight.
                    "end": _ms(contract.end + datetime.timedelta(days=1)),
                    "text": f"{format_date(contract.start)}~{format_date(contract.end)}",
                    "gap": contract.gap_text,
                    "current": contract.is_current,
                }
                for contract in self.contracts
            ],
            "events": [
                {"x": _ms(event["day"]), "text": event["text"], "date": event["date_text"]}
                for event in self.events
            ],
            "events_label": "추진경위",
            "today": _ms(self.today),
            "today_text": f"오늘 {format_date(self.today)}",
            "current_end": (
                {
                    "x": _ms(self.current.end + datetime.timedelta(days=1)),
                    "text": f"{self.current_name} 종료 {format_date(self.current.end)}",
                }
                if self.current
                else None
            ),
            "min": _ms(min(first)) if first else None,
            "max": _ms(max(last)) if last else None,
        }


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
            item.gap_days = (start - previous_end).days - 1
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


def findings(selected: dict, documents: Sequence[dict]) -> list[checks.Finding]:
    """The selected document's own findings, then those across the program's years."""
    order = {checks.ERROR: 0, checks.WARNING: 1, checks.INFO: 2}
    found = checks.check_document(selected) + checks.check_years(documents)
    return sorted(found, key=lambda finding: order.get(finding.severity, 3))
