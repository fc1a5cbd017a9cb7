"""Questions about supervision (催办 counts, open 督办 and their colours, 批示, 约谈), and the
one rule for acknowledging 批示 that tasks and challenges share.

The actions that change them are in ``actions.py``; the questions only read the rows and events
they wrote. Urges are events (``action="urge"``, the lead unit in ``payload["unit_id"]``), so the
bulletin and the figures count them the same way.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, QuerySet

from qingdan.lib import clock
from qingdan.problems import calendar
from qingdan.problems.models import Instruction, Interview, ProblemEvent, Supervision

URGE = "urge"


def urge_counts(problem_ids: Iterable[int]) -> dict[int, int]:
    """How often each of these problems was urged (manual and automatic 催办)."""
    rows = (
        ProblemEvent.objects.filter(action=URGE, problem_id__in=list(problem_ids))
        .values_list("problem_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def unit_urge_counts(since: date | None = None) -> dict[int, int]:
    """Urges per lead unit (the unit that held the task when urged), optionally since a day."""
    events = ProblemEvent.objects.filter(action=URGE)
    if since is not None:
        events = events.filter(created__date__gte=since)
    return dict(
        Counter(payload.get("unit_id") for payload in events.values_list("payload", flat=True))
    )


def open_supervisions(user_filter: QuerySet | None = None) -> QuerySet[Supervision]:
    supervisions = Supervision.objects.exclude(state=Supervision.State.CLOSED)
    if user_filter is not None:
        supervisions = supervisions.filter(problem__in=user_filter)
    return supervisions.select_related("problem", "unit", "opened_by", "replied_by")


def supervision_colour(supervision: Supervision, today: date | None = None) -> str:
    """The supervision's own colours: red when the reply is late, yellow on its last day or the
    day before, blue while there is time, green once replied (to close)."""
    today = today or clock.today()
    if supervision.state == Supervision.State.REPLIED:
        return "green"
    if supervision.reply_due < today:
        return "red"
    if supervision.reply_due <= calendar.add_workdays(today, 1, guess=True):
        return "yellow"
    return "blue"


def instructions_of(leader) -> QuerySet[Instruction]:
    return Instruction.objects.filter(leader=leader).select_related(
        "problem", "problem__lead_unit", "acknowledged_by"
    )


def interviews(unit_id: int | None = None) -> QuerySet[Interview]:
    found = Interview.objects.select_related("unit", "recorded_by").prefetch_related("problems")
    if unit_id:
        found = found.filter(unit_id=unit_id)
    return found


def acknowledge_pending(change, note: str) -> list:
    """Inside an ``acknowledge_instruction`` transition (of a task or a challenge): mark the
    instructions waiting on the object acknowledged by the actor, with how they are followed
    up, and name them on the event."""
    pending = list(change.obj.instructions.select_for_update().filter(acknowledged_at__isnull=True))
    now = clock.now()
    for instruction in pending:
        instruction.acknowledged_by = change.actor
        instruction.acknowledged_at = now
        instruction.acknowledgement = note
        instruction.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement"])
    change.note = note
    change.payload = {
        "instruction_ids": [item.pk for item in pending],
        "leader_ids": sorted({item.leader_id for item in pending}),
    }
    return pending
