from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qingdan.backups import archive


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files (MEDIA_ROOT) together into one archive "
        "with a manifest and checksums; safe while the app runs. Prints the archive's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="archive path (default: $QINGDAN_DATA_DIR/backups/qingdan-….tar.gz)"
        )

    def handle(self, *args, output=None, **options):
        try:
            summary = archive.create(Path(output) if output else None)
        except archive.BackupError as error:
            raise CommandError(str(error)) from None
        for name in summary.missing:
            self.stderr.write(f"warning: {name} is named in the database but not on disk")
        self.stderr.write(f"{summary.engine} database and {summary.files} files backed up")
        self.stdout.write(str(summary.path))
