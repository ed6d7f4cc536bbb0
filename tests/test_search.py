import re

import pytest
from django.urls import reverse

from programs.models import ProgramYear

from .test_pages import page, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]

LIST = reverse("programs:list")


def header_search(client, from_url: str, words: str) -> str:
    """Fill in the header's search form of the page at `from_url` and submit it as a browser
    would: its action with every input of the form."""
    html = page(client, from_url)
    form = re.search(r'<form class="search" method="get" action="([^"]+)"(.*?)</form>', html, re.S)
    inputs = re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(2))
    query = "&".join(f"{name}={value}" for name, value in inputs if name != "q")
    return page(client, f"{form.group(1)}?{query}&q={words}")


def test_the_header_search_finds_the_2024_document_from_any_page(user_client, stored_samples):
    sample = ProgramYear.objects.get(program__title="사회적경제지원센터 운영")
    assert sample.fiscal_year == 2024 < max(ProgramYear.objects.fiscal_years())
    detail = reverse("programs:detail", args=[sample.program_id])
    other = ProgramYear.objects.exclude(pk=sample.pk).latest("fiscal_year")
    for url in (
        reverse("programs:overview"),
        LIST,
        f"{LIST}?year=2025",
        reverse("programs:contracts"),
        reverse("programs:detail", args=[other.program_id]),
    ):
        html = header_search(user_client, url, "사회적경제지원센터")
        assert f'href="{detail}?year=2024"' in html, url


def test_a_year_without_matches_says_which_years_have_them(user_client, stored_samples):
    body = text(page(user_client, f"{LIST}?year=2025&q=사회적경제지원센터"))
    assert "조건에 맞는 사업이 없습니다" in body
    assert "2024년에 1건" in body


@pytest.mark.parametrize(
    ("words", "section"),
    [
        ("판로", "activities"),  # 사업내용
        ("동의안 가결", "history"),  # 추진경위
        ("협동조합지원센터활성화조례", "legal_bases"),  # 사업근거
    ],
)
def test_search_reads_the_section_texts(user_client, stored_samples, words, section):
    year = ProgramYear.objects.get(program__title="사회적경제지원센터 운영")
    texts = [str(row) for row in getattr(year, section).all()]
    assert any(all(word in t for word in words.split()) for t in texts), texts
    assert not any(word in f"{year.program.title} {year.purpose}" for word in words.split())
    html = page(user_client, f"{LIST}?year=&q={words}")
    assert "사회적경제지원센터 운영" in html


def test_search_reads_the_contract_wording(user_client, stored_samples):
    html = page(user_client, f"{LIST}?year=&q=민간위탁 및 용역")
    assert "사회적경제지원센터 운영" in html


def test_a_search_groups_years_by_program_latest_first(user_client, make_program_years):
    make_program_years(3, one_program=True)
    table = user_client.get(f"{LIST}?year=&q=사회적경제").context["table"]
    assert [row.record.fiscal_year for row in table.paginated_rows] == [2024, 2023, 2022]


def test_a_search_is_bounded(user_client, stored_samples):
    response = user_client.get(f"{LIST}?year=&q={'가' * 201}")
    assert response.context["table"].paginator.count == 0
    assert "검색어는 200자까지입니다 (201자)." in text(response.content.decode())
