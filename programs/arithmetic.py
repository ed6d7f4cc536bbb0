"""The arithmetic of a program description: every identity of docs/document-format.md, once.

Each rule is one plain function here, with the labels and severities it is reported with.
Models, checks, the parser (to place cells), queries, tables, spreadsheets, template tags and
the admin call these; nothing else computes a change, a percentage, 예산현액, 집행잔액, an
execution rate, a rounding to 천원 or a contract gap. This module imports nothing of the
project, so any of them may import it.
"""

import calendar
import datetime
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Case, ExpressionWrapper, F, FloatField, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, NullIf

# ---------------------------------------------------------------- severities

ERROR, WARNING, INFO = "error", "warning", "info"
# How each severity is named wherever a finding is shown: web, admin, command line.
SEVERITY_LABELS = {ERROR: "오류", WARNING: "주의", INFO: "참고"}


# ---------------------------------------------------------------- sums


def total(values: Iterable[int | None]) -> int | None:
    """The sum of figures that are all stated; None when any is blank (or there are none)."""
    values = list(values)
    if not values or any(value is None for value in values):
        return None
    return sum(values)


def total_of_stated(values: Iterable[int | None]) -> int | None:
    """The sum of the stated figures, blanks counting 0; None when every one is blank.

    사업비 총액 = 국비 + 시비 + 구비 + 기타: a source left blank contributes nothing.
    """
    values = list(values)
    if all(value is None for value in values):
        return None
    return sum(value or 0 for value in values)


# ---------------------------------------------------------------- budget change

BUDGET_LABELS = {
    "prior": "예산액(A)",
    "current": "예산액(B)",
    "change": "증감",
    "change_pct": "증감률(%)",
    "prior_national": "예산액(A) 국비",
    "current_national": "예산액(B) 국비",
}
NEW_FROM_ZERO = "순증"  # printed for 증감률 where the prior year had nothing


def change(prior: int | None, current: int | None) -> int | None:
    """증감 = (B) − (A)."""
    if prior is None or current is None:
        return None
    return current - prior


def percent_change(prior: int | None, current: int | None) -> int | None:
    """증감률 as the document prints it: (B−A)×100/A in whole percent, half away from zero.

    None where (A) is blank or 0 (the document prints `순증` or nothing there).
    """
    exact = _ratio(current - prior if None not in (prior, current) else None, prior)
    return None if exact is None else int(exact.quantize(Decimal(1), ROUND_HALF_UP))


def is_new(prior: int | None, current: int | None) -> bool:
    """A row that starts from nothing: (A) is 0 and (B) is not (증감률 `순증`)."""
    return prior == 0 and bool(current)


def change_expression(prior: str, current: str) -> CombinedExpression:
    """(B) − (A) in SQL, for sorting and filtering rows by their change."""
    return F(current) - F(prior)


def percent_change_expression(prior: str, current: str) -> Case:
    """(B−A)×100/A in SQL, for sorting; the page shows `percent_change` of the same row."""
    return Case(
        When(**{prior: 0}, then=None),
        default=ExpressionWrapper(
            change_expression(prior, current) * 100.0 / F(prior), FloatField()
        ),
    )


# ---------------------------------------------------------------- 천원 and 원


def thousands(won: int) -> int:
    """원 as a budget book prints it in 천원: rounded up to the next 천원."""
    return -(-won // 1000)


# The units a page may show 천원 amounts in, with how many 천원 each is.
UNITS = {"천원": 1, "백만원": 1_000, "억원": 100_000}
DEFAULT_UNIT = "천원"


def in_unit(thousands: int | None, unit: str) -> int | None:
    """천원 in `unit` (`UNITS`), whole, half away from zero: 1,500천원 is 2백만원."""
    if thousands is None:
        return None
    exact = Decimal(thousands) / UNITS[unit]
    return int(exact.quantize(Decimal(1), ROUND_HALF_UP))


def whole_won(amount: Fraction) -> int:
    """A formula's product (`1,237원 × 2.5개월`) in whole 원: below 1원 is cut off (절사)."""
    return int(amount)


def adds_up_won(parts_won: int | None, count: int, stated_won: int | None) -> bool:
    """Whether `count` items adding up to `parts_won` 원 make `stated_won` 원.

    Budget books round each item up to the next 천원, so each may differ by up to 1,000원.
    """
    if count == 0:
        return stated_won == 0
    if parts_won is None or stated_won is None:
        return False
    return abs(parts_won - stated_won) <= 1000 * count


# ---------------------------------------------------------------- settlements

# The columns of 최근 3년 결산 in the document's order, with their printed names.
SETTLEMENT_LABELS = {
    "final_budget": "최종예산",
    "carried_in": "전년이월",
    "budget_change": "예산변경",
    "available": "예산현액",
    "executed": "집행액",
    "carried_out": "차년이월",
    "unspent": "집행잔액",
}
SETTLEMENT_COLUMNS = tuple(SETTLEMENT_LABELS)
# Columns that may be negative; the others cannot be (a derived negative is an error).
SIGNED_SETTLEMENT_COLUMNS = frozenset({"budget_change", "unspent"})
NATIONAL_LABEL = "국비"


class Identity(NamedTuple):
    """`result` = Σ sign × term: one identity between a settlement row's columns."""

    rule: str
    result: str
    terms: Mapping[str, int]

    def solve(self, values: Mapping[str, int | None], key: str) -> int | None:
        """The value of `key` that the identity gives from the row's other columns."""
        signs = {self.result: -1, **self.terms}  # Σ signs × values = 0
        others = [(signs[k], values.get(k)) for k in signs if k != key]
        if any(value is None for _, value in others):
            return None
        return -signs[key] * sum(sign * value for sign, value in others)

    def holds(self, values: Mapping[str, int | None]) -> bool | None:
        """Whether a row whose columns are all stated satisfies it; None when one is blank."""
        expected = self.solve(values, self.result)
        stated = values.get(self.result)
        if expected is None or stated is None:
            return None
        return stated == expected

    def formula(self, key: str) -> str:
        """The identity solved for `key`, in words: `예산현액−집행액−차년이월`."""
        signs = {self.result: -1, **self.terms}
        terms = sorted(
            ((-signs[k] * signs[key], SETTLEMENT_LABELS[k]) for k in signs if k != key),
            key=lambda term: -term[0],
        )
        return "".join(("+" if sign > 0 else "−") + name for sign, name in terms).removeprefix("+")


SETTLEMENT_IDENTITIES = (
    # 예산현액 = 최종예산 + 전년이월 + 예산변경
    Identity(
        "settlement_available",
        "available",
        {"final_budget": 1, "carried_in": 1, "budget_change": 1},
    ),
    # 집행잔액 = 예산현액 − 집행액 − 차년이월
    Identity("settlement_unspent", "unspent", {"available": 1, "executed": -1, "carried_out": -1}),
)
AVAILABLE, UNSPENT = SETTLEMENT_IDENTITIES


def available(
    stated: int | None, final_budget: int | None, carried_in: int | None, budget_change: int | None
) -> int | None:
    """예산현액 as stated, else as the identity gives it (최종예산 + 전년이월 + 예산변경)."""
    if stated is not None:
        return stated
    return AVAILABLE.solve(
        {"final_budget": final_budget, "carried_in": carried_in, "budget_change": budget_change},
        "available",
    )


def is_derived_available(
    stated: int | None, final_budget: int | None, carried_in: int | None, budget_change: int | None
) -> bool:
    """Whether 예산현액 is blank in the document and shown as the identity gives it."""
    return stated is None and available(None, final_budget, carried_in, budget_change) is not None


def available_expression() -> Coalesce:
    """`available` in SQL over a settlement row's own columns."""
    return Coalesce("available", F("final_budget") + F("carried_in") + F("budget_change"))


def completed_settlement(values: Mapping[str, int | None]) -> dict[str, int | None]:
    """A settlement row with each blank that the identities determine filled in.

    An identity with exactly one blank column fixes it; filling one may fix another
    (예산현액 from the first identity, then 차년이월 from the second).
    """
    row = {key: values.get(key) for key in SETTLEMENT_COLUMNS}
    solved = True
    while solved:
        solved = False
        for identity in SETTLEMENT_IDENTITIES:
            blank = [key for key in (identity.result, *identity.terms) if row[key] is None]
            if len(blank) == 1:
                value = identity.solve(row, blank[0])
                if value is not None:
                    row[blank[0]] = value
                    solved = True
    return row


# ---------------------------------------------------------------- execution rate


def execution_rate(executed: int | None, available: int | None) -> Decimal | None:
    """집행률 (%): 집행액 × 100 / 예산현액, one decimal, half away from zero."""
    exact = _ratio(executed, available)
    return None if exact is None else exact.quantize(Decimal("0.1"), ROUND_HALF_UP)


def execution_rate_expression(executed: str, available: F | str) -> ExpressionWrapper:
    """집행액 × 100 / 예산현액 in SQL, for sorting and filtering rows by their rate."""
    available = F(available) if isinstance(available, str) else available
    return ExpressionWrapper(F(executed) * 100.0 / NullIf(available, 0), FloatField())


def _ratio(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


# ---------------------------------------------------------------- contracts


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; a day the month lacks becomes its last (31 March + 11:
    29 February in a leap year)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def term_end(start: datetime.date, years: int) -> datetime.date:
    """The last day of a contract of `years` years from `start` (3년 from 2018.1.23: 2021.1.22)."""
    return add_years(start, years) - datetime.timedelta(days=1)


def term_years(start: datetime.date, end: datetime.date) -> int:
    """A contract's term in whole years, from its first and last day."""
    after = end + datetime.timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return round(months / 12)


def next_start(previous_end: datetime.date) -> datetime.date:
    """Where the next consignment contract starts: they run back to back, the day after."""
    return previous_end + datetime.timedelta(days=1)


def gap_days(previous_end: datetime.date, start: datetime.date) -> int:
    """Days between a contract's end and the next one's start: > 0 a gap, < 0 an overlap."""
    return (start - next_start(previous_end)).days
