"""Benchmark: parse and import generated variants of the sample texts, print documents/s
(imported a file each, and all in one file as a book), and the time to parse one text of
1 MB. `--book N`: split and parse a text book of N variants. `--pdf`: read a PDF (a file,
or a book of the samples written with fpdf2, a development dependency), in pages/s."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs import pdfs
from programs.benchmarks import large_parse_time, sample_texts, throughput
from programs.books import read_parts

FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")


class Command(BaseCommand):
    help = (
        "생성한 문서 변형으로 문서 읽기와 가져오기 속도(문서/초)를 잽니다."
        " 만든 자료는 끝에 지웁니다. --book N: 문서 N개로 된 텍스트 책을 나누고 읽는 시간,"
        " --pdf [파일]: PDF 읽기 속도(쪽/초)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=300)
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--book", type=int, metavar="N", help="텍스트 책의 문서 수")
        parser.add_argument(
            "--pdf", nargs="?", const="", metavar="FILE", help="PDF 파일 (없으면 만들어 씀)"
        )

    def handle(self, *args, documents: int, rounds: int, book: int | None, pdf, **options):
        if book is not None:
            return self._book(book)
        if pdf is not None:
            return self._pdf(Path(pdf).read_bytes() if pdf else _sample_book(documents))
        texts = sample_texts(documents)
        load = os.getloadavg()[0]  # the clock counts waiting on a shared machine
        rates = throughput(texts, rounds)
        one_file = throughput(texts, rounds, per_file=documents)
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"{documents} documents x {rounds} rounds, database {database},"
            f" load average {load:.1f} to {os.getloadavg()[0]:.1f}"
        )
        if settings.DEBUG:
            self.stdout.write("DEBUG is on: every SQL query is logged, which slows the import")
        self.stdout.write(f"        parse: {rates.parse:8.1f} documents/s (median)")
        self.stdout.write(
            f"       import: {rates.store:8.1f} documents/s (median, a file each;"
            f" processor {rates.store_processor:.1f}/s)"
        )
        self.stdout.write(
            f"  import book: {one_file.store:8.1f} documents/s (median, one file;"
            f" processor {one_file.store_processor:.1f}/s)"
        )
        size, seconds = large_parse_time()
        self.stdout.write(f"   parse 1 MB: {seconds:8.2f} s ({size:,} bytes, one text)")
        self.stdout.write(f" parse+import: {rates.total:8.1f} documents/s (median, a file each)")
        self.stdout.write(
            f"   parse+book: {one_file.total:8.1f} documents/s (median, one file, parsed as a"
            " text book is: split, on two processes)"
        )

    def _book(self, count: int) -> None:
        data = "\f".join(sample_texts(count)).encode()
        started = time.perf_counter()
        parts = list(read_parts("book.txt", data))
        seconds = time.perf_counter() - started
        failed = sum(part.error is not None for part in parts)
        self.stdout.write(
            f"text book: {count} documents, {len(data):,} bytes: {len(parts)} parts"
            f" ({failed} failed) split and parsed in {seconds:.2f} s"
        )

    def _pdf(self, data: bytes) -> None:
        # Processor time beside the clock's: on a shared machine the clock counts waiting.
        load = os.getloadavg()[0]
        started, processor = time.perf_counter(), time.process_time()
        pages = pdfs.read_pages(data)
        reading, cpu = time.perf_counter() - started, time.process_time() - processor
        started, processor = time.perf_counter(), time.process_time()
        parts = list(read_parts("book.pdf", data))
        total, total_cpu = time.perf_counter() - started, time.process_time() - processor
        self.stdout.write(
            f"PDF: {len(pages)} pages, {len(data):,} bytes, load {load:.1f}: read in"
            f" {reading:.2f} s ({len(pages) / reading:.1f} pages/s; processor {cpu:.2f} s,"
            f" {len(pages) / cpu:.1f} pages/s); read, split and parsed again in {total:.2f} s"
            f" (processor {total_cpu:.2f} s): {len(parts)} documents"
        )


def _sample_book(count: int) -> bytes:
    """A PDF of `count` sample variants, each from a new page, cells at their text's width."""
    try:
        from fpdf import FPDF
    except ImportError:
        message = "fpdf2가 없습니다: requirements-dev.txt를 설치하거나 PDF 파일을 주세요"
        raise CommandError(message) from None
    pdf = FPDF(orientation="landscape")
    pdf.add_font("gothic", fname=str(FONT))
    pdf.set_font("gothic", size=8)
    pdf.set_auto_page_break(True, margin=12)
    for text in sample_texts(count):
        pdf.add_page()
        for line in text.split("\n"):
            for cell in line.split("\t"):
                pdf.cell(pdf.get_string_width(cell) + 8, 4.5, cell)
            pdf.ln(4.5)
    return bytes(pdf.output())
