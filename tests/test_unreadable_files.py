"""Files no reader should choke on: each is refused with "file: where: message" in Korean,
nothing stored, never a traceback; a folder import reads every file and sums up."""

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from programs.documents import MAX_COST_ITEMS, MAX_ROWS
from programs.models import Program, ProgramYear

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:programs_programyear_import")


def sample_text(sample_document: dict, **changes) -> str:
    return json.dumps(sample_document | changes, ensure_ascii=True)


UNREADABLE = {
    "deep": (
        "[" * 200_000 + "]" * 200_000,
        "line 1 column 101: JSON이 너무 깊게 중첩되어 있습니다",
    ),
    # Readable by Python, but deeper than any document and than writers of JSON go.
    "deep-readable": (
        '{"x": ' + "[" * 150 + "]" * 150 + "}",
        "line 1 column 106: JSON이 너무 깊게 중첩되어 있습니다",
    ),
    "long-integer": (
        '{"fiscal_year": ' + "7" * 5000 + "}",
        "line 1 column 17: 정수가 너무 깁니다 (5,000자리)",
    ),
    "empty": ("[]", "문서가 없습니다 (빈 목록 [])"),
}


def unreadable(name: str, sample_document: dict) -> tuple[str, str]:
    if name == "surrogate":
        # `\ud800` escaped in the file is valid JSON, and no database can store it.
        text = sample_text(sample_document, purpose="a\ud800b")
        return text, "purpose: 짝이 없는 서로게이트 문자가 들어 있습니다"
    return UNREADABLE[name]


NAMES = [*UNREADABLE, "surrogate"]


@pytest.mark.parametrize("name", NAMES)
def test_the_import_command_names_the_file_the_field_and_what_is_wrong(
    tmp_path, capsys, sample_document, name
):
    text, message = unreadable(name, sample_document)
    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_documents", str(path))
    assert refused.value.returncode == 1
    assert f"{path}: {message}" in capsys.readouterr().err
    assert ProgramYear.objects.count() == 0


@pytest.mark.parametrize("name", NAMES)
@override_settings(DEBUG=False)
def test_the_import_page_names_the_file_and_what_is_wrong(admin_client, sample_document, name):
    text, message = unreadable(name, sample_document)
    upload = SimpleUploadedFile(f"{name}.json", text.encode())
    response = admin_client.post(IMPORT_URL, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert f"{name}.json: {message}" in response.content.decode()
    assert ProgramYear.objects.count() == 0


def test_a_folder_import_reads_every_file_stores_the_good_and_sums_up(
    tmp_path, capsys, sample_document
):
    (tmp_path / "a-deep.json").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    (tmp_path / "b-good.json").write_text(sample_text(sample_document), encoding="utf-8")
    (tmp_path / "c-empty.json").write_text("[]", encoding="utf-8")
    other = sample_document | {"title": "다른 사업"}
    (tmp_path / "d-good.json").write_text(sample_text(other), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_documents", str(tmp_path))
    assert refused.value.returncode == 1
    summary = str(refused.value)
    assert summary.startswith("파일 4개 중 2개 저장, 2개 거부")
    assert f"{tmp_path / 'a-deep.json'}: line 1 column 101" in summary
    assert f"{tmp_path / 'c-empty.json'}: 문서가 없습니다" in summary
    assert set(Program.objects.values_list("title", flat=True)) == {
        sample_document["title"],
        "다른 사업",
    }


def test_a_folder_import_with_nothing_refused_says_so_and_succeeds(
    tmp_path, capsys, sample_document
):
    (tmp_path / "a.json").write_text(sample_text(sample_document), encoding="utf-8")
    call_command("import_documents", str(tmp_path))
    assert "파일 1개 중 1개 저장, 0개 거부" in capsys.readouterr().out


# ---------------------------------------------------------------- rows per section


def cost_items(count: int) -> list[dict]:
    items = [{"name": f"항목 {n}", "amount_won": 1000, "children": []} for n in range(count)]
    return [{"category": "민간위탁금", "items": items}]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"cost_basis": cost_items(MAX_COST_ITEMS + 1)},
            "cost_basis: 산출근거 201행은 너무 많습니다 (한 사업설명서에 200행까지)",
        ),
        (
            {"history": [{"date": "2020-01", "text": "행"}] * (MAX_ROWS + 1)},
            "history: 추진경위 101행은 너무 많습니다 (한 사업설명서에 100행까지)",
        ),
        (
            {"activities": ["내용"] * 60_000},
            "activities: 사업내용 60,000행은 너무 많습니다 (한 사업설명서에 100행까지)",
        ),
    ],
)
def test_a_section_over_its_row_limit_is_refused_naming_the_section(
    tmp_path, capsys, sample_document, changes, message
):
    path = tmp_path / "big.json"
    path.write_text(sample_text(sample_document, **changes), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_documents", str(path))
    assert f"{path}: {message}" in capsys.readouterr().err
    assert ProgramYear.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["budget_summary"][0].update(change="abc"),
            "budget_summary[0].change: 정수이어야 합니다 (값: 'abc')",
        ),
        (lambda d: d.update(budget_total="x"), "budget_total: 객체이어야 합니다 (값: 'x')"),
        (
            lambda d: d["budget_total"].update(current=[1]),
            "budget_total.current: 정수이어야 합니다 (값: [1])",
        ),
        (
            lambda d: d["funding"].update(total="1"),
            "funding.total: 정수이어야 합니다 (값: '1')",
        ),
    ],
)
@override_settings(DEBUG=False)
def test_a_stated_figure_of_another_type_is_refused_naming_it(
    admin_client, sample_document, change, message
):
    # Changes and totals are derived when stored, but the checks compare them as stated.
    change(sample_document)
    upload = SimpleUploadedFile("a.json", sample_text(sample_document).encode())
    response = admin_client.post(IMPORT_URL, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert f"a.json: {message}" in html.unescape(response.content.decode())


@override_settings(DEBUG=False)
def test_a_document_without_its_stated_changes_previews_them_as_stored(
    admin_client, sample_document
):
    for row in sample_document["budget_summary"]:
        del row["change"], row["change_pct"]
    del sample_document["budget_total"]
    upload = SimpleUploadedFile("a.json", sample_text(sample_document).encode())
    response = admin_client.post(IMPORT_URL, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "3,296,216" in response.content.decode()
