import re

import pytest
from django.urls import reverse

from programs.models import BudgetLine, ProgramYear

pytestmark = pytest.mark.django_db

INLINE_HEADINGS = [
    "1. 사업 담당자",
    "2. 예산 총괄",
    "2. 산출근거",
    "3. 사업근거",
    "3. 사업내용",
    "3. 추진경위",
    "3. 추진경위 중 위탁 협약",
    "3. 추진일정",
    "4. 최근 3년 추진실적",
    "4. 향후 기대효과",
    "5. 최근 3년 결산 현황",
]


def change_url(year: ProgramYear) -> str:
    return reverse("admin:programs_programyear_change", args=[year.pk])


def form_data(response) -> dict:
    """What the browser would post back unchanged: the main form and every inline form."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        management = formset.management_form
        data |= {management.add_prefix(n): management[n].value() for n in management.fields}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def test_change_page_shows_every_section_in_document_order(admin_client, stored_samples):
    year = stored_samples[0]
    response = admin_client.get(change_url(year))
    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r'<h2 id="[a-z_]+-heading" class="inline-heading">\s*(.*?)\s*</h2>', page)
    assert headings == INLINE_HEADINGS
    assert "개봉클러스터 시설관리용역 및 공공요금" in page  # a cost item
    assert "△65,000" in page  # derived change of 시설비, read-only
    assert "위수탁 협약체결(3년, 2021.1.23~2024.1.22)" in page
    assert "문서의 항등식이 모두 맞습니다." not in page  # 2020 settlement blanks are derived
    assert "결산 2020 예산현액: 비어 있음" in page


def test_change_page_reads_each_section_once(
    admin_client, stored_samples, django_assert_num_queries
):
    year = stored_samples[0]
    admin_client.get(change_url(year))  # content types, cached from then on
    # Session, user, the year with its program (its title); each of the 11 sections, for its
    # inline and the findings alike; the program select's chosen option.
    with django_assert_num_queries(15):
        response = admin_client.get(change_url(year))
    assert "결산 2020 예산현액: 비어 있음" in response.content.decode()


def test_change_page_saves_with_inlines_unchanged(admin_client, stored_samples):
    year = stored_samples[0]
    response = admin_client.get(change_url(year))
    saved = admin_client.post(change_url(year), form_data(response))
    assert saved.status_code == 302
    assert year.budget_lines.count() == 3
    assert year.cost_items.count() == 11


def test_saving_an_inconsistent_document_is_allowed_but_says_which_identity_fails(
    admin_client, stored_samples
):
    year = stored_samples[0]
    data = form_data(admin_client.get(change_url(year)))
    data["budget_lines-1-current"] = "2567216"
    response = admin_client.post(change_url(year), data, follow=True)
    assert BudgetLine.objects.get(program_year=year, category="민간위탁금").current == 2567216
    messages = [str(m) for m in response.context["messages"]]
    assert any("산출근거: 민간위탁금 항목 합계 2,577,216 ≠ 예산 2,567,216" in m for m in messages)
    year.refresh_from_db()
    assert "산출근거: 민간위탁금 항목 합계 2,577,216 ≠ 예산 2,567,216" in year.check_errors


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("budget_lines-0-prior", "-1", "0 이상의 값을 입력해 주세요."),
        ("schedule-0-end", "2024-13", "월은 1에서 12 사이여야 합니다: 2024-13"),
        ("contracts-0-end", "2012-01-01", "협약 종료일이 시작일보다 앞설 수 없습니다."),
        ("history-6-end_date", "2014-06", "종료일자가 일자보다 앞설 수 없습니다."),
        ("period_end_year", "2010", "종료 연도가 시작 연도보다 앞설 수 없습니다."),
    ],
)
def test_forms_reject_what_cannot_be_true_with_a_message(
    admin_client, stored_samples, field, value, error
):
    year = stored_samples[0]
    data = form_data(admin_client.get(change_url(year)))
    data[field] = value
    response = admin_client.post(change_url(year), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert year.budget_lines.get(position=0).prior == 554000


def test_list_page_filters_by_year_and_bureau(admin_client, stored_samples):
    url = reverse("admin:programs_programyear_changelist")
    page = admin_client.get(url, {"fiscal_year": 2025}).content.decode()
    assert "청년 주거비 지원" in page
    assert "사회적경제지원센터 운영" not in page
    page = admin_client.get(url, {"q": "도시농업"}).content.decode()
    assert "도시농업 활성화 지원" in page
    assert "청년 주거비 지원" not in page
    assert "1,807,500" in page


def test_program_page_links_to_its_years(admin_client, stored_samples):
    year = stored_samples[0]
    url = reverse("admin:programs_program_change", args=[year.program.pk])
    page = admin_client.get(url).content.decode()
    assert f'href="{change_url(year)}"' in page
    assert "2024년 사업설명서" in page


def test_admin_is_for_staff_only(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw-123456789")
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_change_page_names_the_severity_of_each_finding_in_korean(admin_client, stored_samples):
    page = admin_client.get(change_url(stored_samples[0])).content.decode()
    assert '<li class="finding-info"><strong>참고</strong> 결산 2020 예산현액: 비어 있음' in page


def test_a_refused_save_shows_the_findings_of_what_is_stored(admin_client, stored_samples):
    year = stored_samples[0]
    data = form_data(admin_client.get(change_url(year)))
    data["budget_lines-1-current"] = "2567216"  # would break the cost basis' sum
    data["period_end_year"] = "2010"  # refused
    response = admin_client.post(change_url(year), data)
    page = response.content.decode()
    assert "종료 연도가 시작 연도보다 앞설 수 없습니다." in page
    assert "결산 2020 예산현액: 비어 있음" in page
    assert "항목 합계 2,577,216" not in page
