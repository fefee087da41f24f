"""The whole event log of a tiny network, compared with the list derived by hand from the rules.

P (produce, 100 units an hour, lots of 100: a lot an hour) -> B1 (1 lot) -> Q (process, 40 an
hour: 2.5 h a lot) -> B2 (1 lot) -> T (test, one lane, 4 h a lot, n = 5, Ac = 0, Re = 1; nothing
is defective) -> storage; around the clock, no grid, 12 hours. T is the bottleneck, so both
buffers fill and both P and Q end up blocked, and at t = 11.5 one test's end frees the whole
line in one instant: T takes B2's lot, Q's held lot moves into B2, Q takes B1's lot, P's held
lot moves into B1, and P starts its next lot.

Ties: apart from the start (t = 0), no two scheduled events fall at the same time; only the
cascade above and a lot's own moves happen in one instant. Within an instant the log follows
cause and effect: a finished lot is logged, then where it goes, then what its station does
next; a station logs a new state (after t = 0 never one of no time) when its own handling of
the instant ends.
"""

from __future__ import annotations

from typing import Any

import pytest

from plantwin import RunResult, simulate
from plantwin.scenario import Network, parse_scenario

SCENARIO = """
format = 2

[plant]
name = "trace"
start = 2025-01-06
horizon = "12h"

[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
shifts = ["00:00-24:00"]

[[products]]
id = "a"

[[stations]]
id = "P"
role = "produce"
products = ["a"]
rate = 100
lot_size = 100

[[stations]]
id = "Q"
role = "process"
rate = 40

[[stations]]
id = "T"
role = "test"
test_time = { dist = "constant", value = 4 }
sampling = { plan = { n = 5, ac = 0, re = 1 } }

[[buffers]]
id = "B1"
lots = 1

[[buffers]]
id = "B2"
lots = 1

[[routings]]
products = ["a"]
stages = [
    { stations = ["P"] },
    { buffer = "B1", stations = ["Q"] },
    { buffer = "B2", stations = ["T"] },
]
"""

Row = tuple[float, str, str, str, str, str, float, str]


def state(t: float, station: str, name: str) -> Row:
    """A station's state record (its set-up product is a)."""
    return (t, "line", station, name, "a", "", 0, "")


def lot(t: float, n: int, event: str, quantity: float, related: str) -> Row:
    """A record of lot P-0000n."""
    lot_id = f"P-{n:05d}"
    return (t, "lot", lot_id, event, "a", lot_id, quantity, related)


def produced(t: float, n: int) -> Row:
    return lot(t, n, "lot_produced", 100, "P")


def started(t: float, n: int) -> Row:
    return lot(t, n, "lot_started", 100, "P")


def queued(t: float, n: int, buffer: str) -> Row:
    return lot(t, n, "lot_queued", 0, buffer)


def held(t: float, n: int, station: str) -> Row:
    return lot(t, n, "lot_held_on_line", 0, station)


def processed(t: float, n: int) -> Row:
    return lot(t, n, "lot_processed", 100, "Q")


def takes(t: float, n: int) -> list[Row]:
    """Q takes lot n from B1 the instant it has put its last one away: it stays `producing`,
    so no state record (a state is logged when it changes, never for no time)."""
    return [lot(t, n, "process_started", 100, "Q")]


def passed(t: float, n: int) -> list[Row]:
    """T's test of lot n ends: accepted with 0 defectives in the sample, 95 units stored."""
    return [lot(t, n, "lot_accepted", 0, "lane-1"), lot(t, n, "lot_stored", 95, "storage")]


def lane_takes(t: float, n: int) -> Row:
    return lot(t, n, "test_started", 0, "lane-1")


# Lots are P-00001.. (n below). P finishes lot n at the end of each hour it produces; Q works a
# lot 2.5 h; T tests one 4 h.
EXPECTED: list[Row] = [
    # t = 0: the stations are commissioned before the first shift's start is broadcast (so
    # they pass through off_shift for no time), P starts lot 1, Q has nothing, T opens.
    state(0, "P", "commissioned"),
    started(0, 1),
    state(0, "P", "off_shift"),
    state(0, "Q", "commissioned"),
    state(0, "Q", "off_shift"),
    state(0, "P", "producing"),
    state(0, "Q", "starved"),
    (0, "range", "T", "open", "", "", 0, ""),
    # 1: lot 1 goes straight to idle Q (1 - 3.5); P starts lot 2.
    produced(1, 1),
    lot(1, 1, "process_started", 100, "Q"),
    state(1, "Q", "producing"),
    started(1, 2),
    # 2: Q is busy, B1 has room: lot 2 waits in B1.
    produced(2, 2),
    queued(2, 2, "B1"),
    started(2, 3),
    # 3: B1 is full: P holds lot 3, blocked.
    produced(3, 3),
    held(3, 3, "P"),
    state(3, "P", "blocked"),
    # 3.5: Q is done with lot 1, which goes straight to idle T (3.5 - 7.5); Q takes lot 2 from
    # B1 (3.5 - 6); the room frees P's lot 3 into B1 and P starts lot 4.
    processed(3.5, 1),
    lane_takes(3.5, 1),
    *takes(3.5, 2),
    queued(3.5, 3, "B1"),
    started(3.5, 4),
    state(3.5, "P", "producing"),
    # 4.5: B1 full again.
    produced(4.5, 4),
    held(4.5, 4, "P"),
    state(4.5, "P", "blocked"),
    # 6: T is busy, B2 has room: lot 2 waits in B2; Q takes lot 3 (6 - 8.5); P's lot 4 into
    # B1, P starts lot 5.
    processed(6, 2),
    queued(6, 2, "B2"),
    *takes(6, 3),
    queued(6, 4, "B1"),
    started(6, 5),
    state(6, "P", "producing"),
    # 7: blocked again.
    produced(7, 5),
    held(7, 5, "P"),
    state(7, "P", "blocked"),
    # 7.5: lot 1 passes (95 units stored); the free lane takes lot 2 from B2 (7.5 - 11.5).
    *passed(7.5, 1),
    lane_takes(7.5, 2),
    # 8.5: lot 3 into the emptied B2; Q takes lot 4 (8.5 - 11); P's lot 5 into B1, lot 6 starts.
    processed(8.5, 3),
    queued(8.5, 3, "B2"),
    *takes(8.5, 4),
    queued(8.5, 5, "B1"),
    started(8.5, 6),
    state(8.5, "P", "producing"),
    # 9.5: blocked again.
    produced(9.5, 6),
    held(9.5, 6, "P"),
    state(9.5, "P", "blocked"),
    # 11: T busy and B2 full (lot 3): Q holds lot 4, blocked.
    processed(11, 4),
    held(11, 4, "Q"),
    state(11, "Q", "blocked"),
    # 11.5: lot 2 passes; the lane takes lot 3 from B2; Q's lot 4 moves into B2; Q takes lot 5
    # from B1 (11.5 - 14); P's lot 6 moves into B1; P starts lot 7 (half made at 12).
    *passed(11.5, 2),
    lane_takes(11.5, 3),
    queued(11.5, 4, "B2"),
    *takes(11.5, 5),
    queued(11.5, 6, "B1"),
    started(11.5, 7),
    state(11.5, "P", "producing"),
    # Q's state is derived when its release is done, after the moves it caused
    state(11.5, "Q", "producing"),
]


@pytest.fixture(scope="module")
def result() -> RunResult:
    net = parse_scenario(SCENARIO, "<trace>")
    assert isinstance(net, Network)
    return simulate(net, 0)


def test_the_event_log_is_the_hand_derived_trace(result: RunResult) -> None:
    rows: list[dict[str, Any]] = result.events().to_pylist()
    assert [tuple(r.values()) for r in rows] == EXPECTED


def test_the_kpis_add_up_the_trace(result: RunResult) -> None:
    """Hours by state, lots, buffers and conservation follow from the timeline above."""
    k = result.kpis
    p, q = k["lines"]["P"]["hours"], k["lines"]["Q"]["hours"]
    # P produces 0-3, 3.5-4.5, 6-7, 8.5-9.5, 11.5-12 and is blocked in between
    assert (p["producing"], p["blocked"]) == (6.5, 5.5)
    # Q is starved until the first lot, works 1-11, is blocked 11-11.5, works again
    assert (q["starved"], q["producing"], q["blocked"]) == (1.0, 10.5, 0.5)
    assert k["lines"]["P"]["lots_made"] == 6
    assert k["lines"]["Q"]["lots_made"] == 4
    # Q worked 4 lots and half of lot 5 (0.5 h of 2.5 h) in 10.5 producing hours at 40 an hour
    assert k["lines"]["Q"]["units_made"] == pytest.approx(420)
    assert k["lines"]["Q"]["performance"] == pytest.approx(1.0)
    assert k["lines"]["Q"]["quality"] is None and k["lines"]["Q"]["oee"] is None
    assert k["testers"]["T"]["lots_tested"] == 2
    assert k["output"]["units_stored"] == 190
    # B1 holds a lot 2-3.5, 3.5-6, 6-8.5, 8.5-11.5, 11.5-12 (10 lot-hours); B2 6-7.5,
    # 8.5-11.5, 11.5-12 (5 lot-hours)
    b1, b2 = k["buffers"]["B1"], k["buffers"]["B2"]
    assert (b1["mean_lots"], b1["max_lots"], b1["end_lots"]) == (pytest.approx(10 / 12), 1, 1)
    assert (b2["mean_lots"], b2["max_lots"], b2["end_lots"]) == (pytest.approx(5 / 12), 1, 1)
    # made 600 + half of lot 7 = in process (50 on P, lot 6 in B1, 5 on Q, 4 in B2, 3 on T)
    # + 10 sampled + 190 stored
    a = k["conservation"]["by_product"]["a"]
    assert (a["made"], a["in_process"], a["sampled"], a["in_storage"]) == (650, 450, 10, 190)
    assert k["conservation"]["ok"]
