"""Reading document files: the JSON form (`.json`), the text extracted from a PDF (`.txt`), a
PDF (`.pdf`, or any file that starts `%PDF`), or a scan (a PDF without text, an image), which
OCR reads where Tesseract is installed."""

import json
import re
import sys
from pathlib import Path

from . import books, ocr, pdfs
from .documents import DocumentError
from .parsing import NotADocument, decode, parse_document

SUFFIXES = (".json", ".txt", ".pdf", *ocr.IMAGE_SUFFIXES)
# Far deeper than any document (they nest five levels), far below where writers of JSON
# (Python's recursion limit) stop.
MAX_DEPTH = 100


def document_files(paths: list[str]) -> list[Path]:
    """The files named, and the documents inside the folders named, in name order."""
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(f"{name}: 파일이나 폴더가 없습니다")
    return files


def read_documents(name: str, data: bytes) -> list[dict]:
    """The documents of one file's content: parsed text or PDF, or the JSON form (one or a
    list). A PDF may hold several documents (a book): all are read, or none."""
    if pdfs.is_pdf(name, data) or name.lower().endswith(ocr.IMAGE_SUFFIXES):
        parts = list(books.read_parts(name, data))
        errors = [part.error for part in parts if part.error]
        if errors:
            raise DocumentError("; ".join(errors))
        return [part.document for part in parts]
    if name.lower().endswith(".txt"):
        try:
            return [parse_document(decode(data))]
        except NotADocument as error:
            raise DocumentError(str(error)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(f"UTF-8 텍스트가 아닙니다 (byte {error.start})") from None
    return _json_documents(text)


def _json_documents(text: str) -> list[dict]:
    """The documents of a JSON text; every way it can be unreadable is a DocumentError that
    says where (line and column, or the field's path) and what, in Korean."""
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"line {error.lineno} column {error.colno}: JSON 오류: {error.msg}"
        raise DocumentError(message) from None
    except RecursionError:
        raise DocumentError(f"{_too_deep(text)}: JSON이 너무 깊게 중첩되어 있습니다") from None
    except ValueError:
        # Python refuses to read integers of more than 4,300 digits.
        raise DocumentError(_too_long_number(text)) from None
    _refuse_unstorable(content, text)
    if content == []:
        raise DocumentError("문서가 없습니다 (빈 목록 [])")
    return content if isinstance(content, list) else [content]


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return f"line {line} column {column}"


def _too_deep(text: str) -> str:
    """Where the nesting goes deeper than any document does (only on the error path)."""
    depth, in_string, escaped = 0, False, False
    for offset, char in enumerate(text):
        if escaped:
            escaped = False
        elif in_string:
            escaped, in_string = char == "\\", char != '"'
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _line_column(text, offset)
        elif char in "]}":
            depth -= 1
    return "JSON"


def _too_long_number(text: str) -> str:
    found = re.search(rf"\d{{{sys.get_int_max_str_digits() + 1},}}", text)
    where = _line_column(text, found.start()) if found else "JSON"
    digits = f" ({len(found.group()):,}자리)" if found else ""
    return f"{where}: 정수가 너무 깁니다{digits}"


def _refuse_unstorable(content: object, text: str) -> None:
    """Refuse what valid JSON may hold and nothing can store: nesting deeper than MAX_DEPTH
    (each writer of JSON recurses), and a string with half of a surrogate pair (`"\\ud800"`),
    named by the field that holds it. One walk, without recursion."""
    stack: list[tuple[str, object, int]] = [("", content, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth >= MAX_DEPTH and isinstance(value, dict | list):  # nesting level depth + 1
            raise DocumentError(f"{_too_deep(text)}: JSON이 너무 깊게 중첩되어 있습니다")
        if isinstance(value, str) and not _encodable(value):
            raise DocumentError(f"{path or 'JSON'}: 짝이 없는 서로게이트 문자가 들어 있습니다")
        if isinstance(value, dict):
            for key, item in value.items():
                if not _encodable(key):
                    # The key itself cannot be printed: name where it is.
                    message = "키에 짝이 없는 서로게이트 문자가 있습니다"
                    raise DocumentError(f"{path or 'JSON'}: {message}")
                stack.append((f"{path}.{key}" if path else key, item, depth + 1))
        elif isinstance(value, list):
            stack += [(f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value)]


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_file(path: Path) -> list[dict]:
    return read_documents(path.name, path.read_bytes())
