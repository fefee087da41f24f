"""Monte Carlo experiments: variants x replications with common random numbers, CIs, executors."""

from plantwin.experiment._build_study import (
    FIRST_YEAR,
    FIRST_YEAR_SHARES,
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
from plantwin.experiment._experiment import Experiment, ResultSet, parse_sweep, sweep_variants
from plantwin.experiment._stats import (
    cumulative_fan,
    exceedance,
    mean_ci,
    paired_differences,
    quantiles,
    relative_half_width,
    summarize,
)

__all__ = [
    "FIRST_YEAR",
    "FIRST_YEAR_SHARES",
    "DaskExecutor",
    "Executor",
    "Experiment",
    "LocalExecutor",
    "ResultSet",
    "SerialExecutor",
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
