"""What the carriers show on other apps' pages (``qingdan.core.panels``): a project's carrier on
the project page, the space search on a 土地与厂房 task, the figures on the leader's dashboard."""

from django.template.loader import render_to_string

from qingdan.carriers import figures
from qingdan.carriers.access import is_staff, may_search, visible_leases
from qingdan.carriers.forms import NeedForm
from qingdan.core import panels
from qingdan.lib import clock

LAND_CATEGORY = "land"  # 土地与厂房


@panels.register("project_detail")
def project_carrier(request, project) -> str:
    """The project page (whoever may see the project): the carrier it uses; the secretariat
    also gets a link to ask for space for it."""
    leases = visible_leases(request.user).filter(project=project)
    return render_to_string(
        "carriers/_project_panel.html",
        {
            "leases": leases,
            "project": project,
            "staff": is_staff(request.user),
        },
        request=request,
    )


@panels.register("problem_detail")
def space_search(request, problem) -> str:
    """A 土地与厂房 problem's task page: the carriers' search (staff and the units)."""
    if getattr(problem.category, "code", "") != LAND_CATEGORY or not may_search(request.user):
        return ""
    return render_to_string(
        "carriers/_search_panel.html",
        {
            "form": NeedForm(),
            "problem": problem,
            "staff": is_staff(request.user),
        },
        request=request,
    )


@panels.register("dashboard")
def dashboard_figures(request, _obj=None) -> str:
    if not is_staff(request.user):
        return ""
    today = clock.today()
    return render_to_string(
        "carriers/_dashboard_panel.html",
        {
            "f": figures.figures(today),
            "alerts": figures.alerts(today)[:6],
        },
        request=request,
    )


@panels.register("problem_list")
def overdue_carriers(request, _obj=None) -> str:
    """The overdue board: buildings vacant too long and land clean-up cases past deadline."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != "problems:overdue" or not is_staff(request.user):
        return ""
    found = figures.alerts(clock.today())
    if not found:
        return ""
    return render_to_string("carriers/_overdue_panel.html", {"alerts": found}, request=request)
