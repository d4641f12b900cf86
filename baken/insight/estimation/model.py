"""Poisson log-linear models for a capture table, with the existence and identifiability checks
of Chan, Silverman & Vincent (2021) and the extended maximum-likelihood estimate.

A model has an intercept, a main effect per list, and interaction terms (tuples of list
indices, e.g. ``(0, 2)`` for A:C). The intercept's fitted value ``exp(b0)`` is the estimate of
the unobserved cell: the people on no list.

Where the maximum-likelihood estimate does not exist (typically two lists that never overlap
while the model has their interaction), plain IRLS drifts: the interaction runs off to −∞ and
the fitted counts of the cells on both lists to zero. Following Fienberg & Rinaldo, a linear
program finds those cells (the "facial set" complement); the extended MLE fits them as zero and
fits the rest with the parameters that remain identifiable. Chan, Silverman & Vincent use the
same linear program, plus the rank of the design, to decide which models to admit at all.

Pure numpy/scipy, no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq, linprog
from scipy.special import gammaln
from scipy.stats import chi2

from baken.insight.estimation.table import CaptureTable

__all__ = ["Fit", "fit", "design", "check_model", "term_name", "parse_terms"]

Term = tuple[int, ...]
Floats = NDArray[np.float64]
Cells = NDArray[np.bool_]  # a boolean mask over the cells (patterns) of a table
Indices = NDArray[np.intp]
TOLERANCE = 1e-7


def term_name(term: Term, lists: tuple[str, ...]) -> str:
    return ":".join(lists[i] for i in term)


def parse_terms(text: str, lists: tuple[str, ...]) -> list[Term]:
    """``"A:B,B:C"`` → ``[(0, 1), (1, 2)]`` with the table's column names."""
    terms: list[Term] = []
    for part in filter(None, (piece.strip() for piece in (text or "").split(","))):
        names = [name.strip() for name in part.split(":")]
        unknown = [name for name in names if name not in lists]
        if unknown:
            raise ValueError(f"the model names a list that is not in the table: {unknown[0]}")
        if len(names) < 2 or len(set(names)) != len(names):
            raise ValueError(f"{part!r} is not an interaction of two or more different lists")
        terms.append(tuple(sorted(lists.index(name) for name in names)))
    return sorted(set(terms), key=lambda t: (len(t), t))


def design(patterns: NDArray[np.int8], terms: list[Term]) -> Floats:
    """Columns: intercept, one main effect per list, then each interaction (product)."""
    n, k = patterns.shape
    columns = [np.ones(n), *(patterns[:, j].astype(float) for j in range(k))]
    for term in terms:
        columns.append(np.prod(patterns[:, list(term)], axis=1).astype(float))
    return np.column_stack(columns)


@dataclass
class Fit:
    terms: list[Term]
    hidden: float | None  # estimate of the unobserved cell; None if not identifiable
    loglik: float
    parameters: int  # identifiable parameters actually fitted
    fitted: Floats
    exists: bool  # the ordinary MLE exists (else this is the extended MLE)
    zero_cells: Cells  # cells fitted as zero by the extended MLE
    warnings: list[str] = field(default_factory=list)
    beta: Floats | None = None
    kept_columns: Indices | None = None

    def aic(self) -> float:
        return -2 * self.loglik + 2 * self.parameters

    def bic(self, observed: float) -> float:
        return -2 * self.loglik + self.parameters * math.log(max(observed, 1.0))


def _float64(values: NDArray[np.floating[Any]]) -> Floats:
    """numpy's stubs type the results of ``solve`` and ``lstsq`` as any float; on float64 input
    they are float64, and this returns them as they are (no copy)."""
    return np.asarray(values, dtype=np.float64)


def _poisson_irls(
    X: Floats, y: Floats, offset: Floats | None = None, beta: Floats | None = None
) -> tuple[Floats, Floats, bool]:
    """Newton–Raphson (IRLS) for a Poisson GLM with log link, with step halving."""
    offset = np.zeros(len(y)) if offset is None else offset
    if beta is None:
        start = np.log(np.maximum(y, 0.5)) - offset
        beta = _float64(np.linalg.lstsq(X, start, rcond=None)[0])

    def deviance_of(b: Floats) -> tuple[float, Floats]:
        eta = np.clip(X @ b + offset, -700, 700)
        mu = np.exp(eta)
        return float(2 * np.sum(mu - y * eta)), mu

    current, mu = deviance_of(beta)
    for _ in range(200):
        gradient = X.T @ (y - mu)
        hessian = (X * mu[:, None]).T @ X
        try:
            step = _float64(np.linalg.solve(hessian, gradient))
        except np.linalg.LinAlgError:
            step = _float64(np.linalg.lstsq(hessian, gradient, rcond=None)[0])
        scale = 1.0
        while True:
            candidate = beta + scale * step
            value, candidate_mu = deviance_of(candidate)
            if value <= current + 1e-12 or scale < 1e-8:
                break
            scale /= 2
        beta, mu = candidate, candidate_mu
        converged = abs(current - value) < 1e-10 * (1 + abs(value))
        current = value
        if converged and np.max(np.abs(scale * step)) < 1e-8:
            return beta, mu, True
    return beta, mu, False


def _cells_forced_to_zero(X: Floats, y: Floats) -> Cells:
    """The zero-count cells that every maximising sequence sends to zero (boolean mask).

    Linear program (Fienberg & Rinaldo; Chan, Silverman & Vincent): find b with X b = 0 on
    the cells with a count and X b ≤ 0 on the zero cells, maximising Σ min(−X b, 1) over the
    zero cells. A positive optimum means the MLE does not exist; the cells where −X b > 0 are
    fitted as zero. Repeated until nothing more is found, so the set is the largest one.
    """
    zero = y == 0
    forced = np.zeros(len(y), dtype=bool)
    if not zero.any():
        return forced
    while True:
        free = zero & ~forced
        if not free.any():
            return forced
        positive = ~zero
        p = X.shape[1]
        nz = int(free.sum())
        # variables: b (p, free), t (nz, in [0, 1]); maximise Σ t  ⇔  minimise −Σ t
        c = np.concatenate([np.zeros(p), -np.ones(nz)])
        A_eq = [np.hstack([X[positive], np.zeros((int(positive.sum()), nz))])]
        b_eq = [np.zeros(int(positive.sum()))]
        A_eq.append(np.hstack([X[free], np.eye(nz)]))  # X b + t = 0 on the free zero cells
        b_eq.append(np.zeros(nz))
        bounds = [(None, None)] * p + [(0, 1)] * nz
        result = linprog(
            c,
            A_eq=np.vstack(A_eq),
            b_eq=np.concatenate(b_eq),
            bounds=bounds,
            method="highs",
        )
        if not result.success or -result.fun < TOLERANCE:
            return forced
        t = result.x[p:]
        newly = np.flatnonzero(free)[t > 1e-6]
        if len(newly) == 0:
            return forced
        forced[newly] = True


def _independent_columns(X: Floats) -> Indices:
    """Indices of a maximal set of linearly independent columns, earlier columns first."""
    if np.linalg.matrix_rank(X, tol=1e-9) == X.shape[1]:
        return np.arange(X.shape[1])
    kept: list[int] = []
    for j in range(X.shape[1]):
        trial = kept + [j]
        if np.linalg.matrix_rank(X[:, trial], tol=1e-9) == len(trial):
            kept.append(j)
    return np.array(kept, dtype=int)


def check_model(table: CaptureTable, terms: list[Term]) -> tuple[bool, bool]:
    """(MLE exists, parameters identifiable): the two checks of Chan, Silverman & Vincent."""
    X = design(table.patterns, terms)
    exists = not _cells_forced_to_zero(X, table.counts).any()
    identifiable = np.linalg.matrix_rank(X, tol=1e-9) == X.shape[1]
    return exists, identifiable


def _loglik(y: Floats, mu: Floats) -> float:
    positive = mu > 0
    return float(
        np.sum(y[positive] * np.log(mu[positive]) - mu[positive] - gammaln(y[positive] + 1))
        - np.sum(gammaln(y[~positive] + 1))
    )


def fit(table: CaptureTable, terms: list[Term], *, exists: bool | None = None) -> Fit:
    """Fit the model; where the MLE does not exist, the extended MLE. ``exists=True`` skips
    the linear program when the caller already knows the MLE exists."""
    X = design(table.patterns, terms)
    y = table.counts
    forced = np.zeros(len(y), dtype=bool) if exists else _cells_forced_to_zero(X, y)
    keep = ~forced
    Xk = X[keep]
    columns = _independent_columns(Xk)
    warnings: list[str] = []
    exists = not forced.any()
    if not exists:
        first_term = 1 + len(table.lists)  # interaction columns follow intercept and mains
        involved: Cells = np.any(X[forced][:, first_term:], axis=0)
        names = sorted(
            term_name(t, table.lists) for t, hit in zip(terms, involved, strict=True) if hit
        )
        warnings.append(
            "the maximum-likelihood estimate does not exist for this model: "
            f"{int(forced.sum())} cell(s) fitted as zero"
            + (f" (involving {', '.join(names)}, which goes to −∞)" if names else "")
        )
    intercept_identifiable = 0 in columns and np.linalg.matrix_rank(
        np.vstack([Xk, np.eye(X.shape[1])[0]]), tol=1e-9
    ) == np.linalg.matrix_rank(Xk, tol=1e-9)
    beta, mu_kept, converged = _poisson_irls(Xk[:, columns], y[keep])
    if not converged:
        warnings.append("the fit did not converge")
    fitted = np.zeros(len(y))
    fitted[keep] = mu_kept
    hidden = float(np.exp(beta[0])) if intercept_identifiable else None
    if hidden is None:
        warnings.append("the number of people on no list is not identifiable under this model")
    return Fit(
        terms=list(terms),
        hidden=hidden,
        loglik=_loglik(y, fitted),
        parameters=len(columns),
        fitted=fitted,
        exists=exists,
        zero_cells=forced,
        warnings=warnings,
        beta=beta,
        kept_columns=columns,
    )


def profile_interval(
    table: CaptureTable, result: Fit, level: float = 0.95
) -> tuple[float, float] | None:
    """Profile-likelihood interval for the unobserved cell under a fixed model: the values of
    exp(b0) whose profile deviance is within the chi-squared(1) quantile of the best."""
    if result.hidden is None or result.beta is None:
        return None
    X = design(table.patterns, result.terms)[~result.zero_cells][:, result.kept_columns]
    y = table.counts[~result.zero_cells]
    limit = float(chi2.ppf(level, 1))
    best = result.loglik
    others = X[:, 1:]
    b0 = float(result.beta[0])

    def drop(c: float) -> float:
        offset = np.full(len(y), c)
        if others.shape[1]:
            _beta, mu, _ok = _poisson_irls(others, y, offset=offset)
        else:
            mu = np.exp(offset)
        full = np.zeros(len(table.counts))
        full[~result.zero_cells] = mu
        return 2 * (best - _loglik(table.counts, full)) - limit

    def search(direction: int) -> float | None:
        width = 0.05
        for _ in range(60):
            edge = b0 + direction * width
            if drop(edge) > 0:
                return float(brentq(drop, min(b0, edge), max(b0, edge), xtol=1e-10))
            width *= 1.6
            if width > 50:
                return None
        return None

    low, high = search(-1), search(1)
    if low is None or high is None:
        return None
    return float(np.exp(low)), float(np.exp(high))
