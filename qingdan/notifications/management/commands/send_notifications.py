from django.core.management.base import BaseCommand

from qingdan.notifications import outbox


class Command(BaseCommand):
    help = "Send the messages due in the outbox (e-mail, WeCom, DingTalk)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="first give the messages that were given up on another round",
        )

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            self.stdout.write(f"requeued {outbox.retry_failed()}")
        sent, failed = outbox.deliver_due()
        self.stdout.write(f"sent {sent}, failed {failed}")
