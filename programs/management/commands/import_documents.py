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
        progress = _Progress(self.stderr, len(files))
        for done, path in enumerate(files, 1):
            # Every file is read; each is stored whole or not at all.
            try:
                documents = read_file(path)
                years = store_documents(documents, user=importer, reason=import_reason(str(path)))
            except (DocumentError, OSError) as error:
                refused.append(f"{path}: {error}")
                progress.clear()
                self.stderr.write(refused[-1])
                progress.show(done)
                continue
            stored += 1
            progress.clear()
            self.stdout.write(f"{path}: {len(years)}건 저장 ({', '.join(map(_name, years))})")
            for document in documents:
                for warning in document.get("warnings") or []:
                    self.stdout.write(f"  {path}: 경고: {warning}")
            progress.show(done)
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


class _Progress:
    """How far an import of many files is, on standard error: a bar redrawn in place on a
    terminal; elsewhere (a log) a line at each tenth of the files."""

    WIDTH = 30

    def __init__(self, out, total: int):
        self.out, self.total = out, total
        self.terminal = total > 1 and out.isatty()
        self.tenths = 0 if total > 1 else 10  # one file: nothing to show

    def clear(self) -> None:
        """Before a line of output: the bar goes, to be drawn again below it."""
        if self.terminal:
            self.out.write("\r\x1b[K", ending="", style_func=_plain)

    def show(self, done: int) -> None:
        if self.terminal:
            filled = self.WIDTH * done // self.total
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.out.write(f"\r[{bar}] {done}/{self.total} 파일", ending="", style_func=_plain)
            if done == self.total:
                self.out.write("")
        elif 10 * done // self.total > self.tenths:
            self.tenths = 10 * done // self.total
            self.out.write(f"가져오는 중: {done}/{self.total} 파일", style_func=_plain)


def _plain(text: str) -> str:
    return text  # progress is no error: not in the error colour of standard error
