"""The store's saved scenarios and jobs: what goes in comes out, updates that cannot undo an
ended job, a job's result saved with its end or not at all, and the v0003 migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from plantwin.results import (
    JobEndedError,
    JobNotFoundError,
    RunNotFoundError,
    ScenarioNotFoundError,
    Store,
    StoredRun,
    open_store,
    schema_head,
)
from plantwin.sim import RunResult

MIGRATIONS = Path(__file__).parents[2] / "src" / "plantwin" / "results" / "migrations"


# --- saved scenarios -------------------------------------------------------------------------


def test_a_saved_scenario_round_trips_and_saving_again_replaces_it(store: Store) -> None:
    source = '# comment kept\n[plant]\nname = "<b>x</b>"\n'
    store.save_scenario("mine", source)
    assert store.scenario_source("mine") == source
    [first] = store.list_scenarios()
    assert first.name == "mine" and first.created_at == first.updated_at
    store.save_scenario("mine", "changed")
    assert store.scenario_source("mine") == "changed"
    [again] = store.list_scenarios()
    assert again.created_at == first.created_at and again.updated_at > first.updated_at


def test_saved_scenarios_are_listed_by_name_and_deleted(store: Store) -> None:
    for name in ("b", "a", "c"):
        store.save_scenario(name, f"# {name}")
    assert [s.name for s in store.list_scenarios()] == ["a", "b", "c"]
    store.delete_scenario("b")
    assert [s.name for s in store.list_scenarios()] == ["a", "c"]
    with pytest.raises(ScenarioNotFoundError, match="no saved scenario named 'b'") as caught:
        store.scenario_source("b")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value) == "no saved scenario named 'b'"  # not KeyError's quoted form
    with pytest.raises(ScenarioNotFoundError):
        store.delete_scenario("b")


def test_a_scenario_name_must_fit_its_column(store: Store) -> None:
    with pytest.raises(ValueError, match="1 to 200 characters"):
        store.save_scenario("", "x")
    with pytest.raises(ValueError, match="1 to 200 characters"):
        store.save_scenario("n" * 201, "x")
    store.save_scenario("n" * 200, "x")


# --- jobs ------------------------------------------------------------------------------------


def test_a_new_job_is_queued_with_its_request(store: Store) -> None:
    request = {"scenario": "maracay", "seed": 3, "sets": ["storage.capacity=10"]}
    job_id = store.add_job("run", request, total=100)
    job = store.job(job_id)
    assert (job.id, job.kind, job.status, job.request) == (job_id, "run", "queued", request)
    assert (job.done, job.total, job.message, job.result_id) == (0, 100, None, None)
    assert job.active and job.created_at.tzinfo is not None
    assert (job.started_at, job.finished_at) == (None, None)
    other = store.add_job("experiment", {"reps": 2})
    assert [j.id for j in store.list_jobs()] == [job_id, other]


def test_update_job_sets_fields_and_a_status_filter_lists_them(store: Store) -> None:
    a, b = store.add_job("run", {}), store.add_job("run", {})
    assert store.update_job(a, status="running", done=40)
    assert store.update_job(b, status="failed", message="why")
    assert (store.job(a).status, store.job(a).done) == ("running", 40)
    assert (store.job(b).status, store.job(b).message, store.job(b).active) == (
        "failed",
        "why",
        False,
    )
    assert [j.id for j in store.list_jobs(("queued", "running"))] == [a]


def test_an_ended_job_is_not_changed_by_a_conditional_update(store: Store) -> None:
    job_id = store.add_job("run", {})
    store.update_job(job_id, status="cancelled")
    assert not store.update_job(job_id, when_status=("running",), done=50, status="failed")
    assert (store.job(job_id).status, store.job(job_id).done) == ("cancelled", 0)


def test_update_job_refuses_unknown_jobs_fields_and_statuses(store: Store) -> None:
    job_id = store.add_job("run", {})
    with pytest.raises(JobNotFoundError, match="no job with id 99"):
        store.update_job(99, done=1)
    with pytest.raises(JobNotFoundError):
        store.job(99)
    with pytest.raises(TypeError, match="no field kind"):
        store.update_job(job_id, kind="experiment")
    with pytest.raises(ValueError, match="not a job status: 'finished'"):
        store.update_job(job_id, status="finished")


def test_a_running_jobs_result_is_saved_with_its_end(store: Store, small_run: RunResult) -> None:
    job_id = store.add_job("run", {}, total=100)
    store.update_job(job_id, status="running", done=30)
    run_id = store.save(StoredRun.from_result(small_run), job_id=job_id)
    job = store.job(job_id)
    assert (job.status, job.result_id, job.done, job.total) == ("done", run_id, 100, 100)
    assert job.finished_at is not None
    assert store.load(run_id).kpis == small_run.kpis


def test_an_ended_jobs_result_is_not_saved(store: Store, small_run: RunResult) -> None:
    earlier = store.save_run(small_run)
    job_id = store.add_job("run", {})
    store.update_job(job_id, status="cancelled")
    with pytest.raises(JobEndedError, match=f"job {job_id} is no longer running"):
        store.save(StoredRun.from_result(small_run), job_id=job_id)
    assert [r.id for r in store.list_runs()] == [earlier]  # the run rolled back with it
    assert store.job(job_id).status == "cancelled"


def test_deleting_a_result_leaves_its_job_without_it(store: Store, small_run: RunResult) -> None:
    job_id = store.add_job("run", {})
    store.update_job(job_id, status="running")
    run_id = store.save(StoredRun.from_result(small_run), job_id=job_id)
    store.delete(run_id)
    job = store.job(job_id)
    assert (job.status, job.result_id) == ("done", None)


def test_set_label(store: Store, small_run: RunResult) -> None:
    run_id = store.save_run(small_run, label="old")
    store.set_label(run_id, "new <label>")
    assert store.load(run_id).label == "new <label>"
    [info] = store.list_runs()
    assert info.label == "new <label>"
    store.set_label(run_id, None)
    assert store.load(run_id).label is None
    with pytest.raises(RunNotFoundError):
        store.set_label(run_id + 1, "x")


# --- the migration -----------------------------------------------------------------------------


def test_a_v0002_store_upgrades_in_place(tmp_path: Path, small_run: RunResult) -> None:
    """A store of the schema before scenarios and jobs opens, gains both tables and keeps its
    runs, labels and overrides."""
    db = tmp_path / "v0002.db"
    url = f"sqlite:///{db}"
    engine = create_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "v0002")
        conn.exec_driver_sql(
            "INSERT INTO runs (kind, scenario_name, scenario_json, scenario_sha256, seed, "
            "horizon_hours, plantwin_version, started_at, finished_at, saved_at, kpis, label, "
            "overrides) VALUES ('run', 'old plant', '{}', 'abc', 7, 24.0, '0.0.1', "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00', '2025-01-01 00:00:00', '{}', "
            "'kept', '{\"set\": [\"a=1\"]}')"
        )
    engine.dispose()
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT version_num FROM plantwin_schema_version").fetchall() == [
            ("v0002",)
        ]
    with open_store(url) as s:
        assert s.schema_revision() == schema_head() == "v0003"
        [info] = s.list_runs()
        assert (info.scenario_name, info.seed, info.label, info.overrides) == (
            "old plant",
            7,
            "kept",
            {"set": ["a=1"]},
        )
        assert s.list_scenarios() == [] and s.list_jobs() == []
        s.save_scenario("new", "# text")
        job_id = s.add_job("run", {})
        s.update_job(job_id, status="running")
        run_id = s.save(StoredRun.from_result(small_run), job_id=job_id)
        assert run_id == info.id + 1 and s.job(job_id).result_id == run_id
