"""The demo park, dated near the end of the last year chinese-calendar knows, takes the explicit
Monday–Friday permission for the next year instead of inventing its holidays."""

import random
from datetime import date

import pytest

from qingdan.demo.park import build_calendar
from qingdan.lib import workdays
from qingdan.problems import calendar
from qingdan.problems.models import HolidayOverride, WeekdayYear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def strict(settings):
    settings.QINGDAN = {**settings.QINGDAN, "CALENDAR_WEEKDAY_YEARS": []}
    calendar.forget()


def test_the_demo_allows_the_unknown_next_year_and_invents_no_holiday():
    next_year = workdays.known_years().stop
    build_calendar(random.Random(1))
    allowed = list(WeekdayYear.objects.values_list("year", flat=True))
    assert allowed[0] == next_year and "尚未录入" in WeekdayYear.objects.first().note
    assert not HolidayOverride.objects.exists()
    assert calendar.add_workdays(date(next_year, 2, 5), 3) == date(next_year, 2, 10)
    build_calendar(random.Random(1))  # again: nothing doubles
    assert list(WeekdayYear.objects.values_list("year", flat=True)) == allowed


def test_the_demo_leaves_a_year_whose_schedule_was_entered_alone():
    next_year = workdays.known_years().stop
    HolidayOverride.objects.create(date=date(next_year, 1, 1), is_workday=False, note="元旦")
    calendar.forget()
    build_calendar(random.Random(1))
    assert not WeekdayYear.objects.filter(year=next_year).exists()
