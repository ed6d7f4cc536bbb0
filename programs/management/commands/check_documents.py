"""Report the identities that documents break: files, or what is stored."""

import json
from itertools import groupby

from django.core.management.base import BaseCommand, CommandError

from programs.arithmetic import ERROR
from programs.checks import check_document, check_years
from programs.documents import DocumentError, export_document
from programs.models import ProgramYear
from programs.sources import document_files, read_file


class Command(BaseCommand):
    help = (
        "사업설명서의 항등식(합계, 증감, 재원, 결산 등)을 검사합니다:"
        " 파일(.pdf, .txt, .json)이나 저장된 자료(--all). 오류가 있으면 종료 상태 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="파일 또는 폴더")
        parser.add_argument("--all", action="store_true", help="저장된 모든 사업설명서")
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args, paths: list[str], all: bool, format: str, **options):
        if bool(paths) == all:
            raise CommandError("파일이나 폴더를 주거나 --all 을 쓰십시오 (둘 중 하나)")
        groups = self._stored() if all else self._files(paths)
        results = []
        for documents in groups:
            for source, document in documents:
                results += [(source, document, f) for f in check_document(document)]
            by_year = [document for _source, document in documents]
            # Across years, a finding belongs to the later document.
            later_source, later = documents[-1]
            results += [(later_source, later, f) for f in check_years(by_year)]
        if format == "json":
            findings = [
                {
                    **finding.as_dict(),
                    "source": source,
                    "title": document.get("title"),
                    "fiscal_year": document.get("fiscal_year"),
                }
                for source, document, finding in results
            ]
            self.stdout.write(json.dumps(findings, ensure_ascii=False, indent=1))
        else:
            for source, _document, finding in results:
                self.stdout.write(f"{source}: [{finding.severity_label}] {finding.message}")
            errors = sum(finding.severity == ERROR for _s, _d, finding in results)
            self.stdout.write(f"오류 {errors}건, 전체 {len(results)}건")
        if any(finding.severity == ERROR for _s, _d, finding in results):
            raise CommandError("항등식이 맞지 않는 문서가 있습니다", returncode=1)

    def _stored(self) -> list[list[tuple[str, dict]]]:
        """Each stored program's years, oldest first."""
        years = ProgramYear.objects.with_sections().order_by("program", "fiscal_year")
        return [
            [(str(year), export_document(year)) for year in program_years]
            for _program, program_years in groupby(years, key=lambda year: year.program_id)
        ]

    def _files(self, paths: list[str]) -> list[list[tuple[str, dict]]]:
        """The documents of the files, grouped by program (title) and ordered by year."""
        try:
            files = document_files(paths)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        documents = []
        for path in files:
            try:
                documents += [(str(path), document) for document in read_file(path)]
            except (DocumentError, OSError) as error:
                raise CommandError(f"{path}: {error}", returncode=2) from None

        def program(entry: tuple[str, dict]) -> str:
            return str(entry[1].get("title"))

        def order(entry: tuple[str, dict]) -> tuple[str, int]:
            year = entry[1].get("fiscal_year")
            return program(entry), year if isinstance(year, int) else 0

        return [list(group) for _title, group in groupby(sorted(documents, key=order), program)]
