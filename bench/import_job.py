"""An import job of many documents through the real worker: time to the staged preview, then to
stored.

    .venv/bin/python bench/import_job.py                  # 500 demo documents as one file
    .venv/bin/python bench/import_job.py --documents 100
    .venv/bin/python bench/import_job.py --text          # a text book of 500 sample variants

It exports demo data (`generate_demo`, `export_documents`) into one JSON file under .make/
(once, then reuses it), queues it as one import job in a fresh scratch SQLite database as the
admin's upload does, runs `manage.py db_worker --batch` (read and stage), confirms, and runs it
again (store). Worker start-up is counted; the load average is printed beside the times.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".make"


def environment(database: Path) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "budget_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "k3y" * 12,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{database}",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return done.stdout.decode()


def exported(documents: int) -> Path:
    """The demo documents as one JSON file, made once."""
    path = SCRATCH / f"job-{documents}.json"
    if not path.exists():
        source = SCRATCH / f"job-{documents}-source.sqlite3"
        source.unlink(missing_ok=True)
        env = environment(source)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "generate_demo", "--programs", str(documents), "--years", "1")
        manage(env, "export_documents", "-o", str(path))
        source.unlink()
    return path


def text_book(documents: int) -> Path:
    """The samples' texts under titles of their own, one after another (pages apart) in one
    text: a book, split and parsed by the job."""
    path = SCRATCH / f"book-{documents}.txt"
    env = environment(SCRATCH / "job-bench.sqlite3")
    write = (
        "from programs.benchmarks import sample_texts;"
        f"open({str(path)!r}, 'w', encoding='utf-8').write('\\f'.join(sample_texts({documents})))"
    )
    manage(env, "shell", "-v", "0", "-c", write)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--text", action="store_true", help="a text book of sample variants")
    arguments = parser.parse_args()
    SCRATCH.mkdir(exist_ok=True)
    path = text_book(arguments.documents) if arguments.text else exported(arguments.documents)
    database = SCRATCH / "job-bench.sqlite3"
    for stale in SCRATCH.glob("job-bench.sqlite3*"):
        stale.unlink()
    env = environment(database)
    manage(env, "migrate", "--no-input", "-v", "0")
    queue = (
        "from django.contrib.auth import get_user_model; from programs import jobs;"
        "user = get_user_model().objects.create_superuser('bench', '', 'x');"
        f"jobs.create(user, [({path.name!r}, open({str(path)!r}, 'rb').read())])"
    )
    confirm = "from programs import jobs; from programs.models import ImportJob;" + (
        "jobs.confirm(ImportJob.objects.get())"
    )
    show = "from programs.models import ImportJob; print(ImportJob.objects.get().message)"
    worker = ("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0")

    start = time.perf_counter()
    manage(env, "shell", "-v", "0", "-c", queue)
    manage(env, *worker, "-v", "0")
    read = time.perf_counter() - start
    print(f"{path.name}: {manage(env, 'shell', '-v', '0', '-c', show).strip()}")
    print(f"upload to staged preview: {read:.1f} s (load {os.getloadavg()[0]:.1f})")
    start = time.perf_counter()
    manage(env, "shell", "-v", "0", "-c", confirm)
    manage(env, *worker, "-v", "0")
    stored = time.perf_counter() - start
    print(f"{manage(env, 'shell', '-v', '0', '-c', show).strip()}")
    print(f"confirm to stored: {stored:.1f} s (load {os.getloadavg()[0]:.1f})")
    print(f"whole import: {read + stored:.1f} s")


if __name__ == "__main__":
    main()
