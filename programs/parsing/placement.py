"""Cell placement: where a row lost or gained blank cells, the identities decide the columns."""

from collections.abc import Callable, Sequence
from itertools import combinations
from math import comb

from ..arithmetic import SETTLEMENT_COLUMNS
from .values import Money


def budget_score(values: Sequence[int | None]) -> int:
    prior, current, change, pct = values
    score = 0
    if None not in (prior, current, change):
        score += 1 if current - prior == change else -1
    if None not in (prior, change, pct) and prior:
        score += 1 if abs(change * 100 / prior - pct) < 1 else -1
    return score


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
    def score(placed: Sequence[Money | None]) -> int:
        by_key = dict(zip(order, placed, strict=True))
        amounts = {
            key: by_key[key].amount if by_key.get(key) else None for key in SETTLEMENT_COLUMNS
        }
        nationals = {
            key: by_key[key].national if by_key.get(key) else None for key in SETTLEMENT_COLUMNS
        }
        return sum(_identity_score(values) for values in (amounts, nationals))

    return score


def identities(values: dict) -> list[tuple[str, int | None, int | None]]:
    """(column, printed value, value the identities give) for 예산현액 and 집행잔액."""
    fb, ci, bc = values["final_budget"], values["carried_in"], values["budget_change"]
    available = fb + ci + bc if None not in (fb, ci, bc) else None
    av, ex, co = values["available"], values["executed"], values["carried_out"]
    unspent = av - ex - co if None not in (av, ex, co) else None
    return [("available", av, available), ("unspent", values["unspent"], unspent)]


def _identity_score(values: dict) -> int:
    score = 0
    for _, printed, computed in identities(values):
        if printed is not None and computed is not None:
            score += 1 if printed == computed else -1
    return score
