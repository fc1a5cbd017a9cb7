from datetime import date

import pytest

from qingdan.lib.workdays import (
    UnknownYear,
    add_workdays,
    is_known_year,
    is_workday,
    nth_workday_back,
    workdays_between,
)


def test_national_day_holiday_is_skipped():
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_make_up_saturday_is_a_working_day():
    # 2026-10-10 is a Saturday worked in exchange for the National Day holiday (调休).
    assert is_workday(date(2026, 10, 10))
    assert add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_plain_week():
    assert add_workdays(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday → Monday
    assert add_workdays(date(2026, 11, 23), 5) == date(2026, 11, 30)
    assert add_workdays(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_overrides_win_and_make_their_year_known():
    overrides = {date(2027, 1, 1): False}
    assert not is_workday(date(2027, 1, 1), overrides)
    assert add_workdays(date(2026, 12, 31), 1, overrides) == date(2027, 1, 4)


def test_a_year_without_a_schedule_is_refused_not_guessed():
    # 2027 is not in chinese-calendar 1.11: the Spring Festival falls in February.
    with pytest.raises(UnknownYear) as unknown:
        add_workdays(date(2027, 2, 5), 3)
    assert unknown.value.year == 2027 and unknown.value.status == 503
    with pytest.raises(UnknownYear):
        is_workday(date(2027, 1, 1))
    with pytest.raises(UnknownYear):  # counted *through* the unknown year, too
        workdays_between(date(2026, 12, 30), date(2027, 1, 6))


def test_a_year_allowed_monday_to_friday_is_counted_so():
    assert add_workdays(date(2027, 2, 5), 3, weekday_years={2027}) == date(2027, 2, 10)
    assert is_workday(date(2027, 1, 1), weekday_years=[2027])


def test_guessing_is_only_on_request():
    assert add_workdays(date(2027, 2, 5), 3, guess=True) == date(2027, 2, 10)
    assert is_known_year(2026) and not is_known_year(2027)
    assert is_known_year(2027, {date(2027, 10, 1): False})


def test_counting_back_and_between():
    assert nth_workday_back(date(2026, 10, 8), 2) == date(2026, 9, 30)
    assert nth_workday_back(date(2026, 11, 26), 1) == date(2026, 11, 26)
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert workdays_between(date(2026, 10, 9), date(2026, 9, 30)) == -2


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_workdays(date(2026, 1, 5), -1)
