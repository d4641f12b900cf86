"""Multiple systems estimation at the sizes the insight issue names; prints time and peak memory.

    .venv/bin/python bench/estimation.py                  # the full jobs (1,000 replicates)
    .venv/bin/python bench/estimation.py --replicates 50  # quicker; times scale linearly

1. BIC over all hierarchical two-way models of a 5-list table (UK NRM 2013, five lists) with a
   BCa bootstrap of ``--replicates`` replicates, each repeating the whole search.
2. Stepwise (Chan, Silverman & Vincent) on an 8-list table (New Orleans) with the same bootstrap.
3. 50 strata of a 6-list table (UK NRM 2013, six lists, resampled per stratum), stepwise.
"""

from __future__ import annotations

import os

# One BLAS thread per process, before numpy loads (as baken/__init__.py does for `baken`).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from baken.insight.estimation import CaptureTable, estimate_table, read_tables  # noqa: E402

DATA = ROOT / "tests" / "data"


def table(name: str) -> CaptureTable:
    return read_tables((DATA / name).read_text())[()]


def peak_mb() -> float:
    """The largest resident size of this process or of any bootstrap worker it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def timed(label: str, job) -> None:
    start = time.perf_counter()
    result = job()
    seconds = time.perf_counter() - start
    print(f"{label:58s} {seconds:8.2f} s   peak {peak_mb():6.0f} MB   {result}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replicates", type=int, default=1000)
    parser.add_argument("--strata", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    n = args.replicates
    uk5, new_orleans, uk6 = (
        table("uk_nrm_2013_5lists.csv"),
        table("new_orleans.csv"),
        table("uk_nrm_2013.csv"),
    )

    def bic_job():
        found = estimate_table(uk5, method="bic", bootstrap=n, seed=1, workers=args.workers)
        return f"estimate {found.estimate:,.0f}, interval {found.interval}"

    def stepwise_job():
        found = estimate_table(
            new_orleans, method="stepwise", bootstrap=n, seed=1, workers=args.workers
        )
        return f"estimate {found.estimate:,.0f}, interval {found.interval}"

    def strata_job():
        rng = np.random.default_rng(1)
        shares = uk6.counts / uk6.counts.sum()
        estimates = []
        for _ in range(args.strata):
            counts = rng.multinomial(int(uk6.counts.sum()), shares).astype(float)
            stratum = CaptureTable(uk6.lists, uk6.patterns, counts)
            estimates.append(estimate_table(stratum, method="stepwise").estimate or 0)
        return f"median estimate {np.median(estimates):,.0f}"

    timed(f"BIC, all 2-way models, 5 lists, {n} bootstrap replicates", bic_job)
    timed(f"stepwise, 8 lists, {n} bootstrap replicates", stepwise_job)
    timed(f"stepwise, {args.strata} strata of a 6-list table", strata_job)


if __name__ == "__main__":
    main()
