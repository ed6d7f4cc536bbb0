"""Export stored program descriptions as a JSON array of documents."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db.models import Q

from programs.documents import backup_document, program_entry
from programs.models import Program, ProgramYear


class Command(BaseCommand):
    help = "저장된 사업설명서를 JSON 문서 목록으로 내보냅니다."

    def add_arguments(self, parser):
        parser.add_argument(
            "--program", action="append", default=[], help="사업명 또는 사업 번호 (여러 번 가능)"
        )
        parser.add_argument("--year", action="append", type=int, default=[], help="회계연도")
        parser.add_argument("-o", "--output", help="저장할 파일 (없으면 표준 출력)")

    def handle(self, *args, program: list[str], year: list[int], output: str | None, **options):
        years = ProgramYear.objects.with_sections().order_by(
            "program__title", "program", "fiscal_year"
        )
        # Programs without a year are written as their program block alone (not when only
        # some years are asked for): a backup keeps every program.
        empty = Program.objects.filter(years__isnull=True).select_related("department")
        if program:
            wanted = Q(title__in=program)
            ids = [int(p) for p in program if p.isdigit()]
            if ids:
                wanted |= Q(pk__in=ids)
            years = years.filter(program__in=Program.objects.filter(wanted))
            empty = empty.filter(wanted)
        if year:
            years = years.filter(fiscal_year__in=year)
            empty = empty.none()
        entries = [backup_document(y) for y in years]
        entries += [program_entry(p) for p in empty.order_by("title", "pk")]
        text = json.dumps(entries, ensure_ascii=False, indent=1)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            programs_only = len(entries) - len(years)
            self.stderr.write(f"{output}: {len(years)}건, 연도 없는 사업 {programs_only}건")
        else:
            self.stdout.write(text)
