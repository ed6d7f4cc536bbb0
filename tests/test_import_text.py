import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from programs.documents import export_document
from programs.models import Program, ProgramYear

from .conftest import ROOT, SAMPLES, load

pytestmark = pytest.mark.django_db

TEXT = (ROOT / "samples" / "000_5073a130600540e8.txt").read_text(encoding="utf-8")


def previous_year(text: str) -> str:
    """The same program's document one year earlier, as the 2023 book would print it."""
    return (
        text.replace("2023예산액", "2022예산액")
        .replace("2024예산액", "2023예산액")
        .replace("2024년", "2023년")
        .replace("2024.0", "2023.0")
    )


def test_importing_the_sample_folder_stores_each_program_once(capsys):
    call_command("import_documents", str(ROOT / "samples"))
    out = capsys.readouterr().out
    assert "000_5073a130600540e8.txt: 1건 저장 (사회적경제지원센터 운영 2024)" in out
    assert "경고: 결산 2020" in out  # the parser's warnings are shown
    assert ProgramYear.objects.count() == len(SAMPLES)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics table")
def test_an_import_leaves_the_query_planner_statistics_of_what_it_stored():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
    call_command("import_documents", str(ROOT / "samples"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        analyzed = {table for (table,) in cursor.fetchall()}
    assert {"programs_programyear", "programs_program", "programs_department"} <= analyzed


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_a_text_document_stores_what_its_expected_json_says(path):
    call_command("import_documents", str(path).replace(".expected.json", ".txt"))
    document = export_document(ProgramYear.objects.with_sections().get())
    for key, value in load(path).items():
        assert document[key] == value, key


def test_two_years_of_one_program_become_one_program(tmp_path):
    (tmp_path / "2023.txt").write_text(previous_year(TEXT), encoding="utf-8")
    (tmp_path / "2024.txt").write_text(TEXT, encoding="utf-8")
    call_command("import_documents", str(tmp_path))
    program = Program.objects.get()
    assert sorted(program.years.values_list("fiscal_year", flat=True)) == [2023, 2024]


def test_a_cp949_text_with_windows_line_endings_imports_the_same(tmp_path):
    path = tmp_path / "cp949.txt"
    # ☑ has no CP949 code; the rest of the document does.
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("cp949", errors="replace"))
    call_command("import_documents", str(path))
    year = ProgramYear.objects.with_sections().get()
    assert export_document(year)["budget_total"]["current"] == 3296216


def test_a_text_that_is_not_a_program_description_is_refused(tmp_path, capsys):
    path = tmp_path / "minutes.txt"
    path.write_text("2024년 제3차 운영위원회 회의록\n참석: 12명\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_documents", str(path))
    assert f"{path}: 사업설명서가 아닙니다" in capsys.readouterr().err
    assert ProgramYear.objects.count() == 0
