import json

from django.core.management.base import BaseCommand

from qingdan.bench import search_scenarios
from qingdan.bench.scenarios import import_scenario, run_all


class Command(BaseCommand):
    help = "Run the benchmark scenarios on this database (after `generate`) and print JSON."

    def add_arguments(self, parser):
        parser.add_argument("--reps", type=int, default=30)
        parser.add_argument(
            "--import-rows",
            type=int,
            default=100_000,
            help="rows of the Excel import scenario (0: skip it)",
        )

    def handle(self, *args, reps, import_rows, **options):
        results = run_all(reps)
        results += search_scenarios.run(reps)
        if import_rows:
            results.append(import_scenario(import_rows))
        self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))
