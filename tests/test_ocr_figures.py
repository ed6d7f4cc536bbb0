"""Charts printed as pictures are left out of what OCR reads; figure cells are read again with
digits only."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from programs import ocr
from programs.ocr import digits, figures, image, large
from programs.ocr.layout import OcrLine
from programs.ocr.tesseract import Word

FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
DPI = 200
needs_font = pytest.mark.skipif(not FONT.exists(), reason="fonts-nanum is not installed")


def chart_page() -> tuple[Image.Image, dict[str, int]]:
    """A page with a numbered heading, a bar chart (legend, labels beside the bars, tick labels
    below) with its caption, and a paragraph after it; the rows of each, by name."""
    page = Image.new("L", (1654, 1600), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((110, 100, 150, 140), fill=30)  # the heading's numbered box
    draw.text((170, 105), "2 예산 설명", fill=20)
    draw.rectangle((130, 300, 150, 320), fill=150)  # legend swatches
    draw.rectangle((400, 300, 420, 320), fill=70)
    draw.text((160, 300), "2023", fill=60)
    draw.text((300, 420), "label", fill=60)  # beside a bar too short to be solid
    draw.rectangle((420, 420, 424, 440), fill=70)
    for top, width in ((520, 700), (560, 900), (640, 300)):
        draw.rectangle((420, top, 420 + width, top + 22), fill=70)
    draw.text((420, 720), "0    1,000,000", fill=60)  # tick labels, indented
    draw.text((110, 820), "caption of the chart", fill=60)
    draw.text((110, 900), "next paragraph", fill=20)
    return page, {"box": 100, "legend": 300, "bars": 560, "ticks": 720, "caption": 820}


def test_a_chart_spans_its_legend_bars_and_labels_not_its_caption_nor_a_heading_box():
    page, rows = chart_page()
    [(top, bottom)] = figures.spans(image.ink(page), DPI)
    assert top <= rows["legend"] and bottom >= rows["ticks"] + 10
    assert top > rows["box"] + 40 and bottom < rows["caption"]


def test_a_page_of_text_and_rules_has_no_figure():
    page = Image.new("L", (1654, 800), 255)
    draw = ImageDraw.Draw(page)
    for y in (100, 160, 220):
        draw.line((110, y, 1500, y), fill=180, width=3)
    draw.rectangle((110, 300, 150, 340), fill=30)  # a numbered heading's box alone
    draw.text((110, 400), "text " * 40, fill=20)
    assert figures.spans(image.ink(page), DPI) == []


@pytest.mark.parametrize(
    "text, figure",
    [
        ("(0)", True),
        ("8,512,856", True),
        ("2024.1~2024.3", True),
        ("99.4", True),
        ("△65,000", False),  # the sign: its own mending
        ("@542,656*", True),  # a misread figure may hold any symbol
        ("(국비 0)", False),
        ("-", False),
    ],
)
def test_a_figure_cell_holds_a_digit_and_only_what_figure_cells_print(text, figure):
    assert digits._figure((Word(0, 0, 10, 10, 90.0, text),)) is figure


@pytest.mark.parametrize(
    "second, first, surer",
    [
        (("(0)", 50.0), ("(0", 90.0), True),  # well-formed beats ill-formed
        (("12,000)", 90.0), ("(12,000)", 40.0), False),
        (("52,500", 60.0), ("52,500", 50.0), True),  # both well-formed: the surer
        (("(00)", 40.0), ("(00)", 60.0), False),
    ],
)
def test_the_second_reading_wins_when_well_formed_or_surer(second, first, surer):
    found = [Word(0, 0, 10, 10, second[1], second[0])]
    old = (Word(0, 0, 10, 10, first[1], first[0]),)
    assert digits._surer(found, old) is surer


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with its Korean model is missing")
@needs_font
def test_small_national_figures_are_read_again_with_digits_only():
    page = Image.new("L", (1654, 300), 255)
    draw = ImageDraw.Draw(page)
    small = ImageFont.truetype(str(FONT), 20)
    cells = ["(0)", "(12,000)", "(6,500)"]
    line_words = []
    for index, text in enumerate(cells):
        x = 300 + index * 300
        draw.text((x, 100), text, font=small, fill=110)
        width = round(draw.textlength(text, font=small))
        line_words.append((Word(x, 100, width, 24, 30.0, text[:-1]),))  # misread: no `)`
    line = OcrLine(100, ((Word(100, 100, 60, 24, 95.0, "2020"),), *line_words))
    [read] = digits.reread(page, [line], DPI)
    assert [cell[0].text for cell in read.cells] == ["2020", *cells]


def test_a_page_with_a_chart_reads_without_the_chart_words(monkeypatch):
    page, rows = chart_page()
    seen = []

    def words(png: bytes, dpi: int, *args) -> list[Word]:
        seen.append(Image.open(io.BytesIO(png)).convert("L"))
        return []

    monkeypatch.setattr("programs.ocr.tesseract.words", words)
    ocr.read_image(page, dpi=DPI)
    inked = image.ink(seen[0])
    assert inked.crop((0, rows["legend"], 1654, rows["ticks"] + 20)).getbbox() is None
    assert inked.crop((0, rows["caption"], 1654, rows["caption"] + 20)).getbbox() is not None


def test_the_shading_of_a_table_head_is_made_paper_and_nothing_else():
    page = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((10, 10, 590, 60), fill=238)  # a head cell's shading
    draw.rectangle((10, 120, 590, 170), fill=255)
    for y in (10, 60, 120, 170):
        draw.line((10, y, 590, y), fill=180, width=2)
    draw.text((20, 30), "head", fill=20)
    draw.point((300, 250), fill=238)  # light grey outside any table stays
    rules = [image.Rule(at=y, start=10, end=590) for y in (10, 60, 120, 170)]
    clean = image.unshade(page.copy(), rules)
    assert clean.getpixel((300, 40)) == 255 and clean.getpixel((300, 250)) == 238
    assert image.ink(clean).crop((15, 20, 100, 50)).getbbox() is not None  # the letters stay


def _line(top: int, text: str, height: int = 20) -> OcrLine:
    return OcrLine(top, ((Word(100, top, 20 * len(text), height, 95.0, text),),))


def test_running_heads_and_page_numbers_are_left_out_and_the_title_put_first():
    head = _line(10, "사업 운영 2024년 사업설명서")
    first = [head, _line(50, "2024년도 사업설명서"), _line(90, "청년 주거비 지원", 44)]
    first += [_line(150, "□ 사업개요"), _line(190, "본문"), _line(900, "1 / 2")]
    second = [head, _line(50, "본문 둘"), _line(900, "2 / 2")]
    pages = [ocr.OcrPage(number, "", lines, b"") for number, lines in ((1, first), (2, second))]
    assert ocr.pages_text(pages).split("\n") == [
        "청년 주거비 지원",
        "",
        "2024년도 사업설명서",
        "□ 사업개요",
        "본문",
        "",
        ocr.PAGE_BREAK,
        "본문 둘",
        "",
    ]


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with its Korean model is missing")
@needs_font
def test_large_print_is_read_again_at_the_size_of_the_text(monkeypatch):
    page = Image.new("L", (1654, 400), 255)
    draw = ImageDraw.Draw(page)
    draw.text((100, 60), "사회적경제지원센터 운영", font=ImageFont.truetype(str(FONT), 84), fill=20)
    for y in (220, 270, 320):
        draw.text((100, y), "본문 글자 크기의 줄", font=ImageFont.truetype(str(FONT), 28), fill=20)
    broken = [Word(100, 70, 60, 40, 30.0, "회"), Word(400, 90, 60, 40, 30.0, "히저겨")]
    body = [Word(100, y, 200, 28, 95.0, "본문") for y in (220, 270, 320)]
    read = large.reread(page, broken + body, DPI)
    assert [w.text for w in read if w.top < 200] == ["사회적경제지원센터 운영"]
    assert [w for w in read if w.top >= 200] == body
