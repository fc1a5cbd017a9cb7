"""Background jobs of the accounts app (enqueued by ``manage.py scheduler``)."""

from django_tasks import task

from qingdan.accounts import security


@task()
def prune_security_log(occurrence: str = "") -> int:
    return security.prune()
