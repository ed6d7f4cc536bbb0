"""The forms this project's report prints, as reading a printed report gives them: read by
the same parser as the official documents' forms (no browser: the text as `pdfs` reads it
from the printed 도시농업 활성화 지원 report)."""

from programs.parsing import parse_document

from .conftest import ROOT, load

SAMPLE = ROOT / "samples" / "001_urban_agriculture"
# 예산 총괄 as printed: 국비 named and beside 증감 in a two-line row, none where it is 0.
BUDGET = """□ 예산 총괄
단위: 천원, %
구분\t2023예산액(A)\t2024예산액(B)\t증감(B−A)\t증감률(%)
계\t1,698,000\t1,807,500\t109,500\t6
사무관리비\t48,000\t52,500\t4,500\t9
행사운영비\t180,000\t165,000\t△15,000\t△8
민간경상사업보조\t(국비 50,000)\t(국비 60,000)\t30,000\t9
\t320,000\t350,000
자치단체경상보조금\t(국비 420,000)\t(국비 436,000)\t90,000\t8
\t1,150,000\t1,240,000
"""
# 결산 as printed: 국비 in brackets over the amounts, and the derived 집행률.
SETTLEMENTS = """5 최근 3년 결산 현황
\t단위: 천원, 괄호 안은 국비
연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액\t집행률(%)
2020\t(400,000)\t(0)\t(0)\t(400,000)\t(388,000)\t(12,000)\t(0)\t94.0
\t1,520,000\t0\t0\t1,520,000\t1,428,300\t60,000\t31,700
2021\t(420,000)\t(12,000)\t(0)\t(432,000)\t(425,500)\t(6,500)\t(0)\t95.8
\t1,610,000\t60,000\t△20,000\t1,650,000\t1,581,240\t45,000\t23,760
2022\t(450,000)\t(6,500)\t(0)\t(456,500)\t(456,500)\t(0)\t(0)\t98.4
\t1,655,000\t45,000\t0\t1,700,000\t1,672,880\t0\t27,120
"""
# 사업개요 as printed: two rows side by side, the parts of 사업비 in one bracket.
OVERVIEW = """□ 사업개요
회계\t일반회계\t사업기간 구분\t연례반복
개요\t도시농업 참여 확대
사업비(당해년도)\t1,807,500천원 (국비 496,000 · 시비 1,311,500 · 구비 0 · 기타 0)
"""


def _printed(text: str) -> str:
    """The sample's text with its 사업개요, 예산 총괄 and 결산 as the report prints them."""
    lines = text.split("\n")
    start = {key: next(i for i, line in enumerate(lines) if key in line) for key in KEYS}
    return "\n".join(
        lines[: start["□ 사업개요"]]
        + OVERVIEW.split("\n")
        + lines[start["□ 사업 담당자"] : start["□ 예산 총괄"]]
        + BUDGET.split("\n")
        + lines[start["□ 산출근거"] : start["결 산 현 황"]]
        + SETTLEMENTS.split("\n")
    )


KEYS = ("□ 사업개요", "□ 사업 담당자", "□ 예산 총괄", "□ 산출근거", "결 산 현 황")


def test_the_reports_printed_forms_read_as_the_documents_do():
    document = parse_document(_printed(SAMPLE.with_suffix(".txt").read_text("utf-8")))
    expected = load(SAMPLE.with_suffix(".expected.json"))
    assert document["settlements"] == expected["settlements"]
    assert (document["account"], document["period_type"]) == ("일반회계", "연례반복")
    assert document["overview"] == "도시농업 참여 확대"
    assert document["funding"] == expected["funding"]
    # The rows with a 국비 read whole; the others lack only the 국비 the report leaves out.
    by_category = {row["category"]: row for row in document["budget_summary"]}
    for row in expected["budget_summary"]:
        if row["prior_national"]:
            assert by_category[row["category"]] == row
        else:
            assert by_category[row["category"]] == row | dict.fromkeys(
                ("prior_national", "current_national")
            )
    assert {key: document["budget_total"][key] for key in ("prior", "current", "change")} == {
        key: expected["budget_total"][key] for key in ("prior", "current", "change")
    }


# 결산 as the report prints sample 000's 2020: 예산현액 left blank by the document printed as
# the identity gives it (marked *), on the first line because its cell has one line; 차년이월
# blank in both lines; 집행률 beside the 국비.
SETTLEMENT_2020 = """5 최근 3년 결산 현황
\t단위: 천원, 괄호 안은 국비
연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액\t집행률(%)
2020\t(209,000)\t(0)\t(15,000)\t{available}\t(224,000)\t\t(0)\t99.4
\t8,512,856\t0\t30,000\t\t8,487,514\t\t55,342
"""


def _settlement_2020(available: str) -> tuple[dict, list[str]]:
    text = (ROOT / "samples" / "000_5073a130600540e8.txt").read_text("utf-8")
    text = text[: text.rindex("\n", 0, text.index("결 산 현 황")) + 1]
    text += SETTLEMENT_2020.format(available=available)
    document = parse_document(text)
    [row] = document["settlements"]
    return row, [warning for warning in document["warnings"] if "예산현액" in warning]


def test_a_figure_the_report_computed_reads_as_the_documents_blank():
    expected = load(ROOT / "samples" / "000_5073a130600540e8.expected.json")
    row, warnings = _settlement_2020("8,542,856*")
    assert row == expected["settlements"][0]
    assert row["available"] is None and row["carried_out"] is None
    assert any("'8,542,856*'" in warning and "빈 칸으로 읽음" in warning for warning in warnings)


def test_a_marked_figure_the_identity_does_not_give_is_kept_and_noted():
    row, warnings = _settlement_2020("8,542,857*")
    assert row["available"] == 8542857
    assert any("항등식의 값과 달라 그대로 읽음" in warning for warning in warnings)


def test_header_rows_repeated_on_each_page_are_not_read_as_text():
    """A printed table that runs over pages repeats its header row (`일자 | 내용`,
    `연도 | 추진실적`) at the top of each: it is neither an event nor part of the year above."""
    text = SAMPLE.with_suffix(".txt").read_text("utf-8")
    text = text.replace("\n0 2016.12.27", "\n\f\n일자\t내용\n0 2016.12.27")
    text = text.replace("\n2022년도\t", "\n\f\n연도\t추진실적\n2022년도\t")
    text = text.replace("□ 추진경위\n", "□ 추진경위\n일자\t내용\n")
    document = parse_document(text)
    expected = load(SAMPLE.with_suffix(".expected.json"))
    assert document["history"] == expected["history"]
    assert document["performance"] == expected["performance"]
    assert not [warning for warning in document["warnings"] if "일자" in warning]


def test_a_title_block_restating_the_year_and_offices_is_read_without_warning():
    text = SAMPLE.with_suffix(".txt").read_text("utf-8")
    title, rest = text.split("\n", 1)
    block = (
        "2024년도 사업설명서\n푸른도시여가국 · 도시농업과\n"
        "2023년도 사업설명서\n도시농업과 · 조경과\n"
    )
    document = parse_document(f"{title}\n{block}{rest}")
    stray = [warning for warning in document["warnings"] if warning.startswith("절 밖")]
    # the document's own year and offices are known; another year or office is not
    assert stray == [
        "절 밖 4행: 어느 절에도 속하지 않는 '2023년도 사업설명서' 줄을 건너뜀",
        "절 밖 5행: 어느 절에도 속하지 않는 '도시농업과 · 조경과' 줄을 건너뜀",
    ]


def test_figure_captions_and_empty_tables_are_no_text_of_the_document():
    text = SAMPLE.with_suffix(".txt").read_text("utf-8")
    expected = load(SAMPLE.with_suffix(".expected.json"))
    captioned = text.replace(
        "□ 산출근거",
        "[그림] 통계목별 2023년 예산액(A)과 2024년 예산액(B), 천원.\n□ 산출근거",
    ).replace(
        "□ 추진경위\n",
        "□ 추진경위\n<그림 2> 위탁 협약 0건(막대)과 추진경위(◆). 점선은\n출력일(2026.12.2).\n",
    )
    document = parse_document(captioned)
    assert document["history"] == expected["history"]
    assert document["budget_summary"] == expected["budget_summary"]
    assert not [
        warning for warning in document["warnings"] if "그림" in warning or "출력일" in warning
    ]

    # a caption without its full stop ends at the next heading
    document = parse_document(text.replace("□ 추진경위\n", "[그림] 추진경위\n□ 추진경위\n"))
    assert document["history"] == expected["history"]

    empty = (
        text[: text.index("□ 최근 3년 추진실적")] + "□ 최근 3년 추진실적\n추진실적이 없습니다.\n"
    )
    document = parse_document(empty)
    assert document["performance"] == []
    assert not [warning for warning in document["warnings"] if "없습니다" in warning]


# 산출근거 as a scan of the report reads it: the ring of 자치단체경상보조금's first item read
# as other marks, and the rule between label and item lost.
COST = """□ 산출근거
단위: 원
과목구분\t2024년 예산내역\t금액
사무관리비\t○ 도시농업 홍보물 제작\t18,000,000
\t○ 도시농업 교육교재 제작\t22,500,000
\t- 도시농부학교 교재 제작\t13,500,000
\t- 텃밭지도사 양성과정 교재 제작\t9,000,000
\t○ 도시농업위원회 운영\t11,999,600
행사운영비\t○ 2024 서울도시농업박람회 개최\t120,000,000
\t○ 도시농업 한마당 축제 운영\t45,000,000
민간경상사업보\t○ 도시농업 공동체 지원\t210,000,000
조
\t- 공동체 텃밭 조성 지원\t150,000,000
\t- 공동체 활동 프로그램 지원\t60,000,000
\t○ 도시농업 전문인력 양성 지원\t140,000,000
자치단체경상보 , <: 자치구 도시텃밭 조성 지원\t760,000,000
조금
\t- 상자텃밭 보급\t320,000,000
\t- 옥상텃밭 조성\t280,000,000
\t- 학교텃밭 조성\t160,000,000
\t○ 자치구 도시농업 교육 운영 지원\t300,000,000
\t○ 치유농업 프로그램 운영 지원\t180,000,000
"""


def test_a_categorys_first_row_whose_bullet_is_misread_begins_an_item():
    text = SAMPLE.with_suffix(".txt").read_text("utf-8")
    start, end = text.index("□ 산출근거"), text.index("3 사업설명")
    document = parse_document(text[:start] + COST + text[end:])
    expected = load(SAMPLE.with_suffix(".expected.json"))
    assert document["cost_basis"] == expected["cost_basis"]
    assert any("항목 표시를 읽지 못해 ○ 항목으로 읽음" in w for w in document["warnings"])
