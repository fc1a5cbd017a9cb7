import time

from django.core.management.base import BaseCommand

from qingdan.core.schedule import run_due


class Command(BaseCommand):
    help = "Enqueue recurring jobs when due (weekly bulletin drafts, …). Runs until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=int, default=30, help="Seconds between checks.")

    def handle(self, *args, once=False, interval=30, **options):
        while True:
            for name in run_due():
                self.stdout.write(f"started {name}")
            if once:
                return
            time.sleep(interval)
