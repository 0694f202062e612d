"""Seeded bootstrap over documents: confidence intervals and paired comparisons.

Every corpus-level figure here is a function of the column sums of a per-document
contribution matrix C (n documents x k columns: counts, or value/defined pairs for means over
documents). A replicate draws n document indices with replacement from numpy's PCG64 generator
seeded with `seed` and sums their rows, so intervals are reproducible to the last digit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

SAMPLES = 1000
SEED = 0
COUNTED = 500_000  # draws counted at once when making the multiplicity matrix

Statistic = Callable[[np.ndarray], np.ndarray]  # (..., k) sums -> (...) values, nan = undefined


def replicate_sums(contrib: np.ndarray, samples: int = SAMPLES, seed: int = SEED) -> np.ndarray:
    """Column sums of `samples` bootstrap resamples of the rows of `contrib` (samples x k).

    Replicates are drawn in chunks: the document multiplicities of a chunk form a matrix W
    (chunk x n) and the sums are W @ contrib, one matrix product per chunk (its shape fixes
    the floating-point digits of the sums). W is filled a few replicates at a time, each
    drawn and counted while its counters stay in the CPU cache: at 100,000 documents this is
    twice as fast as drawing and counting a whole chunk at once, and numpy's generator gives
    the same stream however the draws are split, so no digit changes.
    """
    n = contrib.shape[0]
    rng = np.random.default_rng(seed)
    out = np.empty((samples, contrib.shape[1]), dtype=float)
    chunk = max(1, min(samples, 20_000_000 // max(n, 1)))
    step = max(1, COUNTED // max(n, 1))
    weights = np.empty((chunk, n), dtype=float)
    for first in range(0, samples, chunk):
        rows = min(chunk, samples - first)
        for i in range(0, rows, step):
            block = rng.integers(0, n, size=(min(step, rows - i), n))
            flat = (block + (np.arange(len(block)) * n)[:, None]).ravel()
            counted = np.bincount(flat, minlength=block.size)
            weights[i : i + len(block)] = counted.reshape(block.shape)
        out[first : first + rows] = weights[:rows] @ contrib
    return out


def interval(values: np.ndarray) -> list[float] | None:
    """The 2.5th and 97.5th percentiles of the defined (non-nan) replicate values."""
    defined = values[~np.isnan(values)]
    if defined.size == 0:
        return None
    return [float(np.percentile(defined, 2.5)), float(np.percentile(defined, 97.5))]


def confidence_intervals(
    contrib: np.ndarray,
    statistics: dict[str, Statistic],
    samples: int = SAMPLES,
    seed: int = SEED,
) -> dict[str, list[float] | None]:
    """Percentile bootstrap 95% interval of each named statistic."""
    if contrib.shape[0] == 0:
        return {name: None for name in statistics}
    sums = replicate_sums(contrib, samples, seed)
    return {name: interval(stat(sums)) for name, stat in statistics.items()}


def paired_bootstrap(
    contrib_a: np.ndarray,
    contrib_b: np.ndarray,
    statistic: Statistic,
    samples: int = SAMPLES,
    seed: int = SEED,
) -> dict[str, Any]:
    """statistic(A) - statistic(B) over the same documents, its 95% interval and p-value.

    Both systems are resampled with the same document indices (rows must be aligned). The
    two-sided p-value tests "no difference" by the shifted bootstrap (Efron & Tibshirani 1993,
    sec. 16.4): the share of replicates whose difference lies at least |observed| away from
    the observed difference, as (1 + count) / (1 + defined replicates).
    """
    if contrib_a.shape[0] != contrib_b.shape[0] or contrib_a.shape[0] == 0:
        raise ValueError("paired bootstrap needs the same non-empty documents on both sides")
    k = contrib_a.shape[1]
    joint = np.hstack([contrib_a, contrib_b])
    a = float(statistic(contrib_a.sum(axis=0)))
    b = float(statistic(contrib_b.sum(axis=0)))
    if np.isnan(a) or np.isnan(b):
        raise ValueError("the statistic is undefined on these documents")
    observed = a - b
    sums = replicate_sums(joint, samples, seed)
    diffs = statistic(sums[:, :k]) - statistic(sums[:, k:])
    diffs = diffs[~np.isnan(diffs)]
    extreme = int(np.sum(np.abs(diffs - observed) >= abs(observed) - 1e-12))
    return {
        "difference": observed,
        "a": a,
        "b": b,
        "ci95": interval(diffs),
        "p_value": (1 + extreme) / (1 + diffs.size),
        "samples": int(diffs.size),
        "seed": seed,
    }
