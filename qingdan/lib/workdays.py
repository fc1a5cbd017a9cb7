"""Working days on the Chinese calendar: weekends, statutory holidays and 调休 make-up days.

The official schedule comes from the ``chinese-calendar`` package; ``overrides`` (a mapping of
date → is-working-day, kept by admins in the database) wins over it, and covers years the package
does not know yet.

The calendar refuses to guess. A day in a year that the package does not know, that has no
entered overrides and that is not in ``weekday_years`` (years an administrator explicitly
allowed to count Monday–Friday) raises ``UnknownYear``: ``add_workdays(2027-02-05, 3)`` must
not silently count the Spring Festival as working days. ``guess=True`` is for figures that are
only shown (warning colours, durations): it counts Monday–Friday there instead.
"""

from collections.abc import Collection, Mapping
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

from qingdan.lib.errors import Unavailable

Overrides = Mapping[date, bool]


class UnknownYear(Unavailable):
    """No schedule for this year: deadlines in it cannot be counted in working days."""

    code = "calendar_year_unknown"

    def __init__(self, year: int):
        super().__init__(
            _(
                "The statutory holiday schedule for %(year)s has not been entered yet: working "
                "days in %(year)s cannot be counted. An administrator must enter the year's "
                "holidays and make-up working days (admin → Holiday overrides), or explicitly "
                "allow counting Monday to Friday for %(year)s (admin → Years counted Monday to "
                "Friday)."
            )
            % {"year": year}
        )
        self.year = year


def known_years() -> range:
    """Years the installed chinese-calendar package has the official schedule for."""
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    return range(first, last + 1)


class _Rules:
    """What one call knows: the overrides, and the years it may count without the package."""

    def __init__(self, overrides, weekday_years, guess):
        self.overrides = overrides or {}
        self.years = set(weekday_years) | {day.year for day in self.overrides}
        self.guess = guess

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if self.guess or day.year in self.years:
                return day.weekday() < 5
            raise UnknownYear(day.year) from None


def is_known_year(
    year: int, overrides: Overrides | None = None, weekday_years: Collection[int] = ()
) -> bool:
    """True when working days of ``year`` can be counted without guessing."""
    return (
        year in known_years()
        or year in set(weekday_years)
        or any(day.year == year for day in (overrides or {}))
    )


def is_workday(
    day: date,
    overrides: Overrides | None = None,
    *,
    weekday_years: Collection[int] = (),
    guess: bool = False,
) -> bool:
    return _Rules(overrides, weekday_years, guess).is_workday(day)


def add_workdays(
    start: date,
    count: int,
    overrides: Overrides | None = None,
    *,
    weekday_years: Collection[int] = (),
    guess: bool = False,
) -> date:
    """The date ``count`` working days after ``start`` (``count`` ≥ 0; 0 gives ``start``).

    ``add_workdays(2026-09-30, 1)`` is 2026-10-08: the National Day holiday is skipped.
    """
    if count < 0:
        raise ValueError("count must be zero or more")
    rules = _Rules(overrides, weekday_years, guess)
    day = start
    while count:
        day += timedelta(days=1)
        if rules.is_workday(day):
            count -= 1
    return day


def nth_workday_back(
    end: date,
    count: int,
    overrides: Overrides | None = None,
    *,
    weekday_years: Collection[int] = (),
    guess: bool = False,
) -> date:
    """The ``count``-th working day counting back from ``end`` itself (``count`` ≥ 1)."""
    rules = _Rules(overrides, weekday_years, guess)
    day = end
    while True:
        if rules.is_workday(day):
            count -= 1
            if count == 0:
                return day
        day -= timedelta(days=1)


def workdays_between(
    start: date,
    end: date,
    overrides: Overrides | None = None,
    *,
    weekday_years: Collection[int] = (),
    guess: bool = False,
) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start, overrides, weekday_years=weekday_years, guess=guess)
    rules = _Rules(overrides, weekday_years, guess)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if rules.is_workday(start + timedelta(days=offset))
    )
