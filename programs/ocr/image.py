"""A page image's geometry, with Pillow alone: its skew, and the ruling lines of its tables.

Ink is what is darker than paper and than a table head's shading. A ruling line is a long,
thin run of ink: Pillow's box filter averages a row over a window as long as a few
characters, so only runs that fill the whole window (lines, not letters) stay black, and a
run thicker than a line (a chart's bar, a filled box) is dropped.
"""

import io
import itertools
from dataclasses import dataclass

from PIL import Image, ImageOps

# Rules are printed grey (about 180 of 255), head cells shaded lighter (about 238).
INK = 215
_PAPER = 248  # lighter than this is paper; between it and ink, a shading
# The window a run must fill, and the shortest rule and the thickest, in inches.
_WINDOW = 0.08
_SHORTEST = 0.25
_THICKEST = 0.035
# Skew: angles tried, in degrees, first coarse then around the best.
_COARSE = [step / 2 for step in range(-6, 7)]  # ±3°
_FINE = [step / 10 for step in range(-3, 4)]  # ±0.3° around the coarse best
_PROFILE_WIDTH = 500  # pixels: enough to see rules, cheap to rotate


@dataclass(frozen=True)
class Rule:
    """A ruling line: `at` is its y (horizontal) or x (vertical); it runs from `start` to `end`."""

    at: int
    start: int
    end: int


def png(grey: Image.Image) -> bytes:
    """The picture as PNG, as Tesseract reads it (least compression: it is read at once)."""
    buffer = io.BytesIO()
    grey.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def prepare(image: Image.Image) -> Image.Image:
    """The page in grey, upright (EXIF), without an alpha channel."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(paper, image)
    return image.convert("L")


def ink(grey: Image.Image) -> Image.Image:
    """255 where there is ink, 0 on paper."""
    return grey.point(lambda value: 255 if value < INK else 0)


def skew(grey: Image.Image) -> float:
    """The angle (degrees) that makes the page's rows of ink sharpest: with the rules and the
    lines of text level, the row profile has its highest peaks."""
    scale = _PROFILE_WIDTH / grey.width
    small = ink(grey.resize((_PROFILE_WIDTH, max(1, round(grey.height * scale))), Image.BOX))
    best = max(_COARSE, key=lambda angle: _sharpness(small, angle))
    return max((best + step for step in _FINE), key=lambda angle: _sharpness(small, angle))


def _sharpness(small: Image.Image, angle: float) -> float:
    turned = small.rotate(angle, resample=Image.BILINEAR, fillcolor=0)
    rows = turned.resize((1, turned.height), Image.BOX).tobytes()
    return sum(value * value for value in rows)


def deskew(grey: Image.Image, angle: float) -> Image.Image:
    if abs(angle) < 0.05:
        return grey
    return grey.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)


def rules(inked: Image.Image, dpi: int) -> tuple[list[Rule], list[Rule]]:
    """The horizontal and the vertical ruling lines of an ink image."""
    horizontal = _rules(inked, dpi)
    vertical = _rules(inked.transpose(Image.Transpose.TRANSPOSE), dpi)
    return horizontal, vertical


def _rules(inked: Image.Image, dpi: int) -> list[Rule]:
    """Horizontal rules: rows where a run fills consecutive windows; neighbouring rows that
    run alike are one rule, unless they are too many to be a line."""
    window = max(2, round(dpi * _WINDOW))
    width, height = inked.size
    columns = width // window
    pooled = inked.resize((columns, height), Image.BOX, box=(0, 0, columns * window, height))
    data = pooled.tobytes()
    shortest = max(2, round(dpi * _SHORTEST / window))
    runs: list[tuple[int, int, int]] = []  # (y, first window, last window)
    for y in range(height):
        row = data[y * columns : (y + 1) * columns]
        start = None
        for x, value in enumerate(row):
            if value >= 230:
                if start is None:
                    start = x
            elif start is not None:
                if x - start >= shortest:
                    runs.append((y, start, x - 1))
                start = None
        if start is not None and columns - start >= shortest:
            runs.append((y, start, columns - 1))
    thickest = max(2, round(dpi * _THICKEST))
    found = []
    for y0, y1, start, end in _merge(runs):
        if y1 - y0 + 1 > thickest:
            continue
        # A line has paper on both sides; a filled area's edge (a bar, a shaded box) has not.
        sides = [y for y in (y0 - thickest, y1 + thickest) if 0 <= y < height]
        if any(_share(data[y * columns + start : y * columns + end + 1]) > 0.5 for y in sides):
            continue
        found.append(Rule(at=(y0 + y1) // 2, start=start * window, end=(end + 1) * window))
    return found


def _share(pooled: bytes) -> float:
    """The share of ink in a stretch of pooled pixels."""
    return sum(pooled) / (255 * len(pooled)) if pooled else 0.0


def _merge(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Runs on consecutive rows that overlap are one band: (first row, last row, first
    window, last window), in order of their first row."""
    bands: list[list[int]] = []
    open_bands: list[list[int]] = []
    for y, start, end in runs:
        still_open, placed = [], False
        for band in open_bands:
            if y - band[1] > 1:
                continue
            still_open.append(band)
            if not placed and start <= band[3] and end >= band[2]:
                band[1], band[2], band[3] = y, min(band[2], start), max(band[3], end)
                placed = True
        if not placed:
            band = [y, y, start, end]
            bands.append(band)
            still_open.append(band)
        open_bands = still_open
    return [tuple(band) for band in bands]


def erase(grey: Image.Image, horizontal: list[Rule], vertical: list[Rule], dpi: int) -> Image.Image:
    """The page without its rules, which the OCR would otherwise read as `|`, `-` or `_`."""
    from PIL import ImageDraw

    clean = grey.copy()
    draw = ImageDraw.Draw(clean)
    # half the thickest rule, and two pixels of its grey edge that would read as `_`
    half = max(2, round(dpi * _THICKEST / 2) + 2)
    for rule in horizontal:
        draw.rectangle((rule.start, rule.at - half, rule.end, rule.at + half), fill=255)
    for rule in vertical:
        draw.rectangle((rule.at - half, rule.start, rule.at + half, rule.end), fill=255)
    return clean


def blank(grey: Image.Image, spans: list[tuple[int, int]]) -> Image.Image:
    """The page with the rows of each span (first, last) painted paper."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(grey)
    for top, bottom in spans:
        draw.rectangle((0, top, grey.width, bottom), fill=255)
    return grey


def blocks(inked: Image.Image) -> list[tuple[int, int, int]]:
    """Runs of rows with ink, each with its leftmost inked column: (top, bottom, left)."""
    profile = inked.resize((1, inked.height), Image.BOX).tobytes()
    found, start = [], None
    for y, value in enumerate([*profile, 0]):
        if value and start is None:
            start = y
        elif not value and start is not None:
            box = inked.crop((0, start, inked.width, y)).getbbox()
            found.append((start, y - 1, box[0] if box else inked.width))
            start = None
    return found


def unshade(grey: Image.Image, horizontal: list[Rule]) -> Image.Image:
    """The page with the shading of table cells made paper: between two rules, where the
    paper is grey (a table's head), what is lighter than ink turns white. Tesseract misreads
    bold letters on a grey ground (`과목구분` as `괴득고큰`); elsewhere the page is left as it
    is."""
    for upper, lower in itertools.pairwise(horizontal):
        box = (min(upper.start, lower.start), upper.at + 3, max(upper.end, lower.end), lower.at - 2)
        if box[3] - box[1] < 4 or box[2] - box[0] < 4:
            continue
        band = grey.crop(box)
        light = [value for value in band.tobytes() if value >= INK]
        if light and sorted(light)[len(light) // 2] < _PAPER:
            grey.paste(band.point(lambda value: 255 if value >= INK else value), box[:2])
    return grey
