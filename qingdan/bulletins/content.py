"""What a weekly bulletin says, as plain JSON-ready data (the snapshot that gets frozen).

Every renderer (web page, PDF, Word, Excel) draws from this one dict, so the formats agree.
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from qingdan.accounts.models import Unit
from qingdan.bulletins import sections
from qingdan.lib import clock
from qingdan.problems import kpis
from qingdan.problems.models import Appeal, Problem, Status
from qingdan.problems.redaction import anonymous_name_for
from qingdan.problems.warnings import colour_q, cutoffs

LIST_LIMIT = 500  # red/yellow lists in the document; the Excel 台账 always has every item
TREND_WEEKS = 12
STATUS_LABELS = dict(Status.choices)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def build(week_start: date, as_of: datetime | None = None) -> dict:
    """The bulletin for the week starting ``week_start`` (a Monday), figures as of ``as_of``."""
    as_of = as_of or clock.now()
    as_of_day = as_of.astimezone(clock.BEIJING).date()
    week_end = week_start + timedelta(days=7)
    problems = kpis.cohort(week_start, week_end)
    rules = kpis.scoring()
    facts = kpis.facts_for(problems, as_of)
    overall, per_unit = kpis.figures(facts, as_of, rules)
    previous_facts = kpis.facts_for(
        kpis.cohort(week_start - timedelta(days=7), week_start), as_of - timedelta(days=7)
    )
    previous, _previous_units = kpis.figures(previous_facts, as_of - timedelta(days=7), rules)
    units = Unit.objects.in_bulk(list(per_unit))
    unit_rows = [
        {"unit": units[unit_id].name, "unit_id": unit_id, "rank": rank} | figs.as_dict()
        for unit_id, rank, figs in kpis.ranked(per_unit)
    ]
    cut = cutoffs(as_of_day)
    return {
        "week_start": week_start.isoformat(),
        "week_end": (week_end - timedelta(days=1)).isoformat(),
        "as_of": as_of.astimezone(clock.BEIJING).isoformat(timespec="minutes"),
        "overall": overall.as_dict(),
        "previous": previous.as_dict(),
        "units": unit_rows,
        "scoring": rules.as_dict() | {"formula": kpis.formula_text(rules.as_dict())},
        "appeals": decided_appeals(week_start, week_end),
        "praised": [row["unit"] for row in unit_rows if per_unit[row["unit_id"]].all_perfect],
        "red": warning_list("red", cut),
        "yellow": warning_list("yellow", cut),
        "unsatisfied": _unsatisfied(problems, facts),
        "items": _public_list(problems, facts),
        "trend": weekly_trend(week_start, as_of),
        "challenges": challenge_progress(as_of_day),
        "sections": sections.build(week_start, week_end),
    }


# The columns a list row needs, read as plain values (no model instances: a busy week has
# tens of thousands of rows).
ROW_FIELDS = (
    "id",
    "number",
    "title",
    "deadline",
    "status",
    "may_name_publicly",
    "enterprise__name",
    "enterprise__industry",
    "lead_unit__name",
    "responsible__name",
    "responsible__username",
)


def _row(values: dict) -> dict:
    public = (
        values["enterprise__name"]
        if values["may_name_publicly"]
        else anonymous_name_for(values["enterprise__industry"])
    )
    return {
        "number": values["number"],
        "title": values["title"],
        "enterprise": values["enterprise__name"],
        "enterprise_public": public,
        "lead_unit": values["lead_unit__name"] or "",
        "responsible": values["responsible__name"] or values["responsible__username"] or "",
        "deadline": values["deadline"].isoformat() if values["deadline"] else "",
    }


def redacted(content: dict) -> dict:
    """The public edition: the one redaction rule (``problems.redaction``), applied once when
    the row was built (``enterprise_public``), used for every list in every format and the API:
    an enterprise that asked not to be named is never printed by name."""

    def row(item: dict) -> dict:
        return item | {"enterprise": item.get("enterprise_public", "")}

    def block(value: dict) -> dict:
        return value | {"items": [row(i) for i in value.get("items", [])]}

    return content | {
        "items": [row(i) for i in content.get("items", [])],
        "unsatisfied": [row(i) for i in content.get("unsatisfied", [])],
        "red": block(content.get("red", {})),
        "yellow": block(content.get("yellow", {})),
        "edition": "public",
    }


def decided_appeals(start: date, end: date) -> list[dict]:
    """Appeals decided in [start, end): what was appealed and the decision."""
    start_at = datetime.combine(start, datetime.min.time(), tzinfo=clock.BEIJING)
    end_at = datetime.combine(end, datetime.min.time(), tzinfo=clock.BEIJING)
    rows = (
        Appeal.objects.filter(decided_at__gte=start_at, decided_at__lt=end_at)
        .exclude(state=Appeal.State.PENDING)
        .select_related("problem", "unit")
        .order_by("decided_at", "id")[:LIST_LIMIT]
    )
    return [
        {
            "number": a.problem.number,
            "title": a.problem.title,
            "unit": a.unit.name,
            "kind": str(a.get_kind_display()),
            "state": a.state,
            "decision": str(a.get_state_display()),
            "note": a.decision_note,
            "decided_on": a.decided_at.astimezone(clock.BEIJING).date().isoformat(),
        }
        for a in rows
    ]


def warning_list(colour: str, cut) -> dict:
    matching = Problem.objects.filter(colour_q(colour, cut))
    rows = matching.order_by("deadline", "id").values(*ROW_FIELDS)[:LIST_LIMIT]
    items = [_row(values) | {"colour": colour} for values in rows]
    total = matching.count() if len(items) == LIST_LIMIT else len(items)
    return {"total": total, "items": items}


def _unsatisfied(problems, facts) -> list[dict]:
    unhappy = [f.problem_id for f in facts.values() if f.redone or f.satisfaction == "unsatisfied"]
    rows = problems.filter(pk__in=unhappy[:LIST_LIMIT]).order_by("id").values(*ROW_FIELDS)
    return [
        _row(values)
        | {
            "reason": facts[values["id"]].unsatisfied_reason,
            "redone": facts[values["id"]].redone,
            "status": str(STATUS_LABELS[facts[values["id"]].status]),
        }
        for values in rows
    ]


def _public_list(problems, facts) -> list[dict]:
    items = []
    for values in problems.order_by("id").values(*ROW_FIELDS).iterator(chunk_size=5000):
        f = facts.get(values["id"])
        status = f.status if f else values["status"]
        if f and f.deadline:
            values["deadline"] = f.deadline
        items.append(_row(values) | {"status": status, "status_label": str(STATUS_LABELS[status])})
    return items


def challenge_progress(today: date) -> list[dict]:
    """Challenges under way (and decided in the last 30 days) with their milestone progress."""
    from qingdan.challenges.models import Challenge, State

    under_way = [
        State.PUBLISHED,
        State.REVIEWING,
        State.SELECTED,
        State.DELIVERING,
        State.ACCEPTING,
    ]
    recent = today - timedelta(days=30)
    rows = (
        Challenge.objects.filter(
            Q(state__in=under_way) | Q(events__action="accept", events__created__date__gte=recent)
        )
        .distinct()
        .select_related("owner_unit")
        .prefetch_related("milestones", "applications")
        .order_by("code")
    )
    result = []
    for challenge in rows[:LIST_LIMIT]:
        milestones = list(challenge.milestones.all())
        selected = next((a for a in challenge.applications.all() if a.state == "selected"), None)
        result.append(
            {
                "code": challenge.code,
                "title": challenge.title,
                "owner_unit": challenge.owner_unit.name,
                "status": str(challenge.get_state_display()),
                "team": selected.team_name if selected else "",
                "milestones_done": sum(1 for m in milestones if m.reported_at),
                "milestones_total": len(milestones),
                "milestones_late": sum(
                    1 for m in milestones if not m.reported_at and m.due < today
                ),
            }
        )
    return result


def weekly_trend(week_start: date, as_of: datetime) -> list[dict]:
    """Raised, resolved and resolve rate per week for the last weeks (current state), one query."""
    first = week_start - timedelta(weeks=TREND_WEEKS - 1)
    start_at = datetime.combine(first, datetime.min.time(), tzinfo=clock.BEIJING)
    end_at = datetime.combine(
        week_start + timedelta(days=7), datetime.min.time(), tzinfo=clock.BEIJING
    )
    rows = (
        Problem.objects.filter(created__gte=start_at, created__lt=end_at)
        .annotate(week=TruncWeek("created", tzinfo=clock.BEIJING))
        .values("week")
        .annotate(
            raised=Count("id"),
            assigned=Count("id", filter=Q(lead_unit__isnull=False)),
            resolved=Count("id", filter=Q(status__in=[Status.RESOLVED, Status.CLOSED])),
        )
    )
    by_week = {
        row["week"].date() if hasattr(row["week"], "date") else row["week"]: row for row in rows
    }
    trend = []
    for index in range(TREND_WEEKS):
        week = first + timedelta(weeks=index)
        row = by_week.get(week, {"raised": 0, "assigned": 0, "resolved": 0})
        rate = kpis.ratio(row["resolved"], row["assigned"])
        trend.append(
            {
                "week": week.isoformat(),
                "raised": row["raised"],
                "resolved": row["resolved"],
                "resolve_rate": None if rate is None else str(rate),
            }
        )
    return trend


def title(content: dict) -> str:
    return _("Weekly bulletin on enterprise problems, %(period)s") % {
        "period": period(content["week_start"], content["week_end"]),
    }


def chinese_date(day: date) -> str:
    """ "2026年11月30日" in a Chinese document, ISO otherwise."""
    from django.utils import translation

    if translation.get_language().startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def period(start: str | date, end: str | date) -> str:
    """ "2026年11月23日至29日" (the month and year repeated only when they change)."""
    start = date.fromisoformat(start) if isinstance(start, str) else start
    end = date.fromisoformat(end) if isinstance(end, str) else end
    from django.utils import translation

    if not translation.get_language().startswith("zh"):
        return f"{start.isoformat()} to {end.isoformat()}"
    text = f"{start.year}年{start.month}月{start.day}日至"
    if end.year != start.year:
        return text + f"{end.year}年{end.month}月{end.day}日"
    if end.month != start.month:
        return text + f"{end.month}月{end.day}日"
    return text + f"{end.day}日"
