from django.core.management.base import BaseCommand, CommandError

from qingdan.accounts.models import Role, User
from qingdan.problems.models import Category
from qingdan.search import routing


class Command(BaseCommand):
    help = (
        "Print the three most likely lead units for a problem's text, one per line: unit name, "
        'score, reason (e.g. suggest_unit "厂区线路频繁跳闸" --category utilities).'
    )

    def add_arguments(self, parser):
        parser.add_argument("text", help="the problem's title and description")
        parser.add_argument("--category", default="", help="category code (see the admin)")

    def handle(self, *args, text, category, **options):
        found = None
        if category:
            found = Category.objects.filter(code=category).first()
            if found is None:
                raise CommandError(f"No category with the code {category!r}.")
        # The evidence is read as the secretariat sees it (every problem).
        reader = User(role=Role.SECRETARIAT)
        for suggestion in routing.suggest(reader, title=text, category=found):
            self.stdout.write(
                f"{suggestion.unit.name}\t{suggestion.score:.2f}\t{suggestion.reason}"
            )
