"""Check a wapiti JSON report against the allow-list of explained findings (security issue 13).

    python scripts/web_scan_check.py REPORT.json [--allowlist scripts/web-scan-allowlist.toml]

Every finding of the report (vulnerabilities, anomalies and additionals: category, method,
path, parameter, info) must match an entry of the allow-list: the same category, the path
matching one of the entry's glob patterns, and, when the entry names them, the parameter and
a regular expression on wapiti's message. Each entry gives the reason and the test that shows
the finding is a false positive or set in production only.

Exit 0: every finding explained (entries that matched nothing are a warning: stale); exit 1:
new findings, listed; exit 2: the report or the allow-list cannot be read.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Allowed", "Finding", "check", "findings", "load_allowlist", "main"]

SECTIONS = ("vulnerabilities", "anomalies", "additionals")


@dataclass(frozen=True)
class Finding:
    section: str
    category: str
    method: str
    path: str
    parameter: str
    info: str

    def line(self) -> str:
        where = f"{self.method} {self.path}" + (f" [{self.parameter}]" if self.parameter else "")
        return f"{self.section}: {self.category}: {where}: {self.info}"


@dataclass(frozen=True)
class Allowed:
    category: str
    paths: tuple[str, ...]
    parameter: str | None
    info: re.Pattern[str] | None
    reason: str
    evidence: str

    def matches(self, finding: Finding) -> bool:
        return (
            finding.category == self.category
            and any(fnmatch.fnmatchcase(finding.path, pattern) for pattern in self.paths)
            and (self.parameter is None or finding.parameter == self.parameter)
            and (self.info is None or self.info.search(finding.info) is not None)
        )


def findings(report: dict) -> list[Finding]:
    """Every finding of a wapiti 3 JSON report, one per entry."""
    found = []
    for section in SECTIONS:
        for category, entries in (report.get(section) or {}).items():
            for entry in entries:
                found.append(
                    Finding(
                        section=section,
                        category=category,
                        method=entry.get("method", ""),
                        path=entry.get("path", ""),
                        parameter=entry.get("parameter", "") or "",
                        info=" ".join(str(entry.get("info", "")).split()),
                    )
                )
    return found


def load_allowlist(path: Path) -> list[Allowed]:
    """The ``[[allow]]`` entries; each must give a category, paths, a reason and evidence."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    for number, item in enumerate(data.get("allow", []), start=1):
        missing = [key for key in ("category", "paths", "reason", "evidence") if not item.get(key)]
        if missing:
            raise ValueError(f"allow-list entry {number} lacks {', '.join(missing)}")
        entries.append(
            Allowed(
                category=item["category"],
                paths=tuple(item["paths"]),
                parameter=item.get("parameter"),
                info=re.compile(item["info"]) if item.get("info") else None,
                reason=" ".join(item["reason"].split()),
                evidence=item["evidence"],
            )
        )
    return entries


def check(found: list[Finding], allowed: list[Allowed]) -> tuple[list, list[Finding], list]:
    """(finding, entry) pairs that are explained, the new findings, the stale entries."""
    explained, new = [], []
    used: set[int] = set()
    for finding in found:
        entry = next((i for i, allow in enumerate(allowed) if allow.matches(finding)), None)
        if entry is None:
            new.append(finding)
        else:
            used.add(entry)
            explained.append((finding, allowed[entry]))
    stale = [allow for i, allow in enumerate(allowed) if i not in used]
    return explained, new, stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument(
        "--allowlist",
        type=Path,
        default=Path(__file__).with_name("web-scan-allowlist.toml"),
    )
    args = parser.parse_args(argv)
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        allowed = load_allowlist(args.allowlist)
    except (OSError, ValueError) as exc:
        print(f"web-scan: cannot read the report or the allow-list: {exc}", file=sys.stderr)
        return 2
    found = findings(report)
    explained, new, stale = check(found, allowed)
    new_set = set(new)

    print(f"web-scan: {len(found)} findings, {len(explained)} allowed, {len(new)} new")
    per_category = Counter((f.section, f.category) for f in found)
    new_per_category = Counter((f.section, f.category) for f in new)
    for (section, category), count in sorted(per_category.items()):
        fresh = new_per_category[(section, category)]
        print(f"  {section:<15} {category:<40} {count:>3}  ({count - fresh} allowed, {fresh} new)")
    for allow in stale:
        print(
            f"WARNING: stale allow-list entry (nothing matched): {allow.category}: "
            f"{allow.info.pattern if allow.info else '*'} on {', '.join(allow.paths)}"
        )
    if new_set:
        print("web-scan: NEW findings (fix them, or explain them in the allow-list):")
        for finding in new:
            print(f"  {finding.line()}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
