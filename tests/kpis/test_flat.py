"""The flat KPIs, an experiment's rows: one definition whichever way they are made. A run's
``flat_kpis()``, ``flatten`` of its KPIs' dict, ``flatten`` of its typed KPIs and the rows of
a batch of the same runs are the same names, in the same order, with the same values."""

from __future__ import annotations

import pytest

from plantwin import builtin, simulate
from plantwin.kpis import compute, compute_kpis, flat_names, flatten
from plantwin.sim import Batch, run_batch

HORIZON = "60d"  # a month boundary, repairs, tests and orders in every built-in


@pytest.mark.parametrize("name", ["maracay", "assembly"])
def test_the_typed_kpis_flatten_as_their_dict(name: str) -> None:
    record = simulate(builtin(name), 1, horizon=HORIZON, event_log=False).record
    from_dict = flatten(compute_kpis(record))
    from_model = flatten(compute(record))
    assert list(from_model.items()) == list(from_dict.items())
    assert all(type(v) is float for v in from_model.values())


@pytest.mark.parametrize("name", ["maracay", "assembly"])
def test_a_run_s_flat_kpis_are_its_kpis_flattened(name: str) -> None:
    result = simulate(builtin(name), 1, horizon=HORIZON, event_log=False)
    flat = result.flat_kpis()
    assert list(flat.items()) == list(flatten(result.kpis).items())
    station, kpis = next(iter(result.kpis["lines"].items()))
    assert flat[f"lines.{station}.units_made"] == kpis["units_made"]
    assert not any(k.startswith("iso22400.stations.") for k in flat)


@pytest.mark.parametrize("name", ["maracay", "assembly"])
def test_a_batch_s_rows_are_the_runs_flat_kpis(name: str) -> None:
    """What an experiment tabulates is, name for name and bit for bit, what simulate gives."""
    scenario = builtin(name)
    runs = (("base", 0), ("base", 1), ("base", 2))
    rows = run_batch(Batch({"base": scenario}, 7, HORIZON, runs))
    for k, (_, rep) in enumerate(runs):
        flat = simulate(scenario, 7, replication=rep, horizon=HORIZON, event_log=False).flat_kpis()
        assert rows.names[rows.keys[k]] == tuple(flat)
        assert rows.values[k].tolist() == list(flat.values())


def test_the_columns_are_the_flat_names_and_the_missing_ones_in_order() -> None:
    """``flat_names`` lists the numeric KPIs in ``flatten``'s order, with the KPIs this run has
    no value for (None) among them, but no dates and no texts."""
    kpis = simulate(builtin("maracay"), 1, horizon="1h", event_log=False).kpis
    names, flat = flat_names(kpis), flatten(kpis)
    assert [n for n in names if n in flat] == list(flat)
    missing = [n for n in names if n not in flat]
    assert "orders.lead_time_mean_hours" in missing  # no order completed in an hour
    assert not any(n.endswith("_date") for n in missing)
    assert "scenario" not in names and "unit" not in names
