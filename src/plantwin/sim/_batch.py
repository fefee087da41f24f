"""Many replications in one call, KPIs only: the unit of work every experiment executor runs.

It lives with the engine, not with the experiment code, so worker processes import only the
engine (no pandas, no scipy) and start fast. A replication comes back as one float64 array of
its numeric KPIs and the index of their names, which its batch lists once (a run's KPI names
vary only with what happened in it, an inspection state reached, say), so the parent keeps
about 1.6 KiB a replication instead of a dict of some 250 names and floats.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from plantwin.scenario import Network, Scenario
from plantwin.sim._engine import Simulation, collector_paused
from plantwin.sim._record import record_of

__all__ = ["Batch", "Rows", "run_batch"]


@dataclass(frozen=True)
class Batch:
    """A chunk of (variant, replication) runs of some scenarios under one seed.

    A batch travels to a worker with its scenarios pickled, and the worker keeps the scenarios
    it has unpickled by their bytes: every task of an experiment then runs the same scenario
    objects, so what the engine works out once per scenario object (the plant's layout, the
    calendar, the order book: ~5 ms for ``maracay``) is worked out once per worker, not once
    per task."""

    scenarios: dict[str, Scenario | Network]
    seed: int
    horizon: str | float | None
    runs: tuple[tuple[str, int], ...]

    def __reduce__(self) -> tuple[Any, ...]:
        pickled = {v: pickle.dumps(s, pickle.HIGHEST_PROTOCOL) for v, s in self.scenarios.items()}
        return _unpickled, (pickled, self.seed, self.horizon, self.runs)


_SEEN: dict[bytes, Scenario | Network] = {}  # a worker's scenarios by their pickle
_SEEN_MAX = 64


def _unpickled(
    pickled: dict[str, bytes], seed: int, horizon: str | float | None, runs: tuple[Any, ...]
) -> Batch:
    """A batch whose scenarios are the objects this process unpickled from the same bytes."""
    scenarios = {}
    for variant, data in pickled.items():
        scenario = _SEEN.get(data)
        if scenario is None:
            if len(_SEEN) >= _SEEN_MAX:
                _SEEN.clear()
            scenario = _SEEN[data] = pickle.loads(data)
        scenarios[variant] = scenario
    return Batch(scenarios, seed, horizon, runs)


@dataclass
class Rows:
    """KPI rows: variant, replication, the index of the row's KPI names, and their values."""

    names: list[tuple[str, ...]] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    replications: list[int] = field(default_factory=list)
    keys: list[int] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.values)

    def add(self, variant: str, replication: int, kpis: dict[str, float]) -> None:
        """One replication's flat KPIs."""
        names = tuple(kpis)
        try:
            key = self.names.index(names)
        except ValueError:
            key = len(self.names)
            self.names.append(names)
        self.variants.append(variant)
        self.replications.append(replication)
        self.keys.append(key)
        self.values.append(np.fromiter(kpis.values(), dtype=np.float64, count=len(names)))

    def extend(self, other: Rows) -> None:
        """Take the rows of another batch (its names are matched to these)."""
        index = {}
        for k, names in enumerate(other.names):
            try:
                index[k] = self.names.index(names)
            except ValueError:
                index[k] = len(self.names)
                self.names.append(names)
        self.variants += other.variants
        self.replications += other.replications
        self.keys += [index[k] for k in other.keys]
        self.values += other.values


def run_batch(batch: Batch) -> Rows:
    """One engine run per (variant, replication), without an event log. A row is the run's
    ``RunResult.flat_kpis()``, flattened from the typed KPIs without making their dict."""
    from plantwin.kpis import compute, flatten

    out = Rows()
    for variant, rep in batch.runs:
        with collector_paused():
            sim = Simulation(
                batch.scenarios[variant], batch.seed, replication=rep, horizon=batch.horizon,
                event_log=False,
            )  # fmt: skip
            sim.run_until(sim.horizon)
            kpis = flatten(compute(record_of(sim)))
            sim.release()
        out.add(variant, rep, kpis)
    return out
