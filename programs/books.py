"""Reading a file into its documents, one part at a time, each with its own result.

Files of one document (a `.txt` extraction, a `.json` document or list of documents) for now;
books (many documents in one text or PDF) are split here as well, the same interface.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .documents import DocumentError
from .sources import read_documents


@dataclass
class Part:
    """One document of a file as read: the document, or why it could not be read."""

    source: str  # the file, and where in it
    pages: str | None  # e.g. "12-15쪽"; None where the file has no pages
    document: dict | None
    error: str | None


def read_parts(
    name: str, data: bytes, progress: Callable[[int, int], None] | None = None
) -> Iterator[Part]:
    """The documents of a file's content, in order; `progress(done, total)` as they are read."""
    try:
        documents = read_documents(name, data)
    except DocumentError as error:
        yield Part(name, None, None, str(error))
        return
    total = len(documents)
    for index, document in enumerate(documents):
        source = name if total == 1 else f"{name}[{index}]"
        if progress:
            progress(index + 1, total)
        yield Part(source, None, document, None)
