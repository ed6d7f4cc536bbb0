"""The history of program years: every change with who, when and what.

Each history record of a year (django-simple-history's `HistoricalProgramYear`) keeps, besides
the year's own fields, the whole document as it was then in its JSON form, sections included.
One record per change, whether the change was to the year's own fields or to any of its
sections' rows, written by `programs.store` with the change; what changed is the difference
between a record's document and the one before.
"""

import json
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from . import formatting
from .arithmetic import SETTLEMENT_COLUMNS
from .documents import FUNDING, PERIOD, ROW_SECTIONS, TOP_LEVEL
from .models import CostItem, LegalBasis, ProgramYear, Settlement


def latest_document(pk: int) -> dict | None:
    """The document of the year's latest history record (None: no record yet)."""
    return (
        ProgramYear.revisions.filter(id=pk)
        .order_by("-history_date", "-history_id")
        .values_list("document", flat=True)
        .first()
    )


# ---------------------------------------------------------------- differences


@dataclass(frozen=True)
class Change:
    where: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.where}: {self.before} → {self.after}"


def _label(model, attr: str) -> str:
    return str(model._meta.get_field(attr).verbose_name)


SECTION_LABELS = {key: str(model._meta.verbose_name) for key, model, _fields in ROW_SECTIONS} | {
    "cost_basis": str(CostItem._meta.verbose_name),
    "legal_basis": str(LegalBasis._meta.verbose_name),
    "activities": "사업내용",
    "expected_effects": "기대효과",
    "settlements": str(Settlement._meta.verbose_name),
}
SCALAR_LABELS = {
    "title": "사업명",
    "fiscal_year": _label(ProgramYear, "fiscal_year"),
    **{field.key: _label(ProgramYear, field.model_attr) for field in TOP_LEVEL},
    **{f"funding.{f.key}": _label(ProgramYear, f.model_attr) for f in FUNDING},
    **{f"period.{f.key}": _label(ProgramYear, f.model_attr) for f in PERIOD},
}
FIELD_LABELS = {
    key: {field.key: _label(model, field.model_attr) for field in fields}
    for key, model, fields in ROW_SECTIONS
} | {
    "cost_basis": {
        "category": _label(CostItem, "category"),
        "name": _label(CostItem, "name"),
        "amount_won": _label(CostItem, "amount_won"),
    },
    "legal_basis": {"name": _label(LegalBasis, "name"), "articles": _label(LegalBasis, "articles")},
    "settlements": {
        "year": _label(Settlement, "year"),
        **{column: _label(Settlement, column) for column in SETTLEMENT_COLUMNS},
    },
}
# Figures an identity determines: they change only with what they are computed from.
DERIVED = {"format", "budget_total", "funding.total", "change", "change_pct"}
BLANK = "(빈칸)"


def shown(value: object) -> str:
    if value is None or value == "" or value == []:
        return BLANK
    if isinstance(value, bool):
        return _("예") if value else _("아니요")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return " · ".join(shown(v) for k, v in value.items() if k not in DERIVED and v)
    return str(value)


def _flat(value: object, prefix: str = "") -> dict[str, object]:
    """Paths to the plain values inside a document part: `items[2].children[0].amount_won`."""
    if isinstance(value, dict):
        flat = {}
        for key, item in value.items():
            flat |= _flat(item, f"{prefix}.{key}" if prefix else key)
        return flat
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        flat = {}
        for index, item in enumerate(value):
            flat |= _flat(item, f"{prefix}[{index}]")
        return flat
    return {prefix: value}


# What names a row of each section, in the order it is read: its category, its item, its year.
ROW_NAMES = {
    "officers": ("department", "officer"),
    "budget_summary": ("category",),
    "cost_basis": ("category",),
    "legal_basis": ("name",),
    "history": ("date",),
    "contracts": ("start", "end"),
    "schedule": ("task",),
    "performance": ("year", "category"),
    "settlements": ("year",),
}
DATES = {"date", "start", "end"}


def row_name(section: str, row: object) -> str:
    """A row named by its content, as staff know it: `공공운영비`, `2022년`, `2021년 홍보`.

    Nothing for a paragraph of a text list (사업내용, 기대효과): the change shows its text."""
    if not isinstance(row, dict):
        return ""
    parts = []
    for key in ROW_NAMES.get(section, ()):
        value = row.get(key)
        if isinstance(value, int):
            parts.append(_("%(year)s년") % {"year": value})
        elif value:
            parts.append(formatting.date(value) if key in DATES else str(value))
    return ("~" if section == "contracts" else " ").join(parts)


def _where(section: str, row: object, position: int) -> str:
    """`예산 총괄: 공공운영비`; by its position when nothing in it names it."""
    label = SECTION_LABELS[section]
    name = row_name(section, row)
    if name:
        return f"{label}: {name}"
    return _("%(section)s %(row)s행") % {"section": label, "row": position + 1}


def _field_label(section: str, path: str, row: dict) -> str:
    labels = FIELD_LABELS.get(section, {})
    parts = []
    inside = row
    for part in path.split("."):
        name, _bracket, index = part.partition("[")
        if name in ("items", "children") and index:
            position = int(index.rstrip("]"))
            found = (inside.get(name) or []) if isinstance(inside, dict) else []
            inside = found[position] if position < len(found) else {}
            item = inside.get("name") if isinstance(inside, dict) else None
            if item:
                parts.append(f"'{item}'")
            elif name == "items":
                parts.append(_("항목 %(n)s") % {"n": position + 1})
            else:
                parts.append(_("하위 %(n)s") % {"n": position + 1})
        elif name == "national":
            parts.append(_("국비"))
        else:
            parts.append(labels.get(name, name))
    return " ".join(parts)


def _rows(section: str, before: list, after: list) -> list[Change]:
    changes = []
    matcher = SequenceMatcher(
        a=[json.dumps(row, sort_keys=True) for row in before],
        b=[json.dumps(row, sort_keys=True) for row in after],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for offset in range(i2 - i1):
                row = after[j1 + offset]
                old, new = _flat(before[i1 + offset]), _flat(row)
                # Named as it was: a renamed row reads "예산 총괄: 옛 이름 통계목: 옛 → 새".
                where = _where(section, before[i1 + offset], j1 + offset)
                for path in dict.fromkeys([*old, *new]):
                    if path.rsplit(".", 1)[-1] in DERIVED or old.get(path) == new.get(path):
                        continue
                    changes.append(
                        Change(
                            f"{where} {_field_label(section, path, row)}".rstrip(),
                            shown(old.get(path)),
                            shown(new.get(path)),
                        )
                    )
            continue
        for index in range(i1, i2):
            where = _("%(row)s 삭제") % {"row": _where(section, before[index], index)}
            changes.append(Change(where, shown(before[index]), BLANK))
        for index in range(j1, j2):
            where = _("%(row)s 추가") % {"row": _where(section, after[index], index)}
            changes.append(Change(where, BLANK, shown(after[index])))
    return changes


OWN_FIELDS = "기본 현황"  # the group of a year's own fields, before its sections


def changes_by_section(before: dict | None, after: dict) -> list[tuple[str, list[Change]]]:
    """What differs between two documents of a year, grouped: the year's own fields, then
    each section in document order; only the groups that changed."""
    before = before or {}
    own = []
    old_flat = _flat({k: v for k, v in before.items() if k not in SECTION_LABELS})
    new_flat = _flat({k: v for k, v in after.items() if k not in SECTION_LABELS})
    for path in dict.fromkeys([*new_flat, *old_flat]):
        if path in DERIVED or path.split(".")[0] in DERIVED:
            continue
        if old_flat.get(path) != new_flat.get(path):
            label = SCALAR_LABELS.get(path, path)
            own.append(Change(label, shown(old_flat.get(path)), shown(new_flat.get(path))))
    groups = [(OWN_FIELDS, own)]
    for section, label in SECTION_LABELS.items():
        old_rows, new_rows = before.get(section) or [], after.get(section) or []
        if old_rows != new_rows:
            groups.append((label, _rows(section, old_rows, new_rows)))
    return [(label, found) for label, found in groups if found]


def changes(before: dict | None, after: dict) -> list[Change]:
    """What differs between two documents of a year, field by field and row by row."""
    return [change for _label, found in changes_by_section(before, after) for change in found]


# ---------------------------------------------------------------- imports and later edits

IMPORT_REASON = "가져오기: "  # how an import's record begins its reason, the file after it


def import_reason(name: str) -> str:
    return f"{IMPORT_REASON}{name}"


def edited_since_import(pk: int) -> set[str]:
    """Where the year was changed since its last import (in the admin, by a restore): the
    `where` of each change between that import's record and the latest one."""
    records = ProgramYear.revisions.filter(id=pk).order_by("-history_date", "-history_id")
    latest = records.values_list("document", flat=True).first()
    imported = (
        records.filter(history_change_reason__startswith=IMPORT_REASON)
        .values_list("document", flat=True)
        .first()
    )
    if latest is None or imported is None:
        return set()
    return {change.where for change in changes(imported, latest)}
