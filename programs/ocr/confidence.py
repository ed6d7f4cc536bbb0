"""What OCR was unsure of, on the parsed document: each value's confidence, warnings for the
doubtful ones, and corrections by the document's own arithmetic.

A value's confidence is that of the words it was read from: a figure is matched to the words
that print it, a text to the printed line that holds it. Below `DOUBTFUL` a value is named in
a warning (section, field, page and line, confidence). Where the checks (`programs.checks`)
find an identity broken, each doubtful figure is tried with one digit changed; if exactly one
such change mends what the checks report, it is made and said in a warning. Nothing is
changed silently, and a figure read with confidence is never changed.
"""

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..arithmetic import ERROR
from ..checks import check_document
from ..formatting import amount
from ..parsing.text import compact
from . import OcrPage, Word
from .tesseract import DOUBTFUL

_NUMBER_RE = re.compile(r"\d{1,3}(?:[,.]\d{3})+|\d+")
_MAX_ROUNDS = 5  # corrections are made one at a time, each against the checks again

# The section a field belongs to, by the first key of its path, in the document's words.
SECTIONS = {
    "title": "사업개요",
    "account": "사업개요",
    "period_type": "사업개요",
    "overview": "사업개요",
    "funding": "사업개요",
    "officers": "사업 담당자",
    "budget_total": "예산 총괄",
    "budget_summary": "예산 총괄",
    "cost_basis": "산출근거",
    "purpose": "사업목적",
    "legal_basis": "사업근거",
    "period": "사업내용",
    "activities": "사업내용",
    "delivery_method": "사업내용",
    "history": "추진경위",
    "contracts": "추진경위",
    "schedule": "추진일정",
    "performance": "추진실적",
    "expected_effects": "기대효과",
    "settlements": "결산",
}


@dataclass(frozen=True)
class Reading:
    """Where a value was read: its page, its line in the text, and the least sure word."""

    page: int
    line: int  # 1-based, in the text of all pages, as the parser's warnings count lines
    confidence: float


@dataclass(frozen=True)
class _Printed:
    page: int
    line: int
    compact: str
    words: tuple[Word, ...]


def review(document: dict, pages: list[OcrPage]) -> dict[str, Reading]:
    """Mend the document's single-digit misreads and name its doubtful values, both in its
    `warnings`; returns where each value was read (path -> Reading), for a preview to mark."""
    printed = list(_printed(pages))
    found = readings(document, printed)
    warnings = document.setdefault("warnings", [])
    first_line = 0
    for page in pages:
        for mended in page.mended:
            warnings.append(
                f"{page.number}쪽, {first_line + mended.index + 1}행: OCR이 '{mended.read}'(으)로"
                f" 읽은 절 제목을 '{mended.meant}'(으)로 고침 (글자 하나, 신뢰도"
                f" {mended.confidence:.0f}%)"
            )
        first_line += len(page.lines)
    corrected = correct(document, found)
    for path, (before, after, reading) in corrected.items():
        warnings.append(
            f"{_where(path, reading)}: OCR이 {_show(before)}(으)로 읽은 값을 항등식에 맞게"
            f" {_show(after)}(으)로 고침 (숫자 하나, 신뢰도 {reading.confidence:.0f}%)"
        )
    for path, reading in found.items():
        if reading.confidence < DOUBTFUL and path not in corrected:
            warnings.append(
                f"{_where(path, reading)}: OCR 신뢰도 {reading.confidence:.0f}%,"
                f" 원본 이미지와 대조 필요 ('{_show(_get(document, path))}')"
            )
    return found


def _printed(pages: list[OcrPage]) -> Iterator[_Printed]:
    line = 0
    for page in pages:
        for printed in page.lines:
            line += 1
            yield _Printed(page.number, line, compact(printed.text), tuple(printed.words))


def readings(document: dict, printed: list[_Printed]) -> dict[str, Reading]:
    """Every value of the document that the printed lines show, with its least sure word."""
    numbers: dict[int, list[tuple[_Printed, Word]]] = {}
    for line in printed:
        for word in line.words:
            for match in _NUMBER_RE.finditer(word.text):
                numbers.setdefault(int(re.sub(r"\D", "", match[0])), []).append((line, word))
    found = {}
    for path, value in _leaves(document, ""):
        if path.startswith("warnings"):
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            sources = numbers.get(abs(value), [])
            if sources:
                line, word = min(sources, key=lambda source: source[1].confidence)
                found[path] = Reading(line.page, line.line, word.confidence)
        elif isinstance(value, str) and len(compact(value)) >= 2:
            reading = _text_reading(compact(value), printed)
            if reading:
                found[path] = reading
    return found


def _text_reading(text: str, printed: list[_Printed]) -> Reading | None:
    """A text's line is the first that holds its beginning; its words there are those inside it."""
    head = text[:12]
    for line in printed:
        if head in line.compact:
            inside = [word for word in line.words if compact(word.text) in text]
            if inside:
                return Reading(line.page, line.line, min(word.confidence for word in inside))
    return None


def correct(document: dict, found: dict[str, Reading]) -> dict[str, tuple[int, int, Reading]]:
    """Single-digit corrections of doubtful figures, made in `document`: path -> (as read,
    as corrected, reading)."""
    doubtful = {
        path: reading
        for path, reading in found.items()
        if reading.confidence < DOUBTFUL and isinstance(_get(document, path), int)
    }
    corrected = {}
    for _ in range(_MAX_ROUNDS):
        errors = _errors(document)
        if not errors or not doubtful:
            break
        mends = [
            (path, value)
            for path in doubtful
            if path not in corrected
            for value in _one_digit_changes(_get(document, path))
            if _errors(_with(document, path, value)) < errors
        ]
        if len(mends) != 1:
            break
        [(path, value)] = mends
        corrected[path] = (_get(document, path), value, doubtful[path])
        _set(document, path, value)
    return corrected


def _errors(document: dict) -> int:
    return sum(1 for finding in check_document(document) if finding.severity == ERROR)


def _one_digit_changes(value: int) -> Iterator[int]:
    digits = str(abs(value))
    sign = -1 if value < 0 else 1
    for index, digit in enumerate(digits):
        for other in "0123456789":
            if other != digit and not (index == 0 and other == "0" and len(digits) > 1):
                yield sign * int(digits[:index] + other + digits[index + 1 :])


# ---------------------------------------------------------------- paths


_STEP_RE = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [key if key else int(index) for key, index in _STEP_RE.findall(path)]


def _get(document: dict, path: str) -> object:
    value: object = document
    for step in _steps(path):
        value = value[step]  # type: ignore[index]
    return value


def _set(document: dict, path: str, value: object) -> None:
    *parents, last = _steps(path)
    target: object = document
    for step in parents:
        target = target[step]  # type: ignore[index]
    target[last] = value  # type: ignore[index]


def _with(document: dict, path: str, value: object) -> dict:
    changed = copy.deepcopy(document)
    _set(changed, path, value)
    return changed


def _leaves(value: object, path: str) -> Iterator[tuple[str, object]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaves(inner, f"{path}[{index}]")
    else:
        yield path, value


def _where(path: str, reading: Reading) -> str:
    section = SECTIONS.get(_steps(path)[0], "문서")
    return f"{section} {path} ({reading.page}쪽, {reading.line}행)"


def _show(value: object) -> str:
    return amount(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)
