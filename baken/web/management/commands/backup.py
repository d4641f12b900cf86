"""``baken backup DIR``: the database, every private file and a manifest, without the keys.

Lives in ``web``, the composition root, because it spans every context (baken.web.backup).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baken.audit.services import Actor, acting_as
from baken.web.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the private files (documents, photos) into a new directory;"
        " the keys are not in it (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args, directory: Path, **options):
        try:
            with acting_as(Actor(actor_name="backup", origin="cli")):
                summary = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backup written to {summary.directory}: the {summary.vendor} database"
            f" ({summary.database_bytes} bytes) and {summary.files} file(s)"
            f" ({summary.files_bytes} bytes)."
        )
        self.stdout.write(
            "The keys are not in it: keep SECRET_KEY, FIELD_ENCRYPTION_KEY and PSEUDONYM_KEY"
            " separately (docs/deploy.md); without them the backup cannot be read."
        )
