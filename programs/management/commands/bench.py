"""Benchmark every main page at a data size, against a minimal view, and the import."""

import datetime
import os
import platform
import sqlite3
import time
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from programs.benchmarks import sample_texts, throughput, time_page
from programs.demo import generate
from programs.models import Department, Program, ProgramYear


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text(encoding="utf-8").splitlines() if cpuinfo.exists() else []
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    cpu = models[0] if models else platform.processor()
    return (
        f"{os.cpu_count()} cores, {cpu}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {settings.DATABASES['default']['ENGINE']}"
    )


class NextDay:
    """A date a day later at each call: what `today` is for a request made each day."""

    def __init__(self):
        self.day = timezone.localdate()

    def __call__(self) -> None:
        self.day += datetime.timedelta(days=1)

    def today(self) -> datetime.date:
        return self.day


class Command(BaseCommand):
    help = (
        "데모 자료(사업 N개 × Y년)로 주요 화면의 서버 시간(중앙값, p95)과 쿼리 수, "
        "최소 화면 대비 배수, 문서 읽기·가져오기 속도를 잽니다. 빈 데이터베이스에서 실행하십시오."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programs", type=int, default=500)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--documents", type=int, default=300, help="가져오기 측정 문서 수")

    def handle(self, *args, programs: int, years: int, repeat: int, documents: int, **options):
        stored = Program.objects.count()
        if stored and stored != programs:
            raise CommandError(f"사업이 {stored}개 있습니다: 빈 데이터베이스에서 실행하십시오")
        if not stored:
            start = time.perf_counter()
            stats = generate(programs, years, seed=1)
            self.stdout.write(
                f"generate_demo: {stats['years']:,} program years, {stats['rows']:,} rows "
                f"in {time.perf_counter() - start:.1f} s"
            )
        client = Client()
        user, _created = get_user_model().objects.get_or_create(
            username="bench", defaults={"is_staff": True, "is_superuser": True}
        )
        client.force_login(user)
        year = ProgramYear.objects.order_by("-fiscal_year", "pk").first()
        department = Department.objects.filter(programs__years=year).first()
        pages = [
            ("floor (minimal view)", "/bench/floor/"),
            ("overview", "/"),
            ("list", "/programs/"),
            ("list sorted by change", "/programs/?sort=-change"),
            ("list filtered", f"/programs/?bureau={quote(department.bureau)}&q=지원"),
            ("list page 50", "/programs/?year=&page=50"),
            ("contract register", "/contracts/"),
            ("contracts, ending=12", "/contracts/?ending=12&sort=title"),
            ("program page", f"/programs/{year.program_id}/"),
            ("program report", f"/programs/{year.program_id}/report/"),
            ("compare page", f"/programs/{year.program_id}/compare/"),
            ("department report", f"/reports/department/{department.pk}/"),
            # as on a day's first request: no program document rendered yet
            ("department report, cold", f"/reports/department/{department.pk}/"),
            # each request a day after the one before: a day's first request, its documents
            # cached the day before (issue 18)
            ("department report +1 day", f"/reports/department/{department.pk}/"),
            ("admin changelist", "/admin/programs/programyear/"),
            ("admin change page", f"/admin/programs/programyear/{year.pk}/change/"),
        ]
        next_day = NextDay()
        prepare = {
            "department report, cold": caches["sheets"].clear,
            "department report +1 day": next_day,
        }
        # The pages' today, a day later at each request of the next-day row alone.
        with (
            override_settings(ROOT_URLCONF="programs.benchmarks"),
            mock.patch("programs.views.timezone.localdate", next_day.today),
        ):
            results = [
                time_page(client, name, url, repeat, prepare=prepare.get(name, bool))
                for name, url in pages
            ]
        floor = results[0].median_ms
        self.stdout.write(f"{machine()}; DEBUG={settings.DEBUG}")
        self.stdout.write(
            f"{programs:,} programs x {years} years, {repeat} requests a page after a warm-up"
        )
        self.stdout.write(
            f"{'page':<24}{'status':>7}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'x floor':>9}"
        )
        for r in results:
            self.stdout.write(
                f"{r.name:<24}{r.status:>7}{r.median_ms:>11.1f}{r.p95_ms:>9.1f}"
                f"{r.queries:>9}{r.median_ms / floor:>9.1f}"
            )
        rates = throughput(sample_texts(documents), rounds=3)
        self.stdout.write(
            f"parse+import: {rates.total:.1f} documents/s "
            f"(parse {rates.parse:.1f}/s, import {rates.store:.1f}/s; {documents} documents)"
        )
