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


def test_a_long_section_opens_adds_a_row_and_saves(tab, live_server):
    document = load(SAMPLES[0])
    document["history"] = [{"date": "2020-01", "text": f"경위 {i}"} for i in range(40)]
    (year,) = store_documents([document])
    cost_items = year.cost_items.count()
    visit(tab, live_server, reverse("admin:programs_programyear_change", args=[year.pk]))
    rows = tab.locator("#history-group tbody tr.form-row:not(.empty-form)")
    assert rows.count() == 0  # closed: 40 rows are more than the page renders at once
    tab.locator("details:has(.closed-section) summary", has_text="추진경위 (40행)").click()
    rows.first.wait_for()
    assert rows.count() == 40
    assert tab.locator(".save-bar .unsaved").inner_text() == "바뀐 값 없음"  # loaded, not typed
    tab.locator("#history-group .add-row a").click()  # inlines.js made the loaded rows live
    tab.locator("#id_history-40-date").fill("2024-05")
    tab.locator("#id_history-40-text").fill("브라우저에서 더한 경위")
    tab.locator("#id_history-40-position").fill("40")
    with tab.expect_navigation():
        tab.locator('input[name="_continue"]').click()
    assert tab.watch.problems == []
    assert year.history.count() == 41
    assert year.history.get(position=40).text == "브라우저에서 더한 경위"
    assert year.cost_items.count() == cost_items


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


# ---------------------------------------------------------------- data entry (issue 14)


def seed_year() -> ProgramYear:
    """The sample 000: 사회적경제지원센터 운영, 2024."""
    return ProgramYear.objects.get(program__title="사회적경제지원센터 운영")


def seed_change_url() -> str:
    return reverse("admin:programs_programyear_change", args=[seed_year().pk])


WIDE = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_the_change_page_fits_the_screen_without_sideways_scrolling(tab, live_server):
    visit(tab, live_server, seed_change_url())
    assert tab.evaluate(WIDE) == 0
    assert tab.locator(".section-jump a").count() == 13
    tab.set_viewport_size({"width": 390, "height": 844})
    try:
        assert tab.evaluate(WIDE) == 0  # the wide sections scroll inside their own box
    finally:
        tab.set_viewport_size({"width": 1366, "height": 900})


def test_typing_an_amount_recomputes_the_figures_and_checks_before_saving(tab, live_server):
    visit(tab, live_server, seed_change_url())
    row = tab.locator("#budget_lines-0")
    assert row.locator("[name='budget_lines-0-category']").input_value() == "공공운영비"
    amount = row.locator("[name='budget_lines-0-current']")
    assert amount.input_value() == "654,000"
    amount.fill("700,000")
    assert row.locator(".field-change_display p").inner_text() == "146,000"
    # (700,000 − 554,000) × 100 / 554,000 = 26.35…: 26 as the document prints it
    assert row.locator(".field-change_pct_display p").inner_text() == "26"
    total = tab.locator(".field-budget_total_display .readonly").inner_text()
    assert total == "전년도 2,996,971 → 당해연도 3,342,216"
    live = tab.locator("#live-findings").inner_text()
    assert "산출근거: 공공운영비 항목 합계 654,000 ≠ 예산 700,000" in live
    assert "사업비 총액 3,296,216 ≠ 예산 총괄 예산액(B) 3,342,216" in live
    assert tab.locator(".save-bar .unsaved").inner_text() == "저장하지 않은 변경 1개"
    amount.blur()
    assert amount.input_value() == "700,000"
    assert tab.watch.problems == []


def test_a_save_with_a_reason_shows_it_in_the_history_by_category(tab, live_server):
    visit(tab, live_server, seed_change_url())
    tab.locator("[name='budget_lines-0-current']").fill("700000")
    tab.locator("[name='change_reason']").fill("2차 추경 반영")
    with tab.expect_navigation():
        tab.locator('input[name="_continue"]').click()
    assert BudgetLine_current("공공운영비") == 700000
    visit(tab, live_server, reverse("admin:programs_programyear_history", args=[seed_year().pk]))
    history = tab.locator(".year-history").inner_text()
    assert "2차 추경 반영" in history
    assert "예산 총괄: 공공운영비 당해연도 예산(B)" in history


def BudgetLine_current(category: str) -> int:
    return seed_year().budget_lines.get(category=category).current


def test_the_save_bar_stays_in_reach_while_scrolling(tab, live_server):
    visit(tab, live_server, seed_change_url())
    height = tab.viewport_size["height"]
    for fraction in (0.1, 0.5, 0.8):
        tab.evaluate(f"window.scrollTo(0, document.body.scrollHeight * {fraction})")
        box = tab.locator(".save-bar").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, fraction
        assert tab.locator('.save-bar input[name="_save"]').is_visible()


def test_the_change_page_passes_axe(tab, live_server):
    from axe_playwright_python.sync_playwright import Axe

    from .test_browser import SERIOUS

    visit(tab, live_server, seed_change_url())
    results = Axe().run(tab)
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        f" {[node['target'][:3] for node in violation['nodes'][:3]]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert serious == []


@pytest.mark.parametrize("role", [roles.VIEWER, roles.EDITOR])
def test_others_see_no_edit_link_and_korean_error_pages(
    admin_tab, live_server, transactional_db, django_user_model, signed_in, role
):
    for path in SAMPLES:
        store_documents([load(path)])
    user = django_user_model.objects.create_user("other")
    other = Department.objects.exclude(pk=seed_year().program.department_id).first()
    roles.assign(user, role, [other] if role == roles.EDITOR else [])
    context, tab = admin_tab
    signed_in(context, user)
    program = seed_year().program
    visit(tab, live_server, reverse("programs:detail", args=[program.pk]))
    assert tab.get_by_text("관리 화면에서 수정").count() == 0
    assert tab.locator(f"a[href='{seed_change_url()}']").count() == 0
    forbidden = (
        "admin:programs_programyear_import"
        if role == roles.VIEWER
        else "admin:auth_user_changelist"
    )
    for url, status, heading in (
        (
            reverse("programs:detail", args=[program.pk]) + "?year=1999",
            404,
            "찾는 페이지가 없습니다",
        ),
        (reverse(forbidden), 403, "권한이 없습니다"),
    ):
        response = tab.goto(live_server.url + url, wait_until="load")
        assert response.status == status, url
        assert tab.locator("h1").inner_text() == heading
        assert tab.locator(".site-nav a").count() >= 2  # the site's navigation
        background = tab.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        assert background not in ("", "rgba(0, 0, 0, 0)"), url  # site.css applied
