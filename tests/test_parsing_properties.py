"""Whatever the input, the parser gives a complete result or NotADocument, nothing else."""

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.parsing import NotADocument, decode, parse_document

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    path.read_text(encoding="utf-8")
    for path in sorted(
        [*(ROOT / "samples").glob("*.txt"), *(ROOT / "tests" / "documents").glob("*.txt")]
    )
]
KEYS = {
    "format", "title", "fiscal_year", "account", "period_type", "overview", "funding",
    "officers", "budget_total", "budget_summary", "cost_basis", "purpose", "legal_basis",
    "period", "activities", "delivery_method", "history", "contracts", "schedule",
    "performance", "expected_effects", "settlements", "warnings",
}  # fmt: skip
# Characters that mean something to the parser, to substitute for others.
SIGNIFICANT = "\t\n 0123456789,.-~△()xX_=□○ㅇ☑月계년원천국비시구기타:해당없음'"

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str) -> None:
    """The property: a result with every key, serialisable, or NotADocument."""
    try:
        document = parse_document(text)
    except NotADocument as error:
        assert str(error).startswith("사업설명서가 아닙니다: ")
        return
    assert set(document) == KEYS
    assert all(isinstance(warning, str) for warning in document["warnings"])
    # A section that raised would be reported as unreadable: none may.
    assert not [w for w in document["warnings"] if "읽는 중 오류가 나서" in w]
    json.dumps(document, ensure_ascii=False)


@st.composite
def mutated_lines(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        match draw(st.sampled_from(["delete", "duplicate", "swap", "move"])):
            case "delete":
                del lines[i]
            case "duplicate":
                lines.insert(j, lines[i])
            case "swap":
                lines[i], lines[j] = lines[j], lines[i]
            case "move":
                lines.insert(j, lines.pop(i))
    return "\n".join(lines)


@st.composite
def substituted(draw: st.DrawFn) -> str:
    text = list(draw(st.sampled_from(TEXTS)))
    alphabet = st.one_of(st.sampled_from(SIGNIFICANT), st.characters())
    for _ in range(draw(st.integers(1, 40))):
        position = draw(st.integers(0, len(text) - 1))
        text[position] = draw(alphabet)
    return "".join(text)


@st.composite
def truncated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(TEXTS))
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text[start:end] if draw(st.booleans()) else text[:end]


@FAST
@given(mutated_lines())
def test_deleted_duplicated_or_swapped_lines(text):
    check(text)


@FAST
@given(substituted())
def test_random_character_substitutions(text):
    check(text)


@FAST
@given(truncated())
def test_truncation_at_any_point(text):
    check(text)


@FAST
@given(st.lists(st.sampled_from(TEXTS[0].split("\n")), max_size=60).map("\n".join))
def test_lines_of_a_document_in_any_order(text):
    check(text)


@FAST
@given(st.text(alphabet=st.sampled_from(SIGNIFICANT), max_size=400))
def test_arbitrary_text_of_significant_characters(text):
    check(text)


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_decode_to_text_or_not_a_document(data):
    try:
        text = decode(data)
    except NotADocument:
        return
    assert isinstance(text, str)
    assert "\r" not in text
    check(text)
