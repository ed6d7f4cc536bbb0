"""Reports as Excel workbooks (openpyxl): a program year, one sheet per section in document
order; a department's or bureau's year, a summary sheet with totals.

Amounts are numbers, shown as the documents print them (`#,##0;△#,##0`); years are numbers
without separators. Every sheet is one table: a header row, then one row per entry, so that
staff can filter and sort it; a `계` row, where the document has one, comes last.
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import arithmetic
from .arithmetic import SETTLEMENT_LABELS
from .models import FUNDING_PARTS, Settlement
from .reports import GroupReport, ProgramReport

AMOUNT = "#,##0;△#,##0"
PERCENT = "0.0;△0.0"
WHOLE_PERCENT = "0;△0"  # 증감률 as the document prints it
YEAR = "0"
DATE = "yyyy-mm-dd"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E3E7EC")
TOTAL_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None
    width: int = 14
    wrap: bool = False


def _percent_change(prior: int | None, current: int | None) -> int | str | None:
    """증감률 as the summary prints it: whole percent, or `순증` from nothing."""
    if arithmetic.is_new(prior, current):
        return arithmetic.NEW_FROM_ZERO
    return arithmetic.percent_change(prior, current)


def text_not_formulas(sheet: Worksheet) -> None:
    """Cells openpyxl took for formulas (text starting with `=`) written back as the text."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def _sheet(
    workbook: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    total: Sequence | None = None,
) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row in rows:
        sheet.append(list(row))
    last_data_row = sheet.max_row
    if total is not None:
        sheet.append(list(total))
        for cell in sheet[sheet.max_row]:
            cell.font = TOTAL_FONT
    text_not_formulas(sheet)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.number_format:
                cell.number_format = column.number_format
            if column.wrap:
                cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    if last_data_row > 1:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_data_row}"
    return sheet


def _content(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _new_workbook(title: str) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "budget-site"
    return workbook


def table_workbook(title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    """One table on one sheet, as a page's list downloads it."""
    workbook = _new_workbook(title)
    _sheet(workbook, title[:31], columns, rows)
    return _content(workbook)


# ---------------------------------------------------------------- one program year


def program_workbook(report: ProgramReport) -> bytes:
    year = report.year
    fiscal_year = report.fiscal_year
    program = report.program
    workbook = _new_workbook(f"{program.title} {fiscal_year}년 사업설명서")

    facts = _sheet(
        workbook,
        "1 사업개요",
        [Column("항목", width=18), Column("값", width=60, wrap=True), Column("단위", width=8)],
        [
            ("사업명", program.title, ""),
            ("회계연도", fiscal_year, ""),
            ("실·국", program.department.bureau, ""),
            ("부서", program.department.name, ""),
            ("회계", year.account, ""),
            ("사업기간 구분", year.period_type, ""),
            ("사업개요", year.overview, ""),
            ("사업비 총액", year.funding_total, "천원"),
            ("국비", year.funding_national, "천원"),
            ("시비", year.funding_city, "천원"),
            ("구비", year.funding_district, "천원"),
            ("기타", year.funding_other, "천원"),
        ],
    )
    # One column holds text, a year and amounts: format the cells by their row.
    facts["B3"].number_format = YEAR
    for row in range(9, 14):
        facts[f"B{row}"].number_format = AMOUNT

    _sheet(
        workbook,
        "1 사업 담당자",
        [
            Column("실·국", width=20),
            Column("부서명", width=18),
            Column("과장", width=10),
            Column("과장 전화", width=12),
            Column("팀장", width=10),
            Column("팀장 전화", width=12),
            Column("주무관", width=10),
            Column("주무관 전화", width=12),
        ],
        [
            (
                officer.bureau,
                officer.department,
                officer.director,
                officer.director_phone,
                officer.team_leader,
                officer.team_leader_phone,
                officer.officer,
                officer.officer_phone,
            )
            for officer in year.officers.all()
        ],
    )

    total = report.budget_total
    _sheet(
        workbook,
        "2 예산 총괄",
        [
            Column("통계목", width=20),
            Column(f"{fiscal_year - 1}년 예산액(A, 천원)", AMOUNT, 18),
            Column(f"{fiscal_year}년 예산액(B, 천원)", AMOUNT, 18),
            Column("증감(B−A, 천원)", AMOUNT, 16),
            Column("증감률(%)", WHOLE_PERCENT, 10),
            Column("국비(A, 천원)", AMOUNT, 14),
            Column("국비(B, 천원)", AMOUNT, 14),
        ],
        [
            (
                line.category,
                line.prior,
                line.current,
                line.change,
                line.change_pct,
                line.prior_national,
                line.current_national,
            )
            for line in year.budget_lines.all()
        ],
        total=(
            "계",
            total["prior"],
            total["current"],
            total["change"],
            total["change_pct"],
            total["prior_national"],
            total["current_national"],
        ),
    )

    _sheet(
        workbook,
        "2 산출근거",
        [
            Column("통계목", width=20),
            Column("구분", width=8),
            Column("내역", width=50, wrap=True),
            Column("금액(원)", AMOUNT, 18),
        ],
        [
            (item.category, item.marker, item.name, item.amount_won)
            for item in year.cost_items.all()
        ],
    )

    period = ""
    if year.period_start_year:
        period = f"{year.period_start_year}~{year.period_end_year or '계속'}"
    _sheet(
        workbook,
        "3 사업목적·근거·내용",
        [Column("항목", width=16), Column("내용", width=80, wrap=True)],
        [
            ("사업목적", year.purpose),
            *(
                ("사업근거", f"{basis.name} {basis.articles}".strip())
                for basis in year.legal_bases.all()
            ),
            ("사업기간", period),
            *(("사업내용", activity.text) for activity in year.activities.all()),
            ("사업수행방법", year.delivery_method),
        ],
    )

    _sheet(
        workbook,
        "3 추진경위",
        [Column("일자", width=12), Column("종료일자", width=12), Column("내용", width=70)],
        [(event.date, event.end_date or "", event.text) for event in year.history.all()],
    )

    _sheet(
        workbook,
        "3 위탁 협약",
        [
            Column("체결일", width=12),
            Column("협약 시작", DATE, 12),
            Column("협약 종료", DATE, 12),
            Column("기간(년)", width=10),
        ],
        [
            (contract.signed or "", contract.start, contract.end, contract.term_years)
            for contract in year.contracts.all()
        ],
    )

    _sheet(
        workbook,
        "3 추진일정",
        [
            Column("사업추진절차", width=36, wrap=True),
            Column("시작 월", width=10),
            Column("종료 월", width=10),
            Column("예산집행금액(천원)", AMOUNT, 18),
            Column("추진세부내용", width=50, wrap=True),
        ],
        [
            (step.task, step.start or "", step.end or "", step.amount, step.detail)
            for step in year.schedule.all()
        ],
        total=("계", None, None, report.schedule_total, None),
    )

    _sheet(
        workbook,
        "4 추진실적",
        [Column("연도", YEAR, 8), Column("구분", width=14), Column("실적", width=90, wrap=True)],
        [(record.year, record.category or "", record.text) for record in year.performance.all()],
    )

    _sheet(
        workbook,
        "4 기대효과",
        [Column("기대효과", width=100, wrap=True)],
        [(effect.text,) for effect in year.expected_effects.all()],
    )

    labels = SETTLEMENT_LABELS.values()
    _sheet(
        workbook,
        "5 결산",
        [
            Column("연도", YEAR, 8),
            *(Column(f"{label}(천원)", AMOUNT, 15) for label in labels),
            Column("집행률(%)", PERCENT, 10),
            *(Column(f"국비 {label}(천원)", AMOUNT, 16) for label in labels),
            Column("비고", width=40),
        ],
        [_settlement_row(settlement) for settlement in year.settlements.all()],
    )
    return _content(workbook)


def _settlement_row(settlement: Settlement) -> list:
    figures = [getattr(settlement, column) for column in SETTLEMENT_LABELS]
    note = ""
    if settlement.available_is_derived:
        figures[list(SETTLEMENT_LABELS).index("available")] = settlement.available_or_derived
        note = f"예산현액: 문서에 비어 있어 {arithmetic.AVAILABLE.formula('available')}으로 계산"
    national = [getattr(settlement, f"national_{column}") for column in SETTLEMENT_LABELS]
    return [settlement.year, *figures, settlement.execution_rate, *national, note]


# ---------------------------------------------------------------- department or bureau


def group_workbook(report: GroupReport, programs: list[ProgramReport]) -> bytes:
    """The summary and the categories of `programs`, the reports of the summary's rows."""
    year = report.year
    workbook = _new_workbook(f"{report.title} {year}년 사업설명서")
    _sheet(
        workbook,
        "요약",
        [
            Column("실·국", width=20),
            Column("부서", width=18),
            Column("사업명", width=36),
            Column(f"{year - 1}년 예산액(A, 천원)", AMOUNT, 18),
            Column(f"{year}년 예산액(B, 천원)", AMOUNT, 18),
            Column("증감(B−A, 천원)", AMOUNT, 16),
            Column("증감률(%)", WHOLE_PERCENT, 10),
            Column("최근 집행률(%)", PERCENT, 14),
            Column("결산연도", YEAR, 10),
        ],
        [
            (
                row.program.department.bureau,
                row.program.department.name,
                row.program.title,
                row.prior,
                row.current,
                row.change,
                _percent_change(row.prior, row.current),
                arithmetic.execution_rate(row.settled_executed, row.settled_available),
                row.settled_year,
            )
            for row in report.rows
        ],
        total=(
            "계",
            None,
            f"{report.programs}개 사업",
            report.prior,
            report.current,
            report.change,
            _percent_change(report.prior, report.current),
            None,
            None,
        ),
    )
    _group_totals(workbook, report)
    _sheet(
        workbook,
        "통계목별 예산",
        [
            Column("사업명", width=36),
            Column("통계목", width=20),
            Column(f"{year - 1}년 예산액(A, 천원)", AMOUNT, 18),
            Column(f"{year}년 예산액(B, 천원)", AMOUNT, 18),
            Column("증감(B−A, 천원)", AMOUNT, 16),
            Column("증감률(%)", WHOLE_PERCENT, 10),
        ],
        [
            (
                program.program.title,
                category.category,
                category.prior,
                category.current,
                category.change,
                category.change_pct,
            )
            for program in programs
            for category in program.categories
        ],
    )
    return _content(workbook)


def _group_totals(workbook: Workbook, report: GroupReport) -> None:
    """The report's totals by 통계목, by 회계 and of 국비, as its summary page prints them."""
    year = report.year
    figures = [
        Column(f"{year - 1}년 예산액(A, 천원)", AMOUNT, 18),
        Column(f"{year}년 예산액(B, 천원)", AMOUNT, 18),
        Column("증감(B−A, 천원)", AMOUNT, 16),
        Column("증감률(%)", WHOLE_PERCENT, 10),
    ]

    def changes(row) -> tuple:
        prior, current = row["prior"], row["current"]
        return prior, current, arithmetic.change(prior, current), _percent_change(prior, current)

    whole = {"prior": report.prior, "current": report.current}
    _sheet(
        workbook,
        "통계목별 합계",
        [
            Column("통계목", width=20),
            Column("사업 수", AMOUNT, 8),
            *figures,
            Column(f"{year}년 국비(B, 천원)", AMOUNT, 18),
        ],
        [
            (row["category"], row["programs"], *changes(row), row["current_national"])
            for row in report.categories
        ],
        total=("계", report.programs, *changes(whole), report.current_national),
    )
    _sheet(
        workbook,
        "회계별 합계",
        [Column("회계", width=24), Column("사업 수", AMOUNT, 8), *figures],
        [(row["account"], row["programs"], *changes(row)) for row in report.accounts],
        total=("계", report.programs, *changes(whole)),
    )
    national = {"prior": report.prior_national, "current": report.current_national}
    _sheet(
        workbook,
        "국비 합계",
        [Column("구분", width=16), *figures],
        [("국비", *changes(national))],
        total=("계(국비 포함)", *changes(whole)),
    )


# ---------------------------------------------------------------- the year overview


def overview_workbook(data: dict, unit: str) -> bytes:
    """The year overview (`ProgramYear.objects.for_overview`) with every amount in `unit`:
    its totals, the last five years, the year by 회계, 재원, 실·국, 부서 and 통계목, the
    largest changes and the lowest execution rates."""
    year = data["year"]

    def money(value: int | None) -> int | None:
        return arithmetic.in_unit(value, unit)

    def budget_columns() -> list[Column]:
        return [
            Column("사업 수", AMOUNT, 10),
            Column(f"{year - 1}년 예산액(A, {unit})", AMOUNT, 18),
            Column(f"{year}년 예산액(B, {unit})", AMOUNT, 18),
            Column(f"증감(B−A, {unit})", AMOUNT, 16),
            Column("증감률(%)", WHOLE_PERCENT, 10),
        ]

    def budget_figures(row: dict) -> tuple:
        return (
            row["programs"],
            money(row["prior"]),
            money(row["current"]),
            money(row["change"]),
            _percent_change(row["prior"], row["current"]),
        )

    workbook = _new_workbook(f"{year}년 예산 개요")
    _sheet(
        workbook,
        "합계",
        [Column("회계연도", YEAR, 10), *budget_columns()],
        [(year, *budget_figures(data))],
    )
    parts = [label for label, _value in data["funding"]]
    _sheet(
        workbook,
        "최근 5년",
        [
            Column("회계연도", YEAR, 10),
            Column("사업 수", AMOUNT, 10),
            Column(f"예산액({unit})", AMOUNT, 18),
            *(Column(f"{label}({unit})", AMOUNT, 16) for label in parts),
        ],
        [
            (
                row["fiscal_year"],
                row["programs"],
                money(row["current"]),
                *(money(row[f"funding_{part}"]) for part in FUNDING_PARTS),
            )
            for row in data["recent"]
        ],
    )
    _sheet(
        workbook,
        "회계별",
        [Column("회계", width=24), *budget_columns()],
        [(row["account"] or "—", *budget_figures(row)) for row in data["accounts"]],
    )
    _sheet(
        workbook,
        "재원별",
        [Column("재원", width=12), Column(f"{year}년 금액({unit})", AMOUNT, 18)],
        [(label, money(value)) for label, value in data["funding"]],
    )
    bureau = "program__department__bureau"
    _sheet(
        workbook,
        "실·국별",
        [Column("실·국", width=24), *budget_columns()],
        [(row[bureau], *budget_figures(row)) for row in data["bureaus"]],
    )
    _sheet(
        workbook,
        "부서별",
        [Column("실·국", width=24), Column("부서", width=24), *budget_columns()],
        [
            (row[bureau], row["program__department__name"], *budget_figures(row))
            for row in data["departments"]
        ],
    )
    _sheet(
        workbook,
        "통계목별",
        [Column("통계목", width=24), *budget_columns()],
        [(row["category"], *budget_figures(row)) for row in data["categories"]],
    )
    changes = [("증가", row) for row in data["increases"]]
    changes += [("감소", row) for row in data["decreases"]]
    _sheet(
        workbook,
        "증감이 큰 사업",
        [
            Column("구분", width=8),
            Column("사업명", width=36),
            Column("부서", width=18),
            Column(f"{year}년 예산액(B, {unit})", AMOUNT, 18),
            Column(f"증감(B−A, {unit})", AMOUNT, 16),
            Column("증감률(%)", WHOLE_PERCENT, 10),
        ],
        [
            (
                kind,
                row.program.title,
                row.program.department.name,
                money(row.current),
                money(row.change),
                _percent_change(row.prior, row.current),
            )
            for kind, row in changes
        ],
    )
    _sheet(
        workbook,
        "집행률이 낮은 사업",
        [
            Column("결산연도", YEAR, 10),
            Column("사업명", width=36),
            Column("부서", width=18),
            Column(f"예산현액({unit})", AMOUNT, 16),
            Column(f"집행액({unit})", AMOUNT, 16),
            Column("집행률(%)", PERCENT, 10),
        ],
        [
            (
                settlement.year,
                settlement.program_year.program.title,
                settlement.program_year.program.department.name,
                money(settlement.available_or_derived),
                money(settlement.executed),
                settlement.execution_rate,
            )
            for settlement in data["lowest_rates"]
        ],
    )
    return _content(workbook)
