"""Read the text of a Seoul budget program description (사업설명서) into its JSON form.

The text comes from PDF extraction: TABs separate table cells, bullets and symbols are mangled
(`○` printed as `0`, `o`, `ㅇ` or `\\circ`; `계` as `月`), labels drift onto a neighbouring row,
lines wrap, and page numbers and running headers interrupt tables. The parser therefore leans
on the document's structure (section headings, cell positions, bullets) and on the arithmetic
identities between its figures (`/work/shared/document-format.md`), not on any wording.

A value that cannot be read is `None` plus an entry in `warnings` naming the section and the
source line; input that is not a program description raises `NotADocument`. No other exception
escapes `decode` or `parse_document`.
"""

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from itertools import combinations, pairwise
from math import comb
from os import PathLike
from typing import NamedTuple

FORMAT = "budget-program-document/1"


class NotADocument(ValueError):
    """The input is not (the text of) a program description; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a program description: {reason}")


# ---------------------------------------------------------------- decoding


def decode(data: bytes) -> str:
    """The text of a document file: UTF-8 (with or without BOM), else CP949/EUC-KR."""
    if data.startswith(codecs.BOM_UTF8):
        text = _decode_as(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_as(data, "utf-16")
    elif b"\x00" in data:
        raise NotADocument("binary data (NUL bytes), not text")
    else:
        text = _decode_as(data, "utf-8", "cp949")
    if _looks_binary(text):
        raise NotADocument("binary data (control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_as(data: bytes, *encodings: str) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotADocument(f"the bytes are not {' or '.join(encodings)} text")


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    # PDF extraction leaves the odd stray control character; binary data is full of them.
    return len(_CONTROL_RE.findall(text)) > max(2, len(text) // 100)


def parse_file(path: str | PathLike) -> dict:
    """Read, decode and parse one document file."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        raise NotADocument(f"cannot read the file ({exc.strerror or exc})") from exc
    return parse_document(decode(data))


# ---------------------------------------------------------------- lines and cells


class _Line(NamedTuple):
    no: int  # 1-based line number in the source, for warnings
    text: str
    cells: list[str]  # TAB-separated table cells, stripped
    compact: str  # the text without whitespace: extraction spaces words unevenly


# Spaces of other widths become plain spaces; zero-width characters and form feeds (page
# breaks, which editors do not count as line breaks) disappear. Regular expressions, not
# str.translate: that looks up every character of a Korean text in its table, nine times slower.
_WIDE_SPACE_RE = re.compile("[\u00a0\u2002\u2003\u2009\u3000]")
_INVISIBLE_RE = re.compile("[\u200b\ufeff\f\v]")
# Page numbers (`- 118 -`) and unit notes (`(단위 : 천원, %)`), compared without spaces.
_NOISE_LINE_RE = re.compile(r"[-–—]\d{1,4}[-–—]|\((?:단위|금액단위)[:：][^()]*\)")
_WS_RE = re.compile(r"\s+")


def _split_lines(text: str) -> list[_Line]:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", _WIDE_SPACE_RE.sub(" ", text))
    lines = []
    for no, raw in enumerate(text.split("\n"), 1):
        # Leading TABs stay: they are the blank cells that place the others in their columns.
        kept = raw.rstrip().lstrip(" ")
        if not kept:
            continue
        compact = _compact(kept)
        if _NOISE_LINE_RE.fullmatch(compact):
            continue
        lines.append(_Line(no, kept, [cell.strip() for cell in kept.split("\t")], compact))
    return lines


def _compact(text: str) -> str:
    return _WS_RE.sub("", text)


def _squash(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()


def _joined(cells: Iterable[str]) -> str:
    return _squash(" ".join(cell for cell in cells if cell))


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


# A category label (or a piece of one wrapped over lines): words, no figures.
_LABEL_RE = re.compile(r"[^\d=~]{0,30}[가-힣月][^\d=~]{0,30}")


def _is_label(text: str) -> bool:
    return bool(_LABEL_RE.fullmatch(text))


_WORD_RE = re.compile(r"[가-힣A-Za-z]{2}")


def _has_words(text: str) -> bool:
    """Whether a stray line holds words (worth a warning) or only digits and symbols."""
    return bool(_WORD_RE.search(text))


_NONE_RE = re.compile(r"해당\s*(?:사항)?\s*없음|^없음$")


def _says_none(lines: Sequence[_Line]) -> bool:
    return any(_NONE_RE.search(line.text) for line in lines)


# ---------------------------------------------------------------- warnings


class _Notes:
    """The warnings: what could not be read cleanly, by section and source line."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, line: int | None, message: str) -> None:
        at = f" (line {line})" if line else ""
        self.messages.append(f"{where}{at}: {message}")


def _won(value: int) -> str:
    return f"{value:,}".replace("-", "△")


# ---------------------------------------------------------------- numbers, dates


_DASHES = frozenset("-－–—‐_")
_NUMBER_RE = re.compile(r"(?P<sign>[△▲-])?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)")
# The national (국비) part printed before an amount: `(x209,000)`, `(x-)`, `(_X -)`.
_NATIONAL_RE = re.compile(r"\(\s*_?\s*[xX×]\s*(?P<value>[^()]*?)\s*\)")


def _read_number(text: str) -> int | None:
    """An integer as printed (`1,234`, `△65,000` negative, `-` zero), or None."""
    text = text.strip()
    if text and all(char in _DASHES or char.isspace() for char in text):
        return 0
    match = _NUMBER_RE.fullmatch(text)
    if not match:
        return None
    value = int(match["digits"].replace(",", ""))
    return -value if match["sign"] else value


class _Money(NamedTuple):
    """One amount cell: the amount and its national part; `printed` is False for a blank."""

    amount: int | None
    national: int | None
    printed: bool
    text: str


def _read_money(cell: str) -> _Money:
    rest, national = cell.strip(), None
    match = _NATIONAL_RE.match(rest)
    if match:
        national = _read_number(match["value"]) if match["value"] else 0
        rest = rest[match.end() :].strip()
        if not rest:  # `(x-)` alone: a dash, so no money at all
            return _Money(0 if national == 0 else None, national, True, cell)
    amount = _read_number(rest) if rest else None
    return _Money(amount, national, bool(rest) or match is not None, cell)


def _is_money(cell: str) -> bool:
    money = _read_money(cell)
    return money.amount is not None or money.national is not None


_YEAR = r"(?:\d{4}|'\d{2}|’\d{2})"
_POINT_RE = re.compile(
    rf"(?:(?P<year>{_YEAR})\s*(?:년도?|[./-])?\s*)?"
    r"(?:(?P<month>\d{1,2})\s*(?:월|[./-])?\s*(?:(?P<day>\d{1,2})\s*(?:일|\.)?)?)?"
)
_RANGE_SPLIT_RE = re.compile(r"[~∼〜～]")
_ALL_YEAR = frozenset({"연중", "상시", "연중상시", "연간"})


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text[1:])


class _Point(NamedTuple):
    year: int | None
    month: int | None
    day: int | None


def _read_point(text: str) -> _Point | None:
    match = _POINT_RE.fullmatch(text.strip())
    if not match or not (match["year"] or match["month"]):
        return None
    return _Point(
        _year(match["year"]) if match["year"] else None,
        int(match["month"]) if match["month"] else None,
        int(match["day"]) if match["day"] else None,
    )


def _iso(point: _Point) -> str | None:
    """`YYYY-MM-DD`, or `YYYY-MM` when only a month is given; None if not a real date."""
    if point.year is None or point.month is None:
        return None
    try:
        date(point.year, point.month, 1 if point.day is None else point.day)
    except ValueError:
        return None
    if point.day is None:
        return f"{point.year:04d}-{point.month:02d}"
    return f"{point.year:04d}-{point.month:02d}-{point.day:02d}"


def _read_range(text: str, year: int | None = None) -> tuple[str | None, str | None] | None:
    """`2024.01~2024.03`, `2014.7~8.`, `2023.5.9~12`, `1월~3월`, `연중` as (start, end).

    The end inherits what it leaves out from the start (`2014.7~8.` ends 2014-08); a start
    without a year takes `year`. A single date gives (date, None). None if unreadable.
    """
    text = text.strip().rstrip(".").strip()
    if text.isdigit():
        return None  # a bare number is an amount, not a month
    if _compact(text) in _ALL_YEAR and year:
        return f"{year:04d}-01", f"{year:04d}-12"
    parts = _RANGE_SPLIT_RE.split(text)
    if len(parts) > 2:
        return None
    start = _read_point(parts[0])
    if start is None or start.month is None:
        return None
    start = start._replace(year=start.year or year)
    if len(parts) == 1:
        return (_iso(start), None) if _iso(start) else None
    end = _read_point(parts[1])
    if end is None:
        return None
    if end.year is None and end.day is None and start.day is not None:
        end = _Point(None, start.month, end.month)  # `2023.5.9~12`: the 12th
    end = _Point(end.year or start.year, end.month or start.month, end.day)
    if not (_iso(start) and _iso(end)):
        return None
    return _iso(start), _iso(end)


def _as_date(iso: str | None) -> date | None:
    if iso is None or len(iso) != 10:
        return None
    return date.fromisoformat(iso)


# ---------------------------------------------------------------- sections

SECTION_NAMES = {
    "overview": "사업개요",
    "officers": "사업 담당자",
    "budget": "예산 총괄",
    "cost_basis": "산출근거",
    "purpose": "사업목적",
    "legal_basis": "사업근거",
    "content": "사업내용",
    "history": "추진경위",
    "schedule": "추진일정",
    "performance": "추진실적",
    "effects": "기대효과",
    "settlements": "결산",
}
# Heading texts with spaces removed; a heading is a whole line, optionally behind `□` or a
# part number (`5 회 근 3 년 결 산 현 황` is the extraction of `5 최근 3년 결산 현황`).
# One pattern, its alternatives tried in this order; the group that matched names the section.
_HEADINGS_RE = re.compile(
    "|".join(
        f"(?P<{key}>{pattern})"
        for key, pattern in (
            ("overview", r"사업개요"),
            ("officers", r"사업담당자"),
            ("budget", r"예산총괄(?:표)?"),
            ("cost_basis", r"(?:예산|세부)?산출근거"),
            ("purpose", r"사업목적"),
            ("legal_basis", r"(?:사업|법적|법령)?근거(?:법령|법규)?"),
            ("content", r"사업내용"),
            ("history", r"(?:사업)?추진경위"),
            ("schedule", rf"(?:(?P<year>{_YEAR})(?:년도?)?)?(?:사업)?추진일정"),
            ("performance", r"(?:최근\d년간?)?(?:사업)?추진실적"),
            ("effects", r"(?:향후)?기대효과"),
            ("settlements", r"(?:\S{0,2}\d년간?)?결산(?:현황|내역)?"),
            ("part", r"기본현황|예산설명|사업설명|사업효과"),
        )
    )
)
_HEADING_RE = re.compile(
    r"(?P<marker>[□■◻◼❏❑▢☐ㅁ口]|(?:\d{1,2}|[ⅠⅡⅢⅣⅤⅥ])\s*[.)]?(?=\s))?\s*(?P<body>[^\t]+)"
)
_UNIT_RE = re.compile(r"\((?:단위|금액)[^()]*\)$")
_REAL_MARKERS = frozenset("□■◻◼❏❑▢☐")
_TITLE_PREFIX_RE = re.compile(r"^(?:세부)?사업명\s*[:：]\s*")
_MIN_SECTIONS = 3


class _Heading(NamedTuple):
    key: str  # a key of SECTION_NAMES, "part", or "other" (an unknown □ heading)
    year: int | None  # the year in `□ 2024년도 추진일정`


def _heading(line: _Line) -> _Heading | None:
    text = line.text.strip()
    if len(text) > 40 or "\t" in text:
        return None
    match = _HEADING_RE.fullmatch(text)
    if not match:
        return None
    body = _UNIT_RE.sub("", _compact(match["body"])).rstrip(":")
    found = _HEADINGS_RE.fullmatch(body)
    if found:
        # The section's group closes after the `year` inside it: it is the last group.
        return _Heading(found.lastgroup, _year(found["year"]) if found["year"] else None)
    if match["marker"] and match["marker"] in _REAL_MARKERS:
        return _Heading("other", None)
    return None


class _Sections(NamedTuple):
    title: _Line | None
    bodies: dict[str, list[_Line]]  # section key → its lines (a repeated heading continues it)
    schedule_year: int | None


def _split_sections(lines: list[_Line]) -> _Sections:
    bodies: dict[str, list[_Line]] = {}
    title, current, schedule_year = None, None, None
    for line in lines:
        heading = _heading(line)
        if heading:
            current = heading.key if heading.key in SECTION_NAMES else None
            if current:
                bodies.setdefault(current, [])
            if heading.year:
                schedule_year = heading.year
        elif current:
            bodies[current].append(line)
        elif title is None and not bodies:
            title = line
    return _Sections(title, bodies, schedule_year)


def _drop_running_headers(bodies: dict[str, list[_Line]], title: str) -> None:
    """Drop the program title where a page break repeats it inside a section."""
    key = _compact(title)
    for name, lines in bodies.items():
        bodies[name] = [line for line in lines if line.compact != key]


# ---------------------------------------------------------------- the document


def parse_document(text: str) -> dict:
    """The JSON form (`budget-program-document/1`) of a program description's text."""
    lines = _split_lines(text)
    if not lines:
        raise NotADocument("the text is empty")
    sections = _split_sections(lines)
    found = [key for key in SECTION_NAMES if key in sections.bodies]
    if len(found) < _MIN_SECTIONS:
        shown = ", ".join(SECTION_NAMES[key] for key in found) or "none"
        raise NotADocument(
            f"no section headings of a program description (□ 예산 총괄, □ 산출근거, "
            f"□ 추진경위, …); found {len(found)} ({shown})"
        )
    notes = _Notes()
    bodies = sections.bodies
    title = _TITLE_PREFIX_RE.sub("", _squash(sections.title.text)) if sections.title else None
    if title:
        _drop_running_headers(bodies, title)
    else:
        notes.add("제목", None, "the program title (first line) is missing")
    for key, name in SECTION_NAMES.items():
        if key not in bodies:
            notes.add(name, None, "section not found")

    def guarded(where: str, fallback: object, step: Callable, *args: object) -> object:
        try:
            return step(*args)
        except Exception as exc:  # one unreadable part must not lose the rest
            notes.add(where, None, f"could not be read ({type(exc).__name__}: {exc})")
            return fallback

    def read(key: str, parse: Callable, fallback: object, *args: object) -> object:
        return guarded(SECTION_NAMES[key], fallback, parse, bodies.get(key, []), notes, *args)

    empty_budget = _Budget(None, [], None)
    budget = read("budget", _parse_budget, empty_budget)
    fiscal_year = guarded(
        "회계연도", None, _fiscal_year, budget, bodies, sections.schedule_year, notes
    )
    basics = read("overview", _parse_overview, _Overview(None, None, None, _empty_funding()))
    content = read("content", _parse_content, _Content(_empty_period(), [], None))
    history = read("history", _parse_history, [])
    settlements = read("settlements", _parse_settlements, [])
    document = {
        "format": FORMAT,
        "title": title,
        "fiscal_year": fiscal_year,
        "account": basics.account,
        "period_type": basics.period_type,
        "overview": basics.overview,
        "funding": basics.funding,
        "officers": read("officers", _parse_officers, []),
        "budget_total": budget.total or _empty_total(),
        "budget_summary": budget.rows,
        "cost_basis": read("cost_basis", _parse_cost_basis, [], budget.rows),
        "purpose": read("purpose", _parse_purpose, None),
        "legal_basis": read("legal_basis", _parse_legal_basis, []),
        "period": content.period,
        "activities": content.activities,
        "delivery_method": content.delivery_method,
        "history": [event.json for event in history],
        "contracts": guarded(SECTION_NAMES["history"], [], _contracts, history, notes),
        "schedule": read("schedule", _parse_schedule, [], fiscal_year),
        "performance": read("performance", _parse_performance, []),
        "expected_effects": read("effects", _parse_list, []),
        "settlements": settlements,
    }
    guarded("합계", None, _check_totals, document, notes)
    document["warnings"] = notes.messages
    return document


def _fiscal_year(
    budget: "_Budget", bodies: dict[str, list[_Line]], schedule_year: int | None, notes: _Notes
) -> int | None:
    """The year of the (B) column of 예산 총괄, else of 산출근거's or 추진일정's heading."""
    candidates = [
        ("예산 총괄", budget.year),
        ("산출근거", _cost_basis_year(bodies.get("cost_basis", []))),
        ("추진일정", schedule_year),
    ]
    years = [(where, year) for where, year in candidates if year]
    if not years:
        notes.add("회계연도", None, "no fiscal year found (예산액 (B), 추진일정 heading)")
        return None
    where, year = years[0]
    for other, other_year in years[1:]:
        if other_year != year:
            notes.add("회계연도", None, f"{where} says {year}, {other} says {other_year}")
    return year


def _check_totals(document: dict, notes: _Notes) -> None:
    """Identities across sections: funding, schedule and budget total agree."""
    current = document["budget_total"]["current"]
    funding = document["funding"]["total"]
    if current is not None and funding is not None and funding != current:
        notes.add("사업개요", None, f"사업비 {_won(funding)} ≠ 예산 총괄 {_won(current)} (B)")
    amounts = [step["amount"] for step in document["schedule"]]
    if current is not None and amounts and None not in amounts and sum(amounts) != current:
        notes.add(
            "추진일정",
            None,
            f"the amounts add up to {_won(sum(amounts))}, 예산 총괄 says {_won(current)}",
        )


# ---------------------------------------------------------------- 사업개요 (basic facts)


class _Overview(NamedTuple):
    account: str | None
    period_type: str | None
    overview: str | None
    funding: dict


_OVERVIEW_LABELS = {
    "회계": "account",
    "사업기간": "period",
    "사업내용": "overview",
    "사업비": "funding",
}
_CHECKED_RE = re.compile(r"[☑☒■▣✔✓✅√]\s*([가-힣]+)")
_UNCHECKED_RE = re.compile(r"[□☐]\s*[가-힣]+")
_OPTION_RE = re.compile(r"[가-힣]+")
_BULLET = r"(?:○|◦|◯|●|•|ㅇ|\\circ\b|[oO0](?=\s))"
_BULLET_RE = re.compile(rf"^(?:{_BULLET}|[-－–—‐·ㆍ∙‧*※①②③④⑤⑥⑦⑧⑨⑩])\s*")
_FUNDING_PARTS = {
    "national": r"[(\[（【]\s*국\s*비\s*[)\]）】]",
    "city": r"[(\[（【]\s*시\s*비\s*[)\]）】]",
    "district": r"[(\[（【]\s*구\s*비\s*[)\]）】]",
    "other": r"[(\[（【]\s*기\s*타\s*[)\]）】]",
}
_FUNDING_PART_RES = {
    key: re.compile(rf"{label}\s*(?P<amount>\d[\d,]*|-)?") for key, label in _FUNDING_PARTS.items()
}
_FUNDING_TOTAL_RE = re.compile(r"(?:\(당해년도\))?\s*(?P<amount>\d[\d,]*)")
_PARENTHESES_RE = re.compile(r"\([^()]*\)")


def _empty_funding() -> dict:
    return dict.fromkeys(("total", "national", "city", "district", "other"))


def _strip_bullet(text: str) -> str:
    return _BULLET_RE.sub("", text, count=1).strip()


def _parse_overview(lines: list[_Line], notes: _Notes) -> _Overview:
    rows = _overview_rows(lines)
    where = SECTION_NAMES["overview"]
    account_line, account = rows.get("account", (None, ""))
    account = _checked(account) or account or None
    if account is None:
        notes.add(where, account_line, "회계 is blank")
    period_line, period = rows.get("period", (None, ""))
    period_type = _checked(period)
    if period_type is None:
        notes.add(where, period_line, f"사업기간: no option is ticked ({period!r})")
    overview = _strip_bullet(rows.get("overview", (None, ""))[1]) or None
    return _Overview(account, period_type, overview, _read_funding(rows.get("funding"), notes))


def _overview_rows(lines: list[_Line]) -> dict[str, tuple[int, str]]:
    """The rows by label (회계, 사업기간, …): first line, and the text after the label.

    A line without a label continues the row above (`(당해년도)` under `사업비`).
    """
    rows: dict[str, tuple[int, list[str]]] = {}
    current = None
    for line in lines:
        label = _OVERVIEW_LABELS.get(_PARENTHESES_RE.sub("", _compact(line.cells[0])))
        if label:
            current = label
            rows.setdefault(label, (line.no, []))[1].extend(line.cells[1:])
        elif current:
            rows[current][1].extend(line.cells)
    return {key: (no, _joined(cells)) for key, (no, cells) in rows.items()}


def _checked(text: str) -> str | None:
    """The ticked option of a row of check boxes (`☑연례반복`), or the one option printed."""
    match = _CHECKED_RE.search(text)
    if match:
        return match[1]
    if _UNCHECKED_RE.search(text):
        return None  # boxes, none ticked
    word = _OPTION_RE.match(text)
    return word[0] if word else None


def _read_funding(row: tuple[int, str] | None, notes: _Notes) -> dict:
    """`3,296,216천원 (국비) (시비)3,296,216천원 … [구비] (기타)`: total, then each part."""
    funding = _empty_funding()
    where = SECTION_NAMES["overview"]
    if row is None:
        notes.add(where, None, "사업비 row not found")
        return funding
    line, text = row
    total = _FUNDING_TOTAL_RE.match(text)
    funding["total"] = _read_number(total["amount"]) if total else None
    if total is None:
        notes.add(where, line, "사업비 total is unreadable")
    for key, pattern in _FUNDING_PART_RES.items():
        match = pattern.search(text)
        if match is None:
            notes.add(where, line, f"사업비: the {_FUNDING_LABELS[key]} part is missing")
            continue
        # A label with no amount after it is a part the program does not have.
        amount = match["amount"]
        funding[key] = _read_number(amount) if amount else 0
    parts = [funding[key] for key in _FUNDING_PARTS]
    if funding["total"] is not None and None not in parts and sum(parts) != funding["total"]:
        notes.add(
            where,
            line,
            f"사업비 {_won(funding['total'])} ≠ 국비 + 시비 + 구비 + 기타 = {_won(sum(parts))}",
        )
    return funding


_FUNDING_LABELS = {"national": "국비", "city": "시비", "district": "구비", "other": "기타"}


# ---------------------------------------------------------------- 사업 담당자 (officers)

_OFFICER_COLUMNS = (
    ("bureau", re.compile(r"실.?국")),
    ("department", re.compile(r"부서")),
    ("director", re.compile(r"과장|부서장")),
    ("team_leader", re.compile(r"팀장")),
    ("officer", re.compile(r"주무관|담당자?")),
)
_PHONE_RE = re.compile(r"\(?\d{2,4}\)?\s*-?\s*\d{3,4}-\d{4}|\d{3,4}-\d{4}")
# A wrapped bureau or department name continues on the phone row as a few Hangul syllables;
# anything else there (`0/0/0/개급하던`) is extraction noise.
_WRAPPED_NAME_RE = re.compile(r"[가-힣]{1,6}")
_NAME_RE = re.compile(r"[가-힣]{2,20}")
_NOTE_RE = re.compile(r"^\[?※")


def _parse_officers(lines: list[_Line], notes: _Notes) -> list[dict]:
    columns = {key: index for index, (key, _) in enumerate(_OFFICER_COLUMNS)}
    where = SECTION_NAMES["officers"]
    officers: list[tuple[int, dict]] = []
    for line in lines:
        if _NOTE_RE.match(line.text):
            continue
        if _is_officer_header(line):
            columns = _officer_columns(line) or columns
            continue
        cells = line.cells
        phones = [index for index, cell in enumerate(cells) if _PHONE_RE.fullmatch(cell)]
        if phones and officers:
            _add_phones(officers[-1][1], cells, columns)
        elif phones:
            notes.add(where, line.no, "phone numbers without a name row")
        elif _cell(cells, columns["officer"]) or len([cell for cell in cells if cell]) >= 2:
            officers.append((line.no, _officer_names(cells, columns)))
        elif _has_words(line.text):
            notes.add(where, line.no, f"ignored {line.text!r}")
    _fill_merged_cells([officer for _, officer in officers])
    for line_no, officer in officers:
        for key, value in officer.items():
            if value is None:
                notes.add(where, line_no, f"{_OFFICER_LABELS[key]} is blank")
    return [officer for _, officer in officers]


_OFFICER_LABELS = {
    "bureau": "실·국",
    "department": "부서명",
    "director": "과장",
    "director_phone": "과장 전화",
    "team_leader": "팀장",
    "team_leader_phone": "팀장 전화",
    "officer": "주무관",
    "officer_phone": "주무관 전화",
}


def _is_officer_header(line: _Line) -> bool:
    return sum(1 for _, pattern in _OFFICER_COLUMNS if pattern.search(line.compact)) >= 3


def _officer_columns(line: _Line) -> dict[str, int] | None:
    columns = {}
    for index, cell in enumerate(line.cells):
        for key, pattern in _OFFICER_COLUMNS:
            if key not in columns and pattern.search(_compact(cell)):
                columns[key] = index
                break
    return columns if len(columns) == len(_OFFICER_COLUMNS) else None


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _officer_names(cells: list[str], columns: dict[str, int]) -> dict:
    officer: dict[str, str | None] = {}
    for key, _ in _OFFICER_COLUMNS:
        text = _cell(cells, columns[key])
        phone = _PHONE_RE.search(text) if key in _PEOPLE else None
        if phone:  # `김경미(2133-5360)`: name and phone in one cell
            text = text[: phone.start()].strip(" (")
        officer[key] = text or None
        if key in _PEOPLE:
            officer[f"{key}_phone"] = phone[0].strip("()") if phone else None
    return officer


_PEOPLE = ("director", "team_leader", "officer")


def _add_phones(officer: dict, cells: list[str], columns: dict[str, int]) -> None:
    """The phone row: phones, and the end of a wrapped name (or all of a centred one)."""
    for key in ("bureau", "department"):
        text = _cell(cells, columns[key])
        if officer[key] and _WRAPPED_NAME_RE.fullmatch(text):
            officer[key] += text
        elif officer[key] is None and _NAME_RE.fullmatch(text):
            officer[key] = text
    for key in _PEOPLE:
        phone = _PHONE_RE.search(_cell(cells, columns[key]))
        if phone:
            officer[f"{key}_phone"] = phone[0]


def _fill_merged_cells(officers: list[dict]) -> None:
    """A merged cell (one bureau for several officers) is printed on one row only."""
    shared = ("bureau", "department", "director", "director_phone", "team_leader")
    for key in (*shared, "team_leader_phone"):
        for sequence in (officers, officers[::-1]):
            previous = None
            for officer in sequence:
                if officer[key] is None:
                    officer[key] = previous
                previous = officer[key]


# ---------------------------------------------------------------- 예산 총괄 (budget summary)


class _Budget(NamedTuple):
    total: dict | None
    rows: list[dict]
    year: int | None  # the year of the (B) column


_TOTAL_LABELS = frozenset({"月", "계", "합계", "총계", "총액", "소계"})
_BUDGET_YEAR_RE = re.compile(rf"(?P<year>{_YEAR})\s*년?\s*도?\s*예\s*산\s*액?\s*\(\s*B\s*\)")
_PCT_WORDS_RE = re.compile(r"[가-힣]{1,3}")  # `순증` where the prior year is 0
_BUDGET_COLUMNS = ("prior", "current", "change", "change_pct")
_BUDGET_COLUMN_NAMES = {
    "prior": "전년 예산액 (A)",
    "current": "예산액 (B)",
    "change": "증감",
    "change_pct": "증감률",
}


class _BudgetRow:
    """One row of 예산 총괄 as printed over a national line and an amount line."""

    def __init__(self, line: int) -> None:
        self.line = line  # where the row starts: warnings about the row or its 국비
        self.labels: list[str] = []
        self.national: list[str] | None = None
        self.amounts: list[str] | None = None
        self.amounts_line = line

    @property
    def label(self) -> str:
        return _compact("".join(self.labels))


def _parse_budget(lines: list[_Line], notes: _Notes) -> _Budget:
    year = None
    rows: list[_BudgetRow] = []
    open_row: _BudgetRow | None = None  # a row with its national line but no amounts yet
    pending: list[str] = []  # label fragments on lines of their own
    for line in lines:
        match = _BUDGET_YEAR_RE.search(line.text)
        if match or "구분" in _compact(line.cells[0]):
            year = _year(match["year"]) if match else year
            continue
        label, values = _label_and_values(line.cells)
        kind = _budget_line_kind(values)
        if kind is None:
            if _is_label(label) and not any(values):
                pending.append(label)
            elif _has_words(line.text) and not _NONE_RE.search(line.text):
                notes.add(SECTION_NAMES["budget"], line.no, f"ignored {line.text!r}")
            continue
        if kind == "amounts" and open_row is not None:
            row = open_row
        else:
            row = _BudgetRow(line.no)
            if pending and rows and label:
                rows[-1].labels.extend(pending)  # a wrapped label of the row above
            elif pending:
                row.labels.extend(pending)
            pending = []
            rows.append(row)
        row.labels.append(label)
        if kind in ("national", "both"):
            row.national = values
        if kind in ("amounts", "both"):
            row.amounts, row.amounts_line = values, line.no
        open_row = row if kind == "national" else None
    if pending and rows:
        rows[-1].labels.extend(pending)
    return _budget_from_rows(rows, year, notes)


def _label_and_values(cells: list[str]) -> tuple[str, list[str]]:
    cells = _trim(cells)
    if not cells:
        return "", []
    if _is_money(cells[0]) and len(cells) > 1:  # the label column itself is missing
        return "", cells
    return cells[0], cells[1:]


def _budget_line_kind(values: list[str]) -> str | None:
    """The kind of a line's value cells: "national" (`(x…)`), "amounts", "both" or None."""
    filled = [value for value in values if value]
    if not filled:
        return None
    nationals = [bool(_NATIONAL_RE.fullmatch(value)) for value in filled]
    if all(nationals):
        return "national"
    if any(nationals):
        return None
    moneys = [_read_money(value) for value in filled]
    if all(money.national is not None and money.amount is not None for money in moneys):
        return "both"
    # The last cell (증감률) may be a word: `순증`.
    numbers = [money.amount is not None and money.national is None for money in moneys]
    if all(numbers[:-1]) and (numbers[-1] or _PCT_WORDS_RE.fullmatch(filled[-1])):
        return "amounts"
    return None


def _budget_from_rows(rows: list[_BudgetRow], year: int | None, notes: _Notes) -> _Budget:
    where = SECTION_NAMES["budget"]
    if not rows:
        notes.add(where, None, "no rows")
        return _Budget(None, [], year)
    read = [_read_budget_row(row, notes) for row in rows]
    total_index = _total_row(rows, read)
    summary = []
    for index, (row, values) in enumerate(zip(rows, read, strict=True)):
        if index == total_index:
            continue
        category = row.label or None
        if category is None:
            notes.add(where, row.line, "the category name is blank")
        summary.append({"category": category, **values})
    total = read[total_index] if total_index is not None else None
    if total is None:
        notes.add(where, rows[0].line, "no 계 (total) row")
    else:
        _check_budget_total(total, summary, rows[total_index].line, notes)
    return _Budget(total, summary, year)


def _total_row(rows: list[_BudgetRow], read: list[dict]) -> int | None:
    """The 계 row: by its label, else the first row that is the sum of all the others."""
    for index, row in enumerate(rows):
        if row.label in _TOTAL_LABELS:
            return index
    if len(rows) >= 2 and not rows[0].label:
        rest = read[1:]
        for key in ("prior", "current"):
            values = [values[key] for values in rest]
            if read[0][key] is None or None in values or sum(values) != read[0][key]:
                return None
        return 0
    return None


def _read_budget_row(row: _BudgetRow, notes: _Notes) -> dict:
    where = f"{SECTION_NAMES['budget']} {row.label or ''}".rstrip()
    values: dict[str, int | None] = dict.fromkeys(_BUDGET_COLUMNS)
    if row.amounts is None:
        notes.add(where, row.line, "the amounts line is missing")
    else:
        cells = [_read_number(cell) for cell in row.amounts]
        placed = _place(cells, len(_BUDGET_COLUMNS), _budget_score)
        if placed is None:
            notes.add(where, row.amounts_line, f"cannot tell which of {row.amounts} are which")
        else:
            if len(row.amounts) != len(_BUDGET_COLUMNS):
                notes.add(where, row.amounts_line, "a blank cell was placed by the identities")
            values.update(zip(_BUDGET_COLUMNS, placed, strict=True))
    for key in _BUDGET_COLUMNS:
        # 증감률 of a prior year of 0 is printed `순증`: there is no percentage.
        no_pct = key == "change_pct" and values["prior"] == 0
        if values[key] is None and row.amounts is not None and not no_pct:
            notes.add(
                where, row.amounts_line, f"{_BUDGET_COLUMN_NAMES[key]} is blank or unreadable"
            )
    _check_change(values, where, row.amounts_line, notes)
    nationals = _read_nationals(row, where, notes)
    return {**values, "prior_national": nationals[0], "current_national": nationals[1]}


def _read_nationals(row: _BudgetRow, where: str, notes: _Notes) -> tuple[int | None, int | None]:
    if row.national is None:
        notes.add(where, row.line, "the 국비 line `(x…)` is missing")
        return None, None
    cells = [_read_money(cell).national if cell else None for cell in row.national]
    placed = _place(cells, len(_BUDGET_COLUMNS), _budget_score)
    if placed is None:
        notes.add(where, row.line, f"cannot tell which of {row.national} are which")
        return None, None
    for key, value in zip(("prior", "current"), placed[:2], strict=True):
        if value is None:
            notes.add(where, row.line, f"국비 of {_BUDGET_COLUMN_NAMES[key]} is unreadable")
    return placed[0], placed[1]


def _budget_score(values: Sequence[int | None]) -> int:
    prior, current, change, pct = values
    score = 0
    if None not in (prior, current, change):
        score += 1 if current - prior == change else -1
    if None not in (prior, change, pct) and prior:
        score += 1 if abs(change * 100 / prior - pct) < 1 else -1
    return score


def _check_change(values: dict, where: str, line: int, notes: _Notes) -> None:
    prior, current, change, pct = (values[key] for key in _BUDGET_COLUMNS)
    if None not in (prior, current, change) and current - prior != change:
        notes.add(where, line, f"증감 {_won(change)} ≠ (B) − (A) = {_won(current - prior)}")
    if None not in (prior, change, pct) and prior and abs(change * 100 / prior - pct) >= 1:
        notes.add(where, line, f"증감률 {pct} ≠ {change * 100 / prior:.1f}")


def _check_budget_total(total: dict, rows: list[dict], line: int, notes: _Notes) -> None:
    for key in ("prior", "current", "change"):
        values = [row[key] for row in rows]
        if total[key] is not None and None not in values and sum(values) != total[key]:
            notes.add(
                SECTION_NAMES["budget"],
                line,
                f"계 {_won(total[key])} ≠ the sum of the rows {_won(sum(values))} "
                f"({_BUDGET_COLUMN_NAMES[key]})",
            )


def _empty_total() -> dict:
    return dict.fromkeys(
        ("prior", "current", "change", "change_pct", "prior_national", "current_national")
    )


_MAX_PLACEMENTS = 1000  # a row of dozens of stray TABs is noise, not a puzzle to solve


def _place(cells: list, width: int, score: Callable[[Sequence], int]) -> list | None:
    """Put a row's cells into `width` columns when blank cells were lost or added.

    The order of cells is kept; which columns are blank is decided by the identities between
    the figures (`score`). None when several placements fit equally well.
    """
    if len(cells) == width:
        return list(cells)
    if len(cells) > width:
        blanks = [index for index, cell in enumerate(cells) if cell is None]
        drop = len(cells) - width
        if drop > len(blanks) or comb(len(blanks), drop) > _MAX_PLACEMENTS:
            return None
        candidates = [
            [cell for index, cell in enumerate(cells) if index not in dropped]
            for dropped in combinations(blanks, drop)
        ]
    else:
        candidates = []
        for positions in combinations(range(width), len(cells)):
            row: list = [None] * width
            for position, cell in zip(positions, cells, strict=True):
                row[position] = cell
            candidates.append(row)
    if not candidates:
        return None
    scores = [score(candidate) for candidate in candidates]
    best = max(scores)
    winners = [
        candidate for candidate, value in zip(candidates, scores, strict=True) if value == best
    ]
    return winners[0] if len(winners) == 1 or all(w == winners[0] for w in winners) else None


# ---------------------------------------------------------------- 산출근거 (cost basis)


class _Item:
    """A line item of 산출근거: `○` level 1, `-` level 2, `·` level 3."""

    def __init__(self, level: int, text: str, line: int) -> None:
        self.level = level
        self.text = text
        self.first_line = line
        self.last_line = line
        self.children: list[_Item] = []
        self.name = ""
        self.amount_won: int | None = None
        self.thousands: int | None = None  # the `= 654,000천원` figure

    @property
    def end_line(self) -> int:
        return max([self.last_line, *(child.end_line for child in self.children)])

    def json(self) -> dict:
        return {
            "name": self.name,
            "amount_won": self.amount_won,
            "children": [child.json() for child in self.children],
        }


_ITEM_RE = re.compile(rf"(?:(?P<l1>{_BULLET})|(?P<l2>[-－–—‐])|(?P<l3>[·ㆍ∙‧]))\s*(?P<body>\S.*)")
# Figures are bounded ({1,6} groups, 15 digits) so long runs of digits cannot make these
# searches quadratic.
_ITEM_AMOUNT_RE = re.compile(
    r"(?P<name>.*?)\s*(?P<amount>[△-]?(?:\d{1,3}(?:,\d{3}){1,6}|\d{1,15}))\s*원?"
)
_THOUSANDS_TAIL_RE = re.compile(r"(?P<amount>[△-]?[\d,]{1,20})\s*천\s*원$")
_FORMULA_RE = re.compile(r"\s*[:：]?\s*[\d,.]{1,20}\s*[가-힣%]{0,4}\s*[×xX*]")
_COST_HEADER_RE = re.compile(r"과목|예산\s*내역")
_COST_YEAR_RE = re.compile(rf"({_YEAR})\s*년\s*도?\s*예산\s*내역")


def _cost_basis_year(lines: list[_Line]) -> int | None:
    """The year of the header `과목구분 | 2024년 예산내역`."""
    for line in lines[:3]:
        match = _COST_YEAR_RE.search(line.text)
        if match:
            return _year(match[1])
    return None


def _parse_cost_basis(lines: list[_Line], notes: _Notes, summary: list[dict]) -> list[dict]:
    items, labels = _read_items(lines, notes)
    for item in items:
        _read_item(item, notes)
    tops = _nest(items, notes)
    for item in tops:
        _check_children(item, notes)
    if not tops:
        if not _says_none(lines):
            notes.add(SECTION_NAMES["cost_basis"], None, "no line items")
        return []
    categories = [(row["category"], row["current"]) for row in summary]
    anchors = _label_anchors(labels, [name for name, _ in categories])
    if not categories:  # no 예산 총괄 to add up to: the printed labels are all there is
        categories = [(name, None) for _, name in anchors]
        notes.add(SECTION_NAMES["cost_basis"], None, "no 예산 총괄: grouped by the labels")
    if not categories:
        notes.add(SECTION_NAMES["cost_basis"], None, "no category labels")
        return [{"category": None, "items": [item.json() for item in tops]}]
    groups = _group_items(tops, categories, {name: line for line, name in anchors})
    _check_category_sums(groups, categories, notes)
    return [
        {"category": name, "items": [item.json() for item in group]}
        for (name, _), group in zip(categories, groups, strict=True)
        if group
    ]


def _read_items(lines: list[_Line], notes: _Notes) -> tuple[list[_Item], list[tuple[int, str]]]:
    """The items (text joined over wrapped lines) and the category label fragments."""
    items: list[_Item] = []
    labels: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        cells = line.cells
        if index < 2 and _COST_HEADER_RE.search(line.text):
            continue
        start = next((i for i, cell in enumerate(cells) if _ITEM_RE.fullmatch(cell)), None)
        label_cells = cells if start is None else cells[:start]
        if label_cells and _is_label(label_cells[0]):
            labels.append((line.no, label_cells[0]))
            label_cells = label_cells[1:]
        if start is not None:
            match = _ITEM_RE.fullmatch(cells[start])
            level = 1 if match["l1"] else 2 if match["l2"] else 3
            items.append(_Item(level, _joined([match["body"], *cells[start + 1 :]]), line.no))
        elif _joined(label_cells) and items:  # a wrapped item
            items[-1].text = _joined([items[-1].text, *label_cells])
            items[-1].last_line = line.no
        elif _has_words(_joined(label_cells)):
            notes.add(SECTION_NAMES["cost_basis"], line.no, f"ignored {line.text!r}")
    return items, labels


def _read_item(item: _Item, notes: _Notes) -> None:
    """Name and amounts of `○ name 654,000,000원 = 654,000천원`.

    The 원 figure may be a formula (`40,000원 × 300명`) or missing, and the `=` figure too.
    """
    text, equals, right = item.text.rpartition("=")
    if equals:
        item.thousands = _read_number(right.replace("천원", "").strip())
    else:
        text = item.text
        tail = _THOUSANDS_TAIL_RE.search(text)
        if tail:
            item.thousands = _read_number(tail["amount"])
            text = text[: tail.start()]
    formula = _FORMULA_RE.search(text)
    amount = None if formula else _ITEM_AMOUNT_RE.fullmatch(text.strip())
    if amount and amount["name"].strip(" :"):
        item.name = amount["name"].strip(" :")
        item.amount_won = _read_number(amount["amount"])
    else:
        item.name = (text[: formula.start()] if formula else text).strip(" :")
        if item.thousands is not None:
            item.amount_won = item.thousands * 1000
    where = SECTION_NAMES["cost_basis"]
    if item.amount_won is None:
        notes.add(where, item.first_line, f"the amount of {item.name!r} is unreadable")
    elif item.thousands is None:
        item.thousands = -(-item.amount_won // 1000)  # budget books round 원 up to 천원
    elif abs(item.amount_won / 1000 - item.thousands) >= 1:
        notes.add(
            where,
            item.first_line,
            f"{item.name}: {_won(item.amount_won)}원 ≠ {_won(item.thousands)}천원",
        )


def _nest(items: list[_Item], notes: _Notes) -> list[_Item]:
    """Hang each `-` item under the `○` item above it (and `·` under `-`)."""
    tops: list[_Item] = []
    stack: list[_Item] = []
    for item in items:
        while stack and stack[-1].level >= item.level:
            stack.pop()
        if stack:
            stack[-1].children.append(item)
        else:
            if item.level > 1:
                notes.add(
                    SECTION_NAMES["cost_basis"],
                    item.first_line,
                    f"sub-item {item.name!r} has no ○ item above it",
                )
            tops.append(item)
        stack.append(item)
    return tops


def _check_children(item: _Item, notes: _Notes) -> None:
    if not item.children:
        return
    amounts = [child.amount_won for child in item.children]
    for child in item.children:
        _check_children(child, notes)
    if None in amounts:
        return
    where = SECTION_NAMES["cost_basis"]
    if item.amount_won is None:
        item.amount_won = sum(amounts)
        item.thousands = -(-item.amount_won // 1000)
        notes.add(where, item.first_line, f"{item.name}: amount taken as the sum of its sub-items")
    elif abs(sum(amounts) - item.amount_won) > 1000 * len(amounts):
        notes.add(
            where,
            item.first_line,
            f"{item.name}: sub-items add up to {_won(sum(amounts))}원, "
            f"not {_won(item.amount_won)}원",
        )


def _adds_up(total: int | None, count: int, current: int | None) -> bool:
    """Whether `count` items of `total` 천원 make a category's (B) amount.

    Budget books round each item's 원 up to the next 천원: allow 1 per item.
    """
    if count == 0:
        return current == 0
    return None not in (total, current) and abs(total - current) <= count


def _group_items(
    items: list[_Item], categories: list[tuple[str | None, int | None]], anchors: dict
) -> list[list[_Item]]:
    """Split the items, in order, into one run per category of 예산 총괄.

    The printed category labels drift (onto a middle row, over two lines), so the sums decide:
    the split makes as many runs as possible add up to their category's amount. Among equal
    splits, the one with each category's label inside its run, nearest its middle, wins.
    """
    n = len(items)
    totals, unreadable = _prefix_totals(items)
    firsts = [item.first_line for item in items]
    ends = [item.end_line for item in items]
    # best[j][k]: (score, start of the last run) for items[:k] split among categories[:j]
    best: list[list[tuple[float, int] | None]] = [[None] * (n + 1) for _ in categories]
    best.insert(0, [(0.0, 0)] + [None] * n)
    for j, (name, current) in enumerate(categories):
        anchor = anchors.get(name)
        row, following = best[j], best[j + 1]
        for i in range(n + 1):
            if row[i] is None:
                continue
            for k in range(i, n + 1):
                total = totals[k] - totals[i] if unreadable[k] == unreadable[i] else None
                score = row[i][0] + (10.0 if _adds_up(total, k - i, current) else 0.0)
                if anchor is not None and k > i and firsts[i] <= anchor <= ends[k - 1]:
                    score += 1.0 - abs(anchor - (firsts[i] + ends[k - 1]) / 2) / 100
                if following[k] is None or score > following[k][0]:
                    following[k] = (score, i)
    runs: list[list[_Item]] = []
    k = n
    for j in range(len(categories), 0, -1):
        i = best[j][k][1]
        runs.append(items[i:k])
        k = i
    return runs[::-1]


def _prefix_totals(items: list[_Item]) -> tuple[list[int], list[int]]:
    """Running totals of the items' 천원 figures, and of how many were unreadable."""
    totals, unreadable = [0], [0]
    for item in items:
        totals.append(totals[-1] + (item.thousands or 0))
        unreadable.append(unreadable[-1] + (item.thousands is None))
    return totals, unreadable


def _check_category_sums(
    runs: list[list[_Item]], categories: list[tuple[str | None, int | None]], notes: _Notes
) -> None:
    for run, (name, current) in zip(runs, categories, strict=True):
        total = sum(item.thousands or 0 for item in run)
        readable = all(item.thousands is not None for item in run)
        if current is None or _adds_up(total if readable else None, len(run), current):
            continue
        notes.add(
            SECTION_NAMES["cost_basis"],
            run[0].first_line if run else None,
            f"the items of {name} add up to {_won(total)}천원, 예산 총괄 says {_won(current)}",
        )


def _label_anchors(
    labels: list[tuple[int, str]], categories: list[str | None]
) -> list[tuple[float, str]]:
    """(mid line, name) of each label, joining one wrapped over lines (`자치단체경상보조` `금`).

    Fragments on consecutive lines are one label unless the first already names a category.
    """
    names = {_compact(category): category for category in categories if category}
    runs: list[list[tuple[int, str]]] = []
    for no, text in labels:
        run = runs[-1] if runs else None
        if run and no == run[-1][0] + 1 and _compact(_joined(t for _, t in run)) not in names:
            run.append((no, text))
        else:
            runs.append([(no, text)])
    anchors = []
    for run in runs:
        name = _compact("".join(text for _, text in run))
        anchors.append(((run[0][0] + run[-1][0]) / 2, names.get(name, name)))
    return anchors


# ---------------------------------------------------------------- 사업목적, 사업근거, 사업내용


def _bulleted(lines: list[_Line]) -> list[tuple[int, str]]:
    """List entries: a bulleted line starts one, an unbulleted line continues the last."""
    entries: list[tuple[int, str]] = []
    for line in lines:
        text = _joined(line.cells)
        body = _strip_bullet(text)
        if body != text or not entries:
            entries.append((line.no, body))
        else:
            entries[-1] = (entries[-1][0], _squash(f"{entries[-1][1]} {text}"))
    return [(no, text) for no, text in entries if text]


def _parse_purpose(lines: list[_Line], notes: _Notes) -> str | None:
    text = _squash(" ".join(text for _, text in _bulleted(lines)))
    if not text:
        notes.add(SECTION_NAMES["purpose"], None, "is empty")
    return text or None


# `제12조의2제1항`, and the article's title after it: `제5조(센터의 설치)`.
_ARTICLE_RE = re.compile(
    r"(?P<article>제\s*\d+\s*조(?:\s*의\s*\d+)?(?:\s*제\s*\d+\s*[항호])*)(?:\s*\([^()]*\))?"
)
# `법령상 근거`, `자치법규 근거 :` head the list of laws.
_BASIS_HEADER_RE = re.compile(r"^[가-힣 ]{0,8}근거\s*(?:[:：]\s*|$)")
_LAW_SEPARATORS = " ,·및~∼、「」『』\"'"
_MIN_LAW_NAME = 3  # shorter text between articles is a connective (`내지`), not a law


def _parse_legal_basis(lines: list[_Line], notes: _Notes) -> list[dict]:
    laws: list[dict] = []
    for _, text in _bulleted(lines):
        text = _BASIS_HEADER_RE.sub("", text)  # `법령상 근거 :` heads the list
        if not _NONE_RE.search(text):
            laws.extend(_laws_in(text))
    if not laws and not _says_none(lines):
        notes.add(SECTION_NAMES["legal_basis"], None, "no law or ordinance found")
    return laws


def _laws_in(text: str) -> list[dict]:
    """`조례 제11조, 제12조 및 법 제3조` → one entry per law with its articles."""
    laws: list[dict] = []
    position = 0
    for match in _ARTICLE_RE.finditer(text):
        name = text[position : match.start()].strip(_LAW_SEPARATORS)
        if len(name) >= _MIN_LAW_NAME or not laws:
            laws.append({"name": name, "articles": []})
        laws[-1]["articles"].append(_compact(match["article"]))
        position = match.end()
    rest = text[position:].strip(_LAW_SEPARATORS)
    if len(rest) >= _MIN_LAW_NAME or (rest and not laws):
        laws.append({"name": rest, "articles": []})
    return laws


class _Content(NamedTuple):
    period: dict
    activities: list[str]
    delivery_method: str | None


# `사업기간 : …`; a label without a colon only before a year (`사업기간 2013년~`) or alone.
_CONTENT_FIELD_RE = re.compile(
    r"(?P<label>사업기간|사업내용|(?:사업)?(?:수행|추진)방법)\s*(?:[:：]|$|(?=['’\d]))\s*(?P<value>.*)"
)
_YEAR_RE = re.compile(_YEAR)


def _empty_period() -> dict:
    return {"start_year": None, "end_year": None}


def _parse_content(lines: list[_Line], notes: _Notes) -> _Content:
    where = SECTION_NAMES["content"]
    period, period_line, activities, method = None, None, [], None
    for no, text in _bulleted(lines):
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
        notes.add(where, None, "사업수행방법 not found")
    return _Content(_read_period(period, period_line, notes), activities, method)


def _read_period(text: str | None, line: int | None, notes: _Notes) -> dict:
    """`2013년 ~ 계속` (no end), `2025년 ~ 2027년`, `'22년 ~ '24년`, `2024년` (one year)."""
    years = [_year(year) for year in _YEAR_RE.findall(text or "")]
    if not years:
        notes.add(SECTION_NAMES["content"], line, f"사업기간 is unreadable ({text!r})")
        return _empty_period()
    if not _RANGE_SPLIT_RE.search(text):
        return {"start_year": years[0], "end_year": years[0]}
    return {"start_year": years[0], "end_year": years[1] if len(years) > 1 else None}


def _parse_list(lines: list[_Line], notes: _Notes) -> list[str]:
    if _says_none(lines):
        return []
    return [text for _, text in _bulleted(lines)]


# ---------------------------------------------------------------- 추진경위 (history)

_DATE = rf"{_YEAR}\s*[./년-]\s*\d{{1,2}}(?:\s*[./월-]\s*\d{{1,2}})?\s*[.일월]?"
_END_DATE = rf"(?:{_YEAR}\s*[./년-]\s*)?\d{{1,2}}(?:\s*[./월-]\s*\d{{1,2}})?\s*[.일월]?"
_EVENT_RE = re.compile(
    rf"(?:{_BULLET}\s*)?(?P<date>{_DATE}(?:\s*[~∼〜～]\s*{_END_DATE})?)(?:\s+(?P<text>.*))?"
)
_CONTRACT_WORD_RE = re.compile(r"협약|계약")
_TERM_RE = re.compile(r"\((?P<inner>[^()]*)\)")
_TERM_SPAN_RE = re.compile(rf"{_DATE}\s*[~∼〜～]\s*{_END_DATE}")
_TERM_YEARS_RE = re.compile(r"(?<![\d.'])(\d{1,2})\s*년(?!\s*\d)")


class _Event(NamedTuple):
    line: int
    date: str | None
    end_date: str | None
    text: str

    @property
    def json(self) -> dict:
        return {"date": self.date, "end_date": self.end_date, "text": self.text}


def _parse_history(lines: list[_Line], notes: _Notes) -> list[_Event]:
    events: list[_Event] = []
    where = SECTION_NAMES["history"]
    for line in lines:
        text = _joined(line.cells)
        match = _EVENT_RE.fullmatch(text)
        if match and not (events and _unclosed(events[-1].text)):
            dates = _read_range(match["date"])
            if dates is None:
                notes.add(where, line.no, f"the date {match['date']!r} is unreadable")
            start, end = dates or (None, None)
            events.append(_Event(line.no, start, end, _squash(match["text"] or "")))
        elif events and _has_words(text):
            last = events[-1]
            events[-1] = last._replace(text=_squash(f"{last.text} {_strip_bullet(text)}"))
        elif _has_words(text) and not _says_none([line]):
            notes.add(where, line.no, f"ignored {text!r} (no date)")
    for event in events:
        if not event.text:
            notes.add(where, event.line, "an event without text")
    return events


def _unclosed(text: str) -> bool:
    return text.count("(") > text.count(")")


def _contracts(events: list[_Event], notes: _Notes) -> list[dict]:
    """The events that sign a consignment contract with a term (`협약체결(3년, …~…)`)."""
    contracts = []
    where = SECTION_NAMES["history"]
    for event in events:
        if not _CONTRACT_WORD_RE.search(event.text):
            continue
        # The term is usually in brackets, `(3년, 2018.1.23~2021.1.22)`, but may stand free.
        span = _TERM_SPAN_RE.search(event.text)
        bracketed = " ".join(term["inner"] for term in _TERM_RE.finditer(event.text))
        years = _TERM_YEARS_RE.search(bracketed)
        if span is None:
            if years:
                notes.add(where, event.line, "a contract term without dates: not in contracts")
            continue
        dates = _read_range(span[0])
        if dates is None or dates[1] is None:
            notes.add(where, event.line, f"the contract term {span[0]!r} is unreadable")
            continue
        contracts.append(
            {
                "signed": event.date,
                "start": dates[0],
                "end": dates[1],
                "term_years": int(years[1]) if years else _whole_years(*dates),
                "line": event.line,
            }
        )
    _check_contract_sequence(contracts, notes)
    for contract in contracts:
        del contract["line"]
    return contracts


def _whole_years(start: str, end: str) -> int:
    """The term in years of `start`–`end` inclusive (dates or months)."""
    first, last = _as_date(start), _as_date(end)
    if first and last:
        last += timedelta(days=1)
        months = (last.year - first.year) * 12 + last.month - first.month
    else:
        months = (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1
    return round(months / 12)


def _check_contract_sequence(contracts: list[dict], notes: _Notes) -> None:
    """Consecutive contracts run back to back; a gap or overlap is worth a look."""
    for previous, contract in pairwise(contracts):
        end, start = _as_date(previous["end"]), _as_date(contract["start"])
        if end and start and start != end + timedelta(days=1):
            kind = "gap" if start > end else "overlap"
            days = abs((start - end).days - 1)
            notes.add(
                SECTION_NAMES["history"],
                contract["line"],
                f"contract from {contract['start']} does not follow the one ending "
                f"{previous['end']} ({kind} of {days} days)",
            )


# ---------------------------------------------------------------- 추진일정 (schedule)

_SCHEDULE_HEADER_RE = re.compile(r"추진\s*기간|추진\s*절차|세부\s*내용|집행\s*금액")


def _parse_schedule(lines: list[_Line], notes: _Notes, fiscal_year: int | None) -> list[dict]:
    where = SECTION_NAMES["schedule"]
    steps: list[tuple[int, dict]] = []
    pending: list[str] = []  # wrapped text above the row it belongs to
    for line in lines:
        if _SCHEDULE_HEADER_RE.search(line.text):
            continue
        cells = _trim(line.cells)
        period_at = _period_cell(cells, fiscal_year)
        if period_at is None:
            if _compact(cells[0]) in _TOTAL_LABELS or _NONE_RE.search(line.text):
                continue
            if steps and _has_words(line.text):
                _continue_step(steps[-1][1], cells)
            elif _has_words(line.text):
                pending.append(_joined(cells))
            continue
        steps.append((line.no, _schedule_step(cells, period_at, fiscal_year, pending)))
        pending = []
    for no, step in steps:
        if step["start"] is None:
            notes.add(where, no, f"{step['task']}: 추진기간 is unreadable")
        if step["amount"] is None:
            notes.add(where, no, f"{step['task']}: 예산집행금액 is blank or unreadable")
        if not step["task"]:
            notes.add(where, no, "사업추진절차 is blank")
    if not steps and not _says_none(lines):
        notes.add(where, None, "no steps")
    return [step for _, step in steps]


def _period_cell(cells: list[str], fiscal_year: int | None) -> int | None:
    """The cell that reads as a period; else the second of a row `task | ? | amount`."""
    for index, cell in enumerate(cells):
        if _read_range(cell, fiscal_year):
            return index
    if len(cells) >= 3 and cells[0] and cells[1] and _read_number(cells[2]) is not None:
        return 1
    return None


def _schedule_step(
    cells: list[str], period_at: int, fiscal_year: int | None, pending: list[str]
) -> dict:
    """task | period | amount | detail, the period cell found by its content."""
    start, end = _read_range(cells[period_at], fiscal_year) or (None, None)
    amount_cell, *detail = cells[period_at + 1 :] or [""]
    amount = _read_number(amount_cell) if amount_cell else None
    if amount is None and _has_words(amount_cell):
        detail = [amount_cell, *detail]  # no amount cell at all: this is the detail
    return {
        "task": _joined([*pending, *cells[:period_at]]) or None,
        "start": start,
        "end": end or start,
        "amount": amount,
        "detail": _joined(detail) or None,
    }


def _continue_step(step: dict, cells: list[str]) -> None:
    """A wrapped row: cells in the detail column continue the detail, others the task."""
    task, detail = (cells[0], cells[3:]) if len(cells) >= 4 else (_joined(cells), [])
    if task:
        step["task"] = _joined([step["task"] or "", task])
    if detail:
        step["detail"] = _joined([step["detail"] or "", *detail])


# ---------------------------------------------------------------- 추진실적 (performance)

# A row's year: `2021년도`, `'22년` (text may follow in the same cell), or a bare `2021` cell.
_PERF_YEAR_RE = re.compile(rf"(?P<year>{_YEAR})\s*(?:년\s*도?\s*(?:실적)?\s*[:：]?|(?=\t|$))")
_PERF_SPLIT_RE = re.compile(r"(?:^|\s)(?:○|◦|◯|●|•|ㅇ|\\circ)\s*")
_PERF_CATEGORY_RE = re.compile(r"(?P<category>[^:：\d,()]{1,15}?)\s*[:：]\s*(?P<text>.+)")


def _parse_performance(lines: list[_Line], notes: _Notes) -> list[dict]:
    where = SECTION_NAMES["performance"]
    years: list[tuple[int, int, list[str]]] = []  # (line, year, texts)
    for line in lines:
        year = _PERF_YEAR_RE.match(line.text)
        if year:
            cells = line.text[year.end() :].split("\t")
            years.append((line.no, _year(year["year"]), [_bullet_line(c) for c in cells]))
        elif years:
            years[-1][2].append(_bullet_line(_joined(line.cells)))
        elif _has_words(line.text) and not _says_none([line]):
            notes.add(where, line.no, f"ignored {line.text!r} (no year)")
    records = []
    for no, year, texts in years:
        entries = [_squash(part) for part in _PERF_SPLIT_RE.split(_joined(texts))]
        entries = [entry for entry in entries if entry]
        if not entries:
            notes.add(where, no, f"{year}: no results given")
        for entry in entries:
            match = _PERF_CATEGORY_RE.fullmatch(entry)
            category, text = (match["category"].strip(), match["text"]) if match else (None, entry)
            records.append({"year": year, "category": category, "text": text.strip()})
    return records


def _bullet_line(text: str) -> str:
    """A line's own bullet as `○` (`0 교육 : …` → `○ 교육 : …`) so entries split on it."""
    stripped = _strip_bullet(text)
    return f"○ {stripped}" if stripped != text.strip() else text


# ---------------------------------------------------------------- 최근 3년 결산 (settlements)

SETTLEMENT_COLUMNS = (
    ("final_budget", "최종예산"),
    ("carried_in", "전년이월"),
    ("budget_change", "예산변경"),
    ("available", "예산현액"),
    ("executed", "집행액"),
    ("carried_out", "차년이월"),
    ("unspent", "집행잔액"),
)
_SETTLEMENT_YEAR_RE = re.compile(rf"(?P<year>{_YEAR})\s*년?\s*도?")


def _parse_settlements(lines: list[_Line], notes: _Notes) -> list[dict]:
    order = [key for key, _ in SETTLEMENT_COLUMNS]
    rows = []
    for line in lines:
        names = [_compact(cell) for cell in line.cells]
        known = [key for key, name in SETTLEMENT_COLUMNS if name in names]
        if len(known) >= 4:  # the header (repeated after a page break)
            order = [_column_key(name, i) for i, name in enumerate(names[1:])]
            continue
        year = _SETTLEMENT_YEAR_RE.fullmatch(line.cells[0])
        if year:
            rows.append(_settlement_row(line, _year(year["year"]), order, notes))
        elif _has_words(line.text) and not _NONE_RE.search(line.text):
            notes.add(SECTION_NAMES["settlements"], line.no, f"ignored {line.text!r}")
    return rows


def _column_key(name: str, index: int) -> str:
    """The column of a header cell; one misprinted keeps its usual place."""
    known = next((key for key, label in SETTLEMENT_COLUMNS if label == name), None)
    if known:
        return known
    return SETTLEMENT_COLUMNS[index][0] if index < len(SETTLEMENT_COLUMNS) else f"?{index}"


def _settlement_row(line: _Line, year: int, order: list[str], notes: _Notes) -> dict:
    where = f"{SECTION_NAMES['settlements']} {year}"
    cells = line.cells[1:]
    if len(cells) > len(order):
        cells = _trim(cells)
    printed = [money if money.printed else None for money in map(_read_money, cells)]
    placed = _place(printed, len(order), _settlement_score_in(order))
    if placed is None:
        notes.add(where, line.no, f"cannot tell which of the {len(cells)} cells are which")
        placed = [None] * len(order)
    elif len(cells) != len(order):
        message = f"{len(cells)} cells for {len(order)} columns: placed by the identities"
        notes.add(where, line.no, message)
    by_key = dict(zip(order, placed, strict=True))
    row: dict = {"year": year}
    national: dict = {}
    blanks = []
    for key, name in SETTLEMENT_COLUMNS:
        money = by_key.get(key)
        row[key] = money.amount if money else None
        national[key] = money.national if money else None
        if money is None:
            blanks.append(key)
        elif money.amount is None:
            notes.add(where, line.no, f"{name} is unreadable ({money.text!r})")
        elif money.national is None:
            notes.add(where, line.no, f"국비 of {name} is not printed")
    row["national"] = national
    for key in blanks:
        implied = _implied(row, key)
        hint = f" (the identities give {_won(implied)})" if implied is not None else ""
        notes.add(where, line.no, f"{_SETTLEMENT_NAMES[key]} is blank{hint}")
    _check_identities(row, where, line.no, notes)
    _check_identities(national, f"{where} 국비", line.no, notes)
    return row


def _settlement_score_in(order: list[str]) -> Callable[[Sequence], int]:
    def score(placed: Sequence[_Money | None]) -> int:
        by_key = dict(zip(order, placed, strict=True))
        amounts = {
            key: by_key[key].amount if by_key.get(key) else None for key, _ in SETTLEMENT_COLUMNS
        }
        nationals = {
            key: by_key[key].national if by_key.get(key) else None for key, _ in SETTLEMENT_COLUMNS
        }
        return sum(_identity_score(values) for values in (amounts, nationals))

    return score


def _identities(values: dict) -> list[tuple[str, int | None, int | None]]:
    """(column, printed value, value the identities give) for 예산현액 and 집행잔액."""
    fb, ci, bc = values["final_budget"], values["carried_in"], values["budget_change"]
    available = fb + ci + bc if None not in (fb, ci, bc) else None
    av, ex, co = values["available"], values["executed"], values["carried_out"]
    unspent = av - ex - co if None not in (av, ex, co) else None
    return [("available", av, available), ("unspent", values["unspent"], unspent)]


_IDENTITY_TEXTS = {
    "available": "최종예산 + 전년이월 + 예산변경",
    "unspent": "예산현액 − 집행액 − 차년이월",
}


def _identity_score(values: dict) -> int:
    score = 0
    for _, printed, computed in _identities(values):
        if printed is not None and computed is not None:
            score += 1 if printed == computed else -1
    return score


_SETTLEMENT_NAMES = dict(SETTLEMENT_COLUMNS)


def _check_identities(values: dict, where: str, line: int, notes: _Notes) -> None:
    for key, printed, computed in _identities(values):
        if printed is not None and computed is not None and printed != computed:
            identity = f"{_IDENTITY_TEXTS[key]} = {_won(computed)}"
            notes.add(where, line, f"{_SETTLEMENT_NAMES[key]} {_won(printed)} ≠ {identity}")


def _implied(values: dict, key: str) -> int | None:
    """The value of one blank column that the two identities fix."""
    fb, ci, bc, av, ex, co, un = (values[k] for k, _ in SETTLEMENT_COLUMNS)
    if key == "available":
        if None not in (fb, ci, bc):
            return fb + ci + bc
        return ex + co + un if None not in (ex, co, un) else None
    if key == "carried_out":
        av = av if av is not None else (fb + ci + bc if None not in (fb, ci, bc) else None)
        return av - ex - un if None not in (av, ex, un) else None
    return None
