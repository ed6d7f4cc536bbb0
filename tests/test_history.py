"""Every change of a program year is recorded: who, when, what; and an earlier one restored."""

import copy
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs import history
from programs.documents import export_document
from programs.models import ProgramYear
from programs.store import store_documents

from .conftest import SAMPLES, load
from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def records(year: ProgramYear) -> list:
    """The year's history records, oldest first."""
    return list(
        ProgramYear.revisions.filter(id=year.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def stored(year: ProgramYear) -> dict:
    return export_document(ProgramYear.objects.with_sections().get(pk=year.pk))


@pytest.fixture
def office(client, django_user_model):
    from programs import roles

    user = django_user_model.objects.create_user("park")
    roles.assign(user, roles.BUDGET_OFFICE)
    client.force_login(user)
    client.user = user
    return client


# ---------------------------------------------------------------- imports


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_an_import_records_the_document_exactly_as_stored(path, admin_user):
    [year] = store_documents([load(path)], user=admin_user, reason="가져오기: test")
    [record] = records(year)
    assert record.document == stored(year)
    assert (record.history_type, record.history_user, record.version) == ("+", admin_user, 1)
    assert record.history_change_reason == "가져오기: test"


def test_the_import_command_records_the_importing_user(tmp_path, admin_user, sample_document):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(sample_document, ensure_ascii=False), encoding="utf-8")
    call_command("import_documents", str(path), "--user", "admin")
    sample_document["budget_summary"][0]["current"] = 700000
    path.write_text(json.dumps(sample_document, ensure_ascii=False), encoding="utf-8")
    call_command("import_documents", str(path), "--user", "admin")
    call_command("import_documents", str(path), "--user", "admin")  # the same again: no change
    year = ProgramYear.objects.get()
    first, second = records(year)
    assert [(r.history_type, r.version, r.history_user) for r in (first, second)] == [
        ("+", 1, admin_user),
        ("~", 2, admin_user),
    ]
    assert second.history_change_reason == f"가져오기: {path}"
    assert [str(c) for c in history.changes(first.document, second.document)] == [
        "예산 총괄: 공공운영비 당해연도 예산(B): 654,000 → 700,000"
    ]
    assert year.version == 2


def test_the_import_command_refuses_an_unknown_user(tmp_path, sample_document):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--user nobody: 그런 사용자가 없습니다"):
        call_command("import_documents", str(SAMPLES[0]), "--user", "nobody")


def test_the_admin_import_page_records_the_importing_user(office):
    from .test_admin_import import SAMPLE_TEXT, confirm_data, upload

    page = upload(office, "000.txt", SAMPLE_TEXT.read_bytes()).content.decode()
    office.post(reverse("admin:programs_programyear_import"), confirm_data(page))
    [record] = records(ProgramYear.objects.get())
    assert (record.history_user, record.history_change_reason) == (office.user, "가져오기: 000.txt")


def test_a_reimport_that_changes_nothing_records_nothing(stored_samples, sample_document):
    year = stored_samples[0]
    store_documents([sample_document])
    assert len(records(year)) == 1
    year.refresh_from_db()
    assert year.version == 1


# ---------------------------------------------------------------- admin saves


def test_an_admin_save_records_who_changed_what_in_the_year_and_its_sections(
    office, stored_samples
):
    year = stored_samples[0]
    data = form_data(office.get(change_url(year)))
    data["account"] = "특별회계"
    data["budget_lines-1-current"] = "2567216"
    data["history-0-DELETE"] = "on"
    assert office.post(change_url(year), data).status_code == 302
    first, second = records(year)
    assert (second.history_type, second.history_user, second.version) == ("~", office.user, 2)
    assert second.document == stored(year)
    assert [str(c) for c in history.changes(first.document, second.document)] == [
        "회계: 일반회계 → 특별회계",
        "예산 총괄: 민간위탁금 당해연도 예산(B): 2,577,216 → 2,567,216",
        "추진경위: 2012.4.3 삭제: 2012-04-03 · 사회적경제 종합지원계획 수립 → (빈칸)",
    ]
    page = office.get(reverse("admin:programs_programyear_history", args=[year.pk]))
    html = page.content.decode()
    assert "park" in html
    assert "<strong>예산 총괄: 민간위탁금 당해연도 예산(B)</strong>: <del>2,577,216</del>" in html
    assert "가져오기" not in html  # the first record was not an import from the admin


def test_an_inline_only_change_is_recorded_and_raises_the_version(office, stored_samples):
    year = stored_samples[0]
    before = stored(year)
    data = form_data(office.get(change_url(year)))
    data["activities-0-text"] = "바뀐 사업내용"
    office.post(change_url(year), data)
    year.refresh_from_db()
    assert year.version == 2
    assert [str(c) for c in history.changes(before, records(year)[-1].document)] == [
        f"사업내용 1행: {before['activities'][0]} → 바뀐 사업내용"
    ]


def test_a_save_that_changes_nothing_records_nothing(office, stored_samples):
    year = stored_samples[0]
    office.post(change_url(year), form_data(office.get(change_url(year))))
    assert len(records(year)) == 1
    year.refresh_from_db()
    assert year.version == 1


def test_a_year_added_in_the_admin_is_recorded_as_new(office, stored_samples):
    program = stored_samples[0].program
    url = reverse("admin:programs_programyear_add")
    data = form_data(office.get(url)) | {"program": program.pk, "fiscal_year": "2030"}
    assert office.post(url, data).status_code == 302
    year = ProgramYear.objects.get(fiscal_year=2030)
    [record] = records(year)
    assert (record.history_type, record.version, record.history_user) == ("+", 1, office.user)
    assert record.document["fiscal_year"] == 2030


def test_a_deleted_year_keeps_its_whole_document_in_the_history(office, stored_samples):
    year = stored_samples[0]
    before = stored(year)
    url = reverse("admin:programs_programyear_delete", args=[year.pk])
    assert office.post(url, {"post": "yes"}).status_code == 302
    last = ProgramYear.revisions.filter(id=year.pk).latest()
    assert (last.history_type, last.history_user) == ("-", office.user)
    assert last.document == before
    assert len(last.document["cost_basis"][1]["items"]) > 0


def test_deleting_a_program_records_each_of_its_years_as_deleted(office, stored_samples):
    year = stored_samples[0]
    before = stored(year)
    url = reverse("admin:programs_program_delete", args=[year.program_id])
    assert office.post(url, {"post": "yes"}).status_code == 302
    last = ProgramYear.revisions.filter(id=year.pk).latest()
    assert (last.history_type, last.history_user, last.document) == ("-", office.user, before)


def test_a_year_saved_or_deleted_outside_the_store_records_nothing(stored_samples):
    year = ProgramYear.objects.get(pk=stored_samples[0].pk)
    year.account = "특별회계"
    year.save()
    ProgramYear.objects.create(program=year.program, fiscal_year=2031)
    year.delete()
    assert ProgramYear.revisions.count() == len(stored_samples)  # the imports' own


def test_each_write_of_a_year_leaves_exactly_one_record(office, stored_samples):
    year = stored_samples[0]
    data = form_data(office.get(change_url(year))) | {"account": "특별회계"}
    office.post(change_url(year), data)
    first = records(year)[0]
    office.post(reverse("admin:programs_programyear_restore", args=[year.pk, first.history_id]))
    office.post(reverse("admin:programs_programyear_delete", args=[year.pk]), {"post": "yes"})
    assert [(r.history_type, r.version) for r in records(year)] == [
        ("+", 1),  # the import
        ("~", 2),  # the admin save
        ("~", 3),  # the restore
        ("-", 3),  # the deletion
    ]


# ---------------------------------------------------------------- restoring


def test_restoring_an_earlier_version_brings_back_its_sections(office, stored_samples):
    year = stored_samples[0]
    original = stored(year)
    data = form_data(office.get(change_url(year)))
    data["purpose"] = "바뀐 목적"
    data["budget_lines-0-current"] = "1"
    for index in range(5):
        data[f"history-{index}-DELETE"] = "on"
    office.post(change_url(year), data)
    assert stored(year) != original
    first = records(year)[0]
    url = reverse("admin:programs_programyear_restore", args=[year.pk, first.history_id])

    page = office.get(url).content.decode()
    assert "<strong>사업목적</strong>: <del>바뀐 목적</del>" in page
    assert ProgramYear.objects.get(pk=year.pk).version == 2  # a look changes nothing

    response = office.post(url)
    assert response.status_code == 302
    assert stored(year) == original
    year.refresh_from_db()
    assert year.version == 3
    assert year.check_errors == []
    last = records(year)[-1]
    assert (last.version, last.history_user) == (3, office.user)
    assert last.history_change_reason == "버전 1(으)로 되돌림"
    assert last.document == original


def test_the_history_page_offers_restoring_each_earlier_version(office, stored_samples):
    year = stored_samples[0]
    data = form_data(office.get(change_url(year)))
    data["account"] = "특별회계"
    office.post(change_url(year), data)
    html = office.get(reverse("admin:programs_programyear_history", args=[year.pk])).content
    first = records(year)[0]
    restore = reverse("admin:programs_programyear_restore", args=[year.pk, first.history_id])
    assert html.decode().count("/restore/") == 1
    assert restore in html.decode()


def test_a_restore_that_would_take_a_fiscal_year_already_there_is_refused(
    office, stored_samples, sample_document
):
    year = stored_samples[0]
    data = form_data(office.get(change_url(year))) | {"fiscal_year": "2023"}
    office.post(change_url(year), data)
    other = copy.deepcopy(sample_document)
    store_documents([other])  # a new 2024 year of the same program
    first = records(year)[0]
    url = reverse("admin:programs_programyear_restore", args=[year.pk, first.history_id])
    response = office.post(url, follow=True)
    assert "2024년 사업설명서가 이미 있어 되돌릴 수 없습니다." in response.content.decode()
    year.refresh_from_db()
    assert year.fiscal_year == 2023


# ---------------------------------------------------------------- differences


def test_an_inserted_row_is_one_change_not_a_shift_of_every_row(sample_document):
    after = copy.deepcopy(sample_document)
    after["history"].insert(0, {"date": "2011-01-01", "end_date": None, "text": "새 경위"})
    assert [str(c) for c in history.changes(sample_document, after)] == [
        "추진경위: 2011.1.1 추가: (빈칸) → 2011-01-01 · 새 경위"
    ]


def test_nested_and_derived_figures(sample_document):
    after = copy.deepcopy(sample_document)
    after["cost_basis"][1]["items"][2]["children"][0]["amount_won"] = 5
    after["settlements"][1]["national"]["executed"] = 7
    after["budget_total"]["current"] = 1  # derived: never a change of its own
    found = [str(c) for c in history.changes(sample_document, after)]
    before_amount = sample_document["cost_basis"][1]["items"][2]["children"][0]["amount_won"]
    before_executed = sample_document["settlements"][1]["national"]["executed"]
    assert found == [
        "산출근거: 민간위탁금 '사회적경제지원센터 사업비' '민간판로 확대' 금액(원): "
        f"{before_amount:,} → 5",
        f"결산: 2021년 국비 집행액: {history.shown(before_executed)} → 7",
    ]
