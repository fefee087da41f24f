"""The ``sampling`` CLI sub-app, mounted on a small root app as the lead engineer mounts it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from scipy import stats
from typer.testing import CliRunner, Result

from plantwin.cli._sampling import app as sampling_app
from plantwin.sampling import AQL_VALUES, INSPECTIONS, LEVELS

DATA = Path(__file__).resolve().parents[2] / "src/plantwin/sampling/data/mil_std_105e.json"

root_app = typer.Typer()
root_app.add_typer(sampling_app, name="sampling")


@root_app.callback()
def _root() -> None:
    """Test root."""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(root_app, ["sampling", *args])


def table(key: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))[key]["plans"]
    return result


def test_plan_table_shows_the_reference_plan() -> None:
    result = invoke("plan", "--lot-size", "100000", "--aql", "0.65")
    assert result.exit_code == 0, result.output
    cell = table("single_normal")["N"]["0.65"]
    row = next(line for line in result.stdout.splitlines() if "100000" in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells == ["100000", "II", "0.65", "N", str(cell["n"]), str(cell["ac"]), str(cell["re"])]


def test_plan_json_mil_reduced() -> None:
    result = invoke(
        "plan",
        "--lot-size",
        "100000",
        "--aql",
        "0.65",
        "--inspection",
        "reduced",
        "--scheme",
        "mil-std-105e",
        "--json",
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    cell = table("single_reduced")["N"]["0.65"]
    assert (got["code_letter"], got["n"], got["ac"], got["re"]) == (
        "N",
        cell["n"],
        cell["ac"],
        cell["re"],
    )
    assert got["scheme"] == "mil-std-105e" and got["inspection"] == "reduced"


def test_plan_hundred_percent_is_said() -> None:
    result = invoke("plan", "--lot-size", "5", "--aql", "0.65")
    assert result.exit_code == 0
    assert "100 %" in result.stdout


def assert_clean_failure(result: Result, *needles: str) -> None:
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error:")
    for needle in needles:
        assert needle in result.stderr


def test_bad_aql_exits_2_with_allowed_values() -> None:
    result = invoke("plan", "--lot-size", "1000", "--aql", "0.7")
    assert_clean_failure(result, "0.7", *AQL_VALUES)


def test_bad_level_inspection_and_lot_size() -> None:
    assert_clean_failure(
        invoke("plan", "--lot-size", "1000", "--aql", "1", "--level", "IV"), "IV", *LEVELS
    )
    assert_clean_failure(
        invoke("plan", "--lot-size", "1000", "--aql", "1", "--inspection", "loose"),
        "loose",
        *INSPECTIONS,
    )
    assert_clean_failure(invoke("plan", "--lot-size", "-5", "--aql", "1"), "-5", ">= 2")


def test_typer_parse_error_exits_2() -> None:
    result = invoke("plan", "--lot-size", "many", "--aql", "1")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_oc_json_with_lot_size() -> None:
    result = invoke("oc", "--n", "125", "--ac", "3", "--lot-size", "2000", "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    p = [row["p"] for row in got["points"]]
    assert p[0] == 0.0 and p == sorted(p) and len(p) > 10
    for row in got["points"]:
        pa = stats.binom.cdf(3, 125, row["p"])
        assert abs(row["pa"] - pa) < 1e-9
        assert abs(row["ati"] - (125 + (1 - pa) * (2000 - 125))) < 1e-6
    assert got["aoql"] >= max(row["aoq"] for row in got["points"])
    assert 0 < got["p_at_pa_0.95"] < got["p_at_pa_0.50"] < got["p_at_pa_0.10"] < 1


def test_oc_table_without_lot_size_has_no_aoq() -> None:
    result = invoke("oc", "--n", "50", "--ac", "1")
    assert result.exit_code == 0, result.output
    assert "Pa" in result.stdout
    assert "AOQ" not in result.stdout and "AOQL" not in result.stdout


def test_oc_plot_writes_plotly_html(tmp_path: Path) -> None:
    target = tmp_path / "oc.html"
    result = invoke("oc", "--n", "500", "--ac", "7", "--lot-size", "100000", "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert target.exists()
    assert "plotly" in target.read_text(encoding="utf-8").lower()
    assert str(target) in result.stdout.replace("\n", "")


def test_oc_bad_model_and_hypergeometric_without_lot() -> None:
    assert_clean_failure(invoke("oc", "--n", "50", "--ac", "1", "--model", "normal"), "poisson")
    assert_clean_failure(
        invoke("oc", "--n", "50", "--ac", "1", "--model", "hypergeometric"), "lot_size"
    )


def test_design_json_meets_both_risks() -> None:
    result = invoke(
        "design", "--aql", "1%", "--alpha", "0.05", "--ltpd", "5", "--beta", "0.10", "--json"
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["aql"] == 1.0 and got["ltpd"] == 5.0  # percent, as --aql of `sampling plan`
    assert 1 - stats.binom.cdf(got["ac"], got["n"], 0.01) <= 0.05
    assert stats.binom.cdf(got["ac"], got["n"], 0.05) <= 0.10
    assert abs(got["consumers_risk"] - stats.binom.cdf(got["ac"], got["n"], 0.05)) < 1e-9


def test_design_table_and_errors() -> None:
    result = invoke("design", "--aql", "1", "--alpha", "0.05", "--ltpd", "5", "--beta", "0.1")
    assert result.exit_code == 0
    assert "producer's risk" in result.stdout
    assert_clean_failure(
        invoke("design", "--aql", "5", "--alpha", "0.05", "--ltpd", "1", "--beta", "0.1"),
        "0 < AQL < LTPD < 100",
    )
    assert_clean_failure(
        invoke("design", "--aql", "x", "--alpha", "0.05", "--ltpd", "0.05", "--beta", "0.1"),
        "--aql",
    )


def test_no_arguments_shows_the_commands() -> None:
    result = invoke()
    for command in ("plan", "oc", "design"):
        assert command in result.output
