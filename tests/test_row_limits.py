"""A year at every row limit of an import is opened, edited and saved in the admin."""

import pytest
from django.conf import settings
from django.test import override_settings

from programs.documents import MAX_COST_ITEMS, MAX_ROWS
from programs.management.commands.bench import at_the_limits
from programs.models import SECTION_RELATIONS, ProgramYear
from programs.store import store_documents

from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


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
    # Every section is longer than LAZY_ROWS: each comes closed, its rows when it is opened.
    assert page.context["inline_admin_formsets"] == []
    sections = {
        relation: admin_client.get(change_url(year), {"section": relation})
        for relation in SECTION_RELATIONS
    }
    assert {relation: s.status_code for relation, s in sections.items()} == dict.fromkeys(
        SECTION_RELATIONS, 200
    )
    # No row beyond a limit is offered.
    formsets = [s.context["inline_admin_formset"] for s in sections.values()]
    assert {inline.formset.max_num for inline in formsets} == {MAX_ROWS, MAX_COST_ITEMS}
    # The page with every section opened is within the request's field limit.
    data = form_data(page) | opened(sections.values())
    assert len(data) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    data["history-99-text"] = "고친 경위"
    saved = admin_client.post(change_url(year), data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert year.history.get(position=99).text == "고친 경위"
    assert row_counts(year) == counts


def opened(sections) -> dict:
    """What the browser posts back of sections opened on the page (each `?section=`)."""
    data = {}
    for section in sections:
        formset = section.context["inline_admin_formset"].formset
        management = formset.management_form
        data |= {management.add_prefix(n): management[n].value() for n in management.fields}
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None and value is not False:
                    data[form.add_prefix(name)] = "on" if value is True else value
    return data


@override_settings(DEBUG=False)
def test_a_save_leaves_the_sections_never_opened_as_they_are(admin_client, sample_document):
    (year,) = store_documents([at_the_limits(sample_document)])
    counts = row_counts(year)
    page = admin_client.get(change_url(year))
    history = admin_client.get(change_url(year), {"section": "history"})
    data = form_data(page) | opened([history])
    data["history-0-text"] = "고친 경위"
    saved = admin_client.post(change_url(year), data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert year.history.get(position=0).text == "고친 경위"
    assert row_counts(year) == counts


@pytest.mark.parametrize("at_limits", [False, True])
def test_the_change_page_takes_the_same_queries_whatever_the_rows(
    admin_client, sample_document, at_limits, django_assert_max_num_queries
):
    document = at_the_limits(sample_document) if at_limits else sample_document
    (year,) = store_documents([document])
    # The session and the user; the year; one query a section (11); its program for the
    # findings' document and for the program picker's choice.
    with django_assert_max_num_queries(16):
        assert admin_client.get(change_url(year)).status_code == 200
