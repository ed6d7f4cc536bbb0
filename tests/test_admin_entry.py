"""Data entry on the change page: amounts as staff write them, a reason for each change,
and the sections in the document's order."""

import pytest
from django.urls import reverse

from programs.models import BudgetLine, Settlement
from programs.widgets import AmountField, parse_amount

from .test_admin import change_url, form_data
from .test_history import office, records  # noqa: F401 (a fixture)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2,312,971", 2312971),
        ("2312971", 2312971),
        (" 1 000 ", 1000),
        ("△65,000", -65000),
        ("-65000", -65000),
        ("▲5", -5),
        ("", None),
    ],
)
def test_an_amount_is_read_with_or_without_separators_and_signs(typed, stored):
    assert AmountField(required=False).clean(typed) == stored


def test_an_amount_field_refuses_what_is_not_a_number():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        AmountField().clean("12,3a4")
    assert parse_amount("△1,000") == "-1000"


def test_amounts_are_shown_and_saved_as_staff_write_them(office, stored_samples):  # noqa: F811
    year = stored_samples[0]
    response = office.get(change_url(year))
    page = response.content.decode()
    assert 'name="budget_lines-1-prior" value="2,312,971"' in page
    assert 'name="funding_city" value="3,296,216"' in page
    data = form_data(response)
    data["budget_lines-0-current"] = "700,000"
    data["settlements-0-budget_change"] = "△30,000"
    assert office.post(change_url(year), data).status_code == 302
    assert BudgetLine.objects.get(program_year=year, category="공공운영비").current == 700000
    settlement = Settlement.objects.get(program_year=year, year=2020)
    assert settlement.budget_change == -30000


def test_a_save_records_its_reason_and_the_history_names_the_row(office, stored_samples):  # noqa: F811
    year = stored_samples[0]
    data = form_data(office.get(change_url(year)))
    data["budget_lines-0-current"] = "700,000"
    data["change_reason"] = "2차 추경 반영"
    assert office.post(change_url(year), data).status_code == 302
    assert records(year)[-1].history_change_reason == "2차 추경 반영"
    page = office.get(reverse("admin:programs_programyear_history", args=[year.pk]))
    html = page.content.decode()
    assert "2차 추경 반영" in html
    assert "<strong>예산 총괄: 공공운영비 당해연도 예산(B)</strong>" in html


def test_the_sections_come_in_the_documents_order_with_a_jump_list(office, stored_samples):  # noqa: F811
    response = office.get(change_url(stored_samples[0]))
    names = [str(section["name"]) for section in response.context["sections"]]
    assert names == [
        "1. 기본 현황",
        "1. 사업 담당자",
        "2. 예산 총괄",
        "2. 산출근거",
        "3. 사업설명",
        "3. 사업근거",
        "3. 사업내용",
        "3. 추진경위",
        "3. 추진경위 중 위탁 협약",
        "3. 추진일정",
        "4. 최근 3년 추진실적",
        "4. 향후 기대효과",
        "5. 최근 3년 결산 현황",
    ]
    page = response.content.decode()
    jump = page.index('class="section-jump"')
    assert page.index("2. 예산 총괄", jump) < page.index("3. 사업설명", jump)
    assert page.index("<summary>1. 사업 담당자</summary>") < page.index(
        "<summary>3. 사업설명</summary>"
    )
