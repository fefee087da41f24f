"""Whatever validation accepts runs: extreme values in many fields either are refused with a
ScenarioError, or the scenario simulates two days without an exception."""

from __future__ import annotations

import copy
import math
import re
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantwin import simulate
from plantwin.sampling import AQL_VALUES
from plantwin.scenario import ScenarioError, duration_hours, validate_data

BASE: dict[str, Any] = {
    "plant": {"name": "extremes", "start": date(2025, 1, 6), "horizon": "7d", "nameplate": 1e6},
    "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
    "products": [{"id": "a"}, {"id": "b"}],
    "lines": [
        {"id": "L1", "products": ["a"], "rate": 100, "lot_size": 100},
        {"id": "L2", "products": ["a", "b"], "rate": 100, "lot_size": 100},
    ],
    "range": {
        "lanes": 1,
        "test_time": {"dist": "constant", "value": 1},
        "sampling": {"plan": {"n": 5, "ac": 0, "re": 1}},
    },
    "buffer": {"lots": 2},
    "demand": {"recurring": [{"product": "a", "quantity": 500, "every": "week"}]},
}

# characters that must never reach a terminal from a scenario: the ones validation refuses
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

EDGE_FLOATS = [
    0.0, 5e-324, 1e-300, 1e-9, 0.001, 0.1, 0.5, 1.0, 2.0, 24.0, 1e6, 2.0**53, 2.0**53 * 2,
    1e300, math.inf, -math.inf, math.nan, -1.0,
]  # fmt: skip
EDGE_INTS = [0, 1, 2, 7, 1000, 10**9 - 1, 10**9, 2**53, 2**53 + 1, 2**63, -1]
EDGE_DATES = [
    date(1, 1, 1), date(1, 1, 2), date(2, 1, 1), date(2025, 1, 1), date(2025, 1, 7),
    date(9998, 12, 31), date(9999, 12, 31),
]  # fmt: skip

floats = st.one_of(st.sampled_from(EDGE_FLOATS), st.floats())
small_floats = st.one_of(st.sampled_from([0.0, 1e-9, 0.25, 0.5, 1.0]), st.floats(0, 1))
ints = st.one_of(st.sampled_from(EDGE_INTS), st.integers())
dates = st.one_of(st.sampled_from(EDGE_DATES), st.dates())
moments = st.one_of(dates, st.datetimes())
texts = st.one_of(
    st.sampled_from(["x", "", "a\x1b[31m", "\u202eabc", "l1\u2028l2", "tab\there", "[/]", ":)"]),
    st.text(max_size=8),
)


def dists(values: st.SearchStrategy[float] = floats) -> st.SearchStrategy[dict[str, Any]]:
    """Distribution tables of every kind with extreme parameters."""
    return st.one_of(
        st.builds(lambda v: {"dist": "constant", "value": v}, values),
        st.builds(lambda m: {"dist": "exponential", "mean": m}, values),
        st.builds(lambda m, c: {"dist": "lognormal", "mean": m, "cv": c}, values, floats),
        st.builds(lambda m, c: {"dist": "gamma", "mean": m, "cv": c}, values, floats),
        st.builds(lambda k, s: {"dist": "weibull", "shape": k, "scale": s}, floats, values),
        st.builds(lambda a, b: {"dist": "uniform", "low": a, "high": b}, values, values),
        st.builds(
            lambda a, m, b: {"dist": "triangular", "low": a, "mode": m, "high": b},
            *[values] * 3,
        ),
        st.builds(lambda m, c: {"dist": "beta", "mean": m, "cv": c}, small_floats, floats),
        st.builds(lambda a, b: {"dist": "beta", "a": a, "b": b}, floats, floats),
        st.builds(
            lambda v, w: {"dist": "empirical", "values": v, "weights": w[: len(v)] or None},
            st.lists(values, max_size=3),
            st.lists(floats, max_size=3),
        ),
    )


durations = st.one_of(
    floats,
    st.builds(lambda n, u: f"{n}{u}", ints, st.sampled_from(["h", "d", "w", "mo", "y"])),
    st.sampled_from(["1e308h", "8000y", "0.5h", "1 y", "٣d"]),
)

# (path, values): the path's last part is the field; numbers pick list items
FIELDS: list[tuple[str, st.SearchStrategy[Any]]] = [
    ("plant.name", texts),
    ("plant.unit", texts),
    ("plant.start", dates),
    ("plant.horizon", durations),
    ("plant.nameplate", floats),
    ("plant.pace_share", floats),
    (
        "plant.timezone",
        st.one_of(
            st.sampled_from(["UTC", "America/Caracas", "Pacific/Kiritimati", "Etc/GMT+12"]),
            texts,
        ),
    ),
    ("calendar.holidays", st.lists(dates, max_size=2)),
    ("calendar.shifts", st.lists(st.sampled_from(["06:00-14:00", "22:00-06:00", "23:59-00:00"]))),
    ("products.0.name", texts),
    ("products.0.defect_fraction", dists(small_floats)),
    ("lines.0.rate", floats),
    ("lines.0.performance", floats),
    ("lines.0.lot_size", ints),
    ("lines.1.lot_size", ints),
    ("lines.0.failures", st.fixed_dictionaries({"between": dists(), "repair": dists()})),
    ("lines.0.commissioned", dates),
    ("lines.1.campaign_lots", ints),
    ("lines.1.make_to", st.sampled_from(["stock", "order"])),
    (
        "lines.1.project",
        st.fixed_dictionaries(
            {
                "delivery": dates,
                "delivery_delay": dists(),
                "installation": dists(),
                "ramp_up": st.fixed_dictionaries(
                    {
                        "start": floats,
                        "duration": floats,
                        "shape": st.sampled_from(["linear", "learning"]),
                        "defect_factor": floats,
                    }
                ),
            }
        ),
    ),
    ("changeover.time", dists()),
    ("changeover.campaign_lots", ints),
    ("grid.cuts", st.fixed_dictionaries({"between": dists(), "duration": dists()})),
    ("grid.standstills", st.fixed_dictionaries({"per_year": floats, "duration": dists()})),
    ("grid.restart", floats),
    (
        "grid.backup",
        st.fixed_dictionaries(
            {"lines": st.just(["L1"]), "start_delay": floats, "fail_to_start": small_floats}
        ),
    ),
    ("range.lanes", ints),
    ("range.test_time", dists()),
    ("range.sampling.plan", st.fixed_dictionaries({"n": ints, "ac": ints, "re": ints})),
    (
        "range.sampling",
        st.fixed_dictionaries(
            {
                "aql": st.one_of(st.sampled_from([float(a) for a in AQL_VALUES]), floats),
                "level": st.sampled_from(["S-1", "II", "III"]),
                "resume_after": dists(),
            }
        ),
    ),
    ("buffer.lots", ints),
    ("storage.capacity", floats),
    ("demand.recurring.0.quantity", ints),
    ("demand.recurring.0.first", dates),
    ("demand.recurring.0.every", st.sampled_from(["month", "week"])),
    (
        "demand.orders",
        st.lists(
            st.fixed_dictionaries(
                {"product": st.just("b"), "quantity": ints, "release": moments, "due": moments}
            ),
            max_size=2,
        ),
    ),
]


def put(data: dict[str, Any], path: str, value: Any) -> None:
    node: Any = data
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[last] = value


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    chosen = draw(st.lists(st.sampled_from(range(len(FIELDS))), min_size=1, max_size=4))
    for i in chosen:
        path, values = FIELDS[i]
        put(data, path, draw(values))
    return data


@settings(
    max_examples=800,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(scenarios())
def test_accepted_scenarios_run_and_refused_ones_say_why(data: dict[str, Any]) -> None:
    try:
        scenario = validate_data(data, "<extreme>")
    except ScenarioError as exc:
        lines = str(exc).split("\n")
        assert len(lines) == len(exc.problems) > 0
        assert not any(UNSAFE.search(line) for line in lines), lines  # values are shown escaped
        return
    start = scenario.plant.start
    own = duration_hours(scenario.plant.horizon, start)
    result = simulate(scenario, seed=1, horizon=min(own, 48.0))
    assert result.kpis["conservation"]["ok"]
