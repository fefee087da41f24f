"""The KPIs of a run, computed from its run record (``plantwin.sim.RunRecord``) outside the
engine: output, OEE per line, time in each state, range, storage, orders, grid, conservation."""

from __future__ import annotations

from plantwin.kpis._compute import CONSERVATION_TOLERANCE, compute_kpis, monthly, pace_reached
from plantwin.kpis._names import flatten, upgrade_kpi_name, upgrade_kpis

__all__ = [
    "CONSERVATION_TOLERANCE",
    "compute_kpis",
    "flatten",
    "monthly",
    "pace_reached",
    "upgrade_kpi_name",
    "upgrade_kpis",
]
