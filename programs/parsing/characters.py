"""One table of character classes, built from Unicode properties, applied once before reading.

PDF extraction and OCR write the same mark in many Unicode forms: a bullet as ○ ◦ ⚬ ● •, a
negative sign as △ ▵ ▲ ∆, a dash as ‐ – — − －, a digit full-width. Each class is found by
the characters' Unicode category and name (and NFKC for full-width forms), not listed from
the samples; `normalize` maps every member to its class's one form, so readers see one form
and their patterns name the class (`CIRCLE`, `NEGATIVE`, …), never a literal variant.
"""

import re
import unicodedata
from functools import cache

# The one form of each class, as readers see it.
CIRCLE = "○"  # an item bullet: circles, rings and bullets, hollow or filled
SQUARE = "□"  # a heading marker, or a box left blank
FILLED_SQUARE = "■"  # a filled square: a heading marker, or a ticked box
TICK = "☑"  # a ticked box or a check mark
NEGATIVE = "△"  # the documents' minus sign: up-pointing triangles and deltas
DASH = "-"  # hyphens, dashes and minus signs
DOT = "·"  # middle dots: a third-level bullet, or the separator of `실·국`
TILDE = "~"  # a range: tildes and wave dashes
TIMES = "×"  # a multiplication sign (the letters x and X count as one only in formulas)
QUOTE = "'"  # apostrophes, primes and single quotation marks (`'24`)
DOUBLE_QUOTE = '"'

# OCR reads a circle bullet at the start of a line as a letter or a digit, and TeX-minded
# extraction writes it `\\circ`: these are bullets only where a bullet stands (regex text).
BULLET = rf"(?:{re.escape(CIRCLE)}|ㅇ|\\circ\b|[oO0](?=\s))"
# A heading's `□` read by OCR as the Hangul letter or the Chinese character that look like it.
SQUARE_LOOKALIKES = "ㅁ口"

# Each class: the categories its members have and a pattern on their Unicode names.
_SYMBOL = ("So", "Sm", "Po", "Pd", "Ps", "Pe", "Pi", "Pf", "Sk", "Lm")
_CLASSES = (
    (
        TILDE,
        _SYMBOL,
        r"((SMALL |FULLWIDTH |REVERSED |MODIFIER LETTER (LOW )?)?TILDE( OPERATOR)?"
        r"|WAVE DASH|SWUNG DASH)$",
    ),
    (NEGATIVE, _SYMBOL, r"((WHITE|BLACK)( UP-POINTING)( SMALL)? TRIANGLE|INCREMENT)"),
    (NEGATIVE, ("Lu",), r"GREEK CAPITAL LETTER DELTA"),
    (TICK, _SYMBOL, r".*(CHECK MARK|BALLOT BOX WITH|BALLOT X)|SQUARE ROOT"),
    (TICK, _SYMBOL, r"WHITE SQUARE CONTAINING BLACK SMALL SQUARE"),
    (FILLED_SQUARE, _SYMBOL, r"(BLACK|BLACK (LARGE|MEDIUM|SMALL|MEDIUM SMALL|VERY SMALL)) SQUARE$"),
    (SQUARE, _SYMBOL, r"(WHITE|WHITE (LARGE|MEDIUM|SMALL|MEDIUM SMALL|VERY SMALL)) SQUARE$"),
    (SQUARE, _SYMBOL, r"(WHITE SQUARE WITH ROUNDED CORNERS|BALLOT BOX|.*SHADOWED WHITE SQUARE)$"),
    (DOT, _SYMBOL, r"((HALFWIDTH )?(KATAKANA )?MIDDLE DOT|BULLET OPERATOR|HYPHENATION POINT)$"),
    (DOT, _SYMBOL, r"DOT OPERATOR$"),
    (DOT, ("Lo",), r"HANGUL LETTER ARAEA$"),
    (
        CIRCLE,
        _SYMBOL,
        r"((WHITE|BLACK|LARGE|HEAVY|HEAVY LARGE|MEDIUM|MEDIUM WHITE|MEDIUM BLACK"
        r"|MEDIUM SMALL WHITE|SMALL WHITE|SMALL BLACK) CIRCLE|(WHITE |BLACK |TRIANGULAR )?BULLET"
        r"|INVERSE BULLET|CIRCLED (WHITE )?BULLET|.*SHADOWED WHITE CIRCLE|RING OPERATOR"
        r"|BULLSEYE|FISHEYE)$",
    ),
    (DASH, ("Pd",), r""),
    (DASH, _SYMBOL, r"((HEAVY )?MINUS SIGN|HYPHEN BULLET)$"),
    (TIMES, _SYMBOL, r"((HEAVY )?MULTIPLICATION (SIGN|X)|VECTOR OR CROSS PRODUCT)$"),
    (DOUBLE_QUOTE, _SYMBOL, r".*DOUBLE APOSTROPHE$"),
    (
        QUOTE,
        _SYMBOL,
        r"(.*APOSTROPHE|(MODIFIER LETTER |REVERSED )?PRIME|(?!.*ANGLE).*SINGLE.*QUOTATION MARK)$",
    ),
    (DOUBLE_QUOTE, _SYMBOL, r".*QUOTATION MARK$"),
)
_PATTERNS = tuple(
    (form, frozenset(categories), re.compile(pattern)) for form, categories, pattern in _CLASSES
)


def _form(char: str) -> str:
    """The one form of `char`'s class, `""` to drop it, or `char` itself outside every class."""
    category = unicodedata.category(char)
    if category == "Zs":
        return " "
    if category == "Cf":  # zero-width spaces and joiners, soft hyphens, byte-order marks
        return ""
    if category == "Nd":
        return str(unicodedata.digit(char))
    name = unicodedata.name(char, "")
    for form, categories, pattern in _PATTERNS:
        if category in categories and pattern.match(name):
            return form
    # Full-width letters and signs (`ｘ`, `（`, `：`) are their ASCII forms.
    wide = name.startswith("FULLWIDTH") and category[0] in "PSL"
    if wide or (name.startswith(("HALFWIDTH", "SMALL ")) and category[0] in "PS"):
        folded = unicodedata.normalize("NFKC", char)
        return _form(folded) if len(folded) == 1 and folded != char else char
    return char


class _Table(dict):
    """`str.translate`'s table, filled as characters are met (the whole of Unicode is large)."""

    def __missing__(self, code: int) -> str:
        form = self[code] = _form(chr(code))
        return form


_TABLE = _Table()
# ASCII and Hangul syllables are in no class (each is its own form): only the runs of other
# characters are looked up, which keeps a Korean text's normalisation ten times faster.
_OTHERS_RE = re.compile(r"[^\x00-\x7f\uac00-\ud7a3]+")


def _translate(run: re.Match) -> str:
    return run[0].translate(_TABLE)


def normalize(text: str) -> str:
    """`text` with every character of a class in the class's one form."""
    return _OTHERS_RE.sub(_translate, text)


@cache
def _all_members() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for code in range(0x10000):
        if not 0xD800 <= code <= 0xDFFF:
            char = chr(code)
            form = _form(char)
            if form != char:
                found.setdefault(form, []).append(char)
    return {form: tuple(chars) for form, chars in found.items()}


def members(form: str) -> tuple[str, ...]:
    """The characters of the Basic Multilingual Plane that `normalize` turns into `form`
    (for tests that swap one for another)."""
    return _all_members().get(form, ())
