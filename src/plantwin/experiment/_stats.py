"""Statistics of replications: Student-t confidence intervals and paired differences.

Pure functions on arrays and tidy tables; nothing here knows about the engine. The tables are
pandas DataFrames, imported where one is made: :func:`summary_rows` (the terminal's summary)
needs none.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SUMMARY_COLUMNS",
    "cumulative_fan",
    "exceedance",
    "mean_ci",
    "paired_differences",
    "quantiles",
    "relative_half_width",
    "summarize",
    "summary_rows",
]

SUMMARY_COLUMNS = ("variant", "kpi", "n", "mean", "sd", "ci_low", "ci_high", "half_width")
"""The columns of :func:`summarize`, the fields of a row of :func:`summary_rows`."""


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
    from scipy.special import stdtrit  # Student t quantile; scipy.stats takes a second to import

    sd = float(x.std(ddof=1))
    half = float(stdtrit(n - 1, 0.5 + level / 2)) * sd / math.sqrt(n)
    return mean, sd, half


class _ByKpi(Protocol):
    """A variant's columns by KPI: a DataFrame's rows, or :class:`Columns`."""

    def __getitem__(self, kpi: str, /) -> Any: ...


def summary_rows(
    groups: Iterable[tuple[Any, _ByKpi]], kpis: Sequence[str], level: float = 0.95
) -> list[tuple[Any, ...]]:
    """Per (variant, its columns by KPI) of ``groups`` and per KPI: the fields of
    :data:`SUMMARY_COLUMNS` (n, mean, sd, CI), without pandas."""
    rows = []
    for variant, group in groups:
        for kpi in kpis:
            values = np.asarray(group[kpi], dtype=np.float64)
            mean, sd, half = mean_ci(values, level)
            n = int(np.isfinite(values).sum())
            rows.append((variant, kpi, n, mean, sd, mean - half, mean + half, half))
    return rows


def summarize(table: pd.DataFrame, kpis: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Per variant and KPI: n, mean, sd, CI (tidy rows)."""
    import pandas as pd

    rows = summary_rows(table.groupby("variant", sort=False), kpis, level)
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def relative_half_width(table: pd.DataFrame, kpi: str, level: float = 0.95) -> pd.Series:
    """Per variant (the index): the CI half-width of ``kpi`` over its |mean|, +inf where that
    is undefined (fewer than two values, a zero mean): what sequential stopping aims to bring
    below its target."""
    s = summarize(table, [kpi], level).set_index("variant")
    ratio = (s["half_width"] / s["mean"].abs()).fillna(np.inf)
    ratio.name = kpi
    return ratio


def paired_differences(
    table: pd.DataFrame, kpis: Sequence[str], base: str, level: float = 0.95
) -> pd.DataFrame:
    """Each variant minus ``base``, replication by replication (common random numbers), with CI."""
    import pandas as pd

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


def _quantile(sorted_values: np.ndarray, q: float) -> float:
    """The q-quantile of sorted values that may end in +inf (numpy's default, linear rule).

    Between a finite value and +inf the quantile is +inf, and exactly the finite value when it
    falls on it: numpy would compute ``x + 0 * inf``, which is NaN.
    """
    h = (len(sorted_values) - 1) * q
    lo = math.floor(h)
    frac = h - lo
    low = float(sorted_values[lo])
    if frac == 0.0:
        return low
    high = float(sorted_values[lo + 1])
    if math.isinf(high):
        return math.inf
    return low + frac * (high - low)


def quantiles(
    table: pd.DataFrame, kpis: Sequence[str], qs: Sequence[float] = (0.1, 0.5, 0.9)
) -> pd.DataFrame:
    """Per variant and KPI of times of events: n replications, how many never saw the event,
    and the quantiles (``p10``, ``p50``, ...; +inf when one falls among the never-events).

    A replication without a value (NaN, or no column at all) is one in which the event did not
    happen within the horizon: it counts as later than every finite time, so that leaving it
    out does not pull the quantiles earlier.
    """
    import pandas as pd

    rows = []
    for variant, group in table.groupby("variant", sort=False):
        for kpi in kpis:
            if kpi in group:
                values = group[kpi].to_numpy(dtype=np.float64)
            else:
                values = np.full(len(group), np.nan)
            values = np.sort(np.where(np.isnan(values), np.inf, values))
            never = int(np.isinf(values).sum())
            qv = [_quantile(values, q) for q in qs] if len(values) else [math.nan] * len(qs)
            rows.append((variant, kpi, len(values), never, *qv))
    return pd.DataFrame(
        rows, columns=["variant", "kpi", "n", "never", *(f"p{round(100 * q)}" for q in qs)]
    )


def exceedance(
    table: pd.DataFrame, kpi: str, threshold: float, level: float = 0.95
) -> pd.DataFrame:
    """Per variant: P(kpi >= threshold) over replications with a value, with a Wilson interval.

    A KPI no replication has a value for (no column) gives n = 0 and NaN.
    """
    import pandas as pd
    from scipy.special import ndtri  # the normal quantile

    z = float(ndtri(0.5 + level / 2))
    rows = []
    for variant, group in table.groupby("variant", sort=False):
        values = group[kpi].to_numpy(dtype=np.float64) if kpi in group else np.array([])
        values = values[np.isfinite(values)]
        n = len(values)
        k = int((values >= threshold).sum())
        if n == 0:
            rows.append((variant, 0, 0, math.nan, math.nan, math.nan))
            continue
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        # the bounds are exactly 0 with no hits and 1 with all hits; spare them rounding noise
        low = 0.0 if k == 0 else max(0.0, centre - half)
        high = 1.0 if k == n else min(1.0, centre + half)
        rows.append((variant, n, k, p, low, high))
    return pd.DataFrame(rows, columns=["variant", "n", "hits", "p", "ci_low", "ci_high"])


MONTHLY = "output.monthly."


def cumulative_fan(
    table: pd.DataFrame, qs: Sequence[float] = (0.1, 0.5, 0.9), prefix: str = MONTHLY
) -> pd.DataFrame:
    """Quantiles over replications of cumulative output at each month's end, per variant.

    Rows: variant, month (``YYYY-MM``), then one column per quantile (``p10``, ``p50``, ...):
    the band a fan chart draws.
    """
    import pandas as pd

    months = sorted(c for c in table.columns if c.startswith(prefix))
    names = [f"p{round(100 * q)}" for q in qs]
    rows = []
    for variant, group in table.groupby("variant", sort=False):
        cum = np.cumsum(group[months].fillna(0.0).to_numpy(np.float64), axis=1)
        for j, col in enumerate(months):
            rows.append((variant, col.removeprefix(prefix), *np.quantile(cum[:, j], qs)))
    return pd.DataFrame(rows, columns=["variant", "month", *names])
