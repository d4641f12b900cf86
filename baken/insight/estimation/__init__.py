"""Multiple systems estimation: how many people are on none of the lists?

``read_tables`` reads a capture table (CSV), ``estimate_table`` chooses a model and estimates,
optionally with a bootstrap interval. Used by ``baken estimate`` and the insight pages. Plain
numpy/scipy; no Django.
"""

from __future__ import annotations

from typing import Protocol, TypedDict

from baken.insight.estimation.bootstrap import Progress, bootstrap_interval
from baken.insight.estimation.model import Term, parse_terms
from baken.insight.estimation.select import METHODS, Estimate, Warm, estimate
from baken.insight.estimation.table import CaptureTable, TableError, read_tables

__all__ = ["METHODS", "CaptureTable", "Estimate", "TableError", "estimate_table", "read_tables"]


class ProgressBar(Protocol):
    """What ``estimate_table`` needs of a progress bar (a tqdm bar has it)."""

    def update(self, n: int, /) -> object: ...


class _Options(TypedDict):
    """The choice of model, the same on the data and on every bootstrap replicate."""

    method: str
    terms: list[Term]
    max_order: int
    p_threshold: float


def estimate_table(
    table: CaptureTable,
    *,
    method: str = "stepwise",
    model: str = "",
    max_order: int = 2,
    p_threshold: float = 0.02,
    bootstrap: int = 0,
    seed: int | None = None,
    progress: ProgressBar | None = None,
    workers: int = 1,
) -> Estimate:
    """Estimate with the chosen method; ``model`` ("A:B,B:C") is for ``method="fixed"``.

    With ``bootstrap`` replicates the interval is a BCa bootstrap interval that repeats the
    whole model choice in every replicate; without, fixed and main-effects models get a
    profile-likelihood interval and searched models none (an interval that ignores the search
    would be too narrow).
    """
    terms = parse_terms(model, table.lists) if model else []
    if model and method != "fixed":
        raise ValueError("--model goes with --method fixed")
    options: _Options = {
        "method": method,
        "terms": terms,
        "max_order": max_order,
        "p_threshold": p_threshold,
    }
    result = estimate(table, **options, interval=not bootstrap)
    if bootstrap and result.hidden is not None:
        warm: Warm = {}  # solutions on the data, to start each replicate's fits from

        def hidden_of(sample: CaptureTable) -> float | None:
            return estimate(sample, **options, interval=False, warm=warm).hidden

        tick: Progress | None = None
        if progress is not None:
            tick = progress.update
        result.interval, warnings = bootstrap_interval(
            table,
            hidden_of,
            result.hidden,
            replicates=bootstrap,
            seed=seed,
            progress=tick,
            workers=workers,
        )
        result.warnings += warnings
    return result
