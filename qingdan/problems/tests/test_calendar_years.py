"""The working-day calendar refuses to guess: a deadline in (or counted through) a year without
a holiday schedule is refused on assignment, unless the administrator allowed Monday–Friday for
that year, and then the page says so. From 1 November the overview and admin home warn."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from qingdan.lib import clock
from qingdan.problems import actions, calendar
from qingdan.problems.models import HolidayOverride, ProblemEvent, Status, WeekdayYear

pytestmark = pytest.mark.django_db

MID_DECEMBER = datetime(2026, 12, 16, 10, 0, tzinfo=clock.BEIJING)


@pytest.fixture
def strict(settings):
    """The calendar as deployed: no year allowed Monday–Friday by the environment."""
    settings.QINGDAN = {**settings.QINGDAN, "CALENDAR_WEEKDAY_YEARS": []}
    calendar.forget()
    yield
    calendar.forget()


def test_workday_command_refuses_to_count_through_an_unknown_spring_festival(strict):
    with translation.override("zh-hans"), pytest.raises(CommandError) as refused:
        call_command("workday", "2027-02-05", "3")
    assert "2027年法定节假日安排尚未录入" in str(refused.value)


def test_workday_command_counts_an_allowed_year_monday_to_friday(strict, capsys):
    WeekdayYear.objects.create(year=2027, note="国务院办公厅通知尚未发布")
    with translation.override("zh-hans"):
        call_command("workday", "2027-02-05", "3")
    printed = capsys.readouterr()
    assert printed.out.strip() == "2027-02-10"
    assert "按周一至周五计算" in printed.err  # said, not silent


def test_assignment_into_an_unknown_year_is_refused_and_writes_nothing(strict, make_problem, cast):
    with time_machine.travel(MID_DECEMBER, tick=False):
        problem = make_problem("accepted")  # 5 working days from 16 December: still 2026
        problem.category.completion_days = 15  # 15 working days: into 2027
        problem.category.save()
        events = ProblemEvent.objects.count()
        with pytest.raises(calendar.UnknownYear) as refused:
            actions.assign(problem, actor=cast.secretariat, lead_unit=cast.power)
        assert refused.value.year == 2027
        problem.refresh_from_db()
        assert problem.status == Status.ACCEPTED and ProblemEvent.objects.count() == events
        # A date typed by hand in 2027 is refused too.
        with pytest.raises(calendar.UnknownYear):
            actions.assign(
                problem,
                actor=cast.secretariat,
                lead_unit=cast.power,
                sign_deadline=date(2026, 12, 17),
                deadline=date(2027, 1, 8),
            )


def test_the_web_form_shows_the_refusal_in_chinese(strict, client, make_problem, cast):
    with time_machine.travel(MID_DECEMBER, tick=False):
        problem = make_problem("accepted")
        problem.category.completion_days = 15
        problem.category.save()
        client.force_login(cast.secretariat)
        page = client.get(problem.get_absolute_url())
        assert page.status_code == 200  # the form is shown, without default dates, warned
        assert "2027年法定节假日安排尚未录入" in page.content.decode()
        response = client.post(
            reverse("problems:act", args=[problem.number, "assign"]),
            {
                "assign-version": problem.version,
                "assign-lead_unit": cast.power.pk,
                "assign-sign_deadline": "2026-12-17",
                "assign-deadline": "2027-01-08",
            },
        )
        assert response.status_code in (400, 503)
        assert "2027年法定节假日安排尚未录入" in response.content.decode()
        problem.refresh_from_db()
        assert problem.status == Status.ACCEPTED


def test_entered_overrides_make_the_year_known(strict, make_problem, cast):
    HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    with time_machine.travel(MID_DECEMBER, tick=False):
        problem = make_problem("accepted")
        problem.category.completion_days = 15
        problem.category.save()
        actions.assign(problem, actor=cast.secretariat, lead_unit=cast.power)
    assert problem.deadline.year == 2027
    assert ProblemEvent.objects.filter(problem=problem, action="assign").exists()


def test_allowed_monday_to_friday_assigns_and_the_page_says_so(strict, client, make_problem, cast):
    WeekdayYear.objects.create(year=2027)
    with time_machine.travel(MID_DECEMBER, tick=False):
        problem = make_problem("accepted")
        problem.category.completion_days = 10
        problem.category.save()
        actions.assign(problem, actor=cast.secretariat, lead_unit=cast.power)
        assert problem.deadline == date(2026, 12, 30)  # 10 working days: still 2026
        problem.category.completion_days = 15
        problem.category.save()
        other = make_problem("accepted", title="另一问题")
        actions.assign(other, actor=cast.secretariat, lead_unit=cast.power)
        assert other.deadline == date(2027, 1, 6)  # 1 January counted as a working day
        client.force_login(cast.power_officer)
        page = client.get(other.get_absolute_url()).content.decode()
        assert "按周一至周五计算" in page
        assert "按周一至周五计算" not in client.get(problem.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("day", "warned"), [(date(2026, 10, 31), False), (date(2026, 11, 1), True)]
)
def test_overview_and_admin_home_warn_from_november(strict, client, cast, day, warned):
    with time_machine.travel(datetime.combine(day, datetime.min.time(), clock.BEIJING)):
        client.force_login(cast.leader)
        overview = client.get(reverse("problems:overview")).content.decode()
        client.force_login(cast.admin)
        admin_home = client.get(reverse("admin:index")).content.decode()
    for page in (overview, admin_home):
        assert ("2027年法定节假日安排尚未录入" in page) is warned
    if warned:
        WeekdayYear.objects.create(year=2027)
        with time_machine.travel(datetime.combine(day, datetime.min.time(), clock.BEIJING)):
            client.force_login(cast.leader)
            page = client.get(reverse("problems:overview")).content.decode()
        assert "暂按周一至周五计算" in page  # still a warning: the official days are missing


def test_the_secretariat_cannot_allow_guessing(client, cast):
    from django.contrib.auth.models import Group

    from qingdan.accounts.groups import SECRETARIAT_GROUP

    cast.secretariat.is_staff = True
    cast.secretariat.save(update_fields=["is_staff"])
    cast.secretariat.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    client.force_login(cast.secretariat)
    assert client.get(reverse("admin:problems_weekdayyear_changelist")).status_code == 200
    assert client.post(reverse("admin:problems_weekdayyear_add"), {"year": 2027}).status_code == 403
    assert not WeekdayYear.objects.exists()


def test_the_api_answers_503_with_a_stable_code(strict, client, make_problem, cast):
    from qingdan.api.tests.test_rest import bearer, post

    with time_machine.travel(MID_DECEMBER, tick=False):
        problem = make_problem("accepted")
        response = post(
            client,
            f"/api/v1/problems/{problem.number}/actions/assign",
            {"lead_unit": cast.power.pk, "sign_deadline": "2026-12-17", "deadline": "2027-01-08"},
            bearer(cast.secretariat),
        )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "calendar_year_unknown"
    assert not ProblemEvent.objects.filter(problem=problem, action="assign").exists()
