"""A book: many program descriptions one after another, in a text or a PDF, split into its
documents and each read on its own.

A document opens with its first heading (`1 기본 현황` or `□ 사업개요`) once another
section has been seen since the last one; it starts at the top of that heading's page (its
title block above it), or, where documents run on without a page break, at the line above
the heading (the title). What comes before the first document (a cover, a table of
contents, a summary page) is not a document; a page at a document's end with a few lines of
words and no table (a chapter's title page) is left out. A PDF's running heads, feet and
page numbers are left out by `pdfs`; a text's are the parser's page furniture.

The documents of a large book are parsed on two processes (`parsed`), in the book's order.
"""

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from . import ocr, pdfs, sources
from .documents import DocumentError
from .parsing import NotADocument, decode, parse_document
from .parsing.sections import is_heading, opens_document

Progress = Callable[[int, int], None] | None
# A chapter's title page: at most this many lines, none of them a table row or a heading.
TITLE_PAGE_LINES = 3
# The title block above a document's first heading fits in this many lines of a page's top.
TITLE_BLOCK = pdfs.TITLE_BLOCK + pdfs.EDGE_LINES
# A book of at least this many documents is parsed on two processes: below it, starting them
# costs more than it saves.
PARALLEL_FROM = 20


@dataclass
class Part:
    source: str
    pages: str | None  # e.g. "12-15쪽" (of a PDF or of a text with form feeds), "10-250행"
    document: dict | None
    error: str | None
    # The pages OCR read it from (a scan): kept with the job for the preview to show.
    scans: list[ocr.OcrPage] = field(default_factory=list)


def read_parts(name: str, data: bytes, progress: Progress = None) -> Iterator[Part]:
    """The documents of a file, each parsed on its own: one Part per document (or per item
    of a JSON list). `progress(done, total)` counts pages read of a PDF, documents of a text.
    A document that fails is a Part with its error, named by its pages; the rest go on."""
    if name.lower().endswith(ocr.IMAGE_SUFFIXES):
        yield _scanned(name, lambda: ocr.read_images(data))
        return
    if pdfs.is_pdf(name, data):
        try:
            pages = pdfs.read_pages(data, progress)
        except pdfs.ScannedPdf as scanned:
            numbers = list(range(1, scanned.pages + 1))
            yield _scanned(name, lambda: ocr.read_pdf_pages(data, numbers, progress), scanned)
            return
        except NotADocument as error:
            yield Part(name, None, None, str(error))
            return
        yield from _split(name, pages, _starts(pages), "쪽", None)
        return
    if not name.lower().endswith(".txt"):
        yield from _whole(name, data, progress)
        return
    try:
        text = decode(data)
    except NotADocument as error:
        yield Part(name, None, None, str(error))
        return
    pages = text.split("\f")
    starts = _starts(pages)
    if len(starts) <= 1:
        yield from _whole(name, data, progress)
        return
    yield from _split(name, pages, starts, "쪽" if len(pages) > 1 else "행", progress)


def _scanned(name: str, read, refusal: Exception | None = None) -> Part:
    """A scan (an image, or a PDF without text) read by OCR as one document; refused, saying
    why, where Tesseract is not installed."""
    if not ocr.available():
        reason = f"{refusal}. " if refusal else ""
        return Part(
            name, None, None, f"{reason}OCR(Tesseract와 한국어 모델)이 설치되어 있지 않습니다"
        )
    try:
        pages = read()
        where = f"1-{len(pages)}쪽" if len(pages) > 1 else "1쪽"
        return Part(name, where, ocr.parse_pages(pages), None, pages)
    except ocr.OcrError as error:
        return Part(name, None, None, str(error))
    except NotADocument as error:
        return Part(name, None, None, f"{error} (스캔을 OCR로 읽은 글자)")


def _whole(name: str, data: bytes, progress: Progress) -> Iterator[Part]:
    """One file of one document (or of a JSON list), by sources' rules."""
    try:
        documents = sources.read_documents(name, data)
    except DocumentError as error:
        yield Part(name, None, None, str(error))
        return
    for number, document in enumerate(documents, 1):
        if progress:
            progress(number, len(documents))
        yield Part(name if len(documents) == 1 else f"{name}[{number - 1}]", None, document, None)


def _starts(pages: list[str]) -> list[tuple[int, int]]:
    """(page, line) where each document starts: at an opening heading after another
    section, or at one at the top of a later page than the last start (a document too
    broken to have other sections still ends where the next one begins)."""
    starts: list[tuple[int, int]] = []
    opened = False  # a document's first heading seen, and no other section since
    for page, text in enumerate(pages):
        lines = text.split("\n")
        for index, line in enumerate(lines):
            if opens_document(line):
                near_top = sum(bool(row.strip()) for row in lines[:index]) <= TITLE_BLOCK
                if not opened or (near_top and starts[-1][0] != page):
                    starts.append((page, 0) if near_top else (page, _title_line(lines, index)))
                opened = True
            elif opened and is_heading(line):
                opened = False
    return starts


def _title_line(lines: list[str], index: int) -> int:
    """The line above a heading: the title of a document that runs on after another."""
    above = index - 1
    while above > 0 and not lines[above].strip():
        above -= 1
    return above


def _split(
    name: str, pages: list[str], starts: list[tuple[int, int]], unit: str, progress: Progress
) -> Iterator[Part]:
    if not starts:
        starts = [(0, 0)]  # no document found: the parser says what is missing
    elif len(starts) == 1:
        starts = [(starts[0][0], 0)]  # one document, from the top of its first page
    ends = [*starts[1:], (len(pages) - 1, None)]
    wheres, texts = [], []
    for (page, line), (end_page, end_line) in zip(starts, ends, strict=True):
        chunks = []
        for at in range(page, end_page + 1):
            lines = pages[at].split("\n")
            last = end_line if at == end_page and end_line is not None else len(lines)
            chunks.append(lines[line if at == page else 0 : last])
        while len(chunks) > 1 and (not any(chunks[-1]) or _title_page(chunks[-1])):
            chunks.pop()
        wheres.append(_where(unit, page, line, page + len(chunks) - 1, chunks))
        texts.append("\n\f".join("\n".join(chunk) for chunk in chunks))
    for number, (where, (document, error)) in enumerate(zip(wheres, parsed(texts), strict=True), 1):
        if progress:
            progress(number, len(starts))
        yield Part(name, where, document, None if error is None else f"{where}: {error}")


def parsed(texts: list[str]) -> Iterator[tuple[dict | None, str | None]]:
    """Each text's document, or why it is none, in order: on two processes for a book of
    many (forked, so that nothing is imported or set up again; Django's connections are not
    used there), in this one otherwise."""
    if len(texts) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or not _can_fork():
        yield from map(_parsed, texts)
        return
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        2, mp_context=fork, initializer=_exit_with, initargs=(os.getpid(),)
    ) as pool:
        yield from pool.map(_parsed, texts, chunksize=8)


def _exit_with(parent: int) -> None:
    """In a parsing process: exit once the process that started it is gone (a worker killed,
    say). Its siblings hold the pipe it waits on open, so it would wait for work forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _parsed(text: str) -> tuple[dict | None, str | None]:
    try:
        return parse_document(text), None
    except NotADocument as error:
        return None, str(error)


def _title_page(lines: list[str]) -> bool:
    filled = [line for line in lines if line.strip()]
    return len(filled) <= TITLE_PAGE_LINES and not any(
        "\t" in line.strip() or is_heading(line) for line in filled
    )


def _where(unit: str, page: int, line: int, last_page: int, chunks: list[list[str]]) -> str:
    if unit == "쪽":
        first, last = page + 1, last_page + 1
    else:  # one page of text: lines
        first, last = line + 1, line + len(chunks[0])
    return f"{first}{unit}" if first == last else f"{first}-{last}{unit}"
