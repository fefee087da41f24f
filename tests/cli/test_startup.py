"""Import hygiene of the command line: each command imports only what it uses.

Not timed (benchmarks/bench_startup.py times whole processes); these tests pin which modules a
command loads, so that a later change cannot silently bring back a second of imports. Each
command runs in a fresh interpreter, which writes ``sorted(sys.modules)`` to a file at exit.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from plantwin import __version__

# what each command may not import: the store (SQLAlchemy, Alembic), tables (pandas, pyarrow),
# scipy.stats (a second by itself), reports (Plotly, Jinja2) and Dask
HEAVY = ["sqlalchemy", "alembic", "pandas", "pyarrow", "scipy.stats", "plotly", "jinja2", "dask"]
HEAVY += ["fastapi", "uvicorn", "plantwin.web"]  # the web app: plantwin serve only

COMMANDS = ["run", "experiment", "runs", "show", "delete", "export", "report", "scenarios"]
COMMANDS += ["init", "validate", "schema", "sampling", "serve"]

_ENV = {k: v for k, v in os.environ.items() if not k.startswith("PLANTWIN_")}

_SCRIPT = """\
import atexit, json, sys
out, args = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
from plantwin.cli import main
sys.argv = ["plantwin", *args]
main()
"""


# a fork's modules, as it starts and as it imports more (child processes exit without atexit)
_FORKS = """\
import json, os, sys
out, parent = sys.argv[1], os.getpid()
def _forked():
    with open(f"{out}.fork.{os.getpid()}", "w") as f:
        json.dump(sorted(sys.modules), f)
def _imported(event, args):
    if event == "import" and os.getpid() != parent:
        with open(f"{out}.fork.{os.getpid()}.later", "a") as f:
            f.write(args[0] + "\\n")
os.register_at_fork(after_in_child=_forked)
sys.addaudithook(_imported)
"""


def modules_after(
    tmp_path: Path, *args: str, forks: bool = False
) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules loaded by ``plantwin ARGS`` in a fresh interpreter, and how it ended; with
    ``forks``, each forked child's are in ``modules.json.fork.PID`` (and ``.later``)."""
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", (_FORKS if forks else "") + _SCRIPT, str(out), *args],
        cwd=tmp_path,
        env={**_ENV, "PLANTWIN_DB": str(tmp_path / "store.db")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(out.read_text(encoding="utf-8"))), done


def loaded(modules: set[str], names: list[str]) -> list[str]:
    """Those of ``names`` that were imported (a package counts when any of its modules was)."""
    return [n for n in names if any(m == n or m.startswith(n + ".") for m in modules)]


def test_version_imports_neither_the_engine_nor_its_libraries(tmp_path: Path) -> None:
    modules, done = modules_after(tmp_path, "--version")
    assert done.stdout.strip().startswith(f"plantwin {__version__} (")
    forbidden = ["numpy", "pydantic", "scipy", "plantwin.scenario", "plantwin.sim", *HEAVY]
    assert loaded(modules, forbidden) == []


def test_run_without_saving_imports_no_store_tables_or_reports(tmp_path: Path) -> None:
    modules, done = modules_after(tmp_path, "run", "--horizon", "1d", "--no-save")
    assert "conservation holds" in done.stdout  # it did simulate and summarise
    assert loaded(modules, ["plantwin.sim", "numpy"]) == ["plantwin.sim", "numpy"]
    assert loaded(modules, HEAVY) == []
    assert not (tmp_path / "store.db").exists()


@pytest.mark.parametrize("as_json", [False, True])
def test_experiment_summary_computes_intervals_without_pandas_scipy_stats_store_or_dask(
    tmp_path: Path, as_json: bool
) -> None:
    """The summary on the terminal and in JSON is computed from numpy columns: no pandas."""
    args = ["--reps", "2", "--horizon", "1d", "--workers", "1", "--no-save"]
    modules, done = modules_after(tmp_path, "experiment", *args, *(["--json"] if as_json else []))
    assert ("ci_high" if as_json else "95 % CI") in done.stdout
    assert loaded(modules, ["scipy.special"]) == ["scipy.special"]
    assert loaded(modules, HEAVY) == []


@pytest.mark.parametrize("args", [["--compare", "--sweep", "range.lanes=1,2"], ["--db", "s.db"]])
def test_experiment_outputs_that_read_the_table_import_pandas(
    tmp_path: Path, args: list[str]
) -> None:
    """Paired differences and the store read the table, a DataFrame."""
    more = [] if "--db" in args else ["--no-save"]
    modules, done = modules_after(
        tmp_path, "experiment", "--reps", "2", "--horizon", "1d", "--workers", "1", *args, *more
    )
    assert "95" in done.stdout
    assert loaded(modules, ["pandas"]) == ["pandas"]


def test_experiment_workers_are_forked_without_the_results_modules_the_parent_imports_meanwhile(
    tmp_path: Path,
) -> None:
    """Local workers are forked before the parent imports scipy (a third of a second, which
    they would each inherit and never use) and import neither it nor pandas while they run; the
    parent, showing only the summary, does not import pandas at all."""
    args = ["--reps", "4", "--horizon", "1d", "--workers", "2", "--no-save"]
    modules, done = modules_after(tmp_path, "experiment", *args, forks=True)
    assert "95" in done.stdout  # the parent built the table and its intervals
    assert loaded(modules, ["pandas", "scipy.special"]) == ["scipy.special"]
    workers = sorted(tmp_path.glob("modules.json.fork.*[0-9]"))
    assert len(workers) == 2  # both forked (not spawned: they inherit the engine)
    for worker in workers:
        at_fork = set(json.loads(worker.read_text(encoding="utf-8")))
        later = Path(f"{worker}.later")
        imported = set(later.read_text(encoding="utf-8").split()) if later.exists() else set()
        assert "plantwin.sim" in at_fork
        assert loaded(at_fork | imported, ["pandas", "pyarrow", "scipy", *HEAVY]) == []


_PLAN = """\
import json, sys
from plantwin.service import load, plan_experiment
plan = plan_experiment(load("maracay"), reps=4, sweeps=["range.lanes=1,2"], kpis=["output.*"])
print(json.dumps({"runs": plan.runs, "modules": sorted(sys.modules)}))
"""


def test_planning_an_experiment_imports_neither_pandas_nor_scipy(tmp_path: Path) -> None:
    """Checking the variants and the KPIs asked for (a one-hour run of each) needs the engine,
    not the libraries of the results."""
    done = subprocess.run(
        [sys.executable, "-c", _PLAN], cwd=tmp_path, env=_ENV, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["runs"] == 12  # base and the two values, 4 replications each
    modules = set(plan["modules"])
    assert loaded(modules, ["plantwin.sim", "plantwin.kpis"]) == ["plantwin.sim", "plantwin.kpis"]
    assert loaded(modules, ["pandas", "pyarrow", "scipy", *HEAVY]) == []


def test_validate_imports_only_the_scenario_stack(tmp_path: Path) -> None:
    modules, done = modules_after(tmp_path, "validate", "maracay")
    assert "ok" in done.stdout
    assert loaded(modules, ["plantwin.scenario"]) == ["plantwin.scenario"]
    assert loaded(modules, ["plantwin.sim", "plantwin.results", *HEAVY]) == []


def test_listing_runs_opens_the_store_but_reads_no_tables(tmp_path: Path) -> None:
    modules_after(tmp_path, "run", "--horizon", "1d")  # a store holding one run
    modules, done = modules_after(tmp_path, "runs", "--json")
    assert len(json.loads(done.stdout)) == 1
    # a store at the current schema opens without Alembic (only a migration needs it)
    assert loaded(modules, ["sqlalchemy", "alembic"]) == ["sqlalchemy"]
    assert loaded(modules, ["pandas", "pyarrow", "scipy.stats", "plotly", "jinja2", "dask"]) == []


def test_help_lists_every_command(tmp_path: Path) -> None:
    """The lazy root group still lists every command with its one-line help."""
    _, done = modules_after(tmp_path, "--help")
    missing = [c for c in COMMANDS if not re.search(rf"^\W*{c}  +\w", done.stdout, re.MULTILINE)]
    assert missing == []


@pytest.mark.parametrize("command", ["run", "experiment", "sampling"])
def test_a_command_imports_no_other_commands_module(tmp_path: Path, command: str) -> None:
    modules, done = modules_after(tmp_path, command, "--help")
    assert "Usage: plantwin " + command in done.stdout
    entry = {"run": "_run", "experiment": "_experiment", "sampling": "_sampling"}
    assert loaded(modules, [f"plantwin.cli.{m}" for m in entry.values()]) == [
        f"plantwin.cli.{entry[command]}"
    ]
