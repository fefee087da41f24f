"""Statistics of replications: Student-t confidence intervals and paired differences.

Pure functions on arrays and tidy tables; nothing here knows about the engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = [
    "cumulative_fan",
    "exceedance",
    "mean_ci",
    "paired_differences",
    "quantiles",
    "summarize",
]


def mean_ci(values: ArrayLike, level: float = 0.95) -> tuple[float, float, float]:
    """(mean, standard deviation, CI half-width) of independent replications (Student t).

    With fewer than two finite values the deviation and half-width are NaN.
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan
    from scipy import stats  # imported here: it takes a second to import

    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return mean, sd, half


def summarize(table: pd.DataFrame, kpis: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Per variant and KPI: n, mean, sd, CI (tidy rows)."""
    rows = []
    for variant, group in table.groupby("variant", sort=False):
        for kpi in kpis:
            values = group[kpi].to_numpy(dtype=np.float64)
            mean, sd, half = mean_ci(values, level)
            n = int(np.isfinite(values).sum())
            rows.append((variant, kpi, n, mean, sd, mean - half, mean + half, half))
    return pd.DataFrame(
        rows, columns=["variant", "kpi", "n", "mean", "sd", "ci_low", "ci_high", "half_width"]
    )


def paired_differences(
    table: pd.DataFrame, kpis: Sequence[str], base: str, level: float = 0.95
) -> pd.DataFrame:
    """Each variant minus ``base``, replication by replication (common random numbers), with CI."""
    indexed = table.set_index(["variant", "replication"])
    ref = indexed.loc[base]
    rows = []
    for variant in table["variant"].unique():
        if variant == base:
            continue
        other = indexed.loc[variant]
        common = ref.index.intersection(other.index)
        for kpi in kpis:
            diff = other.loc[common, kpi].to_numpy(np.float64) - ref.loc[common, kpi].to_numpy(
                np.float64
            )
            mean, sd, half = mean_ci(diff, level)
            n = int(np.isfinite(diff).sum())
            rows.append((variant, kpi, n, mean, sd, mean - half, mean + half))
    return pd.DataFrame(
        rows, columns=["variant", "kpi", "n", "mean_diff", "sd", "ci_low", "ci_high"]
    )


def quantiles(
    table: pd.DataFrame, kpis: Sequence[str], qs: Sequence[float] = (0.1, 0.5, 0.9)
) -> pd.DataFrame:
    """Per variant and KPI: how many replications have a value, and the quantiles of those.

    A KPI with no value in a replication (a line never commissioned, a pace never reached)
    is left out of the quantiles and counted in ``missing``.
    """
    rows = []
    for variant, group in table.groupby("variant", sort=False):
        for kpi in kpis:
            values = group[kpi].to_numpy(dtype=np.float64) if kpi in group else np.array([])
            finite = values[np.isfinite(values)]
            qv = np.quantile(finite, qs) if len(finite) else np.full(len(qs), np.nan)
            rows.append((variant, kpi, len(finite), len(values) - len(finite), *qv))
    return pd.DataFrame(
        rows, columns=["variant", "kpi", "n", "missing", *(f"p{round(100 * q)}" for q in qs)]
    )


def exceedance(
    table: pd.DataFrame, kpi: str, threshold: float, level: float = 0.95
) -> pd.DataFrame:
    """Per variant: P(kpi >= threshold) over replications with a value, with a Wilson interval."""
    from scipy import stats

    z = float(stats.norm.ppf(0.5 + level / 2))
    rows = []
    for variant, group in table.groupby("variant", sort=False):
        values = group[kpi].to_numpy(dtype=np.float64)
        values = values[np.isfinite(values)]
        n = len(values)
        k = int((values >= threshold).sum())
        if n == 0:
            rows.append((variant, 0, 0, math.nan, math.nan, math.nan))
            continue
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        rows.append((variant, n, k, p, max(0.0, centre - half), min(1.0, centre + half)))
    return pd.DataFrame(rows, columns=["variant", "n", "hits", "p", "ci_low", "ci_high"])


MONTHLY = "output.monthly."


def cumulative_fan(
    table: pd.DataFrame, qs: Sequence[float] = (0.1, 0.5, 0.9), prefix: str = MONTHLY
) -> pd.DataFrame:
    """Quantiles over replications of cumulative output at each month's end, per variant.

    Rows: variant, month (``YYYY-MM``), then one column per quantile (``p10``, ``p50``, ...):
    the band a fan chart draws.
    """
    months = sorted(c for c in table.columns if c.startswith(prefix))
    names = [f"p{round(100 * q)}" for q in qs]
    rows = []
    for variant, group in table.groupby("variant", sort=False):
        cum = np.cumsum(group[months].fillna(0.0).to_numpy(np.float64), axis=1)
        for j, col in enumerate(months):
            rows.append((variant, col.removeprefix(prefix), *np.quantile(cum[:, j], qs)))
    return pd.DataFrame(rows, columns=["variant", "month", *names])
