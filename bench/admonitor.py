"""The ad monitor's linking: quality against ground truth, and speed and memory by size.

    .venv/bin/python bench/admonitor.py                       # quality at 100,000; 10k, 100k, 1M
    .venv/bin/python bench/admonitor.py --sizes 10000 100000  # without the million

Quality: a synthetic corpus (``baken.admonitor.engine.synthetic``, exact ground truth) is linked
and every pair of ads is scored: pairwise precision, recall and F1 of "same cluster" against
"same operator", and the share of ads whose phone numbers were all found and normalised.

Speed: for each size, a corpus is written to a JSON Lines file first (not timed), then linked as
``baken ads link`` does (reading and checking lines, extracting contact details, MinHash, LSH,
union–find), in a fresh process per size so that peak memory is that size's alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from baken.admonitor.engine.evaluation import pairwise_scores  # noqa: E402
from baken.admonitor.engine.pipeline import link_lines  # noqa: E402
from baken.admonitor.engine.synthetic import generate  # noqa: E402


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


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


def speed(size: int, workers: int) -> None:
    """Run in a child process: write the corpus, then time linking it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ads.jsonl"
        write_corpus(size, path, seed=size)
        before = peak_mb()
        start = time.perf_counter()
        with path.open(encoding="utf-8") as lines:
            run = link_lines(lines, workers=workers)
        seconds = time.perf_counter() - start
    clusters = len(run.linker.clusters())
    print(
        f"{size:>10,} ads  {seconds:8.1f} s  {size / seconds:8,.0f} ads/s  "
        f"peak {peak_mb():6,.0f} MB (before linking {before:,.0f} MB)  {clusters:,} clusters",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--quality-size", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--speed-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.speed_only:
        speed(args.speed_only, args.workers)
        return
    print(f"{os.cpu_count()} cores, {args.workers} worker processes for reading and preparing")
    quality(args.quality_size, args.workers)
    print("linking speed (a fresh process per size; the corpus is written before timing)")
    for size in args.sizes:
        subprocess.run(
            [sys.executable, __file__, "--speed-only", str(size), "--workers", str(args.workers)],
            check=True,
        )


if __name__ == "__main__":
    main()
