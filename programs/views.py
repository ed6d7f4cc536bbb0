"""The dashboard: the year overview, the program list and the program page; the printed
reports and Excel workbooks of a program, a department and a bureau."""

import datetime

from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from . import (
    arithmetic,
    compare,
    contracts,
    formatting,
    page_cache,
    reports,
    sheets,
    spans,
    spreadsheets,
)
from .documents import export_document
from .filters import ContractFilter, ProgramYearFilter, list_choices, search
from .models import (
    SECTION_RELATIONS,
    Department,
    Program,
    ProgramYear,
    default_year,
    partly_entered,
)
from .tables import ContractExport, ContractTable, ProgramYearExport, ProgramYearTable


def _chosen_year(request: HttpRequest, years: list[int], default: int | None = None) -> int | None:
    """`?year=` when it is one of `years`, else `default` or the latest of them; 404 on a year
    not there."""
    if not years:
        return None
    value = request.GET.get("year")
    if not value:
        return default or years[0]
    return _listed_year(value, years)


def _listed_year(value: str | int, years: list[int]) -> int:
    """`value` as one of `years`; 404 for anything else."""
    try:
        year = int(value)
    except ValueError:
        raise Http404("연도가 올바르지 않습니다.") from None
    if year not in years:
        raise Http404("그 연도의 사업설명서가 없습니다.")
    return year


def _year_picker(action: str, years: list[int], selected: int | None) -> dict:
    """The header's year choice."""
    return {"action": action, "years": years, "selected": selected}


def _partial_year(counts: dict[int, int], year: int | None) -> dict | None:
    """What every page showing `year` notes when that year is partly entered ("2026년 문서
    1/301건", `partly_entered`); `counts` are the documents per year (`year_counts`). The
    base template shows it."""
    found = partly_entered(counts, year) if year is not None else None
    if found is None:
        return None
    return {"year": year, "documents": found[0], "previous": found[1]}


def _years_in(scope: Q) -> tuple[list[int], dict[int, int]]:
    """The fiscal years with a document in `scope`, newest first, and every year's documents
    (as `year_counts`, for `_partial_year`): one query."""
    rows = (
        ProgramYear.objects.order_by("-fiscal_year")
        .values("fiscal_year")
        .annotate(documents=Count("pk"), in_scope=Count("pk", filter=scope))
    )
    years = [row["fiscal_year"] for row in rows if row["in_scope"]]
    return years, {row["fiscal_year"]: row["documents"] for row in rows}


CHART_ROWS = 12  # bars in a chart; the table beside it lists all


def _unit(request: HttpRequest) -> str:
    """`?unit=` (천원, 백만원 or 억원), the overview's amounts; 404 for another."""
    unit = request.GET.get("unit") or arithmetic.DEFAULT_UNIT
    if unit not in arithmetic.UNITS:
        raise Http404("단위가 올바르지 않습니다.")
    return unit


def _compare_chart(rows: list[dict], label_key: str, year: int, unit: str) -> dict:
    """Prior vs current of the largest rows, in `unit`. The rest are left to the table beside
    it: one bar summing them would dwarf the others and stretch the axis."""
    shown = rows[:CHART_ROWS]
    return {
        "labels": [row[label_key] for row in shown],
        "prior": [arithmetic.in_unit(row["prior"], unit) for row in shown],
        "current": [arithmetic.in_unit(row["current"], unit) for row in shown],
        "prior_label": f"{year - 1}년 예산액(A)",
        "current_label": f"{year}년 예산액(B)",
        "unit": unit,
    }


def _largest(chart: dict, count: int, what: str, counter: str) -> str:
    """The chart in one sentence, for those who cannot see it; `count` is the rows of the
    table (the chart shows at most CHART_ROWS of them)."""
    if not chart["labels"]:
        return f"{what}별 예산이 없습니다."
    label, current = chart["labels"][0], chart["current"][0]
    shown = f"그래프는 큰 {len(chart['labels'])}{counter}, " if count > len(chart["labels"]) else ""
    return (
        f"{what} {count}{counter} 중 예산액이 가장 큰 곳은 {label}"
        f"({formatting.amount(current)}{chart['unit']})입니다. {shown}값은 모두 옆 표에 있습니다."
    )


def _recent_chart(recent: list[dict], unit: str) -> dict:
    """The last five years' budget totals, in `unit`."""
    return {
        "labels": [f"{row['fiscal_year']}년" for row in recent],
        "current": [arithmetic.in_unit(row["current"], unit) for row in recent],
        "current_label": "예산액 합계",
        "unit": unit,
    }


def _recent_caption(chart: dict) -> str:
    """The five years' chart in one sentence: each year's total."""
    if not chart["labels"]:
        return "최근 5년 예산이 없습니다."
    totals = ", ".join(
        f"{label} {formatting.amount(value)}"
        for label, value in zip(chart["labels"], chart["current"], strict=True)
    )
    return f"연도별 예산액 합계({chart['unit']}): {totals}. 값은 모두 아래 표에 있습니다."


def _unit_links(request: HttpRequest, unit: str) -> list[tuple[str, str, bool]]:
    """(unit, URL, chosen) for the overview's unit switch; the year stays."""
    params = request.GET.copy()
    links = []
    for option in arithmetic.UNITS:
        params["unit"] = option
        links.append((option, f"?{params.urlencode()}", option == unit))
    return links


def _overview_choice(request: HttpRequest, counts: dict[int, int]) -> tuple[int | None, str]:
    """The overview's year (of those with documents, `counts`) and unit, as asked."""
    return _chosen_year(request, list(counts), default_year(counts)), _unit(request)


def _year_counts(token: str | None) -> dict[int, int]:
    """Documents per year (`year_counts`), kept until the data changes."""
    return page_cache.cached(token, "year-counts", (), ProgramYear.objects.year_counts)


# Where the overview's contracts due, rendered on each request, go in its cached body.
CONTRACTS_DUE = "\x00contracts-due\x00"


def _overview_body(data: dict, unit: str, has_prior_year: bool) -> str:
    """The overview of a year (`for_overview`'s `data`) in `unit` but for its header and the
    contracts due: all it shows changes only with the data (`page_cache`)."""
    year = data["year"]
    bureaus = _compare_chart(data["bureaus"], "program__department__bureau", year, unit)
    categories = _compare_chart(data["categories"], "category", year, unit)
    recent = _recent_chart(data["recent"], unit)
    context = {
        "year": year,
        "unit": unit,
        # what the year links add to keep the unit
        "unit_query": "" if unit == arithmetic.DEFAULT_UNIT else f"&{urlencode({'unit': unit})}",
        "data": data,
        # New and discontinued mean something only against a year that has documents.
        "has_prior_year": has_prior_year,
        "recent_chart": recent,
        "recent_label": f"최근 5년 연도별 예산액 합계 세로 막대그래프({unit})",
        "recent_caption": _recent_caption(recent),
        "bureau_chart": bureaus,
        "bureau_label": f"실·국별 {year}년 예산액과 전년도 예산액 가로 막대그래프({unit})",
        "bureau_caption": _largest(bureaus, len(data["bureaus"]), "실·국", "곳"),
        "category_chart": categories,
        "category_label": f"통계목별 {year}년 예산액과 전년도 예산액 가로 막대그래프({unit})",
        "category_caption": _largest(categories, len(data["categories"]), "통계목", "개"),
        "contracts_due": CONTRACTS_DUE,
    }
    # No request: the body shows the same to everyone who may read the overview.
    return render_to_string("programs/_overview_body.html", context)


def overview(request: HttpRequest) -> HttpResponse:
    """One fiscal year at a glance: totals, where the money goes, what changed, what is due;
    every amount in the chosen unit (`?unit=`). Queries: the data's version and, cached until
    it changes, the documents per year and the body (`overview_sums`); the contracts due."""
    token = page_cache.version()
    counts = _year_counts(token)
    year, unit = _overview_choice(request, counts)
    picker = _year_picker(reverse("programs:overview"), list(counts), year)
    if unit != arithmetic.DEFAULT_UNIT:
        picker["hidden"] = [("unit", unit)]
    context = {
        "year": year,
        "unit": unit,
        "unit_links": _unit_links(request, unit),
        "year_picker": picker,
        "partial_year": _partial_year(counts, year),
        "breadcrumbs": [("연도 개요", None)],
    }
    if year is not None:
        due = ProgramYear.objects.contracts_due(year, timezone.localdate())
        body = page_cache.cached(
            token,
            "overview",
            (year, unit),
            # The body's data is all the overview's, as the workbook's; it shows the sums.
            lambda: _overview_body(
                ProgramYear.objects.overview_sums(year) | due, unit, year - 1 in counts
            ),
        )
        contracts = render_to_string("programs/_contracts_due.html", {"data": due, "year": year})
        query = urlencode({"year": year, "unit": unit})
        context |= {
            "body": mark_safe(body.replace(CONTRACTS_DUE, contracts)),
            "xlsx_url": f"{reverse('programs:overview_xlsx')}?{query}",
        }
    return render(request, "programs/overview.html", context)


def overview_xlsx(request: HttpRequest) -> HttpResponse:
    """The overview of the chosen year as a workbook, in the chosen unit."""
    year, unit = _overview_choice(request, ProgramYear.objects.year_counts())
    if year is None:
        raise Http404("사업설명서가 없습니다.")
    data = ProgramYear.objects.for_overview(year, timezone.localdate())
    return _xlsx(spreadsheets.overview_workbook(data, unit), f"연도 개요 {year} ({unit}).xlsx")


MAX_PER_PAGE = 500  # rows of one list page (or of a download's page); more is clamped


def _clamped_per_page(query: QueryDict) -> QueryDict:
    """`?per_page=` within 1..MAX_PER_PAGE (a negative or huge one is a 500 or a crawl)."""
    try:
        per_page = int(query.get("per_page", ""))
    except ValueError:
        return query
    query = query.copy()
    query["per_page"] = str(min(max(per_page, 1), MAX_PER_PAGE))
    return query


class ProgramListView(ExportMixin, SingleTableMixin, FilterView):
    """Every program year that passes the filters, sortable on every column, downloadable."""

    table_class = ProgramYearTable
    filterset_class = ProgramYearFilter
    template_name = "programs/program_list.html"
    # 25 rows keep a page quick to render at city scale; `?per_page=` asks for more.
    table_pagination = {"per_page": 25}
    export_class = ProgramYearExport
    export_formats = ProgramYearExport.FORMATS_OFFERED

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # What changes only with the data is kept until it does (`page_cache`): the documents
        # per year, the filters' choices, the filtered set's count and totals, a search's
        # matches per year.
        self.token = page_cache.version()
        self.counts = _year_counts(self.token)
        self.years = list(self.counts)
        self.default_year = default_year(self.counts)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # A category that is not one of the filter's choices empties the list (strict filter).
        return ProgramYear.objects.for_list(self.request.GET.get("category") or None)

    def get_filterset_kwargs(self, filterset_class) -> dict:
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        # No `year` at all means the default year; an empty one means every year.
        if "year" not in data and self.years:
            data["year"] = str(self.default_year)
        choices = page_cache.cached(self.token, "list-choices", (), list_choices)
        return kwargs | {"data": data, "years": self.years, "choices": choices}

    def _year(self) -> int | None:
        """The year the filters chose, None for every year (or filters that do not validate)."""
        if not self.filterset.is_valid():
            return None
        year = self.filterset.form.cleaned_data.get("year")
        return int(year) if year else None

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        request.GET = _clamped_per_page(request.GET)
        super().setup(request, *args, **kwargs)

    def _words(self) -> str:
        if not self.filterset.is_valid():
            return ""
        return self.filterset.form.cleaned_data.get("q") or ""

    def get_table_kwargs(self) -> dict:
        # The filtered set is named by the filters' values (the year filled in).
        chosen = tuple(
            (name, *self.filterset.data.getlist(name)) for name in self.filterset.filters
        )
        totals = page_cache.cached(
            self.token, "list-totals", chosen, lambda: ProgramYearTable.totals_of(self.object_list)
        )
        kwargs = {"category": self.request.GET.get("category") or None, "totals": totals}
        # A search's matches grouped by program, its latest year first, unless sorted.
        if self._words() and not self.request.GET.get("sort"):
            kwargs["order_by"] = ("title",)
        return kwargs

    def _years_found(self, words: str) -> list[tuple[int, int, str]]:
        """(year, matches, URL) of every year the search finds, newest first (one query)."""
        found = page_cache.cached(
            self.token,
            "years-found",
            (words,),
            lambda: list(
                search(ProgramYear.objects.order_by(), words, every_year=True)
                .values_list("fiscal_year")
                .annotate(matches=Count("pk"))
                .order_by("-fiscal_year")
            ),
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        years = []
        for year, matches in found:
            params["year"] = str(year)
            years.append((year, matches, f"?{params.urlencode()}"))
        return years

    def get_export_filename(self, export_format: str) -> str:
        return f"programs-{self._year() or 'all'}.{export_format}"

    def get_dataset_kwargs(self) -> dict:
        return {"title": "사업 목록"}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        if "year" not in params and self.years:
            params["year"] = str(self.default_year)
        selected = self._year()
        downloads = []
        for export_format in self.export_formats:
            params[self.export_trigger_param] = export_format
            downloads.append((export_format.upper(), f"?{params.urlencode()}"))
        words = self._words()
        context |= {
            "downloads": downloads,
            "year": selected,
            "words": words,
            "years_found": self._years_found(words) if words and selected else [],
            "year_picker": _year_picker(reverse("programs:list"), self.years, selected),
            "partial_year": _partial_year(self.counts, selected),
            "breadcrumbs": [
                ("연도 개요", reverse("programs:overview")),
                ("사업 목록", None),
            ],
        }
        # A callable, which the template calls: a download never renders the body.
        return context | {"body": lambda: self._body(context)}

    def _body(self, context: dict) -> str:
        """The list but for the page's header, kept per query string until the data changes:
        it shows the same to everyone (`_list_body.html`)."""
        return mark_safe(
            page_cache.cached(
                self.token,
                "list-body",
                tuple(sorted(self.request.GET.lists())),
                lambda: render_to_string("programs/_list_body.html", context, request=self.request),
            )
        )


program_list = ProgramListView.as_view()


class ContractListView(ExportMixin, SingleTableMixin, FilterView):
    """Every consignment contract of every program once, filterable, sortable, downloadable
    as CSV, XLSX and an iCalendar file of its ends (`?_export=ics`)."""

    table_class = ContractTable
    filterset_class = ContractFilter
    template_name = "programs/contract_list.html"
    table_pagination = {"per_page": 25}
    export_class = ContractExport
    export_formats = ContractExport.FORMATS_OFFERED
    ICS = "ics"

    def get_queryset(self):
        return contracts.register()

    def get_filterset_kwargs(self, filterset_class) -> dict:
        self.today = timezone.localdate()
        return super().get_filterset_kwargs(filterset_class) | {"today": self.today}

    def get_export_filename(self, export_format: str) -> str:
        return f"contracts-{self.today:%Y%m%d}.{export_format}"

    def get_dataset_kwargs(self) -> dict:
        return {"title": "위탁 협약"}

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.GET.get(self.export_trigger_param) != self.ICS:
            return super().get(request, *args, **kwargs)
        # The calendar needs neither the page's count nor its page of rows.
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        content = contracts.calendar(rows, request.get_host().split(":")[0], timezone.now())
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
        filename = self.get_export_filename(self.ICS)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        downloads = []
        for export_format in (*self.export_formats, self.ICS):
            params[self.export_trigger_param] = export_format
            label = "달력(ICS)" if export_format == self.ICS else export_format.upper()
            downloads.append((label, f"?{params.urlencode()}"))
        counts = ProgramYear.objects.year_counts()
        return context | {
            "downloads": downloads,
            "today": self.today,
            # The register reads every year: its newest may be still coming in.
            "partial_year": _partial_year(counts, next(iter(counts), None)),
            "breadcrumbs": [
                ("연도 개요", reverse("programs:overview")),
                ("위탁 협약", None),
            ],
        }


contract_list = ContractListView.as_view()


def _program_body(report: reports.ProgramReport) -> str:
    """The program page but for its header (`_program_body.html`), for `sheets.kept`."""
    found = spans.findings(report.year.check_errors, report.document, report.documents)
    current = report.timeline.current
    context = {
        "report": report,
        "year": report.year,
        "findings": found,
        "error_count": sum(1 for finding in found if finding.severity == arithmetic.ERROR),
        "warning_count": sum(1 for finding in found if finding.severity == arithmetic.WARNING),
        "days_left": sheets.days_to(current.end if current else None),
    }
    # No request: the body shows the same to everyone who may read the page.
    return render_to_string("programs/_program_body.html", context)


def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One program: the chosen year's document in section order, as the printed report lays
    it out (the same section templates), with its years side by side and its findings.
    Queries: the program's years, the documents per year and, when the body is not cached
    for the day (`sheets.kept`), the years' sections (11)."""
    rows, selected, years = _program_years(request, pk)
    program, today = selected.program, timezone.localdate()
    # Built only when the body is rendered (or a test reads it).
    report = SimpleLazyObject(lambda: _report_of(rows, selected, today))
    key = sheets.sheet_key(selected, _versions(rows), "program-page")
    list_url = f"{reverse('programs:list')}?year={selected.fiscal_year}"
    return render(
        request,
        "programs/program_detail.html",
        {
            "report": report,
            "body": sheets.kept(key, today, lambda: report, _program_body),
            "program": program,
            "year": selected,
            "years": years,
            "year_picker": _year_picker(
                reverse("programs:detail", args=[program.pk]), years, selected.fiscal_year
            ),
            "partial_year": _partial_year(ProgramYear.objects.year_counts(), selected.fiscal_year),
            "breadcrumbs": [
                ("연도 개요", f"{reverse('programs:overview')}?year={selected.fiscal_year}"),
                ("사업 목록", list_url),
                (f"{program.title} ({selected.fiscal_year})", None),
            ],
        },
    )


def _year_param(request: HttpRequest, name: str, years: list[int], default: int) -> int:
    return _listed_year(request.GET.get(name) or default, years)


def program_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two years' documents (`?from=2023&to=2024`; by default the latest
    year and the one before it), section by section. Queries: the program, its years, and the
    two documents' sections."""
    program = get_object_or_404(Program.objects.select_related("department"), pk=pk)
    years, counts = _years_in(Q(program=program))
    if len(years) < 2:
        raise Http404("비교할 다른 연도의 사업설명서가 없습니다.")
    to_year = _year_param(request, "to", years, years[0])
    earlier = [year for year in years if year < to_year] or [years[1]]
    from_year = _year_param(request, "from", years, earlier[0])
    documents = {
        py.fiscal_year: export_document(py)
        for py in ProgramYear.objects.with_sections().filter(
            program=program, fiscal_year__in=[from_year, to_year]
        )
    }
    detail_url = f"{reverse('programs:detail', args=[pk])}?year={to_year}"
    return render(
        request,
        "programs/compare.html",
        {
            "program": program,
            "years": years,
            "from_year": from_year,
            "to_year": to_year,
            "sections": compare.compare(documents[from_year], documents[to_year]),
            "partial_year": _partial_year(counts, to_year),
            "breadcrumbs": [
                ("연도 개요", f"{reverse('programs:overview')}?year={to_year}"),
                (f"{program.title} ({to_year})", detail_url),
                (f"{from_year}년과 {to_year}년 비교", None),
            ],
        },
    )


# ---------------------------------------------------------------- printed reports and Excel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _program_years(
    request: HttpRequest, pk: int
) -> tuple[list[ProgramYear], ProgramYear, list[int]]:
    """The program's years, newest first, with program and department but not their
    sections; the chosen one; the fiscal years there are. One query; 404 without any."""
    rows = list(
        ProgramYear.objects.filter(program_id=pk)
        .select_related("program__department")
        .order_by("-fiscal_year")
    )
    if not rows:
        raise Http404("이 사업의 사업설명서가 없습니다.")
    years = reports.years_of(rows)
    year = _chosen_year(request, years)
    return rows, next(row for row in rows if row.fiscal_year == year), years


def _versions(rows: list[ProgramYear]) -> list[tuple[int, int]]:
    """(pk, version) of a program's years, as `sheets.sheet_key` takes them."""
    return sorted((row.pk, row.version) for row in rows)


def _report_of(
    rows: list[ProgramYear], selected: ProgramYear, today: datetime.date
) -> reports.ProgramReport:
    """The report of `selected`, one of the program's years `rows` (`_program_years`).
    Queries: the years' 11 sections."""
    prefetch_related_objects(rows, *SECTION_RELATIONS)
    others = [export_document(row) for row in rows if row is not selected]
    return reports.program_report(selected, others, today)


def program_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's program description on A4, section by section as the document numbers them.
    Queries: the program's years, the documents per year and, when its sheet is not cached
    for the day (`sheets.program_sheet`), the years' sections (11)."""
    rows, selected, years = _program_years(request, pk)
    program, year, today = selected.program, selected.fiscal_year, timezone.localdate()
    key = sheets.sheet_key(selected, _versions(rows), "program-sheet")
    detail_url = f"{reverse('programs:detail', args=[pk])}?year={year}"
    department = reverse("programs:department_report", args=[program.department_id])
    return render(
        request,
        "programs/report.html",
        {
            "program": program,
            "fiscal_year": year,
            "sheet": sheets.program_sheet(key, today, lambda: _report_of(rows, selected, today)),
            "xlsx_url": f"{reverse('programs:xlsx', args=[pk])}?year={year}",
            "links": [
                ("사업 페이지로", detail_url),
                (f"{program.department.name} 보고서", f"{department}?year={year}"),
            ],
            "year_picker": _year_picker(reverse("programs:report", args=[pk]), years, year),
            "partial_year": _partial_year(ProgramYear.objects.year_counts(), year),
            "breadcrumbs": [
                ("연도 개요", f"{reverse('programs:overview')}?year={year}"),
                (f"{program.title} ({year})", detail_url),
                ("인쇄용 보고서", None),
            ],
        },
    )


def program_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's program description as a workbook, one sheet per section."""
    rows, selected, _years = _program_years(request, pk)
    report = _report_of(rows, selected, timezone.localdate())
    content = spreadsheets.program_workbook(report)
    return _xlsx(content, f"{report.program.title} {report.fiscal_year}.xlsx")


def _group_report(
    request: HttpRequest, bureau: str, department: str | None, scope: Q
) -> tuple[reports.GroupReport, list[int], dict[int, int]]:
    """The chosen year's summary, the years there are and every year's documents (for
    `_partial_year`). Queries: the years, the summary rows and the totals."""
    years, counts = _years_in(scope)
    if not years:
        raise Http404("사업설명서가 없습니다.")
    year = _chosen_year(request, years)
    report = reports.group_report(bureau, department, scope, year, timezone.localdate())
    return report, years, counts


def _render_group(
    request: HttpRequest,
    scope: Q,
    report: reports.GroupReport,
    years: tuple[list[int], dict[int, int]],
    urls: tuple[str, str],
    params: dict[str, str],
) -> HttpResponse:
    """The bundle page: the summary, then each program's document (`sheets`, cached); `years`
    are those there are and every year's documents (`_years_in`), `urls` the report's and its
    workbook's, `params` what names the group in their query (besides the year)."""
    (years, counts), (report_url, xlsx_url) = years, urls
    query = urlencode(params | {"year": report.year})
    overview = f"{reverse('programs:overview')}?year={report.year}"
    links = [("연도 개요로", overview)]
    if not report.is_bureau:
        bureau = urlencode({"name": report.bureau, "year": report.year})
        links.append((f"{report.bureau} 보고서", f"{reverse('programs:bureau_report')}?{bureau}"))
    return render(
        request,
        "programs/report_group.html",
        {
            "report": report,
            "sheets": sheets.bundle_sheets(scope, report.rows, report.printed),
            "xlsx_url": f"{xlsx_url}?{query}",
            "links": links,
            "year_picker": _year_picker(report_url, years, report.year)
            | {"hidden": list(params.items())},
            "partial_year": _partial_year(counts, report.year),
            "breadcrumbs": [
                ("연도 개요", overview),
                (f"{report.title} 보고서 ({report.year})", None),
            ],
        },
    )


def _group_xlsx(report: reports.GroupReport, filename: str) -> HttpResponse:
    programs = reports.program_reports(report.rows, report.printed)
    return _xlsx(spreadsheets.group_workbook(report, programs), filename)


def department_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Every program of a department in a year: the summary, then each document."""
    department = get_object_or_404(Department, pk=pk)
    scope = Q(program__department=department)
    report, years, counts = _group_report(request, department.bureau, department.name, scope)
    urls = (
        reverse("programs:department_report", args=[pk]),
        reverse("programs:department_xlsx", args=[pk]),
    )
    return _render_group(request, scope, report, (years, counts), urls, {})


def department_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department, pk=pk)
    scope = Q(program__department=department)
    report, _years, _counts = _group_report(request, department.bureau, department.name, scope)
    return _group_xlsx(report, f"{department.name} {report.year}.xlsx")


def _bureau(request: HttpRequest) -> str:
    name = request.GET.get("name", "").strip()
    if not name:
        raise Http404("실·국 이름(name)이 없습니다.")
    return name


def bureau_report(request: HttpRequest) -> HttpResponse:
    """Every program of a bureau (실·국) in a year: the summary, then each document."""
    name = _bureau(request)
    scope = Q(program__department__bureau=name)
    report, years, counts = _group_report(request, name, None, scope)
    urls = (reverse("programs:bureau_report"), reverse("programs:bureau_xlsx"))
    return _render_group(request, scope, report, (years, counts), urls, {"name": name})


def bureau_xlsx(request: HttpRequest) -> HttpResponse:
    name = _bureau(request)
    report, _years, _counts = _group_report(
        request, name, None, Q(program__department__bureau=name)
    )
    return _group_xlsx(report, f"{name} {report.year}.xlsx")
