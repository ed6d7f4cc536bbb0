"""A section's rows written in Python are the admin's own tabular rows."""

import re

import pytest
from django.template.loader import render_to_string

from programs.admin_rows import SectionAdminFormSet

from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def markup(html: str) -> str:
    """The HTML without the layout's whitespace between and inside tags."""
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html))


@pytest.mark.parametrize("posted", [False, True], ids=["read", "refused save"])
def test_a_section_s_rows_are_those_of_the_admin_s_tabular_template(
    admin_client, stored_samples, posted
):
    year = stored_samples[0]
    page = admin_client.get(change_url(year))
    if posted:  # rows with their error lists
        data = form_data(page) | {"budget_lines-0-prior": "열", "cost_items-1-name": ""}
        page = admin_client.post(change_url(year), data)
        assert page.status_code == 200
    sections = [
        section
        for section in page.context["inline_admin_formsets"]
        if section.opts.template.endswith("section_tabular.html")
    ]
    assert len(sections) == 10
    written = {}
    for section in sections:
        assert isinstance(section, SectionAdminFormSet)
        context = {"inline_admin_formset": section}
        ours = render_to_string(section.opts.template, context)
        django = render_to_string("admin/edit_inline/tabular.html", context)
        assert markup(ours) == markup(django), section.formset.prefix
        written[section.formset.prefix] = ours
    errors = {prefix for prefix, html in written.items() if "errorlist" in html}
    assert errors == ({"budget_lines", "cost_items"} if posted else set())
