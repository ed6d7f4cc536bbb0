"""A gunicorn worker's memory after N requests of the main pages (loopback only, bounded).

Run it against a database with data (e.g. `make bench-pages` leaves one in .make/):
    DATABASE_URL=sqlite:///.make/bench-5000x5.sqlite3 .venv/bin/python bench/memory.py
It starts one gunicorn worker on 127.0.0.1, signs in through a session made here, requests
the overview, list, program pages, admin change pages and department reports in turn, and
prints the worker's resident memory before and after.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budget_site.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"  # plain HTTP on loopback

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from programs.models import Department, ProgramYear  # noqa: E402


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
    return int(kilobytes) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8391)
    args = parser.parse_args()

    user, _created = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    latest = ProgramYear.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)
    years = list(
        ProgramYear.objects.filter(fiscal_year=latest[0]).values_list("program_id", "pk")[:100]
    )
    urls = ["/", "/programs/", "/programs/?sort=-change", "/admin/programs/programyear/"]
    urls += [f"/programs/{program}/" for program, _pk in years]
    urls += [f"/admin/programs/programyear/{pk}/change/" for _program, pk in years[:50]]
    # ten departments' reports: ~950 program documents in the worker's cache (bounded at 1,000)
    departments = Department.objects.order_by("pk").values_list("pk", flat=True)[:10]
    urls += [f"/reports/department/{pk}/" for pk in departments]

    pidfile = Path(f"/tmp/budget-site-memory-{args.port}.pid")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "budget_site.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--pid",
            str(pidfile),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if pidfile.exists():
                break
            time.sleep(0.1)
        time.sleep(1)
        master = pidfile.read_text().strip()
        worker = int(subprocess.check_output(["pgrep", "-P", master]).split()[0])
        start = rss_mb(worker)
        errors = 0
        for index in range(args.requests):
            url = f"http://127.0.0.1:{args.port}{urls[index % len(urls)]}"
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
            except OSError:
                errors += 1
        print(
            f"gunicorn worker: {start:.0f} MB at start, {rss_mb(worker):.0f} MB after "
            f"{args.requests} requests ({errors} errors)"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
