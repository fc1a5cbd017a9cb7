"""Notifications: in-app rows written with the change (an outbox), e-mailed after commit.

A row is created inside the action's transaction, so it exists exactly when the change does.
The e-mail is a background task enqueued on commit; if the mail server is down the row stays
unsent with the error, and ``manage.py send_notifications`` (run by the worker schedule, or by
hand) sends whatever is still unsent. Nothing is lost and a workflow action never waits for SMTP.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from qingdan.accounts.models import Role, Unit, User
from qingdan.lib import clock
from qingdan.problems.models import Notification, Problem, ProblemEvent

logger = logging.getLogger(__name__)
_muted: ContextVar[bool] = ContextVar("qingdan_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No notifications at all inside (replaying history for the demo or the generator)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# Which actions notify whom (anyone but the actor). Keys of RECIPIENTS below.
NOTIFY = {
    "assign": ("lead_unit", "co_units"),
    "reject_return": ("lead_unit",),
    "return": ("secretariat",),
    "approve_extension": ("lead_unit",),
    "refuse_extension": ("lead_unit",),
    "complete": ("enterprise", "secretariat"),
    "redo": ("lead_unit", "secretariat"),
    "reopen": ("lead_unit", "secretariat"),
    "decline": ("enterprise",),
}


def _unit_people(unit_ids: list[int], problem: Problem) -> list[User]:
    """Each unit's liaison officer (or, lacking one, its officers) and the responsible person."""
    members = User.objects.filter(
        unit_id__in=unit_ids, role__in=(Role.UNIT_OFFICER, Role.UNIT_HEAD), is_active=True
    )
    units = Unit.objects.filter(pk__in=unit_ids)
    wanted = {problem.responsible_id} - {None}
    for unit in units:
        if unit.liaison_id:
            wanted.add(unit.liaison_id)
        else:
            wanted.update(
                members.filter(unit=unit, role=Role.UNIT_OFFICER).values_list("pk", flat=True)
            )
    return list(members.filter(pk__in=wanted))


def recipients(problem: Problem, action: str) -> set[User]:
    people: set[User] = set()
    for group in NOTIFY.get(action, ()):
        if group == "lead_unit" and problem.lead_unit_id:
            people.update(_unit_people([problem.lead_unit_id], problem))
        elif group == "co_units":
            co_units = list(
                problem.task_units.filter(is_lead=False).values_list("unit_id", flat=True)
            )
            people.update(_unit_people(co_units, problem))
        elif group == "secretariat":
            people.update(User.objects.filter(role=Role.SECRETARIAT, is_active=True))
        elif group == "enterprise":
            people.update(User.objects.filter(enterprise_id=problem.enterprise_id, is_active=True))
    return people


def notify(problem: Problem, event: ProblemEvent, actor) -> list[Notification]:
    """Write the in-app notices for an event (inside the caller's transaction) and send the
    e-mails once the transaction commits."""
    if _muted.get():
        return []
    targets = sorted(
        (person for person in recipients(problem, event.action) if person.pk != actor.pk),
        key=lambda person: person.pk,
    )
    notes = Notification.objects.bulk_create(
        Notification(recipient=person, problem=problem, event=event, created=event.created)
        for person in targets
    )
    for note in notes:
        if note.recipient.email:
            transaction.on_commit(lambda pk=note.pk: send_notification_email.enqueue(pk))
    return notes


def message(notification: Notification) -> tuple[str, str]:
    """Subject and body of a notification, in the recipient's language."""
    language = notification.recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "notification": notification,
            "problem": notification.problem,
            "event": notification.event,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("problems/email/subject.txt", context).strip()
        body = render_to_string("problems/email/body.txt", context)
    return subject, body


def deliver(notification: Notification) -> bool:
    """Try to e-mail one notification; record the outcome. True when sent."""
    subject, body = message(notification)
    try:
        send_mail(subject, body, None, [notification.recipient.email])
    except Exception as exc:  # any transport failure: keep the row for a later try
        logger.warning("e-mail for notification %s failed: %s", notification.pk, exc)
        Notification.objects.filter(pk=notification.pk).update(
            email_attempts=notification.email_attempts + 1, email_error=str(exc)[:300]
        )
        return False
    Notification.objects.filter(pk=notification.pk).update(
        email_sent_at=clock.now(), email_attempts=notification.email_attempts + 1, email_error=""
    )
    return True


MAX_ATTEMPTS = 8  # with back-off from 1 minute, the last try is about four hours later


@task()
def send_notification_email(notification_id: int) -> bool:
    """Mail one notification; on failure try again later (1, 2, 4… minutes), then leave it for
    the admin to see and ``manage.py send_notifications`` to resend."""
    notification = (
        Notification.objects.select_related("recipient", "problem", "event")
        .filter(pk=notification_id, email_sent_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.email:
        return False
    if deliver(notification):
        return True
    attempts = notification.email_attempts + 1
    backend = send_notification_email.get_backend()
    if attempts < MAX_ATTEMPTS and backend.supports_defer:
        later = clock.now() + timedelta(minutes=2 ** (attempts - 1))
        send_notification_email.using(run_after=later).enqueue(notification_id)
    return False


def send_unsent(limit: int = 500) -> tuple[int, int]:
    """Send what is still unsent (oldest first). Returns (sent, failed)."""
    pending = (
        Notification.objects.filter(email_sent_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient", "problem", "event")
        .order_by("created", "pk")[:limit]
    )
    sent = failed = 0
    for notification in pending:
        if deliver(notification):
            sent += 1
        else:
            failed += 1
    return sent, failed
