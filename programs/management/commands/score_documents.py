"""Print the share of fields the parser reads as expected, per document and over a folder."""

import json

from django.core.management.base import BaseCommand, CommandError

from programs.parsing import NotADocument, parse_file
from programs.parsing.score import Score, score
from programs.sources import document_files


class Command(BaseCommand):
    help = (
        "추출 텍스트(.txt)마다 옆의 .expected.json과 견주어, 바르게 읽은 칸의 비율을"
        " 문서별로, 그리고 모두 합해 출력합니다 (warnings는 세지 않음)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="파일 또는 폴더")
        parser.add_argument("--wrong", action="store_true", help="틀린 칸의 경로도 출력")

    def handle(self, *args, paths: list[str], wrong: bool, **options):
        try:
            files = [path for path in document_files(paths) if path.suffix == ".txt"]
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        right = total = 0
        for path in files:
            expected_path = path.with_suffix(".expected.json")
            if not expected_path.is_file():
                self.stdout.write(f"{path}: {expected_path.name}이(가) 없어 건너뜀")
                continue
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            try:
                result = score(expected, parse_file(path))
            except NotADocument as error:
                result = Score(0, score(expected, {}).total, [str(error)])
            right, total = right + result.right, total + result.total
            self.stdout.write(f"{path}: {result.right}/{result.total} ({result.share:.1%})")
            if wrong:
                for field in result.wrong:
                    self.stdout.write(f"    틀림: {field}")
        if not total:
            raise CommandError("견줄 문서(.txt와 .expected.json)가 없습니다")
        self.stdout.write(f"합계: {right}/{total} ({right / total:.1%})")
