"""The results store on SQLite: what goes in comes out, ids, listing, deletion, migrations."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect

import plantwin
from plantwin.experiment import ResultSet
from plantwin.results import (
    DEFAULT_DB,
    RunNotFoundError,
    Store,
    StoredRun,
    StoreError,
    StoreNotFoundError,
    open_store,
    resolve_url,
    schema_head,
)
from plantwin.results._schema import VERSION_TABLE, metadata
from plantwin.scenario import (
    ScenarioError,
    builtin,
    builtin_names,
    builtin_text,
    parse_scenario,
    read_stored,
    validate_data,
)
from plantwin.sim import EVENT_SCHEMA, RunResult, simulate

MIGRATIONS = Path(plantwin.results.__file__).parent / "migrations"


def test_store_then_load_gives_the_same_run(store: Store, maracay_run: RunResult) -> None:
    before = datetime.now(UTC)
    started = before - timedelta(seconds=3)
    run_id = store.save_run(
        maracay_run, source_text=builtin_text("maracay"), started_at=started, finished_at=before
    )
    got = store.load(run_id)
    assert got.id == run_id
    assert got.kind == "run"
    assert got.kpis == maracay_run.kpis
    assert got.scenario == maracay_run.scenario
    assert got.seed == maracay_run.seed == 3
    assert got.replication == maracay_run.replication
    assert got.horizon_hours == maracay_run.horizon_hours == 90 * 24
    assert got.source_text == builtin_text("maracay")
    assert got.plantwin_version == plantwin.__version__
    assert got.started_at == started
    assert got.finished_at == before
    scenario_json = maracay_run.scenario.model_dump_json(by_alias=True)
    assert got.scenario_json == scenario_json
    assert got.scenario_sha256 == hashlib.sha256(scenario_json.encode()).hexdigest()
    assert got.table is None
    assert got.variants is None


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_scenario_survives_its_json(name: str) -> None:
    """The store keeps ``model_dump_json(by_alias=True)`` and validates it back on load."""
    scenario = builtin(name)
    text = scenario.model_dump_json(by_alias=True)
    assert read_stored(text) == scenario


def test_event_log_round_trips_identically(store: Store, maracay_run: RunResult) -> None:
    original = maracay_run.events()
    got = store.load(store.save_run(maracay_run)).events
    assert got is not None
    assert got.schema == EVENT_SCHEMA
    assert got.num_rows == original.num_rows == maracay_run.kpis["engine"]["log_records"]
    assert got.equals(original)


def test_a_run_without_event_log_stores_none(store: Store, small_toml: str) -> None:
    from plantwin.scenario import parse_scenario

    result = simulate(parse_scenario(small_toml), seed=2, event_log=False)
    got = store.load(store.save_run(result))
    assert got.events is None
    assert got.kpis == result.kpis


def test_listing_shows_every_run_with_headline_kpis(
    store: Store, maracay_run: RunResult, small_run: RunResult, resultset: ResultSet
) -> None:
    ids = [store.save_run(maracay_run), store.save_run(small_run), store.save_experiment(resultset)]
    listed = store.list_runs()
    assert [i.id for i in listed] == ids
    assert [i.kind for i in listed] == ["run", "run", "experiment"]
    assert listed[0].scenario_name == maracay_run.scenario.plant.name
    assert listed[1].scenario_name == "small test plant"
    for info, result in zip(listed[:2], (maracay_run, small_run), strict=True):
        assert info.seed == result.seed
        assert info.horizon_hours == result.horizon_hours
        assert info.units_stored == result.kpis["output"]["units_stored"]
        assert info.attainment == result.kpis["output"]["attainment"]
        assert info.fill_rate == result.kpis["orders"]["fill_rate"]
        assert info.replications is None
    assert listed[1].attainment is None  # the small plant has no nameplate
    base = resultset.table[resultset.table["variant"] == "base"]
    assert listed[2].replications == 3
    assert listed[2].units_stored == pytest.approx(base["output.units_stored"].mean())
    assert listed[2].fill_rate == pytest.approx(base["orders.fill_rate"].mean())


def test_delete_removes_the_run_and_its_data(
    store: Store, db_url: str, small_run: RunResult
) -> None:
    keep, drop = store.save_run(small_run), store.save_run(small_run)
    store.delete(drop)
    assert [i.id for i in store.list_runs()] == [keep]
    with pytest.raises(RunNotFoundError, match=f"no stored run with id {drop}"):
        store.load(drop)
    with pytest.raises(RunNotFoundError):
        store.delete(drop)
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as con:
        assert con.execute("SELECT DISTINCT run_id FROM run_data").fetchall() == [(keep,)]
    assert store.load(keep).kpis == small_run.kpis


def test_ids_of_deleted_runs_are_never_reused(store: Store, small_run: RunResult) -> None:
    first = store.save_run(small_run)
    second = store.save_run(small_run)
    store.delete(second)
    assert store.save_run(small_run) == second + 1
    assert first < second


def test_load_unknown_id(store: Store) -> None:
    with pytest.raises(RunNotFoundError) as info:
        store.load(42)
    assert isinstance(info.value, LookupError)
    assert info.value.run_id == 42


def test_experiment_round_trip(store: Store, resultset: ResultSet) -> None:
    got = store.load(store.save_experiment(resultset))
    assert got.kind == "experiment"
    assert got.events is None
    assert got.seed == resultset.seed == 11
    assert got.replications == 3
    assert got.variants == resultset.variants
    assert got.horizon_hours == 60 * 24
    assert got.table is not None
    pd.testing.assert_frame_equal(got.table, resultset.table)
    again = got.resultset()
    pd.testing.assert_frame_equal(again.summary(), resultset.summary())
    pd.testing.assert_frame_equal(again.compare(), resultset.compare())
    # the stored summary is the result set's own, in JSON
    summary = resultset.summary(["output.units_stored"]).set_index("variant")
    for variant in resultset.variants:
        stored = got.kpis["summary"][variant]["output.units_stored"]
        assert stored["mean"] == pytest.approx(summary.loc[variant, "mean"])
        assert stored["ci_low"] == pytest.approx(summary.loc[variant, "ci_low"])
    diff = resultset.compare(["output.units_stored"]).iloc[0]
    stored_diff = got.kpis["compare"]["cuts every 60 h"]["output.units_stored"]
    assert stored_diff["mean_diff"] == pytest.approx(diff["mean_diff"])


def test_kpis_with_nan_are_stored_as_null(store: Store, small_run: RunResult) -> None:
    kpis: dict[str, Any] = {**small_run.kpis, "odd": {"nan": float("nan"), "inf": float("inf")}}
    stored = StoredRun.from_result(small_run)
    run_id = store.save(StoredRun(**{**vars(stored), "kpis": kpis}))
    assert store.load(run_id).kpis["odd"] == {"nan": None, "inf": None}


def test_a_failed_save_stores_nothing(store: Store, small_run: RunResult) -> None:
    """The run's row and its data go in one transaction: a failure on the data undoes the row."""
    earlier = store.save_run(small_run)
    engine = store._engine

    def refuse(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO run_data"):
            raise RuntimeError("disk on fire")

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        with pytest.raises(RuntimeError, match="disk on fire"):
            store.save_run(small_run)
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    assert [i.id for i in store.list_runs()] == [earlier]
    assert store.save_run(small_run) == earlier + 1  # not even its id was kept


def test_sqlite_runs_in_wal_mode(store: Store, db_url: str) -> None:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)


# --- schema and migrations ----------------------------------------------------------------------


def test_the_revision_read_without_alembic_is_the_migrations_head() -> None:
    """A store at SCHEMA_HEAD opens without Alembic: the constant must follow the migrations."""
    from plantwin.results._schema import SCHEMA_HEAD

    assert schema_head() == SCHEMA_HEAD


def test_opening_a_current_store_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.db'}"
    open_store(url).close()  # created and migrated here
    code = (
        "import sys; from plantwin.results import open_store;"
        f" s = open_store({url!r}); s.list_runs(); s.close();"
        " print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_migrations_create_the_schema_from_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with open_store(url) as s:
        assert s.schema_revision() == schema_head()
    engine = create_engine(url)
    try:
        tables = {"runs", "run_data", "scenarios", "jobs", VERSION_TABLE}
        assert set(inspect(engine).get_table_names()) == tables
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            assert context.get_current_revision() == schema_head()
            # what the migrations built is exactly what the code's table definitions say
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_there_is_one_head_and_it_is_the_newest_revision() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    heads = script.get_heads()
    assert heads == [schema_head()]
    assert next(r.revision for r in script.walk_revisions()) == schema_head()


def test_reopening_keeps_the_runs(db_url: str, small_run: RunResult) -> None:
    with open_store(db_url) as s:
        run_id = s.save_run(small_run)
    with open_store(db_url) as s:
        assert s.schema_revision() == schema_head()
        assert s.load(run_id).kpis == small_run.kpis


def test_in_memory_store(small_run: RunResult) -> None:
    with open_store("sqlite://") as s:
        run_id = s.save_run(small_run)
        assert s.load(run_id).kpis == small_run.kpis


# --- URLs and errors -----------------------------------------------------------------------------


def test_resolve_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANTWIN_DB", raising=False)
    assert resolve_url() == DEFAULT_DB == "sqlite:///plantwin.db"
    monkeypatch.setenv("PLANTWIN_DB", "sqlite:////data/runs.db")
    assert resolve_url() == "sqlite:////data/runs.db"
    assert resolve_url("results/my.db") == "sqlite:///results/my.db"
    assert resolve_url("postgresql://u:p@host/db") == "postgresql+psycopg://u:p@host/db"
    assert resolve_url("postgres://u@host/db") == "postgresql+psycopg://u@host/db"
    assert resolve_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"


def test_open_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        open_store("mysql://localhost/x")
    with pytest.raises(StoreError, match="unable to open database file"):
        open_store(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreNotFoundError, match="no results store at"):
        open_store(f"sqlite:///{missing}", create=False)
    assert not missing.exists()


def test_a_run_saved_under_looser_rules_still_loads(tmp_path: Path, small_toml: str) -> None:
    """A scenario that today's limits refuse (here: 20 lots an hour, more than 10) but that was
    valid when its run was saved is read back, not locked away."""
    s = parse_scenario(small_toml)
    fast = s.model_copy(update={"lines": [s.lines[0].model_copy(update={"rate": 2000})]})
    with pytest.raises(ScenarioError, match="lots an hour"):
        validate_data(fast.model_dump(mode="json", by_alias=True), "<test>")
    result = simulate(fast, 1, horizon="2h")
    with open_store(f"sqlite:///{tmp_path / 'old.db'}") as store:
        got = store.load(store.save_run(result))
    assert got.scenario == fast
    assert got.kpis == result.kpis


# --- labels and overrides -------------------------------------------------------------------------


def test_label_and_overrides_round_trip(store: Store, small_run: RunResult) -> None:
    label = "[red]x[/red] :100: baseline"  # text, never markup
    overrides = {"set": ["storage.capacity=1e7"]}
    run_id = store.save_run(small_run, label=label, overrides=overrides)
    got = store.load(run_id)
    assert (got.label, got.overrides) == (label, overrides)
    [info] = store.list_runs()
    assert (info.label, info.overrides) == (label, overrides)
    bare = store.load(store.save_run(small_run))
    assert (bare.label, bare.overrides) == (None, None)


def test_a_store_of_the_first_schema_upgrades_in_place(tmp_path: Path) -> None:
    """A store written before labels existed opens, gains the columns and keeps its runs."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "v0001")
        conn.exec_driver_sql(
            "INSERT INTO runs (kind, scenario_name, scenario_json, scenario_sha256, seed, "
            "horizon_hours, plantwin_version, started_at, finished_at, saved_at, kpis) VALUES "
            "('run', 'old plant', '{}', 'abc', 7, 24.0, '0.0.1', '2025-01-01 00:00:00', "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00', '{}')"
        )
    engine.dispose()
    with open_store(url) as s:
        assert s.schema_revision() == schema_head()
        [info] = s.list_runs()
    assert (info.scenario_name, info.seed, info.label, info.overrides) == (
        "old plant",
        7,
        None,
        None,
    )
