"""Backup and restore: everything exported, imported into an empty database, is the same data."""

import json
import shlex

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.demo import generate
from programs.documents import export_document
from programs.models import SECTION_RELATIONS, Department, Program, ProgramYear
from programs.store import store_document

from .conftest import ROOT

pytestmark = pytest.mark.django_db


def everything() -> list[dict]:
    years = ProgramYear.objects.with_sections().order_by(
        "program__department__bureau", "program__department__name", "program__title", "fiscal_year"
    )
    return [export_document(year) for year in years]


def counts() -> dict[str, int]:
    year = ProgramYear
    return {
        # A department is in a document as its programs' officers name it: one without
        # programs is not data of any document.
        "departments": Department.objects.filter(programs__isnull=False).distinct().count(),
        "programs": Program.objects.count(),
        "years": year.objects.count(),
        **{
            relation: year._meta.get_field(relation).related_model.objects.count()
            for relation in SECTION_RELATIONS
        },
    }


def empty_the_database() -> None:
    ProgramYear.revisions.all().delete()
    ProgramYear.objects.all().delete()
    Program.objects.all().delete()
    Department.objects.all().delete()


def test_a_backup_of_city_scale_data_restores_identically(tmp_path, admin_user, stored_samples):
    generate(programs=40, years=3, seed=11)
    before, before_counts = everything(), counts()
    backup = tmp_path / "backup.json"
    call_command("export_documents", "-o", str(backup))
    assert len(json.loads(backup.read_text(encoding="utf-8"))) == before_counts["years"]

    empty_the_database()
    assert counts()["years"] == 0
    call_command("import_documents", str(backup), "--user", admin_user.username)

    assert everything() == before
    assert counts() == before_counts
    # The restore is itself recorded, as the user who ran it.
    restored = ProgramYear.revisions.filter(history_change_reason=f"가져오기: {backup}")
    assert restored.count() == before_counts["years"]
    assert {record.history_user for record in restored} == {admin_user}


def programs() -> set[tuple[str, str, str, tuple[int, ...]]]:
    """Every program by its department and title, with its fiscal years."""
    return {
        (
            program.department.bureau,
            program.department.name,
            program.title,
            tuple(sorted(year.fiscal_year for year in program.years.all())),
        )
        for program in Program.objects.select_related("department").prefetch_related("years")
    }


def test_a_backup_keeps_every_program_whole_and_the_programs_without_years(
    tmp_path, admin_user, stored_samples
):
    generate(programs=5, years=3, seed=3)
    # An editor changed the first officer row's 부서명 of one year of a program.
    year = ProgramYear.objects.filter(program__title="사회적경제지원센터 운영").get()
    Program.objects.create(title="연도 없는 사업", department=year.program.department)
    moved = ProgramYear.objects.exclude(pk=year.pk).select_related("program__department").last()
    officer = moved.officers.order_by("position").first()
    officer.department = "다른 부서명"
    officer.save()
    before, before_counts = programs(), counts()
    backup = tmp_path / "backup.json"
    call_command("export_documents", "-o", str(backup))
    written = json.loads(backup.read_text(encoding="utf-8"))
    assert written[-1] == {
        "format": "budget-program-document/1",
        "program": {
            "bureau": "노동공정상생정책관",
            "department": "공정경제담당관",
            "title": "연도 없는 사업",
        },
    }

    empty_the_database()
    call_command("import_documents", str(backup), "--user", admin_user.username)

    assert programs() == before
    assert counts() == before_counts
    restored = ProgramYear.objects.get(officers__department="다른 부서명").program
    assert (restored.title, str(restored.department)) == (
        moved.program.title,
        str(moved.program.department),
    )


def test_a_document_without_a_program_block_is_filed_by_its_first_officer_row(sample_document):
    from programs.store import store_documents

    (year,) = store_documents([sample_document])
    officer = sample_document["officers"][0]
    department = year.program.department
    assert (department.bureau, department.name) == (officer["bureau"], officer["department"])


def revisions() -> list[tuple]:
    """Every year's history records as a backup must keep them."""
    return sorted(
        (
            record.program.title,
            record.fiscal_year,
            record.history_date,
            record.history_type,
            record.version,
            record.history_user.username if record.history_user else None,
            record.history_change_reason,
            json.dumps(record.document, sort_keys=True),
        )
        for record in ProgramYear.revisions.select_related("program", "history_user")
    )


def test_a_backup_keeps_each_years_history(tmp_path, admin_user, sample_document):
    store_document(sample_document, user=admin_user, reason="처음 입력")
    sample_document["budget_summary"][0]["current"] = 700000
    store_document(sample_document, reason="예산 변경")
    history = revisions()
    assert len(history) == 2
    backup = tmp_path / "backup.json"
    call_command("export_documents", "--history", "-o", str(backup))
    empty_the_database()
    call_command("import_documents", str(backup))
    assert revisions() == history
    assert ProgramYear.objects.get().version == 2


def test_a_backup_with_a_broken_history_is_refused_and_stores_nothing(
    tmp_path, sample_document, capsys
):
    store_document(sample_document)
    backup = tmp_path / "backup.json"
    call_command("export_documents", "--history", "-o", str(backup))
    entries = json.loads(backup.read_text(encoding="utf-8"))
    entries[0]["revisions"][0]["date"] = "어제"
    backup.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    empty_the_database()
    with pytest.raises(CommandError):
        call_command("import_documents", str(backup))
    assert "revisions[0].date: 날짜와 시각을 읽을 수 없습니다" in capsys.readouterr().err
    assert ProgramYear.objects.count() == 0


def restore_steps() -> list[list[str]]:
    """The README's backup and restore commands, as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Backup and restore", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    prefix = ".venv/bin/python manage.py "
    return [
        shlex.split(line.split("#", 1)[0])[2:]
        for line in section.splitlines()
        if line.startswith(prefix)
    ]


def test_the_readmes_restore_steps_run_as_written_on_an_empty_database(
    tmp_path, monkeypatch, stored_samples, capsys
):
    before = programs()
    monkeypatch.chdir(tmp_path)
    (backup, *restore) = restore_steps()
    assert [step[0] for step in [backup, *restore]] == [
        "export_documents",
        "migrate",
        "ensure_admin",
        "import_documents",
    ]
    history = revisions()
    call_command(*backup)
    empty_the_database()
    get_user_model().objects.all().delete()  # as fresh as `migrate` leaves it
    for step in restore:
        call_command(*step, verbosity=0) if step[0] == "migrate" else call_command(*step)
    assert programs() == before
    assert revisions() == history
