"""The one source of "now" for actions, so the demo and the generator can replay history.

Everything that records when something happened calls ``clock.now()``; tests freeze time with
time-machine, and the demo builder uses ``clock.travel(dt)`` to write a year of realistic events.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

BEIJING = ZoneInfo("Asia/Shanghai")
_override: ContextVar[datetime | None] = ContextVar("qingdan_clock", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


def today() -> date:
    """Today's date in Beijing, whatever the server's time zone."""
    return now().astimezone(BEIJING).date()


@contextmanager
def travel(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("clock.travel needs an aware datetime")
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
