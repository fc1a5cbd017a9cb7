from datetime import date

from django.core.management.base import BaseCommand, CommandError

from qingdan.problems import calendar


class Command(BaseCommand):
    help = "Print the date N working days after DATE (Chinese calendar with holidays and 调休)."

    def add_arguments(self, parser):
        parser.add_argument("date", help="YYYY-MM-DD")
        parser.add_argument("n", type=int, help="working days to add (0 or more)")

    def handle(self, *args, date: str, n: int, **options):
        try:
            start = _parse(date)
        except ValueError:
            raise CommandError(f"Not a date: {date!r} (expected YYYY-MM-DD).") from None
        if n < 0:
            raise CommandError("N must be zero or more.")
        try:
            end = calendar.add_workdays(start, n)
        except calendar.UnknownYear as unknown:
            raise CommandError(str(unknown.message)) from None
        note = calendar.counted_weekdays_note(start, end)
        if note:  # never silently: say it was counted Monday to Friday by permission
            self.stderr.write(note)
        self.stdout.write(end.isoformat())


def _parse(text: str) -> date:
    return date.fromisoformat(text)
