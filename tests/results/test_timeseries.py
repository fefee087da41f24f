"""Time series from the event log agree with the KPIs the engine computed its own way."""

from __future__ import annotations

import numpy as np
import pytest

from plantwin.results import line_state_intervals, order_fill, output_over_time, storage_level
from plantwin.scenario import parse_scenario
from plantwin.sim import LINE_STATES, RunResult, simulate


def test_state_spells_tile_the_horizon_and_sum_to_the_kpi_hours(maracay_run: RunResult) -> None:
    spells = line_state_intervals(maracay_run.events(), maracay_run.horizon_hours).to_pandas()
    assert set(spells["state"]) <= set(LINE_STATES)
    assert {"producing", "off_shift", "failed", "power_out"} <= set(spells["state"])
    for line, group in spells.groupby("line"):
        starts, ends = group["start"].to_numpy(), group["end"].to_numpy()
        assert starts[0] == 0.0
        assert ends[-1] == maracay_run.horizon_hours
        np.testing.assert_array_equal(starts[1:], ends[:-1])  # no gap, no overlap
        assert (ends > starts).all()
        assert (group["state"].to_numpy()[1:] != group["state"].to_numpy()[:-1]).all()
        hours = group.groupby("state")["hours"].sum()
        for state, expected in maracay_run.kpis["lines"][line]["hours"].items():
            assert hours.get(state, 0.0) == pytest.approx(expected, abs=1e-6), (line, state)
    assert sorted(spells["line"].unique()) == sorted(maracay_run.kpis["lines"])


def test_a_line_commissioned_late_is_not_commissioned_until_then(small_toml: str) -> None:
    text = small_toml.replace("lot_size = 100\n", "lot_size = 100\ncommissioned = 2025-01-08\n")
    result = simulate(parse_scenario(text), seed=1)
    spells = line_state_intervals(result.events(), result.horizon_hours).to_pandas()
    first = spells.iloc[0]
    assert (first["state"], first["start"], first["end"]) == ("not_commissioned", 0.0, 48.0)
    assert result.kpis["lines"]["L1"]["hours"]["not_commissioned"] == 48.0


def test_output_of_one_lot_an_hour(small_run: RunResult) -> None:
    """100 units/h in lots of 100 around the clock: a lot every hour from t = 1 h."""
    table = output_over_time(small_run.events(), small_run.horizon_hours).to_pandas()
    made = table["units_made"].to_numpy()
    assert len(table) == 7
    assert table["time"].tolist() == [24.0 * d for d in range(1, 8)]
    assert made[0] == 23 * 100  # lots finished at 1 h ... 23 h
    assert (made[1:] == 24 * 100).all()  # 24 h ... 167 h; the one due at 168 h is at the end
    good = table["units_good"].to_numpy()
    assert (good <= made).all()
    np.testing.assert_array_equal(table["cumulative_made"], np.cumsum(made))


def test_output_totals_match_the_kpis(maracay_run: RunResult) -> None:
    table = output_over_time(maracay_run.events(), maracay_run.horizon_hours, 168.0).to_pandas()
    by_product = maracay_run.kpis["output"]["by_product"]
    assert list(table["product"].unique()) == list(by_product)
    assert table["time"].max() == maracay_run.horizon_hours
    for product, group in table.groupby("product"):
        assert group["units_good"].sum() == pytest.approx(by_product[product]["units_stored"])
        assert group["cumulative_good"].iloc[-1] == pytest.approx(
            by_product[product]["units_stored"]
        )
        assert np.all(np.diff(group["cumulative_made"]) >= 0)
    with pytest.raises(ValueError, match="bin_hours"):
        output_over_time(maracay_run.events(), 10.0, 0.0)


@pytest.mark.parametrize("fixture", ["maracay_run", "small_run"])
def test_storage_level_matches_the_kpis(fixture: str, request: pytest.FixtureRequest) -> None:
    run: RunResult = request.getfixturevalue(fixture)
    table = storage_level(run.events()).to_pandas()
    storage = run.kpis["storage"]
    assert len(table) > 0
    assert table["total"].max() == pytest.approx(storage["max"])
    assert table["total"].min() >= -1e-6
    assert table["total"].iloc[-1] == pytest.approx(storage["end"])
    for product, level in storage["by_product"].items():
        rows = table[table["product"] == product]
        assert rows["level"].iloc[-1] == pytest.approx(level)
    np.testing.assert_allclose(table["total"], np.cumsum(table["change"]))


def test_order_fill_matches_the_kpis(maracay_run: RunResult, small_run: RunResult) -> None:
    for run in (maracay_run, small_run):
        table = order_fill(run.events()).to_pandas()
        orders = run.kpis["orders"]
        assert len(table) == orders["released"]
        assert table["shipped"].sum() == pytest.approx(orders["units_shipped"])
        assert table["completed"].notna().sum() == orders["completed"]
        assert (table["shipped"] <= table["ordered"] + 1e-6).all()
    small = order_fill(small_run.events()).to_pandas().set_index("order")
    assert small.loc["first", "ordered"] == 1000
    assert small.loc["first", "shipped"] == 1000
    assert small.loc["second", "ordered"] == 50000
    assert np.isnan(small.loc["second", "completed"])  # a week makes ~16,000 of 50,000
