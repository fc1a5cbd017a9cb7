"""{% load search %}: search highlighting, and the panels the search app adds to trunk pages."""

from django import template

from qingdan.search import query as search_query

register = template.Library()


@register.filter
def highlight(text, words):
    """The text HTML-escaped, with the searched words inside <mark>."""
    if not words:
        return text
    return search_query.highlight(text, str(words))
