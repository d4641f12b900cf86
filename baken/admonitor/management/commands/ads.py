"""``baken ads ingest FILE`` and ``baken ads link FILE.jsonl --format json``.

``ingest`` takes a file (JSON Lines, CSV, or a saved HTML page of a registered site layout) into
the monitor: new ads are linked into the clusters already there; progress goes to stderr.

``link`` links ads from a file without the database and says why.

Prints one JSON object per ad, in file order: ``{"id", "cluster", "phones", "reasons"}``, where
``phones`` are every number of the ad (its ``phone`` field, title and text) in E.164. Bad lines
get a message on stderr naming the line; the rest is processed. Exit status 2 when the file
cannot be read at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baken.admonitor.engine.pipeline import link_lines, reasons_of
from baken.admonitor.parsers import PARSERS, parser_for
from baken.admonitor.services import IngestError, ads_inbox_ingest, ads_ingest
from baken.audit.context import Actor, acting_as


class Command(BaseCommand):
    help = "Online-ad monitor: link ads (baken ads link FILE.jsonl --format json)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="take a file of ads into the monitor")
        ingest.add_argument("file", nargs="?", help="a file of ads (or use --inbox)")
        ingest.add_argument(
            "--inbox",
            help="a folder a scheduled job drops files into: every file not taken in before is "
            "taken in and moved to its subfolder 'verwerkt'",
        )
        ingest.add_argument(
            "--parser",
            default="",
            help="jsonl, csv or html:<site layout>; default from the file name",
        )
        link = sub.add_parser("link", help="link ads from a JSON Lines file and print why")
        link.add_argument(
            "file", help="JSON Lines: one ad per line, at least id and text ('-' = stdin)"
        )
        link.add_argument("--format", choices=["json", "summary"], default="json")
        link.add_argument(
            "--threshold", type=float, default=0.5, help="text similarity (Jaccard) for a soft link"
        )
        link.add_argument(
            "--shared-limit",
            type=int,
            default=5,
            help="phone numbers beside an identifier before it counts as widely shared",
        )
        link.add_argument(
            "--workers", type=int, default=1, help="processes that read and prepare ads"
        )

    def handle(self, *args, **options):
        if options["action"] == "link":
            self._link(options)
        elif options["action"] == "ingest":
            self._ingest(options)

    def _ingest(self, options) -> None:
        if options["inbox"]:
            self._inbox(options)
        elif options["file"]:
            self._ingest_file(options["file"], options["parser"])
        else:
            raise CommandError("give a file or --inbox FOLDER", returncode=2)

    def _inbox(self, options) -> None:
        """Take in every file in the folder once (``services.ads_inbox_ingest``)."""
        with acting_as(Actor(actor_name="ads ingest", origin="cli")):
            try:
                lines = ads_inbox_ingest(folder=Path(options["inbox"]), parser=options["parser"])
            except IngestError as error:
                raise CommandError(str(error), returncode=2) from None
        for line in lines:
            self.stdout.write(line)

    def _ingest_file(self, path: str, requested_parser: str) -> None:
        try:
            parser = parser_for(path, requested_parser)
        except ValueError:
            known = ", ".join(sorted(PARSERS))
            raise CommandError(
                f"no parser for {path}; choose one with --parser ({known})", returncode=2
            ) from None
        try:
            with open(path, "rb") as stream:
                content = stream.read()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None

        def progress(run) -> None:
            self.stderr.write(
                f"{run.percent:3d}% ({run.lines_done:,} of {run.lines_total:,} lines)", ending="\r"
            )

        with acting_as(Actor(actor_name="ads ingest", origin="cli")):
            try:
                run = ads_ingest(content=content, file_name=path, parser=parser, progress=progress)
            except IngestError as error:
                raise CommandError(f"{path}: {error}", returncode=2) from None
        self.stderr.write("")
        for bad in run.bad_lines:
            self.stderr.write(f"line {bad['line']}: {bad['message']}")
        if run.bad_count > len(run.bad_lines):
            self.stderr.write(f"... and {run.bad_count - len(run.bad_lines)} more bad lines")
        self.stdout.write(
            f"{run.ads_new} new ads, {run.ads_seen_again} seen again, {run.ads_unchanged} unchanged, "
            f"{run.bad_count} bad lines"
        )

    def _link(self, options) -> None:
        if not 0 < options["threshold"] <= 1:
            raise CommandError("--threshold must lie between 0 and 1", returncode=2)
        try:
            stream = (
                sys.stdin if options["file"] == "-" else open(options["file"], encoding="utf-8")
            )  # noqa: SIM115
        except OSError as error:
            raise CommandError(
                f"cannot read {options['file']}: {error.strerror}", returncode=2
            ) from None
        with stream:
            try:
                run = link_lines(
                    stream,
                    workers=max(1, options["workers"]),
                    threshold=options["threshold"],
                    shared_limit=options["shared_limit"],
                )
            except UnicodeDecodeError:
                raise CommandError(f"{options['file']} is not UTF-8 text", returncode=2) from None
        for number, message in run.errors:
            self.stderr.write(f"line {number}: {message}")
        linker = run.linker
        if options["format"] == "summary":
            clusters = linker.clusters()
            linked = sum(1 for members in clusters.values() if len(members) > 1)
            self.stdout.write(
                f"{len(run.ads)} ads, {len(clusters)} clusters ({linked} with more than one ad), "
                f"{len(linker.shared)} widely shared identifiers, {len(run.errors)} bad lines"
            )
            return
        write = self.stdout.write
        for ad_id, key in run.ads:
            write(
                json.dumps(
                    {
                        "id": ad_id,
                        "cluster": linker.cluster_of(key),
                        "phones": run.phones[key],
                        "reasons": reasons_of(linker, key),
                    },
                    ensure_ascii=False,
                )
            )
