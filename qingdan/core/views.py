from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from qingdan.accounts.models import Role
from qingdan.problems.access import visible_problems
from qingdan.problems.models import ExtensionRequest, RequestState, Status
from qingdan.problems.warnings import colour_q, cutoffs


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _tiles(user) -> list[dict]:
    """The few numbers each role acts on first, each linking to the list behind it."""
    cut = cutoffs()
    problems = visible_problems(user)
    red = colour_q("red", cut)
    late = colour_q("any", cut)
    if user.role == Role.ENTERPRISE:
        spec = [
            (_("Open problems"), ~Q(status__in=[Status.CLOSED, Status.DECLINED, Status.MERGED]),
             reverse("problems:list") + "?status=open"),
            (_("Waiting for your rating"), Q(status=Status.RESOLVED),
             reverse("problems:list") + "?status=resolved"),
        ]  # fmt: skip
    elif user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        inbox = reverse("problems:inbox")
        spec = [
            (_("To sign for"), Q(status=Status.ASSIGNED, lead_unit_id=user.unit_id),
             inbox + "?tab=to_sign"),
            (_("In progress"), Q(status=Status.IN_PROGRESS), inbox + "?tab=in_progress"),
            (_("Overdue"), late, inbox + "?tab=overdue"),
        ]  # fmt: skip
    elif user.role in (Role.SECRETARIAT, Role.ADMIN):
        intake = reverse("problems:intake")
        spec = [
            (_("To accept"), Q(status=Status.SUBMITTED), intake + "?tab=submitted"),
            (_("To assign"), Q(status=Status.ACCEPTED), intake + "?tab=accepted"),
            (_("Returned"), Q(status=Status.RETURNED), intake + "?tab=returned"),
            (_("Follow-up and close-out"), Q(status=Status.RESOLVED), intake + "?tab=resolved"),
            (_("Red"), red, reverse("problems:list") + "?colour=red"),
        ]
    else:
        spec = [
            (_("Running tasks"), Q(status__in=[Status.ASSIGNED, Status.IN_PROGRESS]),
             reverse("problems:overview")),
            (_("Red"), red, reverse("problems:list") + "?colour=red"),
            (_("Overdue"), late, reverse("problems:overdue")),
        ]  # fmt: skip
    counts = problems.aggregate(
        **{
            f"n{index}": Count("id", filter=condition)
            for index, (_l, condition, _u) in enumerate(spec)
        }
    )
    tiles = [
        {"label": label, "count": counts[f"n{index}"], "url": url}
        for index, (label, _c, url) in enumerate(spec)
    ]
    if user.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD) and user.unit_id:
        tiles.append(_unit_rate_tile(user))
    if user.role in (Role.SECRETARIAT, Role.ADMIN):
        pending = ExtensionRequest.objects.filter(state=RequestState.PENDING).count()
        tiles.insert(3, {"label": _("Extensions to decide"), "count": pending,
                         "url": reverse("problems:approvals")})  # fmt: skip
    return tiles


def _unit_rate_tile(user) -> dict:
    """The unit's on-time resolution rate this year, from the KPI module (as the bulletin)."""
    from qingdan.lib import clock
    from qingdan.problems import kpis

    today = clock.today()
    year = kpis.cohort(today.replace(month=1, day=1), today + timedelta(days=1))
    _overall, per_unit = kpis.unit_figures(year.filter(lead_unit_id=user.unit_id))
    figures = per_unit.get(user.unit_id)
    return {"label": _("On-time resolution rate, this year"),
            "count": kpis.percent(figures.on_time_rate if figures else None),
            "url": reverse("problems:scoring")}  # fmt: skip


@login_required
def home(request):
    return render(request, "core/home.html", {"tiles": _tiles(request.user)})
