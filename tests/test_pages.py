import copy
import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from programs.documents import export_document
from programs.models import Department, Program, ProgramYear
from programs.parsing import parse_document
from programs.store import store_document, store_documents

from .conftest import ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("lee", is_staff=True))
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    """The page's visible text with tags dropped and whitespace collapsed."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def chart_data(html: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, element_id
    return json.loads(match.group(1))


def program(title: str) -> Program:
    return Program.objects.get(title=title)


def detail_url(title: str, year: int | None = None) -> str:
    url = reverse("programs:detail", args=[program(title).pk])
    return f"{url}?year={year}" if year else url


def assert_no_inline_code(html: str) -> None:
    assert " style=" not in html
    for attributes in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize(
    "url",
    [
        reverse("programs:overview"),
        reverse("programs:list"),
        reverse("programs:detail", args=[1]),
        reverse("programs:list") + "?_export=xlsx",
    ],
)
def test_every_page_requires_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_pages_have_no_inline_script_or_style(user_client, stored_samples):
    for url in (
        reverse("programs:overview") + "?year=2024",
        reverse("programs:list"),
        detail_url("사회적경제지원센터 운영"),
    ):
        assert_no_inline_code(page(user_client, url))


def test_header_has_year_picker_search_and_breadcrumbs(user_client, stored_samples):
    html = page(user_client, detail_url("사회적경제지원센터 운영"))
    assert '<option value="2024" selected>2024</option>' in html
    assert 'name="q"' in html and 'role="search"' in html
    assert 'aria-label="현재 위치"' in html
    assert '<span aria-current="page">사회적경제지원센터 운영 (2024)</span>' in html


def test_staff_see_the_admin_edit_link(staff_client, stored_samples):
    from django.contrib.auth.models import User

    from programs import roles

    # Staff who may change the year: the budget office.
    roles.assign(User.objects.get(username="lee"), roles.BUDGET_OFFICE)
    year = program("사회적경제지원센터 운영").years.get()
    edit = reverse("admin:programs_programyear_change", args=[year.pk])
    assert edit in page(staff_client, detail_url("사회적경제지원센터 운영"))


def test_others_do_not_see_the_admin_edit_link(user_client, stored_samples):
    year = program("사회적경제지원센터 운영").years.get()
    edit = reverse("admin:programs_programyear_change", args=[year.pk])
    assert edit not in page(user_client, detail_url("사회적경제지원센터 운영"))


# ---------------------------------------------------------------- year overview


def test_overview_shows_the_latest_year_by_default(user_client, stored_samples):
    html = page(user_client, reverse("programs:overview"))
    assert "2025년 예산 개요" in html
    assert "2,025" not in html
    body = text(html)
    assert "청년 주거비 지원" in body
    assert "예산액 합계(B) 10,000,000 천원" in body


def test_overview_totals_of_2024(user_client, stored_samples):
    body = text(page(user_client, reverse("programs:overview") + "?year=2024"))
    assert "사업 수 2" in body
    assert "예산액 합계(B) 5,103,716 천원" in body
    assert "2023년 예산액 합계(A) 4,694,971 천원" in body
    assert "전년 대비 증감(B−A) 408,745 천원 (9%)" in body


def test_overview_totals_by_bureau_and_category(user_client, stored_samples):
    html = page(user_client, reverse("programs:overview") + "?year=2024")
    body = text(html)
    assert "노동공정상생정책관 1 2,996,971 3,296,216 299,245 10" in body
    assert "공정경제담당관 1 2,996,971 3,296,216 299,245 10" in body
    assert "시설비 1 130,000 65,000 △65,000 △50" in body
    assert "행사운영비 1 180,000 165,000 △15,000 △8" in body
    bureaus = chart_data(html, "bureau-chart-data")
    assert bureaus["labels"] == ["노동공정상생정책관", "푸른도시여가국"]
    assert bureaus["current"] == [3296216, 1807500]
    categories = chart_data(html, "category-chart-data")
    assert categories["labels"][0] == "민간위탁금"
    assert len(categories["labels"]) == 7


def test_overview_lists_increases_rates_and_ending_contracts(user_client, stored_samples):
    body = text(page(user_client, reverse("programs:overview") + "?year=2024"))
    increases = body.split("증가가 큰 사업", 1)[1].split("감소가 큰 사업", 1)[0]
    assert "사회적경제지원센터 운영 공정경제담당관 3,296,216 299,245 10" in increases
    assert "도시농업 활성화 지원 도시농업과 1,807,500 109,500 6" in increases
    assert "예산이 줄어든 사업이 없습니다." in body
    # 2022 settlements: 4,291,758 / 4,822,583 and 1,672,880 / 1,700,000, lowest first
    assert re.search(r"2022년 결산 집행률이 낮은 사업 .* 4,822,583 4,291,758 89\.0 .* 98\.4", body)
    # Twelve months from today for every year viewed (deliberately changed in issue 15): the
    # 2024 documents' last contracts ended before it.
    assert "2026.11.27~2027.11.26에 끝나는" in body
    assert "2021.1.23~2024.1.22 2024.1.22" not in body


def test_overview_of_this_year_looks_twelve_months_from_today(user_client, sample_document):
    sample_document["fiscal_year"] = 2026
    sample_document["contracts"][-1]["end"] = "2027-11-26"
    store_documents([sample_document])
    body = text(page(user_client, reverse("programs:overview")))
    assert "2026.11.27~2027.11.26에 끝나는" in body
    assert "2021.1.23~2027.11.26" in body


def test_overview_lists_programs_with_errors(user_client, stored_samples, sample_document):
    sample_document["title"] = "틀린 문서"
    sample_document["funding"]["city"] = 3000000
    store_documents([sample_document])
    body = text(page(user_client, reverse("programs:overview") + "?year=2024"))
    assert "점검 오류가 있는 사업 틀린 문서 오류 1건" in body
    # Only the identity the document breaks: its funding adds up, its total is not (B).
    listed = body.split("점검 오류가 있는 사업", 1)[1]
    assert (
        listed.strip() == "틀린 문서 오류 1건 사업비 총액 3,000,000 ≠ 예산 총괄 예산액(B) 3,296,216"
    )


def test_overview_with_no_documents(user_client):
    assert "아직 저장된 사업설명서가 없습니다." in page(user_client, reverse("programs:overview"))


def test_overview_of_a_year_with_no_documents_is_not_found(user_client, stored_samples):
    assert user_client.get(reverse("programs:overview") + "?year=1999").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_overview_runs_a_constant_number_of_queries(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    make_program_years(count)
    # session, user, years; totals, bureaus, departments, categories, increases, decreases,
    # last settled year, lowest rates, ending contracts (and their count when there are
    # more than are shown), years with stored errors; since issue 15 the five years' totals,
    # the accounts, the settled year's total execution and the programs new or
    # discontinued against the year before (4 more)
    with django_assert_max_num_queries(18):
        html = page(user_client, reverse("programs:overview"))
    assert f'사업 수</dt><dd><a href="/programs/?year=2024">{count}</a>' in html


# ---------------------------------------------------------------- program list


def rows(html: str) -> list[str]:
    """The titles of the list's rows, in order."""
    body = html.split("<tbody", 1)[1]
    return re.findall(r'<a href="/programs/\d+/\?year=\d+">([^<]+)</a>', body)


def test_list_shows_the_latest_year_by_default(user_client, stored_samples):
    html = page(user_client, reverse("programs:list"))
    assert rows(html) == ["청년 주거비 지원"]
    assert "<h1>2025년 사업 목록</h1>" in html
    body = text(html)
    assert (
        "2025 청년 주거비 지원 주택실 주거안심지원과 주택사업특별회계 0 10,000,000 10,000,000 순증"
        in body
    )


def test_list_row_has_every_column(user_client, stored_samples):
    body = text(page(user_client, reverse("programs:list") + "?year=2024"))
    assert (
        "2024 사회적경제지원센터 운영 노동공정상생정책관 공정경제담당관 일반회계"
        " 2,996,971 3,296,216 299,245 10 89.0 (2022) 2024.1.22"
    ) in body
    assert (
        "도시농업 활성화 지원 푸른도시여가국 도시농업과 일반회계"
        " 1,698,000 1,807,500 109,500 6 98.4 (2022) —"
    ) in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=", ["사회적경제지원센터 운영", "청년 주거비 지원", "도시농업 활성화 지원"]),
        ("year=2024&bureau=푸른도시여가국", ["도시농업 활성화 지원"]),
        ("year=2024&account=일반회계", ["사회적경제지원센터 운영", "도시농업 활성화 지원"]),
        ("year=&account=주택사업특별회계", ["청년 주거비 지원"]),
        ("year=2024&category=시설비", ["사회적경제지원센터 운영"]),
        ("year=&q=도시농업", ["도시농업 활성화 지원"]),
        ("year=&q=주거 청년", ["청년 주거비 지원"]),
        ("year=&q=공정경제", ["사회적경제지원센터 운영"]),
    ],
)
def test_list_filters(user_client, stored_samples, query, expected):
    assert rows(page(user_client, f"{reverse('programs:list')}?{query}")) == expected


def test_list_filters_by_department(user_client, stored_samples):
    department = program("도시농업 활성화 지원").department
    url = f"{reverse('programs:list')}?year=&department={department.pk}"
    assert rows(page(user_client, url)) == ["도시농업 활성화 지원"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("current", ["도시농업 활성화 지원", "사회적경제지원센터 운영", "청년 주거비 지원"]),
        ("-current", ["청년 주거비 지원", "사회적경제지원센터 운영", "도시농업 활성화 지원"]),
        ("title", ["도시농업 활성화 지원", "사회적경제지원센터 운영", "청년 주거비 지원"]),
        ("-change_pct", ["사회적경제지원센터 운영", "도시농업 활성화 지원", "청년 주거비 지원"]),
        ("change_pct", ["도시농업 활성화 지원", "사회적경제지원센터 운영", "청년 주거비 지원"]),
        ("execution_rate", ["사회적경제지원센터 운영", "도시농업 활성화 지원", "청년 주거비 지원"]),
        ("-contract_end", ["사회적경제지원센터 운영", "도시농업 활성화 지원", "청년 주거비 지원"]),
        ("-fiscal_year", ["청년 주거비 지원", "도시농업 활성화 지원", "사회적경제지원센터 운영"]),
        ("department", ["사회적경제지원센터 운영", "청년 주거비 지원", "도시농업 활성화 지원"]),
        ("account", ["도시농업 활성화 지원", "사회적경제지원센터 운영", "청년 주거비 지원"]),
    ],
)
def test_list_sorts_on_every_column(user_client, stored_samples, sort, expected):
    html = page(user_client, f"{reverse('programs:list')}?year=&sort={sort}")
    assert rows(html) == expected
    assert 'aria-sort="' in html


def test_list_paginates(user_client, make_program_years):
    make_program_years(60)
    html = page(user_client, reverse("programs:list") + "?sort=title&page=3")
    assert rows(html) == [f"합성 사업 {index:03d}" for index in range(50, 60)]
    assert "60건 중 3/3쪽" in text(html)
    html = page(user_client, reverse("programs:list") + "?sort=title&per_page=50&page=2")
    assert rows(html) == [f"합성 사업 {index:03d}" for index in range(50, 60)]


def download(client, query: str):
    response = client.get(f"{reverse('programs:list')}?{query}")
    assert response.status_code == 200
    return response


def test_csv_download_has_the_filtered_sorted_rows(user_client, stored_samples):
    response = download(user_client, "year=&account=일반회계&sort=-current&_export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="programs-all.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert table == [
        [
            "연도",
            "사업명",
            "실·국",
            "부서",
            "회계",
            "전년도 예산(A)",
            "예산액(B)",
            "증감(B−A)",
            "증감률(%)",
            "최근 집행률(%)",
            "결산연도",
            "현 협약 종료",
        ],
        [
            "2024",
            "사회적경제지원센터 운영",
            "노동공정상생정책관",
            "공정경제담당관",
            "일반회계",
            "2996971",
            "3296216",
            "299245",
            "10",
            "89.0",
            "2022",
            "2024-01-22",
        ],
        [
            "2024",
            "도시농업 활성화 지원",
            "푸른도시여가국",
            "도시농업과",
            "일반회계",
            "1698000",
            "1807500",
            "109500",
            "6",
            "98.4",
            "2022",
            "",
        ],
    ]


def test_xlsx_download_has_the_filtered_sorted_rows(user_client, stored_samples):
    response = download(user_client, "year=2024&sort=current&_export=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="programs-2024.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:2] == ("연도", "사업명")
    assert [row[1] for row in values[1:]] == ["도시농업 활성화 지원", "사회적경제지원센터 운영"]
    assert values[2][6] == 3296216  # a number, not text


def test_the_list_xlsx_has_the_workbooks_formats_units_and_widths(user_client, stored_samples):
    response = download(user_client, "year=2024&category=민간위탁금&_export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    current = headers.index("민간위탁금 예산액(B, 천원)") + 1
    assert sheet.cell(2, current).number_format == "#,##0;△#,##0"
    assert sheet.cell(2, headers.index("연도") + 1).number_format == "0"
    assert sheet.column_dimensions["B"].width == 36
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_download_spans_every_page(user_client, make_program_years):
    make_program_years(60)
    response = download(user_client, "page=2&_export=csv")
    assert len(response.content.decode().strip().splitlines()) == 61


def test_other_export_formats_are_refused(user_client, stored_samples):
    response = user_client.get(reverse("programs:list") + "?_export=json")
    assert response["Content-Type"].startswith("text/html")


def test_download_links_keep_the_filters_and_sort(user_client, stored_samples):
    html = page(
        user_client, reverse("programs:list") + "?year=2024&bureau=주택실&sort=-current&page=1"
    )
    assert "_export=xlsx" in html
    link = re.search(r'href="(\?[^"]*_export=xlsx[^"]*)"', html).group(1)
    assert "sort=-current" in link and "year=2024" in link and "page=" not in link


@pytest.mark.parametrize("count", [3, 60])
def test_list_runs_a_constant_number_of_queries(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    make_program_years(count)
    # session, user, years; choices of bureau, account, category; departments; count; rows
    with django_assert_max_num_queries(9):
        page(user_client, reverse("programs:list") + "?sort=-execution_rate")
    with django_assert_max_num_queries(9):
        download(user_client, "_export=xlsx")


# ---------------------------------------------------------------- program page


def test_program_page_shows_the_sections_in_document_order(user_client, stored_samples):
    html = page(user_client, detail_url("사회적경제지원센터 운영"))
    headings = [
        "1. 기본 현황",
        "2. 예산 총괄",
        "산출근거",
        "3. 사업 내용",
        "위탁 협약과 추진경위",
        "추진일정",
        "4. 추진실적과 기대효과",
        "향후 기대효과",
        "5. 예산과 결산 추이",
        "점검 결과</h2>",
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_program_page_figures(user_client, stored_samples):
    body = text(page(user_client, detail_url("사회적경제지원센터 운영")))
    assert "예산액(B) 3,296,216 천원" in body
    assert "전년 대비 299,245 천원 (10%)" in body
    assert "2022년 집행률 89.0 %" in body
    assert "마지막 협약 종료 2024.1.22 (1,040일 전)" in body
    assert "시설비 130,000 65,000 △65,000 △50" in body
    assert "계 2,996,971 3,296,216 299,245 10" in body
    assert "사회적경제지원센터 사업비 1,389,744,000" in body
    assert "- 민간판로 확대 350,000,000" in body
    assert "2020 8,512,856 0 30,000 8,542,856* 8,487,514 55,342 99.4" in body
    assert "국비 209,000 0 15,000 224,000 0" in body
    assert "민간위탁 사업 추진 2024.1~2024.12 2,577,216" in body
    assert "서울특별시 사회적경제기본조례 제11조, 제12조, 제13조" in body
    assert "2013~계속" in body


def test_program_page_trend_across_years(user_client, stored_samples):
    html = page(user_client, detail_url("사회적경제지원센터 운영"))
    trend = chart_data(html, "trend-chart-data")
    assert trend == {
        "labels": ["2020", "2021", "2022", "2023", "2024"],
        "budget": [None, None, None, 2996971, 3296216],
        "final_budget": [8512856, 6185415, 4822583, None, None],
        "executed": [8487514, 6022949, 4291758, None, None],
        "rate": [99.4, 97.4, 89.0, None, None],
    }
    assert "2022 4,822,583 4,822,583 4,291,758 89.0 2024년 문서 결산" in text(html)


def test_the_later_document_wins_a_year(user_client, stored_samples, sample_document):
    later = copy.deepcopy(sample_document)
    later["fiscal_year"] = 2025
    later["budget_summary"][0]["prior"] = 700000  # 2024: 3,142,971 in the 2025 document
    later["settlements"][2]["executed"] = 4300000
    later["settlements"][2]["unspent"] = 522583
    store_documents([later])
    html = page(user_client, detail_url("사회적경제지원센터 운영", 2024))
    trend = chart_data(html, "trend-chart-data")
    assert trend["budget"][-2:] == [3142971, 3296216]
    assert trend["executed"][2] == 4300000
    body = text(html)
    assert "2024 3,142,971 2025년 문서 예산액(A)" in body
    # across the years: the 2024 document's B differs from the 2025 document's A
    assert (
        "예산 총괄: 공공운영비 2024년 문서의 예산액(B) 654,000 ≠ 2025년 문서의 예산액(A) 700,000"
        in body
    )
    assert "결산 2022 집행액: 2024년 문서 4,291,758 ≠ 2025년 문서 4,300,000" in body


def test_program_page_chooses_its_year(user_client, stored_samples, sample_document):
    later = copy.deepcopy(sample_document)
    later["fiscal_year"] = 2025
    later["budget_summary"][2]["current"] = 0
    store_documents([later])
    default = page(user_client, detail_url("사회적경제지원센터 운영"))
    assert '사회적경제지원센터 운영 <span class="year">2025년</span>' in default
    older = page(user_client, detail_url("사회적경제지원센터 운영", 2024))
    assert "시설비 130,000 65,000 △65,000 △50" in text(older)
    assert '<a href="?year=2025">2025</a>' in older


@pytest.mark.parametrize("year", ["1999", "abc"])
def test_program_page_of_a_year_not_there_is_not_found(user_client, stored_samples, year):
    assert (
        user_client.get(detail_url("사회적경제지원센터 운영") + f"?year={year}").status_code == 404
    )


def test_program_page_timeline(user_client, stored_samples):
    html = page(user_client, detail_url("사회적경제지원센터 운영"))
    timeline = chart_data(html, "timeline-chart-data")
    assert [c["text"] for c in timeline["contracts"]] == [
        "2013.1.23~2015.1.22",
        "2015.1.23~2018.1.22",
        "2018.1.23~2021.1.22",
        "2021.1.23~2024.1.22",
    ]
    assert [c["current"] for c in timeline["contracts"]] == [False, False, False, True]
    assert timeline["current_end"]["text"] == "마지막 협약 종료 2024.1.22"
    assert timeline["today_text"] == "오늘 2026.11.27"
    # 21 history events, of which 4 sign the contracts drawn as bars
    assert len(timeline["events"]) == 17
    assert timeline["events"][5] == {
        "x": 1404172800000,
        "text": "서울시 사회적경제지원센터 경영평가(우수)",
        "date": "2014.7~2014.8",
    }
    assert "협약은 공백이나 중복 없이 이어집니다." in text(html)


def test_program_page_shows_a_gap_between_contracts(user_client, sample_document):
    sample_document["contracts"][2]["start"] = "2018-03-01"
    store_documents([sample_document])
    html = page(user_client, detail_url("사회적경제지원센터 운영"))
    assert chart_data(html, "timeline-chart-data")["contracts"][2]["gap"] == "앞 협약과 37일 공백"
    assert "3차 협약: 앞 협약과 37일 공백." in text(html)


def test_program_page_outcomes_by_year_and_category(user_client, stored_samples):
    html = page(user_client, detail_url("사회적경제지원센터 운영"))
    assert '뉴스레터 <strong class="figure">20회</strong>' in html
    body = text(html)
    assert "구분 2021 2022 2023" in body
    assert re.search(r"홍보 뉴스레터 20회 , .* 뉴스레터 4회 , .* — 기타", body)
    assert "뉴스레터 20회 (2021) → 4회 (2022)" in body
    assert 'aria-label="뉴스레터: 2021년 20회 → 2022년 4회"' in html


def test_outcome_series_of_another_program(user_client, stored_samples):
    body = text(page(user_client, detail_url("도시농업 활성화 지원")))
    assert "도시농부학교 36회 (2021) → 44회 (2022) → 48회 (2023)" in body
    assert "도시농부학교 수료 1,080명 (2021) → 1,320명 (2022) → 1,452명 (2023)" in body
    assert "상자텃밭 11,200개 (2021) → 12,400개 (2022) → 13,000개 (2023)" in body
    assert "서울도시농업박람회 방문 28,400명 (2021) → 41,000명 (2022) → 52,300명 (2023)" in body


def test_program_page_findings(user_client, stored_samples):
    body = text(page(user_client, detail_url("사회적경제지원센터 운영")))
    assert "오류 없음" in body
    assert (
        "참고 결산 결산 2020 예산현액: 비어 있음,"
        " 최종예산+전년이월+예산변경 = 8,542,856(으)로 계산됨" in body
    )


def test_program_page_errors_come_first(user_client, sample_document):
    sample_document["funding"]["city"] = 3000000
    store_documents([sample_document])
    body = text(page(user_client, detail_url("사회적경제지원센터 운영")))
    assert "오류 1건" in body
    assert body.index("오류 재원") < body.index("참고 결산")


# The sample 000 as read from its text, with 민간위탁금's printed 증감률 11 made 12.
CHANGED_PERCENT = "예산 총괄: 민간위탁금 증감률(%) 12 ≠ (B−A)×100/A = 11"


def store_with_changed_percent() -> ProgramYear:
    text = (ROOT / "samples" / "000_5073a130600540e8.txt").read_text(encoding="utf-8")
    changed = text.replace("2,312,971\t2,577,216\t264,245\t11", "2,312,971\t2,577,216\t264,245\t12")
    assert changed != text
    return store_document(parse_document(changed))


def test_program_page_reports_a_wrong_printed_percentage_once(user_client):
    year = store_with_changed_percent()
    body = text(page(user_client, detail_url(year.program.title)))
    assert body.count(CHANGED_PERCENT) == 1
    assert "오류 1건" in body


def test_program_page_shows_the_errors_kept_with_its_year_once(user_client):
    year = store_with_changed_percent()
    # What the checks found in the document as read, kept with the year (check_errors).
    ProgramYear.objects.filter(pk=year.pk).update(check_errors=[CHANGED_PERCENT])
    body = text(page(user_client, detail_url(year.program.title)))
    assert body.count(CHANGED_PERCENT) == 1
    assert f"오류 {CHANGED_PERCENT}" in body
    assert "오류 1건" in body


def test_program_page_shows_an_error_found_again_once(user_client, sample_document):
    sample_document["funding"]["city"] = 3000000
    [year] = store_documents([sample_document])
    message = "사업비 총액 3,000,000 ≠ 예산 총괄 예산액(B) 3,296,216"
    assert year.check_errors == [message]  # kept, and found again on the stored document
    body = text(page(user_client, detail_url("사회적경제지원센터 운영")))
    assert body.count(message) == 1
    assert "오류 1건" in body


def test_a_new_program_page(user_client, stored_samples):
    html = page(user_client, detail_url("청년 주거비 지원"))
    body = text(html)
    assert "사무관리비 0 45,000 45,000 순증" in body
    assert "결산 실적이 없습니다." in body and "추진실적이 없습니다." in body
    assert "위탁 협약 0건(막대)과 추진경위(◆)." in body
    assert "2025~2027" in body


@pytest.mark.parametrize("count", [2, 8])
def test_program_page_runs_a_constant_number_of_queries(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    [latest, *_] = make_program_years(count, one_program=True)
    # session, user, program, its years and their 11 sections
    with django_assert_max_num_queries(15):
        html = page(user_client, reverse("programs:detail", args=[latest.program_id]))
    # budgets from 2024 − count (the oldest document's A) to 2024, settlements from 2020
    labels = chart_data(html, "trend-chart-data")["labels"]
    assert labels == [str(year) for year in range(min(2020, 2024 - count), 2025)]


def test_overview_shows_the_soonest_ending_contracts_and_counts_the_rest(
    user_client, make_program_years, sample_document
):
    sample_document["contracts"][-1]["end"] = "2027-01-22"  # within 12 months of today
    make_program_years(23)
    html = page(user_client, reverse("programs:overview") + "?year=2024")
    assert html.count("2021.1.23~2027.1.22") == 20
    assert "모두 23건 중 종료일이 가까운 20건" in html


def test_a_category_filter_shows_that_categorys_amounts_and_their_total(
    user_client, stored_samples, make_program_years
):
    make_program_years(2)
    response = user_client.get(f"{reverse('programs:list')}?year=&category=민간위탁금&per_page=100")
    table = response.context["table"]
    rows = [row.record for row in table.paginated_rows]
    assert len(rows) >= 2
    assert all(r.current < r.budget_current for r in rows)
    for record in rows:
        lines = record.budget_lines.filter(category="민간위탁금")
        assert record.current == sum(line.current for line in lines)
    html = response.content.decode()
    assert "민간위탁금 예산액(B)" in html and "민간위탁금 전년도 예산(A)" in html
    total = re.search(r'<tr class="total">(.*?)</tr>', html, re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)
    ]
    assert cells[0] == "계"
    assert f"{sum(r.current for r in rows):,}" in cells
    assert f"{sum(r.prior or 0 for r in rows):,}" in cells


def test_the_total_row_is_the_whole_filtered_set_not_the_page(user_client, make_program_years):
    make_program_years(4)
    response = user_client.get(f"{reverse('programs:list')}?year=&per_page=2")
    total = sum(py.budget_current for py in ProgramYear.objects.all())
    assert f"{total:,}" in re.search(
        r'<tr class="total">(.*?)</tr>', response.content.decode(), re.S
    ).group(1)


def test_the_department_choice_is_narrowed_by_the_chosen_bureau(user_client, stored_samples):
    bureau = Department.objects.values_list("bureau", flat=True).first()
    ours = set(Department.objects.filter(bureau=bureau).values_list("pk", flat=True))
    assert ours != set(Department.objects.values_list("pk", flat=True))
    form = user_client.get(f"{reverse('programs:list')}?bureau={bureau}").context["filter"].form
    offered = {value.value for value, _label in form.fields["department"].choices if value}
    assert offered == ours


@pytest.fixture
def a_partial_year(make_program_years, sample_document):
    """Three programs in 2024, one document of 2025 so far."""
    make_program_years(3)
    document = copy.deepcopy(sample_document) | {"fiscal_year": 2025, "title": "이른 사업"}
    store_documents([document])


def test_the_default_year_is_the_latest_mostly_entered(user_client, a_partial_year):
    overview = user_client.get(reverse("programs:overview"))
    assert overview.context["year"] == 2024
    assert "2025년 문서" not in text(overview.content.decode())
    listed = user_client.get(reverse("programs:list"))
    assert listed.context["year"] == 2024
    assert listed.context["table"].paginator.count == 3


@pytest.mark.parametrize("url", [reverse("programs:overview"), reverse("programs:list")])
def test_a_partly_entered_year_says_so(user_client, a_partial_year, url):
    body = text(page(user_client, f"{url}?year=2025"))
    assert "2025년 문서 1/3건" in body


def test_the_findings_card_names_a_warning_instead_of_no_errors(user_client, sample_document):
    document = copy.deepcopy(sample_document)
    document["contracts"][1]["start"] = "2015-03-01"  # a gap after the first contract
    (year,) = store_documents([document])
    html = page(user_client, f"{reverse('programs:detail', args=[year.program_id])}?year=2024")
    card = re.search(r"점검 결과</dt><dd>(.*?)</dd>", html, re.S).group(1)
    assert "주의" in card and "오류 없음" not in card


def test_overview_captions_count_categories_and_the_chart_has_no_summed_bar(
    user_client, stored_samples
):
    from programs import views

    views.CHART_ROWS, saved = 2, views.CHART_ROWS
    try:
        response = user_client.get(f"{reverse('programs:overview')}?year=2024")
    finally:
        views.CHART_ROWS = saved
    categories = response.context["data"]["categories"]
    assert len(categories) > 2
    chart = response.context["category_chart"]
    assert len(chart["labels"]) == 2 and not any("그 밖의" in label for label in chart["labels"])
    assert response.context["category_caption"].startswith(f"통계목 {len(categories)}개 중")


def test_the_overviews_ending_contracts_are_from_today_for_every_year(user_client, stored_samples):
    for year in ProgramYear.objects.fiscal_years():
        data = user_client.get(f"{reverse('programs:overview')}?year={year}").context["data"]
        assert data["contract_window"][0] == datetime.date(2026, 11, 27)


def test_overview_totals_five_years_accounts_funding_and_execution(user_client, stored_samples):
    from programs import arithmetic, formatting
    from programs.models import Settlement

    response = user_client.get(f"{reverse('programs:overview')}?year=2024")
    data = response.context["data"]
    years = ProgramYear.objects.filter(fiscal_year__lte=2024, fiscal_year__gt=2019)
    assert [row["fiscal_year"] for row in data["recent"]] == sorted(
        set(years.values_list("fiscal_year", flat=True))
    )
    this_year = ProgramYear.objects.filter(fiscal_year=2024)
    assert sum(row["current"] for row in data["accounts"]) == sum(
        py.budget_current for py in this_year
    )
    assert dict(data["funding"])["시비"] == sum(py.funding_city for py in this_year)
    rows = Settlement.objects.filter(program_year__fiscal_year=2024, year=data["settled_year"])
    executed = sum(row.executed for row in rows)
    available = sum(row.available_or_derived for row in rows)
    assert data["settled"]["rate"] == arithmetic.execution_rate(executed, available)
    assert f"집행률 {formatting.percent(data['settled']['rate'])}%" in text(
        response.content.decode()
    )


def test_overview_names_new_and_discontinued_programs(user_client, make_program_years):
    make_program_years(3)  # 합성 사업 000-002 in 2024
    later = ProgramYear.objects.get(program__title="합성 사업 000")
    document = {**export_document(later), "fiscal_year": 2025}
    new = {**document, "title": "새 사업"}
    store_documents([document, new])
    data = user_client.get(f"{reverse('programs:overview')}?year=2025").context["data"]
    assert [row["program__title"] for row in data["new_programs"]] == ["새 사업"]
    discontinued = [row["program__title"] for row in data["discontinued"]]
    assert discontinued == ["합성 사업 001", "합성 사업 002"]
    first = user_client.get(f"{reverse('programs:overview')}?year=2024")
    assert "새 사업과 끝난 사업" not in first.content.decode()


def test_the_budget_by_category_across_the_programs_years(
    user_client, stored_samples, sample_document
):
    later = copy.deepcopy(sample_document)
    later["fiscal_year"] = 2025
    later["budget_summary"][0]["prior"] = 700000  # 공공운영비 2024 as the 2025 document gives it
    later["budget_summary"][0]["current"] = 800000
    later["budget_summary"].append({**later["budget_summary"][1], "category": "새 통계목"})
    later["budget_summary"][-1] |= {"prior": 0, "current": 5000}
    store_documents([later])
    html = page(user_client, detail_url("사회적경제지원센터 운영", 2024))
    chart = chart_data(html, "category-years-chart-data")
    assert chart["labels"] == ["2023년", "2024년", "2025년"]
    series = {row["label"]: row["values"] for row in chart["series"]}
    # 2023 from the 2024 document's A; 2024 and 2025 from the later document
    assert series["공공운영비"] == [554000, 700000, 800000]
    assert series["새 통계목"] == [None, 0, 5000]
    assert '<canvas id="category-years-chart" data-chart="stacked"' in html
    body = text(html)
    assert "연도별 통계목 예산" in body
    assert "공공운영비 554,000 700,000 800,000" in body
    report = user_client.get(detail_url("사회적경제지원센터 운영", 2024)).context["report"]
    totals = report.category_years.totals
    assert totals == [sum(values[i] or 0 for values in series.values()) for i in range(3)]
    assert f"계 {totals[0]:,} {totals[1]:,} {totals[2]:,}" in body
    assert "2023~2025년 통계목 " in report.category_years_caption
    report_url = reverse("programs:report", args=[program("사회적경제지원센터 운영").pk])
    printed = text(page(user_client, f"{report_url}?year=2024"))
    assert "공공운영비 554,000 700,000 800,000" in printed


def test_the_category_years_read_only_stated_years():
    from programs.spans import category_trend

    first = {"category": "사무관리비", "prior": None, "current": 45000}
    trend = category_trend([{"fiscal_year": 2025, "budget_summary": [first]}])
    assert trend.years == [2025] and trend.rows == [("사무관리비", [45000])]
    assert trend.totals == [45000]
    assert category_trend([{"fiscal_year": 2025}]).years == []


@pytest.fixture
def one_early_document(make_program_years):
    """Four programs in 2024; so far one of them in 2025."""
    make_program_years(4)
    first = ProgramYear.objects.get(program__title="합성 사업 000")
    store_documents([{**export_document(first), "fiscal_year": 2025}])
    return first.program


def test_every_page_showing_a_partly_entered_year_says_so(user_client, one_early_document):
    program = one_early_document
    department = program.department
    note = "2025년 문서 1/4건: 아직 입력 중인 연도입니다"
    for url in [
        reverse("programs:overview") + "?year=2025",
        reverse("programs:list") + "?year=2025",
        reverse("programs:detail", args=[program.pk]),
        reverse("programs:report", args=[program.pk]),
        reverse("programs:compare", args=[program.pk]),
        reverse("programs:department_report", args=[department.pk]) + "?year=2025",
        f"{reverse('programs:bureau_report')}?name={department.bureau}&year=2025",
        reverse("programs:contracts"),
    ]:
        assert text(page(user_client, url)).count(note) == 1, url
    for url in [
        reverse("programs:detail", args=[program.pk]) + "?year=2024",
        reverse("programs:report", args=[program.pk]) + "?year=2024",
        reverse("programs:compare", args=[program.pk]) + "?from=2024&to=2024",
        reverse("programs:department_report", args=[department.pk]) + "?year=2024",
    ]:
        assert "아직 입력 중인 연도" not in page(user_client, url), url
