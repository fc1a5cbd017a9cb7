from django.core.management.base import BaseCommand, CommandError

from qingdan.accounts import security
from qingdan.accounts.models import User
from qingdan.api.models import issue_token


class Command(BaseCommand):
    help = "Issue a new API token for USERNAME and print it (and nothing else) on stdout."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="issued from the shell")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        token, secret = issue_token(user, name=name)
        security.record(
            security.Kind.TOKEN_ISSUED,
            actor=user,
            subject=str(token),
            detail={"source": "command line"},
        )
        self.stdout.write(secret)
