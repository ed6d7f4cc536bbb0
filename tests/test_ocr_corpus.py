"""The OCR corpus: the samples' program reports printed through Chromium (as the paper tests
print them) and read back from their page images.

In the suite the three reports are read and scored as `manage.py score_ocr` scores them. Set
OCR_CORPUS to a folder to get every sample's printed report there, beside its expected JSON,
for `manage.py score_ocr FOLDER` (and `--scan`), the measure docs/benchmarks.md reports.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from programs import ocr
from programs.ocr.corpus import measure, text_layer
from programs.store import store_documents

from .conftest import SAMPLES, load

if not ocr.available():
    if os.environ.get("CI"):
        raise RuntimeError("Tesseract is missing: .ci/run installs tesseract-ocr-kor with apt-get")
    pytest.skip(
        "Tesseract with its Korean model (tesseract-ocr-kor) is missing", allow_module_level=True
    )

# A table row of figures: a label cell (blank under a label that prints its national part
# above), then cells of amounts and percentages only.
FIGURES_ROW = re.compile(r"[^\t]*(\t[△\d,.()]*)+")


@pytest.fixture
def printed(chromium, live_server, transactional_db, signed_in, tmp_path) -> dict[str, Path]:
    """Each sample's printed program report, by the sample's name."""
    folder = Path(os.environ.get("OCR_CORPUS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    signed_in(context)
    tab = context.new_page()
    reports = {}
    for path in SAMPLES:
        [year] = store_documents([load(path)])
        url = reverse("programs:report", args=[year.program_id]) + f"?year={year.fiscal_year}"
        assert tab.goto(live_server.url + url, wait_until="load").status == 200
        name = path.name.removesuffix(".expected.json")
        reports[name] = folder / f"{name}.pdf"
        reports[name].write_bytes(tab.pdf(format="A4", print_background=True))
        shutil.copy(path, folder / path.name)
    context.close()
    return reports


def test_a_printed_page_read_by_ocr_gives_the_figures_rows_of_its_text_layer(printed):
    data = printed["000_5073a130600540e8"].read_bytes()
    [page] = ocr.read_pdf_pages(data, [1])
    layer = text_layer(data).split(ocr.PAGE_BREAK)[0].splitlines()

    rows = [line for line in layer if FIGURES_ROW.fullmatch(line)]
    assert len(rows) >= 4  # 예산 총괄: 계 and three categories
    assert [row for row in rows if row not in page.text.splitlines()] == []
    assert page.skew == 0
    low = [word for word in page.words if word.confidence < 50]
    assert len(low) < len(page.words) / 5


def test_the_reports_read_by_ocr_at_200_dpi_give_95_percent_and_every_wrong_field_flagged(
    printed,
):
    """Issue 17's measure (`manage.py score_ocr`): of every field the three reports print,
    95% read right from their page images, and each wrong one named in a warning."""
    measures = [measure(path) for path in printed.values()]
    right, fields = sum(m.right for m in measures), sum(m.printed for m in measures)
    assert fields > 600 and right >= 0.95 * fields, (right, fields)
    assert {m.name: m.silent for m in measures} == {m.name: [] for m in measures}
