"""``baken keys reencrypt|repseudonymise [--dry-run]``: finish a key rotation.

``reencrypt`` writes every encrypted value and private file with the first FIELD_ENCRYPTION_KEY
(and SECRET_KEY), after which the older keys can leave the list; ``repseudonymise`` makes the
persons' pseudonyms under the first PSEUDONYM_KEY where their values are still held
(docs/security.md, "Rotating keys").
"""

from django.core.management.base import BaseCommand, CommandError

from baken.web.keys import fields_reencrypt, pseudonyms_rekey


class Command(BaseCommand):
    help = "Finish a key rotation: re-encrypt with the first key, or re-key the pseudonyms."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("reencrypt", "encrypt every encrypted field and private file with the first key"),
            ("repseudonymise", "make the pseudonyms under the first PSEUDONYM_KEY where possible"),
        ):
            action = sub.add_parser(name, help=text)
            action.add_argument("--dry-run", action="store_true", help="only count")

    def handle(self, *args, action: str, dry_run: bool = False, **options):
        verb = "to re-encrypt" if dry_run else "re-encrypted"
        if action == "reencrypt":
            report = fields_reencrypt(dry_run=dry_run)
            for title, rows in (("Fields", report.fields), ("Files", report.files)):
                self.stdout.write(f"{title}:")
                for label, c in rows.items():
                    self.stdout.write(
                        f"  {label}: {c.rotated} {verb}, {c.current} under the first key,"
                        f" {c.unreadable} unreadable, {c.skipped} changed meanwhile"
                    )
            self.stdout.write(
                f"{report.rotated} value(s) and file(s) {verb}; {report.unreadable} unreadable."
            )
            if report.unreadable:
                raise CommandError(
                    f"{report.unreadable} value(s) or file(s) no key of the list reads (or files"
                    " missing): find out why before an old key leaves FIELD_ENCRYPTION_KEY."
                )
            return
        rekeyed = pseudonyms_rekey(dry_run=dry_run)
        would = "would be " if dry_run else ""
        self.stdout.write(
            f"Persons: {rekeyed.recomputed} {would}recomputed under the first key,"
            f" {rekeyed.relinked} {would}relinked through a person with the same value,"
            f" {rekeyed.current} under the first key already, {rekeyed.skipped} changed meanwhile."
        )
        self.stdout.write(
            f"{rekeyed.remaining} person(s) without their values keep pseudonyms that cannot be"
            " made anew: they match only while the key they were made with stays in"
            " PSEUDONYM_KEY."
        )
