"""Delete the admin's staged imports that were never confirmed and have expired."""

from django.core.management.base import BaseCommand

from programs.imports import LIFETIME, clean_expired


class Command(BaseCommand):
    help = (
        f"기한({LIFETIME.seconds // 3600}시간)이 지난, 저장하지 않은 미리 본 가져오기를 지웁니다"
        " (새 파일을 올릴 때마다도 지웁니다)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"기한이 지난 미리 본 가져오기 {clean_expired()}건을 지웠습니다.")
