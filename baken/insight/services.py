"""Insight's business rules: numbers from the other contexts, read through their services."""

from __future__ import annotations

from baken.casework import services as casework
from baken.insight.estimation import CaptureTable

__all__ = ["overlap_table"]


def overlap_table(*, year: int, region=None) -> CaptureTable | None:
    """The capture table of ``year``: one list per signal source, one person per keyed
    pseudonym, the pattern of sources each was reported by. Persons are linked across sources
    only through the pseudonym (an HMAC of name and date of birth), never by identity. None
    when fewer than two sources reported anyone."""
    memberships: dict[str, set[str]] = {}
    for pseudonym, source in casework.victim_sources_by_pseudonym(year=year, region=region):
        memberships.setdefault(pseudonym, set()).add(source)
    sources = sorted({source for found in memberships.values() for source in found})
    if len(sources) < 2:
        return None
    rows = [(tuple(int(s in found) for s in sources), 1) for found in memberships.values()]
    return CaptureTable.from_rows(sources, rows)
