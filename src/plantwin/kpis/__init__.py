"""The KPIs of a run, computed from its run record (``plantwin.sim.RunRecord``) outside the
engine as typed models (``compute``) or their JSON-ready dict (``compute_kpis``): output, OEE
per station, the ISO 22400-2 KPIs, time in each state, testing, buffers, crews, storage, orders,
grid, conservation."""

from __future__ import annotations

from plantwin.kpis._compute import (
    CONSERVATION_TOLERANCE,
    compute,
    compute_kpis,
    monthly,
    pace_reached,
)
from plantwin.kpis._labels import EXPERIMENT_KPIS, clip_ci, is_fraction, kpi_label, kpi_unit
from plantwin.kpis._models import (
    BufferKpis,
    ConservationKpis,
    CrewKpis,
    EngineKpis,
    GridKpis,
    IsoKpis,
    IsoPlantKpis,
    IsoStationKpis,
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
from plantwin.kpis._names import flat_names, flatten, upgrade_kpi_name, upgrade_kpis

__all__ = [
    "CONSERVATION_TOLERANCE",
    "EXPERIMENT_KPIS",
    "BufferKpis",
    "ConservationKpis",
    "CrewKpis",
    "EngineKpis",
    "GridKpis",
    "IsoKpis",
    "IsoPlantKpis",
    "IsoStationKpis",
    "LineKpis",
    "OrderKpis",
    "OutputKpis",
    "ProductBalance",
    "ProductOutput",
    "ProductTests",
    "RangeKpis",
    "RunKpis",
    "StorageKpis",
    "clip_ci",
    "compute",
    "compute_kpis",
    "flat_names",
    "flatten",
    "is_fraction",
    "kpi_label",
    "kpi_unit",
    "monthly",
    "pace_reached",
    "upgrade_kpi_name",
    "upgrade_kpis",
]
