"""The parser against the sample documents and our own, and its handling of bad input."""

import codecs
import difflib
import json
import random
import subprocess
import sys
from functools import cache
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.checks import check_document
from programs.parsing import FORMAT, NotADocument, decode, parse_document, parse_file

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    [*(ROOT / "samples").glob("*.txt"), *(ROOT / "tests" / "documents").glob("*.txt")]
)
KEYS = [
    "format", "title", "fiscal_year", "account", "period_type", "overview", "funding",
    "officers", "budget_total", "budget_summary", "cost_basis", "purpose", "legal_basis",
    "period", "activities", "delivery_method", "history", "contracts", "schedule",
    "performance", "expected_effects", "settlements", "warnings",
]  # fmt: skip


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


@cache
def parsed(path: Path) -> dict:
    return parse_file(path)


def as_json(value: object) -> list[str]:
    return json.dumps(value, ensure_ascii=False, indent=1).splitlines()


def diff(expected: object, got: object) -> str:
    lines = difflib.unified_diff(as_json(expected), as_json(got), "expected", "parsed", n=2)
    return "\n" + "\n".join(line.rstrip("\n") for line in lines)


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- expected output


@pytest.mark.parametrize(
    ("path", "key"),
    [
        pytest.param(path, key, id=f"{path.stem}-{key}")
        for path in DOCUMENTS
        for key in expected_of(path)
    ],
)
def test_key_is_parsed_as_expected(path, key):
    got = parsed(path).get(key, "<missing>")
    expected = expected_of(path)[key]
    assert got == expected, diff(expected, got)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.stem)
def test_every_key_of_the_format_is_given(path):
    document = parsed(path)
    assert list(document) == KEYS
    assert document["format"] == FORMAT
    assert all(isinstance(warning, str) for warning in document["warnings"])


def test_a_blank_settlement_cell_is_null_with_a_warning_naming_the_line():
    document = parsed(ROOT / "samples" / "000_5073a130600540e8.txt")
    first = document["settlements"][0]
    assert (first["available"], first["carried_out"]) == (None, None)
    assert "결산 2020 (137행): 예산현액이 비어 있음 (항등식으로 8,542,856)" in document["warnings"]


def test_a_settlement_row_whose_blank_cell_lost_its_tab_is_placed_by_the_identities():
    document = parsed(ROOT / "tests" / "documents" / "103_village_community_center.txt")
    row = document["settlements"][1]
    assert (row["available"], row["executed"], row["unspent"]) == (None, 905500, 14500)
    assert "결산 2019 (113행): 7열에 6칸: 빈 칸의 자리를 항등식으로 정함" in document["warnings"]


# ---------------------------------------------------------------- encodings


SAMPLE = ROOT / "samples" / "001_urban_agriculture.txt"


def test_utf8_with_a_bom_crlf_and_cr_give_the_same_result():
    text = text_of(SAMPLE)
    expected = parse_document(text)
    for data in (
        codecs.BOM_UTF8 + text.encode("utf-8"),
        text.replace("\n", "\r\n").encode("utf-8"),
        text.replace("\n", "\r").encode("utf-8"),
        text.encode("utf-16"),
    ):
        assert parse_document(decode(data)) == expected


def _in_cp949(path: Path) -> bool:
    try:
        text_of(path).replace("☑", "▣").encode("cp949")
    except UnicodeEncodeError:  # the corpus's other bullets and signs are not in CP949
        return False
    return True


@pytest.mark.parametrize("path", filter(_in_cp949, DOCUMENTS), ids=lambda path: path.stem)
def test_cp949_gives_the_same_result_as_utf8(path):
    # CP949 has no ☑; documents saved in it tick the box with ▣.
    text = text_of(path).replace("☑", "▣")
    expected = parse_document(text)
    assert expected["period_type"] is not None
    assert parse_document(decode(text.encode("cp949"))) == expected
    assert parse_document(decode(text.replace("\n", "\r\n").encode("euc-kr"))) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t\n",
        b"\x00\x01\x02\x03" * 50,
        bytes(random.Random(1).randrange(256) for _ in range(4000)),
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        b"\xff\xfe\xff\xfe\x00\xd8",
        "사업설명서\n가나다라".encode() + b"\xff\x80\x80",
    ],
    ids=["empty", "blank", "nul-bytes", "random-bytes", "png", "broken-utf16", "mixed"],
)
def test_binary_or_empty_input_is_not_a_document(data):
    with pytest.raises(NotADocument, match=r"^사업설명서가 아닙니다: \S"):
        parse_document(decode(data))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n  \t\n",
        "서울시 보도자료\n\n□ 주요 내용\n\n○ 시민 참여 확대\n○ 예산 절감",
        "# README\n\nThis project imports budget documents.\n",
        '{"format": "budget-program-document/1", "title": "사회적경제지원센터 운영"}',
        "□ 사업목적\n\n○ 목적\n\n□ 사업근거\n\n- 법 제1조\n",
    ],
    ids=["empty", "blank", "press-release", "readme", "json", "two-sections"],
)
def test_unrelated_text_is_not_a_document(text):
    with pytest.raises(NotADocument, match=r"^사업설명서가 아닙니다: "):
        parse_document(text)


def test_the_reason_names_what_is_missing():
    with pytest.raises(NotADocument, match="절 제목"):
        parse_document("보고서\n\n□ 개요\n\n내용")
    with pytest.raises(NotADocument, match="비어 있음"):
        parse_document("")


# ---------------------------------------------------------------- unreadable values


def altered(path: Path, old: str, new: str) -> dict:
    text = text_of(path)
    assert text.count(old) == 1, old
    return parse_document(text.replace(old, new))


REAL = ROOT / "samples" / "000_5073a130600540e8.txt"


def test_an_unreadable_settlement_amount_is_null_with_a_warning():
    document = altered(REAL, "(x209,000) 6,022,949", "(x209,000) 6,O22,949")
    assert document["settlements"][1]["executed"] is None
    assert document["settlements"][1]["national"]["executed"] == 209000  # still readable
    assert any(
        w.startswith("결산 2021 (138행): 집행액 칸을 읽지 못해") for w in document["warnings"]
    )


def test_an_unreadable_schedule_amount_is_null_with_a_warning():
    document = altered(REAL, "⇥654,000⇥개봉".replace("⇥", "\t"), "\t654.OOO\t개봉")
    step = document["schedule"][2]
    assert (step["task"], step["amount"]) == ("시설관리 추진", None)
    assert (
        "추진일정 115행: 시설관리 추진: 예산집행금액이 비어 있거나 읽지 못해 비워 둠"
        in (document["warnings"])
    )


def test_an_unreadable_history_date_is_null_with_a_warning():
    document = altered(REAL, "0 2012.10.12", "0 2012.13.12")
    event = document["history"][2]
    assert (event["date"], event["text"]) == (None, "시의회 민간위탁 동의안 가결")
    assert "추진경위 84행: 날짜를 읽지 못해 비워 둠 ('2012.13.12')" in document["warnings"]


def test_a_blank_budget_cell_is_null_with_a_warning():
    document = altered(REAL, "\t554,000\t654,000\t", "\t\t654,000\t")
    row = document["budget_summary"][0]
    assert (row["category"], row["prior"], row["current"]) == ("공공운영비", None, 654000)
    assert (
        "예산 총괄 공공운영비 34행: 예산액(A)이 비어 있거나 읽지 못해 비워 둠"
        in (document["warnings"])
    )


def test_items_are_placed_by_the_sums_of_the_other_categories_when_one_does_not_add_up():
    document = altered(REAL, "217,346,000원\t=\t217,346천원", "317,346,000원\t=\t317,346천원")
    categories = [group["category"] for group in document["cost_basis"]]
    assert categories == ["공공운영비", "민간위탁금", "시설비"]
    assert [len(group["items"]) for group in document["cost_basis"]] == [1, 4, 1]
    # The sum that does not hold is the checks' to report, not the parser's.
    assert not [w for w in document["warnings"] if w.startswith("산출근거")]


def test_without_the_budget_summary_items_are_grouped_by_their_labels():
    text = text_of(REAL)
    start, end = text.index("□ 예산 총괄"), text.index("□ 산출근거")
    document = parse_document(text[:start] + text[end:])
    assert [group["category"] for group in document["cost_basis"]] == [
        "공공운영비",
        "민간위탁금",
        "시설비",
    ]
    assert [len(group["items"]) for group in document["cost_basis"]] == [1, 4, 1]
    assert "산출근거: 예산 총괄이 없어 과목 표시대로 묶음" in document["warnings"]


def test_a_missing_section_is_named_in_the_warnings():
    text = text_of(REAL)
    start, end = text.index("□ 향후 기대효과"), text.index("5 회 근")
    document = parse_document(text[:start] + text[end:])
    assert document["expected_effects"] == []
    assert "기대효과: 절이 없음" in document["warnings"]


def test_a_sum_that_does_not_hold_is_read_as_printed_and_left_to_the_checks():
    document = altered(REAL, "\t2,996,971\t3,296,216\t", "\t2,996,971\t3,296,217\t")
    assert document["budget_total"]["current"] == 3296217
    assert document["warnings"] == parsed(REAL)["warnings"]
    assert [f.rule for f in check_document(document) if f.section == "budget_summary"] == ["total"]


def test_a_percentage_that_does_not_hold_is_read_as_printed_and_left_to_the_checks():
    document = altered(REAL, "\t2,577,216\t264,245\t11", "\t2,577,216\t264,245\t12")
    row = document["budget_summary"][1]
    assert (row["category"], row["change_pct"]) == ("민간위탁금", 12)
    assert document["warnings"] == parsed(REAL)["warnings"]


# ---------------------------------------------------------------- what the identities place


def test_a_budget_row_whose_blank_cell_lost_its_tab_is_placed_by_the_identities():
    document = altered(REAL, "\t554,000\t654,000\t100,000\t18", "\t554,000\t654,000\t18")
    row = document["budget_summary"][0]
    assert (row["prior"], row["current"], row["change"], row["change_pct"]) == (
        554000,
        654000,
        None,
        18,
    )
    assert "예산 총괄 공공운영비 34행: 빠진 빈 칸의 자리를 항등식으로 정함" in document["warnings"]


def test_cost_items_without_category_labels_are_assigned_by_their_sums():
    text = text_of(REAL)
    for label in ("공공운영비\t○", "민간위탁금\t-", "시설비\t○"):
        assert text.count(label) == 1
        text = text.replace(label, "\t" + label.split("\t")[1])
    document = parse_document(text)
    assert [(group["category"], len(group["items"])) for group in document["cost_basis"]] == [
        ("공공운영비", 1),
        ("민간위탁금", 4),
        ("시설비", 1),
    ]


def test_a_blank_cost_item_takes_the_sum_of_its_sub_items():
    document = altered(REAL, "사업비 1,389,744,000\t=\t1,389,744천원", "사업비\t=\t천원")
    [item] = [
        item
        for item in document["cost_basis"][1]["items"]
        if item["name"] == "사회적경제지원센터 사업비"
    ]
    assert item["amount_won"] == 1389744000
    assert (
        "산출근거 46행: '사회적경제지원센터 사업비' 금액이 비어 있어 "
        "세부 항목의 합 1,389,744,000원으로 채움" in document["warnings"]
    )


@pytest.mark.parametrize(
    ("wording", "contract"),
    [
        (
            "민간위탁 협약 체결(2년, 2020.7.1.~2022.6.30.)",
            {"start": "2020-07-01", "end": "2022-06-30", "term_years": 2},
        ),
        (
            "재위탁 협약(2023.1.1~2025.12.31, 3년)",
            {"start": "2023-01-01", "end": "2025-12-31", "term_years": 3},
        ),
        (
            "위·수탁 계약 체결(2019. 1. 1. ~ 2021. 12. 31.)",
            {"start": "2019-01-01", "end": "2021-12-31", "term_years": 3},
        ),
        (
            "위수탁 협약 체결 : 2020.7.1.~2022.6.30.(2년)",
            {"start": "2020-07-01", "end": "2022-06-30", "term_years": 2},
        ),
        ("민간위탁 재계약 적격자 심의(적격)", None),
        ("민간위탁 동의안 의결(2024~2026)", None),
    ],
)
def test_a_contract_is_an_event_signing_one_with_a_term(wording, contract):
    document = altered(
        REAL, "0 2013.4.11\t서울시 사회적경제지원센터 개소", f"0 2013.4.11\t{wording}"
    )
    found = [c for c in document["contracts"] if c["signed"] == "2013-04-11"]
    assert found == ([{"signed": "2013-04-11", **contract}] if contract else [])
    assert document["history"][5]["text"] == wording


@pytest.mark.parametrize(
    ("printed", "period"),
    [
        ("2013년 ~ 계속", (2013, None)),
        ("2025년 ~ 2027년", (2025, 2027)),
        ("'22년 ~ '24년", (2022, 2024)),
        ("2024년", (2024, 2024)),
    ],
)
def test_the_period_of_the_program(printed, period):
    document = altered(REAL, "사업기간 : 2013년 ~ 계속", f"사업기간 : {printed}")
    assert (document["period"]["start_year"], document["period"]["end_year"]) == period


# ---------------------------------------------------------------- the command


def test_the_command_prints_the_json_form():
    out = StringIO()
    call_command("parse_document", str(SAMPLE), stdout=out)
    assert json.loads(out.getvalue()) == parse_file(SAMPLE)
    assert "도시농업 활성화 지원" in out.getvalue()  # not \\uXXXX escapes


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.txt", None), ("readme.txt", b"# README\n"), ("image.txt", bytes(range(256)))],
)
def test_the_command_fails_with_status_2_on_what_is_not_a_document(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        call_command("parse_document", str(path))
    assert error.value.returncode == 2
    assert str(error.value).startswith(f"{path}: 사업설명서가 아닙니다: ")


def test_the_command_exits_with_status_2_from_the_shell(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("메모\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "parse_document", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert f"{path}: 사업설명서가 아닙니다: " in result.stderr
    assert result.stdout == ""
