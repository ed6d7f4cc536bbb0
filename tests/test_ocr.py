"""OCR of scanned pages: the page geometry (skew, ruling lines), words into cells, bullets and
figures Tesseract misnames, confidence warnings and corrections by the identities; and, where
Tesseract with its Korean model is installed, a drawn table read back."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image, ImageDraw, ImageFont

from programs import ocr
from programs.ocr import headings, image, layout, marks, tesseract
from programs.ocr.confidence import review
from programs.ocr.layout import OcrLine
from programs.ocr.tesseract import DOUBTFUL, Word

from .conftest import ROOT

FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")
DPI = 200
needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="Tesseract with its Korean model (tesseract-ocr-kor) is missing"
)


def grid(rows: int = 4, columns: tuple[int, ...] = (100, 500, 900, 1300)) -> Image.Image:
    """A white A4-wide page at 200 dpi with a grey ruled table and a dark chart bar below."""
    page = Image.new("L", (1654, 1400), 255)
    draw = ImageDraw.Draw(page)
    for row in range(rows + 1):
        draw.line((columns[0], 200 + row * 120, columns[-1], 200 + row * 120), fill=180, width=2)
    for x in columns[1:-1]:
        draw.line((x, 200, x, 200 + rows * 120), fill=180, width=2)
    draw.rectangle((100, 1000, 1300, 1060), fill=60)  # a chart's bar: no rule
    for y in range(1100, 1160, 4):  # a bar that scanning broke into thin stripes: no rule
        draw.rectangle((100, y, 1300, y + 2), fill=60)
    return page


# ---------------------------------------------------------------- geometry


def test_rules_are_the_table_lines_not_a_filled_bar():
    horizontal, vertical = image.rules(image.ink(grid()), DPI)
    assert [rule.at for rule in horizontal] == [200, 320, 440, 560, 680]
    assert [rule.at for rule in vertical] == [500, 900]
    assert all(rule.start <= 112 and rule.end >= 1290 for rule in horizontal)
    assert all(rule.start <= 210 and rule.end >= 670 for rule in vertical)


@pytest.mark.parametrize("angle", [-1.2, 0.7, 2.0])
def test_skew_is_measured_and_undone(angle):
    turned = grid().rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    measured = image.skew(turned)
    assert measured == pytest.approx(-angle, abs=0.15)
    level = image.deskew(turned, measured)
    horizontal, vertical = image.rules(image.ink(level), DPI)
    assert len(horizontal) == 5 and len(vertical) == 2


def word(left: int, top: int, text: str, confidence: float = 95.0, spaced: bool = True) -> Word:
    return Word(left, top, 18 * len(text), 20, confidence, text, spaced)


def test_words_go_to_the_cells_their_boxes_fall_in():
    horizontal, vertical = image.rules(image.ink(grid()), DPI)
    words = [
        word(120, 100, "□"),
        word(150, 100, "사업"),
        word(200, 100, "담당자"),
        word(520, 250, "김경미"),
        word(920, 250, "강웅구"),
        word(520, 285, "2133-5360"),  # the cell's second printed line
        word(920, 285, "2133-5489"),
        word(120, 370, "계"),
        word(1000, 370, "3,296,216"),
    ]
    lines = layout.lines(words, horizontal, vertical, DPI)
    assert [line.text for line in lines] == [
        "□ 사업 담당자",
        "\t김경미\t강웅구",
        "\t2133-5360\t2133-5489",
        "계\t\t3,296,216",
    ]


def test_words_are_spaced_as_tesseracts_text_spaces_them_not_by_their_gaps():
    read = [word(0, 0, "위"), word(30, 0, "수"), word(60, 0, "탁"), word(100, 0, "협약")]
    assert layout.join_words(tesseract._spaced(read, "위수탁 협약\n")) == "위수탁 협약"
    # where the two readings part, every word is spaced rather than glued
    assert layout.join_words(tesseract._spaced(read, "위수 다른\n")) == "위 수 탁 협약"


# ---------------------------------------------------------------- marks Tesseract misnames


@pytest.mark.parametrize(
    "read, meant",
    [
        ("2,.996,971", "2,996,971"),
        ("2.577,216", "2,577,216"),
        ("654.000.000", "654,000,000"),
        ("45.000", "45,000"),
        ("99.4", "99.4"),  # an execution rate keeps its decimal point
        ("2013.1.23", "2013.1.23"),
        ("2133-5360", "2133-5360"),
        ("사업비", "사업비"),
    ],
)
def test_figures_get_their_separators_and_signs_back(read, meant):
    [fixed] = marks.figures([word(0, 0, read)])
    assert fixed.text == meant


@pytest.mark.parametrize(
    "cell, meant",
    [
        (["스65,000"], "△65,000"),
        (["ㅅ", "50"], "△50"),
        (["^8"], "△8"),  # a symbol too
        (["(8"], "(8"),  # a bracket is a figure's own
        (["제", "11", "조"], "제11조"),  # more than a letter and a figure: no sign
        (["제11조"], "제11조"),
        (["시설비"], "시설비"),
    ],
)
def test_a_letter_alone_before_a_figure_in_a_cell_is_the_negative_sign(cell, meant):
    words = [word(index * 40, 0, text, spaced=False) for index, text in enumerate(cell)]
    assert layout.join_words(marks.sign(words)) == meant


def test_a_ring_that_begins_a_line_is_a_circle_bullet_and_a_square_is_not():
    page = Image.new("L", (400, 100), 255)
    draw = ImageDraw.Draw(page)
    draw.ellipse((10, 10, 30, 30), outline=0, width=2)
    draw.rectangle((10, 60, 30, 80), outline=0, width=2)
    draw.ellipse((200, 10, 220, 30), outline=0, width=2)  # after a word: not a bullet
    draw.ellipse((300, 60, 320, 80), outline=0, width=2)  # nothing after it: a figure 0
    words = [
        Word(10, 10, 21, 21, 30.0, "(2"),
        Word(40, 10, 60, 21, 95.0, "사업"),
        Word(10, 60, 21, 21, 90.0, "ㅁ"),
        Word(40, 60, 60, 21, 95.0, "사업개요"),
        Word(150, 10, 40, 21, 95.0, "운영"),
        Word(200, 10, 21, 21, 30.0, "<"),
        Word(300, 60, 21, 21, 60.0, "0"),
    ]
    named = [w.text for w in marks.name_rings(page, words, [])]
    assert named == ["○", "사업", "ㅁ", "사업개요", "운영", "<", "0"]


def test_a_ring_that_begins_a_cell_is_a_bullet_even_when_tesseract_boxed_half_of_it():
    page = Image.new("L", (400, 100), 255)
    draw = ImageDraw.Draw(page)
    draw.line((150, 0, 150, 100), fill=0, width=2)  # the cells' rule
    draw.ellipse((160, 10, 180, 30), outline=0, width=2)
    draw.ellipse((160, 60, 180, 80), outline=0, width=2)
    rule = image.Rule(at=150, start=0, end=100)
    words = [
        Word(60, 10, 80, 21, 95.0, "공공운영비"),
        Word(160, 10, 9, 21, 30.0, "<"),  # the ring's left half
        Word(190, 10, 60, 21, 95.0, "사업"),
        Word(152, 60, 6, 21, 30.0, "_"),  # a speck before the ring
        Word(160, 60, 21, 21, 30.0, "ㅇ"),
        Word(190, 60, 60, 21, 95.0, "교육"),
    ]
    named = [w.text for w in marks.name_rings(page, words, [rule])]
    assert named == ["공공운영비", "○", "사업", "○", "교육"]
    # without the rule, the category before it makes the ring no bullet
    assert [w.text for w in marks.name_rings(page, words[:3], [])] == ["공공운영비", "<", "사업"]


@pytest.mark.parametrize(
    "read, confidence, meant",
    [
        ("ㅁ 산으근거", 40.0, "ㅁ 산출근거"),
        ("□ 2024년도 추진일졍", 60.0, "□ 2024년도 추진일정"),
        ("ㅁ 산으근거", 95.0, "ㅁ 산으근거"),  # a confident reading stays
        ("ㅁ 사업계획", 40.0, "ㅁ 사업계획"),  # two syllables from 사업개요: another heading
        ("산으근거", 40.0, "산으근거"),  # no square marker: not a heading
    ],
)
def test_a_doubtful_heading_one_syllable_off_a_section_name_is_mended(read, confidence, meant):
    line = OcrLine(0, ((word(0, 0, read, confidence),),))
    [mended_line], mended = headings.mend([line])
    assert mended_line.text == meant
    assert [(m.read, m.meant) for m in mended] == ([(read, meant)] if read != meant else [])


# ---------------------------------------------------------------- confidence and corrections


def sample() -> dict:
    return json.loads(
        (ROOT / "samples" / "000_5073a130600540e8.expected.json").read_text(encoding="utf-8")
    )


def page_of(*rows: tuple[str, float]) -> ocr.OcrPage:
    """A page whose lines print each figure as one word with the given confidence."""
    lines = [
        OcrLine(index * 30, ((word(0, index * 30, "계"),), (word(300, index * 30, text, conf),)))
        for index, (text, conf) in enumerate(rows)
    ]
    return ocr.OcrPage(1, "", lines, b"")


def test_a_doubtful_single_digit_misread_is_corrected_by_the_identities_and_said():
    document = sample()
    document["budget_summary"][0]["current"] = 654_800  # the identities give 654,000
    pages = [page_of(("2,996,971", 95.0), ("654,800", 41.0), ("3,296,216", 93.0))]
    readings = review(document, pages)
    assert document["budget_summary"][0]["current"] == 654_000
    assert readings["budget_summary[0].current"].confidence == 41.0
    [said] = [w for w in document["warnings"] if "budget_summary[0].current" in w]
    assert said == (
        "예산 총괄 budget_summary[0].current (1쪽, 2행): OCR이 654,800(으)로 읽은 값을"
        " 항등식에 맞게 654,000(으)로 고침 (숫자 하나, 신뢰도 41%)"
    )


def test_a_confident_figure_is_never_changed():
    document = sample()
    document["budget_summary"][0]["current"] = 654_800
    pages = [page_of(("654,800", 96.0))]
    review(document, pages)
    assert document["budget_summary"][0]["current"] == 654_800
    assert not any("고침" in w for w in document["warnings"])


def test_a_misread_that_several_changes_could_mend_is_flagged_not_changed():
    document = sample()
    # 국비 of 공공운영비 read 8 for 0: the 국비 total (0) no longer adds up. Both are doubtful,
    # and either, one digit changed, mends it: 8 -> 0 in the row, or 0 -> 8 in the total.
    document["budget_summary"][0]["prior_national"] = 8
    before = copy.deepcopy(document)
    review(document, [page_of(("8", 30.0), ("0", 30.0))])
    assert document["budget_summary"] == before["budget_summary"]
    assert document["budget_total"] == before["budget_total"]
    flagged = [w for w in document["warnings"] if "OCR 신뢰도 30%" in w]
    assert any("budget_summary[0].prior_national" in w for w in flagged)
    assert any("budget_total.prior_national" in w for w in flagged)
    assert not any("고침" in w for w in document["warnings"])


def test_doubtful_text_is_named_with_its_section_line_and_confidence():
    document = sample()
    lines = [OcrLine(0, ((word(0, 0, "사회적경제지원센터", 52.0), word(200, 0, "운영")),))]
    review(document, [ocr.OcrPage(2, "", lines, b"")])
    assert (
        "사업개요 title (2쪽, 1행): OCR 신뢰도 52%, 원본 이미지와 대조 필요"
        " ('사회적경제지원센터 운영')"
    ) in document["warnings"]
    assert DOUBTFUL > 52


# ---------------------------------------------------------------- without Tesseract


def test_without_tesseract_ocr_is_unavailable_and_the_command_says_so(monkeypatch):
    monkeypatch.setattr("programs.ocr.tesseract.shutil.which", lambda name: None)
    assert not ocr.available()
    with pytest.raises(CommandError, match="Tesseract"):
        call_command("score_ocr", str(ROOT / "samples"))


def test_a_file_that_is_no_image_or_pdf_is_refused_in_korean():
    with pytest.raises(ocr.OcrError, match="이미지를 읽을 수 없습니다: PNG, JPEG, TIFF가 아니거나"):
        ocr.read_image_document("scan.png", b"not an image")
    with pytest.raises(ocr.OcrError, match="PDF를 열 수 없습니다"):
        ocr.read_pdf_pages(b"%PDF-1.7 broken", [1])


# ---------------------------------------------------------------- with Tesseract


@needs_tesseract
@pytest.mark.skipif(not FONT.exists(), reason="fonts-nanum is not installed")
def test_a_drawn_table_is_read_into_cells_with_confidences():
    page = grid(rows=2)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 30)
    draw.text((120, 120), "□ 예산 총괄", font=font, fill=20)
    for y, cells in (
        (230, ("구분", "2023예산액", "2024예산액")),
        (350, ("계", "2,996,971", "3,296,216")),
    ):
        for x, text in zip((120, 520, 920), cells, strict=True):
            draw.text((x, y), text, font=font, fill=20)
    buffer = io.BytesIO()
    page.rotate(0.8, resample=Image.BICUBIC, fillcolor=255).save(buffer, format="PNG")

    [read] = ocr.read_images(buffer.getvalue())
    assert read.skew == pytest.approx(-0.8, abs=0.15)
    assert read.text.splitlines()[-1] == "계\t2,996,971\t3,296,216"
    assert "\t2023예산액\t2024예산액" in read.text
    assert all(0 <= w.confidence <= 100 for w in read.words)
    assert read.image.startswith(b"\x89PNG")
    assert ocr.read_image_document("scan.png", buffer.getvalue()) == read.text


def test_a_dash_or_colon_between_hangul_syllables_is_a_middle_dot_and_doubtful():
    words = [
        word(0, 0, "구성"),
        word(40, 0, "-", spaced=False),
        word(60, 0, "운영", spaced=False),
        word(120, 0, "2024-03"),  # between digits: a date's dash
        word(240, 0, "교재:홍보물"),
    ]
    read = marks.middle_dots(words)
    assert [w.text for w in read] == ["구성", "·", "운영", "2024-03", "교재·홍보물"]
    assert [w.confidence < DOUBTFUL for w in read] == [False, True, False, False, True]


def test_rule_remnants_are_left_out():
    words = [word(0, 0, "_3,296,216천원", 70.0), word(0, 0, "|", 40.0), word(0, 0, "- 사업", 40.0)]
    assert [w.text for w in marks.remnants(words)] == ["3,296,216천원", "- 사업"]


def test_a_wrong_field_is_flagged_by_its_path_or_where_unread_by_its_section():
    from programs.ocr.corpus import _named

    document = {
        "funding": {"city": None},
        "purpose": "도시밭",
        "budget_total": {"amount": 1, "amount_prior": 2},
        "warnings": ["사업개요: 합계"],
    }
    warnings = [
        "사업목적 purpose (1쪽, 3행): OCR 신뢰도 40%",
        "예산 총괄 budget_total.amount_prior (1쪽, 9행): OCR 신뢰도 40%",
    ]
    assert _named("purpose", document, warnings)
    assert not _named("budget_total.amount", document, warnings)  # a path is named whole
    assert _named("funding.city", document, warnings)  # unread: its section is named
    assert not _named("legal_basis[0]", document, warnings)
