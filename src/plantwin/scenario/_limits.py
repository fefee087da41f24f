"""Limits that keep every valid scenario runnable: bounded event rates, lanes and lot sizes.

A scenario whose sources of events (lots, failures, cuts, standstills) would fire more than
``MAX_EVENTS_PER_HOUR`` times an hour on average is refused, with the reason, before it runs:
estimated from the distributions' means, since a mean of zero or of a nanosecond would make a run
that never ends. The engine's event budget catches what means cannot see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantwin.scenario._duration import duration_hours
from plantwin.scenario._references import Reference

if TYPE_CHECKING:
    from plantwin.scenario._models import Scenario

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
    "expected_events",
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


def expected_events(s: Scenario, hours: float) -> float:
    """About how many engine events a run of ``hours`` takes, from the distributions' means.

    Lines work only in working time; a lot costs about three events (its end, its test's end,
    a state change), a failure three, a cut two plus one restart per line, a shift two.
    """
    week = len(s.calendar.workdays) * sum(b - a for a, b in s.calendar.shift_hours())
    working = min(1.0, week / 168.0)
    per_hour = 2.0 * len(s.calendar.shifts) * len(s.calendar.workdays) / 168.0
    for line in s.lines:
        per_hour += 3.0 * working * line.rate * line.performance / line.lot_size
        if line.failures is not None:
            per_hour += 3.0 * working / max(line.failures.between.expectation(), _MIN_MEAN)
    outage = 2.0 + len(s.lines)
    if s.grid.cuts is not None:
        gap = s.grid.cuts.between.expectation() + s.grid.cuts.duration.expectation()
        per_hour += outage / max(gap, _MIN_MEAN)
    if s.grid.standstills is not None:
        per_hour += outage * s.grid.standstills.per_year / HOURS_PER_YEAR
    per_hour += sum(1 / (720.0 if r.every == "month" else 168.0) for r in s.demand.recurring)
    return per_hour * hours + len(s.demand.orders)


def check_event_budget(s: Scenario, hours: float) -> str | None:
    """Why a run of ``hours`` would go beyond the engine's event budget, or None."""
    n = expected_events(s, hours)
    if n <= MAX_EVENTS:
        return None
    return (
        f"a run of {hours:,.0f} h of this plant would take about {n:,.0f} engine events, more"
        f" than the {MAX_EVENTS:,} a run may take: shorten the horizon to at most"
        f" {hours * MAX_EVENTS / n:,.0f} h"
    )


def check_limits(s: Scenario) -> list[Reference]:
    """Every limit a scenario whose fields are valid goes beyond."""
    out: list[Reference] = []
    by_standard = s.range.sampling.plan is None
    for i, line in enumerate(s.lines):
        if line.rate * line.performance < MIN_RATE:
            out.append(
                Reference(
                    ("lines", i, "rate"),
                    line.rate,
                    f"rate x performance ({line.rate:g} x {line.performance:g}) must be at least"
                    f" {MIN_RATE:g} units an hour",
                )
            )
        per_hour = line.rate * line.performance / line.lot_size
        if per_hour > MAX_EVENTS_PER_HOUR:
            out.append(
                Reference(
                    ("lines", i, "lot_size"),
                    line.lot_size,
                    f"lots of {line.lot_size:,} units at {line.rate:g} x {line.performance:g}"
                    f" units an hour would finish {per_hour:,.4g} lots an hour; at most"
                    f" {MAX_EVENTS_PER_HOUR:g} an hour are allowed per line: make lots of at"
                    f" least {line.rate * line.performance / MAX_EVENTS_PER_HOUR:,.0f} units",
                )
            )
        if by_standard and line.lot_size < 2:
            out.append(
                Reference(
                    ("lines", i, "lot_size"),
                    line.lot_size,
                    "the standard's sampling tables (Table I) start at lots of 2 units",
                )
            )
        if line.failures is not None:
            mean = line.failures.between.expectation()
            if mean < _MIN_MEAN:
                out.append(
                    Reference(
                        ("lines", i, "failures", "between"),
                        mean,
                        f"a mean of {mean:.4g} producing hours between failures is more than"
                        f" {MAX_EVENTS_PER_HOUR:g} failures an hour; the mean must be at least"
                        f" {_MIN_MEAN:g} h",
                    )
                )
    cuts = s.grid.cuts
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
    stops = s.grid.standstills
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
    if not out:  # the estimate needs rates within the limits above
        why = check_event_budget(s, duration_hours(s.plant.horizon, s.plant.start))
        if why is not None:
            out.append(Reference(("plant", "horizon"), s.plant.horizon, why))
    return out
