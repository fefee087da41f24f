"""The KPIs of a run, computed from its run record (``plantwin.sim.RunRecord``) outside the
engine as typed models (``compute``) or their JSON-ready dict (``compute_kpis``): output, OEE
per station, time in each state, testing, buffers, crews, storage, orders, grid, conservation."""

from __future__ import annotations

from plantwin.kpis._compute import (
    CONSERVATION_TOLERANCE,
    compute,
    compute_kpis,
    monthly,
    pace_reached,
)
from plantwin.kpis._models import (
    BufferKpis,
    ConservationKpis,
    CrewKpis,
    EngineKpis,
    GridKpis,
    LineKpis,
    OrderKpis,
    OutputKpis,
    ProductBalance,
    ProductOutput,
    ProductTests,
    RangeKpis,
    RunKpis,
    StorageKpis,
)
from plantwin.kpis._names import flatten, upgrade_kpi_name, upgrade_kpis

__all__ = [
    "CONSERVATION_TOLERANCE",
    "BufferKpis",
    "ConservationKpis",
    "CrewKpis",
    "EngineKpis",
    "GridKpis",
    "LineKpis",
    "OrderKpis",
    "OutputKpis",
    "ProductBalance",
    "ProductOutput",
    "ProductTests",
    "RangeKpis",
    "RunKpis",
    "StorageKpis",
    "compute",
    "compute_kpis",
    "flatten",
    "monthly",
    "pace_reached",
    "upgrade_kpi_name",
    "upgrade_kpis",
]
