"""The text of a document: decoding, lines and cells, cleaning, and the warnings."""

import codecs
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .characters import BULLET, DASH, DOT, TILDE, normalize


class NotADocument(ValueError):
    """The input is not (the text of) a program description; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"사업설명서가 아닙니다: {reason}")


# A program description is 5-20 KB of text; a hundred times that is not one. Reading is
# linear, and this bound keeps the worst case under two seconds.
MAX_BYTES = 1024 * 1024


class TooLarge(NotADocument):
    """The text is larger than any program description: refused unread."""

    def __init__(self, size: int) -> None:
        super().__init__(
            f"텍스트가 너무 큼 ({size:,}바이트, 한도 {MAX_BYTES:,}바이트):"
            " 사업설명서를 하나씩 올려 주세요"
        )


def refuse_too_large(text: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise TooLarge(size)


# ---------------------------------------------------------------- decoding


def decode(data: bytes) -> str:
    """The text of a document file: UTF-8 (with or without BOM), else CP949/EUC-KR."""
    if data.startswith(codecs.BOM_UTF8):
        text = _decode_as(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_as(data, "utf-16")
    elif b"\x00" in data:
        raise NotADocument("텍스트가 아닌 이진 자료 (NUL 바이트)")
    else:
        text = _decode_as(data, "utf-8", "cp949")
    if _looks_binary(text):
        raise NotADocument("텍스트가 아닌 이진 자료 (제어 문자)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_as(data: bytes, *encodings: str) -> str:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotADocument(f"{' 또는 '.join(encodings)} 텍스트가 아님")


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _looks_binary(text: str) -> bool:
    # PDF extraction leaves the odd stray control character; binary data is full of them.
    return len(_CONTROL_RE.findall(text)) > max(2, len(text) // 100)


# ---------------------------------------------------------------- lines and cells


class Line(NamedTuple):
    no: int  # 1-based line number in the source, for warnings
    text: str
    cells: list[str]  # TAB-separated table cells, stripped
    compact: str  # the text without whitespace: extraction spaces words unevenly


# Form feeds (page breaks, which editors do not count as line breaks) and vertical tabs go;
# every other variant of a character is folded by `normalize` into its class's one form.
_PAGE_BREAK_RE = re.compile(r"[\f\v]")


def split_lines(text: str) -> list[Line]:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _PAGE_BREAK_RE.sub("", normalize(text))
    lines = []
    for no, raw in enumerate(text.split("\n"), 1):
        # Leading TABs stay: they are the blank cells that place the others in their columns.
        kept = raw.rstrip().lstrip(" ")
        if not kept:
            continue
        cells = [cell.strip() for cell in kept.split("\t")]
        lines.append(Line(no, kept, cells, compact(kept)))
    return lines


# str.split() cuts at the characters `\s` matches (str.isspace), a few times faster than a
# regex substitution: the parser calls these for every line and cell.
def compact(text: str) -> str:
    return "".join(text.split())


def squash(text: str) -> str:
    return " ".join(text.split())


def joined(cells: Iterable[str]) -> str:
    return squash(" ".join(cell for cell in cells if cell))


def trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


# A category label (or a piece of one wrapped over lines): words, no figures.
_LABEL_RE = re.compile(rf"[^\d={TILDE}]{{0,30}}[가-힣月][^\d={TILDE}]{{0,30}}")


def is_label(text: str) -> bool:
    return bool(_LABEL_RE.fullmatch(text))


_WORD_RE = re.compile(r"[가-힣A-Za-z]{2}")


def has_words(text: str) -> bool:
    """Whether a stray line holds words (worth a warning) or only digits and symbols."""
    return bool(_WORD_RE.search(text))


NONE_RE = re.compile(r"해당\s*(?:사항)?\s*없음|^없음$")
# A table's only line saying it has no rows (`결산 실적이 없습니다.`): read where no row came.
EMPTY_TABLE_RE = re.compile(r"[가-힣]+(?:\s[가-힣]+)?[이가]\s*없습니다\.?")


def says_none(lines: Sequence[Line]) -> bool:
    return any(NONE_RE.search(line.text) for line in lines)


# ---------------------------------------------------------------- warnings


class Notes:
    """The warnings: what reading could not do cleanly and what it did instead, in Korean,
    by section and source line (`산출근거 42행: …`, `결산 2020 (137행): …`)."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.used: set[int] = set()  # the source lines read into a field (or a table head)
        self.named: set[int] = set()  # the source lines a warning names
        self.furniture: set[int] = set()  # page numbers, running headers, unit notes

    def use(self, *lines: int) -> None:
        self.used.update(lines)

    def add(self, where: str, line: int | None, message: str) -> None:
        if line is not None:
            self.named.add(line)
        if line is None:
            at = ""
        elif where[-1:].isdigit():  # `결산 2020`: brackets keep the line apart from the year
            at = f" ({line}행)"
        else:
            at = f" {line}행"
        self.messages.append(f"{where}{at}: {message}")


def subject(word: str) -> str:
    """`word` with the subject particle its last syllable takes: `예산현액이`, `회계가`."""
    syllables = [char for char in word if "가" <= char <= "힣"]
    if not syllables:
        return f"{word}이(가)"
    has_final = (ord(syllables[-1]) - ord("가")) % 28 != 0
    return f"{word}{'이' if has_final else '가'}"


def ignored(text: str, why: str = "읽지 못한") -> str:
    """The warning for a line that reading skipped: `읽지 못한 '…' 줄을 건너뜀`."""
    return f"{why} {text!r} 줄을 건너뜀"


_BULLET_RE = re.compile(rf"^(?:{BULLET}|[{DASH}{DOT}*※①-⑳])\s*")


def strip_bullet(text: str) -> str:
    return _BULLET_RE.sub("", text, count=1).strip()


def bulleted(lines: list[Line]) -> list[tuple[int, str]]:
    """List entries: a bulleted line starts one, an unbulleted line continues the last."""
    entries: list[tuple[int, list[str]]] = []  # joined once, at the end: linear in the lines
    for line in lines:
        text = joined(line.cells)
        body = strip_bullet(text)
        if body != text or not entries:
            entries.append((line.no, [body]))
        else:
            entries[-1][1].append(text)
    joined_entries = [(no, squash(" ".join(parts))) for no, parts in entries]
    return [(no, text) for no, text in joined_entries if text]
