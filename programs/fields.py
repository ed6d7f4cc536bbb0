"""Date fields with the precision the documents print.

Documents give some dates to the day (`2012.4.3`) and some only to the month (`2014.7~8.`,
schedule steps). They are stored as ISO text (`2012-04-03`, `2014-07`), which sorts and
compares correctly as text, so the database can still check start ≤ end.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PARTIAL_DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def validate_partial_date(value: str) -> None:
    match = PARTIAL_DATE_RE.match(value)
    if not match:
        raise ValidationError(
            _("날짜는 YYYY-MM-DD 또는 YYYY-MM 형식이어야 합니다: %(value)s"),
            params={"value": value},
            code="invalid",
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    if not 1 <= month <= 12:
        raise ValidationError(
            _("월은 1에서 12 사이여야 합니다: %(value)s"),
            params={"value": value},
            code="invalid",
        )
    if day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(
                _("없는 날짜입니다: %(value)s"), params={"value": value}, code="invalid"
            ) from None


def validate_month(value: str) -> None:
    if not MONTH_RE.match(value):
        raise ValidationError(
            _("월은 YYYY-MM 형식이어야 합니다: %(value)s"),
            params={"value": value},
            code="invalid",
        )
    validate_partial_date(value)


def partial_date_start(value: str | None) -> datetime.date | None:
    """The first day a partial date can mean (for timelines and sorting)."""
    if not value:
        return None
    year, month, day = (
        int(part) if part else None for part in PARTIAL_DATE_RE.match(value).groups()
    )
    return datetime.date(year, month, day or 1)


def iso_date(value: str | None) -> datetime.date | None:
    """A full ISO date, or None for a blank or a partial or unreadable one."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class PartialDateField(models.CharField):
    """A date to the day or to the month, as `YYYY-MM-DD` or `YYYY-MM`."""

    default_validators = [validate_partial_date]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 10:
            del kwargs["max_length"]
        return name, path, args, kwargs


class MonthField(models.CharField):
    """A month, as `YYYY-MM`."""

    default_validators = [validate_month]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 7:
            del kwargs["max_length"]
        return name, path, args, kwargs
