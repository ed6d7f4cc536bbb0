"""The admin's import keeps the uploaded documents on the server between preview and
confirmation: the preview shows what changes, the confirmation stores exactly that, unless a
year changed in between; unconfirmed previews expire."""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from programs.models import ProgramYear, StagedImport
from programs.store import store_documents

from .test_admin import change_url, form_data
from .test_admin_import import URL, confirm_data
from .test_row_limits import at_the_limits

pytestmark = pytest.mark.django_db


def upload(client, document: dict, name: str = "a.json"):
    data = json.dumps(document, ensure_ascii=False).encode()
    return client.post(URL, {"file": SimpleUploadedFile(name, data)}, follow=True)


@pytest.fixture
def stored(sample_document, admin_user) -> ProgramYear:
    (year,) = store_documents([sample_document], user=admin_user, reason="가져오기: a.json")
    return year


def changed(document: dict) -> dict:
    document = json.loads(json.dumps(document))
    document["purpose"] = "바뀐 목적"
    document["budget_summary"][0]["prior"] = 555000
    return document


def test_the_preview_shows_per_section_what_changes_before_and_after(
    admin_client, stored, sample_document
):
    page = upload(admin_client, changed(sample_document)).content.decode()
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    assert "<caption>기본 현황</caption>" in page
    assert ("사업목적", sample_document["purpose"], "바뀐 목적") in rows
    assert "<caption>예산 총괄</caption>" in page
    prior = f"{sample_document['budget_summary'][0]['prior']:,}"
    assert (prior, "555,000") in [row[1:] for row in rows if row[0].startswith("예산 총괄")]
    assert "관리 화면에서 고친 값" not in page  # nothing was edited since the import


def test_the_preview_flags_what_was_edited_in_the_admin_since_the_last_import(
    admin_client, stored, sample_document
):
    data = form_data(admin_client.get(change_url(stored)))
    data["purpose"] = "관리 화면에서 고친 목적"
    assert admin_client.post(change_url(stored), data).status_code == 302

    page = upload(admin_client, changed(sample_document)).content.decode()
    assert "마지막 가져오기 뒤 관리 화면에서 고친 값이 있습니다" in page
    row = re.search(r'<tr class="edited">(.*?)</tr>', page, re.S).group(1)
    assert "사업목적" in row
    assert "관리 화면에서 고친 목적" in row
    assert "바뀐 목적" in row


def test_the_confirmation_stores_exactly_what_was_previewed(admin_client, stored, sample_document):
    page = upload(admin_client, changed(sample_document)).content.decode()
    staged = StagedImport.objects.get()
    assert (staged.name, staged.versions) == ("a.json", [{"pk": stored.pk, "version": 1}])
    response = admin_client.post(URL, confirm_data(page))
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.purpose, stored.version) == ("바뀐 목적", 2)
    assert StagedImport.objects.count() == 0


def test_a_confirmation_after_someone_else_saved_the_year_is_refused(
    admin_client, stored, sample_document, django_user_model
):
    page = upload(admin_client, changed(sample_document)).content.decode()
    # Someone else saves the year after the preview.
    data = form_data(admin_client.get(change_url(stored)))
    data["purpose"] = "그 사이 고친 목적"
    assert admin_client.post(change_url(stored), data).status_code == 302

    response = admin_client.post(URL, confirm_data(page), follow=True)
    # Storing is the job's task: its page says why it stored nothing.
    assert (
        "a.json: 사회적경제지원센터 운영 (2024): 미리 본 뒤 바뀌었습니다"
        " (미리 본 버전 1, 지금 버전 2). 파일을 다시 올려 무엇이 바뀌는지 다시 보십시오."
    ) in response.content.decode()
    stored.refresh_from_db()
    assert stored.purpose == "그 사이 고친 목적"
    assert StagedImport.objects.count() == 0


def test_a_confirmation_after_the_year_was_stored_by_someone_else_is_refused(
    admin_client, sample_document
):
    page = upload(admin_client, sample_document).content.decode()
    store_documents([changed(sample_document)])
    response = admin_client.post(URL, confirm_data(page), follow=True)
    assert "미리 본 뒤 다른 사람이 저장했습니다" in response.content.decode()
    assert ProgramYear.objects.get().purpose == "바뀐 목적"


def test_someone_elses_staged_import_cannot_be_confirmed(
    admin_client, client, sample_document, django_user_model
):
    page = upload(admin_client, sample_document).content.decode()
    other = django_user_model.objects.create_superuser("other", "", "x")
    client.force_login(other)
    response = client.post(URL, confirm_data(page), follow=True)
    assert "다른 사람이 미리 본 가져오기입니다" in response.content.decode()
    assert ProgramYear.objects.count() == 0


def test_an_expired_preview_is_refused_and_cleaned_up(admin_client, sample_document, capsys):
    page = upload(admin_client, sample_document).content.decode()
    StagedImport.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = admin_client.post(URL, confirm_data(page), follow=True)
    assert "미리 본 가져오기가 없거나 기한이 지났습니다" in response.content.decode()
    assert (ProgramYear.objects.count(), StagedImport.objects.count()) == (0, 0)

    # Those never confirmed go with the next upload, or with the command.
    upload(admin_client, sample_document)
    StagedImport.objects.update(expires=timezone.now() - timedelta(seconds=1))
    upload(admin_client, sample_document)
    assert StagedImport.objects.count() == 1
    StagedImport.objects.update(expires=timezone.now() - timedelta(seconds=1))
    call_command("clean_staged_imports")
    assert "기한이 지난 미리 본 가져오기 1건을 지웠습니다." in capsys.readouterr().out
    assert StagedImport.objects.count() == 0


@override_settings(DEBUG=False)
def test_a_big_document_within_the_limits_previews_and_is_saved(admin_client, sample_document):
    document = at_the_limits(sample_document)
    for row in document["performance"]:
        row["text"] = "추진실적" * 1200
    for row in document["history"]:
        row["text"] = "추진경위" * 120
    document["activities"] = ["사업내용" * 120] * 100
    data = json.dumps(document, indent=10).encode()  # Korean as \\uXXXX: 6 bytes a letter
    assert len(data) > 3_600_000
    page = admin_client.post(URL, {"file": SimpleUploadedFile("big.json", data)}, follow=True)
    assert page.status_code == 200
    confirm = confirm_data(page.content.decode())
    assert sum(len(value) for value in confirm.values()) < 100  # only which staged import
    response = admin_client.post(URL, confirm)
    assert response.status_code == 302
    assert ProgramYear.objects.get().performance.count() == 100
