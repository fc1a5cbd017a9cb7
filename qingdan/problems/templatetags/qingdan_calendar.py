from django import template

from qingdan.problems import calendar

register = template.Library()


@register.simple_tag
def calendar_warning() -> str:
    """From 1 November, while next year's holiday schedule is missing: what to do about it."""
    return calendar.next_year_warning()
