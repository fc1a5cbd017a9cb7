"""What policies show on other apps' pages, through ``core.panels`` (the pages never import
this app): an enterprise's matches and applications on its record page and its home page; the
KPIs on the staff home, the dashboard and the bulletin."""

from datetime import timedelta

from django.template.loader import render_to_string

from qingdan.accounts.models import Role
from qingdan.core import panels
from qingdan.lib import clock
from qingdan.policies import eligibility, figures
from qingdan.policies.access import visible_applications, visible_policies


def _matches(request, enterprise) -> str:
    policies = visible_policies(request.user).filter(published=True)
    return render_to_string(
        "policies/_panel_enterprise.html",
        {
            "enterprise": enterprise,
            "matches": eligibility.policies_for(enterprise, policies),
            "applications": visible_applications(request.user).filter(enterprise=enterprise),
        },
        request=request,
    )


@panels.register("enterprise_detail")
def enterprise_detail(request, enterprise) -> str:
    return _matches(request, enterprise)


@panels.register("home_enterprise")
def home_enterprise(request, obj=None) -> str:
    user = request.user
    if not user.is_authenticated or user.role != Role.ENTERPRISE or not user.enterprise_id:
        return ""
    return _matches(request, user.enterprise)


def _kpis(request) -> str:
    user = request.user
    if not user.is_authenticated or user.role == Role.ENTERPRISE:
        return ""
    return render_to_string("policies/_panel_kpis.html", {"t": figures.totals()}, request=request)


@panels.register("home_staff")
def home_staff(request, obj=None) -> str:
    return _kpis(request)


@panels.register("dashboard")
def dashboard(request, obj=None) -> str:
    return _kpis(request)


@panels.register("bulletin_sections")
def bulletin_sections(request, obj=None) -> str:
    """The bulletin's week (``obj``: an object with ``start`` and ``end`` dates, or none for
    the last seven days)."""
    end = getattr(obj, "end", None) or clock.today()
    start = getattr(obj, "start", None) or end - timedelta(days=7)
    return render_to_string(
        "policies/_panel_week.html", {"w": figures.week(start, end), "start": start, "end": end}
    )


@panels.register("problem_detail")
def problem_applications(request, problem) -> str:
    """申报难: the policy applications linked to this problem, as their reader may see them."""
    if problem is None:
        return ""
    linked = visible_applications(request.user).filter(problem=problem)
    if not linked.exists():
        return ""
    return render_to_string(
        "policies/_panel_problem.html", {"applications": linked}, request=request
    )
