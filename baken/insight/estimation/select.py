"""Model choice: fixed, main effects, AIC or BIC over all hierarchical models, greedy downhill
search, and the stepwise rule of Chan, Silverman & Vincent (2021).

``estimate()`` is the one entry point: it returns an ``Estimate`` with the observed total, the
estimated hidden and total number, the chosen interactions and any warnings. Pure numpy/scipy.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np
from numpy.typing import NDArray
from scipy.stats import poisson

from baken.insight.estimation.batch import fit_many
from baken.insight.estimation.model import (
    Fit,
    Term,
    check_model,
    design,
    fit,
    profile_interval,
    term_name,
)
from baken.insight.estimation.table import CaptureTable

__all__ = ["Estimate", "EstimateSummary", "Warm", "estimate", "METHODS"]

METHODS = ("fixed", "main", "aic", "bic", "downhill", "stepwise")
#: An exhaustive search fits 2**terms models; beyond this it is refused (use downhill/stepwise).
MAX_EXHAUSTIVE_TERMS = 15

#: Solutions of the batched two-way search by its candidate pairs, to start later fits from.
Warm = dict[tuple[Term, ...], NDArray[np.float64]]


class EstimateSummary(TypedDict):
    """``Estimate.as_dict()``: the numbers rounded, the interval on the total."""

    observed: int
    estimate: float | None
    hidden: float | None
    interval: list[float] | None
    method: str
    model: list[str]
    warnings: list[str]


@dataclass
class Estimate:
    observed: int
    hidden: float | None
    method: str
    model: list[str]
    warnings: list[str] = field(default_factory=list)
    interval: tuple[float, float] | None = None
    fit: Fit | None = None

    @property
    def estimate(self) -> float | None:
        return None if self.hidden is None else self.observed + self.hidden

    def as_dict(self) -> EstimateSummary:
        interval = None
        if self.interval is not None:
            interval = [
                round(self.observed + self.interval[0], 1),
                round(self.observed + self.interval[1], 1),
            ]
        return {
            "observed": self.observed,
            "estimate": None if self.estimate is None else round(self.estimate, 1),
            "hidden": None if self.hidden is None else round(self.hidden, 1),
            "interval": interval,
            "method": self.method,
            "model": self.model,
            "warnings": self.warnings,
        }


def _pairs(k: int) -> list[Term]:
    return list(itertools.combinations(range(k), 2))


def _hierarchical_terms(k: int, max_order: int) -> list[Term]:
    return [t for order in range(2, max_order + 1) for t in itertools.combinations(range(k), order)]


def _is_hierarchical(terms: set[Term]) -> bool:
    return all(
        sub in terms
        for term in terms
        if len(term) > 2
        for sub in itertools.combinations(term, len(term) - 1)
    )


def _admissible(table: CaptureTable, terms: list[Term]) -> bool:
    # A term whose lists never appear together sends the MLE to the boundary: no LP needed.
    if any(table.pair_overlap(*term[:2]) == 0 and len(term) == 2 for term in terms):
        return False
    exists, identifiable = check_model(table, terms)
    return exists and identifiable


def _criterion(result: Fit, table: CaptureTable, name: str) -> float:
    return result.aic() if name == "aic" else result.bic(table.counts.sum())


class _Admissibility:
    """Existence of the MLE is monotone in the model: if it fails for a model it fails for
    every larger one (the failing direction keeps working with the new terms at zero), and if
    it holds for a model it holds for every smaller one. So the linear program only runs at the
    frontier. Models are bit masks over the candidate terms, so subset tests are cheap."""

    def __init__(self, table: CaptureTable, candidates: list[Term]) -> None:
        self.table = table
        self.bit = {term: 1 << i for i, term in enumerate(candidates)}
        self.failing: list[int] = []
        self.passing: list[int] = []

    def seed(self, candidates: list[Term]) -> None:
        """Test each term alone, then the largest model without the failing ones: when that
        one exists, every model the search may meet is known to exist."""
        for term in candidates:
            self([term])
        largest = [
            t for t in candidates if not any(bad & ~self.bit[t] == 0 for bad in self.failing)
        ]
        if largest:
            self(largest)

    def __call__(self, terms: list[Term]) -> bool:
        key = 0
        for term in terms:
            key |= self.bit[term]
        if any(bad & ~key == 0 for bad in self.failing):
            return False
        known_to_exist = any(key & ~good == 0 for good in self.passing)
        X = design(self.table.patterns, terms)
        identifiable = bool(np.linalg.matrix_rank(X, tol=1e-9) == X.shape[1])
        if not known_to_exist:
            exists, _identifiable = check_model(self.table, terms)
            if not exists:
                self.failing.append(key)
                return False
            self.passing = [good for good in self.passing if good & ~key != 0] + [key]
        return identifiable


def _search_pairs_batched(
    table: CaptureTable, name: str, warm: Warm | None = None
) -> tuple[Fit, list[str]] | None:
    """All two-way models at once (``batch.fit_many``). Pairs that never overlap make the MLE
    fail in every model that has them; if the largest model of the other pairs passes the
    checks, every smaller one does (monotone), so one linear program covers the search.
    Returns None when that shortcut does not apply. ``warm`` (a dict the caller keeps, e.g.
    across bootstrap replicates) holds earlier solutions to start Newton's method from, which
    cuts the iterations from about twelve to three."""
    k = len(table.lists)
    pairs = _pairs(k)
    usable = [pair for pair in pairs if table.pair_overlap(*pair) > 0]
    if len(usable) > MAX_EXHAUSTIVE_TERMS:
        return None
    exists, identifiable = check_model(table, usable)
    if not (exists and identifiable):
        return None
    X = design(table.patterns, usable)
    n = len(usable)
    codes = np.arange(2**n)
    chosen = ((codes[:, None] >> np.arange(n)) & 1).astype(bool)
    masks = np.hstack([np.ones((len(codes), 1 + k), dtype=bool), chosen])
    key = tuple(usable)
    start = warm.get(key) if warm is not None else None
    beta, loglik, converged = fit_many(X, table.counts, masks, mains=k, start=start)
    if warm is not None and start is None:
        warm[key] = beta
    parameters = masks.sum(axis=1)
    penalty = 2.0 if name == "aic" else math.log(max(table.counts.sum(), 1.0))
    values = -2 * loglik + penalty * parameters
    for index in np.flatnonzero(~converged):  # the careful one-at-a-time fit
        terms = [usable[j] for j in range(n) if chosen[index, j]]
        values[index] = _criterion(fit(table, terms, exists=True), table, name)
    best = int(np.argmin(values))
    terms = [usable[j] for j in range(n) if chosen[best, j]]
    warnings: list[str] = []
    left_out = 2 ** len(pairs) - 2**n
    if left_out:
        warnings.append(
            f"{left_out} model(s) left out because their estimate does not exist or is not "
            "identifiable"
        )
    return fit(table, terms, exists=True), warnings


def _search_all(
    table: CaptureTable,
    name: str,
    max_order: int,
    *,
    batched: bool = True,
    warm: Warm | None = None,
) -> tuple[Fit | None, list[str]]:
    """The model with the lowest criterion, or None when no model passes the checks (e.g. a
    list nobody is on: even the main-effects model has no estimate)."""
    if batched and max_order == 2:
        found = _search_pairs_batched(table, name, warm)
        if found is not None:
            return found
    candidates = _hierarchical_terms(len(table.lists), max_order)
    if len(candidates) > MAX_EXHAUSTIVE_TERMS:
        raise ValueError(
            f"an exhaustive search over {len(candidates)} interaction terms (2^{len(candidates)} "
            "models) is not feasible; use --method downhill or stepwise, or a lower --max-order"
        )
    admissible = _Admissibility(table, candidates)
    admissible.seed(candidates)
    best: Fit | None = None
    best_value, skipped = math.inf, 0
    for size in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, size):
            terms = set(subset)
            if not _is_hierarchical(terms):
                continue
            terms_list = sorted(terms, key=lambda t: (len(t), t))
            if not admissible(terms_list):
                skipped += 1
                continue
            result = fit(table, terms_list, exists=True)
            value = _criterion(result, table, name)
            if value < best_value - 1e-9:
                best, best_value = result, value
    warnings: list[str] = []
    if skipped:
        warnings.append(
            f"{skipped} model(s) left out because their estimate does not exist or is not "
            "identifiable"
        )
    return best, warnings


def _downhill(table: CaptureTable, max_order: int) -> tuple[Fit, list[str]]:
    """From main effects, repeatedly add or remove the one term that lowers AIC most."""
    candidates = _hierarchical_terms(len(table.lists), max_order)
    current: set[Term] = set()
    current_fit = fit(table, [])
    current_value = current_fit.aic()
    while True:
        best: tuple[set[Term], Fit] | None = None
        best_value = current_value
        moves = [current | {t} for t in candidates if t not in current] + [
            current - {t} for t in current
        ]
        for terms in moves:
            if not _is_hierarchical(terms):
                continue
            ordered = sorted(terms, key=lambda t: (len(t), t))
            if not _admissible(table, ordered):
                continue
            result = fit(table, ordered)
            if result.aic() < best_value - 1e-9:
                best, best_value = (terms, result), result.aic()
        if best is None:
            return current_fit, []
        (current, current_fit), current_value = best, best_value


def _stepwise(table: CaptureTable, threshold: float) -> tuple[Fit, list[str]]:
    """Chan, Silverman & Vincent (2021): from main effects, for every pair of lists not yet in
    the model whose addition passes the existence and identifiability checks, compare the
    number of people on both lists with its Poisson distribution under the current fit; take
    the smaller tail probability; add the pair with the smallest one while it is below
    ``threshold``."""
    terms: list[Term] = []
    current = fit(table, terms)
    while True:
        best_pair, best_p = None, threshold
        for a, b in _pairs(len(table.lists)):
            if (a, b) in terms:
                continue
            trial = sorted([*terms, (a, b)])
            if not _admissible(table, trial):
                continue
            both = (table.patterns[:, a] == 1) & (table.patterns[:, b] == 1)
            expected = float(current.fitted[both].sum())
            seen = float(table.counts[both].sum())
            upper = poisson.sf(seen - 1, expected)  # P(X >= seen)
            lower = poisson.cdf(seen, expected)  # P(X <= seen)
            p_value = min(upper, lower)
            if p_value < best_p:
                best_pair, best_p = (a, b), p_value
        if best_pair is None:
            return current, []
        terms = sorted([*terms, best_pair])
        current = fit(table, terms)


def _pairs_apart(table: CaptureTable) -> list[Term]:
    return [pair for pair in _pairs(len(table.lists)) if table.pair_overlap(*pair) == 0]


def _overlap_warnings(table: CaptureTable, apart: list[Term]) -> list[str]:
    warnings: list[str] = []
    if apart:
        names = [f"{table.lists[a]} and {table.lists[b]}" for a, b in apart]
        warnings.append("lists that never overlap: " + "; ".join(names))
    if len(apart) == len(_pairs(len(table.lists))):
        warnings.append(
            "no person is on more than one list: without overlap there is nothing to estimate "
            "the people on no list from"
        )
    return warnings


def estimate(
    table: CaptureTable,
    *,
    method: str = "stepwise",
    terms: list[Term] | None = None,
    max_order: int = 2,
    p_threshold: float = 0.02,
    interval: bool = True,
    warm: Warm | None = None,
) -> Estimate:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    apart = _pairs_apart(table)
    warnings = _overlap_warnings(table, apart)
    if table.counts.sum() == 0:
        return Estimate(
            observed=0,
            hidden=None,
            method=method,
            model=[],
            warnings=[*warnings, "the table is empty"],
        )
    no_overlap = len(apart) == len(_pairs(len(table.lists)))
    result: Fit | None  # None only when a search finds no model that passes the checks
    extra: list[str]
    if method == "fixed":
        result, extra = fit(table, terms or []), []
    elif method == "main":
        result, extra = fit(table, []), []
    elif method in ("aic", "bic"):
        result, extra = _search_all(table, method, max_order, warm=warm)
    elif method == "downhill":
        result, extra = _downhill(table, max_order)
    else:
        result, extra = _stepwise(table, p_threshold)
    warnings += extra + (result.warnings if result else [])
    hidden = None if result is None or no_overlap else result.hidden
    found = Estimate(
        observed=table.observed,
        hidden=hidden,
        method=method,
        model=[term_name(t, table.lists) for t in (result.terms if result else [])],
        warnings=warnings,
        fit=result,
    )
    if interval and result is not None and hidden is not None and method in ("fixed", "main"):
        found.interval = profile_interval(table, result)
    return found
