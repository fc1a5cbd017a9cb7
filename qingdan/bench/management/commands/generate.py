import time

from django.core.management.base import BaseCommand, CommandError

from qingdan.bench.synthetic import generate


class Command(BaseCommand):
    help = "Bulk-load a synthetic province (for benchmarks) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--problems", type=int, required=True)
        parser.add_argument("--enterprises", type=int, default=100_000)
        parser.add_argument("--units", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--busy-week",
            type=int,
            default=0,
            help="how many of the problems are raised in last week (for bulletin benchmarks)",
        )

    def handle(self, *args, problems, enterprises, units, seed, busy_week, **options):
        started = time.perf_counter()
        try:
            written = generate(
                problems,
                seed=seed,
                enterprises=enterprises,
                units=units,
                busy_week=busy_week,
                log=lambda line: self.stderr.write(line),
            )
        except ValueError as refused:
            raise CommandError(str(refused)) from None
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{key} {value}" for key, value in written.items())
        self.stdout.write(f"{summary} in {seconds:.1f} s")
