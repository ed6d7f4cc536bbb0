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
from programs.documents import MAX_COST_ITEMS, MAX_ROWS
from programs.models import Department, Program, ProgramYear
from programs.sources import read_file
from programs.store import store_documents

# What the admin's change page is measured on besides a demo year (issue 18): the first
# sample as imported, and the same document with every section at its import row limit.
SAMPLE = "samples/000_*.txt"
AT_THE_LIMITS = " (행 한도)"


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


def at_the_limits(document: dict) -> dict:
    """The document with every section as long as an import allows."""
    n = range(MAX_ROWS)
    officer = document["officers"][0]
    return document | {
        "officers": [officer | {"officer": f"주무관{i}"} for i in n],
        "budget_summary": [{"category": f"통계목 {i}", "prior": 1000, "current": 2000} for i in n],
        "cost_basis": [
            {
                "category": "민간위탁금",
                "items": [
                    {
                        "name": f"항목 {i}",
                        "amount_won": 2000,
                        "children": [{"name": f"하위 {i}", "amount_won": 2000, "children": []}],
                    }
                    for i in range(MAX_COST_ITEMS // 2)
                ],
            }
        ],
        "legal_basis": [{"name": f"조례 {i}", "articles": ["제1조"]} for i in n],
        "activities": [f"내용 {i}" for i in n],
        "history": [{"date": "2020-01", "text": f"경위 {i}"} for i in n],
        "contracts": [{"start": "2020-01-01", "end": "2020-12-31", "term_years": 1} for i in n],
        "schedule": [{"task": f"일정 {i}", "amount": 10} for i in n],
        "performance": [{"year": 2023, "text": f"실적 {i}"} for i in n],
        "expected_effects": [f"효과 {i}" for i in n],
        "settlements": [{"year": 1950 + i, "final_budget": 10, "executed": 5} for i in n],
    }


def sample_documents() -> list[dict]:
    """The sample as read from its text, and the same at the row limits under a title of its
    own (demo programs' titles end in their number)."""
    (document,) = read_file(next(settings.BASE_DIR.glob(SAMPLE)))
    return [document, at_the_limits(document) | {"title": document["title"] + AT_THE_LIMITS}]


def stored_years(documents: list[dict]) -> list[ProgramYear]:
    """Each document's year, stored the first time (through the store, as `import_documents`
    stores a file)."""
    years = []
    for document in documents:
        year = ProgramYear.objects.filter(
            program__title=document["title"], fiscal_year=document["fiscal_year"]
        ).first()
        years.append(year or store_documents([document])[0])
    return years


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
        parser.add_argument(
            "--pages",
            default="",
            help="이름에 이 글자가 든 화면만 잽니다 (예: admin); 가져오기 속도는 재지 않습니다",
        )

    def handle(
        self, *args, programs: int, years: int, repeat: int, documents: int, pages: str, **options
    ):
        samples = sample_documents()
        stored = Program.objects.exclude(title__in=[s["title"] for s in samples]).count()
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
        sample, limits = stored_years(samples)
        change = "/admin/programs/programyear/{}/change/"
        only = pages
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
            ("admin change page", change.format(year.pk)),
            ("admin change page, sample 000", change.format(sample.pk)),
            ("admin change page, row limits", change.format(limits.pk)),
            # its longest section opened (200 cost items), as the page fetches it
            ("admin section, row limits", change.format(limits.pk) + "?section=cost_items"),
        ]
        pages = [page for index, page in enumerate(pages) if not index or only in page[0]]
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
            results, processor = [], []
            for name, url in pages:
                start = time.process_time()
                results.append(time_page(client, name, url, repeat, prepare.get(name, bool)))
                # the warm-up and the counted request besides the timed ones
                processor.append((time.process_time() - start) * 1000 / (repeat + 2))
        floor = results[0].median_ms
        self.stdout.write(f"{machine()}; DEBUG={settings.DEBUG}")
        self.stdout.write(
            f"{programs:,} programs x {years} years, {repeat} requests a page after a warm-up"
        )
        self.stdout.write(
            f"{'page':<32}{'status':>7}{'median ms':>11}{'p95 ms':>9}{'cpu ms':>8}"
            f"{'queries':>9}{'x floor':>9}"
        )
        for r, cpu in zip(results, processor, strict=True):
            self.stdout.write(
                f"{r.name:<32}{r.status:>7}{r.median_ms:>11.1f}{r.p95_ms:>9.1f}{cpu:>8.1f}"
                f"{r.queries:>9}{r.median_ms / floor:>9.1f}"
            )
        # cpu ms: the process's processor time a request, the mean of the row's requests.
        self.stdout.write(f"load average {os.getloadavg()[0]:.2f}")
        if only:
            return
        rates = throughput(sample_texts(documents), rounds=3)
        self.stdout.write(
            f"parse+import: {rates.total:.1f} documents/s "
            f"(parse {rates.parse:.1f}/s, import {rates.store:.1f}/s; {documents} documents)"
        )
