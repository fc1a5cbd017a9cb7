"""{% load search %}: search highlighting, and the panels the search app adds to trunk pages."""

from django import template
from django.urls import reverse

from qingdan.accounts.models import Role
from qingdan.search import query as search_query

register = template.Library()


@register.filter
def highlight(text, words):
    """The text HTML-escaped, with the searched words inside <mark>."""
    if not words:
        return text
    return search_query.highlight(text, str(words))


# --- Panels on trunk pages (each loads itself with htmx, so the page never waits for them) ------

PANEL_ROLES = (Role.SECRETARIAT, Role.ADMIN, Role.LEADER)


@register.inclusion_tag("search/_live_panel.html")
def similar_while_typing():
    """On the raise page: problems like the one being typed (debounced)."""
    return {}


@register.inclusion_tag("search/_lazy_panel.html", takes_context=True)
def similar_panel(context, problem):
    """On a problem's page (secretariat, leaders): similar problems, merge or link."""
    user = context["request"].user
    if user.role not in PANEL_ROLES:
        return {"url": ""}
    return {"url": reverse("search:similar_to", args=[problem.number]), "css": "card no-print"}


@register.inclusion_tag("search/_lazy_panel.html", takes_context=True)
def similar_hint(context, problem):
    """In the secretariat's work queue: a submitted problem's likely duplicates, one click to
    merge or link (loaded when the row scrolls into view)."""
    user = context["request"].user
    if user.role not in (Role.SECRETARIAT, Role.ADMIN) or problem.status != "submitted":
        return {"url": ""}
    url = reverse("search:similar_to", args=[problem.number]) + "?compact=1"
    return {"url": url, "trigger": "revealed", "css": "similar-hint"}


@register.inclusion_tag("search/_lazy_panel.html", takes_context=True)
def routing_panel(context, problem):
    """Beside the assign form: the three most likely lead units."""
    user = context["request"].user
    if user.role not in PANEL_ROLES:
        return {"url": ""}
    return {
        "url": reverse("search:suggestions", args=[problem.number]),
        "css": "routing",
        "script": True,
    }
