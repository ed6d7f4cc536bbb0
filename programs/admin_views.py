"""The program years' own admin screens: import (and its jobs), history and restore.

Each view takes the `ProgramYearAdmin` it belongs to, for its permissions and its scoped
objects (a department editor reaches only their departments' years); `admin.py` wires them.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from . import history, imports, jobs, ocr, roles, store
from .documents import DocumentError, stored_document
from .forms import ConfirmImportForm, DocumentUploadForm
from .models import ImportJob, Program, ProgramYear, ScanPage

HISTORY_SHOWN = 100  # records on a year's history page, newest first


def _context(model_admin, request: HttpRequest, title: str, **values) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **values,
    }


# ---------------------------------------------------------------- import

PREVIEWS_SHOWN = 20  # documents previewed a page of a job's preview
# Files OCR may read: only a job of these looks for scanned pages (no query for the others).
SCANNABLE = (".pdf", *ocr.IMAGE_SUFFIXES)


def _may_import(model_admin, request: HttpRequest) -> None:
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied


def import_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Upload document files: a job reads them in the background (`programs.jobs`), its page
    shows the progress, then the preview to confirm."""
    _may_import(model_admin, request)
    if request.method == "POST" and "staged" in request.POST:
        return _confirm_import(request)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        uploads = [(upload.name, upload.read()) for upload in form.cleaned_data["file"]]
        job = jobs.create(request.user, uploads)
        return redirect("admin:programs_programyear_import_job", job.pk)
    context = _context(
        model_admin,
        request,
        gettext("사업설명서 가져오기"),
        form=form,
        jobs=jobs.recent(request.user),
    )
    return TemplateResponse(request, "admin/programs/programyear/import.html", context)


def job_view(model_admin, request: HttpRequest, job_id: int) -> HttpResponse:
    """An import job of the user's: its progress while it runs, then the preview of what was
    read, to confirm; a job cut off can be resumed, a refused one read again."""
    _may_import(model_admin, request)
    job = get_object_or_404(
        ImportJob.objects.select_related("staged"), pk=job_id, user=request.user
    )
    if request.method == "POST":
        if request.POST.get("action") == "resume" and (jobs.stalled(job) or jobs.waiting(job)):
            jobs.resume(job)
        elif request.POST.get("action") == "read_again" and job.status not in jobs.RUNNING:
            jobs.read_again(job)
        return redirect("admin:programs_programyear_import_job", job.pk)
    staged = job.staged and imports.staged(job.staged.pk)
    context = _context(
        model_admin,
        request,
        gettext("가져오기 작업 %s") % job.pk,
        job=job,
        files=list(job.files.values_list("name", "done")),
        results=job.results.select_related("year__program"),
        running=job.status in jobs.RUNNING and not jobs.stalled(job),
        stalled=jobs.stalled(job),
        waiting=jobs.waiting(job),
    )
    if job.status == ImportJob.Status.READ and staged:
        page = Paginator(staged.documents, PREVIEWS_SHOWN).get_page(request.GET.get("page"))
        context["page"] = page
        context["previews"] = imports.preview(list(page))
        if any(name.lower().endswith(SCANNABLE) for name, _done in context["files"]):
            shown = (page.start_index() - 1, page.end_index() - 1)
            pages = ScanPage.objects.filter(staged=staged, document__range=shown).defer("image")
            imports.point_at_scans(context["previews"], pages, shown[0])
        context["confirm"] = ConfirmImportForm(initial={"staged": staged.pk})
        context["expires"] = staged.expires
    elif job.status == ImportJob.Status.READ and job.staged_id:
        context["expired"] = True
    return TemplateResponse(request, "admin/programs/programyear/import_job.html", context)


def scan_view(
    model_admin, request: HttpRequest, job_id: int, page_id: int, line: int | None = None
) -> HttpResponse:
    """A page OCR read for one of the user's jobs, as PNG: whole, or the band around one of
    its lines with the line boxed."""
    _may_import(model_admin, request)
    page = get_object_or_404(
        ScanPage, pk=page_id, result__job_id=job_id, result__job__user=request.user
    )
    image = bytes(page.image) if line is None else imports.scan_strip(page, line)
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _confirm_import(request: HttpRequest) -> HttpResponse:
    staged = imports.staged(request.POST.get("staged"))
    job = staged and ImportJob.objects.filter(staged=staged).first()
    if job is None:
        messages.error(
            request,
            gettext("미리 본 가져오기가 없거나 기한이 지났습니다. 파일을 다시 올려 주십시오."),
        )
        return redirect("admin:programs_programyear_import")
    try:
        # The departments as they are now: the user's may have changed since the preview.
        imports.refuse_foreign(request.user, staged.documents)
        if staged.user_id != request.user.pk:
            raise DocumentError(gettext("다른 사람이 미리 본 가져오기입니다."))
    except DocumentError as error:
        messages.error(request, f"{staged.name}: {error}")
        return redirect("admin:programs_programyear_import")
    if job.status == ImportJob.Status.READ:
        jobs.confirm(job)
    return redirect("admin:programs_programyear_import_job", job.pk)


# ---------------------------------------------------------------- history


def history_view(
    model_admin, request: HttpRequest, object_id: str, extra_context: dict | None = None
) -> HttpResponse:
    """Every recorded change of the year, newest first, with what it changed."""
    year = model_admin.get_object(request, unquote(object_id))
    if not model_admin.has_view_or_change_permission(request, year):
        raise PermissionDenied
    records = list(
        ProgramYear.revisions.filter(id=year.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: HISTORY_SHOWN + 1]
    )
    can_restore = model_admin.has_change_permission(request, year)
    entries = []
    for index, record in enumerate(records[:HISTORY_SHOWN]):
        older = records[index + 1] if index + 1 < len(records) else None
        entries.append(
            {
                "record": record,
                "changes": history.changes(older.document, record.document) if older else [],
                "restore_url": reverse(
                    "admin:programs_programyear_restore", args=[year.pk, record.history_id]
                )
                if can_restore and index > 0 and record.history_type != store.DELETED
                else None,
            }
        )
    context = _context(
        model_admin,
        request,
        gettext("%s 변경 이력") % year,
        object=year,
        entries=entries,
        more=len(records) > HISTORY_SHOWN,
        **(extra_context or {}),
    )
    return TemplateResponse(request, "admin/programs/programyear/object_history.html", context)


def _foreign_program(request: HttpRequest, program_id: int) -> str:
    """The department of the program a restore would move the year into, when the user may
    not edit it ("" when they may, or when that program is gone: the year then stays)."""
    program = Program.objects.select_related("department").filter(pk=program_id).first()
    if program is None:
        return ""
    department = (program.department.bureau, program.department.name)
    return ", ".join(roles.foreign_departments(request.user, [department]))


def restore_view(
    model_admin, request: HttpRequest, object_id: str, history_id: int
) -> HttpResponse:
    """Confirm, then make the year again what an earlier record shows, sections included."""
    year = model_admin.get_object(request, unquote(object_id))
    if not model_admin.has_change_permission(request, year):
        raise PermissionDenied
    record = get_object_or_404(ProgramYear.revisions, id=year.pk, history_id=history_id)
    foreign = _foreign_program(request, record.program_id)
    if foreign:
        messages.error(
            request,
            gettext(
                "이 버전은 담당 부서가 아닌 %s의 사업에 속해 있어 되돌릴 수 없습니다."
                " 예산담당에게 요청해 주십시오."
            )
            % foreign,
        )
        return redirect("admin:programs_programyear_history", year.pk)
    if request.method == "POST":
        try:
            restored = store.restore(year, record, request.user)
        except DocumentError as error:
            messages.error(request, str(error))
            return redirect("admin:programs_programyear_history", year.pk)
        messages.success(
            request,
            gettext("버전 %(old)s의 내용으로 되돌렸습니다 (새 버전 %(new)s).")
            % {"old": record.version, "new": restored.version},
        )
        return redirect("admin:programs_programyear_change", year.pk)
    context = _context(
        model_admin,
        request,
        gettext("버전 %s(으)로 되돌리기") % record.version,
        object=year,
        record=record,
        changes=history.changes(stored_document(year.pk), record.document),
    )
    return TemplateResponse(request, "admin/programs/programyear/restore.html", context)
