"""The ``plantwin`` command line: scenarios, init, validate, schema and run."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from plantwin.cli import app
from plantwin.scenario import builtin, builtin_text, parse_scenario
from plantwin.sim import EVENT_SCHEMA


def invoke(*args: str) -> Result:
    # This Typer's CliRunner keeps stderr apart: result.stdout, result.stderr, result.output (both).
    return CliRunner().invoke(app, list(args))


def assert_clean_failure(result: Result, code: int) -> None:
    """Exited with ``code`` through typer.Exit, without a traceback anywhere."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    for text in (result.stdout, result.stderr, result.output):
        assert "Traceback" not in text


def run_json(*args: str) -> dict[str, Any]:
    result = invoke("run", *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory, so that relative file names in messages stay short."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def small_file(workdir: Path, small_toml: str) -> str:
    (workdir / "small.toml").write_text(small_toml, encoding="utf-8")
    return "small.toml"


# --- scenarios, init, validate, schema --------------------------------------------------------


def test_scenarios_lists_maracay() -> None:
    result = invoke("scenarios")
    assert result.exit_code == 0, result.output
    assert "maracay" in result.stdout


def test_version_names_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    from plantwin import __version__
    from plantwin.sim import ENGINE, ENGINE_NOTE

    result = invoke("--version")
    assert result.exit_code == 0
    note = f": {ENGINE_NOTE}" if ENGINE_NOTE else ""
    assert result.stdout.strip() == f"plantwin {__version__} ({ENGINE} engine{note})"
    monkeypatch.setenv("PLANTWIN_ENGINE", "python")
    asked = invoke("--version").stdout.strip()
    assert asked == f"plantwin {__version__} (interpreted engine: PLANTWIN_ENGINE=python)"


@pytest.mark.parametrize("args", [("mine.toml",), ("maracay", "mine.toml")], ids=["path", "name"])
def test_init_writes_a_valid_scenario(workdir: Path, args: tuple[str, ...]) -> None:
    result = invoke("init", *args)
    assert result.exit_code == 0, result.output
    target = workdir / "mine.toml"
    assert target.read_text(encoding="utf-8") == builtin_text("maracay")
    checked = invoke("validate", "mine.toml")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("ok: mine.toml")


def test_init_refuses_to_overwrite_without_force(workdir: Path) -> None:
    target = workdir / "mine.toml"
    target.write_text("keep me\n", encoding="utf-8")
    result = invoke("init", "mine.toml")
    assert_clean_failure(result, 2)
    assert "mine.toml" in result.stderr
    assert "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    forced = invoke("init", "mine.toml", "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8") == builtin_text("maracay")


def test_init_rejects_unknown_builtin_and_extra_arguments(workdir: Path) -> None:
    unknown = invoke("init", "atlantis", "mine.toml")
    assert_clean_failure(unknown, 2)
    assert "atlantis" in unknown.stderr
    assert "maracay" in unknown.stderr
    assert_clean_failure(invoke("init", "maracay", "a.toml", "b.toml"), 2)
    assert list(workdir.iterdir()) == []


def test_validate_reports_a_bad_file(workdir: Path, small_toml: str) -> None:
    text = small_toml.replace("rate = 100", "rate = -5")
    (workdir / "bad.toml").write_text(text, encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), start=1) if "rate = -5" in s)
    result = invoke("validate", "bad.toml")
    assert_clean_failure(result, 2)
    assert f"bad.toml:{line}: lines[0].rate:" in result.stderr
    assert "-5" in result.stderr
    assert result.stdout == ""


def test_validate_reports_malformed_toml(workdir: Path, small_toml: str) -> None:
    (workdir / "bad.toml").write_text(small_toml.replace("lanes = 1", "lanes ="), encoding="utf-8")
    result = invoke("validate", "bad.toml")
    assert_clean_failure(result, 2)
    assert "bad.toml:" in result.stderr
    assert "not valid TOML" in result.stderr


def test_validate_builtin_by_name() -> None:
    result = invoke("validate", "maracay")
    assert result.exit_code == 0, result.output
    assert "ok" in result.stdout


def test_schema_is_json_with_lines() -> None:
    result = invoke("schema")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert "lines" in schema["properties"]
    assert "plant" in schema["required"]


# --- run --------------------------------------------------------------------------------------


def test_run_json_has_the_kpi_sections(small_file: str, small_toml: str) -> None:
    kpis = run_json(small_file, "--seed", "3")
    for key in ("output", "lines", "range", "storage", "orders", "conservation"):
        assert key in kpis
    assert kpis["conservation"]["ok"] is True
    assert kpis["seed"] == 3
    s = parse_scenario(small_toml)
    assert kpis["horizon_hours"] == 7 * 24
    assert list(kpis["lines"]) == [line.id for line in s.lines]
    # 24/7 calendar, no failures, no grid: the line is never off shift and never fails.
    hours = kpis["lines"]["L1"]["hours"]
    assert hours["off_shift"] == 0
    assert hours["failed"] == 0
    assert sum(hours.values()) == pytest.approx(7 * 24)


def test_run_is_reproducible(small_file: str) -> None:
    first = invoke("run", small_file, "--json", "--seed", "3")
    second = invoke("run", small_file, "--json", "--seed", "3")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout == second.stdout


def test_run_horizon_override(small_file: str) -> None:
    kpis = run_json(small_file, "--horizon", "2d")
    assert kpis["horizon_hours"] == 48
    assert kpis["end"] == (date(2025, 1, 6) + timedelta(days=2)).isoformat()


def test_run_bad_horizon_is_a_clear_error(small_file: str) -> None:
    result = invoke("run", small_file, "--horizon", "3x")
    assert_clean_failure(result, 2)
    assert "--horizon" in result.stderr
    assert "'3x'" in result.stderr
    assert "90d" in result.stderr  # says what a duration looks like
    assert result.stdout == ""


def test_run_negative_seed_is_refused(small_file: str) -> None:
    result = invoke("run", small_file, "--seed", "-1")
    assert_clean_failure(result, 2)
    assert "--seed" in result.stderr


def test_run_missing_file(workdir: Path) -> None:
    result = invoke("run", "missing.toml")
    assert_clean_failure(result, 2)
    assert "missing.toml" in result.stderr
    assert "maracay" in result.stderr


def test_run_bad_scenario(workdir: Path, small_toml: str) -> None:
    (workdir / "bad.toml").write_text(small_toml.replace("lot_size = 100", "lot_size = 0"))
    result = invoke("run", "bad.toml")
    assert_clean_failure(result, 2)
    assert "lines[0].lot_size" in result.stderr


def test_run_writes_the_event_log(small_file: str, workdir: Path) -> None:
    out = workdir / "out.csv"
    out.write_text("old contents\n", encoding="utf-8")  # replaced, not appended to
    result = invoke("run", small_file, "--json", "--seed", "3", "--events", "out.csv")
    assert result.exit_code == 0, result.output
    kpis = json.loads(result.stdout)
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    # the export's events table: plant hours beside the moment, in the plant's time zone
    header = [
        "time_h", "timestamp", "object_type", "object_id", "event", "product", "lot", "quantity",
        "related",
    ]  # fmt: skip
    assert rows[0] == header
    assert [n for n in rows[0] if n != "timestamp"] == ["time_h", *EVENT_SCHEMA.names[1:]]
    records = kpis["engine"]["log_records"]
    assert records > 0
    assert len(rows) - 1 == records
    assert f"{records:,} records" in result.stderr
    assert all(len(row) == len(header) for row in rows)
    assert {row[5] for row in rows[1:]} <= {"a", ""}  # no product: empty (null)


def test_run_events_unwritable_path_fails_cleanly(small_file: str, workdir: Path) -> None:
    (workdir / "plain-file").write_text("", encoding="utf-8")
    result = invoke("run", small_file, "--events", "plain-file/out.csv")
    assert_clean_failure(result, 2)  # refused before the run
    assert "--events plain-file/out.csv: there is no folder plain-file" in result.stderr


def test_run_summary_says_conservation_holds(small_file: str) -> None:
    result = invoke("run", small_file, "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "conservation holds" in result.stdout
    assert "small test plant" in result.stdout


def test_installed_console_script() -> None:
    script = Path(sys.executable).parent / "plantwin"
    if not script.exists():
        pytest.skip(f"no console script at {script}")
    done = subprocess.run(
        [str(script), "run", "--horizon", "30d", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    kpis = json.loads(done.stdout)
    maracay = builtin("maracay")
    assert kpis["scenario"] == maracay.plant.name
    assert kpis["horizon_hours"] == 30 * 24
    assert kpis["start"] == maracay.plant.start.isoformat()
    assert sorted(kpis["lines"]) == sorted(line.id for line in maracay.lines)
    assert kpis["conservation"]["ok"] is True


def test_output_to_a_pipe_has_no_progress_residue(tmp_path: Path, small_toml: str) -> None:
    """No progress bar, so not even the blank line a finished transient bar leaves behind."""
    path = tmp_path / "small.toml"
    path.write_text(small_toml, encoding="utf-8")
    plantwin = Path(sys.executable).with_name("plantwin")
    done = subprocess.run(
        [str(plantwin), "run", str(path), "--horizon", "1d", "--no-save"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""
    assert done.stdout.startswith("╭")
