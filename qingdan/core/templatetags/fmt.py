"""How a person reads dates and amounts, in the page's language (loaded for every template:
``builtins`` in settings).

- ``{{ moment|when }}``: 2026年11月27日 14:15 · 27 Nov 2026 14:15 (local time, Asia/Shanghai);
- ``{{ day|day }}``: 2026年11月27日 · 27 Nov 2026;
- ``{{ amount|wan }}``: 1,234.50 万元 · 1,234.50 (10k yuan), thousands separators, two places;
- ``{{ number|thousands }}``: 12,345.6 with separators, as given.

Each accepts a date, a datetime or its ISO text (figures frozen in JSON) and shows "—" for
nothing. Form inputs keep ISO (``core.forms.DateInput``): browsers accept only that.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

register = template.Library()

EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _chinese() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def _parse(value):
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return datetime.datetime.fromisoformat(text)
        except ValueError:
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                return None
    return value


def day_text(value) -> str:
    value = _parse(value)
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if _chinese():
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"


def when_text(value) -> str:
    value = _parse(value)
    if value is None or value == "":
        return "—"
    if not isinstance(value, datetime.datetime):
        return day_text(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{day_text(value)} {value:%H:%M}"


def thousands_text(value, places=None) -> str:
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if places is not None:
        return f"{number:,.{int(places)}f}"
    return f"{number:,f}"


def wan_text(value) -> str:
    if value is None or value == "":
        return "—"
    amount = thousands_text(value, 2)
    return f"{amount} 万元" if _chinese() else _("%(amount)s (10k yuan)") % {"amount": amount}


# The warning colours every list shows (tasks, supervisions, applications, milestones).
COLOUR_NAMES = {
    "red": gettext_lazy("Red"),
    "yellow": gettext_lazy("Yellow"),
    "blue": gettext_lazy("Blue"),
    "green": gettext_lazy("Green"),
}


@register.filter
def colour_name(value):
    """ "red" → 红色 (the colour's name, never the raw value)."""
    return COLOUR_NAMES.get(value, value)


@register.filter
def when(value):
    return when_text(value)


@register.filter
def day(value):
    return day_text(value)


@register.filter
def wan(value):
    return wan_text(value)


@register.filter
def thousands(value, places=None):
    return thousands_text(value, places)


@register.filter
def month(value):
    """(year, month) or a date → 2026年11月 · Nov 2026."""
    if isinstance(value, (tuple, list)):
        year, number = value
    else:
        value = _parse(value)
        if value is None:
            return "—"
        year, number = value.year, value.month
    return f"{year}年{number}月" if _chinese() else f"{EN_MONTHS[number - 1]} {year}"
