from django.core.management.base import BaseCommand, CommandError

from qingdan.accounts.models import Role, User
from qingdan.carriers.indicators import record_month
from qingdan.lib import clock


class Command(BaseCommand):
    help = "Record this month's factories-and-land figures as monthly indicators."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", help="the secretariat member recording")

    def handle(self, *args, username=None, **options):
        users = User.objects.filter(role__in=(Role.SECRETARIAT, Role.ADMIN), is_active=True)
        actor = users.filter(username=username).first() if username else users.first()
        if actor is None:
            raise CommandError("No secretariat member to record as.")
        rows = record_month(actor=actor, day=clock.today())
        self.stdout.write(f"{len(rows)} values recorded.")
