from django.core.management.base import BaseCommand

from qingdan.notifications import policy_rules


class Command(BaseCommand):
    help = "Send the weekly 政策体检: each enterprise hears of the policies it newly matches."

    def handle(self, *args, **options):
        self.stdout.write(f"{policy_rules.send_policy_checkup()} notices")
