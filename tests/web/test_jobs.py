"""Background jobs with real worker processes and a real SQLite file: results equal the service's,
bad requests refused before any job exists, progress, cancel, a killed worker, a restart.

Nothing here assumes how fast the machine is: every wait is on a condition, with a generous
deadline; the jobs that must still be running when they are stopped are far too long to end.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from plantwin.results import Job, Store, open_store
from plantwin.service import (
    MAX_REPS,
    BadInput,
    load,
    load_source,
    plan_experiment,
    run,
    run_experiment,
)
from plantwin.web import JobRunner

from .conftest import wait_for

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")

WORKERS = min(2, os.cpu_count() or 1)
# an experiment that runs for a long time on any machine: stopped long before it could end
ENDLESS = {"scenario": "maracay", "horizon": "5y", "reps": MAX_REPS, "workers": WORKERS}


def _ended(store: Store, job_id: int) -> Job:
    wait_for(lambda: not store.job(job_id).active, f"job {job_id} to end")
    return store.job(job_id)


def _sessions() -> dict[int, int]:
    """Every process's session id, by pid (zombies included: they are not gone yet)."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue  # ended while we looked
            out[int(entry)] = int(stat.rsplit(")", 1)[1].split()[3])
    return out


def _job_sessions() -> dict[int, set[int]]:
    """The processes of this test's jobs, by session (one per job: its worker leads it)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(
                    Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except OSError:
                continue

    def mine(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    sessions = _sessions()
    out: dict[int, set[int]] = {}
    for pid, sid in sessions.items():
        if sid != os.getsid(0) and mine(pid):
            out.setdefault(sid, set()).add(pid)
    return out


def _gone(sids: set[int]) -> bool:
    return not sids & set(_sessions().values())


def _running_with_pool(store: Store, job_id: int) -> int:
    """Wait until the job runs with its experiment's pool up; the session of its processes."""
    expected = 1 + (WORKERS if WORKERS > 1 else 0)

    def up() -> bool:
        groups = _job_sessions()
        return store.job(job_id).status == "running" and any(
            len(pids) >= expected for pids in groups.values()
        )

    wait_for(up, f"job {job_id} to run with {expected} processes")
    [sid] = _job_sessions()
    return sid


@pytest.fixture
def db_url(results_store: Path) -> str:
    return f"sqlite:///{results_store}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as s:
        yield s


@pytest.fixture
def runner(db_url: str) -> Iterator[JobRunner]:
    with JobRunner(db_url) as r:
        yield r


def test_a_run_job_saves_what_a_direct_run_gives(runner: JobRunner, store: Store) -> None:
    request = {"scenario": "maracay", "seed": 3, "horizon": "30d", "label": "from the web"}
    request["sets"] = ["storage.capacity=2000000"]
    job = _ended(store, runner.submit("run", request))
    assert (job.status, job.message, job.done, job.total) == ("done", None, 100, 100)
    assert job.result_id is not None and job.started_at is not None
    saved = store.load(job.result_id)
    loaded = load("maracay", sets=["storage.capacity=2000000"], horizon="30d")
    # with progress, as the job runs it: the engine counts the progress events among its own
    direct = run(loaded, seed=3, progress=lambda now, end: None)
    assert saved.kpis == direct.result.kpis
    assert (saved.kind, saved.seed, saved.label) == ("run", 3, "from the web")
    assert saved.overrides == {"set": ["storage.capacity=2000000"]}
    assert job.request["scenario"] == "maracay" and job.request["sets"] == request["sets"]


def test_an_experiment_job_of_a_saved_scenario(
    runner: JobRunner, store: Store, small_toml: str
) -> None:
    store.save_scenario("mine", small_toml)
    request = {"scenario": "mine", "seed": 4, "reps": 3, "sweeps": ["lines.L1.rate=80,100"]}
    job_id = runner.submit("experiment", request)
    dones = []
    while store.job(job_id).active:  # progress as a second browser sees it
        dones.append(store.job(job_id).done)
        time.sleep(0.01)
    job = store.job(job_id)
    assert (job.status, job.total) == ("done", 9)  # 3 variants x 3 replications
    assert dones == sorted(dones) and all(0 <= d <= 9 for d in dones)
    assert job.done == job.total
    assert job.result_id is not None
    saved = store.load(job.result_id)
    plan = plan_experiment(
        load_source(small_toml, "mine"), reps=3, seed=4, sweeps=["lines.L1.rate=80,100"]
    )
    direct = run_experiment(plan, workers=1)
    assert saved.kind == "experiment"
    assert saved.kpis == direct.stored.kpis
    assert saved.source_text == small_toml


def test_a_source_wins_over_the_name_and_its_problems_have_lines(
    runner: JobRunner, store: Store, small_toml: str
) -> None:
    job = _ended(store, runner.submit("run", {"scenario": "maracay", "source": small_toml}))
    assert job.status == "done" and job.result_id is not None
    assert store.load(job.result_id).scenario.plant.name == "small test plant"
    broken = small_toml.replace("rate = 100", "rate = -5")
    with pytest.raises(BadInput) as caught:
        runner.submit("run", {"scenario": "draft", "source": broken})
    line = broken.splitlines().index("rate = -5") + 1
    assert f"draft:{line}: lines[0].rate" in caught.value.message
    assert [p.line for p in caught.value.problems] == [line]


@pytest.mark.parametrize(
    ("kind", "request_", "message"),
    [
        ("sweep", {"scenario": "maracay"}, "kind must be 'run' or 'experiment'"),
        ("run", {"scenario": "nowhere"}, "no scenario named 'nowhere'"),
        ("run", {"scenario": "/etc/passwd"}, "no scenario named '/etc/passwd'"),
        ("run", {}, "scenario: name a built-in or saved scenario"),
        ("run", {"scenario": "maracay", "seed": -1}, "seed must be a whole number"),
        ("run", {"scenario": "maracay", "seed": True}, "seed must be a whole number"),
        ("run", {"scenario": "maracay", "colour": "red"}, "unknown field 'colour'"),
        ("run", {"scenario": "maracay", "sets": "a=1"}, "sets must be a list"),
        ("run", {"scenario": "maracay", "sets": ["nope"]}, "--set"),
        ("run", {"scenario": "maracay", "horizon": "forever"}, "--horizon"),
        ("run", {"scenario": "maracay", "label": "two\nlines"}, "--label must be one line"),
        ("run", {"scenario": "maracay", "source": "[plant"}, "not valid TOML"),
        ("experiment", {"scenario": "maracay", "reps": 0}, "reps must be a whole number"),
        ("experiment", {"scenario": "maracay", "workers": 10**6}, "workers must be"),
        ("experiment", {"scenario": "maracay", "compare": "yes"}, "compare must be true"),
        (
            "experiment",
            {"scenario": "maracay", "sweeps": ["grid.cuts.between.mean=1:2000:1"]},
            "--sweep",
        ),
        (
            "experiment",
            {"scenario": "maracay", "sweeps": ["lines.L1.rate=0,10"]},
            "problem",
        ),
    ],
)
def test_a_bad_request_is_refused_before_any_job_exists(
    runner: JobRunner, store: Store, kind: str, request_: dict[str, object], message: str
) -> None:
    with pytest.raises(BadInput, match=message.replace("[", r"\[")):
        runner.submit(kind, request_)
    assert store.list_jobs() == []


def test_cancel_stops_the_worker_and_its_pool_and_saves_nothing(
    runner: JobRunner, store: Store
) -> None:
    job_id = runner.submit("experiment", ENDLESS)
    sid = _running_with_pool(store, job_id)
    job = runner.cancel(job_id)
    assert (job.status, job.result_id) == ("cancelled", None)
    assert job.message == "cancelled; nothing was saved"
    wait_for(lambda: _gone({sid}), "the job's processes to end")
    assert store.job(job_id).status == "cancelled"  # the monitor did not call it failed
    assert store.list_runs() == []
    assert runner.cancel(job_id).status == "cancelled"  # an ended job stays as it is


def test_a_killed_worker_fails_its_job_and_the_store_stays_intact(
    runner: JobRunner, store: Store, results_store: Path
) -> None:
    earlier = _ended(store, runner.submit("run", {"scenario": "maracay", "horizon": "30d"}))
    assert earlier.result_id is not None
    kpis = store.load(earlier.result_id).kpis
    job_id = runner.submit("experiment", ENDLESS)
    sid = _running_with_pool(store, job_id)
    os.kill(sid, signal.SIGKILL)  # the worker leads its session
    job = _ended(store, job_id)
    assert job.status == "failed"
    assert job.message == "the worker process stopped unexpectedly (signal 9)"
    wait_for(lambda: _gone({sid}), "the killed worker's pool to end")
    with sqlite3.connect(results_store) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert [r.id for r in store.list_runs()] == [earlier.result_id]
    assert store.load(earlier.result_id).kpis == kpis
    again = _ended(store, runner.submit("run", {"scenario": "maracay", "horizon": "30d"}))
    assert again.status == "done"  # and the runner goes on


def test_jobs_wait_for_a_free_slot(db_url: str, store: Store, small_toml: str) -> None:
    with JobRunner(db_url, slots=1) as runner:
        first = runner.submit("experiment", ENDLESS)
        second = runner.submit("run", {"scenario": "small", "source": small_toml})
        sid = _running_with_pool(store, first)
        assert store.job(second).status == "queued"
        runner.cancel(first)
        assert _ended(store, second).status == "done"
        wait_for(lambda: _gone({sid}), "the cancelled job's processes to end")


def test_a_queued_job_cancelled_never_runs(db_url: str, store: Store, small_toml: str) -> None:
    with JobRunner(db_url, slots=1) as runner:
        first = runner.submit("experiment", ENDLESS)
        second = runner.submit("run", {"scenario": "small", "source": small_toml})
        assert runner.cancel(second).status == "cancelled"
        runner.cancel(first)
        _ended(store, first)
        assert store.job(second).started_at is None
        assert store.list_runs() == []


def test_close_cancels_running_and_queued_jobs(db_url: str, store: Store) -> None:
    runner = JobRunner(db_url, slots=1)
    first = runner.submit("experiment", ENDLESS)
    second = runner.submit("experiment", ENDLESS)
    sid = _running_with_pool(store, first)
    runner.close()
    for job_id in (first, second):
        job = store.job(job_id)
        assert (job.status, job.message) == ("cancelled", "the server stopped; nothing was saved")
    wait_for(lambda: _gone({sid}), "the jobs' processes to end")
    with pytest.raises(RuntimeError, match="closed"):
        runner.submit("run", {"scenario": "maracay"})


def test_recover_marks_the_jobs_a_previous_server_left(db_url: str, store: Store) -> None:
    queued = store.add_job("run", {"scenario": "maracay"})
    running = store.add_job("experiment", {"scenario": "maracay"})
    store.update_job(running, status="running", done=3)
    done = store.add_job("run", {"scenario": "maracay"})
    store.update_job(done, status="done")
    with JobRunner(db_url) as runner:
        assert runner.recover() == 2
        assert runner.recover() == 0
    for job_id in (queued, running):
        job = store.job(job_id)
        assert job.status == "interrupted" and job.finished_at is not None
        assert job.message == "the server stopped before the job ended; nothing was saved"
    assert store.job(running).done == 3
    assert store.job(done).status == "done"
