"""The KPIs of ISO 22400-2 (``kpis["iso22400"]``): each one on a tiny plant whose timeline is
worked out by hand, the time model's identities, the plant as the sum of its stations, the
section in ``plantwin run --json`` and what an experiment's flat rows keep of it."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from plantwin import builtin, simulate
from plantwin.cli import app
from plantwin.kpis import IsoPlantKpis, IsoStationKpis, compute, flatten
from plantwin.scenario import parse_scenario

# Every day 06:00-22:00, from Monday 2025-01-06 for 48 h: working 6-22 and 30-46 (32 h).
# L1 makes a (never defective) at 100 x 0.5 units an hour in lots of 250 and fails after
# every 14 producing hours, repaired 9.5 h later on calendar time: producing 6-20, failed
# 20-22 (the repair goes on through the night), repaired 29.5, producing 30-44, failed 44-46
# (that repair ends after the horizon). Lots at 11, 16, 31, 36, 41, 150 units of a sixth.
# L2 makes b (every unit defective) likewise, without failures: 32 producing hours, lots at
# 11, 16, 21, 34, 39, 44, 100 units of a seventh. Every lot is tested (0.5 h, n = 5, Re = 1)
# before the horizon: a's pass (245 units into storage each), b's are scrapped (245 each).
TWO_LINES = """\
[plant]
name = "two lines"
start = 2025-01-06
horizon = "2d"

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["06:00-22:00"]

[[products]]
id = "a"
defect_fraction = { dist = "constant", value = 0 }

[[products]]
id = "b"
defect_fraction = { dist = "constant", value = 1 }

[[lines]]
id = "L1"
products = ["a"]
rate = 100
performance = 0.5
lot_size = 250

[lines.failures]
between = { dist = "constant", value = 14 }
repair = { dist = "constant", value = 9.5 }

[[lines]]
id = "L2"
products = ["b"]
rate = 100
performance = 0.5
lot_size = 250

[range]
lanes = 1
test_time = { dist = "constant", value = 0.5 }

[range.sampling]
plan = { n = 5, ac = 0, re = 1 }

[buffer]
lots = 5
"""

# Around the clock, one line L1 of 100 units an hour in lots of 100, a test lane of its own.
ONE_LINE = """\
[plant]
name = "one line"
start = 2025-01-06
horizon = {horizon}

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "a"

[[products]]
id = "b"

[[lines]]
id = "L1"
products = {products}
rate = 100
lot_size = 100
{line}

[range]
lanes = 1
test_time = {{ dist = "constant", value = {test_time} }}

[range.sampling]
plan = {{ n = 5, ac = 0, re = 1 }}

[buffer]
lots = {buffer}
{rest}
"""

STATION_KEYS = [f.name for f in fields(IsoStationKpis)]
PLANT_KEYS = [f.name for f in fields(IsoPlantKpis)]
KPIS = [k for k in STATION_KEYS if k not in IsoStationKpis.ELEMENTS]


def _one_line(
    horizon: float,
    line: str = "",
    products: str = '["a"]',
    test_time: float = 0.5,
    buffer: int = 5,
    rest: str = "",
) -> dict[str, Any]:
    text = ONE_LINE.format(
        horizon=horizon, line=line, products=products, test_time=test_time, buffer=buffer,
        rest=rest,
    )  # fmt: skip
    return simulate(parse_scenario(text), 1).kpis


@pytest.fixture(scope="module")
def two_lines() -> dict[str, Any]:
    return simulate(parse_scenario(TWO_LINES), 1).kpis


def test_a_line_with_shifts_and_failures(two_lines: dict[str, Any]) -> None:
    """L1: 32 planned hours, 28 producing, 4 failed; 1,400 units made, 1,225 into storage."""
    l1 = two_lines["iso22400"]["stations"]["L1"]
    assert l1 == pytest.approx(
        {
            "planned_busy_hours": 32.0,  # 48 h less 16 off shift
            "busy_hours": 32.0,
            "processing_hours": 28.0,
            "production_hours": 28.0,
            "setup_hours": 0.0,
            "delay_hours": 4.0,  # failed in working time only: off shift outranks it
            "down_hours": 0.0,
            "order_execution_hours": 32.0,
            "produced_units": 1400.0,  # 28 h x 50, the partial lot included
            "good_units": 1225.0,  # 5 lots of 250 less 5 samples each
            "scrap_units": 0.0,
            "consumed_units": None,
            "failures": 2,
            "oee_index": 0.875 * 0.5 * 0.875,
            "nee_index": 0.875 * 0.5 * 0.875,  # no setup: as the OEE index
            "availability": 28 / 32,
            "effectiveness": 0.5,  # (1/100 h a unit) x 1,400 units / 28 h
            "quality_ratio": 1225 / 1400,
            "setup_ratio": 0.0,
            "technical_efficiency": 28 / 32,
            "production_process_ratio": 28 / 32,
            "allocation_ratio": 1.0,
            "allocation_efficiency": 1.0,
            "utilisation_efficiency": 28 / 32,
            "throughput_rate": 1400 / 32,
            "scrap_ratio": 0.0,
            "finished_goods_ratio": None,
            "mtbf_hours": 28 / 2,
            "mttr_hours": 9.5,  # calendar time of the one repair finished, not its 2 failed hours
        }
    )
    assert list(l1) == STATION_KEYS
    assert isinstance(l1["failures"], int)


def test_scrap_first_pass_yield_and_the_plant_as_the_sum(two_lines: dict[str, Any]) -> None:
    iso = two_lines["iso22400"]
    l2 = iso["stations"]["L2"]
    assert (l2["produced_units"], l2["good_units"], l2["scrap_units"]) == (1600, 0, 6 * 245)
    assert l2["quality_ratio"] == 0.0
    assert l2["oee_index"] == 0.0
    assert l2["scrap_ratio"] == pytest.approx(6 * 245 / 1600)  # samples are not scrap
    assert (l2["mtbf_hours"], l2["mttr_hours"]) == (None, None)  # no failure, no repair
    plant = iso["plant"]
    assert list(plant) == PLANT_KEYS
    assert plant == pytest.approx(
        {
            **{k: 32.0 + 32.0 for k in ("planned_busy_hours", "busy_hours")},
            "processing_hours": 60.0,
            "production_hours": 60.0,
            "setup_hours": 0.0,
            "delay_hours": 4.0,
            "down_hours": 0.0,
            "order_execution_hours": 64.0,
            "produced_units": 3000.0,
            "good_units": 1225.0,
            "scrap_units": 1470.0,
            "consumed_units": None,
            "failures": 2,
            "oee_index": 60 / 64 * 0.5 * 1225 / 3000,
            "nee_index": 60 / 64 * 0.5 * 1225 / 3000,
            "availability": 60 / 64,
            "effectiveness": 0.5,
            "quality_ratio": 1225 / 3000,
            "setup_ratio": 0.0,
            "technical_efficiency": 60 / 64,
            "production_process_ratio": 60 / 64,
            "allocation_ratio": 1.0,
            "allocation_efficiency": 1.0,
            "utilisation_efficiency": 60 / 64,
            "throughput_rate": 3000 / 64,
            "scrap_ratio": 1470 / 3000,
            "finished_goods_ratio": None,
            "mtbf_hours": 60 / 2,
            "mttr_hours": 9.5,
            "first_pass_yield": 5 * 250 / (5 * 250 + 6 * 250),  # a's lots pass, b's fail
            "defectives_passed": 0.0,
            "outgoing_defective_fraction": 0.0,
        }
    )
    assert plant["defectives_passed"] == two_lines["output"]["defectives_passed"]


def test_setup_and_power_cuts_with_their_restart() -> None:
    """L1 makes 3 lots of a (0-3), changes over to b (3-5, demand for b only), produces 5-8,
    loses power 8-10 (a cut every 8 h, 2 h long), restarts 10-10.5, produces until the next
    cut at 18, which lasts to the horizon at 20."""
    k = _one_line(
        20,
        products='["a", "b"]',
        line='initial_product = "a"\ncampaign_lots = 3',
        rest="""
[changeover]
time = { dist = "constant", value = 2 }

[grid]
restart = 0.5
cuts = { between = { dist = "constant", value = 8 }, duration = { dist = "constant", value = 2 } }

[[demand.orders]]
product = "b"
quantity = 1000000
release = 2025-01-06
due = 2025-02-01
""",
    )
    iso = k["iso22400"]["stations"]["L1"]
    quality = iso["quality_ratio"]
    assert iso == pytest.approx(
        {
            **iso,
            "planned_busy_hours": 20.0,
            "production_hours": 13.5,
            "setup_hours": 2.0,
            "processing_hours": 15.5,
            "delay_hours": 4.5,  # 4 h without power and the 0.5 h restart
            "busy_hours": 20.0,
            "produced_units": 1350.0,
            "effectiveness": 1.0,
            "availability": 13.5 / 20,
            "setup_ratio": 2 / 15.5,
            "nee_index": 15.5 / 20 * quality,  # setup is no loss here
            "oee_index": 13.5 / 20 * quality,
            "technical_efficiency": 13.5 / (13.5 + 4.5),
            "utilisation_efficiency": 13.5 / 20,
        }
    )


def test_blocked_hours_count_in_the_order_execution_time() -> None:
    """No buffer and a 3 h test: L1 (1 h a lot) is blocked 2-4, 5-7 and 8-10 holding a lot."""
    iso = _one_line(10, test_time=3, buffer=0)["iso22400"]["stations"]["L1"]
    assert (iso["production_hours"], iso["down_hours"]) == (4.0, 6.0)
    assert iso["busy_hours"] == 4.0
    assert iso["order_execution_hours"] == 10.0  # busy and holding the order's lot
    assert iso["production_process_ratio"] == pytest.approx(0.4)
    assert iso["allocation_ratio"] == pytest.approx(0.4)
    assert iso["allocation_efficiency"] == pytest.approx(0.4)
    assert iso["utilisation_efficiency"] == 1.0
    assert iso["throughput_rate"] == pytest.approx(400 / 10)


def test_starved_hours_do_not() -> None:
    """Make to order, one order of 150: two lots (0-2) cover it, then L1 is starved 2-10."""
    rest = """
[[demand.orders]]
product = "a"
quantity = 150
release = 2025-01-06
due = 2025-02-01
"""
    iso = _one_line(10, line='make_to = "order"', rest=rest)["iso22400"]["stations"]["L1"]
    assert (iso["production_hours"], iso["down_hours"]) == (2.0, 8.0)
    assert iso["order_execution_hours"] == 2.0  # no order waits on a starved station
    assert iso["production_process_ratio"] == 1.0
    assert iso["allocation_efficiency"] == pytest.approx(0.2)
    assert iso["throughput_rate"] == pytest.approx(100.0)


ASSEMBLY = """\
format = 2

[plant]
name = "tiny assembly"
start = 2025-01-06
horizon = 9.75

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "c"

[[products]]
id = "k"

[[stations]]
id = "P"
role = "produce"
products = ["c"]
rate = 100
lot_size = 100

[[stations]]
id = "X"
role = "process"
rate = 200

[[stations]]
id = "A"
role = "assemble"
products = ["k"]
rate = 100
lot_size = 50

[[stations]]
id = "T"
role = "test"
test_time = { dist = "constant", value = 0.25 }
sampling = { plan = { n = 5, ac = 0, re = 1 } }

[[buffers]]
id = "wip"
lots = 5

[[buffers]]
id = "kit"
lots = 5

[[buffers]]
id = "queue"
lots = 5

[[routings]]
products = ["c"]
stages = [{ stations = ["P"] }, { buffer = "wip", stations = ["X"] }]
to = "kit"

[[routings]]
products = ["k"]
stages = [{ buffer = "kit", stations = ["A"] }, { buffer = "queue", stations = ["T"] }]

[[bom]]
product = "k"
components = [{ product = "c", units = 2 }]
"""


def test_an_assembly_consumes_material_and_a_process_station_judges_no_quality() -> None:
    """P makes a lot of c an hour (1..9, 75 units of a tenth); X processes each in 0.5 h
    (1.5..9.5) into the kit; A takes 100 c for a lot of 50 k (0.5 h): 8 lots by 9.5 and 25
    units of a ninth; T passes each in 0.25 h, 45 units into storage."""
    iso = simulate(parse_scenario(ASSEMBLY), 1).kpis["iso22400"]
    st = iso["stations"]
    assert list(st) == ["P", "X", "A"]  # not the test station
    p, x, a = st["P"], st["X"], st["A"]
    assert (p["produced_units"], p["good_units"], p["consumed_units"]) == (975, 900, None)
    assert p["quality_ratio"] == pytest.approx(900 / 975)  # consumed into assemblies is good
    assert (x["produced_units"], x["production_hours"], x["down_hours"]) == (900, 4.5, 5.25)
    for key in ("good_units", "scrap_units", "quality_ratio", "scrap_ratio", "oee_index"):
        assert x[key] is None, key  # its lots' fate is their maker's
    assert x["nee_index"] is None
    assert x["effectiveness"] == 1.0
    assert (a["produced_units"], a["good_units"], a["consumed_units"]) == (425, 360, 900)
    assert a["finished_goods_ratio"] == pytest.approx(360 / 900)
    assert a["quality_ratio"] == pytest.approx(360 / 425)
    plant = iso["plant"]
    assert plant["produced_units"] == 975 + 900 + 425
    assert plant["good_units"] == 900 + 360
    assert plant["consumed_units"] == 900
    # each ratio over the stations that have its quantity: X judges no quality
    assert plant["quality_ratio"] == pytest.approx((900 + 360) / (975 + 425))
    assert plant["finished_goods_ratio"] == pytest.approx(360 / 900)
    assert plant["first_pass_yield"] == 1.0
    assert plant["throughput_rate"] == pytest.approx(2300 / (9.75 + 4.5 + 4.25))


CREW = """\
format = 2

[plant]
name = "one crew"
start = 2025-01-06
horizon = 10

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "c"

[[routings]]
products = ["c"]
stages = [{ stations = ["P1", "P2"] }]

[[crews]]
id = "fitters"
count = 1
""" + "".join(
    f"""
[[stations]]
id = "{sid}"
role = "produce"
products = ["c"]
rate = 100
lot_size = 100
crew = "fitters"
failures.between = {{ dist = "constant", value = 5 }}
failures.repair = {{ dist = "constant", value = 2 }}
"""
    for sid in ("P1", "P2")
)


def test_time_to_restoration_includes_the_wait_for_a_crew() -> None:
    """P1 and P2 fail at 5; the one fitter repairs P1 5-7, then P2 7-9."""
    iso = simulate(parse_scenario(CREW), 1).kpis["iso22400"]
    p1, p2 = iso["stations"]["P1"], iso["stations"]["P2"]
    assert (p1["delay_hours"], p1["mttr_hours"], p1["mtbf_hours"]) == (2.0, 2.0, 8.0)
    assert (p2["delay_hours"], p2["mttr_hours"], p2["mtbf_hours"]) == (4.0, 4.0, 6.0)
    assert p2["technical_efficiency"] == pytest.approx(6 / 10)
    assert iso["plant"]["mttr_hours"] == 3.0  # (2 + 4) h over 2 repairs
    assert iso["plant"]["mtbf_hours"] == 7.0  # (8 + 6) producing hours over 2 failures
    assert iso["plant"]["first_pass_yield"] is None  # nothing tested


def test_nothing_to_divide_by_gives_none() -> None:
    """Six hours of night: no planned busy time, nothing made, tested or failed."""
    iso = compute(simulate(parse_scenario(TWO_LINES), 1, horizon=6).record).iso22400
    for name, unit in (("plant", iso.plant), *iso.stations.items()):
        assert unit.planned_busy_hours == 0.0
        assert {k: getattr(unit, k) for k in KPIS} == dict.fromkeys(KPIS), name
    assert iso.plant.first_pass_yield is None


@pytest.fixture(
    scope="module", params=[("maracay", "120d"), ("assembly", "120d"), ("maracay-build", None)]
)
def builtin_kpis(request: pytest.FixtureRequest) -> dict[str, Any]:
    """A built-in's KPIs (the build study over its whole horizon: it opens late)."""
    name, horizon = request.param
    return simulate(builtin(name), 1, horizon=horizon, event_log=False).kpis


def test_the_time_model_adds_up(builtin_kpis: dict[str, Any]) -> None:
    horizon = builtin_kpis["horizon_hours"]
    for sid, iso in builtin_kpis["iso22400"]["stations"].items():
        h = builtin_kpis["lines"][sid]["hours"]
        pbt = iso["planned_busy_hours"]
        assert pbt == horizon - h["off_shift"] - h["not_commissioned"]
        assert pbt == pytest.approx(iso["busy_hours"] + iso["down_hours"], abs=1e-9)
        assert iso["busy_hours"] == pytest.approx(iso["processing_hours"] + iso["delay_hours"])
        assert iso["processing_hours"] == iso["production_hours"] + iso["setup_hours"]
        assert iso["order_execution_hours"] == iso["busy_hours"] + h["blocked"]
        assert iso["production_hours"] == h["producing"]


def test_the_oee_factors_are_those_of_lines(builtin_kpis: dict[str, Any]) -> None:
    for sid, iso in builtin_kpis["iso22400"]["stations"].items():
        line = builtin_kpis["lines"][sid]
        assert iso["availability"] == line["availability"], sid
        assert iso["effectiveness"] == line["performance"], sid
        assert iso["quality_ratio"] == line["quality"], sid
        assert iso["oee_index"] == line["oee"], sid
        assert iso["produced_units"] == line["units_made"], sid
        assert iso["failures"] == line["failures"], sid


def test_the_plant_is_the_sum_of_its_stations(builtin_kpis: dict[str, Any]) -> None:
    iso = builtin_kpis["iso22400"]
    stations, plant = list(iso["stations"].values()), iso["plant"]
    for key in IsoStationKpis.ELEMENTS:
        values = [s[key] for s in stations if s[key] is not None]
        assert plant[key] == (pytest.approx(sum(values)) if values else None), key
    assert plant["availability"] == pytest.approx(
        plant["production_hours"] / plant["planned_busy_hours"]
    )
    assert plant["mtbf_hours"] == pytest.approx(plant["production_hours"] / plant["failures"])
    mttr = [s["mttr_hours"] for s in stations if s["mttr_hours"] is not None]
    assert plant["mttr_hours"] is not None and mttr  # the built-ins repair within 120 days
    assert min(mttr) <= plant["mttr_hours"] <= max(mttr)  # a mean of the stations' repairs
    out = builtin_kpis["output"]
    assert plant["defectives_passed"] == out["defectives_passed"]
    assert plant["outgoing_defective_fraction"] == out["outgoing_defective_fraction"]
    tested = builtin_kpis["range"]
    assert 0 < plant["first_pass_yield"] <= 1
    if tested["lots_rejected"] == 0:
        assert plant["first_pass_yield"] == 1.0


def test_flat_rows_keep_the_plant_s_kpis_only() -> None:
    result = simulate(parse_scenario(TWO_LINES), 1)
    flat = result.flat_kpis()
    assert flat == flatten(result.kpis)
    iso = {k: v for k, v in flat.items() if k.startswith("iso22400.")}
    plant = result.kpis["iso22400"]["plant"]
    kept = [k for k in PLANT_KEYS if k not in IsoPlantKpis.ELEMENTS]
    assert iso == {f"iso22400.plant.{k}": plant[k] for k in kept if plant[k] is not None}
    assert "iso22400.plant.oee_index" in iso
    assert "iso22400.plant.first_pass_yield" in iso
    assert not any(k.startswith("iso22400.stations.") for k in flat)
    assert "lines.L1.units_made" in flat  # the stations' own figures stay under lines.*


def test_run_json_carries_the_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "two.toml").write_text(TWO_LINES, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "two.toml", "--json", "--no-save"])
    assert result.exit_code == 0, result.output
    kpis = json.loads(result.stdout)
    iso = kpis["iso22400"]
    assert list(kpis).index("iso22400") == list(kpis).index("lines") + 1
    assert list(iso) == ["plant", "stations"]
    assert list(iso["stations"]) == ["L1", "L2"]
    assert iso["stations"]["L1"]["mttr_hours"] == 9.5
    assert iso["plant"]["first_pass_yield"] == pytest.approx(1250 / 2750)
