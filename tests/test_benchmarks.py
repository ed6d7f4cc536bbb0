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
    rows = {line[:24].strip(): line[24:].split() for line in lines[header + 1 : -1]}
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
    ]
    assert all(row[0] == "200" for row in rows.values())
    cached, cold = rows["department report"], rows["department report, cold"]
    assert int(cached[3]) < int(cold[3])  # queries: the documents come from the cache
    assert rows["department report +1 day"][3] == cached[3]  # ... on the next day too
    assert "parse+import:" in lines[-1]
