import json

from django.core.management.base import BaseCommand

from qingdan.bench.scenarios import run_all


class Command(BaseCommand):
    help = "Run the benchmark scenarios on this database (after `generate`) and print JSON."

    def add_arguments(self, parser):
        parser.add_argument("--reps", type=int, default=30)

    def handle(self, *args, reps, **options):
        self.stdout.write(json.dumps(run_all(reps), ensure_ascii=False, indent=1))
