"""Import program descriptions from files or folders: PDF, extracted text (.txt) or JSON."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programs.documents import DocumentError
from programs.history import import_reason
from programs.models import Program, ProgramYear
from programs.planner import refresh_statistics
from programs.sources import document_files, read_file
from programs.store import store_documents


class Command(BaseCommand):
    help = (
        "사업설명서 파일(.pdf, .txt 추출 텍스트 또는 .json)을 가져옵니다 (파일 또는 폴더)."
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
        refused: list[str] = []
        stored = 0
        for path in files:
            # Every file is read; each is stored whole or not at all.
            try:
                documents = read_file(path)
                years = store_documents(documents, user=importer, reason=import_reason(str(path)))
            except (DocumentError, OSError) as error:
                refused.append(f"{path}: {error}")
                self.stderr.write(refused[-1])
                continue
            stored += 1
            self.stdout.write(f"{path}: {len(years)}건 저장 ({', '.join(map(_name, years))})")
            for document in documents:
                for warning in document.get("warnings") or []:
                    self.stdout.write(f"  {path}: 경고: {warning}")
        refresh_statistics()  # the tables may have grown much
        summary = f"파일 {len(files)}개 중 {stored}개 저장, {len(refused)}개 거부"
        if refused:
            reasons = "\n".join(f"  {reason}" for reason in refused)
            raise CommandError(
                f"{summary}: {len(refused)}개 파일을 가져오지 못했습니다"
                f" (그 파일의 내용은 저장하지 않음):\n{reasons}",
                returncode=1,
            )
        self.stdout.write(summary)


def _name(stored: ProgramYear | Program) -> str:
    if isinstance(stored, Program):
        return f"{stored.title} (연도 없음)"
    return f"{stored.program.title} {stored.fiscal_year}"
