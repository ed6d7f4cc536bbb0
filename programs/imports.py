"""Importing through the admin: preview what storing documents would change, keep them as a
staged import, and store exactly that on confirmation, unless a year changed in between.
A scanned document's notes show the line they name on the page OCR read it from."""

import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from statistics import median

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from . import history, roles
from .arithmetic import WARNING
from .checks import check_document
from .documents import (
    DocumentError,
    document_department,
    document_of,
    read_document,
    stored_document,
)
from .models import Program, ProgramYear, ScanPage, StagedImport
from .ocr.tesseract import DOUBTFUL
from .store import paths, replaced_year, store_documents

# How the reader's own notes (what it could not read cleanly) are named beside the findings.
READING = "읽기"
# A preview not confirmed within this is gone: what it showed may no longer be what is stored.
LIFETIME = timedelta(hours=1)
# The source line a reader's note names (`산출근거 42행`, `결산 2020 (137행)`, `(2쪽, 5행)`):
# lines are counted through all pages, as the parser and OCR count them.
_LINE_RE = re.compile(r"(\d+)행")
# Lines of the page shown above and below the line a note names, in heights of that line.
STRIP_CONTEXT = 2
BOX_MARGIN = 6  # pixels between the line's words and the box drawn round them
BOX_COLOUR = (200, 30, 30)


@dataclass(frozen=True)
class ScanLine:
    """The printed line a note names, on the scanned page OCR read it from."""

    page: ScanPage  # without its image
    line: int  # 0-based, on the page
    confidence: float  # of the least sure word of the line

    @property
    def number(self) -> int:
        return self.page.first_line + self.line

    @property
    def doubtful(self) -> bool:
        return self.confidence < DOUBTFUL


@dataclass(frozen=True)
class Note:
    """One line of a preview's findings: what the reader noted or a check found."""

    label: str
    severity: str  # as the checks say it (error, warning, info): how the line is shown
    message: str
    scan: ScanLine | None = None  # of a document read by OCR: the line the note names


@dataclass
class Preview:
    document: dict  # as the file states it
    # What storing it gives, figures derived as stored: what the preview shows (a file's own
    # stated changes and totals may be missing or of any type).
    stored: dict
    notes: list[Note]
    replaces: ProgramYear | None = None
    # Per group (the year's own fields, then each section): what storing changes.
    changes: list[tuple[str, list[history.Change]]] = field(default_factory=list)
    # Where the stored year was changed since its last import: values the import overwrites.
    edited: set[str] = field(default_factory=set)

    @property
    def json_text(self) -> str:
        return json.dumps(self.document, ensure_ascii=False, indent=1)


def preview(documents: list[dict]) -> list[Preview]:
    """Read and check each document as storing it would; raise DocumentError if one is invalid.

    The findings are those of the document as the file states it: its stated changes and
    totals, which the stored year derives, are checked too.
    """
    previews = []
    for document, path in zip(documents, paths(documents), strict=True):
        read = read_document(document, path)
        notes = [Note(READING, WARNING, warning) for warning in document.get("warnings") or []]
        notes += [Note(f.severity_label, f.severity, f.message) for f in check_document(document)]
        read.year.program = Program(title=read.title)
        stored = document_of(read.year, read.as_stored())
        shown = Preview(document, stored, notes, replaced_year(read))
        if shown.replaces:
            # What would be stored, against what is: the JSON form of both.
            before = stored_document(shown.replaces.pk)
            shown.changes = history.changes_by_section(before, stored)
            shown.edited = history.edited_since_import(shown.replaces.pk)
        previews.append(shown)
    return previews


def point_at_scans(previews: list[Preview], pages: Iterable[ScanPage], first: int) -> None:
    """Give each reader's note of a scanned document the line it names, on its page. `pages`
    are those of the previewed documents, the first of which is the staged import's `first`."""
    by_document: dict[int, list[ScanPage]] = {}
    for page in pages:
        by_document.setdefault(page.document - first, []).append(page)
    for index, preview in enumerate(previews):
        scanned = by_document.get(index)
        if scanned:
            preview.notes = [_pointed(note, scanned) for note in preview.notes]


def _pointed(note: Note, pages: list[ScanPage]) -> Note:
    found = _LINE_RE.search(note.message) if note.label == READING else None
    if found is None:
        return note
    number = int(found[1])
    for page in pages:
        line = number - page.first_line
        if 0 <= line < len(page.lines):
            return replace(note, scan=ScanLine(page, line, page.lines[line][4]))
    return note


def scan_strip(page: ScanPage, line: int) -> bytes:
    """The part of a scanned page around one of its lines, the line boxed, as PNG: the line
    and a few more words' room on each side, `STRIP_CONTEXT` lines above and below (in the
    page's usual line height: a line of a mark or a dot is no measure)."""
    if not 0 <= line < len(page.lines):
        raise Http404
    left, top, right, bottom, _confidence = page.lines[line]
    usual = median(box[3] - box[1] for box in page.lines)
    context = round(max(bottom - top, usual) * STRIP_CONTEXT) + BOX_MARGIN
    band = (
        max(0, left - 2 * context),
        max(0, top - context),
        min(page.width, right + 2 * context),
        min(page.height, bottom + context),
    )
    strip = Image.open(io.BytesIO(page.image)).crop(band).convert("RGB")
    ImageDraw.Draw(strip).rectangle(
        (
            left - band[0] - BOX_MARGIN,
            top - band[1] - BOX_MARGIN,
            right - band[0] + BOX_MARGIN,
            bottom - band[1] + BOX_MARGIN,
        ),
        outline=BOX_COLOUR,
        width=3,
    )
    buffer = io.BytesIO()
    strip.save(buffer, format="PNG")
    return buffer.getvalue()


def refuse_foreign(user, documents: list) -> None:
    """Raise DocumentError when the user may not import into a department of these documents."""
    departments = dict.fromkeys(filter(None, map(document_department, documents)))
    foreign = roles.foreign_departments(user, departments)
    if foreign:
        raise DocumentError(
            _("담당 부서가 아닌 부서의 문서는 가져올 수 없습니다: %s") % ", ".join(foreign)
        )


def readable(document: dict, user) -> tuple[str, int, dict | None]:
    """What a background import records of a document it read (`programs.jobs`): its title,
    its fiscal year and the version of the stored year it replaces (None: a new year). Raises
    DocumentError as the preview would, or when the user may not import into its department.
    The checks are left to the preview, which shows them."""
    refuse_foreign(user, [document])
    read = read_document(document)
    replaces = replaced_year(read)
    version = {"pk": replaces.pk, "version": replaces.version} if replaces else None
    return read.title, read.year.fiscal_year, version


def stage(user, name: str, documents: list[dict], versions: list[dict | None]) -> StagedImport:
    """Keep the documents previewed, with the versions they were previewed against;
    the staged imports that have expired go."""
    now = timezone.now()
    StagedImport.objects.filter(expires__lt=now).delete()
    return StagedImport.objects.create(
        user=user, name=name, documents=documents, versions=versions, expires=now + LIFETIME
    )


def staged(pk: object) -> StagedImport | None:
    """The staged import, None when there is none or it has expired (then it goes)."""
    found = StagedImport.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if found and found.expires < timezone.now():
        found.delete()
        return None
    return found


def clean_expired() -> int:
    """Delete the staged imports that have expired; how many there were."""
    deleted, _by_model = StagedImport.objects.filter(expires__lt=timezone.now()).delete()
    return deleted


def confirm(staged_import: StagedImport, user) -> list:
    """Store exactly what was previewed, recorded as `user`'s import of the file; raise
    DocumentError (nothing stored) when a year changed since the preview. The staged import
    goes either way."""
    documents = staged_import.documents
    try:
        with transaction.atomic():
            for document, path, seen in zip(
                documents, paths(documents), staged_import.versions, strict=True
            ):
                _unchanged_since(read_document(document, path), seen)
            reason = history.import_reason(staged_import.name)
            return store_documents(documents, user=user, reason=reason)
    finally:
        staged_import.delete()


def _unchanged_since(read, seen: dict | None) -> None:
    now = replaced_year(read)
    name = f"{read.title} ({read.year.fiscal_year})"
    again = _("파일을 다시 올려 무엇이 바뀌는지 다시 보십시오.")
    if seen is None and now is not None:
        raise DocumentError(
            _("%(name)s: 미리 본 뒤 다른 사람이 저장했습니다. ") % {"name": name} + again
        )
    if seen is None:
        return
    current = ProgramYear.objects.select_for_update().filter(pk=seen["pk"]).first()
    if current is None:
        raise DocumentError(_("%(name)s: 미리 본 뒤 삭제되었습니다. ") % {"name": name} + again)
    if current.version != seen["version"]:
        raise DocumentError(
            _("%(name)s: 미리 본 뒤 바뀌었습니다 (미리 본 버전 %(seen)s, 지금 버전 %(now)s). ")
            % {"name": name, "seen": seen["version"], "now": current.version}
            + again
        )
