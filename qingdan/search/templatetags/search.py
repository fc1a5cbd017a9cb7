"""{% load search %}: the searched words highlighted in lists."""

from django import template

from qingdan.search import query as search_query

register = template.Library()


@register.filter
def highlight(text, words):
    """The text HTML-escaped, with the searched words inside <mark>."""
    if not words:
        return text
    return search_query.highlight(text, str(words))
