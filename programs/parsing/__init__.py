"""Read the text of a Seoul budget program description (사업설명서) into its JSON form.

The text comes from PDF extraction: TABs separate table cells, bullets and symbols are mangled
(`○` printed as `0`, `o`, `ㅇ` or `\\circ`; `계` as `月`), labels drift onto a neighbouring row,
lines wrap, and page numbers and running headers interrupt tables. The parser therefore leans
on the document's structure (section headings, cell positions, bullets) and on the arithmetic
identities between its figures (docs/document-format.md), not on any wording.

A value that cannot be read is `None` plus an entry in `warnings` naming the section and the
source line; input that is not a program description raises `NotADocument` (`TooLarge` for a
text beyond `MAX_BYTES`). No other exception
escapes `decode` or `parse_document`.
"""

from ..documents import FORMAT
from .document import parse_document, parse_file
from .sections import SECTION_NAMES
from .text import MAX_BYTES, NotADocument, TooLarge, decode

__all__ = [
    "FORMAT",
    "MAX_BYTES",
    "SECTION_NAMES",
    "NotADocument",
    "TooLarge",
    "decode",
    "parse_document",
    "parse_file",
]
