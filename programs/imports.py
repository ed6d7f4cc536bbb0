"""Previewing an import: what storing documents would store, read and checked, nothing written."""

import json
from dataclasses import dataclass

from .arithmetic import WARNING
from .checks import check_document
from .documents import read_document
from .models import ProgramYear
from .store import paths, replaced_year

# How the reader's own notes (what it could not read cleanly) are named beside the findings.
READING = "읽기"


@dataclass(frozen=True)
class Note:
    """One line of a preview's findings: what the reader noted or a check found."""

    label: str
    severity: str  # as the checks say it (error, warning, info): how the line is shown
    message: str


@dataclass
class Preview:
    document: dict
    notes: list[Note]
    replaces: ProgramYear | None = None

    @property
    def json_text(self) -> str:
        return json.dumps(self.document, ensure_ascii=False, indent=1)


def preview(documents: list[dict]) -> list[Preview]:
    """Read and check each document as storing it would; raise DocumentError if one is invalid.

    The findings are those of the document as the file states it: its stated changes and
    totals, which the stored year derives, are checked too.
    """
    read = [
        read_document(document, path)
        for document, path in zip(documents, paths(documents), strict=True)
    ]
    return [
        Preview(
            document=document,
            notes=[Note(READING, WARNING, warning) for warning in document.get("warnings") or []]
            + [Note(f.severity_label, f.severity, f.message) for f in check_document(document)],
            replaces=replaced_year(each),
        )
        for document, each in zip(documents, read, strict=True)
    ]
