"""The background tasks (Django's tasks framework; `manage.py db_worker` runs them): thin
wrappers of `programs.jobs`, which does the work and records it on the job."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from . import jobs
from .models import ImportJob

logger = logging.getLogger(__name__)


@task()
def read_import(job_id: int, attempt: int) -> None:
    _run(jobs.read, job_id, attempt)


@task()
def store_import(job_id: int, attempt: int) -> None:
    _run(jobs.store, job_id, attempt)


def _run(work, job_id: int, attempt: int) -> None:
    try:
        work(job_id, attempt)
    except jobs.Superseded:
        logger.info("import job %s: run %s superseded by a resumed run", job_id, attempt)
    except Exception:
        # The job says it stopped (the worker's log has the trace); it can be read again.
        message = _(
            "예상하지 못한 오류로 멈췄습니다. 다시 읽어 보시고, 계속되면 관리자에게 알려 주십시오."
        )
        ImportJob.objects.filter(pk=job_id, attempt=attempt).update(
            status=ImportJob.Status.REFUSED, message=message
        )
        raise
