"""The printed documents of a department's or bureau's report, rendered once and cached.

A bundle prints every program of its year: ~95 for a department at city scale, each ~8 ms to
load and render (0.8 s a report, `manage.py bench`). Between changes a document prints the same,
so each rendered sheet is kept under a key naming all it shows: the year, the version of every
year of its program (the trend and the timeline span them; a save in the admin, an import and a
restore raise it), the program's title and department and the language. Any change gives a new
key, so nothing stale is read; old entries age out of the bounded cache (`CACHES["sheets"]`).

The print date is not in the key: a sheet is cached with placeholders where it prints the day
(its running head, the timeline's today line and caption) and filled in on each request. What
else the timeline shows of the day (which contract is current, whether it still runs, where the
axis ends) changes only on the days it compares the day with, so a cached sheet carries the
days it holds for and is rendered again outside them. A sheet thus lives from one change of its
program to the next, not from midnight to midnight. The program page's body and the program's
own printed report are kept the same way (`kept`), under keys of their own.
"""

import datetime
import hashlib
import json
import re
from collections.abc import Callable

from django.core.cache import caches
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import formatting
from .models import ProgramYear
from .reports import ProgramReport, epoch_ms, program_reports
from .spans import days_until
from .templatetags.budget import days_text

# The placeholders of the day in a cached sheet: its printed form, and the timeline's today.
DAY = "\x00day\x00"
DAY_MS = "\x00day-ms\x00"


def sheet_key(row: ProgramYear, versions: list[tuple[int, int]], part: str = "sheet") -> str:
    """The cache key of `row`'s sheet (or of another `part` rendered from its report, as the
    program page's); `versions` are (pk, version) of its program's years."""
    department = row.program.department
    shown = [get_language(), row.program.title, department.bureau, department.name, *versions]
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return f"{part}:{row.pk}:{digest}"


def _dated(today: datetime.date) -> list[tuple[str, str]]:
    """What a sheet prints of `today`, each beside its form with placeholders."""
    day, today_ms = formatting.date(today), epoch_ms(today)
    json_today = json.dumps(f"오늘 {day}")  # as json_script writes the chart's data
    return [
        (f"출력 {day}</span>", f"출력 {DAY}</span>"),  # the running head
        (f"출력일({day}).", f"출력일({DAY})."),  # the timeline's caption
        (f'"today": {today_ms},', f'"today": {DAY_MS},'),
        (f'"today_text": {json_today}', f'"today_text": {json_today.replace(day, DAY)}'),
        (f'"max": {today_ms}', f'"max": {DAY_MS}'),  # the axis runs to today
    ]


def _holds(report: ProgramReport) -> tuple[datetime.date, datetime.date]:
    """The days (from, to exclusive) around the print date on which the sheet shows the same
    but for the date: the timeline changes on the day a contract starts, and on the day after
    a contract ends (it no longer runs) or an event (the axis may run to the date)."""
    timeline = report.timeline
    after = [event["day"] for event in timeline.events]
    after += [contract.end for contract in timeline.contracts]
    turns = {contract.start for contract in timeline.contracts}
    turns |= {day + datetime.timedelta(days=1) for day in after}
    today = timeline.today
    return (
        max((turn for turn in turns if turn <= today), default=datetime.date.min),
        min((turn for turn in turns if turn > today), default=datetime.date.max),
    )


def _kept(report: ProgramReport, html: str) -> tuple[datetime.date, datetime.date, str]:
    """What is cached of `html`, rendered from `report`: the days it holds for, and itself
    with placeholders where it shows the day."""
    for printed, placeholder in _dated(report.timeline.today):
        html = html.replace(printed, placeholder)
    return (*_holds(report), html)


def _sheet(report: ProgramReport, level: int) -> str:
    # No request: a sheet shows the same to everyone who may read it.
    return render_to_string("programs/_report_sheet.html", {"report": report, "level": level})


def _render(report: ProgramReport) -> tuple[datetime.date, datetime.date, str]:
    return _kept(report, _sheet(report, level=2))


def days_to(day: datetime.date | None) -> str:
    """A placeholder for the days from the print date to `day` (as `days_text` shows them:
    `40일 남음`), filled in on each request; "" without a day."""
    return f"\x00days-to:{day.isoformat()}\x00" if day else ""


DAYS_TO = re.compile("\x00days-to:([0-9-]+)\x00")


def _filled(html: str, today: datetime.date) -> SafeString:
    """A cached part with the day shown where its placeholders are."""
    day, day_ms = formatting.date(today), str(epoch_ms(today))
    html = html.replace(DAY, day).replace(DAY_MS, day_ms)
    if "\x00days-to:" in html:
        html = DAYS_TO.sub(
            lambda match: days_text(days_until(datetime.date.fromisoformat(match[1]), today)), html
        )
    return mark_safe(html)


def kept(
    key: str,
    today: datetime.date,
    report: Callable[[], ProgramReport],
    render: Callable[[ProgramReport], str],
) -> SafeString:
    """A part of one program's pages (`render` of its `report()`), cached under `key`
    (`sheet_key`) as the bundle's sheets are: rendered again only when it is missing or the
    day is outside those it holds for."""
    cache = caches["sheets"]
    part = cache.get(key)
    if part is None or not part[0] <= today < part[1]:
        made = report()
        part = _kept(made, render(made))
        cache.set(key, part)
    return _filled(part[2], today)


def program_sheet(
    key: str, today: datetime.date, report: Callable[[], ProgramReport]
) -> SafeString:
    """The printed document of one program year alone (its title a level-1 heading)."""
    return kept(key, today, report, lambda made: _sheet(made, level=1))


def bundle_sheets(scope: Q, rows: list[ProgramYear], today: datetime.date) -> list[SafeString]:
    """The rendered document of each of `rows` (a bundle's `ProgramYear.objects.for_list` rows
    of one year, with program and department), printed `today`. Queries: the versions (1), and
    when any sheet is not cached or not for `today`, those years and their programs' other
    years with their sections (17, `program_reports`)."""
    versions: dict[int, list[tuple[int, int]]] = {}
    years = ProgramYear.objects.filter(scope).order_by("pk")
    for program_id, pk, version in years.values_list("program_id", "pk", "version"):
        versions.setdefault(program_id, []).append((pk, version))
    keys = [sheet_key(row, versions[row.program_id]) for row in rows]
    cache = caches["sheets"]
    sheets = {
        key: sheet for key, sheet in cache.get_many(keys).items() if sheet[0] <= today < sheet[1]
    }
    missing = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in sheets]
    if missing:
        reports = program_reports([row for _key, row in missing], today)
        rendered = {
            key: _render(report) for (key, _row), report in zip(missing, reports, strict=True)
        }
        cache.set_many(rendered)
        sheets |= rendered
    return [_filled(sheets[key][2], today) for key in keys]
