from datetime import date

import pytest

from qingdan.lib.workdays import add_workdays, is_workday, nth_workday_back, workdays_between


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


def test_overrides_win_and_cover_unknown_years():
    assert is_workday(date(2027, 1, 1))  # a Friday: unknown year falls back to Mon–Fri
    overrides = {date(2027, 1, 1): False}
    assert not is_workday(date(2027, 1, 1), overrides)
    assert add_workdays(date(2026, 12, 31), 1, overrides) == date(2027, 1, 4)


def test_counting_back_and_between():
    assert nth_workday_back(date(2026, 10, 8), 2) == date(2026, 9, 30)
    assert nth_workday_back(date(2026, 11, 26), 1) == date(2026, 11, 26)
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert workdays_between(date(2026, 10, 9), date(2026, 9, 30)) == -2


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_workdays(date(2026, 1, 5), -1)
