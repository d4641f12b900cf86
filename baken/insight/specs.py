"""Chart specs and the one builder that turns a spec and the figures into a ``charts.Chart``.

A dashboard is a list of ``ChartSpec``: what to count (``Source``: a measure, a dimension and
which of the page's filters apply), how to name it, in which order. ``build_chart`` reads the
pre-aggregated figures through ``Figures`` and fills in the numbers. A "bars" chart has one
category per value of its first series' dimension; "columns" and "line" charts have one
category per month of the period.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baken.directory.models import Region
from baken.insight import services
from baken.insight.charts import Chart, Series
from baken.lib.facts import TOTAL, month_of

__all__ = [
    "ChartSpec",
    "Figures",
    "Filters",
    "Label",
    "Labels",
    "Scope",
    "SeriesSpec",
    "Source",
    "Split",
    "build_chart",
    "count",
    "labels_of",
    "mean",
    "minutes",
]

#: A text to show: a plain string or a lazy translation, made a string when a chart is built.
Label = str | Promise
#: (count, total) of a measure: how many, and the sum to average over (days, seconds).
Figure = tuple[int, float]
Number = float | None
#: {value: label} of a dimension, computed when a chart is built (translations, names in the
#: database).
Labels = Callable[[], Mapping[str, str]]

UNKNOWN = _("Unknown")
_NONE: Figure = (0, 0.0)


@dataclass(frozen=True)
class Filters:
    period: services.Period
    region: Region | None
    form: str = ""


class Scope(enum.Enum):
    """Which of the page's filters a source obeys."""

    FILTERED = "filtered"  # period, region and form
    ANY_FORM = "any form"  # period and region; the form filter does not apply
    EVERYWHERE = "everywhere"  # period only (chat and portal belong to no region)
    TODAY = "today"  # this month, region and form: the state of today, whatever the period


@dataclass(frozen=True)
class Source:
    """Which figures a series reads: a measure along a dimension ("" = its plain count)."""

    measure: str
    dimension: str = TOTAL
    scope: Scope = field(default=Scope.FILTERED, kw_only=True)


def count(figure: Figure) -> Number:
    return figure[0]


def mean(figure: Figure) -> Number:
    return figure[1] / figure[0] if figure[0] else None


def minutes(figure: Figure) -> Number:
    """The mean of a total in seconds, in minutes."""
    return figure[1] / figure[0] / 60 if figure[0] else None


def labels_of(choices: Sequence[tuple[str, Label]]) -> Labels:
    """The labels of a context's choices, translated when the chart is built."""
    return lambda: {value: str(label) for value, label in choices}


def no_labels() -> Mapping[str, str]:
    return {}


@dataclass(frozen=True, kw_only=True)
class SeriesSpec:
    """A series (or an extra table column) of a chart.

    Over months, it reads ``value`` of the source's dimension; with ``share_of`` it is the
    percentage of that source's count. In a bars chart it reads each category's value, and a
    category the source has no figure for shows ``missing``."""

    name: Label
    source: Source
    number: Callable[[Figure], Number] = count
    value: str = ""
    share_of: Source | None = None
    missing: Number = 0


@dataclass(frozen=True, kw_only=True)
class Split:
    """One series per value of a dimension, in the order of ``values`` (a chart over months).

    Not applied when the split is by form and the page is filtered to one form: then the
    chart's own series show. ``present_only`` leaves out values without figures; ``note`` is
    shown when the split is."""

    source: Source
    values: Sequence[str]
    labels: Labels
    present_only: bool = False
    note: Label = ""


@dataclass(frozen=True, kw_only=True)
class ChartSpec:
    """One chart of a dashboard. ``key`` names it in the page, its table and its downloads.

    For "bars": categories are the values of the first series' source, those in ``order``
    first, then by ``labels`` (``by_label``) or largest first; at most ``limit`` of them."""

    key: str
    title: Label
    kind: str  # "bars", "columns" or "line"
    series: tuple[SeriesSpec, ...] = ()
    extra: tuple[SeriesSpec, ...] = ()
    category_label: Label = _("Month")
    labels: Labels = no_labels
    order: Sequence[str] = ()
    by_label: bool = False
    limit: int | None = None
    split: Split | None = None
    note: Label = ""
    unit: str = ""
    decimals: int = 0


@dataclass(frozen=True)
class _Where:
    period: services.Period
    region: Region | None
    form: str


@dataclass
class Figures:
    """The pre-aggregated figures a page's filters select, read once per source."""

    filters: Filters
    _months: dict[Source, dict[str, dict[date, Figure]]] = field(default_factory=dict)
    _breakdowns: dict[Source, dict[str, Figure]] = field(default_factory=dict)

    def _where(self, scope: Scope) -> _Where:
        f = self.filters
        if scope is Scope.TODAY:
            this_month = month_of(timezone.localdate())
            return _Where(services.Period(this_month, this_month), f.region, f.form)
        region = None if scope is Scope.EVERYWHERE else f.region
        return _Where(f.period, region, f.form if scope is Scope.FILTERED else "")

    def months(self, source: Source) -> dict[str, dict[date, Figure]]:
        """{value: {month: figure}} of the source over the period."""
        if source not in self._months:
            where = self._where(source.scope)
            self._months[source] = services.figure_months(
                source.measure,
                period=where.period,
                region=where.region,
                form=where.form,
                dimension=source.dimension,
            )
        return self._months[source]

    def breakdown(self, source: Source) -> dict[str, Figure]:
        """{value: figure} of the source over the whole period."""
        if source not in self._breakdowns:
            where = self._where(source.scope)
            self._breakdowns[source] = services.figure_breakdown(
                source.measure,
                source.dimension,
                period=where.period,
                region=where.region,
                form=where.form,
            )
        return self._breakdowns[source]


def build_chart(spec: ChartSpec, figures: Figures) -> Chart:
    """The chart ``spec`` declares, with the numbers of ``figures``."""
    if spec.kind == "bars":
        categories, series, extra = _bars(spec, figures)
    else:
        categories, series, extra = _over_months(spec, figures)
    return Chart(
        key=spec.key,
        title=str(spec.title),
        kind=spec.kind,
        category_label=str(spec.category_label),
        categories=categories,
        series=series,
        unit=spec.unit,
        note=str(_note(spec, figures.filters)),
        decimals=spec.decimals,
        extra_columns=extra,
    )


_Parts = tuple[list[str], list[Series], list[Series]]


# --- charts over the period's months ------------------------------------------------------------


def _over_months(spec: ChartSpec, figures: Figures) -> _Parts:
    months = figures.filters.period.months
    series = [_monthly(s, figures, months=months) for s in spec.series]
    if _splits(spec, figures.filters):
        series = _split(spec, figures, months=months, fallback=series)
    extra = [_monthly(s, figures, months=months) for s in spec.extra]
    return [f"{m:%Y-%m}" for m in months], series, extra


def _monthly(spec: SeriesSpec, figures: Figures, *, months: list[date]) -> Series:
    own = figures.months(spec.source).get(spec.value, {})
    figure = [own.get(m, _NONE) for m in months]
    if spec.share_of is None:
        return Series(str(spec.name), [spec.number(f) for f in figure])
    whole = figures.months(spec.share_of)[""]
    return Series(
        str(spec.name),
        [
            100.0 * f[0] / whole[m][0] if whole[m][0] else None
            for m, f in zip(months, figure, strict=True)
        ],
    )


def _splits(spec: ChartSpec, filters: Filters) -> bool:
    split = spec.split
    return split is not None and not (split.source.dimension == "form" and filters.form)


def _split(
    spec: ChartSpec, figures: Figures, *, months: list[date], fallback: list[Series]
) -> list[Series]:
    assert spec.split is not None  # nosec B101 # narrows for mypy: callers check _splits()
    split = spec.split
    by_value = figures.months(split.source)
    labels = split.labels()
    values = [v for v in split.values if v in by_value or not split.present_only]
    series = [
        Series(labels[v], [by_value.get(v, {}).get(m, _NONE)[0] for m in months]) for v in values
    ]
    return series or [Series(s.name, [0 for _ in months]) for s in fallback]


def _note(spec: ChartSpec, filters: Filters) -> Label:
    if spec.split is not None and spec.split.note and _splits(spec, filters):
        return spec.split.note
    return spec.note


# --- bars: one category per value of a dimension ------------------------------------------------


def _bars(spec: ChartSpec, figures: Figures) -> _Parts:
    values = _categories(spec, figures)
    labels = spec.labels()
    categories = [labels.get(v, v) if v != "unknown" else str(UNKNOWN) for v in values]
    series = [_column(s, figures, values=values) for s in spec.series]
    extra = [_column(s, figures, values=values) for s in spec.extra]
    return categories, series, extra


def _categories(spec: ChartSpec, figures: Figures) -> list[str]:
    counts = figures.breakdown(spec.series[0].source)
    first = [v for v in spec.order if v in counts]
    if spec.by_label:
        labels = spec.labels()
        rest = sorted((v for v in counts if v not in first), key=lambda v: (labels.get(v, v), v))
    else:
        rest = sorted((v for v in counts if v not in first), key=lambda v: (-counts[v][0], v))
    return (first + rest)[: spec.limit]


def _column(spec: SeriesSpec, figures: Figures, *, values: list[str]) -> Series:
    counts = figures.breakdown(spec.source)
    return Series(
        str(spec.name), [spec.number(counts[v]) if v in counts else spec.missing for v in values]
    )
