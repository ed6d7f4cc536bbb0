"""`import_documents` shows how far it is on standard error: a bar on a terminal, a line at
each tenth of the files elsewhere."""

import io
import json

import pytest
from django.core.management import call_command

from programs.models import ProgramYear

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def files(tmp_path, sample_document) -> list[str]:
    paths = []
    for index in range(4):
        path = tmp_path / f"{index}.json"
        document = sample_document | {"title": f"사업 {index}"}
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_on_a_terminal_a_bar_is_redrawn_in_place(files):
    err = Terminal()
    call_command("import_documents", *files, stdout=io.StringIO(), stderr=err)
    shown = err.getvalue()
    assert "\r[#######.......................] 1/4 파일" in shown
    assert shown.endswith("\r[##############################] 4/4 파일\n")
    assert ProgramYear.objects.count() == 4


def test_elsewhere_a_line_at_each_tenth_of_the_files(files):
    err = io.StringIO()
    call_command("import_documents", *files, stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [f"가져오는 중: {n}/4 파일" for n in (1, 2, 3, 4)]


def test_one_file_shows_no_progress(files):
    err = Terminal()
    call_command("import_documents", files[0], stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
