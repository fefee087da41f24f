"""What a build study reports beside its KPIs: the commissioning milestones whose dates it shows
(P10/P50/P90) and the thresholds X of P(first-year output >= X). One definition, so that the
terminal (``experiment``, ``show``) and the report (``report ID``, ``experiment --report``) give
the same content."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from plantwin.scenario import Network, Scenario

__all__ = [
    "FIRST_YEAR",
    "FIRST_YEAR_SHARES",
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


def milestone_kpis(scenario: Scenario | Network, table: pd.DataFrame) -> list[str]:
    """The date KPIs of a build study (each line commissioned, the opening, the plant complete,
    the nameplate pace reached), or none when every line runs from the start in every
    replication of ``table`` (an experiment's replications)."""
    lines = [f"lines.{line}.commissioned_hours" for line in scenario.line_ids()]
    late = any(c not in table or bool((table[c].fillna(1) > 0).any()) for c in lines)
    if not late:
        return []
    pace = ["output.nameplate_pace_hours"] if scenario.plant.nameplate else []
    return [*lines, "output.opening_hours", "output.complete_hours", *pace]


def milestone_label(kpi: str) -> str:
    """A milestone KPI in words: ``line L1 commissioned``, ``opening (first line)``, ..."""
    line = kpi.removeprefix("lines.").removesuffix(".commissioned_hours")
    return _MILESTONES.get(kpi, f"line {line} commissioned")


def first_year_thresholds(
    scenario: Scenario | Network, table: pd.DataFrame, given: float | None = None
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
