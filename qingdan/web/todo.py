"""Each role's to-do list (the home page) and the counts on the navigation.

Every item is a question asked of the rows the person may see (``visible_problems``, the unit's
own supervisions and instructions…), with the list page that answers it. The site layer may ask
every domain, so the home page and the menus live here, not in the trunk.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role
from qingdan.challenges.models import Application, Milestone
from qingdan.lib import clock
from qingdan.notifications.models import Notification
from qingdan.problems import calendar, kpis
from qingdan.problems.access import visible_problems
from qingdan.problems.models import (
    OPEN_STATUSES,
    Appeal,
    ExtensionRequest,
    Instruction,
    ProblemEvent,
    RequestState,
    Status,
    Supervision,
)
from qingdan.problems.warnings import colour_q, cutoffs

SECRETARIAT = (Role.SECRETARIAT, Role.ADMIN)
UNIT = (Role.UNIT_OFFICER, Role.UNIT_HEAD)
# "Due soon" on a unit's home: the deadline within this many working days.
DUE_SOON_DAYS = 3


@dataclass
class Item:
    key: str
    label: str
    count: int
    url: str
    urgent: bool = False  # shown in red when there is anything


def _problems_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("problems:list") + (f"?{query}" if query else "")


def needing_information(problems):
    """Open problems on which the secretariat (or a unit) asked for more information after the
    enterprise last added some: an ``add_info`` by someone else, newer than the enterprise's."""
    staff_asks = ProblemEvent.objects.filter(problem=OuterRef("pk"), action="add_info").exclude(
        actor__role=Role.ENTERPRISE
    )
    own = ProblemEvent.objects.filter(
        problem=OuterRef("pk"), action="add_info", actor__role=Role.ENTERPRISE
    ).order_by("-created")
    last_ask = staff_asks.order_by("-created").values("created")[:1]
    answered = own.filter(created__gt=OuterRef("last_ask")).values("pk")[:1]
    return (
        problems.exclude(status__in=[Status.CLOSED, Status.DECLINED, Status.MERGED])
        .annotate(last_ask=Subquery(last_ask))
        .filter(last_ask__isnull=False)
        .exclude(Exists(answered))
    )


def items_for(user) -> list[Item]:
    """The person's to-do list, in the order they act on it."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = clock.today()
    cut = cutoffs(today)
    problems = visible_problems(user)
    if user.role in SECRETARIAT:
        intake = reverse("problems:intake")
        # Every count is of open problems: the status index keeps the closed years out of the
        # scan (on every page, for the menu's badges: 204 → 22 ms at 1 M problems on SQLite).
        counts = problems.filter(status__in=OPEN_STATUSES).aggregate(
            submitted=_count(Q(status=Status.SUBMITTED)),
            accepted=_count(Q(status=Status.ACCEPTED)),
            returned=_count(Q(status=Status.RETURNED)),
            resolved=_count(Q(status=Status.RESOLVED)),
            overdue=_count(colour_q("any", cut)),
        )
        supervisions = Supervision.objects.aggregate(
            replied=_count(Q(state=Supervision.State.REPLIED)),
            late=_count(Q(state=Supervision.State.OPEN, reply_due__lt=today)),
        )
        return [
            Item(
                "to_accept",
                _("New problems to accept"),
                counts["submitted"],
                intake + "?tab=submitted",
            ),
            Item(
                "to_assign", _("Accepted, to assign"), counts["accepted"], intake + "?tab=accepted"
            ),
            Item("returns", _("Returns to decide"), counts["returned"], intake + "?tab=returned"),
            Item(
                "extensions",
                _("Extension requests to decide"),
                ExtensionRequest.objects.filter(state=RequestState.PENDING).count(),
                reverse("problems:approvals"),
            ),
            Item(
                "appeals",
                _("Appeals to decide"),
                Appeal.objects.filter(state=Appeal.State.PENDING).count(),
                reverse("problems:appeals"),
            ),
            Item(
                "overdue",
                _("Overdue tasks"),
                counts["overdue"],
                reverse("problems:overdue"),
                urgent=True,
            ),
            Item(
                "supervision_replies",
                _("Supervision replies to review"),
                supervisions["replied"],
                reverse("problems:supervisions"),
            ),
            Item(
                "supervision_late",
                _("Supervision replies overdue"),
                supervisions["late"],
                reverse("problems:supervisions"),
                urgent=True,
            ),
            Item(
                "follow_up",
                _("Follow-up and close-out"),
                counts["resolved"],
                intake + "?tab=resolved",
            ),
        ]
    if user.role in UNIT:
        inbox = reverse("problems:inbox")
        led = problems.filter(lead_unit_id=user.unit_id)
        soon = calendar.add_workdays(today, DUE_SOON_DAYS, guess=True)
        counts = led.aggregate(
            to_sign=_count(Q(status=Status.ASSIGNED)),
            due_soon=_count(
                Q(
                    status__in=[Status.ASSIGNED, Status.IN_PROGRESS],
                    deadline__gte=today,
                    deadline__lte=soon,
                )
            ),
            overdue=_count(colour_q("any", cut)),
        )
        return [
            Item("to_sign", _("Tasks to sign for"), counts["to_sign"], inbox + "?tab=to_sign"),
            Item(
                "due_soon",
                _("Due within 3 working days"),
                counts["due_soon"],
                inbox + "?tab=due_soon",
            ),
            Item(
                "overdue",
                _("Overdue tasks"),
                counts["overdue"],
                inbox + "?tab=overdue",
                urgent=True,
            ),
            Item(
                "supervision_replies",
                _("Supervisions to reply to"),
                Supervision.objects.filter(
                    state=Supervision.State.OPEN, unit_id=user.unit_id
                ).count(),
                reverse("problems:supervisions"),
                urgent=True,
            ),
            Item(
                "instructions",
                _("Instructions to acknowledge"),
                Instruction.objects.filter(
                    acknowledged_at__isnull=True, problem__lead_unit_id=user.unit_id
                ).count(),
                reverse("problems:instructions") + "?pending=1",
                urgent=True,
            ),
        ]
    if user.role == Role.LEADER:
        counts = problems.aggregate(
            red=_count(colour_q("red", cut)), overdue=_count(colour_q("any", cut))
        )
        return [
            Item("red", _("Red tasks"), counts["red"], _problems_url(colour="red"), urgent=True),
            Item(
                "supervisions",
                _("Open supervisions"),
                Supervision.objects.exclude(state=Supervision.State.CLOSED).count(),
                reverse("problems:supervisions"),
            ),
            Item(
                "instructions",
                _("My instructions awaiting follow-up"),
                Instruction.objects.filter(leader=user, acknowledged_at__isnull=True).count(),
                reverse("problems:instructions") + "?pending=1",
            ),
            Item("overdue", _("Overdue tasks"), counts["overdue"], reverse("problems:overdue")),
        ]
    if user.role == Role.ENTERPRISE:
        return [
            Item(
                "to_rate",
                _("Resolved, waiting for your rating"),
                problems.filter(status=Status.RESOLVED).count(),
                _problems_url(status=Status.RESOLVED),
                urgent=True,
            ),
            Item(
                "needing_info",
                _("Needing more information from you"),
                needing_information(problems).count(),
                _problems_url(status="open"),
                urgent=True,
            ),
            Item(
                "open",
                _("Open problems"),
                problems.exclude(
                    status__in=[Status.CLOSED, Status.DECLINED, Status.MERGED]
                ).count(),
                _problems_url(status="open"),
            ),
        ]
    return []


def _count(condition):
    return Count("id", filter=condition)


def unit_on_time_rate(user) -> str | None:
    """The unit's on-time resolution rate this year, from the KPI module (as the bulletin)."""
    if user.role not in UNIT or not user.unit_id:
        return None
    today = clock.today()
    year = kpis.cohort(today.replace(month=1, day=1), today + timedelta(days=1))
    _overall, per_unit = kpis.unit_figures(year.filter(lead_unit_id=user.unit_id))
    figures = per_unit.get(user.unit_id)
    return kpis.percent(figures.on_time_rate if figures else None)


def team_milestones(user) -> list[tuple]:
    """A challenge team's milestones (of the challenges it was selected for) with colours."""
    if user.role != Role.TEAM:
        return []
    selected = Application.objects.filter(applicant=user, state=Application.State.SELECTED).values(
        "challenge_id"
    )
    cut = cutoffs()
    milestones = Milestone.objects.filter(challenge_id__in=selected).select_related("challenge")
    return [(m, milestone_colour(m, cut)) for m in milestones.order_by("due", "id")]


def milestone_colour(milestone, cut) -> str:
    """The problems' warning rule applied to a milestone's due date; green once reported."""
    if milestone.reported_at:
        return "green"
    if milestone.due < cut.red_before:
        return "red"
    if milestone.due < cut.today:
        return "yellow"
    return "blue" if milestone.due < cut.blue_before else ""


def unread(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def items_of_request(request) -> list[Item]:
    """The person's to-do list, asked once per request (the page and the menu share it)."""
    if not hasattr(request, "_qingdan_todo"):
        request._qingdan_todo = items_for(request.user)
    return request._qingdan_todo
