"""What a build study reports beside its KPIs: the commissioning milestones whose dates it shows
(P10/P50/P90) and the thresholds X of P(first-year output >= X). One definition, so that the
terminal (``experiment``, ``show``) and the report (``report ID``, ``experiment --report``) give
the same content."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from plantwin.experiment._experiment import Columns
    from plantwin.scenario import Network, Scenario

__all__ = [
    "FIRST_YEAR",
    "FIRST_YEAR_SHARES",
    "commissions_lines",
    "first_year_thresholds",
    "milestone_kpis",
    "milestone_label",
]

FIRST_YEAR = "output.first_year_units"
"""The KPI that P(first-year output >= X) is about."""

FIRST_YEAR_SHARES = (0.25, 0.5, 0.75, 1.0)
"""Without a threshold asked for, a build study shows these shares of the nameplate a year."""

_MILESTONES = {
    "output.opening_hours": "opening (first line)",
    "output.complete_hours": "complete (all lines)",
    "output.nameplate_pace_hours": "nameplate pace",
}


def commissions_lines(scenario: Scenario | Network) -> bool:
    """Whether a line of ``scenario`` has a commissioning date or a project: an experiment of it
    may be a build study (:func:`milestone_kpis` tells from its results)."""
    from plantwin.scenario import Scenario

    lines = scenario.lines if isinstance(scenario, Scenario) else scenario.stations
    return any(line.commissioned is not None or line.project is not None for line in lines)


def milestone_kpis(scenario: Scenario | Network, table: pd.DataFrame | Columns) -> list[str]:
    """The date KPIs of a build study (each line commissioned, the opening, the plant complete,
    the nameplate pace reached), or none when every line runs from the start in every
    replication of ``table`` (an experiment's replications: a DataFrame or its columns)."""
    lines = [f"lines.{line}.commissioned_hours" for line in scenario.line_ids()]
    late = any(c not in table or _any_after_start(table[c]) for c in lines)
    if not late:
        return []
    pace = ["output.nameplate_pace_hours"] if scenario.plant.nameplate else []
    return [*lines, "output.opening_hours", "output.complete_hours", *pace]


def _any_after_start(hours: object) -> bool:
    """Whether a replication's line was commissioned after t = 0 or never (NaN)."""
    values = np.asarray(hours, dtype=np.float64)
    return bool((np.isnan(values) | (values > 0)).any())


def milestone_label(kpi: str) -> str:
    """A milestone KPI in words: ``line L1 commissioned``, ``opening (first line)``, ..."""
    line = kpi.removeprefix("lines.").removesuffix(".commissioned_hours")
    return _MILESTONES.get(kpi, f"line {line} commissioned")


def first_year_thresholds(
    scenario: Scenario | Network, table: pd.DataFrame | Columns, given: float | None = None
) -> list[float]:
    """The X of P(first-year output >= X) to show: ``given`` (``--first-year``, for any
    scenario), else :data:`FIRST_YEAR_SHARES` of the nameplate a year for a build study, else
    none (no build study, or no nameplate)."""
    if given is not None:
        return [given]
    nameplate = scenario.plant.nameplate
    if not nameplate or not milestone_kpis(scenario, table):
        return []
    return [share * nameplate for share in FIRST_YEAR_SHARES]
