"""Figures on a page: charts printed as pictures, whose bars, legends and axis labels are ink
like the text and must not be read as rows of the document's tables.

A figure is found by what text never has: filled areas. Ink is pooled in small squares;
squares of nothing but ink, a few in a row each way, are solid (a bar, a legend's swatch, a
timeline's marker; a letter's stroke is thinner). Solid rows close together are one figure
if their solid area is that of a chart, not of a heading's numbered box. The figure runs
over the whole width of its rows (axis labels sit beside the bars), down through the lines
that follow it indented from the page's margin (tick labels, an axis title) and stops at the
first line that begins at the margin: its caption, or the next paragraph. Above, it takes the
indented lines (axis labels over a short first bar) and the legend, the first line above
with a swatch.
"""

from PIL import Image, ImageFilter

from . import image

_CELL = 0.02  # inches: ink pooled in squares this wide
_SOLID = 3  # cells: a solid area is at least this many full cells each way
_GAP = 0.5  # inches: solid rows this close are one figure
_AREA = 0.2  # square inches of solid ink: a chart's bars and swatches, not a numbered box
_INDENT = 0.2  # inches right of the margin where a figure's labels begin


def spans(inked: Image.Image, dpi: int) -> list[tuple[int, int]]:
    """The figures' rows, top to bottom: (first row, last row) in pixels of `inked`."""
    cell = max(2, round(dpi * _CELL))
    columns, rows = inked.width // cell, inked.height // cell
    if not columns or not rows:
        return []
    pooled = inked.resize((columns, rows), Image.BOX, box=(0, 0, columns * cell, rows * cell))
    full = pooled.point(lambda value: 255 if value >= 250 else 0)
    solid = full.filter(ImageFilter.MinFilter(_SOLID)).tobytes()
    counts = [solid[y * columns : (y + 1) * columns].count(255) for y in range(rows)]
    gap = max(1, round(dpi * _GAP / cell))
    least = dpi * dpi * _AREA / (cell * cell)
    found, start, last, area = [], None, -gap - 1, 0
    for y, count in enumerate([*counts, 0]):
        if count:
            if y - last > gap:
                if start is not None and area >= least:
                    found.append((start, last))
                start, area = y, 0
            area += count
            last = y
    if start is not None and area >= least:
        found.append((start, last))
    if not found:
        return []
    blocks = image.blocks(inked)
    margin = min(left for _, _, left in blocks)
    indent = margin + dpi * _INDENT
    solid_rows = {
        y for row, count in enumerate(counts) if count for y in range(row * cell, (row + 1) * cell)
    }
    return [
        _extend(top * cell, (bottom + 1) * cell, blocks, indent, solid_rows)
        for top, bottom in found
    ]


def _extend(
    top: int, bottom: int, blocks: list[tuple[int, int, int]], indent: float, solid: set[int]
) -> tuple[int, int]:
    """The figure's rows widened to the blocks of ink they cut; then up through the indented
    blocks above it (axis labels) and the legend's, the first with a swatch; then down
    through the indented blocks below it (tick labels, the axis title)."""
    for first, last, _ in blocks:
        if first <= top <= last:
            top = first
        if first <= bottom <= last:
            bottom = last
    for first, last, left in reversed(blocks):
        if last >= top:
            continue
        top = first if left >= indent or solid & set(range(first, last + 1)) else top
        if left < indent:
            break
    for first, last, left in blocks:
        if first <= bottom:
            continue
        if left < indent:
            break
        bottom = last
    return top, bottom
