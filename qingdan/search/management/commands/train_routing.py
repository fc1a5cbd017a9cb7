import time

from django.core.management.base import BaseCommand

from qingdan.search import routing


class Command(BaseCommand):
    help = "Learn routing suggestions from the park's history of assignments and returns."

    def handle(self, *args, **options):
        started = time.perf_counter()
        model = routing.train()
        self.stdout.write(
            f"Learned from {model.problems} problems and {model.returns} returns "
            f"({len(model.payload['units'])} units) in {time.perf_counter() - started:.1f} s"
        )
