"""Every role against every kind of page and admin action (programs.roles)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from programs import roles, store
from programs.models import Department, Program, ProgramYear

from .conftest import ROOT

pytestmark = pytest.mark.django_db

OWN = "사회적경제지원센터 운영"  # 노동공정상생정책관 공정경제담당관: the editor's department
OTHER = "도시농업 활성화 지원"  # 푸른도시여가국 도시농업과
OWN_TEXT = ROOT / "samples" / "000_5073a130600540e8.txt"
OTHER_TEXT = ROOT / "samples" / "001_urban_agriculture.txt"


@pytest.fixture
def years(stored_samples) -> dict[str, ProgramYear]:
    return {year.program.title: year for year in stored_samples}


@pytest.fixture
def clients(years, django_user_model) -> dict[str, Client]:
    """A signed-in client per role, plus a signed-in user with no role at all."""
    own_department = years[OWN].program.department
    made = {}
    for name, role in [
        ("viewer", roles.VIEWER),
        ("editor", roles.EDITOR),
        ("office", roles.BUDGET_OFFICE),
        ("nobody", None),
    ]:
        user = django_user_model.objects.create_user(name)
        if role:
            roles.assign(user, role, [own_department] if role == roles.EDITOR else [])
        client = Client()
        client.force_login(user)
        made[name] = client
    return made


def change_url(year: ProgramYear) -> str:
    return reverse("admin:programs_programyear_change", args=[year.pk])


def titles_listed(client: Client, url: str) -> list[str]:
    page = client.get(url).content.decode()
    return sorted(set(re.findall(r'<th class="field-[^"]+"><a href="[^"]+">([^<]+)</a>', page)))


# ---------------------------------------------------------------- the dashboard


@pytest.mark.parametrize("who", ["viewer", "editor", "office", "nobody"])
def test_every_signed_in_user_reads_every_dashboard_page(clients, years, who):
    client = clients[who]
    urls = [
        reverse("programs:overview"),
        reverse("programs:list") + "?year=",
        reverse("programs:detail", args=[years[OWN].program_id]),
        reverse("programs:detail", args=[years[OTHER].program_id]),
        reverse("programs:list") + "?_export=csv",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_user_without_a_role_is_kept_out_of_the_admin(clients):
    response = clients["nobody"].get(reverse("admin:programs_programyear_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# ---------------------------------------------------------------- the admin: lists


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("viewer", [OTHER, OWN, "청년 주거비 지원"]),
        ("editor", [OWN]),
        ("office", [OTHER, OWN, "청년 주거비 지원"]),
    ],
)
def test_the_admin_lists_only_what_the_role_may_see(clients, years, who, listed):
    client = clients[who]
    assert titles_listed(client, reverse("admin:programs_programyear_changelist")) == sorted(listed)
    assert titles_listed(client, reverse("admin:programs_program_changelist")) == sorted(listed)


def test_the_editor_sees_only_their_departments(clients, years):
    page = clients["editor"].get(reverse("admin:programs_department_changelist")).content
    assert "공정경제담당관" in page.decode()
    assert "도시농업과" not in page.decode()


def test_the_program_picker_offers_an_editor_only_their_programs(clients, years):
    url = reverse("admin:autocomplete")
    params = {"app_label": "programs", "model_name": "programyear", "field_name": "program"}
    found = clients["editor"].get(url, params).json()["results"]
    assert [result["text"] for result in found] == [OWN]
    found = clients["office"].get(url, params).json()["results"]
    assert len(found) == 3


# ---------------------------------------------------------------- the admin: change pages


@pytest.mark.parametrize(
    ("who", "own", "other"),
    [("viewer", 200, 200), ("editor", 200, 404), ("office", 200, 200)],
)
def test_change_pages_open_as_the_role_allows(clients, years, who, own, other):
    client = clients[who]
    assert client.get(change_url(years[OWN])).status_code == own
    assert client.get(change_url(years[OTHER])).status_code == other
    history = reverse("admin:programs_programyear_history", args=[years[OTHER].pk])
    assert client.get(history).status_code == other


@pytest.mark.parametrize(
    ("who", "editable"), [("viewer", False), ("editor", True), ("office", True)]
)
def test_only_editing_roles_get_a_save_button(clients, years, who, editable):
    page = clients[who].get(change_url(years[OWN])).content.decode()
    assert ('name="_save"' in page) is editable
    assert ("base_version" in page) is editable  # the version a save is based on


def post_unchanged(client: Client, year: ProgramYear, **changes):
    """Post the change form as the office's browser shows it, with some values changed."""
    from .test_admin import form_data

    office = Client()
    office.force_login(roles_user(roles.BUDGET_OFFICE))
    data = form_data(office.get(change_url(year))) | changes
    return client.post(change_url(year), data)


def roles_user(role: str):
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(username=f"form-{role}")
    if created:
        roles.assign(user, role)
    return user


@pytest.mark.parametrize(
    ("who", "own", "other"),
    [("viewer", 403, 403), ("editor", 302, 404), ("office", 302, 302)],
)
def test_posting_a_change_is_refused_or_saved_as_the_role_allows(clients, years, who, own, other):
    for title, expected in ((OWN, own), (OTHER, other)):
        year = years[title]
        response = post_unchanged(clients[who], year, account=f"{who} 회계")
        assert response.status_code == expected, title
        year.refresh_from_db()
        assert (year.account == f"{who} 회계") is (expected == 302)


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("editor", 200), ("office", 200)])
def test_the_add_page(clients, who, status):
    assert clients[who].get(reverse("admin:programs_programyear_add")).status_code == status


def test_an_editor_cannot_add_a_year_to_another_departments_program(clients, years):
    response = clients["editor"].post(
        reverse("admin:programs_programyear_add"),
        {"program": years[OTHER].program_id, "fiscal_year": 2030},
    )
    assert response.status_code == 200
    assert "올바르게 선택해 주세요" in response.content.decode()
    assert not ProgramYear.objects.filter(fiscal_year=2030).exists()


@pytest.mark.parametrize(
    ("who", "own", "other"),
    [("viewer", 403, 403), ("editor", 403, 404), ("office", 200, 200)],
)
def test_delete_pages(clients, years, who, own, other):
    client = clients[who]
    for title, expected in ((OWN, own), (OTHER, other)):
        url = reverse("admin:programs_programyear_delete", args=[years[title].pk])
        assert client.get(url).status_code == expected
        response = client.post(url, {"post": "yes"})
        assert response.status_code == (302 if expected == 200 else expected)
        assert ProgramYear.objects.filter(pk=years[title].pk).exists() is (expected != 200)


@pytest.mark.parametrize(
    ("who", "deletes"), [("viewer", False), ("editor", False), ("office", True)]
)
def test_the_delete_action_is_only_the_budget_offices(clients, years, who, deletes):
    response = clients[who].post(
        reverse("admin:programs_programyear_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [years[OWN].pk, years[OTHER].pk],
            "post": "yes",
        },
    )
    # The budget office is sent back to the list; for the others there is no such action.
    assert response.status_code == (302 if deletes else 200)
    assert ProgramYear.objects.count() == (1 if deletes else 3)


def test_an_editor_cannot_reach_another_departments_year_by_a_restore_url(clients, years):
    year = years[OTHER]
    record = ProgramYear.revisions.filter(id=year.pk).latest()
    url = reverse("admin:programs_programyear_restore", args=[year.pk, record.history_id])
    assert clients["editor"].post(url).status_code == 404
    assert clients["viewer"].post(url).status_code == 403


def test_departments_and_their_editors_are_the_budget_offices(clients, years):
    department = years[OWN].program.department
    url = reverse("admin:programs_department_change", args=[department.pk])
    data = {"bureau": department.bureau, "name": "바뀐 이름"}
    assert clients["editor"].post(url, data).status_code == 403
    assert clients["office"].post(url, data).status_code == 302
    department.refresh_from_db()
    assert department.name == "바뀐 이름"


# ---------------------------------------------------------------- the admin: import


def upload(client: Client, path):
    url = reverse("admin:programs_programyear_import")
    return client.post(url, {"file": SimpleUploadedFile(path.name, path.read_bytes())}, follow=True)


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("editor", 200), ("office", 200)])
def test_the_import_page(clients, who, status):
    url = reverse("admin:programs_programyear_import")
    assert clients[who].get(url).status_code == status


def test_an_editor_imports_their_departments_documents_only(clients, years):
    page = upload(clients["editor"], OTHER_TEXT).content.decode()
    assert "담당 부서가 아닌 부서의 문서는 가져올 수 없습니다: 푸른도시여가국 도시농업과" in page
    assert 'name="staged"' not in page
    page = upload(clients["editor"], OWN_TEXT).content.decode()
    assert 'name="staged"' in page


def test_a_staged_import_of_another_department_is_refused_at_confirmation(clients, years):
    from .test_admin_import import confirm_data

    payload = confirm_data(upload(clients["office"], OTHER_TEXT).content.decode())
    response = clients["editor"].post(
        reverse("admin:programs_programyear_import"), payload, follow=True
    )
    assert "담당 부서가 아닌 부서의 문서는 가져올 수 없습니다" in response.content.decode()
    assert ProgramYear.revisions.filter(id=years[OTHER].pk).count() == 1  # the first import


def test_an_editor_cannot_import_into_a_department_that_is_new(clients, sample_document):
    import json

    sample_document["officers"][0]["department"] = "새 부서"
    data = json.dumps(sample_document, ensure_ascii=False).encode()
    response = clients["editor"].post(
        reverse("admin:programs_programyear_import"),
        {"file": SimpleUploadedFile("new.json", data)},
        follow=True,
    )
    assert "노동공정상생정책관 새 부서" in response.content.decode()
    assert not Department.objects.filter(name="새 부서").exists()


# ---------------------------------------------------------------- the admin: users


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("editor", 403), ("office", 200)])
def test_only_the_budget_office_manages_users(clients, who, status):
    assert clients[who].get(reverse("admin:auth_user_changelist")).status_code == status
    assert clients[who].get(reverse("admin:auth_user_add")).status_code == status


def test_the_budget_office_assigns_roles_and_departments(clients, years, django_user_model):
    user = django_user_model.objects.create_user("new-editor", is_staff=True)
    department = years[OTHER].program.department
    editor_group = Group.objects.get(name=roles.EDITOR)
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = clients["office"].get(url).content.decode()
    assert "예산담당관" in page and "부서 편집자" in page
    response = clients["office"].post(
        url,
        {
            "username": "new-editor",
            "is_active": "on",
            "is_staff": "on",
            "groups": [editor_group.pk],
            "departments": [department.pk],
            "is_superuser": "on",  # read-only for the budget office: ignored
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert list(user.groups.all()) == [editor_group]
    assert list(user.edited_departments.all()) == [department]
    assert not user.is_superuser
    assert roles.editable_departments(user).get() == department


def test_the_budget_office_cannot_touch_a_superuser(clients, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password=None)
    office = clients["office"]
    url = reverse("admin:auth_user_change", args=[boss.pk])
    assert 'name="_save"' not in office.get(url).content.decode()  # read only
    assert office.post(url, {"username": "boss2"}).status_code == 403
    assert office.get(reverse("admin:auth_user_delete", args=[boss.pk])).status_code == 403
    url = reverse("admin:auth_user_password_change", args=[boss.pk])
    assert office.get(url).status_code == 403
    boss.refresh_from_db()
    assert boss.username == "boss"


def test_the_roles_are_groups_with_these_permissions():
    def codes(name: str) -> set[str]:
        group = Group.objects.get(name=name)
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }

    document_models = {"programyear", "program", "department"}
    sections = {
        "officer",
        "budgetline",
        "costitem",
        "legalbasis",
        "activity",
        "historyevent",
        "contract",
        "schedulestep",
        "performancerecord",
        "expectedeffect",
        "settlement",
    }
    view_all = {f"programs.view_{model}" for model in document_models | sections}
    assert codes(roles.VIEWER) == view_all
    assert codes(roles.EDITOR) == view_all | {
        "programs.add_programyear",
        "programs.change_programyear",
        "programs.add_program",
        "programs.change_program",
        *(
            f"programs.{action}_{model}"
            for action in ("add", "change", "delete")
            for model in sections
        ),
    }
    office = codes(roles.BUDGET_OFFICE)
    assert {f"programs.delete_{model}" for model in document_models} <= office
    assert {
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "axes.delete_accessattempt",
    } <= office
    assert "auth.change_group" not in office
    assert not any(code.startswith("auth.") for code in codes(roles.EDITOR))


def test_a_program_renamed_in_the_admin_is_recorded(clients, years):
    program = years[OWN].program
    url = reverse("admin:programs_program_change", args=[program.pk])
    response = clients["editor"].post(
        url,
        {
            "title": "새 이름",
            "department": program.department_id,
            "years-TOTAL_FORMS": "1",
            "years-INITIAL_FORMS": "1",
            "years-MIN_NUM_FORMS": "0",
            "years-MAX_NUM_FORMS": "1000",
            "years-0-id": years[OWN].pk,
            "years-0-program": program.pk,
        },
    )
    assert response.status_code == 302
    record = Program.history.filter(id=program.pk).latest()
    assert (record.title, record.history_user.username) == ("새 이름", "editor")


def test_the_migration_made_the_roles_the_code_keeps():
    import importlib

    migration = importlib.import_module("programs.migrations.0004_roles")
    made = {
        name: {f"{app}.{codename}" for app, codename in perms}
        for name, perms in migration.ROLES.items()
    }
    assert made == roles.PERMISSIONS


def test_an_editor_cannot_restore_a_version_that_moves_the_year_out_of_their_departments(
    clients, years, django_user_model
):
    year = years[OWN]
    office = django_user_model.objects.get(username="office")
    elsewhere = Program.objects.create(
        title="다른 부서의 사업", department=years[OTHER].program.department
    )
    # The year once sat in another department's program, then was moved back.
    for program in (elsewhere, year.program):
        year.program = program
        store.save_edit(year, lambda: None, user=office, created=False)
    away = ProgramYear.revisions.filter(id=year.pk, program=elsewhere).latest()
    url = reverse("admin:programs_programyear_restore", args=[year.pk, away.history_id])

    response = clients["editor"].post(url, follow=True)
    assert "담당 부서가 아닌 " in response.content.decode()
    year.refresh_from_db()
    assert year.program.title == OWN  # the year stayed where the editor can reach it
    assert clients["editor"].get(change_url(year)).status_code == 200
    # The budget office sees every department: it may.
    assert clients["office"].post(url).status_code == 302
    year.refresh_from_db()
    assert year.program == elsewhere
