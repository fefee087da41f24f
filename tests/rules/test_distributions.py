"""Every distribution's mean and spread, drawn the way the engine draws them.

Draws come from ``Streams(seed, replication).draws(name, dist)``, the engine's own path from a
scenario's distribution to numbers. Each sample's mean and variance are checked against the
analytic values within 5 standard errors: sigma / sqrt(n) for the mean, and
sqrt((m4 - sigma^4) / n) for the variance (m4 the sample's fourth central moment). A
distribution that had the right mean but the wrong spread (a cv read as the sd of the log, a
scale read as a rate) fails the variance check.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from pydantic import TypeAdapter

from plantwin import RunResult, simulate
from plantwin.scenario import DIST_NAMES, Distribution
from plantwin.sim import Streams

from .conftest import constant, events, fixed_range, line, plant

DIST: TypeAdapter[Any] = TypeAdapter(Distribution)
N = 200_000
Z = 5.0


def _beta_shapes_var(a: float, b: float) -> float:
    return a * b / ((a + b) ** 2 * (a + b + 1))


def _weibull(shape: float, scale: float) -> tuple[float, float]:
    g1, g2 = math.gamma(1 + 1 / shape), math.gamma(1 + 2 / shape)
    return scale * g1, scale**2 * (g2 - g1**2)


def _empirical(values: list[float], weights: list[float]) -> tuple[float, float]:
    p = np.asarray(weights) / sum(weights)
    v = np.asarray(values)
    mean = float(p @ v)
    return mean, float(p @ (v - mean) ** 2)


# (parameters, analytic mean, analytic variance), two parameter sets per distribution
CASES: list[tuple[dict[str, Any], float, float]] = [
    ({"dist": "exponential", "mean": 60}, 60, 60**2),
    ({"dist": "exponential", "mean": 0.5}, 0.5, 0.5**2),
    # lognormal, gamma and beta by mean and cv: sd = cv x mean
    ({"dist": "lognormal", "mean": 4, "cv": 1.0}, 4, (1.0 * 4) ** 2),
    ({"dist": "lognormal", "mean": 1.5, "cv": 0.5}, 1.5, (0.5 * 1.5) ** 2),
    ({"dist": "gamma", "mean": 3, "cv": 0.5}, 3, (0.5 * 3) ** 2),
    ({"dist": "gamma", "mean": 10, "cv": 1.5}, 10, (1.5 * 10) ** 2),
    ({"dist": "weibull", "shape": 1.8, "scale": 100}, *_weibull(1.8, 100)),
    ({"dist": "weibull", "shape": 0.8, "scale": 5}, *_weibull(0.8, 5)),
    ({"dist": "uniform", "low": 168, "high": 720}, (168 + 720) / 2, (720 - 168) ** 2 / 12),
    ({"dist": "uniform", "low": 0, "high": 1}, 0.5, 1 / 12),
    # triangular: var = (a^2 + b^2 + c^2 - ab - ac - bc) / 18
    ({"dist": "triangular", "low": 1, "mode": 2, "high": 6}, 3, (1 + 4 + 36 - 2 - 6 - 12) / 18),
    ({"dist": "triangular", "low": 0, "mode": 5, "high": 5}, 10 / 3, (25 + 25 - 25) / 18),
    ({"dist": "beta", "mean": 0.003, "cv": 1.0}, 0.003, (1.0 * 0.003) ** 2),
    ({"dist": "beta", "mean": 0.2, "cv": 0.5}, 0.2, (0.5 * 0.2) ** 2),
    ({"dist": "beta", "a": 2, "b": 5}, 2 / 7, _beta_shapes_var(2, 5)),
    (
        {"dist": "empirical", "values": [1, 2, 10], "weights": [5, 3, 2]},
        *_empirical([1, 2, 10], [5, 3, 2]),
    ),
    ({"dist": "empirical", "values": [0, 3, 4]}, *_empirical([0, 3, 4], [1, 1, 1])),
]


def _draw(params: dict[str, Any], n: int, name: str = "test:draws") -> np.ndarray:
    draws = Streams(20250701, 3).draws(name, DIST.validate_python(params))
    return np.array([draws.next() for _ in range(n)])


def _assert_moments(x: np.ndarray, mean: float, var: float) -> None:
    n = len(x)
    m, s2 = x.mean(), x.var(ddof=1)
    m4 = float(np.mean((x - m) ** 4))
    assert abs(m - mean) <= Z * math.sqrt(var / n), (m, mean)
    assert abs(s2 - var) <= Z * math.sqrt((m4 - s2**2) / n), (s2, var)


def test_every_distribution_has_two_parameter_sets() -> None:
    names = {params["dist"] for params, _, _ in CASES}
    assert names | {"constant"} == set(DIST_NAMES)  # constants: test_a_constant_is_...
    for name in names:
        assert sum(p["dist"] == name for p, _, _ in CASES) >= 2, name


@pytest.mark.parametrize(
    ("params", "mean", "var"), CASES, ids=[f"{p['dist']}-{i}" for i, (p, _, _) in enumerate(CASES)]
)
def test_mean_and_variance_match_the_analytic_values(
    params: dict[str, Any], mean: float, var: float
) -> None:
    x = _draw(params, N)
    assert np.all(x >= 0)
    _assert_moments(x, mean, var)


@pytest.mark.parametrize("value", [2.5, 0.0])
def test_a_constant_is_always_its_value(value: float) -> None:
    assert set(_draw(constant(value), 1000).tolist()) == {value}


def test_the_engine_draws_test_times_with_their_mean_and_spread() -> None:
    """Ten lots an hour for 300 h onto 1,000 lanes, so no lot waits: every test lasts one draw
    of the lognormal test time (mean 2, cv 0.5), seen in the log as verdict - start."""
    s = plant(
        lines=[line(rate=1000)],
        range={**fixed_range(lanes=1000), "test_time": {"dist": "lognormal", "mean": 2, "cv": 0.5}},
    )
    result = simulate(s, 11, horizon=300)
    durations = _spans(result, "test_started", "lot_accepted", key="lot")
    assert len(durations) > 2900
    _assert_moments(durations, 2, (0.5 * 2) ** 2)


def test_the_engine_draws_failure_gaps_and_repairs_with_their_mean_and_spread() -> None:
    """Around the clock with nothing else to stop the line, producing hours between failures
    are calendar hours: repaired -> next failure is one draw of `between` (exponential, mean
    10, sd 10) and failure -> repaired one draw of `repair` (gamma, mean 2, cv 0.5)."""
    s = plant(
        lines=[
            line(
                lot_size=10_000_000,
                failures={
                    "between": {"dist": "exponential", "mean": 10},
                    "repair": {"dist": "gamma", "mean": 2, "cv": 0.5},
                },
            )
        ]
    )
    result = simulate(s, 5, horizon=40_000)
    repairs = _spans(result, "failure", "repaired")
    gaps = _spans(result, "repaired", "failure")
    assert len(repairs) > 3000
    _assert_moments(repairs, 2, (0.5 * 2) ** 2)
    _assert_moments(gaps, 10, 10**2)


def _spans(result: RunResult, first: str, then: str, key: str = "object_id") -> np.ndarray:
    """Hours from each ``first`` event to the next ``then`` event of the same ``key``."""
    open_at: dict[str, float] = {}
    out = []
    for r in events(result):
        if r["event"] == first:
            open_at[r[key]] = r["time"]
        elif r["event"] == then and r[key] in open_at:
            out.append(r["time"] - open_at.pop(r[key]))
    return np.array(out)
