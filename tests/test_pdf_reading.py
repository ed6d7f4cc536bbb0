"""PDF input wherever a document is read, and the PDFs refused with a reason in Korean."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fpdf import FPDF
from PIL import Image

from programs import ocr, pdfs
from programs.documents import DocumentError
from programs.models import Program
from programs.sources import read_documents

from .conftest import ROOT, load
from .test_pdf_layouts import LAYOUTS, Layout, _text

GOTHIC = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"
SAMPLE = ROOT / "samples" / "001_urban_agriculture.expected.json"


def _fpdf(text: str = "", *, image: bool = False, password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.add_font("gothic", fname=GOTHIC)
    pdf.set_font("gothic", size=11)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    if image:
        pdf.image(Image.new("L", (400, 200), 200), x=10, y=10, w=150)
    for line in text.splitlines():
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return LAYOUTS["ruled-gothic"].write([_text(SAMPLE)])


def _fields(document: dict) -> dict:
    """The fields the sample's expected JSON holds (it has no `warnings`, some no `overview`)."""
    return {key: document.get(key) for key in load(SAMPLE) if key != "warnings"}


def test_a_pdf_reads_like_its_text(sample_pdf):
    [document] = read_documents("도시농업.pdf", sample_pdf)
    assert _fields(document) == _fields(load(SAMPLE))


def test_a_pdf_is_known_by_its_first_bytes_whatever_its_name(sample_pdf):
    [document] = read_documents("upload.txt", sample_pdf)
    assert document["title"] == "도시농업 활성화 지원"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "빈 파일입니다 (0바이트)"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "손상된 PDF입니다"),
        (_fpdf("비밀 문서", password="secret"), "암호가 걸린 PDF입니다"),
        (_fpdf(image=True), "텍스트가 없는 PDF(스캔)입니다 (1쪽 모두 글자 없음)"),
        (_fpdf("회의록\n참석자: 김철수, 이영희\n안건: 예산 검토"), "사업설명서가 아닙니다"),
    ],
    ids=["empty", "corrupt", "encrypted", "scanned", "something-else"],
)
def test_an_unreadable_pdf_is_refused_with_its_reason(data, message, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)  # a scan is refused without OCR
    with pytest.raises(DocumentError) as refused:
        read_documents("문서.pdf", data)
    assert message in str(refused.value)


@pytest.mark.skipif(not ocr.available(), reason="Tesseract와 한국어 모델이 없습니다")
def test_a_scan_of_something_else_is_read_by_ocr_and_refused_as_no_document():
    with pytest.raises(DocumentError) as refused:
        read_documents("문서.pdf", _fpdf(image=True))
    assert "사업설명서가 아닙니다" in str(refused.value)
    assert "OCR" in str(refused.value)


def test_a_cut_off_pdf_is_refused_as_corrupt(sample_pdf):
    with pytest.raises(DocumentError, match="손상된 PDF입니다"):
        read_documents("문서.pdf", sample_pdf[: len(sample_pdf) // 2])


def test_pages_without_text_are_the_ones_ocr_would_read():
    with pdfs.open_pdf(_fpdf(image=True)) as pdf:
        rows = [pdfs.page_rows(page) for page in pdf]
    assert pdfs.pages_without_text(rows) == [1]


def test_progress_counts_the_pages_read(sample_pdf):
    calls = []
    pages = pdfs.read_pages(sample_pdf, lambda done, total: calls.append((done, total)))
    assert calls == [(number, len(pages)) for number in range(1, len(pages) + 1)]
    assert len(pages) > 1


def test_parse_document_prints_a_pdfs_json(tmp_path, sample_pdf, capsys):
    path = tmp_path / "sample.pdf"
    path.write_bytes(sample_pdf)
    call_command("parse_document", str(path))
    assert _fields(json.loads(capsys.readouterr().out)) == _fields(load(SAMPLE))


def test_parse_document_refuses_a_scanned_pdf_without_ocr(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    path = tmp_path / "scan.pdf"
    path.write_bytes(_fpdf(image=True))
    with pytest.raises(CommandError, match="텍스트가 없는 PDF") as refused:
        call_command("parse_document", str(path))
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_import_documents_stores_a_pdf_and_nothing_of_a_refused_one(tmp_path, sample_pdf):
    (tmp_path / "a.pdf").write_bytes(sample_pdf)
    (tmp_path / "b.pdf").write_bytes(_fpdf("비밀 문서", password="secret"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="파일 2개 중 1개 저장, 1개 거부"):
        call_command("import_documents", str(tmp_path), stdout=out, stderr=err)
    assert list(Program.objects.values_list("title", flat=True)) == ["도시농업 활성화 지원"]
    assert "b.pdf: 암호가 걸린 PDF입니다" in err.getvalue()


@pytest.mark.django_db
def test_check_documents_reads_a_pdf(tmp_path, sample_pdf):
    (tmp_path / "a.pdf").write_bytes(sample_pdf)
    out = io.StringIO()
    call_command("check_documents", str(tmp_path / "a.pdf"), stdout=out)
    assert out.getvalue().endswith("오류 0건, 전체 0건\n")


@pytest.mark.skipif(not ocr.available(), reason="Tesseract와 한국어 모델이 없습니다")
def test_a_scanned_document_is_read_by_ocr_wherever_documents_are_read():
    """The sample printed without running heads (OCR does not yet tell a running head from
    the title), rasterised into a TIFF of its pages as a scanner gives it: the image and the
    same pages as a PDF without text are each read into the sample's document."""
    import pypdfium2

    plain = Layout("NanumGothic.ttf", 8, True, "", "- {page} -")
    pdf = pypdfium2.PdfDocument(plain.write([_text(SAMPLE)]))
    images = [page.render(scale=200 / 72, grayscale=True).to_pil() for page in pdf]
    tiff, scan = io.BytesIO(), io.BytesIO()
    images[0].save(tiff, format="TIFF", save_all=True, append_images=images[1:], dpi=(200, 200))
    images[0].save(scan, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    for name, data in (("스캔.tif", tiff.getvalue()), ("스캔.pdf", scan.getvalue())):
        [document] = read_documents(name, data)
        assert document["title"] == "도시농업 활성화 지원", name
        assert document["fiscal_year"] == load(SAMPLE)["fiscal_year"], name
