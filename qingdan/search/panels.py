"""What the search app shows on the trunk's pages (``qingdan.core.panels``). Each panel loads
itself with htmx, so the page never waits for it."""

from django.template.loader import render_to_string
from django.urls import reverse

from qingdan.accounts.models import Role
from qingdan.core import panels
from qingdan.problems.models import Status

SECRETARIAT = (Role.SECRETARIAT, Role.ADMIN)
READERS = (*SECRETARIAT, Role.LEADER)


def _lazy(request, url: str, **context) -> str:
    return render_to_string("search/_lazy_panel.html", {"url": url, **context}, request=request)


@panels.register("raise_form")
def similar_while_typing(request, _obj=None) -> str:
    """The raise page: problems like the one being typed (600 ms after the last key)."""
    return render_to_string("search/_live_panel.html", request=request)


@panels.register("problem_detail")
def similar_problems(request, problem) -> str:
    """A problem's page (secretariat, leaders): similar problems, merge or link."""
    if request.user.role not in READERS:
        return ""
    url = reverse("search:similar_to", args=[problem.number])
    return _lazy(request, url, css="card no-print")


@panels.register("queue_row")
def likely_duplicates(request, problem) -> str:
    """A submitted problem in the secretariat's work queue: its likely duplicates, one click to
    merge or link (loaded when the row scrolls into view)."""
    if request.user.role not in SECRETARIAT or problem.status != Status.SUBMITTED:
        return ""
    url = reverse("search:similar_to", args=[problem.number]) + "?compact=1"
    return _lazy(request, url, trigger="revealed", css="similar-hint")


@panels.register("assign_form")
def suggested_units(request, problem) -> str:
    """Beside the assign form: the three most likely lead units."""
    if request.user.role not in READERS:
        return ""
    url = reverse("search:suggestions", args=[problem.number])
    return _lazy(request, url, css="routing", script=True)
