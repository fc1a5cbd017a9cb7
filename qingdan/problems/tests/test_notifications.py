from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from qingdan.problems import actions
from qingdan.problems.models import Notification, Satisfaction

pytestmark = pytest.mark.django_db


def test_assign_notifies_the_lead_and_co_units_after_commit(
    cast, make_problem, django_capture_on_commit_callbacks
):
    cast.power.liaison = cast.power_officer
    cast.power.save()
    problem = make_problem("accepted")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.assign(
            problem, actor=cast.secretariat, lead_unit=cast.power, co_units=[(cast.water, "配合")]
        )
        # Written with the change, but nothing mailed before the transaction commits.
        assert len(mail.outbox) == 0
    notes = Notification.objects.filter(event__action="assign")
    assert {n.recipient for n in notes} == {cast.power_officer, cast.water_officer}
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["power@example.org", "water@example.org"]
    assert problem.number in mail.outbox[0].subject
    assert all(n.email_sent_at for n in Notification.objects.all())


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("return", {"t-secretariat"}),
        ("complete", {"t-acme", "t-secretariat"}),
    ],
)
def test_return_and_completion_notify_who_acts_next(cast, make_problem, step, expected):
    problem = make_problem("assigned" if step == "return" else "in_progress")
    if step == "return":
        actions.return_task(problem, actor=cast.power_officer, reason="不归我们")
    else:
        actions.complete(problem, actor=cast.power_officer, report="完成")
    recipients = {n.recipient.username for n in Notification.objects.filter(event__action=step)}
    assert recipients == expected


def test_extension_decision_and_redo_notify_the_unit(cast, make_problem):
    problem = make_problem("in_progress", responsible=cast.power_head)
    actions.request_extension(
        problem,
        actor=cast.power_officer,
        reason="x",
        new_deadline=problem.deadline.replace(year=2099),
    )
    actions.refuse_extension(problem, actor=cast.secretariat, reason="不同意")
    assert {n.recipient for n in Notification.objects.filter(event__action="refuse_extension")} == {
        cast.power_officer,
        cast.power_head,
    }
    actions.complete(problem, actor=cast.power_officer, report="完成")
    actions.rate(
        problem, actor=cast.acme_contact, solved=False, satisfaction=Satisfaction.UNSATISFIED,
        comment="没解决",
    )  # fmt: skip
    redo = {n.recipient for n in Notification.objects.filter(event__action="redo")}
    assert {cast.power_officer, cast.power_head, cast.secretariat} <= redo


def test_mail_server_down_keeps_the_notification_and_a_later_run_sends_it(
    cast, make_problem, django_capture_on_commit_callbacks
):
    problem = make_problem("assigned")
    with (
        mock.patch("qingdan.problems.notify.send_mail", side_effect=ConnectionRefusedError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.return_task(problem, actor=cast.power_officer, reason="不归我们")
    note = Notification.objects.get(event__action="return")
    assert note.email_sent_at is None and note.email_attempts == 1 and "down" in note.email_error
    assert problem.status == "returned"  # the action itself went through
    call_command("send_notifications")
    note.refresh_from_db()
    assert note.email_sent_at is not None
    assert [m.to for m in mail.outbox if m.to == ["sec@example.org"]] == [["sec@example.org"]]


def test_in_app_list_shows_own_notifications_and_marks_them_read(client, cast, make_problem):
    problem = make_problem("assigned")
    actions.return_task(problem, actor=cast.power_officer, reason="不归我们")
    client.force_login(cast.acme_contact)
    assert client.get(reverse("problems:notifications")).context["items"] == []
    client.force_login(cast.secretariat)
    page = client.get(reverse("problems:notifications"))
    assert [n.problem for n in page.context["items"]] == [problem] and page.context["unread"] == 1
    client.post(reverse("problems:notifications"))
    assert Notification.objects.get(recipient=cast.secretariat).read_at is not None


def test_failed_mail_is_retried_later_through_the_task_queue(cast, make_problem, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from qingdan.problems.notify import send_notification_email

    problem = make_problem("assigned")
    actions.return_task(problem, actor=cast.power_officer, reason="不归我们")
    note = Notification.objects.get(event__action="return")
    with mock.patch("qingdan.problems.notify.send_mail", side_effect=OSError("down")):
        assert send_notification_email.call(note.pk) is False
    retries = [r for r in default_task_backend.results if r.args == [note.pk]]
    assert len(retries) == 1 and retries[0].task.run_after is not None
    note.refresh_from_db()
    assert note.email_attempts == 1 and note.email_sent_at is None
