from datetime import date

from django.core.management.base import BaseCommand, CommandError

from qingdan.notifications import reminders


class Command(BaseCommand):
    help = "Take today's steps of the reminder ladder (each once per problem, step, deadline)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as if it were this day (YYYY-MM-DD)")

    def handle(self, *args, date=None, **options):
        try:
            today = _parse(date) if date else None
        except ValueError:
            raise CommandError(f"Not a date: {date!r}.") from None
        counts = reminders.run(today)
        if not counts:
            self.stdout.write("Not a working day: no reminders.")
        for step, n in counts.items():
            self.stdout.write(f"{step}: {n}")


def _parse(text: str) -> date:
    return date.fromisoformat(text)
