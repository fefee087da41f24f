"""Statistics of replications: Student-t confidence intervals and paired differences.

Pure functions on arrays and tidy tables; nothing here knows about the engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

__all__ = ["mean_ci", "paired_differences", "summarize"]


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
