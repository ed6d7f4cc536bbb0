"""Numbers and dates as the documents print them."""

import datetime
from decimal import Decimal

from . import arithmetic


def amount(value: int | Decimal | None) -> str:
    """천원 with thousands separators and `△` for negatives: `△65,000`."""
    if value is None:
        return ""
    sign = "△" if value < 0 else ""
    return f"{sign}{abs(value):,}"


def amount_in(value: int | None, unit: str) -> str:
    """천원 shown in `unit` (`arithmetic.UNITS`), as `amount` prints it: `△1,235` 백만원."""
    return amount(arithmetic.in_unit(value, unit))


def percent(value: int | Decimal | None) -> str:
    """A percentage with one decimal, `△` for negatives."""
    if value is None:
        return ""
    sign = "△" if value < 0 else ""
    return f"{sign}{abs(Decimal(value)):,.1f}"


def percent_change(prior: int | None, current: int | None) -> str:
    """증감률 as the budget summary prints it: whole percent (`10`, `△5`), or `순증`."""
    if arithmetic.is_new(prior, current):
        return arithmetic.NEW_FROM_ZERO
    return amount(arithmetic.percent_change(prior, current))


def date(value: datetime.date | str | None) -> str:
    """`2024.1.23`, or `2014.7` for a date known only to the month."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return f"{value.year}.{value.month}.{value.day}"
    return ".".join(str(int(part)) for part in value.split("-"))
