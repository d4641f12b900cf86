"""Baken's own signals as a capture table: sources linked through keyed pseudonyms only."""

from __future__ import annotations

from django.utils import timezone

from baken.audit.models import AuditEvent
from baken.casework.services import PersonData, signal_create
from baken.insight.estimation import estimate_table
from baken.insight.services import overlap_table


def report(source: str, *people: tuple[str, str]) -> None:
    signal_create(
        reporter=None,
        source=source,
        description="Test",
        persons=[PersonData(name=name, date_of_birth=born) for name, born in people],
    )


def test_the_sources_of_signals_give_the_overlap_table_without_any_identity(demo_region):
    anna, piotr, ion, maria = (
        ("Anna Visser", "2001-03-04"),
        ("Piotr Nowak", "1990-07-12"),
        ("Ion Popescu", "1985-01-30"),
        ("Maria Jansen", "1999-11-02"),
    )
    report("police", anna, piotr)
    report("care", ("ANNA  visser", "2001-03-04"), ion)  # the same person, written differently
    report("municipality", piotr, maria)
    report("care", maria)
    table = overlap_table(year=timezone.localdate().year)
    assert table.lists == ("care", "municipality", "police")
    cells = {
        tuple(int(v) for v in pattern): int(count)
        for pattern, count in zip(table.patterns, table.counts, strict=True)
        if count
    }
    # Anna: care+police; Piotr: municipality+police; Ion: care; Maria: care+municipality.
    assert cells == {(1, 0, 1): 1, (0, 1, 1): 1, (1, 0, 0): 1, (1, 1, 0): 1}
    text = repr(table)
    assert "Anna" not in text and "Visser" not in text
    assert AuditEvent.objects.filter(purpose="insight: overlap of sources (MSE)").exists()
    assert estimate_table(table, method="main").observed == 4


def test_a_year_with_one_source_gives_no_table(demo_region):
    report("police", ("Anna Visser", "2001-03-04"))
    assert overlap_table(year=timezone.localdate().year) is None
