"""Benchmark: parse and import generated variants of the sample texts, print documents/s
(imported a file each, and all in one file as a book), and the time to parse one text of
1 MB."""

from django.conf import settings
from django.core.management.base import BaseCommand

from programs.benchmarks import large_parse_time, sample_texts, throughput


class Command(BaseCommand):
    help = (
        "생성한 문서 변형으로 문서 읽기와 가져오기 속도(문서/초)를 잽니다."
        " 만든 자료는 끝에 지웁니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=300)
        parser.add_argument("--rounds", type=int, default=3)

    def handle(self, *args, documents: int, rounds: int, **options):
        texts = sample_texts(documents)
        rates = throughput(texts, rounds)
        book = throughput(texts, rounds, per_file=documents)
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"{documents} documents x {rounds} rounds, database {database}")
        if settings.DEBUG:
            self.stdout.write("DEBUG is on: every SQL query is logged, which slows the import")
        self.stdout.write(f"        parse: {rates.parse:8.1f} documents/s (median)")
        self.stdout.write(f"       import: {rates.store:8.1f} documents/s (median, a file each)")
        self.stdout.write(f"  import book: {book.store:8.1f} documents/s (median, one file)")
        size, seconds = large_parse_time()
        self.stdout.write(f"   parse 1 MB: {seconds:8.2f} s ({size:,} bytes, one text)")
        self.stdout.write(f" parse+import: {rates.total:8.1f} documents/s (median, a file each)")
        self.stdout.write(f"   parse+book: {book.total:8.1f} documents/s (median, one file)")
