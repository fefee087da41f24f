"""An experiment's results as numpy columns: the summary they give without pandas is the
summary of the table, for a fresh result and for one rebuilt from its table (as the store
does)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from plantwin.experiment import (
    Columns,
    Experiment,
    ResultSet,
    SerialExecutor,
    commissions_lines,
    milestone_kpis,
)
from plantwin.scenario import apply_overrides, builtin, parse_override

MARACAY = builtin("maracay")


@pytest.fixture(scope="module")
def result() -> ResultSet:
    variants = {"base": [], "one lane": [parse_override("range.lanes=1")]}
    return Experiment(MARACAY, variants, replications=3, seed=4, horizon="60d").run(
        SerialExecutor(), summary_only=True
    )


def test_the_summary_records_are_the_summary_table(result: ResultSet) -> None:
    kpis = ["output.units_stored", "orders.fill_rate", "range.lots_rejected"]
    records = result.summary_records(kpis)
    assert [(r["variant"], r["kpi"]) for r in records][:2] == [
        ("base", "output.units_stored"),
        ("base", "orders.fill_rate"),
    ]
    assert records == result.summary(kpis).to_dict(orient="records")
    # every KPI by default, in the table's column order
    assert result.kpis() == [c for c in result.table.columns if c not in ("variant", "replication")]
    assert result.summary_records() == result.summary().to_dict(orient="records")


def test_a_result_rebuilt_from_its_table_has_the_same_columns_and_summary(
    result: ResultSet,
) -> None:
    rebuilt = ResultSet(result.scenario, result.variants, result.seed, 3, result.table.copy())
    assert rebuilt.kpis() == result.kpis()
    assert rebuilt.columns.variant == result.columns.variant
    assert list(rebuilt.columns.replication) == [0, 1, 2, 0, 1, 2]
    assert rebuilt.summary_records() == result.summary_records()
    pd.testing.assert_frame_equal(rebuilt.columns.frame(), result.table)


def test_one_replication_gives_a_mean_without_interval() -> None:
    one = Experiment(MARACAY, replications=1, horizon="7d").run(SerialExecutor(), summary_only=True)
    (record,) = one.summary_records(["output.units_stored"])
    assert record["n"] == 1 and record["mean"] > 0
    assert math.isnan(record["sd"]) and math.isnan(record["ci_low"])
    # equal, NaN and all (repr: NaN != NaN)
    assert repr(one.summary_records()) == repr(one.summary().to_dict(orient="records"))


def test_no_rows_make_an_empty_table() -> None:
    empty = Columns.of(pd.DataFrame())
    assert len(empty) == 0 and "output.units_stored" not in empty
    assert empty.frame().equals(pd.DataFrame())


def test_milestones_are_found_in_the_columns_as_in_the_table() -> None:
    late = parse_override("lines.L1.commissioned=2025-08-01")
    build = Experiment(MARACAY, {"late": [late]}, replications=2, horizon="90d")
    result = build.run(SerialExecutor())
    kpis = milestone_kpis(MARACAY, result.columns)
    assert "lines.L1.commissioned_hours" in kpis
    assert kpis == milestone_kpis(MARACAY, result.table)
    on_time = Experiment(MARACAY, replications=2, horizon="7d").run(SerialExecutor())
    assert milestone_kpis(MARACAY, on_time.columns) == milestone_kpis(MARACAY, on_time.table) == []


def test_a_scenario_with_commissioning_dates_or_projects_may_be_a_build_study() -> None:
    late = parse_override("lines.L1.commissioned=2025-08-01")
    assert not commissions_lines(MARACAY)
    assert commissions_lines(apply_overrides(MARACAY, [late]))
    assert commissions_lines(builtin("maracay-build"))  # projects
    assert not commissions_lines(builtin("assembly"))  # a network
