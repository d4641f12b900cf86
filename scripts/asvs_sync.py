"""Keep docs/asvs.md's gap list and counts in step with its requirement tables.

The tables ("Requirement by requirement") are the source: one row per ASVS 5.0.0 requirement of
levels 1 and 2, ``| id | level | requirement | status | how | test |`` with status ``met``,
``**gap**`` or ``n/a``. This script rewrites the numbered list under "Gaps" and the count table
from them. ``--check`` only says whether the page is in step (CI and tests/test_asvs_doc.py).

    python scripts/asvs_sync.py [--check]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "docs" / "asvs.md"
ROW = re.compile(
    r"^\| (V\d+\.\d+\.\d+) \| (L[12]) \| (.+?) \| (met|\*\*gap\*\*|n/a) \| (.*?) \| (.*?) \|$"
)
CHAPTER = re.compile(r"^### (V\d+) (.+)$")
GAPS_START = "Every requirement above with status **gap**, in order."
GAPS_END = "Besides the requirements:"
COUNT_HEADING = "### Count per chapter (levels 1 and 2)"


def read_rows(text: str) -> tuple[list[tuple[str, str, str, str, str]], dict[str, str]]:
    """(chapter, id, requirement, status, how) per row, and each chapter's title."""
    rows, titles, chapter = [], {}, ""
    for line in text.splitlines():
        if heading := CHAPTER.match(line):
            chapter = heading.group(1)
            titles[chapter] = heading.group(2)
        elif row := ROW.match(line):
            status = row.group(4).strip("*")
            rows.append((chapter, row.group(1), row.group(3), status, row.group(5)))
    return rows, titles


def render(text: str) -> str:
    rows, titles = read_rows(text)
    gaps = [r for r in rows if r[3] == "gap"]
    listing = "\n".join(
        f"{n}. **{rid}** {requirement} — {how}"
        for n, (_c, rid, requirement, _s, how) in enumerate(gaps, 1)
    )
    start = text.index(GAPS_START)
    start = text.index("\n\n", start) + 2
    end = text.index(GAPS_END, start)
    text = text[:start] + listing + "\n\n" + text[end:]

    counts: dict[str, Counter] = {}
    for chapter, _rid, _req, status, _how in rows:
        counts.setdefault(chapter, Counter())[status] += 1
    lines = ["| chapter | met | gap | n/a |", "| --- | --- | --- | --- |"]
    total: Counter = Counter()
    for chapter, counter in counts.items():
        lines.append(
            f"| {chapter} {titles[chapter]} | {counter['met']} | {counter['gap']} | {counter['n/a']} |"
        )
        total.update(counter)
    lines.append(
        f"| **all ({sum(total.values())})** | **{total['met']}** | **{total['gap']}** |"
        f" **{total['n/a']}** |"
    )
    head = text.index(COUNT_HEADING) + len(COUNT_HEADING)
    table_start = text.index("| chapter |", head)
    table_end = text.find("\n\n", table_start)
    if table_end == -1:  # the table ends the page
        table_end = len(text.rstrip("\n"))
    return text[:table_start] + "\n".join(lines) + text[table_end:]


def main(argv: list[str]) -> int:
    text = PAGE.read_text()
    wanted = render(text)
    if "--check" in argv:
        if wanted != text:
            print("docs/asvs.md: the gap list or counts are out of step; run scripts/asvs_sync.py")
            return 1
        return 0
    PAGE.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
