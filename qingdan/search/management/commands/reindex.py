import time

from django.core.management.base import BaseCommand

from qingdan.search import index


class Command(BaseCommand):
    help = "Rebuild the search index of every problem (one transaction)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = index.rebuild(log=lambda line: self.stderr.write(line))
        seconds = time.perf_counter() - started
        self.stdout.write(f"{count} problems indexed in {seconds:.1f} s")
