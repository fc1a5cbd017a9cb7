"""Working days for the app: the pure calendar in ``qingdan.lib.workdays`` plus the admins'
override table and the years they allowed to count Monday to Friday. Every deadline in Qingdan
is computed through these functions; a deadline in a year without a schedule raises
``UnknownYear`` (an ``Unavailable``) instead of being guessed."""

import time
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from qingdan.lib import clock, workdays
from qingdan.lib.workdays import UnknownYear  # noqa: F401  (raised by the functions below)
from qingdan.problems.models import HolidayOverride, WeekdayYear

_CACHE_SECONDS = 60
_cache: dict = {"at": 0.0, "overrides": None, "weekday_years": None}
# From this month on, the next year's schedule is expected (the State Council publishes it
# around November) and pages warn while it is missing.
WARN_FROM_MONTH = 11


def _load() -> None:
    if _cache["overrides"] is None or time.monotonic() - _cache["at"] > _CACHE_SECONDS:
        _cache["overrides"] = dict(HolidayOverride.objects.values_list("date", "is_workday"))
        _cache["weekday_years"] = frozenset(WeekdayYear.objects.values_list("year", flat=True))
        _cache["at"] = time.monotonic()


def overrides() -> dict[date, bool]:
    _load()
    return _cache["overrides"]


def weekday_years() -> frozenset[int]:
    """Years explicitly allowed to count Monday–Friday: admin rows, and the
    ``QINGDAN_CALENDAR_WEEKDAY_YEARS`` setting (e.g. for a test environment)."""
    _load()
    return _cache["weekday_years"] | frozenset(settings.QINGDAN["CALENDAR_WEEKDAY_YEARS"])


@receiver([post_save, post_delete], sender=HolidayOverride)
@receiver([post_save, post_delete], sender=WeekdayYear)
def _forget_overrides(**kwargs) -> None:
    forget()
    # Read again once the change is committed (a read inside its transaction saw it uncommitted).
    transaction.on_commit(forget)


def forget() -> None:
    """Read the overrides and allowed years afresh on next use."""
    _cache["overrides"] = None


def _rules(guess: bool) -> dict:
    return {"weekday_years": weekday_years(), "guess": guess}


def is_workday(day: date, *, guess: bool = False) -> bool:
    return workdays.is_workday(day, overrides(), **_rules(guess))


def add_workdays(start: date, count: int, *, guess: bool = False) -> date:
    return workdays.add_workdays(start, count, overrides(), **_rules(guess))


def nth_workday_back(end: date, count: int, *, guess: bool = False) -> date:
    return workdays.nth_workday_back(end, count, overrides(), **_rules(guess))


def workdays_between(start: date, end: date, *, guess: bool = False) -> int:
    return workdays.workdays_between(start, end, overrides(), **_rules(guess))


def require_schedule(*days: date | None) -> None:
    """Raise ``UnknownYear`` if a deadline falls in a year that can be counted only by guessing
    (a date typed by hand is refused there too: colours and rates would rest on a guess)."""
    for day in days:
        if day is not None and not workdays.is_known_year(day.year, overrides(), weekday_years()):
            raise UnknownYear(day.year)


# --- What pages say about the calendar ----------------------------------------------------------


def has_official_schedule(year: int) -> bool:
    """Built in, or entered as overrides (not merely allowed Monday–Friday)."""
    return workdays.is_known_year(year, overrides())


def counted_weekdays_note(*days: date | None) -> str:
    """A sentence for a page that shows these dates, when one of them lies in a year counted
    Monday to Friday by permission; empty otherwise."""
    years = sorted(
        {d.year for d in days if d is not None and not has_official_schedule(d.year)}
        & weekday_years()
    )
    if not years:
        return ""
    return _(
        "The statutory holidays of %(years)s have not been entered: deadlines there were "
        "counted Monday to Friday, as the administrator allowed."
    ) % {"years": "、".join(str(y) for y in years)}


def next_year_warning(today: date | None = None) -> str:
    """From 1 November: a warning while next year's schedule is neither built in nor entered
    (allowing Monday–Friday does not silence it: the official days are still missing)."""
    today = today or clock.today()
    if today.month < WARN_FROM_MONTH:
        return ""
    year = today.year + 1
    if has_official_schedule(year):
        return ""
    if year in weekday_years():
        return _(
            "The statutory holidays of %(year)s have not been entered; deadlines in %(year)s "
            "are counted Monday to Friday for now. Enter the official schedule (admin → Holiday "
            "overrides) as soon as it is published."
        ) % {"year": year}
    return _(
        "The statutory holidays of %(year)s have not been entered: from now on, deadlines "
        "that reach into %(year)s cannot be set. Enter the official schedule (admin → Holiday "
        "overrides), or allow counting Monday to Friday for %(year)s (admin → Years counted "
        "Monday to Friday)."
    ) % {"year": year}
