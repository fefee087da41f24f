"""Exports of stored runs: Parquet and CSV tables, OCEL 2.0 (JSON and SQLite) read by pm4py."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from plantwin.experiment import ResultSet
from plantwin.results import (
    StoredRun,
    atomic_write,
    export_run,
    line_state_intervals,
    ocel_json,
    ocel_log,
    order_fill,
    output_over_time,
    storage_level,
)
from plantwin.sim import EVENT_SCHEMA, RunResult

RUN_TABLES = ["events", "output", "storage", "line_states", "orders"]


@pytest.fixture
def stored(maracay_run: RunResult) -> StoredRun:
    return StoredRun.from_result(maracay_run)


EVENT_COLUMNS = ["time_h", "timestamp", *EVENT_SCHEMA.names[1:]]  # the log's time is in hours


def test_parquet_export(stored: StoredRun, maracay_run: RunResult, tmp_path: Path) -> None:
    files = export_run(stored, "parquet", tmp_path / "out")
    assert [f.name for f in files] == [f"{n}.parquet" for n in RUN_TABLES]
    events = pq.read_table(tmp_path / "out" / "events.parquet")
    log = maracay_run.events()
    assert events.num_rows == log.num_rows == maracay_run.kpis["engine"]["log_records"]
    assert events.column_names == EVENT_COLUMNS
    assert events.column("time_h").equals(log.column("time"))
    assert events.column("event").equals(log.column("event"))
    horizon = maracay_run.horizon_hours
    expected = {
        "output": output_over_time(log, horizon).num_rows,
        "storage": storage_level(log).num_rows,
        "line_states": line_state_intervals(log, horizon).num_rows,
        "orders": order_fill(log).num_rows,
    }
    for name, rows in expected.items():
        assert pq.read_table(tmp_path / "out" / f"{name}.parquet").num_rows == rows, name
    first = events.column("timestamp")[0].as_py()
    assert first.isoformat() == f"{maracay_run.start.isoformat()}T00:00:00-04:00"  # Caracas


def test_csv_export(stored: StoredRun, maracay_run: RunResult, tmp_path: Path) -> None:
    files = export_run(stored, "csv", tmp_path)
    assert [f.name for f in files] == [f"{n}.csv" for n in RUN_TABLES]
    with (tmp_path / "events.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == EVENT_COLUMNS
    assert len(rows) - 1 == maracay_run.events().num_rows
    events = maracay_run.events().to_pylist()
    assert [r[4] for r in rows[1:]] == [e["event"] for e in events]


def test_experiment_exports_its_tables(resultset: ResultSet, tmp_path: Path) -> None:
    stored = StoredRun.from_resultset(resultset)
    files = export_run(stored, "parquet", tmp_path)
    assert [f.name for f in files] == ["replications.parquet", "summary.parquet", "compare.parquet"]
    table = pq.read_table(files[0]).to_pandas()
    assert len(table) == len(resultset.table) == 2 * 3
    assert list(table.columns) == list(resultset.table.columns)
    assert pq.read_table(files[2]).num_rows == len(resultset.compare())
    with pytest.raises(ValueError, match="experiment keeps none"):
        export_run(stored, "ocel", tmp_path / "x.json")


def test_a_run_without_event_log_cannot_be_exported(stored: StoredRun, tmp_path: Path) -> None:
    bare = StoredRun(**{**vars(stored), "events": None})
    for fmt in ("csv", "ocel"):
        with pytest.raises(ValueError, match="kept no event log"):
            export_run(bare, fmt, tmp_path / "x")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="unknown export format"):
        export_run(stored, "xml", tmp_path / "x")  # type: ignore[arg-type]


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")

    def half_then_fail(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left
    atomic_write(target, lambda tmp: tmp.write_text("new", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "new"
    assert list(tmp_path.iterdir()) == [target]


# --- OCEL 2.0 ------------------------------------------------------------------------------------


def _expected_objects(run: RunResult) -> Counter[str]:
    """Objects by type, worked out from the log: what the OCEL export must contain."""
    objects: set[tuple[str, str]] = set()
    for e in run.events().to_pylist():
        objects.add((e["object_type"], e["object_id"]))
        if e["product"]:
            objects.add(("product", e["product"]))
        if e["lot"]:
            objects.add(("lot", e["lot"]))
        if e["object_type"] == "lot":
            objects.add(("line", e["object_id"].rsplit("-", 1)[0]))
        if e["object_type"] == "lot" and e["event"].startswith(("test", "lot_acc", "lot_rej")):
            objects.add(("range", "range"))
        if e["event"] == "setup":
            objects.add(("product", e["related"]))
    return Counter(kind for kind, _ in objects)


def _pm4py() -> object:
    # pm4py is a test-only dependency; it announces itself on stdout when imported
    return pytest.importorskip("pm4py")


def test_ocel_json_loads_in_pm4py(
    stored: StoredRun, maracay_run: RunResult, tmp_path: Path
) -> None:
    pm4py = _pm4py()
    [path] = export_run(stored, "ocel", tmp_path / "run.ocel.json")
    ocel = pm4py.read_ocel2_json(str(path))  # type: ignore[attr-defined]
    log = maracay_run.events()
    assert len(ocel.events) == log.num_rows
    objects = ocel.objects["ocel:type"].value_counts().to_dict()
    assert objects == dict(_expected_objects(maracay_run))
    assert objects["line"] == len(maracay_run.scenario.lines)
    assert objects["product"] == len(maracay_run.scenario.products)
    assert objects["order"] == maracay_run.kpis["orders"]["released"]
    activities = ocel.events["ocel:activity"].value_counts().to_dict()
    assert activities["lot_started"] == Counter(log.column("event").to_pylist())["lot_started"]
    assert activities["failed"] == sum(v["failures"] for v in maracay_run.kpis["lines"].values())
    assert activities["power_off"] == len(maracay_run.power_off) > 0


def test_ocel_relationships(small_run: RunResult) -> None:
    doc = ocel_json(ocel_log(small_run.events(), small_run.start))
    events = doc["events"]
    assert len(events) == small_run.events().num_rows
    assert [e["id"] for e in events] == [f"e{i}" for i in range(1, len(events) + 1)]
    by_type: dict[str, list[dict[str, object]]] = {}
    for e in events:
        by_type.setdefault(e["type"], []).append(e)
    rels = {(r["objectId"], r["qualifier"]) for r in by_type["shipped"][0]["relationships"]}
    assert rels == {("order:first", "order"), ("lot:L1-00001", "lot"), ("product:a", "product")}
    rels = {(r["objectId"], r["qualifier"]) for r in by_type["lot_accepted"][0]["relationships"]}
    assert rels == {
        ("lot:L1-00001", "lot"),
        ("product:a", "product"),
        ("line:L1", "line"),
        ("range:range", "range"),
    }
    assert by_type["lot_started"][0]["time"] == "2025-01-06T00:00:00.000000+00:00"
    assert by_type["lot_produced"][0]["time"] == "2025-01-06T01:00:00.000000+00:00"
    lot = next(o for o in doc["objects"] if o["id"] == "lot:L1-00001")
    assert [(a["name"], a["value"]) for a in lot["attributes"]] == [("size", 100.0)]
    assert {(r["objectId"], r["qualifier"]) for r in lot["relationships"]} == {
        ("line:L1", "made on"),
        ("product:a", "is a"),
    }
    order = next(o for o in doc["objects"] if o["id"] == "order:second")
    assert order["attributes"][0]["value"] == 50000.0
    assert {t["name"] for t in doc["eventTypes"]} >= {"lot_started", "shipped", "range_open"}


def test_ocel_sqlite_loads_in_pm4py(
    stored: StoredRun, maracay_run: RunResult, tmp_path: Path
) -> None:
    pm4py = _pm4py()
    [path] = export_run(stored, "ocel-sqlite", tmp_path / "run.sqlite")
    ocel = pm4py.read_ocel2_sqlite(str(path))  # type: ignore[attr-defined]
    assert len(ocel.events) == maracay_run.events().num_rows
    assert ocel.objects["ocel:type"].value_counts().to_dict() == dict(
        _expected_objects(maracay_run)
    )
    doc = ocel_json(ocel_log(maracay_run.events(), maracay_run.start))
    assert len(ocel.relations) == sum(len(e["relationships"]) for e in doc["events"])
    assert len(ocel.o2o) == sum(len(o["relationships"]) for o in doc["objects"])
    # a second export replaces the file whole
    export_run(stored, "ocel-sqlite", path)
    assert len(pm4py.read_ocel2_sqlite(str(path)).events) == len(ocel.events)  # type: ignore[attr-defined]
