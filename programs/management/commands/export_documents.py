"""Export stored program descriptions as a JSON array of documents."""

import json
from collections import defaultdict
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
        parser.add_argument(
            "--history",
            action="store_true",
            help="각 연도의 변경 이력도 함께 (백업용: import_documents 가 이력을 되살립니다)",
        )

    def handle(
        self,
        *args,
        program: list[str],
        year: list[int],
        output: str | None,
        history: bool,
        **options,
    ):
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
        records = defaultdict(list)
        if history:
            kept = ProgramYear.revisions.filter(id__in=years.values("pk")).select_related(
                "history_user"
            )
            for record in kept.order_by("history_date", "history_id"):
                records[record.id].append(record)
        entries = [backup_document(y, records[y.pk] if history else None) for y in years]
        entries += [program_entry(p) for p in empty.order_by("title", "pk")]
        text = json.dumps(entries, ensure_ascii=False, indent=1)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            programs_only = len(entries) - len(years)
            self.stderr.write(f"{output}: {len(years)}건, 연도 없는 사업 {programs_only}건")
        else:
            self.stdout.write(text)
