"""The page benchmark runs end to end on a small demo and reports every page."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_bench_reports_every_page_with_its_queries():
    out = io.StringIO()
    call_command("bench", programs=4, years=2, repeat=2, documents=3, stdout=out)
    lines = out.getvalue().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("page"))
    end = next(i for i, line in enumerate(lines) if line.startswith("load average"))
    rows = {line[:32].strip(): line[32:].split() for line in lines[header + 1 : end]}
    assert list(rows) == [
        "floor (minimal view)",
        "overview",
        "list",
        "list sorted by change",
        "list filtered",
        "list page 50",
        "contract register",
        "contracts, ending=12",
        "program page",
        "program report",
        "compare page",
        "department report",
        "department report, cold",
        "department report +1 day",
        "admin changelist",
        "admin change page",
        "admin change page, sample 000",
        "admin change page, row limits",
        "admin section, row limits",
    ]
    assert all(row[0] == "200" for row in rows.values())
    cached, cold = rows["department report"], rows["department report, cold"]
    assert int(cached[4]) < int(cold[4])  # queries: the documents come from the cache
    assert rows["department report +1 day"][4] == cached[4]  # ... on the next day too
    # The sample's year and its year at the row limits: the same queries as a demo year's.
    assert {rows[name][4] for name in rows if name.startswith("admin change page")} == {"15"}
    assert "parse+import:" in lines[-1]


def test_bench_measures_only_the_pages_asked_for():
    out = io.StringIO()
    call_command("bench", programs=4, years=2, repeat=2, pages="row limits", stdout=out)
    lines = out.getvalue().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("page"))
    names = [line[:32].strip() for line in lines[header + 1 : -1]]
    assert names == [
        "floor (minimal view)",
        "admin change page, row limits",
        "admin section, row limits",
    ]
    assert lines[-1].startswith("load average")  # no import measured
