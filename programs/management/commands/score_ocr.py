"""Print how well OCR reads printed reports whose expected JSON is known, and how fast."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs import ocr


class Command(BaseCommand):
    help = (
        "인쇄된 사업설명서 PDF(옆에 .expected.json)를 이미지로 만들어 OCR로 읽고, 보고서가"
        " 인쇄하는 칸 가운데 바르게 읽은 비율과 쪽당 시간을 출력합니다. --scan은 150dpi에"
        " 잡음과 기울어짐을 더한 스캔본으로 읽습니다."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="PDF 파일 또는 폴더")
        parser.add_argument("--scan", action="store_true", help="150dpi, 잡음, 기울어짐")
        parser.add_argument("--wrong", action="store_true", help="틀린 칸의 경로도 출력")

    def handle(self, *args, paths: list[str], scan: bool, wrong: bool, **options):
        if not ocr.available():
            raise CommandError(
                "Tesseract와 한국어 모델(tesseract-ocr-kor)이 설치되어 있지 않습니다"
            )
        from programs.ocr.corpus import measure

        files = []
        for name in paths:
            path = Path(name)
            if not path.exists():
                raise CommandError(f"{name}: 파일이나 폴더가 없습니다")
            files += sorted(path.glob("*.pdf")) if path.is_dir() else [path]
        files = [path for path in files if path.with_suffix(".expected.json").is_file()]
        if not files:
            raise CommandError("견줄 문서(.pdf와 .expected.json)가 없습니다")
        printed = right = layer = pages = 0
        flagged = checked = corrected = silent = 0
        seconds = cpu = 0.0
        for path in files:
            result = measure(path, scan=scan)
            printed, right = printed + result.printed, right + result.right
            layer += result.text_layer
            flagged += len(result.flagged)
            checked += len(result.checked)
            corrected += len(result.corrected)
            silent += len(result.silent)
            pages, seconds = pages + result.pages, seconds + result.seconds
            cpu += result.cpu
            skews = ", ".join(f"{skew:+.1f}°" for skew in result.skews)
            self.stdout.write(
                f"{path}: {_share(result.right, result.printed)}"
                f" (텍스트 층 {result.text_layer}/{result.printed}),"
                f" 틀린 칸: 경고로 표시 {len(result.flagged)}"
                f" (검사 결과로만 {len(result.checked)}) / 항등식 교정"
                f" {len(result.corrected)} / 경고 없음 {len(result.silent)},"
                f" 쪽당 {result.seconds / result.pages:.1f}초"
                f" (CPU {result.cpu / result.pages:.1f}초), 기울기 {skews}"
            )
            if wrong:
                for field, (meant, read) in result.wrong.items():
                    mark = (
                        "검사 결과로 표시"
                        if field in result.checked
                        else "경고 있음"
                        if field in result.flagged
                        else "경고 없음"
                    )
                    self.stdout.write(f"    틀림 ({mark}): {field} {meant!r} → {read!r}")
                for field in result.corrected:
                    self.stdout.write(f"    교정됨: {field}")
        self.stdout.write(
            f"합계: {_share(right, printed)} (텍스트 층 {layer}/{printed}),"
            f" 틀린 칸: 경고로 표시 {flagged} (검사 결과로만 {checked}) / 항등식 교정 {corrected}"
            f" / 경고 없음 {silent},"
            f" {pages}쪽, 쪽당 {seconds / pages if pages else 0:.1f}초"
            f" (CPU {cpu / pages if pages else 0:.1f}초), 부하 {os.getloadavg()[0]:.1f}"
        )


def _share(right: int, total: int) -> str:
    return f"{right}/{total} ({right / total if total else 0:.1%})"
