"""``baken restore DIR [--force]``: a backup of ``baken backup`` into an empty installation.

Checks the keys, the checksums and that the database is empty before it writes anything, then
applies the migrations of this version (baken.web.backup).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baken.audit.services import Actor, acting_as
from baken.web.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `baken backup` into an empty database and storage."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="the backup's directory")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace what the database and the private storage already hold",
        )

    def handle(self, *args, directory: Path, force: bool = False, **options):
        try:
            with acting_as(Actor(actor_name="restore", origin="cli")):
                summary = backup_restore(directory=directory, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {summary.directory}: the {summary.vendor} database and"
            f" {summary.files} file(s); migrations applied."
        )
