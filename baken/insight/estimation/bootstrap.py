"""Bootstrap intervals that repeat the whole model choice in every replicate (BCa).

Each replicate resamples the observed people (a multinomial draw over the observed cells with
the observed total), runs the same method (so the model chosen may differ per replicate) and
records the estimated hidden number. The bias-corrected and accelerated (BCa) interval of Efron
uses the share of replicates below the point estimate (bias) and a jackknife over people
(acceleration): leaving out one person of a cell gives the same table for everyone in that
cell, so one fit per non-empty cell suffices. Seeded for reproducibility. Pure numpy/scipy.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from numpy.typing import NDArray
from scipy.stats import norm

from baken.insight.estimation.table import CaptureTable

__all__ = ["bootstrap_interval"]

Floats = NDArray[np.float64]
HiddenOf = Callable[[CaptureTable], float | None]
#: Called with the number of replicates just done; what it returns is ignored (tqdm's ``update``).
Progress = Callable[[int], object]


def bootstrap_interval(
    table: CaptureTable,
    hidden_of: HiddenOf,
    point: float,
    *,
    replicates: int,
    seed: int | None,
    level: float = 0.95,
    progress: Progress | None = None,
    workers: int = 1,
) -> tuple[tuple[float, float] | None, list[str]]:
    """The BCa interval for the hidden number, and warnings (e.g. failed replicates)."""
    rng = np.random.default_rng(seed)
    total = int(round(table.counts.sum()))
    shares = table.counts / table.counts.sum()
    # All resamples are drawn here, in order, so the result depends on the seed only, not on
    # how many processes share the work.
    samples = rng.multinomial(total, shares, size=replicates).astype(float)
    hidden = _run(table, hidden_of, samples, workers=workers, progress=progress)
    failed = int(np.sum(~np.isfinite(hidden)))
    values = np.sort(hidden[np.isfinite(hidden)])
    warnings = []
    if failed:
        warnings.append(f"{failed} of {replicates} bootstrap replicates gave no estimate")
    if len(values) < max(10, replicates // 2):
        return None, [*warnings, "too few bootstrap replicates gave an estimate for an interval"]
    below = np.mean(values < point) + 0.5 * np.mean(values == point)
    z0 = norm.ppf(np.clip(below, 1e-6, 1 - 1e-6))
    acceleration = _jackknife_acceleration(table, hidden_of)
    alpha = (1 - level) / 2
    bounds = []
    for z_alpha in (norm.ppf(alpha), norm.ppf(1 - alpha)):
        adjusted = norm.cdf(z0 + (z0 + z_alpha) / (1 - acceleration * (z0 + z_alpha)))
        bounds.append(float(np.quantile(values, np.clip(adjusted, 0, 1))))
    return (bounds[0], bounds[1]), warnings


_JOB: tuple[CaptureTable, HiddenOf] | None = None  # (table, hidden_of) for forked workers


def _chunk(samples: Floats) -> Floats:
    if _JOB is None:
        raise RuntimeError("_chunk runs only inside _run, which sets the job")
    table, hidden_of = _JOB
    out = np.full(len(samples), np.nan)
    for i, counts in enumerate(samples):
        value = hidden_of(CaptureTable(table.lists, table.patterns, counts))
        if value is not None and np.isfinite(value):
            out[i] = value
    return out


def _run(
    table: CaptureTable,
    hidden_of: HiddenOf,
    samples: Floats,
    *,
    workers: int,
    progress: Progress | None,
) -> Floats:
    """Run ``hidden_of`` on every resample; with ``workers`` > 1 in forked processes (the
    command line and the benchmark; the web runs it as a background task)."""
    global _JOB
    _JOB = (table, hidden_of)
    chunks = np.array_split(samples, max(1, min(len(samples), workers * 8)))
    results: list[Floats] = []
    if workers <= 1:
        for chunk in chunks:
            results.append(_chunk(chunk))
            if progress is not None:
                progress(len(chunk))
        return np.concatenate(results)

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for chunk, result in zip(chunks, pool.map(_chunk, chunks), strict=True):
            results.append(result)
            if progress is not None:
                progress(len(chunk))
    return np.concatenate(results)


def _jackknife_acceleration(table: CaptureTable, hidden_of: HiddenOf) -> float:
    found: list[float] = []
    counted: list[float] = []
    for cell in np.flatnonzero(table.counts > 0):
        counts = table.counts.copy()
        counts[cell] -= 1
        hidden = hidden_of(CaptureTable(table.lists, table.patterns, counts))
        if hidden is None:
            continue
        found.append(hidden)
        counted.append(float(table.counts[cell]))
    if len(found) < 2:
        return 0.0
    estimates, weights = np.array(found), np.array(counted)
    mean = np.average(estimates, weights=weights)
    d = mean - estimates
    denominator = 6 * (np.sum(weights * d**2) ** 1.5)
    return float(np.sum(weights * d**3) / denominator) if denominator > 0 else 0.0
