import pytest
from django.urls import reverse

from programs import formatting
from programs.demo import generate
from programs.documents import export_document
from programs.models import Program, ProgramYear
from programs.store import store_documents

from .test_pages import page, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]


def changed_category_amounts(before: dict, after: dict) -> list[tuple[str, int, int]]:
    """(category, then, now) of every 통계목 whose amounts differ between the documents."""
    old = {row["category"]: row for row in before["budget_summary"]}
    changes = []
    for row in after["budget_summary"]:
        previous = old.get(row["category"])
        if previous:
            for key in ("prior", "current", "change"):
                if previous[key] != row[key]:
                    changes.append((row["category"], previous[key], row[key]))
    return changes


def changed_settlements(before: dict, after: dict) -> list[tuple[int, int, int]]:
    old = {row["year"]: row for row in before["settlements"]}
    return [
        (row["year"], old[row["year"]]["executed"], row["executed"])
        for row in after["settlements"]
        if row["year"] in old and old[row["year"]]["executed"] != row["executed"]
    ]


def test_the_compare_page_lists_every_changed_amount_of_consecutive_demo_years(user_client):
    generate(programs=6, years=2, seed=8)
    checked = 0
    for program in Program.objects.all():
        years = {
            py.fiscal_year: export_document(py)
            for py in ProgramYear.objects.with_sections().filter(program=program)
        }
        if len(years) < 2:
            continue
        first, second = sorted(years)
        url = reverse("programs:compare", args=[program.pk])
        response = user_client.get(f"{url}?from={first}&to={second}")
        assert response.status_code == 200
        shown = {
            (row.name, change.before, change.after)
            for section in response.context["sections"]
            for row in section.rows
            for change in row.changes
            if change.is_amount
        }
        expected = changed_category_amounts(years[first], years[second])
        assert expected
        for category, then, now in expected:
            assert (category, then, now) in shown
        for year, then, now in changed_settlements(years[first], years[second]):
            assert (str(year), then, now) in shown
        body = text(response.content.decode())
        category, then, now = expected[0]
        assert f"{formatting.amount(then)} {formatting.amount(now)}" in body
        checked += 1
    assert checked


def test_changed_words_are_marked(user_client, sample_document):
    document = dict(sample_document, fiscal_year=2025, purpose=sample_document["purpose"] + " 강화")
    store_documents([sample_document, document])
    program = Program.objects.get(title=sample_document["title"])
    html = page(user_client, f"{reverse('programs:compare', args=[program.pk])}?from=2024&to=2025")
    assert "<ins>강화</ins>" in html
    detail = page(user_client, f"{reverse('programs:detail', args=[program.pk])}?year=2025")
    assert f"{reverse('programs:compare', args=[program.pk])}?to=2025" in detail


def test_a_program_with_one_year_has_nothing_to_compare(user_client, stored_samples):
    program = Program.objects.first()
    assert user_client.get(reverse("programs:compare", args=[program.pk])).status_code == 404


@pytest.mark.parametrize(("programs", "years"), [(2, 2), (12, 5)])
def test_the_compare_page_runs_a_constant_number_of_queries(
    user_client, django_assert_num_queries, programs, years
):
    generate(programs=programs, years=years, seed=3)
    program = Program.objects.filter(years__fiscal_year=2021 + years - 2).first()
    url = reverse("programs:compare", args=[program.pk])
    # session, user, the program, its years, and the two documents with their 11 sections
    with django_assert_num_queries(16):
        html = page(user_client, url)
    assert f"{program.title}: {2021 + years - 2}년과 {2021 + years - 1}년 사업설명서 비교" in html
