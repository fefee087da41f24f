"""Fixtures of the results tests: runs to store, an experiment, stores in tmp_path, PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from plantwin.experiment import Experiment, ResultSet, SerialExecutor
from plantwin.results import Store, open_store, resolve_url
from plantwin.scenario import builtin, parse_scenario
from plantwin.sim import RunResult, simulate

DEMAND = """
[[demand.orders]]
id = "first"
product = "a"
quantity = 1000
release = 2025-01-06
due = 2025-01-08

[[demand.orders]]
id = "second"
product = "a"
quantity = 50000
release = 2025-01-07
due = 2025-01-10
"""


@pytest.fixture(scope="session")
def maracay_run() -> RunResult:
    """Ninety days of the built-in plant: four lines, three products, failures, cuts, orders."""
    return simulate(builtin("maracay"), seed=3, horizon="90d")


@pytest.fixture
def small_run(small_toml: str) -> RunResult:
    """The tiny test plant with two orders, the second more than a week can make."""
    return simulate(parse_scenario(small_toml + DEMAND), seed=5)


@pytest.fixture(scope="session")
def resultset() -> ResultSet:
    """A small experiment: the base and a variant with more frequent cuts, 3 replications."""
    exp = Experiment(
        builtin("maracay"),
        {"base": [], "cuts every 60 h": [("grid.cuts.between.mean", 60)]},
        replications=3,
        seed=11,
        horizon="60d",
    )
    return exp.run(SerialExecutor())


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'results.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as s:
        yield s


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty PostgreSQL database from $PLANTWIN_TEST_POSTGRES_URL.

    Skipped only on a laptop without it; in CI (CI=true) a missing URL fails the test.
    """
    url = os.environ.get("PLANTWIN_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but PLANTWIN_TEST_POSTGRES_URL is not set (.ci/run sets it)")
        pytest.skip("set PLANTWIN_TEST_POSTGRES_URL to run the PostgreSQL tests")
    _drop_all(url)
    yield url
    _drop_all(url)


def _drop_all(url: str) -> None:
    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        for table in ("jobs", "scenarios", "run_data", "runs", "plantwin_schema_version"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
