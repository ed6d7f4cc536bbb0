"""Export stored program descriptions as a JSON array of documents."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db.models import Q

from programs.documents import export_document
from programs.models import ProgramYear


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
        if program:
            wanted = Q(program__title__in=program)
            ids = [int(p) for p in program if p.isdigit()]
            if ids:
                wanted |= Q(program__in=ids)
            years = years.filter(wanted)
        if year:
            years = years.filter(fiscal_year__in=year)
        text = json.dumps([export_document(y) for y in years], ensure_ascii=False, indent=1)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"{output}: {len(years)}건")
        else:
            self.stdout.write(text)
