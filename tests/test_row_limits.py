"""A year at every row limit of an import is opened, edited and saved in the admin."""

import pytest
from django.conf import settings
from django.test import override_settings

from programs.documents import MAX_COST_ITEMS, MAX_ROWS
from programs.models import SECTION_RELATIONS, ProgramYear
from programs.store import store_documents

from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def at_the_limits(document: dict) -> dict:
    """The sample with every section as long as an import allows."""
    n = range(MAX_ROWS)
    officer = document["officers"][0]
    return document | {
        "officers": [officer | {"officer": f"주무관{i}"} for i in n],
        "budget_summary": [{"category": f"통계목 {i}", "prior": 1000, "current": 2000} for i in n],
        "cost_basis": [
            {
                "category": "민간위탁금",
                "items": [
                    {
                        "name": f"항목 {i}",
                        "amount_won": 2000,
                        "children": [{"name": f"하위 {i}", "amount_won": 2000, "children": []}],
                    }
                    for i in range(MAX_COST_ITEMS // 2)
                ],
            }
        ],
        "legal_basis": [{"name": f"조례 {i}", "articles": ["제1조"]} for i in n],
        "activities": [f"내용 {i}" for i in n],
        "history": [{"date": "2020-01", "text": f"경위 {i}"} for i in n],
        "contracts": [{"start": "2020-01-01", "end": "2020-12-31", "term_years": 1} for i in n],
        "schedule": [{"task": f"일정 {i}", "amount": 10} for i in n],
        "performance": [{"year": 2023, "text": f"실적 {i}"} for i in n],
        "expected_effects": [f"효과 {i}" for i in n],
        "settlements": [{"year": 1950 + i, "final_budget": 10, "executed": 5} for i in n],
    }


def row_counts(year: ProgramYear) -> dict[str, int]:
    return {relation: getattr(year, relation).count() for relation in SECTION_RELATIONS}


@override_settings(DEBUG=False)
def test_a_year_at_every_limit_is_edited_and_saved_in_the_admin(admin_client, sample_document):
    (year,) = store_documents([at_the_limits(sample_document)])
    counts = row_counts(year)
    assert counts["cost_items"] == MAX_COST_ITEMS
    assert set(counts.values()) == {MAX_ROWS, MAX_COST_ITEMS}

    page = admin_client.get(change_url(year))
    assert page.status_code == 200
    # No row beyond a limit is offered.
    formsets = page.context["inline_admin_formsets"]
    assert {inline.formset.max_num for inline in formsets} == {MAX_ROWS, MAX_COST_ITEMS}
    data = form_data(page)
    assert len(data) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    data["history-99-text"] = "고친 경위"
    saved = admin_client.post(change_url(year), data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert year.history.get(position=99).text == "고친 경위"
    assert row_counts(year) == counts
