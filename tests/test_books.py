"""Books: many documents one after another, split at each document's first heading."""

import json
from concurrent.futures import ProcessPoolExecutor

import pytest

from programs import books
from programs.books import Part, read_parts

from .conftest import SAMPLES, load
from .test_pdf_layouts import CORPUS, LAYOUTS, _text

COVER = "2024년도 세출예산 사업설명서\n\n서울특별시"
CHAPTER = "제2장 푸른도시여가국"
BROKEN = "고장 난 문서\n\n1 기본 현황\n\n□ 사업개요\n\n회계\t일반회계\n"


def _fields(document: dict, expected: dict) -> dict:
    return {key: document.get(key) for key in expected if key != "warnings"}


def _assert_documents(parts: list[Part], corpus: list) -> None:
    assert [part.error for part in parts] == [None] * len(corpus)
    for part, path in zip(parts, corpus, strict=True):
        expected = load(path)
        assert _fields(part.document, expected) == _fields(expected, expected), path.name


def test_a_text_book_splits_into_its_documents_without_cover_and_chapter_pages():
    texts = [_text(path) for path in CORPUS]
    pages = [COVER, *texts[:3], CHAPTER, *texts[3:]]
    calls = []
    parts = list(
        read_parts("book.txt", "\f".join(pages).encode(), lambda *done: calls.append(done))
    )
    _assert_documents(parts, CORPUS)
    assert parts[0].pages == "2쪽"
    assert parts[2].pages == "4쪽"  # the chapter's title page (5쪽) left out
    assert parts[3].pages == "6쪽"
    assert calls[-1] == (len(CORPUS), len(CORPUS))


def test_a_text_book_without_page_breaks_splits_at_each_title():
    texts = [_text(path) for path in CORPUS[:4]]
    parts = list(read_parts("book.txt", "\n\n".join(texts).encode()))
    _assert_documents(parts, CORPUS[:4])
    first_lines = len("\n\n".join(texts[:1]).split("\n"))
    assert parts[1].pages.startswith(f"{first_lines + 2}-")  # 행: the second title's line


def test_a_broken_document_is_reported_by_its_pages_and_the_others_are_read():
    texts = [_text(path) for path in SAMPLES]
    parts = list(read_parts("book.txt", "\f".join([texts[0], BROKEN, texts[1]]).encode()))
    assert [part.pages for part in parts] == ["1쪽", "2쪽", "3쪽"]
    assert parts[1].document is None
    assert parts[1].error.startswith("2쪽: 사업설명서가 아닙니다")
    assert [part.document["title"] for part in (parts[0], parts[2])] == [
        load(SAMPLES[0])["title"],
        load(SAMPLES[1])["title"],
    ]


def test_a_large_book_is_parsed_on_two_processes_in_order_as_in_this_one(monkeypatch):
    texts = [_text(path) for path in SAMPLES]
    pages = [texts[index % len(texts)] for index in range(books.PARALLEL_FROM)]
    pages[len(pages) // 2] = BROKEN
    data = "\f".join(pages).encode()
    pools = []

    class Pool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(books, "ProcessPoolExecutor", Pool)
    in_two = list(read_parts("book.txt", data))
    assert len(pools) == 1
    monkeypatch.setattr(books, "PARALLEL_FROM", len(pages) + 1)
    assert list(read_parts("book.txt", data)) == in_two
    assert len(pools) == 1
    assert [part.error is None for part in in_two].count(False) == 1


def test_one_document_files_give_one_part_each_json_item_one():
    text = SAMPLES[1].with_name(SAMPLES[1].name.replace(".expected.json", ".txt"))
    [part] = read_parts(text.name, text.read_bytes())
    assert (part.pages, part.error, part.document["title"]) == (None, None, "도시농업 활성화 지원")
    documents = [load(path) for path in SAMPLES]
    parts = list(read_parts("all.json", json.dumps(documents).encode()))
    assert [part.document for part in parts] == documents
    [refused] = read_parts("bad.json", b"{")
    assert refused.document is None and "JSON 오류" in refused.error


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_pdf_book_splits_into_its_documents(layout):
    corpus = CORPUS[:5]
    texts = [COVER, *(_text(path) for path in corpus[:2]), CHAPTER]
    texts += [_text(path) for path in corpus[2:]]
    data = LAYOUTS[layout].write(texts)
    calls = []
    parts = list(read_parts("book.pdf", data, lambda *done: calls.append(done)))
    _assert_documents(parts, corpus)
    assert parts[0].pages.startswith("2-")
    assert calls[-1][0] == calls[-1][1] > 10
