"""Old import jobs go, with their uploaded files, results and page images: finished ones after
`IMPORT_JOBS_KEPT_DAYS`, read ones never confirmed once their preview has expired; a job
still queued, reading or storing never does."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from programs import imports, jobs
from programs.models import ImportFile, ImportJob, ImportResult, ScanPage, StagedImport

from .test_admin_import import URL
from .test_jobs import monkeypatch_tasks_off

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


def job(user, status: str, age: timedelta, staged: StagedImport | None = None) -> ImportJob:
    """A job of one file, one result and one kept page, last moved `age` ago."""
    made = ImportJob.objects.create(user=user, status=status, staged=staged)
    file = ImportFile.objects.create(job=made, position=0, name="스캔.png", data=b"png")
    result = ImportResult.objects.create(job=made, file=file, position=0, source="스캔.png")
    ScanPage.objects.create(
        result=result,
        number=1,
        first_line=1,
        image=b"png",
        width=1,
        height=1,
        skew=0,
        seconds=1,
        lines=[],
    )
    ImportJob.objects.filter(pk=made.pk).update(updated=timezone.now() - age)
    return made


@pytest.fixture
def kept_days(settings) -> int:
    settings.IMPORT_JOBS_KEPT_DAYS = 30
    return 30


def test_only_old_finished_jobs_and_expired_previews_go(admin_user, kept_days):
    old, young = (kept_days * DAY + MINUTE), (kept_days * DAY - MINUTE)
    expired = imports.LIFETIME + MINUTE
    staged = StagedImport.objects.create(
        user=admin_user, name="a", documents=[], versions=[], expires=timezone.now() - MINUTE
    )
    gone = [
        job(admin_user, Status.STORED, old),
        job(admin_user, Status.REFUSED, old),
        job(admin_user, Status.READ, expired, staged),
        job(admin_user, Status.READ, expired),  # nothing readable: no preview at all
    ]
    kept = [
        job(admin_user, Status.STORED, young),
        job(admin_user, Status.REFUSED, young),
        job(admin_user, Status.READ, imports.LIFETIME - MINUTE),  # its preview still shown
        # Running, however long ago they last moved (a stalled job is resumed, not lost).
        job(admin_user, Status.QUEUED, 10 * old),
        job(admin_user, Status.READING, 10 * old),
        job(admin_user, Status.STORING, 10 * old),
    ]
    assert jobs.purge() == len(gone)
    assert set(ImportJob.objects.all()) == set(kept)
    owners = {made.pk for made in kept}
    assert set(ImportFile.objects.values_list("job", flat=True)) == owners
    assert set(ImportResult.objects.values_list("job", flat=True)) == owners
    assert set(ScanPage.objects.values_list("result__job", flat=True)) == owners
    assert not StagedImport.objects.exists()


def test_the_days_kept_are_a_setting(admin_user, settings):
    settings.IMPORT_JOBS_KEPT_DAYS = 3
    stored = job(admin_user, Status.STORED, 4 * DAY)
    kept = job(admin_user, Status.STORED, 2 * DAY)
    jobs.purge()
    assert list(ImportJob.objects.all()) == [kept]
    assert not ImportJob.objects.filter(pk=stored.pk).exists()


def test_a_new_upload_clears_the_old_jobs(admin_client, admin_user, kept_days):
    old = job(admin_user, Status.STORED, (kept_days + 1) * DAY)
    with monkeypatch_tasks_off():
        admin_client.post(URL, {"file": [SimpleUploadedFile("a.txt", "없음\n".encode())]})
    [new] = ImportJob.objects.all()
    assert new.pk != old.pk and new.status == Status.QUEUED
