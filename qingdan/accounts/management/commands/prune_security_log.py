from django.core.management.base import BaseCommand

from qingdan.accounts import security


class Command(BaseCommand):
    help = (
        "Delete security log rows older than QINGDAN_SECURITY_LOG_DAYS (at least 180 days); "
        "runs daily from the scheduler. Prints how many rows went."
    )

    def handle(self, *args, **options):
        self.stdout.write(str(security.prune()))
