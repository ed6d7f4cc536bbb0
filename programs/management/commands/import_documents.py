"""Import program descriptions in their JSON form, from files or folders."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.documents import DocumentError, store_documents

SUFFIXES = (".json",)


def document_files(paths: list[str]) -> list[Path]:
    """The files named, and the documents inside the folders named, in name order."""
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"{name}: 파일이나 폴더가 없습니다")
    return files


def read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as error:
        raise DocumentError(f"UTF-8 텍스트가 아닙니다 (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise DocumentError(
            f"line {error.lineno} column {error.colno}: JSON 오류: {error.msg}"
        ) from None


class Command(BaseCommand):
    help = (
        "사업설명서 파일을 가져옵니다 (파일 또는 폴더)."
        " 파일마다 전부 저장하거나, 오류가 있으면 아무것도 저장하지 않습니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="파일 또는 폴더")

    def handle(self, *args, paths: list[str], **options):
        failed = 0
        for path in document_files(paths):
            try:
                years = store_documents(read_json(path))
            except (DocumentError, OSError) as error:
                failed += 1
                self.stderr.write(f"{path}: {error}")
                continue
            names = ", ".join(f"{y.program.title} {y.fiscal_year}" for y in years)
            self.stdout.write(f"{path}: {len(years)}건 저장 ({names})")
        if failed:
            raise CommandError(
                f"{failed}개 파일을 가져오지 못했습니다 (그 파일의 내용은 저장하지 않음)"
            )
