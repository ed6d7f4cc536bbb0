"""사업목적, 사업근거 and 사업내용 (사업기간, the activities, 사업수행방법)."""

import re
from typing import NamedTuple

from .characters import DOT, DOUBLE_QUOTE, QUOTE, TILDE
from .sections import SECTION_NAMES
from .text import NONE_RE, Line, Notes, bulleted, compact, says_none, squash
from .values import RANGE_SPLIT_RE, YEAR, read_year


def parse_purpose(lines: list[Line], notes: Notes) -> str | None:
    notes.use(*(line.no for line in lines))  # the lines joined are the text
    text = squash(" ".join(text for _, text in bulleted(lines)))
    if not text:
        notes.add(SECTION_NAMES["purpose"], None, "내용이 없음")
    return text or None


# `제12조의2제1항`, and the article's title after it: `제5조(센터의 설치)`.
_ARTICLE_RE = re.compile(
    r"(?P<article>제\s*\d+\s*조(?:\s*의\s*\d+)?(?:\s*제\s*\d+\s*[항호])*)(?:\s*\([^()]*\))?"
)
# `법령상 근거`, `자치법규 근거 :` head the list of laws.
_BASIS_HEADER_RE = re.compile(r"^[가-힣 ]{0,8}근거\s*(?:[:：]\s*|$)")
_LAW_SEPARATORS = f" ,{DOT}및{TILDE}、「」『』{DOUBLE_QUOTE}{QUOTE}"
_MIN_LAW_NAME = 3  # shorter text between articles is a connective (`내지`), not a law


def parse_legal_basis(lines: list[Line], notes: Notes) -> list[dict]:
    notes.use(*(line.no for line in lines))  # each line a law, or part of one
    laws: list[dict] = []
    for _, text in bulleted(lines):
        text = _BASIS_HEADER_RE.sub("", text)  # `법령상 근거 :` heads the list
        if not NONE_RE.search(text):
            laws.extend(_laws_in(text))
    if not laws and not says_none(lines):
        notes.add(SECTION_NAMES["legal_basis"], None, "법령이나 조례를 찾지 못함")
    return laws


def _laws_in(text: str) -> list[dict]:
    """`조례 제11조, 제12조 및 법 제3조` → one entry per law with its articles."""
    laws: list[dict] = []
    position = 0
    for match in _ARTICLE_RE.finditer(text):
        name = text[position : match.start()].strip(_LAW_SEPARATORS)
        if len(name) >= _MIN_LAW_NAME or not laws:
            laws.append({"name": name, "articles": []})
        laws[-1]["articles"].append(compact(match["article"]))
        position = match.end()
    rest = text[position:].strip(_LAW_SEPARATORS)
    if len(rest) >= _MIN_LAW_NAME or (rest and not laws):
        laws.append({"name": rest, "articles": []})
    return laws


class Content(NamedTuple):
    period: dict
    activities: list[str]
    delivery_method: str | None


# `사업기간 : …`; a label without a colon only before a year (`사업기간 2013년~`) or alone.
_CONTENT_FIELD_RE = re.compile(
    rf"(?P<label>사업기간|사업내용|(?:사업)?(?:수행|추진)방법)\s*(?::|$|(?=[{QUOTE}\d]))\s*(?P<value>.*)"
)
_YEAR_RE = re.compile(YEAR)


def empty_period() -> dict:
    return {"start_year": None, "end_year": None}


def parse_content(lines: list[Line], notes: Notes) -> Content:
    where = SECTION_NAMES["content"]
    period, period_line, activities, method = None, None, [], None
    notes.use(*(line.no for line in lines))  # each line a field, an activity or part of one
    for no, text in bulleted(lines):
        field = _CONTENT_FIELD_RE.fullmatch(text)
        label = field["label"] if field else None
        if label == "사업기간":
            period, period_line = field["value"], no
        elif label == "사업내용":
            if field["value"]:
                activities.append(field["value"])
        elif label:
            method = field["value"] or None
        else:
            activities.append(text)
    if method is None:
        notes.add(where, None, "사업수행방법이 없음")
    return Content(_read_period(period, period_line, notes), activities, method)


def _read_period(text: str | None, line: int | None, notes: Notes) -> dict:
    """`2013년 ~ 계속` (no end), `2025년 ~ 2027년`, `'22년 ~ '24년`, `2024년` (one year)."""
    years = [read_year(year) for year in _YEAR_RE.findall(text or "")]
    if not years:
        message = f"사업기간을 읽지 못해 비워 둠 ({text!r})" if text else "사업기간이 없음"
        notes.add(SECTION_NAMES["content"], line, message)
        return empty_period()
    if not RANGE_SPLIT_RE.search(text):
        return {"start_year": years[0], "end_year": years[0]}
    return {"start_year": years[0], "end_year": years[1] if len(years) > 1 else None}
