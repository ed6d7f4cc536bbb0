"""Imports as background jobs: the upload queues a job, a worker (`manage.py db_worker`) reads
it document by document, the job's page shows progress and results, then the preview to
confirm; a failing document stops no other, a job cut off resumes, nothing is half-stored."""

import copy
import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from programs import jobs, roles
from programs.benchmarks import sample_texts
from programs.books import read_parts
from programs.models import Department, ImportJob, ImportResult, ProgramYear

from .test_admin_import import SAMPLE_TEXT, URL, confirm_data

pytestmark = pytest.mark.django_db


def job_url(job: ImportJob) -> str:
    return reverse("admin:programs_programyear_import_job", args=[job.pk])


def json_file(name: str, content: object) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(content, ensure_ascii=False).encode())


def titled(document: dict, title: str) -> dict:
    document = copy.deepcopy(document)
    document["title"] = title
    return document


@pytest.fixture
def real_worker(settings):
    """Tasks go to the database queue; `work()` runs the worker command until it is empty."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def work() -> None:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0
        )

    return work


class Killed(BaseException):
    """A worker killed mid-task: nothing of the task's own handling runs."""


def stall(job: ImportJob) -> None:
    """Let the job look as long cut off as a killed worker's job does."""
    ImportJob.objects.filter(pk=job.pk).update(
        updated=timezone.now() - jobs.STALLED_AFTER - timedelta(seconds=1)
    )


# ---------------------------------------------------------------- through the real worker


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_the_files_then_stores_what_was_confirmed(
    admin_client, real_worker, sample_document
):
    files = [
        json_file("a.json", sample_document),
        SimpleUploadedFile("memo.txt", "회의록\n참석자: 홍길동\n".encode()),
        json_file("b.json", titled(sample_document, "둘째 사업")),
    ]
    response = admin_client.post(URL, {"file": files})
    job = ImportJob.objects.get()
    assert response["Location"] == job_url(job)
    page = admin_client.get(job_url(job)).content.decode()
    assert "대기 중" in page
    assert '<meta http-equiv="refresh" content="2">' in page  # it refreshes while it runs

    real_worker()
    job.refresh_from_db()
    assert (job.status, job.message) == (ImportJob.Status.READ, "2건 읽음, 1건 읽지 못함")
    assert [(r.source, r.title, r.error[:11]) for r in job.results.all()] == [
        ("a.json", "사회적경제지원센터 운영", ""),
        ("memo.txt", "", "사업설명서가 아닙니다"),
        ("b.json", "둘째 사업", ""),
    ]
    page = admin_client.get(job_url(job)).content.decode()
    assert "refresh" not in page
    assert "memo.txt: 사업설명서가 아닙니다" in page
    assert page.count('class="module import-preview"') == 2
    assert ProgramYear.objects.count() == 0  # read and previewed, nothing stored

    response = admin_client.post(URL, confirm_data(page))
    assert response["Location"] == job_url(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.STORING
    assert ProgramYear.objects.count() == 0
    real_worker()
    job.refresh_from_db()
    assert (job.status, job.message) == (ImportJob.Status.STORED, "2건 저장했습니다")
    stored = sorted(ProgramYear.objects.values_list("program__title", flat=True))
    assert stored == ["둘째 사업", "사회적경제지원센터 운영"]
    page = admin_client.get(job_url(job)).content.decode()
    for year in ProgramYear.objects.all():
        assert reverse("admin:programs_programyear_change", args=[year.pk]) in page
    record = ProgramYear.revisions.filter(program__title="둘째 사업").get()
    assert record.history_change_reason == "가져오기: a.json 외 2개 파일"


@pytest.mark.django_db(transaction=True)
def test_a_job_cut_off_while_reading_says_where_and_resumes_from_there(
    admin_client, real_worker, sample_document, monkeypatch
):
    documents = [titled(sample_document, f"사업 {index}") for index in range(5)]
    admin_client.post(URL, {"file": [json_file("book.json", documents)]})
    job = ImportJob.objects.get()

    def killed_after_three(name, data, progress=None):
        for index, part in enumerate(read_parts(name, data, progress)):
            if index == 3:
                raise Killed
            yield part

    monkeypatch.setattr(jobs, "FLUSH_EVERY", 0)  # each result written as it comes
    monkeypatch.setattr(jobs, "read_parts", killed_after_three)
    real_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READING
    assert job.results.count() == 3
    stall(job)
    page = admin_client.get(job_url(job)).content.decode()
    assert "중단됨 - 3건까지 읽음" in page
    assert 'value="resume"' in page

    monkeypatch.setattr(jobs, "read_parts", read_parts)
    admin_client.post(job_url(job), {"action": "resume"})
    real_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READ
    assert list(job.results.values_list("position", "title")) == [
        (index, f"사업 {index}") for index in range(5)
    ]
    assert [document["title"] for document in job.staged.documents] == [
        f"사업 {index}" for index in range(5)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_job_cut_off_while_storing_stored_nothing_and_stores_all_when_resumed(
    admin_client, real_worker, sample_document, monkeypatch
):
    documents = [titled(sample_document, f"사업 {index}") for index in range(3)]
    admin_client.post(URL, {"file": [json_file("book.json", documents)]})
    real_worker()
    job = ImportJob.objects.get()
    admin_client.post(URL, confirm_data(admin_client.get(job_url(job)).content.decode()))

    from programs import store

    original = store._write_sections

    def killed_while_writing(*args, **kwargs):
        # The years are written by now; their sections and history would come next.
        assert ProgramYear.objects.count() == 3
        raise Killed

    monkeypatch.setattr(store, "_write_sections", killed_while_writing)
    real_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.STORING
    assert ProgramYear.objects.count() == 0  # written, and rolled back with the rest
    stall(job)
    page = admin_client.get(job_url(job)).content.decode()
    assert "중단됨 - 저장하는 중에 멈췄습니다. 아무것도 저장되지 않았습니다." in page

    monkeypatch.setattr(store, "_write_sections", original)
    admin_client.post(job_url(job), {"action": "resume"})
    real_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.STORED
    assert ProgramYear.objects.count() == 3
    assert ImportResult.objects.filter(year__isnull=False).count() == 3


# ---------------------------------------------------------------- progress and results


def test_progress_and_results_are_written_as_documents_are_read(
    admin_client, sample_document, monkeypatch
):
    seen = []

    def watched(name, data, progress=None):
        for part in read_parts(name, data, progress):
            job = ImportJob.objects.get()
            seen.append((job.status, job.results.count(), job.step_done, job.step_total))
            yield part

    monkeypatch.setattr(jobs, "FLUSH_EVERY", 0)
    monkeypatch.setattr(jobs, "read_parts", watched)
    documents = [titled(sample_document, f"사업 {index}") for index in range(3)]
    admin_client.post(URL, {"file": [json_file("book.json", documents)]})
    # Before each document is recorded: those before it are, with the reader's progress.
    assert seen == [("reading", 0, 1, 3), ("reading", 1, 2, 3), ("reading", 2, 3, 3)]


def test_the_page_of_a_running_job_shows_how_far_it_is(admin_client, sample_document):
    with monkeypatch_tasks_off():
        admin_client.post(URL, {"file": [json_file("book.json", [sample_document] * 4)]})
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.READING, step_done=2, step_total=4
    )
    file = job.files.get()
    ImportResult.objects.create(job=job, file=file, position=0, source="book.json[0]")
    ImportResult.objects.create(
        job=job, file=file, position=1, source="book.json[1]", error="값이 없습니다"
    )
    page = admin_client.get(job_url(job)).content.decode()
    assert "읽는 중" in page
    assert "문서 2건 읽음" in page
    assert "읽는 파일 2/4" in page
    assert '<progress value="2" max="4">' in page
    assert "book.json[1]: 값이 없습니다" in page
    assert '<meta http-equiv="refresh" content="2">' in page


class monkeypatch_tasks_off:
    """Queue a job without running it (as when no worker runs yet)."""

    def __enter__(self):
        self.original = jobs._enqueue
        jobs._enqueue = lambda job: None

    def __exit__(self, *exc):
        jobs._enqueue = self.original


def test_a_job_no_worker_took_says_so_and_can_be_queued_again(admin_client, sample_document):
    with monkeypatch_tasks_off():
        admin_client.post(URL, {"file": [json_file("a.json", sample_document)]})
    job = ImportJob.objects.get()
    assert "작업 처리기" not in admin_client.get(job_url(job)).content.decode()
    stall(job)
    page = admin_client.get(job_url(job)).content.decode()
    assert "작업 처리기(manage.py db_worker)가 실행 중인지 확인하십시오" in page
    admin_client.post(job_url(job), {"action": "resume"})
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportJob.Status.READ, 2)


def test_a_failing_document_does_not_stop_the_others(admin_client, sample_document):
    broken = copy.deepcopy(sample_document)
    del broken["title"]
    files = [
        json_file("list.json", [sample_document, broken, titled(sample_document, "셋째")]),
        json_file("bad.json", {"format": "budget-program-document/1"}),
        SimpleUploadedFile("000.txt", SAMPLE_TEXT.read_bytes()),
    ]
    page = admin_client.post(URL, {"file": files}, follow=True).content.decode()
    job = ImportJob.objects.get()
    assert [(r.source, bool(r.document)) for r in job.results.all()] == [
        ("list.json[0]", True),
        ("list.json[1]", False),
        ("list.json[2]", True),
        ("bad.json", False),
        ("000.txt", True),
    ]
    assert "list.json[1]: title: 값이 없습니다" in page
    assert "bad.json: title: 값이 없습니다" in page
    assert job.message == "3건 읽음, 2건 읽지 못함"
    assert len(job.staged.documents) == 3


def test_a_job_that_read_nothing_offers_nothing_to_store(admin_client):
    memo = SimpleUploadedFile("memo.txt", "회의록\n".encode())
    page = admin_client.post(URL, {"file": [memo]}, follow=True).content.decode()
    assert "저장할 수 있는 문서가 없습니다." in page
    assert 'name="staged"' not in page


def test_a_long_preview_is_shown_a_page_at_a_time(admin_client, sample_document):
    documents = [titled(sample_document, f"사업 {index:02d}") for index in range(25)]
    page = admin_client.post(URL, {"file": [json_file("book.json", documents)]}, follow=True)
    first = page.content.decode()
    assert first.count('class="module import-preview"') == 20
    assert "(1–20건째)" in first
    job = ImportJob.objects.get()
    second = admin_client.get(job_url(job) + "?page=2").content.decode()
    assert second.count('class="module import-preview"') == 5
    assert "사업 24 (2024)" in second
    assert confirm_data(first) == confirm_data(second)  # one confirmation stores all 25
    admin_client.post(URL, confirm_data(second))
    assert ProgramYear.objects.count() == 25


def test_a_refused_confirmation_can_be_read_again(admin_client, sample_document):
    page = admin_client.post(
        URL, {"file": [json_file("a.json", sample_document)]}, follow=True
    ).content.decode()
    from programs.store import store_documents

    store_documents([titled(sample_document, sample_document["title"])])  # someone else's
    page = admin_client.post(URL, confirm_data(page), follow=True).content.decode()
    assert "미리 본 뒤 다른 사람이 저장했습니다" in page
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED
    admin_client.post(job_url(job), {"action": "read_again"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READ
    assert job.results.get().replaces == {"pk": ProgramYear.objects.get().pk, "version": 1}


# ---------------------------------------------------------------- who sees what


def test_a_job_is_seen_only_by_the_one_who_started_it(
    admin_client, client, sample_document, django_user_model
):
    admin_client.post(URL, {"file": [json_file("a.json", sample_document)]})
    job = ImportJob.objects.get()
    other = django_user_model.objects.create_superuser("other", "", "x")
    client.force_login(other)
    assert client.get(job_url(job)).status_code == 404
    assert client.post(job_url(job), {"action": "read_again"}).status_code == 404
    assert f'href="{job_url(job)}"' not in client.get(URL).content.decode()
    assert f'href="{job_url(job)}"' in admin_client.get(URL).content.decode()


def test_an_editors_job_reads_only_their_departments_documents(
    client, sample_document, django_user_model
):
    editor = django_user_model.objects.create_user("editor")
    bureau, name = sample_document["officers"][0]["bureau"], "다른 부서"
    roles.assign(editor, roles.EDITOR, [Department.objects.create(bureau=bureau, name=name)])
    client.force_login(editor)
    own = copy.deepcopy(sample_document)
    own["officers"][0]["department"] = name
    own["program"] = {**own.get("program", {}), "department": name} if "program" in own else None
    if own["program"] is None:
        del own["program"]
    files = [json_file("own.json", own), json_file("foreign.json", sample_document)]
    page = client.post(URL, {"file": files}, follow=True).content.decode()
    assert "foreign.json: 담당 부서가 아닌 부서의 문서는 가져올 수 없습니다" in page
    job = ImportJob.objects.get()
    assert [r.source for r in job.results.filter(document__isnull=False)] == ["own.json"]
    client.post(URL, confirm_data(page))
    assert list(ProgramYear.objects.values_list("program__department__name", flat=True)) == [name]


def test_a_viewer_has_no_job_page(client, admin_user, sample_document, django_user_model):
    client.force_login(admin_user)
    client.post(URL, {"file": [json_file("a.json", sample_document)]})
    job = ImportJob.objects.get()
    viewer = django_user_model.objects.create_user("viewer")
    roles.assign(viewer, roles.VIEWER)
    client.force_login(viewer)
    assert client.get(job_url(job)).status_code == 403


def test_several_files_are_one_upload(admin_client, sample_document):
    files = [json_file(f"{index}.json", titled(sample_document, str(index))) for index in range(3)]
    response = admin_client.post(URL, {"file": files})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert list(job.files.values_list("name", flat=True)) == ["0.json", "1.json", "2.json"]
    assert re.search(
        r'<input type="file" name="file" multiple', admin_client.get(URL).content.decode()
    )


# ---------------------------------------------------------------- a worker process killed


BOOK = 400  # documents of the book the killed worker reads


def test_a_worker_process_killed_mid_job_leaves_a_job_that_resumes(tmp_path):
    """The worker as production runs it, a process on a database file, killed (SIGKILL)."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time
    from pathlib import Path

    from .conftest import ROOT

    def alive(pid: int) -> bool:
        status = Path(f"/proc/{pid}/status")
        try:
            return "\tZ" not in status.read_text().split("State:")[1].split("\n")[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return False

    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args: str) -> str:
        done = subprocess.run(
            [*manage, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        return done.stdout

    def shell(code: str) -> str:
        return run("shell", "-v", "0", "-c", code)

    # A text book, each document parsed as it is read: long enough (seconds) that the worker
    # is killed between two writes of its results, well before the end.
    book = tmp_path / "book.txt"
    book.write_text("\f".join(sample_texts(BOOK)), encoding="utf-8")
    run("migrate", "-v", "0")
    shell(
        "from django.contrib.auth import get_user_model; from programs import jobs;"
        "user = get_user_model().objects.create_superuser('a', '', 'x');"
        f"jobs.create(user, [('book.txt', open({str(book)!r}, 'rb').read())])"
    )

    def recorded() -> int:
        with sqlite3.connect(database) as connection:
            return connection.execute("select count(*) from programs_importresult").fetchone()[0]

    worker = subprocess.Popen(
        [*manage, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while recorded() < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        # The processes it parses on (Linux lists a process's children in /proc).
        children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
        parsers = children.read_text().split() if children.exists() else []
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    cut_off = recorded()
    assert parsers, "the book is parsed on processes of its own"
    deadline = time.monotonic() + 10
    while any(alive(int(pid)) for pid in parsers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(int(pid)) for pid in parsers), "its parsing processes outlive it"
    assert 10 <= cut_off < BOOK

    shown = shell(
        "from datetime import timedelta; from django.utils import timezone;"
        "from programs import jobs; from programs.models import ImportJob;"
        "ImportJob.objects.update(updated=timezone.now() - timedelta(hours=1));"
        "job = ImportJob.objects.get(); print(job.status, jobs.stalled(job)); jobs.resume(job)"
    )
    assert shown.split() == ["reading", "True"]
    run("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", "-v", "0")
    shown = shell(
        "from programs.models import ImportJob; job = ImportJob.objects.get();"
        "print(job.status, job.results.count(), len(job.staged.documents),"
        " len(set(job.results.values_list('position', flat=True))))"
    )
    assert shown.split() == ["read", *[str(BOOK)] * 3]
