"""A section's rows and the fieldsets written in Python are the admin's own markup."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse

from programs.admin_rows import SectionAdminFormSet
from programs.models import Department

from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def markup(html: str) -> str:
    """The HTML without the layout's whitespace between and inside tags."""
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html))


@pytest.mark.parametrize("case", ["read", "refused save", "viewer", "tampered"])
def test_a_section_s_rows_are_those_of_the_admin_s_tabular_template(
    admin_client, request, stored_samples, case
):
    year = stored_samples[0]
    if case == "viewer":  # every cell read only, no delete box
        admin_client = request.getfixturevalue("viewer_client")
    page = admin_client.get(change_url(year))
    posted = case == "refused save"
    if posted:  # rows with their error lists
        data = form_data(page) | {"budget_lines-0-prior": "열", "cost_items-1-name": ""}
        page = admin_client.post(change_url(year), data)
        assert page.status_code == 200
    if case == "tampered":  # a management form with errors of its own
        data = form_data(page) | {"budget_lines-INITIAL_FORMS": "셋"}
        page = admin_client.post(change_url(year), data)
        assert page.status_code == 200
        management = page.context["inline_admin_formsets"][1].formset.management_form
        assert management.errors
    sections = [
        section
        for section in page.context["inline_admin_formsets"]
        if section.opts.template.endswith("section_tabular.html")
    ]
    assert len(sections) == 10
    # A column's help text, which none of ours has, on the first section's first column.
    first = sections[0].formset.empty_form.fields
    first[next(iter(first))].help_text = '쉼표 <b>없이</b> "숫자"만'
    written = {}
    for index, section in enumerate(sections):
        assert isinstance(section, SectionAdminFormSet)
        context = {"inline_admin_formset": section, "forloop": {"last": index == 9}}
        ours = render_to_string(section.opts.template, context)
        django = render_to_string("admin/edit_inline/tabular.html", context)
        assert markup(ours) == markup(django), section.formset.prefix
        written[section.formset.prefix] = ours
    # a viewer's headings are those of read-only fields: the model's help texts, none
    assert ("help-tooltip" in written[sections[0].formset.prefix]) == (case != "viewer")
    assert "last-related" in written[sections[9].formset.prefix]
    errors = {prefix for prefix, html in written.items() if "errorlist" in html}
    expected = {"refused save": {"budget_lines", "cost_items"}, "tampered": {"budget_lines"}}
    assert errors == expected.get(case, set())


# Django's own fieldset.html, which templates/admin/includes/fieldset.html stands in for.
DJANGO_FIELDSET = Engine.get_default().from_string(
    (Path(admin.__file__).parent / "templates/admin/includes/fieldset.html").read_text()
)


def fieldsets(page) -> list[dict]:
    """The contexts the admin's templates include fieldset.html with, on that page."""
    found = [
        {"fieldset": fieldset, "heading_level": 2, "prefix": "fieldset", "id_prefix": 0}
        | {"id_suffix": index}
        for index, fieldset in enumerate(page.context["adminform"])
    ]
    for inline in page.context.get("inline_admin_formsets", []):
        if inline.opts.template.endswith("stacked.html"):
            for counter, inline_form in enumerate(inline):
                found += [
                    {"fieldset": fieldset, "heading_level": 4, "prefix": inline.formset.prefix}
                    | {"id_prefix": counter, "id_suffix": index}
                    for index, fieldset in enumerate(inline_form)
                ]
    return found


def assert_fieldsets_as_django_writes_them(page) -> str:
    assert page.status_code == 200
    written = []
    for context in fieldsets(page):
        ours = render_to_string("admin/includes/fieldset.html", context)
        django = DJANGO_FIELDSET.render(Context(context))
        assert markup(ours) == markup(django), context
        written.append(ours)
    assert written
    return "".join(written)


@pytest.mark.parametrize("posted", [False, True], ids=["read", "refused save"])
def test_the_year_s_fieldsets_are_those_of_the_admin_s_template(
    admin_client, stored_samples, posted
):
    year = stored_samples[0]
    page = admin_client.get(change_url(year))
    if posted:  # a field of a line of its own, one of a line of several, a settlement's
        data = form_data(page) | {"fiscal_year": "", "funding_city": "열"}
        data |= {"settlements-0-executed": "열", "settlements-1-year": ""}
        page = admin_client.post(change_url(year), data)
    html = assert_fieldsets_as_django_writes_them(page)
    assert ("errorlist" in html) == posted
    assert 'class="readonly"' in html  # the totals and each settlement's execution rate


def test_a_viewer_s_fieldsets_are_those_of_the_admin_s_template(viewer_client, stored_samples):
    page = viewer_client.get(change_url(stored_samples[0]))
    html = assert_fieldsets_as_django_writes_them(page)
    assert "<input" not in html


def test_the_other_models_fieldsets_are_those_of_the_admin_s_template(
    admin_client, admin_user, stored_samples
):
    """Check boxes, help texts, a read-only widget and fieldsets without a name."""
    urls = [
        reverse("admin:auth_user_change", args=[admin_user.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_group_add"),
        reverse("admin:programs_department_change", args=[Department.objects.first().pk]),
        reverse("admin:programs_program_change", args=[stored_samples[0].program_id]),
        reverse("admin:programs_programyear_add"),
    ]
    html = "".join(assert_fieldsets_as_django_writes_them(admin_client.get(url)) for url in urls)
    assert "checkbox-row" in html and 'class="help"' in html
