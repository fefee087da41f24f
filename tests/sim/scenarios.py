"""Generated scenarios for the differential test: small plants of both formats drawn from a seed.

``generated()`` builds scenarios as data with numpy's Generator (the same list on every run and
machine, unlike hypothesis) and validates each with ``validate_data``, so every one is what
``plantwin validate`` accepts. Each plant runs 14 to 60 days with a few stations and lots sized
to some 10 to 40 a station, so a run is quick. ``FEATURES`` names what a scenario may exercise,
each with a predicate on the validated model; ``features()`` lists those a scenario has.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import numpy as np

from plantwin.scenario import (
    DIST_NAMES,
    Changeover,
    Distribution,
    Network,
    Sampling,
    Scenario,
    validate_data,
)

__all__ = ["FEATURES", "Model", "features", "generated"]

Model = Scenario | Network
Data = dict[str, Any]
T = TypeVar("T")

ALL_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS = ALL_WEEK[:5]
# (workdays, shifts): around the clock, two shifts, a night shift past midnight, a lunch break,
# shifts that touch across midnight
CALENDARS: list[tuple[list[str], list[str]]] = [
    (ALL_WEEK, ["00:00-24:00"]),
    (WEEKDAYS, ["06:00-14:00", "14:00-22:00"]),
    (ALL_WEEK[:6], ["06:00-14:00"]),
    (WEEKDAYS, ["22:00-06:00"]),
    (WEEKDAYS, ["07:00-12:00", "13:00-17:30"]),
    (ALL_WEEK, ["06:00-18:00", "18:00-06:00"]),
]
ZONES = ["UTC", "UTC", "America/Caracas", "Europe/Madrid", "America/New_York"]
FRACTION_DISTS = ("constant", "uniform", "triangular", "beta", "empirical")  # within [0, 1]
HOURS_DISTS = tuple(d for d in DIST_NAMES if d != "beta")  # beta's [0, 1] h is too short a gap
RATES = [40.0, 100.0, 250.0, 600.0, 1500.0]
AQLS = [0.4, 0.65, 1.0, 1.5, 2.5, 4.0]
LEVELS = ["S-2", "S-3", "S-4", "I", "II", "III"]
HIGH_DEFECTS = 0.05  # a mean defective fraction from which lots are mostly rejected
PREFIXES = {"produce": "P", "process": "Q", "assemble": "A", "test": "T"}  # of station ids
SHORT_RESUME = 48.0  # hours: a resume_after short enough to be seen in a short run


class _Draw:
    """The random choices of one scenario, all from one numpy Generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.integers(len(items)))]

    def some(self, items: Sequence[T]) -> list[T]:
        """A non-empty subset of ``items``, in their order."""
        keep = self.rng.random(len(items)) < 0.5
        keep[int(self.rng.integers(len(items)))] = True
        return [x for x, k in zip(items, keep, strict=True) if k]

    def num(self, low: float, high: float) -> float:
        return round(float(self.rng.uniform(low, high)), 3)

    def int(self, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high``, both included."""
        return int(self.rng.integers(low, high + 1))

    def dist(self, mean: float, names: Sequence[str] = DIST_NAMES) -> Data:
        """A distribution of hours of one of ``names``, with about ``mean`` as its mean (beta's
        lies within [0, 1])."""
        name, m, cv = self.pick(names), round(mean, 3), self.num(0.2, 1.5)
        if name == "constant":
            return {"dist": name, "value": m}
        if name == "exponential":
            return {"dist": name, "mean": m}
        if name in ("lognormal", "gamma"):
            return {"dist": name, "mean": m, "cv": cv}
        if name == "weibull":
            k = self.num(0.7, 3.0)
            return {"dist": name, "shape": k, "scale": round(m / math.gamma(1 + 1 / k), 3)}
        if name == "uniform":
            w = self.num(0.1, 0.9)
            return {"dist": name, "low": round(m * (1 - w), 3), "high": round(m * (1 + w), 3)}
        if name == "triangular":
            low, high = round(m * self.num(0, 0.8), 3), round(m * self.num(1.2, 2.5), 3)
            return {"dist": name, "low": low, "mode": m, "high": high}
        if name == "beta":
            return self.beta(min(m, self.num(0.2, 0.9)))
        values = [round(m * self.num(0.3, 1.7), 3) for _ in range(self.int(1, 4))]
        weights = [self.num(0.5, 3) for _ in values] if self.chance(0.5) else None
        return {"dist": name, "values": values, **({"weights": weights} if weights else {})}

    def beta(self, mean: float) -> Data:
        """A beta distribution of mean ``mean``, by mean and cv or by its shapes."""
        limit = math.sqrt((1 - mean) / mean)  # cv must stay below it
        cv = round(min(limit * self.num(0.1, 0.9), 5.0), 3)
        if self.chance(0.5):
            return {"dist": "beta", "mean": round(mean, 4), "cv": cv}
        k = (1 - mean) / mean / cv**2 - 1
        return {"dist": "beta", "a": round(mean * k, 4), "b": round((1 - mean) * k, 4)}

    def fraction(self, mean: float) -> Data:
        """A defective fraction of about ``mean`` (at most 0.3), within [0, 1]."""
        name, m = self.pick(FRACTION_DISTS), round(mean, 4)
        if name == "constant":
            return {"dist": name, "value": m}
        if name == "uniform":
            low = round(m * self.num(0, 0.8), 4)
            return {"dist": name, "low": low, "high": round(2 * m - low, 4)}
        if name == "triangular":
            return {"dist": name, "low": 0.0, "mode": m, "high": round(3 * m, 4)}
        if name == "beta":
            return self.beta(m)
        return {"dist": name, "values": [0.0, m, round(2 * m, 4)]}


def _days(start: date, days: int, draw: _Draw, k: int) -> list[date]:
    """Up to ``k`` distinct days within ``days`` days from ``start``, in order."""
    return sorted({start + timedelta(days=draw.int(0, days - 1)) for _ in range(k)})


def _working_share(calendar: Data) -> float:
    """The share of the week the calendar works (holidays left out)."""
    hours = 0.0
    for shift in calendar["shifts"]:
        a, b = (int(t[:2]) + int(t[3:]) / 60 for t in shift.split("-"))
        hours += b - a if b > a else b + 24 - a
    return min(1.0, len(calendar["workdays"]) * hours / 168)


class _Plant:
    """One scenario being drawn: the parts both formats share and what they need to know."""

    def __init__(self, draw: _Draw, name: str) -> None:
        d = self.draw = draw
        self.start = date(2025, 1, 1) + timedelta(days=d.int(0, 730))
        self.days = d.int(14, 60)
        self.hours = self.days * 24.0
        horizon: str | float = d.pick([f"{self.days}d", f"{self.days * 24}h", self.hours])
        self.plant: Data = {
            "name": name,
            "start": self.start,
            "horizon": horizon,
            "timezone": d.pick(ZONES),
        }
        if d.chance(0.5):
            self.plant["nameplate"] = float(d.int(1, 100) * 100_000)
        workdays, shifts = d.pick(CALENDARS)
        self.calendar: Data = {"workdays": workdays, "shifts": shifts}
        if d.chance(0.4):
            self.calendar["holidays"] = _days(self.start, self.days, d, d.int(1, 3))
        self.work = self.hours * _working_share(self.calendar)  # about, holidays left out
        self.suppliers: list[Data] = []
        self.discontinue = d.chance(0.3)  # high defects, the standard's switching, short resume
        self.made: dict[str, float] = {}  # product -> units made over the horizon, about
        self.order_only: set[str] = set()  # products of make-to-order stations

    def maker(
        self, sid: str, products: list[str], rate: float | None = None, to_order: bool = True
    ) -> Data:
        """A station that makes lots (a format 1 line, a produce or assemble station): some 10
        to 40 lots over the horizon, failures, campaigns, a project, make-to-order (when
        ``to_order``: a component's maker would see no orders)."""
        d = self.draw
        rate = rate or d.pick(RATES)
        performance = d.pick([1.0, 0.95, 0.9, 0.8])
        lot_hours = self.work / d.num(10, 40)
        out: Data = {
            "id": sid,
            "products": products,
            "rate": rate,
            "lot_size": max(10, round(rate * performance * lot_hours)),
        }
        if performance < 1:
            out["performance"] = performance
        for p in products:
            self.made[p] = self.made.get(p, 0.0) + rate * performance * self.work / len(products)
        self.extras(out, lot_hours)
        if len(products) > 1:
            if d.chance(0.5):
                out["initial_product"] = d.pick(products)
            if d.chance(0.3):
                out["campaign_lots"] = d.int(1, 4)
        if to_order and d.chance(0.15):
            out["make_to"] = "order"
            self.order_only.update(products)
        return out

    def extras(self, station: Data, hours: float) -> None:
        """Failures (about every 1 to 6 ``hours`` of producing), and either a commissioning
        project or a commissioning date, for any station but a test station."""
        d = self.draw
        if d.chance(0.7):
            station["failures"] = {
                "between": d.dist(hours * d.num(1, 6), HOURS_DISTS),
                "repair": d.dist(d.num(0.3, 3)),
            }
        if d.chance(0.15):
            station["project"] = self.project()
        elif d.chance(0.08):
            station["commissioned"] = self.start + timedelta(days=d.int(1, 6))

    def project(self) -> Data:
        """Delivery in the first week (with a delay, maybe from a supplier that may be blocked),
        installation, a linear or learning ramp-up."""
        d = self.draw
        out: Data = {
            "delivery": self.start + timedelta(days=d.int(0, 6)),
            "delivery_delay": d.dist(d.num(6, 72)),
            "installation": d.dist(d.num(8, 60)),
            "ramp_up": {
                "start": d.num(0.2, 0.8),
                "duration": d.num(24, 400),
                "shape": d.pick(["linear", "learning"]),
                "defect_factor": d.num(1, 4),
            },
        }
        if d.chance(0.7):
            sid = f"sup-{len(self.suppliers) + 1}"
            blocked = d.chance(0.7)
            self.suppliers.append(
                {
                    "id": sid,
                    "block_probability": d.num(0.4, 1.0) if blocked else 0.0,
                    "resource_time": d.dist(d.num(24, 200)),
                }
            )
            out["supplier"] = sid
        return out

    def changeover(self, products: Sequence[str]) -> Data:
        """Campaigns of 1 to 4 lots, a changeover time, sometimes one for a pair of products."""
        d = self.draw
        out: Data = {"campaign_lots": d.int(1, 4), "time": d.dist(d.num(0.3, 3))}
        if len(products) > 1 and d.chance(0.4):
            a, b = (str(x) for x in d.rng.choice(list(products), 2, replace=False))
            out["pairs"] = [{"from": a, "to": b, "time": d.dist(d.num(0.3, 3))}]
        return out

    def test_fields(self, smallest_lot: int) -> Data:
        """What a test (the range, a test station) has: lanes, test time and sampling."""
        d = self.draw
        return {
            "lanes": d.int(1, 3),
            "test_time": d.dist(d.num(0.3, 3)),
            "sampling": self.sampling(smallest_lot),
        }

    def sampling(self, smallest_lot: int) -> Data:
        """A fixed plan, or the standard's plans (with switching and a short resume when the
        plant is drawn to discontinue)."""
        d = self.draw
        if not self.discontinue and d.chance(0.4):
            n = d.int(2, min(50, smallest_lot - 1))
            ac = d.int(0, 2)
            return {"plan": {"n": n, "ac": ac, "re": ac + d.int(1, 2)}}
        out: Data = {
            "standard": d.pick(["iso2859-1", "mil-std-105e"]),
            "level": d.pick(LEVELS),
            "aql": d.pick(AQLS),
        }
        if self.discontinue:
            out.update(level=d.pick(["I", "II"]), aql=d.pick([0.4, 0.65, 1.0]))
            out["resume_after"] = d.dist(d.num(4, 24))
        else:
            if d.chance(0.3):
                out["switching"] = False
            if d.chance(0.3):
                out["resume_after"] = d.dist(d.num(4, 96))
        return out

    def products(self, ids: Sequence[str], tested: set[str]) -> list[Data]:
        """Products with defective fractions: high for the first tested one when the plant is
        drawn to discontinue, small or none for the rest."""
        d = self.draw
        high = next((p for p in ids if p in tested), None) if self.discontinue else None
        out = []
        for p in ids:
            product: Data = {"id": p}
            if p == high:
                product["defect_fraction"] = d.fraction(d.num(0.08, 0.3))
            elif d.chance(0.7):
                product["defect_fraction"] = d.fraction(d.num(0.001, 0.03))
            out.append(product)
        return out

    def grid(self, stations: list[str]) -> Data:
        """Cuts, standstills, restart, and backup power (with a start delay and a chance to fail
        to start) for some of ``stations``."""
        d = self.draw
        out: Data = {}
        backup = d.chance(0.25)
        if backup or d.chance(0.4):
            out["cuts"] = {
                "between": d.dist(self.hours / d.num(3, 12), HOURS_DISTS),
                "duration": d.dist(d.num(0.3, 5)),
            }
        if d.chance(0.2):
            out["standstills"] = {"per_year": d.num(4, 25), "duration": d.dist(d.num(12, 72))}
        if d.chance(0.5):
            out["restart"] = d.num(0.05, 1)
        if backup:
            out["backup"] = {
                "lines": d.some(stations),
                "range": d.chance(0.5),
                "start_delay": d.num(0.05, 0.5),
                "fail_to_start": d.num(0.1, 0.6),
            }
        return out

    def storage(self, largest_lot: int) -> Data:
        """No limit, a large one, or room for one to three of the largest lots (which fills)."""
        d = self.draw
        if d.chance(0.3):
            return {"capacity": float(math.ceil(largest_lot * d.num(1, 3)))}
        return {"capacity": float(largest_lot * 1000)} if d.chance(0.3) else {}

    def demand(self, products: Sequence[str]) -> Data:
        """Recurring orders (monthly, weekly) and one-off orders for ``products``, some for
        about what the plant makes; always some for the products of make-to-order stations."""
        d = self.draw
        recurring, orders = [], []
        for p in products:
            per_day = self.made.get(p, 0.0) / self.days
            if p in self.order_only or d.chance(0.5):
                every = d.pick(["month", "week"])
                item: Data = {
                    "product": p,
                    "quantity": max(
                        1, round(per_day * (30 if every == "month" else 7) * d.num(0.2, 1.2))
                    ),
                    "every": every,
                    "day": d.int(1, 28 if every == "month" else 7),
                }
                if d.chance(0.3):
                    item["first"] = self.start + timedelta(days=d.int(0, self.days // 2))
                recurring.append(item)
            if d.chance(0.3):
                for i in range(d.int(1, 3)):
                    release: date = self.start + timedelta(days=d.int(0, self.days - 1))
                    if d.chance(0.5):
                        release = datetime(release.year, release.month, release.day, d.int(0, 23))
                    orders.append(
                        {
                            "id": f"{p}-order-{i + 1}",
                            "product": p,
                            "quantity": max(1, round(per_day * d.num(1, 10))),
                            "release": release,
                            "due": release + timedelta(days=d.int(1, 20)),
                        }
                    )
        return {"recurring": recurring, "orders": orders}

    def common(self) -> Data:
        """The sections both formats have in common, as drawn so far."""
        out: Data = {"plant": self.plant, "calendar": self.calendar}
        if self.suppliers:
            out["suppliers"] = self.suppliers
        return out


def _format1(draw: _Draw, name: str) -> Data:
    """A format 1 plant: one to three lines of one to three products, the range, one buffer."""
    plant = _Plant(draw, name)
    ids = ["a", "b", "c"][: draw.int(1, 3)]
    made = [draw.some(ids) for _ in range(draw.int(1, 3))]  # by each line
    for p in ids:  # every product made by some line
        if not any(p in these for these in made):
            these = draw.pick(made)
            these[:] = [q for q in ids if q in these or q == p]
    lines = [plant.maker(f"L{i + 1}", these) for i, these in enumerate(made)]
    smallest = min(line["lot_size"] for line in lines)
    largest = max(line["lot_size"] for line in lines)
    return plant.common() | {
        "products": plant.products(ids, set(ids)),
        "lines": lines,
        "changeover": plant.changeover(ids),
        "grid": plant.grid([line["id"] for line in lines]),
        "range": plant.test_fields(smallest),
        "buffer": {"lots": draw.pick([0, 1, 2, 5, 20])},
        "storage": plant.storage(largest),
        "demand": plant.demand(ids),
    }


class _Network:
    """A format 2 plant being drawn: routings of produce, process and test stages, perhaps an
    assembly of one or two components, crews."""

    def __init__(self, plant: _Plant) -> None:
        self.plant, self.draw = plant, plant.draw
        self.products: list[str] = []
        self.stations: list[Data] = []
        self.buffers: list[Data] = []
        self.routings: list[Data] = []
        self.bom: list[Data] = []
        self.tested: set[str] = set()
        self.into_storage: list[int] = []  # lot sizes routed into storage
        self.ids = 0  # stations named so far

    def product(self) -> str:
        self.products.append(f"p{len(self.products) + 1}")
        return self.products[-1]

    def station(self, station: Data) -> str:
        self.stations.append(station)
        return str(station["id"])

    def sid(self, role: str) -> str:
        """A new station id: P1 (produce), Q2 (process), A3 (assemble), T4 (test)..."""
        self.ids += 1
        return f"{PREFIXES[role]}{self.ids}"

    def buffer(self, lot: int) -> str:
        """A buffer in lots (perhaps 0) or in units (perhaps less than a lot of ``lot`` units:
        then lots only go straight to an idle station)."""
        d = self.draw
        bid = f"B{len(self.buffers) + 1}"
        if d.chance(0.5):
            self.buffers.append({"id": bid, "lots": d.int(0, 6)})
        else:
            self.buffers.append({"id": bid, "units": math.ceil(lot * d.num(0.8, 5))})
        return bid

    def kit(self, lots: Sequence[int], needs: Sequence[int]) -> str:
        """An assembly's input buffer, for components in lots of ``lots`` units of which a lot
        of the assembly needs ``needs``: it holds enough of each for a lot at least (else the
        assembly could never start)."""
        d = self.draw
        bid = f"B{len(self.buffers) + 1}"
        if d.chance(0.5):
            most = max(math.ceil(n / lot) for lot, n in zip(lots, needs, strict=True))
            self.buffers.append({"id": bid, "lots": most + d.int(0, 4)})
        else:
            most = max(lot + n for lot, n in zip(lots, needs, strict=True))
            self.buffers.append({"id": bid, "units": math.ceil(most * d.num(1, 3))})
        return bid

    def later_stages(
        self, products: list[str], lot: int, rate: float, k: int, tests: bool = True
    ) -> list[Data]:
        """``k`` stages after the first: each one process (one or two stations, about as fast as
        ``rate`` together) or one test station."""
        d = self.draw
        stages = []
        for _ in range(k):
            buffer = self.buffer(lot)
            if tests and d.chance(0.45):
                stages.append({"buffer": buffer, "stations": [self.test(products, lot)]})
                continue
            n = d.int(1, 2)
            names = []
            for _ in range(n):
                station: Data = {
                    "id": self.sid("process"),
                    "role": "process",
                    # at most 4 lots an hour (validation allows 10)
                    "rate": min(round(rate * d.num(0.6, 1.5) / n, 3), 4.0 * lot),
                }
                if d.chance(0.3):
                    station["products"] = products
                if d.chance(0.3):
                    station["performance"] = d.pick([0.95, 0.9])
                self.plant.extras(station, lot / rate)
                if len(products) > 1 and d.chance(0.4):
                    station["changeover"] = self.plant.changeover(products)
                names.append(self.station(station))
            stages.append({"buffer": buffer, "stations": names})
        return stages

    def test(self, products: list[str], lot: int) -> str:
        self.tested.update(products)
        station = {"id": self.sid("test"), "role": "test", **self.plant.test_fields(lot)}
        return self.station(station)

    def chain(self) -> None:
        """One or two products made by one or two produce stations, then up to two stages,
        into storage."""
        d = self.draw
        products = [self.product() for _ in range(d.int(1, 2))]
        makers = [self.plant.maker(self.sid("produce"), products)]
        if d.chance(0.4):
            makers.append(self.plant.maker(self.sid("produce"), d.some(products)))
        for m in makers:
            if len(m["products"]) > 1 and d.chance(0.4):
                m["changeover"] = self.plant.changeover(m["products"])
            self.station({"role": "produce", **m})
        lot = min(m["lot_size"] for m in makers)
        rate = sum(m["rate"] for m in makers)
        stages = [{"stations": [m["id"] for m in makers]}]
        stages += self.later_stages(products, lot, rate, d.int(0, 2))
        self.routings.append({"products": products, "stages": stages})
        self.into_storage += [m["lot_size"] for m in makers]

    def assembly(self) -> None:
        """An assembled product of one or two components (often more than one unit of one per
        unit), each component made by its own produce station (perhaps then processed) into the
        kit buffer; the assembly maybe tested, into storage."""
        d = self.draw
        comps = [self.product() for _ in range(d.pick([1, 2, 2]))]
        item = self.product()
        units = [d.pick([1, 2, 3]) for _ in comps]
        rate = d.pick(RATES)
        asm = self.plant.maker(self.sid("assemble"), [item], rate)
        asm["role"] = "assemble"
        n = asm["lot_size"]
        sizes = [max(10, math.ceil(n * q / d.pick([0.7, 1, 1, 2, 3]))) for q in units]
        kit = self.kit(sizes, [n * q for q in units])
        for p, q, size in zip(comps, units, sizes, strict=True):
            rate_p = rate * q * d.num(1.0, 1.4)
            maker = self.plant.maker(self.sid("produce"), [p], rate_p, to_order=False)
            maker["lot_size"] = size
            self.station({"role": "produce", **maker})
            stages = [{"stations": [maker["id"]]}]
            if d.chance(0.3):  # processed, not tested: a sample would leave a lot short of a kit
                stages += self.later_stages([p], size, maker["rate"], 1, tests=False)
            self.routings.append({"products": [p], "stages": stages, "to": kit})
        self.station(asm)
        self.bom.append(
            {
                "product": item,
                "components": [
                    {"product": p, "units": q} for p, q in zip(comps, units, strict=True)
                ],
            }
        )
        stages = [{"buffer": kit, "stations": [asm["id"]]}]
        stages += self.later_stages([item], n, rate, d.int(0, 1))
        self.routings.append({"products": [item], "stages": stages})
        self.into_storage.append(n)

    def crews(self) -> list[Data]:
        """One or two crews (some with a calendar of their own) that repair some of the
        stations that fail; at least one station uses one."""
        d = self.draw
        crews: list[Data] = []
        for i in range(d.int(1, 2)):
            crew: Data = {"id": f"crew-{i + 1}", "count": d.int(1, 2)}
            if d.chance(0.5):
                workdays, shifts = d.pick(CALENDARS[1:])
                crew["calendar"] = {"workdays": workdays, "shifts": shifts}
            crews.append(crew)
        failing = [s for s in self.stations if "failures" in s]
        if not failing:
            first = next(s for s in self.stations if s["role"] != "test")
            first["failures"] = {"between": d.dist(20, HOURS_DISTS), "repair": d.dist(2)}
            failing = [first]
        for i, s in enumerate(failing):
            if i == 0 or d.chance(0.7):
                s["crew"] = d.pick(crews)["id"]
        return crews


def _format2(draw: _Draw, name: str) -> Data:
    """A format 2 plant: an assembly and/or one or two simple routings; crews; maybe a second
    test station."""
    plant = _Plant(draw, name)
    net = _Network(plant)
    if draw.chance(0.45):
        net.assembly()
    for _ in range(draw.int(0, 1) if net.routings else draw.int(1, 2)):
        net.chain()
    tests = [s for s in net.stations if s["role"] == "test"]
    if len(tests) < 2 and draw.chance(0.3):  # a second test station, after the last routing
        last = net.routings[-1]
        p = last["products"]
        makers = [s for s in net.stations if s["role"] in ("produce", "assemble")]
        lot = min(s["lot_size"] for s in makers if set(p) & set(s["products"]))
        for _ in range(2 - len(tests)):
            last["stages"].append({"buffer": net.buffer(lot), "stations": [net.test(p, lot)]})
    data = plant.common() | {
        "format": 2,
        "products": plant.products(net.products, net.tested),
        "stations": net.stations,
        "buffers": net.buffers,
        "routings": net.routings,
    }
    if net.bom:
        data["bom"] = net.bom
    if draw.chance(0.45):
        data["crews"] = net.crews()
    ends = [p for r in net.routings if "to" not in r for p in r["products"]]
    non_test = [s["id"] for s in net.stations if s["role"] != "test"]
    data |= {
        "changeover": plant.changeover(net.products),
        "grid": plant.grid(non_test),
        "storage": plant.storage(max(net.into_storage)),
        "demand": plant.demand(ends),
    }
    return data


def generated(n: int = 200, seed: int = 0) -> list[tuple[str, Scenario | Network]]:
    """``n`` named, valid scenarios drawn from ``seed`` (the same list on every call): format 1
    and format 2 in turn, each 14 to 60 days of a small plant."""
    rng = np.random.default_rng(seed)
    out: list[tuple[str, Scenario | Network]] = []
    for i in range(n):
        form = 1 + i % 2
        name = f"gen-{seed}-{i:03d}-f{form}"
        data = (_format1 if form == 1 else _format2)(_Draw(rng), name)
        out.append((name, validate_data(data, name)))
    return out


# --- features ---------------------------------------------------------------------------------


def _makers(m: Model) -> list[Any]:
    """The lines of a format 1 scenario, the stations of a network but its test stations."""
    return list(m.lines) if isinstance(m, Scenario) else [s for s in m.stations if s.role != "test"]


def _tests(m: Model) -> list[tuple[Sampling, Distribution, set[str]]]:
    """Each test: its sampling, its test time, and the products it tests."""
    if isinstance(m, Scenario):
        return [(m.range.sampling, m.range.test_time, set(m.product_ids()))]
    out = []
    for s in m.stations:
        if s.sampling is not None and s.test_time is not None:
            tested = {
                p for r in m.routings for st in r.stages if s.id in st.stations for p in r.products
            }
            out.append((s.sampling, s.test_time, tested))
    return out


def _changeovers(m: Model) -> list[Changeover]:
    own = [] if isinstance(m, Scenario) else [s.changeover for s in m.stations if s.changeover]
    return [m.changeover, *own]


def _distributions(m: Model) -> Iterator[Distribution]:
    """The distributions of failures, repairs, test times, changeovers and defect fractions."""
    for s in _makers(m):
        if s.failures is not None:
            yield from (s.failures.between, s.failures.repair)
    for _, test_time, _ in _tests(m):
        yield test_time
    for c in _changeovers(m):
        yield c.time
        yield from (pair.time for pair in c.pairs)
    for p in m.products:
        yield p.defect_fraction


def _projects(m: Model) -> list[Any]:
    return [s.project for s in _makers(m) if s.project is not None]


def _ramp(shape: str) -> Callable[[Model], bool]:
    def has(m: Model) -> bool:
        return any(
            p.delivery_delay.expectation() > 0 and p.ramp_up and p.ramp_up.shape == shape
            for p in _projects(m)
        )

    return has


def _blocked(m: Model) -> bool:
    blocked = {s.id for s in m.suppliers if s.block_probability > 0}
    return any(p.supplier in blocked for p in _projects(m))


def _backup(m: Model) -> bool:
    b = m.grid.backup
    return m.grid.cuts is not None and b is not None and b.start_delay > 0 and b.fail_to_start > 0


def _discontinuation(m: Model) -> bool:
    high = {p.id for p in m.products if p.defect_fraction.expectation() >= HIGH_DEFECTS}
    return any(
        s.plan is None and s.switching and s.resume_after.expectation() <= SHORT_RESUME
        and tested & high
        for s, _, tested in _tests(m)
    )  # fmt: skip


def _uses(dist: str) -> Callable[[Model], bool]:
    return lambda m: any(x.dist == dist for x in _distributions(m))


def _network(has: Callable[[Network], bool]) -> Callable[[Model], bool]:
    return lambda m: isinstance(m, Network) and has(m)


def _crew_calendar(m: Network) -> bool:
    used = {s.crew for s in m.stations}
    return any(c.calendar is not None and c.id in used for c in m.crews)


def _campaigns(m: Model) -> bool:
    default = m.changeover.campaign_lots
    multi = [s for s in _makers(m) if len(s.products) > 1]
    return any((s.campaign_lots or default) > 1 for s in multi) and any(
        c.time.expectation() > 0 for c in _changeovers(m)
    )


def _storage_fills(m: Model) -> bool:
    cap = m.storage.capacity
    return cap is not None and cap <= 4 * max(s.lot_size or 0 for s in _makers(m))


def _shifts(m: Model) -> bool:
    c = m.calendar
    return len(c.workdays) < 7 or c.shift_hours() != [(0.0, 24.0)]


FEATURES: dict[str, Callable[[Model], bool]] = {
    "format 1": lambda m: isinstance(m, Scenario),
    "format 2": lambda m: isinstance(m, Network),
    "project, linear ramp-up": _ramp("linear"),
    "project, learning ramp-up": _ramp("learning"),
    "blocked supplier": _blocked,
    "backup power": _backup,
    "make-to-order": lambda m: any(s.make_to == "order" for s in _makers(m)),
    "discontinuation": _discontinuation,
    "crews": _network(lambda m: any(s.crew for s in m.stations)),
    "shared crew": _network(
        lambda m: max(Counter(s.crew for s in m.stations if s.crew).values(), default=0) > 1
    ),
    "crew calendar": _network(_crew_calendar),
    "assembly": _network(lambda m: bool(m.stations_of("assemble"))),
    "bill ratio > 1": _network(lambda m: any(c.units > 1 for b in m.bom for c in b.components)),
    "process stage": _network(lambda m: bool(m.stations_of("process"))),
    "buffer in units": _network(lambda m: any(b.units is not None for b in m.buffers)),
    "two test stations": _network(lambda m: len(m.stations_of("test")) >= 2),
    **{f"distribution {name}": _uses(name) for name in DIST_NAMES},
    "campaigns with changeovers": _campaigns,
    "changeover pairs": lambda m: any(c.pairs for c in _changeovers(m)),
    "shifts": _shifts,
    "holidays": lambda m: bool(m.calendar.holidays),
    "fixed plan": lambda m: any(s.plan is not None for s, _, _ in _tests(m)),
    "standard plan": lambda m: any(s.plan is None for s, _, _ in _tests(m)),
    "storage that fills": _storage_fills,
    "recurring orders": lambda m: bool(m.demand.recurring),
    "one-off orders": lambda m: bool(m.demand.orders),
    "power cuts": lambda m: m.grid.cuts is not None,
    "standstills": lambda m: m.grid.standstills is not None,
    "commissioning date": lambda m: any(s.commissioned for s in _makers(m)),
}


def features(model: Model) -> frozenset[str]:
    """The names of ``FEATURES`` that ``model`` has."""
    return frozenset(name for name, has in FEATURES.items() if has(model))
