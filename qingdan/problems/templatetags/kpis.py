from django import template

from qingdan.problems.kpis import percent as percent_text

register = template.Library()


@register.filter
def percent(value):
    return percent_text(value)
