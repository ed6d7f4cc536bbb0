"""Round trip: the program reports of the samples and a department report of demo data,
printed by Chromium (as tests/test_report_pdf.py does), read back into their JSON.

Set REPORT_PDFS to a folder to keep the printed PDFs there."""

import copy
import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from programs.books import read_parts
from programs.demo import generate
from programs.documents import export_document
from programs.models import Department, Program, ProgramYear
from programs.parsing import parse_document
from programs.store import store_documents

from .conftest import SAMPLES, load


@pytest.fixture(scope="module")
def context(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    yield context
    context.close()


@pytest.fixture
def tab(context, live_server, transactional_db, signed_in):
    signed_in(context)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()


def print_pdf(tab, live_server, url: str, path: Path) -> bytes:
    response = tab.goto(live_server.url + url, wait_until="load")
    assert response.status == 200, url
    data = tab.pdf(format="A4", print_background=True)
    path.write_bytes(data)
    if os.environ.get("REPORT_PDFS"):
        shutil.copy(path, Path(os.environ["REPORT_PDFS"]) / path.name)
    return data


# What the report prints and reading gives back whole.
READ_BACK = (
    "title",
    "fiscal_year",
    "account",
    "period_type",
    "overview",
    "funding",
    "officers",
    "budget_total",
    "budget_summary",
    "cost_basis",
    "purpose",
    "legal_basis",
    "period",
    "activities",
    "delivery_method",
    "history",
    "contracts",
    "schedule",
    "performance",
    "expected_effects",
    "settlements",
)
# Not printed: the reading's own notes.
NOT_PRINTED = ("format", "warnings")


def _read_back(document: dict) -> dict:
    return {key: document.get(key) for key in READ_BACK}


def test_every_field_is_read_back_or_listed():
    text = SAMPLES[0].with_name(SAMPLES[0].name.replace(".expected.json", ".txt"))
    fields = set(parse_document(text.read_text("utf-8")))
    assert fields == set(READ_BACK) | set(NOT_PRINTED)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name.split(".")[0])
def test_a_printed_program_report_reads_back_into_its_json(tab, live_server, tmp_path, sample):
    expected = load(sample)
    store_documents([expected])
    program = Program.objects.get()
    url = reverse("programs:report", args=[program.pk])
    data = print_pdf(tab, live_server, url, tmp_path / f"{sample.name.split('.')[0]}.pdf")

    [part] = read_parts("report.pdf", data)
    assert part.error is None
    assert _read_back(part.document) == _read_back(
        expected | {"overview": expected.get("overview")}
    )


def test_a_department_report_reads_back_as_its_programs(tab, live_server, tmp_path):
    generate(programs=40, years=1, seed=3, first_year=2024)
    department = max(Department.objects.all(), key=lambda d: d.programs.count())
    url = reverse("programs:department_report", args=[department.pk]) + "?year=2024"
    data = print_pdf(tab, live_server, url, tmp_path / "department.pdf")

    years = ProgramYear.objects.with_sections().filter(program__department=department)
    exported = sorted((export_document(year) for year in years), key=lambda d: d["title"])
    parts = list(read_parts("department.pdf", data))
    assert [part.error for part in parts] == [None] * len(exported) and len(exported) > 2
    read = sorted((part.document for part in parts), key=lambda d: d["title"])
    assert [_read_back(document) for document in read] == [_read_back(d) for d in exported]


def test_tables_that_run_over_pages_read_back_whole(tab, live_server, tmp_path, sample_document):
    # 추진경위 of 57 events over two pages or more: each page repeats the table's header row
    long = copy.deepcopy(sample_document)
    long["history"] = [
        {
            "date": f"20{10 + n // 12}-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
            "end_date": None,
            "text": f"{n}차 협의체 구성과 공공기관 우선구매 설명회 개최"
            + " 및 참여 기업 모집" * (n % 3),
        }
        for n in range(57)
    ]
    long["contracts"] = []  # none among these events
    store_documents([long])
    program = Program.objects.get()
    data = print_pdf(
        tab, live_server, reverse("programs:report", args=[program.pk]), tmp_path / "long.pdf"
    )

    [part] = read_parts("long.pdf", data)
    assert part.error is None and part.document["history"] == long["history"]
    assert _read_back(part.document) == _read_back(export_document(program.years.get()))


def test_a_department_report_of_one_program_reads_as_that_program(tab, live_server, tmp_path):
    # its cover, contents and summary are left out as in a book of many
    generate(programs=40, years=1, seed=3, first_year=2024)
    department = min(Department.objects.all(), key=lambda d: (d.programs.count() or 99, d.pk))
    url = reverse("programs:department_report", args=[department.pk]) + "?year=2024"
    data = print_pdf(tab, live_server, url, tmp_path / "one.pdf")

    [year] = ProgramYear.objects.with_sections().filter(program__department=department)
    [part] = read_parts("one.pdf", data)
    assert part.error is None and part.pages.startswith("4-")
    assert _read_back(part.document) == _read_back(export_document(year))
