"""A stream's draws are its generator's values in order, whatever blocks the engine draws them in
(it draws in growing blocks): the numbers of a run do not depend on how they were fetched."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from plantwin.scenario import DIST_NAMES, Distribution, DistributionBase
from plantwin.sim import Streams

SPECS: list[dict[str, Any]] = [
    {"dist": "constant", "value": 3},
    {"dist": "exponential", "mean": 2},
    {"dist": "lognormal", "mean": 2, "cv": 0.5},
    {"dist": "gamma", "mean": 2, "cv": 0.5},
    {"dist": "weibull", "shape": 1.5, "scale": 2},
    {"dist": "uniform", "low": 1, "high": 2},
    {"dist": "triangular", "low": 1, "mode": 2, "high": 4},
    {"dist": "beta", "a": 2, "b": 3},
    {"dist": "empirical", "values": [1, 2, 3, 5]},
    {"dist": "empirical", "values": [1, 2, 3], "weights": [1, 2, 3]},
]
DISTRIBUTIONS: list[DistributionBase] = [
    TypeAdapter(Distribution).validate_python(spec) for spec in SPECS
]


def test_every_kind_of_distribution_is_checked() -> None:
    assert {spec["dist"] for spec in SPECS} == set(DIST_NAMES)


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=[s["dist"] for s in SPECS])
def test_draws_are_the_streams_values_in_one_sequence(dist: DistributionBase) -> None:
    n = 5000  # past several block sizes
    draws = Streams(3, 1).draws("line:L1:repair", dist)
    got = [draws.next() for _ in range(n)]
    at_once = dist.sample(Streams(3, 1).generator("line:L1:repair"), n).tolist()
    assert got == at_once
