"""The reminder ladder on the Chinese calendar, across the National Day holiday.

Assigned Tuesday 2026-09-29 with 3 working days to complete: sign-for deadline 09-30,
completion deadline 10-09 (09-30, 10-08, 10-09; 10-01..10-07 are holidays). ESCALATE_AFTER = 3.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from qingdan.notifications import reminders
from qingdan.notifications.models import Notification, Reminder
from qingdan.problems import actions
from qingdan.problems.models import Problem
from qingdan.problems.warnings import escalated_q

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def task(cast, make_problem, category):
    category.completion_days = 3
    category.save()
    cast.power.liaison = cast.power_officer
    cast.power.save()
    with time_machine.travel(datetime(2026, 9, 29, 10, 0, tzinfo=BEIJING), tick=False):
        problem = make_problem("assigned", responsible=cast.power_head)
    assert (problem.sign_deadline, problem.deadline) == (date(2026, 9, 30), date(2026, 10, 9))
    return problem


def steps_on(day: date) -> dict:
    with time_machine.travel(
        datetime.combine(day, datetime.min.time(), tzinfo=BEIJING) + timedelta(hours=9), tick=False
    ):
        return {k: v for k, v in reminders.run().items() if v}


def test_ladder_across_the_national_day_holiday(task, cast):
    assert steps_on(date(2026, 9, 29)) == {}  # sign-for not due yet; deadline 3 working days off
    # 09-30: the sign-for deadline (not signed) and 2 working days left (10-08, 10-09): blue.
    assert steps_on(date(2026, 9, 30)) == {"sign": 1, "due_soon": 1}
    for holiday in range(1, 8):  # nothing at all during the holiday
        assert steps_on(date(2026, 10, holiday)) == {}
    assert steps_on(date(2026, 10, 8)) == {}  # each step once
    assert steps_on(date(2026, 10, 9)) == {}  # deadline day: not overdue yet
    # Saturday 10-10 is a make-up working day: the next working day after the deadline.
    assert steps_on(date(2026, 10, 10)) == {"overdue": 1}
    assert steps_on(date(2026, 10, 11)) == {}  # Sunday
    assert steps_on(date(2026, 10, 12)) == {}
    # Overdue by 3 working days: red (more than YELLOW_DAYS = 2), but Acme has no service
    # commissioner, so the red card tells no one and is not recorded; not escalated yet.
    assert steps_on(date(2026, 10, 13)) == {}
    assert steps_on(date(2026, 10, 14)) == {"escalated": 1}
    assert steps_on(date(2026, 10, 15)) == {}
    assert list(Reminder.objects.order_by("created").values_list("step", flat=True)) == [
        "sign",
        "due_soon",
        "overdue",
        "escalated",
    ]

    def told(step):
        return {n.recipient for n in Notification.objects.filter(reminder__step=step)}

    assert told("sign") == {cast.power_officer, cast.power_head}  # liaison (+ responsible)
    assert told("due_soon") == {cast.power_head}  # the responsible person
    assert told("overdue") == {cast.power_head}  # responsible, copied to the unit head
    assert {cast.leader, cast.secretariat} <= told("escalated")
    escalated = Problem.objects.filter(escalated_q())
    assert list(escalated) == [task]


def test_signing_stops_the_sign_reminder_and_an_extension_restarts_the_ladder(task, cast):
    with time_machine.travel(datetime(2026, 9, 29, 15, 0, tzinfo=BEIJING), tick=False):
        actions.sign_for(task, actor=cast.power_officer)
    assert steps_on(date(2026, 9, 30)) == {"due_soon": 1}
    assert steps_on(date(2026, 10, 10)) == {"overdue": 1}
    with time_machine.travel(datetime(2026, 10, 10, 10, 0, tzinfo=BEIJING), tick=False):
        actions.request_extension(
            task, actor=cast.power_officer, reason="等配件", new_deadline=date(2026, 10, 20)
        )
        actions.approve_extension(task, actor=cast.secretariat)
    assert steps_on(date(2026, 10, 14)) == {}  # the new deadline is not near yet
    assert steps_on(date(2026, 10, 16)) == {"due_soon": 1}  # 10-19, 10-20 left
    assert steps_on(date(2026, 10, 21)) == {"overdue": 1}


def test_a_second_run_or_a_crash_half_way_sends_nothing_twice(task, cast):
    day = datetime(2026, 9, 30, 9, 0, tzinfo=BEIJING)
    with time_machine.travel(day, tick=False):
        first = reminders.take("sign", task, task.sign_deadline)
        again = reminders.take("sign", task, task.sign_deadline)
    assert first is not None and again is None
    assert Notification.objects.filter(reminder__step="sign").count() == 2  # two people, once
    with time_machine.travel(day, tick=False):
        call_command("send_reminders")
    assert Reminder.objects.filter(step="sign").count() == 1


def test_command_on_a_holiday_does_nothing(task, capsys):
    call_command("send_reminders", "--date", "2026-10-03")
    assert "Not a working day" in capsys.readouterr().out
    assert not Reminder.objects.exists()


def test_the_ladder_urges_and_escalates_with_the_same_events_as_people(task, cast):
    assert steps_on(date(2026, 10, 10))["overdue"] == 1
    urge = task.events.get(action="urge")
    assert urge.actor is None and urge.payload["automatic"] is True
    assert urge.payload["unit_id"] == cast.power.pk
    # Told once, by the ladder's own notice (not a second time for the event).
    assert not Notification.objects.filter(event=urge).exists()
    assert Notification.objects.filter(reminder__step="overdue").exists()
    assert steps_on(date(2026, 10, 14)) == {"escalated": 1}
    assert task.events.filter(action="escalate", actor=None).count() == 1
