"""The limits of format 2 networks: format 1's limits for every station, at the network's fields.

Each station is held to the rules of a format 1 line (a rate that finishes something, at most ten
lots an hour, lots of 2 units or more where the standard's tables sample them, failures at most ten
an hour); a process station, which has no lot size of its own, is bounded by the smallest lot that
reaches it. The event budget of a network is estimated as format 1's is.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from plantwin.scenario import (
    STORED,
    Network,
    Scenario,
    builtin,
    check_event_budget,
    check_network_limits,
    format_path,
    to_network,
)

TEST_TIME = {"dist": "constant", "value": 1}
FIXED = {"plan": {"n": 1, "ac": 0, "re": 1}}
WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# 24/7 calendar; a and b made on Pa (1 lot an hour) and Pb (5 lots an hour), processed on X,
# tested on T; c made on Pc (1 unit an hour in lots of 1) and tested on T, not processed
NET: dict[str, Any] = {
    "format": 2,
    "plant": {"start": "2025-01-06", "horizon": "7d"},
    "calendar": {"workdays": WEEK, "shifts": ["00:00-24:00"]},
    "products": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
    "stations": [
        {"id": "Pa", "role": "produce", "products": ["a"], "rate": 100, "lot_size": 100},
        {"id": "Pb", "role": "produce", "products": ["b"], "rate": 100, "lot_size": 20},
        {"id": "X", "role": "process", "rate": 50},
        {"id": "T", "role": "test", "test_time": TEST_TIME, "sampling": FIXED},
        {"id": "Pc", "role": "produce", "products": ["c"], "rate": 1, "lot_size": 1},
    ],
    "buffers": [{"id": "q1", "lots": 2}, {"id": "q2", "lots": 2}, {"id": "q3", "lots": 2}],
    "routings": [
        {
            "products": ["a", "b"],
            "stages": [
                {"stations": ["Pa", "Pb"]},
                {"buffer": "q1", "stations": ["X"]},
                {"buffer": "q2", "stations": ["T"]},
            ],
        },
        {"products": ["c"], "stages": [{"stations": ["Pc"]}, {"buffer": "q3", "stations": ["T"]}]},
    ],
}
PA, PB, X, T, PC = range(5)

# parts a and b made on Pa and Pb, assembled 1:2 into c on A, which T tests
ASSEMBLY: dict[str, Any] = {
    "format": 2,
    "plant": {"start": "2025-01-06", "horizon": "7d"},
    "products": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
    "stations": [
        {"id": "Pa", "role": "produce", "products": ["a"], "rate": 100, "lot_size": 100},
        {"id": "Pb", "role": "produce", "products": ["b"], "rate": 200, "lot_size": 100},
        {"id": "A", "role": "assemble", "products": ["c"], "rate": 50, "lot_size": 50},
        {"id": "T", "role": "test", "test_time": TEST_TIME, "sampling": FIXED},
    ],
    "buffers": [{"id": "parts", "units": 1000}, {"id": "final", "lots": 2}],
    "routings": [
        {"products": ["a", "b"], "stages": [{"stations": ["Pa", "Pb"]}], "to": "parts"},
        {
            "products": ["c"],
            "stages": [
                {"buffer": "parts", "stations": ["A"]},
                {"buffer": "final", "stations": ["T"]},
            ],
        },
    ],
    "bom": [
        {"product": "c", "components": [{"product": "a", "units": 1}, {"product": "b", "units": 2}]}
    ],
}
ASSEMBLER = 2


def network(base: dict[str, Any], *changes: tuple[str, Any]) -> Network:
    """``base`` with each (dotted path, value) set (numbers pick list items), as a Network."""
    data = copy.deepcopy(base)
    for path, value in changes:
        node: Any = data
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        node[last] = value
    # as a stored network, which skips the limits: the tests call check_network_limits
    return Network.model_validate(data, context=STORED)


def limits(net: Network) -> list[str]:
    """The limit problems of ``net`` as ``path: message (value)``."""
    return [f"{format_path(r.path)}: {r.message} ({r.value!r})" for r in check_network_limits(net)]


def paths(net: Network) -> list[str]:
    return [format_path(r.path) for r in check_network_limits(net)]


def estimate(plant: Scenario | Network, hours: float = 1e9) -> float:
    """The engine events that ``check_event_budget`` expects of a run of ``hours``."""
    why = check_event_budget(plant, hours)
    assert why is not None
    found = re.search(r"about ([\d,]+) engine events", why)
    assert found, why
    return float(found.group(1).replace(",", ""))


# --- valid networks ----------------------------------------------------------------------------


@pytest.mark.parametrize("base", [NET, ASSEMBLY], ids=["process", "assembly"])
def test_a_valid_small_network_is_within_every_limit(base: dict[str, Any]) -> None:
    net = network(base)
    assert check_network_limits(net) == []
    assert check_event_budget(net, 8760.0) is None


# --- rates and lots ----------------------------------------------------------------------------


@pytest.mark.parametrize("i", [PA, X], ids=["produce", "process"])
def test_a_station_too_slow_to_finish_anything_is_refused(i: int) -> None:
    [shown] = limits(network(NET, (f"stations.{i}.performance", 1e-300)))
    assert shown.startswith(f"stations[{i}].rate: rate x performance")
    assert "x 1e-300" in shown and "at least 1e-06 units an hour" in shown


def test_a_produce_station_finishing_more_than_ten_lots_an_hour_is_refused() -> None:
    [shown] = limits(network(NET, ("stations.1.lot_size", 9)))
    assert shown.startswith("stations[1].lot_size: lots of 9 units at 100 x 1 units an hour")
    assert "11.11 lots an hour" in shown and "per station" in shown
    assert "at least 10 units" in shown
    assert check_network_limits(network(NET, ("stations.1.lot_size", 10))) == []


def test_an_assemble_station_finishing_more_than_ten_lots_an_hour_is_refused() -> None:
    [shown] = limits(network(ASSEMBLY, ("stations.2.lot_size", 4)))
    assert shown.startswith("stations[2].lot_size: lots of 4 units at 50 x 1")
    assert "12.5 lots an hour" in shown and "at least 5 units" in shown


def test_a_process_station_is_bounded_by_the_smallest_lot_routed_through_it() -> None:
    """X takes Pa's lots of 100 and Pb's of 20 (not Pc's lots of 1, which go straight to T):
    at 250 an hour it would finish 12.5 of Pb's lots an hour."""
    [shown] = limits(network(NET, ("stations.2.rate", 250)))
    assert shown.startswith("stations[2].rate: at 250 x 1 units an hour, lots of 20 units")
    assert "made by station Pb" in shown and "12.5 lots an hour" in shown
    assert "make Pb's lots at least 25 units, or the rate at most 200" in shown
    assert shown.endswith("(250.0)")
    assert check_network_limits(network(NET, ("stations.2.rate", 200))) == []
    bigger = network(NET, ("stations.2.rate", 250), ("stations.1.lot_size", 25))
    assert check_network_limits(bigger) == []


def test_a_process_stations_performance_counts_in_its_lots_an_hour() -> None:
    net = network(NET, ("stations.2.rate", 400), ("stations.2.performance", 0.5))
    assert check_network_limits(net) == []
    assert paths(network(NET, ("stations.2.rate", 400))) == ["stations[2].rate"]


# --- sampling by the standard ------------------------------------------------------------------

STANDARD = {"aql": 0.65}


def test_lots_of_one_unit_that_reach_a_test_by_the_standard_are_refused() -> None:
    """Pc's lots of 1 reach T: with T sampling by the standard's tables they cannot be planned."""
    [shown] = limits(network(NET, ("stations.3.sampling", STANDARD)))
    assert shown.startswith("stations[4].lot_size: the standard's sampling tables (Table I)")
    assert "start at lots of 2 units" in shown and shown.endswith("(1)")
    assert check_network_limits(network(NET)) == []  # a fixed plan samples lots of 1


def test_only_the_lots_that_reach_the_standards_test_are_held_to_it() -> None:
    """Components are consumed by the assembly and never tested: lots of 1 unit are fine for
    them, but not for the assembled lots that T tests by the standard."""
    net = network(
        ASSEMBLY,
        ("stations.0.rate", 1),
        ("stations.0.lot_size", 1),
        ("stations.2.rate", 1),
        ("stations.2.lot_size", 1),
        ("stations.3.sampling", STANDARD),
    )
    assert paths(net) == ["stations[2].lot_size"]


# --- failures ----------------------------------------------------------------------------------

EVERY_NANOSECOND = {"between": {"dist": "exponential", "mean": 1e-9}, "repair": TEST_TIME}


@pytest.mark.parametrize("i", [PA, X, T], ids=["produce", "process", "test"])
def test_failures_more_than_ten_an_hour_are_refused_on_any_station(i: int) -> None:
    [shown] = limits(network(NET, (f"stations.{i}.failures", EVERY_NANOSECOND)))
    assert shown.startswith(f"stations[{i}].failures.between: a mean of 1e-09 producing hours")
    assert "at least 0.1 h" in shown
    ten_an_hour = {"between": {"dist": "exponential", "mean": 0.1}, "repair": TEST_TIME}
    assert check_network_limits(network(NET, (f"stations.{i}.failures", ten_an_hour))) == []


def test_failures_on_an_assemble_station_are_held_to_the_limit() -> None:
    net = network(ASSEMBLY, ("stations.2.failures", EVERY_NANOSECOND))
    assert paths(net) == ["stations[2].failures.between"]


# --- the grid ----------------------------------------------------------------------------------

ZERO = {"dist": "constant", "value": 0}
ONE = {"dist": "constant", "value": 1}


@pytest.mark.parametrize(
    ("grid", "path", "says"),
    [
        ({"cuts": {"between": ZERO, "duration": ZERO}}, "grid.cuts", "more than 10 cuts an hour"),
        (
            {"standstills": {"per_year": 1e12, "duration": ONE}},
            "grid.standstills.per_year",
            "at most 87,600 a year",
        ),
        (
            {"standstills": {"per_year": 1e-9, "duration": ONE}},
            "grid.standstills.per_year",
            "use 0 for none",
        ),
    ],
    ids=["cuts", "many-standstills", "rare-standstills"],
)
def test_the_grid_is_held_to_format_1s_limits(grid: dict[str, Any], path: str, says: str) -> None:
    [shown] = limits(network(NET, ("grid", grid)))
    assert shown.startswith(f"{path}: ") and says in shown


# --- the event budget --------------------------------------------------------------------------


def test_a_horizon_beyond_the_event_budget_is_refused() -> None:
    """NET finishes 6 lots an hour through 3 stages and 1 through 2, around the clock: about
    30 events an hour (1.5 a lot and stage), so the budget of 10 M lasts about 38 years."""
    [shown] = limits(network(NET, ("plant.horizon", "40y")))
    assert shown.startswith("plant.horizon: a run of 350,6")
    assert "more than the 10,000,000 a run may take" in shown
    assert check_network_limits(network(NET, ("plant.horizon", "35y"))) == []


def test_the_budget_is_checked_only_when_the_rates_are_within_their_limits() -> None:
    net = network(NET, ("plant.horizon", "40y"), ("stations.1.lot_size", 1))
    assert paths(net) == ["stations[1].lot_size", "stations[2].rate"]


@pytest.mark.parametrize("name", ["maracay", "maracay-build"])
def test_a_network_of_format_1s_shape_has_format_1s_estimate(name: str) -> None:
    """The same estimate, not only a close one: a format 1 file near the budget must stay
    runnable once it runs as its network (the range, a test station, owes no restart)."""
    s = builtin(name)
    net = to_network(s)
    assert estimate(net) == pytest.approx(estimate(s), rel=0.01)
    for hours in (1e6, 1e7, 1e8):
        assert check_event_budget(net, hours) == check_event_budget(s, hours)


def test_each_stage_a_lot_passes_costs_events() -> None:
    """Without X, Pa's and Pb's 6 lots an hour pass 2 stages instead of 3: 1.5 x 6 = 9 events
    an hour fewer (the estimate counts format 1's 3 events a lot as 1.5 per stage)."""
    direct = copy.deepcopy(NET)
    direct["stations"].pop(X)
    direct["buffers"].pop(0)
    del direct["routings"][0]["stages"][1]
    hours = 1e9
    assert estimate(network(NET), hours) - estimate(network(direct), hours) == pytest.approx(
        1.5 * 6 * hours, rel=1e-6
    )


def test_a_crews_calendar_costs_two_events_a_shift() -> None:
    """Two shifts on five days a week: 10 windows a week, 20 events a week (168 h)."""
    crew = {"id": "fixers", "count": 1, "calendar": {"shifts": ["06:00-14:00", "14:00-22:00"]}}
    with_crew = network(NET, ("crews", [crew]), ("stations.0.crew", "fixers"))
    hours = 1e9
    assert estimate(with_crew, hours) - estimate(network(NET), hours) == pytest.approx(
        20 / 168 * hours, rel=1e-6
    )
    always = network(NET, ("crews", [{"id": "fixers", "count": 1}]), ("stations.0.crew", "fixers"))
    assert estimate(always, hours) == estimate(network(NET), hours)
