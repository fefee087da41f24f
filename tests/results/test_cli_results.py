"""The store from the shell: ``run`` saves, ``runs`` lists, ``show``, ``delete``, ``export``,
``report``; unknown ids and bad input exit 2 without a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner, Result

from plantwin.cli import app
from plantwin.experiment import ResultSet
from plantwin.results import open_store


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def ok(*args: str) -> Result:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


def clean_failure(result: Result, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def saved_id(result: Result) -> int:
    m = re.search(r"saved as run (\d+) in ", result.stderr)
    assert m, result.stderr
    return int(m.group(1))


def test_run_saves_to_plantwin_db_by_default(env: Path, small_toml: str) -> None:
    result = ok("run", "small.toml", "--seed", "4", "--json")
    run_id = saved_id(result)
    assert "sqlite:///plantwin.db" in result.stderr
    kpis = json.loads(result.stdout)  # stdout stays pure JSON
    with open_store(f"sqlite:///{env / 'plantwin.db'}") as store:
        stored = store.load(run_id)
    assert stored.kpis == kpis
    assert stored.source_text == small_toml  # the file's text, comments and all
    assert stored.events is not None
    assert stored.events.num_rows == kpis["engine"]["log_records"]
    assert stored.finished_at >= stored.started_at


def test_run_no_save_and_db_option(env: Path) -> None:
    ok("run", "small.toml", "--no-save")
    assert not (env / "plantwin.db").exists()
    result = ok("run", "small.toml", "--db", "elsewhere.db")
    assert saved_id(result) == 1
    assert (env / "elsewhere.db").exists()
    assert not (env / "plantwin.db").exists()


def test_plantwin_db_environment_variable(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTWIN_DB", f"sqlite:///{env / 'from-env.db'}")
    ok("run", "small.toml")
    assert (env / "from-env.db").exists()
    assert "small test plant" in ok("runs").stdout


def test_runs_lists_what_is_stored(env: Path) -> None:
    empty = ok("runs")
    assert "no runs stored" in empty.stdout
    assert not (env / "plantwin.db").exists()  # listing creates nothing
    first = saved_id(ok("run", "small.toml", "--seed", "1"))
    second = saved_id(ok("run", "small.toml", "--seed", "2", "--horizon", "3d"))
    listed = ok("runs", "--json")
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [first, second]
    assert [r["seed"] for r in rows] == [1, 2]
    assert rows[1]["horizon_hours"] == 72
    table = ok("runs").stdout
    assert "small test plant" in table
    assert re.search(rf"^\s*{second}\s+run\s", table, re.MULTILINE)


def test_show_a_run(env: Path) -> None:
    run_id = saved_id(ok("run", "small.toml", "--seed", "3"))
    shown = ok("show", str(run_id))
    assert f"run {run_id}" in shown.stdout
    assert "conservation holds" in shown.stdout
    assert "small test plant" in shown.stdout
    as_json = json.loads(ok("show", str(run_id), "--json").stdout)
    assert as_json["seed"] == 3


def test_unknown_ids_exit_2(env: Path) -> None:
    ok("run", "small.toml")
    for command in ("show", "delete", "export", "report"):
        result = invoke(command, "99")
        clean_failure(result)
        assert "no stored run with id 99" in result.stderr


def test_commands_on_a_missing_store_exit_2(env: Path) -> None:
    result = invoke("show", "1", "--db", "nothing.db")
    clean_failure(result)
    assert "no results store at nothing.db" in result.stderr
    assert not (env / "nothing.db").exists()


def test_delete(env: Path) -> None:
    a = saved_id(ok("run", "small.toml"))
    b = saved_id(ok("run", "small.toml"))
    assert f"deleted run {a}" in ok("delete", str(a)).stderr
    assert [r["id"] for r in json.loads(ok("runs", "--json").stdout)] == [b]
    clean_failure(invoke("show", str(a)))


def test_bad_db_exits_2_before_running(env: Path) -> None:
    result = invoke("run", "small.toml", "--db", "mysql://localhost/x")
    clean_failure(result)
    assert "unsupported database" in result.stderr
    assert result.stdout == ""  # it did not run
    result = invoke("run", "small.toml", "--db", "sqlite:///no/such/folder/x.db")
    clean_failure(result)
    assert "cannot open the results store" in result.stderr


def test_export_formats(env: Path) -> None:
    run_id = saved_id(ok("run", "small.toml", "--seed", "2", "--json"))
    kpis = json.loads(ok("show", str(run_id), "--json").stdout)
    done = ok("export", str(run_id), "--format", "parquet")
    assert f"run-{run_id}/events.parquet" in done.stderr
    table = pq.read_table(env / f"run-{run_id}" / "events.parquet")
    assert table.num_rows == kpis["engine"]["log_records"]
    ok("export", str(run_id), "-f", "csv", "-o", "csv-out")
    lines = (env / "csv-out" / "events.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) - 1 == kpis["engine"]["log_records"]
    ok("export", str(run_id), "-f", "ocel")
    doc = json.loads((env / f"run-{run_id}.ocel.json").read_text(encoding="utf-8"))
    assert len(doc["events"]) == kpis["engine"]["log_records"]
    ok("export", str(run_id), "-f", "ocel-sqlite", "-o", "log.sqlite")
    assert (env / "log.sqlite").stat().st_size > 0
    bad = invoke("export", str(run_id), "-f", "xml")
    clean_failure(bad)
    assert "parquet, csv, ocel" in bad.stderr


def test_report_command_and_run_report(env: Path) -> None:
    run_id = saved_id(ok("run", "small.toml", "--report", "now.html"))
    page = (env / "now.html").read_text(encoding="utf-8")
    assert "small test plant" in page
    assert '<div id="chart-waterfall" class="plotly-graph-div"' in page
    done = ok(
        "report", str(run_id), "-o", "later.html", "--gantt-from", "2025-01-08", "--gantt-days", "2"
    )
    assert "report written to later.html" in done.stderr
    later = (env / "later.html").read_text(encoding="utf-8")
    assert "2 days from 2025-01-08" in later
    ok("report", str(run_id))
    assert (env / f"run-{run_id}.html").exists()
    bad_date = invoke("report", str(run_id), "--gantt-from", "soon")
    clean_failure(bad_date)
    assert "YYYY-MM-DD" in bad_date.stderr
    outside = invoke("report", str(run_id), "--gantt-from", "2030-01-01")
    clean_failure(outside)
    assert "must start within the run" in outside.stderr
    # --no-save with --report still writes the report
    ok("run", "small.toml", "--no-save", "--report", "unsaved.html")
    assert (env / "unsaved.html").exists()


def test_experiment_show_and_report(env: Path, resultset: ResultSet) -> None:
    with open_store(f"sqlite:///{env / 'plantwin.db'}") as store:
        exp_id = store.save_experiment(resultset)
    listed = json.loads(ok("runs", "--json").stdout)
    assert listed[0]["kind"] == "experiment"
    assert listed[0]["replications"] == 3
    shown = ok("show", str(exp_id))
    assert "cuts every 60 h" in shown.stdout
    assert "Paired differences" in shown.stdout
    assert "units into storage" in shown.stdout
    ok("report", str(exp_id), "--kpi", "output.units_stored", "--kpi", "orders.fill_rate")
    page = (env / f"run-{exp_id}.html").read_text(encoding="utf-8")
    # the fan, then one chart per KPI (every variant, and the differences beside)
    assert page.count('class="plotly-graph-div"') == 3
    bad = invoke("report", str(exp_id), "--kpi", "output.nonsense")
    clean_failure(bad)
    assert "output.nonsense" in bad.stderr
    ok("export", str(exp_id), "-f", "csv")
    assert (env / f"run-{exp_id}" / "replications.csv").exists()
    clean_failure(invoke("export", str(exp_id), "-f", "ocel"))


def test_labels_are_stored_and_printed_as_typed(env: Path) -> None:
    label = "[red]x[/red] :100: [/]"
    run_id = saved_id(ok("run", "small.toml", "--label", label, "--set", "buffer.lots=3"))
    listing = ok("runs").stdout
    assert f"label: {label}" in listing and "--set buffer.lots=3" in listing
    shown = ok("show", str(run_id)).stdout
    assert f"label: {label}" in shown and "\U0001f4af" not in shown
    [item] = json.loads(ok("runs", "--json").stdout)
    assert item["label"] == label and item["overrides"] == {"set": ["buffer.lots=3"]}


@pytest.mark.parametrize(
    ("label", "why"),
    [("two\nlines", "one line"), ("x" * 201, "201 characters; at most 200")],
)
def test_a_bad_label_exits_2_before_running(env: Path, label: str, why: str) -> None:
    result = invoke("run", "small.toml", "--label", label)
    clean_failure(result)
    assert why in result.stderr
    assert "saved as run" not in result.stderr
