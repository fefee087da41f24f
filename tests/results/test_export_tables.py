"""The Parquet and CSV exports as a planner loads them: each file read back with pyarrow and
with Python's csv module; time columns named with their unit beside a timestamp with the plant's
UTC offset, counts as integers, null where there is no value, and an orders table with due
times and late flags that agree with the KPIs."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from plantwin.experiment import Experiment, SerialExecutor
from plantwin.results import StoredRun, export_run
from plantwin.scenario import parse_scenario
from plantwin.sim import RunResult, simulate

COLUMNS = {
    "events": [
        "time_h",
        "timestamp",
        "object_type",
        "object_id",
        "event",
        "product",
        "lot",
        "quantity",
        "related",
    ],
    "output": [
        "start_h",
        "start_at",
        "end_h",
        "end_at",
        "product",
        "units_made",
        "units_stored",
        "cumulative_made",
        "cumulative_stored",
    ],
    "storage": ["time_h", "timestamp", "product", "change", "level", "total"],
    "line_states": ["line", "state", "product", "start_h", "start_at", "end_h", "end_at", "hours"],
    "orders": [
        "order",
        "product",
        "released_h",
        "released_at",
        "due_h",
        "due_at",
        "ordered",
        "shipped",
        "shipped_on_time",
        "remaining",
        "completed_h",
        "completed_at",
        "late",
    ],
}
COUNTS = {
    "events": ["quantity"],
    "output": ["units_made", "units_stored", "cumulative_made", "cumulative_stored"],
    "storage": ["change", "level", "total"],
    "line_states": [],
    "orders": ["ordered", "shipped", "shipped_on_time", "remaining"],
}
# events that carry a quantity (units, or for a verdict the defectives found in the sample)
COUNTED = {
    "lot_started",
    "component_consumed",
    "lot_produced",
    "process_started",
    "lot_processed",
    "lot_accepted",
    "lot_rejected",
    "lot_scrapped",
    "lot_stored",
    "order_released",
    "shipped",
    "order_completed",
}
INTEGER = re.compile(r"-?\d+")


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def exported(stored: StoredRun, folder: Path) -> dict[str, tuple[pa.Table, list[dict[str, str]]]]:
    """Every table of both exports: (the Parquet file read back, the CSV file's rows)."""
    parquet = export_run(stored, "parquet", folder / "parquet")
    export_run(stored, "csv", folder / "csv")
    out = {}
    for path in parquet:
        header, rows = read_csv(folder / "csv" / f"{path.stem}.csv")
        table = pq.read_table(path)
        assert header == table.column_names, path.stem
        out[path.stem] = (table, rows)
    return out


@pytest.fixture(scope="module")
def maracay_tables(
    maracay_run: RunResult, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[pa.Table, list[dict[str, str]]]]:
    return exported(StoredRun.from_result(maracay_run), tmp_path_factory.mktemp("export"))


def test_time_columns_are_named_with_their_unit(
    maracay_tables: dict[str, tuple[pa.Table, list[dict[str, str]]]],
) -> None:
    assert {name: t.column_names for name, (t, _) in maracay_tables.items()} == COLUMNS
    for name, (table, _) in maracay_tables.items():
        for column in table.column_names:
            if column.endswith("_h") or column == "hours":
                assert table.schema.field(column).type == pa.float64(), (name, column)
            if column.endswith("_at") or column == "timestamp":
                assert table.schema.field(column).type == pa.timestamp("us", "America/Caracas")


def test_counts_are_integers(
    maracay_tables: dict[str, tuple[pa.Table, list[dict[str, str]]]],
) -> None:
    for name, (table, rows) in maracay_tables.items():
        for column in COUNTS[name]:
            assert table.schema.field(column).type == pa.int64(), (name, column)
            cells = [r[column] for r in rows if r[column]]
            assert cells and all(INTEGER.fullmatch(c) for c in cells), (name, column)
    orders, rows = maracay_tables["orders"]
    assert orders.schema.field("late").type == pa.bool_()
    assert {r["late"] for r in rows} == {"true", "false"}


def test_null_where_there_is_no_value(
    maracay_run: RunResult, maracay_tables: dict[str, tuple[pa.Table, list[dict[str, str]]]]
) -> None:
    log = maracay_run.events().to_pylist()
    events, rows = maracay_tables["events"]
    assert len(log) == events.num_rows == len(rows)
    for raw, out, row in zip(log, events.to_pylist(), rows, strict=True):
        if raw["event"] in COUNTED:
            assert out["quantity"] == raw["quantity"] and row["quantity"] == f"{out['quantity']}"
        else:  # the log's 0 says "none": nothing is lost by the null
            assert raw["quantity"] == 0 and out["quantity"] is None and row["quantity"] == ""
        for column in ("product", "lot", "related"):
            assert out[column] == (raw[column] or None), column
            assert row[column] == raw[column]
    assert {r["lot"] for r in rows} > {""}  # some records have no lot
    for name, (table, rows) in maracay_tables.items():
        for row in rows:
            assert not {"None", "nan", "NaN", "null"} & set(row.values()), name
        for column in table.column_names:
            nulls = [v is None for v in table.column(column).to_pylist()]
            assert nulls == [r[column] == "" for r in rows], (name, column)


def test_timestamps_are_plant_time_with_its_offset(
    maracay_tables: dict[str, tuple[pa.Table, list[dict[str, str]]]],
) -> None:
    midnight = datetime(2025, 7, 1, 4, tzinfo=UTC)  # 00:00 in Caracas, UTC-4 all year
    for name, (table, rows) in maracay_tables.items():
        for hours_column in [c for c in table.column_names if c.endswith("_h")]:
            stamp = "timestamp" if hours_column == "time_h" else f"{hours_column[:-2]}_at"
            hours = table.column(hours_column).to_pylist()
            stamps = table.column(stamp).to_pylist()
            for h, t, row in zip(hours, stamps, rows, strict=True):
                if h is None:
                    assert t is None and row[stamp] == "", (name, stamp)
                    continue
                assert t.utcoffset() == timedelta(hours=-4), (name, stamp)
                assert abs(t - (midnight + timedelta(hours=h))) < timedelta(microseconds=1)
                assert datetime.fromisoformat(row[stamp]) == t.replace(microsecond=0)
    states = {r["start_h"]: r["start_at"] for r in maracay_tables["line_states"][1]}
    assert states["6"] == "2025-07-01T06:00:00-04:00"  # the first shift starts, local time


def zoned(small_toml: str, zone: str, start: str) -> str:
    text = small_toml.replace("start = 2025-01-06", f"start = {start}")
    return text.replace("[calendar]", f'timezone = "{zone}"\n\n[calendar]')


@pytest.mark.parametrize(
    ("start", "before", "after"),
    [
        ("2025-03-29", +1, +2),  # Sunday 2025-03-30 02:00 becomes 03:00, 26 h after the start
        ("2025-10-25", +2, +1),  # Sunday 2025-10-26 03:00 becomes 02:00: 02:00-03:00 twice
    ],
)
def test_timestamps_follow_daylight_saving(
    small_toml: str, tmp_path: Path, start: str, before: int, after: int
) -> None:
    scenario = parse_scenario(zoned(small_toml, "Europe/Berlin", start))
    result = simulate(scenario, seed=1, horizon="3d")
    tables = exported(StoredRun.from_result(result), tmp_path)
    events, rows = tables["events"]
    hours = events.column("time_h").to_pylist()
    assert any(h < 26 for h in hours) and any(h >= 28 for h in hours)
    first = date.fromisoformat(start)
    for h, t, row in zip(hours, events.column("timestamp").to_pylist(), rows, strict=True):
        if 26 <= h < 28:
            continue  # the hour that does not exist, or exists twice, in local time
        offset = timedelta(hours=before if h < 26 else after)
        local = datetime(first.year, first.month, first.day) + timedelta(hours=h)
        assert t.utcoffset() == offset
        assert t.astimezone(UTC) == (local - offset).replace(tzinfo=UTC)
        assert (
            row["timestamp"]
            == local.replace(microsecond=0, tzinfo=ZoneInfo("Europe/Berlin")).isoformat()
        )


def orders_of(run: RunResult, tmp_path: Path) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    table, rows = exported(StoredRun.from_result(run), tmp_path)["orders"]
    return table.to_pylist(), rows


def test_orders_late_flags_and_counts_agree_with_the_kpis(
    maracay_run: RunResult, maracay_tables: dict[str, tuple[pa.Table, list[dict[str, str]]]]
) -> None:
    table, rows = maracay_tables["orders"]
    orders = table.to_pylist()
    horizon = maracay_run.horizon_hours
    for o, row in zip(orders, rows, strict=True):
        if o["completed_h"] is None:  # open at the horizon: late once it is due
            assert o["late"] == (o["due_h"] <= horizon)
            assert o["remaining"] > 0 and row["completed_h"] == row["completed_at"] == ""
        else:
            assert o["late"] == (o["completed_h"] > o["due_h"])
            assert o["remaining"] == 0
        assert o["remaining"] == o["ordered"] - o["shipped"]
        assert o["shipped_on_time"] <= o["shipped"]
        # monthly demand: released on the 1st at 00:00, due on the 1st of the next month
        released, due = o["released_at"], o["due_at"]
        assert (released.day, released.hour, due.day, due.hour) == (1, 0, 1, 0)
        assert due.month == released.month % 12 + 1
        assert o["due_h"] - o["released_h"] == (due - released).total_seconds() / 3600
    assert {(o["late"], o["completed_h"] is None) for o in orders} >= {
        (True, False),
        (False, False),
        (False, True),  # open, not yet due
    }
    k = maracay_run.kpis["orders"]
    due = [o for o in orders if o["due_h"] <= horizon]
    assert len(orders) == k["released"] and len(due) == k["due_in_horizon"]
    assert sum(o["completed_h"] is not None for o in orders) == k["completed"]
    assert (
        sum(o["completed_h"] is not None and not o["late"] for o in orders)
        == (k["completed_on_time"])
    )
    assert sum(o["remaining"] for o in due) == k["backorders"]
    assert sum(o["shipped"] for o in orders) == k["units_shipped"]
    assert sum(o["shipped_on_time"] for o in due) == k["units_shipped_on_time"]


def test_an_order_open_after_its_due_time_is_late(small_run: RunResult, tmp_path: Path) -> None:
    orders, rows = orders_of(small_run, tmp_path)
    by_id = {o["order"]: (o, row) for o, row in zip(orders, rows, strict=True)}
    first, first_row = by_id["first"]
    assert first_row["due_at"] == "2025-01-08T00:00:00+00:00" and first["due_h"] == 48
    assert first["completed_h"] <= first["due_h"] and first_row["late"] == "false"
    second, second_row = by_id["second"]  # more than a week can make, due on day 4 of 7
    assert second["due_h"] == 96 < small_run.horizon_hours and second["completed_h"] is None
    assert second["late"] and second_row["late"] == "true"
    assert second["remaining"] == small_run.kpis["orders"]["backorders"] > 0


def test_experiment_replications_counts_and_nulls(small_run: RunResult, tmp_path: Path) -> None:
    # the tiny plant with two orders; a line too slow to fill one has no lead time
    exp = Experiment(
        small_run.scenario,
        {"base": [], "slow": [("lines.L1.rate", 1)]},
        replications=2,
        seed=1,
    )
    stored = StoredRun.from_resultset(exp.run(SerialExecutor()))
    tables = exported(stored, tmp_path)
    assert list(tables) == ["replications", "summary", "compare"]
    table, rows = tables["replications"]
    counts = ["replication", "seed", "orders.released", "orders.completed", "lines.L1.failures"]
    floats = ["horizon_hours", "output.units_made", "orders.fill_rate", "lines.L1.availability"]
    for column in counts:
        assert table.schema.field(column).type == pa.int64(), column
        assert all(INTEGER.fullmatch(r[column]) for r in rows), column
    for column in floats:
        assert table.schema.field(column).type == pa.float64(), column
    lead = table.column("orders.lead_time_mean_hours").to_pylist()
    completed = table.column("orders.completed").to_pylist()
    variants = table.column("variant").to_pylist()
    assert variants == ["base", "base", "slow", "slow"]
    for v, hours, done, row in zip(variants, lead, completed, rows, strict=True):
        assert (hours is None) == (done == 0) == (v == "slow")
        assert (row["orders.lead_time_mean_hours"] == "") == (hours is None)
    summary, _ = tables["summary"]
    assert summary.schema.field("n").type == pa.int64()
