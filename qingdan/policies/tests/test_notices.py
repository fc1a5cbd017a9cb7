"""Who hears about applications and the weekly 政策体检; 包联: a commissioner sees their
enterprises' problems and hears of their red cards."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from qingdan.enterprises import actions as records
from qingdan.notifications import policy_rules, reminders
from qingdan.notifications.models import Notification, Step
from qingdan.policies import actions
from qingdan.problems.access import may_see, visible_problems

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def policy(cast):
    policy = actions.create_policy(
        actor=cast.secretariat,
        values={
            "title": "技改补助",
            "issuer": "经发局",
            "valid_from": date(2026, 1, 1),
            "benefit": "补助",
            "summary": "技改企业可申请",
            "review_unit": cast.power,
        },
    )
    actions.add_condition(policy, actor=cast.secretariat, kind="grade", operator="in", value="A")
    actions.publish_policy(policy, actor=cast.secretariat)
    return policy


def test_application_steps_notify_the_right_people(cast, policy):
    records.save_record(cast.acme, actor=cast.secretariat, values={"grade": "A"})
    application = actions.apply(policy, actor=cast.acme_contact)
    told = set(
        Notification.objects.filter(policy_application=application).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"t-power", "t-power-head"}
    actions.approve(application, actor=cast.power_officer)
    last = Notification.objects.filter(action="approve").get()
    assert last.recipient == cast.acme_contact and last.subject == application
    assert not Notification.objects.filter(recipient=cast.globex_contact).exists()
    assert not Notification.objects.filter(recipient=cast.water_officer).exists()


def test_weekly_checkup_tells_new_matches_once_and_respects_the_subscription(client, cast, policy):
    records.save_record(cast.acme, actor=cast.secretariat, values={"grade": "A"})
    records.save_record(cast.globex, actor=cast.secretariat, values={"grade": "A"})
    client.force_login(cast.globex_contact)
    client.post(reverse("policies:checkup"), {"on": "0"})  # Globex's contact turns it off
    assert policy_rules.send_policy_checkup() == 1
    notice = Notification.objects.get(policy=policy)
    assert notice.recipient == cast.acme_contact and notice.label
    assert policy_rules.send_policy_checkup() == 0  # nothing new
    assert Notification.objects.filter(policy=policy).count() == 1


def test_commissioner_sees_their_enterprises_problems_and_hears_red_cards(cast, make_problem):
    import time_machine

    problem = make_problem("in_progress")  # lead unit: power
    assert not may_see(cast.water_officer, problem)
    records.save_record(
        cast.acme, actor=cast.secretariat, values={"commissioner": cast.water_officer}
    )
    assert may_see(cast.water_officer, problem)
    assert problem in visible_problems(cast.water_officer)
    assert not visible_problems(cast.water_officer).filter(enterprise=cast.globex).exists()

    def run_on(day):
        with time_machine.travel(datetime.combine(day, time(9), tzinfo=BEIJING), tick=False):
            return {step: n for step, n in reminders.run().items() if n}

    def red_cards():
        return Notification.objects.filter(reminder__step=Step.RED, problem=problem)

    # Deadline Friday 2026-12-04 (a working day); yellow from Monday 12-07, red when overdue by
    # more than WARNING_YELLOW_DAYS (2) working days: Wednesday 12-09, a working day before the
    # escalation to the leaders (more than 3: Thursday 12-10).
    problem.deadline = date(2026, 12, 4)
    problem.save(update_fields=["deadline"])
    assert "red" not in run_on(date(2026, 12, 8))
    assert not red_cards().exists()
    assert run_on(date(2026, 12, 9)) == {"red": 1}
    assert [n.recipient for n in red_cards()] == [cast.water_officer]  # the commissioner only
    assert run_on(date(2026, 12, 10)) == {"escalated": 1}  # the red card is not sent twice
    assert red_cards().count() == 1
    escalated = Notification.objects.filter(reminder__step=Step.ESCALATED)
    assert cast.leader in {n.recipient for n in escalated}
    assert cast.water_officer not in {n.recipient for n in escalated}


def test_no_red_card_for_closed_tasks_or_without_an_active_commissioner(cast, make_problem):
    import time_machine

    from qingdan.problems.models import Status

    running = make_problem("in_progress", title="仍在办理")
    closed = make_problem("in_progress", title="已办结")
    for problem in (running, closed):
        problem.deadline = date(2026, 12, 4)
        problem.save(update_fields=["deadline"])
    closed.status = Status.CLOSED
    closed.save(update_fields=["status"])
    records.save_record(
        cast.acme, actor=cast.secretariat, values={"commissioner": cast.water_officer}
    )
    cast.water_officer.is_active = False
    cast.water_officer.save(update_fields=["is_active"])

    def red_on(day):
        with time_machine.travel(datetime.combine(day, time(9), tzinfo=BEIJING), tick=False):
            return reminders.run().get("red", 0)

    assert red_on(date(2026, 12, 9)) == 0  # the commissioner is inactive: nobody to tell
    cast.water_officer.is_active = True
    cast.water_officer.save(update_fields=["is_active"])
    assert red_on(date(2026, 12, 10)) == 1  # back at work: told of the running task only
    told = Notification.objects.filter(reminder__step=Step.RED)
    assert [(n.recipient, n.problem) for n in told] == [(cast.water_officer, running)]
    assert red_on(date(2026, 12, 11)) == 0


def test_overdue_reviews_are_reminded_once(cast, policy):
    import time_machine

    records.save_record(cast.acme, actor=cast.secretariat, values={"grade": "A"})
    application = actions.apply(policy, actor=cast.acme_contact)
    assert policy_rules.remind_overdue_reviews() == 0
    later = application.review_deadline + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        assert policy_rules.remind_overdue_reviews() == 2  # the power unit's officer and head
        assert policy_rules.remind_overdue_reviews() == 0
    told = Notification.objects.filter(action="review_overdue").first()
    assert told.label and told.subject == application


def test_linked_problem_shows_its_application(client, cast, policy, make_problem):
    records.save_record(cast.acme, actor=cast.secretariat, values={"grade": "A"})
    problem = make_problem("submitted", title="政策申报难")
    application = actions.apply(policy, actor=cast.acme_contact, problem=problem)
    client.force_login(cast.acme_contact)
    assert application.code in client.get(problem.get_absolute_url()).content.decode()
