"""What one run hands back: its KPIs and, when kept, its event log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from plantwin.scenario import Network, Scenario
from plantwin.sim._log import EventLog
from plantwin.sim._record import RunRecord, record_of

if TYPE_CHECKING:
    import pyarrow as pa

    from plantwin.sim._engine import Simulation

__all__ = ["RunResult"]


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run: scenario, seed, horizon, KPIs and the event log (if kept)."""

    scenario: Scenario | Network
    seed: int
    replication: int
    start: date
    horizon_hours: float
    kpis: dict[str, Any]
    event_log: EventLog | None
    power_off: tuple[tuple[float, float], ...]
    record: RunRecord

    @classmethod
    def from_simulation(cls, sim: Simulation) -> RunResult:
        """Collect the result of a simulation that has run: its record, and the KPIs that
        ``plantwin.kpis`` computes from it (outside the engine)."""
        from plantwin.kpis import compute_kpis

        record = record_of(sim)
        return cls(
            scenario=sim.scenario,
            seed=sim.seed,
            replication=sim.replication,
            start=sim.scenario.plant.start,
            horizon_hours=sim.now,
            kpis=compute_kpis(record),
            event_log=sim.event_log,
            power_off=record.grid.off,
            record=record,
        )

    def flat_kpis(self) -> dict[str, float]:
        """Numeric KPIs with dotted keys, one row of an experiment's table."""
        from plantwin.kpis import flatten

        return flatten(self.kpis)

    def events(self) -> pa.Table:
        """The event log as an Arrow table; raises if the run kept no log."""
        if self.event_log is None:
            raise ValueError("this run kept no event log (run it with event_log=True)")
        return self.event_log.to_arrow()
