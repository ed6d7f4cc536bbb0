"""Make sure the local `admin` account exists, without touching it when it does."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "로컬 admin 계정이 없으면 만듭니다"
        " (비밀번호: DJANGO_SUPERUSER_PASSWORD, 없으면 생성해 한 번 출력)."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("admin 계정이 이미 있습니다.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "", password)
        if os.environ.get("DJANGO_SUPERUSER_PASSWORD"):
            self.stdout.write("admin 계정을 만들었습니다 (비밀번호: DJANGO_SUPERUSER_PASSWORD).")
        else:
            self.stdout.write(
                f"admin 계정을 만들었습니다. 비밀번호: {password}  (다시 표시되지 않습니다)"
            )
