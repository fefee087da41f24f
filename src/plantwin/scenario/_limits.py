"""Limits that keep every valid scenario runnable: bounded event rates, lanes and lot sizes.

A scenario whose sources of events (lots, failures, cuts, standstills) would fire more than
``MAX_EVENTS_PER_HOUR`` times an hour on average is refused, with the reason, before it runs:
estimated from the distributions' means, since a mean of zero or of a nanosecond would make a run
that never ends. The engine's event budget catches what means cannot see.

Both formats are checked by one implementation: a format 1 scenario and a format 2 network are
each reduced to the few numbers the limits need per line or station (``_Station``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from plantwin.scenario._duration import duration_hours
from plantwin.scenario._references import Reference

if TYPE_CHECKING:
    from plantwin.scenario._models import Calendar, Demand, Failures, Grid, Plant, Scenario
    from plantwin.scenario._network import Network, Routing

__all__ = [
    "MAX_EVENTS",
    "MAX_EVENTS_PER_HOUR",
    "MAX_LANES",
    "MAX_LOT_SIZE",
    "MAX_PER_YEAR",
    "MIN_PER_YEAR",
    "MIN_RATE",
    "check_event_budget",
    "check_limits",
    "check_network_limits",
    "expected_events",
    "expected_network_events",
]

MAX_EVENTS = 10_000_000
"""Engine events (heap entries, pre-drawn shifts and cuts included) one run may take: about
2,400 plant-years of the built-in plant, and a few GB of event log at most. The engine stops a
run that goes beyond it (``plantwin.sim.EventBudgetExceeded``)."""

MAX_EVENTS_PER_HOUR = 10.0
"""The most events a source may give an hour on average: lots per line, failures per line,
power cuts, standstills. A year at this pace is 87,600 events per source."""

MAX_LANES = 1000
"""The most lanes of a test range (each is tracked on its own)."""

MAX_LOT_SIZE = 999_999_999
"""The largest lot: a lot's sample is drawn hypergeometrically, which numpy does for fewer than
10**9 defective and good units."""

HOURS_PER_YEAR = 8760.0
MAX_PER_YEAR = MAX_EVENTS_PER_HOUR * HOURS_PER_YEAR
"""The most standstills a year."""

MIN_RATE = 1e-6
"""The slowest line, in units an hour at rate x performance: slower ones finish nothing in any
horizon, and their rate may round to 0."""

MIN_PER_YEAR = 1e-6
"""The rarest standstills: rarer ones would need gaps beyond the hours a run can count."""

_MIN_MEAN = 1 / MAX_EVENTS_PER_HOUR  # hours between events

_Path = tuple[str | int, ...]
_MAKERS = ("produce", "assemble")  # the roles that make lots


class _Station(NamedTuple):
    """A format 1 line or a format 2 station, as the limits see it."""

    path: _Path
    rate: float | None  # None: a test station, paced by its test time
    performance: float
    lot_size: int | None  # the lots it makes (produce, assemble, a line); None: it makes none
    takes: tuple[int, str] | None  # process: the smallest lot that reaches it, and its maker
    failures: Failures | None
    stages: int  # the stages its lots pass, its own included (0 when it makes none)
    by_standard: bool  # its lots reach a test that takes its plan from the standard's tables
    restarts: bool  # owes a restart when power returns (testing needs none)


class _Plant(NamedTuple):
    """What the limits need of a whole plant, in either format."""

    noun: str  # what a station is called in messages: line or station
    plant: Plant
    calendar: Calendar
    crew_calendars: list[Calendar]
    stations: list[_Station]
    grid: Grid
    demand: Demand


def _of_scenario(s: Scenario) -> _Plant:
    """A format 1 scenario: each line makes lots that the range then tests (two stages)."""
    standard = s.range.sampling.plan is None
    lines = [
        _Station(
            path=("lines", i),
            rate=x.rate,
            performance=x.performance,
            lot_size=x.lot_size,
            takes=None,
            failures=x.failures,
            stages=2,
            by_standard=standard,
            restarts=True,
        )
        for i, x in enumerate(s.lines)
    ]
    return _Plant("line", s.plant, s.calendar, [], lines, s.grid, s.demand)


def _of_network(net: Network) -> _Plant:
    """A format 2 network: a maker's lots pass the stages of its products' routings."""
    routing: dict[str, Routing] = {}
    at: dict[str, set[str]] = {}  # station -> the products routed through it
    for r in net.routings:
        for p in r.products:
            routing.setdefault(p, r)  # validation refuses a second routing of a product
        for stage in r.stages:
            for n in stage.stations:
                at.setdefault(n, set()).update(r.products)
    standard = {s.id for s in net.stations if s.sampling is not None and s.sampling.plan is None}
    made = [(s.lot_size, s.id, set(s.products)) for s in net.stations if s.role in _MAKERS]
    stations = []
    for i, s in enumerate(net.stations):
        takes, stages, by_standard = None, 0, False
        if s.role in _MAKERS:
            mine = [routing[p] for p in s.products if p in routing]
            stages = max((len(r.stages) for r in mine), default=1)
            by_standard = any(n in standard for r in mine for st in r.stages for n in st.stations)
        elif s.role == "process":
            through = at.get(s.id, set())
            lots = [(n, m) for n, m, ps in made if n is not None and ps & through]
            takes = min(lots, default=None)
        stations.append(
            _Station(
                path=("stations", i),
                rate=s.rate,
                performance=s.performance,
                lot_size=s.lot_size,
                takes=takes,
                failures=s.failures,
                stages=stages,
                by_standard=by_standard,
                restarts=s.role != "test",
            )
        )
    crews = [c.calendar for c in net.crews if c.calendar is not None]
    return _Plant("station", net.plant, net.calendar, crews, stations, net.grid, net.demand)


def _expected(plant: _Plant, hours: float) -> float:
    c = plant.calendar
    working = min(1.0, len(c.workdays) * sum(b - a for a, b in c.shift_hours()) / 168.0)
    # two events a working window, of the plant's calendar and of every crew's own
    per_hour = sum(
        2.0 * len(x.shifts) * len(x.workdays) / 168.0 for x in [c, *plant.crew_calendars]
    )
    for s in plant.stations:
        if s.rate is not None and s.lot_size is not None:
            per_hour += 1.5 * s.stages * working * s.rate * s.performance / s.lot_size
        if s.failures is not None:
            per_hour += 3.0 * working / max(s.failures.between.expectation(), _MIN_MEAN)
    grid = plant.grid
    outage = 2.0 + sum(s.restarts for s in plant.stations)
    if grid.cuts is not None:
        gap = grid.cuts.between.expectation() + grid.cuts.duration.expectation()
        per_hour += outage / max(gap, _MIN_MEAN)
    if grid.standstills is not None:
        per_hour += outage * grid.standstills.per_year / HOURS_PER_YEAR
    demand = plant.demand
    per_hour += sum(1 / (720.0 if r.every == "month" else 168.0) for r in demand.recurring)
    return per_hour * hours + len(demand.orders)


def expected_events(s: Scenario, hours: float) -> float:
    """About how many engine events a run of ``hours`` takes, from the distributions' means.

    Lines work only in working time; a lot costs about three events (its end, its test's end,
    a state change), a failure three, a cut two plus one restart per line, a shift two.
    """
    return _expected(_of_scenario(s), hours)


def expected_network_events(net: Network, hours: float) -> float:
    """``expected_events`` of a network: a lot costs about 1.5 events for every stage it passes
    (format 1's three for a line and the range), a failure three on any station, a cut two plus
    one restart per station that is not a test station, a shift of the plant's or of a crew's
    calendar two."""
    return _expected(_of_network(net), hours)


def _plant_of(s: Scenario | Network) -> _Plant:
    # _models is loaded whenever a scenario exists; _network only for format 2 files
    from plantwin.scenario._models import Scenario

    return _of_scenario(s) if isinstance(s, Scenario) else _of_network(s)


def check_event_budget(s: Scenario | Network, hours: float) -> str | None:
    """Why a run of ``hours`` of a scenario or network would go beyond the engine's event
    budget, or None."""
    return _budget(_plant_of(s), hours)


def _budget(plant: _Plant, hours: float) -> str | None:
    n = _expected(plant, hours)
    if n <= MAX_EVENTS:
        return None
    return (
        f"a run of {hours:,.0f} h of this plant would take about {n:,.0f} engine events, more"
        f" than the {MAX_EVENTS:,} a run may take: shorten the horizon to at most"
        f" {hours * MAX_EVENTS / n:,.0f} h"
    )


def check_limits(s: Scenario) -> list[Reference]:
    """Every limit a scenario whose fields are valid goes beyond."""
    return _check(_of_scenario(s))


def check_network_limits(net: Network) -> list[Reference]:
    """Every limit a valid network goes beyond, at the network's fields: format 1's limits for
    every station, a process station's lots bounded by the smallest lot that reaches it."""
    return _check(_of_network(net))


def _check(plant: _Plant) -> list[Reference]:
    out: list[Reference] = []
    for s in plant.stations:
        out += _station_limits(s, plant.noun)
    out += _grid_limits(plant.grid)
    if not out:  # the estimate needs rates within the limits above
        why = _budget(plant, duration_hours(plant.plant.horizon, plant.plant.start))
        if why is not None:
            out.append(Reference(("plant", "horizon"), plant.plant.horizon, why))
    return out


def _station_limits(s: _Station, noun: str) -> list[Reference]:
    out: list[Reference] = []
    rate, perf = s.rate, s.performance
    if rate is not None and rate * perf < MIN_RATE:
        out.append(
            Reference(
                (*s.path, "rate"),
                rate,
                f"rate x performance ({rate:g} x {perf:g}) must be at least {MIN_RATE:g} units"
                " an hour",
            )
        )
    if rate is not None and s.lot_size is not None:
        per_hour = rate * perf / s.lot_size
        if per_hour > MAX_EVENTS_PER_HOUR:
            out.append(
                Reference(
                    (*s.path, "lot_size"),
                    s.lot_size,
                    f"lots of {s.lot_size:,} units at {rate:g} x {perf:g} units an hour would"
                    f" finish {per_hour:,.4g} lots an hour; at most {MAX_EVENTS_PER_HOUR:g} an"
                    f" hour are allowed per {noun}: make lots of at least"
                    f" {rate * perf / MAX_EVENTS_PER_HOUR:,.0f} units",
                )
            )
    if rate is not None and s.takes is not None:
        lot, maker = s.takes
        per_hour = rate * perf / lot
        if per_hour > MAX_EVENTS_PER_HOUR:
            out.append(
                Reference(
                    (*s.path, "rate"),
                    rate,
                    f"at {rate:g} x {perf:g} units an hour, lots of {lot:,} units (the smallest"
                    f" that reach it, made by station {maker}) would finish {per_hour:,.4g} lots"
                    f" an hour; at most {MAX_EVENTS_PER_HOUR:g} an hour are allowed per {noun}:"
                    f" make {maker}'s lots at least {rate * perf / MAX_EVENTS_PER_HOUR:,.0f}"
                    f" units, or the rate at most {lot * MAX_EVENTS_PER_HOUR / perf:,.4g}",
                )
            )
    if s.by_standard and s.lot_size is not None and s.lot_size < 2:
        out.append(
            Reference(
                (*s.path, "lot_size"),
                s.lot_size,
                "the standard's sampling tables (Table I) start at lots of 2 units",
            )
        )
    if s.failures is not None:
        mean = s.failures.between.expectation()
        if mean < _MIN_MEAN:
            out.append(
                Reference(
                    (*s.path, "failures", "between"),
                    mean,
                    f"a mean of {mean:.4g} producing hours between failures is more than"
                    f" {MAX_EVENTS_PER_HOUR:g} failures an hour; the mean must be at least"
                    f" {_MIN_MEAN:g} h",
                )
            )
    return out


def _grid_limits(grid: Grid) -> list[Reference]:
    out: list[Reference] = []
    cuts = grid.cuts
    if cuts is not None:
        gap, length = cuts.between.expectation(), cuts.duration.expectation()
        if gap + length < _MIN_MEAN:
            out.append(
                Reference(
                    ("grid", "cuts"),
                    gap + length,
                    f"a mean gap of {gap:.4g} h plus a mean cut of {length:.4g} h is more than"
                    f" {MAX_EVENTS_PER_HOUR:g} cuts an hour; the two means must add up to at"
                    f" least {_MIN_MEAN:g} h",
                )
            )
    stops = grid.standstills
    per_year = stops.per_year if stops is not None else 0.0
    if per_year > MAX_PER_YEAR:
        out.append(
            Reference(
                ("grid", "standstills", "per_year"),
                per_year,
                f"more than {MAX_EVENTS_PER_HOUR:g} standstills an hour; at most"
                f" {MAX_PER_YEAR:,.0f} a year are allowed",
            )
        )
    if 0 < per_year < MIN_PER_YEAR:
        out.append(
            Reference(
                ("grid", "standstills", "per_year"),
                per_year,
                f"fewer than {MIN_PER_YEAR:g} standstills a year never show in a run:"
                " use 0 for none",
            )
        )
    return out
