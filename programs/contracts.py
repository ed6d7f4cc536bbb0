"""The contract register: every consignment contract of every program once, as the latest
document that prints it has it, with its round and its distance from the contract before;
and its ends as an iCalendar file (RFC 5545).

Whether a row is the latest printing of its contract, its round and the end before it are
kept on the rows, set by `programs.store` as years are written (`keep`, before their rows are
inserted; `refresh`, from what is stored), so that the register is one indexed scan, not
three subqueries a row.
"""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable
from itertools import pairwise

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models import DurationField, ExpressionWrapper, F, QuerySet

from .models import Contract

PROGRAM = "program_year__program"
KEPT = ("latest", "round", "previous_end")


def register() -> QuerySet[Contract]:
    """One row per contract (a program's start and end), from the latest document printing it.

    `round` is its place among the program's contracts by start; `previous_end` the end of
    the one before; `after_previous` the time between them, for filtering gaps and overlaps
    in SQL (a day: back to back, see `arithmetic.gap_days`). Queries: one, of any size.
    """
    return (
        Contract.objects.filter(latest=True)
        .select_related("program_year__program__department")
        .annotate(
            after_previous=ExpressionWrapper(
                F("start") - F("previous_end"), output_field=DurationField()
            )
        )
        .order_by("end", "program_year__program__title", "pk")
    )


def refresh(program_ids: Iterable[int]) -> None:
    """Recompute the kept columns of these programs' contracts from what is stored: one
    query to read them, one update per batch of the rows that changed."""
    program_ids = set(program_ids)
    if program_ids:
        _fill(global_apps, program_ids)


def keep(written: list[tuple], replaced: Collection[int]) -> None:
    """Set the kept columns of the contracts about to be inserted: `written` holds (year,
    its contract rows), the years saved or not but their programs set. The programs' stored
    contracts, other than those of the `replaced` years (about to be deleted), count too,
    and those whose kept columns change are updated: one query to read, one update per
    batch of the rows that changed (usually none)."""
    by_program = defaultdict(list)
    for year, rows in written:
        by_program[year.program_id] += [(year.fiscal_year, row) for row in rows]
    stored = (
        Contract.objects.filter(program_year__program_id__in=list(by_program))
        .exclude(program_year_id__in=list(replaced))
        .annotate(
            program_id=F("program_year__program_id"), printed_in=F("program_year__fiscal_year")
        )
        .only("pk", "start", "end", *KEPT)
        .order_by()
    )
    for row in stored:
        by_program[row.program_id].append((row.printed_in, row))
    changed = []
    for printed in by_program.values():
        terms = [(printed_in, row.start, row.end) for printed_in, row in printed]
        for (_printed_in, row), kept in zip(printed, _kept(terms), strict=True):
            if row.pk is not None and kept != tuple(getattr(row, name) for name in KEPT):
                changed.append(row)
            row.latest, row.round, row.previous_end = kept
    Contract.objects.bulk_update(changed, KEPT, batch_size=500)


def rebuild(apps: Apps = global_apps) -> None:
    """Recompute every contract's kept columns: the migration that adds them."""
    _fill(apps, None)


def programs_of(years) -> set[int]:
    """The programs of these program years: a queryset, or saved years."""
    if hasattr(years, "values_list"):
        return set(years.values_list("program_id", flat=True))
    return {year.program_id for year in years}


def _fill(apps: Apps, program_ids: set[int] | None) -> None:
    model = apps.get_model("programs", "Contract")
    rows = model.objects.order_by()
    if program_ids is not None:
        rows = rows.filter(program_year__program_id__in=program_ids)
    by_program = defaultdict(list)
    for row in rows.annotate(
        program_id=F("program_year__program_id"), printed_in=F("program_year__fiscal_year")
    ).only("pk", "start", "end", *KEPT):
        by_program[row.program_id].append(row)
    changed = []
    for contracts in by_program.values():
        terms = [(row.printed_in, row.start, row.end) for row in contracts]
        for contract, kept in zip(contracts, _kept(terms), strict=True):
            if kept != tuple(getattr(contract, name) for name in KEPT):
                contract.latest, contract.round, contract.previous_end = kept
                changed.append(contract)
    model.objects.bulk_update(changed, KEPT, batch_size=500)


def _kept(terms: list[tuple[int, datetime.date, datetime.date]]) -> list[tuple]:
    """(latest, round, previous_end) of each of one program's contracts, given as (fiscal
    year printing it, start, end), as the register's rule has them: latest when no later
    fiscal year prints the same start and end; the round counts the distinct starts up to its
    own; the end before is that of the contract with the nearest earlier start (the latest
    end among those)."""
    last_printed = defaultdict(int)
    for printed_in, start, end in terms:
        last_printed[start, end] = max(last_printed[start, end], printed_in)
    last_end = defaultdict(lambda: datetime.date.min)  # per start
    for _printed_in, start, end in terms:
        last_end[start] = max(last_end[start], end)
    starts = sorted(last_end)
    end_before = {start: last_end[before] for before, start in pairwise(starts)}
    rounds = {start: number for number, start in enumerate(starts, 1)}
    return [
        (printed_in >= last_printed[start, end], rounds[start], end_before.get(start))
        for printed_in, start, end in terms
    ]


BACK_TO_BACK = datetime.timedelta(days=1)


def with_gaps(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    return contracts.filter(after_previous__gt=BACK_TO_BACK)


def with_overlaps(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    return contracts.filter(after_previous__lt=BACK_TO_BACK)


# ---------------------------------------------------------------- iCalendar


def _escape(text: str) -> str:
    """TEXT as RFC 5545 §3.3.11 writes it."""
    for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(plain, escaped)
    return text


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (§3.1), never inside a character."""
    parts, part = [], ""
    for char in line:
        if len((part + char).encode()) > (75 if not parts else 74):
            parts.append(part)
            part = ""
        part += char
    parts.append(part)
    return "\r\n ".join(parts)


def calendar(contracts: Iterable[Contract], host: str, stamp: datetime.datetime) -> str:
    """Each contract's last day as an all-day event; `host` makes the UIDs unique, the same
    contract keeping its UID from one download to the next."""
    day = datetime.timedelta(days=1)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//budget-site//contracts//KO",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:위탁 협약 종료",
    ]
    dtstamp = stamp.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    for contract in contracts:
        program = contract.program_year.program
        summary = f"협약 종료: {program.title} ({contract.round}차)"
        description = (
            f"{program.department.bureau} {program.department.name}\n"
            f"협약 기간 {contract.start:%Y.%m.%d} ~ {contract.end:%Y.%m.%d}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:contract-{program.pk}-{contract.start:%Y%m%d}-{contract.end:%Y%m%d}@{host}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{contract.end:%Y%m%d}",
            f"DTEND;VALUE=DATE:{contract.end + day:%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
