from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files by a backup archive's (every checksum is "
        "checked first). Stop the web server and the worker before, start them after. Nothing "
        "written since the backup remains; everyone signs in again."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--check", action="store_true", help="only verify the archive; change nothing"
        )
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive: str, check=False, yes=False, **options):
        from qingdan.backups import archive as backups

        path = Path(archive)
        try:
            manifest = backups.read_manifest(path)
            self.stderr.write(
                f"{path.name}: {manifest['engine']} backup of {manifest['created']}, "
                f"{len(manifest['files'])} files, checksums correct"
            )
            if check:
                return
            if not yes:
                answer = input(
                    "This replaces the database and MEDIA_ROOT completely. Type 'restore': "
                )
                if answer.strip() != "restore":
                    raise CommandError("Nothing was changed.")
            backups.restore(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("Restored. Start the web server and the worker."))
