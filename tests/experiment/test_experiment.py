"""Experiments: CI coverage against an analytic mean, common random numbers, executors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plantwin.experiment import (
    DaskExecutor,
    Experiment,
    LocalExecutor,
    SerialExecutor,
    cumulative_fan,
    mean_ci,
    parse_sweep,
    sweep_variants,
)
from plantwin.scenario import ScenarioError, builtin, parse_override, validate_data

MARACAY = builtin("maracay")

# A plant with almost no work: one line making huge lots, so a year takes a few milliseconds.
# Long standstills arrive as a Poisson process of 6 a year: over one year their count has mean 6.
TINY = validate_data(
    {
        "plant": {"start": "2025-01-01", "horizon": "1y"},
        "calendar": {"workdays": ["mon"], "shifts": ["08:00-09:00"]},
        "products": [{"id": "a"}],
        "lines": [{"id": "L1", "products": ["a"], "rate": 1, "lot_size": 1_000_000}],
        "grid": {"standstills": {"per_year": 6, "duration": {"dist": "constant", "value": 1}}},
        "range": {
            "test_time": {"dist": "constant", "value": 1},
            "sampling": {"plan": {"n": 1, "ac": 0, "re": 1}},
        },
        "buffer": {"lots": 1},
    },
    "<tiny>",
)


def test_confidence_intervals_cover_the_analytic_mean_at_the_nominal_rate() -> None:
    """300 independent experiments of 8 replications: about 95 % of their CIs cover 6."""
    exp = Experiment(TINY, replications=2400, seed=11)
    counts = exp.run(SerialExecutor()).table["grid.standstills"].to_numpy()
    assert counts.mean() == pytest.approx(6, rel=0.05)
    covered = 0
    groups = counts.reshape(300, 8)
    for group in groups:
        mean, _, half = mean_ci(group)
        covered += mean - half <= 6 <= mean + half
    # binomial(300, 0.95) lies in [0.92, 0.98] with probability > 0.99
    assert 0.92 <= covered / 300 <= 0.98, covered


def test_mean_ci_matches_scipy() -> None:
    x = np.random.default_rng(1).normal(10, 2, 25)
    mean, sd, half = mean_ci(x, 0.9)
    low, high = stats.t.interval(0.9, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (mean - half, mean + half) == pytest.approx((low, high))
    assert sd == pytest.approx(x.std(ddof=1))


def test_paired_differences_are_narrower_than_unpaired_under_common_random_numbers() -> None:
    exp = Experiment(
        MARACAY,
        {"base": [], "fewer cuts": [parse_override("grid.cuts.between.mean=480")]},
        replications=20,
        seed=3,
        horizon="120d",
    )
    result = exp.run(SerialExecutor())
    kpi = "output.units_stored"
    paired = result.compare([kpi]).iloc[0]
    a = result.table.loc[result.table.variant == "base", kpi].to_numpy()
    b = result.table.loc[result.table.variant == "fewer cuts", kpi].to_numpy()
    welch = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    paired_half = (paired["ci_high"] - paired["ci_low"]) / 2
    unpaired_half = (welch.high - welch.low) / 2
    assert paired["mean_diff"] == pytest.approx(b.mean() - a.mean())
    assert paired_half < unpaired_half / 2, (paired_half, unpaired_half)
    assert paired["ci_low"] > 0  # fewer cuts: more output, and the paired CI can tell


def test_replication_r_draws_the_same_numbers_in_every_variant() -> None:
    exp = Experiment(
        MARACAY,
        {"base": [], "more storage": [parse_override("storage.capacity=40000000")]},
        replications=3,
        horizon="60d",
    )
    t = exp.run(SerialExecutor()).table
    # storage never fills in 60 days, so the variants are the same plant: identical KPIs
    base = t[t.variant == "base"].drop(columns="variant").reset_index(drop=True)
    more = t[t.variant == "more storage"].drop(columns="variant").reset_index(drop=True)
    same = [c for c in base.columns if c != "storage.capacity"]
    pd.testing.assert_frame_equal(base[same], more[same])


def test_local_processes_give_the_serial_table_for_any_worker_count() -> None:
    exp = Experiment(MARACAY, sweep_variants([("range.lanes", [1, 2])]), 4, 5, "30d")
    serial = exp.run(SerialExecutor()).table
    for workers in (1, 2, 3):
        with LocalExecutor(workers) as ex:
            pd.testing.assert_frame_equal(exp.run(ex).table, serial)


def test_dask_local_cluster_gives_the_serial_table() -> None:
    exp = Experiment(MARACAY, sweep_variants([("range.lanes", [1, 2])]), 3, 9, "30d")
    serial = exp.run(SerialExecutor()).table
    with warnings.catch_warnings():
        # distributed warns about its own port choices and cluster shutdown; not ours to fix
        warnings.simplefilter("ignore")
        with DaskExecutor("local", workers=2) as ex:
            table = exp.run(ex).table
    pd.testing.assert_frame_equal(table, serial)


def test_sequential_stopping_reaches_the_precision() -> None:
    exp = Experiment(TINY, replications=4, seed=2)
    result = exp.run_to_precision("grid.standstills", 0.08, max_replications=2000)
    row = result.summary(["grid.standstills"]).iloc[0]
    assert row["half_width"] <= 0.08 * row["mean"]
    assert result.replications > 4
    # and the cap is respected
    capped = exp.run_to_precision("grid.standstills", 0.001, max_replications=30)
    assert capped.replications == 30


def test_progress_reports_every_replication() -> None:
    seen: list[tuple[int, int]] = []
    Experiment(TINY, replications=5).run(SerialExecutor(), lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_sweeps() -> None:
    assert parse_sweep("range.lanes=1,2,3") == ("range.lanes", [1, 2, 3])
    assert parse_sweep("grid.cuts.between.mean=100:300:100") == (
        "grid.cuts.between.mean",
        [100, 200, 300],
    )
    assert parse_sweep("performance=0.9:1:0.05")[1] == pytest.approx([0.9, 0.95, 1.0])
    assert parse_sweep("x=mil-std-105e, iso2859-1") == ("x", ["mil-std-105e", "iso2859-1"])
    assert parse_sweep('g={lines=["L1", "L2"], start_delay=0.5}, {lines=[]}') == (
        "g",
        [{"lines": ["L1", "L2"], "start_delay": 0.5}, {"lines": []}],
    )
    variants = sweep_variants([("a", [1, 2]), ("b", [True])])
    assert list(variants) == ["base", "a=1, b=true", "a=2, b=true"]
    for bad in ("range.lanes", "x=", "x=3:1:1", "x=1:2:0", "x=a:b:c"):
        with pytest.raises(ValueError):
            parse_sweep(bad)


def test_a_bad_override_names_the_variant_and_the_closest_paths() -> None:
    exp = Experiment(MARACAY, {"base": [], "v": [parse_override("grid.cuts.betwen.mean=1")]})
    with pytest.raises(ScenarioError) as info:
        exp.scenarios()
    text = str(info.value)
    assert "betwen" in text and "grid.cuts.between.mean" in text
    assert "did you mean 'between'" in text


def test_kpi_table_holds_no_event_logs_and_stays_small() -> None:
    result = Experiment(MARACAY, replications=4, horizon="30d").run(SerialExecutor())
    per_row = result.table.memory_usage(deep=True).sum() / len(result.table)
    assert per_row * 10_000 < 100 * 2**20  # 10,000 replications well under 1 GiB
    assert math.isfinite(result.table["output.units_stored"].sum())


def test_cumulative_fan_bands_cumulative_monthly_output() -> None:
    result = Experiment(MARACAY, replications=6, horizon="3mo").run(SerialExecutor())
    fan = cumulative_fan(result.table)
    assert list(fan["month"]) == ["2025-07", "2025-08", "2025-09"]
    t = result.table
    cum = t[["output.monthly.2025-07", "output.monthly.2025-08"]].sum(axis=1)
    row = fan[fan["month"] == "2025-08"].iloc[0]
    assert row["p50"] == pytest.approx(np.quantile(cum, 0.5))
    assert (fan["p10"] <= fan["p50"]).all() and (fan["p50"] <= fan["p90"]).all()
    assert fan["p50"].is_monotonic_increasing
    # monthly output adds up to the lots finished in the run
    assert t.filter(like="output.monthly.").sum(axis=1).max() <= t["output.units_made"].max()


@pytest.mark.parametrize(
    ("horizon", "says"), [("8000y", "runs past 9998-12-31"), ("3000y", "engine events")]
)
def test_a_horizon_that_cannot_run_is_refused_when_the_experiment_is_made(
    horizon: str, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        Experiment(builtin(), horizon=horizon)


def test_a_batch_hands_back_one_float_array_per_replication_and_its_names_once() -> None:
    """What crosses from a worker to the parent: float64 values, the KPI names listed once."""
    from plantwin.sim import Batch, run_batch

    exp = Experiment(builtin("maracay"), replications=3, seed=1, horizon="30d")
    rows = run_batch(Batch(exp.scenarios(), 1, "30d", (("base", 0), ("base", 1), ("base", 2))))
    assert len(rows) == 3 and len(rows.names) == 1
    assert all(v.dtype == np.float64 and v.shape == (len(rows.names[0]),) for v in rows.values)
    table = exp.run().table
    names = list(rows.names[0])
    for r in range(3):
        row = table[table["replication"] == r].iloc[0]
        assert list(row[names[2:]]) == list(rows.values[r][2:])  # after seed and replication
