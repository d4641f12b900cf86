"""The ad monitor's linking: quality against ground truth, and speed and memory by size.

    .venv/bin/python bench/admonitor.py                       # quality at 100,000; 10k, 100k, 1M
    .venv/bin/python bench/admonitor.py --sizes 10000 100000  # without the million

Quality: a synthetic corpus (``baken.admonitor.engine.synthetic``, exact ground truth) is linked
and every pair of ads is scored: pairwise precision, recall and F1 of "same cluster" against
"same operator", and the share of ads whose phone numbers were all found and normalised.

Speed: for each size, a corpus is written to a JSON Lines file first (not timed), then linked as
``baken ads link`` does (reading and checking lines, extracting contact details, MinHash, LSH,
union–find) in a fresh process, so that the peak memory printed is linking's alone (that
process and its worker processes together).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baken.admonitor.engine.evaluation import pairwise_scores  # noqa: E402
from baken.admonitor.engine.pipeline import link_lines  # noqa: E402
from baken.admonitor.engine.synthetic import generate  # noqa: E402


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as listing:
            return [int(p) for p in listing.read().split()]
    except OSError:
        return []


class MemoryWatch:
    """Peak resident memory of this process and its worker processes together, sampled every
    0.1 s from /proc (``ru_maxrss`` would count memory a parent held before this process was
    started, and not add the workers up)."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = _rss_kb(me) + sum(_rss_kb(c) for c in _children(me))
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def write_corpus(size: int, path: Path, seed: int):
    corpus = generate(size, seed=seed)
    with path.open("w", encoding="utf-8") as out:
        for record in corpus.records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return corpus


def quality(size: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ads.jsonl"
        corpus = write_corpus(size, path, seed=2026)
        with path.open(encoding="utf-8") as lines:
            run = link_lines(lines, workers=workers)
    predicted = {key: run.linker.cluster_of(key) for _, key in run.ads}
    scores = pairwise_scores(predicted, corpus.operator_of)
    phones_right = sum(1 for _, key in run.ads if run.phones[key] == corpus.phones_of[key])
    operators = sum(1 for kind in corpus.kind_of.values() if kind == "operator")
    print(
        f"quality on {size:,} ads ({operators:,} operators, "
        f"{len(corpus.kind_of) - operators:,} independent advertisers)"
    )
    print(
        f"  pairwise precision {scores.precision:.4f}  recall {scores.recall:.4f}  "
        f"F1 {scores.f1:.4f}  ({scores.true_pairs:,} true pairs)"
    )
    print(
        f"  phone numbers right in {phones_right / len(run.ads):.2%} of ads; "
        f"{len(run.linker.shared)} identifiers found widely shared "
        f"({len(corpus.shared_numbers)} shared numbers and {len(corpus.stock_images)} stock "
        "photos planted)",
        flush=True,
    )


def speed(size: int, path: Path, workers: int) -> None:
    """Run in a child process of its own, so that its peak memory is linking's alone."""
    with MemoryWatch() as memory:
        start = time.perf_counter()
        with path.open(encoding="utf-8") as lines:
            run = link_lines(lines, workers=workers)
        seconds = time.perf_counter() - start
    clusters = len(run.linker.clusters())
    print(
        f"{size:>10,} ads  {seconds:8.1f} s  {size / seconds:8,.0f} ads/s  "
        f"peak {memory.peak_mb:6,.0f} MB  {clusters:,} clusters",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--quality-size", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--speed-only", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_only:
        speed(args.speed_only, args.file, args.workers)
        return
    print(f"{os.cpu_count()} cores, {args.workers} worker processes for reading and preparing")
    quality(args.quality_size, args.workers)
    print("linking speed (a fresh process per size; the corpus is written before timing)")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ads.jsonl"
            write_corpus(size, path, seed=size)
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--speed-only",
                    str(size),
                    "--file",
                    str(path),
                    "--workers",
                    str(args.workers),
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
