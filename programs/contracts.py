"""The contract register: every consignment contract of every program once, as the latest
document that prints it has it, with its round and its distance from the contract before;
and its ends as an iCalendar file (RFC 5545)."""

import datetime
from collections.abc import Iterable

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
)

from .models import Contract

PROGRAM = "program_year__program"


def register() -> QuerySet[Contract]:
    """One row per contract (a program's start and end), from the latest document printing it.

    `round` is its place among the program's contracts by start; `previous_end` the end of
    the one before; `after_previous` the time between them, for filtering gaps and overlaps
    in SQL (a day: back to back, see `arithmetic.gap_days`). Queries: one, of any size.
    """
    same_program = Contract.objects.filter(**{PROGRAM: OuterRef(PROGRAM)}).order_by()
    reprinted = same_program.filter(
        start=OuterRef("start"),
        end=OuterRef("end"),
        program_year__fiscal_year__gt=OuterRef("program_year__fiscal_year"),
    )
    earlier = same_program.filter(start__lt=OuterRef("start"))
    rounds = (
        same_program.filter(start__lte=OuterRef("start"))
        .values(PROGRAM)
        .annotate(n=Count("start", distinct=True))
        .values("n")
    )
    return (
        Contract.objects.exclude(Exists(reprinted))
        .select_related("program_year__program__department")
        .annotate(
            round=Subquery(rounds),
            previous_end=Subquery(earlier.order_by("-start", "-end").values("end")[:1]),
            fiscal_year=F("program_year__fiscal_year"),
        )
        .annotate(
            after_previous=ExpressionWrapper(
                F("start") - F("previous_end"), output_field=DurationField()
            )
        )
        .order_by("end", "program_year__program__title", "pk")
    )


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
