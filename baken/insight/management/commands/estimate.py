"""``baken estimate FILE.csv``: multiple systems estimation from a capture table.

So that anyone can check Baken against published work: the same engine the insight pages use
(``baken/insight/estimation``), on any CSV with one 0/1 column per list and a ``count``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from baken.insight.estimation import METHODS, TableError, estimate_table, read_tables


class Command(BaseCommand):
    help = "Estimate the number of people on no list from the overlap of lists (MSE)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV: one 0/1 column per list, and 'count'")
        parser.add_argument("--method", choices=METHODS, default="stepwise")
        parser.add_argument(
            "--model", default="", help="interactions, e.g. A:B,B:C (--method fixed)"
        )
        parser.add_argument("--max-order", type=int, default=2, help="highest interaction order")
        parser.add_argument("--p-threshold", type=float, default=0.02, help="stepwise threshold")
        parser.add_argument(
            "--bootstrap", type=int, default=0, help="replicates for a BCa interval"
        )
        parser.add_argument("--seed", type=int, default=None, help="seed of the bootstrap")
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 1, help="processes for the bootstrap"
        )
        parser.add_argument("--strata", default="", help="stratum columns, e.g. year,sex")
        parser.add_argument("--format", choices=("json", "table"), default="table")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot be read ({error})", returncode=2) from None
        strata = [name.strip() for name in options["strata"].split(",") if name.strip()]
        try:
            tables = read_tables(text, strata=strata)
        except TableError as error:
            raise CommandError(f"{path}: {error}", returncode=2) from None
        if options["max_order"] < 2:
            raise CommandError("--max-order must be 2 or more", returncode=2)
        if not 0 < options["p_threshold"] < 1:
            raise CommandError("--p-threshold must be between 0 and 1", returncode=2)
        results = []
        for key, table in tables.items():
            progress = self._progress(options["bootstrap"], key)
            try:
                result = estimate_table(
                    table,
                    method=options["method"],
                    model=options["model"],
                    max_order=options["max_order"],
                    p_threshold=options["p_threshold"],
                    bootstrap=options["bootstrap"],
                    seed=options["seed"],
                    progress=progress,
                    workers=max(1, options["workers"]),
                )
            except ValueError as error:
                raise CommandError(str(error), returncode=2) from None
            finally:
                if progress is not None:
                    progress.close()
            row = result.as_dict()
            if strata:
                row = {"stratum": dict(zip(strata, key, strict=True)), **row}
            results.append(row)
        if options["format"] == "json":
            for row in results:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        for row in results:
            self._table(row)

    def _progress(self, replicates: int, key):
        if not replicates:
            return None

        label = "bootstrap" + (f" {'/'.join(key)}" if key else "")
        return tqdm(total=replicates, desc=label, file=sys.stderr, leave=False, disable=None)

    def _table(self, row: dict) -> None:
        if "stratum" in row:
            self.stdout.write(", ".join(f"{k}={v}" for k, v in row["stratum"].items()))

        def number(value) -> str:
            return "—" if value is None else f"{value:,.0f}"

        interval = row["interval"]
        self.stdout.write(f"observed  {row['observed']}")
        self.stdout.write(f"estimate  {number(row['estimate'])}")
        self.stdout.write(f"hidden    {number(row['hidden'])}")
        if interval:
            self.stdout.write(f"interval  {interval[0]:,.0f} – {interval[1]:,.0f}")
        self.stdout.write(f"method    {row['method']}")
        self.stdout.write(f"model     {', '.join(row['model']) or 'main effects only'}")
        for warning in row["warnings"]:
            self.stdout.write(f"warning   {warning}")
        self.stdout.write("")
