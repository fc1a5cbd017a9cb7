"""Reminders of the carriers' alerts: once a week (``core/schedule.py``) each red or yellow alert
becomes an ``AlertReminder`` row, sent as the ``carriers`` domain's events in the same
transaction; the notifications app e-mails the secretariat a digest through the outbox."""

from datetime import date

from django.db import transaction

from qingdan.carriers.figures import alerts
from qingdan.carriers.models import AlertReminder
from qingdan.core import events
from qingdan.lib import clock


def remind(today: date | None = None) -> list[AlertReminder]:
    """The day's reminders (none twice the same day)."""
    today = today or clock.today()
    with transaction.atomic():
        done = set(AlertReminder.objects.filter(day=today).values_list("kind", "code"))
        rows = []
        for alert in alerts(today):
            if (alert.kind, alert.code) in done:
                continue
            done.add((alert.kind, alert.code))
            rows.append(
                AlertReminder.objects.create(
                    day=today,
                    kind=alert.kind,
                    code=alert.code,
                    name=alert.name[:120],
                    colour=alert.colour,
                    message=str(alert.message)[:300],
                    url=alert.url,
                    created=clock.now(),
                )
            )
        if rows:
            events.send("carriers", rows, None)
    return rows
