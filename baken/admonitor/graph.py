"""The cluster graph: ads as numbered dots on a circle, links as lines coloured by their reason.

Drawn on the server as SVG (no script, nothing fetched). The list of ads with their reasons on
the same page says the same in words, for screen readers and for checking. Pure Python.
"""

from __future__ import annotations

import math
from html import escape

__all__ = ["KIND_COLOURS", "cluster_graph_svg"]

#: Okabe–Ito colours per kind of link.
KIND_COLOURS = {
    "phone": "#0072B2",
    "email": "#009E73",
    "handle": "#CC79A7",
    "image": "#E69F00",
    "text": "#56B4E9",
}
MAX_NODES = 80


def cluster_graph_svg(
    count: int, edges: list[tuple[int, int, str]], title: str, legend: dict[str, str]
) -> str:
    """``count`` ads numbered 1…count; ``edges`` as (from, to, kind) with those numbers."""
    if count < 2 or count > MAX_NODES:
        return ""
    size, margin = 420, 40
    radius = size / 2 - margin
    centre = size / 2
    points = {
        n: (
            centre + radius * math.cos(2 * math.pi * (n - 1) / count - math.pi / 2),
            centre + radius * math.sin(2 * math.pi * (n - 1) / count - math.pi / 2),
        )
        for n in range(1, count + 1)
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size + 30}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="baken-cluster-graph" '
        f'font-family="system-ui, sans-serif"><title>{escape(title)}</title>'
    ]
    for a, b, kind in edges:
        if a in points and b in points:
            (x1, y1), (x2, y2) = points[a], points[b]
            colour = KIND_COLOURS.get(kind, "#000000")
            dash = ' stroke-dasharray="5 3"' if kind == "text" else ""
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{colour}" stroke-width="2"{dash}/>'
            )
    node = 11 if count <= 40 else 8
    for n, (x, y) in points.items():
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{node}" fill="#ffffff" stroke="#1a1a1a"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="{node}">{n}</text>'
        )
    x = 0.0
    for kind, label in legend.items():
        colour = KIND_COLOURS.get(kind, "#000000")
        parts.append(
            f'<line x1="{x:.1f}" y1="{size + 18}" x2="{x + 18:.1f}" y2="{size + 18}" '
            f'stroke="{colour}" stroke-width="3"/>'
            f'<text x="{x + 22:.1f}" y="{size + 22}" font-size="12">{escape(label)}</text>'
        )
        x += 30 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)
