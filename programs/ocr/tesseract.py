"""Tesseract, called as a program: one call a page, words with their boxes and confidences.

The `tesseract` binary is called directly (its TSV output is all we need; pytesseract adds
nothing but a wrapper around the same call). One thread per call: Tesseract's OpenMP threads
busy-wait and cost more system time than they save on a small machine; pages are read one
after another.
"""

import dataclasses
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LANGUAGE = "kor"
# Below this confidence (Tesseract's 0-100) a word is doubtful: its values are named in
# warnings and may be corrected. Clean words of the printed samples read 90-97; misread
# bullets and jamo 10-55 (docs/benchmarks.md).
DOUBTFUL = 80.0
# One block of text: measured on the printed reports, it reads rows of cells as rows (the
# sparse-text mode, 11, scatters syllables and invents jamo between them).
_PAGE_SEGMENTATION = "6"
_TIMEOUT = 120  # seconds for one page; a page that takes longer is not a page of text


class OcrError(Exception):
    """Tesseract could not read an image; the message is Korean."""


@dataclass(frozen=True)
class Word:
    left: int
    top: int
    width: int
    height: int
    confidence: float  # Tesseract's 0-100
    text: str
    # Tesseract's text puts a space before this word. Its word boxes split Hangul into
    # syllables with gaps as wide as spaces; its text knows which are one word.
    spaced: bool = True

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def middle(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


def available() -> bool:
    """Tesseract is installed with its Korean model."""
    binary = shutil.which("tesseract")
    if not binary:
        return False
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in listed.stdout.split()


def words(
    png: bytes,
    dpi: int,
    language: str = LANGUAGE,
    options: tuple[str, ...] = (),
    segmentation: str = _PAGE_SEGMENTATION,
) -> list[Word]:
    """The words Tesseract reads on a page image (PNG bytes): boxes and confidences from its
    TSV, spaces from its text, both from one reading. `options` are Tesseract's `-c` settings."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "page"
        command = [
            "tesseract",
            "stdin",
            str(base),
            "-l",
            language,
            "--psm",
            segmentation,
            "--dpi",
            str(dpi),
            *(part for option in options for part in ("-c", option)),
            "txt",
            "tsv",
        ]
        environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            result = subprocess.run(
                command, input=png, capture_output=True, timeout=_TIMEOUT, env=environment
            )
        except FileNotFoundError:
            raise OcrError("Tesseract가 설치되어 있지 않아 이미지를 읽을 수 없습니다") from None
        except subprocess.TimeoutExpired:
            raise OcrError(f"Tesseract가 {_TIMEOUT}초 안에 쪽을 읽지 못했습니다") from None
        if result.returncode:
            reason = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise OcrError(f"Tesseract가 이미지를 읽지 못했습니다: {' '.join(reason)}")
        tsv = base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
        text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
    return _spaced(_parse_tsv(tsv), text)


def _parse_tsv(tsv: str) -> list[Word]:
    found = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        # level 5 is a word; the others (page, block, paragraph, line) carry no text
        if len(fields) < 12 or fields[0] != "5" or not fields[11].strip():
            continue
        left, top, width, height = (int(value) for value in fields[6:10])
        found.append(Word(left, top, width, height, float(fields[10]), fields[11].strip()))
    return found


def _spaced(words: list[Word], text: str) -> list[Word]:
    """The words, each marked with whether the text has white space before it. Both list the
    same words in the same order; where they part (they should not), every word is spaced."""
    position, marked = 0, []
    for word in words:
        start = position
        while position < len(text) and text[position].isspace():
            position += 1
        if not text.startswith(word.text, position):
            return words
        marked.append(dataclasses.replace(word, spaced=position > start))
        position += len(word.text)
    return marked
