"""The JSON form of a program description (`budget-program-document/1`): export and import.

`export_document` turns a stored year into the form; `store_document` stores one document,
replacing that program year's sections, so importing the same document twice changes nothing.
Every value is type-checked and validated before anything is written, and errors name the
field by its path in the document (`budget_summary[2].prior`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from . import arithmetic
from .arithmetic import SETTLEMENT_COLUMNS
from .checks import ERROR, check_document
from .models import (
    DERIVED_FIELDS,
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

# ---------------------------------------------------------------- export


def _text_out(value: str | None) -> str | None:
    return value if value else None


def _row_out(instance: models.Model, fields: Iterable[Field]) -> dict:
    row = {}
    for field in fields:
        value = getattr(instance, field.model_attr)
        if field.kind is str and not isinstance(value, str):
            value = value.isoformat() if value is not None else None
        row[field.key] = _text_out(value) if field.kind is str else value
    return row


def _cost_basis_out(items: Iterable[CostItem]) -> list[dict]:
    categories: dict[str, list[dict]] = {}
    for item in items:
        entry = {"name": item.name, "amount_won": item.amount_won, "children": []}
        group = categories.setdefault(item.category, [])
        if item.is_sub_item and group:
            group[-1]["children"].append(entry)
        else:
            group.append(entry)
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
    where = _where(path, field.key)
    value = obj.get(field.key)
    if value is None:
        if field.required:
            raise DocumentError(f"{where}: 값이 없습니다 (필수 항목)")
        return None
    return _typed(value, field.kind, where)


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
        for i, item in enumerate(_list(group, "items", where)):
            item_where = _where(_where(where, "items"), i)
            items.append(_cost_item(item, category, False, item_where))
            for k, child in enumerate(_list(item, "children", item_where)):
                child_where = _where(_where(item_where, "children"), k)
                items.append(_cost_item(child, category, True, child_where))
                if _list(child, "children", child_where):
                    raise DocumentError(f"{child_where}.children: 하위 항목은 한 단계까지입니다")
    return items


COST_FIELDS = (Field("name", str, required=True), Field("amount_won", int))


def _cost_item(item: object, category: str, is_sub_item: bool, where: str) -> CostItem:
    values = _values(item, COST_FIELDS, where)
    return _validated(
        CostItem(category=category, is_sub_item=is_sub_item, **values),
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
        basis = LegalBasis(name=name, articles=", ".join(articles))
        bases.append(_validated(basis, where, (Field("name", str), Field("articles", list))))
    return bases


def _settlements(document: dict, path: str) -> list[Settlement]:
    rows = []
    for index, entry in enumerate(_list(document, "settlements", path)):
        where = _where(_where(path, "settlements"), index)
        values = _values(entry, (Field("year", int, required=True), *SETTLEMENT_FIELDS), where)
        national_where = _where(where, "national")
        values |= _values(_object(entry, "national", where), NATIONAL_FIELDS, national_where)
        settlement = Settlement(**values)
        named = tuple(Field(f"national.{f.key}", int, attr=f.attr) for f in NATIONAL_FIELDS)
        _validated(settlement, where, (Field("year", int), *SETTLEMENT_FIELDS, *named))
        rows.append(settlement)
    _no_repeats([row.year for row in rows], _where(path, "settlements"), "year")
    return rows


def _sections(document: dict, path: str) -> dict[type[models.Model], list[models.Model]]:
    """Every section's rows, built and validated, not yet saved."""
    sections: dict[type[models.Model], list[models.Model]] = {}
    for key, model, fields in ROW_SECTIONS:
        rows = []
        for index, entry in enumerate(_list(document, key, path)):
            where = _where(_where(path, key), index)
            rows.append(_validated(model(**_values(entry, fields, where)), where, fields))
        sections[model] = rows
    for key, model in TEXT_LIST_SECTIONS:
        sections[model] = [
            _validated(
                model(text=_typed(text, str, _where(_where(path, key), index))),
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
        """The rows in the order the database gives them back (settlements by year)."""
        return self.sections | {Settlement: sorted(self.sections[Settlement], key=_settled_year)}


def _settled_year(settlement: Settlement) -> int:
    return settlement.year


def read_document(document: object, path: str = "") -> ReadDocument:
    """Type-check and validate a document; raise DocumentError naming the first bad field."""
    document = _typed(document, dict, path or "document")
    if document.get("format") != FORMAT:
        raise DocumentError(
            f"{_where(path, 'format')}: {FORMAT!r}이어야 합니다 (값: {document.get('format')!r})"
        )
    title = _value(document, Field("title", str, required=True), path).strip()
    if not title:
        raise DocumentError(f"{_where(path, 'title')}: 사업명이 비어 있습니다")
    fiscal_year = _value(document, Field("fiscal_year", int, required=True), path)
    bureau, department_name = _department(document, path)

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
    _validated(Department(bureau=bureau, name=department_name), _where(path, "officers[0]"), ())
    return ReadDocument(title, (bureau, department_name), year, _sections(document, path))


def document_department(document: object) -> tuple[str, str] | None:
    """The (실·국, 부서) a document belongs to, None when it does not say validly."""
    try:
        return _department(_typed(document, dict, "document"), "")
    except DocumentError:
        return None


def store_document(document: object, path: str = "", *, user=None, reason: str = "") -> ProgramYear:
    """Store one document, replacing what was stored for the same program and year.

    The key is the title, the department and the fiscal year. Call it inside a transaction:
    it raises DocumentError before writing anything when the document is invalid. The change
    is recorded in the year's history as made by `user`; a document identical to what is
    stored changes nothing and records nothing.
    """
    read = read_document(document, path)
    bureau, department_name = read.department
    # Plain lookups and creates: get_or_create's savepoints cost more than the rows here,
    # and the caller's transaction already makes the document all or nothing.
    # A department or program the import makes is recorded by the year's history record
    # (its document names both), not by records of their own: an import stays fast.
    # What was just made has nothing under it yet: no lookup for that.
    keys = (
        Department.objects.filter(bureau=bureau, name=department_name)
        .annotate(program=FilteredRelation("programs", condition=Q(programs__title=read.title)))
        .values_list("pk", "program__pk")
        .order_by()  # one row at most, both keys being unique: nothing to sort
    )
    department_id, program_id = next(iter(keys), (None, None))
    stored = None
    if department_id is None:
        department = Department(bureau=bureau, name=department_name)
        department.save_without_historical_record()
        department_id = department.pk
    if program_id is None:
        program = Program(title=read.title, department_id=department_id)
        program.save_without_historical_record()
    else:
        # The whole of the stored program: no need to read it.
        program = Program(pk=program_id, title=read.title, department_id=department_id)
        # With its sections, to compare with the document; only the year's row is locked.
        stored = (
            ProgramYear.objects.with_sections()
            .select_for_update(of=("self",))
            .filter(program=program, fiscal_year=read.year.fiscal_year)
            .first()
        )
    year = read.year
    year.program = program
    snapshot = document_of(year, read.as_stored())
    if stored:
        year.pk = stored.pk
        year.version = stored.version + 1
        if snapshot == export_document(stored):
            errors = errors_of(snapshot)
            if stored.check_errors != errors:  # the checks themselves changed since
                stored.check_errors = errors
                stored.save_without_historical_record(update_fields=["check_errors"])
            return stored
    write_year(year, read.sections, snapshot, replace=bool(stored), user=user, reason=reason)
    return year


def write_year(
    year: ProgramYear,
    sections: dict[type[models.Model], list[models.Model]],
    snapshot: dict,
    *,
    replace: bool,
    user,
    reason: str,
) -> None:
    """Save the year and put these rows in place of its sections; record the change."""
    set_derived(year, sections, snapshot)
    year.save_without_historical_record()
    _record(year, snapshot, "~" if replace else "+", user, reason)
    for model, rows in sections.items():
        if replace:
            model.objects.filter(program_year=year).delete()
        for position, row in enumerate(rows):
            row.program_year_id, row.position = year.pk, position
        model.objects.bulk_create(rows)


def _record(year: ProgramYear, snapshot: dict, history_type: str, user, reason: str) -> None:
    """The year's history record of this change, written here rather than by simple-history's
    post_save receiver, which costs twice as much: an import writes one per document."""
    history = _history_model()
    history._default_manager.create(
        history_date=timezone.now(),
        history_type=history_type,
        history_user=user,
        history_change_reason=reason or None,
        document=snapshot,
        **{name: getattr(year, name) for name in _HISTORY_FIELDS},
    )


_HISTORY_FIELDS = [
    field.attname for field in ProgramYear._meta.concrete_fields if field.name not in DERIVED_FIELDS
]


@cache
def _history_model() -> type[models.Model]:
    return ProgramYear.revisions.model


def store_documents(documents: list, *, user=None, reason: str = "") -> list[ProgramYear]:
    """Store the documents of one file: all or none. Errors name a document by its index."""
    with transaction.atomic():
        if len(documents) == 1:
            years = [store_document(documents[0], user=user, reason=reason)]
        else:
            years = [
                store_document(doc, f"[{i}]", user=user, reason=reason)
                for i, doc in enumerate(documents)
            ]
        return years


def errors_of(document: dict) -> list[str]:
    """The messages of the identities a document breaks."""
    return [f.message for f in check_document(document) if f.severity == ERROR]


def set_derived(
    year: ProgramYear, rows: dict[type[models.Model], list], document: dict | None = None
) -> None:
    """Fill the year's kept figures from its rows (and its JSON form, when already made):
    totals, last settlement, contract end, the identities it breaks."""
    totals = budget_total(rows[BudgetLine])
    year.budget_prior, year.budget_current = totals["prior"], totals["current"]
    last = max(rows[Settlement], key=lambda settlement: settlement.year, default=None)
    year.settled_year = last.year if last else None
    year.settled_executed = last.executed if last else None
    year.settled_available = last.available_or_derived if last else None
    year.contract_end = max((contract.end for contract in rows[Contract]), default=None)
    year.check_errors = errors_of(document or document_of(year, rows))


def refresh_derived(year_ids: Iterable[int]) -> None:
    """Recompute the kept figures of these program years from what is stored (after edits)."""
    years = list(ProgramYear.objects.with_sections().filter(pk__in=list(year_ids)))
    for year in years:
        set_derived(year, section_rows(year))
    ProgramYear.objects.bulk_update(years, DERIVED_FIELDS, batch_size=500)
