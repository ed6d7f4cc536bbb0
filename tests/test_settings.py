"""Production settings: refused without their secrets, `check --deploy` clean, headers set,
sign-in throttled."""

import logging
import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import ROOT

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-key-" + "x7Yq2!" * 5,
    "DJANGO_ALLOWED_HOSTS": "budget.example.internal",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") or key == "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secret_and_hosts(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG=0" in result.stderr


def test_check_deploy_reports_nothing_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_hsts_and_the_https_redirect_are_configurable():
    env = PRODUCTION | {"DJANGO_HSTS_SECONDS": "0", "DJANGO_SECURE_SSL_REDIRECT": "0"}
    result = manage("check", "--deploy", **env)
    assert "security.W004" in result.stderr  # no HSTS is worth a warning
    assert "security.W008" in result.stderr
    result = manage("check", **PRODUCTION, DJANGO_HSTS_SECONDS="soon")
    assert "DJANGO_HSTS_SECONDS must be a whole number, not 'soon'" in result.stderr


@pytest.mark.django_db
def test_pages_forbid_frames_and_inline_script(admin_client):
    for url in (reverse("programs:overview"), reverse("admin:index"), reverse("login")):
        response = admin_client.get(url)
        assert response["X-Frame-Options"] == "DENY"
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


@pytest.fixture
def fast_hashing(settings):
    # Each sign-in checks a password; the real hasher takes a fraction of a second on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_hashing")
def test_repeated_failed_sign_ins_are_throttled(client, django_user_model):
    assert settings.AXES_ENABLED
    django_user_model.objects.create_user("kim", password="the-right-password-1")
    url = reverse("login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "kim", "password": "wrong"})
        assert response.status_code == 200
        assert "아이디 또는 비밀번호가 맞지 않습니다." in response.content.decode()
    response = client.post(url, {"username": "kim", "password": "wrong"})
    assert response.status_code == 429
    # Locked now, even with the right password; another account is not.
    response = client.post(url, {"username": "kim", "password": "the-right-password-1"})
    assert response.status_code == 429
    assert "로그인에 여러 번 실패해서 잠시 로그인할 수 없습니다" in response.content.decode()
    django_user_model.objects.create_user("lee", password="the-right-password-2")
    response = client.post(url, {"username": "lee", "password": "the-right-password-2"})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_hashing")
def test_a_successful_sign_in_resets_the_count(client, django_user_model):
    django_user_model.objects.create_user("kim", password="the-right-password-1")
    url = reverse("login")
    for _round in range(2):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(url, {"username": "kim", "password": "wrong"})
        response = client.post(url, {"username": "kim", "password": "the-right-password-1"})
        assert response.status_code == 302
        client.logout()


def test_an_unhandled_error_is_logged_with_its_traceback_to_stderr(admin_client, settings):
    settings.ROOT_URLCONF = "tests.urls_failing"
    logger = logging.getLogger("django.request")
    assert any(
        isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr
        for handler in logger.handlers
    )
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    admin_client.raise_request_exception = False
    try:
        response = admin_client.get("/fail/")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500
    (record,) = records
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is RuntimeError


def test_two_sqlite_writers_that_read_first_wait_for_each_other(tmp_path, django_db_blocker):
    """A save reads, then writes: without IMMEDIATE transactions the second of two racing
    saves fails with "database is locked"; with them it waits for the first."""
    from django.db import connections, transaction

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    connections.settings["race"] = {
        **connections["default"].settings_dict,
        "NAME": str(tmp_path / "race.sqlite3"),
    }
    first_read = threading.Event()
    failures = []

    def save(wait_for_the_other: bool) -> None:
        try:
            with transaction.atomic(using="race"), connections["race"].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                if wait_for_the_other:
                    first_read.set()
                    time.sleep(0.5)  # the other save reads meanwhile
                cursor.execute("UPDATE counter SET n = n + 1")
        except Exception as error:  # the failure this test is about
            failures.append(error)
        finally:
            connections["race"].close()

    with django_db_blocker.unblock():
        try:
            with connections["race"].cursor() as cursor:
                cursor.execute("CREATE TABLE counter (n integer)")
                cursor.execute("INSERT INTO counter VALUES (0)")
            connections["race"].close()
            first = threading.Thread(target=save, args=(True,))
            first.start()
            first_read.wait(5)
            save(False)
            first.join()
            with connections["race"].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                assert (failures, cursor.fetchone()[0]) == ([], 2)
        finally:
            connections["race"].close()
            del connections.settings["race"]


def cache_backends(**env: str) -> list[str]:
    """The backend and location of each cache, as the settings give them in this environment."""
    code = (
        "from django.conf import settings; "
        "print(*(f\"{n} {c['BACKEND']} {c.get('LOCATION', '')}\" for n, c in "
        "sorted(settings.CACHES.items())), sep='\\n')"
    )
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_caches_are_in_memory_without_a_cache_url():
    assert cache_backends(CACHE_URL="") == [
        "default django.core.cache.backends.locmem.LocMemCache ",
        "sheets django.core.cache.backends.locmem.LocMemCache sheets",
    ]


def test_caches_are_shared_through_redis_with_a_cache_url():
    url = "redis://127.0.0.1:6390/2"
    assert cache_backends(CACHE_URL=url) == [
        f"default django.core.cache.backends.redis.RedisCache {url}",
        f"sheets django.core.cache.backends.redis.RedisCache {url}",
    ]


def test_a_cache_url_that_is_not_redis_is_refused():
    result = manage("check", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL must be a redis:// address" in result.stderr
