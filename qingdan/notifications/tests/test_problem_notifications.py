from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from qingdan.notifications import outbox
from qingdan.notifications.models import Delivery, Notification, Subscription
from qingdan.problems import actions
from qingdan.problems.models import Problem, Satisfaction

pytestmark = pytest.mark.django_db


def forget_the_raise():
    """The secretariat is told of each new problem: tests of later steps start without it."""
    Delivery.objects.all().delete()
    Notification.objects.all().delete()


def test_assign_notifies_lead_and_co_units_and_the_enterprise_after_commit(
    cast, make_problem, django_capture_on_commit_callbacks
):
    cast.power.liaison = cast.power_officer
    cast.power.save()
    problem = make_problem("accepted")
    forget_the_raise()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.assign(
            problem, actor=cast.secretariat, lead_unit=cast.power, co_units=[(cast.water, "配合")]
        )
        assert len(mail.outbox) == 0  # nothing is sent inside the action's transaction
    notes = Notification.objects.filter(event__action="assign")
    assert {n.recipient for n in notes} == {
        cast.power_officer,
        cast.water_officer,
        cast.acme_contact,
    }
    assert Delivery.objects.filter(channel="email", state="pending").count() == 3
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "acme@example.org",
        "power@example.org",
        "water@example.org",
    ]
    assert problem.number in mail.outbox[0].subject
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


@pytest.mark.parametrize(
    ("step", "expected"),
    [("return", {"t-secretariat"}), ("complete", {"t-acme", "t-secretariat"})],
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
        problem,
        actor=cast.acme_contact,
        solved=False,
        satisfaction=Satisfaction.UNSATISFIED,
        comment="没解决",
    )
    redo = {n.recipient for n in Notification.objects.filter(event__action="redo")}
    assert {cast.power_officer, cast.power_head, cast.secretariat} <= redo


def test_mail_server_down_keeps_the_message_and_retries_with_back_off(
    cast, make_problem, django_capture_on_commit_callbacks
):
    problem = make_problem("assigned")
    forget_the_raise()
    with (
        mock.patch("qingdan.notifications.channels.send_mail", side_effect=ConnectionRefusedError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.return_task(problem, actor=cast.power_officer, reason="不归我们")
    delivery = Delivery.objects.get(recipient=cast.secretariat)
    assert (delivery.state, delivery.attempts, delivery.sent_at) == ("pending", 1, None)
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.next_attempt_at > delivery.created
    assert problem.status == "returned"  # the action itself went through
    outbox.deliver_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 1  # not due yet: back-off
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created)
    call_command("send_notifications")
    delivery.refresh_from_db()
    assert delivery.state == "sent" and ["sec@example.org"] in [m.to for m in mail.outbox]


def test_a_person_can_turn_email_off_but_keeps_the_in_app_notice(cast, make_problem):
    cast.secretariat.email_notifications = False
    cast.secretariat.save()
    problem = make_problem("assigned")
    actions.return_task(problem, actor=cast.power_officer, reason="不归我们")
    assert Notification.objects.filter(recipient=cast.secretariat).exists()
    assert not Delivery.objects.filter(recipient=cast.secretariat).exists()


def test_followers_of_a_unit_or_category_hear_only_of_problems_they_may_see(
    cast, make_problem, category
):
    Subscription.objects.create(user=cast.leader, unit=cast.power)
    Subscription.objects.create(user=cast.globex_contact, category=category)
    Subscription.objects.create(user=cast.water_officer, category=category)
    problem = make_problem("in_progress")
    actions.complete(problem, actor=cast.power_officer, report="完成，联系人电话13800000000")
    told = {n.recipient for n in Notification.objects.filter(event__action="complete")}
    assert cast.leader in told
    # Another enterprise and another unit follow the category, but may not see Acme's problem
    # handled by the power company: they hear nothing of it, by no channel.
    assert not told & {cast.globex_contact, cast.water_officer}
    addressed = {d.recipient for d in Delivery.objects.filter(channel="email")}
    assert not addressed & {cast.globex_contact, cast.water_officer}


def test_in_app_list_shows_own_notifications_and_marks_them_read(client, cast, make_problem):
    problem = make_problem("assigned")
    forget_the_raise()
    actions.return_task(problem, actor=cast.power_officer, reason="不归我们")
    client.force_login(cast.globex_contact)
    assert client.get(reverse("notifications")).context["items"] == []
    client.force_login(cast.secretariat)
    page = client.get(reverse("notifications"))
    assert [n.problem for n in page.context["items"]] == [problem] and page.context["unread"] == 1
    client.post(reverse("notifications"))
    assert Notification.objects.get(recipient=cast.secretariat).read_at is not None


def test_nobody_can_follow_a_problem_they_cannot_see(client, cast, make_problem):
    problem = make_problem()
    client.force_login(cast.globex_contact)
    assert client.post(reverse("follow"), {"problem": problem.number}).status_code == 404
    assert not Subscription.objects.exists()
    client.force_login(cast.acme_contact)
    client.post(reverse("follow"), {"problem": problem.number})
    assert Subscription.objects.get().user == cast.acme_contact


def test_a_unit_follows_only_its_own_unit(client, cast):
    client.force_login(cast.water_officer)
    assert client.post(reverse("follow"), {"unit": cast.power.pk}).status_code == 404
    assert not Subscription.objects.exists()
    client.post(reverse("follow"), {"unit": cast.water.pk})
    assert Subscription.objects.get().unit == cast.water
    page = client.get(reverse("following"))
    assert list(page.context["units"]) == [cast.water]


def test_a_title_cannot_become_a_link_in_group_chats_or_break_the_mail_subject(
    cast, make_problem, settings
):
    cast.power.wecom_webhook = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    cast.power.save()
    problem = make_problem("accepted", title="跳闸 [点此处理](http://phish.example/login) **紧急**")
    # Titles are one line since the shared bounds; rows kept from before may hold a line break.
    Problem.objects.filter(pk=problem.pk).update(title="跳闸\n> " + problem.title[3:])
    problem.refresh_from_db()
    forget_the_raise()
    actions.assign(problem, actor=cast.secretariat, lead_unit=cast.power)
    chat = Delivery.objects.get(channel="wecom")
    # The message's one link is the task's own page; the title's link is inert text.
    assert chat.body.count("](") == 1 and f"]({settings.SITE_URL}/problems/" in chat.body
    assert "http://phish" not in chat.body
    title_line = chat.body.splitlines()[1]  # the title stays on its own quoted line
    assert title_line.startswith("> 跳闸") and "点此处理" in title_line and "[" not in title_line
    mails = Delivery.objects.filter(channel="email")
    assert mails and all("\n" not in m.subject and "\r" not in m.subject for m in mails)
    assert all("&gt;" not in m.subject and "跳闸 >" in m.subject for m in mails)
    outbox.deliver_due()
    assert set(Delivery.objects.filter(channel="email").values_list("state", flat=True)) == {"sent"}
