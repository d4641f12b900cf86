"""Charts drawn on the server as SVG: no script, no third-party request, readable at a glance.

Pure Python (no Django). A ``Chart`` holds the numbers; ``svg(chart)`` draws it and the page
shows the same numbers as a table beside it, which is also what the CSV/XLSX downloads hold.
Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies);
every bar also carries its value as text, so no reading depends on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

__all__ = ["Chart", "Series", "nice_ticks", "svg"]

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
WIDTH = 680
FONT = 13


@dataclass
class Series:
    name: str
    values: list[float | None]


@dataclass
class Chart:
    """``kind`` is "bars" (horizontal, one row per category), "columns" (vertical, one column
    per category, series stacked) or "line" (one line per series over the categories)."""

    key: str
    title: str
    kind: str
    category_label: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    note: str = ""
    decimals: int = 0
    extra_columns: list[Series] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(v for s in self.series for v in s.values if v)

    def table(self) -> tuple[list[str], list[list]]:
        """Header and rows: one row per category, one column per series (and extra column)."""
        header = [self.category_label] + [s.name for s in self.series + self.extra_columns]
        rows = []
        for i, category in enumerate(self.categories):
            rows.append([category] + [s.values[i] for s in self.series + self.extra_columns])
        return header, rows

    def format(self, value: float | None) -> str:
        if value is None:
            return "–"
        text = f"{value:,.{self.decimals}f}".replace(",", " ")
        return text


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2 or 5 × 10ⁿ) up to at least ``maximum``."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(int(round(top / step)) + 1)]


def _text(x, y, content, *, anchor="start", size=FONT, weight="normal", fill="#1a1a1a") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(str(content))}</text>'
    )


def _short(label: str, limit: int = 34) -> str:
    """A category label cut to fit beside a bar (the table beside the chart has it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _open(chart: Chart, height: float) -> list[str]:
    label = escape(chart.title)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-label="{label}" class="baken-chart" '
        f'font-family="system-ui, sans-serif">',
        f"<title>{label}</title>",
    ]


def _legend(chart: Chart, y: float) -> list[str]:
    if len(chart.series) < 2:
        return []
    parts, x = [], 0.0
    for i, series in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 16, y, series.name))
        x += 28 + 7.5 * len(series.name)
        if x > WIDTH - 80:
            x, y = 0.0, y + 18
    return parts


def _legend_height(chart: Chart) -> float:
    if len(chart.series) < 2:
        return 0.0
    width = sum(28 + 7.5 * len(s.name) for s in chart.series)
    return 22.0 * (1 + int(width // (WIDTH - 80)))


def svg(chart: Chart) -> str:
    if chart.kind == "bars":
        return _bars(chart)
    if chart.kind == "columns":
        return _columns(chart)
    if chart.kind == "line":
        return _line(chart)
    raise ValueError(f"unknown chart kind {chart.kind!r}")


def _bars(chart: Chart) -> str:
    """Horizontal bars, grouped per category when there are several series."""
    n_series = max(len(chart.series), 1)
    bar, gap = 18.0, 10.0
    row = bar * n_series + gap
    label_width = min(max((len(_short(c)) for c in chart.categories), default=4) * 7.2 + 12, 260)
    legend = _legend_height(chart)
    height = legend + row * len(chart.categories) + 30
    top = legend
    maximum = max((v or 0 for s in chart.series for v in s.values), default=0)
    ticks = nice_ticks(maximum)
    plot = WIDTH - label_width - 60
    scale = plot / ticks[-1]
    parts = _open(chart, height) + _legend(chart, 14)
    for tick in ticks:
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top:.1f}" y2="{height - 24:.1f}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
        )
        parts.append(_text(x, height - 8, chart.format(tick), anchor="middle", size=11))
    for i, category in enumerate(chart.categories):
        y0 = top + i * row
        parts.append(_text(label_width - 8, y0 + row / 2 + 2, _short(category), anchor="end"))
        for j, series in enumerate(chart.series):
            value = series.values[i] or 0
            colour = PALETTE[j % len(PALETTE)]
            y = y0 + j * bar + gap / 2
            parts.append(
                f'<rect x="{label_width:.1f}" y="{y:.1f}" width="{value * scale:.1f}" '
                f'height="{bar - 2:.1f}" fill="{colour}"/>'
            )
            parts.append(
                _text(label_width + value * scale + 4, y + bar - 5, chart.format(series.values[i]))
            )
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class _Frame:
    """The plot area shared by column and line charts: y grid with values, month labels."""

    parts: list[str]
    base: float
    scale: float
    left: float
    slot: float


def _vertical_frame(chart: Chart, maximum: float, plot_height: float) -> _Frame:
    legend = _legend_height(chart)
    left, bottom = 48.0, 40.0
    top = legend + 10
    ticks = nice_ticks(maximum)
    scale = plot_height / ticks[-1]
    n = max(len(chart.categories), 1)
    slot = (WIDTH - left - 8) / n
    base = top + plot_height
    parts = _open(chart, legend + plot_height + bottom + 10) + _legend(chart, 14)
    for tick in ticks:
        y = base - tick * scale
        parts.append(
            f'<line x1="{left:.1f}" x2="{WIDTH - 4:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, chart.format(tick), anchor="end", size=11))
    every = max(1, math.ceil(n / 12))
    for i, category in enumerate(chart.categories):
        if i % every == 0:
            x = left + i * slot + slot / 2
            parts.append(_text(x, base + 16, category, anchor="middle", size=11))
    return _Frame(parts, base, scale, left, slot)


def _columns(chart: Chart) -> str:
    """Vertical columns, series stacked; the total is written above each column."""
    totals = [sum(s.values[i] or 0 for s in chart.series) for i in range(len(chart.categories))]
    frame = _vertical_frame(chart, max(totals, default=0), 220.0)
    parts, n = frame.parts, len(chart.categories)
    width = max(frame.slot * 0.7, 2)
    for i in range(n):
        x = frame.left + i * frame.slot + (frame.slot - width) / 2
        y = frame.base
        for j, series in enumerate(chart.series):
            value = series.values[i] or 0
            if value:
                h = value * frame.scale
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[j % len(PALETTE)]}"/>'
                )
        if totals[i] and n <= 24:
            parts.append(
                _text(x + width / 2, y - 4, chart.format(totals[i]), anchor="middle", size=11)
            )
    parts.append("</svg>")
    return "".join(parts)


def _line(chart: Chart) -> str:
    values = [v for s in chart.series for v in s.values if v is not None]
    frame = _vertical_frame(chart, max(values, default=0), 200.0)
    parts, left, slot, base, scale = frame.parts, frame.left, frame.slot, frame.base, frame.scale
    for j, series in enumerate(chart.series):
        colour = PALETTE[j % len(PALETTE)]
        points = [
            (left + i * slot + slot / 2, base - v * scale)
            for i, v in enumerate(series.values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)
