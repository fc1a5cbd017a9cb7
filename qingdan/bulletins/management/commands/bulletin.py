from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qingdan.bulletins import actions
from qingdan.bulletins.models import Bulletin
from qingdan.lib import clock


class Command(BaseCommand):
    help = (
        "Write a week's bulletin to a file: the published one (exactly as published) if there "
        "is one, else the figures as of now (not saved)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", required=True, help="the Monday, YYYY-MM-DD")
        parser.add_argument("--format", required=True, choices=["pdf", "docx", "xlsx", "html"])
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args, week, format, output, **options):
        try:
            week_start = date.fromisoformat(week)
        except ValueError:
            raise CommandError(f"Not a date: {week!r} (expected YYYY-MM-DD).") from None
        if week_start.weekday() != 0:
            raise CommandError(f"{week} is not a Monday: a bulletin covers a week from Monday.")
        bulletin = (
            Bulletin.objects.filter(week_start=week_start, state=Bulletin.State.PUBLISHED)
            .order_by("-version")
            .first()
        )
        if bulletin is not None:
            data = actions.render_file(bulletin, format)
            source = f"published version {bulletin.version}"
        else:
            now = clock.now()
            draft = Bulletin(
                week_start=week_start,
                content=actions.build_content(week_start, now),
                generated_at=now,
            )
            data = actions.render_content(draft, format)
            source = "figures as of now, not published"
        Path(output).write_bytes(data)
        self.stdout.write(f"{output}: {len(data)} bytes ({source})")
