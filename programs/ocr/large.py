"""Large print read again at the size Tesseract reads best. A document's title is printed at
two or three times the size of its text, and Tesseract's Korean model, reading the page at
once, breaks its syllables apart (`사회적경제지원센터 운영` as `회적경지원 운영` over
`사 히저겨제 위서센터 으여`). Each row of ink much taller than the page's rows of text is
cropped, shrunk to their height and read alone as one line; its words replace the words
Tesseract read in those rows, where it is surer of them."""

from statistics import median

from PIL import Image

from . import image, tesseract
from .layout import join_words
from .tesseract import Word

_LARGE = 1.8  # times the median height of the page's rows of ink
_LINE = "7"  # Tesseract's page segmentation: one line of text


def reread(grey: Image.Image, words: list[Word], dpi: int) -> list[Word]:
    """The words, with those of each large row replaced by its second reading (one word,
    as wide as the row's ink)."""
    rows = image.blocks(image.ink(grey))
    if not rows or not words:
        return words
    usual = median(bottom - top + 1 for top, bottom, _ in rows)
    for top, bottom, _ in rows:
        inside = [word for word in words if top <= word.middle[1] <= bottom]
        if bottom - top + 1 <= _LARGE * usual or not inside:
            continue
        box = image.ink(grey.crop((0, top, grey.width, bottom + 1))).getbbox()
        if not box:
            continue
        crop = grey.crop((box[0], top + box[1], box[2], top + box[3]))
        scale = usual / crop.height
        crop = crop.resize(
            (max(1, round(crop.width * scale)), max(1, round(crop.height * scale))), Image.LANCZOS
        )
        margin = round(usual)
        page = Image.new("L", (crop.width + 2 * margin, crop.height + 2 * margin), 255)
        page.paste(crop, (margin, margin))
        read = tesseract.words(image.png(page), dpi, segmentation=_LINE)
        if not read or min(w.confidence for w in read) <= min(w.confidence for w in inside):
            continue
        line = Word(
            box[0],
            top + box[1],
            box[2] - box[0],
            box[3] - box[1],
            min(word.confidence for word in read),
            join_words(read),
        )
        words = [word for word in words if word not in inside] + [line]
    return words
