"""Recurring jobs, enqueued on Django's tasks framework by ``manage.py scheduler``.

Each job names when it is due (the latest occurrence at or before a moment) and a task to
enqueue. The scheduler records each occurrence it starts under a unique constraint, so two
schedulers (or a restart) never start the same occurrence twice, and one that was down
catches up the latest occurrence it missed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from qingdan.lib import clock


@dataclass(frozen=True)
class Job:
    name: str
    latest: Callable[[datetime], datetime]  # the latest occurrence at or before a moment
    task: str  # dotted path of a django-tasks task taking the occurrence (ISO string)


def weekly(weekday: int, at: time) -> Callable[[datetime], datetime]:
    def latest(moment: datetime) -> datetime:
        local = moment.astimezone(clock.BEIJING)
        day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
        occurrence = datetime.combine(day, at, tzinfo=clock.BEIJING)
        if occurrence > local:
            occurrence -= timedelta(days=7)
        return occurrence

    return latest


def daily(at: time) -> Callable[[datetime], datetime]:
    def latest(moment: datetime) -> datetime:
        local = moment.astimezone(clock.BEIJING)
        occurrence = datetime.combine(local.date(), at, tzinfo=clock.BEIJING)
        return occurrence if occurrence <= local else occurrence - timedelta(days=1)

    return latest


def every_minutes(minutes: int) -> Callable[[datetime], datetime]:
    def latest(moment: datetime) -> datetime:
        local = moment.astimezone(clock.BEIJING).replace(second=0, microsecond=0)
        return local - timedelta(minutes=local.minute % minutes)

    return latest


JOBS = [
    Job("bulletin-draft", weekly(0, time(8, 0)), "qingdan.bulletins.tasks.generate_weekly_draft"),
    Job("reminders", daily(time(9, 0)), "qingdan.notifications.tasks.send_reminders"),
    Job("carrier-alerts", weekly(0, time(8, 30)), "qingdan.carriers.tasks.send_alert_reminders"),
    # Retries of messages that failed, and any whose task was lost.
    Job("deliveries", every_minutes(1), "qingdan.notifications.outbox.deliver_due_task"),
    # Routing suggestions learn from the day's assignments and returns.
    Job("train-routing", daily(time(2, 30)), "qingdan.search.tasks.train_routing"),
    # The security log keeps QINGDAN_SECURITY_LOG_DAYS (≥ 180) days; older rows go at night.
    Job("security-log", daily(time(3, 30)), "qingdan.accounts.tasks.prune_security_log"),
    Job("policy-reviews", daily(time(9, 5)), "qingdan.notifications.tasks.remind_policy_reviews"),
    # 政策体检: each enterprise hears of the policies it newly qualifies for (Monday morning).
    Job(
        "policy-checkup", weekly(0, time(8, 30)), "qingdan.notifications.tasks.send_policy_checkup"
    ),
]


def run_due(now: datetime | None = None, jobs: list[Job] = JOBS) -> list[str]:
    """Enqueue every job whose latest occurrence has not been started yet."""
    from qingdan.core.models import ScheduledRun

    now = now or clock.now()
    started = []
    for job in jobs:
        occurrence = job.latest(now)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, occurrence=occurrence)
                task = import_string(job.task)
                transaction.on_commit(lambda t=task, o=occurrence: t.enqueue(o.isoformat()))
        except IntegrityError:
            continue  # already started, here or by another scheduler
        started.append(job.name)
    return started
