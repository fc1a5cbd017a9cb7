"""Who hears about what, and how: in-app notices, e-mails and the units' group chats.

The domains never call this module: it listens to their events (``qingdan.core.events``,
connected in ``listeners.py``). Everything here runs inside the transaction that wrote the event,
so a notice exists exactly when its cause does; e-mails and chat messages are queued in the outbox
and sent after commit.

One rule decides who may hear of a problem: the same as who may see it
(``qingdan.problems.access.may_see``). A person who follows a unit or a category hears only of
the problems the problem page would show them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from qingdan.accounts.models import Role, Unit, User
from qingdan.lib import clock, encode
from qingdan.notifications import messages, outbox
from qingdan.notifications.models import Channel, Notification, StaffAlert, Subscription
from qingdan.problems.access import may_see
from qingdan.problems.models import Problem, ProblemEvent

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


# --- Problems --------------------------------------------------------------------------------

# Which problem actions notify whom (anyone but the actor), and which units' group chats hear
# of it. Enterprise contacts follow their own problems by default.
NOTIFY = {
    "assign": ("lead_unit", "co_units", "enterprise"),
    "reject_return": ("lead_unit",),
    "return": ("secretariat_alerted",),
    "approve_extension": ("lead_unit",),
    "refuse_extension": ("lead_unit",),
    "complete": ("enterprise", "secretariat"),
    "redo": ("lead_unit", "secretariat"),
    "reopen": ("lead_unit", "secretariat"),
    "decline": ("enterprise",),
    "merge": ("enterprise",),
    "close": ("enterprise",),
    # Supervision of running tasks. A system urge (the reminder ladder's) is told by the ladder.
    "urge": ("lead_unit", "unit_heads"),
    "supervise": ("lead_unit", "unit_heads"),
    "supervision_reply": ("supervisor", "secretariat"),
    "close_supervision": ("lead_unit",),
    "reassign": ("lead_unit", "enterprise"),
    "instruct": ("lead_unit", "unit_heads", "secretariat"),
    "acknowledge_instruction": ("instructor", "secretariat"),
    # The secretariat hears of new problems and of requests to decide, as each member chose
    # (``StaffAlert``; on unless turned off).
    "raise": ("secretariat_alerted",),
    "request_extension": ("secretariat_alerted",),
}
GROUP_CHAT = {
    "assign",
    "reject_return",
    "approve_extension",
    "refuse_extension",
    "redo",
    "reopen",
    "urge",
    "supervise",
    "reassign",
    "instruct",
}
# Which alert setting a secretariat member's notice of an action follows.
ALERT_OF = {"raise": "new_problem", "return": "return", "request_extension": "extension"}


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


def recipients(problem: Problem, action: str, event: ProblemEvent | None = None) -> set[User]:
    groups = NOTIFY.get(action, ())
    payload = event.payload if event is not None else {}
    people: set[User] = set()
    for group in groups:
        if group == "lead_unit" and problem.lead_unit_id:
            people.update(unit_people([problem.lead_unit_id], problem))
        elif group == "unit_heads" and problem.lead_unit_id:
            people.update(
                User.objects.filter(
                    unit_id=problem.lead_unit_id, role=Role.UNIT_HEAD, is_active=True
                )
            )
        elif group == "supervisor" and payload.get("opened_by_id"):
            people.update(User.objects.filter(pk=payload["opened_by_id"], is_active=True))
        elif group == "instructor":
            people.update(User.objects.filter(pk__in=payload.get("leader_ids", []), is_active=True))
        elif group == "secretariat_alerted":
            people.update(alerted_secretariat(ALERT_OF[action]))
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
    action: str = "",
    event: ProblemEvent | None = None,
    reminder=None,
    units=(),
) -> list[Notification]:
    """In-app notices for those of ``people`` who may see the problem, their e-mails, and the
    group chats of ``units`` (units on the task, which see it)."""
    if _muted.get():
        return []
    people = sorted((p for p in people if may_see(p, problem)), key=lambda person: person.pk)
    created = event.created if event else reminder.created
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            problem=problem,
            event=event,
            reminder=reminder,
            action=action,
            created=created,
        )
        for person in people
    )
    for person in people:
        if person.email and person.email_notifications:
            subject, body = messages.email(
                problem, label, note=note, actor_name=actor_name, recipient=person
            )
            outbox.queue(
                Channel.EMAIL,
                dedupe_key=f"{key}:email:{person.pk}",
                subject=subject,
                body=body,
                recipient=person,
            )
    for unit in units:
        subject, body = messages.group(problem, label, note=note, actor_name=actor_name)
        if unit.wecom_webhook:
            outbox.queue(
                Channel.WECOM,
                dedupe_key=f"{key}:wecom:{unit.pk}",
                subject=subject,
                body=body,
                unit=unit,
            )
        if unit.dingtalk_webhook:
            outbox.queue(
                Channel.DINGTALK,
                dedupe_key=f"{key}:dingtalk:{unit.pk}",
                subject=subject,
                body=body,
                unit=unit,
            )
    return notes


def alerted_secretariat(kind: str):
    """The secretariat's members who keep the alert ``kind`` on (all, unless turned off)."""
    off = StaffAlert.objects.filter(kind=kind, enabled=False).values("user_id")
    return User.objects.filter(role=Role.SECRETARIAT, is_active=True).exclude(pk__in=off)


def on_problem_event(event: ProblemEvent, actor) -> list[Notification]:
    if event.action not in NOTIFY:
        return []
    if event.action == "urge" and actor is None:
        return []  # the reminder ladder's urge: its own notices (``reminders.take``)
    if event.action == "raise" and actor is not None and actor.is_secretariat:
        return []  # raised by the secretariat itself (an exchange day's entry, an import)
    problem = event.problem
    people = recipients(problem, event.action, event)
    people = {p for p in people if actor is None or p.pk != actor.pk}
    units = [problem.lead_unit] if event.action in GROUP_CHAT and problem.lead_unit_id else []
    return send(
        problem,
        people,
        label=event.action_label,
        note=event.note,
        actor_name=actor.get_full_name() if actor else "",
        key=f"event{event.pk}",
        action=event.action,
        event=event,
        units=units,
    )


# --- Challenges ------------------------------------------------------------------------------

# Steps that followers of a (public) challenge hear about.
CHALLENGE_FOLLOWED = {
    "start_review",
    "select",
    "sign_letter",
    "report_milestone",
    "deliver",
    "accept",
}


# 领导批示 on a challenge: the owner unit hears of an instruction, the leader of its follow-up.
CHALLENGE_INSTRUCTIONS = {"instruct", "acknowledge_instruction"}


def challenge_instruction_recipients(challenge, event):
    """The owner unit's officers and heads for an instruction; the leaders who wrote the
    instructions acknowledged, for an acknowledgement."""
    if event.action == "instruct":
        return User.objects.filter(
            unit_id=challenge.owner_unit_id,
            role__in=(Role.UNIT_OFFICER, Role.UNIT_HEAD),
            is_active=True,
        )
    return User.objects.filter(pk__in=event.payload.get("leader_ids", []), is_active=True)


def tell_about_challenge(challenge, people, *, action: str, label: str, note: str, key: str):
    """In-app notices and e-mails about a challenge (which is public once published)."""
    if _muted.get():
        return []
    people = sorted({p for p in people if p.is_active}, key=lambda person: person.pk)
    notes = Notification.objects.bulk_create(
        Notification(recipient=p, challenge=challenge, action=action, created=clock.now())
        for p in people
    )
    for person in people:
        if person.email and person.email_notifications:
            with translation.override(person.language or settings.LANGUAGE_CODE):
                subject = encode.header(
                    f"[{_('Qingdan')}] {challenge.code} {label}: {challenge.title}"
                )
            outbox.queue(
                Channel.EMAIL,
                dedupe_key=f"{key}:email:{person.pk}",
                subject=subject,
                body=f"{note}\n\n{settings.SITE_URL}{challenge.get_absolute_url()}\n",
                recipient=person,
            )
    return notes


def on_challenge_event(event, actor) -> None:
    from qingdan.challenges.workflow import CHALLENGES

    challenge = event.challenge
    label = CHALLENGES.label(event.action)
    if event.action == "select":
        applicants = event.payload.get("applicants", {})
        with translation.override(settings.LANGUAGE_CODE):
            thanks = _("Thank you for applying: another team was selected for this challenge.")
            chosen = _("Your team was selected: sign the task letter.")
        tell_about_challenge(
            challenge,
            User.objects.filter(pk__in=applicants.get("unsuccessful", [])),
            action=event.action,
            label=label,
            note=thanks,
            key=f"challenge{challenge.pk}:unsuccessful",
        )
        tell_about_challenge(
            challenge,
            User.objects.filter(pk=applicants.get("selected")),
            action=event.action,
            label=label,
            note=chosen,
            key=f"challenge{challenge.pk}:selected",
        )
    if event.action in CHALLENGE_INSTRUCTIONS:
        people = challenge_instruction_recipients(challenge, event)
        if actor is not None:
            people = people.exclude(pk=actor.pk)
        tell_about_challenge(
            challenge,
            people,
            action=event.action,
            label=label,
            note=event.note,
            key=f"challenge{challenge.pk}:{event.pk}:instruction",
        )
    if event.action in CHALLENGE_FOLLOWED:
        followers = User.objects.filter(subscriptions__challenge=challenge)
        if actor is not None:
            followers = followers.exclude(pk=actor.pk)
        tell_about_challenge(
            challenge,
            followers,
            action=event.action,
            label=label,
            note=event.note,
            key=f"challenge{challenge.pk}:{event.pk}:followers",
        )


# --- Factories and land ----------------------------------------------------------------------


def on_carrier_reminders(reminders) -> None:
    """The day's alerts on buildings and land (``carriers.AlertReminder`` rows), e-mailed as one
    digest to each secretariat member (the ledger is the staff's; nothing about a problem)."""
    if _muted.get() or not reminders:
        return
    day = reminders[0].day
    people = User.objects.filter(role__in=(Role.SECRETARIAT, Role.ADMIN), is_active=True)
    for person in people.order_by("pk"):
        if not (person.email and person.email_notifications):
            continue
        with translation.override(person.language or settings.LANGUAGE_CODE):
            subject = encode.header(f"[{_('Qingdan')}] {_('Factories and land: alerts')} {day}")
            colours = {"red": _("Red"), "yellow": _("Yellow")}
            lines = [
                f"{colours.get(r.colour, r.colour)} · {r.code} {r.name}: {r.message}\n"
                f"  {settings.SITE_URL}{r.url}"
                for r in reminders
            ]
        outbox.queue(
            Channel.EMAIL,
            dedupe_key=f"carriers:{day}:email:{person.pk}",
            subject=subject,
            body="\n".join(lines) + "\n",
            recipient=person,
        )
