"""Fit many log-linear models of one table at once (for AIC/BIC searches and their bootstrap).

Every model of a search is a subset of the columns of one full design ``X`` (cells × terms). All
models are fitted together by Newton's method on arrays of shape (models, terms): the Hessians
``Xᵀ diag(μ) X`` of all models come from one matrix product with the per-cell outer products
``x xᵀ``, and excluded columns are held at zero by an identity block. A model that does not
converge here is handed back for the one-at-a-time fit (``model.fit``), which has step halving.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln

__all__ = ["fit_many"]

Floats = NDArray[np.float64]
Masks = NDArray[np.bool_]
#: Per-cell outer products (cells, terms²), and the keep and fill blocks (models, terms, terms).
_Layout = tuple[Floats, Floats, Floats]


def fit_many(
    X: Floats,
    y: Floats,
    masks: Masks,
    *,
    mains: int,
    start: Floats | None = None,
    max_iterations: int = 30,
    tolerance: float = 1e-7,
) -> tuple[Floats, Floats, Masks]:
    """Fit the Poisson log-linear model with columns ``masks[m]`` of ``X`` for every ``m``.

    Returns (beta of shape (models, terms) with zeros for excluded columns, log-likelihood per
    model, converged per model)."""
    models, terms = masks.shape
    outer, keep, fill = _layout(X, masks)
    if start is None:
        base = np.linalg.lstsq(X[:, : 1 + mains], np.log(np.maximum(y, 0.5)), rcond=None)[0]
        beta = np.zeros((models, terms))
        beta[:, : len(base)] = base
    else:
        beta = np.where(masks, start, 0.0)
    converged = np.zeros(models, dtype=bool)
    active = np.arange(models)  # models still moving; converged ones drop out of the batch
    for _ in range(max_iterations):
        b, keep_a, fill_a = beta[active], keep[active], fill[active]
        mu = np.exp(np.clip(b @ X.T, -700, 700))
        gradient = ((y - mu) @ X) * masks[active]
        hessian = (mu @ outer).reshape(len(active), terms, terms) * keep_a + fill_a
        try:
            step = np.linalg.solve(hessian, gradient[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            break
        beta[active] = b + step
        done = np.max(np.abs(step), axis=1) < tolerance
        converged[active[done]] = True
        active = active[~done]
        if not len(active):
            break
    eta = np.clip(beta @ X.T, -700, 700)
    mu = np.exp(eta)
    loglik = (y * eta - mu).sum(axis=1) - gammaln(y + 1).sum()
    converged &= np.isfinite(loglik)
    return beta, loglik, converged


_LAYOUTS: dict[tuple[bytes, bytes, tuple[int, ...], tuple[int, ...]], _Layout] = {}


def _layout(X: Floats, masks: Masks) -> _Layout:
    """The per-cell outer products and the masking blocks; the same for every replicate of a
    bootstrap, so kept (a few, by content)."""
    key = (X.tobytes(), masks.tobytes(), X.shape, masks.shape)
    found = _LAYOUTS.get(key)
    if found is None:
        terms = masks.shape[1]
        outer = np.einsum("ci,cj->cij", X, X).reshape(X.shape[0], terms * terms)
        keep = (masks[:, :, None] & masks[:, None, :]).astype(float)
        fill = np.einsum("mi,ij->mij", (~masks).astype(float), np.eye(terms))
        if len(_LAYOUTS) > 8:
            _LAYOUTS.clear()
        found = _LAYOUTS[key] = (outer, keep, fill)
    return found
