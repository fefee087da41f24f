"""Fixtures of the report tests: a stored run of the built-in plant and a stored experiment."""

from __future__ import annotations

import pytest

from plantwin.experiment import Experiment, SerialExecutor
from plantwin.results import StoredRun
from plantwin.scenario import builtin
from plantwin.sim import simulate


@pytest.fixture(scope="session")
def stored_run() -> StoredRun:
    """120 days of the built-in plant: failures, cuts, changeovers, orders."""
    return StoredRun.from_result(simulate(builtin("maracay"), seed=4, horizon="120d"))


@pytest.fixture(scope="session")
def stored_experiment() -> StoredRun:
    """Two variants x 4 replications of 60 days."""
    exp = Experiment(
        builtin("maracay"),
        {"base": [], "restart 2 h": [("grid.restart", 2.0)]},
        replications=4,
        seed=5,
        horizon="60d",
    )
    return StoredRun.from_resultset(exp.run(SerialExecutor()))


@pytest.fixture(scope="session")
def build_study() -> StoredRun:
    """maracay-build over its whole horizon: lines commissioned late, a first year."""
    exp = Experiment(
        builtin("maracay-build"),
        {"base": [], "restart 2 h": [("grid.restart", 2.0)]},
        replications=3,
        seed=3,
    )
    return StoredRun.from_resultset(exp.run(SerialExecutor()))
