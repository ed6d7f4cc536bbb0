"""The admin in a real browser under the Content-Security-Policy: its pages load without a
console error (a refused script or style is one), and its scripts still work."""

import pytest
from django.urls import reverse

from programs import roles
from programs.models import Department, ProgramYear
from programs.store import store_documents

from .conftest import SAMPLES, load
from .test_browser import Watch


@pytest.fixture(scope="module")
def admin_tab(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="ko-KR")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.watch = Watch(tab, live_server.url)
    yield context, tab
    context.close()


@pytest.fixture
def tab(admin_tab, transactional_db, django_user_model, signed_in):
    """Signed in as the budget office, with the samples stored."""
    for path in SAMPLES:
        store_documents([load(path)])
    user = django_user_model.objects.create_user("office")
    roles.assign(user, roles.BUDGET_OFFICE)
    context, tab = admin_tab
    signed_in(context, user)
    tab.watch.clear()
    return tab


def visit(tab, live_server, url: str) -> None:
    response = tab.goto(live_server.url + url, wait_until="load")
    assert response.status == 200, url
    assert "Content-Security-Policy" in response.headers or (
        "content-security-policy" in response.headers
    )


def first_year() -> ProgramYear:
    return ProgramYear.objects.order_by("pk").first()


PAGES = {
    "index": lambda: reverse("admin:index"),
    "changelist": lambda: reverse("admin:programs_programyear_changelist"),
    "change": lambda: reverse("admin:programs_programyear_change", args=[first_year().pk]),
    "add": lambda: reverse("admin:programs_programyear_add"),
    "history": lambda: reverse("admin:programs_programyear_history", args=[first_year().pk]),
    "import": lambda: reverse("admin:programs_programyear_import"),
    "department": lambda: reverse(
        "admin:programs_department_change", args=[Department.objects.first().pk]
    ),
    "users": lambda: reverse("admin:auth_user_changelist"),
}


@pytest.mark.parametrize("name", PAGES)
def test_admin_pages_load_without_a_console_error(tab, live_server, name):
    visit(tab, live_server, PAGES[name]())
    assert tab.watch.problems == []
    assert tab.watch.outside == []


def test_the_change_page_adds_a_row_and_saves(tab, live_server):
    year = first_year()
    visit(tab, live_server, reverse("admin:programs_programyear_change", args=[year.pk]))
    rows = tab.locator("#activities-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    tab.locator("#activities-group .add-row a").click()  # inlines.js adds a row
    assert rows.count() == before + 1
    tab.locator(f"#id_activities-{before}-text").fill("브라우저에서 더한 사업내용")
    tab.locator(f"#id_activities-{before}-position").fill(str(before))
    with tab.expect_navigation():
        tab.locator('input[name="_continue"]').click()
    assert tab.watch.problems == []
    assert year.activities.filter(text="브라우저에서 더한 사업내용").exists()
    year.refresh_from_db()
    assert year.version == 2


def test_the_program_picker_searches(tab, live_server):
    visit(tab, live_server, reverse("admin:programs_programyear_add"))
    tab.locator(".field-program .select2-selection").click()  # autocomplete.js (Select2)
    # Opening asks for every program; typing before that answer arrives makes Select2 cancel
    # it (a request the page aborts, not one the server failed). Wait for it first.
    tab.locator(".select2-results__option:not(.loading-results)").first.wait_for()
    tab.locator(".select2-search__field").fill("도시")
    option = tab.locator(".select2-results__option", has_text="도시농업 활성화 지원")
    option.wait_for()
    assert tab.watch.problems == []
