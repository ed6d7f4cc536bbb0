"""Benchmark: parse and import generated variants of the sample texts, print documents/s."""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from programs.documents import store_documents
from programs.models import Department, Program
from programs.parsing import parse_document

MARK = "[bench]"


def variants(count: int) -> list[str]:
    """`count` documents: the samples' texts, each under a title of its own."""
    texts = [
        path.read_text(encoding="utf-8") for path in sorted(settings.BASE_DIR.glob("samples/*.txt"))
    ]
    documents = []
    for index in range(count):
        text = texts[index % len(texts)]
        title, rest = text.split("\n", 1)
        documents.append(f"{MARK} {title.strip()} {index}\n{rest}")
    return documents


def remove_bench_data() -> None:
    Program.objects.filter(title__startswith=MARK).delete()
    Department.objects.filter(programs__isnull=True).delete()


class Command(BaseCommand):
    help = (
        "생성한 문서 변형으로 문서 읽기와 가져오기 속도(문서/초)를 잽니다."
        " 만든 자료는 끝에 지웁니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=300)
        parser.add_argument("--rounds", type=int, default=3)

    def handle(self, *args, documents: int, rounds: int, **options):
        texts = variants(documents)
        parse_rates, import_rates, total_rates = [], [], []
        for _round in range(rounds):
            remove_bench_data()
            start = time.perf_counter()
            parsed = [parse_document(text) for text in texts]
            parsed_at = time.perf_counter()
            for document in parsed:
                with transaction.atomic():  # a file's import, committed as the command does
                    store_documents([document])
            done = time.perf_counter()
            parse_rates.append(documents / (parsed_at - start))
            import_rates.append(documents / (done - parsed_at))
            total_rates.append(documents / (done - start))
        remove_bench_data()
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"{documents} documents x {rounds} rounds, database {database}")
        if settings.DEBUG:
            self.stdout.write("DEBUG is on: every SQL query is logged, which slows the import")
        for label, rates in (
            ("parse", parse_rates),
            ("import", import_rates),
            ("parse+import", total_rates),
        ):
            self.stdout.write(f"{label:>13}: {statistics.median(rates):8.1f} documents/s (median)")
