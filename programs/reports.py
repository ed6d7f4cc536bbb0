"""Printed reports: one program's document for a year, and a department's or bureau's bundle.

A report prints the year's program description section by section, as the official document
orders and numbers them, with the charts of the program page. The figures that span years
(budget trend, contract timeline) come from `queries`, as on the program page, so paper and
screen agree. A bundle runs a fixed number of queries whatever the number of programs: its
summary, then its years with each section in one query (`ProgramYear.with_sections`) and the
programs' other years with the four sections the trend and timeline read; on screen its
documents come from `programs.sheets`.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from . import formatting, queries
from .documents import export_document, export_sections, related_name
from .models import (
    BudgetLine,
    Contract,
    CostItem,
    HistoryEvent,
    PerformanceRecord,
    Program,
    ProgramYear,
    Settlement,
)


def documents_of(scope: Q) -> list[ProgramYear]:
    """Every year of the programs in `scope`, with all their sections: one query for the
    years (with program and department) and one per section."""
    return list(
        ProgramYear.objects.filter(scope)
        .with_sections()
        .order_by("program__title", "program_id", "-fiscal_year")
    )


def years_of(program_years: Sequence[ProgramYear]) -> list[int]:
    """The fiscal years that have a document, newest first."""
    return sorted({program_year.fiscal_year for program_year in program_years}, reverse=True)


# ---------------------------------------------------------------- one program


@dataclass
class ProgramReport:
    """What the printed document of one program year shows."""

    year: ProgramYear  # with its sections prefetched
    document: dict  # its JSON form
    categories: list[queries.CategoryRow]
    category_chart: dict
    cost_groups: list[tuple[str, list[CostItem]]]
    performance: list[tuple[int, list[PerformanceRecord]]]
    trend: list[queries.TrendRow]
    trend_chart: dict
    timeline: queries.Timeline
    timeline_chart: dict
    printed: datetime.date

    @property
    def program(self) -> Program:
        return self.year.program

    @property
    def fiscal_year(self) -> int:
        return self.year.fiscal_year

    @property
    def budget_total(self) -> dict:
        return self.document["budget_total"]

    @property
    def schedule_total(self) -> int | None:
        """추진일정's 계 row: the sum of the steps' amounts (blank when none states one)."""
        amounts = [step.amount for step in self.year.schedule.all() if step.amount is not None]
        return sum(amounts) if amounts else None

    @property
    def derived_available(self) -> bool:
        return queries.derived_available(self.year.settlements.all())

    @property
    def has_national_settlement(self) -> bool:
        return any(
            settlement.national_final_budget or settlement.national_executed
            for settlement in self.year.settlements.all()
        )

    @property
    def key(self) -> str:
        """Unique in a bundle: the prefix of the ids of this program's charts and anchors."""
        return f"p{self.year.pk}"

    @property
    def category_caption(self) -> str:
        year = self.fiscal_year
        return f"통계목별 {year - 1}년 예산액(A)과 {year}년 예산액(B), 천원."

    @property
    def timeline_caption(self) -> str:
        parts = [f"위탁 협약 {len(self.timeline.contracts)}건(막대)과 추진경위(◆)."]
        current = self.timeline.current
        if current:
            parts.append(
                f"{self.timeline.current_name}({current.label}) "
                f"{formatting.date(current.start)}~{formatting.date(current.end)}."
            )
        gaps = [contract for contract in self.timeline.contracts if contract.gap_days]
        parts.extend(f"{contract.label}: {contract.gap_text}." for contract in gaps)
        parts.append(f"점선은 출력일({formatting.date(self.timeline.today)}).")
        return " ".join(parts)

    @property
    def trend_caption(self) -> str:
        if not self.trend:
            return ""
        first, last = self.trend[0].year, self.trend[-1].year
        parts = [
            f"{first}~{last}년 예산액·결산 최종예산·집행액(막대, 천원)과 집행률(선, %),"
            " 모든 연도 문서 기준(같은 연도는 나중 문서)."
        ]
        settled = self.latest_settled
        if settled is not None and settled.rate is not None:
            parts.append(f"{settled.year}년 집행률 {formatting.percent(settled.rate)}%.")
        return " ".join(parts)

    @property
    def latest_settled(self) -> queries.TrendRow | None:
        return queries.latest_settled(self.trend)


def _cost_groups(program_year: ProgramYear) -> list[tuple[str, list[CostItem]]]:
    groups: dict[str, list[CostItem]] = {}
    for item in program_year.cost_items.all():
        groups.setdefault(item.category, []).append(item)
    return list(groups.items())


def _performance(program_year: ProgramYear) -> list[tuple[int, list[PerformanceRecord]]]:
    years: dict[int, list[PerformanceRecord]] = {}
    for record in program_year.performance.all():
        years.setdefault(record.year, []).append(record)
    return sorted(years.items())


def program_report(
    selected: ProgramYear, others: Sequence[dict], today: datetime.date
) -> ProgramReport:
    """The report of `selected` (with its sections prefetched), beside the JSON form of its
    program's other years: the trend and the timeline span every document, and read only
    their budget, settlements, contracts and history (`SPANNING`)."""
    document = export_document(selected)
    documents = [*others, document]
    categories = queries.category_rows(selected)
    trend = queries.budget_trend(documents)
    timeline = queries.contract_timeline(documents, today)
    return ProgramReport(
        year=selected,
        document=document,
        categories=categories,
        category_chart=queries.category_chart(categories, selected.fiscal_year),
        cost_groups=_cost_groups(selected),
        performance=_performance(selected),
        trend=trend,
        trend_chart=queries.trend_chart(trend),
        timeline=timeline,
        timeline_chart=timeline.chart(),
        printed=today,
    )


# ---------------------------------------------------------------- department or bureau


@dataclass
class GroupReport(queries.BudgetChange):
    """A department's or bureau's programs of one year: the summary, then each document."""

    bureau: str
    department: str | None  # the department's name; None for a bureau's report
    year: int
    rows: list[ProgramYear]  # `queries.for_list` rows: budget totals, change, last rate
    programs: int
    prior: int | None
    current: int | None
    printed: datetime.date

    @property
    def title(self) -> str:
        return self.department or self.bureau

    @property
    def is_bureau(self) -> bool:
        return self.department is None


def execution_rate(row: ProgramYear) -> Decimal | None:
    """The last settled year's 집행률 of a `queries.for_list` row, as the list rounds it."""
    return queries.rate(row.settled_executed, row.settled_available)


def group_years(scope: Q) -> list[int]:
    """The fiscal years with a document of a program in `scope`, newest first (1 query)."""
    years = ProgramYear.objects.filter(scope).values_list("fiscal_year", flat=True)
    return list(years.distinct().order_by("-fiscal_year"))


def group_report(
    bureau: str, department: str | None, scope: Q, year: int, today: datetime.date
) -> GroupReport:
    """The summary of `year` for the programs in `scope`. Queries: the rows and the totals (2)."""
    rows = list(queries.for_list().filter(scope, fiscal_year=year))
    totals = ProgramYear.objects.filter(scope, fiscal_year=year).aggregate(
        programs=Count("pk", distinct=True),
        prior=Sum("budget_lines__prior"),
        current=Sum("budget_lines__current"),
    )
    return GroupReport(
        bureau=bureau,
        department=department,
        year=year,
        rows=rows,
        programs=totals["programs"],
        prior=totals["prior"],
        current=totals["current"],
        printed=today,
    )


# The sections of a program's other years that its report reads (for the trend and timeline).
SPANNING = (BudgetLine, Settlement, Contract, HistoryEvent)


def program_reports(rows: Sequence[ProgramYear], today: datetime.date) -> list[ProgramReport]:
    """The report of each of `rows` (program years), in their order. Queries: those years with
    all their sections (12), and their programs' other years with the `SPANNING` sections
    (5), whatever their number: the other years' remaining sections are not read at all."""
    pks = [row.pk for row in rows]
    selected = {year.pk: year for year in documents_of(Q(pk__in=pks))}
    others = (
        ProgramYear.objects.filter(program_id__in={row.program_id for row in rows})
        .exclude(pk__in=pks)
        .select_related("program__department")
        .prefetch_related(*map(related_name, SPANNING))
    )
    documents: dict[int, list[dict]] = {}
    for year in others:
        documents.setdefault(year.program_id, []).append(export_sections(year, SPANNING))
    return [
        program_report(selected[row.pk], documents.get(row.program_id, []), today) for row in rows
    ]
