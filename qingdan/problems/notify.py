"""Who hears about a change to a problem, and how.

``notify`` runs inside the action's transaction: it writes the in-app notifications and queues
the e-mails and group-chat messages in the outbox (``qingdan.notifications.outbox``), which
sends them after commit, retries them, and never makes a workflow action wait.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from qingdan.accounts.models import Role, Unit, User
from qingdan.notifications import messages, outbox
from qingdan.notifications.models import Channel, Subscription
from qingdan.problems.models import Notification, Problem, ProblemEvent

_muted: ContextVar[bool] = ContextVar("qingdan_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No notifications at all inside (replaying history for the demo or the generator)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


# Which actions notify whom (anyone but the actor), and which units' group chats hear of it.
# Enterprise contacts follow their own problems by default.
NOTIFY = {
    "assign": ("lead_unit", "co_units", "enterprise"),
    "reject_return": ("lead_unit",),
    "return": ("secretariat",),
    "approve_extension": ("lead_unit",),
    "refuse_extension": ("lead_unit",),
    "complete": ("enterprise", "secretariat"),
    "redo": ("lead_unit", "secretariat"),
    "reopen": ("lead_unit", "secretariat"),
    "decline": ("enterprise",),
    "merge": ("enterprise",),
    "close": ("enterprise",),
}
GROUP_CHAT = {"assign", "reject_return", "approve_extension", "refuse_extension", "redo", "reopen"}


def unit_people(unit_ids: list[int], problem: Problem) -> list[User]:
    """Each unit's liaison officer (or, lacking one, its officers) and the responsible person."""
    members = User.objects.filter(
        unit_id__in=unit_ids, role__in=(Role.UNIT_OFFICER, Role.UNIT_HEAD), is_active=True
    )
    wanted = {problem.responsible_id} - {None}
    for unit in Unit.objects.filter(pk__in=unit_ids):
        if unit.liaison_id:
            wanted.add(unit.liaison_id)
        else:
            wanted.update(
                members.filter(unit=unit, role=Role.UNIT_OFFICER).values_list("pk", flat=True)
            )
    return list(members.filter(pk__in=wanted))


def subscribers(problem: Problem) -> set[User]:
    """People following the problem, its lead unit or its category."""
    follows = (
        Subscription.objects.filter(problem=problem)
        | Subscription.objects.filter(unit_id=problem.lead_unit_id)
        | Subscription.objects.filter(category_id=problem.category_id)
    )
    return set(User.objects.filter(is_active=True, subscriptions__in=follows).distinct())


def recipients(problem: Problem, action: str) -> set[User]:
    groups = NOTIFY.get(action, ())
    people: set[User] = set()
    for group in groups:
        if group == "lead_unit" and problem.lead_unit_id:
            people.update(unit_people([problem.lead_unit_id], problem))
        elif group == "co_units":
            co_units = list(
                problem.task_units.filter(is_lead=False).values_list("unit_id", flat=True)
            )
            people.update(unit_people(co_units, problem))
        elif group == "secretariat":
            people.update(User.objects.filter(role=Role.SECRETARIAT, is_active=True))
        elif group == "enterprise":
            people.update(User.objects.filter(enterprise_id=problem.enterprise_id, is_active=True))
    if groups:
        people.update(subscribers(problem))
    return people


def send(
    problem: Problem,
    people,
    *,
    label: str,
    note: str,
    actor_name: str,
    key: str,
    event: ProblemEvent | None = None,
    reminder=None,
    units=(),
) -> list[Notification]:
    """In-app notices for ``people``, their e-mails, and the group chats of ``units``."""
    if _muted.get():
        return []
    people = sorted(people, key=lambda person: person.pk)
    created = event.created if event else reminder.created
    notes = Notification.objects.bulk_create(
        Notification(recipient=person, problem=problem, event=event, reminder=reminder,
                     created=created)
        for person in people
    )  # fmt: skip
    for person in people:
        if person.email and person.email_notifications:
            subject, body = messages.email(problem, label, note=note, actor_name=actor_name,
                                           recipient=person)  # fmt: skip
            outbox.queue(Channel.EMAIL, dedupe_key=f"{key}:email:{person.pk}", subject=subject,
                         body=body, recipient=person)  # fmt: skip
    for unit in units:
        subject, body = messages.group(problem, label, note=note, actor_name=actor_name)
        if unit.wecom_webhook:
            outbox.queue(Channel.WECOM, dedupe_key=f"{key}:wecom:{unit.pk}", subject=subject,
                         body=body, unit=unit)  # fmt: skip
        if unit.dingtalk_webhook:
            outbox.queue(Channel.DINGTALK, dedupe_key=f"{key}:dingtalk:{unit.pk}",
                         subject=subject, body=body, unit=unit)  # fmt: skip
    return notes


def notify(problem: Problem, event: ProblemEvent, actor) -> list[Notification]:
    """Called by every action, inside its transaction."""
    if _muted.get() or event.action not in NOTIFY:
        return []
    people = {p for p in recipients(problem, event.action) if p.pk != actor.pk}
    units = [problem.lead_unit] if event.action in GROUP_CHAT and problem.lead_unit_id else []
    return send(problem, people, label=event.action_label, note=event.note,
                actor_name=actor.get_full_name(), key=f"event{event.pk}", event=event,
                units=units)  # fmt: skip
