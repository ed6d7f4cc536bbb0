"""The printed documents of a department's or bureau's report, rendered once and cached.

A bundle prints every program of its year: ~95 for a department at city scale, each ~8 ms to
load and render (0.8 s a report, `manage.py bench`). Between changes a document prints the same,
so each rendered sheet is kept under a key naming all it shows: the year, the version of every
year of its program (the trend and the timeline span them; a save in the admin, an import and a
restore raise it), the program's title and department, the print date and the language. Any
change gives a new key, so nothing stale is read; old entries age out of the bounded cache
(`CACHES["sheets"]`, per process).
"""

import datetime
import hashlib

from django.core.cache import caches
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .models import ProgramYear
from .reports import program_reports


def sheet_key(row: ProgramYear, versions: list[tuple[int, int]], today: datetime.date) -> str:
    """The cache key of `row`'s sheet; `versions` are (pk, version) of its program's years."""
    department = row.program.department
    shown = [today.isoformat(), get_language(), row.program.title, department.bureau]
    shown += [department.name, *versions]
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return f"sheet:{row.pk}:{digest}"


def bundle_sheets(scope: Q, rows: list[ProgramYear], today: datetime.date) -> list[SafeString]:
    """The rendered document of each of `rows` (a bundle's `ProgramYear.objects.for_list` rows
    of one year, with program and department). Queries: the versions (1), and when any sheet
    is not cached, those years and their programs' other years with their sections (17,
    `program_reports`)."""
    versions: dict[int, list[tuple[int, int]]] = {}
    years = ProgramYear.objects.filter(scope).order_by("pk")
    for program_id, pk, version in years.values_list("program_id", "pk", "version"):
        versions.setdefault(program_id, []).append((pk, version))
    keys = [sheet_key(row, versions[row.program_id], today) for row in rows]
    cache = caches["sheets"]
    sheets = cache.get_many(keys)
    missing = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in sheets]
    if missing:
        reports = program_reports([row for _key, row in missing], today)
        rendered = {
            # No request: a sheet shows the same to everyone who may read it.
            key: render_to_string("programs/_report_sheet.html", {"report": report, "level": 2})
            for (key, _row), report in zip(missing, reports, strict=True)
        }
        cache.set_many(rendered)
        sheets |= rendered
    return [mark_safe(sheets[key]) for key in keys]
