"""Printed reports: one program's document for a year, and a department's or bureau's bundle.

A report prints the year's program description section by section, as the official document
orders and numbers them, with the charts of the program page. The figures that span years
(budget trend, contract timeline) come from `spans`; every chart's data and caption is made
here, once, for the program page and the paper alike. A bundle runs a fixed number of
queries whatever the number of programs: its summary, then its years with each section in
one query (`ProgramYear.with_sections`) and the programs' other years with the four sections
the trend and timeline read; on screen its documents come from `programs.sheets`.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Q, Sum

from . import arithmetic, formatting, spans
from .arithmetic import SETTLEMENT_LABELS
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


class SettlementCell(NamedTuple):
    """One column of a settled year: its figure, its 국비 part, and whether the figure is
    derived (예산현액 left blank, shown as the identity gives it)."""

    value: int | None
    national: int | None
    derived: bool


@dataclass
class ProgramReport:
    """What the program page and the printed document of one program year show."""

    year: ProgramYear  # with its sections prefetched
    document: dict  # its JSON form
    documents: list[dict]  # the JSON form of every year of the program, this one included
    cost_groups: list[tuple[str, list[CostItem]]]
    performance: list[tuple[int, list[PerformanceRecord]]]
    trend: list[spans.TrendRow]
    timeline: spans.Timeline
    printed: datetime.date

    settlement_labels = SETTLEMENT_LABELS

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
    def categories(self) -> list[BudgetLine]:
        return list(self.year.budget_lines.all())

    @property
    def schedule_total(self) -> int | None:
        """추진일정's 계 row: the sum of the steps' amounts (blank when none states one)."""
        amounts = [step.amount for step in self.year.schedule.all() if step.amount is not None]
        return sum(amounts) if amounts else None

    @property
    def derived_available(self) -> bool:
        return any(settlement.available_is_derived for settlement in self.year.settlements.all())

    @property
    def settlement_rows(self) -> list[tuple[Settlement, list[SettlementCell]]]:
        """Each settlement with its columns in the document's order (`SETTLEMENT_LABELS`)."""
        return [
            (
                settlement,
                [
                    SettlementCell(
                        settlement.available_or_derived
                        if key == "available"
                        else getattr(settlement, key),
                        getattr(settlement, f"national_{key}"),
                        key == "available" and settlement.available_is_derived,
                    )
                    for key in SETTLEMENT_LABELS
                ],
            )
            for settlement in self.year.settlements.all()
        ]

    @property
    def has_national_settlement(self) -> bool:
        return any(
            settlement.national_final_budget or settlement.national_executed
            for settlement in self.year.settlements.all()
        )

    @property
    def states_national_settlement(self) -> bool:
        """Whether the document states any 국비 part of its settlements, 0 included."""
        return any(
            getattr(settlement, f"national_{key}") is not None
            for settlement in self.year.settlements.all()
            for key in SETTLEMENT_LABELS
        )

    @property
    def key(self) -> str:
        """Unique in a bundle: the prefix of the ids of this program's charts and anchors."""
        return f"p{self.year.pk}"

    @property
    def latest_settled(self) -> spans.TrendRow | None:
        return spans.latest_settled(self.trend)

    @property
    def outcomes(self) -> spans.Outcomes:
        return spans.outcomes(self.documents)

    # ------------------------------------------------------------ charts and their captions

    @property
    def category_chart(self) -> dict:
        year = self.fiscal_year
        return {
            "labels": [line.category for line in self.categories],
            "prior": [line.prior for line in self.categories],
            "current": [line.current for line in self.categories],
            "prior_label": f"{year - 1}년 예산액(A)",
            "current_label": f"{year}년 예산액(B)",
        }

    @property
    def category_caption(self) -> str:
        year = self.fiscal_year
        return f"통계목별 {year - 1}년 예산액(A)과 {year}년 예산액(B), 천원."

    @property
    def category_years(self) -> spans.CategoryTrend:
        return spans.category_trend(self.documents)

    @property
    def category_years_chart(self) -> dict:
        trend = self.category_years
        return {
            "labels": [f"{year}년" for year in trend.years],
            "series": [{"label": category, "values": values} for category, values in trend.rows],
        }

    @property
    def category_years_caption(self) -> str:
        trend = self.category_years
        if not trend.years:
            return ""
        first, last = trend.years[0], trend.years[-1]
        parts = [
            f"{first}~{last}년 통계목 {len(trend.rows)}개의 예산액(쌓은 막대, 천원),"
            " 모든 연도 문서 기준(같은 연도는 나중 문서)."
        ]
        totals = [
            f"{year}년 {formatting.amount(total)}"
            for year, total in zip(trend.years, trend.totals, strict=True)
            if total is not None
        ]
        if totals:
            parts.append(f"합계: {', '.join(totals)}.")
        return " ".join(parts)

    @property
    def trend_chart(self) -> dict:
        return {
            "labels": [str(row.year) for row in self.trend],
            "budget": [row.budget for row in self.trend],
            "final_budget": [row.final_budget for row in self.trend],
            "executed": [row.executed for row in self.trend],
            "rate": [float(row.rate) if row.rate is not None else None for row in self.trend],
        }

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
    def timeline_chart(self) -> dict:
        timeline = self.timeline
        first = [c.start for c in timeline.contracts] + [e["day"] for e in timeline.events]
        last = [c.end for c in timeline.contracts] + [e["day"] for e in timeline.events]
        last.append(timeline.today)
        current = timeline.current
        return {
            "contracts": [
                {
                    "label": contract.label,
                    "start": epoch_ms(contract.start),
                    # The end day is part of the term: the bar runs to its midnight.
                    "end": epoch_ms(contract.end + datetime.timedelta(days=1)),
                    "text": f"{formatting.date(contract.start)}~{formatting.date(contract.end)}",
                    "gap": contract.gap_text,
                    "current": contract.is_current,
                }
                for contract in timeline.contracts
            ],
            "events": [
                {"x": epoch_ms(event["day"]), "text": event["text"], "date": event["date_text"]}
                for event in timeline.events
            ],
            "events_label": "추진경위",
            "today": epoch_ms(timeline.today),
            "today_text": f"오늘 {formatting.date(timeline.today)}",
            "current_end": (
                {
                    "x": epoch_ms(current.end + datetime.timedelta(days=1)),
                    "text": f"{timeline.current_name} 종료 {formatting.date(current.end)}",
                }
                if current
                else None
            ),
            "min": epoch_ms(min(first)) if first else None,
            "max": epoch_ms(max(last)) if last else None,
        }

    @property
    def timeline_caption(self) -> str:
        timeline = self.timeline
        parts = [f"위탁 협약 {len(timeline.contracts)}건(막대)과 추진경위(◆)."]
        current = timeline.current
        if current:
            parts.append(
                f"{timeline.current_name}({current.label}) "
                f"{formatting.date(current.start)}~{formatting.date(current.end)}."
            )
        gaps = [contract for contract in timeline.contracts if contract.gap_days]
        parts.extend(f"{contract.label}: {contract.gap_text}." for contract in gaps)
        if not gaps and len(timeline.contracts) > 1:
            parts.append("협약은 공백이나 중복 없이 이어집니다.")
        parts.append(f"점선은 출력일({formatting.date(timeline.today)}).")
        return " ".join(parts)


def epoch_ms(day: datetime.date) -> int:
    """Milliseconds since the epoch at midnight UTC: the timeline's linear axis."""
    return (day - datetime.date(1970, 1, 1)).days * 86_400_000


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
    return ProgramReport(
        year=selected,
        document=document,
        documents=documents,
        cost_groups=_cost_groups(selected),
        performance=_performance(selected),
        trend=spans.budget_trend(documents),
        timeline=spans.contract_timeline(documents, today),
        printed=today,
    )


# ---------------------------------------------------------------- department or bureau


@dataclass
class GroupReport:
    """A department's or bureau's programs of one year: the summary, then each document."""

    bureau: str
    department: str | None  # the department's name; None for a bureau's report
    year: int
    rows: list[ProgramYear]  # `ProgramYear.objects.for_list` rows: totals, change, last rate
    programs: int
    prior: int | None
    current: int | None
    printed: datetime.date
    prior_national: int | None = None
    current_national: int | None = None
    categories: Sequence[dict] = ()  # 통계목: prior, current, change, national parts

    @property
    def accounts(self) -> list[dict]:
        """The rows' totals by 회계, largest first."""
        by_account: dict[str, list[ProgramYear]] = {}
        for row in self.rows:
            by_account.setdefault(row.account or "—", []).append(row)
        accounts = [
            {
                "account": account,
                "programs": len(rows),
                "prior": arithmetic.total_of_stated(row.prior for row in rows),
                "current": arithmetic.total_of_stated(row.current for row in rows),
            }
            for account, rows in by_account.items()
        ]
        for account in accounts:
            account["change"] = arithmetic.change(account["prior"], account["current"])
        return sorted(accounts, key=lambda row: (-(row["current"] or 0), row["account"]))

    @property
    def title(self) -> str:
        return self.department or self.bureau

    @property
    def is_bureau(self) -> bool:
        return self.department is None

    @property
    def change(self) -> int | None:
        return arithmetic.change(self.prior, self.current)


def group_report(
    bureau: str, department: str | None, scope: Q, year: int, today: datetime.date
) -> GroupReport:
    """The summary of `year` for the programs in `scope`. Queries: the rows, the totals and
    the categories (3)."""
    rows = list(ProgramYear.objects.for_list().filter(scope, fiscal_year=year))
    totals = ProgramYear.objects.filter(scope, fiscal_year=year).aggregate(
        programs=Count("pk", distinct=True),
        prior=Sum("budget_lines__prior"),
        current=Sum("budget_lines__current"),
        prior_national=Sum("budget_lines__prior_national"),
        current_national=Sum("budget_lines__current_national"),
    )
    lines = BudgetLine.objects.filter(
        program_year__in=ProgramYear.objects.filter(scope, fiscal_year=year)
    )
    categories = [
        row | {"change": arithmetic.change(row["prior"], row["current"])}
        for row in lines.values("category")
        .annotate(
            programs=Count("program_year", distinct=True),
            prior=Sum("prior"),
            current=Sum("current"),
            current_national=Sum("current_national"),
        )
        .order_by("-current", "category")
    ]
    return GroupReport(
        bureau=bureau,
        department=department,
        year=year,
        rows=rows,
        programs=totals["programs"],
        prior=totals["prior"],
        current=totals["current"],
        printed=today,
        prior_national=totals["prior_national"],
        current_national=totals["current_national"],
        categories=categories,
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
