"""The reminder ladder, run every working day (``manage.py send_reminders``, or the scheduler
at 09:00):

1. sign-for not done by its deadline day → the lead unit's liaison (and its group chat);
2. deadline near (blue) → the responsible person;
3. deadline passed → 催办 the next working day (an ``urge`` event, as when the secretariat urges)
   to the responsible person, copied to the unit's head(s) (and its group chat);
4. red (overdue by more than ``WARNING_YELLOW_DAYS`` working days) → the enterprise's service
   commissioner (包联干部), if it has one;
5. still overdue after ``ESCALATE_AFTER`` more working days → the leaders and the secretariat;
   the problem is flagged on the overdue board and in the next bulletin.

Each step is recorded as a ``Reminder`` unique per problem, step and deadline, in the same
transaction as its notices: a step is taken once, even if the job runs twice or dies half-way;
a new deadline (an extension, a redo) starts the ladder again.
"""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from qingdan.accounts.models import Role, User
from qingdan.lib import clock
from qingdan.notifications.models import Reminder, Step
from qingdan.notifications.rules import send, unit_people
from qingdan.problems import actions, calendar
from qingdan.problems.models import RUNNING_STATUSES, Problem, Status
from qingdan.problems.warnings import colour_q, cutoffs


def escalate_before(today: date) -> date:
    """Deadlines before this day are overdue by more than ESCALATE_AFTER working days."""
    return calendar.nth_workday_back(today, settings.QINGDAN["ESCALATE_AFTER_DAYS"] + 1, guess=True)


def due(step: str, today: date):
    """Problems for which ``step`` is due today and not yet taken."""
    running = Problem.objects.filter(status__in=RUNNING_STATUSES)
    if step == Step.SIGN:
        problems = running.filter(status=Status.ASSIGNED, sign_deadline__lte=today)
        taken_for = "sign_deadline"
    elif step == Step.DUE_SOON:
        problems = running.filter(colour_q("blue", cutoffs(today)))
        taken_for = "deadline"
    elif step == Step.OVERDUE:
        problems = running.filter(deadline__lt=today)
        taken_for = "deadline"
    elif step == Step.RED:
        # Only where someone is told: a commissioner appointed later still hears of it.
        problems = running.filter(colour_q("red", cutoffs(today))).filter(
            Exists(_commissioners().filter(commissioned__enterprise_id=OuterRef("enterprise_id")))
        )
        taken_for = "deadline"
    else:
        problems = running.filter(deadline__lt=escalate_before(today))
        taken_for = "deadline"
    taken = Reminder.objects.filter(problem=OuterRef("pk"), step=step, deadline=OuterRef(taken_for))
    return problems.exclude(Exists(taken)).select_related("lead_unit", "category"), taken_for


def _people(step: str, problem: Problem) -> tuple[set[User], list]:
    unit = [problem.lead_unit] if problem.lead_unit_id else []
    if step == Step.SIGN:
        return set(unit_people([problem.lead_unit_id], problem)), unit
    if step == Step.RED:  # 包联: the enterprise's service commissioner hears of its red cards
        return set(_commissioners().filter(commissioned__enterprise_id=problem.enterprise_id)), []
    responsible = (
        {problem.responsible}
        if problem.responsible_id
        else set(unit_people([problem.lead_unit_id], problem))
    )
    if step == Step.DUE_SOON:
        return responsible, []
    heads = set(
        User.objects.filter(unit_id=problem.lead_unit_id, role=Role.UNIT_HEAD, is_active=True)
    )
    if step == Step.OVERDUE:
        return responsible | heads, unit
    leaders = set(User.objects.filter(role__in=[Role.LEADER, Role.SECRETARIAT], is_active=True))
    return leaders | heads, []


def _commissioners():
    return User.objects.filter(is_active=True)


NOTES = {
    Step.SIGN: lambda p: (
        _("Please sign for this task: the sign-for deadline is %(d)s.") % {"d": p.sign_deadline}
    ),
    Step.DUE_SOON: lambda p: _("The completion deadline is near: %(d)s.") % {"d": p.deadline},
    Step.OVERDUE: lambda p: (
        _("The completion deadline %(d)s has passed: please finish it now and report.")
        % {"d": p.deadline}
    ),
    Step.RED: lambda p: (
        _(
            "Red card: the completion deadline %(d)s of this problem of an enterprise you serve "
            "as its service commissioner has long passed."
        )
        % {"d": p.deadline}
    ),
    Step.ESCALATED: lambda p: (
        _("Still overdue since %(d)s: escalated to the leaders and listed in the next bulletin.")
        % {"d": p.deadline}
    ),
}


def take(step: str, problem: Problem, deadline: date) -> Reminder | None:
    """Take one step for one problem, once: the reminder and its notices, or nothing."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                problem=problem, step=step, deadline=deadline, created=clock.now()
            )
            people, units = _people(step, problem)
            with _in_park_language():
                note = NOTES[step](problem)
                label = Step(step).label
            # The ladder's 催办 and escalation are the same steps (and events) as a person's.
            if step == Step.OVERDUE:
                actions.urge(problem, actor=None, note=note)
            elif step == Step.ESCALATED:
                actions.escalate(problem, note=note)
            send(
                problem,
                people,
                label=str(label),
                note=note,
                actor_name="",
                key=f"reminder{reminder.pk}",
                reminder=reminder,
                units=units,
            )
    except IntegrityError:
        return None  # taken already (another worker, or an earlier run)
    return reminder


def _in_park_language():
    from django.utils import translation

    return translation.override(settings.LANGUAGE_CODE)


def run(today: date | None = None) -> dict[str, int]:
    """Take every step due today. Nothing on days off (weekends, holidays)."""
    today = today or clock.today()
    # In a year without a schedule (the overview and admin warn from November) the ladder keeps
    # running Monday–Friday rather than stopping every reminder.
    if not calendar.is_workday(today, guess=True):
        return {}
    counts = {}
    for step in (Step.SIGN, Step.DUE_SOON, Step.OVERDUE, Step.RED, Step.ESCALATED):
        problems, taken_for = due(step, today)
        counts[step] = sum(
            take(step, problem, getattr(problem, taken_for)) is not None
            for problem in problems.iterator(chunk_size=500)
        )
    return counts
