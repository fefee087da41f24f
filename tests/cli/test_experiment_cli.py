"""``plantwin experiment`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from plantwin.cli import app

runner = CliRunner()
FAST = ["--horizon", "20d", "--workers", "1"]


def test_experiment_json_has_a_ci_per_variant_and_kpi() -> None:
    r = runner.invoke(
        app,
        [
            "experiment",
            "--reps",
            "3",
            *FAST,
            "--sweep",
            "range.lanes=1,2",
            "--json",
            "--compare",
            "--kpi",
            "output.units_stored",
            "--kpi",
            "lines.*.oee",
        ],
    )
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["replications"] == 3
    assert list(data["variants"]) == ["base", "range.lanes=1", "range.lanes=2"]
    kpis = {row["kpi"] for row in data["summary"]}
    assert kpis == {"output.units_stored"} | {f"lines.L{i}.oee" for i in range(1, 5)}
    for row in data["summary"]:
        assert row["n"] == 3
        assert row["ci_low"] <= row["mean"] <= row["ci_high"]
    assert {row["variant"] for row in data["compare"]} == {"range.lanes=1", "range.lanes=2"}


def test_out_writes_every_replication(tmp_path: Path) -> None:
    out = tmp_path / "res.parquet"
    r = runner.invoke(
        app,
        [
            "experiment",
            "--reps",
            "2",
            *FAST,
            "--set",
            "range.lanes=3",
            "--sweep",
            "buffer.lots=5,10",
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.stderr
    table = pd.read_parquet(out)
    assert len(table) == 3 * 2
    assert sorted(table["replication"].unique()) == [0, 1]
    assert "conservation.ok" in table.columns and table["conservation.ok"].all()
    # the export's replications table: counts as integers, measures as floats
    assert str(table["lines.L1.failures"].dtype) == "int64"
    assert str(table["range.lots_tested"].dtype) == "int64"
    assert str(table["storage.mean"].dtype) == "float64"


def test_summary_table_is_printed() -> None:
    r = runner.invoke(app, ["experiment", "--reps", "2", *FAST])
    assert r.exit_code == 0, r.stderr
    assert "units into storage" in r.stdout and "95 % CI" in r.stdout


def test_bad_override_is_exit_2_with_the_closest_paths() -> None:
    r = runner.invoke(app, ["experiment", "--reps", "2", *FAST, "--set", "grid.cuts.betwen.mean=9"])
    assert r.exit_code == 2
    assert "grid.cuts.between.mean" in r.stderr
    assert "Traceback" not in r.stdout + r.stderr


def test_bad_options_are_exit_2() -> None:
    cases = [
        ["--reps", "0"],
        ["--set", "novalue"],
        ["--sweep", "range.lanes=3:1:1"],
        ["--precision", "output.units_stored=lots"],
        ["--precision", "no.such.kpi=1%"],
        ["--kpi", "no.such.kpi"],
        ["--dask", "http://x"],
        ["--horizon", "3x"],
    ]
    for extra in cases:
        r = runner.invoke(app, ["experiment", "--reps", "2", *FAST, *extra])
        assert r.exit_code == 2, (extra, r.stdout, r.stderr)
        assert "error:" in r.stderr.lower(), extra  # ours, or click's for a bad --reps
        assert "Traceback" not in r.stdout + r.stderr


def test_precision_adds_replications() -> None:
    r = runner.invoke(
        app,
        [
            "experiment",
            "--reps",
            "3",
            *FAST,
            "--json",
            "--precision",
            "output.units_made=0.5%",
            "--max-reps",
            "40",
        ],
    )
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    row = next(x for x in data["summary"] if x["kpi"] == "output.units_made")
    assert data["replications"] > 3
    assert row["half_width"] <= 0.005 * row["mean"] or data["replications"] == 40


def test_run_set_overrides_a_field_and_rejects_a_bad_path() -> None:
    r = runner.invoke(
        app, ["run", "--horizon", "10d", "--json", "--no-save", "--set", "plant.nameplate=35000000"]
    )
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["output"]["nameplate_per_year"] == 35_000_000
    bad = runner.invoke(app, ["run", "--horizon", "10d", "--set", "plant.namplate=1"])
    assert bad.exit_code == 2
    assert "plant.nameplate" in bad.stderr and "Traceback" not in bad.stderr


def test_run_replication_reproduces_an_experiment_replication(tmp_path: Path) -> None:
    out = tmp_path / "e.parquet"
    r = runner.invoke(app, ["experiment", "--reps", "3", *FAST, "--seed", "4", "--out", str(out)])
    assert r.exit_code == 0, r.stderr
    row = pd.read_parquet(out).query("replication == 2").iloc[0]
    one = runner.invoke(
        app, ["run", "--horizon", "20d", "--seed", "4", "--replication", "2", "--json", "--no-save"]
    )
    assert one.exit_code == 0, one.stderr
    k = json.loads(one.stdout)
    assert k["output"]["units_made"] == row["output.units_made"]
    assert k["storage"]["mean"] == row["storage.mean"]


def test_experiment_is_saved_and_reported(tmp_path: Path) -> None:
    report = tmp_path / "exp.html"
    r = runner.invoke(
        app,
        ["experiment", "--reps", "3", *FAST, "--sweep", "range.lanes=1,2", "--report", str(report)],
    )
    assert r.exit_code == 0, r.stderr
    assert "saved as run" in r.stderr
    listing = runner.invoke(app, ["runs"])
    assert listing.exit_code == 0 and "experiment" in listing.stdout
    html = report.read_text(encoding="utf-8")
    assert html.count("<script") >= 2 and "range.lanes=2" in html
