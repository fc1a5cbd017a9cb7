from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qingdan.accounts.models import User
from qingdan.exchange import importing
from qingdan.exchange.models import ExchangeDay


class Command(BaseCommand):
    help = (
        "Import an Excel problem list for an exchange day: every row is checked first; one "
        "wrong row rejects the file (each error listed) and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--exchange-day", required=True, help="YYYY-MM-DD (must exist)")
        parser.add_argument("--user", required=True, help="the secretariat member importing")

    def handle(self, *args, file, exchange_day, user, **options):
        try:
            day = ExchangeDay.objects.get(date=date.fromisoformat(exchange_day))
        except (ValueError, ExchangeDay.DoesNotExist):
            raise CommandError(f"No exchange day on {exchange_day}.") from None
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"No user {user!r}.")
        rows, errors = importing.read_rows(Path(file).read_bytes())
        if not errors:
            clean, errors = importing.validate(rows)
        if errors:
            for error in errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            raise CommandError(f"{len(errors)} errors: nothing was imported.")
        created = importing.import_rows(clean, exchange_day=day, actor=actor)
        self.stdout.write(f"{len(created)} problems imported for {day}.")
