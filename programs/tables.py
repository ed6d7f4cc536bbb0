"""The program list and the contract register as django-tables2 tables: sortable in SQL,
exported as shown."""

import dataclasses
from collections.abc import Callable
from functools import partial

from django.db.models import Count, F, QuerySet, Sum
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import Column, Table
from django_tables2.columns import BoundColumn
from django_tables2.export import TableExport
from django_tables2.rows import BoundRow
from django_tables2.utils import A, signature
from tablib import Dataset

from . import arithmetic, formatting, spreadsheets
from .models import Contract, ProgramYear

NUMERIC = {"th": {"class": "num"}, "td": {"class": "num"}}


class AmountColumn(Column):
    """천원 with separators and `△` on screen; the plain integer in downloads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", NUMERIC)
        super().__init__(*args, **kwargs)

    def render(self, value: int) -> str:
        return formatting.amount(value)

    def value(self, value: int) -> int:
        return value


YEAR_TIES = ("program__title", "-fiscal_year", "pk")


def _nulls_last(*names: str, ties: tuple[str, ...] = YEAR_TIES):
    """An `order_FOO` method: sort on `names`, blanks last either way, then by `ties` (title
    and year) so that equal values keep one order on every database."""

    def order(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        keys = [
            F(name).desc(nulls_last=True) if is_descending else F(name).asc(nulls_last=True)
            for name in names
        ]
        return queryset.order_by(*keys, *ties), True

    return order


def _cell_renderer(bound_column: BoundColumn, model: type) -> Callable[[BoundRow], object]:
    """A column's cell of a row, as `BoundRow.get_cell` makes it, with what is the same down
    the column read once: its render method's arguments and its accessor's field (a field
    with choices takes the row's own path, which shows `get_FOO_display`)."""
    wanted, takes_all = signature(bound_column.render)
    render, link, default = bound_column.render, bound_column.link, bound_column.default
    accessor, empty = A(bound_column.accessor), bound_column.column.empty_values

    def call(row: BoundRow, bound_column: BoundColumn, value=None):
        arguments = row._optional_cell_arguments(bound_column, value)
        content = render(**(arguments if takes_all else {name: arguments[name] for name in wanted}))
        return link(content, **arguments) if link else content

    if getattr(accessor.get_field(model), "choices", None):
        return lambda row: row._get_and_render_with(bound_column, partial(call, row), default)

    def cell(row: BoundRow):
        # A value that cannot be read (a column of no field) is None, as for django-tables2.
        value = accessor.resolve(row.record, quiet=True)
        return default if value in empty else call(row, bound_column, value)

    return cell


def detail_url(record: ProgramYear) -> str:
    url = reverse("programs:detail", args=[record.program_id])
    return f"{url}?year={record.fiscal_year}"


class ProgramYearTable(Table):
    fiscal_year = Column("연도", localize=False, attrs=NUMERIC)
    title = Column("사업명", accessor="program__title")
    department = Column(
        "실·국 / 부서",
        accessor="program__department__name",
        order_by=("program__department__bureau", "program__department__name"),
        exclude_from_export=True,
    )
    # The department as two plain columns, for the downloads only.
    bureau = Column("실·국", accessor="program__department__bureau", visible=False)
    department_name = Column("부서", accessor="program__department__name", visible=False)
    account = Column("회계")
    prior = AmountColumn("전년도 예산(A)")
    current = AmountColumn("예산액(B)")
    change = AmountColumn("증감(B−A)")
    change_pct = Column("증감률(%)", attrs=NUMERIC, empty_values=())
    execution_rate = Column("최근 집행률(%)", attrs=NUMERIC)
    settled_year = Column("결산연도", localize=False, visible=False)
    contract_end = Column("현 협약 종료", attrs=NUMERIC)

    order_fiscal_year = _nulls_last("fiscal_year")
    order_title = _nulls_last("program__title")
    order_department = _nulls_last("program__department__bureau", "program__department__name")
    order_account = _nulls_last("account")
    order_prior = _nulls_last("prior")
    order_current = _nulls_last("current")
    order_change = _nulls_last("change")
    order_change_pct = _nulls_last("change_pct")
    order_execution_rate = _nulls_last("execution_rate")
    order_contract_end = _nulls_last("contract_end")

    class Meta:
        model = ProgramYear
        fields = ()
        template_name = "programs/_table.html"
        attrs = {"class": "data list"}
        empty_text = "조건에 맞는 사업이 없습니다."
        # Explicit, so that the custom orderings below apply (bureau, department, title)
        order_by = "department"
        per_page = 25

    caption = "사업 목록. 열 제목을 누르면 그 열로 정렬합니다."
    AMOUNTS = ("prior", "current", "change")

    def __init__(self, *args, category: str | None = None, totals: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        if category:
            # The amounts are the category's (ProgramYearQuerySet.for_list): say so.
            for name in self.AMOUNTS:
                column = self.columns[name].column
                column.verbose_name = f"{category} {column.verbose_name}"
        # The filtered set's totals, counted in the same query as the paginator's count
        # (or given, as the list keeps them).
        self.totals = self.totals_of(self.data.data) if totals is None else totals
        self.data._length = self.totals["rows"]

    @staticmethod
    def totals_of(rows: QuerySet) -> dict:
        """The rows' count and budget totals (`for_list`'s amounts), in one query."""
        return rows.aggregate(
            rows=Count("pk"), prior_total=Sum("prior"), current_total=Sum("current")
        )

    def total_row(self) -> list[tuple[str, str]]:
        """The `계` row of the filtered set (every page), as (`<td>` attributes, cell) pairs."""
        prior, current = self.totals["prior_total"], self.totals["current_total"]
        values = {
            "prior": formatting.amount(prior),
            "current": formatting.amount(current),
            "change": formatting.amount(arithmetic.change(prior, current)),
            "change_pct": formatting.percent_change(prior, current) or "",
        }
        cells = []
        for index, column in enumerate(self.columns):
            label = "계" if index == 0 else ""
            cells.append((column.attrs["td"].as_html(), values.get(column.name, label)))
        return cells

    def body(self) -> list[SafeString]:
        """The page's rows as `<td>` cells, for `_table.html`. The stock template builds the
        attributes again for every cell, and django-tables2 reads each render method's
        signature again for every cell: both are the same down a column, so they are read
        once here (`_cell_renderer`), as is each column's field; each row is joined here rather
        than cell by cell in the template (measured: ~15 ms, ~15 ms and ~8 ms of processor
        time of the list page's ~60 at 25 rows)."""
        columns = [
            (column.attrs["td"].as_html(), _cell_renderer(column, self._meta.model))
            for column in self.columns
        ]
        return [
            mark_safe(
                "".join(
                    # escaped and localised as `{{ cell }}` would
                    f"<td {attrs}>{conditional_escape(localize(cell(row)))}</td>"
                    for attrs, cell in columns
                )
            )
            for row in self.paginated_rows
        ]

    def render_title(self, value: str, record: ProgramYear) -> str:
        # What `linkify` writes, without reading its URL callable's signature on every row.
        return format_html('<a href="{}">{}</a>', detail_url(record), value)

    def value_title(self, value: str) -> str:
        return value

    def render_department(self, record: ProgramYear) -> str:
        department = record.program.department
        return format_html('<span class="bureau">{}</span> {}', department.bureau, department.name)

    def render_change_pct(self, record: ProgramYear) -> str:
        return formatting.percent_change(record.prior, record.current) or "—"

    def value_change_pct(self, record: ProgramYear):
        return arithmetic.percent_change(record.prior, record.current)

    def render_execution_rate(self, record: ProgramYear) -> str:
        shown = formatting.percent(self._rate(record))
        if not shown:
            return ""
        return format_html('{} <span class="note">({})</span>', shown, record.settled_year)

    def value_execution_rate(self, record: ProgramYear):
        return self._rate(record)

    def render_contract_end(self, value) -> str:
        return formatting.date(value)

    def value_contract_end(self, value):
        return value

    @staticmethod
    def _rate(record: ProgramYear):
        return arithmetic.execution_rate(record.settled_executed, record.settled_available)


# What a spreadsheet takes for the start of a formula when it opens a file (OWASP: CSV
# injection). Text from documents may start so; it must arrive as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> object:
    """A text cell that starts like a formula, prefixed with an apostrophe (shown as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _with_unit(header: str, unit: str) -> str:
    """`예산액(B)` with its unit as the workbooks write it: `예산액(B, 천원)`."""
    return f"{header[:-1]}, {unit})" if header.endswith(")") else f"{header}({unit})"


class ProgramYearExport(TableExport):
    """CSV and XLSX only; the CSV starts with a byte-order mark so that Excel reads Korean.
    Text never becomes a formula: in CSV it is prefixed (`csv_text`), in XLSX its cell is of
    the text type (openpyxl would otherwise write a text starting with `=` as a formula).
    The XLSX has the number formats, units and widths of the other workbooks (`COLUMNS`, by
    column name)."""

    FORMATS_OFFERED = (TableExport.CSV, TableExport.XLSX)
    AMOUNT = spreadsheets.Column("", spreadsheets.AMOUNT, 16)
    COLUMNS = {
        "fiscal_year": spreadsheets.Column("", spreadsheets.YEAR, 8),
        "title": spreadsheets.Column("", width=36, wrap=True),
        "bureau": spreadsheets.Column("", width=18),
        "department_name": spreadsheets.Column("", width=18),
        "account": spreadsheets.Column("", width=14),
        "prior": AMOUNT,
        "current": AMOUNT,
        "change": AMOUNT,
        "change_pct": spreadsheets.Column("", spreadsheets.WHOLE_PERCENT, 10),
        "execution_rate": spreadsheets.Column("", spreadsheets.PERCENT, 12),
        "settled_year": spreadsheets.Column("", spreadsheets.YEAR, 10),
        "contract_end": spreadsheets.Column("", spreadsheets.DATE, 12),
    }
    UNITS = {"prior": "천원", "current": "천원", "change": "천원"}

    def __init__(self, export_format, table, exclude_columns=None, dataset_kwargs=None):
        # The exported columns, as Table.as_values picks them, to format them by name.
        self.names = [
            column.name
            for column in table.columns.iterall()
            if not (column.column.exclude_from_export or column.name in (exclude_columns or ()))
        ]
        super().__init__(export_format, table, exclude_columns, dataset_kwargs)

    @classmethod
    def is_valid_format(cls, export_format: str | None) -> bool:
        return export_format in cls.FORMATS_OFFERED

    def export(self):
        if self.format == TableExport.CSV:
            safe = Dataset(headers=self.dataset.headers, title=self.dataset.title)
            for row in self.dataset:
                safe.append([csv_text(value) for value in row])
            return "\ufeff" + safe.export("csv")
        return self._xlsx()

    def _xlsx(self) -> bytes:
        columns = []
        for name, header in zip(self.names, self.dataset.headers, strict=True):
            spec = self.COLUMNS.get(name, spreadsheets.Column(""))
            unit = self.UNITS.get(name)
            header = _with_unit(header, unit) if unit else header
            columns.append(dataclasses.replace(spec, header=header))
        return spreadsheets.table_workbook(self.dataset.title, columns, self.dataset)


# ---------------------------------------------------------------- the contract register

CONTRACT_TIES = ("program_year__program__title", "start", "pk")


def contract_document_url(record: Contract) -> str:
    url = reverse("programs:detail", args=[record.program_year.program_id])
    return f"{url}?year={record.fiscal_year}"


class ContractTable(Table):
    title = Column("사업명", accessor="program_year__program__title", linkify=contract_document_url)
    department = Column(
        "실·국 / 부서", accessor="program_year__program__department__name", exclude_from_export=True
    )
    bureau = Column("실·국", accessor="program_year__program__department__bureau", visible=False)
    department_name = Column(
        "부서", accessor="program_year__program__department__name", visible=False
    )
    round = Column("차수", attrs=NUMERIC)
    start = Column("협약 시작", attrs=NUMERIC)
    end = Column("협약 종료", attrs=NUMERIC)
    term = Column("기간(년)", accessor="term_years", attrs=NUMERIC, empty_values=())
    link = Column("앞 협약과", accessor="after_previous", empty_values=())
    fiscal_year = Column(
        "수록 문서",
        accessor="program_year__fiscal_year",
        localize=False,
        attrs=NUMERIC,
        linkify=contract_document_url,
    )

    order_title = _nulls_last("program_year__program__title", ties=CONTRACT_TIES)
    order_department = _nulls_last(
        "program_year__program__department__bureau",
        "program_year__program__department__name",
        ties=CONTRACT_TIES,
    )
    order_round = _nulls_last("round", ties=CONTRACT_TIES)
    order_start = _nulls_last("start", ties=CONTRACT_TIES)
    order_end = _nulls_last("end", ties=CONTRACT_TIES)
    order_term = _nulls_last("term_years", ties=CONTRACT_TIES)
    order_link = _nulls_last("after_previous", ties=CONTRACT_TIES)
    order_fiscal_year = _nulls_last("program_year__fiscal_year", ties=CONTRACT_TIES)

    class Meta:
        model = Contract
        fields = ()
        template_name = "programs/_table.html"
        attrs = {"class": "data list"}
        empty_text = "조건에 맞는 협약이 없습니다."
        order_by = "end"
        per_page = 25

    caption = "위탁 협약 목록. 열 제목을 누르면 그 열로 정렬합니다."

    body = ProgramYearTable.body  # the rows' cells built as the list builds them

    def render_department(self, record: Contract) -> str:
        department = record.program_year.program.department
        return format_html('<span class="bureau">{}</span> {}', department.bureau, department.name)

    def render_round(self, value) -> str:
        return f"{value}차"

    def value_round(self, value):
        return value

    def render_start(self, value) -> str:
        return formatting.date(value)

    def render_end(self, value) -> str:
        return formatting.date(value)

    def value_start(self, value):
        return value

    def value_end(self, value):
        return value

    def render_term(self, record: Contract):
        return self.value_term(record)

    def value_term(self, record: Contract):
        """The term the document states, else the one its dates make."""
        return record.term_years or arithmetic.term_years(record.start, record.end)

    def render_link(self, record: Contract) -> str:
        days = self.value_link(record)
        if not days:
            return ""
        return f"공백 {days}일" if days > 0 else f"겹침 {-days}일"

    def value_link(self, record: Contract):
        """Days of gap (> 0) or overlap (< 0) after the contract before; blank for the first."""
        if record.previous_end is None:
            return None
        return arithmetic.gap_days(record.previous_end, record.start)


class ContractExport(ProgramYearExport):
    """The register's rows as CSV, or as XLSX in the formats of the other workbooks."""

    COLUMNS = {
        "title": spreadsheets.Column("", width=36, wrap=True),
        "bureau": spreadsheets.Column("", width=16),
        "department_name": spreadsheets.Column("", width=18),
        "round": spreadsheets.Column("", spreadsheets.YEAR, 6),
        "start": spreadsheets.Column("", spreadsheets.DATE, 12),
        "end": spreadsheets.Column("", spreadsheets.DATE, 12),
        "term": spreadsheets.Column("", spreadsheets.YEAR, 8),
        "link": spreadsheets.Column("", "0;△0", 10),
        "fiscal_year": spreadsheets.Column("", spreadsheets.YEAR, 10),
    }
    UNITS = {"link": "일"}
