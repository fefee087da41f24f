"""Validation refuses what could not run: unsafe text, dates and durations beyond the calendar,
event rates that would explode, numbers beyond floating point; and what it accepts runs.

Each refusal names the field, shows the bad value (escaped) and says what is allowed.
"""

from __future__ import annotations

import json
import math
import tomllib
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from plantwin import simulate
from plantwin.cli import app
from plantwin.scenario import (
    FIRST_DAY,
    LAST_DAY,
    MAX_EVENTS_PER_HOUR,
    Problem,
    Scenario,
    ScenarioError,
    apply_overrides,
    builtin,
    format_path,
    parse_scenario,
    validate_data,
)

SOURCE = "limits.toml"


@pytest.fixture
def data(small_toml: str) -> dict[str, Any]:
    """The tiny test plant as data: line L1 makes product ``a``, 100 an hour in lots of 100."""
    return tomllib.loads(small_toml)


def put(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set ``path`` (dotted; numbers pick list items; missing tables are made) to ``value``."""
    node: Any = data
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[last] = value
    return data


def refused(data: dict[str, Any], path: str) -> str:
    """The one problem of ``data``, which must be at ``path``, as printed."""
    with pytest.raises(ScenarioError) as info:
        validate_data(data, SOURCE)
    problems = info.value.problems
    assert [format_path(p.path) for p in problems] == [path], str(info.value)
    return problems[0].describe(SOURCE)


def runs(data: dict[str, Any], horizon: str = "2d") -> dict[str, Any]:
    """Validate ``data`` and simulate it; the KPIs."""
    result = simulate(validate_data(data, SOURCE), seed=1, horizon=horizon)
    assert result.kpis["conservation"]["ok"]
    kpis: dict[str, Any] = result.kpis
    return kpis


# --- text --------------------------------------------------------------------------------------

UNSAFE = {
    "nul": "\x00",
    "escape": "\x1b",
    "newline": "\n",
    "delete": "\x7f",
    "c1-csi": "\x9b",
    "line-separator": "\u2028",
    "paragraph-separator": "\u2029",
    "right-to-left-override": "\u202e",
    "first-strong-isolate": "\u2068",
}
TEXT_FIELDS = ["plant.name", "plant.unit", "plant.timezone", "products.0.name"]


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("char", sorted(UNSAFE))
def test_control_characters_in_text_are_refused(
    data: dict[str, Any], field: str, char: str
) -> None:
    value = f"ab{UNSAFE[char]}[red]"
    shown = refused(put(data, field, value), field.replace(".0.", "[0]."))
    assert f"contains U+{ord(UNSAFE[char]):04X} at position 2" in shown
    assert "control, line-separator or bidi-override" in shown
    assert repr(value) in shown  # the value, escaped
    assert UNSAFE[char] not in shown


@pytest.mark.parametrize(
    "field", ["lines.0.id", "products.0.id", "demand.orders.0.id", "calendar.shifts"]
)
def test_control_characters_in_ids_and_lists_are_refused(data: dict[str, Any], field: str) -> None:
    value = "L1\x1b]0;title\x07"
    order = {"product": "a", "quantity": 1, "release": date(2025, 1, 7), "due": date(2025, 1, 8)}
    put(data, "demand.orders", [order])
    if field == "calendar.shifts":
        value = "06:00-14:00\x1b"
        put(data, field, ["00:00-06:00", value])
    else:
        put(data, field, value)
    path = format_path(tuple(int(p) if p.isdigit() else p for p in field.split(".")))
    with pytest.raises(ScenarioError) as info:
        validate_data(data, SOURCE)
    shown = str(info.value)
    assert path in [format_path(p.path) for p in info.value.problems], shown
    assert repr(value) in shown
    assert "\x1b" not in shown and "\x07" not in shown


def test_the_line_of_a_control_character_is_given(small_toml: str) -> None:
    text = small_toml.replace('name = "small test plant"', 'name = "small \\u001b[2J plant"')
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, SOURCE)
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if t.startswith("name ="))
    assert str(info.value).startswith(f"{SOURCE}:{line}: plant.name: contains U+001B")


def test_ordinary_unicode_text_is_accepted(data: dict[str, Any]) -> None:
    name = "Planta Maracay — cartuchos 7,62 × 39 mm, 工厂 🏭 (año 2025)"
    put(data, "plant.name", name)
    put(data, "products.0.name", "trazadora\u00a0ñ")  # a no-break space is printable
    assert validate_data(data, SOURCE).plant.name == name


def test_overrides_are_held_to_the_same_rules() -> None:
    with pytest.raises(ScenarioError) as info:
        apply_overrides(builtin(), [("plant.name", "x\x1b[31m"), ("lines.L1.rate", math.inf)])
    assert info.value.source == "--set"
    paths = sorted(format_path(p.path) for p in info.value.problems)
    assert paths == ["lines[0].rate", "plant.name"]


# --- dates and horizons ------------------------------------------------------------------------

DATE_FIELDS = {
    "plant.start": "plant.start",
    "lines.0.commissioned": "lines[0].commissioned",
    "calendar.holidays": "calendar.holidays",
    "demand.recurring.0.first": "demand.recurring[0].first",
    "demand.orders.0.release": "demand.orders[0].release",
    "lines.0.project.delivery": "lines[0].project.delivery",
}


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1, 12, 31), date(9999, 1, 1)], ids=str)
@pytest.mark.parametrize("field", sorted(DATE_FIELDS))
def test_dates_beyond_the_calendars_margin_are_refused(
    data: dict[str, Any], field: str, day: date
) -> None:
    put(data, "demand.recurring", [{"product": "a", "quantity": 10}])
    put(data, "demand.orders", [{"product": "a", "quantity": 1, "release": date(2025, 1, 7)}])
    put(data, "demand.orders.0.due", date(9998, 12, 31))
    if field == "lines.0.project.delivery":
        put(data, "lines.0.project", {"installation": {"dist": "constant", "value": 1}})
    value: Any = [day] if field == "calendar.holidays" else day
    if field == "demand.orders.0.release":
        value = datetime(day.year, day.month, day.day, 6, 30)
    shown = refused(put(data, field, value), DATE_FIELDS[field])
    assert day.isoformat() in shown
    assert f"between {FIRST_DAY} and {LAST_DAY}" in shown
    assert date(2, 1, 1) == FIRST_DAY and date(9998, 12, 31) == LAST_DAY


def test_the_first_and_last_days_are_allowed(data: dict[str, Any]) -> None:
    runs(put(put(data, "plant.start", FIRST_DAY), "calendar.holidays", [FIRST_DAY, LAST_DAY]))
    put(data, "plant.start", LAST_DAY - timedelta(days=2))
    runs(put(data, "plant.horizon", "3d"), horizon="3d")  # ends at the end of the last day


@pytest.mark.parametrize(
    ("horizon", "says"),
    [
        ("8000y", "'8000y'"),  # used to spin forever
        ("7974y", "'7974y'"),  # 2025-01-06 + 7974 years is 9999-01-06
        ("95689mo", "'95689mo'"),
        ("100000000000000000000h", "'100000000000000000000h'"),
        ("2913000d", "'2913000d'"),
        (1e12, "1000000000000.0"),
    ],
)
def test_a_horizon_past_the_last_day_is_refused(
    data: dict[str, Any], horizon: str | float, says: str
) -> None:
    shown = refused(put(data, "plant.horizon", horizon), "plant.horizon")
    assert says in shown
    assert "from 2025-01-06 runs past 9998-12-31" in shown
    room = (date(9999, 1, 1) - date(2025, 1, 6)).days * 24
    assert f"at most {room:,} h from this start" in shown


def test_the_longest_horizon_is_accepted(data: dict[str, Any]) -> None:
    # lots so large that the line finishes none: the shifts alone are ~5.8 M events
    slow = put(data, "lines.0.lot_size", 999_999_999)
    s = validate_data(put(slow, "plant.horizon", "7973y"), SOURCE)  # to 9998-01-06
    assert s.plant.horizon == "7973y"


def test_a_horizon_beyond_the_event_budget_is_refused(data: dict[str, Any]) -> None:
    """The small plant finishes a lot an hour (about 3 events): 10 M events in ~380 years."""
    shown = refused(put(data, "plant.horizon", "1000y"), "plant.horizon")
    assert "would take about" in shown and "more than the 10,000,000 a run may take" in shown
    assert validate_data(put(data, "plant.horizon", "100y"), SOURCE)


def test_the_cli_refuses_a_horizon_beyond_the_event_budget() -> None:
    result = CliRunner().invoke(app, ["run", "--horizon", "3000y", "--no-save"])
    assert result.exit_code == 2, result.output
    assert "--horizon 3000y" in result.stderr and "engine events" in result.stderr


@pytest.mark.parametrize("horizon", [1e300, 2.0**53 * 2, "1e308h"])
def test_a_horizon_beyond_any_number_of_hours_is_refused(
    data: dict[str, Any], horizon: str | float
) -> None:
    shown = refused(put(data, "plant.horizon", horizon), "plant.horizon")
    assert repr(horizon) in shown


def test_a_horizon_given_to_the_run_gets_the_same_error(data: dict[str, Any]) -> None:
    s = validate_data(data, SOURCE)
    in_file = refused(put(data, "plant.horizon", "8000y"), "plant.horizon")
    with pytest.raises(ValueError) as info:
        simulate(s, seed=1, horizon="8000y")
    assert str(info.value) in in_file


def test_the_cli_refuses_a_horizon_past_the_last_day(tmp_path: Any, small_toml: str) -> None:
    path = tmp_path / "small.toml"
    path.write_text(small_toml, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path), "--horizon", "8000y", "--no-save"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "--horizon" in result.stderr and "'8000y'" in result.stderr
    assert "runs past 9998-12-31" in result.stderr


# --- event rates -------------------------------------------------------------------------------


def test_the_event_limit_is_ten_an_hour() -> None:
    assert MAX_EVENTS_PER_HOUR == 10


ZERO = {"dist": "constant", "value": 0}


def test_cuts_of_no_length_with_no_gaps_are_refused(data: dict[str, Any]) -> None:
    shown = refused(put(data, "grid.cuts", {"between": ZERO, "duration": ZERO}), "grid.cuts")
    assert "mean gap of 0 h plus a mean cut of 0 h" in shown
    assert "more than 10 cuts an hour" in shown and "at least 0.1 h" in shown


def test_cuts_at_ten_an_hour_are_accepted_and_run(data: dict[str, Any]) -> None:
    cut = {"dist": "constant", "value": 0.05}
    kpis = runs(put(data, "grid.cuts", {"between": cut, "duration": cut}))
    assert kpis["grid"]["cuts"] == pytest.approx(48 * 10, abs=1)
    put(data, "grid.cuts.duration", {"dist": "exponential", "mean": 0.0499})
    refused(data, "grid.cuts")


def test_standstills_by_the_million_are_refused(data: dict[str, Any]) -> None:
    stops = {"per_year": 1e12, "duration": {"dist": "constant", "value": 1}}
    shown = refused(put(data, "grid.standstills", stops), "grid.standstills.per_year")
    assert "1000000000000.0" in shown and "at most 87,600 a year" in shown
    put(data, "grid.standstills.per_year", 87_600)
    validate_data(data, SOURCE)


def test_standstills_too_rare_to_count_are_refused(data: dict[str, Any]) -> None:
    stops = {"per_year": 1e-9, "duration": {"dist": "constant", "value": 1}}
    shown = refused(put(data, "grid.standstills", stops), "grid.standstills.per_year")
    assert "1e-09" in shown and "use 0 for none" in shown
    put(data, "grid.standstills.per_year", 0)
    runs(data)


def test_failures_every_nanosecond_are_refused(data: dict[str, Any]) -> None:
    failures = {"between": {"dist": "exponential", "mean": 1e-9}, "repair": ZERO}
    shown = refused(put(data, "lines.0.failures", failures), "lines[0].failures.between")
    assert "a mean of 1e-09 producing hours" in shown and "at least 0.1 h" in shown
    put(data, "lines.0.failures.between", {"dist": "empirical", "values": [0, 0.2]})
    kpis = runs(data)  # a mean of 0.1 h: ten an hour
    assert kpis["lines"]["L1"]["failures"] > 0


def test_lots_faster_than_ten_an_hour_are_refused(data: dict[str, Any]) -> None:
    shown = refused(put(data, "lines.0.lot_size", 9), "lines[0].lot_size")
    assert "lots of 9 units at 100 x 1 units an hour" in shown
    assert "11.11 lots an hour" in shown and "at least 10 units" in shown
    put(data, "lines.0.lot_size", 10)
    put(data, "range.sampling.plan.n", 1)
    put(data, "range.test_time.value", 0)  # the range keeps up: the line is never blocked
    kpis = runs(data)
    assert kpis["output"]["units_made"] == pytest.approx(4800)


def test_a_line_too_slow_to_finish_anything_is_refused(data: dict[str, Any]) -> None:
    put(data, "lines.0.performance", 1e-300)
    shown = refused(data, "lines[0].rate")
    assert "100 x 1e-300" in shown and "at least 1e-06 units an hour" in shown


# --- numbers -----------------------------------------------------------------------------------

FLOAT_FIELDS = [
    "lines.0.rate",
    "lines.0.performance",
    "plant.nameplate",
    "plant.pace_share",
    "plant.horizon",
    "grid.restart",
    "storage.capacity",
    "range.test_time.value",
    "range.sampling.resume_after.value",
]


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan], ids=str)
@pytest.mark.parametrize("field", FLOAT_FIELDS)
def test_inf_and_nan_are_refused_everywhere(data: dict[str, Any], field: str, value: float) -> None:
    if field.startswith("range.sampling.resume_after"):
        put(data, "range.sampling.resume_after", {"dist": "constant"})
    shown = refused(put(data, field, value), field.replace(".0.", "[0]."))
    assert repr(value) in shown
    assert "finite" in shown


DISTRIBUTIONS = [
    ({"dist": "exponential", "mean": math.inf}, "mean"),
    ({"dist": "lognormal", "mean": 1, "cv": math.nan}, "cv"),
    ({"dist": "gamma", "mean": math.nan, "cv": 1}, "mean"),
    ({"dist": "weibull", "shape": 1, "scale": math.inf}, "scale"),
    ({"dist": "uniform", "low": 0, "high": math.inf}, "high"),
    ({"dist": "triangular", "low": 0, "mode": math.nan, "high": 1}, "mode"),
    ({"dist": "beta", "a": math.inf, "b": 1}, "a"),
    ({"dist": "empirical", "values": [1, math.nan]}, "values[1]"),
    ({"dist": "empirical", "values": [1, 2], "weights": [1, math.inf]}, "weights[1]"),
]


@pytest.mark.parametrize(("dist", "field"), DISTRIBUTIONS, ids=lambda x: str(x))
def test_inf_and_nan_are_refused_in_distributions(
    data: dict[str, Any], dist: dict[str, Any], field: str
) -> None:
    shown = refused(put(data, "range.test_time", dist), f"range.test_time.{field}")
    assert "finite" in shown


def test_inf_and_nan_are_refused_in_toml(small_toml: str) -> None:
    text = small_toml.replace("rate = 100", "rate = inf").replace("lanes = 1", "lanes = 1\n")
    text += "\n[grid]\nrestart = nan\n"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, SOURCE)
    assert [format_path(p.path) for p in info.value.problems] == ["lines[0].rate", "grid.restart"]
    assert "(got inf)" in str(info.value) and "(got nan)" in str(info.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("demand.recurring.0.quantity", 2**53 + 1),
        ("storage.capacity", 2.0**54),
        ("buffer.lots", 2**63),
        ("lines.0.campaign_lots", 2**64),
        ("lines.0.rate", 1e300),
        ("plant.nameplate", 1e20),
        ("range.test_time.value", 1e308),
        ("range.sampling.plan.re", 2**70),
    ],
)
def test_numbers_beyond_exact_whole_numbers_are_refused(
    data: dict[str, Any], field: str, value: float
) -> None:
    put(data, "demand.recurring", [{"product": "a", "quantity": 10}])
    shown = refused(put(data, field, value), field.replace(".0.", "[0]."))
    assert repr(value) in shown
    assert "must lie within ±9,007,199,254,740,992 (2**53)" in shown


def test_numbers_up_to_two_to_the_53_are_accepted(data: dict[str, Any]) -> None:
    order = {"product": "a", "quantity": 2**53, "release": date(2025, 1, 6), "due": LAST_DAY}
    put(data, "demand.orders", [order])
    put(data, "storage.capacity", 2.0**53)
    put(data, "buffer.lots", 2**53)
    kpis = runs(data)
    assert kpis["orders"]["released"] == 1


@pytest.mark.parametrize(("lot_size", "ok"), [(999_999_999, True), (1_000_000_000, False)])
def test_lot_sizes_stop_below_a_billion(data: dict[str, Any], lot_size: int, ok: bool) -> None:
    put(data, "lines.0.rate", 1e9)
    put(data, "lines.0.lot_size", lot_size)
    if ok:
        kpis = runs(data)  # the sample of each lot is drawn from a billion units
        assert kpis["range"]["lots_tested"] > 0
    else:
        shown = refused(data, "lines[0].lot_size")
        assert "1000000000" in shown and "less than or equal to 999999999" in shown


@pytest.mark.parametrize(
    ("dist", "field", "says"),
    [
        ({"dist": "lognormal", "mean": 1, "cv": 1e200}, "cv", "less than or equal to 10"),
        ({"dist": "gamma", "mean": 1, "cv": 10.5}, "cv", "less than or equal to 10"),
        ({"dist": "gamma", "mean": 1, "cv": 1e-200}, "cv", "greater than or equal to 0.000001"),
        ({"dist": "beta", "mean": 0.5, "cv": 1e-300}, "cv", "greater than or equal to 0.000001"),
        ({"dist": "weibull", "shape": 0.05, "scale": 1}, "shape", "greater than or equal to 0.1"),
    ],
)
def test_degenerate_shapes_are_refused(
    data: dict[str, Any], dist: dict[str, Any], field: str, says: str
) -> None:
    shown = refused(put(data, "range.test_time", dist), f"range.test_time.{field}")
    assert repr(dist[field]) in shown and says in shown


def test_a_beta_whose_shapes_overflow_is_refused(data: dict[str, Any]) -> None:
    beta = {"dist": "beta", "mean": 1e-310, "cv": 0.001}
    shown = refused(put(data, "products.0.defect_fraction", beta), "products[0].defect_fraction")
    assert "mean 1e-310 and cv 0.001 give shapes beyond floating point" in shown


@pytest.mark.parametrize(
    "dist",
    [
        {"dist": "lognormal", "mean": 1, "cv": 10},
        {"dist": "gamma", "mean": 1, "cv": 10},
        {"dist": "gamma", "mean": 1, "cv": 1e-6},
        {"dist": "weibull", "shape": 0.1, "scale": 1},
        {"dist": "empirical", "values": [0.5, 2], "weights": [5e-324, 2.0**53]},
    ],
    ids=lambda d: d["dist"],
)
def test_shapes_at_the_limits_run(data: dict[str, Any], dist: dict[str, Any]) -> None:
    kpis = runs(put(data, "range.test_time", dist))
    assert kpis["range"]["lots_tested"] > 0


@pytest.mark.parametrize(
    ("dist", "field"),
    [
        ({"dist": "empirical", "values": []}, "values"),
        ({"dist": "empirical", "values": [1, 2], "weights": [1, 0]}, "weights[1]"),
        ({"dist": "triangular", "low": 3, "mode": 3, "high": 3}, ""),
    ],
)
def test_empty_or_zero_weight_distributions_are_refused(
    data: dict[str, Any], dist: dict[str, Any], field: str
) -> None:
    path = "range.test_time" + (f".{field}" if field else "")
    refused(put(data, "range.test_time", dist), path)


def test_lanes_stop_at_a_thousand(data: dict[str, Any]) -> None:
    shown = refused(put(data, "range.lanes", 10**9), "range.lanes")
    assert "1000000000" in shown and "less than or equal to 1000" in shown
    put(data, "range.lanes", 1000)
    runs(data)


# --- sampling by the standard --------------------------------------------------------------------


def by_standard(data: dict[str, Any], lot_size: int) -> dict[str, Any]:
    put(data, "range.sampling", {"aql": 0.65})
    put(data, "lines.0.rate", 1)
    return put(data, "lines.0.lot_size", lot_size)


def test_lots_of_one_unit_cannot_be_planned_by_the_standard(data: dict[str, Any]) -> None:
    shown = refused(by_standard(data, 1), "lines[0].lot_size")
    assert "(got 1)" in shown and "Table I" in shown and "lots of 2 units" in shown


def test_lots_smaller_than_the_standards_sample_are_inspected_whole(data: dict[str, Any]) -> None:
    kpis = runs(by_standard(data, 2))  # AQL 0.65 at code letter A: the table's n exceeds 2
    tested = kpis["range"]["lots_tested"]
    assert tested > 0
    assert kpis["range"]["units_sampled"] == 2 * tested  # 100 % inspection destroys the lot
    assert kpis["output"]["units_stored"] == 0


# --- time zone ---------------------------------------------------------------------------------

JULY = datetime(2025, 7, 1, 12)


def test_the_time_zone_is_utc_by_default(data: dict[str, Any]) -> None:
    plant = validate_data(data, SOURCE).plant
    assert plant.timezone == "UTC"
    assert plant.tzinfo.utcoffset(JULY) == timedelta(0)


@pytest.mark.parametrize(
    ("zone", "hours"),
    [("America/Caracas", -4), ("Europe/Madrid", 2), ("Asia/Kathmandu", 5.75), ("Etc/GMT+12", -12)],
)
def test_an_iana_time_zone_gives_its_offset(data: dict[str, Any], zone: str, hours: float) -> None:
    plant = validate_data(put(data, "plant.timezone", zone), SOURCE).plant
    assert plant.tzinfo.utcoffset(JULY) == timedelta(hours=hours)


@pytest.mark.parametrize("name", ["maracay", "maracay-build"])
def test_the_built_in_plants_are_in_caracas(name: str) -> None:
    plant = builtin(name).plant
    assert plant.timezone == "America/Caracas"
    assert plant.tzinfo.utcoffset(JULY) == timedelta(hours=-4)


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus_Mons", "utc", "America", "localtime", "../../etc/passwd", "", "+04:00"]
)
def test_unknown_time_zones_are_refused(data: dict[str, Any], zone: str) -> None:
    shown = refused(put(data, "plant.timezone", zone), "plant.timezone")
    assert f"(got {zone!r})" in shown
    assert "IANA name such as America/Caracas" in shown


# --- the schema --------------------------------------------------------------------------------


def test_the_schema_states_the_limits() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema == Scenario.model_json_schema(by_alias=True)
    defs = schema["$defs"]
    assert defs["Plant"]["properties"]["timezone"]["default"] == "UTC"
    assert defs["Line"]["properties"]["lot_size"]["maximum"] == 999_999_999
    assert defs["Range"]["properties"]["lanes"]["maximum"] == 1000
    assert defs["Gamma"]["properties"]["cv"]["maximum"] == 10


def test_problem_values_are_shown_as_in_toml() -> None:
    problem = Problem(("plant", "start"), "bad", date(1, 1, 1))
    assert problem.describe("f.toml") == "f.toml: plant.start: bad (got 0001-01-01)"
