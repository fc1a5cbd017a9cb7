"""Who hears about policy applications and the weekly 政策体检 (the policies app never calls
this: it listens to its events, as for problems and challenges).

- an enterprise's contacts hear when their application is sent back for more information,
  approved, refused, paid, or granted without application (免申即享);
- the reviewing unit's people (or the secretariat, when the policy names no unit) hear of each
  new or resubmitted application, and of materials added to one;
- every Monday each enterprise's contacts who did not turn it off hear of the policies it newly
  qualifies for, or is newly one condition short of.

Nobody hears of an application they could not open (``policies.access.visible_applications``).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from qingdan.accounts.models import Enterprise, Role, User
from qingdan.lib import clock, encode
from qingdan.notifications import outbox
from qingdan.notifications.models import Channel, Notification
from qingdan.notifications.rules import is_muted
from qingdan.policies import checkup
from qingdan.policies.access import visible_applications
from qingdan.policies.workflow import APPLICATIONS

TO_ENTERPRISE = {"request_info", "approve", "refuse", "pay", "grant"}
TO_REVIEWERS = {"submit", "resubmit", "add_materials"}


def _email(person: User, subject: str, body: str, key: str) -> None:
    if person.email and person.email_notifications:
        outbox.queue(
            Channel.EMAIL,
            dedupe_key=f"{key}:email:{person.pk}",
            subject=encode.header(subject),
            body=body,
            recipient=person,
        )


def on_application_event(event, actor) -> list[Notification]:
    application = event.application
    if event.action in TO_ENTERPRISE:
        people = User.objects.filter(enterprise_id=application.enterprise_id, is_active=True)
    elif event.action in TO_REVIEWERS:
        unit = application.policy.review_unit_id
        people = (
            User.objects.filter(unit_id=unit, role__in=(Role.UNIT_OFFICER, Role.UNIT_HEAD))
            if unit
            else User.objects.filter(role=Role.SECRETARIAT)
        ).filter(is_active=True)
    else:
        return []
    people = [
        p
        for p in people
        if (actor is None or p.pk != actor.pk)
        and visible_applications(p).filter(pk=application.pk).exists()
    ]
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=p, policy_application=application, action=event.action, created=event.created
        )
        for p in people
    )
    for person in people:
        with translation.override(person.language or settings.LANGUAGE_CODE):
            label = APPLICATIONS.label(event.action)
            subject = f"[{_('Qingdan')}] {application.code} {label}: {application.policy.title}"
        body = f"{event.note}\n\n{settings.SITE_URL}{application.get_absolute_url()}\n"
        _email(person, subject, body, f"application-event{event.pk}")
    return notes


def on_recorded(events: list, actor) -> None:
    if is_muted():
        return
    for event in events:
        on_application_event(event, actor)


def send_policy_checkup() -> int:
    """The weekly 政策体检: one notice per person and newly matched policy. Returns how many."""
    if is_muted():
        return 0
    sent = 0
    for enterprise in Enterprise.objects.order_by("pk"):
        matches = checkup.new_matches(enterprise)
        if not matches:
            continue
        people = checkup.recipients(enterprise)
        Notification.objects.bulk_create(
            Notification(recipient=p, policy=m.policy, action=m.verdict, created=clock.now())
            for p in people
            for m in matches
        )
        for person in people:
            with translation.override(person.language or settings.LANGUAGE_CODE):
                subject = f"[{_('Qingdan')}] {_('Policy check-up')}"
                lines = [
                    f"{m.verdict_label}: {m.policy.title} "
                    f"{settings.SITE_URL}{m.policy.get_absolute_url()}"
                    for m in matches
                ]
            key = f"checkup{clock.today():%Y%W}:{enterprise.pk}"
            _email(person, subject, "\n".join(lines) + "\n", key)
        sent += len(people) * len(matches)
        checkup.remember(enterprise, matches)
    return sent


def remind_overdue_reviews() -> int:
    """Reminders as for tasks: the reviewers of each application past its review limit hear of
    it once per limit (a resubmission sets a new limit)."""
    from qingdan.policies.models import Application, State

    if is_muted():
        return 0
    sent = 0
    today = clock.today()
    for application in Application.objects.filter(
        state=State.SUBMITTED, review_deadline__lt=today
    ).select_related("policy"):
        if Notification.objects.filter(
            policy_application=application,
            action="review_overdue",
            created__date__gte=application.review_deadline,
        ).exists():
            continue
        unit = application.policy.review_unit_id
        people = (
            User.objects.filter(unit_id=unit, role__in=(Role.UNIT_OFFICER, Role.UNIT_HEAD))
            if unit
            else User.objects.filter(role=Role.SECRETARIAT)
        ).filter(is_active=True)
        Notification.objects.bulk_create(
            Notification(
                recipient=p,
                policy_application=application,
                action="review_overdue",
                created=clock.now(),
            )
            for p in people
        )
        for person in people:
            with translation.override(person.language or settings.LANGUAGE_CODE):
                subject = f"[{_('Qingdan')}] {application.code} {_('Review overdue')}"
                body = _("The review limit %(d)s has passed: please decide now.") % {
                    "d": application.review_deadline
                }
            _email(
                person,
                subject,
                f"{body}\n\n{settings.SITE_URL}{application.get_absolute_url()}\n",
                f"review{application.pk}:{application.review_deadline}",
            )
        sent += len(people)
    return sent
