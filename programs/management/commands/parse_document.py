"""Print the JSON form of one program description's extracted text or PDF."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs import books, pdfs
from programs.parsing import NotADocument, parse_file


class Command(BaseCommand):
    help = (
        "사업설명서 파일 하나(추출 텍스트 또는 PDF)를 읽어"
        " JSON 형식(budget-program-document/1)으로 출력합니다."
        " 여러 사업설명서가 든 PDF(책)는 그 목록을 출력합니다."
    )
    # Parsing touches neither the database nor the models: no checks to wait for.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "file", metavar="FILE", help="추출 텍스트 파일 (UTF-8 또는 CP949) 또는 PDF"
        )

    def handle(self, *args, file: str, **options):
        try:
            document = self._pdf(file) if _is_pdf(file) else parse_file(file)
        except NotADocument as error:
            raise CommandError(f"{file}: {error}", returncode=2) from None
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))

    def _pdf(self, file: str) -> dict | list[dict]:
        parts = list(books.read_parts(Path(file).name, Path(file).read_bytes()))
        errors = [part.error for part in parts if part.error]
        if errors:
            raise CommandError(f"{file}: {'; '.join(errors)}", returncode=2)
        documents = [part.document for part in parts]
        return documents[0] if len(documents) == 1 else documents


def _is_pdf(file: str) -> bool:
    try:
        with open(file, "rb") as opened:
            head = opened.read(len(pdfs.MAGIC))
    except OSError:
        return False  # parse_file says why it cannot be read
    return pdfs.is_pdf(file, head)
