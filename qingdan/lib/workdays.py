"""Working days on the Chinese calendar: weekends, statutory holidays and 调休 make-up days.

The official schedule comes from the ``chinese-calendar`` package; ``overrides`` (a mapping of
date → is-working-day, kept by admins in the database) wins over it, and covers years the package
does not know yet. For such a year without overrides, Monday–Friday are working days.
"""

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar

Overrides = Mapping[date, bool]


def known_years() -> range:
    """Years the installed chinese-calendar package has the official schedule for."""
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    return range(first, last + 1)


def is_workday(day: date, overrides: Overrides | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: date, count: int, overrides: Overrides | None = None) -> date:
    """The date ``count`` working days after ``start`` (``count`` ≥ 0; 0 gives ``start``).

    ``add_workdays(2026-09-30, 1)`` is 2026-10-08: the National Day holiday is skipped.
    """
    if count < 0:
        raise ValueError("count must be zero or more")
    day = start
    while count:
        day += timedelta(days=1)
        if is_workday(day, overrides):
            count -= 1
    return day


def nth_workday_back(end: date, count: int, overrides: Overrides | None = None) -> date:
    """The ``count``-th working day counting back from ``end`` itself (``count`` ≥ 1)."""
    day = end
    while True:
        if is_workday(day, overrides):
            count -= 1
            if count == 0:
                return day
        day -= timedelta(days=1)


def workdays_between(start: date, end: date, overrides: Overrides | None = None) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start, overrides)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_workday(start + timedelta(days=offset), overrides)
    )
