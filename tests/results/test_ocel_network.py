"""The OCEL 2.0 export of a network: lot genealogy as object-to-object relations, crews and
buffers as objects, stations of every role; read back from JSON, SQLite and by pm4py."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from plantwin import simulate
from plantwin.results import StoredRun, export_run
from plantwin.scenario import parse_scenario
from plantwin.sim import RunResult

# Parts a (through the process station P) and b go into the kit of X, which assembles ab from
# 1 a and 2 b in lots of 100; b's lots of 150 are split between assemblies. A's repairs need
# the one member of crew fix. ab is tested on T, then stored.
NETWORK = """\
format = 2

[plant]
name = "genealogy test plant"
start = 2025-01-06
horizon = "3d"

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "a"

[[products]]
id = "b"

[[products]]
id = "ab"

[[stations]]
id = "A"
role = "produce"
products = ["a"]
rate = 100
lot_size = 100
failures.between = { dist = "exponential", mean = 5 }
failures.repair = { dist = "constant", value = 0.5 }
crew = "fix"

[[stations]]
id = "B"
role = "produce"
products = ["b"]
rate = 300
lot_size = 150

[[stations]]
id = "P"
role = "process"
rate = 80

[[stations]]
id = "X"
role = "assemble"
products = ["ab"]
rate = 100
lot_size = 100

[[stations]]
id = "T"
role = "test"
test_time = { dist = "constant", value = 0.5 }
sampling = { plan = { n = 5, ac = 0, re = 1 } }

[[buffers]]
id = "wip"
lots = 10

[[buffers]]
id = "kit"
lots = 10

[[buffers]]
id = "queue"
lots = 2

[[routings]]
products = ["a"]
stages = [{ stations = ["A"] }, { buffer = "wip", stations = ["P"] }]
to = "kit"

[[routings]]
products = ["b"]
stages = [{ stations = ["B"] }]
to = "kit"

[[routings]]
products = ["ab"]
stages = [{ buffer = "kit", stations = ["X"] }, { buffer = "queue", stations = ["T"] }]

[[bom]]
product = "ab"
components = [{ product = "a", units = 1 }, { product = "b", units = 2 }]

[[crews]]
id = "fix"
count = 1
"""
BILL = {"a": 1, "b": 2}  # units of each component per unit of ab


@pytest.fixture(scope="module")
def run() -> RunResult:
    return simulate(parse_scenario(NETWORK), seed=1)


@pytest.fixture(scope="module")
def files(run: RunResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("ocel")
    stored = StoredRun.from_result(run)
    [doc] = export_run(stored, "ocel", folder / "run.ocel.json")
    [db] = export_run(stored, "ocel-sqlite", folder / "run.sqlite")
    return {"json": doc, "sqlite": db}


@pytest.fixture(scope="module")
def doc(files: dict[str, Path]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(files["json"].read_text(encoding="utf-8"))
    return result


def records(run: RunResult, event: str) -> list[dict[str, Any]]:
    return [e for e in run.events().to_pylist() if e["event"] == event]


def events_of(doc: dict[str, Any], etype: str) -> list[dict[str, Any]]:
    return [e for e in doc["events"] if e["type"] == etype]


def rels(item: dict[str, Any]) -> set[tuple[str, str]]:
    """An event's or object's relationships as (object id, qualifier)."""
    return {(r["objectId"], r["qualifier"]) for r in item["relationships"]}


def objects(doc: dict[str, Any], kind: str) -> set[str]:
    return {o["id"] for o in doc["objects"] if o["type"] == kind}


def consumed_pairs(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        (o["id"], r["objectId"])
        for o in doc["objects"]
        for r in o["relationships"]
        if r["qualifier"] == "consumed"
    )


def test_each_component_consumed_record_is_one_consumed_relation(
    run: RunResult, doc: dict[str, Any], files: dict[str, Path]
) -> None:
    taken = records(run, "component_consumed")
    expected = sorted((f"lot:{r['object_id']}", f"lot:{r['lot']}") for r in taken)
    assert len(expected) > 0
    assert consumed_pairs(doc) == expected  # assembled lot -> component lot, one per record
    # a component lot split between two assemblies relates to each of them
    assert max(Counter(component for _, component in expected).values()) == 2
    # the run record's genealogy says the same
    assert expected == sorted((f"lot:{a}", f"lot:{c}") for a, c, _, _ in run.record.genealogy)
    con = sqlite3.connect(files["sqlite"])
    try:
        rows = con.execute(
            "SELECT ocel_source_id, ocel_target_id FROM object_object WHERE ocel_qualifier = ?",
            ("consumed",),
        ).fetchall()
    finally:
        con.close()
    assert sorted(rows) == expected


def test_an_assembled_lot_consumes_lot_size_times_the_bill(doc: dict[str, Any]) -> None:
    assembled = {o["id"]: o for o in doc["objects"] if ("line:X", "made on") in rels(o)}
    units: dict[str, Counter[str]] = defaultdict(Counter)
    for e in events_of(doc, "component_consumed"):
        related = {q: oid for oid, q in rels(e)}
        assert related["line"] == "line:X"
        assert related["component"].startswith("lot:")
        [quantity] = [a["value"] for a in e["attributes"] if a["name"] == "quantity"]
        units[related["lot"]][related["component product"]] += quantity
    assert set(units) == set(assembled)
    for lot, by_component in units.items():
        [size] = [a["value"] for a in assembled[lot]["attributes"] if a["name"] == "size"]
        assert by_component == {f"product:{p}": size * q for p, q in BILL.items()}, lot
        # the assembled lot is an ab, not one of its components
        assert {oid for oid, q in rels(assembled[lot]) if q == "is a"} == {"product:ab"}


def test_crews_and_buffers_are_objects_that_events_relate(
    run: RunResult, doc: dict[str, Any]
) -> None:
    assert objects(doc, "crew") == {"crew:fix"}
    queued = records(run, "lot_queued")
    assert objects(doc, "buffer") == {f"buffer:{r['related']}" for r in queued}
    assert objects(doc, "buffer") >= {"buffer:wip", "buffer:kit"}
    for record, event in zip(queued, events_of(doc, "lot_queued"), strict=True):
        assert rels(event) >= {
            (f"lot:{record['object_id']}", "lot"),
            (f"buffer:{record['related']}", "buffer"),
        }
        assert not any(q == "range" for _, q in rels(event))  # a network's buffer is no range
    repairs = events_of(doc, "repair_started")
    assert len(repairs) == run.kpis["crews"]["fix"]["repairs"] > 0
    for event in repairs:
        assert rels(event) >= {("line:A", "line"), ("crew:fix", "crew")}


def test_stations_of_every_role_are_objects(run: RunResult, doc: dict[str, Any]) -> None:
    assert objects(doc, "line") == {"line:A", "line:B", "line:P", "line:X"}
    assert objects(doc, "range") == {"range:T"}
    for etype in ("process_started", "lot_processed"):
        worked = events_of(doc, etype)
        assert len(worked) == len(records(run, etype)) > 0
        for event in worked:
            lots = {oid for oid, q in rels(event) if q == "lot"}
            assert len(lots) == 1
            # the lot, the station working on it and the station that made it
            assert rels(event) >= {("line:P", "station"), ("line:A", "line")}
    for event in events_of(doc, "lot_accepted"):
        assert ("range:T", "range") in rels(event)


def test_pm4py_reads_the_network_export(doc: dict[str, Any], files: dict[str, Path]) -> None:
    pm4py: Any = pytest.importorskip("pm4py")
    by_type = dict(Counter(o["type"] for o in doc["objects"]))
    o2o = sum(len(o["relationships"]) for o in doc["objects"])
    e2o = sum(len(e["relationships"]) for e in doc["events"])
    for ocel in (
        pm4py.read_ocel2_json(str(files["json"])),
        pm4py.read_ocel2_sqlite(str(files["sqlite"])),
    ):
        assert len(ocel.events) == len(doc["events"])
        assert ocel.objects["ocel:type"].value_counts().to_dict() == by_type
        assert len(ocel.o2o) == o2o
        assert len(ocel.relations) == e2o
        consumed = ocel.o2o[ocel.o2o["ocel:qualifier"] == "consumed"]
        assert len(consumed) == len(consumed_pairs(doc))


def test_each_test_event_relates_the_test_station_of_its_lane(tmp_path: Path) -> None:
    """Two test stations share the stage: a test event relates the one whose lane tested."""
    text = NETWORK.replace('stations = ["T"] }]', 'stations = ["T", "U"] }]') + (
        '\n[[stations]]\nid = "U"\nrole = "test"\ntest_time = { dist = "constant", value = 0.5 }\n'
        "sampling = { plan = { n = 5, ac = 0, re = 1 } }\n"
    )
    result = simulate(parse_scenario(text), seed=1)
    [path] = export_run(StoredRun.from_result(result), "ocel", tmp_path / "run.ocel.json")
    got = json.loads(path.read_text(encoding="utf-8"))
    by_lane: dict[str, set[str]] = defaultdict(set)
    tested = records(result, "test_started")
    for record, event in zip(tested, events_of(got, "test_started"), strict=True):
        by_lane[record["related"]] |= {oid for oid, q in rels(event) if q == "range"}
    assert by_lane == {"lane-1": {"range:T"}, "U.lane-1": {"range:U"}}
