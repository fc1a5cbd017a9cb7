from django_tasks import task

from qingdan.carriers import reminders


@task()
def send_alert_reminders(occurrence: str = "") -> str:
    return f"{len(reminders.remind())} reminders"
