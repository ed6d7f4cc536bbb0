"""No lost updates: two people open the same year; the second save is refused (programs.locking)."""

import pytest
from django.test import Client

from programs import roles
from programs.demo import generate
from programs.models import BudgetLine, ProgramYear
from programs.store import store_documents

from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(django_user_model) -> tuple[Client, Client]:
    """Two budget-office staff, each signed in with a browser of their own."""
    clients = []
    for name in ("kim", "lee"):
        user = django_user_model.objects.create_user(name)
        roles.assign(user, roles.BUDGET_OFFICE)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients[0], clients[1]


def messages_of(response) -> str:
    return response.content.decode()


def test_the_second_save_is_refused_and_says_what_the_first_changed(two, stored_samples):
    kim, lee = two
    year = stored_samples[0]
    kims_form = form_data(kim.get(change_url(year)))
    lees_form = form_data(lee.get(change_url(year)))

    kims_form["budget_lines-1-current"] = "2567216"
    assert kim.post(change_url(year), kims_form).status_code == 302

    lees_form["purpose"] = "이 목적이 맞습니다"
    response = lee.post(change_url(year), lees_form)
    assert response.status_code == 200
    page = messages_of(response)
    assert "다른 사용자가 이 사업설명서를 먼저 저장해서 저장하지 않았습니다" in page
    assert "kim 님이 저장함, 버전 2" in page
    assert "예산 총괄: 민간위탁금 당해연도 예산(B): 2,577,216 → 2,567,216" in page
    # Nothing of either is lost: kim's change is stored, lee's is still in lee's form.
    year.refresh_from_db()
    assert BudgetLine.objects.get(program_year=year, position=1).current == 2567216
    assert year.purpose != "이 목적이 맞습니다"
    assert "이 목적이 맞습니다" in page

    # Having seen kim's change, lee saves again, taking it into the form.
    again = form_data(response) | {"budget_lines-1-current": "2567216"}
    assert again["base_version"] == "2"
    assert lee.post(change_url(year), again).status_code == 302
    year.refresh_from_db()
    assert (year.purpose, year.version) == ("이 목적이 맞습니다", 3)
    assert BudgetLine.objects.get(program_year=year, position=1).current == 2567216
    users = ProgramYear.revisions.filter(id=year.pk).order_by("history_date", "history_id")
    assert [r.history_user.username if r.history_user else None for r in users] == [
        None,
        "kim",
        "lee",
    ]


def test_a_change_to_a_section_alone_also_refuses_the_second_save(two, stored_samples):
    kim, lee = two
    year = stored_samples[0]
    kims_form = form_data(kim.get(change_url(year)))
    lees_form = form_data(lee.get(change_url(year)))
    kims_form["schedule-0-detail"] = "김의 세부내용"
    assert kim.post(change_url(year), kims_form).status_code == 302
    lees_form["schedule-0-detail"] = "이의 세부내용"
    response = lee.post(change_url(year), lees_form)
    assert response.status_code == 200
    assert "추진일정: 사회적경제지원센터 사업계획 수립 및 승인 추진세부내용" in messages_of(
        response
    )
    assert year.schedule.get(position=0).detail == "김의 세부내용"


def test_an_import_in_between_refuses_the_save(two, stored_samples, sample_document):
    kim, _lee = two
    year = stored_samples[0]
    kims_form = form_data(kim.get(change_url(year)))
    sample_document["overview"] = "가져온 개요"
    store_documents([sample_document])
    response = kim.post(change_url(year), kims_form | {"account": "특별회계"})
    assert response.status_code == 200
    assert "사업개요: (빈칸) → 가져온 개요" in messages_of(response)
    year.refresh_from_db()
    assert (year.overview, year.account) == ("가져온 개요", "일반회계")


def test_a_save_that_changed_nothing_does_not_refuse_the_next(two, stored_samples):
    kim, lee = two
    year = stored_samples[0]
    kims_form = form_data(kim.get(change_url(year)))
    lees_form = form_data(lee.get(change_url(year)))
    assert kim.post(change_url(year), kims_form).status_code == 302
    assert lee.post(change_url(year), lees_form | {"account": "특별회계"}).status_code == 302


def test_a_form_without_its_version_is_not_saved(two, stored_samples):
    kim, _lee = two
    year = stored_samples[0]
    data = form_data(kim.get(change_url(year)))
    del data["base_version"]
    assert kim.post(change_url(year), data | {"account": "특별회계"}).status_code == 200
    year.refresh_from_db()
    assert year.account == "일반회계"


def test_demo_years_have_a_record_so_a_conflict_names_what_changed(admin_client):
    """A year of demo data read at its first version, saved by someone else: the refusal
    lists the change (the demo's own history record is the version the form was read at)."""
    generate(programs=1, years=1, seed=5)
    year = ProgramYear.objects.get()
    data = form_data(admin_client.get(change_url(year)))
    other = dict(data, purpose="다른 사람이 고친 목적")
    assert admin_client.post(change_url(year), other).status_code == 302
    response = admin_client.post(change_url(year), dict(data, overview="내 개요"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "다른 사람이 고친 목적" in page
