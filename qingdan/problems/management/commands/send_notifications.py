from django.core.management.base import BaseCommand

from qingdan.problems.notify import send_unsent


class Command(BaseCommand):
    help = "E-mail the notifications still unsent (after a mail-server outage)."

    def handle(self, *args, **options):
        sent, failed = send_unsent()
        self.stdout.write(f"sent {sent}, failed {failed}")
