"""The overview's sums, kept current as years are written.

A fiscal year's totals per department, account and last settled year (`YearTotal`), and per
department and category (`CategoryTotal`), so that the overview sums a few hundred rows, not
every program year and budget line of the year. `programs.store` refreshes the groups a write
touches, a group being one department's fiscal year, inside the write's transaction. A
refresh recomputes its groups from what is stored: a sum is never patched by differences.
"""

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models import Count, F, Q, Sum

Group = tuple[int, int]  # (fiscal year, department pk)

FUNDING = ("funding_national", "funding_city", "funding_district", "funding_other")


def groups_of(years) -> set[Group]:
    """The groups of these program years: a queryset, or saved years with their program."""
    if hasattr(years, "values_list"):
        return set(years.values_list("fiscal_year", "program__department_id"))
    return {(year.fiscal_year, year.program.department_id) for year in years}


def refresh(groups: Iterable[Group]) -> None:
    """Recompute these groups' sums from what is stored: two sums, two deletions, two inserts."""
    groups = set(groups)
    if groups:
        _fill(global_apps, groups)


def rebuild(apps: Apps = global_apps) -> None:
    """Recompute every sum: the migration that adds them, or after a bulk change of the data."""
    _fill(apps, None)


def program_moved(program, department_id: int) -> None:
    """A program put under another department: its years leave `department_id`'s sums."""
    fiscal_years = program.years.values_list("fiscal_year", flat=True)
    refresh((year, d) for year in fiscal_years for d in (department_id, program.department_id))


def _where(groups: set[Group] | None, fiscal_year: str, department: str) -> Q:
    """Rows in these groups (all rows for None), reached through these field paths."""
    where = Q()
    for year, department_id in groups or ():
        where |= Q(**{fiscal_year: year, department: department_id})
    return where


def _fill(apps: Apps, groups: set[Group] | None) -> None:
    program_year = apps.get_model("programs", "ProgramYear")
    budget_line = apps.get_model("programs", "BudgetLine")
    year_total = apps.get_model("programs", "YearTotal")
    category_total = apps.get_model("programs", "CategoryTotal")
    years = (
        program_year.objects.filter(_where(groups, "fiscal_year", "program__department_id"))
        .values("fiscal_year", "account", "settled_year", department_id=F("program__department_id"))
        .order_by()
        .annotate(
            programs=Count("pk"),
            prior=Sum("budget_prior"),
            current=Sum("budget_current"),
            **{part: Sum(part) for part in FUNDING},
            settled_executed=Sum("settled_executed"),
            settled_available=Sum("settled_available"),
        )
    )
    lines = (
        budget_line.objects.filter(
            _where(groups, "program_year__fiscal_year", "program_year__program__department_id")
        )
        .values(
            "category",
            fiscal_year=F("program_year__fiscal_year"),
            department_id=F("program_year__program__department_id"),
        )
        .order_by()
        .annotate(
            programs=Count("program_year", distinct=True),
            prior=Sum("prior"),
            current=Sum("current"),
        )
    )
    stale = _where(groups, "fiscal_year", "department_id")
    year_total.objects.filter(stale).delete()
    category_total.objects.filter(stale).delete()
    year_total.objects.bulk_create([year_total(**row) for row in years], batch_size=1000)
    category_total.objects.bulk_create([category_total(**row) for row in lines], batch_size=1000)
