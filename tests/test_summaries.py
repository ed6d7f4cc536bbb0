"""The overview's kept sums (`programs.summaries`) equal the sums of the rows after each write,
and its lowest execution rates and ending contracts, found through the years' kept figures,
those of the rows."""

import datetime

import pytest
from django.db.models import Count, Exists, Max, OuterRef, Sum
from django.urls import reverse

from programs import arithmetic, store, summaries
from programs.demo import generate
from programs.models import (
    BudgetLine,
    CategoryTotal,
    Contract,
    Department,
    ProgramYear,
    ProgramYearQuerySet,
    Settlement,
    YearTotal,
)
from tests.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

FUNDING = {part: Sum(part) for part in summaries.FUNDING}
TODAY = datetime.date(2025, 1, 1)
BUREAU = "program__department__bureau"


def from_rows(year: int) -> dict:
    """The overview's sums computed from the program years, lines and settlements themselves."""
    years = ProgramYear.objects.filter(fiscal_year=year)
    totals = years.aggregate(
        programs=Count("pk"), prior=Sum("budget_prior"), current=Sum("budget_current"), **FUNDING
    )
    amounts = {
        "programs": Count("pk"),
        "prior": Sum("budget_prior"),
        "current": Sum("budget_current"),
    }
    settlements = Settlement.objects.filter(program_year__fiscal_year=year)
    settled_year = settlements.aggregate(last=Max("year"))["last"]
    settled = settlements.filter(year=settled_year).aggregate(
        executed=Sum("executed"), available=Sum(arithmetic.available_expression())
    )
    department = (BUREAU, "program__department__name", "program__department_id")
    later = Contract.objects.filter(program_year=OuterRef("program_year"), end__gt=OuterRef("end"))
    lines = BudgetLine.objects.filter(program_year__fiscal_year=year).values("category")
    return {
        "programs": totals["programs"],
        "prior": totals["prior"],
        "current": totals["current"],
        "funding": [totals[part] for part in summaries.FUNDING],
        "recent": list(
            ProgramYear.objects.filter(fiscal_year__lte=year, fiscal_year__gt=year - 5)
            .values("fiscal_year")
            .annotate(programs=Count("pk"), current=Sum("budget_current"), **FUNDING)
            .order_by("fiscal_year")
        ),
        "accounts": sorted(years.values("account").annotate(**amounts), key=str),
        "bureaus": sorted(years.values(BUREAU).annotate(**amounts), key=str),
        "departments": sorted(years.values(*department).annotate(**amounts), key=str),
        "categories": sorted(
            lines.annotate(
                programs=Count("program_year", distinct=True),
                prior=Sum("prior"),
                current=Sum("current"),
            ),
            key=str,
        ),
        "settled_year": settled_year,
        "settled": settled,
        "lowest_rates": list(
            settlements.filter(year=settled_year)
            .annotate(
                rate=arithmetic.execution_rate_expression(
                    "executed", arithmetic.available_expression()
                )
            )
            .filter(rate__isnull=False)
            .order_by("rate", "program_year__program__title")
            .values_list("pk", "rate")[: ProgramYearQuerySet.TOP]
        ),
        "contracts_ending": list(
            Contract.objects.filter(
                program_year__fiscal_year=year,
                end__gte=TODAY,
                end__lt=arithmetic.add_years(TODAY, 1),
            )
            .exclude(Exists(later))
            .order_by("end", "program_year__program__title")
            .values_list("pk", flat=True)[: ProgramYearQuerySet.CONTRACTS_SHOWN]
        ),
    }


def from_overview(year: int) -> dict:
    """The same figures as the overview reads them."""
    data = ProgramYear.objects.for_overview(year, TODAY)

    def without_change(rows: list[dict]) -> list[dict]:
        return sorted(({k: v for k, v in row.items() if k != "change"} for row in rows), key=str)

    return {
        "programs": data["programs"],
        "prior": data["prior"],
        "current": data["current"],
        "funding": [value for _label, value in data["funding"]],
        "recent": data["recent"],
        "accounts": without_change(data["accounts"]),
        "bureaus": without_change(data["bureaus"]),
        "departments": without_change(data["departments"]),
        "categories": without_change(data["categories"]),
        "settled_year": data["settled_year"],
        "settled": {key: data["settled"][key] for key in ("executed", "available")},
        "lowest_rates": [(settlement.pk, settlement.rate) for settlement in data["lowest_rates"]],
        "contracts_ending": [contract.pk for contract in data["contracts_ending"]],
    }


def assert_kept(*years: int) -> None:
    for year in years:
        assert from_overview(year) == from_rows(year)


def test_the_sums_equal_the_rows_after_an_import(stored_samples):
    assert YearTotal.objects.exists() and CategoryTotal.objects.exists()
    assert_kept(*ProgramYear.objects.fiscal_years())


def test_the_sums_follow_an_admin_save_that_changes_amounts_and_the_fiscal_year(
    admin_client, stored_samples
):
    year = stored_samples[0]
    before = from_rows(year.fiscal_year)
    data = form_data(admin_client.get(change_url(year)))
    data |= {"budget_lines-0-current": "999999", "fiscal_year": "2031", "account": "특별회계"}
    assert admin_client.post(change_url(year), data).status_code == 302
    assert from_rows(year.fiscal_year) != before  # the year left its group
    assert_kept(year.fiscal_year, 2031)
    assert from_rows(2031)["current"] >= 999999


def test_the_sums_follow_a_restore(admin_client, stored_samples):
    year = stored_samples[0]
    data = form_data(admin_client.get(change_url(year))) | {"budget_lines-0-current": "999999"}
    admin_client.post(change_url(year), data)
    first = ProgramYear.revisions.filter(id=year.pk).earliest("history_date")
    restore = reverse("admin:programs_programyear_restore", args=[year.pk, first.history_id])
    changed = from_overview(year.fiscal_year)
    assert admin_client.post(restore).status_code == 302
    assert from_overview(year.fiscal_year) != changed
    assert_kept(year.fiscal_year)


def test_the_sums_follow_a_deletion(admin_client, stored_samples):
    year = stored_samples[0]
    delete = reverse("admin:programs_programyear_delete", args=[year.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert_kept(*{sample.fiscal_year for sample in stored_samples})


def test_the_sums_follow_a_program_put_under_another_department(admin_client, stored_samples):
    program = stored_samples[0].program
    other = Department.objects.create(bureau="다른국", name="다른과")
    url = reverse("admin:programs_program_change", args=[program.pk])
    data = {"title": program.title, "department": other.pk}
    data |= {"years-TOTAL_FORMS": "0", "years-INITIAL_FORMS": "0"}
    assert admin_client.post(url, data).status_code == 302
    assert YearTotal.objects.filter(department=other).exists()
    assert_kept(*ProgramYear.objects.fiscal_years())


def test_the_sums_follow_kept_figures_recomputed_when_the_rules_change(stored_samples):
    year = stored_samples[0]
    year.budget_lines.update(current=1)  # as if the rule that totals the lines had changed
    store.refresh_derived([year.pk])
    assert_kept(year.fiscal_year)


def test_the_sums_equal_the_rows_of_demo_data():
    generate(12, 3, seed=1)
    latest = from_rows(ProgramYear.objects.fiscal_years()[0])
    assert len(latest["lowest_rates"]) == 5 and latest["contracts_ending"]
    assert_kept(*ProgramYear.objects.fiscal_years())


def test_a_rebuild_gives_what_the_writes_kept(stored_samples):
    generate(6, 2, seed=2)
    kept = list(YearTotal.objects.values().order_by("fiscal_year", "department", "account"))
    categories = list(CategoryTotal.objects.values("fiscal_year", "department", "category"))
    YearTotal.objects.all().delete()
    CategoryTotal.objects.all().delete()
    summaries.rebuild()
    rebuilt = list(YearTotal.objects.values().order_by("fiscal_year", "department", "account"))
    assert [{**row, "id": 0} for row in rebuilt] == [{**row, "id": 0} for row in kept]
    assert list(CategoryTotal.objects.values("fiscal_year", "department", "category")) == (
        categories
    )


@pytest.mark.parametrize("count", [1, 6])
def test_a_write_refreshes_the_sums_in_a_fixed_number_of_queries(
    make_program_years, django_assert_num_queries, count
):
    years = make_program_years(count)
    # the groups' year sums and category sums, their old rows deleted, the new inserted
    with django_assert_num_queries(6):
        summaries.refresh(summaries.groups_of(years))
