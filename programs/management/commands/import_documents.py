"""Import program descriptions from files or folders: extracted text (.txt) or JSON."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programs.documents import DocumentError
from programs.planner import refresh_statistics
from programs.sources import document_files, read_file
from programs.store import store_documents


class Command(BaseCommand):
    help = (
        "사업설명서 파일(.txt 추출 텍스트 또는 .json)을 가져옵니다 (파일 또는 폴더)."
        " 파일마다 전부 저장하거나, 오류가 있으면 아무것도 저장하지 않습니다."
        " 바뀐 사업설명서는 --user 사용자가 가져온 것으로 변경 이력에 남습니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="파일 또는 폴더")
        parser.add_argument("--user", help="변경 이력에 남길 가져온 사용자 (아이디)")

    def handle(self, *args, paths: list[str], user: str | None, **options):
        importer = None
        if user:
            try:
                importer = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"--user {user}: 그런 사용자가 없습니다") from None
        try:
            files = document_files(paths)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        failed = 0
        for path in files:
            try:
                documents = read_file(path)
                years = store_documents(documents, user=importer, reason=f"가져오기: {path}")
            except (DocumentError, OSError) as error:
                failed += 1
                self.stderr.write(f"{path}: {error}")
                continue
            names = ", ".join(f"{y.program.title} {y.fiscal_year}" for y in years)
            self.stdout.write(f"{path}: {len(years)}건 저장 ({names})")
            for document in documents:
                for warning in document.get("warnings") or []:
                    self.stdout.write(f"  {path}: 경고: {warning}")
        refresh_statistics()  # the tables may have grown much
        if failed:
            raise CommandError(
                f"{failed}개 파일을 가져오지 못했습니다 (그 파일의 내용은 저장하지 않음)"
            )
