"""Plan design: the smallest (n, Ac) meeting both risks, checked by brute force with scipy."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest
from scipy import stats

from plantwin.sampling import PlanDesign, SamplingError, design_plan

Cdf = Callable[[np.ndarray, int], np.ndarray]  # (ks, n) -> P(d <= k) at (aql, ltpd) columns


def brute_force(aql: float, alpha: float, ltpd: float, beta: float, cdf: Cdf) -> tuple[int, int]:
    """First n (then Ac) meeting both risks, trying every Ac for every n from 1."""
    for n in range(1, 5000):
        ks = np.arange(n + 1)
        table = cdf(ks, n)
        for ac in ks:
            if table[ac, 0] >= 1 - alpha and table[ac, 1] <= beta:
                return n, int(ac)
    raise AssertionError("no plan found")


def binomial(aql: float, ltpd: float) -> Cdf:
    return lambda ks, n: np.column_stack(
        [stats.binom.cdf(ks, n, aql), stats.binom.cdf(ks, n, ltpd)]
    )


def test_reference_case_meets_both_risks_and_is_smallest() -> None:
    start = time.perf_counter()
    result = design_plan(0.01, 0.05, 0.05, 0.10)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert isinstance(result, PlanDesign)
    n, ac = result
    assert stats.binom.cdf(ac, n, 0.01) >= 0.95
    assert stats.binom.cdf(ac, n, 0.05) <= 0.10
    # every smaller n fails for every Ac, and so does every smaller Ac at this n
    assert brute_force(0.01, 0.05, 0.05, 0.10, binomial(0.01, 0.05)) == (n, ac)


@pytest.mark.parametrize(
    ("aql", "alpha", "ltpd", "beta"),
    [
        (0.02, 0.05, 0.10, 0.10),
        (0.05, 0.10, 0.20, 0.10),
        (0.01, 0.05, 0.08, 0.05),
        (0.10, 0.20, 0.40, 0.20),
        (0.001, 0.05, 0.02, 0.10),
    ],
)
def test_binomial_matches_brute_force(aql: float, alpha: float, ltpd: float, beta: float) -> None:
    expected = brute_force(aql, alpha, ltpd, beta, binomial(aql, ltpd))
    assert tuple(design_plan(aql, alpha, ltpd, beta)) == expected


def test_poisson_matches_brute_force() -> None:
    aql, alpha, ltpd, beta = 0.02, 0.05, 0.08, 0.10

    def cdf(ks: np.ndarray, n: int) -> np.ndarray:
        return np.column_stack([stats.poisson.cdf(ks, n * aql), stats.poisson.cdf(ks, n * ltpd)])

    expected = brute_force(aql, alpha, ltpd, beta, cdf)
    assert tuple(design_plan(aql, alpha, ltpd, beta, "poisson")) == expected


def test_hypergeometric_matches_brute_force() -> None:
    aql, alpha, ltpd, beta, lot = 0.02, 0.05, 0.10, 0.10, 300

    def cdf(ks: np.ndarray, n: int) -> np.ndarray:
        good, bad = round(aql * lot), round(ltpd * lot)
        return np.column_stack(
            [stats.hypergeom.cdf(ks, lot, good, n), stats.hypergeom.cdf(ks, lot, bad, n)]
        )

    expected = brute_force(aql, alpha, ltpd, beta, cdf)
    got = design_plan(aql, alpha, ltpd, beta, "hypergeometric", lot_size=lot)
    assert tuple(got) == expected


@pytest.mark.parametrize(
    ("aql", "alpha", "ltpd", "beta", "word"),
    [
        (0.05, 0.05, 0.01, 0.10, "0 < aql < ltpd < 1"),
        (0.0, 0.05, 0.01, 0.10, "0 < aql < ltpd < 1"),
        (0.01, 0.05, 1.5, 0.10, "0 < aql < ltpd < 1"),
        (1.0, 0.05, 5.0, 0.10, "0.01 = 1 %"),
        (0.01, 0.0, 0.05, 0.10, "alpha"),
        (0.01, 0.05, 0.05, 1.0, "beta"),
    ],
)
def test_invalid_inputs(aql: float, alpha: float, ltpd: float, beta: float, word: str) -> None:
    with pytest.raises(SamplingError, match=word):
        design_plan(aql, alpha, ltpd, beta)


def test_other_errors() -> None:
    with pytest.raises(SamplingError, match="binomial, hypergeometric, poisson"):
        design_plan(0.01, 0.05, 0.05, 0.10, "normal")
    with pytest.raises(SamplingError, match="lot_size is required"):
        design_plan(0.01, 0.05, 0.05, 0.10, "hypergeometric")
    with pytest.raises(SamplingError, match="no plan with n <= 50"):
        design_plan(0.01, 0.05, 0.05, 0.10, max_n=50)
