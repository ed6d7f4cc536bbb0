"""Previewing an import: what storing documents would do, without writing anything."""

import json
from dataclasses import dataclass, field

from django.db import transaction

from .checks import Finding, check_document
from .documents import store_documents
from .models import ProgramYear


class _DryRun(Exception):
    """Raised to roll back a trial import."""


@dataclass
class Preview:
    document: dict
    findings: list[Finding]
    replaces: ProgramYear | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def json_text(self) -> str:
        return json.dumps(self.document, ensure_ascii=False, indent=1)


def preview(documents: list[dict]) -> list[Preview]:
    """Store the documents in a transaction that is rolled back; raise DocumentError if invalid."""
    try:
        with transaction.atomic():
            before = set(ProgramYear.objects.values_list("pk", flat=True))
            years = store_documents(documents)
            raise _DryRun
    except _DryRun:
        pass
    existing = ProgramYear.objects.select_related("program").in_bulk(
        [year.pk for year in years if year.pk in before]
    )
    return [
        Preview(
            document=document,
            findings=check_document(document),
            replaces=existing.get(year.pk),
            warnings=list(document.get("warnings") or []),
        )
        for document, year in zip(documents, years, strict=True)
    ]
