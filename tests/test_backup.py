"""Backup and restore: everything exported, imported into an empty database, is the same data."""

import json

import pytest
from django.core.management import call_command

from programs.demo import generate
from programs.documents import export_document
from programs.models import SECTION_RELATIONS, Department, Program, ProgramYear

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
