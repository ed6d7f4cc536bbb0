"""Writing program years: the one path by which a year and its sections change.

An import (`store_documents`), an admin save (`save_edit`), a restore (`restore`), demo data
(`create_years`) and a deletion (`delete_years`) all write here. Each fills the year's kept
figures (`set_derived`) and records the change in the year's history itself: who, when, what
kind, why, and the whole document as it is after the change (as it was, for a deletion).
simple-history's own receivers record nothing for a year (`models.RecordedByStore`).
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connections, models, router, transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import contracts, page_cache, summaries
from .checks import CHECKED_PARTS, ERROR, check_document
from .documents import (
    SECTIONS,
    DocumentError,
    ReadDocument,
    budget_total,
    document_of,
    export_document,
    in_stored_order,
    is_program_entry,
    read_document,
    read_program_entry,
    section_rows,
)
from .history import latest_document
from .models import (
    DERIVED_FIELDS,
    BudgetLine,
    Contract,
    Department,
    Program,
    ProgramYear,
    Settlement,
)

ADDED, CHANGED, DELETED = "+", "~", "-"  # simple-history's kinds of record

# ---------------------------------------------------------------- kept figures


def errors_of(document: dict, printed: dict | None = None) -> list[str]:
    """The messages of the identities a document breaks.

    A stored year computes some figures anew (증감, 증감률, 계), so what the file printed
    wrong there is lost in its stored form: with `printed` (the document as the file states
    it), its errors in each section where the stored form finds none are kept too.
    """
    errors = [f for f in check_document(document) if f.severity == ERROR]
    if printed is not None and any(printed.get(k) != document.get(k) for k in CHECKED_PARTS):
        sections = {finding.section for finding in errors}
        errors += [
            finding
            for finding in check_document(printed)
            if finding.severity == ERROR and finding.section not in sections
        ]
    return [finding.message for finding in errors]


def set_derived(
    year: ProgramYear,
    rows: dict[type[models.Model], list],
    document: dict | None = None,
    errors: list[str] | None = None,
) -> None:
    """Fill the year's kept figures from its rows (and its JSON form, when already made):
    totals, last settlement, contract end, the identities it breaks (`errors`, when the
    caller checked the document as printed)."""
    totals = budget_total(rows[BudgetLine])
    year.budget_prior, year.budget_current = totals["prior"], totals["current"]
    last = max(rows[Settlement], key=lambda settlement: settlement.year, default=None)
    year.settled_year = last.year if last else None
    year.settled_executed = last.executed if last else None
    year.settled_available = last.available_or_derived if last else None
    year.contract_end = max((contract.end for contract in rows[Contract]), default=None)
    year.check_errors = (
        errors if errors is not None else errors_of(document or document_of(year, rows))
    )


def refresh_derived(year_ids: Iterable[int]) -> None:
    """Recompute the kept figures of these program years from what is stored: for when the
    rules change, not the documents (nothing is recorded)."""
    years = list(ProgramYear.objects.with_sections().filter(pk__in=list(year_ids)))
    for year in years:
        set_derived(year, section_rows(year))
    ProgramYear.objects.bulk_update(years, DERIVED_FIELDS, batch_size=500)
    summaries.refresh(summaries.groups_of(years))
    page_cache.bump()


# ---------------------------------------------------------------- history records

_HISTORY_FIELDS = [
    field.attname for field in ProgramYear._meta.concrete_fields if field.name not in DERIVED_FIELDS
]


@cache
def _history_model() -> type[models.Model]:
    return ProgramYear.revisions.model


def _record(year: ProgramYear, document: dict, kind: str, user, reason: str = ""):
    """The year's history record of one change, not yet saved."""
    return _history_model()(
        history_date=timezone.now(),
        history_type=kind,
        history_user=user,
        history_change_reason=reason or None,
        document=document,
        **{name: getattr(year, name) for name in _HISTORY_FIELDS},
    )


def _save(
    year: ProgramYear,
    rows: dict[type[models.Model], list],
    document: dict,
    kind: str,
    user,
    reason: str = "",
    update_fields: Iterable[str] | None = None,
    errors: list[str] | None = None,
) -> None:
    """Save the year's row with its kept figures, and record the change."""
    set_derived(year, rows, document, errors)
    year.save(update_fields=update_fields)
    _record(year, document, kind, user, reason).save()


# ---------------------------------------------------------------- imports


def _keys(read: ReadDocument) -> tuple[int | None, int | None]:
    """The stored department and program a document belongs to (None: not stored yet)."""
    bureau, department_name = read.department
    # Plain lookups and creates: get_or_create's savepoints cost more than the rows here,
    # and the caller's transaction already makes the document all or nothing.
    keys = (
        Department.objects.filter(bureau=bureau, name=department_name)
        .annotate(program=FilteredRelation("programs", condition=Q(programs__title=read.title)))
        .values_list("pk", "program__pk")
        .order_by()  # one row at most, both keys being unique: nothing to sort
    )
    return next(iter(keys), (None, None))


def replaced_year(read: ReadDocument) -> ProgramYear | None:
    """The stored year that storing this document would replace, with its program."""
    _department_id, program_id = _keys(read)
    if program_id is None:
        return None
    years = ProgramYear.objects.select_related("program")
    return years.filter(program_id=program_id, fiscal_year=read.year.fiscal_year).first()


def store_document(document: object, path: str = "", *, user=None, reason: str = "") -> ProgramYear:
    """Store one document, replacing what was stored for the same program and year.

    The key is the title, the department and the fiscal year. Call it inside a transaction:
    it raises DocumentError before writing anything when the document is invalid. The change
    is recorded in the year's history as made by `user`; a document identical to what is
    stored changes nothing and records nothing.
    """
    (year,) = _store_batch([Pending(read_document(document, path), document)], user, reason)
    return year


@dataclass
class Pending:
    """A document read and validated, to be stored with the others of its batch."""

    read: ReadDocument
    printed: dict  # as the file states it: its own errors are kept (errors_of)

    @property
    def key(self) -> tuple[tuple[str, str], str, int]:
        return self.read.department, self.read.title, self.read.year.fiscal_year


def _programs(batch: list[Pending]) -> tuple[dict[tuple[tuple[str, str], str], Program], set]:
    """The program of each document, by department and title: stored ones looked up (one
    query), missing departments and programs made (a query each); and the pks of the
    programs that were stored already (the others have no years yet)."""
    titles = {(p.read.department, p.read.title): None for p in batch}  # in document order
    # Plain lookups and bulk creates: get_or_create's savepoints cost more than the rows here,
    # and the caller's transaction already makes the batch all or nothing.
    found = (
        Department.objects.filter(name__in={name for (_bureau, name), _title in titles})
        .annotate(
            program=FilteredRelation(
                "programs", condition=Q(programs__title__in={title for _d, title in titles})
            )
        )
        .values_list("bureau", "name", "pk", "program__pk", "program__title")
        .order_by()
    )
    departments, programs = {}, {}
    for bureau, name, department_id, program_id, title in found:
        departments[bureau, name] = department_id
        if ((bureau, name), title) in titles:
            programs[(bureau, name), title] = Program(
                pk=program_id, title=title, department_id=department_id
            )
    stored = {program.pk for program in programs.values()}
    # A department or program the import makes is recorded by the year's history record (its
    # document names both), not by records of their own: bulk_create records nothing.
    made = [Department(bureau=b, name=n) for b, n in dict.fromkeys(d for d, _t in titles)]
    made = [d for d in made if (d.bureau, d.name) not in departments]
    Department.objects.bulk_create(made)
    departments |= {(d.bureau, d.name): d.pk for d in made}
    made = {
        key: Program(title=key[1], department_id=departments[key[0]])
        for key in titles
        if key not in programs
    }
    Program.objects.bulk_create(made.values())
    return programs | made, stored


def _stored_years(program_ids: set[int], fiscal_years: set[int]) -> dict:
    """The stored years of these programs and fiscal years, with their sections (to compare
    with the documents), by program and fiscal year; only the years' rows are locked."""
    years = (
        ProgramYear.objects.with_sections()
        .select_for_update(of=("self",))
        .filter(program__in=program_ids, fiscal_year__in=fiscal_years)
    )
    return {(year.program_id, year.fiscal_year): year for year in years}


# A year's own fields as a save writes them (bulk_update of a replaced year).
_YEAR_FIELDS = [f.name for f in ProgramYear._meta.concrete_fields if not f.primary_key]


def _store_batch(batch: list[Pending], user, reason: str) -> list[ProgramYear]:
    """Store documents of different years, each replacing what was stored for its year, in a
    query or a few per table for the whole batch; record each change."""
    programs, found = _programs(batch)
    stored = _stored_years(found, {p.read.year.fiscal_year for p in batch}) if found else {}
    years, added, replaced, writes, rechecked = [], [], [], [], []
    for pending in batch:
        read = pending.read
        year = read.year
        year.program = programs[read.department, read.title]
        snapshot = document_of(year, read.as_stored())
        errors = errors_of(snapshot, printed=pending.printed)
        previous = stored.get((year.program.pk, year.fiscal_year))
        if previous is not None:
            if snapshot == export_document(previous):
                if previous.check_errors != errors:  # the checks themselves changed since
                    previous.check_errors = errors
                    rechecked.append(previous)
                years.append(previous)
                continue
            year.pk, year.version = previous.pk, previous.version + 1
        set_derived(year, read.sections, snapshot, errors)
        (replaced if previous is not None else added).append(year)
        writes.append((year, read.sections, snapshot))
        years.append(year)
    ProgramYear.objects.bulk_create(added)
    ProgramYear.objects.bulk_update(replaced, _YEAR_FIELDS)
    ProgramYear.objects.bulk_update(rechecked, ["check_errors"])
    contracts.keep(
        [(year, sections[Contract]) for year, sections, _doc in writes],
        [year.pk for year in replaced],
    )
    _write_sections([(year, sections) for year, sections, _doc in writes], replaced)
    kinds = {year.pk: CHANGED for year in replaced}
    _insert(
        _history_model(),
        [_record(year, doc, kinds.get(year.pk, ADDED), user, reason) for year, _s, doc in writes],
    )
    # A document replaces the year of its own program: no year leaves a group.
    summaries.refresh(summaries.groups_of(year for year, _s, _doc in writes))
    page_cache.bump()
    return years


def _write_sections(
    years: list[tuple[ProgramYear, dict[type[models.Model], list]]],
    replaced: Sequence[ProgramYear] = (),
) -> None:
    """Put these rows in place of the years' sections (saved years; `replaced`: those that had
    rows before), a few queries a section for all the years."""
    for model in SECTIONS:
        if replaced:
            model.objects.filter(program_year__in=[year.pk for year in replaced]).delete()
        rows = []
        for year, sections in years:
            for position, row in enumerate(sections.get(model, [])):
                row.program_year_id, row.position = year.pk, position
                rows.append(row)
        _insert(model, rows)


def _insert(model: type[models.Model], rows: list[models.Model]) -> None:
    """Insert the rows as bulk_create would, without their keys back, each value prepared by
    its field: one COPY on PostgreSQL, one executemany of a one-row INSERT elsewhere, instead
    of bulk_create's SQL compiled value by value in batches. (psycopg's executemany sends
    PostgreSQL a statement per row: slower there than bulk_create. And bulk_create there
    sends each column as an array, escaping the quotes of every history snapshot into one: a
    quarter of an import's time.)"""
    if not rows:
        return
    # The connection itself: django.db.connection is a proxy, looked up at each use.
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    values = [
        [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
        for row in rows
    ]
    quote = connection.ops.quote_name
    into = "{} ({})".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {into} FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            row = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {into} VALUES ({row})", values)


def store_program(entry: dict, path: str = "") -> Program:
    """Store a program entry (a program without years): its department and program, made
    when missing, nothing changed when there."""
    title, (bureau, name) = read_program_entry(entry, path)
    department, _created = Department.objects.get_or_create(bureau=bureau, name=name)
    program, _created = Program.objects.get_or_create(title=title, department=department)
    return program


def restore_revisions(year: ProgramYear, revisions: object, path: str = "") -> None:
    """Put a backup's history records of the year (`export_documents --history`) in place of
    the one its import just recorded, with their dates, users, reasons and versions."""
    where = f"{path}.revisions" if path else "revisions"
    if not isinstance(revisions, list) or not revisions:
        raise DocumentError(f"{where}: 이력 기록의 목록이어야 합니다")
    names = {r.get("user") for r in revisions if isinstance(r, dict) and r.get("user")}
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=names)}
    records = []
    for index, revision in enumerate(revisions):
        at = f"{where}[{index}]"
        if not isinstance(revision, dict) or not isinstance(revision.get("document"), dict):
            raise DocumentError(f"{at}: 날짜, 종류, 문서가 있는 기록이어야 합니다")
        try:
            date = datetime.datetime.fromisoformat(str(revision.get("date")))
        except ValueError:
            raise DocumentError(f"{at}.date: 날짜와 시각을 읽을 수 없습니다") from None
        kind, version = revision.get("type"), revision.get("version")
        if kind not in (ADDED, CHANGED, DELETED) or not isinstance(version, int) or version < 1:
            raise DocumentError(f"{at}: 종류(+, ~, -)와 버전(1 이상)이 있어야 합니다")
        record = _record(year, revision["document"], kind, users.get(revision.get("user")))
        record.history_date = date if timezone.is_aware(date) else timezone.make_aware(date)
        record.history_change_reason = revision.get("reason") or None
        record.version = version
        records.append(record)
    _history_model().objects.filter(id=year.pk).delete()
    _history_model().objects.bulk_create(records)
    year.version = max(record.version for record in records)
    year.save(update_fields=["version"])


# Documents stored together at most: their rows are held in memory until written.
BATCH = 500


def store_documents(documents: list, *, user=None, reason: str = "") -> list[ProgramYear | Program]:
    """Store the documents of one file: all or none. Errors name a document by its index.
    A program entry gives its program, a document its year.

    The documents are read in order and stored in batches, a few queries a table for each:
    a batch ends before a second document of the same year, at a program entry, and after a
    document of a backup, which brings its year's history (`revisions`) along.
    """
    stored: list[ProgramYear | Program] = []
    batch: list[Pending] = []
    keys = set()

    def flush() -> None:
        if batch:
            stored.extend(_store_batch(batch, user, reason))
        batch.clear()
        keys.clear()

    with transaction.atomic():
        for document, path in zip(documents, paths(documents), strict=True):
            if is_program_entry(document):
                flush()
                stored.append(store_program(document, path))
                continue
            pending = Pending(read_document(document, path), document)
            if len(batch) == BATCH or pending.key in keys:
                flush()
            batch.append(pending)
            keys.add(pending.key)
            if "revisions" in document:
                flush()
                restore_revisions(stored[-1], document["revisions"], path)
        flush()
    return stored


def paths(documents: list) -> list[str]:
    """Where each document of a file is, in error messages: nowhere for a file of one."""
    return [""] if len(documents) == 1 else [f"[{i}]" for i in range(len(documents))]


# ---------------------------------------------------------------- the admin


def save_edit(
    year: ProgramYear,
    save_sections: Callable[[], None],
    *,
    user,
    created: bool,
    reason: str = "",
) -> bool:
    """An edit of the year and its sections (the admin's change page): save the year's own
    fields, let `save_sections` save its rows, then record what changed as one change, with
    the editor's reason for it.
    Nothing is recorded when the document is what it was; returns whether it changed."""
    # The form may have put the year under another program or fiscal year: both groups change.
    before = ProgramYear.objects.filter(pk=year.pk)
    groups, programs = summaries.groups_of(before), contracts.programs_of(before)
    year.save()
    save_sections()
    stored = ProgramYear.objects.with_sections().get(pk=year.pk)
    rows = section_rows(stored)
    document = document_of(stored, rows)
    changed = created or latest_document(year.pk) != document
    if changed:
        if not created:
            stored.version += 1
        kind = ADDED if created else CHANGED
        fields = ["version", *DERIVED_FIELDS]
        _save(stored, rows, document, kind, user, reason, update_fields=fields)
    else:
        # The sections may still have changed what is kept (a row order, say).
        set_derived(stored, rows, document)
        stored.save(update_fields=DERIVED_FIELDS)
    year.version, year.check_errors = stored.version, stored.check_errors
    summaries.refresh(groups | summaries.groups_of([stored]))
    page_cache.bump()
    contracts.refresh(programs | {stored.program_id})
    return changed


def restore(year: ProgramYear, record, user) -> ProgramYear:
    """Make the year again what the history record shows, sections included: a new change,
    recorded as such. Raises DocumentError when that cannot be (the fiscal year is taken)."""
    with transaction.atomic():
        current = ProgramYear.objects.select_for_update().get(pk=year.pk)
        read = read_document(record.document)
        restored = read.year
        restored.pk = current.pk
        restored.version = current.version + 1
        program_id = record.program_id
        if not Program.objects.filter(pk=program_id).exists():
            program_id = current.program_id
        restored.program = Program.objects.get(pk=program_id)
        taken = ProgramYear.objects.filter(program_id=program_id, fiscal_year=restored.fiscal_year)
        if taken.exclude(pk=current.pk).exists():
            raise DocumentError(
                _("%(year)s년 사업설명서가 이미 있어 되돌릴 수 없습니다.")
                % {"year": restored.fiscal_year}
            )
        document = document_of(restored, read.as_stored())
        reason = _("버전 %(version)s(으)로 되돌림") % {"version": record.version}
        _save(restored, read.sections, document, CHANGED, user, reason)
        _write_sections([(restored, read.sections)], replaced=[restored])
        summaries.refresh(summaries.groups_of([current, restored]))
        page_cache.bump()
        contracts.refresh(contracts.programs_of([current, restored]))
    return restored


def delete_years(years: models.QuerySet, user) -> None:
    """Delete these years, each recorded with the whole document it had."""
    doomed = list(ProgramYear.objects.with_sections().filter(pk__in=years.values("pk")))
    records = [_record(year, export_document(year), DELETED, user) for year in doomed]
    ProgramYear.objects.filter(pk__in=[year.pk for year in doomed]).delete()
    _history_model().objects.bulk_create(records)
    summaries.refresh(summaries.groups_of(doomed))
    page_cache.bump()
    contracts.refresh(contracts.programs_of(doomed))


# ---------------------------------------------------------------- demo data


def create_years(
    years: list[tuple[ProgramYear, dict[type[models.Model], list]]], *, reason: str
) -> None:
    """Store new years (their programs already stored) with their sections' rows, in bulk:
    for data made by the program itself, valid by construction (no validation)."""
    documents = []
    for year, sections in years:
        rows = in_stored_order({model: sections.get(model, []) for model in SECTIONS})
        document = document_of(year, rows)
        set_derived(year, rows, document)
        documents.append(document)
    ProgramYear.objects.bulk_create([year for year, _sections in years])
    contracts.keep([(year, sections.get(Contract, [])) for year, sections in years], ())
    _write_sections(years)
    _insert(
        _history_model(),
        [
            _record(year, document, ADDED, None, reason)
            for (year, _sections), document in zip(years, documents, strict=True)
        ],
    )
    summaries.refresh(summaries.groups_of(year for year, _sections in years))
    page_cache.bump()
