"""Pairwise precision, recall and F1 of a clustering against the truth (pure Python).

A pair of ads counts as *predicted* when the linker put them in one cluster and as *true* when
one operator placed both. Counting through a contingency table keeps it linear in the number of
ads rather than quadratic in pairs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

__all__ = ["PairScores", "pairwise_scores"]


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    predicted_pairs: int
    true_pairs: int


def pairwise_scores(predicted: dict[str, str], truth: dict[str, str]) -> PairScores:
    """``predicted`` and ``truth`` map each ad to its cluster and its operator."""
    keys = [k for k in truth if k in predicted]
    both = Counter((predicted[k], truth[k]) for k in keys)
    true_positive = sum(_pairs(n) for n in both.values())
    predicted_pairs = sum(_pairs(n) for n in Counter(predicted[k] for k in keys).values())
    true_pairs = sum(_pairs(n) for n in Counter(truth[k] for k in keys).values())
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(precision, recall, f1, predicted_pairs, true_pairs)
