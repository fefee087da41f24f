"""P10/P50/P90 of event times over replications, counting the replications where it never came.

Every expected value here is worked out by hand from numpy's default (linear) rule on the sorted
values: position h = (n - 1) q, value x[floor h] + frac(h) (x[floor h + 1] - x[floor h]), where a
replication without the event is +inf, later than every finite time.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from plantwin.experiment import exceedance, quantiles

NAN = math.nan


def table(**columns: list[float]) -> pd.DataFrame:
    """One variant ``v``, one replication per value."""
    n = len(next(iter(columns.values())))
    return pd.DataFrame({"variant": ["v"] * n, "replication": range(n), **columns})


def row(frame: pd.DataFrame, kpi: str = "t") -> dict[str, float]:
    got: dict[str, float] = quantiles(frame, [kpi]).set_index("kpi").loc[kpi].to_dict()
    return got


def test_a_never_replication_is_later_than_every_date_not_left_out() -> None:
    # sorted: 10 20 30 40 inf. P10: h = 0.4 -> 14; P50: h = 2 -> 30; P90: h = 3.6, between 40 and
    # inf -> inf. Leaving the never-replication out would give 13, 25 and 37.
    got = row(table(t=[30, NAN, 10, 40, 20]))
    assert (got["n"], got["never"]) == (5, 1)
    assert got["p10"] == pytest.approx(14)
    assert got["p50"] == 30
    assert got["p90"] == math.inf


def test_the_median_can_be_never() -> None:
    # sorted: 10 20 inf inf inf. P10: h = 0.4 -> 14; P50: h = 2 -> inf; P90: h = 3.6 -> inf
    got = row(table(t=[NAN, 20, NAN, 10, NAN]))
    assert (got["n"], got["never"]) == (5, 3)
    assert got["p10"] == pytest.approx(14)
    assert got["p50"] == math.inf and got["p90"] == math.inf


def test_a_quantile_falling_exactly_on_the_last_finite_value_is_that_value() -> None:
    # 11 values: 0 10 20 30 40 50, then 5 never. P50: h = 5 exactly -> x[5] = 50 (numpy's
    # interpolation would compute 50 + 0 * inf = NaN); P10: h = 1 -> 10; P90: h = 9 -> inf.
    got = row(table(t=[0, 10, 20, 30, 40, 50, *[NAN] * 5]))
    assert (got["p10"], got["p50"], got["p90"]) == (10, 50, math.inf)
    assert got["never"] == 5


def test_without_never_replications_the_quantiles_are_numpys() -> None:
    values = [7.0, 1.0, 4.0, 9.0, 2.0, 8.0]
    got = row(table(t=values))
    assert got["never"] == 0
    expected = np.quantile(values, [0.1, 0.5, 0.9])
    assert [got["p10"], got["p50"], got["p90"]] == pytest.approx(expected)


def test_a_kpi_no_replication_has_is_never_in_all_of_them() -> None:
    # a date that no replication reached has no column in the table at all
    got = row(table(t=[1.0, 2.0]), "lines.L9.commissioned_hours")
    assert (got["n"], got["never"]) == (2, 2)
    assert got["p10"] == got["p50"] == got["p90"] == math.inf


def test_quantiles_are_per_variant() -> None:
    frame = pd.DataFrame(
        {
            "variant": ["a", "a", "a", "b", "b", "b"],
            "replication": [0, 1, 2, 0, 1, 2],
            "t": [1.0, 2.0, 3.0, 5.0, NAN, NAN],
        }
    )
    q = quantiles(frame, ["t"], qs=(0.5,)).set_index("variant")
    assert q.loc["a", "p50"] == 2 and q.loc["a", "never"] == 0
    assert q.loc["b", "p50"] == math.inf and q.loc["b", "never"] == 2


@pytest.mark.parametrize(("hits", "low", "high"), [(0, 0.0, None), (6, None, 1.0)])
def test_wilson_bounds_are_exact_at_no_hits_and_all_hits(
    hits: int, low: float | None, high: float | None
) -> None:
    """With k = 0 the Wilson interval is [0, z²/(n + z²)], with k = n [n/(n + z²), 1]."""
    values = [1.0] * hits + [0.0] * (6 - hits)
    table = pd.DataFrame({"variant": "base", "replication": range(6), "x": values})
    row = exceedance(table, "x", 0.5).iloc[0]
    z2 = 1.959963984540054**2
    if low is not None:
        assert row["ci_low"] == low
        assert row["ci_high"] == pytest.approx(z2 / (6 + z2))
    if high is not None:
        assert row["ci_high"] == high
        assert row["ci_low"] == pytest.approx(6 / (6 + z2))
