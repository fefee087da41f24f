"""OCEL 2.0 times carry the plant's UTC offset (``plant.timezone``), not a false ``Z``."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plantwin import simulate
from plantwin.results import StoredRun, export_run, open_store
from plantwin.scenario import parse_scenario


def scenario_text(small_toml: str, zone: str | None, start: str = "2025-01-06") -> str:
    text = small_toml.replace("start = 2025-01-06", f"start = {start}")
    return (
        text if zone is None else text.replace("[calendar]", f'timezone = "{zone}"\n\n[calendar]')
    )


def json_times(path: Path) -> list[datetime]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [datetime.fromisoformat(e["time"]) for e in doc["events"]]


def sqlite_times(path: Path) -> list[datetime]:
    con = sqlite3.connect(path)
    try:
        tables = [t for (t,) in con.execute("SELECT ocel_type_map FROM event_map_type")]
        rows = [
            row
            for table in tables
            for row in con.execute(f'SELECT ocel_id, ocel_time FROM "event_{table}"')
        ]
    finally:
        con.close()
    by_id = {eid: datetime.fromisoformat(when) for eid, when in rows}
    return [by_id[f"e{i}"] for i in range(1, len(by_id) + 1)]


def exported(stored: StoredRun, tmp_path: Path) -> dict[str, list[datetime]]:
    [doc] = export_run(stored, "ocel", tmp_path / "run.ocel.json")
    [db] = export_run(stored, "ocel-sqlite", tmp_path / "run.sqlite")
    return {"ocel": json_times(doc), "ocel-sqlite": sqlite_times(db)}


def test_times_have_the_plant_offset_and_hour_zero_is_local_midnight(
    small_toml: str, tmp_path: Path
) -> None:
    result = simulate(parse_scenario(scenario_text(small_toml, "America/Caracas")), seed=1)
    hours = result.events().column("time").to_pylist()
    assert hours[0] == 0  # the log starts at t = 0
    midnight = datetime(2025, 1, 6, tzinfo=ZoneInfo("America/Caracas"))
    for fmt, times in exported(StoredRun.from_result(result), tmp_path).items():
        assert len(times) == len(hours), fmt
        assert {t.utcoffset() for t in times} == {timedelta(hours=-4)}, fmt
        assert times[0].isoformat() == "2025-01-06T00:00:00-04:00", fmt
        assert times == [midnight + timedelta(hours=h) for h in hours], fmt


def test_the_offset_follows_daylight_saving(small_toml: str, tmp_path: Path) -> None:
    # Europe/Madrid moves from +01:00 to +02:00 at 02:00 on Sunday 2025-03-30, 26 h after the start
    text = scenario_text(small_toml, "Europe/Madrid", start="2025-03-29")
    result = simulate(parse_scenario(text), seed=1, horizon="3d")
    hours = result.events().column("time").to_pylist()
    times = exported(StoredRun.from_result(result), tmp_path)["ocel"]
    assert any(h < 26 for h in hours) and any(h >= 27 for h in hours)
    for h, t in zip(hours, times, strict=True):
        if h < 26:
            assert t.utcoffset() == timedelta(hours=1)
        elif h >= 27:
            assert t.utcoffset() == timedelta(hours=2)
        assert t.replace(tzinfo=None) == datetime(2025, 3, 29) + timedelta(hours=h)


@pytest.mark.parametrize("zone", [None, "UTC"])
def test_runs_stored_before_the_field_existed_export_as_utc(
    small_toml: str, tmp_path: Path, results_store: Path, zone: str | None
) -> None:
    result = simulate(parse_scenario(scenario_text(small_toml, zone)), seed=1)
    with open_store(f"sqlite:///{results_store}") as store:
        run_id = store.save_run(result)
    con = sqlite3.connect(results_store)  # as an older plantwin wrote it: no plant.timezone
    with con:
        (text,) = con.execute("SELECT scenario_json FROM runs WHERE id = ?", (run_id,)).fetchone()
        scenario = json.loads(text)
        scenario["plant"].pop("timezone", None)
        con.execute(
            "UPDATE runs SET scenario_json = ? WHERE id = ?", (json.dumps(scenario), run_id)
        )
    con.close()
    with open_store(f"sqlite:///{results_store}") as store:
        stored = store.load(run_id)
    assert stored.scenario.plant.timezone == "UTC"
    for times in exported(stored, tmp_path).values():
        assert {t.utcoffset() for t in times} == {timedelta(0)}
        assert times[0] == datetime(2025, 1, 6, tzinfo=ZoneInfo("UTC"))
