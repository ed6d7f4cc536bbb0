"""Scanned pages kept with an import job: the page image OCR read beside each warning that names
one of its lines (the line boxed, a doubtful one marked), served only to the job's owner, and
reading a scan reported page by page on the job's page."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from programs import imports, jobs, ocr, roles
from programs.models import ImportJob, ImportResult, ScanPage, StagedImport
from programs.ocr.layout import OcrLine
from programs.ocr.tesseract import DOUBTFUL, Word

from .conftest import ROOT
from .test_admin_import import URL, confirm_data
from .test_jobs import job_url, monkeypatch_tasks_off
from .test_ocr import needs_tesseract
from .test_pdf_layouts import Layout, _text

pytestmark = pytest.mark.django_db

SAMPLE = ROOT / "samples" / "000_5073a130600540e8.txt"
LINE_HEIGHT = 20  # pixels a line of the drawn page takes
DOUBTFUL_LINE = 32  # the sample's budget total row (1-based): read with a doubtful word
RED = (200, 30, 30)


def drawn_page(text: str, doubtful_line: int, number: int = 1) -> ocr.OcrPage:
    """What OCR gives for a page printing `text`: one word a cell, each line a band of the
    image; the words of one line (1-based, on the page) read with confidence 41, the others
    with 95."""
    lines = []
    for index, row in enumerate(text.split("\n")):
        top, confidence = index * LINE_HEIGHT, 41.0 if index + 1 == doubtful_line else 95.0
        cells = tuple(
            (Word(10 + 200 * column, top + 2, 150, 16, confidence, cell),) if cell else ()
            for column, cell in enumerate(row.split("\t"))
        )
        lines.append(OcrLine(top, cells))
    picture = Image.new("L", (1000, len(lines) * LINE_HEIGHT), 255)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return ocr.OcrPage(number, text, lines, buffer.getvalue(), skew=-0.3, seconds=2.5)


@pytest.fixture
def fake_ocr(monkeypatch):
    """Tesseract's part stood in for: an uploaded PNG is read as a page printing the sample."""
    text = SAMPLE.read_text(encoding="utf-8")
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "read_images", lambda data: [drawn_page(text, DOUBTFUL_LINE)])


def scan_urls(page: str) -> list[str]:
    return re.findall(r'<img loading="lazy" src="([^"]+/import/\d+/scans/[^"]+)"', page)


def upload_scan(client, data: bytes = b"scan") -> str:
    file = SimpleUploadedFile("스캔.png", data)
    return client.post(URL, {"file": [file]}, follow=True).content.decode()


def test_a_scans_pages_are_kept_with_its_result_and_preview(admin_client, fake_ocr):
    upload_scan(admin_client)
    job = ImportJob.objects.get()
    [page] = ScanPage.objects.all()
    assert (page.result, page.staged, page.document) == (job.results.get(), job.staged, 0)
    assert (page.number, page.first_line, page.skew, page.seconds) == (1, 1, -0.3, 2.5)
    assert bytes(page.image).startswith(b"\x89PNG")
    assert (page.width, page.height) == (1000, len(page.lines) * LINE_HEIGHT)
    assert page.lines[DOUBTFUL_LINE - 1] == [210, 622, 960, 638, 41.0]  # its first cell blank
    assert page.lines[0] == [10, 2, 160, 18, 95.0]


def test_each_warning_naming_a_line_shows_it_on_the_page_and_marks_a_doubtful_one(
    admin_client, fake_ocr
):
    page = upload_scan(admin_client)
    [scan] = ScanPage.objects.all()
    strip = reverse(
        "admin:programs_programyear_import_scan_line",
        args=[scan.result.job_id, scan.pk, DOUBTFUL_LINE - 1],
    )
    # The total's figures read with confidence 41: each named, beside its line, marked doubtful.
    doubts = re.findall(
        r"budget_total\.\w+ \(1쪽, 32행\): OCR 신뢰도 41%.*?</li>", page, flags=re.DOTALL
    )
    assert doubts
    for doubt in doubts:
        assert f'<img loading="lazy" src="{strip}"' in doubt
        assert 'class="scan-line doubtful"' in doubt
        assert "원본 1쪽, 32행 (빨간 상자)" in doubt
        assert "OCR 신뢰도 낮음 41%" in doubt
    # Every reader's note that names a line has its page beside it; the checks' findings don't.
    notes = re.findall(r"<li class=\"\w+\"><strong>읽기</strong>(.*?)</li>", page, re.DOTALL)
    naming = [note for note in notes if re.search(r"\d+행", note.split("<figure")[0])]
    assert naming and all("<figure" in note for note in naming)
    assert len(scan_urls(page)) == len(naming)
    assert "css/import-scan.css" in page


def test_a_line_of_a_later_page_is_shown_on_that_page(admin_client, monkeypatch):
    rows = SAMPLE.read_text(encoding="utf-8").split("\n")
    first, second = "\n".join(rows[:20]), "\n".join(rows[20:])
    pages = [drawn_page(first, 0), drawn_page(second, DOUBTFUL_LINE - 20, number=2)]
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "read_images", lambda data: pages)
    page = upload_scan(admin_client)
    one, two = ScanPage.objects.all()
    assert [(one.number, one.first_line), (two.number, two.first_line)] == [(1, 1), (2, 21)]
    strip = reverse(
        "admin:programs_programyear_import_scan_line",
        args=[two.result.job_id, two.pk, DOUBTFUL_LINE - 21],
    )
    [doubt, *_] = re.findall(r"\(2쪽, 32행\): OCR 신뢰도 41%.*?</li>", page, flags=re.DOTALL)
    assert f'<img loading="lazy" src="{strip}"' in doubt and "원본 2쪽, 32행" in doubt


def test_the_strip_boxes_the_line_and_the_whole_page_is_the_kept_image(admin_client, fake_ocr):
    upload_scan(admin_client)
    [scan] = ScanPage.objects.all()
    job_id = scan.result.job_id
    url = reverse(
        "admin:programs_programyear_import_scan_line", args=[job_id, scan.pk, DOUBTFUL_LINE - 1]
    )
    response = admin_client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    strip = Image.open(io.BytesIO(response.content))
    # Two lines' heights and the box's margin (38 px) above and below the line, twice that
    # left and right of it (up to the page's edge).
    context = 2 * 16 + 6
    assert strip.size == (1000 - (210 - 2 * context), 16 + 2 * context)
    assert strip.getpixel((2 * context - 6, context)) == RED  # the box's left edge
    assert strip.getpixel((2 * context + 300, context + 8)) == (255, 255, 255)  # not hidden
    whole = admin_client.get(
        reverse("admin:programs_programyear_import_scan", args=[job_id, scan.pk])
    )
    assert whole.content == bytes(scan.image)
    beyond = reverse(
        "admin:programs_programyear_import_scan_line", args=[job_id, scan.pk, len(scan.lines)]
    )
    assert admin_client.get(beyond).status_code == 404


def test_the_page_images_are_refused_to_anyone_but_the_jobs_owner(
    admin_client, fake_ocr, django_user_model, client
):
    upload_scan(admin_client)
    [scan] = ScanPage.objects.all()
    job_id = scan.result.job_id
    urls = [
        reverse("admin:programs_programyear_import_scan", args=[job_id, scan.pk]),
        reverse("admin:programs_programyear_import_scan_line", args=[job_id, scan.pk, 0]),
    ]
    assert [admin_client.get(url).status_code for url in urls] == [200, 200]
    # A page is reached only through its own job.
    elsewhere = reverse("admin:programs_programyear_import_scan", args=[job_id + 1, scan.pk])
    assert admin_client.get(elsewhere).status_code == 404
    other = django_user_model.objects.create_superuser("other", "", "x")
    client.force_login(other)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    viewer = django_user_model.objects.create_user("viewer")
    roles.assign(viewer, roles.VIEWER)
    client.force_login(viewer)
    assert [client.get(url).status_code for url in urls] == [403, 403]


def test_the_pages_go_with_the_preview_when_it_is_stored(admin_client, fake_ocr):
    page = upload_scan(admin_client)
    assert ScanPage.objects.count() == 1
    admin_client.post(URL, confirm_data(page))
    assert ImportJob.objects.get().status == ImportJob.Status.STORED
    assert ScanPage.objects.count() == 0


def test_the_pages_go_with_an_expired_preview_the_result_stays(admin_client, fake_ocr):
    upload_scan(admin_client)
    StagedImport.objects.update(expires=timezone.now() - timedelta(seconds=1))
    imports.clean_expired()
    assert (ScanPage.objects.count(), ImportResult.objects.count()) == (0, 1)


def test_a_text_document_keeps_no_pages(admin_client):
    file = SimpleUploadedFile("000.txt", SAMPLE.read_bytes())
    page = admin_client.post(URL, {"file": [file]}, follow=True).content.decode()
    assert "읽기</strong>" in page and "<figure" not in page
    assert ScanPage.objects.count() == 0


# ---------------------------------------------------------------- with Tesseract


def scanned_pages(count: int) -> list[Image.Image]:
    """The first pages of a sample printed without running heads, rendered at 200 dpi."""
    import pypdfium2

    plain = Layout("NanumGothic.ttf", 8, True, "", "- {page} -")
    sample = ROOT / "samples" / "002_new_youth_housing.expected.json"
    pdf = pypdfium2.PdfDocument(plain.write([_text(sample)]))
    try:
        return [
            pdf[index].render(scale=200 / 72, grayscale=True).to_pil() for index in range(count)
        ]
    finally:
        pdf.close()


@needs_tesseract
def test_a_scanned_png_is_shown_page_beside_warnings_through_the_real_reader(admin_client):
    buffer, [scanned] = io.BytesIO(), scanned_pages(1)
    scanned.save(buffer, format="PNG", dpi=(200, 200))
    page = upload_scan(admin_client, buffer.getvalue())
    [scan] = ScanPage.objects.all()
    assert (scan.number, scan.width, scan.height) == (1, *scanned.size)
    assert len(scan.lines) > 20
    urls = scan_urls(page)
    assert urls, "OCR's doubts name lines of the page: each is shown"
    assert "OCR 신뢰도 낮음" in page
    assert any(line[4] < DOUBTFUL for line in scan.lines)
    response = admin_client.get(urls[0])
    assert response["Content-Type"] == "image/png"
    strip = Image.open(io.BytesIO(response.content))
    assert strip.width <= scanned.width and strip.height < scanned.height / 4


@needs_tesseract
def test_reading_a_scanned_pdf_shows_its_progress_page_by_page(admin_client, monkeypatch):
    images = scanned_pages(2)
    scan = io.BytesIO()
    images[0].save(scan, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    with monkeypatch_tasks_off():
        admin_client.post(URL, {"file": [SimpleUploadedFile("스캔.pdf", scan.getvalue())]})
    job = ImportJob.objects.get()
    shown = []
    read_image = ocr.read_image

    def watched(*args, **kwargs):
        shown.append(admin_client.get(job_url(job)).content.decode())
        return read_image(*args, **kwargs)

    monkeypatch.setattr(jobs, "FLUSH_EVERY", 0)
    monkeypatch.setattr(ocr, "read_image", watched)
    jobs.read(job.pk, job.attempt)
    # Before the second page is read, the first is counted on the job's page.
    assert "읽는 파일 1/2" in shown[1]
    assert '<progress value="1" max="2">' in shown[1]
    assert '<meta http-equiv="refresh" content="2">' in shown[1]
    assert "읽는 파일 0/2" not in shown[0] and len(shown) == 2
