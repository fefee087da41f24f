"""Results stated truthfully: outgoing quality, windows from the opening, the first-year table
for every scenario, whether --precision was reached, and one AQL convention (percent)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import pytest
from scipy import stats
from typer.testing import CliRunner, Result

from plantwin import simulate
from plantwin.cli import app
from plantwin.results import StoredRun, open_store
from plantwin.scenario import parse_scenario

Z95 = float(stats.norm.ppf(0.975))

BUILD_TOML = """\
# A tiny build: L1 is delivered on Sat 2025-07-05 (96 h), 48 h late, and installed in 100 h
# (24/7 calendar, no grid): commissioned at 244 h = 2025-07-11 04:00. L2's supplier is always
# blocked and re-sourcing takes longer than the horizon: L2 never runs.
[plant]
name = "tiny build"
start = 2025-07-01
horizon = "60d"
nameplate = 8_760_000  # 1,000 an hour

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "a"

[[suppliers]]
id = "blocked"
block_probability = 1.0
resource_time = { dist = "constant", value = 100000 }

[[lines]]
id = "L1"
products = ["a"]
rate = 1000
lot_size = 10000
project = { delivery = 2025-07-05, delivery_delay = { dist = "constant", value = 48 }, \
installation = { dist = "constant", value = 100 } }

[[lines]]
id = "L2"
products = ["a"]
rate = 1000
lot_size = 10000
project = { supplier = "blocked", delivery = 2025-07-05, \
installation = { dist = "constant", value = 100 } }

[range]
lanes = 1
test_time = { dist = "constant", value = 0.5 }

[range.sampling]
plan = { n = 20, ac = 0, re = 1 }

[buffer]
lots = 100

# released before the plant exists and due before it opens: it cannot be on time
[[demand.orders]]
id = "early"
product = "a"
quantity = 5000
release = 2025-07-01
due = 2025-07-06

# released after the opening, when stock is there: shipped at once
[[demand.orders]]
id = "late"
product = "a"
quantity = 1000
release = 2025-07-21
due = 2025-07-31
"""
OPENING = 96 + 48 + 100  # hours
HORIZON = 60 * 24

P_DEFECT = 0.01
OUTGOING_TOML = f"""\
# Every lot has defective fraction {P_DEFECT}; n = 50, Ac = 0 rejects about 40 % of the lots.
[plant]
name = "outgoing quality"
start = 2025-01-06
horizon = "30d"

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "a"
defect_fraction = {{ dist = "constant", value = {P_DEFECT} }}

[[lines]]
id = "L1"
products = ["a"]
rate = 1000
lot_size = 1000

[range]
lanes = 2
test_time = {{ dist = "constant", value = 0.5 }}

[range.sampling]
plan = {{ n = 50, ac = 0, re = 1 }}

[buffer]
lots = 10
"""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def ok(*args: str) -> Result:
    result = invoke(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


@pytest.fixture
def files(tmp_path: Path, small_toml: str) -> dict[str, str]:
    out = {}
    for name, text in (("build", BUILD_TOML), ("outgoing", OUTGOING_TOML), ("small", small_toml)):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        out[name] = str(path)
    return out


def section(text: str, title: str) -> str:
    """What is printed from ``title`` on."""
    assert title in text, text
    return text[text.index(title) :]


# --- outgoing quality and KPI names -------------------------------------------------------------


def test_outgoing_defective_fraction_counts_only_what_passed() -> None:
    k = simulate(parse_scenario(OUTGOING_TOML), seed=4).kpis
    out, product = k["output"], k["output"]["by_product"]["a"]
    assert k["range"]["lots_rejected"] > 0  # rejected lots' defectives are not outgoing
    stored = out["units_stored"]
    assert stored == product["units_stored"] == k["range"]["lots_accepted"] * (1000 - 50)
    # Items are defective independently with p, whatever the sample showed: the N - n units of
    # every passed lot hold Binomial(N - n, p) defectives, so the total is Binomial(stored, p).
    half = 4 * math.sqrt(P_DEFECT * (1 - P_DEFECT) / stored)
    assert abs(out["outgoing_defective_fraction"] - P_DEFECT) < half
    assert out["outgoing_defective_fraction"] == out["defectives_passed"] / stored
    assert out["defectives_passed"] == product["defectives_passed"]
    assert product["defectives_passed"] == k["range"]["by_product"]["a"]["defectives_passed"]
    assert "units_good" not in out and "units_good" not in k["lines"]["L1"]
    assert k["lines"]["L1"]["units_stored"] == stored


def test_passed_lots_held_for_storage_count_in_the_outgoing_fraction() -> None:
    # every unit defective, a plan that accepts d = n = 5: each passed lot carries N - n = 995
    # defectives; storage takes 2 lots, so later passed lots wait on the lanes at the horizon
    text = OUTGOING_TOML.replace(f"value = {P_DEFECT}", "value = 1.0")
    text = text.replace("n = 50, ac = 0, re = 1", "n = 5, ac = 5, re = 6")
    k = simulate(parse_scenario(text + "\n[storage]\ncapacity = 1990\n"), seed=1).kpis
    out = k["output"]
    accepted = k["range"]["lots_accepted"]
    assert out["units_stored"] == 2 * 995 < accepted * 995  # some passed lots are held
    assert out["defectives_passed"] == accepted * 995
    assert out["outgoing_defective_fraction"] == 1.0


def test_run_shows_defectives_passed_beside_units_into_storage(files: dict[str, str]) -> None:
    k = json.loads(ok("run", files["outgoing"], "--seed", "4", "--json", "--no-save").stdout)
    shown = ok("run", files["outgoing"], "--seed", "4", "--no-save").stdout
    table = section(shown, "Output")
    assert "defectives passed" in table and "outgoing defective" in table
    assert f"{k['output']['defectives_passed']:,.0f}" in table
    assert f"{100 * k['output']['outgoing_defective_fraction']:.3f} %" in table


def test_runs_stored_with_the_old_kpi_names_still_show(
    files: dict[str, str], results_store: Path
) -> None:
    result = simulate(parse_scenario(OUTGOING_TOML), seed=4)
    old = json.loads(json.dumps(result.kpis).replace('"units_stored"', '"units_good"'))
    for key in ("defectives_passed", "outgoing_defective_fraction", "attainment_from_opening"):
        old["output"].pop(key)
    stored = dataclasses.replace(StoredRun.from_result(result), kpis=old)
    with open_store(f"sqlite:///{results_store}") as store:
        run_id = store.save(stored)
        assert store.load(run_id).kpis["output"]["units_stored"] == old["output"]["units_good"]
    shown = ok("show", str(run_id)).stdout
    assert f"{old['output']['units_good'] / 1e6:,.2f} M" in section(shown, "Output")


# --- build scenarios: attainment and fill rate from the opening ---------------------------------


def test_build_attainment_and_fill_rate_are_also_given_from_the_opening() -> None:
    k = simulate(parse_scenario(BUILD_TOML), seed=0).kpis
    out, orders = k["output"], k["orders"]
    assert out["opening_hours"] == pytest.approx(OPENING)
    assert k["lines"]["L2"]["commissioned_hours"] is None
    stored = out["units_stored"]
    assert stored > 0
    assert out["nameplate_units_from_opening"] == pytest.approx(8.76e6 * (HORIZON - OPENING) / 8760)
    assert out["attainment_from_opening"] == pytest.approx(
        stored / (8.76e6 * (HORIZON - OPENING) / 8760)
    )
    assert out["attainment"] == pytest.approx(stored / (8.76e6 * HORIZON / 8760))
    # "early" (5,000, due before the opening) is late; "late" (1,000) ships on time
    assert orders["fill_rate"] == pytest.approx(1000 / 6000)
    assert orders["fill_rate_from_opening"] == 1.0


def test_plants_running_from_the_start_have_one_window(small_toml: str) -> None:
    scenario = parse_scenario(
        small_toml.replace('horizon = "7d"', 'horizon = "7d"\nnameplate = 1e6')
    )
    k = simulate(scenario).kpis
    assert k["output"]["opening_hours"] == 0
    assert k["output"]["attainment_from_opening"] == k["output"]["attainment"]


def test_run_summary_says_over_which_window(files: dict[str, str]) -> None:
    shown = ok("run", files["build"], "--no-save").stdout
    assert f"from the opening on 2025-07-11 04:00 ({HORIZON - OPENING:,} h)" in shown
    assert "fill rate, orders since the opening" in shown


# --- experiments: dates with never-replications, first year, precision --------------------------


def test_dates_count_never_replications(files: dict[str, str]) -> None:
    shown = ok("experiment", files["build"], "--reps", "3", "--workers", "1", "--no-save").stdout
    dates = section(shown, "Commissioning dates")
    assert "line L2" in dates  # no replication has a value for it: it still has a row
    assert dates.count("3 of 3") == 2  # never, for L2 and the complete plant
    assert "> horizon" in dates
    assert dates.count("2025-07-11") == 3 * 2  # L1 and the opening, at P10, P50 and P90


def first_year_row(shown: str) -> list[str]:
    table = section(shown, "P(first-year output >=")
    rows = ([c.strip() for c in x.strip("│").split("│")] for x in table.splitlines())
    return next(r for r in rows if r[0] == "base")  # the base variant under the first X


def test_first_year_table_for_the_plain_builtin_plant() -> None:
    shown = ok("experiment", "--reps", "2", "--workers", "1", "--first-year", "1", "--no-save")
    assert "Commissioning dates" not in shown.stdout  # every line runs from the start
    # both replications have a full first year, both above 1 unit: Wilson low = n / (n + z^2)
    low = f"{200 / (2 + Z95**2):.1f}"
    assert first_year_row(shown.stdout) == ["base", "100.0 %", f"[{low}, 100.0] %", "2 of 2"]


def test_first_year_table_for_a_tiny_plant(files: dict[str, str]) -> None:
    # lots of 10,000 at 100/h: 87 finish within the first 8,760 h, 870,000 units
    args = ["experiment", files["small"], "--reps", "2", "--workers", "1", "--no-save"]
    args += ["--horizon", "1y", "--set", "lines.L1.lot_size=10000"]
    reached = ok(*args, "--first-year", "870000").stdout
    assert first_year_row(reached)[1:] == [
        "100.0 %",
        f"[{200 / (2 + Z95**2):.1f}, 100.0] %",
        "2 of 2",
    ]
    missed = ok(*args, "--first-year", "870001").stdout
    assert first_year_row(missed)[1:] == [
        "0.0 %",
        f"[0.0, {100 * Z95**2 / (2 + Z95**2):.1f}] %",
        "2 of 2",
    ]
    short = ok(*args[:-4], "--first-year", "1").stdout  # a 7-day horizon: no full first year
    assert first_year_row(short)[1:] == ["-", "-", "0 of 2"]


def precision_run(*args: str) -> tuple[dict[str, Any], str]:
    data = json.loads(ok(*args, "--json").stdout)
    return data, ok(*args).stdout


def test_precision_says_when_its_target_is_reached(files: dict[str, str]) -> None:
    # the tiny plant has no randomness: the half-width is 0 after the first 2 replications
    data, shown = precision_run(
        "experiment", files["small"], "--reps", "2", "--workers", "1", "--no-save",
        "--precision", "output.units_made=0.5%", "--max-reps", "10",
    )  # fmt: skip
    status = data["precision"]
    assert status["reached"] is True and status["replications"] == 2
    assert status["variants"][0]["half_width"] == 0
    assert "target 0.5 % reached after 2 replications" in shown


def test_precision_says_when_max_reps_stopped_it() -> None:
    data, shown = precision_run(
        "experiment", "--reps", "2", "--horizon", "20d", "--workers", "1", "--no-save",
        "--precision", "output.units_made=0.01%", "--max-reps", "3",
    )  # fmt: skip
    status = data["precision"]
    assert status["reached"] is False and status["replications"] == 3
    [variant] = status["variants"]
    row = next(r for r in data["summary"] if r["kpi"] == "output.units_made")
    assert variant["half_width"] == pytest.approx(row["half_width"])
    assert variant["relative_half_width"] == pytest.approx(row["half_width"] / abs(row["mean"]))
    assert variant["relative_half_width"] > 0.0001
    assert "target 0.01 % not reached after 3 replications (--max-reps 3)" in shown


# --- one AQL convention: percent, as the standard writes it ------------------------------------


def test_plan_and_design_read_the_same_aql_as_a_percent() -> None:
    plan = json.loads(
        ok("sampling", "plan", "--lot-size", "100000", "--aql", "0.65", "--json").stdout
    )
    n, ac = plan["n"], plan["ac"]
    # the standard's plan for AQL 0.65 % meets these risks at p = 0.65 % and 2 %, so the
    # smallest plan that design finds for the same AQL is no larger
    alpha = float(1 - stats.binom.cdf(ac, n, 0.0065)) + 1e-9
    beta = float(stats.binom.cdf(ac, n, 0.02)) + 1e-9
    design_args = ["sampling", "design", "--alpha", f"{alpha!r}", "--beta", f"{beta!r}"]
    got = json.loads(ok(*design_args, "--aql", "0.65", "--ltpd", "2", "--json").stdout)
    assert (got["aql"], got["ltpd"]) == (0.65, 2.0)
    assert got["n"] <= n
    assert got["producers_risk"] == pytest.approx(1 - stats.binom.cdf(got["ac"], got["n"], 0.0065))
    assert got["consumers_risk"] == pytest.approx(stats.binom.cdf(got["ac"], got["n"], 0.02))
    with_sign = json.loads(ok(*design_args, "--aql", "0.65%", "--ltpd", "2%", "--json").stdout)
    assert with_sign == got


def test_an_aql_given_as_a_fraction_gets_a_hint() -> None:
    result = invoke("sampling", "plan", "--lot-size", "100000", "--aql", "0.0065")
    assert result.exit_code == 2
    assert "did you mean --aql 0.65?" in result.stderr
    design = invoke("sampling", "design", "--aql", "0.65", "--alpha", "0.05", "--ltpd", "0.02",
                    "--beta", "0.1")  # fmt: skip
    assert design.exit_code == 2
    assert "0 < AQL < LTPD < 100, in percent" in design.stderr
