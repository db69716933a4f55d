"""The one way a page writes a number or a date: ``{% load shafaf_format %}``, then
``{{ value|number }}`` and ``{{ value|when }}`` (``{{ value|when:"seconds" }}`` for a
moment that needs its seconds, such as an audit event).

Why these choices: docs/decisions/0011-numbers-and-dates.md. In short, every
language writes Western digits grouped by threes with a comma (16,014,793), and a
date as day, month name, year, the month named as Iraq names it in the active
language (1 كانون الأول 2026) from shafaf.portal.months.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language, gettext

from shafaf.portal.months import MONTHS

register = template.Library()

# language: (thousands separator, the separator between a date and its time)
CONVENTIONS = {
    "ar": (",", "، "),
    "ckb": (",", "، "),
    "en": (",", ", "),
}


def _convention() -> tuple[str, str]:
    base = (get_language() or "ar").split("-")[0]
    return CONVENTIONS.get(base, CONVENTIONS["ar"])


def format_number(value: Any) -> str:
    """In the active language: an integer grouped by thousands (a Decimal keeps its
    decimals); anything else as it is (``None``, a dash or a code pass through)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return "" if value is None else str(value)
    separator, _ = _convention()
    text = f"{value:,}"
    return text.replace(",", separator)


def format_date(value: Any, *, seconds: bool = False) -> str:
    """In the active language: a date as day, month name and year; a moment also
    gets its time of day in Baghdad (the configured time zone)."""
    if not isinstance(value, datetime.date):
        return "" if value is None else str(value)
    _, joint = _convention()
    moment = None
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        value = moment.date()
    day = f"{value.day} {gettext(MONTHS[value.month - 1])} {value.year}"
    if moment is None:
        return day
    clock = moment.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{day}{joint}{clock}"


@register.filter
def number(value: Any) -> str:
    return format_number(value)


@register.filter
def when(value: Any, detail: str = "") -> str:
    return format_date(value, seconds=detail == "seconds")
