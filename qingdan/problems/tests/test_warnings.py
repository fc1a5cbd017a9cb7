from datetime import date

import pytest

from qingdan.problems.models import HolidayOverride, Problem, Status
from qingdan.problems.warnings import colour_of, colour_q, cutoffs

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)  # Thursday; blue ≤ 2 working days ahead, yellow ≤ 2 behind


@pytest.mark.parametrize(
    ("status", "sign_deadline", "deadline", "expected"),
    [
        (Status.IN_PROGRESS, None, date(2026, 12, 7), ""),  # 7 working days ahead
        (Status.IN_PROGRESS, None, date(2026, 11, 30), "blue"),  # Mon: 2 working days ahead
        (Status.IN_PROGRESS, None, date(2026, 12, 1), ""),  # Tue: 3 ahead
        (Status.IN_PROGRESS, None, TODAY, "blue"),  # due today
        (Status.IN_PROGRESS, None, date(2026, 11, 25), "yellow"),  # 1 behind
        (Status.IN_PROGRESS, None, date(2026, 11, 24), "yellow"),  # 2 behind
        (Status.IN_PROGRESS, None, date(2026, 11, 23), "red"),  # 3 behind
        (Status.ASSIGNED, date(2026, 11, 25), date(2026, 12, 7), "yellow"),  # sign-for late
        (Status.ASSIGNED, TODAY, date(2026, 11, 30), "blue"),
        (Status.RESOLVED, None, date(2026, 11, 1), ""),  # no longer running
        (Status.RETURNED, None, date(2026, 11, 1), ""),
    ],
)
def test_colour_of_one_problem_and_the_database_filter_agree(
    make_problem, status, sign_deadline, deadline, expected
):
    problem = make_problem()
    Problem.objects.filter(pk=problem.pk).update(
        status=status, sign_deadline=sign_deadline, deadline=deadline
    )
    problem.refresh_from_db()
    cut = cutoffs(TODAY)
    assert colour_of(problem, cut) == expected
    for colour in ("red", "yellow", "blue"):
        matched = Problem.objects.filter(colour_q(colour, cut), pk=problem.pk).exists()
        assert matched == (colour == expected), colour
    assert Problem.objects.filter(colour_q("any", cut)).exists() == (expected in ("red", "yellow"))


def test_holidays_do_not_count_towards_lateness(make_problem):
    problem = make_problem()
    # Deadline 2026-09-30; on 2026-10-08 only one working day (10-08) has passed: yellow.
    Problem.objects.filter(pk=problem.pk).update(
        status=Status.IN_PROGRESS, deadline=date(2026, 9, 30)
    )
    problem.refresh_from_db()
    assert colour_of(problem, cutoffs(date(2026, 10, 8))) == "yellow"
    assert colour_of(problem, cutoffs(date(2026, 10, 12))) == "red"


def test_thresholds_are_settings(make_problem, settings):
    settings.QINGDAN = settings.QINGDAN | {"WARNING_BLUE_DAYS": 5}
    problem = make_problem()
    Problem.objects.filter(pk=problem.pk).update(
        status=Status.IN_PROGRESS, deadline=date(2026, 12, 3)
    )
    problem.refresh_from_db()
    assert colour_of(problem, cutoffs(TODAY)) == "blue"


def test_admin_override_turns_a_day_into_a_holiday(make_problem):
    problem = make_problem()
    Problem.objects.filter(pk=problem.pk).update(
        status=Status.IN_PROGRESS, deadline=date(2026, 11, 23)
    )
    problem.refresh_from_db()
    assert colour_of(problem, cutoffs(TODAY)) == "red"
    HolidayOverride.objects.create(date=date(2026, 11, 24), is_workday=False, note="test")
    assert colour_of(problem, cutoffs(TODAY)) == "yellow"
