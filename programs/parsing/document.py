"""The whole document: its sections read in turn into the JSON form."""

import re
from collections.abc import Callable
from os import PathLike

from ..documents import FORMAT
from .budget import Budget, empty_total, parse_budget
from .characters import DOT
from .content import Content, empty_period, parse_content, parse_legal_basis, parse_purpose
from .cost_basis import cost_basis_year, parse_cost_basis
from .history import parse_history, read_contracts
from .layout import furniture
from .officers import parse_officers
from .overview import Overview, empty_funding, parse_overview
from .performance import parse_list, parse_performance
from .schedule import parse_schedule
from .sections import (
    MIN_SECTIONS,
    SECTION_NAMES,
    TITLE_PREFIX_RE,
    split_sections,
)
from .settlements import parse_settlements
from .text import (
    MAX_BYTES,
    Line,
    NotADocument,
    Notes,
    TooLarge,
    compact,
    decode,
    ignored,
    refuse_too_large,
    split_lines,
    squash,
)


def parse_file(path: str | PathLike) -> dict:
    """Read, decode and parse one document file."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise NotADocument(f"파일을 읽을 수 없음 ({exc.strerror or exc})") from exc
    if len(data) > MAX_BYTES:  # refused before decoding it
        raise TooLarge(len(data))
    return parse_document(decode(data))


def parse_document(text: str) -> dict:
    """The JSON form (`budget-program-document/1`) of a program description's text."""
    return read_document(text)[0]


def read_document(text: str) -> tuple[dict, Notes]:
    """The JSON form, and the notes of reading: its warnings and which lines it read.

    Every non-empty line is accounted for: read into a field (`notes.used`), page furniture
    (`notes.furniture`), or named in a warning (`notes.named`).
    """
    refuse_too_large(text)
    lines = split_lines(text)
    if not lines:
        raise NotADocument("텍스트가 비어 있음")
    notes = Notes()
    title_key = compact(TITLE_PREFIX_RE.sub("", lines[0].text))
    notes.furniture = furniture(lines, title_key)
    sections = split_sections([line for line in lines if line.no not in notes.furniture])
    found = [key for key in SECTION_NAMES if key in sections.bodies]
    if len(found) < MIN_SECTIONS:
        shown = ", ".join(SECTION_NAMES[key] for key in found) or "없음"
        raise NotADocument(
            f"사업설명서의 절 제목(□ 예산 총괄, □ 산출근거, □ 추진경위, …)이 "
            f"{len(found)}개뿐임 ({shown})"
        )
    bodies = sections.bodies
    title = TITLE_PREFIX_RE.sub("", squash(sections.title.text)) if sections.title else None
    if title:
        notes.use(sections.title.no)
    else:
        notes.add("제목", None, "사업명(첫 줄)이 없음")
    notes.use(*sections.headings)
    for key, name in SECTION_NAMES.items():
        if key not in bodies:
            notes.add(name, None, "절이 없음")

    def guarded(where: str, fallback: object, step: Callable, *args: object) -> object:
        try:
            return step(*args)
        except Exception as exc:  # one unreadable part must not lose the rest
            notes.add(where, None, f"읽는 중 오류가 나서 비워 둠 ({type(exc).__name__}: {exc})")
            return fallback

    def read(key: str, parse: Callable, fallback: object, *args: object) -> object:
        return guarded(SECTION_NAMES[key], fallback, parse, bodies.get(key, []), notes, *args)

    empty_budget = Budget(None, [], None)
    budget = read("budget", parse_budget, empty_budget)
    fiscal_year = guarded(
        "회계연도", None, _fiscal_year, budget, bodies, sections.schedule_year, notes
    )
    basics = read("overview", parse_overview, Overview(None, None, None, empty_funding()))
    content = read("content", parse_content, Content(empty_period(), [], None))
    history = read("history", parse_history, [])
    settlements = read("settlements", parse_settlements, [])
    document = {
        "format": FORMAT,
        "title": title,
        "fiscal_year": fiscal_year,
        "account": basics.account,
        "period_type": basics.period_type,
        "overview": basics.overview,
        "funding": basics.funding,
        "officers": read("officers", parse_officers, []),
        "budget_total": budget.total or empty_total(),
        "budget_summary": budget.rows,
        "cost_basis": read("cost_basis", parse_cost_basis, [], budget.rows),
        "purpose": read("purpose", parse_purpose, None),
        "legal_basis": read("legal_basis", parse_legal_basis, []),
        "period": content.period,
        "activities": content.activities,
        "delivery_method": content.delivery_method,
        "history": [event.json for event in history],
        "contracts": guarded(SECTION_NAMES["history"], [], read_contracts, history, notes),
        "schedule": read("schedule", parse_schedule, [], fiscal_year),
        "performance": read("performance", parse_performance, []),
        "expected_effects": read("effects", parse_list, []),
        "settlements": settlements,
    }
    for line in sections.stray:
        if _restates(line.text, document):
            notes.use(line.no)
        else:
            notes.add("절 밖", line.no, ignored(line.text, "어느 절에도 속하지 않는"))
    document["warnings"] = notes.messages
    return document, notes


_WORDS_RE = re.compile(rf"[^\s{re.escape(DOT)}|/,]+")


def _restates(text: str, document: dict) -> bool:
    """Whether a line outside the sections only restates what the document says elsewhere,
    as a printed title block does (`2024년도 사업설명서`, `실·국 · 부서`)."""
    year = document["fiscal_year"]
    known = {"사업설명서", "세출예산", f"{year}년도", f"{year}년"} if year else {"사업설명서"}
    for officer in document["officers"]:
        for key in ("bureau", "department"):
            known.update(compact(word) for word in _WORDS_RE.findall(officer.get(key) or ""))
    words = _WORDS_RE.findall(text)
    return bool(words) and all(compact(word) in known for word in words)


def _fiscal_year(
    budget: Budget, bodies: dict[str, list[Line]], schedule_year: int | None, notes: Notes
) -> int | None:
    """The year of the (B) column of 예산 총괄, else of 산출근거's or 추진일정's heading."""
    candidates = [
        ("예산 총괄", budget.year),
        ("산출근거", cost_basis_year(bodies.get("cost_basis", []))),
        ("추진일정", schedule_year),
    ]
    years = [(where, year) for where, year in candidates if year]
    if not years:
        notes.add("회계연도", None, "회계연도를 찾지 못함 (예산액(B), 추진일정 제목)")
        return None
    where, year = years[0]
    for other, other_year in years[1:]:
        if other_year != year:
            notes.add("회계연도", None, f"{where} {year}년, {other} {other_year}년: {year}년을 씀")
    return year
