"""Load test: signed-in users reading the main pages of gunicorn on 127.0.0.1, for a while.

    .venv/bin/python bench/load.py                # make load: 20 users, 60 s, 2 workers
    .venv/bin/python bench/load.py --users 5 --seconds 10
    DATABASE_URL=postgres://... .venv/bin/python bench/load.py --workers 4   # make load-postgres

It makes (once, then reuses) a scratch SQLite database of demo data (`generate_demo`) under
.make/, or with DATABASE_URL set uses that database (demo data made in it when it has no
programs), signs in one budget-office user per simulated user, starts gunicorn as production runs
it (DJANGO_DEBUG=0, WhiteNoise, collected static files; plain HTTP, so without the HTTPS
redirect) and lets every user request the overview, the program list, a program page and the
admin's list in turn, as fast as answers come, until the time or the request budget is spent.
It prints requests per second and p50/p95 latency per page, and exits 1 on any error (a status
other than 200, or no answer). Traffic goes to 127.0.0.1 only.
"""

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".make"
HOST = "127.0.0.1"
PAGES = ("overview", "list", "program page", "admin changelist")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(database: str) -> dict[str, str]:
    """Production settings on the loopback; `database` is a DATABASE_URL."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "budget_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "load-test-only-" + "k3y" * 12,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database,
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies not marked secure.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(SCRATCH / "load-static"),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(programs: int, years: int) -> str:
    """The URL of the demo database: DATABASE_URL's, or a scratch SQLite one for this size,
    made once (under a temporary name until complete)."""
    SCRATCH.mkdir(exist_ok=True)
    if os.environ.get("DATABASE_URL"):
        return prepare_server(os.environ["DATABASE_URL"], programs, years)
    database = SCRATCH / f"load-{programs}x{years}.sqlite3"
    if not database.exists():
        making = database.with_suffix(".making")
        for leftover in SCRATCH.glob(f"{making.name}*"):
            leftover.unlink()
        env = environment(f"sqlite:///{making}")
        print(f"load: making {database.name} (generate_demo, once)", flush=True)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "generate_demo", "--programs", str(programs), "--years", str(years))
        # Fold the write-ahead log in, so that the database is the one file renamed.
        import sqlite3

        with sqlite3.connect(making) as connection:
            connection.execute("PRAGMA journal_mode=DELETE")
        making.rename(database)
    url = f"sqlite:///{database}"
    env = environment(url)
    manage(env, "migrate", "--no-input", "-v0")  # a database made before newer migrations
    manage(env, "collectstatic", "--no-input", "-v0")
    return url


def prepare_server(url: str, programs: int, years: int) -> str:
    """A database server's: migrated, demo data made when it has no programs."""
    env = environment(url)
    manage(env, "migrate", "--no-input", "-v0")
    setup(url)
    from programs.models import Program

    if not Program.objects.exists():
        print(f"load: making demo data in {url.split('@')[-1]} (generate_demo)", flush=True)
        manage(env, "generate_demo", "--programs", str(programs), "--years", str(years))
    manage(env, "collectstatic", "--no-input", "-v0")
    return url


def setup(database: str) -> None:
    """Django in this process, on the database the server uses."""
    os.environ.update(environment(database))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sign_in(database: str, users: int) -> tuple[list[str], list[int]]:
    """Session cookies (`name=value`) of `users` budget-office users, and the program ids."""
    setup(database)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from programs import roles
    from programs.models import Program

    cookies = []
    for number in range(users):
        user, created = get_user_model().objects.get_or_create(username=f"load-{number:02d}")
        if created:
            roles.assign(user, roles.BUDGET_OFFICE)
        client = Client()
        client.force_login(user)
        morsel = client.cookies[settings.SESSION_COOKIE_NAME]
        cookies.append(f"{morsel.key}={morsel.value}")
    return cookies, list(Program.objects.values_list("pk", flat=True))


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    count: int = 0


def user_loop(
    port: int, cookie: str, programs: list[int], tally: Tally, deadline: float, budget: int
) -> None:
    rng = random.Random(cookie)
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": cookie, "Host": HOST}
    turn = rng.randrange(len(PAGES))
    while time.monotonic() < deadline:
        with tally.lock:
            if tally.count >= budget:
                return
            tally.count += 1
        page = PAGES[turn % len(PAGES)]
        turn += 1
        url = {
            "overview": "/",
            "list": "/programs/",
            "program page": f"/programs/{rng.choice(programs)}/",
            "admin changelist": "/admin/programs/programyear/",
        }[page]
        start = time.perf_counter()
        try:
            connection.request("GET", url, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            with tally.lock:
                tally.errors.append(f"{url}: {error!r}")
            continue
        elapsed = (time.perf_counter() - start) * 1000
        with tally.lock:
            if status == 200:
                tally.latencies[page].append(elapsed)
            else:
                tally.errors.append(f"{url}: HTTP {status}")
        if response.getheader("Connection", "").lower() == "close":
            connection.close()  # gunicorn's sync workers answer one request a connection


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    """Until gunicorn on `port` answers its sign-in page; SystemExit if it exits or is silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/accounts/login/", headers={"Host": HOST})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not answer within {seconds:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(tally: Tally, seconds: float) -> None:
    print(f"{'page':<18}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}")
    every = []
    for page in PAGES:
        values = tally.latencies[page]
        every += values
        if values:
            print(
                f"{page:<18}{len(values):>9}{len(values) / seconds:>8.1f}"
                f"{statistics.median(values):>9.1f}{percentile(values, 0.95):>9.1f}"
            )
    if every:
        print(
            f"{'all':<18}{len(every):>9}{len(every) / seconds:>8.1f}"
            f"{statistics.median(every):>9.1f}{percentile(every, 0.95):>9.1f}"
        )
    print(f"errors: {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"  {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--max-requests", type=int, default=200_000, help="a bound on the total")
    args = parser.parse_args()
    if not (1 <= args.users <= 200 and 0 < args.seconds <= 600):
        parser.error("--users 1..200 and --seconds up to 600")

    database = prepare_database(args.programs, args.years)
    cookies, programs = sign_in(database, args.users)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "budget_site.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(database),
    )
    try:
        wait_until_up(port, server)
        print(
            f"load: {args.users} signed-in users for {args.seconds:g} s against gunicorn "
            f"({args.workers} workers, {HOST}:{port}); {len(programs):,} programs x "
            f"{args.years} years, {database.split(':', 1)[0]}; {os.cpu_count()} cores",
            flush=True,
        )
        tally = Tally()
        start = time.monotonic()
        deadline = start + args.seconds
        threads = [
            threading.Thread(
                target=user_loop,
                args=(port, cookie, programs, tally, deadline, args.max_requests),
            )
            for cookie in cookies
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report(tally, time.monotonic() - start)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
