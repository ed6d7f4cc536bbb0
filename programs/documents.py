"""The JSON form of a program description (`budget-program-document/1`): export and reading.

`export_document` turns a year and its sections into the form; `read_document` type-checks
and validates a document into unsaved rows, and its errors name the field by its path in the
document (`budget_summary[2].prior`). Storing what was read is `programs.store`'s.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import DatabaseDefault

from . import arithmetic
from .arithmetic import SETTLEMENT_COLUMNS
from .models import (
    MAX_COST_DEPTH,
    Activity,
    BudgetLine,
    Contract,
    CostItem,
    Department,
    ExpectedEffect,
    HistoryEvent,
    LegalBasis,
    Officer,
    PerformanceRecord,
    Program,
    ProgramYear,
    ScheduleStep,
    Settlement,
)

FORMAT = "budget-program-document/1"


class DocumentError(ValueError):
    """A document that cannot be stored; the message says where (field path) and what."""


@dataclass(frozen=True)
class Field:
    key: str  # the key in the JSON form
    kind: type  # int, str or list
    required: bool = False
    attr: str = ""  # the model field, when it differs from the key
    optional: bool = False  # written only when it holds something (a key added to the form)

    @property
    def model_attr(self) -> str:
        return self.attr or self.key


def _fields(kind: type, *keys: str) -> tuple[Field, ...]:
    return tuple(Field(key, kind) for key in keys)


TOP_LEVEL = (
    Field("account", str),
    Field("period_type", str),
    Field("overview", str),
    Field("purpose", str),
    Field("delivery_method", str),
)
FUNDING = tuple(
    Field(key, int, attr=f"funding_{key}") for key in ("national", "city", "district", "other")
)
PERIOD = (
    Field("start_year", int, attr="period_start_year"),
    Field("end_year", int, attr="period_end_year"),
)

# Sections whose rows are flat objects: (JSON key, model, fields).
ROW_SECTIONS: tuple[tuple[str, type[models.Model], tuple[Field, ...]], ...] = (
    (
        "officers",
        Officer,
        _fields(
            str,
            "bureau",
            "department",
            "director",
            "director_phone",
            "team_leader",
            "team_leader_phone",
            "officer",
            "officer_phone",
        ),
    ),
    (
        "budget_summary",
        BudgetLine,
        (
            Field("category", str, required=True),
            *_fields(int, "prior", "current", "prior_national", "current_national"),
        ),
    ),
    (
        "history",
        HistoryEvent,
        (
            Field("date", str, required=True),
            Field("end_date", str),
            Field("text", str, True),
        ),
    ),
    (
        "contracts",
        Contract,
        (
            Field("signed", str),
            Field("start", str, required=True),
            Field("end", str, required=True),
            Field("term_years", int),
        ),
    ),
    (
        "schedule",
        ScheduleStep,
        (
            Field("task", str, required=True),
            Field("start", str),
            Field("end", str),
            Field("period_text", str, optional=True),
            Field("amount", int),
            Field("detail", str),
        ),
    ),
    (
        "performance",
        PerformanceRecord,
        (
            Field("year", int, required=True),
            Field("category", str),
            Field("text", str, True),
        ),
    ),
)
SETTLEMENT_FIELDS = _fields(int, *SETTLEMENT_COLUMNS)
NATIONAL_FIELDS = tuple(
    Field(column, int, attr=f"national_{column}") for column in SETTLEMENT_COLUMNS
)
TEXT_LIST_SECTIONS = (("activities", Activity), ("expected_effects", ExpectedEffect))
SECTIONS = (
    *(model for _key, model, _fields in ROW_SECTIONS),
    *(model for _key, model in TEXT_LIST_SECTIONS),
    CostItem,
    LegalBasis,
    Settlement,
)

# Rows a section may hold: far more than real documents have (in the samples at most 17 cost
# items, 21 history events, 11 performance rows), few enough that the admin's change page of a
# year at every limit stays quick and within the request's field limit (settings).
MAX_COST_ITEMS = 200
MAX_ROWS = 100


def row_limit(model: type[models.Model]) -> int:
    return MAX_COST_ITEMS if model is CostItem else MAX_ROWS


# ---------------------------------------------------------------- export


def _text_out(value: str | None) -> str | None:
    return value if value else None


def _row_out(instance: models.Model, fields: Iterable[Field]) -> dict:
    row = {}
    for field in fields:
        value = getattr(instance, field.model_attr)
        if field.kind is str and not isinstance(value, str):
            value = value.isoformat() if value is not None else None
        value = _text_out(value) if field.kind is str else value
        if value is not None or not field.optional:
            row[field.key] = value
    return row


def _cost_basis_out(items: Iterable[CostItem]) -> list[dict]:
    categories: dict[str, list[dict]] = {}
    open_items: dict[str, list[dict]] = {}  # per category, the last item at each depth
    for item in items:
        entry = {"name": item.name, "amount_won": item.amount_won, "children": []}
        group = categories.setdefault(item.category, [])
        above = open_items.setdefault(item.category, [])
        depth = min(item.depth, len(above))  # a part with no item above it is an item
        (above[depth - 1]["children"] if depth else group).append(entry)
        above[depth:] = [entry]
    return [{"category": category, "items": items} for category, items in categories.items()]


def _settlement_out(settlement: Settlement) -> dict:
    row = {"year": settlement.year, **_row_out(settlement, SETTLEMENT_FIELDS)}
    row["national"] = _row_out(settlement, NATIONAL_FIELDS)
    return row


def budget_total(lines: Iterable[BudgetLine]) -> dict:
    """예산 총괄's 계 row: the sums of the category rows (null where no row states a figure)."""
    lines = list(lines)

    def total(attr: str) -> int | None:
        return arithmetic.total_of_stated(getattr(line, attr) for line in lines)

    prior, current = total("prior"), total("current")
    return {
        "prior": prior,
        "current": current,
        "change": arithmetic.change(prior, current),
        "change_pct": arithmetic.percent_change(prior, current),
        "prior_national": total("prior_national"),
        "current_national": total("current_national"),
    }


def export_document(year: ProgramYear) -> dict:
    """The JSON form of a stored year (use `ProgramYear.objects.with_sections()`)."""
    return document_of(year, section_rows(year))


def program_block(program: Program) -> dict:
    """The program's own identity: what an import files its years under."""
    department = program.department
    return {"bureau": department.bureau, "department": department.name, "title": program.title}


def backup_document(year: ProgramYear, revisions: Iterable | None = None) -> dict:
    """What `export_documents` writes for a year: its JSON form with its program's block,
    and its history records when given (`revisions`, oldest first)."""
    document = {**export_document(year), "program": program_block(year.program)}
    if revisions is not None:
        document["revisions"] = [
            {
                "date": record.history_date.isoformat(),
                "type": record.history_type,
                "version": record.version,
                "user": record.history_user.get_username() if record.history_user else None,
                "reason": record.history_change_reason,
                "document": record.document,
            }
            for record in revisions
        ]
    return document


def program_entry(program: Program) -> dict:
    """What `export_documents` writes for a program without any year: its block alone."""
    return {"format": FORMAT, "program": program_block(program)}


def stored_document(pk: int) -> dict:
    """The JSON form of the year as it is stored now, read with its sections."""
    return export_document(ProgramYear.objects.with_sections().get(pk=pk))


def export_sections(year: ProgramYear, sections: Iterable[type[models.Model]]) -> dict:
    """The JSON form of a year of which only the rows of `sections` were read (prefetch the
    `related_name` of each): the other sections come out empty. For figures that need a few
    sections of many years."""
    read = set(sections)
    rows = {model: list(_related(year, model).all()) if model in read else [] for model in SECTIONS}
    return document_of(year, rows)


def section_rows(year: ProgramYear) -> dict[type[models.Model], list]:
    return {model: list(_related(year, model).all()) for model in SECTIONS}


def related_name(model: type[models.Model]) -> str:
    """The name under which a year holds its rows of the section `model`."""
    return model._meta.get_field("program_year").remote_field.related_name


def _related(year: ProgramYear, model: type[models.Model]):
    return getattr(year, related_name(model))


def document_of(year: ProgramYear, rows: dict[type[models.Model], list]) -> dict:
    """The JSON form of a year and its section rows, in document order, saved or not."""
    document = {
        "format": FORMAT,
        "title": year.program.title,
        "fiscal_year": year.fiscal_year,
        **_row_out(year, TOP_LEVEL),
        "funding": {"total": year.funding_total, **_row_out(year, FUNDING)},
        "period": _row_out(year, PERIOD),
        "budget_total": budget_total(rows[BudgetLine]),
        "cost_basis": _cost_basis_out(rows[CostItem]),
        "legal_basis": [
            {"name": basis.name, "articles": basis.article_list} for basis in rows[LegalBasis]
        ],
        "settlements": [_settlement_out(settlement) for settlement in rows[Settlement]],
    }
    for key, model, fields in ROW_SECTIONS:
        document[key] = [_row_out(row, fields) for row in rows[model]]
    for line, row in zip(rows[BudgetLine], document["budget_summary"], strict=True):
        row["change"], row["change_pct"] = line.change, line.change_pct
    for key, model in TEXT_LIST_SECTIONS:
        document[key] = [entry.text for entry in rows[model]]
    return document


# ---------------------------------------------------------------- import


def _where(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _typed(value: object, kind: type, where: str) -> object:
    names = {int: "정수", str: "문자열", list: "목록", dict: "객체"}
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise DocumentError(f"{where}: {names[kind]}이어야 합니다 (값: {value!r})")
    if kind is str and "\x00" in value:
        # PostgreSQL cannot store it, and no document has one.
        raise DocumentError(f"{where}: 널 문자(\\x00)가 들어 있습니다")
    return value


def _value(obj: dict, field: Field, path: str) -> object:
    value = obj.get(field.key)
    if value is None:
        if field.required:
            raise DocumentError(f"{_where(path, field.key)}: 값이 없습니다 (필수 항목)")
        return None
    if type(value) is field.kind and (field.kind is not str or "\x00" not in value):
        return value  # what _typed lets through, without writing where it is
    return _typed(value, field.kind, _where(path, field.key))


def _object(obj: dict, key: str, path: str) -> dict:
    value = obj.get(key)
    return {} if value is None else _typed(value, dict, _where(path, key))


def _list(obj: dict, key: str, path: str) -> list:
    value = obj.get(key)
    return [] if value is None else _typed(value, list, _where(path, key))


def _values(obj: object, fields: Iterable[Field], path: str) -> dict:
    obj = _typed(obj, dict, path)
    return {field.model_attr: _value(obj, field, path) for field in fields}


def _validated(instance: models.Model, where: str, fields: Iterable[Field]) -> models.Model:
    """Run the model's validators and clean(); report errors by their key in the document."""
    model = type(instance)
    for attname in _blank_texts(model):
        # A blank text is "" in a column that is not nullable, as Django stores it.
        if getattr(instance, attname) is None:
            setattr(instance, attname, "")
    if _passes(instance):
        return instance
    try:
        # Uniqueness is checked per document.
        instance.full_clean(
            exclude=_set_when_saved(model),
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        key = {field.model_attr: field.key for field in fields}.get(name, name)
        # A key of "" is the value itself (an entry of a list of texts).
        raise DocumentError(
            f"{_where(where, key) if key else where}: {' '.join(messages)}"
        ) from None
    return instance


def _row(model: type[models.Model], values: dict) -> models.Model:
    """`model(**values)` of a section, its arguments given by position: Django's quick way
    to make an instance (a document makes hundreds)."""
    return model(*[values.get(attname, default) for attname, default in _defaults(model)])


@cache
def _defaults(model: type[models.Model]) -> tuple[tuple[str, object], ...]:
    """Each column's attribute and default, in the order `model(*args)` takes them."""
    fields = model._meta.concrete_fields
    assert not any(f.has_default() and callable(f.default) for f in fields), "made per row"
    return tuple((field.attname, field.get_default()) for field in fields)


def _passes(instance: models.Model) -> bool:
    """Whether the full_clean `_validated` calls would pass, its conversions then made: the
    same checks of each field (to_python, validate, the validators) and clean(), without
    full_clean's generic machinery per row. When not, full_clean says what is wrong."""
    cleaned = []
    try:
        for field, validators in _checked_fields(type(instance)):
            raw = getattr(instance, field.attname)
            if (field.blank and raw in field.empty_values) or isinstance(raw, DatabaseDefault):
                continue  # as clean_fields skips them
            value = field.to_python(raw)
            field.validate(value, instance)
            if value not in field.empty_values:
                for validator in validators:
                    validator(value)
            cleaned.append((field.attname, value))
        for attname, value in cleaned:
            setattr(instance, attname, value)
        instance.clean()
    except ValidationError:
        return False
    return True


@cache
def _checked_fields(model: type[models.Model]) -> tuple[tuple[models.Field, tuple], ...]:
    """The fields clean_fields checks in `_validated`, each with its validators."""
    skipped = _set_when_saved(model)
    return tuple(
        (field, tuple(field.validators))
        for field in model._meta.fields
        if field.name not in skipped and not field.generated
    )


@cache
def _blank_texts(model: type[models.Model]) -> tuple[str, ...]:
    """The text columns that are not nullable."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.null
    )


@cache
def _set_when_saved(model: type[models.Model]) -> frozenset[str]:
    """What full_clean skips: what the rows get only when they are saved (the key, the
    relations and the position)."""
    return frozenset(
        field.name
        for field in model._meta.concrete_fields
        if field.primary_key or field.is_relation or field.name == "position"
    )


def _no_repeats(values: list, path: str, key: str) -> None:
    seen = set()
    for index, value in enumerate(values):
        if value in seen:
            raise DocumentError(
                f"{_where(_where(path, index), key)}: {value!r}이(가) 두 번 나옵니다"
            )
        seen.add(value)


def _cost_items(document: dict, path: str) -> list[CostItem]:
    items = []
    for c, group in enumerate(_list(document, "cost_basis", path)):
        where = _where(_where(path, "cost_basis"), c)
        category = _value(_typed(group, dict, where), Field("category", str, required=True), where)
        items += _cost_item_tree(group, "items", category, 0, where)
    return items


def _cost_item_tree(parent: dict, key: str, category: str, depth: int, path: str) -> list:
    """The items under `parent[key]` and their parts, in document order, with their depth."""
    rows = []
    for index, item in enumerate(_list(parent, key, path)):
        where = _where(_where(path, key), index)
        if depth > MAX_COST_DEPTH:
            raise DocumentError(f"{where}: 하위 항목은 {MAX_COST_DEPTH}단계까지입니다")
        rows.append(_cost_item(item, category, depth, where))
        rows += _cost_item_tree(item, "children", category, depth + 1, where)
    return rows


COST_FIELDS = (Field("name", str, required=True), Field("amount_won", int))


def _cost_item(item: object, category: str, depth: int, where: str) -> CostItem:
    values = _values(item, COST_FIELDS, where)
    return _validated(
        _row(CostItem, {"category": category, "depth": depth, **values}),
        where,
        COST_FIELDS,
    )


def _legal_bases(document: dict, path: str) -> list[LegalBasis]:
    bases = []
    for index, entry in enumerate(_list(document, "legal_basis", path)):
        where = _where(_where(path, "legal_basis"), index)
        name = _value(_typed(entry, dict, where), Field("name", str, required=True), where)
        articles = [
            _typed(article, str, _where(_where(where, "articles"), k))
            for k, article in enumerate(_list(entry, "articles", where))
        ]
        basis = _row(LegalBasis, {"name": name, "articles": ", ".join(articles)})
        bases.append(_validated(basis, where, (Field("name", str), Field("articles", list))))
    return bases


def _settlements(document: dict, path: str) -> list[Settlement]:
    rows = []
    for index, entry in enumerate(_list(document, "settlements", path)):
        where = _where(_where(path, "settlements"), index)
        values = _values(entry, (Field("year", int, required=True), *SETTLEMENT_FIELDS), where)
        national_where = _where(where, "national")
        values |= _values(_object(entry, "national", where), NATIONAL_FIELDS, national_where)
        settlement = _row(Settlement, values)
        named = tuple(Field(f"national.{f.key}", int, attr=f.attr) for f in NATIONAL_FIELDS)
        _validated(settlement, where, (Field("year", int), *SETTLEMENT_FIELDS, *named))
        rows.append(settlement)
    _no_repeats([row.year for row in rows], _where(path, "settlements"), "year")
    return rows


def _sections(document: dict, path: str) -> dict[type[models.Model], list[models.Model]]:
    """Every section's rows, built and validated, not yet saved."""
    _within_limits(document, path)
    _stated_figures(document, path)
    sections: dict[type[models.Model], list[models.Model]] = {}
    for key, model, fields in ROW_SECTIONS:
        rows = []
        for index, entry in enumerate(_list(document, key, path)):
            where = _where(_where(path, key), index)
            rows.append(_validated(_row(model, _values(entry, fields, where)), where, fields))
        sections[model] = rows
    for key, model in TEXT_LIST_SECTIONS:
        sections[model] = [
            _validated(
                _row(model, {"text": _typed(text, str, _where(_where(path, key), index))}),
                _where(_where(path, key), index),
                (Field("", str, attr="text"),),
            )
            for index, text in enumerate(_list(document, key, path))
        ]
    sections[CostItem] = _cost_items(document, path)
    sections[LegalBasis] = _legal_bases(document, path)
    sections[Settlement] = _settlements(document, path)
    _no_repeats(
        [line.category for line in sections[BudgetLine]],
        _where(path, "budget_summary"),
        "category",
    )
    return sections


PROGRAM_FIELDS = (
    Field("bureau", str, required=True),
    Field("department", str, required=True, attr="name"),
    Field("title", str, required=True),
)


def _program(document: dict, path: str) -> tuple[str, tuple[str, str]] | None:
    """The program block's title and (실·국, 부서), validated; None when there is none."""
    if document.get("program") is None:
        return None
    where = _where(path, "program")
    values = _values(document["program"], PROGRAM_FIELDS, where)
    title, bureau, name = values["title"].strip(), values["bureau"], values["name"]
    if not title:
        raise DocumentError(f"{_where(where, 'title')}: 사업명이 비어 있습니다")
    _validated(Program(title=title), where, (Field("title", str),))
    _validated(Department(bureau=bureau, name=name), where, PROGRAM_FIELDS)
    return title, (bureau, name)


def is_program_entry(document: object) -> bool:
    """A program without years: a program block and no fiscal year."""
    return isinstance(document, dict) and "program" in document and "fiscal_year" not in document


def read_program_entry(document: dict, path: str = "") -> tuple[str, tuple[str, str]]:
    """The title and (실·국, 부서) of a program entry; raise DocumentError when invalid."""
    _format(document, path)
    return _program(document, path)


def _within_limits(document: dict, path: str) -> None:
    """Refuse a section of more rows than its limit, counted before anything is built."""

    def listed(value: object) -> list:
        return value if isinstance(value, list) else []

    counts = {
        key: (model, len(listed(document.get(key))))
        for key, model in (
            *((key, model) for key, model, _fields in ROW_SECTIONS),
            *TEXT_LIST_SECTIONS,
            ("legal_basis", LegalBasis),
            ("settlements", Settlement),
        )
    }
    items = [
        item
        for group in listed(document.get("cost_basis"))
        for item in listed(group.get("items") if isinstance(group, dict) else None)
    ]
    children = sum(len(listed(i.get("children"))) for i in items if isinstance(i, dict))
    counts["cost_basis"] = (CostItem, len(items) + children)
    for key, (model, count) in counts.items():
        if count > row_limit(model):
            raise DocumentError(
                f"{_where(path, key)}: {model._meta.verbose_name} {count:,}행은 너무 많습니다"
                f" (한 사업설명서에 {row_limit(model):,}행까지)"
            )


STATED_TOTALS = _fields(
    int, "prior", "current", "change", "change_pct", "prior_national", "current_national"
)


def _stated_figures(document: dict, path: str) -> None:
    """Type-check the figures a file may state that the stored year derives (changes, totals):
    they are not stored, but the checks compare them with what they derive."""
    for index, row in enumerate(_list(document, "budget_summary", path)):
        where = _where(_where(path, "budget_summary"), index)
        _values(row, _fields(int, "change", "change_pct"), where)
    _values(_object(document, "budget_total", path), STATED_TOTALS, _where(path, "budget_total"))
    funding = _where(path, "funding")
    _value(_object(document, "funding", path), Field("total", int), funding)


def _department(document: dict, path: str) -> tuple[str, str]:
    """The program's department: the first officer row's 실·국 and 부서명."""
    for index, officer in enumerate(_list(document, "officers", path)):
        where = _where(_where(path, "officers"), index)
        officer = _typed(officer, dict, where)
        bureau = _value(officer, Field("bureau", str, required=True), where)
        name = _value(officer, Field("department", str, required=True), where)
        return bureau, name
    raise DocumentError(
        f"{_where(path, 'officers')}: 부서를 알 수 있는 담당자 행이 하나 이상 필요합니다"
    )


@dataclass
class ReadDocument:
    """A document read and validated, nothing stored: the year (without its program yet) and
    each section's rows in document order."""

    title: str
    department: tuple[str, str]
    year: ProgramYear
    sections: dict[type[models.Model], list[models.Model]]

    def as_stored(self) -> dict[type[models.Model], list[models.Model]]:
        return in_stored_order(self.sections)


def in_stored_order(sections: dict[type[models.Model], list]) -> dict[type[models.Model], list]:
    """The rows in the order the database gives them back (settlements by year)."""
    return sections | {Settlement: sorted(sections[Settlement], key=_settled_year)}


def _settled_year(settlement: Settlement) -> int:
    return settlement.year


def _format(document: object, path: str) -> dict:
    document = _typed(document, dict, path or "document")
    if document.get("format") != FORMAT:
        raise DocumentError(
            f"{_where(path, 'format')}: {FORMAT!r}이어야 합니다 (값: {document.get('format')!r})"
        )
    return document


def read_document(document: object, path: str = "") -> ReadDocument:
    """Type-check and validate a document; raise DocumentError naming the first bad field."""
    document = _format(document, path)
    title = _value(document, Field("title", str, required=True), path).strip()
    if not title:
        raise DocumentError(f"{_where(path, 'title')}: 사업명이 비어 있습니다")
    fiscal_year = _value(document, Field("fiscal_year", int, required=True), path)
    # The program block says whose program it is; without one, the first officer row does.
    program = _program(document, path)
    if program is None:
        bureau, department_name = _department(document, path)
    else:
        title, (bureau, department_name) = program

    year = ProgramYear(
        fiscal_year=fiscal_year,
        **_values(document, TOP_LEVEL, path),
        **_values(_object(document, "funding", path), FUNDING, _where(path, "funding")),
        **_values(_object(document, "period", path), PERIOD, _where(path, "period")),
    )
    fields = (
        Field("fiscal_year", int),
        *TOP_LEVEL,
        *(Field(f"funding.{f.key}", f.kind, attr=f.model_attr) for f in FUNDING),
        *(Field(f"period.{f.key}", f.kind, attr=f.model_attr) for f in PERIOD),
    )
    _validated(year, path, fields)
    _validated(Program(title=title), path, (Field("title", str),))
    if program is None:
        department = Department(bureau=bureau, name=department_name)
        _validated(department, _where(path, "officers[0]"), ())
    return ReadDocument(title, (bureau, department_name), year, _sections(document, path))


def document_department(document: object) -> tuple[str, str] | None:
    """The (실·국, 부서) a document belongs to, None when it does not say validly."""
    try:
        document = _typed(document, dict, "document")
        program = _program(document, "")
        return program[1] if program else _department(document, "")
    except DocumentError:
        return None
