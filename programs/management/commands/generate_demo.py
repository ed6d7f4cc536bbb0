"""Fill the database with synthetic program years at city scale."""

import time

from django.core.management.base import BaseCommand, CommandError

from programs.demo import generate
from programs.models import Program


class Command(BaseCommand):
    help = (
        "데모용 사업설명서를 만듭니다: 사업 N개 × Y년, 시드가 같으면 같은 자료."
        " 항등식에 맞게 만들되 약 2%는 일부러 한 곳씩 틀리게 합니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programs", type=int, default=500)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--first-year", type=int, default=2021)

    def handle(self, *args, programs: int, years: int, seed: int, first_year: int, **options):
        if programs < 1 or not 1 <= years <= 20:
            raise CommandError("--programs는 1 이상, --years는 1에서 20 사이여야 합니다")
        if Program.objects.exists():
            raise CommandError("데모 자료가 이미 있습니다: 빈 데이터베이스에서 실행하십시오")
        start = time.perf_counter()
        stats = generate(programs, years, seed, first_year)
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"사업 {stats['programs']:,}개, 연도별 사업설명서 {stats['years']:,}건, "
            f"행 {stats['rows']:,}개 ({seconds:.1f}초). "
            f"일부러 틀리게 만든 문서 {stats['broken']:,}건."
        )
