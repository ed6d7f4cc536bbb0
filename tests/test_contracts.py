import copy
import csv
import datetime
import io

import openpyxl
import pytest
from django.db.models import Count, Exists, OuterRef, Subquery
from django.urls import reverse

from programs import arithmetic, contracts
from programs.contracts import PROGRAM, calendar, register
from programs.demo import generate
from programs.models import Contract, ProgramYear
from programs.store import store_documents

from .conftest import TODAY
from .test_admin import change_url, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]

URL = reverse("programs:contracts")


def get(client, query: str = ""):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return response


def distinct_contracts() -> set[tuple]:
    """Every (program, start, end) the documents print, counted once."""
    rows = Contract.objects.values_list("program_year__program__title", "start", "end")
    return set(rows)


def ending_within_a_year() -> set[tuple]:
    until = arithmetic.add_years(TODAY, 1)
    return {row for row in distinct_contracts() if TODAY <= row[2] < until}


def csv_rows(client, query: str) -> set[tuple]:
    content = get(client, f"{query}&_export=csv").content.decode().removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content)))
    return {
        (
            row["사업명"],
            datetime.date.fromisoformat(row["협약 시작"]),
            datetime.date.fromisoformat(row["협약 종료"]),
        )
        for row in rows
    }


def xlsx_rows(client, query: str) -> set[tuple]:
    content = get(client, f"{query}&_export=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    headers = [cell.value for cell in sheet[1]]
    title, start, end = (headers.index(h) for h in ("사업명", "협약 시작", "협약 종료"))
    assert sheet.cell(2, end + 1).number_format == "yyyy-mm-dd"
    return {
        (row[title], row[start].date(), row[end].date())
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }


def ics_events(client, query: str) -> list[str]:
    response = get(client, f"{query}&_export=ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    content = response.content.decode()
    assert content.startswith("BEGIN:VCALENDAR\r\n") and content.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    unfolded = content.replace("\r\n ", "")
    return [line for line in unfolded.split("\r\n") if line.startswith("DTSTART;VALUE=DATE:")]


def test_ending_within_12_months_lists_exactly_those_contracts_in_every_format(user_client):
    generate(programs=40, years=3, seed=11, first_year=2024)
    expected = ending_within_a_year()
    assert 0 < len(expected) < len(distinct_contracts())
    page = get(user_client, "ending=12&per_page=500")
    shown = {(c.program_year.program.title, c.start, c.end) for c in page.context["table"].data}
    assert shown == expected
    assert page.context["table"].paginator.count == len(expected)
    assert csv_rows(user_client, "ending=12") == expected
    assert xlsx_rows(user_client, "ending=12") == expected
    ends = sorted(line.rsplit(":", 1)[1] for line in ics_events(user_client, "ending=12"))
    assert ends == sorted(f"{end:%Y%m%d}" for _title, _start, end in expected)


def test_each_contract_once_from_the_latest_document_with_its_round(stored_samples):
    rows = list(register())
    keys = [(c.program_year.program_id, c.start, c.end) for c in rows]
    assert (
        len(keys)
        == len(set(keys))
        == len(set(Contract.objects.values_list("program_year__program", "start", "end")))
    )
    for contract in rows:
        printed = Contract.objects.filter(
            program_year__program=contract.program_year.program_id,
            start=contract.start,
            end=contract.end,
        )
        assert contract.fiscal_year == max(c.program_year.fiscal_year for c in printed)
        starts = Contract.objects.filter(
            program_year__program=contract.program_year.program_id, start__lte=contract.start
        )
        assert contract.round == len({c.start for c in starts})


def test_gaps_and_overlaps_as_gap_days_counts_them(user_client):
    generate(programs=60, years=3, seed=4, first_year=2024)
    rows = list(register())
    gaps = {
        c.pk for c in rows if c.previous_end and arithmetic.gap_days(c.previous_end, c.start) > 0
    }
    overlaps = {
        c.pk for c in rows if c.previous_end and arithmetic.gap_days(c.previous_end, c.start) < 0
    }
    assert gaps
    shown = get(user_client, "link=gap&per_page=500").context["table"].data
    assert {c.pk for c in shown} == gaps
    shown = get(user_client, "link=overlap&per_page=500").context["table"].data
    assert {c.pk for c in shown} == overlaps
    assert "공백 " in get(user_client, "link=gap").content.decode()


def test_ended_and_bureau_filters(user_client, stored_samples):
    rows = list(register())
    ended = get(user_client, "state=ended&per_page=500").context["table"].data
    assert {c.pk for c in ended} == {c.pk for c in rows if c.end < TODAY}
    bureau = rows[0].program_year.program.department.bureau
    shown = get(user_client, f"bureau={bureau}&per_page=500").context["table"].data
    assert {c.pk for c in shown} == {
        c.pk for c in rows if c.program_year.program.department.bureau == bureau
    }


@pytest.mark.parametrize("sort", ["title", "-end", "round", "link", "fiscal_year", "department"])
def test_every_column_sorts(user_client, stored_samples, sort):
    assert get(user_client, f"sort={sort}").context["table"].paginator.count > 0


@pytest.mark.parametrize("count", [3, 12])
def test_register_query_count_does_not_grow(
    user_client, make_program_years, django_assert_max_num_queries, count
):
    make_program_years(count)
    with django_assert_max_num_queries(8):
        get(user_client)
    with django_assert_max_num_queries(4):
        get(user_client, "_export=ics")


def test_the_calendar_escapes_and_folds_text(stored_samples):
    contract = register().first()
    contract.program_year.program.title = "쉼표, 세미콜론; 그리고 " + "긴 이름" * 20
    content = calendar(
        [contract], "example.org", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    unfolded = content.replace("\r\n ", "")
    assert "SUMMARY:협약 종료: 쉼표\\, 세미콜론\\; 그리고 " in unfolded
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    assert "DTSTAMP:20260101T000000Z" in content


def test_the_navigation_links_the_register(user_client):
    assert f'href="{URL}"' in get(user_client, "").content.decode()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 11, 27), 12, datetime.date(2027, 11, 27)),
        (datetime.date(2026, 11, 27), 3, datetime.date(2027, 2, 27)),
        (datetime.date(2024, 3, 31), 11, datetime.date(2025, 2, 28)),
        (datetime.date(2023, 3, 31), 11, datetime.date(2024, 2, 29)),
    ],
)
def test_add_months_keeps_the_day_or_the_months_last(day, months, expected):
    assert arithmetic.add_months(day, months) == expected


# ---------------------------------------------------------------- the kept columns


def by_the_old_rule() -> dict[int, tuple]:
    """(latest, round, previous_end) of every contract as the register used to compute them,
    per row in SQL: the rule the kept columns must give."""
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
    rows = Contract.objects.annotate(
        reprinted=Exists(reprinted),
        old_round=Subquery(rounds),
        old_previous_end=Subquery(earlier.order_by("-start", "-end").values("end")[:1]),
    )
    return {c.pk: (not c.reprinted, c.old_round, c.old_previous_end) for c in rows}


def assert_kept() -> dict[int, tuple]:
    kept = {c.pk: (c.latest, c.round, c.previous_end) for c in Contract.objects.all()}
    assert kept == by_the_old_rule()
    return kept


def one_program(make_program_years) -> list:
    """Three years (2024, 2023, 2022) of one program printing the same four contracts."""
    return make_program_years(3, one_program=True)


def test_the_kept_columns_follow_an_import(make_program_years, sample_document):
    years = one_program(make_program_years)
    kept = assert_kept()
    assert sum(latest for latest, _round, _end in kept.values()) == 4
    later = sample_document | {"fiscal_year": 2025}
    later["contracts"] = [
        *sample_document["contracts"][:3],
        {"start": "2021-02-01", "end": "2025-01-31"},
    ]
    store_documents([later])
    kept = assert_kept()
    assert (True, 5, datetime.date(2024, 1, 22)) in kept.values()  # overlaps 2024's last
    assert Contract.objects.filter(program_year=years[0], latest=True).count() == 1


def test_the_kept_columns_follow_an_import_replacing_a_year(make_program_years, sample_document):
    years = one_program(make_program_years)
    again = copy.deepcopy(sample_document)  # 2024's, its last contract replaced
    again["contracts"] = [
        *sample_document["contracts"][:3],
        {"start": "2021-02-01", "end": "2024-06-30"},
    ]
    store_documents([again])
    kept = assert_kept()
    assert (True, 5, datetime.date(2024, 1, 22)) in kept.values()
    # 2023 is again the latest year to print the contract 2024 no longer does.
    assert Contract.objects.filter(program_year=years[1], latest=True).count() == 1


def test_the_kept_columns_follow_an_admin_save_of_a_contract(admin_client, make_program_years):
    latest = one_program(make_program_years)[0]
    data = form_data(admin_client.get(change_url(latest)))
    data |= {"contracts-3-start": "2021-02-01", "contracts-3-end": "2024-06-30"}
    assert admin_client.post(change_url(latest), data).status_code == 302
    kept = assert_kept()
    assert (True, 5, datetime.date(2024, 1, 22)) in kept.values()
    assert Contract.objects.filter(program_year__fiscal_year=2023, latest=True).count() == 1


def test_the_kept_columns_follow_a_restore(admin_client, make_program_years):
    latest = one_program(make_program_years)[0]
    data = form_data(admin_client.get(change_url(latest)))
    admin_client.post(change_url(latest), data | {"contracts-3-end": "2024-06-30"})
    first = ProgramYear.revisions.filter(id=latest.pk).earliest("history_date")
    restore = reverse("admin:programs_programyear_restore", args=[latest.pk, first.history_id])
    assert admin_client.post(restore).status_code == 302
    kept = assert_kept()
    assert not Contract.objects.filter(program_year__fiscal_year=2023, latest=True).exists()
    assert sum(latest for latest, _round, _end in kept.values()) == 4


def test_the_kept_columns_follow_a_deletion(admin_client, make_program_years):
    latest = one_program(make_program_years)[0]
    delete = reverse("admin:programs_programyear_delete", args=[latest.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert_kept()
    assert Contract.objects.filter(program_year__fiscal_year=2023, latest=True).count() == 4


def test_the_kept_columns_of_demo_data_and_of_a_rebuild():
    generate(programs=60, years=3, seed=4, first_year=2024)
    kept = assert_kept()
    assert {False, True} == {latest for latest, _round, _end in kept.values()}
    assert any(end for _latest, _round, end in kept.values())
    Contract.objects.update(latest=False, round=None, previous_end=None)
    contracts.rebuild()  # what migration 0011 runs
    assert assert_kept() == kept
