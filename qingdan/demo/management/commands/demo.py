from django.core.management.base import BaseCommand, CommandError

from qingdan.accounts.demo_accounts import DEMO_PASSWORD, DEMO_USERNAMES
from qingdan.accounts.models import User
from qingdan.demo.park import build_demo_park
from qingdan.lib import fonts


class Command(BaseCommand):
    help = "Build the demo park (deterministic; running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people in it.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has data; the demo park was not loaded.")
        else:
            # The demo publishes bulletins, whose files are frozen: never without their fonts.
            try:
                fonts.require_cjk()
            except fonts.FontsMissing as missing:
                raise CommandError(missing.message) from None
            build_demo_park()
            self.stdout.write(self.style.SUCCESS("Demo park loaded."))
        accounts = User.objects.filter(username__in=DEMO_USERNAMES).order_by("pk")
        if accounts:
            names = ", ".join(f"{user.username} ({user.get_role_display()})" for user in accounts)
            self.stdout.write(f"Demo accounts, password {DEMO_PASSWORD}: {names}")
