"""The program years' own admin screens: import, history and restore.

Each view takes the `ProgramYearAdmin` it belongs to, for its permissions and its scoped
objects (a department editor reaches only their departments' years); `admin.py` wires them.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from . import history, imports, roles, store
from .documents import DocumentError, document_department, stored_document
from .forms import ConfirmImportForm, DocumentUploadForm
from .models import Program, ProgramYear
from .sources import read_documents

HISTORY_SHOWN = 100  # records on a year's history page, newest first


def _context(model_admin, request: HttpRequest, title: str, **values) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **values,
    }


# ---------------------------------------------------------------- import


def _refuse_foreign(request: HttpRequest, documents: list) -> None:
    """Raise DocumentError when the user may not import into a department of these documents."""
    departments = dict.fromkeys(filter(None, map(document_department, documents)))
    foreign = roles.foreign_departments(request.user, departments)
    if foreign:
        raise DocumentError(
            gettext("담당 부서가 아닌 부서의 문서는 가져올 수 없습니다: %s") % ", ".join(foreign)
        )


def import_view(model_admin, request: HttpRequest) -> HttpResponse:
    """Upload a document file, preview what it changes, then confirm to store exactly that."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    if request.method == "POST" and "staged" in request.POST:
        return _confirm_import(request)
    context = _context(model_admin, request, gettext("사업설명서 가져오기"))
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            documents = read_documents(upload.name, upload.read())
            _refuse_foreign(request, documents)
            previews = imports.preview(documents)
        except DocumentError as error:
            form.add_error("file", f"{upload.name}: {error}")
        else:
            # The documents stay on the server: the form carries only which ones.
            staged = imports.stage(request.user, upload.name, documents, previews)
            context["confirm"] = ConfirmImportForm(initial={"staged": staged.pk})
            context["previews"] = previews
            context["name"] = upload.name
            context["expires"] = staged.expires
    context["form"] = form
    return TemplateResponse(request, "admin/programs/programyear/import.html", context)


def _confirm_import(request: HttpRequest) -> HttpResponse:
    staged = imports.staged(request.POST.get("staged"))
    if staged is None:
        messages.error(
            request,
            gettext("미리 본 가져오기가 없거나 기한이 지났습니다. 파일을 다시 올려 주십시오."),
        )
        return redirect("admin:programs_programyear_import")
    try:
        _refuse_foreign(request, staged.documents)
        if staged.user_id != request.user.pk:
            raise DocumentError(gettext("다른 사람이 미리 본 가져오기입니다."))
        years = imports.confirm(staged, request.user)
    except DocumentError as error:
        messages.error(request, f"{staged.name}: {error}")
        return redirect("admin:programs_programyear_import")
    for year in years:
        messages.success(request, gettext("%s 저장했습니다.") % year)
    if len(years) == 1 and isinstance(years[0], ProgramYear):
        return redirect("admin:programs_programyear_change", years[0].pk)
    return redirect("admin:programs_programyear_changelist")


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
