"""Cell placement: where a row lost or gained blank cells, the identities decide the columns."""

from collections.abc import Callable, Sequence
from itertools import combinations
from math import comb

from .. import arithmetic
from ..arithmetic import SETTLEMENT_COLUMNS, SETTLEMENT_IDENTITIES
from .values import Money


def _agreement(stated: int | None, expected: int | None) -> int:
    """+1 where a stated figure is what the rule gives, −1 where it is not, 0 if either is blank."""
    if stated is None or expected is None:
        return 0
    return 1 if stated == expected else -1


def budget_score(values: Sequence[int | None]) -> int:
    """How well a placement of 예산 총괄's (A), (B), 증감, 증감률 agrees with the rules."""
    prior, current, change, pct = values
    return _agreement(change, arithmetic.change(prior, current)) + _agreement(
        pct, arithmetic.percent_change(prior, current)
    )


_MAX_PLACEMENTS = 1000  # a row of dozens of stray TABs is noise, not a puzzle to solve


def place(cells: list, width: int, score: Callable[[Sequence], int]) -> list | None:
    """Put a row's cells into `width` columns when blank cells were lost or added.

    The order of cells is kept; which columns are blank is decided by the identities between
    the figures (`score`). None when several placements fit equally well.
    """
    if len(cells) == width:
        return list(cells)
    if len(cells) > width:
        blanks = [index for index, cell in enumerate(cells) if cell is None]
        drop = len(cells) - width
        if drop > len(blanks) or comb(len(blanks), drop) > _MAX_PLACEMENTS:
            return None
        candidates = [
            [cell for index, cell in enumerate(cells) if index not in dropped]
            for dropped in combinations(blanks, drop)
        ]
    else:
        candidates = []
        for positions in combinations(range(width), len(cells)):
            row: list = [None] * width
            for position, cell in zip(positions, cells, strict=True):
                row[position] = cell
            candidates.append(row)
    if not candidates:
        return None
    scores = [score(candidate) for candidate in candidates]
    best = max(scores)
    winners = [
        candidate for candidate, value in zip(candidates, scores, strict=True) if value == best
    ]
    return winners[0] if len(winners) == 1 or all(w == winners[0] for w in winners) else None


def settlement_score_in(order: list[str]) -> Callable[[Sequence], int]:
    """How well a placement of a 결산 row's cells (in the header's `order`) keeps the
    settlement identities, on the amounts and on their 국비 parts."""

    def score(placed: Sequence[Money | None]) -> int:
        by_key = dict(zip(order, placed, strict=True))
        cells = {key: by_key.get(key) for key in SETTLEMENT_COLUMNS}
        amounts = {key: cell.amount if cell else None for key, cell in cells.items()}
        nationals = {key: cell.national if cell else None for key, cell in cells.items()}
        return sum(
            {True: 1, False: -1, None: 0}[identity.holds(values)]
            for identity in SETTLEMENT_IDENTITIES
            for values in (amounts, nationals)
        )

    return score
