from django_tasks import task

from qingdan.notifications import reminders


@task()
def send_reminders(occurrence: str = "") -> str:
    counts = reminders.run()
    return ", ".join(f"{step} {n}" for step, n in counts.items()) or "not a working day"


@task()
def send_policy_checkup(occurrence: str = "") -> str:
    from qingdan.notifications import policy_rules

    return f"policy check-up notices {policy_rules.send_policy_checkup()}"


@task()
def remind_policy_reviews(occurrence: str = "") -> str:
    from qingdan.notifications import policy_rules

    return f"policy review reminders {policy_rules.remind_overdue_reviews()}"
