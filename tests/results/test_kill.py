"""Crash safety: a process killed with SIGKILL while running or saving leaves no partial run,
the runs saved before it intact, and a SQLite file that passes ``PRAGMA integrity_check``."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from plantwin.results import open_store
from plantwin.sim import RunResult

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# Stops a save between its first and last statement: after the run's row is inserted, at the
# insert of its event log, it says so on stdout and sleeps until it is killed.
PAUSE_INSIDE_SAVE = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from plantwin import builtin, simulate
    from plantwin.results import open_store

    @event.listens_for(Engine, "before_cursor_execute")
    def pause(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO run_data"):
            print("inside the transaction", flush=True)
            time.sleep(120)

    with open_store(sys.argv[1]) as store:
        store.save_run(simulate(builtin("maracay"), seed=8, horizon="30d"))
    """
)


def _check_after_kill(db: Path, earlier: int, maracay_run: RunResult) -> None:
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("SELECT id FROM runs").fetchall() == [(earlier,)]
        assert con.execute("SELECT DISTINCT run_id FROM run_data").fetchall() == [(earlier,)]
    with open_store(f"sqlite:///{db}") as store:
        assert [i.id for i in store.list_runs()] == [earlier]
        got = store.load(earlier)
        assert got.kpis == maracay_run.kpis
        assert got.events is not None and got.events.equals(maracay_run.events())
        assert store.save_run(maracay_run) == earlier + 1  # and the store takes new runs


def _kill(proc: subprocess.Popen[Any]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_kill_inside_the_save_transaction(tmp_path: Path, maracay_run: RunResult) -> None:
    db = tmp_path / "runs.db"
    with open_store(f"sqlite:///{db}") as store:
        earlier = store.save_run(maracay_run)
    script = tmp_path / "pause.py"
    script.write_text(PAUSE_INSIDE_SAVE, encoding="utf-8")
    err = tmp_path / "stderr.txt"
    with (
        err.open("w") as stderr,
        subprocess.Popen(
            [sys.executable, str(script), f"sqlite:///{db}"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        ) as proc,
    ):
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()  # blocks until the save is half done
            assert line.strip() == "inside the transaction", err.read_text()
            _kill(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
    _check_after_kill(db, earlier, maracay_run)


# ``plantwin run`` with its engine stopped half way: when the run reaches half its horizon the
# progress callback says so on stdout and sleeps until it is killed. No assumption about how long
# anything takes: the parent kills when told the run is under way.
PAUSE_HALF_WAY = textwrap.dedent(
    """
    import sys, time
    import plantwin.sim

    simulate = plantwin.sim.simulate

    def paused(*args, progress=None, **kwargs):
        def report(now, end):
            if progress is not None:
                progress(now, end)
            if now >= end / 2:
                print("half way", flush=True)
                time.sleep(120)
        return simulate(*args, progress=report, **kwargs)

    plantwin.sim.simulate = paused
    from plantwin.cli import main

    sys.argv = ["plantwin", *sys.argv[1:]]
    main()
    """
)


def test_kill_plantwin_run_half_way(tmp_path: Path, maracay_run: RunResult) -> None:
    """``plantwin run``, killed while it simulates: the store keeps what it had."""
    db = tmp_path / "runs.db"
    with open_store(f"sqlite:///{db}") as store:
        earlier = store.save_run(maracay_run)
    script = tmp_path / "half_way.py"
    script.write_text(PAUSE_HALF_WAY, encoding="utf-8")
    cmd = [
        sys.executable,
        str(script),
        "run",
        "--json",
        "--horizon",
        "1y",
        "--db",
        f"sqlite:///{db}",
    ]
    err = tmp_path / "stderr.txt"
    with (
        err.open("w") as stderr,
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, text=True) as proc,
    ):
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()  # blocks until the run is half way
            assert line.strip() == "half way", err.read_text()
            _kill(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
    _check_after_kill(db, earlier, maracay_run)
