"""Many replications in one call, KPIs only: the unit of work every experiment executor runs.

It lives with the engine, not with the experiment code, so worker processes import only the
engine (no pandas, no scipy) and start fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from plantwin.scenario import Network, Scenario
from plantwin.sim._engine import Simulation

__all__ = ["Batch", "Row", "run_batch"]

Row = tuple[str, int, dict[str, float]]  # variant, replication, flat KPIs


@dataclass(frozen=True)
class Batch:
    """A chunk of (variant, replication) runs of some scenarios under one seed."""

    scenarios: dict[str, Scenario | Network]
    seed: int
    horizon: str | float | None
    runs: tuple[tuple[str, int], ...]


def run_batch(batch: Batch) -> list[Row]:
    """One engine run per (variant, replication), without an event log."""
    out: list[Row] = []
    for variant, rep in batch.runs:
        sim = Simulation(
            batch.scenarios[variant], batch.seed, replication=rep, horizon=batch.horizon,
            event_log=False,
        )  # fmt: skip
        out.append((variant, rep, sim.run().flat_kpis()))
    return out
