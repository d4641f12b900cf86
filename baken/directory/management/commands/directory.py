"""``baken directory export|import``: the social map as Open Referral HSDS 3.0 JSON."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from baken.audit.services import Actor, acting_as
from baken.directory.hsds import ImportFailed, export_directory, import_directory


class Command(BaseCommand):
    help = "Export or import the social map as Open Referral HSDS 3.0 JSON."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write the social map as HSDS 3.0 JSON")
        export.add_argument("--output", "-o", help="file to write (default: standard output)")
        imp = sub.add_parser("import", help="read HSDS 3.0 JSON; all or nothing")
        imp.add_argument("file", help="the JSON file ('-' for standard input)")

    def handle(self, *args, **options):
        with acting_as(Actor(actor_name="directory command", origin="cli")):
            if options["action"] == "export":
                return self._export(options.get("output"))
            return self._import(options["file"])

    def _export(self, output):
        text = json.dumps(export_directory(), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Written to {output}")
        else:
            self.stdout.write(text)

    def _import(self, file):
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    data = json.load(handle)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
        try:
            counts = import_directory(data)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"{len(failed.problems)} problem(s) found; nothing of this import was stored."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                "Imported {organisations} organisations, {services} services, "
                "{locations} locations.".format(**counts)
            )
        )
