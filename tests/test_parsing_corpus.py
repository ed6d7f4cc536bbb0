"""The parser against the whole corpus: every field, every line, any variant of a character,
any page layout, and a bounded amount of work."""

import json
import random
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs import arithmetic
from programs.parsing import MAX_BYTES, TooLarge, parse_document, parse_file
from programs.parsing import cost_basis as cost_basis_module
from programs.parsing.characters import members, normalize
from programs.parsing.document import read_document
from programs.parsing.layout import furniture
from programs.parsing.score import score
from programs.parsing.text import Notes, split_lines

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    [*(ROOT / "samples").glob("*.txt"), *(ROOT / "tests" / "documents").glob("*.txt")]
)
REAL = ROOT / "samples" / "000_5073a130600540e8.txt"


def expected_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def without_warnings(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "warnings"}


# ---------------------------------------------------------------- every field, every line


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.stem)
def test_every_field_of_every_document_is_read(path):
    result = score(expected_of(path), parse_file(path))
    assert result.wrong == []
    assert result.share == 1.0


def test_the_score_counts_leaves_and_names_the_wrong_ones():
    expected = {"a": 1, "b": [{"c": None}, {"c": 2}], "d": [], "warnings": ["x"]}
    result = score(expected, {"a": 1, "b": [{"c": None}], "d": [3]})
    assert (result.right, result.total) == (2, 4)
    assert result.wrong == ["b[1].c", "d"]
    assert score(expected, {"a": True, "b": [{"c": None}, {"c": 2}], "d": []}).wrong == ["a"]


def test_the_score_command_prints_each_document_and_the_total():
    out = StringIO()
    call_command("score_documents", str(ROOT / "tests" / "documents"), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("101_elderly_care_consignment.txt: 173/173 (100.0%)")
    assert lines[-1].startswith("합계: ") and lines[-1].endswith("(100.0%)")
    assert len(lines) == len(list((ROOT / "tests" / "documents").glob("*.txt"))) + 1


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.stem)
def test_every_line_is_read_furniture_or_named_in_a_warning(path):
    text = text_of(path)
    document, notes = read_document(text)
    lines = {no for no, line in enumerate(text.split("\n"), 1) if line.strip()}
    assert lines - notes.used - notes.furniture - notes.named == set()
    assert notes.used <= lines and notes.furniture <= lines
    for no in notes.named:  # a warning names the line it skipped
        assert any(f"{no}행" in warning for warning in document["warnings"])


def test_a_line_no_section_can_use_is_named_in_a_warning():
    stray = "이 줄은 어디에도 속하지 않음"
    text = text_of(REAL).replace("\n4 사업효과\n", f"\n4 사업효과\n{stray}\n", 1)
    document, notes = read_document(text)
    no = text.split("\n").index(stray) + 1
    assert no in notes.named
    assert f"절 밖 {no}행: 어느 절에도 속하지 않는 {stray!r} 줄을 건너뜀" in document["warnings"]


# ---------------------------------------------------------------- characters


SAMPLE_TEXTS = [text_of(path) for path in DOCUMENTS]
PARSED = {index: without_warnings(parse_document(text)) for index, text in enumerate(SAMPLE_TEXTS)}


@st.composite
def swapped_within_classes(draw: st.DrawFn) -> tuple[int, str]:
    """A document with characters replaced by other members of their class."""
    index = draw(st.integers(0, len(SAMPLE_TEXTS) - 1))
    text = list(SAMPLE_TEXTS[index])
    swappable = [i for i, char in enumerate(text) if members(normalize(char))]
    for _ in range(draw(st.integers(1, 60))):
        position = draw(st.sampled_from(swappable))
        form = normalize(text[position])
        text[position] = draw(st.sampled_from((form, *members(form))))
    return index, "".join(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(swapped_within_classes())
def test_any_member_of_a_character_class_reads_as_any_other(case):
    index, text = case
    assert without_warnings(parse_document(text)) == PARSED[index]


def test_the_classes_hold_the_variants_extraction_writes():
    assert {normalize(char) for char in "○◦⚬●•◎❍⭘◯∘◉"} == {"○"}
    assert {normalize(char) for char in "△▵▴▲∆Δ"} == {"△"}
    assert {normalize(char) for char in "-‐‑‒–—―−－"} == {"-"}
    assert {normalize(char) for char in "'‘’′＇"} == {"'"}
    assert {normalize(char) for char in "~∼〜～"} == {"~"}
    assert normalize("（ｘ４９０，０００）\u00a0\u3000\u200b\t\f\n①") == "(x490,000)  \t\f\n①"


# ---------------------------------------------------------------- page layout


def _with_page_breaks(text: str, breaks: list[tuple[str, list[str]]]) -> str:
    """`text` with page furniture inserted before each of `breaks`' anchor lines."""
    for anchor, inserted in breaks:
        assert text.count(f"\n{anchor}") == 1, anchor
        text = text.replace(f"\n{anchor}", "\n" + "\n".join(["", *inserted, ""]) + f"\n{anchor}")
    return text


@pytest.mark.parametrize(
    "numbers",
    [("- 118 -", "- 119 -"), ("118", "119"), ("118 / 340", "119 / 340"), ("― 87 ―", "― 88 ―")],
)
def test_page_furniture_is_dropped_wherever_it_falls(numbers):
    text = text_of(REAL)
    anchors = ("0 2014.9.16", "2021\t")  # inside 추진경위 and inside 결산
    title = "2024 세출예산 사업설명서\t경제정책실"
    broken = _with_page_breaks(
        text, [(anchor, [title, number]) for anchor, number in zip(anchors, numbers, strict=True)]
    )
    document, notes = read_document(broken)
    assert without_warnings(document) == without_warnings(parse_document(text))
    inserted = {no for no, line in enumerate(broken.split("\n"), 1) if line in (title, *numbers)}
    assert len(inserted) == 4 and inserted <= notes.furniture


def test_a_continued_heading_continues_its_section():
    text = text_of(REAL)
    anchor = "0 2014.9.16"
    continued = text.replace(f"\n{anchor}", f"\n□ 추진경위 (계속)\n{anchor}")
    assert without_warnings(parse_document(continued)) == without_warnings(parse_document(text))


# ---------------------------------------------------------------- bounded work


def test_grouping_gives_up_the_search_past_its_bound_and_follows_the_labels(monkeypatch):
    steps = []
    real_adds_up = arithmetic.adds_up_won
    monkeypatch.setattr(
        arithmetic, "adds_up_won", lambda *args: steps.append(args) or real_adds_up(*args)
    )
    items = [cost_basis_module._Item(1, f"항목 {i}", "", i) for i in range(400)]
    for item in items:
        item.amount_won = 1000
    categories = [(f"과목{j}", 100) for j in range(3)]
    anchors = {"과목0": 0, "과목1": 150, "과목2": 300}
    assert cost_basis_module.grouping_steps(400, 3) > cost_basis_module.MAX_GROUPING_STEPS
    notes = Notes()
    runs = cost_basis_module.group_items(items, categories, anchors, notes)
    assert steps == []  # the search did not run
    assert [len(run) for run in runs] == [150, 150, 100]
    assert notes.messages == [
        "산출근거: 항목 400개, 과목 3개: 합으로 나누기에 너무 많아 과목 표시대로 묶음"
    ]
    small = cost_basis_module.group_items(items[:30], categories, anchors, Notes())
    assert 0 < len(steps) <= cost_basis_module.grouping_steps(30, 3)
    assert sum(map(len, small)) == 30


def test_a_real_document_is_far_within_the_bound():
    for path in DOCUMENTS:
        document = expected_of(path)
        items = sum(len(group["items"]) for group in document["cost_basis"])
        steps = cost_basis_module.grouping_steps(items, len(document["budget_summary"]))
        assert steps * 10 < cost_basis_module.MAX_GROUPING_STEPS


def test_a_text_beyond_the_cap_is_refused_unread():
    sample = text_of(REAL)
    big = sample * (MAX_BYTES // len(sample.encode("utf-8")) + 1)
    with pytest.raises(TooLarge, match=r"^사업설명서가 아닙니다: 텍스트가 너무 큼 \("):
        parse_document(big)


def test_the_command_refuses_a_text_beyond_the_cap_with_status_2(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"\xea\xb0\x80" * (MAX_BYTES // 3 + 1))
    result = subprocess.run(
        [sys.executable, "manage.py", "parse_document", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert f"{path}: 사업설명서가 아닙니다: 텍스트가 너무 큼" in result.stderr


def test_lines_shuffled_inside_a_section_never_break_the_accounting():
    lines = text_of(REAL).split("\n")
    middle = lines[60:80]
    random.Random(12).shuffle(middle)
    text = "\n".join([*lines[:60], *middle, *lines[80:]])
    _, notes = read_document(text)
    numbered = {no for no, line in enumerate(text.split("\n"), 1) if line.strip()}
    assert numbered - notes.used - notes.furniture - notes.named == set()


@pytest.mark.parametrize(
    ("printed", "amount_won"),
    [
        ("교재 인쇄 : 3,850원 × 4,000부", 15_400_000),
        ("교재 인쇄 : 4,000부 * 3,850원", 15_400_000),
        ("교재 인쇄 : 단가 3,850원 X 수량 4,000부", 15_400_000),
        ("교재 인쇄 3,850원/㎡ x 4,000㎡", 15_400_000),
        ("교재 인쇄 : 1시간당 3,850원 × 4,000시간", 15_400_000),
        ("교재 인쇄 : 3,850원 × 2.5개월", 9_625),
        ("교재 인쇄 : 1,237원 × 1.5개월", 1_855),  # 1,855.5원: below 1원 is cut off
    ],
)
def test_a_formula_gives_its_product_in_won(printed, amount_won):
    assert cost_basis_module._name_and_product(printed) == ("교재 인쇄", amount_won)


@pytest.mark.parametrize(
    ("period", "start", "end", "words"),
    [
        ("연중", "2024-01", "2024-12", None),
        ("매월", "2024-01", "2024-12", None),
        ("분기별", "2024-01", "2024-12", None),
        ("상반기", "2024-01", "2024-06", None),
        ("하반기", "2024-07", "2024-12", None),
        ("3분기", "2024-07", "2024-09", None),
        ("2024.03 – 2024.05", "2024-03", "2024-05", None),
        ("수시", None, None, "수시"),
        ("필요시", None, None, "필요시"),
    ],
)
def test_a_schedule_period_in_words(period, start, end, words):
    old = "민간위탁 사업 추진\t2024.01~2024.12\t"
    text = text_of(REAL)
    assert text.count(old) == 1
    document = parse_document(text.replace(old, f"민간위탁 사업 추진\t{period}\t"))
    step = next(step for step in document["schedule"] if step["task"] == "민간위탁 사업 추진")
    assert (step["start"], step["end"], step.get("period_text")) == (start, end, words)
    assert not [w for w in document["warnings"] if w.startswith("추진일정")]


@pytest.mark.parametrize(
    ("wording", "is_contract"),
    [
        ("위·수탁 협약 체결(2013.4.12.~2015.4.11.)", True),
        ("재위탁 협약 체결(2년, 2013.4.12.~2015.4.11.)", True),
        ("민간위탁 성과평가 용역 계약 체결(2013.4.12.~2013.10.11.)", False),
        ("센터 리모델링 공사 계약 체결(2013.4.12.~2013.10.11.)", False),
        ("위탁 차량 임차 계약 체결(2013.4.12.~2015.4.11.)", False),
        ("심야버스 운행 협약 체결(2013.4.12.~2015.4.11.)", False),
    ],
)
def test_only_a_consignment_is_a_contract(wording, is_contract):
    old = "0 2013.4.11\t서울시 사회적경제지원센터 개소"
    text = text_of(REAL)
    assert text.count(old) == 1
    document = parse_document(text.replace(old, f"0 2013.4.11\t{wording}"))
    signed = [contract for contract in document["contracts"] if contract["signed"] == "2013-04-11"]
    assert len(signed) == is_contract
    assert any(event["text"] == wording for event in document["history"])


def test_a_row_of_figures_next_to_two_page_breaks_is_not_furniture():
    page = ["시설비\t(x-)\t(x-)\t(x-)\t(x-)", "\t100\t200\t100\t100", "세출예산 사업설명서"]
    text = "\n".join([*page, "- 1 -", *page, "- 2 -", *page])
    lines = split_lines(text)
    found = {line.text for line in lines if line.no in furniture(lines, None)}
    assert found == {"- 1 -", "- 2 -", "세출예산 사업설명서"}
