from datetime import datetime, timedelta

from django_tasks import task

from qingdan.bulletins import actions
from qingdan.bulletins.content import monday_of
from qingdan.lib import clock


@task()
def generate_weekly_draft(occurrence: str) -> str:
    """Monday 08:00: the draft for the week before (its exchange day's problems)."""
    day = datetime.fromisoformat(occurrence).astimezone(clock.BEIJING).date()
    week = monday_of(day) - timedelta(days=7)
    try:
        bulletin = actions.generate_draft(week)
    except actions.BulletinError as refused:  # already published: nothing to draft
        return str(refused.message)
    return f"draft {bulletin.week_start} v{bulletin.version}"
