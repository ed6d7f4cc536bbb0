"""Print the JSON form of one program description's extracted text."""

import json

from django.core.management.base import BaseCommand, CommandError

from programs.parsing import NotADocument, parse_file


class Command(BaseCommand):
    help = (
        "사업설명서 추출 텍스트 파일 하나를 읽어"
        " JSON 형식(budget-program-document/1)으로 출력합니다."
    )
    # Parsing touches neither the database nor the models: no checks to wait for.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="추출 텍스트 파일 (UTF-8 또는 CP949)")

    def handle(self, *args, file: str, **options):
        try:
            document = parse_file(file)
        except NotADocument as error:
            raise CommandError(f"{file}: {error}", returncode=2) from None
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
