"""Imports as background jobs: the uploaded files are kept with the job, read one document at a
time (`books.read_parts`) by a worker (`tasks`), each document's result recorded as it comes;
the readable ones are staged for the preview (`imports`), and stored all at once when confirmed.

A job cut off (its worker killed) keeps what it recorded and shows where it stopped; resumed, it
goes on from there. Storing is one transaction with the job's own "stored": nothing half-stored.
Jobs done with are deleted at the next upload (`purge`).
"""

import io
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from . import imports, ocr
from .books import Part, read_parts
from .documents import DocumentError
from .models import ImportFile, ImportJob, ImportResult, ProgramYear, ScanPage, StagedImport
from .planner import refresh_statistics

logger = logging.getLogger(__name__)

Status = ImportJob.Status
# A job whose task showed no sign of life for this long was cut off (a document is read in
# well under a second; a PDF reader reports each page).
STALLED_AFTER = timedelta(minutes=2)
FLUSH_EVERY = 0.5  # seconds between writes of progress and results: few writes, little lost
RUNNING = (Status.QUEUED, Status.READING, Status.STORING)
SHOWN = 10  # the user's recent jobs listed on the import page


class Superseded(Exception):
    """The job was resumed by another run: this one stops without writing."""


def create(user, uploads: list[tuple[str, bytes]]) -> ImportJob:
    """A job for these files (name, content), queued for a worker; the jobs nobody will look
    at again go first."""
    purge()
    with transaction.atomic():
        job = ImportJob.objects.create(user=user)
        ImportFile.objects.bulk_create(
            ImportFile(job=job, position=index, name=name, data=data)
            for index, (name, data) in enumerate(uploads)
        )
    _enqueue(job)
    return job


def purge() -> int:
    """Delete the jobs that are done with, their files, results and page images going with
    them: those stored or refused more than `IMPORT_JOBS_KEPT_DAYS` ago, and those read but
    never confirmed whose preview has expired (it expires `imports.LIFETIME` after the job
    was read); then the expired previews. A queued, reading or storing job is never deleted.
    How many jobs went."""
    now = timezone.now()
    finished = Q(
        status__in=(Status.STORED, Status.REFUSED),
        updated__lt=now - timedelta(days=settings.IMPORT_JOBS_KEPT_DAYS),
    )
    unconfirmed = Q(status=Status.READ, updated__lt=now - imports.LIFETIME)
    _deleted, by_model = ImportJob.objects.filter(finished | unconfirmed).delete()
    imports.clean_expired()
    return by_model.get(ImportJob._meta.label, 0)


def recent(user) -> list[ImportJob]:
    return list(ImportJob.objects.filter(user=user)[:SHOWN])


def stalled(job: ImportJob) -> bool:
    """Whether the job's task stopped without finishing (a worker killed, a restart)."""
    return job.status in (Status.READING, Status.STORING) and (
        job.updated < timezone.now() - STALLED_AFTER
    )


def waiting(job: ImportJob) -> bool:
    """Whether the job has waited long for a worker: none may be running."""
    return job.status == Status.QUEUED and job.updated < timezone.now() - STALLED_AFTER


def resume(job: ImportJob) -> None:
    """Run the job again from where it stopped: reading on from its last recorded document,
    or storing (which stored nothing when cut off). An earlier run still alive stops."""
    ImportJob.objects.filter(pk=job.pk).update(attempt=F("attempt") + 1, updated=timezone.now())
    job.refresh_from_db()
    _enqueue(job)


def read_again(job: ImportJob) -> None:
    """Read the job's files anew (after a refused or expired preview): a fresh preview."""
    with transaction.atomic():
        job.results.all().delete()
        job.files.update(done=False)
        if job.staged_id:
            StagedImport.objects.filter(pk=job.staged_id).delete()
        ImportJob.objects.filter(pk=job.pk).update(
            status=Status.QUEUED, staged=None, message="", step_done=0, step_total=0
        )
    resume(job)


def confirm(job: ImportJob) -> None:
    """Queue the storing of what the job's preview showed."""
    ImportJob.objects.filter(pk=job.pk).update(status=Status.STORING, updated=timezone.now())
    job.refresh_from_db()
    _enqueue(job)


def _enqueue(job: ImportJob) -> None:
    from . import tasks  # the tasks call back into this module

    task = tasks.store_import if job.status == Status.STORING else tasks.read_import
    task.enqueue(job.pk, job.attempt)


# ---------------------------------------------------------------- reading


def read(job_id: int, attempt: int) -> None:
    """Read the job's files document by document, then stage what was readable."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.attempt != attempt or job.status not in (Status.QUEUED, Status.READING):
        return
    recorder = _Recorder(job, attempt)
    recorder.write(status=Status.READING)
    for file_id in job.files.filter(done=False).values_list("pk", flat=True):
        file = ImportFile.objects.get(pk=file_id)
        recorded = file.results.count()
        recorder.step = (0, 0)
        for index, part in enumerate(read_parts(file.name, bytes(file.data), recorder.progress)):
            if index >= recorded:  # those before were recorded by an earlier run
                result = _result(job, file, index, part)
                recorder.add(result, part.scans if result.document is not None else [])
        recorder.flush(finished=file)
    _stage(job, recorder)


def _result(job: ImportJob, file: ImportFile, index: int, part: Part) -> ImportResult:
    """A document's result: read as the preview reads it, within the user's departments."""
    result = ImportResult(
        job=job, file=file, position=index, source=part.source[:255], pages=(part.pages or "")[:50]
    )
    if part.error is not None:
        result.error = part.error
        return result
    try:
        result.title, result.fiscal_year, result.replaces = imports.readable(
            part.document, job.user
        )
    except DocumentError as error:
        result.error = str(error)
        return result
    except Exception:
        # One document a reader trips on must not stop the others: say so, keep the trace.
        logger.exception("import job %s: %s", job.pk, part.source)
        result.error = _("읽는 중 예상하지 못한 오류가 났습니다 (서버 기록에 자세히 남았습니다)")
        return result
    result.document = part.document
    return result


def _scan_pages(result: ImportResult, pages: list[ocr.OcrPage]) -> list[ScanPage]:
    """The pages OCR read a document from, to be kept with its result."""
    kept, first_line = [], 1
    for page in pages:
        width, height = Image.open(io.BytesIO(page.image)).size
        lines = [_box(line.words) for line in page.lines]
        kept.append(
            ScanPage(
                result=result,
                number=page.number,
                first_line=first_line,
                image=page.image,
                width=width,
                height=height,
                skew=page.skew,
                seconds=round(page.seconds, 2),
                lines=lines,
            )
        )
        first_line += len(page.lines)
    return kept


def _box(words: list[ocr.Word]) -> list[float]:
    """A printed line's box around its words, and its least sure word's confidence."""
    if not words:
        return [0, 0, 0, 0, 100.0]
    return [
        min(word.left for word in words),
        min(word.top for word in words),
        max(word.right for word in words),
        max(word.bottom for word in words),
        round(min(word.confidence for word in words), 1),
    ]


class _Recorder:
    """Writes a run's progress and results now and then, each write one transaction, and only
    while the run is the job's current one."""

    def __init__(self, job: ImportJob, attempt: int):
        self.job, self.attempt = job, attempt
        self.pending: list[ImportResult] = []
        self.scans: list[ScanPage] = []
        self.step = (0, 0)
        self.written = time.monotonic()

    def progress(self, done: int, total: int) -> None:
        self.step = (done, total)
        if time.monotonic() - self.written > FLUSH_EVERY:
            self.flush()

    def add(self, result: ImportResult, scans: list[ocr.OcrPage]) -> None:
        self.pending.append(result)
        self.scans += _scan_pages(result, scans)
        if time.monotonic() - self.written > FLUSH_EVERY:
            self.flush()

    def flush(self, finished: ImportFile | None = None) -> None:
        with transaction.atomic():
            self.write(step_done=self.step[0], step_total=self.step[1])
            ImportResult.objects.bulk_create(self.pending)
            ScanPage.objects.bulk_create(self.scans)  # after their results: those have pks now
            if finished:
                ImportFile.objects.filter(pk=finished.pk).update(done=True)
        self.pending, self.scans = [], []
        self.written = time.monotonic()

    def write(self, **fields) -> None:
        mine = ImportJob.objects.filter(pk=self.job.pk, attempt=self.attempt)
        if not mine.update(updated=timezone.now(), **fields):
            raise Superseded


def _stage(job: ImportJob, recorder: _Recorder) -> None:
    readable = list(job.results.filter(document__isnull=False))
    names = list(job.files.values_list("name", flat=True))
    with transaction.atomic():
        staged = None
        if readable:
            staged = imports.stage(
                job.user,
                name_of(names),
                [result.document for result in readable],
                [result.replaces for result in readable],
            )
            _preview_scans(job, staged, readable)
        refused = job.results.count() - len(readable)
        message = _("%(read)s건 읽음, %(refused)s건 읽지 못함") % {
            "read": len(readable),
            "refused": refused,
        }
        recorder.write(status=Status.READ, staged=staged, message=message)


def _preview_scans(job: ImportJob, staged: StagedImport, readable: list[ImportResult]) -> None:
    """Tie the kept pages to the preview: they go with it, found by their document's place."""
    scanned = set(ScanPage.objects.filter(result__job=job).values_list("result_id", flat=True))
    for index, result in enumerate(readable):
        if result.pk in scanned:
            ScanPage.objects.filter(result=result).update(staged=staged, document=index)


def name_of(names: list[str]) -> str:
    """The job's files in a word: the history's reason of what it stores."""
    first = names[0][:200] if names else ""
    if len(names) > 1:
        return _("%(first)s 외 %(more)s개 파일") % {"first": first, "more": len(names) - 1}
    return first


# ---------------------------------------------------------------- storing


def store(job_id: int, attempt: int) -> None:
    """Store what the job's preview showed, as `imports.confirm` does, and mark the job
    stored in the same transaction; refused (a year changed since), nothing is stored."""
    job = ImportJob.objects.select_related("user", "staged").get(pk=job_id)
    if job.attempt != attempt or job.status != Status.STORING:
        return
    recorder = _Recorder(job, attempt)
    if job.staged is None:
        message = _("미리 본 가져오기가 없거나 기한이 지났습니다. 다시 읽어 주십시오.")
        recorder.write(status=Status.REFUSED, message=message)
        return
    staged_pk, name = job.staged.pk, job.staged.name
    try:
        with transaction.atomic():
            years = imports.confirm(job.staged, job.user)
            readable = list(job.results.filter(document__isnull=False))
            for result, stored in zip(readable, years, strict=True):
                result.year = stored if isinstance(stored, ProgramYear) else None
            ImportResult.objects.bulk_update(readable, ["year"])
            message = _("%(count)s건 저장했습니다") % {"count": len(years)}
            recorder.write(status=Status.STORED, message=message)
    except DocumentError as error:
        StagedImport.objects.filter(pk=staged_pk).delete()
        recorder.write(status=Status.REFUSED, message=f"{name}: {error}")
        return
    refresh_statistics()  # the tables may have grown much
