"""Korean everywhere a user looks: every page and admin screen, as each role, has no English
word outside a short list of names, units and file formats."""

import contextlib
import re
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from programs import roles
from programs.models import Department, Program, ProgramYear

# Proper names, units and file formats; nothing else of English is on screen.
ALLOWED = {
    *(
        "CSV",
        "XLSX",
        "JSON",
        "PDF",
        "TXT",
        "PNG",
        "JPG",
        "JPEG",
        "TIF",
        "TIFF",
        "MB",
        "SHA",
    ),  # formats
    *("IP", "HTTP", "GET", "POST", "Accept", "User", "Agent"),  # protocol names
    *("Control", "Command", "Mac", "Single", "Sign", "On", "LDAP"),  # keys, products
    *("ESG", "SNS"),  # terms of the sample documents
    *("YYYY", "MM", "DD"),  # how a date is typed
    "unknown",  # stored by django-axes for a request without a user agent: data, not a label
}
SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
WORD = re.compile(r"[A-Za-z]{2,}")


class ShownText(HTMLParser):
    """The text a user reads: body text, titles, labels of buttons; not scripts or data."""

    HIDDEN = {"script", "style", "svg", "template"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attrs = dict(attrs)
        if self.hidden or "hidden" in attrs or attrs.get("type") == "hidden":
            return
        # Django's own admin icons carry fixed English alt texts ("True", "Search"): Django
        # does not translate them, and each icon stands beside Korean text that says it.
        if tag == "img" and "/static/admin/img/" in attrs.get("src", ""):
            return
        self.parts += [value for name, value in attrs.items() if name in SHOWN_ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english(html: str) -> set[str]:
    parser = ShownText()
    parser.feed(html)
    words = set(WORD.findall(" ".join(parser.parts)))
    return {word for word in words if word not in ALLOWED and word.upper() not in ALLOWED}


def role_users() -> dict:
    User = get_user_model()
    department = Department.objects.get(name="공정경제담당관")
    users = {}
    for name, role in (
        ("열람", roles.VIEWER),
        ("편집", roles.EDITOR),
        ("예산", roles.BUDGET_OFFICE),
    ):
        user = User.objects.create_user(name)
        roles.assign(user, role, [department] if role == roles.EDITOR else [])
        users[role] = user
    users["superuser"] = User.objects.create_superuser("관리", password=None)
    return users


def site_urls() -> list[str]:
    year = ProgramYear.objects.select_related("program").get(
        program__title="사회적경제지원센터 운영"
    )
    program, department = year.program, year.program.department
    return [
        reverse("programs:overview"),
        reverse("programs:overview") + "?year=1999",
        reverse("programs:list"),
        reverse("programs:detail", args=[program.pk]),
        reverse("programs:detail", args=[program.pk]) + "?year=1999",
        reverse("programs:report", args=[program.pk]),
        reverse("programs:department_report", args=[department.pk]),
        reverse("programs:bureau_report") + f"?bureau={department.bureau}",
        reverse("programs:bureau_report") + "?bureau=없는국",
        "/없는-주소/",
    ]


def admin_urls() -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model_admin.model.objects.order_by("pk").first()
        if first is not None:
            urls.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
    year = ProgramYear.objects.order_by("pk").first()
    urls += [
        reverse("admin:programs_programyear_history", args=[year.pk]),
        reverse("admin:programs_programyear_import"),
        reverse("admin:programs_program_change", args=[Program.objects.first().pk]),
    ]
    return sorted(set(urls))


@pytest.fixture
def signed_in_as(client, stored_samples):
    AccessAttempt.objects.create(
        username="누군가", ip_address="127.0.0.1", user_agent="-", failures_since_start=1
    )
    AccessLog.objects.create(username="누군가", ip_address="127.0.0.1", user_agent="-")
    AccessFailureLog.objects.create(username="누군가", ip_address="127.0.0.1", user_agent="-")
    users = role_users()

    def sign_in(role):
        client.force_login(users[role])
        return client

    return sign_in


@pytest.mark.parametrize("role", [roles.VIEWER, roles.EDITOR, roles.BUDGET_OFFICE, "superuser"])
def test_every_page_and_admin_screen_is_korean(signed_in_as, role):
    client = signed_in_as(role)
    found = {}
    for url in site_urls() + admin_urls():
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        words = english(response.content.decode())
        if words:
            found[f"{url} ({response.status_code})"] = sorted(words)
    assert found == {}, "\n".join(f"{url}: {' '.join(words)}" for url, words in found.items())


def test_the_sign_in_page_is_korean(client):
    assert english(client.get(reverse("login")).content.decode()) == set()


def test_english_is_found_where_it_is():
    assert english("<p>Access attempts</p><script>var x</script>") == {"Access", "attempts"}
    assert english('<button title="Save">저장</button><p>CSV, XLSX</p>') == {"Save"}
