"""Places on a page where another app shows something, without the page's app importing it.

The trunk's pages (a problem, the leader's overview…) name their places; a branch registers a
panel for a place in its ``AppConfig.ready()`` (``@panels.register("problem_detail")``). A panel
is a function ``(request, obj) -> str`` returning rendered HTML (from a template, so escaped), or
"" to show nothing. The page renders them with ``{% load panels %}{% panels "place" obj %}``.
"""

from collections import defaultdict
from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[..., str]
_places: dict[str, list[Panel]] = defaultdict(list)


def register(place: str) -> Callable[[Panel], Panel]:
    def add(panel: Panel) -> Panel:
        if panel not in _places[place]:
            _places[place].append(panel)
        return panel

    return add


def render(place: str, request, obj=None) -> SafeString:
    # Each panel renders a template (autoescaped): its output is HTML already.
    return mark_safe("".join(panel(request, obj) for panel in _places[place]))  # noqa: S308
