import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.checks import check_document
from programs.models import ImportJob, ProgramYear

from .conftest import ROOT

pytestmark = pytest.mark.django_db

URL = reverse("admin:programs_programyear_import")
SAMPLE_TEXT = ROOT / "samples" / "000_5073a130600540e8.txt"


def upload(client, name: str, data: bytes):
    """Upload a file and follow to its job's page: tests run tasks as they are queued, so the
    job has read it by then."""
    return client.post(URL, {"file": SimpleUploadedFile(name, data)}, follow=True)


def confirm_data(page: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(staged)" value="([^"]*)"', page))


def test_a_text_document_is_previewed_before_anything_is_saved(admin_client):
    response = upload(admin_client, "000.txt", SAMPLE_TEXT.read_bytes())
    page = response.content.decode()
    assert response.status_code == 200
    assert "사회적경제지원센터 운영 (2024)" in page
    assert "새로 저장합니다" in page
    assert "3,296,216" in page
    assert "결산 2020 예산현액: 비어 있음" in page  # a finding, derived
    assert ProgramYear.objects.count() == 0


def test_confirming_the_preview_stores_the_document(admin_client):
    page = upload(admin_client, "000.txt", SAMPLE_TEXT.read_bytes()).content.decode()
    job = ImportJob.objects.get()
    response = admin_client.post(URL, confirm_data(page))
    year = ProgramYear.objects.get()
    # Storing is a task too: the job's page follows it, then links the year stored.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:programs_programyear_import_job", args=[job.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert reverse("admin:programs_programyear_change", args=[year.pk]) in page
    assert "1건 저장했습니다" in page
    assert (year.program.title, year.fiscal_year) == ("사회적경제지원센터 운영", 2024)
    assert year.cost_items.count() == 11


def test_the_preview_says_when_a_stored_year_is_replaced(admin_client, stored_samples):
    page = upload(admin_client, "000.txt", SAMPLE_TEXT.read_bytes()).content.decode()
    assert "이미 저장된 사업설명서를 이 내용으로 바꿉니다" in page
    assert ProgramYear.objects.count() == 3


def test_a_file_that_is_not_a_document_is_refused_with_its_name(admin_client):
    page = upload(admin_client, "memo.txt", "회의록\n참석자: 홍길동\n".encode()).content.decode()
    assert "memo.txt: 사업설명서가 아닙니다" in page
    assert ProgramYear.objects.count() == 0


def test_a_bad_json_document_names_the_field(admin_client):
    response = upload(admin_client, "a.json", b'{"format": "budget-program-document/1"}')
    page = response.content.decode()
    assert "a.json: title: 값이 없습니다" in page


@pytest.mark.parametrize("staged", ["999999", "abc", ""])
def test_a_tampered_confirmation_stores_nothing(admin_client, staged):
    upload(admin_client, "000.txt", SAMPLE_TEXT.read_bytes())
    response = admin_client.post(URL, {"staged": staged}, follow=True)
    assert "미리 본 가져오기가 없거나 기한이 지났습니다" in response.content.decode()
    assert ProgramYear.objects.count() == 0


def test_import_needs_permission_to_add(client, django_user_model):
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(URL).status_code == 403


def test_the_list_page_links_to_the_import(admin_client):
    page = admin_client.get(reverse("admin:programs_programyear_changelist")).content.decode()
    assert f'href="{URL}"' in page


def test_the_preview_writes_nothing(admin_client, stored_samples):
    records = ProgramYear.revisions.count()
    with CaptureQueriesContext(connection) as queries:
        page = upload(admin_client, "000.txt", SAMPLE_TEXT.read_bytes()).content.decode()
    assert "이미 저장된 사업설명서를 이 내용으로 바꿉니다" in page
    writes = [
        q["sql"]
        for q in queries
        if not re.match(r"\s*(SELECT|SAVEPOINT|RELEASE SAVEPOINT)", q["sql"], re.I)
    ]
    # The session's own row (Django's, on every admin request), the import job (its file and
    # results) and the staged import (and the clearing of expired ones) are the only things
    # written.
    assert [
        sql
        for sql in writes
        if not re.search("django_session|programs_stagedimport|programs_import", sql)
    ] == []
    assert (ProgramYear.objects.count(), ProgramYear.revisions.count()) == (3, records)


def test_an_import_checks_each_document_once_to_preview_and_once_to_store(
    admin_client, monkeypatch
):
    from programs import checks

    calls = []

    def counted(document):
        calls.append(document["title"])
        return check_document(document)

    monkeypatch.setattr(checks, "check_document", counted)
    for module in ("imports", "store"):
        monkeypatch.setattr(f"programs.{module}.check_document", counted)
    page = upload(admin_client, "000.txt", SAMPLE_TEXT.read_bytes()).content.decode()
    assert calls == ["사회적경제지원센터 운영"]
    admin_client.post(URL, confirm_data(page))
    # Storing checks the stored form; the document as printed is checked again only where it
    # differs in what the checks read (a figure the stored form computes anew): not here.
    assert calls == ["사회적경제지원센터 운영"] * 2
    assert ProgramYear.revisions.count() == 1


def test_a_broken_percentage_is_reported_once_in_korean_with_both_values(admin_client):
    text = SAMPLE_TEXT.read_text(encoding="utf-8")
    row = "\t2,312,971\t2,577,216\t264,245\t11\n"
    assert text.count(row) == 1  # 민간위탁금's figures
    text = text.replace(row, row.replace("\t11\n", "\t12\n"))
    page = upload(admin_client, "000.txt", text.encode()).content.decode()
    # Every line of the preview that speaks of a percentage: the parser's and the checks'.
    [(severity, label, message)] = re.findall(
        r'<li class="(\w+)"><strong>(\w+)</strong> ([^<]*증감률[^<]*)</li>', page
    )
    assert (severity, label) == ("error", "오류")
    assert re.fullmatch(r"예산 총괄: 민간위탁금 증감률\S* 12 ≠ \S+ = 11", message), message


def test_reading_notes_and_findings_are_one_list_labelled_in_korean(admin_client):
    page = upload(admin_client, "000.txt", SAMPLE_TEXT.read_bytes()).content.decode()
    assert "읽기 경고" not in page
    assert page.count('<ul class="messagelist">') == 1
    assert '<li class="info"><strong>참고</strong> 결산 2020 예산현액: 비어 있음' in page
    labels = set(re.findall(r'<li class="\w+"><strong>(\w+)</strong>', page))
    assert labels and labels <= {"읽기", "오류", "주의", "참고"}
