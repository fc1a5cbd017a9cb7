"""Plan completion and warning colours for projects; the latest indicator values.

Colours (thresholds are settings): construction not started by its planned date → yellow, three
months late → red; investment completed this year behind the time-proportional plan by 10–30
points → yellow, by more → red.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from qingdan.lib import clock
from qingdan.projects.models import (
    AnnualPlan,
    Indicator,
    IndicatorValue,
    Project,
)

ZERO = Decimal("0.00")


@dataclass
class Progress:
    planned: Decimal
    completed: Decimal
    completion_pct: Decimal | None  # of this year's plan
    expected_pct: Decimal  # the share of the year gone by
    behind_points: Decimal | None
    colour: str
    reason: str


def months_between(earlier: date, later: date) -> int:
    return (
        (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)
    )


def with_year_figures(projects, year: int, through_month: int):
    """Annotate ``planned`` and ``completed`` (this year, through the month) in one query."""
    plan = AnnualPlan.objects.filter(project=OuterRef("pk"), year=year).values("planned_wan_yuan")
    decimal = DecimalField(max_digits=14, decimal_places=2)
    return projects.annotate(
        planned=Coalesce(
            Subquery(plan[:1], output_field=decimal), Value(ZERO), output_field=decimal
        ),
        completed=Coalesce(
            Sum(
                "investments__completed_wan_yuan",
                filter=Q(investments__year=year, investments__month__lte=through_month),
            ),
            Value(ZERO),
            output_field=decimal,
        ),
    )


def progress(project: Project, today: date | None = None) -> Progress:
    """Needs ``planned`` and ``completed`` annotated (``with_year_figures``)."""
    today = today or clock.today()
    q = settings.QINGDAN
    planned, completed = Decimal(project.planned or 0), Decimal(project.completed or 0)
    expected = (Decimal(today.month) / 12 * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    pct = (completed / planned * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if planned else None
    behind = (expected - pct) if pct is not None else None
    colour, reason = "", ""
    if project.planned_start and not project.started_on and project.planned_start < today:
        late = months_between(project.planned_start, today)
        colour = "red" if late >= q["PROJECT_START_LATE_RED_MONTHS"] else "yellow"
        reason = "start_late"
    if behind is not None and behind > q["PROJECT_BEHIND_YELLOW_POINTS"] and colour != "red":
        colour = "red" if behind > q["PROJECT_BEHIND_RED_POINTS"] else "yellow"
        reason = reason or "behind_plan"
    return Progress(planned, completed, pct, expected, behind, colour, reason)


def latest_indicators() -> list[tuple[Indicator, IndicatorValue | None]]:
    """Each indicator with its latest value (one query for the values)."""
    indicators = list(Indicator.objects.all())
    latest = {}
    for value in IndicatorValue.objects.filter(
        pk__in=Subquery(
            IndicatorValue.objects.filter(indicator=OuterRef("indicator"))
            .order_by("-year", "-month")
            .values("pk")[:1]
        )
    ).select_related("indicator"):
        latest[value.indicator_id] = value
    return [(indicator, latest.get(indicator.pk)) for indicator in indicators]
