"""The year overview's unit switch (천원/백만원/억원), its five-year chart and its workbook."""

import io

import openpyxl
import pytest
from django.urls import reverse

from programs import arithmetic, spreadsheets

from .test_pages import chart_data, page, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]


def overview(query: str = "") -> str:
    return f"{reverse('programs:overview')}?{query}"


@pytest.mark.parametrize(
    ("thousands", "unit", "shown"),
    [
        (None, "백만원", None),
        (5_103_716, "천원", 5_103_716),
        (5_103_716, "백만원", 5_104),
        (5_103_716, "억원", 51),
        (1_500, "백만원", 2),  # a half goes away from zero
        (2_500, "백만원", 3),
        (-1_500, "백만원", -2),
        (1_499, "백만원", 1),
        (-65_000, "억원", -1),
        (49_999, "억원", 0),
    ],
)
def test_an_amount_in_a_unit_is_rounded_half_away_from_zero(thousands, unit, shown):
    assert arithmetic.in_unit(thousands, unit) == shown


def test_every_amount_of_the_overview_follows_the_unit(user_client, stored_samples):
    html = page(user_client, overview("year=2024&unit=백만원"))
    body = text(html)
    assert "이 페이지의 금액은 모두 백만원 단위입니다(천원 금액을 반올림)." in body
    # 5,103,716 / 4,694,971 / 408,745 천원
    assert "예산액 합계(B) 5,104 백만원" in body
    assert "2023년 예산액 합계(A) 4,695 백만원" in body
    assert "전년 대비 증감(B−A) 409 백만원 (9%)" in body
    assert "실·국별 예산(백만원)" in body
    assert "노동공정상생정책관 1 2,997 3,296 299 10" in body
    assert "시설비 1 130 65 △65 △50" in body
    assert "사회적경제지원센터 운영 공정경제담당관 3,296 299 10" in body
    assert "2022년 결산(올해 문서 기준): 예산현액 6,523백만원, 집행액 5,965백만원" in body
    # Past the unit switch and its note, no amount is in 천원.
    assert "천원" not in body.split("(천원 금액을 반올림).", 1)[1]
    bureaus = chart_data(html, "bureau-chart-data")
    assert bureaus["current"] == [3296, 1808] and bureaus["unit"] == "백만원"
    assert chart_data(html, "category-chart-data")["unit"] == "백만원"
    assert "(3,296백만원)입니다" in body


def test_the_overview_in_hundred_millions(user_client, stored_samples):
    body = text(page(user_client, overview("year=2024&unit=억원")))
    assert "예산액 합계(B) 51 억원" in body
    assert "노동공정상생정책관 1 30 33 3 10" in body


def test_the_default_unit_is_thousands_and_an_unknown_one_is_not_found(user_client, stored_samples):
    body = text(page(user_client, overview("year=2024")))
    assert "이 페이지의 금액은 모두 천원 단위입니다." in body
    assert "예산액 합계(B) 5,103,716 천원" in body
    assert user_client.get(overview("year=2024&unit=원")).status_code == 404


def test_the_unit_is_kept_by_the_year_picker_and_the_year_links(user_client, stored_samples):
    html = page(user_client, overview("year=2025&unit=억원"))
    assert '<input type="hidden" name="unit" value="억원">' in html
    assert '<a href="?year=2024&amp;unit=%EC%96%B5%EC%9B%90">2024</a>' in html
    assert '<a href="?year=2025&amp;unit=%EB%B0%B1%EB%A7%8C%EC%9B%90">백만원</a>' in html
    assert '<span aria-current="true">억원</span>' in html
    xlsx = reverse("programs:overview_xlsx") + "?year=2025&amp;unit=%EC%96%B5%EC%9B%90"
    assert f'<a href="{xlsx}" download>' in html
    plain = page(user_client, overview("year=2025"))
    assert 'name="unit"' not in plain and '<a href="?year=2024">2024</a>' in plain


def test_the_five_year_chart_holds_the_tables_totals(user_client, stored_samples):
    response = user_client.get(overview("year=2024&unit=백만원"))
    html = response.content.decode()
    recent = response.context["data"]["recent"]
    chart = chart_data(html, "recent-chart-data")
    assert chart["labels"] == [f"{row['fiscal_year']}년" for row in recent]
    assert chart["current"] == [arithmetic.in_unit(row["current"], "백만원") for row in recent]
    assert chart["unit"] == "백만원"
    assert '<canvas id="recent-chart" data-chart="totals"' in html
    caption = response.context["recent_caption"]
    assert caption.startswith("연도별 예산액 합계(백만원): ")
    assert "2024년 5,104" in caption
    assert caption in text(html)


def test_the_overview_workbook_has_the_pages_figures_in_its_unit(user_client, stored_samples):
    response = user_client.get(f"{reverse('programs:overview_xlsx')}?year=2024&unit=백만원")
    assert response.status_code == 200
    assert "2024" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "합계",
        "최근 5년",
        "회계별",
        "재원별",
        "실·국별",
        "부서별",
        "통계목별",
        "증감이 큰 사업",
        "집행률이 낮은 사업",
    ]
    totals = [[cell.value for cell in row] for row in book["합계"].iter_rows()]
    assert totals[0] == [
        "회계연도",
        "사업 수",
        "2023년 예산액(A, 백만원)",
        "2024년 예산액(B, 백만원)",
        "증감(B−A, 백만원)",
        "증감률(%)",
    ]
    assert totals[1] == [2024, 2, 4695, 5104, 409, 9]
    bureaus = book["실·국별"]
    assert [cell.value for cell in bureaus[2]] == ["노동공정상생정책관", 1, 2997, 3296, 299, 10]
    assert bureaus["D2"].number_format == spreadsheets.AMOUNT
    assert bureaus["F2"].number_format == spreadsheets.WHOLE_PERCENT
    assert bureaus.column_dimensions["A"].width == 24
    assert book["최근 5년"]["C1"].value == "예산액(백만원)"
    assert book["재원별"]["B1"].value == "2024년 금액(백만원)"
    changes = [[cell.value for cell in row] for row in book["증감이 큰 사업"].iter_rows()]
    assert changes[1] == ["증가", "사회적경제지원센터 운영", "공정경제담당관", 3296, 299, 10]
    rates = [
        [cell.value for cell in row] for row in book["집행률이 낮은 사업"].iter_rows(min_row=2)
    ]
    # 2022: 4,291,758 of 4,822,583 천원, as the page shows it
    assert rates[0][0] == 2022 and rates[0][3:] == [4823, 4292, 89.0]
    assert book["집행률이 낮은 사업"]["F2"].number_format == spreadsheets.PERCENT


def test_the_overview_workbook_in_thousands_matches_the_page(user_client, stored_samples):
    response = user_client.get(f"{reverse('programs:overview_xlsx')}?year=2024")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book["합계"][2]] == [2024, 2, 4694971, 5103716, 408745, 9]
    categories = {row[0].value: row[3].value for row in book["통계목별"].iter_rows(min_row=2)}
    assert categories["시설비"] == 65000
    assert user_client.get(f"{reverse('programs:overview_xlsx')}?unit=원").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_overview_in_a_unit_and_its_workbook_run_a_constant_number_of_queries(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    make_program_years(count)
    # as the overview in 천원 (tests/test_pages.py): the unit costs no query
    with django_assert_max_num_queries(18):
        body = text(page(user_client, overview("unit=억원")))
    assert f"사업 수 {count} " in body
    # the workbook: session, user, years and the overview's own queries
    with django_assert_max_num_queries(18):
        response = user_client.get(f"{reverse('programs:overview_xlsx')}?unit=억원")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["합계"]["B2"].value == count
