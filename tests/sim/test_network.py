"""Networks checked against analytic values: line throughput and buffers, crews, assembly.

Every plant runs around the clock from Monday 2025-01-06 with no grid events and no test
station: the last stage puts its lots straight into storage. Stochastic checks run
replications with seeds 0, 1, ... and compare the mean with the analytic value by a 99 %
Student-t confidence interval; comparisons between variants are paired (common random numbers:
the same seed draws the same failures for a station in every variant). ``pytest -s`` prints
each measured figure beside its analytic value.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from plantwin import RunResult, simulate
from plantwin.experiment import mean_ci
from plantwin.scenario import Network, validate_data

ALL_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LEVEL = 0.99  # confidence level of every interval here


def constant(value: float) -> dict[str, Any]:
    """A constant distribution."""
    return {"dist": "constant", "value": value}


def exponential(mean: float) -> dict[str, Any]:
    """An exponential distribution."""
    return {"dist": "exponential", "mean": mean}


def failures(between: dict[str, Any], repair: dict[str, Any]) -> dict[str, Any]:
    """A station's failures: ``between`` producing hours, ``repair`` hours."""
    return {"between": between, "repair": repair}


def network(
    stations: list[dict[str, Any]],
    buffers: list[dict[str, Any]],
    routings: list[dict[str, Any]],
    horizon: str,
    **sections: Any,
) -> Network:
    """A format 2 plant around the clock with product ``a`` unless ``sections`` say otherwise."""
    data = {
        "format": 2,
        "plant": {"name": "network test plant", "start": "2025-01-06", "horizon": horizon},
        "calendar": {"workdays": ALL_WEEK, "shifts": ["00:00-24:00"]},
        "products": [{"id": "a"}],
        "stations": stations,
        "buffers": buffers,
        "routings": routings,
        **sections,
    }
    net = validate_data(data, "<network test>")
    assert isinstance(net, Network)
    return net


def two_stage(
    produce: dict[str, Any], process: dict[str, Any], lots: int, horizon: str = "1000h"
) -> Network:
    """Station P (produce ``a``) -> buffer B of ``lots`` -> station Q (process) -> storage."""
    return network(
        [
            {"id": "P", "role": "produce", "products": ["a"], **produce},
            {"id": "Q", "role": "process", **process},
        ],
        [{"id": "B", "lots": lots}],
        [{"products": ["a"], "stages": [{"stations": ["P"]}, {"buffer": "B", "stations": ["Q"]}]}],
        horizon,
    )


def hours(result: RunResult, station: str) -> dict[str, float]:
    """A station's hours by state, checked to sum to the horizon."""
    h: dict[str, float] = result.kpis["lines"][station]["hours"]
    assert math.isclose(sum(h.values()), result.horizon_hours, rel_tol=1e-9)
    return h


def conserved(result: RunResult) -> RunResult:
    """The result, after checking that every product's units are accounted for."""
    assert result.kpis["conservation"]["ok"], result.kpis["conservation"]
    return result


def report(text: str) -> None:
    """Print a measured figure (``pytest -s`` shows it)."""
    print(f"\n{text}")  # noqa: T201 (pytest -s)


def interval(values: list[float]) -> tuple[float, float]:
    """(mean, half-width) of the replications' values at LEVEL."""
    mean, _, half = mean_ci(values, LEVEL)
    return mean, half


def show(what: str, values: list[float], analytic: float | None = None) -> tuple[float, float]:
    """Print a measured figure (mean +- half-width) beside its analytic value; return both."""
    mean, half = interval(values)
    expected = "" if analytic is None else f"   analytic {analytic:.4f}"
    report(f"{what}: {mean:.4f} +- {half:.4f} ({len(values)} runs){expected}")
    return mean, half


# --- 1. a two-stage line without failures -------------------------------------------------------


@pytest.mark.parametrize(("r1", "r2"), [(100, 40), (40, 100), (50, 50)])
def test_a_two_stage_line_runs_at_the_slower_stage_s_rate(r1: float, r2: float) -> None:
    """Lots of L = 100: P finishes one every L/r1 hours, Q works each for L/r2 hours. The first
    lot leaves Q at L/r1 + L/r2; after that one leaves every L/min(r1, r2) hours (Q waits for
    P's next lot when P is slower; P is blocked and Q never starves when P is faster), so by
    the horizon H Q has finished floor((H - L/r1 - L/r2) / (L/min)) + 1 lots: the slower rate
    exactly, but for the warm-up of one lot."""
    lot, horizon = 100, 1000.25
    result = conserved(
        simulate(two_stage({"rate": r1, "lot_size": lot}, {"rate": r2}, 2), 0, horizon=horizon)
    )
    slower = min(r1, r2)
    lots = math.floor((horizon - lot / r1 - lot / r2) / (lot / slower)) + 1
    q = result.kpis["lines"]["Q"]
    report(
        f"r1 = {r1}, r2 = {r2}: Q made {q['units_made']:.0f} units in {horizon} h = "
        f"{q['units_made'] / horizon:.3f} an hour; min(r1, r2) = {slower}; "
        f"{lots} lots expected"
    )
    assert q["lots_made"] == lots
    assert q["units_made"] >= lots * lot  # and the part of the lot in work at the end
    assert result.kpis["output"]["units_stored"] == lots * lot
    # the slower station never waits: P is never blocked when it is the slower (or as fast),
    # and Q starves only until P's first lot when P is the faster (or as fast)
    if r1 <= r2:
        assert hours(result, "P")["blocked"] == 0
    if r1 >= r2:
        assert hours(result, "Q")["starved"] == lot / r1


# --- 2. failures on both stages, and the buffer between them ------------------------------------

MTBF, MTTR = 20.0, 2.0  # exponential failures and repairs, no crew: repair starts at once
AVAILABILITY = MTBF / (MTBF + MTTR)
LOT = 50  # 5 hours of work at rate 10


def failing(rate: float, **fields: Any) -> dict[str, Any]:
    """A station at ``rate`` that fails after Exp(MTBF) producing hours, repaired in Exp(MTTR)."""
    return {"rate": rate, "failures": failures(exponential(MTBF), exponential(MTTR)), **fields}


def failing_line(r1: float, r2: float, lots: int, seed: int) -> RunResult:
    """Two failing stations at rates r1 (P) and r2 (Q), buffer of ``lots``, 2,000 hours."""
    net = two_stage(failing(r1, lot_size=LOT), failing(r2), lots, "2000h")
    return conserved(simulate(net, seed, event_log=False))


@pytest.mark.parametrize(("r1", "r2"), [(10, 15), (15, 10)], ids=["P slower", "Q slower"])
def test_with_an_unlimited_buffer_a_failing_line_runs_at_the_smaller_effective_rate(
    r1: float, r2: float
) -> None:
    """Failures count producing hours only, and repairs start at once. A station that always
    has work alternates between producing spells with mean MTBF and repairs with mean MTTR, so
    it produces a share A = MTBF / (MTBF + MTTR) of the time (renewal-reward) and its output
    rate is r x A. P always has work: it makes lots from raw material and the unlimited buffer
    never blocks it. Q loses MTTR hours per MTBF producing hours too, so its effective rate is
    r2 x A as well: when it is the slower, the buffer grows and Q always has work (availability
    A, throughput r2 x A); when P is the slower, Q keeps up, works all that P makes and is
    starved the rest (availability A x r1 / r2, throughput r1 x A). Either way the throughput
    is min(r1, r2) x A, and both stations' failed / producing hours are MTTR / MTBF. The
    throughput counts the lots Q finished, so it misses what is still in the line at the
    horizon (P's and Q's partial lots, a short queue when Q keeps up): about one lot in 2,000
    hours, which the check allows beyond the interval."""
    runs = [failing_line(r1, r2, 1_000_000, seed) for seed in range(12)]
    horizon = runs[0].horizon_hours
    expected = min(r1, r2) * AVAILABILITY
    throughput = [r.kpis["lines"]["Q"]["units_made"] / horizon for r in runs]
    mean, half = show(f"throughput, r1 = {r1}, r2 = {r2}, buffer unlimited", throughput, expected)
    assert abs(mean - expected) < half + LOT / horizon
    availability = {"P": AVAILABILITY, "Q": AVAILABILITY * min(r1, r2) / r2}
    for station, analytic in availability.items():
        values = [r.kpis["lines"][station]["availability"] for r in runs]
        mean, half = show(f"availability of {station}", values, analytic)
        assert abs(mean - analytic) < half
        ratio = [hours(r, station)["failed"] / hours(r, station)["producing"] for r in runs]
        mean, half = show(f"failed / producing hours of {station}", ratio, MTTR / MTBF)
        assert abs(mean - MTTR / MTBF) < half


def test_throughput_rises_with_the_buffer_between_two_failing_stations() -> None:
    """Two equal stations (rate 10, lots of 5 hours, the failures above). With no buffer P is
    blocked whenever it has finished a lot while Q still holds one, as when Q is down; every
    lot of buffer lets P go on that much longer while Q is down, and lets Q go on while P is,
    so the throughput rises with the buffer (0 < 1 < 5 lots; paired by seed) and, with no
    buffer, falls clearly below what an unlimited buffer would give (10 x A)."""
    sizes = (0, 1, 5)
    throughput = {
        size: [
            failing_line(10, 10, size, seed).kpis["lines"]["Q"]["units_made"] / 2000
            for seed in range(10)
        ]
        for size in sizes
    }
    for size in sizes:
        show(f"throughput with a buffer of {size} lots", throughput[size], 10 * AVAILABILITY)
    for small, large in itertools.pairwise(sizes):
        gain = [b - a for a, b in zip(throughput[small], throughput[large], strict=True)]
        mean, half = show(f"gain from {small} to {large} lots (paired)", gain)
        assert mean - half > 0
    mean, half = interval(throughput[0])
    assert mean + half < 10 * AVAILABILITY


# --- 3. crews ------------------------------------------------------------------------------------


def machines(
    count: int, crews: list[dict[str, Any]], crew_of: list[str | None], horizon: str, **fields: Any
) -> Network:
    """``count`` produce stations M1, M2, ... of ``a`` (lots of 100 hours, so few lot events),
    each repaired by the crew ``crew_of`` names (None: no crew), into storage."""
    stations: list[dict[str, Any]] = [
        {
            "id": f"M{i + 1}",
            "role": "produce",
            "products": ["a"],
            "rate": 1,
            "lot_size": 100,
            **fields,
            **({} if crew_of[i] is None else {"crew": crew_of[i]}),
        }
        for i in range(count)
    ]
    ids = [s["id"] for s in stations]
    return network(
        stations, [], [{"products": ["a"], "stages": [{"stations": ids}]}], horizon, crews=crews
    )


CREW_MTBF, CREW_MTTR = 10.0, 2.0  # exponential failures and repairs
EXP_FAILURES = failures(exponential(CREW_MTBF), exponential(CREW_MTTR))


def test_one_machine_with_its_own_crew_has_availability_mtbf_over_mtbf_plus_mttr() -> None:
    """One machine, one crew member always on duty: the member is free at every failure, so
    the repair starts at once and the machine alternates Exp(MTBF) producing hours and
    Exp(MTTR) repairs: availability MTBF / (MTBF + MTTR), never waiting for the crew, and the
    member is busy exactly while the machine is failed."""
    net = machines(1, [{"id": "x", "count": 1}], ["x"], "2000h", failures=EXP_FAILURES)
    runs = [conserved(simulate(net, seed, event_log=False)) for seed in range(20)]
    analytic = CREW_MTBF / (CREW_MTBF + CREW_MTTR)
    values = [r.kpis["lines"]["M1"]["availability"] for r in runs]
    mean, half = show("availability of one machine with one crew", values, analytic)
    assert abs(mean - analytic) < half
    for r in runs:
        h, crew = hours(r, "M1"), r.kpis["crews"]["x"]
        assert h["waiting_for_crew"] == 0
        assert crew["repairs"] == r.kpis["lines"]["M1"]["failures"] > 0
        assert crew["busy_hours"] == pytest.approx(h["failed"])
        assert crew["mean_wait_hours"] == 0


def test_two_machines_sharing_one_crew_lose_more_time_than_with_a_crew_each() -> None:
    """Two machines, exponential failures (rate 1/MTBF while producing) and repairs (rate
    1/MTTR). Sharing one member makes the classic machine-repairman queue M/M/1//2: with
    rho = MTTR / MTBF, the number of machines down is 0, 1, 2 with probabilities proportional
    to 1, 2 rho, 2 rho^2; each machine produces p0 + p1 / 2 of the time and waits for the crew
    p2 / 2 of it (the other one is being repaired). With a crew each, or with no crew (repair
    at once), a machine produces MTBF / (MTBF + MTTR) and never waits. Paired by seed, the
    shared crew costs failed + waiting hours; only it makes a machine wait."""
    rho = CREW_MTTR / CREW_MTBF
    p0, p1, p2 = (w / (1 + 2 * rho + 2 * rho**2) for w in (1, 2 * rho, 2 * rho**2))
    one, two = [{"id": "x", "count": 1}], [{"id": "x", "count": 1}, {"id": "y", "count": 1}]
    variants = {
        "shared": machines(2, one, ["x", "x"], "2000h", failures=EXP_FAILURES),
        "a crew each": machines(2, two, ["x", "y"], "2000h", failures=EXP_FAILURES),
        "no crew": machines(2, [], [None, None], "2000h", failures=EXP_FAILURES),
    }
    lost: dict[str, list[float]] = {}  # failed + waiting hours a machine, per run
    for name, net in variants.items():
        runs = [conserved(simulate(net, seed, event_log=False)) for seed in range(20)]
        per_run = [[hours(r, m) for m in ("M1", "M2")] for r in runs]
        if name != "shared":
            assert all(h["waiting_for_crew"] == 0 for pair in per_run for h in pair)
        lost[name] = [
            sum(h["failed"] + h["waiting_for_crew"] for h in pair) / 2 for pair in per_run
        ]
        producing = [sum(h["producing"] for h in pair) / 2 / 2000 for pair in per_run]
        analytic = p0 + p1 / 2 if name == "shared" else CREW_MTBF / (CREW_MTBF + CREW_MTTR)
        mean, half = show(f"availability, {name}", producing, analytic)
        assert abs(mean - analytic) < half
        if name == "shared":
            waiting = [sum(h["waiting_for_crew"] for h in pair) / 2 / 2000 for pair in per_run]
            mean, half = show(f"waiting_for_crew share, {name}", waiting, p2 / 2)
            assert abs(mean - p2 / 2) < half
    # a member always on duty for each machine repairs at once, as if there were no crew
    assert lost["a crew each"] == pytest.approx(lost["no crew"])
    extra = [a - b for a, b in zip(lost["shared"], lost["a crew each"], strict=True)]
    analytic = 2000 * (CREW_MTBF / (CREW_MTBF + CREW_MTTR) - (p0 + p1 / 2))
    mean, half = show("failed + waiting hours a machine, shared minus a crew each", extra, analytic)
    assert abs(mean - analytic) < half


def test_a_crew_off_duty_delays_the_repair_which_progresses_only_on_duty() -> None:
    """Around the clock; the crew works 06:00-14:00 (t = 6-14, 30-38, 54-62, ...). M1 fails
    after 20 producing hours, at t = 20 (20:00): nobody is on duty, so it waits for the crew
    until 30; the 10 h repair runs 30-38, pauses overnight, runs again from 54 and ends at 56.
    Without a crew the same repair runs on calendar time, 20-30, and the machine fails again
    20 producing hours later, at 50."""
    deterministic = {"failures": failures(constant(20), constant(10))}
    day_crew = {
        "id": "x",
        "count": 1,
        "calendar": {"workdays": ALL_WEEK, "shifts": ["06:00-14:00"]},
    }
    result = conserved(simulate(machines(1, [day_crew], ["x"], "60h", **deterministic), 0))
    rows = result.events().to_pylist()
    trace = [
        (r["time"], r["event"], r["related"])
        for r in rows
        if r["object_id"] == "M1" and r["event"] not in ("commissioned", "off_shift")
    ]
    assert trace == [
        (0.0, "producing", ""),
        (20.0, "failure", ""),
        (20.0, "waiting_for_crew", ""),
        (30.0, "repair_started", "x"),
        (30.0, "failed", ""),
        (56.0, "repaired", ""),
        (56.0, "producing", ""),
    ]
    h = hours(result, "M1")
    assert (h["producing"], h["waiting_for_crew"], h["failed"]) == (24.0, 10.0, 26.0)
    crew = result.kpis["crews"]["x"]
    assert (crew["repairs"], crew["mean_wait_hours"], crew["busy_hours"]) == (1, 10.0, 26.0)

    alone = conserved(simulate(machines(1, [], [None], "60h", **deterministic), 0))
    log = alone.events().to_pylist()
    assert [r["time"] for r in log if r["event"] == "failure"] == [20.0, 50.0]
    assert [r["time"] for r in log if r["event"] == "repaired"] == [30.0]
    assert hours(alone, "M1")["failed"] == 20.0


# --- 4. assembly ---------------------------------------------------------------------------------

N = 30  # units of x in an assembled lot: it takes N of a and 2 N of b


def assembly(kit_lots: int, **b_fields: Any) -> Network:
    """A makes a in lots of 50 every half hour, B makes b in lots of 40 every half hour, both
    into the kit K (``kit_lots`` lots of each); X assembles x from 1 a and 2 b in lots of
    N = 30 at 30 an hour (a lot an hour, taking 30 a and 60 b at its start) into storage;
    24 hours. X is the bottleneck: the parts come faster than
    it uses them (100 a and 80 b an hour against 30 and 60)."""
    return network(
        [
            {"id": "A", "role": "produce", "products": ["a"], "rate": 100, "lot_size": 50},
            {
                "id": "B",
                "role": "produce",
                "products": ["b"],
                "rate": 80,
                "lot_size": 40,
                **b_fields,
            },
            {"id": "X", "role": "assemble", "products": ["x"], "rate": 30, "lot_size": N},
        ],
        [{"id": "K", "lots": kit_lots}],
        [
            {"products": ["a"], "stages": [{"stations": ["A"]}], "to": "K"},
            {"products": ["b"], "stages": [{"stations": ["B"]}], "to": "K"},
            {
                "products": ["x"],
                "stages": [{"buffer": "K", "stations": ["X"]}],
            },
        ],
        "24h",
        products=[{"id": "a"}, {"id": "b"}, {"id": "x"}],
        bom=[
            {
                "product": "x",
                "components": [{"product": "a", "units": 1}, {"product": "b", "units": 2}],
            }
        ],
    )


def fifo(maker: str, size: int, take: int, lots: int) -> list[list[tuple[str, int]]]:
    """The pieces (component lot, units) that ``lots`` assembled lots taking ``take`` units each
    get from ``maker``'s lots of ``size``, oldest lot first, splitting a lot when need be."""
    out: list[list[tuple[str, int]]] = []
    lot, left = 1, size
    for _ in range(lots):
        pieces, need = [], take
        while need:
            part = min(need, left)
            pieces.append((f"{maker}-{lot:05d}", part))
            need, left = need - part, left - part
            if not left:
                lot, left = lot + 1, size
        out.append(pieces)
    return out


def started(result: RunResult, station: str) -> list[dict[str, Any]]:
    """The lot_started records of ``station``'s lots."""
    rows: list[dict[str, Any]] = result.events().to_pylist()
    return [r for r in rows if r["event"] == "lot_started" and r["related"] == station]


def test_an_assembly_consumes_its_bill_exactly_oldest_component_lots_first() -> None:
    """X starts lot k at t = k (k = 1..23: at 1 the second b lot arrives; after that the kit
    always holds enough, (2k - 1) x 40 b having arrived before t = k against 60 k needed), and
    takes N a and 2 N b at the start of each: consumed a = N x lots started, b = 2 N x lots.
    Its genealogy names the component lots oldest first, splitting them: a lot of 50 a serves
    5/3 assembled lots, a lot of 40 b 2/3 of one."""
    result = conserved(simulate(assembly(1000), 0))
    lots = [r["lot"] for r in started(result, "X")]
    assert lots == [f"X-{k:05d}" for k in range(1, 24)]
    assert [r["time"] for r in started(result, "X")] == [float(k) for k in range(1, 24)]
    balance = result.kpis["conservation"]["by_product"]
    report(
        f"{len(lots)} lots of {N} assembled: consumed a = {balance['a']['consumed']:.0f} "
        f"(N x lots = {N * len(lots)}), b = {balance['b']['consumed']:.0f} "
        f"(2 N x lots = {2 * N * len(lots)})"
    )
    assert balance["a"]["consumed"] == N * len(lots)
    assert balance["b"]["consumed"] == 2 * N * len(lots)
    assert balance["x"]["made"] == N * len(lots)  # the last lot is in work at the horizon
    a_pieces, b_pieces = fifo("A", 50, N, len(lots)), fifo("B", 40, 2 * N, len(lots))
    expected = [
        (lot, part, product, units)
        for lot, pa, pb in zip(lots, a_pieces, b_pieces, strict=True)
        for product, pieces in (("a", pa), ("b", pb))
        for part, units in pieces
    ]
    assert [(g[0], g[1], g[2], g[3]) for g in result.record.genealogy] == expected
    consumed = [
        (r["object_id"], r["lot"], r["product"], r["quantity"])
        for r in result.events().to_pylist()
        if r["event"] == "component_consumed"
    ]
    assert consumed == expected


def test_an_assembly_starves_once_the_kit_runs_out_of_a_stopped_component() -> None:
    """B fails for good after 10.25 producing hours (its repair outlasts the run): it has
    delivered 20 lots (800 b) and holds 20 b of its 21st. That is enough for floor(800 / 60) =
    13 assembled lots, started at t = 1..13 as before (the kit still holds enough after the
    failure); the last ends at 14, and X is starved from then to the horizon: all the working
    hours after the stock runs out, plus the first hour, 11 in all. 20 b are left in the kit,
    too few for another lot."""
    stopped = {"failures": failures(constant(10.25), constant(1000))}
    result = conserved(simulate(assembly(1000, **stopped), 0))
    x, b = hours(result, "X"), hours(result, "B")
    report(
        f"X assembled {result.kpis['lines']['X']['lots_made']} lots (13 expected), "
        f"starved {x['starved']} h (11 expected)"
    )
    assert (b["producing"], b["failed"]) == (10.25, 13.75)
    assert [r["time"] for r in started(result, "X")] == [float(k) for k in range(1, 14)]
    assert result.kpis["lines"]["X"]["lots_made"] == 13
    assert (x["producing"], x["starved"]) == (13.0, 11.0)
    states = [
        (r["time"], r["event"])
        for r in result.events().to_pylist()
        if r["object_id"] == "X" and r["event"] in ("starved", "producing")
    ]
    assert states[-1] == (14.0, "starved")
    balance = result.kpis["conservation"]["by_product"]
    assert (balance["a"]["consumed"], balance["b"]["consumed"]) == (13 * N, 13 * 2 * N)
    assert balance["b"]["made"] == 820  # 20 lots and the 20 units B holds
    assert balance["b"]["in_process"] == 40  # those 20 and the 20 left in the kit


def test_an_assembly_whose_component_line_never_runs_assembles_nothing() -> None:
    """B is commissioned after the horizon: no b ever reaches the kit, so X is starved the
    whole time and consumes nothing. The kit holds 2 lots of EACH component, so A's lots fill
    only the a share: A's lots of 0.5 and 1.0 h go in, the one done at 1.5 h does not fit and
    A is blocked holding it from then on."""
    result = conserved(simulate(assembly(2, commissioned="2025-03-01"), 0))
    x, a, b = hours(result, "X"), hours(result, "A"), hours(result, "B")
    assert x["starved"] == 24.0
    assert b["not_commissioned"] == 24.0
    assert (a["producing"], a["blocked"]) == (1.5, 22.5)
    assert result.kpis["lines"]["X"]["lots_made"] == 0
    assert started(result, "X") == []
    assert result.record.genealogy == ()
    balance = result.kpis["conservation"]["by_product"]
    assert balance["a"]["consumed"] == balance["b"]["consumed"] == 0
    assert result.kpis["buffers"]["K"]["end_lots"] == 2
