"""Warning colours (预警): computed from deadlines and the calendar, never stored.

- blue: a running task whose deadline is at most BLUE_DAYS working days away;
- yellow: sign-for overdue, or the deadline passed by at most YELLOW_DAYS working days;
- red: the deadline passed by more than YELLOW_DAYS working days.

``cutoffs()`` turns today and the thresholds into two dates, so that the same rule serves one
problem (``colour_of``) and a database filter (``colour_q``) without per-row calendar work.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qingdan.lib import clock
from qingdan.problems import calendar
from qingdan.problems.models import RUNNING_STATUSES, Status

COLOURS = {"red": _("Red"), "yellow": _("Yellow"), "blue": _("Blue")}


@dataclass(frozen=True)
class Cutoffs:
    today: date
    blue_before: date  # deadline in [today, blue_before) → blue
    red_before: date  # deadline before this → red


def cutoffs(today: date | None = None) -> Cutoffs:
    today = today or clock.today()
    blue_days = settings.QINGDAN["WARNING_BLUE_DAYS"]
    yellow_days = settings.QINGDAN["WARNING_YELLOW_DAYS"]
    return Cutoffs(
        today=today,
        # Colours are only shown: in a year without a schedule they count Monday–Friday.
        blue_before=calendar.add_workdays(today, blue_days + 1, guess=True),
        red_before=calendar.nth_workday_back(today, yellow_days + 1, guess=True),
    )


def colour_of(problem, cut: Cutoffs) -> str:
    if problem.status not in RUNNING_STATUSES or problem.deadline is None:
        return ""
    if problem.deadline < cut.red_before:
        return "red"
    sign_late = (
        problem.status == Status.ASSIGNED
        and problem.sign_deadline is not None
        and problem.sign_deadline < cut.today
    )
    if problem.deadline < cut.today or sign_late:
        return "yellow"
    if problem.deadline < cut.blue_before:
        return "blue"
    return ""


def colour_q(colour: str, cut: Cutoffs) -> Q:
    running = Q(status__in=RUNNING_STATUSES)
    red = running & Q(deadline__lt=cut.red_before)
    sign_late = Q(status=Status.ASSIGNED, sign_deadline__lt=cut.today)
    if colour == "red":
        return red
    yellow = running & ~red & (Q(deadline__lt=cut.today) | sign_late)
    if colour == "yellow":
        return yellow
    if colour == "blue":
        return running & Q(deadline__gte=cut.today, deadline__lt=cut.blue_before) & ~sign_late
    if colour == "any":  # red or yellow: running and late, for signing or for completing
        return running & (Q(deadline__lt=cut.today) | sign_late)
    raise ValueError(f"unknown colour {colour!r}")


def escalated_q() -> Q:
    """Running problems escalated to the leaders for their current deadline (the reminder
    ladder's last step): a new deadline (an extension, a redo) clears it."""
    return Q(status__in=RUNNING_STATUSES, escalated_for=F("deadline"))
