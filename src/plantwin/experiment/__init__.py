"""Monte Carlo experiments: variants x replications with common random numbers, CIs, executors.

Names are imported on first use: planning and running an experiment (:class:`Experiment`, the
executors) imports neither pandas nor scipy, so local workers forked for it carry neither; the
intervals import scipy, and the results' table pandas (the summary does not: see
:mod:`plantwin.experiment._experiment`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin._lazy import lazy_attributes

if TYPE_CHECKING:
    from plantwin.experiment._build_study import (
        FIRST_YEAR,
        FIRST_YEAR_SHARES,
        commissions_lines,
        first_year_thresholds,
        milestone_kpis,
        milestone_label,
    )
    from plantwin.experiment._executors import (
        DaskExecutor,
        Executor,
        LocalExecutor,
        SerialExecutor,
    )
    from plantwin.experiment._experiment import (
        Columns,
        Experiment,
        ResultSet,
        parse_sweep,
        sweep_variants,
    )
    from plantwin.experiment._stats import (
        cumulative_fan,
        exceedance,
        mean_ci,
        paired_differences,
        quantiles,
        relative_half_width,
        summarize,
    )

_SOURCES = {
    "_build_study": [
        "FIRST_YEAR",
        "FIRST_YEAR_SHARES",
        "commissions_lines",
        "first_year_thresholds",
        "milestone_kpis",
        "milestone_label",
    ],
    "_executors": ["DaskExecutor", "Executor", "LocalExecutor", "SerialExecutor"],
    "_experiment": ["Columns", "Experiment", "ResultSet", "parse_sweep", "sweep_variants"],
    "_stats": [
        "cumulative_fan",
        "exceedance",
        "mean_ci",
        "paired_differences",
        "quantiles",
        "relative_half_width",
        "summarize",
    ],
}

__all__ = [
    "FIRST_YEAR",
    "FIRST_YEAR_SHARES",
    "Columns",
    "DaskExecutor",
    "Executor",
    "Experiment",
    "LocalExecutor",
    "ResultSet",
    "SerialExecutor",
    "commissions_lines",
    "cumulative_fan",
    "exceedance",
    "first_year_thresholds",
    "mean_ci",
    "milestone_kpis",
    "milestone_label",
    "paired_differences",
    "parse_sweep",
    "quantiles",
    "relative_half_width",
    "summarize",
    "sweep_variants",
]

__getattr__, __dir__ = lazy_attributes(
    __name__,
    {name: f"{__name__}.{module}" for module, names in _SOURCES.items() for name in names},
)
