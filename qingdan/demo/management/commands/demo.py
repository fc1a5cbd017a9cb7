from django.core.management.base import BaseCommand

from qingdan.accounts.demo_accounts import DEMO_PASSWORD, DEMO_USERNAMES
from qingdan.accounts.models import User
from qingdan.demo.park import build_demo_park


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
            build_demo_park()
            self.stdout.write(self.style.SUCCESS("Demo park ready."))
        accounts = User.objects.filter(username__in=DEMO_USERNAMES).order_by("pk")
        if accounts:
            self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
            for user in accounts:
                self.stdout.write(f"  {user.username:<12} {user.get_role_display()}")
