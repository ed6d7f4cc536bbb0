"""Amounts in the admin as staff write them: `2,312,971`, `△65,000` (or `-65000`).

Every amount field of the admin (the models' `amount_field`/`settlement_field`, all their
`BigIntegerField`s) is an `AmountField`: shown as `programs.formatting.amount` prints it,
read with or without separators, stored as an integer.
"""

import re

from django import forms

from . import formatting

# What a typed amount may carry besides its digits: separators, spaces, a sign.
_SEPARATORS = re.compile(r"[,\s]")
_NEGATIVE = ("△", "▲", "-", "−")


def parse_amount(text: str) -> str:
    """A typed amount as plain digits with an optional `-`: `△1,000` → `-1000`."""
    text = _SEPARATORS.sub("", text)
    if text.startswith(_NEGATIVE):
        return "-" + text[1:]
    return text


class AmountInput(forms.TextInput):
    """A text input (a number input would refuse separators), right-aligned by admin.css."""

    def __init__(self, attrs: dict | None = None):
        super().__init__({"class": "amount", "inputmode": "decimal", "size": 12, **(attrs or {})})

    def format_value(self, value) -> str | None:
        if isinstance(value, int):
            return formatting.amount(value)
        return super().format_value(value)  # what was typed, as it was typed


class AmountField(forms.IntegerField):
    widget = AmountInput

    def to_python(self, value):
        if isinstance(value, str):
            value = parse_amount(value)
        return super().to_python(value)
