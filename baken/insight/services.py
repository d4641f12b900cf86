"""Insight's business rules: numbers from the other contexts, read only through their
``statistics`` modules (anonymous facts, labels and the pseudonymous overlap of sources)."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Sum

from baken.casework.statistics import (
    casework_facts,
    victim_sources_by_pseudonym,
    victims_registered,
)
from baken.chat.statistics import chat_facts
from baken.directory.models import Municipality, Region
from baken.insight.estimation import CaptureTable, estimate_table
from baken.insight.estimation.select import MAX_EXHAUSTIVE_TERMS
from baken.insight.models import FigureRefresh, MonthlyFigure, NationalEstimate
from baken.insight.zicht import Zicht, population_share
from baken.lib.facts import TOTAL
from baken.portal.statistics import portal_facts
from baken.programmes.statistics import prevention_facts
from baken.supervision.statistics import supervision_facts

__all__ = [
    "Period",
    "ZichtRow",
    "ZichtTable",
    "figure_breakdown",
    "figure_months",
    "figures_last_refresh",
    "figures_refresh",
    "overlap_table",
    "region_estimate",
    "SearchTooLarge",
    "zicht_rows",
]


def overlap_table(*, year: int, region=None) -> CaptureTable | None:
    """The capture table of ``year``: one list per signal source, one person per keyed
    pseudonym, the pattern of sources each was reported by. Persons are linked across sources
    only through the pseudonym (an HMAC of name and date of birth), never by identity. None
    when fewer than two sources reported anyone."""
    memberships: dict[str, set[str]] = {}
    for pseudonym, source in victim_sources_by_pseudonym(year=year, region=region):
        memberships.setdefault(pseudonym, set()).add(source)
    sources = sorted({source for found in memberships.values() for source in found})
    if len(sources) < 2:
        return None
    rows = [(tuple(int(s in found) for s in sources), 1) for found in memberships.values()]
    return CaptureTable.from_rows(sources, rows)


# --- pre-aggregated figures -------------------------------------------------------------------


def figures_refresh() -> FigureRefresh:
    """Rebuild every monthly figure from the contexts' facts, in one transaction, so a dashboard
    never sees half a refresh. Idempotent: running it twice gives the same rows. Run it hourly
    (``baken insight_refresh``); a few thousand signals a year take well under a second."""
    started = time.perf_counter()
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0.0])
    for facts in (
        casework_facts(),
        chat_facts(),
        portal_facts(),
        supervision_facts(),
        prevention_facts(),
    ):
        for fact in facts:
            key = (fact.measure, fact.month, fact.region_id, fact.form, fact.dimension, fact.value)
            entry = sums[key]
            entry[0] += fact.count
            entry[1] += fact.total
    rows = [
        MonthlyFigure(
            measure=measure,
            month=month,
            region_id=region_id,
            form=form,
            dimension=dimension,
            value=value,
            count=count,
            total=total,
        )
        for (measure, month, region_id, form, dimension, value), (count, total) in sums.items()
    ]
    with transaction.atomic():
        MonthlyFigure.objects.all().delete()
        MonthlyFigure.objects.bulk_create(rows, batch_size=2000)
        return FigureRefresh.objects.create(seconds=time.perf_counter() - started, rows=len(rows))


def figures_last_refresh() -> FigureRefresh | None:
    return FigureRefresh.objects.first()


@dataclass(frozen=True)
class Period:
    """Whole months from ``start`` to ``end`` (both the first of their month, inclusive)."""

    start: date
    end: date

    @property
    def months(self) -> list[date]:
        months, current = [], self.start
        while current <= self.end:
            months.append(current)
            current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
        return months

    @classmethod
    def last_months(cls, count: int, *, today: date) -> Period:
        end = today.replace(day=1)
        index = end.year * 12 + end.month - 1 - (count - 1)
        return cls(start=date(index // 12, index % 12 + 1, 1), end=end)


def _figures(measure: str, period: Period, region: Region | None, form: str, dimension: str):
    rows = MonthlyFigure.objects.filter(
        measure=measure,
        month__gte=period.start,
        month__lte=period.end,
        dimension=dimension,
        form=form,
    )
    if region is not None:
        rows = rows.filter(region=region)
    return rows


def figure_months(
    measure: str,
    *,
    period: Period,
    region: Region | None = None,
    form: str = "",
    dimension: str = TOTAL,
) -> dict[str, dict[date, tuple[int, float]]]:
    """{value: {month: (count, total)}} of a measure over the period, every month present."""
    result: dict[str, dict[date, tuple[int, float]]] = {}
    rows = (
        _figures(measure, period, region, form, dimension)
        .values("value", "month")
        .annotate(n=Sum("count"), t=Sum("total"))
    )
    for row in rows:
        months = result.setdefault(row["value"], {m: (0, 0.0) for m in period.months})
        months[row["month"]] = (row["n"], row["t"] or 0.0)
    if dimension == TOTAL and "" not in result:
        result[""] = {m: (0, 0.0) for m in period.months}
    return result


def figure_breakdown(
    measure: str,
    dimension: str,
    *,
    period: Period,
    region: Region | None = None,
    form: str = "",
) -> dict[str, tuple[int, float]]:
    """{value: (count, total)} of a measure along one dimension over the whole period."""
    rows = (
        _figures(measure, period, region, form, dimension)
        .values("value")
        .annotate(n=Sum("count"), t=Sum("total"))
    )
    return {row["value"]: (row["n"], row["t"] or 0.0) for row in rows}


# --- the zicht figure -------------------------------------------------------------------------


@dataclass(frozen=True)
class ZichtRow:
    name: str
    population: int
    zicht: Zicht


@dataclass(frozen=True)
class ZichtTable:
    year: int
    estimate: NationalEstimate | None
    population_year: int | None
    region: ZichtRow | None
    municipalities: list[ZichtRow]


def zicht_rows(*, region: Region, year: int) -> ZichtTable:
    """Registered against estimated victims for the region and each of its municipalities.

    Registered: distinct possible victims in the year's signals (by keyed pseudonym where there
    is one; each person without one counts once). Estimated: the national estimate for the year
    (or the latest before it) as a population share, with the populations of the latest year
    on record up to ``year``."""
    estimate = NationalEstimate.objects.filter(year__lte=year).first()
    if estimate is None:
        estimate = NationalEstimate.objects.order_by("year").first()
    registered_total, registered = victims_registered(year=year, region_id=region.pk)
    population_year = None
    rows = []
    municipalities = Municipality.objects.filter(region=region).prefetch_related("populations")
    for municipality in sorted(municipalities, key=lambda m: m.name):
        population = _population_for(list(municipality.populations.all()), year)
        if population is None:
            continue
        population_year = max(population_year or 0, population.year)
        rows.append(
            ZichtRow(
                name=municipality.name,
                population=population.population,
                zicht=Zicht(
                    registered=registered.get(municipality.cbs_code, 0),
                    estimated=_share(estimate, population.population),
                ),
            )
        )
    total_population = sum(row.population for row in rows)
    region_row = (
        ZichtRow(
            name=region.name,
            population=total_population,
            zicht=Zicht(registered=registered_total, estimated=_share(estimate, total_population)),
        )
        if rows
        else None
    )
    return ZichtTable(
        year=year,
        estimate=estimate,
        population_year=population_year,
        region=region_row,
        municipalities=rows,
    )


def _population_for(populations: list, year: int):
    """The population of ``year``, else of the latest year before it, else the earliest."""
    before = [p for p in populations if p.year <= year]
    if before:
        return max(before, key=lambda p: p.year)
    return min(populations, key=lambda p: p.year) if populations else None


def _share(estimate: NationalEstimate | None, population: int) -> float:
    if estimate is None:
        return 0.0
    return population_share(
        national_estimate=estimate.victims,
        regional_population=population,
        national_population=estimate.population,
    )


# --- multiple systems estimation on the region's own signals -----------------------------------

#: Fixed, so that the same page gives the same interval every time.
BOOTSTRAP_SEED = 20261125


def region_estimate(*, region: Region, year: int, method: str, bootstrap: int = 0):
    """(overlap table, estimate) for the region's year, or (None, None) with fewer than two
    sources. The estimate runs the same engine as ``baken estimate``."""
    table = overlap_table(year=year, region=region)
    if table is None:
        return None, None
    lists = len(table.lists)
    if method in ("aic", "bic") and lists * (lists - 1) // 2 > MAX_EXHAUSTIVE_TERMS:
        raise SearchTooLarge(lists)
    result = estimate_table(table, method=method, bootstrap=bootstrap, seed=BOOTSTRAP_SEED)
    return table, result


class SearchTooLarge(ValueError):
    """An exhaustive model search over this many lists is not feasible."""

    def __init__(self, lists: int) -> None:
        super().__init__(f"too many lists ({lists}) for an exhaustive search")
        self.lists = lists
