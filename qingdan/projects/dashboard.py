"""The leader's dashboard: one page gathering the loop and the economy, cheap to serve.

The week's KPIs come from the latest bulletin's snapshot when there is one for last week, or are
computed and kept in the cache for ten minutes: the dashboard never folds a week of events on
every request.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q, Sum

from qingdan.bulletins import actions as bulletin_actions
from qingdan.bulletins.content import challenge_progress, monday_of, warning_list, weekly_trend
from qingdan.bulletins.models import Bulletin
from qingdan.lib import clock
from qingdan.problems.warnings import cutoffs
from qingdan.projects.models import STAGES, AnnualPlan, MonthlyInvestment, Project
from qingdan.projects.progress import latest_indicators, progress

CACHE_SECONDS = 600


def week_figures() -> dict:
    """Last week's figures: from its bulletin (the latest version) or computed; either way kept
    in the cache for ten minutes (a busy week's bulletin is megabytes of JSON)."""
    week = monday_of(clock.today()) - timedelta(days=7)
    key = f"qingdan:dashboard:week:{week.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        bulletin = Bulletin.objects.filter(week_start=week).order_by("-version").first()
        if bulletin is not None:
            figures = {"week": week.isoformat(), "source": "bulletin", **_pick(bulletin.content)}
        else:
            content = bulletin_actions.build_content(week, clock.now())
            figures = {"week": week.isoformat(), "source": "computed", **_pick(content)}
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _pick(content: dict) -> dict:
    return {
        "overall": content["overall"],
        "previous": content["previous"],
        "units": content["units"][:10],
        "as_of": content["as_of"],
    }


def pipeline() -> list[dict]:
    """Projects and amounts by the stage they have reached."""
    stage_q = {}
    later_fields = [field for _code, _label, field in STAGES]
    for index, (code, label, field) in enumerate(STAGES):
        condition = Q(**{f"{field}__isnull": False})
        for later in later_fields[index + 1 :]:
            condition &= Q(**{f"{later}__isnull": True})
        stage_q[code] = (label, condition)
    aggregates = {}
    for code, (_label, condition) in stage_q.items():
        aggregates[f"{code}_n"] = Count("id", filter=condition)
        aggregates[f"{code}_amount"] = Sum("amount_wan_yuan", filter=condition)
    totals = Project.objects.aggregate(**aggregates)
    return [
        {
            "stage": code,
            "label": str(label),
            "count": totals[f"{code}_n"],
            "amount_wan_yuan": totals[f"{code}_amount"] or 0,
        }
        for code, (label, _c) in stage_q.items()
    ]


def key_projects_behind(limit: int = 20) -> list[tuple]:
    """Key projects flagged yellow or red: this year's plan and completion read as two grouped
    queries, then ``progress`` decides each colour."""
    today = clock.today()
    key = Project.objects.filter(is_key=True)
    planned = dict(
        AnnualPlan.objects.filter(project__in=key, year=today.year).values_list(
            "project_id", "planned_wan_yuan"
        )
    )
    completed = dict(
        MonthlyInvestment.objects.filter(project__in=key, year=today.year, month__lte=today.month)
        .values("project_id")
        .annotate(total=Sum("completed_wan_yuan"))
        .values_list("project_id", "total")
    )
    flagged = []
    for project in key.select_related("investor", "responsible_unit").iterator(chunk_size=2000):
        project.planned = planned.get(project.pk, 0)
        project.completed = completed.get(project.pk, 0)
        state = progress(project, today)
        if state.colour:
            flagged.append((project, state))
    flagged.sort(key=lambda item: (item[1].colour != "red", -(item[1].behind_points or 0)))
    return flagged[:limit]


def cached(key: str, seconds: int, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def build() -> dict:
    """The dashboard's data. The costly aggregates over all problems are kept briefly: the
    12-week trend for ten minutes, the red and yellow lists for one minute (the overdue board is
    the live view)."""
    cut = cutoffs()
    today = clock.today()
    last_week = monday_of(today) - timedelta(days=7)
    return {
        "week": week_figures(),
        "trend": cached(
            f"qingdan:dashboard:trend:{today}",
            CACHE_SECONDS,
            lambda: weekly_trend(last_week, clock.now()),
        ),
        "red": cached(f"qingdan:dashboard:red:{today}", 60, lambda: warning_list("red", cut)),
        "yellow": cached(
            f"qingdan:dashboard:yellow:{today}", 60, lambda: warning_list("yellow", cut)
        ),
        "challenges": challenge_progress(today),
        "pipeline": pipeline(),
        "behind": key_projects_behind(),
        "indicators": latest_indicators(),
    }
