import copy
import datetime
import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from programs import roles
from programs.store import store_documents

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.expected.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches: rolled-back tests reuse primary keys, so a sheet
    kept by one test could otherwise be read by the next under the same key."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run as they are queued (tests/test_jobs.py runs the real worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# The pages' "today" in the modules that use `fixed_today`: contract deadlines, print dates.
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("programs.views.timezone.localdate", lambda: TODAY)


@pytest.fixture
def user_client(client, django_user_model):
    """Signed in as a new user without any role. No password: hashing one would cost more
    than the rest of a test."""
    client.force_login(django_user_model.objects.create_user("kim"))
    return client


@pytest.fixture
def viewer(django_user_model):
    """A staff member with the viewer role: reads everything, changes nothing."""
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    roles.assign(user, roles.VIEWER)
    return user


@pytest.fixture
def viewer_client(client, viewer):
    """Signed in as `viewer`."""
    client.force_login(viewer)
    return client


@pytest.fixture
def sample_document() -> dict:
    """The real document: 사회적경제지원센터 운영, FY2024."""
    return load(ROOT / "samples" / "000_5073a130600540e8.expected.json")


@pytest.fixture
def stored_samples(db):
    return [year for path in SAMPLES for year in store_documents([load(path)])]


@pytest.fixture
def make_program_years(db, sample_document):
    """Store `count` synthetic program years: copies of the sample document, each its own
    program (or, with `one_program=True`, years of one program), in three bureaus."""

    def make(count: int, *, one_program: bool = False) -> list:
        documents = []
        for index in range(count):
            document = copy.deepcopy(sample_document)
            if one_program:
                document["fiscal_year"] = 2024 - index
            else:
                document["title"] = f"합성 사업 {index:03d}"
                document["officers"][0]["bureau"] = f"합성국 {index % 3}"
            documents.append(document)
        return store_documents(documents)

    return make


# ---------------------------------------------------------------- browser

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium (Playwright cannot download its own here), headless, with nothing going out.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright's sync API, one per test module: two sync
    Playwright instances cannot run in one thread at once, so it ends with its module."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; live_server's ORM calls are
    # still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def signed_in(live_server, django_user_model):
    """A function that signs a browser context in to live_server as `user`, by default a new
    staff member."""

    def sign_in(context, user=None) -> None:
        client = Client()
        client.force_login(user or django_user_model.objects.create_user("kim", is_staff=True))
        context.clear_cookies()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return sign_in
