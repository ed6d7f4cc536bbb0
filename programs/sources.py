"""Reading document files: the JSON form (`.json`) or the text extracted from a PDF (`.txt`)."""

import json
from pathlib import Path

from .documents import DocumentError
from .parsing import NotADocument, decode, parse_document

SUFFIXES = (".json", ".txt")


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
    """The documents of one file's content: parsed text, or the JSON form (one or a list)."""
    if name.lower().endswith(".txt"):
        try:
            return [parse_document(decode(data))]
        except NotADocument as error:
            raise DocumentError(str(error)) from None
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise DocumentError(f"UTF-8 텍스트가 아닙니다 (byte {error.start})") from None
    except json.JSONDecodeError as error:
        message = f"line {error.lineno} column {error.colno}: JSON 오류: {error.msg}"
        raise DocumentError(message) from None
    return content if isinstance(content, list) else [content]


def read_file(path: Path) -> list[dict]:
    return read_documents(path.name, path.read_bytes())
