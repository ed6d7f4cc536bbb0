import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.checks import ERROR, check_document, check_years
from programs.demo import generate
from programs.documents import export_document
from programs.models import Program, ProgramYear

pytestmark = pytest.mark.django_db


def documents() -> list[dict]:
    years = ProgramYear.objects.with_sections().order_by("program__title", "fiscal_year")
    return [export_document(year) for year in years]


def test_the_same_seed_gives_the_same_data():
    generate(programs=15, years=3, seed=7)
    first = documents()
    ProgramYear.objects.all().delete()
    Program.objects.all().delete()
    generate(programs=15, years=3, seed=7)
    assert documents() == first
    assert len(first) == 45


def test_only_the_deliberate_breaks_fail_an_identity():
    stats = generate(programs=60, years=4, seed=3)
    docs = documents()
    broken = [d for d in docs if any(f.severity == ERROR for f in check_document(d))]
    assert len(broken) == stats["broken"] > 0


def test_consecutive_years_agree_on_budgets():
    generate(programs=20, years=3, seed=5)
    by_program: dict[str, list[dict]] = {}
    for document in documents():
        by_program.setdefault(document["title"], []).append(document)
    findings = [f for docs in by_program.values() for f in check_years(docs)]
    assert [f for f in findings if f.rule == "year_to_year" and f.section == "budget_summary"] == []


def test_the_command_refuses_a_database_with_programs(stored_samples):
    with pytest.raises(CommandError, match="빈 데이터베이스"):
        call_command("generate_demo", "--programs", "2")


def test_the_command_reports_what_it_made(capsys):
    call_command("generate_demo", "--programs", "4", "--years", "2", "--seed", "1")
    assert "사업 4개, 연도별 사업설명서 8건" in capsys.readouterr().out
    assert ProgramYear.objects.count() == 8


def test_each_year_made_is_recorded_once_with_its_document():
    generate(programs=4, years=2, seed=2)
    for year in ProgramYear.objects.with_sections():
        [record] = ProgramYear.revisions.filter(id=year.pk)
        assert (record.history_type, record.version, record.history_user) == ("+", 1, None)
        assert record.history_change_reason == "데모 자료"
        assert record.document == export_document(year)
