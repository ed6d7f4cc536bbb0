"""Amounts and dates as the documents print them, for templates."""

from decimal import Decimal

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .. import arithmetic, formatting, spans

register = template.Library()

register.filter("amount", formatting.amount)
register.filter("amount_in", formatting.amount_in)
register.filter("percent", formatting.percent)
register.filter("docdate", formatting.date)

SECTION_LABELS = {
    "budget_summary": "예산 총괄",
    "cost_basis": "산출근거",
    "funding": "재원",
    "schedule": "추진일정",
    "settlements": "결산",
    "contracts": "위탁 협약",
}


@register.simple_tag
def national_part(national: int | None, paper: bool) -> str:
    """`(국비 n)` before an amount of 예산 총괄: where there is one, and on paper wherever it is
    known, 0 included (the document's `(x-)`), so that a printed report reads back whole."""
    if national or (paper and national is not None):
        return format_html('<span class="national">(국비 {})</span> ', formatting.amount(national))
    return ""


@register.filter
def sign_class(value: int | Decimal | None) -> str:
    """A class for a change: `up`, `down` or nothing."""
    if not value:
        return ""
    return "up" if value > 0 else "down"


def _figure(row: object, key: str):
    return row.get(key) if isinstance(row, dict) else getattr(row, key, None)


@register.filter
def pct_text(row: object) -> str:
    """The change of a row (object or dict) with `prior` and `current` as the budget summary
    prints it: whole percent (`10`, `△5`), or `순증` for a row that starts from nothing."""
    return formatting.percent_change(_figure(row, "prior"), _figure(row, "current"))


@register.filter
def execution_rate(row: object) -> Decimal | None:
    """The last settled year's 집행률 of a `ProgramYear.objects.for_list` row."""
    return arithmetic.execution_rate(row.settled_executed, row.settled_available)


@register.filter
def days_text(days: int | None) -> str:
    """Days until a date: `40일 남음`, `오늘`, `1,040일 전`."""
    if days is None:
        return ""
    if days == 0:
        return "오늘"
    return f"{days:,}일 남음" if days > 0 else f"{-days:,}일 전"


@register.filter
def figures(text: str) -> SafeString:
    """The text with its figures (`20회`, `1,080명`) emphasised."""
    text = str(text)
    parts, last = [], 0
    for match in spans.FIGURE.finditer(text):
        parts.append(conditional_escape(text[last : match.start()]))
        parts.append(f'<strong class="figure">{conditional_escape(match.group(0))}</strong>')
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(parts))  # every piece is escaped above


@register.filter
def section_label(section: str) -> str:
    return SECTION_LABELS.get(section, section)
