"""Working days for the app: the pure calendar in ``qingdan.lib.workdays`` plus the admins'
override table. Every deadline in Qingdan is computed through these functions."""

import time
from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qingdan.lib import workdays
from qingdan.problems.models import HolidayOverride

_CACHE_SECONDS = 60
_cache: dict = {"at": 0.0, "overrides": None}


def overrides() -> dict[date, bool]:
    if _cache["overrides"] is None or time.monotonic() - _cache["at"] > _CACHE_SECONDS:
        _cache["overrides"] = dict(HolidayOverride.objects.values_list("date", "is_workday"))
        _cache["at"] = time.monotonic()
    return _cache["overrides"]


@receiver([post_save, post_delete], sender=HolidayOverride)
def _forget_overrides(**kwargs) -> None:
    forget()
    # Read again once the change is committed (a read inside its transaction saw it uncommitted).
    transaction.on_commit(forget)


def forget() -> None:
    _cache["overrides"] = None


def is_workday(day: date) -> bool:
    return workdays.is_workday(day, overrides())


def add_workdays(start: date, count: int) -> date:
    return workdays.add_workdays(start, count, overrides())


def nth_workday_back(end: date, count: int) -> date:
    return workdays.nth_workday_back(end, count, overrides())


def workdays_between(start: date, end: date) -> int:
    return workdays.workdays_between(start, end, overrides())
