import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects

from programs.models import (
    SECTION_RELATIONS,
    BudgetLine,
    Contract,
    Department,
    HistoryEvent,
    Program,
    ProgramYear,
    ScheduleStep,
    Settlement,
    read_sections,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    department = Department.objects.create(bureau="노동공정상생정책관", name="공정경제담당관")
    program = Program.objects.create(title="사회적경제지원센터 운영", department=department)
    return ProgramYear.objects.create(program=program, fiscal_year=2024)


def test_budget_line_derives_change(year):
    line = BudgetLine.objects.create(
        program_year=year, category="시설비", prior=130000, current=65000
    )
    assert (line.change, line.change_pct) == (-65000, -50)


def test_funding_total_sums_sources_and_is_null_when_all_blank(year):
    assert year.funding_total is None
    year.funding_national, year.funding_city = 496000, 1311500
    assert year.funding_total == 1807500


def test_a_program_has_one_document_per_year(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramYear.objects.create(program=year.program, fiscal_year=2024)


def test_a_category_appears_once_per_year(year):
    BudgetLine.objects.create(program_year=year, category="시설비", prior=1, current=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(program_year=year, category="시설비", prior=2, current=2)


def test_the_database_refuses_a_negative_budget(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(program_year=year, category="시설비", prior=-1, current=1)


def test_the_database_refuses_a_contract_ending_before_it_starts(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            program_year=year, start=datetime.date(2024, 1, 2), end=datetime.date(2024, 1, 1)
        )


def test_the_database_refuses_inverted_history_dates(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        HistoryEvent.objects.create(program_year=year, date="2014-08", end_date="2014-07", text="x")


def test_validation_names_the_field_of_an_inverted_contract(year):
    contract = Contract(
        program_year=year, start=datetime.date(2024, 1, 2), end=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        contract.full_clean()
    assert "협약 종료일이 시작일보다 앞설 수 없습니다." in error.value.message_dict["end"]


def test_validation_rejects_month_13(year):
    step = ScheduleStep(program_year=year, task="x", start="2024-13", end="2024-12")
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "월은 1에서 12 사이여야 합니다: 2024-13" in error.value.message_dict["start"]


def test_validation_rejects_a_day_that_does_not_exist(year):
    event = HistoryEvent(program_year=year, date="2023-02-30", text="x")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date" in error.value.message_dict


def test_validation_accepts_a_date_known_to_the_month(year):
    event = HistoryEvent(program_year=year, date="2014-07", end_date="2014-08", text="경영평가")
    event.full_clean()
    event.save()
    assert HistoryEvent.objects.values_list("date", "end_date").get() == ("2014-07", "2014-08")


def test_validation_rejects_a_negative_budget_on_the_field(year):
    line = BudgetLine(program_year=year, category="시설비", prior=-5, current=10)
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert list(error.value.message_dict) == ["prior"]


def test_settlement_execution_rate_uses_derived_available_when_blank(year):
    settlement = Settlement(
        program_year=year,
        year=2020,
        final_budget=8512856,
        carried_in=0,
        budget_change=30000,
        executed=8487514,
    )
    assert settlement.available_or_derived == 8542856
    assert str(settlement.execution_rate) == "99.4"


def test_settlement_budget_change_may_be_negative(year):
    settlement = Settlement(program_year=year, year=2021, budget_change=-20000)
    settlement.full_clean()
    settlement.save()
    assert Settlement.objects.get().budget_change == -20000


def test_a_year_s_sections_are_read_as_prefetching_reads_them(
    stored_samples, django_assert_num_queries
):
    for stored in stored_samples:
        prefetched = ProgramYear.objects.get(pk=stored.pk)
        prefetch_related_objects([prefetched], *SECTION_RELATIONS)
        for _attempt in range(2):  # the queries built, then reused
            year = ProgramYear.objects.get(pk=stored.pk)
            with django_assert_num_queries(len(SECTION_RELATIONS)):
                read_sections(year)
            with django_assert_num_queries(0):  # each row's year is the year itself
                for name in SECTION_RELATIONS:
                    rows = list(getattr(year, name).all())
                    expected = list(getattr(prefetched, name).all())
                    assert [vars_of(row) for row in rows] == [vars_of(row) for row in expected]
                    assert all(row.program_year is year for row in rows), name
        assert sum(len(getattr(year, name).all()) for name in SECTION_RELATIONS) > 20


def vars_of(row) -> dict:
    """A row's stored values (its fields, its type)."""
    return {"type": type(row)} | {
        field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields
    }
