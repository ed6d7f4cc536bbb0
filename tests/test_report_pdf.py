"""The reports on paper: printed to PDF by Debian's Chromium (Playwright, `page.pdf`, as the
browser's own print does) against live_server, and read back with poppler (pdfinfo,
pdftotext, pdftoppm).

Set REPORT_SHOTS to a folder to get each printed page there as a PNG (60 dpi) to look at.
"""

import copy
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from programs import formatting
from programs.models import Department, Program
from programs.store import store_documents

from .conftest import SAMPLES, load

if not shutil.which("pdftotext"):
    if os.environ.get("CI"):
        raise RuntimeError("poppler-utils is missing: .ci/run installs it with apt-get")
    pytest.skip("poppler-utils is not installed", allow_module_level=True)

A4 = (210, 297)  # portrait, in mm
TITLE = "사회적경제지원센터 운영"
SECOND = "사회적경제 판로 지원"
SECTIONS = [
    "1 기본 현황",
    "□ 사업개요",
    "□ 사업 담당자",
    "2 예산 설명",
    "□ 예산 총괄",
    "□ 산출근거",
    "3 사업설명",
    "□ 사업목적",
    "□ 사업근거",
    "□ 사업내용",
    "□ 추진경위",
    "□ 2024년도 추진일정",
    "4 사업효과",
    "□ 최근 3년 추진실적",
    "□ 향후 기대효과",
    "5 최근 3년 결산 현황",
]
# Colours of static/js/charts.js: the current year's budget bars (category and trend
# charts), the current contract's bar (timeline) and the executed bars (trend).
CHART_COLOURS = {"current": (11, 92, 173), "contract": (11, 61, 107), "executed": (27, 127, 90)}
# Text only the charts draw: the timeline's first row and its end mark, the trend's top tick.
# On paper a chart is a picture, so none of it is in the PDF's text.
CHART_TEXT = ["1차 협약", "마지막 협약 종료 2024.1.22", "10,000,000"]
ROWS = """() => [...document.querySelectorAll(".report table.doc tr")].map(
  row => [...row.cells].map(cell => cell.innerText.trim()))"""


def run(*command: str | Path) -> str | bytes:
    return subprocess.run(command, capture_output=True, check=True).stdout


class Pdf:
    def __init__(self, path: Path):
        self.path = path
        info = run("pdfinfo", path).decode()
        self.page_count = int(re.search(r"Pages:\s+(\d+)", info)[1])
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
        self.page_size = tuple(float(side) * 25.4 / 72 for side in size)  # in mm
        text = run("pdftotext", "-layout", path, "-").decode()
        self.pages = text.split("\f")[: self.page_count]

    @property
    def flat(self) -> str:
        """The whole text with whitespace collapsed."""
        return " ".join(" ".join(self.pages).split())

    def pages_with(self, *words: str) -> list[int]:
        """The numbers of the pages that hold every one of `words` (whitespace collapsed)."""
        flat = [" ".join(text.split()) for text in self.pages]
        return [number for number, text in enumerate(flat, 1) if all(w in text for w in words)]

    def colour_count(self, rgb: tuple[int, int, int]) -> int:
        """Pixels of exactly this colour on the pages rendered at 50 dpi."""
        return run("pdftoppm", "-r", "50", self.path).count(bytes(rgb))

    def first_line(self, number: int) -> str:
        return next(line for line in self.pages[number - 1].splitlines() if line.strip())

    def shoot(self, name: str) -> None:
        folder = os.environ.get("REPORT_SHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            run("pdftoppm", "-png", "-r", "60", self.path, Path(folder) / f"report-{name}")


@pytest.fixture(scope="module")
def context(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    yield context
    context.close()


@pytest.fixture
def tab(context, live_server, transactional_db, signed_in, sample_document):
    """A signed-in tab; the samples stored, and a second program in the sample's department."""
    for path in SAMPLES:
        store_documents([load(path)])
    second = copy.deepcopy(sample_document)
    second["title"] = SECOND
    # Rows of two or three lines, enough to span pages: some page ends where one would split.
    second["history"] = [
        {"date": f"20{10 + index // 4}-{index % 12 + 1:02d}-01", "end_date": None, "text": text}
        for index, text in enumerate(
            f"{number}차 판로 지원 사업 추진 결과 보고 및 후속 조치 계획 수립, 민간 판로"
            f" 확대를 위한 협의체 구성과 공공기관 우선구매 설명회 {number}회 개최"
            + " 및 참여 기업 모집 공고"
            * (number % 3)
            for number in range(1, 49)
        )
    ]
    store_documents([second])
    signed_in(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.problems = []
    tab.on("console", lambda m: m.type in ("error", "warning") and tab.problems.append(m.text))
    tab.on("pageerror", lambda error: tab.problems.append(str(error)))
    yield tab
    tab.close()


def print_pdf(tab, live_server, url: str, path: Path) -> Pdf:
    response = tab.goto(live_server.url + url, wait_until="load")
    assert response.status == 200, url
    assert tab.problems == []
    # a bundle's contents are numbered once its layout is in (static/js/paged.js)
    tab.wait_for_function("!document.querySelector('.report[data-paged]:not([data-paged=done])')")
    path.write_bytes(tab.pdf(format="A4", print_background=True))
    return Pdf(path)


def assert_sections_in_order(pdf: Pdf, start: int = 0) -> int:
    """Every section heading, in order, from `start` in the flat text; returns where it ended."""
    position = start
    for heading in SECTIONS:
        found = pdf.flat.find(heading, position)
        assert found >= 0, f"{heading} (after {pdf.flat[position - 40 : position]!r})"
        position = found + len(heading)
    return position


def assert_no_row_is_cut(tab, pdf: Pdf) -> int:
    """Each table row's cells, by their first and last words, are all on one page."""
    rows = [row for row in tab.evaluate(ROWS) if any(row)]
    for row in rows:
        words = [word for cell in row for word in (cell.split()[:1] + cell.split()[-1:])]
        assert pdf.pages_with(*words), f"cut across pages: {row}"
    return len(rows)


def test_program_report_prints_on_a4_whole(tab, live_server, tmp_path):
    program = Program.objects.get(title=TITLE)
    url = reverse("programs:report", args=[program.pk]) + "?year=2024"
    pdf = print_pdf(tab, live_server, url, tmp_path / "program.pdf")
    pdf.shoot("program")

    assert pdf.page_size == pytest.approx(A4, abs=1)
    assert pdf.page_count <= 4
    assert_sections_in_order(pdf)
    for korean in (TITLE, "노동공정상생정책관", "민간위탁금", "2,577,216", "하정아", "2133-5478"):
        assert korean in pdf.flat
    assert "민간위탁 사업 추진 2024.1~2024.12 2,577,216 사회적경제지원센터 사업 추진" in pdf.flat

    # every page: the running head (program, department, print date) and its number
    printed = formatting.date(timezone.localdate())
    for number, text in enumerate(pdf.pages, 1):
        head = pdf.first_line(number)
        assert TITLE in head and "공정경제담당관" in head and f"출력 {printed}" in head
        assert re.search(rf"\b{number}\s*/\s*{pdf.page_count}\b", text), number
    # nothing to press or navigate on paper, and the print date once per page
    for screen_only in ("인쇄", "엑셀(XLSX)", "로그아웃", "사업 검색", "본문 바로가기"):
        assert screen_only not in pdf.flat
    assert pdf.flat.count(f"출력 {printed}") == pdf.page_count

    # the charts are drawn, as pictures: their bars' colours, and none of their text
    for chart_text in CHART_TEXT:
        assert chart_text not in pdf.flat
    for name, rgb in CHART_COLOURS.items():
        assert pdf.colour_count(rgb) > 200, name

    # no row cut across pages: the document's tables, and each history line in particular
    assert assert_no_row_is_cut(tab, pdf) > 40
    for event in program.years.get().history.all():
        words = event.text.split()
        assert pdf.pages_with(formatting.date(event.date), words[0], words[-1]), event


def test_department_report_prints_each_program_from_a_new_page(tab, live_server, tmp_path):
    department = Department.objects.get(name="공정경제담당관")
    url = reverse("programs:department_report", args=[department.pk]) + "?year=2024"
    pdf = print_pdf(tab, live_server, url, tmp_path / "department.pdf")
    pdf.shoot("department")

    # page 1 the cover, page 2 the contents, page 3 the summary with both programs and totals
    assert pdf.pages_with("목차") == [2]
    summary = " ".join(pdf.pages[2].split())
    assert "사업별 예산 요약" in summary
    assert f"{SECOND} 2,996,971 3,296,216 299,245 10 89.0 (2022)" in summary
    assert "계 (2개 사업) 5,993,942 6,592,432 598,490 10" in summary

    # then each program from the top of a page, under its own running head
    starts = {
        title: pdf.pages_with(f"2024년도 사업설명서 {title} 노동공정상생정책관")[0]
        for title in (SECOND, TITLE)
    }
    assert 3 < starts[SECOND] < starts[TITLE] <= pdf.page_count
    heads = [pdf.first_line(number).split("  ")[0] for number in range(4, pdf.page_count + 1)]
    gap = starts[TITLE] - starts[SECOND]
    assert heads == [SECOND] * gap + [TITLE] * (pdf.page_count - starts[TITLE] + 1)
    end = assert_sections_in_order(pdf)
    assert_sections_in_order(pdf, end)

    # the contents give each program the page its heading is printed on
    contents = " ".join(pdf.pages[1].split())
    assert re.search(r"사업별 예산 요약, 통계목별·회계별 합계 \.* ?3\b", contents)
    for title, page in starts.items():
        assert re.search(rf"{title} \.* ?{page}\b", contents), (title, page, contents)
    # and every page its number
    for number, text in enumerate(pdf.pages, 1):
        assert re.search(rf"\b{number}\s*/\s*{pdf.page_count}\b", text), number

    # a table that runs over pages repeats its header row on each
    history_pages = pdf.pages_with("판로 지원 사업 추진 결과 보고")
    assert len(history_pages) > 1
    for number in history_pages:
        assert re.search(r"^\s*일자\s+내용\s*$", pdf.pages[number - 1], re.M), number

    assert "1차 협약" not in pdf.flat  # the two timelines are pictures
    assert pdf.colour_count(CHART_COLOURS["contract"]) > 400
    assert_no_row_is_cut(tab, pdf)


def test_bureau_contents_give_each_program_its_printed_page(
    tab, live_server, tmp_path, sample_document
):
    # programs whose history tables run over pages by different lengths: a split table
    # repeats its header row on paper, which takes 53 rows to a page more
    titles = []
    for rows in (20, 53, 57):
        extra = copy.deepcopy(sample_document)
        extra["title"] = f"판로 지원 {rows}"
        extra["history"] = [
            {
                "date": f"20{10 + n // 12}-{n % 12 + 1:02d}-01",
                "end_date": None,
                "text": f"{n}차 "
                + "협의체 구성과 공공기관 우선구매 설명회 개최 및 참여 기업 모집 공고 "
                * (1 + n % 3),
            }
            for n in range(rows)
        ]
        store_documents([extra])
        titles.append(extra["title"])
    url = reverse("programs:bureau_report") + "?name=노동공정상생정책관&year=2024"
    pdf = print_pdf(tab, live_server, url, tmp_path / "bureau.pdf")
    pdf.shoot("bureau")

    contents = " ".join(pdf.pages[1].split())
    for title in [*titles, SECOND, TITLE]:
        page = pdf.pages_with(f"2024년도 사업설명서 {title} 노동공정상생정책관")[0]
        assert re.search(rf"{title} 공정경제담당관 \.* ?{page}\b", contents), (title, page)
    assert pdf.page_count > 15


def test_department_cover_reads_whole_on_its_a4_page(tab, live_server, tmp_path):
    department = Department.objects.get(name="공정경제담당관")
    url = reverse("programs:department_report", args=[department.pk]) + "?year=2024"
    pdf = print_pdf(tab, live_server, url, tmp_path / "cover.pdf")

    printed = formatting.date(timezone.localdate())
    cover = " ".join(pdf.pages[0].split())
    assert cover == (
        f"2024년도 사업설명서 노동공정상생정책관 공정경제담당관 사업 수 2개 "
        f"2024년 예산액 6,592,432천원 출력일 {printed} 1 / {pdf.page_count}"
    )
    # on paper nothing of the cover runs past its box, and the box fits the printed page
    tab.emulate_media(media="print")
    overflow = tab.evaluate(
        """() => {
          const cover = document.querySelector(".cover");
          const box = cover.getBoundingClientRect();
          const out = [...cover.querySelectorAll("*")].filter(element => {
            const r = element.getBoundingClientRect();
            return r.top < box.top || r.bottom > box.bottom || r.left < box.left
              || r.right > box.right || element.scrollWidth > element.clientWidth + 1;
          });
          return {height: box.height, out: out.map(element => element.outerHTML)};
        }"""
    )
    assert overflow["out"] == []
    mm = tab.evaluate(
        "() => { const d = document.createElement('div'); d.style.height = '100mm';"
        " document.body.append(d); const h = d.offsetHeight; d.remove(); return h / 100; }"
    )
    assert overflow["height"] <= (A4[1] - 12 - 14) * mm


def test_compare_page_prints_on_a4_whole(tab, live_server, tmp_path, sample_document):
    later = copy.deepcopy(sample_document)
    later["fiscal_year"] = 2025
    later["purpose"] += (
        " 및 사회적경제기업의 공공조달 참여 확대를 위한 판로 다각화와 전문 컨설팅 강화"
    )
    for row in later["budget_summary"]:
        row["prior"], row["current"] = row["current"], row["current"] + 123_456
    later["history"] = later["history"][:-2]
    store_documents([later])
    program = Program.objects.get(title=TITLE)
    url = reverse("programs:compare", args=[program.pk]) + "?from=2024&to=2025"
    pdf = print_pdf(tab, live_server, url, tmp_path / "compare.pdf")
    pdf.shoot("compare")

    assert pdf.page_size == pytest.approx(A4, abs=1)
    assert 1 <= pdf.page_count <= 4
    assert f"{TITLE}: 2024년과 2025년 사업설명서 비교" in pdf.flat
    for screen_only in ("이전 문서", "이후 문서", "인쇄", "로그아웃", "사업 검색"):
        assert screen_only not in pdf.flat
    for number, text in enumerate(pdf.pages, 1):
        assert re.search(rf"\b{number}\s*/\s*{pdf.page_count}\b", text), number
    # every row whole on one page, and no cell's text runs past its column or the page
    rows = tab.evaluate(
        """() => [...document.querySelectorAll("table.compare tr")].map(
          row => [...row.cells].map(cell => cell.innerText.trim()))"""
    )
    assert len(rows) > 10
    for row in rows:
        words = [word for cell in row for word in (cell.split()[:1] + cell.split()[-1:])]
        assert pdf.pages_with(*words), f"cut across pages: {row}"
    tab.emulate_media(media="print")
    overflowing = tab.evaluate(
        """() => [...document.querySelectorAll("table.compare td, table.compare th, main")]
          .filter(cell => cell.scrollWidth > cell.clientWidth + 1)
          .map(cell => cell.outerHTML.slice(0, 120))"""
    )
    assert overflowing == []
    assert "및 사회적경제기업의 공공조달 참여 확대를 위한" in pdf.flat


@pytest.mark.parametrize("name", ["overview", "program"])
def test_every_page_prints_without_navigation(tab, live_server, tmp_path, name):
    program = Program.objects.get(title=TITLE)
    url = {
        "overview": reverse("programs:overview") + "?year=2024",
        "program": reverse("programs:detail", args=[program.pk]),
    }[name]
    pdf = print_pdf(tab, live_server, url, tmp_path / f"{name}.pdf")
    for screen_only in (
        "로그아웃",
        "사업 검색",
        "자료 입력(관리)",
        "인쇄용 보고서",
        "본문 바로가기",
    ):
        assert screen_only not in pdf.flat
    assert pdf.page_size == pytest.approx(A4, abs=1)
    assert f"출력 {formatting.date(timezone.localdate())}" in pdf.pages[0]
    assert re.search(rf"\b1\s*/\s*{pdf.page_count}\b", pdf.pages[0])
    assert pdf.colour_count(CHART_COLOURS["current"]) > 200  # charts redrawn for paper


@pytest.mark.parametrize("name", ["program", "department"])
def test_report_pages_pass_axe(tab, live_server, name):
    program = Program.objects.get(title=TITLE)
    url = {
        "program": reverse("programs:report", args=[program.pk]),
        "department": reverse("programs:department_report", args=[program.department_id]),
    }[name]
    assert tab.goto(live_server.url + url, wait_until="load").status == 200
    assert tab.problems == []
    assert tab.locator("h1").count() == 1
    serious = [
        f"{violation['id']}: {violation['help']} {[node['target'] for node in violation['nodes']]}"
        for violation in Axe().run(tab).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
