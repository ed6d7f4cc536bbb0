"""PDF reading: a bureau report of demo programs printed by Chromium, read back, in pages/s.

    .venv/bin/python bench/report_pdf.py                   # 300 demo programs: ~110 pages
    .venv/bin/python bench/report_pdf.py --programs 100 --rounds 5
    .venv/bin/python bench/report_pdf.py --reprint         # print the report again

It makes (once, then reuses) a scratch SQLite database of demo data with one year
(`generate_demo --programs N --years 1`, as bench/load.py makes it, under .make/), serves it with
gunicorn on 127.0.0.1, prints the report of the bureau with the most programs with Chromium
(Playwright, /usr/bin/chromium) as the report's 인쇄 button does, keeps the PDF under .make/
(printed once, then reused), and measures reading it with `manage.py bench_import --pdf`:
`programs.pdfs.read_pages` (pages/s by the clock and by processor time), then
`programs.books.read_parts` (read, split and parsed into documents), with the load average.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

from load import (
    HOST,
    ROOT,
    SCRATCH,
    environment,
    free_port,
    prepare_database,
    sign_in,
    wait_until_up,
)

CHROMIUM = Path("/usr/bin/chromium")


def bureau_url(database: str) -> str:
    """The report of the bureau with the most programs (Django is set up by `sign_in`)."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils.http import urlencode

    from programs.models import Department

    bureau = (
        Department.objects.values("bureau")
        .annotate(programs=Count("programs"))
        .order_by("-programs", "bureau")[0]["bureau"]
    )
    return f"{reverse('programs:bureau_report')}?{urlencode({'name': bureau})}"


def print_report(database: str, path: Path) -> None:
    """Serve the database and print its largest bureau report to `path`."""
    from playwright.sync_api import sync_playwright

    [cookie], _programs = sign_in(database, 1)
    name, value = cookie.split("=", 1)
    url = bureau_url(database)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            *(str(gunicorn), "budget_site.wsgi", "--workers", "1", "--bind", f"{HOST}:{port}"),
            *("--timeout", "600", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=environment(database),
    )
    try:
        wait_until_up(port, server)
        started = time.perf_counter()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(locale="ko-KR")
            context.add_cookies([{"name": name, "value": value, "url": f"http://{HOST}:{port}"}])
            tab = context.new_page()
            tab.set_default_timeout(600_000)
            response = tab.goto(f"http://{HOST}:{port}{url}", wait_until="load")
            if response.status != 200:
                raise SystemExit(f"{url}: HTTP {response.status}")
            path.write_bytes(tab.pdf(format="A4", print_background=True))
            browser.close()
        print(f"printed {url} to {path.name} in {time.perf_counter() - started:.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--programs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="readings of the PDF")
    parser.add_argument("--reprint", action="store_true", help="print the report again")
    args = parser.parse_args()
    SCRATCH.mkdir(exist_ok=True)
    path = SCRATCH / f"report-pdf-{args.programs}.pdf"
    if args.reprint or not path.exists():
        if not CHROMIUM.exists():
            raise SystemExit(f"{CHROMIUM} is not installed")
        database = prepare_database(args.programs, 1)
        print_report(database, path)
    # Reading touches no database: the demo one is named only for the settings.
    env = environment(f"sqlite:///{SCRATCH / f'load-{args.programs}x1.sqlite3'}")
    for _ in range(args.rounds):
        subprocess.run(
            [sys.executable, "manage.py", "bench_import", "--pdf", str(path)],
            cwd=ROOT,
            env=env,
            check=True,
        )


if __name__ == "__main__":
    main()
