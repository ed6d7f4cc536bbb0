"""The printed reports (program, department, bureau) and their Excel workbooks, over HTTP."""

import copy
import datetime
import io
import re
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.core.cache import caches
from django.db.models import Q
from django.urls import reverse

from programs import formatting
from programs.models import Department, Program
from programs.parsing import parse_document
from programs.store import store_document, store_documents

from .conftest import ROOT, TODAY
from .test_admin import change_url, form_data
from .test_pages import assert_no_inline_code, chart_data, page, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]

TITLE = "사회적경제지원센터 운영"
AMOUNT = "#,##0;△#,##0"


@pytest.fixture
def department_of_two(stored_samples, sample_document):
    """The sample's department with a second program, smaller than the sample."""
    second = copy.deepcopy(sample_document)
    second["title"] = "사회적경제 판로 지원"
    second["budget_summary"] = second["budget_summary"][:1]
    second["budget_summary"][0] |= {"prior": 500000, "current": 450000}
    second["settlements"] = second["settlements"][:2]
    store_documents([second])
    return Department.objects.get(name="공정경제담당관")


def program(title: str = TITLE) -> Program:
    return Program.objects.get(title=title)


def report_url(title: str = TITLE, year: int | None = 2024) -> str:
    url = reverse("programs:report", args=[program(title).pk])
    return f"{url}?year={year}" if year else url


def xlsx_url(title: str = TITLE, year: int = 2024) -> str:
    return f"{reverse('programs:xlsx', args=[program(title).pk])}?year={year}"


def department_url(department: Department, kind: str = "report", year: int = 2024) -> str:
    return f"{reverse(f'programs:department_{kind}', args=[department.pk])}?year={year}"


def workbook(client, url: str) -> openpyxl.Workbook:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


class Tables(HTMLParser):
    """The cell texts, row by row, of every table with an id (nested tables included)."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._open: list[tuple[str | None, list[list[str]]]] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append((dict(attrs).get("id"), []))
        elif tag == "tr" and self._open:
            self._open[-1][1].append([])
        elif tag in ("td", "th") and self._open:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._open:
            self._open[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._open:
            table_id, rows = self._open.pop()
            if table_id:
                self.tables[table_id] = rows

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def shown(cell) -> str:
    """A workbook cell as the page prints it: by its number format, as Excel shows it."""
    if cell.value is None:
        return ""
    if cell.number_format == "0.0;△0.0":
        return formatting.percent(Decimal(str(cell.value)))
    assert cell.number_format in (AMOUNT, "0;△0"), cell.number_format
    return formatting.amount(cell.value)


# ---------------------------------------------------------------- access and links


@pytest.mark.parametrize(
    "url",
    [
        reverse("programs:report", args=[1]),
        reverse("programs:xlsx", args=[1]),
        reverse("programs:department_report", args=[1]),
        reverse("programs:department_xlsx", args=[1]),
        reverse("programs:bureau_report") + "?name=주택실",
        reverse("programs:bureau_xlsx") + "?name=주택실",
    ],
)
def test_every_report_requires_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_report_pages_have_no_inline_script_or_style(user_client, department_of_two):
    for url in (
        report_url(),
        department_url(department_of_two),
        reverse("programs:bureau_report") + "?name=노동공정상생정책관",
    ):
        assert_no_inline_code(page(user_client, url))


def test_the_program_page_links_to_its_report_workbook_and_department(user_client, stored_samples):
    html = page(user_client, reverse("programs:detail", args=[program().pk]))
    department = program().department
    assert f'href="{report_url()}"' in html
    assert f'href="{xlsx_url()}" download' in html
    assert f'href="{department_url(department)}">공정경제담당관 보고서</a>' in html


def test_the_overview_links_to_bureau_and_department_reports(user_client, stored_samples):
    html = page(user_client, reverse("programs:overview") + "?year=2024")
    department = program().department
    bureau = reverse("programs:bureau_report")
    assert f'href="{bureau}?name=%EB%85%B8%EB%8F%99%EA%B3%B5%EC%A0%95%EC%83%81%EC%83%9D' in html
    assert f'href="{department_url(department)}">보고서' in html


def test_the_print_button_is_a_script_wired_button(user_client, stored_samples):
    html = page(user_client, report_url())
    # Hidden until static/js/print.js wires it, so that it never shows doing nothing.
    assert '<button type="button" data-print hidden>인쇄</button>' in html
    assert 'src="/static/js/print.js"' in html
    assert f'href="{xlsx_url()}" download' in html


# ---------------------------------------------------------------- program report


SECTIONS = [
    "1</span> 기본 현황",
    ">사업개요<",
    ">사업 담당자<",
    "2</span> 예산 설명",
    ">예산 총괄<",
    ">산출근거<",
    "3</span> 사업설명",
    ">사업목적<",
    ">사업근거<",
    ">사업내용<",
    ">추진경위<",
    ">2024년도 추진일정<",
    "4</span> 사업효과",
    ">최근 3년 추진실적<",
    ">향후 기대효과<",
    "5</span> 최근 3년 결산 현황",
]


def test_program_report_has_the_document_sections_in_order(user_client, stored_samples):
    html = page(user_client, report_url())
    positions = [html.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert "<h1>사회적경제지원센터 운영</h1>" in html
    assert html.count('class="section-title"') == 5


def test_program_report_figures(user_client, stored_samples):
    html = page(user_client, report_url())
    body = text(html)
    assert "사업비(당해년도) 3,296,216 천원 (국비 0 · 시비 3,296,216 · 구비 0 · 기타 0)" in body
    assert "김경미 2133-5360 강웅구 2133-5489 하정아 2133-5478" in body
    # 예산 총괄 as the document prints it: 계 first, the change in whole per cent, and 국비
    # wherever it is known, 0 included (the document's (x-) rows)
    assert (
        "계 (국비 0) 2,996,971 (국비 0) 3,296,216 299,245 10"
        " 공공운영비 (국비 0) 554,000 (국비 0) 654,000 100,000 18"
    ) in body
    assert "시설비 (국비 0) 130,000 (국비 0) 65,000 △65,000 △50" in body
    assert "민간위탁금 ○ 사회적경제지원센터 인건비 948,938,000" in body
    assert "- 민간판로 확대 350,000,000" in body
    assert "사업기간 : 2013년 ~ 계속" in body
    assert "2014.7~2014.8 서울시 사회적경제지원센터 경영평가(우수)" in body
    assert "계 3,296,216 사회적경제지원센터 사업계획 수립 및 승인 2024.1~2024.3 0" in body
    assert "2021년도 경영지원 : 경영컨설팅 지원 142개 기업" in body
    # a 국비 the document leaves blank is blank; 예산현액 as the identity gives it, marked *
    assert "2020 (209,000) 8,512,856 (0) 0 (15,000) 30,000 8,542,856* (224,000)" in body
    assert "(0) 4,822,583 (0) 4,291,758 (0) 0 (0) 530,825 89.0" in body
    assert "* 문서에 비어 있어 최종예산 + 전년이월 + 예산변경으로 계산한 값" in body
    assert "노동공정상생정책관 공정경제담당관 2024년 사업설명서 · 출력 2026.11.27" in body


def test_program_report_charts(user_client, stored_samples):
    html = page(user_client, report_url())
    key = f"p{program().years.get().pk}"
    assert chart_data(html, f"{key}-category-chart-data")["current"] == [654000, 2577216, 65000]
    assert chart_data(html, f"{key}-trend-chart-data")["rate"] == [99.4, 97.4, 89.0, None, None]
    timeline = chart_data(html, f"{key}-timeline-chart-data")
    assert len(timeline["contracts"]) == 4
    assert f'<canvas id="{key}-timeline-chart" data-chart="timeline"' in html
    body = text(html)
    assert "위탁 협약 4건(막대)과 추진경위(◆). 마지막 협약(4차 협약) 2021.1.23~2024.1.22." in body
    assert "2020~2024년 예산액·결산 최종예산·집행액(막대, 천원)과 집행률(선, %)" in body


def test_program_report_of_a_program_without_settlements(user_client, stored_samples):
    body = text(page(user_client, report_url("청년 주거비 지원", 2025)))
    assert "결산 실적이 없습니다." in body and "추진실적이 없습니다." in body
    assert "사업기간 : 2025년 ~ 2027년" in body


def test_program_report_chooses_the_latest_year(user_client, stored_samples, sample_document):
    later = copy.deepcopy(sample_document)
    later["fiscal_year"] = 2025
    store_documents([later])
    assert ">2025년도 추진일정<" in page(user_client, report_url(year=None))
    html = page(user_client, report_url(year=2024))
    assert '<option value="2024" selected>2024</option>' in html
    assert ">2024년도 추진일정<" in html


@pytest.mark.parametrize("year", ["1999", "abc"])
def test_program_report_of_a_year_not_there_is_not_found(user_client, stored_samples, year):
    url = reverse("programs:report", args=[program().pk]) + f"?year={year}"
    assert user_client.get(url).status_code == 404
    url = reverse("programs:xlsx", args=[program().pk]) + f"?year={year}"
    assert user_client.get(url).status_code == 404


# A figure as a document prints it: an amount (`△65,000`), a percentage or rate (`10`,
# `89.0`), a date (`2024.1.23`, `2014.7`), or 순증.
FIGURE = re.compile(r"순증|△?\d+(?:[.,]\d+)*")


def figures(html: str) -> Counter:
    """The figures of the page's text, headings left out (`최근 3년 결산 현황` is no figure)."""
    return Counter(FIGURE.findall(text(re.sub(r"<h(\d)\b.*?</h\1>", " ", html, flags=re.S))))


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.txt")), ids=lambda p: p.stem)
def test_the_program_page_shows_every_figure_the_report_prints(user_client, sample):
    year = store_document(parse_document(sample.read_text(encoding="utf-8")))
    url = f"?year={year.fiscal_year}"
    report = page(user_client, reverse("programs:report", args=[year.program_id]) + url)
    # The document's sections: the sheet below its running head (program, print date). The
    # paper prints a 국비 of 0 (the document's (x-)); the screen leaves it out.
    sheet = report.split('<header class="doc-title">', 1)[1]
    printed = figures(sheet.replace('<span class="national">(국비 0)</span>', ""))
    shown = figures(page(user_client, reverse("programs:detail", args=[year.program_id]) + url))
    assert sum(printed.values()) > 50
    missing = {figure: count for figure, count in printed.items() if shown[figure] < count}
    assert missing == {}


@pytest.mark.parametrize("count", [2, 8])
def test_program_report_runs_a_constant_number_of_queries(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    [latest, *_] = make_program_years(count, one_program=True)
    # session, user, program, its years and their 11 sections
    with django_assert_max_num_queries(15):
        page(user_client, reverse("programs:report", args=[latest.program_id]))


# ---------------------------------------------------------------- department and bureau


def test_department_report_summary_and_totals(user_client, department_of_two):
    html = page(user_client, department_url(department_of_two))
    body = text(html)
    assert "<h2>공정경제담당관</h2>" in html  # the cover holds the page's h1
    assert "노동공정상생정책관 · 공정경제담당관 · 사업 2개" in body
    summary = Tables(html).tables["summary-table"]
    assert summary[1:] == [
        ["사회적경제 판로 지원", "500,000", "450,000", "△50,000", "△10", "97.4 (2021)"],
        ["사회적경제지원센터 운영", "2,996,971", "3,296,216", "299,245", "10", "89.0 (2022)"],
        ["계 (2개 사업)", "3,496,971", "3,746,216", "249,245", "7", ""],
    ]
    # the same totals as the overview's department row
    overview = text(page(user_client, reverse("programs:overview") + "?year=2024"))
    assert "공정경제담당관 2 3,496,971 3,746,216 249,245 7" in overview


def test_department_report_opens_with_a_cover_and_contents(user_client, department_of_two):
    html = page(user_client, department_url(department_of_two))
    cover = text(html.split('<section class="paper cover"', 1)[1].split("</section>", 1)[0])
    assert " ".join(cover.split()[1:]) == (
        "2024년도 사업설명서 노동공정상생정책관 공정경제담당관 사업 수 2개 "
        "2024년 예산액 3,746,216천원 출력일 2026.11.27"
    )
    contents = html.split('<section class="paper contents"', 1)[1].split("</section>", 1)[0]
    first = program("사회적경제 판로 지원").years.get()
    second = program().years.get()
    # every program in the summary's order, linked to its document, its page left to paged.js
    assert re.findall(r'<a href="#(\w+)">([^<]+)</a>', contents) == [
        ("summary", "사업별 예산 요약, 통계목별·회계별 합계"),
        (f"p{first.pk}", "사회적경제 판로 지원"),
        (f"p{second.pk}", "사회적경제지원센터 운영"),
    ]
    assert re.findall(r'data-page-of="(\w+)"', contents) == [
        "summary",
        f"p{first.pk}",
        f"p{second.pk}",
    ]
    assert html.index('class="paper contents"') < html.index('id="summary"')
    assert html.index('id="summary"') < html.index(f'id="p{first.pk}"')


def test_department_report_bundles_each_program_in_order(user_client, department_of_two):
    html = page(user_client, department_url(department_of_two))
    first = program("사회적경제 판로 지원").years.get()
    second = program().years.get()
    assert html.index(f'id="p{first.pk}"') < html.index(f'id="p{second.pk}"')
    assert html.count('<table class="sheet" role="presentation"') == 3  # summary + 2
    assert html.count("<h2>사회적경제지원센터 운영</h2>") == 1
    assert html.count("5</span> 최근 3년 결산 현황") == 2
    # chart ids do not collide between programs
    assert chart_data(html, f"p{first.pk}-category-chart-data")["current"] == [450000]
    assert chart_data(html, f"p{second.pk}-category-chart-data")["current"][1] == 2577216


def test_bureau_report_lists_its_departments(user_client, stored_samples):
    url = reverse("programs:bureau_report") + "?name=푸른도시여가국&year=2024"
    html = page(user_client, url)
    summary = Tables(html).tables["summary-table"]
    assert summary[0][:2] == ["사업명", "부서"]
    assert summary[1][:3] == ["도시농업 활성화 지원", "도시농업과", "1,698,000"]
    assert summary[-1][0] == "계 (1개 사업)"
    # the year picker keeps the bureau
    assert '<input type="hidden" name="name" value="푸른도시여가국">' in html


@pytest.mark.parametrize(
    "query", ["", "?name=", "?name=없는국", "?name=주택실&year=2024", "?name=주택실&year=x"]
)
def test_bureau_report_of_nothing_is_not_found(user_client, stored_samples, query):
    assert user_client.get(reverse("programs:bureau_report") + query).status_code == 404


def test_department_report_of_nothing_is_not_found(user_client, stored_samples):
    assert user_client.get(reverse("programs:department_report", args=[999])).status_code == 404
    department = program().department
    assert user_client.get(department_url(department, year=2025)).status_code == 404


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("count", [3, 30])
def test_department_report_runs_a_constant_number_of_queries(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    make_program_years(count)  # three bureaus: the first one's department has count / 3
    department = program("합성 사업 000").department
    # session, user, department, the years, the summary rows, the totals and the category
    # totals (issue 15: 1 more), the years' versions; then, with the documents not yet
    # cached, the year's documents with their 11 sections and the programs' other years
    # with 4 (none here: 1 query)
    with django_assert_max_num_queries(21):
        html = page(user_client, department_url(department))
    assert html.count('<table class="sheet" role="presentation"') == 1 + count // 3
    # the documents now come from the cache, the same as rendered
    with django_assert_max_num_queries(8):
        again = page(user_client, department_url(department))
    assert without_tokens(again) == without_tokens(html)
    with django_assert_max_num_queries(20):
        workbook(user_client, department_url(department, "xlsx"))
    bureau = reverse("programs:bureau_report") + "?name=합성국 1"
    with django_assert_max_num_queries(20):
        page(user_client, bureau)


def test_department_report_draws_what_the_program_report_draws(
    user_client, make_program_years, django_assert_max_num_queries
):
    """The bundle reads only the budget, settlements, contracts and history of a program's
    other years; its trend and timeline are the program report's, which reads them whole."""
    latest, *_ = make_program_years(3, one_program=True)  # 2024, 2023, 2022
    url = department_url(latest.program.department)
    # ... as above, the other years' 4 sections now read (4 more)
    with django_assert_max_num_queries(25):
        bundle = page(user_client, url)
    single = page(user_client, report_url(latest.program.title))
    for chart in ("trend", "timeline", "category"):
        element = f"p{latest.pk}-{chart}-chart-data"
        assert chart_data(bundle, element) == chart_data(single, element)
    trend = chart_data(bundle, f"p{latest.pk}-trend-chart-data")
    budgets = dict(zip(trend["labels"], trend["budget"], strict=True))
    # each year's budget comes from that year's document
    assert budgets["2022"] is not None and budgets["2023"] is not None


def test_department_report_shows_a_change_at_once(user_client, department_of_two, sample_document):
    url = department_url(department_of_two)
    assert "사회적경제 판로 지원" in page(user_client, url)  # rendered and cached
    changed = copy.deepcopy(sample_document)
    changed["budget_summary"][0]["current"] = 1234567  # an import raises the version
    store_documents([changed])
    html = page(user_client, url)
    assert "1,234,567" in html
    Program.objects.filter(title="사회적경제 판로 지원").update(title="판로 지원 사업")
    Department.objects.filter(pk=department_of_two.pk).update(bureau="공정경제국")
    html = page(user_client, url)
    assert "<h2>판로 지원 사업</h2>" in html
    assert "사회적경제 판로 지원" not in html
    assert html.count("공정경제국") > 2  # the summary and every document's running head


def test_department_report_shows_an_admin_save_at_once(admin_client, department_of_two):
    url = department_url(department_of_two)
    assert "바뀐 사업내용" not in page(admin_client, url)  # rendered and cached
    year = program().years.get()
    data = form_data(admin_client.get(change_url(year)))
    data["activities-0-text"] = "바뀐 사업내용"  # a section's row alone
    assert admin_client.post(change_url(year), data).status_code == 302
    assert "바뀐 사업내용" in page(admin_client, url)


def test_department_report_documents_are_printed_today(user_client, department_of_two, monkeypatch):
    url = department_url(department_of_two)
    assert "출력일(2026.11.27)" in page(user_client, url)
    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr("programs.views.timezone.localdate", lambda: tomorrow)
    html = page(user_client, url)
    assert "출력일(2026.11.28)" in html
    assert "출력일(2026.11.27)" not in html


def test_department_report_keeps_its_documents_from_day_to_day(
    user_client, department_of_two, monkeypatch, django_assert_max_num_queries
):
    """The print date is filled in outside the cached documents (issue 18): the next day reads
    them from the cache and prints what a fresh rendering prints; on the day the current
    contract has ended they are rendered anew."""
    url = department_url(department_of_two)

    def printed_on(day: datetime.date) -> str:
        monkeypatch.setattr("programs.views.timezone.localdate", lambda: day)
        with django_assert_max_num_queries(8):  # as cached above: the documents not read
            cached = page(user_client, url)
        caches["sheets"].clear()
        assert without_tokens(page(user_client, url)) == without_tokens(cached)
        return cached

    monkeypatch.setattr("programs.views.timezone.localdate", lambda: datetime.date(2024, 1, 20))
    page(user_client, url)
    html = printed_on(datetime.date(2024, 1, 21))
    caption = "협약은 공백이나 중복 없이 이어집니다."
    assert f"현 협약(4차 협약) 2021.1.23~2024.1.22. {caption} 점선은 출력일(2024.1.21)." in (
        text(html)
    )
    assert chart_data(html, f"p{program().years.get().pk}-timeline-chart-data")["today_text"] == (
        "오늘 2024.1.21"
    )
    assert "출력 2024.1.22" in printed_on(datetime.date(2024, 1, 22))
    # the contract ended on the 22nd: not from the cache, or it would still run
    monkeypatch.setattr("programs.views.timezone.localdate", lambda: datetime.date(2024, 1, 23))
    html = page(user_client, url)
    assert f"마지막 협약(4차 협약) 2021.1.23~2024.1.22. {caption} 점선은 출력일(2024.1.23)." in (
        text(html)
    )
    caches["sheets"].clear()
    assert without_tokens(page(user_client, url)) == without_tokens(html)


# ---------------------------------------------------------------- Excel


def test_program_workbook_has_a_sheet_per_section_in_document_order(user_client, stored_samples):
    response = user_client.get(xlsx_url())
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''"
        "%EC%82%AC%ED%9A%8C%EC%A0%81%EA%B2%BD%EC%A0%9C%EC%A7%80%EC%9B%90%EC%84%BC%ED%84%B0"
        "%20%EC%9A%B4%EC%98%81%202024.xlsx"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "1 사업개요",
        "1 사업 담당자",
        "2 예산 총괄",
        "2 산출근거",
        "3 사업목적·근거·내용",
        "3 추진경위",
        "3 위탁 협약",
        "3 추진일정",
        "4 추진실적",
        "4 기대효과",
        "5 결산",
    ]
    facts = {row[0]: row[1] for row in book["1 사업개요"].iter_rows(values_only=True)}
    assert facts["회계연도"] == 2024 and facts["사업비 총액"] == 3296216
    assert book["1 사업개요"]["B3"].number_format == "0"
    assert book["1 사업개요"]["B9"].number_format == AMOUNT
    assert [cell.value for cell in book["2 예산 총괄"][1]][:3] == [
        "통계목",
        "2023년 예산액(A, 천원)",
        "2024년 예산액(B, 천원)",
    ]
    assert book["3 추진경위"]["A8"].value == "2014-07"
    assert book["3 위탁 협약"]["C5"].value.date() == datetime.date(2024, 1, 22)
    performance = book["4 추진실적"]
    assert performance["A2"].value == 2021 and performance["A2"].number_format == "0"
    assert performance.max_row == 12


def test_program_workbook_amounts_are_the_pages_figures(user_client, stored_samples):
    tables = Tables(page(user_client, report_url())).tables
    key = f"p{program().years.get().pk}"
    book = workbook(user_client, xlsx_url())

    budget = {row[0].value: row for row in book["2 예산 총괄"].iter_rows(min_row=2)}
    for label, *printed in tables[f"{key}-budget"][1:]:
        figures = [re.sub(r"^\(국비 .*?\) ", "", cell) for cell in printed]  # 국비 on paper
        cells = budget[label][1:5]
        assert [shown(cell) for cell in cells] == figures, label
        assert all(cell.number_format == AMOUNT for cell in cells[:3])
        assert isinstance(cells[1].value, int)

    cost = [row[-1] for row in tables[f"{key}-cost"][1:]]
    assert [shown(cell) for (cell,) in book["2 산출근거"].iter_rows(min_row=2, min_col=4)] == cost

    schedule = {row[0].value: row for row in book["3 추진일정"].iter_rows(min_row=2)}
    for task, _months, amount_text, _detail in tables[f"{key}-schedule"][1:]:
        assert shown(schedule[task][3]) == amount_text, task
        assert schedule[task][3].number_format == AMOUNT

    settlements = {row[0].value: row for row in book["5 결산"].iter_rows(min_row=2)}
    for year, *cells in tables[f"{key}-settlement"][1:]:
        # each cell is "(national) amount"; * marks a figure the identity gives
        figures = [re.sub(r"^\(.*?\) ?", "", cell).rstrip("*") for cell in cells]
        row = settlements[int(year)]
        assert [shown(cell) for cell in row[1:9]] == figures, year
        assert row[0].number_format == "0"
    assert settlements[2020][4].value == 8542856
    assert settlements[2020][-1].value.startswith("예산현액: 문서에 비어 있어")


def test_department_workbook_summary_is_the_pages(user_client, department_of_two):
    summary = Tables(page(user_client, department_url(department_of_two))).tables["summary-table"]
    response = user_client.get(department_url(department_of_two, "xlsx"))
    assert "filename*=utf-8''%EA%B3%B5%EC%A0%95" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["요약", "통계목별 합계", "회계별 합계", "국비 합계", "통계목별 예산"]
    sheet = book["요약"]
    assert [cell.value for cell in sheet[1]][:5] == [
        "실·국",
        "부서",
        "사업명",
        "2023년 예산액(A, 천원)",
        "2024년 예산액(B, 천원)",
    ]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 3  # one row per program, then the totals
    for page_row, cells in zip(summary[1:], rows, strict=True):
        title, prior, current, change, pct, rate = page_row
        # The totals row: `계 (2개 사업)` on the page, `계` and `2개 사업` in the workbook.
        assert title == (f"계 ({cells[2].value})" if cells is rows[-1] else cells[2].value)
        assert [shown(cell) for cell in cells[3:7]] == [prior, current, change, pct]
        assert all(cell.number_format == AMOUNT for cell in cells[3:6])
        shown_rate = f"{shown(cells[7])} ({cells[8].value})" if cells[7].value else ""
        assert shown_rate == rate
    assert [cell.value for cell in rows[-1][:6]] == [
        "계",
        None,
        "2개 사업",
        3496971,
        3746216,
        249245,
    ]
    categories = list(book["통계목별 예산"].iter_rows(min_row=2, values_only=True))
    assert categories[0][:4] == ("사회적경제 판로 지원", "공공운영비", 500000, 450000)
    assert len(categories) == 4


def test_department_workbook_totals_are_the_pages(user_client, department_of_two):
    """The summary page's totals by 통계목, by 회계 and of 국비, in the page's number formats;
    증감률 in whole percent as the document prints it."""
    html = page(user_client, department_url(department_of_two))
    tables = Tables(html).tables
    book = workbook(user_client, department_url(department_of_two, "xlsx"))
    for name, table in (("통계목별 합계", "category-totals"), ("회계별 합계", "account-totals")):
        rows = list(book[name].iter_rows(min_row=2))
        assert [
            [rows_cell.value if i == 0 else shown(rows_cell) for i, rows_cell in enumerate(cells)]
            for cells in rows[:-1]
        ] == tables[table][1:], name
        assert [cell.number_format for cell in rows[0][1:6]] == [AMOUNT] * 4 + ["0;△0"]
        total = [shown(cell) for cell in rows[-1][1:6]]
        assert [rows[-1][0].value, *total] == ["계", "2", "3,496,971", "3,746,216", "249,245", "7"]
    assert [cell.value for cell in book["통계목별 합계"][1]][-1] == "2024년 국비(B, 천원)"
    national = [[cell.value for cell in row] for row in book["국비 합계"].iter_rows(min_row=2)]
    prior, current = re.search(r"국비: 전년도 ([\d,]+)천원, 올해 ([\d,]+)천원", text(html)).groups()
    assert [formatting.amount(figure) for figure in national[0][1:3]] == [prior, current]
    assert national[1] == ["계(국비 포함)", 3496971, 3746216, 249245, 7]


def test_group_workbook_prints_new_categories_as_the_document_does(user_client, department_of_two):
    line = program("사회적경제 판로 지원").years.get().budget_lines.get()
    line.category, line.prior = "연구개발비", 0  # a category only this program has, new
    line.save()
    book = workbook(user_client, department_url(department_of_two, "xlsx"))
    rows = {row[0]: row for row in book["통계목별 합계"].iter_rows(min_row=2, values_only=True)}
    assert rows[line.category][2:6] == (0, 450000, 450000, "순증")


def test_bureau_workbook(user_client, stored_samples):
    url = reverse("programs:bureau_xlsx") + "?name=주택실"
    sheet = workbook(user_client, url)["요약"]
    assert [cell.value for cell in sheet[2]][:6] == [
        "주택실",
        "주거안심지원과",
        "청년 주거비 지원",
        0,
        10000000,
        10000000,
    ]
    assert sheet["G2"].value == "순증"  # from nothing: as the document prints it


def test_department_report_totals_by_category_account_and_national(user_client, stored_samples):
    from programs.models import BudgetLine
    from programs.reports import group_report

    department = program("사회적경제지원센터 운영").department
    scope = Q(program__department=department)
    report = group_report(department.bureau, department.name, scope, 2024, TODAY)
    lines = BudgetLine.objects.filter(
        program_year__program__department=department, program_year__fiscal_year=report.year
    )
    assert {row["category"]: row["current"] for row in report.categories} == {
        line.category: sum(other.current for other in lines if other.category == line.category)
        for line in lines
    }
    assert sum(row["current"] for row in report.accounts) == report.current
    assert report.current_national == sum(line.current_national or 0 for line in lines)
    html = page(user_client, department_url(department))
    assert 'id="category-totals"' in html and 'id="account-totals"' in html
