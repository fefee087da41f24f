"""Bad input on the command line: exit 2 with a clear message before any work, never a
traceback, and never lost work (a run is saved before any output file is written)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from plantwin.cli import app
from plantwin.results import open_store

MAX_SEED = 2**63 - 1  # the store's seed column is a signed 64-bit BigInteger
MAX_INT = 2**31 - 1  # ids and replication numbers are 32-bit Integer columns (PostgreSQL)
FAST = ["--horizon", "1d", "--workers", "1"]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def ok(*args: str) -> Result:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


def refused(*args: str, code: int = 2) -> str:
    """Run a command that must fail cleanly with ``code``; return its stderr."""
    result = invoke(*args)
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.stderr


def saved_id(result: Result) -> int:
    m = re.search(r"saved as run (\d+) in ", result.stderr)
    assert m, result.stderr
    return int(m.group(1))


def strict_json(text: str) -> Any:
    """Parse JSON as every parser would: ``NaN`` and ``Infinity`` are errors."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


# --- seeds and ids beyond the store's integer columns --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["run", "small.toml", "--seed", str(MAX_SEED + 1)],
        ["run", "small.toml", "--seed", "-1"],
        ["run", "small.toml", "--replication", str(MAX_INT + 1)],
        ["experiment", "small.toml", *FAST, "--seed", str(MAX_SEED + 1)],
        ["experiment", "small.toml", *FAST, "--seed", str(10**30)],
    ],
)
def test_seeds_beyond_the_store_exit_2_before_simulating(env: Path, args: list[str]) -> None:
    err = refused(*args)
    assert re.search(r"Invalid value for '--(seed|replication)'", err)
    assert not (env / "plantwin.db").exists()  # nothing ran, nothing was opened


@pytest.mark.parametrize("command", ["show", "delete", "export", "report"])
def test_ids_beyond_the_store_exit_2(env: Path, command: str) -> None:
    ok("run", "small.toml")
    err = refused(command, str(MAX_INT + 1))
    assert f"less than or equal to {MAX_INT}" in err
    # the largest id the column holds is asked for, and simply not found
    assert f"no stored run with id {MAX_INT}" in refused(command, str(MAX_INT))
    assert "greater than or equal to 1" in refused(command, "0")


def test_the_largest_seed_and_replication_round_trip_through_the_store(env: Path) -> None:
    args = ["--seed", str(MAX_SEED), "--replication", str(MAX_INT), "--horizon", "1d"]
    run_id = saved_id(ok("run", "small.toml", *args))
    with open_store("plantwin.db", create=False) as store:
        stored = store.load(run_id)
    assert (stored.seed, stored.replication) == (MAX_SEED, MAX_INT)


# --- work is saved before output files; output paths are checked first ---------------------------


def test_a_bad_output_folder_is_refused_before_running(env: Path) -> None:
    for args in (
        ["run", "small.toml", "--events", "missing/ev.csv"],
        ["run", "small.toml", "--report", "missing/r.html"],
        ["run", "small.toml", "--events", "x" * 300 + ".csv"],  # a name too long for any disk
        ["experiment", "small.toml", *FAST, "--out", "missing/t.parquet"],
        ["experiment", "small.toml", *FAST, "--report", "."],
    ):
        err = refused(*args)
        assert "missing" in err or "too long" in err or "is a folder" in err, err
    assert not (env / "plantwin.db").exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no file is made")
@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["run", "small.toml", "--events", "/proc/ev.csv"], "cannot write the event log"),
        (["run", "small.toml", "--report", "/proc/r.html"], "cannot write the report"),
        (["experiment", "small.toml", *FAST, "--reps", "2", "--out", "/proc/t.csv"], "cannot"),
    ],
)
def test_a_failed_output_file_loses_nothing(env: Path, args: list[str], what: str) -> None:
    """/proc passes every check but takes no new file: the write fails after the work."""
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    run_id = saved_id(result)
    error = result.stderr.split("error:", 1)[1]
    assert what in error and "/proc/" in error
    assert f"saved as run {run_id}" in error
    with open_store("plantwin.db", create=False) as store:
        assert [i.id for i in store.list_runs()] == [run_id]
        assert store.load(run_id).kpis  # whole, and readable


def test_experiment_out_csv_writes_csv(env: Path) -> None:
    ok("experiment", "small.toml", *FAST, "--reps", "3", "--sweep", "buffer.lots=1,2", "--no-save",
       "--out", "table.csv")  # fmt: skip
    data = Path("table.csv").read_bytes()
    assert not data.startswith(b"PAR1")  # Parquet's magic bytes
    table = pd.read_csv("table.csv")
    assert len(table) == 3 * 3  # base and two variants, 3 replications each
    assert set(table["replication"]) == {0, 1, 2}


def test_experiment_out_with_another_suffix_is_refused_before_running(env: Path) -> None:
    err = refused("experiment", "small.toml", *FAST, "--out", "table.xlsx")
    assert "--out table.xlsx" in err and ".parquet" in err and ".csv" in err
    assert not (env / "plantwin.db").exists() and not (env / "table.xlsx").exists()


@pytest.mark.parametrize("db", ["sqlite://", "sqlite:///:memory:", ":memory:"])
@pytest.mark.parametrize("command", ["run", "experiment"])
def test_an_in_memory_store_is_refused(env: Path, db: str, command: str) -> None:
    err = refused(command, "small.toml", "--horizon", "1d", "--db", db)
    assert "in-memory database" in err and "--no-save" in err
    assert "saved as run" not in err


# --- experiment size -----------------------------------------------------------------------------


def test_a_sweep_range_is_counted_before_it_is_built(env: Path) -> None:
    """A step of 1e-12 would be 10**12 values: refused at once, not built first."""
    err = refused("experiment", "small.toml", *FAST, "--sweep", "buffer.lots=0:1:1e-12")
    assert "more than 1,000 values" in err
    err = refused("experiment", "small.toml", *FAST, "--sweep", "buffer.lots=1:1e300:1e-300")
    assert "more than 1,000 values" in err
    err = refused("experiment", "small.toml", *FAST, "--sweep", "buffer.lots=1:inf:1")
    assert "finite" in err


def test_the_product_of_sweeps_is_capped(env: Path) -> None:
    err = refused("experiment", "small.toml", *FAST, "--sweep", "buffer.lots=1:40:1",
                  "--sweep", "range.lanes=1:30:1")  # fmt: skip
    assert "40 x 30 = 1,200 variants; at most 1,000" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reps", "10001"], "Invalid value for '--reps'"),
        (["--reps", "0"], "Invalid value for '--reps'"),
        (["--precision", "orders.backorders=1%", "--max-reps", "10001"], "'--max-reps'"),
        (["--workers", "0"], "Invalid value for '--workers'"),
        (["--reps", "1000", "--sweep", "buffer.lots=1:25:1"], "20,000 in one experiment"),
    ],
)
def test_replications_are_capped(env: Path, args: list[str], message: str) -> None:
    assert message in refused("experiment", "small.toml", *FAST, *args)
    assert not (env / "plantwin.db").exists()


def test_numbers_that_are_not_finite_are_refused(env: Path) -> None:
    assert "--first-year must be a number" in refused("experiment", "small.toml", *FAST,
                                                      "--first-year", "nan")  # fmt: skip
    run_id = saved_id(ok("run", "small.toml", "--horizon", "2d"))
    for days in ("inf", "nan", "0"):
        err = refused("report", str(run_id), "--gantt-days", days, "-o", "r.html")
        assert "--gantt-days must be a positive number of days" in err
    assert not Path("r.html").exists()


# --- KPI names -----------------------------------------------------------------------------------


def test_an_unknown_precision_kpi_is_refused_before_running(env: Path) -> None:
    err = refused("experiment", "small.toml", *FAST, "--precision", "orders.backorder=1%")
    assert "--precision 'orders.backorder' matches no KPI" in err
    assert "did you mean orders.backorders" in err
    assert not (env / "plantwin.db").exists()
    # a glob is no KPI name either: the target is one KPI
    assert "matches no KPI" in refused("experiment", "small.toml", *FAST,
                                       "--precision", "orders.*=1%")  # fmt: skip


def test_a_kpi_the_rows_leave_out_is_refused_before_running(env: Path) -> None:
    """A station's ISO 22400 KPIs are in a run's JSON but not in an experiment's rows."""
    err = refused(
        "experiment", "small.toml", *FAST, "--precision", "iso22400.stations.L1.oee_index=1%"
    )
    assert "--precision 'iso22400.stations.L1.oee_index' matches no KPI" in err
    assert "iso22400.plant.oee_index" in err  # the closest that is in the rows


def test_kpis_without_a_value_in_the_first_hour_are_still_known(env: Path) -> None:
    """An OEE has no value before the line has worked; --precision on it is still accepted."""
    result = ok("experiment", "small.toml", *FAST, "--reps", "2", "--max-reps", "3",
                "--precision", "lines.L1.oee=50%", "--no-save", "--json")  # fmt: skip
    assert strict_json(result.stdout)["summary"][0]["kpi"] == "lines.L1.oee"


def test_an_unknown_kpi_pattern_is_refused_before_running(env: Path) -> None:
    err = refused("experiment", "small.toml", *FAST, "--kpi", "lines.*.oe")
    assert "--kpi 'lines.*.oe' matches no KPI; did you mean lines.L1.oee" in err
    assert not (env / "plantwin.db").exists()


def test_show_and_report_refuse_unknown_kpis(env: Path) -> None:
    exp_id = saved_id(ok("experiment", "small.toml", *FAST, "--reps", "2"))
    err = refused("show", str(exp_id), "--kpi", "orders.backorder")
    assert "did you mean orders.backorders" in err
    err = refused("report", str(exp_id), "--kpi", "orders.backorder", "-o", "r.html")
    assert "did you mean orders.backorders" in err
    assert not Path("r.html").exists()
    run_id = saved_id(ok("run", "small.toml", "--horizon", "1d"))
    assert "single run" in refused("show", str(run_id), "--kpi", "orders.backorders")


# --- JSON ----------------------------------------------------------------------------------------


def test_json_is_standard_json(env: Path) -> None:
    """One replication has no standard deviation: its sd and CI are null, not NaN."""
    result = ok("experiment", "small.toml", *FAST, "--reps", "1", "--json", "--compare",
                "--sweep", "buffer.lots=1,2")  # fmt: skip
    summary = strict_json(result.stdout)["summary"]
    assert summary and all(row["sd"] is None and row["half_width"] is None for row in summary)
    exp_id = saved_id(result)
    run_id = saved_id(ok("run", "small.toml", "--horizon", "1h", "--json"))
    strict_json(ok("runs", "--json").stdout)
    strict_json(ok("show", str(exp_id), "--json").stdout)
    strict_json(ok("show", str(run_id), "--json").stdout)


# --- help ----------------------------------------------------------------------------------------


def _commands() -> list[list[str]]:
    """Every command and subcommand, as the words that name it (the root as [])."""
    import typer.main

    root: Any = typer.main.get_command(app)
    paths: list[list[str]] = [[]]
    for name in root.list_commands(None):
        paths.append([name])
        paths += [[name, sub] for sub in getattr(root.get_command(None, name), "commands", {})]
    return paths


def test_help_shows_flags_without_a_type() -> None:
    paths = _commands()
    assert ["run"] in paths and ["sampling", "plan"] in paths
    for path in paths:
        text = ok(*path, "--help").stdout
        assert "<bool>" not in text and "BOOLEAN" not in text, (path, text)
    run_help = ok("run", "--help").stdout
    for flag in ("--json", "--no-save", "--help"):
        assert re.search(rf"^\s+{flag}\s{{2,}}\w", run_help, re.MULTILINE), flag
