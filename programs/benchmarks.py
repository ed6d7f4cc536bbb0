"""Benchmarks that can be rerun: page server times and document throughput.

Pages are requested in-process through the whole middleware stack (Django's test client),
so the figures are server time without the network. A minimal view measured the same way is
the floor: each page is reported as a multiple of it.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from .books import read_parts
from .models import Department, Program
from .parsing import parse_document
from .store import store_documents

MARK = "[bench]"


def floor(request: HttpRequest) -> HttpResponse:
    """The least a signed-in page costs: middleware, session and user, no work."""
    return HttpResponse("ok")


# The site's URLs plus the floor view, for the benchmark's requests only.
urlpatterns = [path("bench/floor/", floor), path("", include(settings.ROOT_URLCONF))]


@dataclass
class PageTiming:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int


def time_page(
    client: Client, name: str, url: str, repeat: int, prepare: Callable[[], object] = bool
) -> PageTiming:
    """Median and 95th percentile of `repeat` requests after a warm-up, and the query count.
    `prepare` runs before each request, untimed (to empty a cache, say)."""
    response = client.get(url, secure=True)
    queries = []

    def count(execute, sql, params, many, context):
        # Not CaptureQueriesContext: each request resets the query log it reads.
        queries.append(sql)
        return execute(sql, params, many, context)

    prepare()
    with connection.execute_wrapper(count):
        client.get(url, secure=True)
    timings = []
    for _ in range(repeat):
        prepare()
        start = time.perf_counter()
        response = client.get(url, secure=True)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return PageTiming(
        name, url, statistics.median(timings), p95, len(queries), response.status_code
    )


def sample_texts(count: int) -> list[str]:
    """`count` documents: the samples' texts, each under a title of its own."""
    paths = sorted(settings.BASE_DIR.glob("samples/*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    variants = []
    for index in range(count):
        title, rest = texts[index % len(texts)].split("\n", 1)
        variants.append(f"{MARK} {title.strip()} {index}\n{rest}")
    return variants


def remove_bench_documents() -> None:
    Program.objects.filter(title__startswith=MARK).delete()
    Department.objects.filter(programs__isnull=True).delete()


@dataclass
class Throughput:
    parse: float
    store: float
    total: float
    store_processor: float  # documents per second of this process's processor time


def throughput(texts: list[str], rounds: int, per_file: int = 1) -> Throughput:
    """Documents per second (median over rounds) to parse, to store, and both; stored as
    files of `per_file` documents (a book: all of them in one, split and parsed as a text
    book's import does it, `books.read_parts`)."""
    results = []
    for _round in range(rounds):
        remove_bench_documents()
        start = time.perf_counter()
        if per_file == 1:
            parsed = [parse_document(text) for text in texts]
        else:
            book = "\f".join(texts).encode()
            parsed = [part.document for part in read_parts("book.txt", book)]
        parsed_at, processor = time.perf_counter(), time.process_time()
        for start_of_file in range(0, len(parsed), per_file):
            with transaction.atomic():  # one file's import, committed as the command does
                store_documents(parsed[start_of_file : start_of_file + per_file])
        done = time.perf_counter()
        processor = time.process_time() - processor
        results.append((parsed_at - start, done - parsed_at, done - start, processor))
    remove_bench_documents()
    parse, store, total, processor = (statistics.median(r[i] for r in results) for i in range(4))
    return Throughput(*(len(texts) / seconds for seconds in (parse, store, total, processor)))


def large_parse_time(size: int = 1_000_000) -> tuple[int, float]:
    """Bytes and seconds to parse one text of about `size` bytes: a sample repeated, the
    worst case the upload accepts (every section, table and item many times over)."""
    sample = sorted(settings.BASE_DIR.glob("samples/*.txt"))[0].read_text(encoding="utf-8")
    text = sample * max(1, size // len(sample.encode("utf-8")))
    start = time.perf_counter()
    parse_document(text)
    return len(text.encode("utf-8")), time.perf_counter() - start
