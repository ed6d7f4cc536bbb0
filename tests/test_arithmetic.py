"""The rules of docs/document-format.md, each pinned on its own function."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import F, Value

from programs import arithmetic, formatting
from programs.models import BudgetLine, Department, Program, ProgramYear, Settlement


@pytest.fixture
def year():
    department = Department.objects.create(bureau="실", name="과")
    program = Program.objects.create(title="사업", department=department)
    return ProgramYear.objects.create(program=program, fiscal_year=2024)


def test_change_is_current_minus_prior():
    assert arithmetic.change(2996971, 3296216) == 299245
    assert arithmetic.change(130000, 65000) == -65000
    assert arithmetic.change(None, 1) is None


def test_change_pct_rounds_half_away_from_zero_as_printed():
    assert arithmetic.percent_change(2312971, 2577216) == 11
    assert arithmetic.percent_change(130000, 65000) == -50
    assert arithmetic.percent_change(48000, 52500) == 9  # 9.375
    assert arithmetic.percent_change(1150000, 1240000) == 8  # 7.83
    assert arithmetic.percent_change(200, 201) == 1  # 0.5 rounds up
    assert arithmetic.percent_change(200, 199) == -1  # -0.5 rounds away from zero


def test_change_pct_is_null_when_prior_is_zero_or_blank():
    assert arithmetic.percent_change(0, 45000) is None
    assert arithmetic.percent_change(None, 45000) is None
    assert arithmetic.percent_change(45000, None) is None


def test_a_row_from_nothing_is_new_and_printed_as_such():
    assert arithmetic.is_new(0, 45000)
    assert not arithmetic.is_new(0, 0)
    assert not arithmetic.is_new(10, 45000)
    assert formatting.percent_change(0, 45000) == "순증"
    assert formatting.percent_change(2996971, 3296216) == "10"
    assert formatting.percent_change(130000, 65000) == "△50"
    assert formatting.percent_change(None, 1) == ""


@pytest.mark.django_db
def test_sql_change_pct_agrees_with_the_rule(year):
    for category, prior, current in (("가", 200, 201), ("나", 0, 5), ("다", 130000, 65000)):
        BudgetLine.objects.create(
            program_year=year, category=category, prior=prior, current=current
        )
    rows = BudgetLine.objects.annotate(
        pct=arithmetic.percent_change_expression("prior", "current")
    ).values_list("category", "pct")
    pcts = dict(rows)
    assert pcts["가"] == pytest.approx(0.5)
    assert pcts["나"] is None
    assert pcts["다"] == pytest.approx(-50.0)


def test_won_round_up_to_thousands():
    assert arithmetic.thousands(1389744000) == 1389744
    assert arithmetic.thousands(1389744001) == 1389745
    assert arithmetic.thousands(1) == 1
    assert arithmetic.thousands(0) == 0


def test_items_add_up_within_a_thousand_won_each():
    assert arithmetic.adds_up_won(1_000_000, 2, 1_002_000)
    assert not arithmetic.adds_up_won(1_000_000, 2, 1_002_001)
    assert arithmetic.adds_up_won(0, 0, 0)
    assert not arithmetic.adds_up_won(0, 0, 1)
    assert not arithmetic.adds_up_won(None, 1, 1000)


def test_totals_of_stated_figures():
    assert arithmetic.total([1, 2, 3]) == 6
    assert arithmetic.total([1, None]) is None
    assert arithmetic.total([]) is None
    assert arithmetic.total_of_stated([1, None, 2]) == 3
    assert arithmetic.total_of_stated([None, None]) is None


def test_available_is_stated_or_derived():
    assert arithmetic.available(100, 1, 2, 3) == 100
    assert arithmetic.available(None, 8512856, 0, 30000) == 8542856
    assert arithmetic.available(None, 8512856, None, 30000) is None
    assert arithmetic.is_derived_available(None, 8512856, 0, 30000)
    assert not arithmetic.is_derived_available(8542856, 8512856, 0, 30000)
    assert not arithmetic.is_derived_available(None, None, 0, 30000)


def test_settlement_identities_solve_for_any_column():
    row = {
        "final_budget": 100,
        "carried_in": 10,
        "budget_change": -5,
        "available": 105,
        "executed": 90,
        "carried_out": 3,
        "unspent": 12,
    }
    assert arithmetic.AVAILABLE.holds(row) is True
    assert arithmetic.UNSPENT.holds(row) is True
    assert arithmetic.UNSPENT.holds(row | {"unspent": 11}) is False
    assert arithmetic.UNSPENT.holds(row | {"executed": None}) is None
    assert arithmetic.UNSPENT.solve(row, "carried_out") == 3
    assert arithmetic.AVAILABLE.solve(row, "budget_change") == -5
    assert arithmetic.UNSPENT.formula("unspent") == "예산현액−집행액−차년이월"
    assert arithmetic.AVAILABLE.formula("available") == "최종예산+전년이월+예산변경"


def test_a_settlement_is_completed_through_both_identities():
    row = {
        "final_budget": 8512856,
        "carried_in": 0,
        "budget_change": 30000,
        "available": None,
        "executed": 8487514,
        "carried_out": None,
        "unspent": 55342,
    }
    completed = arithmetic.completed_settlement(row)
    assert completed["available"] == 8542856
    assert completed["carried_out"] == 0
    two_blanks = row | {"final_budget": None}
    assert arithmetic.completed_settlement(two_blanks)["carried_out"] is None


def test_execution_rate_has_one_decimal_half_away_from_zero():
    assert arithmetic.execution_rate(8487514, 8542856) == Decimal("99.4")
    assert arithmetic.execution_rate(1, 8) == Decimal("12.5")
    assert arithmetic.execution_rate(1, 16) == Decimal("6.3")  # 6.25
    assert arithmetic.execution_rate(5, 0) is None
    assert arithmetic.execution_rate(None, 10) is None


@pytest.mark.django_db
def test_sql_execution_rate_agrees_with_the_rule(year):
    Settlement.objects.create(
        program_year=year,
        year=2020,
        final_budget=8512856,
        carried_in=0,
        budget_change=30000,
        executed=8487514,
    )
    row = Settlement.objects.annotate(
        available_total=arithmetic.available_expression(),
        rate=arithmetic.execution_rate_expression("executed", F("available_total")),
        zero=arithmetic.execution_rate_expression("executed", Value(0)),
    ).get()
    assert row.available_total == 8542856
    assert round(row.rate, 1) == float(arithmetic.execution_rate(8487514, 8542856))
    assert row.zero is None


def test_contract_terms_and_gaps():
    start = datetime.date(2018, 1, 23)
    assert arithmetic.term_end(start, 3) == datetime.date(2021, 1, 22)
    assert arithmetic.term_years(start, datetime.date(2021, 1, 22)) == 3
    assert arithmetic.term_years(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)) == 1
    assert arithmetic.add_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
    end = datetime.date(2021, 1, 22)
    assert arithmetic.gap_days(end, datetime.date(2021, 1, 23)) == 0
    assert arithmetic.gap_days(end, datetime.date(2021, 2, 1)) == 9
    assert arithmetic.gap_days(end, datetime.date(2021, 1, 20)) == -3


def test_one_korean_word_per_severity():
    assert arithmetic.SEVERITY_LABELS == {"error": "오류", "warning": "주의", "info": "참고"}


def test_the_models_name_settlement_columns_as_the_rules_do():
    for column, label in arithmetic.SETTLEMENT_LABELS.items():
        assert Settlement._meta.get_field(column).verbose_name == label
        assert Settlement._meta.get_field(f"national_{column}").verbose_name == f"{label} 국비"
