"""What changed between two years' documents of a program, section by section: rows added,
removed and changed; amounts with their difference, texts with the changed words marked."""

import difflib
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

from . import arithmetic

# Each section of the document form (`documents.export_document`), in document order: its
# heading and what names one of its rows from year to year (None: the section is one row;
# "": the rows are texts, named by themselves).
SECTIONS = (
    ("funding", "재원", None),
    ("budget_total", "예산 총괄", None),
    ("budget_summary", "통계목별 예산", "category"),
    ("cost_basis", "산출근거", "name"),
    ("purpose", "사업목적", None),
    ("legal_basis", "사업근거", "name"),
    ("period", "사업기간", None),
    ("activities", "사업내용", ""),
    ("delivery_method", "사업수행방법", None),
    ("history", "추진경위", "date"),
    ("contracts", "위탁 협약", "start"),
    ("schedule", "추진일정", "task"),
    ("performance", "추진실적", ("year", "category")),
    ("expected_effects", "기대효과", ""),
    ("settlements", "결산", "year"),
)

FIELD_LABELS = (
    arithmetic.BUDGET_LABELS
    | arithmetic.SETTLEMENT_LABELS
    | {
        "total": "계",
        "national": "국비",
        "city": "시비",
        "district": "구비",
        "other": "기타",
        "amount_won": "금액(원)",
        "amount": "금액(천원)",
        "text": "내용",
        "articles": "조항",
        "start_year": "시작 연도",
        "end_year": "종료 연도",
        "end_date": "종료일자",
        "signed": "체결일",
        "start": "시작",
        "end": "종료",
        "term_years": "기간(년)",
        "detail": "세부내용",
        "": "",
    }
)


@dataclass
class Change:
    field: str
    before: object
    after: object

    @property
    def label(self) -> str:
        *outer, name = self.field.split(".")
        prefix = " ".join(FIELD_LABELS.get(part, part) for part in outer)
        return f"{prefix} {FIELD_LABELS.get(name, name)}".strip()

    @property
    def is_amount(self) -> bool:
        return isinstance(self.before, int) and isinstance(self.after, int)

    @property
    def difference(self) -> int | None:
        return arithmetic.change(self.before, self.after) if self.is_amount else None

    @property
    def marked(self) -> tuple[str, str]:
        """The two texts with the words one has and the other lacks marked (<del>, <ins>)."""
        before, after = str(self.before or "").split(), str(self.after or "").split()
        old, new = [], []
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                old.append(" ".join(before[i1:i2]))
                new.append(" ".join(after[j1:j2]))
                continue
            if i2 > i1:
                old.append(format_html("<del>{}</del>", " ".join(before[i1:i2])))
            if j2 > j1:
                new.append(format_html("<ins>{}</ins>", " ".join(after[j1:j2])))
        join = lambda parts: format_html_join(" ", "{}", ((part,) for part in parts))  # noqa: E731
        return join(old), join(new)


@dataclass
class Row:
    name: str
    state: str  # 추가, 삭제, 변경
    changes: list[Change] = field(default_factory=list)


@dataclass
class Section:
    key: str
    heading: str
    rows: list[Row]


def _flat(value: object, prefix: str = "") -> dict[str, object]:
    """A row's fields as name → scalar; nested parts (국비 of a settlement) as `national.x`,
    lists of texts joined, nested rows (cost items' children) left to their own rows."""
    if isinstance(value, dict):
        flat = {}
        for key, item in value.items():
            if key in ("children", "items"):
                continue
            flat |= (
                _flat(item, f"{prefix}{key}.")
                if isinstance(item, dict)
                else {
                    f"{prefix}{key}": ", ".join(map(str, item)) if isinstance(item, list) else item
                }
            )
        return flat
    return {prefix.rstrip(".") or "": value}


def _cost_items(categories: list[dict]) -> list[dict]:
    """산출근거 as one row per item, children included, named by category and item."""
    rows = []

    def walk(items: list[dict], path: str) -> None:
        for item in items:
            name = f"{path} · {item.get('name', '')}"
            rows.append(item | {"name": name})
            walk(item.get("children") or [], name)

    for category in categories:
        walk(category.get("items") or [], category.get("category", ""))
    return rows


def _rows(value: object, key: str | tuple | None) -> dict[str, dict]:
    if value is None or value == [] or value == {}:
        return {}
    if key is None:
        return {"": _flat(value)}
    rows = {}
    for item in value:
        if key == "":
            name, fields = str(item), {"": item}
        else:
            names = key if isinstance(key, tuple) else (key,)
            name = " ".join(str(item.get(part, "")) for part in names)
            fields = _flat(item)
        while name in rows:  # the same name twice: keep both, in order
            name += " "
        rows[name] = fields
    return rows


def compare(before: dict, after: dict) -> list[Section]:
    """The sections that differ between two documents (in their document form), in order."""
    sections = []
    for key, heading, name_key in SECTIONS:
        old, new = before.get(key), after.get(key)
        if key == "cost_basis":
            old, new = _cost_items(old or []), _cost_items(new or [])
        old_rows, new_rows = _rows(old, name_key), _rows(new, name_key)
        rows = []
        for name in [*old_rows, *(n for n in new_rows if n not in old_rows)]:
            if name not in new_rows:
                rows.append(Row(name.strip(), "삭제", _changes(old_rows[name], {})))
            elif name not in old_rows:
                rows.append(Row(name.strip(), "추가", _changes({}, new_rows[name])))
            elif changes := _changes(old_rows[name], new_rows[name]):
                rows.append(Row(name.strip(), "변경", changes))
        if rows:
            sections.append(Section(key, heading, rows))
    return sections


def _changes(old: dict, new: dict) -> list[Change]:
    names = [*old, *(name for name in new if name not in old)]
    return [
        Change(name, old.get(name), new.get(name))
        for name in names
        if old.get(name) != new.get(name)
    ]
