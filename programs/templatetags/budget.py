"""Amounts and dates as the documents print them, for templates."""

from django import template

from .. import formatting

register = template.Library()

register.filter("amount", formatting.amount)
register.filter("percent", formatting.percent)
register.filter("docdate", formatting.date)
