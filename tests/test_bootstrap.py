"""Bootstrap intervals and paired comparisons: seeded, sensible, symmetric."""

from __future__ import annotations

import numpy as np
import pytest

from corpus.eval.bootstrap import confidence_intervals, paired_bootstrap, replicate_sums


def mean_stat(sums: np.ndarray) -> np.ndarray:
    return sums[..., 0] / sums[..., 1]


def test_same_seed_same_numbers() -> None:
    contrib = np.column_stack([np.arange(50) % 7, np.ones(50)]).astype(float)
    a = confidence_intervals(contrib, {"m": mean_stat}, samples=200, seed=3)
    b = confidence_intervals(contrib, {"m": mean_stat}, samples=200, seed=3)
    assert a == b


def test_replicates_resample_whole_documents() -> None:
    contrib = np.column_stack([np.arange(10), np.ones(10)]).astype(float)
    sums = replicate_sums(contrib, samples=100, seed=0)
    assert np.all(sums[:, 1] == 10)  # n documents drawn each time


def test_interval_brackets_the_estimate() -> None:
    rng = np.random.default_rng(1)
    contrib = np.column_stack([rng.random(200), np.ones(200)])
    [lo, hi] = confidence_intervals(contrib, {"m": mean_stat})["m"]
    estimate = contrib[:, 0].mean()
    assert lo < estimate < hi and hi - lo < 0.2


def test_identical_systems_differ_by_nothing() -> None:
    contrib = np.column_stack([np.arange(30) % 4, np.ones(30)]).astype(float)
    out = paired_bootstrap(contrib, contrib.copy(), mean_stat)
    assert out["difference"] == 0 and out["ci95"] == [0, 0] and out["p_value"] == 1.0


def test_clearly_better_system_is_significant_and_swap_is_symmetric() -> None:
    rng = np.random.default_rng(2)
    base = rng.random(100)
    a = np.column_stack([base + 0.3, np.ones(100)])
    b = np.column_stack([base, np.ones(100)])
    ab, ba = paired_bootstrap(a, b, mean_stat), paired_bootstrap(b, a, mean_stat)
    assert ab["difference"] == pytest.approx(0.3) and ab["p_value"] < 0.01
    assert ba["difference"] == pytest.approx(-0.3)
    assert ba["ci95"] == pytest.approx([-ab["ci95"][1], -ab["ci95"][0]])


def test_noise_is_not_significant() -> None:
    rng = np.random.default_rng(3)
    a = np.column_stack([rng.random(100), np.ones(100)])
    b = np.column_stack([rng.random(100), np.ones(100)])
    assert paired_bootstrap(a, b, mean_stat)["p_value"] > 0.05


@pytest.mark.parametrize("n", [1, 37, 20_001])  # 20,001: two chunks, 999 and 1 replicates
def test_replicate_sums_equal_the_textbook_resampling(n: int) -> None:
    """Replicate r sums the rows of the documents drawn r-th, with the same draws as one call
    to the seeded generator; float sums keep the digits of one product per chunk."""
    rng = np.random.default_rng(5)
    samples = 1000
    contrib = rng.integers(0, 9, size=(n, 4)).astype(float)
    draws = np.random.default_rng(11).integers(0, n, size=(samples, n))
    expected = np.stack([contrib[d].sum(axis=0) for d in draws])
    np.testing.assert_array_equal(replicate_sums(contrib, samples, seed=11), expected)
    fractions = rng.random((n, 3))
    chunk = max(1, min(samples, 20_000_000 // n))
    weights = [np.bincount(d, minlength=n) for d in draws]
    reference = np.concatenate(
        [np.stack(weights[i : i + chunk]) @ fractions for i in range(0, samples, chunk)]
    )
    np.testing.assert_array_equal(replicate_sums(fractions, samples, seed=11), reference)
