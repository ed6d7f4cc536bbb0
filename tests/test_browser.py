"""The pages in a real browser: Debian's Chromium, driven by Playwright, against live_server.

One browser and one tab for the module; each test stores the samples and signs in again,
since live_server tests empty the database after each test.
"""

import io
from pathlib import Path

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from programs.models import Program
from programs.store import store_documents

from .conftest import SAMPLES, load

SERIOUS = {"serious", "critical"}


class Watch:
    """What went wrong while a page loaded: console errors, failed or outside requests."""

    def __init__(self, tab, origin: str):
        self.origin = origin
        self.problems: list[str] = []
        self.requests: list[str] = []
        tab.on("console", self._console)
        tab.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        tab.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        tab.on("response", self._response)
        tab.on("request", lambda request: self.requests.append(request.url))

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")

    def clear(self) -> None:
        self.problems.clear()
        self.requests.clear()

    @property
    def outside(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.origin)]


@pytest.fixture(scope="module")
def browser_context(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 1366, "height": 768}, locale="ko-KR", accept_downloads=True
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    watch = Watch(tab, live_server.url)
    yield context, tab, watch
    context.close()


@pytest.fixture
def tab(browser_context, transactional_db, signed_in):
    """The module's tab, signed in as a staff member, with the samples stored."""
    for path in SAMPLES:
        store_documents([load(path)])
    context, tab, watch = browser_context
    signed_in(context)
    watch.clear()
    tab.watch = watch
    return tab


def visit(tab, live_server, url: str) -> None:
    response = tab.goto(live_server.url + url, wait_until="load")
    assert response.status == 200, url


def detail(title: str) -> str:
    return reverse("programs:detail", args=[Program.objects.get(title=title).pk])


def titles(tab) -> list[str]:
    return tab.locator("table.list tbody td:nth-child(2) a").all_inner_texts()


def compare_url() -> str:
    """The compare page of the sample and a 2025 copy with a budget and a text changed."""
    document = load(SAMPLES[0])
    document["fiscal_year"] = 2025
    document["purpose"] += " 및 확대"
    store_documents([document])
    program = Program.objects.get(title=document["title"])
    return reverse("programs:compare", args=[program.pk]) + "?from=2024&to=2025"


PAGES = {
    "overview": lambda: reverse("programs:overview"),
    "overview-2024": lambda: reverse("programs:overview") + "?year=2024",
    "overview-in-units": lambda: reverse("programs:overview") + "?year=2024&unit=억원",
    "list": lambda: reverse("programs:list") + "?year=",
    "program-000": lambda: detail("사회적경제지원센터 운영"),
    "program-001": lambda: detail("도시농업 활성화 지원"),
    "program-002": lambda: detail("청년 주거비 지원"),
    "contracts": lambda: reverse("programs:contracts"),
    "contracts-ending": lambda: reverse("programs:contracts") + "?ending=12&link=gap",
    "compare": compare_url,
    "program-of-years": lambda: compare_url().split("compare/")[0],
}


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_and_passes_axe(tab, live_server, name):
    visit(tab, live_server, PAGES[name]())
    assert tab.watch.problems == []
    assert tab.watch.outside == []
    assert tab.locator("h1").count() == 1
    results = Axe().run(tab)
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        f" {[node['target'] for node in violation['nodes']]}"
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert serious == []


INK = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked += 1;
  return inked / (canvas.width * canvas.height);
}"""


@pytest.mark.parametrize(
    ("url", "charts"),
    [
        (lambda: detail("사회적경제지원센터 운영"), 3),
        (lambda: detail("도시농업 활성화 지원"), 3),
        # issue 15: the budget by 통계목 across three years (1 more)
        (lambda: compare_url().split("compare/")[0], 4),
        # issue 15: the five years' totals (1 more)
        (lambda: reverse("programs:overview") + "?year=2024", 3),
        (lambda: reverse("programs:overview") + "?year=2024&unit=백만원", 3),
    ],
    ids=["program-000", "program-001", "program-of-years", "overview", "overview-in-units"],
)
def test_every_chart_is_drawn(tab, live_server, url, charts):
    visit(tab, live_server, url())
    canvases = tab.locator("canvas[data-chart]")
    assert canvases.count() == charts
    for index in range(charts):
        canvas = canvases.nth(index)
        assert canvas.evaluate("canvas => canvas.width") > 0
        # axes, labels and bars cover well over 2% of a drawn chart; a blank one has 0
        assert canvas.evaluate(INK) > 0.02, canvas.get_attribute("id")


def test_the_overviews_charts_name_the_chosen_unit(tab, live_server):
    visit(tab, live_server, reverse("programs:overview") + "?year=2024&unit=백만원")
    titles = tab.evaluate(
        """() => ["recent-chart", "bureau-chart", "category-chart"].map((id) => {
          const chart = Chart.getChart(id);
          const axis = chart.options.indexAxis === "y" ? "x" : "y";
          return [chart.config.type, chart.options.scales[axis].title.text];
        })"""
    )
    assert titles == [["bar", "백만원"]] * 3
    tooltip = tab.evaluate(
        """() => {
          const chart = Chart.getChart("recent-chart");
          const item = { dataset: chart.data.datasets[0], raw: 5104 };
          return chart.options.plugins.tooltip.callbacks.label(item);
        }"""
    )
    assert tooltip == "예산액 합계: 5,104백만원"
    assert tab.watch.problems == []


def test_the_program_pages_category_years_chart_stacks_every_category(tab, live_server):
    compare_url()  # a 2025 document: the program's budgets now span 2023 to 2025
    visit(tab, live_server, detail("사회적경제지원센터 운영"))
    stacked = tab.evaluate(
        """() => {
          const chart = Chart.getChart("category-years-chart");
          return [chart.data.labels, chart.data.datasets.length, chart.options.scales.y.stacked];
        }"""
    )
    rows = tab.locator("table.doc-category-years tbody tr").count()
    assert stacked[0] == ["2023년", "2024년", "2025년"]
    assert stacked[1] == rows - 1  # every category, not the 계 row
    assert stacked[2] is True
    assert tab.watch.problems == []


def test_sorting_changes_the_rows(tab, live_server):
    visit(tab, live_server, reverse("programs:list") + "?year=")
    assert titles(tab) == ["사회적경제지원센터 운영", "청년 주거비 지원", "도시농업 활성화 지원"]
    tab.get_by_role("link", name="예산액(B)").click()
    tab.wait_for_url("**sort=current**")
    assert titles(tab) == ["도시농업 활성화 지원", "사회적경제지원센터 운영", "청년 주거비 지원"]
    tab.get_by_role("link", name="예산액(B)").click()
    tab.wait_for_url("**sort=-current**")
    assert titles(tab) == ["청년 주거비 지원", "사회적경제지원센터 운영", "도시농업 활성화 지원"]
    assert tab.locator("th[aria-sort=descending]").inner_text().startswith("예산액(B)")


def test_filtering_changes_the_rows(tab, live_server):
    visit(tab, live_server, reverse("programs:list"))
    assert titles(tab) == ["청년 주거비 지원"]  # the latest year
    tab.select_option("#id_year", "2024")
    tab.select_option("#id_category", "시설비")
    tab.get_by_role("button", name="거르기").click()
    tab.wait_for_url("**category=**")
    assert titles(tab) == ["사회적경제지원센터 운영"]
    tab.select_option("#id_year", "")
    tab.select_option("#id_category", "")
    tab.fill("#id_q", "도시농업")
    tab.get_by_role("button", name="거르기").click()
    tab.wait_for_url("**q=**")
    assert titles(tab) == ["도시농업 활성화 지원"]


def test_the_download_is_an_xlsx_of_the_filtered_sorted_rows(tab, live_server):
    visit(tab, live_server, reverse("programs:list") + "?year=2024&account=일반회계&sort=-change")
    shown = titles(tab)
    assert shown == ["사회적경제지원센터 운영", "도시농업 활성화 지원"]
    with tab.expect_download() as download:
        tab.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "programs-2024.xlsx"
    content = Path(download.value.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.values)
    assert rows[0][1] == "사업명"
    assert [row[1] for row in rows[1:]] == shown
    assert [row[7] for row in rows[1:]] == [299245, 109500]


def test_the_outcomes_table_opens_on_its_latest_years(tab, live_server):
    size = tab.viewport_size
    tab.set_viewport_size({"width": 420, "height": 800})
    try:
        visit(tab, live_server, detail("도시농업 활성화 지원"))
        box = tab.locator("[data-scroll-end]").first
        overflow, left = box.evaluate("b => [b.scrollWidth - b.clientWidth, b.scrollLeft]")
    finally:
        tab.set_viewport_size(size)
    assert overflow > 0
    assert left >= overflow - 1
    assert tab.watch.problems == []
